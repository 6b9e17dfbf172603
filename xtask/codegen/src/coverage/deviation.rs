//! The reason our spec gives where it deviates: the text of the
//! `x-deviation` on a parameter or on a field's schema.

use serde_json::Value;

/// The `x-deviation` of the node at `pointer` in `doc` (a parameter object, or a field's schema
/// as written), looked for as the facts are gathered: in the schemas that make up the field
/// (after its `$ref`s, then its `allOf`/`oneOf`/`anyOf` members, depth first), by the shared
/// schema walk. A parameter object has none of the keywords the walk follows: only its own
/// counts.
pub fn reason(doc: &Value, pointer: &str) -> Option<String> {
    doc.pointer(pointer)?;
    let walked = carts_openapi::fields(doc, pointer);
    let reason = walked.fields.get("")?.parts.iter().find_map(|part| {
        let schema = doc.pointer(&part.at)?;
        schema.get("x-deviation")
    })?;
    Some(reason.as_str().map_or_else(|| reason.to_string(), str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_reason_is_found_through_references_and_compositions() {
        let doc = json!({
            "components": {"schemas": {
                "Id": {"type": "integer", "x-deviation": "ids are whole"},
                "Meta": {"oneOf": [{"type": "object"}, {"$ref": "#/components/schemas/Empty"}]},
                "Empty": {"type": "array", "maxItems": 0, "x-deviation": "sent as []"},
                "Plain": {"type": "string"}
            }},
            "fields": {
                "id": {"$ref": "#/components/schemas/Id"},
                "meta": {"$ref": "#/components/schemas/Meta"},
                "wrapped": {"allOf": [{"$ref": "#/components/schemas/Plain"}], "x-deviation": "wrapped"},
                "plain": {"$ref": "#/components/schemas/Plain"},
                "loop": {"$ref": "#/fields/loop"}
            }
        });
        assert_eq!(reason(&doc, "/fields/id").as_deref(), Some("ids are whole"));
        assert_eq!(reason(&doc, "/fields/meta").as_deref(), Some("sent as []"));
        assert_eq!(reason(&doc, "/fields/wrapped").as_deref(), Some("wrapped"));
        assert_eq!(reason(&doc, "/fields/plain"), None);
        assert_eq!(reason(&doc, "/fields/absent"), None);
        assert_eq!(reason(&doc, "/fields/loop"), None);
    }
}
