//! The one reading of OpenAPI 3.0 documents that the workspace's tools share:
//! the xtask (generation, diff, vendoring) and the contract tests.
//!
//! Documents stay JSON trees (`serde_json::Value`), so that the places inside
//! them can be named by JSON pointer in every message and rewritten before
//! anything is typed.
//! - [`always_present`]: the mark of fields documented in every answer, and
//!   the document that demands them;
//! - [`document`]: loading a YAML or JSON file, with its sha256;
//! - [`fields`](mod@fields): the one walk of a schema, every field with its
//!   facts and the places that state them;
//! - [`pointer`](mod@pointer): JSON pointers (RFC 6901) and `$ref` resolution;
//! - [`operations`](mod@operations): operations, their parameters with path-level ones
//!   merged in, path templates and documented responses;
//! - [`json_schema`]: OpenAPI schemas as JSON Schema, for validation.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod always_present;
pub mod document;
pub mod fields;
pub mod json_schema;
pub mod operations;
pub mod pointer;

pub use always_present::{ALWAYS_PRESENT, documented, is_identity_or_money, sdk_requires};
pub use document::{Document, LoadError, from_yaml, hex, load, load_openapi, parse};
pub use fields::{Field, Fields, fields};
pub use json_schema::{self_contained, to_json_schema};
pub use operations::{
    METHODS, Operation, Parameter, Status, match_path, operation_pointer, operations, parameters, response_for_status,
    template,
};
pub use pointer::{child, component_of, deref, escape, follow, referenced_component, resolve, unescape};
