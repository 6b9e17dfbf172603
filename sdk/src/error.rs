//! The crate's errors: building a client ([`BuildError`]) and calls ([`Error`]).

use reqwest::StatusCode;

use crate::ErrorBody;
use crate::retry::RateLimit;
use crate::transport::Failure;

/// Why a client could not be built. Each variant names the bad input; none
/// repeats the access token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The store hash is empty or holds characters a store hash never has.
    #[error(
        "invalid store hash {store_hash:?}: expected letters and digits only, as in the API path /stores/<hash>/v3"
    )]
    InvalidStoreHash {
        /// The store hash as given.
        store_hash: String,
    },
    /// The access token cannot be sent as an HTTP header.
    #[error("invalid access token: {reason}")]
    InvalidAccessToken {
        /// What is wrong with it (the token itself is never shown).
        reason: &'static str,
    },
    /// The storefront domain is not a bare host name (with an optional port).
    #[error(
        "invalid store domain {store_domain:?}: expected a host name such as shop.example.com, without scheme or path"
    )]
    InvalidStoreDomain {
        /// The domain as given.
        store_domain: String,
    },
    /// The base URL does not parse or is not an absolute http(s) URL.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The HTTP client could not be set up.
    #[error("cannot build the HTTP client")]
    Http(#[from] reqwest::Error),
    /// TLS could not be set up (no crypto provider, no certificate verifier).
    #[error("cannot set up TLS: {reason}")]
    Tls {
        /// What failed.
        reason: String,
    },
}

/// Why a call failed: the one error type of the crate's calls.
///
/// Every `send()` returns it. Neither `Display` nor `Debug` shows the access
/// token or the body of a cart (whose redirect URLs carry tokens).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status; `body` is its error envelope
    /// (empty when the answer had none).
    #[error("{}", describe(*status, body))]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The decoded v3 error envelope.
        body: Box<ErrorBody>,
        /// The rate-limit figures of the answer, when it had them (a 429 does).
        rate_limit: Option<RateLimit>,
    },
    /// The request could not be built from the values given to the builder.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// An answer came, but not one the operation's type can hold: a body
    /// that is not JSON, is cut short, has values of the wrong type, or is
    /// over the size limit.
    #[error("unreadable answer from the API{}: {reason}", path.as_deref().map(|p| format!(" at {p}")).unwrap_or_default())]
    InvalidResponse {
        /// What was wrong with it.
        reason: String,
        /// The JSON path of the field that does not fit (`data.line_items.physical_items[0].parent_id`),
        /// when the body is JSON.
        path: Option<String>,
    },
    /// No (complete) answer: no connection could be made, the request timed
    /// out, or the connection was closed before the answer was complete. The
    /// message says which; the `reqwest` error and its causes hold the rest.
    #[error("{}", describe_transport(.0))]
    Transport(#[source] reqwest::Error),
}

impl Error {
    /// The HTTP status, for errors the API answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } => Some(*status),
            Error::Transport(e) => e.status(),
            _ => None,
        }
    }

    /// Whether the API refused a change because the cart changed since the
    /// `version` the request sent (409 Conflict): read the cart again, then
    /// send the change with its new `version`. Nothing was changed.
    pub fn is_version_conflict(&self) -> bool {
        matches!(self, Error::Api { status, .. } if *status == StatusCode::CONFLICT)
    }

    /// The error envelope, for errors the API answered.
    pub fn body(&self) -> Option<&ErrorBody> {
        match self {
            Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The rate-limit figures the error answer carried.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        match self {
            Error::Api { rate_limit, .. } => *rate_limit,
            _ => None,
        }
    }
}

/// Names what happened to a request without a complete answer, then gives
/// `reqwest`'s own message (which names the URL, never a header).
fn describe_transport(error: &reqwest::Error) -> String {
    // A body error comes from reading an answer that had begun: its head
    // came, and the body did not arrive whole.
    let answer_begun = error.is_body() || error.is_decode();
    match (Failure::of(error), answer_begun) {
        (Failure::Closed, true) => {
            format!("incomplete answer from the API: the connection was closed before its end ({error})")
        }
        (Failure::Timeout, true) => format!("incomplete answer from the API: it timed out ({error})"),
        (_, true) => format!("incomplete answer from the API: {error}"),
        (Failure::Other, false) => format!("no answer from the API: {error}"),
        (failure, false) => format!("no answer from the API: {} ({error})", failure.as_str()),
    }
}

fn describe(status: StatusCode, body: &ErrorBody) -> String {
    let mut text = status.to_string();
    for part in [&body.title, &body.detail].into_iter().flatten() {
        let part = crate::redact::redact_tokens(part.trim());
        if !part.is_empty() && !text.contains(&part) {
            // A title that ends its sentence is followed by the detail's, not by a colon.
            let separator = if text.ends_with(['.', '!', '?']) { " " } else { ": " };
            text.push_str(separator);
            text.push_str(&part);
        }
    }
    if let Some(errors) = &body.errors
        && let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(errors)
    {
        let listed: Vec<String> = fields
            .iter()
            .map(|(field, message)| {
                let message = message
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| message.to_string());
                format!("{field}: {}", crate::redact::redact_tokens(&message))
            })
            .collect();
        if !listed.is_empty() {
            text.push_str(&format!(" ({})", listed.join("; ")));
        }
    }
    text
}

/// Error envelopes of the APIs, read as the crate's [`ErrorBody`].
///
/// Public only because the conversion from the generated clients' errors
/// names it; callers have no use for it.
#[doc(hidden)]
pub trait ErrorEnvelope {
    /// The envelope as an [`ErrorBody`].
    fn into_error_body(self) -> ErrorBody;
}

impl ErrorEnvelope for ErrorBody {
    fn into_error_body(self) -> ErrorBody {
        self
    }
}

/// The envelopes share their field names, so one reads as the other; a
/// field [`ErrorBody`] does not type is kept in its `extra`.
#[cfg(any(feature = "carts", feature = "abandoned-carts", feature = "storefront"))]
fn convert<T: serde::Serialize>(envelope: &T) -> ErrorBody {
    serde_json::to_value(envelope)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

#[cfg(feature = "carts")]
impl ErrorEnvelope for crate::carts::types::ErrorBody {
    fn into_error_body(self) -> ErrorBody {
        convert(&self)
    }
}

#[cfg(feature = "abandoned-carts")]
impl ErrorEnvelope for crate::abandoned_carts::types::ErrorBody {
    fn into_error_body(self) -> ErrorBody {
        convert(&self)
    }
}

#[cfg(feature = "storefront")]
impl ErrorEnvelope for crate::storefront::types::ErrorBody {
    fn into_error_body(self) -> ErrorBody {
        convert(&self)
    }
}

impl ErrorEnvelope for () {
    fn into_error_body(self) -> ErrorBody {
        ErrorBody::default()
    }
}

impl<E: ErrorEnvelope> From<progenitor_client::Error<E>> for Error {
    fn from(error: progenitor_client::Error<E>) -> Self {
        use progenitor_client::Error as Generated;
        match error {
            Generated::ErrorResponse(response) => {
                let status = response.status();
                let rate_limit = RateLimit::from_headers(response.headers());
                Error::Api {
                    status,
                    body: Box::new(response.into_inner().into_error_body()),
                    rate_limit,
                }
            }
            Generated::InvalidRequest(message) | Generated::Custom(message) => Error::InvalidRequest(message),
            Generated::CommunicationError(e) | Generated::InvalidUpgrade(e) => Error::Transport(e),
            Generated::ResponseBodyError(e) => match crate::limit::too_large(&e) {
                Some(too_large) => Error::InvalidResponse {
                    reason: too_large.to_string(),
                    path: None,
                },
                None => Error::Transport(e),
            },
            Generated::InvalidResponsePayload(bytes, e) => Error::InvalidResponse {
                reason: format!(
                    "the {} byte body does not fit the operation's type: {}",
                    bytes.len(),
                    crate::redact::redact_tokens(&e.to_string())
                ),
                path: None,
            },
            Generated::UnexpectedResponse(response) => Error::InvalidResponse {
                reason: format!("status {} is not an answer of this operation", response.status()),
                path: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(title: &str, detail: &str) -> ErrorBody {
        serde_json::from_value(serde_json::json!({"title": title, "detail": detail})).expect("an envelope")
    }

    #[test]
    fn only_a_409_answer_is_a_version_conflict() {
        let api = |status: u16| Error::Api {
            status: StatusCode::from_u16(status).unwrap(),
            body: Box::new(body("t", "d")),
            rate_limit: None,
        };
        assert!(api(409).is_version_conflict());
        assert!(!api(404).is_version_conflict());
        assert!(!api(422).is_version_conflict());
        assert!(!Error::InvalidRequest("x".into()).is_version_conflict());
    }

    #[test]
    fn a_title_that_ends_its_sentence_is_followed_by_the_detail_and_others_by_a_colon() {
        assert_eq!(
            describe(
                StatusCode::CONFLICT,
                &body(
                    "The cart has changed since it was read.",
                    "Cart version 99 is not current."
                )
            ),
            "409 Conflict: The cart has changed since it was read. Cart version 99 is not current."
        );
        assert_eq!(
            describe(
                StatusCode::CONFLICT,
                &body("Cart changed", "Cart version 99 is not current.")
            ),
            "409 Conflict: Cart changed: Cart version 99 is not current."
        );
    }
}
