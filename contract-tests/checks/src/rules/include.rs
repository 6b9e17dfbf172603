//! Rules on `include`: the allowed values, their encoding, and what
//! `include=redirect_urls` answers.

use std::collections::BTreeSet;

use bigcommerce_carts::{Include, RedirectUrls};
use serde_json::Value;

use super::redirect_urls::redirect_url_problems;
use super::select::include_values;
use super::variants::variant_names;
use super::{Checked, Evidence};
use crate::cassette::Api;

/// The four `include` values the documentation lists, in its order.
pub const DOCUMENTED_INCLUDES: [&str; 4] = [
    "redirect_urls",
    "line_items.physical_items.options",
    "line_items.digital_items.options",
    "promotions.banners",
];

/// `include.allowed`.
pub(super) fn allowed(evidence: &Evidence<'_>) -> Checked {
    let mut checked = Checked::default();
    let documented: BTreeSet<&str> = DOCUMENTED_INCLUDES.into_iter().collect();
    // The SDK's enum: exactly the documented values, each round-tripping, nothing else parsing.
    let sdk_values = variant_names::<Include>();
    let sdk_set: BTreeSet<&str> = sdk_values.iter().copied().collect();
    checked.check(
        "sdk: Include",
        sdk_set == documented,
        format!("the enum holds {sdk_set:?}"),
    );
    for value in DOCUMENTED_INCLUDES {
        let parsed = value.parse::<Include>().ok().map(|i| i.to_string());
        checked.check(
            "sdk: Include",
            parsed.as_deref() == Some(value),
            format!("{value} parses and prints as {parsed:?}"),
        );
    }
    for bogus in ["line_items", "redirect_url", "promotions", "REDIRECT_URLS", ""] {
        let refused = bogus.parse::<Include>().is_err();
        let seen = if refused { "refused" } else { "accepted" };
        checked.check("sdk: Include", refused, format!("{bogus:?} is {seen}"));
    }
    // The spec: one Include enum with exactly those values.
    let spec_values: BTreeSet<&str> = evidence
        .specs
        .doc(Api::CartsV3)
        .pointer("/components/schemas/Include/enum")
        .and_then(Value::as_array)
        .map(|values| values.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    checked.check(
        "spec/carts.v3.yaml: Include",
        spec_values == documented,
        format!("the enum holds {spec_values:?}"),
    );
    // Every include sent in a management case is documented.
    for case in evidence.cases.iter().filter(|c| c.cassette.api() == Api::CartsV3) {
        for value in include_values(case.cassette.request.query.as_deref()) {
            let known = documented.contains(value.as_str());
            let seen = if known {
                format!("include={value}")
            } else {
                format!("include={value} is not documented")
            };
            checked.check(case.name(), known, seen);
        }
    }
    checked
}

/// `include.encoding`.
pub(super) fn encoding(evidence: &Evidence<'_>) -> Checked {
    let mut checked = Checked::default();
    for (subset, sent) in evidence.include_encoding {
        let expected = (!subset.is_empty()).then(|| {
            format!(
                "include={}",
                subset.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
            )
        });
        checked.check(
            "sdk: create_cart().include(..)",
            *sent == expected,
            format!("{} values went out as {sent:?}, expected {expected:?}", subset.len()),
        );
    }
    for case in evidence.cases {
        let Some(sent) = &case.replay.sent else { continue };
        let keys = url::form_urlencoded::parse(sent.query.as_deref().unwrap_or_default().as_bytes())
            .filter(|(k, _)| k == "include")
            .count();
        if keys > 0 {
            checked.check(
                case.name(),
                keys == 1,
                format!("include in {keys} key(s): {:?}", sent.query),
            );
        }
    }
    checked
}

/// `include.redirect_urls`.
pub(super) fn redirect_urls(evidence: &Evidence<'_>) -> Checked {
    let mut checked = Checked::default();
    for case in evidence
        .cases
        .iter()
        .filter(|c| c.is(Api::CartsV3, "createCart") && c.cassette.is_success())
    {
        if !include_values(case.cassette.request.query.as_deref())
            .iter()
            .any(|v| v == "redirect_urls")
        {
            continue;
        }
        let body = case.success_body();
        let cart_id = body
            .and_then(|b| b.pointer("/data/id"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let problems = match body.and_then(|b| b.pointer("/data/redirect_urls")) {
            None => vec!["data.redirect_urls is missing".to_string()],
            Some(urls) => match crate::round_trip::decode::<RedirectUrls>(urls) {
                Ok(urls) => redirect_url_problems(&urls, cart_id),
                Err(e) => vec![format!("data.redirect_urls is not redirect URLs: {e}")],
            },
        };
        let seen = if problems.is_empty() {
            "data.redirect_urls in the redirect-URL shape".to_string()
        } else {
            problems.join("; ")
        };
        checked.check(case.name(), problems.is_empty(), seen);
    }
    checked
}
