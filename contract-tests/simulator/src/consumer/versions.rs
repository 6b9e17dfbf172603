//! Optimistic concurrency: changes carry `version`, and a 409 is followed by a fresh read.

use super::traffic::{VERSIONED, cart_of, is_one_of, named, sent};
use super::{Judged, Traffic};

/// `consumer.version_missing`: a change of a cart sent without `version`.
pub(super) fn missing(traffic: &Traffic<'_>) -> Judged {
    let changes: Vec<_> = traffic.entries.iter().filter(|e| is_one_of(e, VERSIONED)).collect();
    let failures = changes
        .iter()
        .filter(|e| !sent(e, "version"))
        .map(|e| {
            format!(
                "{} was sent without `version`: the store then applies it over whatever changed since the cart was \
                 read, and a concurrent change is lost. Send the `version` of the cart as you last read it, and on \
                 409 read the cart again.",
                named(e)
            )
        })
        .collect();
    Judged {
        cases: changes.len(),
        failures,
        not_checkable: None,
    }
}

/// `consumer.conflict_not_reread`: after a 409, the cart changed again without a read between.
pub(super) fn not_reread(traffic: &Traffic<'_>) -> Judged {
    let entries = traffic.entries;
    let mut cases = 0;
    let mut failures = Vec::new();
    for (index, conflict) in entries.iter().enumerate() {
        if conflict.status != 409 || !is_one_of(conflict, VERSIONED) {
            continue;
        }
        let Some(cart) = cart_of(conflict) else {
            continue;
        };
        cases += 1;
        let mut read = false;
        for later in &entries[index + 1..] {
            if cart_of(later) != Some(cart) {
                continue;
            }
            if later.operation.as_deref() == Some("getCart") && (200..300).contains(&later.status) {
                read = true;
            } else if is_one_of(later, VERSIONED) || later.operation.as_deref() == Some("deleteCart") {
                if !read {
                    failures.push(format!(
                        "after the 409 of {}, {} changed the cart again without reading it: the cart changed \
                         elsewhere, so read it (GET /carts/{cart}), apply your change to what it holds now, and \
                         send its new `version`.",
                        named(conflict),
                        named(later)
                    ));
                }
                break;
            }
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

    const CART: &str = "/carts/4a7c2b9e-1f3d-4e5a-9b8c-7d6e5f4a3b2c";

    #[test]
    fn a_change_without_version_fails() {
        let items = format!("{CART}/items");
        let entries = [
            entry(1, "POST", &items, "addCartLineItems", 201, Some(json!({"version": 1}))),
            entry(
                2,
                "POST",
                &items,
                "addCartLineItems",
                201,
                Some(json!({"line_items": []})),
            ),
            entry(3, "GET", CART, "getCart", 200, None),
        ];
        let judged = missing(&Traffic {
            entries: &entries,
            channels: &[],
        });
        assert_eq!(judged.cases, 2);
        assert_eq!(judged.failures.len(), 1);
        assert!(
            judged.failures[0].contains("(journal #2) was sent without `version`"),
            "{:?}",
            judged.failures
        );
    }

    #[test]
    fn a_409_needs_a_read_before_the_next_change() {
        let items = format!("{CART}/items");
        let change = |seq, status| {
            entry(
                seq,
                "POST",
                &items,
                "addCartLineItems",
                status,
                Some(json!({"version": 1})),
            )
        };
        let reread = [
            change(1, 409),
            entry(2, "GET", CART, "getCart", 200, None),
            change(3, 201),
        ];
        let judged = not_reread(&Traffic {
            entries: &reread,
            channels: &[],
        });
        assert_eq!((judged.cases, judged.failures.len()), (1, 0));
        let blind = [change(1, 409), change(2, 201)];
        let judged = not_reread(&Traffic {
            entries: &blind,
            channels: &[],
        });
        assert_eq!((judged.cases, judged.failures.len()), (1, 1), "{:?}", judged.failures);
        let gave_up = [change(1, 409)];
        let judged = not_reread(&Traffic {
            entries: &gave_up,
            channels: &[],
        });
        assert_eq!((judged.cases, judged.failures.len()), (1, 0));
    }
}
