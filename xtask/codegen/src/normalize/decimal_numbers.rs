//! Rule `decimal_numbers`: JSON numbers become exact decimals.

use anyhow::Result;
use carts_openapi::child;
use serde_json::Value;

use super::Applied;
use super::walk::for_each_schema;

/// The format the generator maps to `rust_decimal::Decimal` (see
/// `generate::render::settings`).
pub const DECIMAL_FORMAT: &str = "decimal";

/// Keywords that stop the generator's conversion from matching: it compares
/// the whole schema, and typify never checked them on numbers anyway.
const DROPPED: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];

/// typify maps `type: number` to `f64`, which holds 19.99 as
/// 19.989999999999998 and adds 0.1 and 0.2 to 0.30000000000000004. Every
/// number of the Carts APIs is an amount of money (prices, amounts, totals,
/// discounts, and an item's coupons in their published numeric form), so
/// each `type: number` schema gets `format: decimal`, which the generator
/// maps to `rust_decimal::Decimal`. Bounds, float formats and `x-`
/// extensions go: the generator's conversion matches the whole schema, and
/// typify generates the same `f64` with or without them. The JSON on the wire is the same number;
/// the contract tests validate bounds against the spec as written.
pub(super) fn decimal_numbers(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    for_each_schema(doc, &mut |schema, place| {
        if schema.get("type").and_then(Value::as_str) != Some("number")
            || schema.get("format").and_then(Value::as_str) == Some(DECIMAL_FORMAT)
        {
            return;
        }
        schema.insert("format".into(), Value::String(DECIMAL_FORMAT.into()));
        for keyword in DROPPED {
            schema.remove(*keyword);
        }
        // Extensions (`x-deviation`) are notes for people; the conversion compares them too.
        schema.retain(|key, _| !key.starts_with("x-"));
        applied.push(Applied {
            rule: "decimal_numbers",
            pointer: child(&place.pointer, "format"),
            detail: format!(
                "{}: number became an exact decimal",
                place.property.as_deref().unwrap_or("(value)")
            ),
        });
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::tests::run;

    #[test]
    fn numbers_become_decimals_and_integers_stay() {
        let (doc, applied) = run(
            decimal_numbers,
            json!({"components": {"schemas": {"Item": {"type": "object", "properties": {
                "sale_price": {"type": "number", "format": "double", "minimum": 0, "x-deviation": "why"},
                "quantity": {"type": "integer"},
                "coupons": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "number"}]}
            }}}}}),
        );
        let props = &doc["components"]["schemas"]["Item"]["properties"];
        assert_eq!(props["sale_price"], json!({"type": "number", "format": "decimal"}));
        assert_eq!(props["quantity"], json!({"type": "integer"}));
        assert_eq!(
            props["coupons"]["oneOf"][1],
            json!({"type": "number", "format": "decimal"})
        );
        assert_eq!(applied.len(), 2);
    }
}
