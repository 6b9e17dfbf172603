//! Sending the scenario's API calls and keeping each as a cassette, redacted.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Credentials, LiveError, TargetKind};
use crate::cassette::{Api, Cassette, Provenance, ProvenanceKind, RecordedRequest, RecordedResponse};
use crate::secrets::{REDACTED_HEADER, redact_json};

/// An answer as the server gave it (tokens included: the scenario visits them).
pub(super) struct Answer {
    pub status: u16,
    pub body: Option<Value>,
}

impl Answer {
    /// The integer at `pointer` of the body.
    pub fn int(&self, pointer: &str) -> Option<i64> {
        self.body.as_ref()?.pointer(pointer)?.as_i64()
    }

    /// The string at `pointer` of the body.
    pub fn str(&self, pointer: &str) -> Option<&str> {
        self.body.as_ref()?.pointer(pointer)?.as_str()
    }
}

/// One API call of the scenario.
pub(super) struct Call<'a> {
    pub step: &'a str,
    pub operation: &'a str,
    pub method: reqwest::Method,
    pub path: String,
    pub query: Option<&'a str>,
    pub body: Option<Value>,
}

pub(super) struct Recorder {
    pub http: reqwest::Client,
    pub credentials: Credentials,
    pub date: String,
    pub cassettes: Vec<Cassette>,
}

impl Recorder {
    /// Sends one call and records it, redacted.
    pub async fn send(&mut self, call: Call<'_>) -> Result<Answer, LiveError> {
        let Call {
            step,
            operation,
            method,
            path,
            query,
            body,
        } = call;
        let url = match query {
            Some(q) => format!("{}{path}?{q}", self.credentials.base_url),
            None => format!("{}{path}", self.credentials.base_url),
        };
        let mut request = self
            .http
            .request(method.clone(), &url)
            .header("x-auth-token", self.credentials.access_token())
            .header("accept", "application/json");
        let mut headers = BTreeMap::from([("x-auth-token".to_string(), REDACTED_HEADER.to_string())]);
        if let Some(body) = &body {
            request = request.header("content-type", "application/json").json(body);
            headers.insert("content-type".into(), "application/json".into());
        }
        let response = request.send().await.map_err(|e| LiveError::transport(step, e))?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = response.bytes().await.map_err(|e| LiveError::transport(step, e))?;
        let answer =
            if bytes.is_empty() {
                None
            } else {
                Some(serde_json::from_slice::<Value>(&bytes).map_err(|e| {
                    LiveError::answer(step, format!("answered {status} with a body that is not JSON: {e}"))
                })?)
            };
        let mut redacted = answer.clone();
        if let Some(redacted) = &mut redacted {
            redact_json(redacted);
        }
        let mut response_headers = BTreeMap::new();
        if let Some(content_type) = content_type.filter(|_| answer.is_some()) {
            response_headers.insert("content-type".to_string(), content_type);
        }
        let (kind, what) = match self.credentials.kind {
            TargetKind::Store => (ProvenanceKind::LiveRecording, "store"),
            TargetKind::Simulator => (ProvenanceKind::SimulatorRecording, "simulator store"),
        };
        self.cassettes.push(Cassette {
            provenance: Provenance {
                kind,
                source: format!(
                    "Recorded from {what} {} by the live scenario, step {step:?}",
                    self.credentials.store_hash
                ),
                recorded: Some(self.date.clone()),
            },
            summary: step.to_string(),
            request: RecordedRequest {
                method: method.as_str().to_string(),
                path,
                query: query.map(str::to_string),
                headers,
                body,
            },
            response: RecordedResponse {
                status,
                headers: response_headers,
                body: redacted,
            },
            api: Some(Api::CartsV3),
            operation: operation.to_string(),
            file: format!("{}/{operation}--live-{}.yaml", Api::CartsV3.stem(), slug(step)).into(),
        });
        Ok(Answer { status, body: answer })
    }
}

/// `visit the cart URL again` → `visit-the-cart-url-again`.
fn slug(step: &str) -> String {
    let mut out = String::new();
    for c in step.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn steps_become_file_names() {
        assert_eq!(super::slug("read the cart, 29 days on"), "read-the-cart-29-days-on");
    }
}
