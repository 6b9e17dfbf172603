//! The documented rules of the Carts APIs, as named checks over replayed
//! cassettes. Rule ids are stable: they read the same in code, in
//! `target/conformance/report.json` and in the README.

use std::collections::BTreeSet;

use bigcommerce_carts::carts::types::{OptionDateValue, OptionValue};
use bigcommerce_carts::{Include, RedirectUrls};
use serde::Serialize;
use serde_json::{Value, json};

use crate::cassette::{Api, Cassette};
use crate::dispatch::Outcome;
use crate::replay::Replay;
use crate::spec::Specs;
use carts_openapi::match_path;

/// A rule's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every case holds (and there was at least one).
    Pass,
    /// A case breaks the rule, or no case exercised it.
    Fail,
    /// Recorded responses cannot show it.
    NotCheckable,
}

/// One rule and how it fared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    /// Stable id, such as `redirect_urls.shape`.
    pub id: &'static str,
    /// What it checks, and where the documentation says so.
    pub description: &'static str,
    /// How many cases were checked.
    pub cases: usize,
    /// The verdict.
    pub result: Verdict,
    /// Each failed case (or, for `not_checkable`, why), for the report.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<String>,
}

/// A cassette together with its replay.
pub struct Case<'a> {
    /// The recorded interaction.
    pub cassette: &'a Cassette,
    /// What the SDK did with it.
    pub replay: &'a Replay,
}

/// The four `include` values the documentation lists, in its order.
pub const DOCUMENTED_INCLUDES: [&str; 4] = [
    "redirect_urls",
    "line_items.physical_items.options",
    "line_items.digital_items.options",
    "promotions.banners",
];

/// Rule ids with what each checks (and the documentation it comes from).
pub const RULES: &[(&str, &str)] = &[
    (
        "redirect_urls.status",
        "Creating a redirect URL answers 201 Created (Create Cart Redirect URL, response section); checked on the status itself",
    ),
    (
        "redirect_urls.shape",
        "Redirect URLs are cart_url, checkout_url and embedded_checkout_url: absolute https URLs to cart.php with action=load, action=loadInCheckout and embedded=1&action=loadInCheckout, the cart's id and a token (Create Cart Redirect URL example)",
    ),
    (
        "redirect_urls.query_params",
        "query_params sent when creating redirect URLs are carried into the URLs (Create Cart Redirect URL usage notes)",
    ),
    (
        "include.allowed",
        "include takes exactly redirect_urls, line_items.physical_items.options, line_items.digital_items.options, promotions.banners (Create Cart, query parameters); no other value is representable",
    ),
    (
        "include.encoding",
        "Several include values go on the wire as one comma-separated value, include=a,b (style form, explode false)",
    ),
    (
        "include.redirect_urls",
        "Creating a cart with include=redirect_urls returns data.redirect_urls in the redirect-URL shape (Create Cart usage notes)",
    ),
    (
        "cart.id",
        "A cart id is a UUID, and the same id as its checkout (Create Cart usage notes)",
    ),
    (
        "cart.channel_default",
        "A cart created without channel_id is on channel 1 (Create Cart, channel_id)",
    ),
    (
        "cart.locale",
        "A cart's locale is a language code, xx or xx-YY (Create Cart, locale)",
    ),
    (
        "option_value.forms",
        "An option value may be a number id, a string, a Unix timestamp or a {day, month, year} object (Create Cart, request examples)",
    ),
    (
        "errors.envelope",
        "Error answers decode into the v3 error envelope: status, title, type, detail, errors (API status codes guide)",
    ),
    (
        "redirect_urls.single_use",
        "A redirect URL may be used once; once visited it is invalidated (Create Cart Redirect URL usage notes)",
    ),
    (
        "redirect_urls.validity",
        "A redirect URL is valid for 30 days (Create Cart Redirect URL usage notes)",
    ),
    (
        "cart.expiry",
        "A cart is valid for 30 days from its last change (Create Cart usage notes)",
    ),
];

/// Why the stateful rules cannot be checked on recordings.
const NEEDS_TIME_OR_STATE: &str = "a recorded response cannot show it: it needs visiting a URL twice or waiting 30 days (a stateful checker against a live store is planned)";

/// Evaluates every rule over the replayed cassettes.
pub fn evaluate(
    specs: &Specs,
    cases: &[Case<'_>],
    include_encoding: &[(Vec<Include>, Option<String>)],
) -> Vec<RuleResult> {
    RULES
        .iter()
        .map(|(id, description)| {
            let outcome = match *id {
                "redirect_urls.status" => redirect_status(cases),
                "redirect_urls.shape" => redirect_shape(cases),
                "redirect_urls.query_params" => redirect_query_params(cases),
                "include.allowed" => include_allowed(specs, cases),
                "include.encoding" => include_wire(cases, include_encoding),
                "include.redirect_urls" => include_redirect_urls(cases),
                "cart.id" => cart_id(cases),
                "cart.channel_default" => channel_default(cases),
                "cart.locale" => locale(cases),
                "option_value.forms" => option_value_forms(cases),
                "errors.envelope" => error_envelope(cases),
                _ => Checked::not_checkable(NEEDS_TIME_OR_STATE),
            };
            outcome.into_result(id, description)
        })
        .collect()
}

/// The cases and failures of one rule.
#[derive(Default)]
struct Checked {
    cases: usize,
    failures: Vec<String>,
    not_checkable: Option<&'static str>,
}

impl Checked {
    fn not_checkable(why: &'static str) -> Self {
        Self {
            not_checkable: Some(why),
            ..Self::default()
        }
    }

    fn check(&mut self, holds: bool, failure: impl FnOnce() -> String) {
        self.cases += 1;
        if !holds {
            self.failures.push(failure());
        }
    }

    fn into_result(self, id: &'static str, description: &'static str) -> RuleResult {
        let (result, failures) = match self.not_checkable {
            Some(why) => (Verdict::NotCheckable, vec![why.to_string()]),
            None if self.cases == 0 => (Verdict::Fail, vec!["no case exercised this rule".to_string()]),
            None if self.failures.is_empty() => (Verdict::Pass, Vec::new()),
            None => (Verdict::Fail, self.failures),
        };
        RuleResult {
            id,
            description,
            cases: self.cases,
            result,
            failures,
        }
    }
}

fn is(case: &Case<'_>, api: Api, operation: &str) -> bool {
    case.cassette.api() == api && case.cassette.operation == operation
}

/// The decoded success body, as the SDK's types re-serialized it.
fn success_body<'a>(case: &'a Case<'_>) -> Option<&'a Value> {
    match &case.replay.outcome {
        Outcome::Success { body, .. } => body.as_ref(),
        _ => None,
    }
}

fn redirect_status(cases: &[Case<'_>]) -> Checked {
    let mut checked = Checked::default();
    for case in cases
        .iter()
        .filter(|c| is(c, Api::CartsV3, "createCartRedirectURL") && c.cassette.is_success())
    {
        let status = case.replay.outcome.status();
        checked.check(status == Some(201), || {
            format!("{}: answered {status:?}, documented 201", case.cassette.name())
        });
    }
    checked
}

/// Checks one set of redirect URLs against the documented shape.
pub fn redirect_url_problems(urls: &RedirectUrls, cart_id: &str) -> Vec<String> {
    let mut problems = Vec::new();
    /// A URL field: its name, its value, the query parameters it must carry.
    type Expected<'a> = (&'static str, &'a str, &'static [(&'static str, &'static str)]);
    let expected: [Expected<'_>; 3] = [
        ("cart_url", &urls.cart_url, &[("action", "load")]),
        ("checkout_url", &urls.checkout_url, &[("action", "loadInCheckout")]),
        (
            "embedded_checkout_url",
            &urls.embedded_checkout_url,
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

/// Redirect URL sets in the cassettes: (case, URLs as JSON, the cart id they must name).
fn redirect_url_sets<'a>(cases: &'a [Case<'a>]) -> Vec<(&'a Case<'a>, Value, String)> {
    let mut sets = Vec::new();
    for case in cases {
        let Some(body) = success_body(case) else { continue };
        if is(case, Api::CartsV3, "createCartRedirectURL") {
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

fn redirect_shape(cases: &[Case<'_>]) -> Checked {
    let mut checked = Checked::default();
    for (case, urls, cart_id) in redirect_url_sets(cases) {
        let problems = match serde_json::from_value::<RedirectUrls>(urls.clone()) {
            Ok(urls) => redirect_url_problems(&urls, &cart_id),
            Err(e) => vec![format!("not redirect URLs: {e}")],
        };
        checked.check(problems.is_empty(), || {
            format!("{}: {}", case.cassette.name(), problems.join("; "))
        });
    }
    checked
}

fn redirect_query_params(cases: &[Case<'_>]) -> Checked {
    let mut checked = Checked::default();
    for case in cases
        .iter()
        .filter(|c| is(c, Api::CartsV3, "createCartRedirectURL") && c.cassette.is_success())
    {
        let Some(params) = case
            .cassette
            .request
            .body
            .as_ref()
            .and_then(|b| b.get("query_params"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        if params.is_empty() {
            continue;
        }
        let urls = success_body(case)
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
        checked.check(problems.is_empty(), || {
            format!("{}: {}", case.cassette.name(), problems.join("; "))
        });
    }
    checked
}

fn include_allowed(specs: &Specs, cases: &[Case<'_>]) -> Checked {
    let mut checked = Checked::default();
    let documented: BTreeSet<&str> = DOCUMENTED_INCLUDES.into_iter().collect();
    // The SDK's enum: exactly the documented values, each round-tripping, nothing else parsing.
    let schema = serde_json::to_value(schemars::schema_for!(Include)).unwrap_or_default();
    let sdk_values: BTreeSet<String> = schema
        .get("enum")
        .and_then(Value::as_array)
        .map(|values| values.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    let sdk_set: BTreeSet<&str> = sdk_values.iter().map(String::as_str).collect();
    checked.check(sdk_set == documented, || {
        format!("the SDK's Include enum holds {sdk_set:?}")
    });
    for value in DOCUMENTED_INCLUDES {
        let parsed = value.parse::<Include>().ok().map(|i| i.to_string());
        checked.check(parsed.as_deref() == Some(value), || {
            format!("{value} does not round-trip through Include")
        });
    }
    for bogus in ["line_items", "redirect_url", "promotions", "REDIRECT_URLS", ""] {
        checked.check(bogus.parse::<Include>().is_err(), || {
            format!("Include accepts {bogus:?}")
        });
    }
    // The spec: one Include enum with exactly those values.
    let spec_values: BTreeSet<&str> = specs
        .doc(Api::CartsV3)
        .pointer("/components/schemas/Include/enum")
        .and_then(Value::as_array)
        .map(|values| values.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    checked.check(spec_values == documented, || {
        format!("spec/carts.v3.yaml's Include holds {spec_values:?}")
    });
    // Every include sent in a management cassette is documented.
    for case in cases.iter().filter(|c| c.cassette.api() == Api::CartsV3) {
        for value in include_values(case.cassette.request.query.as_deref()) {
            checked.check(documented.contains(value.as_str()), || {
                format!("{}: include={value} is not documented", case.cassette.name())
            });
        }
    }
    checked
}

/// The `include` values of a query string.
fn include_values(query: Option<&str>) -> Vec<String> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(k, _)| k == "include")
        .flat_map(|(_, v)| v.split(',').map(str::to_string).collect::<Vec<_>>())
        .collect()
}

fn include_wire(cases: &[Case<'_>], subsets: &[(Vec<Include>, Option<String>)]) -> Checked {
    let mut checked = Checked::default();
    for (subset, sent) in subsets {
        let expected = if subset.is_empty() {
            None
        } else {
            Some(format!(
                "include={}",
                subset.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
            ))
        };
        checked.check(*sent == expected, || {
            format!("{subset:?} went out as {sent:?}, expected {expected:?}")
        });
    }
    for case in cases {
        let Some(sent) = &case.replay.sent else { continue };
        let keys = url::form_urlencoded::parse(sent.query.as_deref().unwrap_or_default().as_bytes())
            .filter(|(k, _)| k == "include")
            .count();
        if keys > 0 {
            checked.check(keys == 1, || {
                format!(
                    "{}: include sent as {keys} repeated keys: {:?}",
                    case.cassette.name(),
                    sent.query
                )
            });
        }
    }
    checked
}

fn include_redirect_urls(cases: &[Case<'_>]) -> Checked {
    let mut checked = Checked::default();
    for case in cases
        .iter()
        .filter(|c| is(c, Api::CartsV3, "createCart") && c.cassette.is_success())
    {
        if !include_values(case.cassette.request.query.as_deref())
            .iter()
            .any(|v| v == "redirect_urls")
        {
            continue;
        }
        let body = success_body(case);
        let cart_id = body
            .and_then(|b| b.pointer("/data/id"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let problems = match body.and_then(|b| b.pointer("/data/redirect_urls")) {
            None => vec!["data.redirect_urls is missing".to_string()],
            Some(urls) => match serde_json::from_value::<RedirectUrls>(urls.clone()) {
                Ok(urls) => redirect_url_problems(&urls, cart_id),
                Err(e) => vec![format!("data.redirect_urls is not redirect URLs: {e}")],
            },
        };
        checked.check(problems.is_empty(), || {
            format!("{}: {}", case.cassette.name(), problems.join("; "))
        });
    }
    checked
}

/// Every cart object in success bodies: (case, cart JSON).
fn carts<'a>(cases: &'a [Case<'a>]) -> Vec<(&'a Case<'a>, &'a Value)> {
    let mut out = Vec::new();
    for case in cases {
        let Some(body) = success_body(case) else { continue };
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

fn cart_id(cases: &[Case<'_>]) -> Checked {
    let mut checked = Checked::default();
    for (case, cart) in carts(cases) {
        let id = cart.get("id").and_then(Value::as_str);
        checked.check(id.is_some_and(|id| uuid::Uuid::parse_str(id).is_ok()), || {
            format!("{}: cart id {id:?} is not a UUID", case.cassette.name())
        });
        // Where the cart comes with a checkout URL, that URL names the same id.
        if let (Some(id), Some(checkout)) = (id, cart.pointer("/redirect_urls/checkout_url").and_then(Value::as_str)) {
            let named = url::Url::parse(checkout)
                .ok()
                .and_then(|u| u.query_pairs().find(|(k, _)| k == "id").map(|(_, v)| v.into_owned()));
            checked.check(named.as_deref() == Some(id), || {
                format!(
                    "{}: checkout id {named:?} differs from cart id {id}",
                    case.cassette.name()
                )
            });
        }
    }
    checked
}

fn channel_default(cases: &[Case<'_>]) -> Checked {
    let mut checked = Checked::default();
    for case in cases
        .iter()
        .filter(|c| is(c, Api::CartsV3, "createCart") && c.cassette.is_success())
    {
        let sent_channel = case.cassette.request.body.as_ref().and_then(|b| b.get("channel_id"));
        if sent_channel.is_some() {
            continue;
        }
        let channel = success_body(case)
            .and_then(|b| b.pointer("/data/channel_id"))
            .and_then(Value::as_i64);
        checked.check(channel == Some(1), || {
            format!("{}: channel_id {channel:?} without one asked", case.cassette.name())
        });
    }
    checked
}

fn locale(cases: &[Case<'_>]) -> Checked {
    let mut checked = Checked::default();
    let valid = |l: &str| {
        let b = l.as_bytes();
        (b.len() == 2 && b.iter().all(u8::is_ascii_lowercase))
            || (b.len() == 5
                && b[..2].iter().all(u8::is_ascii_lowercase)
                && b[2] == b'-'
                && b[3..].iter().all(u8::is_ascii_uppercase))
    };
    for (case, cart) in carts(cases) {
        if let Some(locale) = cart.get("locale").and_then(Value::as_str) {
            checked.check(valid(locale), || format!("{}: locale {locale:?}", case.cassette.name()));
        }
    }
    for case in cases.iter().filter(|c| c.cassette.api() == Api::CartsV3) {
        if let Some(locale) = case
            .cassette
            .request
            .body
            .as_ref()
            .and_then(|b| b.get("locale"))
            .and_then(Value::as_str)
        {
            checked.check(valid(locale), || {
                format!("{}: request locale {locale:?}", case.cassette.name())
            });
        }
    }
    checked
}

fn option_value_forms(cases: &[Case<'_>]) -> Checked {
    let mut checked = Checked::default();
    // The SDK can send each documented form, and reads each back as the same form.
    let date = OptionDateValue {
        day: "09".into(),
        month: "11".into(),
        year: "2026".into(),
    };
    let forms: [(OptionValue, Value); 4] = [
        (OptionValue::Id(205), json!(205)),
        (OptionValue::Text("Engraved: Ada".into()), json!("Engraved: Ada")),
        (OptionValue::Id(1_794_211_200), json!(1_794_211_200)),
        (
            OptionValue::Date(date),
            json!({"day": "09", "month": "11", "year": "2026"}),
        ),
    ];
    for (value, wire) in forms {
        let sent = serde_json::to_value(&value).ok();
        let read = serde_json::from_value::<OptionValue>(wire.clone()).ok();
        checked.check(sent.as_ref() == Some(&wire) && read.as_ref() == Some(&value), || {
            format!("{value:?} goes out as {sent:?} and reads back as {read:?}")
        });
    }
    // Every option value in the recorded requests is one of the forms.
    for case in cases.iter().filter(|c| c.cassette.api() == Api::CartsV3) {
        let mut values = Vec::new();
        if let Some(body) = &case.cassette.request.body {
            collect_option_values(body, &mut values);
        }
        for value in values {
            let ok = value.is_i64()
                || value.is_u64()
                || value.is_string()
                || ["day", "month", "year"]
                    .iter()
                    .all(|k| value.get(k).is_some_and(Value::is_string));
            let is_file = value.get("originalName").is_some();
            checked.check(ok || is_file, || {
                format!("{}: option_value {value}", case.cassette.name())
            });
        }
    }
    checked
}

fn collect_option_values(value: &Value, out: &mut Vec<Value>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "option_value" {
                    out.push(v.clone());
                } else {
                    collect_option_values(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_option_values(v, out)),
        _ => {}
    }
}

fn error_envelope(cases: &[Case<'_>]) -> Checked {
    let mut checked = Checked::default();
    for case in cases.iter().filter(|c| c.cassette.response.status >= 400) {
        let Some(recorded) = &case.cassette.response.body else {
            continue;
        };
        let problems: Vec<String> = match &case.replay.outcome {
            Outcome::ErrorBody {
                body: Some(body),
                status,
            } => {
                let mut problems: Vec<String> = crate::compare::differences(recorded, body)
                    .iter()
                    .map(|m| format!("envelope {m}"))
                    .collect();
                if let Some(inner) = body.get("status").and_then(Value::as_u64)
                    && inner != u64::from(*status)
                {
                    problems.push(format!("envelope status {inner} differs from HTTP {status}"));
                }
                if !["status", "title", "type", "detail", "errors"]
                    .iter()
                    .any(|k| body.get(k).is_some())
                {
                    problems.push("none of status, title, type, detail, errors decoded".into());
                }
                problems
            }
            other => vec![format!("did not decode as the error envelope: {other:?}")],
        };
        checked.check(problems.is_empty(), || {
            format!("{}: {}", case.cassette.name(), problems.join("; "))
        });
    }
    checked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(cart: &str, checkout: &str, embedded: &str) -> RedirectUrls {
        RedirectUrls {
            cart_url: cart.into(),
            checkout_url: checkout.into(),
            embedded_checkout_url: embedded.into(),
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
        let bad = RedirectUrls {
            cart_url: format!("http://shop.example.com/cart.php?action=load&id={ID}&token=x"),
            checkout_url: "https://shop.example.com/checkout?action=loadInCheckout&id=other&token=x".into(),
            embedded_checkout_url: String::new(),
            extra: Default::default(),
        };
        let problems = redirect_url_problems(&bad, ID);
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].contains("cart_url is not an https URL"));
        assert!(problems[1].contains("checkout_url does not point at /cart.php"));
        assert!(problems[2].contains("checkout_url names cart Some(\"other\")"));
        assert_eq!(problems[3], "embedded_checkout_url is missing");
    }

    #[test]
    fn a_rule_without_cases_fails_and_stateful_rules_are_not_checkable() {
        let none = Checked::default().into_result("x", "y");
        assert_eq!(none.result, Verdict::Fail);
        let stateful = Checked::not_checkable(NEEDS_TIME_OR_STATE).into_result("x", "y");
        assert_eq!((stateful.result, stateful.cases), (Verdict::NotCheckable, 0));
    }

    #[test]
    fn include_values_come_from_the_query() {
        assert_eq!(
            include_values(Some("include=redirect_urls,promotions.banners&x=1")),
            ["redirect_urls", "promotions.banners"]
        );
        assert!(include_values(None).is_empty());
    }
}
