//! Answers the client cannot trust: bodies over a size limit, and error
//! answers that are not the JSON error envelope (an HTML page from a proxy,
//! a cut-off or mistyped body).

use std::fmt;

use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use serde::de::DeserializeOwned;

/// The default largest body the client reads: 16 MiB.
pub const DEFAULT_MAX_BODY: u64 = 16 * 1024 * 1024;

/// A body stopped at the size limit.
#[derive(Debug)]
pub(crate) struct BodyTooLarge {
    pub(crate) limit: u64,
}

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the body is over the {}-byte limit", self.limit)
    }
}

impl std::error::Error for BodyTooLarge {}

/// The body stopped at the limit, when that is what `error` (or one of its
/// causes) is.
pub(crate) fn too_large<'e>(error: &'e (dyn std::error::Error + 'static)) -> Option<&'e BodyTooLarge> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        if let Some(too_large) = current.downcast_ref::<BodyTooLarge>() {
            return Some(too_large);
        }
        cause = current.source();
    }
    None
}

/// Makes an answer safe to decode:
/// - a success body is read through a guard that stops it at `limit` bytes;
/// - an error body that is over `limit`, cut short, or does not decode as
///   the API's error envelope `E` is replaced by an envelope saying what
///   came, so the caller still gets the status and a readable error.
pub(crate) async fn guard<E: DeserializeOwned>(response: reqwest::Response, limit: u64) -> reqwest::Response {
    let status = response.status();
    if status.is_client_error() || status.is_server_error() {
        return guard_error::<E>(response, limit).await;
    }
    let declared = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    // A declared length within the limit bounds the body already: HTTP/1.1 and
    // HTTP/2 framing stop it there, so the answer is handed on untouched.
    if declared.is_some_and(|length| length <= limit) {
        return response;
    }
    let (parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
    let mut seen = 0u64;
    let mut over = declared.is_some_and(|length| length > limit);
    let stream = http_body_util::BodyDataStream::new(body).map(move |chunk| {
        let chunk: Bytes = chunk?;
        seen += chunk.len() as u64;
        if over || seen > limit {
            over = true;
            return Err(Box::new(BodyTooLarge { limit }) as Box<dyn std::error::Error + Send + Sync>);
        }
        Ok(chunk)
    });
    reqwest::Response::from(http::Response::from_parts(parts, reqwest::Body::wrap_stream(stream)))
}

async fn guard_error<E: DeserializeOwned>(mut response: reqwest::Response, limit: u64) -> reqwest::Response {
    let status = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("no content type")
        .to_string();
    let mut body = Vec::new();
    let problem = loop {
        match response.chunk().await {
            Ok(Some(chunk)) if (body.len() + chunk.len()) as u64 > limit => {
                break Some(format!("the error answer is over the {limit}-byte limit"));
            }
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => break None,
            Err(_) => break Some(format!("the error answer was cut short after {} bytes", body.len())),
        }
    };
    let problem = problem.or_else(|| {
        serde_json::from_slice::<E>(&body).err().map(|e| {
            let kind = if serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_ok() {
                format!("it does not fit the error envelope: {e}")
            } else {
                format!("it is not JSON ({content_type}, {} bytes)", body.len())
            };
            format!("the error answer is not the API's error envelope: {kind}")
        })
    });
    let body = match problem {
        None => Bytes::from(body),
        Some(detail) => {
            let envelope = serde_json::json!({
                "status": status.as_u16(),
                "title": status.canonical_reason().unwrap_or("Error"),
                "detail": crate::redact::redact_tokens(&detail),
            });
            Bytes::from(envelope.to_string())
        }
    };
    let (mut parts, _) = http::Response::<reqwest::Body>::from(response).into_parts();
    parts.headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorBody;

    fn response(status: u16, content_type: &str, body: &'static [u8]) -> reqwest::Response {
        let response = http::Response::builder()
            .status(status)
            .header(CONTENT_TYPE, content_type)
            .header(CONTENT_LENGTH, body.len())
            .body(body)
            .unwrap();
        reqwest::Response::from(response)
    }

    #[tokio::test]
    async fn a_proxy_page_becomes_an_envelope_with_the_status() {
        let page = guard::<ErrorBody>(response(502, "text/html", b"<html>Bad gateway</html>"), 1024).await;
        assert_eq!(page.status(), 502);
        let body: ErrorBody = page.json().await.unwrap();
        assert_eq!(body.status, Some(502));
        assert_eq!(body.title.as_deref(), Some("Bad Gateway"));
        assert!(body.detail.unwrap().contains("not JSON (text/html, 24 bytes)"));
    }

    #[tokio::test]
    async fn a_valid_envelope_passes_untouched_and_a_mistyped_one_is_replaced() {
        let valid = guard::<ErrorBody>(
            response(404, "application/json", br#"{"status":404,"title":"Not Found"}"#),
            1024,
        );
        assert_eq!(
            valid.await.text().await.unwrap(),
            r#"{"status":404,"title":"Not Found"}"#
        );
        let mistyped = guard::<ErrorBody>(response(422, "application/json", br#"{"status":"oops"}"#), 1024).await;
        let body: ErrorBody = mistyped.json().await.unwrap();
        assert_eq!(body.status, Some(422));
        assert!(body.detail.unwrap().contains("does not fit the error envelope"));
    }

    #[tokio::test]
    async fn success_bodies_stop_at_the_limit() {
        let big = guard::<ErrorBody>(response(200, "application/json", b"[1,2,3,4,5,6,7,8,9]"), 8).await;
        let error = big.bytes().await.unwrap_err();
        assert_eq!(too_large(&error).map(|e| e.limit), Some(8));
        let small = guard::<ErrorBody>(response(200, "application/json", b"[1]"), 8).await;
        assert_eq!(small.bytes().await.unwrap(), "[1]");
    }
}
