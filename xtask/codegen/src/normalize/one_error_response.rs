//! Rule `one_error_response`: one error body per operation, as `4XX` and `5XX`.

use std::collections::BTreeSet;

use anyhow::Result;
use carts_openapi::{Status, deref, operations};
use serde_json::{Map, Value, json};

use super::Applied;
use super::merged::{Merged, json_schema};

/// progenitor gives each operation one error type and panics when documented
/// error responses carry different bodies (several settings and metafield
/// operations of the published spec). Statuses the document does not list
/// come back as an undecoded "unexpected response", so a 422 on an operation
/// that documents only 409 loses its error message.
///
/// The rule replaces the error responses (4xx, 5xx, `default`) with `4XX` and
/// `5XX` responses carrying one body: the documented one; any JSON when the
/// documented ones differ (the SDK decodes the envelope itself); for an
/// operation that documents no error, the API's error envelope when the whole
/// document uses exactly one. Every documented error still decodes, and
/// undocumented ones keep their message.
pub(super) fn one_error_response(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    let envelope = api_error_envelope(doc);
    for op in operations(doc) {
        let pointer = format!("{}/responses", op.pointer);
        let Some(responses) = doc.pointer(&pointer).and_then(Value::as_object).cloned() else {
            continue;
        };
        let keys: Vec<&String> = responses
            .keys()
            .filter(|k| Status::parse(k).is_error_or_default())
            .collect();
        if keys.len() == 2 && keys.iter().all(|k| *k == "4XX" || *k == "5XX") {
            continue;
        }
        let mut merged = Merged::default();
        for key in &keys {
            merged.add(key, deref(doc, &responses[key.as_str()]));
        }
        let schema = match merged.bodies.len() {
            0 => envelope.clone(),
            1 => Some(merged.bodies[0].clone()),
            _ => Some(json!({})),
        };
        if keys.is_empty() && schema.is_none() {
            continue;
        }
        let description = if keys.is_empty() {
            "Error; none documented for this operation, answered in the API's error envelope.".to_string()
        } else {
            merged.description("error")
        };
        let mut response = Map::new();
        response.insert("description".into(), Value::String(description));
        if let Some(schema) = schema {
            response.insert("content".into(), json!({ "application/json": { "schema": schema } }));
        }
        response.insert("x-documented-statuses".into(), json!(merged.statuses));
        let target = doc
            .pointer_mut(&pointer)
            .and_then(Value::as_object_mut)
            .expect("read above");
        target.retain(|key, _| !keys.contains(&key));
        target.insert("4XX".into(), Value::Object(response.clone()));
        target.insert("5XX".into(), Value::Object(response));
        applied.push(Applied {
            rule: "one_error_response",
            pointer,
            detail: if keys.is_empty() {
                "no error documented; 4XX and 5XX added with the API's error envelope".into()
            } else {
                format!("{} merged into 4XX and 5XX", merged.statuses.join(", "))
            },
        });
    }
    Ok(())
}

/// The JSON error body the whole document uses, when it uses exactly one.
pub fn api_error_envelope(doc: &Value) -> Option<Value> {
    let mut bodies = BTreeSet::new();
    for op in operations(doc) {
        let pointer = format!("{}/responses", op.pointer);
        let Some(responses) = doc.pointer(&pointer).and_then(Value::as_object) else {
            continue;
        };
        for (key, response) in responses {
            if Status::parse(key).is_error_or_default()
                && let Some(schema) = json_schema(deref(doc, response))
            {
                bodies.insert(schema.to_string());
            }
        }
    }
    match bodies.len() {
        1 => bodies.into_iter().next().and_then(|s| serde_json::from_str(&s).ok()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::tests::run;

    #[test]
    fn one_error_response_merges_errors_and_fills_in_the_api_envelope() {
        let envelope = json!({"$ref": "#/components/schemas/ErrorBody"});
        let (doc, applied) = run(
            one_error_response,
            json!({"paths": {
                "/a": {"get": {"responses": {
                    "200": {"description": "ok"},
                    "404": {"description": "Missing.", "content": {"application/json": {"schema": envelope}}},
                    "default": {"description": "Other."}
                }}},
                "/b": {"get": {"responses": {"200": {"description": "ok"}}}}
            }}),
        );
        for path in ["/a", "/b"] {
            let responses = &doc["paths"][path]["get"]["responses"];
            let keys: Vec<&String> = responses.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["200", "4XX", "5XX"], "{path}");
            assert_eq!(
                responses["4XX"]["content"]["application/json"]["schema"], envelope,
                "{path}"
            );
        }
        assert_eq!(applied.len(), 2);
    }

    #[test]
    fn one_error_response_accepts_any_json_when_documented_bodies_differ() {
        let (doc, _) = run(
            one_error_response,
            json!({"paths": {"/a": {"put": {"responses": {
                "400": {"description": "A.", "content": {"application/json": {"schema": {"$ref": "#/x/A"}}}},
                "422": {"description": "B.", "content": {"application/json": {"schema": {"$ref": "#/x/B"}}}}
            }}}}}),
        );
        assert_eq!(
            doc["paths"]["/a"]["put"]["responses"]["5XX"]["content"]["application/json"]["schema"],
            json!({})
        );
    }
}
