//! Loading OpenAPI documents from disk.

use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

/// An OpenAPI document as read, before any rewriting.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The document as a JSON tree.
    pub doc: Value,
    /// Lower-case hex sha256 of the bytes it was read from.
    pub sha256: String,
}

/// Why a document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    // The cause is part of the message (and not an error `source`), so a
    // report that prints the whole chain says it once.
    #[error("reading {path}: {cause}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        cause: std::io::Error,
    },
    /// The bytes are neither YAML nor JSON.
    #[error("{path} is not valid YAML or JSON: {cause}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The parser's message, with line and column.
        cause: serde_yaml_ng::Error,
    },
    /// The document is not OpenAPI 3.0.x.
    #[error("{path}: at /openapi: {message}")]
    Version {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        message: String,
    },
}

/// Reads a YAML or JSON document (YAML is a superset of JSON, so one parser
/// serves both).
pub fn load(path: &Path) -> Result<Document, LoadError> {
    let bytes = std::fs::read(path).map_err(|cause| LoadError::Io {
        path: path.to_path_buf(),
        cause,
    })?;
    parse(&bytes).map_err(|cause| LoadError::Syntax {
        path: path.to_path_buf(),
        cause,
    })
}

/// Reads an OpenAPI 3.0.x document: [`load`], then [`Document::check_version`].
pub fn load_openapi(path: &Path) -> Result<Document, LoadError> {
    let document = load(path)?;
    document.check_version(path)?;
    Ok(document)
}

/// Parses a document from its bytes. A key given twice in one object is an
/// error naming the key: read into JSON, the second would silently replace
/// the first.
pub fn parse(bytes: &[u8]) -> Result<Document, serde_yaml_ng::Error> {
    let doc: Value = from_yaml(bytes)?;
    Ok(Document {
        doc,
        sha256: hex(&Sha256::digest(bytes)),
    })
}

/// Reads any YAML (or JSON) text into `T`, refusing a key given twice in one object with an
/// error naming it: the text is read as YAML values first, which keep every key, and only then
/// into `T`, where a JSON object (a `serde_json::Value`, a map) would keep the last silently.
/// Cassettes, the vendor lock and the specs are all read through it.
pub fn from_yaml<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_yaml_ng::Error> {
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_slice(bytes)?;
    serde_yaml_ng::from_value(yaml)
}

impl Document {
    /// Checks that the document is OpenAPI 3.0.x, the version the generator
    /// and the tests read; `path` names it in the error.
    pub fn check_version(&self, path: &Path) -> Result<(), LoadError> {
        let message = match self.doc.get("openapi").and_then(Value::as_str) {
            Some(v) if v.starts_with("3.0.") => return Ok(()),
            Some(v) => format!("version {v} is not supported (the tools read OpenAPI 3.0.x)"),
            None => "missing; this does not look like an OpenAPI 3.0 document".to_string(),
        };
        Err(LoadError::Version {
            path: path.to_path_buf(),
            message,
        })
    }
}

/// Lower-case hex of a byte string.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_parse_and_carry_their_hash() {
        let yaml = parse(b"openapi: 3.0.3\npaths: {}\n").unwrap();
        let json = parse(br#"{"openapi": "3.0.3", "paths": {}}"#).unwrap();
        assert_eq!(yaml.doc, json.doc);
        assert_ne!(yaml.sha256, json.sha256);
        assert_eq!(yaml.sha256.len(), 64);
    }

    #[test]
    fn other_versions_are_named() {
        let doc = parse(b"openapi: 3.1.0\n").unwrap();
        let error = doc.check_version(Path::new("x.yaml")).unwrap_err().to_string();
        assert_eq!(
            error,
            "x.yaml: at /openapi: version 3.1.0 is not supported (the tools read OpenAPI 3.0.x)"
        );
        let error = parse(b"swagger: '2.0'\n").unwrap().check_version(Path::new("y.yaml"));
        assert!(error.unwrap_err().to_string().contains("missing"));
    }

    #[test]
    fn a_missing_file_names_its_path() {
        let error = load(Path::new("/nonexistent/spec.yaml")).unwrap_err().to_string();
        assert!(error.starts_with("reading /nonexistent/spec.yaml: "), "{error}");
    }

    #[test]
    fn any_yaml_read_refuses_a_key_given_twice() {
        // A cassette-like body: into a JSON object the second `status` would win silently.
        let text = b"response:\n  status: 200\n  body: {}\n  status: 201\n";
        let error = from_yaml::<serde_json::Value>(text).err().map(|e| e.to_string());
        assert!(error.as_deref().is_some_and(|e| e.contains("status")), "{error:?}");
        let fine: serde_json::Value = from_yaml(b"a: 1\nb: [x]\n").unwrap();
        assert_eq!(fine, serde_json::json!({"a": 1, "b": ["x"]}));
    }

    #[test]
    fn a_key_given_twice_in_one_object_is_an_error_naming_it() {
        let text = b"openapi: 3.0.3\ninfo:\n  x-deviation: one\n  title: t\n  x-deviation: two\n";
        let error = parse(text).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("x-deviation"), "{error:?}");
    }
}
