//! Recorded interactions that no longer fit a spec: their operation is gone
//! or moved, their request has a query parameter the spec no longer has, or
//! their response body does not validate against the documented schema.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use carts_openapi::{match_path, operation_pointer, response_for_status};
use serde_json::Value;

use crate::normalize;

/// A cassette that no longer fits the vendored spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Misfit {
    /// The cassette, relative to the cassettes folder.
    pub cassette: String,
    /// Why.
    pub reason: String,
}

/// The cassettes of API `name` that no longer fit the spec at `spec_path`:
/// their operation is gone or moved, or their response body does not
/// validate against the schema the spec gives for its status.
pub fn misfits(root: &Path, name: &str, spec_path: &Path) -> Result<Vec<Misfit>> {
    let folder = root.join("contract-tests/cassettes").join(name);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Ok(Vec::new());
    };
    // The spec as written describes the wire; the generator's normalized form (open enums as
    // `oneOf`) would reject known values as matching twice.
    let doc = carts_openapi::load(spec_path)?.doc;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let label = format!("{name}/{}", path.file_name().unwrap_or_default().to_string_lossy());
        let text = std::fs::read_to_string(&path)?;
        let cassette: Value = carts_openapi::from_yaml(text.as_bytes()).with_context(|| format!("reading {label}"))?;
        let operation = path.file_stem().unwrap_or_default().to_string_lossy();
        let operation = operation.split("--").next().unwrap_or_default();
        if let Some(reason) = misfit(&doc, operation, &cassette) {
            out.push(Misfit {
                cassette: label,
                reason,
            });
        }
    }
    Ok(out)
}

fn misfit(doc: &Value, operation: &str, cassette: &Value) -> Option<String> {
    let found = carts_openapi::operations(doc)
        .into_iter()
        .find(|op| op.id.as_deref() == Some(operation));
    let Some(carts_openapi::Operation { path, method, .. }) = found else {
        return Some(format!("the spec has no operation {operation} any more"));
    };
    let recorded_method = cassette
        .pointer("/request/method")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !recorded_method.eq_ignore_ascii_case(&method) {
        return Some(format!(
            "{operation} is now {} (recorded {recorded_method})",
            method.to_uppercase()
        ));
    }
    let recorded_path = cassette
        .pointer("/request/path")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if match_path(&path, recorded_path).is_none() {
        return Some(format!("{operation} is now at {path} (recorded {recorded_path})"));
    }
    if let Some(reason) = unknown_query_parameters(doc, &path, &method, cassette) {
        return Some(reason);
    }
    let status = cassette
        .pointer("/response/status")
        .and_then(Value::as_u64)
        .and_then(|status| u16::try_from(status).ok())
        .unwrap_or_default();
    let body = cassette.pointer("/response/body").filter(|b| !b.is_null())?;
    let responses = doc.pointer(&format!("{}/responses", operation_pointer(&path, &method)))?;
    let response = response_for_status(responses, status).map(|r| carts_openapi::deref(doc, r));
    let documented = response
        .and_then(|r| r.pointer("/content/application~1json/schema"))
        .cloned();
    // An error status the operation does not document still answers in the API's error
    // envelope, and the SDK decodes it so (`one_error_response`).
    let envelope = || (status >= 400).then(|| normalize::api_error_envelope(doc)).flatten();
    let Some(schema) = documented.or_else(envelope) else {
        return Some(format!("the spec documents no JSON body for status {status}"));
    };
    let schema = carts_openapi::self_contained(doc, &schema);
    let validator = match jsonschema::draft7::new(&schema) {
        Ok(validator) => validator,
        Err(e) => return Some(format!("the spec's schema for status {status} does not compile: {e}")),
    };
    let errors: Vec<String> = validator
        .iter_errors(body)
        .take(3)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    (!errors.is_empty()).then(|| format!("the {status} body no longer validates: {}", errors.join("; ")))
}

/// The recorded request's query parameters the operation no longer has: the
/// SDK could not send that request again.
fn unknown_query_parameters(doc: &Value, path: &str, method: &str, cassette: &Value) -> Option<String> {
    let query = cassette.pointer("/request/query").and_then(Value::as_str)?;
    let known: Vec<String> = carts_openapi::parameters(doc, path, method)
        .into_iter()
        .filter(|p| p.location == "query")
        .map(|p| p.name)
        .collect();
    let unknown: std::collections::BTreeSet<String> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(name, _)| name.into_owned())
        .filter(|name| !known.contains(name))
        .collect();
    (!unknown.is_empty()).then(|| {
        format!(
            "the request's query parameter(s) {} are no longer documented",
            unknown.into_iter().collect::<Vec<_>>().join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recorded_response_fits_our_specs() {
        let root = crate::generate::project_root();
        for name in ["carts.v3", "abandoned_carts.v3", "carts.sf"] {
            let found = misfits(&root, name, &root.join(format!("spec/{name}.yaml"))).unwrap();
            assert!(found.is_empty(), "{name}: {found:?}");
        }
    }

    #[test]
    fn a_body_the_spec_does_not_allow_is_named() {
        let doc = serde_json::json!({"paths": {"/carts/{id}": {"get": {"operationId": "getCart", "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"total": {"type": "number"}}
            }}}}
        }}}}});
        let cassette = serde_json::json!({
            "request": {"method": "GET", "path": "/carts/42"},
            "response": {"status": 200, "body": {"total": "9.50"}}
        });
        let reason = misfit(&doc, "getCart", &cassette).unwrap();
        assert!(
            reason.starts_with("the 200 body no longer validates") && reason.contains("/total"),
            "{reason}"
        );
        assert_eq!(
            misfit(&doc, "getCarts", &cassette).unwrap(),
            "the spec has no operation getCarts any more"
        );
    }

    #[test]
    fn a_query_parameter_the_spec_dropped_is_named() {
        let doc = serde_json::json!({"paths": {"/carts/metafields": {"get": {
            "operationId": "getCartsMetafields",
            "parameters": [
                {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                {"name": "key:in", "in": "query", "schema": {"type": "string"}}
            ],
            "responses": {"200": {"description": "ok"}}
        }}}});
        let cassette = |query: &str| {
            serde_json::json!({
                "request": {"method": "GET", "path": "/carts/metafields", "query": query},
                "response": {"status": 200, "body": null}
            })
        };
        assert_eq!(
            misfit(&doc, "getCartsMetafields", &cassette("limit=5&key%3Ain=a,b")),
            None
        );
        assert_eq!(
            misfit(&doc, "getCartsMetafields", &cassette("after=cursor-4150&limit=5")).unwrap(),
            "the request's query parameter(s) after are no longer documented"
        );
    }
}
