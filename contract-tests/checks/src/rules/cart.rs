//! Rules on carts as answered: id, channel, locale, option values.

use bigcommerce_carts::carts::types::{OptionDateValue, OptionValue};
use serde_json::{Value, json};

use super::select::carts;
use super::{Checked, Evidence};
use crate::cassette::Api;

/// `cart.id`.
pub(super) fn id(evidence: &Evidence<'_>) -> Checked {
    let mut checked = Checked::default();
    for (case, cart) in carts(evidence.cases) {
        let id = cart.get("id").and_then(Value::as_str);
        let is_uuid = id.is_some_and(|id| uuid::Uuid::parse_str(id).is_ok());
        let seen = match (id, is_uuid) {
            (Some(id), true) => format!("id {id}"),
            _ => format!("cart id {id:?} is not a UUID"),
        };
        checked.check(case.name(), is_uuid, seen);
        // Where the cart comes with a checkout URL, that URL names the same id.
        if let (Some(id), Some(checkout)) = (id, cart.pointer("/redirect_urls/checkout_url").and_then(Value::as_str)) {
            let named = url::Url::parse(checkout)
                .ok()
                .and_then(|u| u.query_pairs().find(|(k, _)| k == "id").map(|(_, v)| v.into_owned()));
            let same = named.as_deref() == Some(id);
            let seen = if same {
                "checkout_url names the same id".to_string()
            } else {
                format!("checkout id {named:?} differs from cart id {id}")
            };
            checked.check(case.name(), same, seen);
        }
    }
    checked
}

/// `cart.channel_default`.
pub(super) fn channel_default(evidence: &Evidence<'_>) -> Checked {
    let mut checked = Checked::default();
    for case in evidence
        .cases
        .iter()
        .filter(|c| c.is(Api::CartsV3, "createCart") && c.cassette.is_success())
    {
        let sent_channel = case.cassette.request.body.as_ref().and_then(|b| b.get("channel_id"));
        if sent_channel.is_some() {
            continue;
        }
        let channel = case
            .success_body()
            .and_then(|b| b.pointer("/data/channel_id"))
            .and_then(Value::as_i64);
        checked.check(
            case.name(),
            channel == Some(1),
            format!("none asked, channel_id {channel:?} answered"),
        );
    }
    checked
}

/// `cart.locale`.
pub(super) fn locale(evidence: &Evidence<'_>) -> Checked {
    let mut checked = Checked::default();
    let valid = |l: &str| {
        let b = l.as_bytes();
        (b.len() == 2 && b.iter().all(u8::is_ascii_lowercase))
            || (b.len() == 5
                && b[..2].iter().all(u8::is_ascii_lowercase)
                && b[2] == b'-'
                && b[3..].iter().all(u8::is_ascii_uppercase))
    };
    for (case, cart) in carts(evidence.cases) {
        if let Some(locale) = cart.get("locale").and_then(Value::as_str) {
            checked.check(case.name(), valid(locale), format!("locale {locale:?}"));
        }
    }
    for case in evidence.cases.iter().filter(|c| c.cassette.api() == Api::CartsV3) {
        if let Some(locale) = case
            .cassette
            .request
            .body
            .as_ref()
            .and_then(|b| b.get("locale"))
            .and_then(Value::as_str)
        {
            checked.check(case.name(), valid(locale), format!("request locale {locale:?}"));
        }
    }
    checked
}

/// `option_value.forms`.
pub(super) fn option_value_forms(evidence: &Evidence<'_>) -> Checked {
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
        let read = crate::round_trip::decode::<OptionValue>(&wire).ok();
        checked.check(
            "sdk: OptionValue",
            sent.as_ref() == Some(&wire) && read.as_ref() == Some(&value),
            format!("{value:?} goes out as {sent:?} and reads back as {read:?}"),
        );
    }
    // Every option value in the recorded requests is one of the forms.
    for case in evidence.cases.iter().filter(|c| c.cassette.api() == Api::CartsV3) {
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
            checked.check(case.name(), ok || is_file, format!("option_value {value}"));
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
