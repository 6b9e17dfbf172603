//! Comparing a recorded JSON body with what the SDK made of it, reporting each
//! difference by its JSON key path.
//!
//! JSON does not tell `545` from `545.0`, so numbers compare by value in both
//! modes. Typed response values re-serialize the same information in a
//! canonical spelling, so [`Mode::Response`] also treats as equal:
//! - a `null` member and an absent one (optional fields are `Option`s that
//!   are skipped when `None`);
//! - an empty array or object and an absent member, and `null` and either
//!   (lists that an answer may leave out or send as `null` are read as
//!   empty and written back as `[]`; a group of lists, such as `line_items`,
//!   left out is written back with each list empty): see [`says_nothing`];
//! - timestamps naming the same instant (`+00:00` and `Z`);
//! - a recorded numeric string and the same integer: ids the API sends both
//!   ways (`parentId: "6"`) are `i64` in the SDK and written as numbers. A
//!   field the SDK keeps as text writes its string back unchanged, so this
//!   cannot hide a change of a text field.
//!
//! [`Mode::Request`] allows nothing else: what the SDK sends must be what was
//! recorded, since an explicit `null` or `[]` can mean something to the API.
//! Everything else must match: a field dropped or added, a changed value or
//! type is a mismatch.

use serde_json::{Map, Value};

/// One difference between the recorded and the re-serialized body.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// Where, as a JSON path (`$.data.line_items.physical_items[0].sku`).
    pub path: String,
    /// The recorded value (`None` when the SDK added the member).
    pub recorded: Option<Value>,
    /// The SDK's value (`None` when the SDK lost the member).
    pub sdk: Option<Value>,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.recorded, &self.sdk) {
            (Some(recorded), None) => write!(f, "{}: lost (recorded {recorded})", self.path),
            (None, Some(sdk)) => write!(f, "{}: added by the SDK ({sdk})", self.path),
            (Some(recorded), Some(sdk)) => write!(f, "{}: recorded {recorded}, SDK {sdk}", self.path),
            (None, None) => write!(f, "{}: differs", self.path),
        }
    }
}

/// How strict a comparison is; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A request the SDK sent: numbers by value, nothing else relaxed.
    Request,
    /// A response the SDK decoded and re-serialized.
    Response,
}

/// Every difference between a recorded response body and the SDK's
/// re-serialization of it, members in key order.
pub fn differences(recorded: &Value, sdk: &Value) -> Vec<Mismatch> {
    differences_in(Mode::Response, recorded, sdk)
}

/// Every difference between `recorded` and `sdk` under `mode`, members in key order.
pub fn differences_in(mode: Mode, recorded: &Value, sdk: &Value) -> Vec<Mismatch> {
    let mut out = Vec::new();
    walk(mode, "$", recorded, sdk, &mut out);
    out
}

fn walk(mode: Mode, path: &str, recorded: &Value, sdk: &Value, out: &mut Vec<Mismatch>) {
    match (recorded, sdk) {
        (Value::Object(a), Value::Object(b)) => objects(mode, path, a, b, out),
        (Value::Array(a), Value::Array(b)) => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                walk(mode, &format!("{path}[{index}]"), x, y, out);
            }
            for (index, x) in a.iter().enumerate().skip(b.len()) {
                out.push(Mismatch {
                    path: format!("{path}[{index}]"),
                    recorded: Some(x.clone()),
                    sdk: None,
                });
            }
            for (index, y) in b.iter().enumerate().skip(a.len()) {
                out.push(Mismatch {
                    path: format!("{path}[{index}]"),
                    recorded: None,
                    sdk: Some(y.clone()),
                });
            }
        }
        (a, b) if scalars_equal(mode, a, b) || null_for_nothing(mode, a, b) => {}
        (a, b) => out.push(Mismatch {
            path: path.to_string(),
            recorded: Some(a.clone()),
            sdk: Some(b.clone()),
        }),
    }
}

/// Whether an absent member says the same as `value` (response mode only).
fn same_as_absent(mode: Mode, value: &Value) -> bool {
    mode == Mode::Response && says_nothing(value)
}

/// Whether one side is `null` and the other carries nothing (a list sent as
/// `null` and written back as `[]`), in response mode only.
fn null_for_nothing(mode: Mode, a: &Value, b: &Value) -> bool {
    (a.is_null() || b.is_null()) && same_as_absent(mode, a) && same_as_absent(mode, b)
}

/// Whether `value` carries nothing: `null`, an empty list, or an object whose
/// members all carry nothing (`{}`, `{"physical_items": []}`).
pub fn says_nothing(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(members) => members.values().all(says_nothing),
        _ => false,
    }
}

fn objects(mode: Mode, path: &str, a: &Map<String, Value>, b: &Map<String, Value>, out: &mut Vec<Mismatch>) {
    for (key, x) in a {
        let child = member_path(path, key);
        match b.get(key) {
            Some(y) => walk(mode, &child, x, y, out),
            None if same_as_absent(mode, x) => {}
            None => out.push(Mismatch {
                path: child,
                recorded: Some(x.clone()),
                sdk: None,
            }),
        }
    }
    for (key, y) in b {
        if !a.contains_key(key) && !same_as_absent(mode, y) {
            out.push(Mismatch {
                path: member_path(path, key),
                recorded: None,
                sdk: Some(y.clone()),
            });
        }
    }
}

fn member_path(path: &str, key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("{path}.{key}")
    } else {
        format!("{path}[{key:?}]")
    }
}

fn scalars_equal(mode: Mode, a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) => x == y || (mode == Mode::Response && same_instant(x, y)),
        (Value::String(text), Value::Number(number)) if mode == Mode::Response => {
            number.as_i64().is_some_and(|n| text.trim().parse::<i64>() == Ok(n))
        }
        _ => a == b,
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_numeric_string_id_read_as_a_number_is_the_same_value() {
        assert!(differences(&json!({"parentId": "6"}), &json!({"parentId": 6})).is_empty());
        assert_eq!(differences(&json!({"parentId": "6"}), &json!({"parentId": 7})).len(), 1);
        assert_eq!(
            differences(&json!({"sku": 6}), &json!({"sku": "6"})).len(),
            1,
            "not the other way"
        );
        assert_eq!(
            differences_in(Mode::Request, &json!({"parentId": "6"}), &json!({"parentId": 6})).len(),
            1,
            "requests go out as recorded"
        );
    }

    #[test]
    fn lists_and_groups_that_say_nothing_are_equal_in_answers_only() {
        let recorded = json!({"options": null, "line_items": null, "coupons": []});
        let sdk = json!({"options": [], "line_items": {"physical_items": [], "digital_items": []}});
        assert_eq!(differences(&recorded, &sdk), vec![]);
        assert_eq!(differences_in(Mode::Request, &recorded, &sdk).len(), 3);
        let found = differences(
            &json!({"line_items": null}),
            &json!({"line_items": {"physical_items": [1]}}),
        );
        assert_eq!(found.len(), 1, "a list with an item says something");
    }

    #[test]
    fn canonical_spellings_are_equal() {
        let recorded = json!({"a": 545, "t": "2026-03-01T10:00:00+00:00", "n": null, "list": [1, 2]});
        let sdk = json!({"a": 545.0, "t": "2026-03-01T10:00:00Z", "list": [1, 2]});
        assert_eq!(differences(&recorded, &sdk), vec![]);
    }

    #[test]
    fn lost_added_and_changed_members_are_reported_by_path() {
        let recorded = json!({"data": {"line_items": {"physical_items": [{"sku": "A", "name": "x"}]}, "id": "1"}});
        let sdk = json!({"data": {"line_items": {"physical_items": [{"sku": "B"}]}, "id": "1", "extra": 2}});
        let found: Vec<String> = differences(&recorded, &sdk).iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "$.data.line_items.physical_items[0].name: lost (recorded \"x\")",
                "$.data.line_items.physical_items[0].sku: recorded \"A\", SDK \"B\"",
                "$.data.extra: added by the SDK (2)",
            ]
        );
    }

    #[test]
    fn odd_keys_are_quoted_and_arrays_compare_by_length() {
        let found = differences(&json!({"key:in": [1, 2]}), &json!({"key:in": [1]}));
        assert_eq!(found[0].path, "$[\"key:in\"][1]");
        assert_eq!(found[0].sdk, None);
    }

    #[test]
    fn requests_compare_strictly_but_for_number_spelling() {
        let recorded = json!({"amount": 30, "note": null, "list": [], "t": "2026-03-01T10:00:00+00:00"});
        let sent = json!({"amount": 30.0, "t": "2026-03-01T10:00:00Z"});
        let found: Vec<String> = differences_in(Mode::Request, &recorded, &sent)
            .iter()
            .map(|m| m.path.clone())
            .collect();
        assert_eq!(found, ["$.list", "$.note", "$.t"]);
        assert_eq!(differences(&recorded, &sent), vec![]);
    }

    #[test]
    fn different_instants_and_types_differ() {
        assert_eq!(
            differences(&json!("2026-03-01T10:00:00Z"), &json!("2026-03-01T11:00:00Z")).len(),
            1
        );
        assert_eq!(differences(&json!([]), &json!({})).len(), 1);
        assert_eq!(differences(&json!("1.5"), &json!(1.5)).len(), 1);
        assert_eq!(differences(&json!(true), &json!("true")).len(), 1);
    }
}
