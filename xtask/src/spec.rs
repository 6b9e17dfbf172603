//! Reading OpenAPI documents and addressing places inside them.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// An OpenAPI document as read from disk, before any rewriting.
pub struct SpecFile {
    /// The document as a JSON tree, so rules can rewrite it before it is typed.
    pub doc: Value,
    /// Hex sha256 of the file's bytes, recorded in the generated header.
    pub sha256: String,
}

/// Reads a YAML or JSON OpenAPI document (YAML is a superset of JSON, so one
/// parser serves both) and checks that it is a version progenitor accepts.
pub fn load(path: &Path) -> Result<SpecFile> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let doc: Value =
        serde_yaml_ng::from_slice(&bytes).with_context(|| format!("{} is not valid YAML or JSON", path.display()))?;
    check_version(&doc).with_context(|| format!("{} cannot be generated", path.display()))?;
    Ok(SpecFile { doc, sha256 })
}

/// progenitor 0.15 reads OpenAPI 3.0.x only; say so instead of letting it
/// fail somewhere deep inside.
fn check_version(doc: &Value) -> Result<()> {
    match doc.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => Ok(()),
        Some(v) => bail!("at /openapi: version {v} is not supported (the generator reads OpenAPI 3.0.x)"),
        None => bail!("at /openapi: missing; this does not look like an OpenAPI 3.0 document"),
    }
}

/// Lower-case hex of a byte string.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Escapes one JSON pointer reference token (RFC 6901).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Joins a pointer and one more token.
pub fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

/// Follows a local `$ref` (`#/components/...`) to the value it names.
/// Returns `None` for remote references or references that lead nowhere.
pub fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

/// The value itself, or what its `$ref` names when it is a reference object.
/// Chains of references are followed up to a small depth to stay clear of cycles.
pub fn deref<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..8 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(r) => match resolve(doc, r) {
                Some(target) => value = target,
                None => return value,
            },
            None => return value,
        }
    }
    value
}

/// HTTP methods an OpenAPI path item may hold operations for.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Every operation of the document as (path, method), in document order.
pub fn operations(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                if item.get(method).is_some_and(Value::is_object) {
                    out.push((path.clone(), method.to_string()));
                }
            }
        }
    }
    out
}

/// The JSON pointer of an operation.
pub fn operation_pointer(path: &str, method: &str) -> String {
    format!("/paths/{}/{method}", escape(path))
}
