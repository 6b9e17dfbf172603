//! OpenAPI 3.0 schemas as JSON Schema (draft 7), for validating bodies with
//! the `jsonschema` crate.

use serde_json::Value;

/// Rewrites an OpenAPI 3.0 schema into JSON Schema: `nullable` adds `null`,
/// references move from `#/components/schemas/` to `#/definitions/`, and
/// OpenAPI-only keywords are dropped.
pub fn to_json_schema(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (key, value) in map {
                match key.as_str() {
                    "$ref" => {
                        let target = value
                            .as_str()
                            .unwrap_or_default()
                            .replace("#/components/schemas/", "#/definitions/");
                        out.insert(key.clone(), Value::String(target));
                    }
                    "nullable" | "example" | "examples" | "discriminator" | "xml" | "externalDocs" | "readOnly"
                    | "writeOnly" | "deprecated" => {}
                    k if k.starts_with("x-") => {}
                    "properties" => {
                        let props = value
                            .as_object()
                            .map(|p| p.iter().map(|(k, v)| (k.clone(), to_json_schema(v))).collect())
                            .unwrap_or_default();
                        out.insert(key.clone(), Value::Object(props));
                    }
                    "enum" | "required" | "default" => {
                        out.insert(key.clone(), value.clone());
                    }
                    _ => {
                        out.insert(key.clone(), to_json_schema(value));
                    }
                }
            }
            if map.get("nullable").and_then(Value::as_bool) == Some(true) {
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    values.push(Value::Null);
                }
                return serde_json::json!({ "anyOf": [Value::Object(out), { "type": "null" }] });
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        other => other.clone(),
    }
}

/// A self-contained JSON Schema (draft 7) for `schema` of `doc`: the
/// document's component schemas, converted, go under `definitions`.
pub fn self_contained(doc: &Value, schema: &Value) -> Value {
    let definitions: serde_json::Map<String, Value> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| {
            schemas
                .iter()
                .map(|(name, s)| (name.clone(), to_json_schema(s)))
                .collect()
        })
        .unwrap_or_default();
    serde_json::json!({ "allOf": [to_json_schema(schema)], "definitions": definitions })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nullable_and_references_become_json_schema() {
        let schema = to_json_schema(&json!({
            "type": "integer", "nullable": true, "x-deviation": "why", "example": 3
        }));
        assert_eq!(schema, json!({"anyOf": [{"type": "integer"}, {"type": "null"}]}));
        let schema = to_json_schema(&json!({"properties": {"enum": {"$ref": "#/components/schemas/Include"}}}));
        assert_eq!(
            schema,
            json!({"properties": {"enum": {"$ref": "#/definitions/Include"}}})
        );
    }

    #[test]
    fn a_self_contained_schema_carries_the_components() {
        let doc = json!({"components": {"schemas": {"Id": {"type": "integer", "nullable": true}}}});
        let schema = self_contained(&doc, &json!({"$ref": "#/components/schemas/Id"}));
        assert_eq!(
            schema,
            json!({
                "allOf": [{"$ref": "#/definitions/Id"}],
                "definitions": {"Id": {"anyOf": [{"type": "integer"}, {"type": "null"}]}}
            })
        );
    }
}
