//! Rule `tolerant_answers`: an answer that leaves out a field still decodes.

use std::collections::BTreeSet;

use anyhow::Result;
use carts_openapi::{ALWAYS_PRESENT, child, follow, is_identity_or_money};
use serde_json::{Value, json};

use super::Applied;
use super::walk::{for_each_schema, response_places, within};

/// Written by this rule for the generator's pass `absent_defaults`: the
/// fields of an object that are listed in `required`, so that typify writes
/// them back even when empty or null, but that read an absent value (and a
/// `null` list) as their default.
pub const ABSENT_AS_DEFAULT: &str = "x-absent-as-default";

/// The published specs require almost nothing of an answer, and older stores
/// leave out fields that BigCommerce added later, so a field our spec marks
/// as always present can still be missing from a real answer. typify makes
/// every required field a plain type, and a plain field that is missing fails
/// the whole answer. The policy (spec/README.md, "Required fields"):
/// - a field the published spec requires stays required;
/// - an identity or money field (`carts_openapi::is_identity_or_money`) that
///   our spec marks always present becomes required: an answer without it
///   has no meaning to decode;
/// - a list, a map, a nullable field, and an object made only of lists (an
///   item group such as `line_items`) that is not required by either is listed
///   in `required` and in [`ABSENT_AS_DEFAULT`]: typify then writes it back
///   as it came (`[]`, `{}`, `null`), and the pass `absent_defaults` reads it
///   as its default when it is absent or, for all but a nullable field, `null`.
///   The pass finds a struct by its component's name, so an object written in
///   place (an operation's own answer schema) keeps such fields optional:
///   typify reads an absent list or map as empty, and leaves an empty one out;
/// - every other field stays optional, an `Option`.
///
/// The rule acts on the objects answers can reach; request bodies are built
/// by callers and keep their spec. The JSON a validator accepts only grows:
/// the contract tests validate answers against the spec as written.
pub(super) fn tolerant_answers(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    let answers = response_places(doc);
    let snapshot = doc.clone();
    for_each_schema(doc, &mut |schema, place| {
        if !within(&place.pointer, &answers) {
            return;
        }
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return;
        };
        let names = |key: &str| -> BTreeSet<String> {
            schema
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        };
        // The pass that reads these fields finds a struct by its component's name.
        let is_component = carts_openapi::unescape(&place.pointer)
            .strip_prefix("/components/schemas/")
            .is_some_and(|name| !name.contains('/'));
        let mut required = names("required");
        let always = names(ALWAYS_PRESENT);
        let mut absent_as_default = names(ABSENT_AS_DEFAULT);
        let mut acted = Vec::new();
        for (name, property) in properties {
            if required.contains(name) {
                continue;
            }
            if always.contains(name) && is_identity_or_money(&snapshot, &place.pointer, name, property) {
                required.insert(name.clone());
                acted.push((name.clone(), "identity or money, always present: required"));
            } else if is_component && has_default(&snapshot, property) {
                required.insert(name.clone());
                absent_as_default.insert(name.clone());
                acted.push((name.clone(), "written back as it came, read as its default when absent"));
            }
        }
        if acted.is_empty() {
            return;
        }
        let list = |set: &BTreeSet<String>| -> Value { set.iter().cloned().map(Value::String).collect() };
        let (required, absent_as_default) = (list(&required), list(&absent_as_default));
        for (name, detail) in acted {
            applied.push(Applied {
                rule: "tolerant_answers",
                pointer: child(&child(&place.pointer, "properties"), &name),
                detail: detail.into(),
            });
        }
        schema.insert("required".into(), required);
        if absent_as_default.as_array().is_some_and(|a| !a.is_empty()) {
            schema.insert(ABSENT_AS_DEFAULT.into(), absent_as_default);
        }
    });
    Ok(())
}

/// The schema a property stands for: its `$ref` followed, and a lone `allOf`
/// member (how a property with its own description refers to a component).
fn target<'a>(doc: &'a Value, property: &'a Value) -> (&'a Value, String) {
    let (mut value, mut at) = follow(doc, property, "");
    if let Some([only]) = value.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
        (value, at) = follow(doc, only, &at);
    }
    (value, at)
}

/// A list, a map, a nullable field, or an object whose every field is a
/// list: each has a value that stands for "nothing" (`[]`, `{}`, `null`, all
/// lists empty).
fn has_default(doc: &Value, property: &Value) -> bool {
    let (schema, _) = target(doc, property);
    if property.get("nullable") == Some(&json!(true)) || schema.get("nullable") == Some(&json!(true)) {
        return true;
    }
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        return true;
    }
    // A map written in place is a plain map in Rust, read as empty when left
    // out; a map component is a type of its own, optional like any other.
    let is_map = schema.get("properties").is_none()
        && property.get("$ref").is_none()
        && property.get("allOf").is_none()
        && schema
            .get("additionalProperties")
            .is_some_and(|values| values.as_object().is_some_and(|v| !v.is_empty()));
    if is_map {
        return true;
    }
    schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|fields| {
            !fields.is_empty()
                && fields
                    .values()
                    .all(|field| target(doc, field).0.get("type").and_then(Value::as_str) == Some("array"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::tests::run;

    fn answer(schemas: Value) -> Value {
        json!({
            "paths": {"/c": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json":
                {"schema": {"$ref": "#/components/schemas/Cart"}}}}}}}},
            "components": {"schemas": schemas}
        })
    }

    #[test]
    fn only_identity_and_money_become_required_and_lists_read_absent_as_empty() {
        let (doc, applied) = run(
            tolerant_answers,
            answer(json!({
                "Cart": {
                    "type": "object",
                    "required": ["channel_id"],
                    "x-always-present": ["id", "email", "cart_amount", "coupons", "parent_id", "line_items", "currency"],
                    "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "channel_id": {"type": "integer"},
                        "email": {"type": "string"},
                        "cart_amount": {"type": "number", "format": "decimal"},
                        "coupons": {"type": "array", "items": {"type": "string"}},
                        "parent_id": {"type": "integer", "nullable": true},
                        "line_items": {"allOf": [{"$ref": "#/components/schemas/LineItems"}]},
                        "currency": {"$ref": "#/components/schemas/Currency"},
                        "locale": {"type": "string"}
                    }
                },
                "LineItems": {"type": "object", "properties": {"physical_items": {"type": "array", "items": {}}}},
                "Currency": {"type": "object", "x-always-present": ["code"], "properties": {"code": {"type": "string"}}}
            })),
        );
        let cart = &doc["components"]["schemas"]["Cart"];
        assert_eq!(
            cart["required"],
            json!([
                "cart_amount",
                "channel_id",
                "coupons",
                "currency",
                "id",
                "line_items",
                "parent_id"
            ])
        );
        assert_eq!(
            cart["x-absent-as-default"],
            json!(["coupons", "line_items", "parent_id"])
        );
        assert_eq!(doc["components"]["schemas"]["Currency"]["required"], json!(["code"]));
        // The group of lists reads absent as empty too.
        assert_eq!(
            doc["components"]["schemas"]["LineItems"]["x-absent-as-default"],
            json!(["physical_items"])
        );
        // `email` is always present but neither identity nor money: it stays optional.
        assert!(applied.iter().all(|a| !a.pointer.ends_with("/email")));
        assert_eq!(applied.len(), 8, "{applied:#?}");
    }

    #[test]
    fn an_object_written_in_place_keeps_its_lists_optional() {
        let mut doc = answer(json!({"Cart": {"type": "object", "properties": {}}}));
        doc["paths"]["/c"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = json!({
            "type": "object", "x-always-present": ["data", "notes"],
            "properties": {"data": {"type": "string"}, "notes": {"type": "array", "items": {}}}
        });
        let (doc, _) = run(tolerant_answers, doc);
        let schema = &doc["paths"]["/c"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(schema["required"], json!(["data"]));
        assert_eq!(schema.get(ABSENT_AS_DEFAULT), None);
    }

    #[test]
    fn request_bodies_are_left_as_written() {
        let mut doc = answer(json!({"Cart": {"type": "object", "properties": {}}}));
        doc["components"]["schemas"]["Request"] = json!({"type": "object", "x-always-present": ["id"], "properties": {"id": {"type": "string"}, "tags": {"type": "array"}}});
        let (doc, applied) = run(tolerant_answers, doc);
        assert_eq!(applied, vec![]);
        assert_eq!(doc["components"]["schemas"]["Request"].get("required"), None);
    }
}
