//! The v3 error envelope, and the answers built from it.
//!
//! Every error the API side gives is `{status, title, type, detail, errors}` as the recorded
//! interactions show, with the parts that do not apply left out: a missing cart is answered
//! without `title`, field problems go in `errors` as a map from field to message, and the batch
//! metafield calls add `data` and `meta` for the items that did get written.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

/// Where the `type` of every error points: BigCommerce's page about status codes.
pub(crate) const ERROR_TYPE: &str = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes";

/// An error answer of the API.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub title: Option<String>,
    pub detail: Option<String>,
    pub errors: Option<Value>,
    /// Extra top-level members (`data`, `meta`) of a partial batch success.
    pub extra: Map<String, Value>,
}

impl ApiError {
    /// An error with a title and nothing else.
    pub fn new(status: StatusCode, title: impl Into<String>) -> Self {
        Self {
            status,
            title: Some(title.into()),
            detail: None,
            errors: None,
            extra: Map::new(),
        }
    }

    /// Adds the longer explanation.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Adds one field's message to the `errors` map.
    pub fn field(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        let map = self.errors.get_or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(map) = map {
            map.insert(field.into(), Value::String(message.into()));
        }
        self
    }

    /// Adds several fields' messages.
    pub fn fields(mut self, fields: impl IntoIterator<Item = (String, String)>) -> Self {
        for (field, message) in fields {
            self = self.field(field, message);
        }
        self
    }

    /// A cart that does not exist (or has expired). Real stores answer this 404 without a
    /// `title`, and the recorded `getCart` interaction keeps that shape.
    pub fn cart_not_found() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            title: None,
            detail: Some("Cart not found.".into()),
            errors: None,
            extra: Map::new(),
        }
    }

    /// A path that names no resource of the API.
    pub fn route_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not Found").detail("No API resource lives at this path.")
    }

    /// A body that is not JSON at all.
    pub fn malformed_json(reason: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "Bad Request")
            .detail(format!("The request body is not valid JSON: {reason}"))
    }

    /// A body or parameter that does not fit the API's description.
    pub fn invalid(fields: impl IntoIterator<Item = (String, String)>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "JSON data is missing or invalid").fields(fields)
    }

    /// A `version` that is not the cart's current one.
    pub fn version_conflict(sent: i64, current: i64) -> Self {
        Self::new(StatusCode::CONFLICT, "The cart has changed since it was read.")
            .detail(format!(
                "Cart version {sent} does not match the current version {current}."
            ))
            .field("version", format!("Expected version {current}."))
    }

    /// An error answer with the status's own reason phrase as its title.
    pub fn plain(status: StatusCode) -> Self {
        Self::new(status, status.canonical_reason().unwrap_or("Error"))
    }

    /// What the envelope says, on one line: title, detail and each field's message.
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = self.title.iter().chain(&self.detail).cloned().collect();
        if let Some(Value::Object(fields)) = &self.errors {
            for (field, message) in fields {
                match message {
                    Value::String(text) => parts.push(format!("{field}: {text}")),
                    other => parts.push(format!("{field}: {other}")),
                }
            }
        }
        if parts.is_empty() {
            parts.push(self.status.canonical_reason().unwrap_or("Error").to_string());
        }
        parts.join("; ")
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        let mut out = Map::new();
        out.insert("status".into(), json!(self.status.as_u16()));
        if let Some(title) = &self.title {
            out.insert("title".into(), json!(title));
        }
        out.insert("type".into(), json!(ERROR_TYPE));
        if let Some(detail) = &self.detail {
            out.insert("detail".into(), json!(detail));
        }
        if let Some(errors) = &self.errors {
            out.insert("errors".into(), errors.clone());
        }
        for (key, value) in &self.extra {
            out.insert(key.clone(), value.clone());
        }
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_cart_has_no_title() {
        let body = ApiError::cart_not_found().body();
        assert_eq!(body["status"], 404);
        assert!(body.get("title").is_none());
        assert_eq!(body["type"], ERROR_TYPE);
    }

    #[test]
    fn version_conflicts_name_both_versions() {
        let body = ApiError::version_conflict(2, 5).body();
        assert_eq!(body["status"], 409);
        assert_eq!(body["detail"], "Cart version 2 does not match the current version 5.");
        assert_eq!(body["errors"]["version"], "Expected version 5.");
    }
}
