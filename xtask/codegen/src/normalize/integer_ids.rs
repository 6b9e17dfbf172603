//! Rule `integer_ids`: identifiers are integers.

use anyhow::Result;
use carts_openapi::child;
use serde_json::Value;

use super::Applied;
use super::walk::for_each_schema;

/// The published specs type many identifiers (`product_id`, `variant_id`, ...)
/// as `number`. progenitor maps `number` to `f64`, and serde writes `126.0` for
/// the id 126, which is not how the API writes ids. Identifiers are whole
/// numbers throughout the documentation and every payload, so a `number`
/// schema of a field named `id`, `*_id` or `*Id` becomes `integer`.
pub(super) fn integer_ids(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    for_each_schema(doc, &mut |schema, place| {
        let Some(name) = place.property.as_deref() else { return };
        let is_id = name == "id" || name.ends_with("_id") || name.ends_with("Id");
        let is_ids_item = place.in_items && (name.ends_with("_ids") || name.ends_with("Ids"));
        if (is_id || is_ids_item) && schema.get("type").and_then(Value::as_str) == Some("number") {
            schema.insert("type".into(), Value::String("integer".into()));
            let format = schema.get("format").and_then(Value::as_str);
            if format.is_some_and(|f| f != "int32" && f != "int64") {
                schema.remove("format");
            }
            applied.push(Applied {
                rule: "integer_ids",
                pointer: child(&place.pointer, "type"),
                detail: format!("{name}: number became integer"),
            });
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::tests::run;

    #[test]
    fn integer_ids_retypes_number_ids_and_nothing_else() {
        let (doc, applied) = run(
            integer_ids,
            json!({"components": {"schemas": {"Item": {"type": "object", "properties": {
                "product_id": {"type": "number", "format": "double"},
                "variantId": {"type": "number"},
                "option_ids": {"type": "array", "items": {"type": "number"}},
                "sale_price": {"type": "number"},
                "id": {"type": "string"}
            }}}}}),
        );
        let props = &doc["components"]["schemas"]["Item"]["properties"];
        assert_eq!(props["product_id"], json!({"type": "integer"}));
        assert_eq!(props["variantId"], json!({"type": "integer"}));
        assert_eq!(props["option_ids"]["items"], json!({"type": "integer"}));
        assert_eq!(props["sale_price"], json!({"type": "number"}));
        assert_eq!(props["id"], json!({"type": "string"}));
        assert_eq!(applied.len(), 3);
    }
}
