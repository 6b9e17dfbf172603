//! The journal: what each store received, for tests to look at afterwards.
//!
//! A test often needs to know what its service sent (how many attempts, which body), not only
//! what it got back. Each store keeps its most recent requests in a ring of bounded size, so a
//! long run or a load test does not grow memory without end. Tokens never enter the journal:
//! the `X-Auth-Token` header is not recorded, and the `token=` of redirect URLs is replaced.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
    /// The query string, with `token=` values replaced.
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
}

/// A bounded ring of journal entries.
#[derive(Debug)]
pub(crate) struct Journal {
    capacity: usize,
    next_seq: u64,
    entries: VecDeque<JournalEntry>,
}

impl Journal {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            next_seq: 1,
            entries: VecDeque::new(),
        }
    }

    /// Adds an entry, numbering it, and forgets the oldest when full.
    pub fn push(&mut self, mut entry: JournalEntry) {
        if self.capacity == 0 {
            return;
        }
        entry.seq = self.next_seq;
        self.next_seq += 1;
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub fn entries(&self) -> Vec<JournalEntry> {
        self.entries.iter().cloned().collect()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Replaces the value of every `token` query parameter with `REDACTED`.
pub(crate) fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if name.eq_ignore_ascii_case("token") => format!("{name}=REDACTED"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> JournalEntry {
        JournalEntry {
            seq: 0,
            at: Utc::now(),
            method: "GET".into(),
            path: path.into(),
            query: None,
            operation: None,
            status: 200,
            fault: None,
            body: None,
        }
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
    }

    #[test]
    fn tokens_are_redacted_from_queries() {
        assert_eq!(
            redact_query("action=load&id=1&token=abc123&x=token"),
            "action=load&id=1&token=REDACTED&x=token"
        );
    }
}
