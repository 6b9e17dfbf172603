//! Rule `schema_titles`: no schema titles.

use anyhow::Result;
use carts_openapi::child;
use serde_json::Value;

use super::Applied;
use super::walk::for_each_schema;

/// typify names a type after a schema's `title` when it has one. Inline
/// schemas in the published specs carry titles equal to component names
/// (`Cart_Full` both as a component and as the title of an inline copy), so
/// two different types get one name and the generated code does not compile.
/// A title is an annotation with no effect on validation, so removing it keeps
/// the meaning; types are then named after their component or their place.
pub(super) fn schema_titles(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    for_each_schema(doc, &mut |schema, place| {
        if schema.get("title").is_some_and(Value::is_string) {
            schema.remove("title");
            applied.push(Applied {
                rule: "schema_titles",
                pointer: child(&place.pointer, "title"),
                detail: "removed schema title".into(),
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
    fn schema_titles_removes_titles_but_not_properties_named_title() {
        let (doc, applied) = run(
            schema_titles,
            json!({"components": {"schemas": {"Cart": {
                "title": "Cart_Full",
                "type": "object",
                "properties": {"title": {"type": "string", "title": "x"}}
            }}}}),
        );
        let cart = &doc["components"]["schemas"]["Cart"];
        assert!(cart.get("title").is_none());
        assert_eq!(cart["properties"]["title"], json!({"type": "string"}));
        assert_eq!(applied.len(), 2);
    }
}
