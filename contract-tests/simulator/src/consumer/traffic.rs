//! What the rules read from journal entries: which cart a request is about, whether it sent
//! `version`, what it was answered.

use uuid::Uuid;

use crate::journal::JournalEntry;

/// The operations that change a cart and take `version`.
pub(super) const VERSIONED: &[&str] = &[
    "updateCart",
    "addCartLineItems",
    "updateCartLineItem",
    "deleteCartLineItem",
];

/// The path of storefront visits.
pub(super) const VISIT_PATH: &str = "/cart.php";

/// The cart a request's path names (`/carts/{id}` and below).
pub(super) fn cart_of(entry: &JournalEntry) -> Option<Uuid> {
    let rest = entry.path.strip_prefix("/carts/")?;
    let id = rest.split('/').next()?;
    Uuid::parse_str(id).ok()
}

/// Whether the entry is an operation of `names`.
pub(super) fn is_one_of(entry: &JournalEntry, names: &[&str]) -> bool {
    entry.operation.as_deref().is_some_and(|op| names.contains(&op))
}

/// Whether the body sent carries the integer `name`.
pub(super) fn sent(entry: &JournalEntry, name: &str) -> bool {
    entry
        .body
        .as_ref()
        .and_then(|body| body.get(name))
        .is_some_and(|value| value.is_i64() || value.is_u64())
}

/// `METHOD /path (journal #seq)`, to name a request in a message.
pub(super) fn named(entry: &JournalEntry) -> String {
    format!("{} {} (journal #{})", entry.method, entry.path, entry.seq)
}

/// The value of query parameter `name`.
pub(super) fn query_param<'a>(entry: &'a JournalEntry, name: &str) -> Option<&'a str> {
    entry
        .query
        .as_deref()?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
}

/// How an answer was missed or failed, when it was one a client cannot read as done or not
/// done: a dropped connection or a client that stopped waiting (status 0), or a 5xx.
pub(super) fn unsettled(entry: &JournalEntry) -> Option<String> {
    match entry.status {
        0 if entry.fault.as_deref().is_some_and(|f| f.contains("the client closed")) => {
            Some("the client stopped waiting (a timeout)".to_string())
        }
        0 => Some("the connection was dropped".to_string()),
        500..=599 => Some(format!("it was answered {}", entry.status)),
        _ => None,
    }
}

#[cfg(test)]
pub(super) mod build {
    //! Journal entries made by hand, for the rules' unit tests.

    use chrono::{DateTime, TimeDelta, Utc};
    use serde_json::Value;

    use crate::journal::JournalEntry;

    /// The time of entry `seq`: one second apart from a fixed start.
    pub fn at(seq: u64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default() + TimeDelta::seconds(seq as i64)
    }

    /// An entry of `operation` at `path`, answered `status`, with `body`.
    pub fn entry(
        seq: u64,
        method: &str,
        path: &str,
        operation: &str,
        status: u16,
        body: Option<Value>,
    ) -> JournalEntry {
        JournalEntry {
            seq,
            operation: (!operation.is_empty()).then(|| operation.to_string()),
            body,
            ..JournalEntry::new(at(seq), method, path, status)
        }
    }
}
