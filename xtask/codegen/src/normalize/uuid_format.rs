//! Rule `uuid_format`: `format: uuid` in lower case.

use anyhow::Result;
use carts_openapi::child;
use serde_json::Value;

use super::Applied;
use super::walk::for_each_schema;

/// Formats are case-sensitive to typify, which knows `uuid` but leaves
/// `UUID` (as the published carts spec writes it) a plain `String`. The
/// documentation means the same format either way, so the rule lowers the
/// case and cart ids become `uuid::Uuid`.
pub(super) fn uuid_format(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    for_each_schema(doc, &mut |schema, place| {
        let format = schema.get("format").and_then(Value::as_str);
        if format.is_some_and(|f| f.eq_ignore_ascii_case("uuid") && f != "uuid") {
            schema.insert("format".into(), Value::String("uuid".into()));
            applied.push(Applied {
                rule: "uuid_format",
                pointer: child(&place.pointer, "format"),
                detail: "format written as uuid".into(),
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
    fn uuid_format_lowers_the_case() {
        let (doc, applied) = run(
            uuid_format,
            json!({"paths": {"/c/{id}": {"get": {"parameters": [
                {"name": "id", "in": "path", "schema": {"type": "string", "format": "UUID"}}
            ]}}}}),
        );
        assert_eq!(
            doc["paths"]["/c/{id}"]["get"]["parameters"][0]["schema"]["format"],
            "uuid"
        );
        assert_eq!(applied.len(), 1);
    }
}
