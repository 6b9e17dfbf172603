//! Carts on the right channel: in a store with several, a cart created without `channel_id` goes
//! to channel 1, and its checkout opens on that channel's domain.

use super::traffic::{is_one_of, named, sent};
use super::{Judged, Traffic};

/// `consumer.channel_id_missing`.
pub(super) fn missing(traffic: &Traffic<'_>) -> Judged {
    let creates: Vec<_> = traffic
        .entries
        .iter()
        .filter(|e| is_one_of(e, &["createCart"]) && (200..300).contains(&e.status))
        .collect();
    if traffic.channels.is_empty() {
        return Judged {
            cases: creates.len(),
            failures: Vec::new(),
            not_checkable: Some("the journal does not say which channels the store has".into()),
        };
    }
    let failures = if traffic.channels.len() > 1 {
        creates
            .iter()
            .filter(|e| !sent(e, "channel_id"))
            .map(|e| {
                format!(
                    "{} created a cart without `channel_id` in a store with channels {:?}: it went to channel 1, \
                     and its checkout opens on that channel's domain. Send the channel_id of the storefront the \
                     shopper is on.",
                    named(e),
                    traffic.channels
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    Judged {
        cases: creates.len(),
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
    fn only_carts_that_were_made_count() {
        let refused = entry(1, "POST", "/carts", "createCart", 422, Some(json!({"line_items": []})));
        let judged = missing(&Traffic {
            entries: &[refused],
            channels: &[1, 2],
        });
        assert_eq!((judged.cases, judged.failures.len()), (0, 0));
    }

    #[test]
    fn several_channels_need_channel_id_and_one_does_not() {
        let without = entry(1, "POST", "/carts", "createCart", 201, Some(json!({"line_items": []})));
        let with = entry(2, "POST", "/carts", "createCart", 201, Some(json!({"channel_id": 2})));
        let entries = [without, with];
        let judged = missing(&Traffic {
            entries: &entries,
            channels: &[1, 2],
        });
        assert_eq!((judged.cases, judged.failures.len()), (2, 1));
        assert!(judged.failures[0].contains("(journal #1) created a cart without `channel_id`"));
        let judged = missing(&Traffic {
            entries: &entries,
            channels: &[1],
        });
        assert_eq!((judged.cases, judged.failures.len()), (2, 0));
        assert!(
            missing(&Traffic {
                entries: &entries,
                channels: &[]
            })
            .not_checkable
            .is_some()
        );
    }
}
