//! Rule `keep_unknown_fields`: objects keep the fields the spec does not list.

use anyhow::Result;
use carts_openapi::child;
use serde_json::{Value, json};

use super::Applied;
use super::walk::{for_each_schema, response_places, within};

/// The name typify gives the map of other fields.
const EXTRA: &str = "extra";

/// typify ignores the fields an object's schema does not declare (for
/// `additionalProperties` left out or `true`), so an answer decoded and
/// written again loses them: fields the API adds before the spec lists them,
/// and fields a client does not know yet. `additionalProperties: {}` means
/// the same to a validator (any other field is allowed) and makes typify
/// keep them in a flattened `extra` map that is written back as it came.
/// The rule acts on the objects answers can reach; request-only objects are
/// built by callers, who know their fields. Objects that already say what
/// other fields are (a map's value type, or `false`) are left as they are;
/// an object with a property named `extra` would clash with the map and is
/// an error naming it.
pub(super) fn keep_unknown_fields(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    let answers = response_places(doc);
    let mut clash = None;
    for_each_schema(doc, &mut |schema, place| {
        if !within(&place.pointer, &answers) {
            return;
        }
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return;
        };
        let open = match schema.get("additionalProperties") {
            None | Some(Value::Bool(true)) => true,
            Some(_) => false,
        };
        if !open {
            return;
        }
        if properties.contains_key(EXTRA) {
            clash.get_or_insert_with(|| place.pointer.clone());
            return;
        }
        schema.insert("additionalProperties".into(), json!({}));
        applied.push(Applied {
            rule: "keep_unknown_fields",
            pointer: child(&place.pointer, "additionalProperties"),
            detail: "other fields kept in `extra`".into(),
        });
    });
    if let Some(pointer) = clash {
        anyhow::bail!(
            "at {pointer}/properties/{EXTRA}: a property named `{EXTRA}` clashes with the map that keeps unknown fields"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::tests::run;

    #[test]
    fn open_objects_keep_other_fields_and_maps_stay_maps() {
        let (doc, applied) = run(
            keep_unknown_fields,
            json!({"paths": {"/c": {
                "get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
                    {"type": "object", "properties": {
                        "cart": {"$ref": "#/components/schemas/Cart"},
                        "open": {"$ref": "#/components/schemas/Open"},
                        "map": {"$ref": "#/components/schemas/Map"},
                        "closed": {"$ref": "#/components/schemas/Closed"}
                    }}}}}}},
                "post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Request"}}}}}
            }}, "components": {"schemas": {
                "Request": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Cart": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Open": {"type": "object", "additionalProperties": true, "properties": {"a": {"type": "string"}}},
                "Map": {"type": "object", "additionalProperties": {"type": "string"}},
                "Closed": {"type": "object", "additionalProperties": false, "properties": {"a": {"type": "string"}}}
            }}}),
        );
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Cart"]["additionalProperties"], json!({}));
        assert_eq!(schemas["Open"]["additionalProperties"], json!({}));
        assert_eq!(schemas["Map"]["additionalProperties"], json!({"type": "string"}));
        assert_eq!(schemas["Closed"]["additionalProperties"], json!(false));
        assert!(
            schemas["Request"].get("additionalProperties").is_none(),
            "request-only objects stay"
        );
        assert_eq!(applied.len(), 3, "the answer's inline object too: {applied:?}");
    }

    #[test]
    fn a_property_named_extra_is_refused() {
        let mut doc = json!({
            "paths": {"/c": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json":
                {"schema": {"$ref": "#/components/schemas/Cart"}}}}}}}},
            "components": {"schemas": {"Cart": {"properties": {"extra": {"type": "string"}}}}}
        });
        let error = keep_unknown_fields(&mut doc, &mut Vec::new()).unwrap_err().to_string();
        assert!(
            error.starts_with("at /components/schemas/Cart/properties/extra"),
            "{error}"
        );
    }
}
