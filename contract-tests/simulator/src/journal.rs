//! The journal: what each store received, for tests to look at afterwards.
//!
//! A test often needs to know what its service sent (how many attempts, which body), not only
//! what it got back. Each store keeps its most recent requests in a ring of bounded size, so a
//! long run or a load test does not grow memory without end, and counts the entries it forgot so
//! that a verdict over the journal can say it saw only part of the traffic.
//!
//! Tokens never enter the journal: the `X-Auth-Token` header is not recorded, and the `token=` of
//! redirect URLs is replaced by a fingerprint (`token=#a1b2c3d4e5f6`), the first 12 hex digits of
//! a SHA-256 over a random salt of this process and the token. Two visits of one URL then show
//! the same fingerprint and visits of two URLs different ones, while the token cannot be read
//! back from it (the salt never leaves the process, and 48 bits do not name a 256-bit token).

use std::collections::VecDeque;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// One request a store received, and how it was answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Its number in the store's journal, from 1.
    pub seq: u64,
    /// When it arrived, by the store's clock.
    pub at: DateTime<Utc>,
    /// The HTTP method.
    pub method: String,
    /// The path under the store's API base (`/carts/{id}`), or `/cart.php` for a visit.
    pub path: String,
    /// The query string, with `token=` values replaced by their fingerprint (`token=#...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The operation id, when the path and method named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The status answered (0 when the connection was dropped instead).
    pub status: u16,
    /// The fault that hit the request, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
    /// The JSON body sent, or the text of a body that was not JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// For an error answer, what the error envelope said (title, detail, field messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// For a 429 of the store's quota, the `X-Rate-Limit-Time-Reset-Ms` it carried: how long
    /// the client was told to wait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit_reset_ms: Option<u64>,
    /// For a storefront visit, how it went: `loaded`, `used`, `expired`, `cart-missing` or
    /// `invalid` (the `X-Sim-Redirect` header of the answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect: Option<String>,
    /// Whether the request was refused for not matching the specs (its path, query or body)
    /// before any store state was looked at.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub invalid: bool,
}

impl JournalEntry {
    /// An entry for a request of `method` to `path`, answered `status` at `at`, with nothing
    /// else known yet.
    pub fn new(at: DateTime<Utc>, method: impl Into<String>, path: impl Into<String>, status: u16) -> Self {
        Self {
            seq: 0,
            at,
            method: method.into(),
            path: path.into(),
            query: None,
            operation: None,
            status,
            fault: None,
            body: None,
            error: None,
            rate_limit_reset_ms: None,
            redirect: None,
            invalid: false,
        }
    }
}

/// A store's journal as the admin API gives it out and `cargo xtask conformance --journal` reads
/// it: the entries kept, how many older ones were forgotten, and the store's channels (a rule
/// about `channel_id` needs them).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JournalExport {
    /// The entries kept, oldest first.
    pub entries: Vec<JournalEntry>,
    /// How many entries were forgotten because the journal was full.
    #[serde(default)]
    pub dropped: u64,
    /// The channels of the store's profile.
    #[serde(default)]
    pub channels: Vec<i64>,
}

/// A bounded ring of journal entries.
#[derive(Debug)]
pub(crate) struct Journal {
    capacity: usize,
    next_seq: u64,
    dropped: u64,
    entries: VecDeque<JournalEntry>,
}

impl Journal {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            next_seq: 1,
            dropped: 0,
            entries: VecDeque::new(),
        }
    }

    /// Adds an entry, numbering it, and forgets the oldest when full (counting it).
    pub fn push(&mut self, mut entry: JournalEntry) {
        entry.seq = self.next_seq;
        self.next_seq += 1;
        if self.capacity == 0 {
            self.dropped += 1;
            return;
        }
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
            self.dropped += 1;
        }
        self.entries.push_back(entry);
    }

    /// How many entries were forgotten since the journal was made or cleared.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    pub fn entries(&self) -> Vec<JournalEntry> {
        self.entries.iter().cloned().collect()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.dropped = 0;
    }
}

/// The salt of token fingerprints: random, made once per process, never written anywhere.
fn salt() -> &'static [u8; 16] {
    static SALT: OnceLock<[u8; 16]> = OnceLock::new();
    SALT.get_or_init(crate::random::bytes)
}

/// `#` and the first 12 hex digits of SHA-256 over the salt and `token`.
pub(crate) fn fingerprint(token: &str) -> String {
    let digest = Sha256::new()
        .chain_update(salt())
        .chain_update(token.as_bytes())
        .finalize();
    let mut out = String::from("#");
    for byte in &digest[..6] {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// Replaces the value of every `token` query parameter with its fingerprint.
pub(crate) fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if name.eq_ignore_ascii_case("token") => format!("{name}={}", fingerprint(value)),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> JournalEntry {
        JournalEntry::new(Utc::now(), "GET", path, 200)
    }

    #[test]
    fn the_ring_keeps_the_newest_entries_numbered() {
        let mut journal = Journal::new(2);
        for path in ["/a", "/b", "/c"] {
            journal.push(entry(path));
        }
        let entries = journal.entries();
        assert_eq!(
            entries.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
            ["/b", "/c"]
        );
        assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(journal.dropped(), 1, "the forgotten entry is counted");
        journal.clear();
        assert_eq!(journal.dropped(), 0);
        let mut none = Journal::new(0);
        none.push(entry("/a"));
        assert_eq!((none.entries().len(), none.dropped()), (0, 1));
    }

    #[test]
    fn tokens_are_replaced_by_a_fingerprint() {
        let once = redact_query("action=load&id=1&token=abc123&x=token");
        let print = fingerprint("abc123");
        assert_eq!(once, format!("action=load&id=1&token={print}&x=token"));
        assert!(!once.contains("abc123"), "{once}");
        assert_eq!(print.len(), 13);
        assert!(print[1..].bytes().all(|b| b.is_ascii_hexdigit()), "{print}");
        assert_eq!(
            redact_query("token=abc123"),
            format!("token={print}"),
            "one token, one print"
        );
        assert_ne!(fingerprint("abc124"), print, "two tokens, two prints");
    }
}
