//! Operations the merge added that no cassette records yet. The gate
//! (`cargo xtask conformance`) fails on every operation without a recorded
//! success and error; a cassette names its operation by the first part of
//! its file name (`getCart--404-missing.yaml`), so an added operation whose
//! id no cassette file names has neither, and the report says so before the
//! gate does.

use std::collections::BTreeSet;
use std::path::Path;

use carts_openapi::{operations, template};
use serde_json::Value;

/// The operations of `after` that `before` does not have (by method and
/// path), whose id no cassette of API `name` under `root` names, as
/// `NAME operationId (METHOD /path)`.
pub fn uncovered(root: &Path, name: &str, before: &Value, after: &Value) -> Vec<String> {
    let had: BTreeSet<(String, String)> = operations(before)
        .into_iter()
        .map(|op| (op.method, template(&op.path)))
        .collect();
    let recorded: BTreeSet<String> = std::fs::read_dir(root.join("contract-tests/cassettes").join(name))
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .filter_map(|path| {
            let stem = path.file_stem()?.to_string_lossy().to_string();
            Some(stem.split("--").next().unwrap_or_default().to_string())
        })
        .collect();
    operations(after)
        .into_iter()
        .filter(|op| !had.contains(&(op.method.clone(), template(&op.path))))
        .filter(|op| op.id.as_ref().is_none_or(|id| !recorded.contains(id)))
        .map(|op| {
            format!(
                "{name} {} ({} {})",
                op.id.as_deref().unwrap_or("(no operationId)"),
                op.method.to_uppercase(),
                op.path
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_added_operation_is_uncovered_until_a_cassette_names_it() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("contract-tests/cassettes/carts.v3");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("getCart--ok.yaml"), "").unwrap();
        let before = json!({"paths": {"/carts/{cartId}": {"get": {"operationId": "getCart"}}}});
        let mut after = before.clone();
        after["paths"]["/carts/{id}/notes"] = json!({"get": {"operationId": "getCartNotes"}});
        after["paths"]["/carts"] = json!({"post": {"operationId": "getCart"}});
        assert_eq!(
            uncovered(root.path(), "carts.v3", &before, &after),
            ["carts.v3 getCartNotes (GET /carts/{id}/notes)"],
            "a cassette names getCart, the id of the other new operation"
        );
        std::fs::write(folder.join("getCartNotes--ok.yaml"), "").unwrap();
        assert!(uncovered(root.path(), "carts.v3", &before, &after).is_empty());
    }
}
