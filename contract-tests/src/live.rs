//! Talking to a real store: a short, non-destructive scenario (create a cart
//! with a custom item, read it, create redirect URLs, delete it) recorded as
//! cassettes with secrets redacted. `cargo xtask record` writes them to
//! `cassettes/`; `cargo xtask conformance --live` replays them against the SDK
//! and checks the rules on what the store really answered.

use std::collections::BTreeMap;
use std::fmt;

use bigcommerce_carts::carts::types as v3;
use serde_json::{Value, json};

use crate::cassette::{Api, Cassette, Provenance, ProvenanceKind, RecordedRequest, RecordedResponse};
use crate::rules::Verdict;
use crate::secrets::{REDACTED_HEADER, redact_json};
use crate::spec::Specs;
use crate::suite::{self, Report};

/// Where and as whom to talk to a store.
#[derive(Clone)]
pub struct Credentials {
    /// The store hash.
    pub store_hash: String,
    access_token: String,
    /// The API base URL; by default `https://api.bigcommerce.com/stores/{hash}/v3`.
    pub base_url: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("store_hash", &self.store_hash)
            .field("access_token", &REDACTED_HEADER)
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl Credentials {
    /// A store and token; `base_url` overrides the API address (a proxy, a test server).
    pub fn new(store_hash: impl Into<String>, access_token: impl Into<String>, base_url: Option<String>) -> Self {
        let store_hash = store_hash.into();
        let base_url = base_url.unwrap_or_else(|| format!("https://api.bigcommerce.com/stores/{store_hash}/v3"));
        Self {
            store_hash,
            access_token: access_token.into(),
            base_url: base_url.trim_end_matches('/').to_string(),
        }
    }

    /// `BIGCOMMERCE_STORE_HASH`, `BIGCOMMERCE_ACCESS_TOKEN` and, optionally,
    /// `BIGCOMMERCE_BASE_URL`; `None` unless both required ones are set.
    pub fn from_env() -> Option<Self> {
        let hash = std::env::var("BIGCOMMERCE_STORE_HASH")
            .ok()
            .filter(|s| !s.trim().is_empty())?;
        let token = std::env::var("BIGCOMMERCE_ACCESS_TOKEN")
            .ok()
            .filter(|s| !s.trim().is_empty())?;
        Some(Self::new(hash, token, std::env::var("BIGCOMMERCE_BASE_URL").ok()))
    }
}

/// Why the live scenario stopped.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The store could not be reached.
    #[error("{step}: the store could not be reached: {source}")]
    Transport {
        /// The step of the scenario.
        step: &'static str,
        /// The cause.
        source: reqwest::Error,
    },
    /// The store answered something the scenario cannot go on from.
    #[error("{step}: {message}")]
    Answer {
        /// The step of the scenario.
        step: &'static str,
        /// What was wrong.
        message: String,
    },
}

struct Recorder {
    http: reqwest::Client,
    credentials: Credentials,
    date: String,
    cassettes: Vec<Cassette>,
}

impl Recorder {
    /// Sends one request and records it, redacted.
    async fn send(
        &mut self,
        step: &'static str,
        operation: &str,
        method: reqwest::Method,
        path: String,
        query: Option<&str>,
        body: Option<Value>,
    ) -> Result<(u16, Option<Value>), LiveError> {
        let url = match query {
            Some(q) => format!("{}{path}?{q}", self.credentials.base_url),
            None => format!("{}{path}", self.credentials.base_url),
        };
        let mut request = self
            .http
            .request(method.clone(), &url)
            .header("x-auth-token", &self.credentials.access_token)
            .header("accept", "application/json");
        let mut headers = BTreeMap::from([("x-auth-token".to_string(), REDACTED_HEADER.to_string())]);
        if let Some(body) = &body {
            request = request.header("content-type", "application/json").json(body);
            headers.insert("content-type".into(), "application/json".into());
        }
        let response = request
            .send()
            .await
            .map_err(|source| LiveError::Transport { step, source })?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = response
            .bytes()
            .await
            .map_err(|source| LiveError::Transport { step, source })?;
        let mut answer = if bytes.is_empty() {
            None
        } else {
            Some(serde_json::from_slice::<Value>(&bytes).map_err(|e| LiveError::Answer {
                step,
                message: format!("answered {status} with a body that is not JSON: {e}"),
            })?)
        };
        if let Some(answer) = &mut answer {
            redact_json(answer);
        }
        let mut response_headers = BTreeMap::new();
        if let Some(content_type) = content_type.filter(|_| answer.is_some()) {
            response_headers.insert("content-type".to_string(), content_type);
        }
        self.cassettes.push(Cassette {
            provenance: Provenance {
                kind: ProvenanceKind::LiveRecording,
                source: format!(
                    "Recorded from store {} by the live scenario, step {step:?}",
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
                body: answer.clone(),
            },
            api: Some(Api::CartsV3),
            operation: operation.to_string(),
            file: format!("{}/{operation}--live-{}.yaml", Api::CartsV3.stem(), self.date).into(),
        });
        Ok((status, answer))
    }
}

/// Runs the scenario against the store and gives its interactions as
/// cassettes. The cart it creates is deleted at the end, also when a step
/// in between fails.
pub async fn record(credentials: &Credentials) -> Result<Vec<Cassette>, LiveError> {
    let http = bigcommerce_carts::http_client_builder()
        .map_err(|e| LiveError::Answer {
            step: "setup",
            message: e.to_string(),
        })?
        .user_agent(concat!("bigcommerce-carts-conformance/", env!("CARGO_PKG_VERSION")))
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .map_err(|source| LiveError::Transport { step: "setup", source })?;
    let date = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let mut recorder = Recorder {
        http,
        credentials: credentials.clone(),
        date,
        cassettes: Vec::new(),
    };

    // A custom item needs no catalog product, so the scenario runs on any store.
    let cart = sdk_spelling::<v3::CartCreateRequest>(json!({
        "custom_items": [{"sku": "CONFORMANCE-CHECK", "name": "Conformance check", "quantity": 1, "list_price": 1.0}]
    }))?;
    let (status, body) = recorder
        .send(
            "create a cart",
            "createCart",
            reqwest::Method::POST,
            "/carts".into(),
            Some("include=redirect_urls"),
            Some(cart),
        )
        .await?;
    let cart_id = body
        .as_ref()
        .and_then(|b| b.pointer("/data/id"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| LiveError::Answer {
            step: "create a cart",
            message: format!("answered {status} without a cart id"),
        })?;

    let steps = async {
        recorder
            .send(
                "read the cart",
                "getCart",
                reqwest::Method::GET,
                format!("/carts/{cart_id}"),
                None,
                None,
            )
            .await?;
        let params = sdk_spelling::<v3::RedirectUrlsRequest>(json!({"query_params": {"utm_source": "conformance"}}))?;
        recorder
            .send(
                "create redirect URLs",
                "createCartRedirectURL",
                reqwest::Method::POST,
                format!("/carts/{cart_id}/redirect_urls"),
                None,
                Some(params),
            )
            .await?;
        Ok::<_, LiveError>(())
    }
    .await;
    let deleted = recorder
        .send(
            "delete the cart",
            "deleteCart",
            reqwest::Method::DELETE,
            format!("/carts/{cart_id}"),
            None,
            None,
        )
        .await;
    steps?;
    deleted?;
    Ok(recorder.cassettes)
}

/// A request body as the SDK would send it: read into the SDK's type and
/// written back, so what the scenario sends is what a replay expects.
fn sdk_spelling<T: serde::de::DeserializeOwned + serde::Serialize>(body: Value) -> Result<Value, LiveError> {
    let typed: T = serde_json::from_value(body).map_err(|e| LiveError::Answer {
        step: "setup",
        message: format!("a scenario body does not fit the SDK: {e}"),
    })?;
    serde_json::to_value(typed).map_err(|e| LiveError::Answer {
        step: "setup",
        message: e.to_string(),
    })
}

/// Records the scenario and checks it like the recorded cassettes. Rules no
/// live interaction exercises are reported as not checkable, not failed.
pub async fn run(specs: &Specs, credentials: &Credentials) -> Result<Report, LiveError> {
    let cassettes = record(credentials).await?;
    let mut report = suite::run(specs, &cassettes).await;
    for rule in &mut report.rules {
        if rule.result == Verdict::Fail && rule.cases == 0 {
            rule.result = Verdict::NotCheckable;
            rule.failures = vec!["no live interaction exercises this rule".into()];
        }
    }
    // The live scenario touches a few operations, with no error cases.
    report.coverage.retain(|_, c| c.success + c.error > 0);
    report.uncovered.clear();
    Ok(report)
}
