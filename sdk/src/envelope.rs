//! The error envelope of [`crate::Error::Api`], one type whichever APIs the
//! crate is built with.
//!
//! Each API's generated code decodes its own envelope type; the crate's
//! error holds this one instead, so that the error type does not change with
//! the API features a build turns on. The fields the APIs share are typed;
//! everything else (the management API's batch `data` and `meta`) stays in
//! [`extra`](ErrorBody::extra), and [`ErrorBody::decode`] reads the whole
//! envelope as an API's own generated type.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The v3 error envelope: `status`, `title`, `type`, `detail`, `errors`.
///
/// No field is required: some answers (a bodiless 404) carry none.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    /// The HTTP status code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    /// Short summary of the problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Link to documentation about this kind of error.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// Longer explanation of the problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Identifier of this occurrence of the problem, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Details of the error: most often a map from the offending field to its
    /// message; for a management batch that partly failed, one error object
    /// per failed entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<serde_json::Value>,
    /// The envelope's other fields, as sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ErrorBody {
    /// The envelope read as another type, such as an API's own generated
    /// envelope (`carts::types::ErrorBody` holds the written items and counts
    /// of a batch that partly failed).
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::to_value(self).and_then(serde_json::from_value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shared_fields_are_typed_and_the_rest_is_kept() {
        let sent = json!({
            "status": 422,
            "title": "Some items failed.",
            "type": "https://developer.example/errors",
            "errors": [{"status": 422, "title": "Bad key"}],
            "data": [{"id": 7}],
            "meta": {"total": 2, "success": 1, "failed": 1},
        });
        let body: ErrorBody = serde_json::from_value(sent.clone()).unwrap();
        assert_eq!(body.status, Some(422));
        assert_eq!(body.type_.as_deref(), Some("https://developer.example/errors"));
        assert_eq!(body.extra["meta"]["failed"], json!(1));
        assert_eq!(serde_json::to_value(&body).unwrap(), sent);
        assert_eq!(body.decode::<serde_json::Value>().unwrap(), sent);
    }

    #[test]
    fn a_mistyped_status_is_refused() {
        let error = serde_json::from_value::<ErrorBody>(json!({"status": "oops"})).unwrap_err();
        assert!(error.to_string().contains("invalid type"), "{error}");
    }
}
