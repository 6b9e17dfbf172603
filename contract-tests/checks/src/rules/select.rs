//! Picking the cases a rule looks at out of the evidence.

use serde_json::Value;

use super::Case;
use crate::cassette::Api;
use crate::dispatch::Outcome;

impl Case<'_> {
    /// Whether the case is `operation` of `api`.
    pub(super) fn is(&self, api: Api, operation: &str) -> bool {
        self.cassette.api() == api && self.cassette.operation == operation
    }

    /// The decoded success body, as the SDK's types wrote it back.
    pub(super) fn success_body(&self) -> Option<&Value> {
        match &self.replay.outcome {
            Outcome::Success { body, .. } => body.as_ref(),
            _ => None,
        }
    }

    /// The case's name in the report.
    pub(super) fn name(&self) -> String {
        self.cassette.name()
    }
}

/// Every cart object in success bodies: (case, cart JSON).
pub(super) fn carts<'a>(cases: &'a [Case<'a>]) -> Vec<(&'a Case<'a>, &'a Value)> {
    let mut out = Vec::new();
    for case in cases {
        let Some(body) = case.success_body() else { continue };
        let data = body.get("data").unwrap_or(body);
        let is_cart = |v: &Value| v.get("line_items").is_some() || v.get("lineItems").is_some();
        match data {
            Value::Array(items) => out.extend(items.iter().filter(|v| is_cart(v)).map(|v| (case, v))),
            v if is_cart(v) => out.push((case, v)),
            _ => {}
        }
    }
    out
}

/// The `include` values of a query string.
pub(super) fn include_values(query: Option<&str>) -> Vec<String> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(k, _)| k == "include")
        .flat_map(|(_, v)| v.split(',').map(str::to_string).collect::<Vec<_>>())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_values_come_from_the_query() {
        assert_eq!(
            include_values(Some("include=redirect_urls,promotions.banners&x=1")),
            ["redirect_urls", "promotions.banners"]
        );
        assert!(include_values(None).is_empty());
    }
}
