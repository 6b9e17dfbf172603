//! Rules on redirect URLs as answered: status, shape, query parameters.

use bigcommerce_carts::RedirectUrls;
use carts_openapi::match_path;
use serde_json::Value;

use super::{Case, Checked, Evidence};
use crate::cassette::Api;

/// `redirect_urls.status`.
pub(super) fn status(evidence: &Evidence<'_>) -> Checked {
    let mut checked = Checked::default();
    for case in creations(evidence.cases) {
        let status = case.replay.outcome.status();
        let seen = match status {
            Some(status) => format!("answered {status}"),
            None => "no answer".to_string(),
        };
        let seen = if status == Some(201) {
            seen
        } else {
            format!("{seen}, documented 201")
        };
        checked.check(case.name(), status == Some(201), seen);
    }
    checked
}

/// `redirect_urls.shape`.
pub(super) fn shape(evidence: &Evidence<'_>) -> Checked {
    let mut checked = Checked::default();
    for (case, urls, cart_id) in url_sets(evidence.cases) {
        let problems = match crate::round_trip::decode::<RedirectUrls>(&urls) {
            Ok(urls) => redirect_url_problems(&urls, &cart_id),
            Err(e) => vec![format!("not redirect URLs: {e}")],
        };
        let seen = if problems.is_empty() {
            format!("three cart.php URLs for cart {cart_id}")
        } else {
            problems.join("; ")
        };
        checked.check(case.name(), problems.is_empty(), seen);
    }
    checked
}

/// `redirect_urls.query_params`.
pub(super) fn query_params(evidence: &Evidence<'_>) -> Checked {
    let mut checked = Checked::default();
    for case in creations(evidence.cases) {
        let Some(params) = case
            .cassette
            .request
            .body
            .as_ref()
            .and_then(|b| b.get("query_params"))
            .and_then(Value::as_object)
            .filter(|p| !p.is_empty())
        else {
            continue;
        };
        let urls = case
            .success_body()
            .and_then(|b| b.get("data"))
            .cloned()
            .unwrap_or(Value::Null);
        let mut problems = Vec::new();
        for name in ["cart_url", "checkout_url", "embedded_checkout_url"] {
            let Some(url) = urls
                .get(name)
                .and_then(Value::as_str)
                .and_then(|u| url::Url::parse(u).ok())
            else {
                problems.push(format!("{name} missing or not a URL"));
                continue;
            };
            let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
            for (key, value) in params {
                let value = value.as_str().unwrap_or_default();
                if !pairs.iter().any(|(k, v)| k == key && v == value) {
                    problems.push(format!("{name} does not carry {key}={value}"));
                }
            }
        }
        let keys: Vec<&str> = params.keys().map(String::as_str).collect();
        let seen = if problems.is_empty() {
            format!("every URL carries {}", keys.join(", "))
        } else {
            problems.join("; ")
        };
        checked.check(case.name(), problems.is_empty(), seen);
    }
    checked
}

/// Successful `createCartRedirectURL` cases.
fn creations<'a>(cases: &'a [Case<'a>]) -> impl Iterator<Item = &'a Case<'a>> {
    cases
        .iter()
        .filter(|c| c.is(Api::CartsV3, "createCartRedirectURL") && c.cassette.is_success())
}

/// Checks one set of redirect URLs against the documented shape.
pub fn redirect_url_problems(urls: &RedirectUrls, cart_id: &str) -> Vec<String> {
    let mut problems = Vec::new();
    /// A URL field: its name, its value, the query parameters it must carry.
    type Expected<'a> = (&'static str, &'a str, &'static [(&'static str, &'static str)]);
    let expected: [Expected<'_>; 3] = [
        (
            "cart_url",
            urls.cart_url.as_deref().unwrap_or_default(),
            &[("action", "load")],
        ),
        (
            "checkout_url",
            urls.checkout_url.as_deref().unwrap_or_default(),
            &[("action", "loadInCheckout")],
        ),
        (
            "embedded_checkout_url",
            urls.embedded_checkout_url.as_deref().unwrap_or_default(),
            &[("embedded", "1"), ("action", "loadInCheckout")],
        ),
    ];
    for (name, value, params) in expected {
        if value.trim().is_empty() {
            problems.push(format!("{name} is missing"));
            continue;
        }
        let Ok(url) = url::Url::parse(value) else {
            problems.push(format!("{name} is not an absolute URL: {value}"));
            continue;
        };
        if url.scheme() != "https" || url.host_str().is_none() {
            problems.push(format!("{name} is not an https URL: {value}"));
        }
        if url.path() != "/cart.php" {
            problems.push(format!("{name} does not point at /cart.php: {value}"));
        }
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        for (key, wanted) in params {
            if get(key) != Some(*wanted) {
                problems.push(format!("{name} lacks {key}={wanted}: {value}"));
            }
        }
        if get("id") != Some(cart_id) {
            problems.push(format!("{name} names cart {:?}, not {cart_id}", get("id")));
        }
        if get("token").is_none_or(str::is_empty) {
            problems.push(format!("{name} has no token"));
        }
    }
    problems
}

/// Redirect URL sets in the answers: (case, URLs as JSON, the cart id they must name).
pub(super) fn url_sets<'a>(cases: &'a [Case<'a>]) -> Vec<(&'a Case<'a>, Value, String)> {
    let mut sets = Vec::new();
    for case in cases {
        let Some(body) = case.success_body() else { continue };
        if case.is(Api::CartsV3, "createCartRedirectURL") {
            let cart_id = match_path("/carts/{cartId}/redirect_urls", &case.cassette.request.path)
                .and_then(|p| p.get("cartId").cloned())
                .unwrap_or_default();
            sets.push((case, body.get("data").cloned().unwrap_or(Value::Null), cart_id));
        } else if case.cassette.api() == Api::CartsV3
            && let Some(urls) = body.pointer("/data/redirect_urls")
        {
            let cart_id = body
                .pointer("/data/id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            sets.push((case, urls.clone(), cart_id));
        }
    }
    sets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(cart: &str, checkout: &str, embedded: &str) -> RedirectUrls {
        RedirectUrls {
            cart_url: Some(cart.into()),
            checkout_url: Some(checkout.into()),
            embedded_checkout_url: Some(embedded.into()),
            extra: Default::default(),
        }
    }

    const ID: &str = "0c4f8a21-7d3e-4b6a-9f12-5e8d7c6b5a49";

    #[test]
    fn the_documented_shape_passes() {
        let good = urls(
            &format!("https://shop.example.com/cart.php?action=load&id={ID}&token=REDACTED"),
            &format!("https://shop.example.com/cart.php?action=loadInCheckout&id={ID}&token=REDACTED"),
            &format!("https://shop.example.com/cart.php?embedded=1&action=loadInCheckout&id={ID}&token=REDACTED"),
        );
        assert_eq!(redirect_url_problems(&good, ID), Vec::<String>::new());
    }

    #[test]
    fn each_broken_part_is_named() {
        let bad = urls(
            &format!("http://shop.example.com/cart.php?action=load&id={ID}&token=x"),
            "https://shop.example.com/checkout?action=loadInCheckout&id=other&token=x",
            "",
        );
        let problems = redirect_url_problems(&bad, ID);
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].contains("cart_url is not an https URL"));
        assert!(problems[1].contains("checkout_url does not point at /cart.php"));
        assert!(problems[2].contains("checkout_url names cart Some(\"other\")"));
        assert_eq!(problems[3], "embedded_checkout_url is missing");
    }
}
