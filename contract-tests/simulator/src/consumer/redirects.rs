//! Redirect URLs work once, for 30 days: rules over the storefront visits of a journal.

use std::collections::BTreeMap;

use super::traffic::{VISIT_PATH, query_param};
use super::{Judged, Traffic};
use crate::journal::JournalEntry;

/// The visits, by the fingerprint of their token, in the order the URLs were first visited.
fn visits_by_url<'a>(traffic: &Traffic<'a>) -> Vec<(&'a str, Vec<&'a JournalEntry>)> {
    let mut order: Vec<&str> = Vec::new();
    let mut visits: BTreeMap<&str, Vec<&JournalEntry>> = BTreeMap::new();
    for entry in traffic.entries.iter().filter(|e| e.path == VISIT_PATH) {
        let Some(token) = query_param(entry, "token") else {
            continue;
        };
        let seen = visits.entry(token).or_default();
        if seen.is_empty() {
            order.push(token);
        }
        seen.push(entry);
    }
    order
        .into_iter()
        .map(|token| (token, visits.remove(token).unwrap_or_default()))
        .collect()
}

/// `consumer.redirect_url_reused`: a URL (a token) visited more than once.
pub(super) fn reused(traffic: &Traffic<'_>) -> Judged {
    let urls = visits_by_url(traffic);
    let failures = urls
        .iter()
        .filter(|(_, visits)| visits.len() > 1)
        .map(|(token, visits)| {
            let seen: Vec<String> = visits
                .iter()
                .map(|v| format!("#{} {}", v.seq, v.redirect.as_deref().unwrap_or("?")))
                .collect();
            format!(
                "the redirect URL with token={token} was visited {} times (journal {}): it loads the cart once, \
                 and every later visit lands on an empty cart. Create fresh URLs (POST /carts/{{id}}/redirect_urls) \
                 for each hand-off to a shopper; never cache, share or resend one.",
                visits.len(),
                seen.join(", ")
            )
        })
        .collect();
    Judged {
        cases: urls.len(),
        failures,
        not_checkable: None,
    }
}

/// `consumer.redirect_url_expired`: a URL visited after its 30 days.
pub(super) fn expired(traffic: &Traffic<'_>) -> Judged {
    let visits: Vec<&JournalEntry> = traffic.entries.iter().filter(|e| e.path == VISIT_PATH).collect();
    let failures = visits
        .iter()
        .filter(|v| v.redirect.as_deref() == Some("expired"))
        .map(|v| {
            format!(
                "the redirect URL visited at journal #{} was more than 30 days old: create redirect URLs when the \
                 shopper is about to use them, not ahead of time, and do not store them.",
                v.seq
            )
        })
        .collect();
    Judged {
        cases: visits.len(),
        failures,
        not_checkable: None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::traffic::build::entry;
    use super::*;

    fn visit(seq: u64, token: &str, outcome: &str) -> JournalEntry {
        let mut e = entry(seq, "GET", VISIT_PATH, "", 302, None);
        e.query = Some(format!("action=load&id=x&token={token}"));
        e.redirect = Some(outcome.into());
        e
    }

    #[test]
    fn a_url_visited_twice_fails_and_two_urls_once_each_pass() {
        let entries = [visit(1, "#aaa", "loaded"), visit(2, "#bbb", "loaded")];
        let judged = reused(&Traffic {
            entries: &entries,
            channels: &[],
        });
        assert_eq!((judged.cases, judged.failures.len()), (2, 0));
        let entries = [
            visit(1, "#aaa", "loaded"),
            visit(2, "#bbb", "loaded"),
            visit(3, "#aaa", "used"),
        ];
        let judged = reused(&Traffic {
            entries: &entries,
            channels: &[],
        });
        assert_eq!(judged.cases, 2);
        assert_eq!(judged.failures.len(), 1);
        assert!(
            judged.failures[0]
                .starts_with("the redirect URL with token=#aaa was visited 2 times (journal #1 loaded, #3 used)"),
            "{}",
            judged.failures[0]
        );
    }

    #[test]
    fn an_expired_visit_fails() {
        let entries = [visit(1, "#aaa", "expired")];
        let judged = expired(&Traffic {
            entries: &entries,
            channels: &[],
        });
        assert_eq!((judged.cases, judged.failures.len()), (1, 1));
    }
}
