//! `x-always-present`: the fields our spec documents in every answer of an
//! object, beyond what the published spec requires.
//!
//! The mark records what the documentation and the real answers show. The
//! SDK does not demand those fields (an older store may leave one out, and
//! a missing field must not fail a whole cart); the conformance gate does,
//! through [`documented`], which turns the mark into `required`. Only an
//! identity or money field ([`is_identity_or_money`]) that the mark lists is
//! one the SDK demands too: an answer without it has no meaning to decode.

use serde_json::Value;

use crate::pointer::{deref, escape};

/// The extension key.
pub const ALWAYS_PRESENT: &str = "x-always-present";

/// The fields that are an answer's identity: the content of a success
/// envelope (`data`), ids, the quantity of an item and the currency that
/// gives amounts their meaning. Each spelling the APIs use is listed.
pub const IDENTITY: &[&str] = &[
    "data",
    "id",
    "cart_id",
    "cartId",
    "product_id",
    "productId",
    "variant_id",
    "variantId",
    "quantity",
    "currency",
];

/// The currency code: `code` of the `Currency` component.
const CURRENCY_CODE: (&str, &str) = ("/components/schemas/Currency", "code");

/// Whether the field `name` of the object schema at `object` (a JSON pointer
/// into `doc`) is identity or money: listed in [`IDENTITY`], the currency
/// code, or an amount (every number of the Carts APIs is money, as a
/// `number` or, once normalized for the generator, `format: decimal`).
pub fn is_identity_or_money(doc: &Value, object: &str, name: &str, property: &Value) -> bool {
    if IDENTITY.contains(&name) || (object, name) == CURRENCY_CODE {
        return true;
    }
    let mut schema = deref(doc, property);
    if let Some([only]) = schema.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
        schema = deref(doc, only);
    }
    schema.get("type").and_then(Value::as_str) == Some("number")
        || schema.get("format").and_then(Value::as_str) == Some("decimal")
}

/// Whether the SDK demands the field `name` of the object schema `schema`
/// (at `object` in `doc`) in every answer: the object requires it, or it is
/// identity or money and marked always present.
pub fn sdk_requires(doc: &Value, object: &str, schema: &Value, name: &str) -> bool {
    let listed = |key: &str| {
        schema
            .get(key)
            .and_then(Value::as_array)
            .is_some_and(|names| names.iter().any(|n| n.as_str() == Some(name)))
    };
    if listed("required") {
        return true;
    }
    let Some(property) = schema.pointer(&format!("/properties/{}", escape(name))) else {
        return false;
    };
    listed(ALWAYS_PRESENT) && is_identity_or_money(doc, object, name, property)
}

/// A copy of `doc` in which every object schema also requires the fields its
/// `x-always-present` lists: the document a validator uses to demand every
/// documented field of an answer.
pub fn documented(doc: &Value) -> Value {
    let mut out = doc.clone();
    merge(&mut out);
    out
}

fn merge(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(always)) = map.get(ALWAYS_PRESENT) {
                let always = always.clone();
                let required = map.entry("required").or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(required) = required {
                    for name in always {
                        if !required.contains(&name) {
                            required.push(name);
                        }
                    }
                }
            }
            map.values_mut().for_each(merge);
        }
        Value::Array(items) => items.iter_mut().for_each(merge),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn always_present_fields_become_required_at_any_depth() {
        let doc = json!({"components": {"schemas": {
            "Cart": {"required": ["id"], "x-always-present": ["id", "email"], "properties": {
                "items": {"type": "array", "items": {"x-always-present": ["sku"], "properties": {}}}
            }},
            "Plain": {"properties": {}}
        }}});
        let documented = documented(&doc);
        let cart = &documented["components"]["schemas"]["Cart"];
        assert_eq!(cart["required"], json!(["id", "email"]));
        assert_eq!(cart["properties"]["items"]["items"]["required"], json!(["sku"]));
        assert_eq!(documented["components"]["schemas"]["Plain"].get("required"), None);
        assert_eq!(
            doc["components"]["schemas"]["Cart"]["required"],
            json!(["id"]),
            "the input is unchanged"
        );
    }
}
