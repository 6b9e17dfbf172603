//! The reason our spec gives where it deviates: the text of the
//! `x-deviation` on a parameter or on a field's schema.

use serde_json::Value;

/// The `x-deviation` of the node at `pointer` in `doc` (a parameter object, or a field's schema
/// as written), looked for as the facts are gathered: after its `$ref`s, then in the
/// `allOf`/`oneOf`/`anyOf` parts that make up the same field.
pub fn reason(doc: &Value, pointer: &str) -> Option<String> {
    find(doc, doc.pointer(pointer)?, 0)
}

fn find(doc: &Value, node: &Value, depth: usize) -> Option<String> {
    // A cycle of references or compositions ends here, as flattening ends it.
    if depth > 40 {
        return None;
    }
    let mut node = node;
    let mut followed = Vec::new();
    while let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        if followed.contains(&reference) {
            return None;
        }
        followed.push(reference);
        node = carts_openapi::resolve(doc, reference)?;
    }
    if let Some(reason) = node.get("x-deviation") {
        return Some(reason.as_str().map_or_else(|| reason.to_string(), str::to_string));
    }
    ["allOf", "oneOf", "anyOf"]
        .iter()
        .filter_map(|key| node.get(*key).and_then(Value::as_array))
        .flatten()
        .find_map(|part| find(doc, part, depth + 1))
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
