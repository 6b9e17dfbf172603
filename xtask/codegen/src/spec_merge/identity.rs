//! Whether a file is a release of the spec it is vendored as.
//!
//! `--as` names the spec a release merges into. A release of another API
//! given the wrong name would merge thousands of foreign facts and replace
//! the stored upstream copy, so the release must share most of its
//! operations with our spec: by `operationId`, or by method and path with the
//! parameter names left out (`GET` and `/carts/{}`). Paths are compared by their
//! end, since older releases put the server's `/stores/{store_hash}/v3` into
//! every path.

use std::collections::BTreeSet;

use anyhow::{Result, bail};
use carts_openapi::{operations, template};
use serde_json::Value;

/// The least share of a release's operations our spec must know.
const LEAST_SHARED: f64 = 0.5;

/// Refuses `release` as a release of our spec `name` (`ours`) when they share
/// less than half of the release's operations.
pub(super) fn check(release: &Value, ours: &Value, name: &str, file: &str) -> Result<()> {
    let ours_ops = operations(ours);
    let ids: BTreeSet<&str> = ours_ops.iter().filter_map(|op| op.id.as_deref()).collect();
    let routes: BTreeSet<(&str, String)> = ours_ops
        .iter()
        .map(|op| (op.method.as_str(), template(&op.path)))
        .collect();
    let theirs = operations(release);
    if theirs.is_empty() {
        return Ok(());
    }
    let known = |method: &str, path: &str| {
        let path = template(path);
        routes.iter().any(|(ours_method, ours)| {
            *ours_method == method && (path.ends_with(ours.as_str()) || ours.ends_with(&path))
        })
    };
    let shared = theirs
        .iter()
        .filter(|op| op.id.as_deref().is_some_and(|id| ids.contains(id)) || known(&op.method, &op.path))
        .count();
    if (shared as f64) < LEAST_SHARED * theirs.len() as f64 {
        let title = |doc: &Value| {
            doc.pointer("/info/title")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string()
        };
        bail!(
            "{file} does not look like a release of spec/{name}.yaml: only {shared} of its {} operations are ours \
             (its title is {:?}, ours {:?}); check --as",
            theirs.len(),
            title(release),
            title(ours),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn spec(title: &str, operations: &[(&str, &str, &str)]) -> Value {
        let mut paths = serde_json::Map::new();
        for (method, path, id) in operations {
            let item = paths.entry(path.to_string()).or_insert_with(|| json!({}));
            item[*method] = json!({"operationId": id, "responses": {}});
        }
        json!({"openapi": "3.0.3", "info": {"title": title}, "paths": paths})
    }

    fn ours() -> Value {
        spec(
            "Carts",
            &[
                ("post", "/carts", "createCart"),
                ("get", "/carts/{cartId}", "getCart"),
                ("delete", "/carts/{cartId}", "deleteCart"),
                ("post", "/carts/{cartId}/items", "addCartLineItems"),
            ],
        )
    }

    #[test]
    fn a_release_of_another_api_is_refused_naming_both_titles() {
        let other = spec(
            "Storefront",
            &[
                ("get", "/carts", "getCarts"),
                ("post", "/carts/{cartId}/items", "addCartLineItem"),
                ("put", "/carts/{cartId}/currency", "updateCartCurrency"),
            ],
        );
        let error = check(&other, &ours(), "carts.v3", "sf.yml").unwrap_err().to_string();
        assert!(error.contains("only 1 of its 3 operations are ours"), "{error}");
        assert!(
            error.contains("\"Storefront\"") && error.contains("\"Carts\""),
            "{error}"
        );
    }

    #[test]
    fn renamed_operations_moved_paths_and_added_ones_still_pass() {
        // Renamed ids on the same routes, an older release's server prefix, one new operation.
        let release = spec(
            "Carts",
            &[
                ("post", "/stores/{store_hash}/v3/carts", "createACart"),
                ("get", "/stores/{store_hash}/v3/carts/{id}", "getACart"),
                ("delete", "/carts/{cartId}", "deleteCart"),
                ("put", "/carts/{cartId}", "updateCart"),
            ],
        );
        check(&release, &ours(), "carts.v3", "old.yml").unwrap();
    }
}
