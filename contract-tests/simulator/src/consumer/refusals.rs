//! Requests the store refused as not matching the API's description.

use super::traffic::named;
use super::{Judged, Traffic};

/// `consumer.invalid_request`: a request refused by the spec check.
pub(super) fn invalid(traffic: &Traffic<'_>) -> Judged {
    let requests: Vec<_> = traffic
        .entries
        .iter()
        .filter(|e| e.path != super::traffic::VISIT_PATH)
        .collect();
    let failures = requests
        .iter()
        .filter(|e| e.invalid)
        .map(|e| {
            format!(
                "{} was refused {} as not matching the API's description ({}). Fix the request: build it with the \
                 SDK's typed builders, or check it against the request schema in spec/.",
                named(e),
                e.status,
                e.error.as_deref().unwrap_or("no message")
            )
        })
        .collect();
    Judged {
        cases: requests.len(),
        failures,
        not_checkable: None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::traffic::build::entry;
    use super::*;

    #[test]
    fn a_request_refused_by_the_spec_check_fails_and_a_business_refusal_does_not() {
        let mut invalid_body = entry(1, "POST", "/carts", "createCart", 422, None);
        invalid_body.invalid = true;
        invalid_body.error = Some("line_items[0].quantity: 0 is less than the minimum of 1".into());
        let out_of_stock = entry(2, "POST", "/carts", "createCart", 422, None);
        let judged = invalid(&Traffic {
            entries: &[invalid_body, out_of_stock],
            channels: &[],
        });
        assert_eq!((judged.cases, judged.failures.len()), (2, 1));
        assert!(judged.failures[0].contains("refused 422 as not matching the API's description (line_items[0]"));
    }
}
