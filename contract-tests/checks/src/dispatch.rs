//! Turns a recorded request into the SDK call that should produce it: the
//! operation picks the client method, the path gives the path parameters, the
//! query string the query parameters, the body the typed request body. The
//! table of calls is generated from the spec and the SDK
//! (`generated/dispatch.rs`); this file holds what every call shares.
//!
//! Every value goes through the SDK's own types, so a request the SDK cannot
//! express (an unknown `include` value, a field its types lack) fails here or
//! shows up as a difference in what was sent.

use std::collections::BTreeMap;
use std::str::FromStr;

use bigcommerce_carts::{Client, Error, ResponseValue, StorefrontClient};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::cassette::Cassette;
use crate::spec::Operation;
use carts_openapi::match_path;

/// What the SDK made of the response.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A success: the status and the typed body re-serialized (`None` when
    /// there is none, or it decoded as `None`).
    Success {
        /// HTTP status.
        status: u16,
        /// The typed body as JSON.
        body: Option<Value>,
    },
    /// An error answer decoded into the operation's error type.
    ErrorBody {
        /// HTTP status.
        status: u16,
        /// The typed error body as JSON.
        body: Option<Value>,
    },
    /// The call failed otherwise (could not be built, could not decode...).
    Failed {
        /// Why, in the SDK's words.
        message: String,
    },
}

impl Outcome {
    /// The status the SDK reported, if it got that far.
    pub fn status(&self) -> Option<u16> {
        match self {
            Outcome::Success { status, .. } | Outcome::ErrorBody { status, .. } => Some(*status),
            Outcome::Failed { .. } => None,
        }
    }

    /// The typed body as JSON, if any.
    pub fn body(&self) -> Option<&Value> {
        match self {
            Outcome::Success { body, .. } | Outcome::ErrorBody { body, .. } => body.as_ref(),
            Outcome::Failed { .. } => None,
        }
    }
}

/// The recorded request, taken apart, read through the SDK's types.
pub struct Args<'a> {
    path: BTreeMap<String, String>,
    query: Vec<(String, String)>,
    headers: &'a BTreeMap<String, String>,
    body: Option<&'a Value>,
}

fn parse<T: FromStr>(what: &str, name: &str, raw: &str) -> Result<T, String> {
    raw.parse()
        .map_err(|_| format!("{what} {name}={raw:?} is not a value the SDK's type takes"))
}

impl Args<'_> {
    /// A path parameter.
    pub fn path<T: FromStr>(&self, name: &str) -> Result<T, String> {
        let raw = self
            .path
            .get(name)
            .ok_or_else(|| format!("path parameter {name} is missing"))?;
        parse("path parameter", name, raw)
    }

    fn raw_query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// A query parameter, if the request has it.
    pub fn query<T: FromStr>(&self, name: &str) -> Result<Option<T>, String> {
        self.raw_query(name)
            .map(|raw| parse("query parameter", name, raw))
            .transpose()
    }

    /// A query parameter the operation requires.
    pub fn required_query<T: FromStr>(&self, name: &str) -> Result<T, String> {
        self.query(name)?
            .ok_or_else(|| format!("query parameter {name} is required and missing"))
    }

    /// A comma-separated list parameter (`include=a,b`), each item parsed with the SDK's type.
    pub fn list<T: FromStr>(&self, name: &str) -> Result<Option<Vec<T>>, String> {
        self.raw_query(name)
            .map(|raw| raw.split(',').map(|item| parse(name, "item", item)).collect())
            .transpose()
    }

    /// A list parameter sent as one key per value (`id=1&id=2`).
    pub fn repeated<T: FromStr>(&self, name: &str) -> Result<Option<Vec<T>>, String> {
        let values: Vec<&str> = self
            .query
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect();
        if values.is_empty() {
            return Ok(None);
        }
        values
            .into_iter()
            .map(|raw| parse(name, "item", raw))
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// A header parameter, if the request has it.
    pub fn header<T: FromStr>(&self, name: &str) -> Result<Option<T>, String> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(|raw| parse("header", name, raw))
            .transpose()
    }

    /// A header parameter the operation requires.
    pub fn required_header<T: FromStr>(&self, name: &str) -> Result<T, String> {
        self.header(name)?
            .ok_or_else(|| format!("header {name} is required and missing"))
    }

    /// The request body, as the SDK's type.
    pub fn body<T: DeserializeOwned>(&self) -> Result<Option<T>, String> {
        self.body
            .map(|body| crate::round_trip::decode(body).map_err(|e| format!("request body does not fit: {e}")))
            .transpose()
    }
}

/// Makes the SDK call for `cassette` against `management` or `storefront`.
pub async fn call(
    cassette: &Cassette,
    operation: &Operation,
    management: &Client,
    storefront: &StorefrontClient,
) -> Outcome {
    let request = &cassette.request;
    let Some(path) = match_path(&operation.path, &request.path) else {
        return Outcome::Failed {
            message: format!("path {} does not match {}", request.path, operation.path),
        };
    };
    let args = Args {
        path,
        query: request
            .query
            .as_deref()
            .map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default(),
        headers: &request.headers,
        body: request.body.as_ref(),
    };
    let called = crate::generated::dispatch::call(cassette.api(), &operation.id, &args, management, storefront);
    match called.await {
        Ok(outcome) => outcome,
        Err(message) => Outcome::Failed { message },
    }
}

/// Every (API, operation id) [`call`] knows, for coverage checks.
pub use crate::generated::dispatch::OPERATIONS;

/// Reads the outcome the way a caller does: success as the typed value,
/// failure through the SDK's one error type.
pub fn finish<T: Serialize, X: Into<Error>>(result: Result<ResponseValue<T>, X>) -> Outcome {
    fn json<V: Serialize>(value: &V) -> Option<Value> {
        match serde_json::to_value(value) {
            Ok(Value::Null) | Err(_) => None,
            Ok(value) => Some(value),
        }
    }
    match result {
        Ok(response) => Outcome::Success {
            status: response.status().as_u16(),
            body: json(&*response),
        },
        Err(error) => match error.into() {
            Error::Api { status, body, .. } => {
                // An empty error body reads as an envelope without fields.
                let body = json(&*body).filter(|b| !crate::compare::says_nothing(b));
                Outcome::ErrorBody {
                    status: status.as_u16(),
                    body,
                }
            }
            other => Outcome::Failed {
                message: other.to_string(),
            },
        },
    }
}
