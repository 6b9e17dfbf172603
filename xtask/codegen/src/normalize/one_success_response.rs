//! Rule `one_success_response`: one `2XX` response per operation.

use anyhow::Result;
use carts_openapi::{Status, deref, operations};
use serde_json::{Map, Value, json};

use super::Applied;
use super::merged::Merged;

/// progenitor gives each operation one success type and panics when the
/// documented success responses carry different bodies (`deleteCartLineItem`
/// answers 200 with the cart, or 204 with no body when the last item went and
/// the cart with it; a bodiless `default` next to a 200 counts as a second
/// success). It also fails every call that answers a 2xx status the document
/// does not list (a 200 where 201 is documented).
///
/// The rule merges the success responses into one `2XX` response: its body is
/// the one documented body; a `oneOf` of them when they differ; made nullable
/// when one documented status has no body (the SDK reads an empty success body
/// as `null`). The documented statuses stay in the description and in
/// `x-documented-statuses`. Every documented answer still decodes, and the
/// exact status remains on the response for the conformance rules to check.
pub(super) fn one_success_response(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    for op in operations(doc) {
        let pointer = format!("{}/responses", op.pointer);
        let Some(responses) = doc.pointer(&pointer).and_then(Value::as_object).cloned() else {
            continue;
        };
        let explicit_success = responses.keys().any(|k| Status::parse(k).is_success());
        let keys: Vec<&String> = responses
            .keys()
            .filter(|k| match Status::parse(k) {
                Status::Default => !explicit_success,
                status => status.is_success(),
            })
            .collect();
        if keys.is_empty() || (keys.len() == 1 && keys[0] == "2XX") {
            continue;
        }
        let mut merged = Merged::default();
        for key in &keys {
            merged.add(key, deref(doc, &responses[key.as_str()]));
        }
        let mut response = Map::new();
        response.insert("description".into(), Value::String(merged.description("success")));
        if let Some(schema) = merged.success_schema() {
            response.insert("content".into(), json!({ "application/json": { "schema": schema } }));
        } else if let Some(content) = merged.other_content.clone() {
            response.insert("content".into(), Value::Object(content));
        }
        response.insert("x-documented-statuses".into(), json!(merged.statuses));
        let target = doc
            .pointer_mut(&pointer)
            .and_then(Value::as_object_mut)
            .expect("read above");
        let mut rebuilt = Map::new();
        rebuilt.insert("2XX".into(), Value::Object(response));
        for (key, value) in std::mem::take(target) {
            if !keys.contains(&&key) {
                rebuilt.insert(key, value);
            }
        }
        *target = rebuilt;
        applied.push(Applied {
            rule: "one_success_response",
            pointer,
            detail: format!("{} merged into 2XX", merged.statuses.join(", ")),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::tests::run;

    fn cart_ref() -> Value {
        json!({"$ref": "#/components/schemas/Cart"})
    }

    #[test]
    fn one_success_response_makes_a_bodiless_alternative_nullable() {
        let (doc, applied) = run(
            one_success_response,
            json!({"paths": {"/c": {"delete": {"responses": {
                "200": {"description": "Cart.", "content": {"application/json": {"schema": cart_ref()}}},
                "204": {"description": "Gone."},
                "409": {"description": "Conflict."}
            }}}}}),
        );
        let responses = &doc["paths"]["/c"]["delete"]["responses"];
        let keys: Vec<&String> = responses.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["2XX", "409"]);
        assert_eq!(
            responses["2XX"]["content"]["application/json"]["schema"],
            json!({"nullable": true, "allOf": [cart_ref()]})
        );
        assert_eq!(responses["2XX"]["x-documented-statuses"], json!(["200", "204"]));
        assert_eq!(applied.len(), 1);
    }

    #[test]
    fn one_success_response_keeps_a_single_body_and_a_bodiless_default_is_an_error() {
        let (doc, _) = run(
            one_success_response,
            json!({"paths": {"/c": {"post": {"responses": {
                "201": {"description": "Made.", "content": {"application/json": {"schema": cart_ref()}}},
                "default": {"description": "Anything else."}
            }}}}}),
        );
        let responses = &doc["paths"]["/c"]["post"]["responses"];
        assert_eq!(responses["2XX"]["content"]["application/json"]["schema"], cart_ref());
        assert!(
            responses["2XX"]["description"]
                .as_str()
                .unwrap()
                .contains("Documented success statuses: 201.")
        );
        assert!(
            responses.get("default").is_some(),
            "a default beside a success is an error catch-all"
        );
    }

    #[test]
    fn one_success_response_offers_every_differing_body() {
        let other = json!({"type": "object"});
        let (doc, _) = run(
            one_success_response,
            json!({"paths": {"/c": {"post": {"responses": {
                "200": {"description": "A.", "content": {"application/json": {"schema": cart_ref()}}},
                "201": {"description": "B.", "content": {"application/json": {"schema": other}}}
            }}}}}),
        );
        assert_eq!(
            doc["paths"]["/c"]["post"]["responses"]["2XX"]["content"]["application/json"]["schema"],
            json!({"oneOf": [cart_ref(), {"type": "object"}]})
        );
    }
}
