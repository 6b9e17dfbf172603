//! Rule `media_type_headers`: no `Accept`/`Content-Type` header parameters.

use anyhow::Result;
use carts_openapi::{METHODS, deref, escape};
use serde_json::Value;

use super::Applied;

/// The published specs declare `Accept` and `Content-Type` as required header
/// parameters. progenitor turns each into a required builder argument, so a
/// caller would have to pass `"application/json"` to every call. The client
/// sets both headers itself from the media types of the request and response
/// bodies, so dropping the parameters leaves the requests on the wire as they
/// were.
pub(super) fn media_type_headers(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    let is_media_header = |param: &Value| {
        param.get("in").and_then(Value::as_str) == Some("header")
            && param
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case("accept") || n.eq_ignore_ascii_case("content-type"))
    };
    for list in parameter_lists(doc) {
        let snapshot = doc.clone();
        let Some(params) = doc.pointer_mut(&list).and_then(Value::as_array_mut) else {
            continue;
        };
        let mut index = 0;
        params.retain(|param| {
            let resolved = deref(&snapshot, param);
            let drop = is_media_header(resolved);
            if drop {
                applied.push(Applied {
                    rule: "media_type_headers",
                    pointer: format!("{list}/{index}"),
                    detail: format!(
                        "dropped header parameter {}",
                        resolved.get("name").and_then(Value::as_str).unwrap_or_default()
                    ),
                });
            }
            index += 1;
            !drop
        });
    }
    Ok(())
}

/// Pointers of every `parameters` array: on path items and on operations.
fn parameter_lists(doc: &Value) -> Vec<String> {
    let mut lists = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let base = format!("/paths/{}", escape(path));
            if item.get("parameters").is_some_and(Value::is_array) {
                lists.push(format!("{base}/parameters"));
            }
            for method in METHODS {
                if item
                    .get(method)
                    .and_then(|op| op.get("parameters"))
                    .is_some_and(Value::is_array)
                {
                    lists.push(format!("{base}/{method}/parameters"));
                }
            }
        }
    }
    lists
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::tests::run;

    #[test]
    fn media_type_headers_drops_accept_and_content_type_only() {
        let (doc, applied) = run(
            media_type_headers,
            json!({
                "components": {"parameters": {"Accept": {"name": "Accept", "in": "header", "required": true}}},
                "paths": {"/carts": {"post": {"parameters": [
                    {"$ref": "#/components/parameters/Accept"},
                    {"name": "content-type", "in": "header"},
                    {"name": "X-Other", "in": "header"},
                    {"name": "Accept", "in": "query"}
                ]}}}
            }),
        );
        let names: Vec<&str> = doc["paths"]["/carts"]["post"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["X-Other", "Accept"]);
        assert_eq!(applied.len(), 2);
    }
}
