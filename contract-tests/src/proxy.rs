//! A recording, judging proxy in front of a store: a service talks to it as to the API, it
//! forwards every request to the upstream (a sandbox store, or a simulator), and it keeps what
//! passed through three ways:
//!
//! - as journal entries, which the simulator's consumer rules judge
//!   (`bigcommerce_carts_sim::consumer`, the same rules as `StoreHandle::conformance`);
//! - as a check of each answer against our spec (its body against the response schema of its
//!   operation and status, with every field our spec marks as always present);
//! - as cassettes in the gate's format, with the access token and redirect tokens redacted.
//!
//! Storefront visits go to the store's own domain, not through the proxy, so the redirect-URL
//! rules are not exercised here.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bigcommerce_carts_sim::consumer::{self, ConsumerReport, Sent};
use bigcommerce_carts_sim::{JournalEntry, JournalExport};
use chrono::Utc;
use serde::Serialize;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::cassette::{Api, Cassette, Provenance, ProvenanceKind, RecordedRequest, RecordedResponse};
use crate::secrets::{REDACTED_TOKEN, redact_json};
use crate::spec::{self, SpecError, Specs};

/// The largest request body forwarded, in bytes (the simulator's limit too).
const MAX_BODY: usize = 1024 * 1024;

/// Headers of an answer that are passed back and recorded.
const ANSWER_HEADERS: [&str; 5] = [
    "content-type",
    "x-rate-limit-requests-left",
    "x-rate-limit-requests-quota",
    "x-rate-limit-time-window-ms",
    "x-rate-limit-time-reset-ms",
];

/// What a proxy forwards to and how it judges.
#[derive(Debug, Clone)]
pub struct ProxyOptions {
    /// The upstream's origin (`https://api.bigcommerce.com`, `http://127.0.0.1:8080`); paths
    /// are forwarded as they come (`/stores/{hash}/v3/...`).
    pub upstream: url::Url,
    /// Where to listen.
    pub listen: SocketAddr,
    /// The store's channels, for `consumer.channel_id_missing` (empty: not checkable).
    pub channels: Vec<i64>,
}

/// Why a proxy did not start.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// The specs could not be read.
    #[error(transparent)]
    Specs(#[from] SpecError),
    /// The upstream is not an http or https origin.
    #[error("--upstream {0}: give an http or https origin, such as https://api.bigcommerce.com")]
    Upstream(String),
    /// No HTTP client could be made.
    #[error("no HTTP client: {0}")]
    Client(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// How one answer of the upstream measured up to our spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerCheck {
    /// The journal number of the request.
    pub seq: u64,
    /// `METHOD /path`.
    pub request: String,
    /// The operation, when the path named one.
    pub operation: Option<String>,
    /// The status answered (0: no answer).
    pub status: u16,
    /// Each way the answer departs from our spec.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// What passed through.
#[derive(Debug, Default)]
struct Seen {
    journal: Vec<JournalEntry>,
    answers: Vec<AnswerCheck>,
    cassettes: Vec<Cassette>,
}

#[derive(Debug)]
struct Shared {
    upstream: url::Url,
    http: reqwest::Client,
    specs: Specs,
    channels: Vec<i64>,
    seen: Mutex<Seen>,
}

impl Shared {
    fn seen(&self) -> MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A running proxy. Dropping it stops it.
#[derive(Debug)]
pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    _stop: watch::Sender<()>,
}

impl Proxy {
    /// Starts a proxy on the current tokio runtime.
    pub async fn start(options: ProxyOptions) -> Result<Proxy, ProxyError> {
        let upstream = options.upstream;
        if !matches!(upstream.scheme(), "http" | "https") || upstream.host_str().is_none() {
            return Err(ProxyError::Upstream(upstream.to_string()));
        }
        let specs = Specs::load(&spec::default_dir())?;
        let http = bigcommerce_carts::http_client_builder()
            .and_then(|builder| {
                builder
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(Into::into)
            })
            .map_err(|e| ProxyError::Client(e.to_string()))?;
        let listener = TcpListener::bind(options.listen)
            .await
            .map_err(|source| ProxyError::Listen {
                addr: options.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| ProxyError::Listen {
            addr: options.listen,
            source,
        })?;
        let shared = Arc::new(Shared {
            upstream,
            http,
            specs,
            channels: options.channels,
            seen: Mutex::new(Seen::default()),
        });
        let router = Router::new().fallback(forward).with_state(shared.clone());
        let (stop, mut stopped) = watch::channel(());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.changed().await;
                })
                .await;
        });
        Ok(Proxy {
            addr,
            shared,
            _stop: stop,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The API base a service uses for `store_hash`: `http://127.0.0.1:PORT/stores/{hash}/v3`.
    pub fn api_base(&self, store_hash: &str) -> String {
        format!("http://{}/stores/{store_hash}/v3", self.addr)
    }

    /// What the service sent, as journal entries, with the channels given.
    pub fn journal(&self) -> JournalExport {
        JournalExport {
            entries: self.shared.seen().journal.clone(),
            dropped: 0,
            channels: self.shared.channels.clone(),
        }
    }

    /// The consumer rules on what the service sent.
    pub fn conformance(&self) -> ConsumerReport {
        consumer::evaluate(&self.journal())
    }

    /// Each answer of the upstream, checked against our spec.
    pub fn answers(&self) -> Vec<AnswerCheck> {
        self.shared.seen().answers.clone()
    }

    /// Every interaction as a cassette, secrets redacted.
    pub fn cassettes(&self) -> Vec<Cassette> {
        self.shared.seen().cassettes.clone()
    }
}

/// The path under the API base: `/stores/{hash}/v3/carts` gives `/carts`.
fn api_path(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/stores/")?;
    let (_, tail) = rest.split_once('/')?;
    tail.strip_prefix("v3").filter(|p| p.starts_with('/'))
}

fn error_answer(status: StatusCode, detail: &str) -> Response {
    let body = serde_json::json!({"status": status.as_u16(), "title": status.canonical_reason(), "detail": detail});
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// What an error answer's envelope says, on one line.
fn error_summary(body: Option<&Value>) -> Option<String> {
    let body = body?;
    let parts: Vec<String> = ["title", "detail"]
        .into_iter()
        .filter_map(|key| body.get(key).and_then(Value::as_str).map(str::to_string))
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

async fn forward(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Some(path) = api_path(parts.uri.path()).map(str::to_string) else {
        return error_answer(
            StatusCode::NOT_FOUND,
            "The proxy forwards /stores/{store_hash}/v3/... only.",
        );
    };
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return error_answer(StatusCode::PAYLOAD_TOO_LARGE, "Bodies are limited to 1 MiB.");
    };
    let query = parts.uri.query().map(str::to_string);
    let mut url = shared.upstream.clone();
    url.set_path(parts.uri.path());
    url.set_query(query.as_deref());
    let mut headers = HeaderMap::new();
    for (name, value) in &parts.headers {
        if !matches!(
            name.as_str(),
            "host" | "content-length" | "connection" | "transfer-encoding"
        ) {
            headers.insert(name.clone(), value.clone());
        }
    }
    let sent = shared
        .http
        .request(parts.method.clone(), url)
        .headers(headers)
        .body(bytes.clone())
        .send()
        .await;
    let (status, answer_headers, answer_body, fault) = match sent {
        Ok(response) => {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            match response.bytes().await {
                Ok(body) => (status, headers, body, None),
                Err(error) => (0, HeaderMap::new(), Bytes::new(), Some(format!("upstream: {error}"))),
            }
        }
        Err(error) => (0, HeaderMap::new(), Bytes::new(), Some(format!("upstream: {error}"))),
    };
    let answer_json: Option<Value> = serde_json::from_slice(&answer_body).ok();
    let mut entry = consumer::observe(
        Sent {
            method: parts.method.as_str(),
            path: &path,
            query: query.as_deref(),
            body: &bytes,
        },
        status,
        Utc::now(),
    );
    entry.fault = fault;
    if status >= 400 {
        entry.error = entry.error.or_else(|| error_summary(answer_json.as_ref()));
    }
    if status == 429 {
        entry.rate_limit_reset_ms = answer_headers
            .get("x-rate-limit-time-reset-ms")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
    }
    record(&shared, entry, &answer_headers, answer_json);

    if status == 0 {
        // The upstream gave no answer; a gateway in its place says 502.
        return error_answer(
            StatusCode::BAD_GATEWAY,
            "The upstream closed the connection without an answer.",
        );
    }
    let mut response = Response::new(Body::from(answer_body));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    for name in ANSWER_HEADERS {
        if let Some(value) = answer_headers.get(name) {
            response.headers_mut().insert(name, value.clone());
        }
    }
    if let Some(location) = answer_headers.get(header::LOCATION) {
        response.headers_mut().insert(header::LOCATION, location.clone());
    }
    response
}

/// Numbers the entry, checks the answer and writes the cassette.
fn record(shared: &Shared, mut entry: JournalEntry, answer_headers: &HeaderMap, answer: Option<Value>) {
    let mut seen = shared.seen();
    entry.seq = seen.journal.len() as u64 + 1;
    let api = entry.operation.as_deref().and_then(|id| {
        [Api::CartsV3, Api::AbandonedCartsV3]
            .into_iter()
            .find(|api| shared.specs.operation(*api, id).is_some())
    });
    let problems = match (api, entry.operation.as_deref()) {
        (Some(api), Some(id)) if entry.status != 0 => {
            check_answer(&shared.specs, api, id, entry.status, answer.as_ref())
        }
        _ => Vec::new(),
    };
    seen.answers.push(AnswerCheck {
        seq: entry.seq,
        request: format!("{} {}", entry.method, entry.path),
        operation: entry.operation.clone(),
        status: entry.status,
        problems,
    });
    if let (Some(api), Some(operation)) = (api, entry.operation.clone()) {
        seen.cassettes
            .push(cassette(shared, api, operation, &entry, answer_headers, answer));
    }
    seen.journal.push(entry);
}

/// The ways an answer departs from our spec: an undocumented status, a body that does not
/// match the response schema (with every always-present field demanded).
fn check_answer(specs: &Specs, api: Api, id: &str, status: u16, body: Option<&Value>) -> Vec<String> {
    let Some(op) = specs.operation(api, id) else {
        return Vec::new();
    };
    let Some(schema) = specs.response_schema(op, status) else {
        if op.statuses.iter().any(|s| s == &status.to_string()) {
            return Vec::new();
        }
        // Our spec, like the published one, leaves most error statuses undocumented per
        // operation; what every error answer owes is the v3 error envelope.
        if status >= 400 {
            let envelope = body.is_some_and(|b| b.get("status").is_some_and(Value::is_number));
            return if envelope {
                Vec::new()
            } else {
                vec![format!(
                    "{id} answered {status} without the v3 error envelope (a JSON object with status)"
                )]
            };
        }
        return vec![format!(
            "{id} answered {status}, a status our spec does not document for it"
        )];
    };
    let Some(body) = body else {
        return vec![format!(
            "{id} answered {status} without the JSON body our spec describes"
        )];
    };
    let Ok(validator) = jsonschema::draft7::new(&specs.documented_json_schema(api, &schema)) else {
        return Vec::new();
    };
    validator
        .iter_errors(body)
        .take(10)
        .map(|error| format!("{id} answered {status}: at {}: {error}", error.instance_path()))
        .collect()
}

/// An interaction as a cassette: no access token, redirect tokens replaced.
fn cassette(
    shared: &Shared,
    api: Api,
    operation: String,
    entry: &JournalEntry,
    answer_headers: &HeaderMap,
    answer: Option<Value>,
) -> Cassette {
    let mut request_body = entry.body.clone();
    if let Some(body) = request_body.as_mut() {
        redact_json(body);
    }
    let mut response_body = answer;
    if let Some(body) = response_body.as_mut() {
        redact_json(body);
    }
    let query = entry.query.as_deref().map(|q| {
        q.split('&')
            .map(|pair| match pair.split_once('=') {
                Some(("token", _)) => format!("token={REDACTED_TOKEN}"),
                _ => pair.to_string(),
            })
            .collect::<Vec<_>>()
            .join("&")
    });
    let headers = ANSWER_HEADERS
        .iter()
        .filter_map(|name| {
            let value = answer_headers.get(*name)?.to_str().ok()?;
            Some((name.to_string(), value.to_string()))
        })
        .collect();
    Cassette {
        provenance: Provenance {
            kind: ProvenanceKind::LiveRecording,
            source: format!(
                "Recorded by the consumer proxy in front of {}",
                shared.upstream.origin().ascii_serialization()
            ),
            recorded: Some(entry.at.format("%Y-%m-%d").to_string()),
        },
        summary: format!("a service's request number {}", entry.seq),
        request: RecordedRequest {
            method: entry.method.clone(),
            path: entry.path.clone(),
            query,
            headers: Default::default(),
            body: request_body,
        },
        response: RecordedResponse {
            status: entry.status,
            headers,
            body: response_body,
        },
        api: Some(api),
        file: format!("{}/{operation}--proxy-{:04}.yaml", api.stem(), entry.seq).into(),
        operation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths_are_what_follows_v3() {
        assert_eq!(api_path("/stores/abc/v3/carts/x"), Some("/carts/x"));
        assert_eq!(api_path("/stores/abc/v2/carts"), None);
        assert_eq!(api_path("/cart.php"), None);
    }

    #[test]
    fn answers_off_the_spec_are_named() {
        let specs = Specs::load(&spec::default_dir()).unwrap();
        let wrong = serde_json::json!({"data": {"id": 5}});
        let problems = check_answer(&specs, Api::CartsV3, "getCart", 200, Some(&wrong));
        assert!(!problems.is_empty());
        assert!(problems[0].starts_with("getCart answered 200: at "), "{problems:?}");
        let problems = check_answer(&specs, Api::CartsV3, "getCart", 200, None);
        assert_eq!(
            problems,
            ["getCart answered 200 without the JSON body our spec describes"]
        );
        let envelope = serde_json::json!({"status": 422, "title": "JSON data is missing or invalid"});
        assert!(check_answer(&specs, Api::CartsV3, "createCart", 422, Some(&envelope)).is_empty());
        let problems = check_answer(&specs, Api::CartsV3, "createCart", 422, Some(&serde_json::json!("no")));
        assert_eq!(problems.len(), 1, "{problems:?}");
        let problems = check_answer(&specs, Api::CartsV3, "createCart", 202, None);
        assert_eq!(
            problems,
            ["createCart answered 202, a status our spec does not document for it"]
        );
    }

    #[test]
    fn error_summaries_join_title_and_detail() {
        let body = serde_json::json!({"title": "Conflict", "detail": "version 3 is not 4"});
        assert_eq!(
            error_summary(Some(&body)).as_deref(),
            Some("Conflict; version 3 is not 4")
        );
        assert_eq!(error_summary(Some(&serde_json::json!({}))), None);
    }
}
