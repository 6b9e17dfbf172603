//! Retries that do harm: a create sent again when its first attempt may have succeeded, and
//! requests that keep coming after a 429.

use chrono::TimeDelta;

use super::traffic::{VISIT_PATH, is_one_of, named, sent, unsettled};
use super::{Judged, Traffic};

/// The operations whose POST makes something new each time it lands.
const CREATING: &[&str] = &[
    "createCart",
    "addCartLineItems",
    "createCartMetafield",
    "createCartsMetafields",
];

/// `consumer.post_repeated_after_failure`: a creating POST whose answer was lost or a 5xx, sent
/// again with the same body.
pub(super) fn post_repeated(traffic: &Traffic<'_>) -> Judged {
    let entries = traffic.entries;
    let mut cases = 0;
    let mut failures = Vec::new();
    for (index, first) in entries.iter().enumerate() {
        if first.method != "POST" || !is_one_of(first, CREATING) {
            continue;
        }
        // Line items sent with `version` are safe to send again: if the first attempt landed,
        // the version moved on and the second is refused with 409.
        if first.operation.as_deref() == Some("addCartLineItems") && sent(first, "version") {
            continue;
        }
        let Some(how) = unsettled(first) else {
            continue;
        };
        cases += 1;
        let again = entries[index + 1..]
            .iter()
            .find(|e| e.method == first.method && e.path == first.path && e.body == first.body);
        if let Some(again) = again {
            failures.push(format!(
                "{} was sent again as journal #{} after {how}: the first attempt may have been carried out, so the \
                 store can now hold it twice (two carts, items added twice). Do not resend a POST that creates: \
                 report the failure, or look for what the first attempt made before trying again (for line items, \
                 send `version`, so that a second landing is refused with 409).",
                named(first),
                again.seq
            ));
        }
    }
    Judged {
        cases,
        failures,
        not_checkable: None,
    }
}

/// `consumer.rate_limit_ignored`: requests sent after a 429 before the time it gave had passed.
pub(super) fn rate_limit_ignored(traffic: &Traffic<'_>) -> Judged {
    let entries = traffic.entries;
    let mut cases = 0;
    let mut failures = Vec::new();
    for (index, refused) in entries.iter().enumerate() {
        let (429, Some(reset_ms)) = (refused.status, refused.rate_limit_reset_ms) else {
            continue;
        };
        cases += 1;
        let until = refused.at + TimeDelta::milliseconds(i64::try_from(reset_ms).unwrap_or(i64::MAX / 2));
        let early: Vec<_> = entries[index + 1..]
            .iter()
            .filter(|e| e.path != VISIT_PATH && e.at < until)
            .collect();
        if let Some(first) = early.first() {
            let after = (first.at - refused.at).num_milliseconds();
            failures.push(format!(
                "{} came {after} ms after the 429 of journal #{}, which said the quota refills in {reset_ms} ms \
                 (X-Rate-Limit-Time-Reset-Ms); {} request(s) came before then. Wait that long before the next \
                 request (the SDK's RetryPolicy does) and pace requests by X-Rate-Limit-Requests-Left.",
                named(first),
                refused.seq,
                early.len()
            ));
        }
    }
    Judged {
        cases,
        failures,
        not_checkable: None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::traffic::build::entry;
    use super::*;

    #[test]
    fn a_create_sent_again_after_a_dropped_connection_fails() {
        let body = Some(json!({"line_items": [{"product_id": 233, "quantity": 1}]}));
        let post = |seq, status| entry(seq, "POST", "/carts", "createCart", status, body.clone());
        let judged = post_repeated(&Traffic {
            entries: &[post(1, 0), post(2, 201)],
            channels: &[],
        });
        assert_eq!((judged.cases, judged.failures.len()), (1, 1));
        assert!(
            judged.failures[0].contains("after the connection was dropped"),
            "{:?}",
            judged.failures
        );
        let judged = post_repeated(&Traffic {
            entries: &[post(1, 503), post(2, 201)],
            channels: &[],
        });
        assert!(
            judged.failures[0].contains("after it was answered 503"),
            "{:?}",
            judged.failures
        );
        let judged = post_repeated(&Traffic {
            entries: &[post(1, 0)],
            channels: &[],
        });
        assert_eq!((judged.cases, judged.failures.len()), (1, 0), "given up: fine");
        let judged = post_repeated(&Traffic {
            entries: &[post(1, 429), post(2, 201)],
            channels: &[],
        });
        assert_eq!(judged.cases, 0, "a 429 says nothing was done");
    }

    #[test]
    fn requests_before_the_reset_fail_and_after_it_pass() {
        let mut refused = entry(1, "GET", "/carts/x", "getCart", 429, None);
        refused.rate_limit_reset_ms = Some(5_000);
        let mut early = entry(2, "GET", "/carts/x", "getCart", 429, None);
        early.at = refused.at + TimeDelta::milliseconds(10);
        let mut late = entry(3, "GET", "/carts/x", "getCart", 200, None);
        late.at = refused.at + TimeDelta::milliseconds(5_000);
        let judged = rate_limit_ignored(&Traffic {
            entries: &[refused.clone(), late.clone()],
            channels: &[],
        });
        assert_eq!((judged.cases, judged.failures.len()), (1, 0));
        let judged = rate_limit_ignored(&Traffic {
            entries: &[refused, early, late],
            channels: &[],
        });
        assert_eq!(judged.failures.len(), 1);
        assert!(
            judged.failures[0].contains("came 10 ms after the 429 of journal #1"),
            "{:?}",
            judged.failures
        );
    }
}
