//! A server on 127.0.0.1 that gives one recorded answer to every request and keeps each request
//! it received: what the replay of a cassette and the `include` checks call the SDK against.
//!
//! axum serves it, as it serves the simulator. The tests' mock server (wiremock) is not compiled
//! into the gate: it brings HTTP/2, a connection pool and futures' macros (7 to 18 s of CPU in
//! two alternating cold builds of the gate's binary; the README, "How long it takes"), for a
//! server that needs neither matching nor more than one answer.

use std::sync::{Arc, Mutex, PoisonError};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The answer the server gives to every request.
#[derive(Debug, Clone)]
pub struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    /// An answer with `status`, no header and no body; an error names a status HTTP has not.
    pub fn new(status: u16) -> Result<Self, String> {
        let status = StatusCode::from_u16(status).map_err(|_| format!("{status} is not an HTTP status"))?;
        Ok(Self {
            status,
            headers: HeaderMap::new(),
            body: Bytes::new(),
        })
    }

    /// Adds the header `name: value`; an error names one that HTTP cannot carry.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, String> {
        let header = HeaderName::try_from(name).map_err(|_| format!("`{name}` is not a header name"))?;
        let value =
            HeaderValue::try_from(value).map_err(|_| format!("the header {name} has a value HTTP cannot carry"))?;
        self.headers.append(header, value);
        Ok(self)
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }
}

/// A request the server received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The method.
    pub method: Method,
    /// The path and query, as sent.
    pub uri: Uri,
    /// The headers.
    pub headers: HeaderMap,
    /// The body, empty when none was sent.
    pub body: Bytes,
}

#[derive(Debug)]
struct Shared {
    answer: Answer,
    received: Vec<Received>,
}

/// The server; it stops when dropped.
#[derive(Debug)]
pub struct CannedServer {
    uri: String,
    shared: Arc<Mutex<Shared>>,
    serving: JoinHandle<()>,
}

impl CannedServer {
    /// Starts a server on a free port of 127.0.0.1 that gives `answer` to every request.
    pub async fn start(answer: Answer) -> Result<Self, String> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
        let address = listener
            .local_addr()
            .map_err(|e| format!("cannot tell the server's address: {e}"))?;
        let shared = Arc::new(Mutex::new(Shared {
            answer,
            received: Vec::new(),
        }));
        let app = axum::Router::new()
            .fallback(answer_and_keep)
            .with_state(Arc::clone(&shared));
        let serving = tokio::spawn(async move {
            // An error here ends serving; the caller then sees its requests fail.
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self {
            uri: format!("http://{address}"),
            shared,
            serving,
        })
    }

    /// The server's base URL, `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The requests received since the start or the last call, oldest first.
    pub fn take_received(&self) -> Vec<Received> {
        std::mem::take(&mut self.lock().received)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for CannedServer {
    fn drop(&mut self) {
        self.serving.abort();
    }
}

async fn answer_and_keep(
    State(shared): State<Arc<Mutex<Shared>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut shared = shared.lock().unwrap_or_else(PoisonError::into_inner);
    shared.received.push(Received {
        method,
        uri,
        headers,
        body,
    });
    let answer = &shared.answer;
    let mut response = Response::new(Body::from(answer.body.clone()));
    *response.status_mut() = answer.status;
    *response.headers_mut() = answer.headers.clone();
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The answer goes out as given, and each request comes back as sent, in order.
    #[tokio::test]
    async fn answers_as_given_and_keeps_each_request() {
        let answer = Answer::new(201)
            .and_then(|a| a.header("content-type", "application/json"))
            .and_then(|a| a.header("x-rate-limit-requests-left", "7"))
            .map(|a| a.body(r#"{"data":1}"#))
            .expect("a valid answer");
        let server = CannedServer::start(answer).await.expect("the server starts");
        let client = reqwest::Client::new();
        for (path, body) in [("/carts?include=a,b", "{}"), ("/carts/1", "")] {
            let response = client
                .post(format!("{}{path}", server.uri()))
                .header("x-auth-token", "t")
                .body(body)
                .send()
                .await
                .expect("an answer");
            assert_eq!(response.status(), 201);
            assert_eq!(response.headers()["x-rate-limit-requests-left"], "7");
            assert_eq!(response.text().await.expect("a body"), r#"{"data":1}"#);
        }
        let received = server.take_received();
        assert_eq!(received.len(), 2);
        assert_eq!(
            (received[0].method.as_str(), received[0].uri.path()),
            ("POST", "/carts")
        );
        assert_eq!(received[0].uri.query(), Some("include=a,b"));
        assert_eq!(received[0].headers["x-auth-token"], "t");
        assert_eq!(&received[0].body[..], b"{}");
        assert_eq!(
            (received[1].uri.path(), received[1].body.is_empty()),
            ("/carts/1", true)
        );
        assert!(server.take_received().is_empty(), "taken once");
    }

    #[test]
    fn a_status_or_header_http_cannot_carry_is_named() {
        assert_eq!(Answer::new(1000).unwrap_err(), "1000 is not an HTTP status");
        let bad = Answer::new(200).and_then(|a| a.header("bad header", "x"));
        assert_eq!(bad.unwrap_err(), "`bad header` is not a header name");
    }
}
