//! Rule `operation_ids`: every operation gets an id.

use anyhow::{Result, bail};
use carts_openapi::{child, operations};
use serde_json::Value;

use super::Applied;

/// progenitor names every client method after its operation's `operationId`
/// and stops with an unwrap on an operation without one (two 2022 releases of
/// the carts spec have such paths). An operation without an id gets one made
/// of its method and path (`get /carts/{cartId}/items` becomes
/// `get_carts_cartId_items`); that only names the method and changes nothing
/// on the wire. Two operations that end up with the same id cannot both
/// become methods, so that is an error naming both places.
pub(super) fn operation_ids(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    let mut seen: Vec<(String, String)> = Vec::new();
    for op in operations(doc) {
        let (path, method, pointer) = (op.path, op.method, op.pointer);
        let Some(op) = doc.pointer_mut(&pointer).and_then(Value::as_object_mut) else {
            continue;
        };
        let id = match op.get("operationId").and_then(Value::as_str) {
            Some(id) if !id.trim().is_empty() => id.to_string(),
            _ => {
                let id = synthesized_operation_id(&method, &path);
                op.insert("operationId".into(), Value::String(id.clone()));
                applied.push(Applied {
                    rule: "operation_ids",
                    pointer: child(&pointer, "operationId"),
                    detail: format!("missing; named {id}"),
                });
                id
            }
        };
        if let Some((_, first)) = seen.iter().find(|(seen_id, _)| seen_id == &id) {
            bail!(
                "at {pointer}/operationId: operation id {id:?} is used twice (first at {first}); \
                 each operation becomes one client method, so ids must be unique"
            );
        }
        seen.push((id, pointer));
    }
    Ok(())
}

fn synthesized_operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_string();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        id.push('_');
        id.extend(segment.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }));
    }
    while id.contains("__") {
        id = id.replace("__", "_");
    }
    id.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::tests::run;

    #[test]
    fn operation_ids_names_anonymous_operations_after_method_and_path() {
        let (doc, applied) = run(
            operation_ids,
            json!({"paths": {"/carts/{cartId}/items": {"get": {"responses": {}}, "post": {"operationId": "add"}}}}),
        );
        assert_eq!(
            doc["paths"]["/carts/{cartId}/items"]["get"]["operationId"],
            "get_carts_cartId_items"
        );
        assert_eq!(doc["paths"]["/carts/{cartId}/items"]["post"]["operationId"], "add");
        assert_eq!(applied.len(), 1);
        assert_eq!(applied[0].pointer, "/paths/~1carts~1{cartId}~1items/get/operationId");
    }

    #[test]
    fn operation_ids_rejects_duplicates_naming_both_places() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"operationId": "same"}},
            "/b": {"get": {"operationId": "same"}}
        }});
        let error = operation_ids(&mut doc, &mut Vec::new()).unwrap_err().to_string();
        assert!(error.contains("/paths/~1b/get/operationId"), "{error}");
        assert!(error.contains("first at /paths/~1a/get"), "{error}");
    }
}
