//! Rule `lenient_ids`: ids that arrive as numbers or numeric strings.

use anyhow::Result;
use carts_openapi::child;
use serde_json::{Map, Value};

use super::Applied;
use super::walk::for_each_schema;

/// The format the SDK generator maps to an `i64` that also reads numeric
/// strings (see `generate::passes::lenient_ids`).
pub const LENIENT_FORMAT: &str = "lenient-int64";

/// Our spec writes an identifier that the API sends both as a number and as
/// a numeric string (`parent_id: 6` and `"6"`) as `oneOf: [integer, string
/// of digits]`, which is what the wire carries. typify would make that an
/// enum of an `i64` and a `String`, so `"6"` would stay text. The rule
/// rewrites such a schema to `type: integer, format: lenient-int64`, which
/// the SDK generates as an `i64` that decodes from either form (and is
/// always sent as a number); other generators read a plain integer.
pub(super) fn lenient_ids(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    for_each_schema(doc, &mut |schema, place| {
        let Some(key) = ["oneOf", "anyOf"]
            .into_iter()
            .find(|k| is_lenient_union(schema.get(*k)))
        else {
            return;
        };
        schema.remove(key);
        // Extensions (`x-deviation`) are notes for people; the generator's conversion compares them too.
        schema.retain(|k, _| !k.starts_with("x-"));
        schema.insert("type".into(), Value::String("integer".into()));
        schema.insert("format".into(), Value::String(LENIENT_FORMAT.into()));
        applied.push(Applied {
            rule: "lenient_ids",
            pointer: child(&place.pointer, key),
            detail: format!(
                "{}: an integer that may arrive as a numeric string",
                place.property.as_deref().unwrap_or("(value)")
            ),
        });
    });
    Ok(())
}

/// `[integer, string with a pattern of digits only]`, in either order.
fn is_lenient_union(members: Option<&Value>) -> bool {
    let Some([a, b]) = members.and_then(Value::as_array).map(Vec::as_slice) else {
        return false;
    };
    fn kind(member: &Value) -> Option<(Option<&str>, &Map<String, Value>)> {
        member.as_object().map(|o| (o.get("type").and_then(Value::as_str), o))
    }
    let digits = |o: &Map<String, Value>| {
        o.get("pattern")
            .and_then(Value::as_str)
            .is_some_and(|p| ["^[0-9]+$", "^[0-9]{1,18}$", "^\\d+$", "^-?[0-9]+$"].contains(&p))
    };
    match (kind(a), kind(b)) {
        (Some((Some("integer"), _)), Some((Some("string"), s)))
        | (Some((Some("string"), s)), Some((Some("integer"), _))) => digits(s),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::tests::run;

    #[test]
    fn an_integer_or_digits_union_becomes_a_lenient_integer() {
        let (doc, applied) = run(
            lenient_ids,
            json!({"components": {"schemas": {"Item": {"type": "object", "properties": {
                "parent_id": {"nullable": true, "x-deviation": "why", "oneOf": [
                    {"type": "integer", "format": "int64"}, {"type": "string", "pattern": "^[0-9]+$"}
                ]},
                "discount_id": {"oneOf": [{"type": "integer"}, {"type": "string"}]}
            }}}}}),
        );
        let props = &doc["components"]["schemas"]["Item"]["properties"];
        assert_eq!(
            props["parent_id"],
            json!({"nullable": true, "type": "integer", "format": "lenient-int64"})
        );
        assert!(
            props["discount_id"].get("oneOf").is_some(),
            "a string that is not digits is another thing"
        );
        assert_eq!(applied.len(), 1);
    }
}
