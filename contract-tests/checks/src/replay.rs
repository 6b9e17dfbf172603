//! Replaying a cassette over real HTTP: a local server answers with the
//! recorded response, the SDK makes the call, and both sides are kept for the
//! checks.

use std::collections::BTreeMap;

use bigcommerce_carts::{Client, RetryPolicy, StorefrontClient};
use serde_json::Value;

use crate::canned::{Answer, CannedServer, Received};
use crate::cassette::Cassette;
use crate::compare::{self, Mismatch};
use crate::dispatch::{self, Outcome};
use crate::spec::Specs;

/// The access token replays use; cassettes hold `<redacted>` in its place.
pub const TEST_TOKEN: &str = "contract-test-token";

/// What reached the server.
#[derive(Debug, Clone, PartialEq)]
pub struct SentRequest {
    /// HTTP method.
    pub method: String,
    /// Path, relative to the base URL.
    pub path: String,
    /// The raw query string.
    pub query: Option<String>,
    /// Headers, lower-case names (the last value of repeated ones).
    pub headers: BTreeMap<String, String>,
    /// The body as JSON (`None` when empty; a non-JSON body is kept as a string).
    pub body: Option<Value>,
}

/// A replayed cassette.
#[derive(Debug, Clone)]
pub struct Replay {
    /// What the SDK sent (`None` if it sent nothing).
    pub sent: Option<SentRequest>,
    /// What the SDK made of the answer.
    pub outcome: Outcome,
}

/// Serves the cassette's response on 127.0.0.1 and makes the SDK call.
pub async fn replay(specs: &Specs, cassette: &Cassette) -> Replay {
    let Some(operation) = specs.operation(cassette.api(), &cassette.operation) else {
        let message = format!("{} has no operation {}", cassette.api(), cassette.operation);
        return failed(message);
    };
    let server = match recorded_answer(cassette) {
        Ok(answer) => CannedServer::start(answer).await,
        Err(e) => Err(format!("the recorded answer cannot be served: {e}")),
    };
    let server = match server {
        Ok(server) => server,
        Err(message) => return failed(message),
    };

    // One cassette is one interaction: the replay must not retry a recorded 429 or 503.
    let management = Client::builder("conformance", TEST_TOKEN)
        .base_url(server.uri())
        .retry(RetryPolicy::never())
        .build();
    let storefront = StorefrontClient::builder("shop.example.com")
        .base_url(server.uri())
        .retry(RetryPolicy::never())
        .build();
    let outcome = match (management, storefront) {
        (Ok(management), Ok(storefront)) => dispatch::call(cassette, operation, &management, &storefront).await,
        (Err(e), _) | (_, Err(e)) => Outcome::Failed { message: e.to_string() },
    };
    let sent = server.take_received().into_iter().next().map(sent_request);
    Replay { sent, outcome }
}

fn failed(message: String) -> Replay {
    Replay {
        sent: None,
        outcome: Outcome::Failed { message },
    }
}

/// The cassette's response as the server gives it: its status, its headers and its body, sent as
/// JSON unless the cassette names another content type.
fn recorded_answer(cassette: &Cassette) -> Result<Answer, String> {
    let response = &cassette.response;
    let mut answer = Answer::new(response.status)?;
    for (name, value) in &response.headers {
        if !name.eq_ignore_ascii_case("content-type") {
            answer = answer.header(name, value)?;
        }
    }
    if let Some(body) = &response.body {
        let content_type = response
            .headers
            .get("content-type")
            .map(String::as_str)
            .unwrap_or("application/json");
        let bytes = serde_json::to_vec(body).map_err(|e| format!("the body does not serialize: {e}"))?;
        answer = answer.header("content-type", content_type)?.body(bytes);
    }
    Ok(answer)
}

/// A received request as the checks read it.
fn sent_request(request: Received) -> SentRequest {
    let headers = request
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = if request.body.is_empty() {
        None
    } else {
        Some(
            serde_json::from_slice(&request.body)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&request.body).into_owned())),
        )
    };
    SentRequest {
        method: request.method.to_string(),
        path: request.uri.path().to_string(),
        query: request.uri.query().map(str::to_string),
        headers,
        body,
    }
}

/// Every way the sent request differs from the recorded one.
pub fn request_differences(cassette: &Cassette, sent: &SentRequest) -> Vec<String> {
    let recorded = &cassette.request;
    let mut out = Vec::new();
    if sent.method != recorded.method {
        out.push(format!("method: recorded {}, sent {}", recorded.method, sent.method));
    }
    if sent.path != recorded.path {
        out.push(format!("path: recorded {}, sent {}", recorded.path, sent.path));
    }
    if sent.query != recorded.query {
        out.push(format!("query: recorded {:?}, sent {:?}", recorded.query, sent.query));
    }
    for (name, value) in &recorded.headers {
        let name = name.to_ascii_lowercase();
        let expected = if value == "<redacted>" {
            TEST_TOKEN
        } else {
            value.as_str()
        };
        match sent.headers.get(&name) {
            Some(actual) if actual == expected => {}
            Some(actual) if name == "x-auth-token" => {
                out.push(format!("header {name}: sent {} bytes, not the token", actual.len()))
            }
            Some(actual) => out.push(format!("header {name}: recorded {value:?}, sent {actual:?}")),
            None => out.push(format!("header {name}: not sent")),
        }
    }
    if cassette.api().is_management() && !sent.headers.contains_key("x-auth-token") {
        out.push("header x-auth-token: not sent".into());
    }
    match (&recorded.body, &sent.body) {
        (Some(r), Some(s)) => out.extend(
            compare::differences_in(compare::Mode::Request, r, s)
                .iter()
                .map(|d| format!("body {d}")),
        ),
        (None, None) => {}
        (r, s) => out.push(format!("body: recorded {r:?}, sent {s:?}")),
    }
    out
}

/// Every field of the recorded response body the typed value lost, added or changed.
pub fn response_differences(cassette: &Cassette, outcome: &Outcome) -> Vec<Mismatch> {
    match (&cassette.response.body, outcome.body()) {
        (Some(recorded), Some(sdk)) => compare::differences(recorded, sdk),
        (Some(recorded), None) => compare::differences(recorded, &Value::Null),
        (None, Some(sdk)) => vec![Mismatch {
            path: "$".into(),
            recorded: None,
            sdk: Some(sdk.clone()),
        }],
        (None, None) => Vec::new(),
    }
}

/// Everything that keeps a replay from matching its cassette: the request
/// sent, the status seen, the kind of outcome, and every field of the body.
pub fn problems(cassette: &Cassette, replayed: &Replay) -> Vec<String> {
    let mut problems = Vec::new();
    match &replayed.sent {
        Some(sent) => problems.extend(request_differences(cassette, sent)),
        None => problems.push("the SDK sent nothing".to_string()),
    }
    match (&replayed.outcome, cassette.is_success()) {
        (Outcome::Success { .. }, true) | (Outcome::ErrorBody { .. }, false) => {}
        (Outcome::Failed { message }, _) => problems.push(format!("call failed: {message}")),
        (other, _) => problems.push(format!("status {} read as {other:?}", cassette.response.status)),
    }
    if let Some(status) = replayed.outcome.status()
        && status != cassette.response.status
    {
        problems.push(format!(
            "status: recorded {}, SDK saw {status}",
            cassette.response.status
        ));
    }
    if !matches!(replayed.outcome, Outcome::Failed { .. }) {
        problems.extend(
            response_differences(cassette, &replayed.outcome)
                .iter()
                .map(|m| format!("response {m}")),
        );
    }
    problems
}

/// Sends `getCart` once for every subset of the documented `include` values
/// and gives the query string each went out with.
pub async fn include_subsets() -> Vec<(Vec<bigcommerce_carts::Include>, Option<String>)> {
    use bigcommerce_carts::Include;
    let all = [
        Include::RedirectUrls,
        Include::LineItemsPhysicalItemsOptions,
        Include::LineItemsDigitalItemsOptions,
        Include::PromotionsBanners,
    ];
    let Ok(answer) = Answer::new(404) else {
        return Vec::new();
    };
    let Ok(server) = CannedServer::start(answer).await else {
        return Vec::new();
    };
    let Ok(client) = Client::builder("conformance", TEST_TOKEN)
        .base_url(server.uri())
        .build()
    else {
        return Vec::new();
    };
    let cart_id = uuid::Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0001);
    let mut subsets = Vec::new();
    for mask in 0u8..16 {
        let subset: Vec<Include> = all
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, v)| *v)
            .collect();
        let mut builder = client.carts().get_cart().cart_id(cart_id);
        if !subset.is_empty() {
            builder = builder.include(subset.clone());
        }
        let _ = builder.send().await;
        subsets.push(subset);
    }
    let received = server.take_received();
    subsets
        .into_iter()
        .zip(
            received
                .iter()
                .map(|r| r.uri.query().map(str::to_string))
                .chain(std::iter::repeat(None)),
        )
        .collect()
}
