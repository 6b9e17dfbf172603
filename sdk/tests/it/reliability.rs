//! Rate limits, retries and failing servers, against local servers on
//! 127.0.0.1. Tokio's clock is paused: waits take no real time, and the
//! time waited is exact.

use std::cell::Cell;
use std::sync::Once;
use std::time::Duration;

use bigcommerce_carts::carts::types::CartCreateRequest;
use bigcommerce_carts::{Client, Error, RetryPolicy};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CART_ID: &str = "2f6d8e1a-3b4c-4d5e-8f9a-0b1c2d3e4f5a";

/// A client without connection pooling or timeouts: an idle pooled
/// connection keeps a timer that a paused clock would jump to.
fn client(uri: &str, retry: RetryPolicy) -> Client {
    count_retry_events();
    let http = bigcommerce_carts::http_client_builder()
        .unwrap()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    Client::builder("reliability", "token")
        .base_url(uri)
        .http_client(http)
        .retry(retry)
        .build()
        .unwrap()
}

fn cart() -> serde_json::Value {
    crate::fixtures::cart_answer(CART_ID, "9b1c2d3e-4f5a-4b6c-8d7e-0f1a2b3c4d5e")
}

fn limited(reset_ms: &str) -> ResponseTemplate {
    ResponseTemplate::new(429)
        .insert_header("X-Rate-Limit-Time-Reset-Ms", reset_ms)
        .insert_header("X-Rate-Limit-Requests-Left", "0")
        .insert_header("X-Rate-Limit-Requests-Quota", "150")
        .insert_header("X-Rate-Limit-Time-Window-Ms", "30000")
        .set_body_json(json!({"status": 429, "title": "Too many requests"}))
}

async fn get_cart(client: &Client) -> Result<(), Error> {
    client
        .carts()
        .get_cart()
        .cart_id(CART_ID.parse::<uuid::Uuid>().unwrap())
        .send()
        .await?;
    Ok(())
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// Counts the SDK's retry events: one `tracing` event per retry.
///
/// The counting subscriber is the process-wide default, installed once before
/// any test sends a request, and it counts per thread: each test's runtime
/// polls the SDK's retry loop on the test's own thread. (A per-test scoped
/// subscriber would race with other tests over tracing's shared callsite
/// cache and could miss events.)
struct Retries {
    before: usize,
}

thread_local! {
    static RETRY_EVENTS: Cell<usize> = const { Cell::new(0) };
}

impl Retries {
    /// Starts counting the retry events of this thread.
    fn watch() -> Self {
        count_retry_events();
        Self {
            before: RETRY_EVENTS.get(),
        }
    }

    fn count(&self) -> usize {
        RETRY_EVENTS.get() - self.before
    }
}

/// Installs the counting subscriber; every test calls this (through
/// [`client`] or [`Retries::watch`]) before its first request.
fn count_retry_events() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        tracing::subscriber::set_global_default(RetryCounter).expect("no other global subscriber in this test binary")
    });
}

struct RetryCounter;

impl tracing::Subscriber for RetryCounter {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.target() == "bigcommerce_carts::retry"
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {
        RETRY_EVENTS.set(RETRY_EVENTS.get() + 1);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(start_paused = true)]
async fn rate_limits_are_waited_out_as_the_reset_header_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(limited("1500"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(cart())
                .insert_header("x-rate-limit-requests-left", "148"),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri(), RetryPolicy::default());
    let retries = Retries::watch();
    let started = Instant::now();
    get_cart(&client).await.expect("the third attempt succeeds");
    assert_eq!(requests(&server).await, 3);
    assert_eq!(retries.count(), 2, "one tracing event per retry");
    assert_eq!(started.elapsed(), Duration::from_millis(3000));
    assert_eq!(client.rate_limit().unwrap().requests_left, Some(148));
}

#[tokio::test(start_paused = true)]
async fn a_refused_post_is_sent_again_but_a_failed_one_is_not() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/carts"))
        .respond_with(limited("200"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/carts"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client(&server.uri(), RetryPolicy::default());
    let started = Instant::now();
    let error: Error = client
        .carts()
        .create_cart()
        .body(CartCreateRequest::builder())
        .send()
        .await
        .unwrap_err();
    assert_eq!(requests(&server).await, 2, "the 429 was retried, the 503 was not");
    assert_eq!(started.elapsed(), Duration::from_millis(200));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
}

#[tokio::test(start_paused = true)]
async fn a_reset_beyond_the_longest_wait_comes_back_with_the_figures() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(limited("45000"))
        .mount(&server)
        .await;
    let client = client(&server.uri(), RetryPolicy::default().max_wait(Duration::from_secs(10)));
    let started = Instant::now();
    let error = get_cart(&client).await.unwrap_err();
    assert_eq!(requests(&server).await, 1);
    assert_eq!(started.elapsed(), Duration::ZERO);
    let figures = error.rate_limit().expect("the 429's figures");
    assert_eq!(figures.resets_in, Some(Duration::from_secs(45)));
    assert_eq!(figures.requests_quota, Some(150));
    assert_eq!(error.to_string(), "429 Too Many Requests: Too many requests");
}

#[tokio::test(start_paused = true)]
async fn an_overloaded_platform_is_backed_off_from_gradually() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(3)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(cart()))
        .mount(&server)
        .await;
    let client = client(&server.uri(), RetryPolicy::default());
    let started = Instant::now();
    get_cart(&client).await.unwrap();
    assert_eq!(requests(&server).await, 4);
    // 500 ms, 1 s and 2 s, each jittered into its upper half.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(1750) && waited <= Duration::from_millis(3500),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unavailable_gateway_is_retried_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(cart()))
        .mount(&server)
        .await;
    let client = client(&server.uri(), RetryPolicy::default());
    let started = Instant::now();
    get_cart(&client).await.unwrap();
    assert_eq!(requests(&server).await, 2);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(250) && waited <= Duration::from_millis(500),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn retries_can_be_turned_off() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client(&server.uri(), RetryPolicy::never());
    let error = get_cart(&client).await.unwrap_err();
    assert_eq!(requests(&server).await, 1);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
}

#[tokio::test(start_paused = true)]
async fn slow_answers_time_out_and_are_tried_again() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(cart())
                .set_delay(Duration::from_secs(30)),
        )
        .mount(&server)
        .await;
    let http = bigcommerce_carts::http_client_builder()
        .unwrap()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let policy = RetryPolicy::default()
        .attempts(3)
        .initial_backoff(Duration::from_millis(100));
    let client = Client::builder("reliability", "token")
        .base_url(server.uri())
        .http_client(http)
        .retry(policy)
        .build()
        .unwrap();
    let retries = Retries::watch();
    let started = Instant::now();
    let error = get_cart(&client).await.unwrap_err();
    assert!(matches!(&error, Error::Transport(e) if e.is_timeout()), "{error:?}");
    // Counted on the client side: with the clock paused, a request that timed
    // out may be dropped before the server has read it.
    assert_eq!(retries.count(), 2, "three attempts");
    // Three 2 s timeouts, and backoffs of 50-100 ms and 100-200 ms between them.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(6150) && waited <= Duration::from_millis(6300),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_connection_dropped_mid_body_is_a_transport_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let mut accepted = 0;
        while let Ok(Ok((mut socket, _))) = tokio::time::timeout(Duration::from_secs(5), listener.accept()).await {
            accepted += 1;
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n";
            socket.write_all(head.as_bytes()).await.unwrap();
            socket.write_all(br#"{"data": {"id": "2f6d8e1a"#).await.unwrap();
            drop(socket);
        }
        accepted
    });
    let client = client(&format!("http://{address}"), RetryPolicy::default());
    let started = Instant::now();
    let error = get_cart(&client).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("incomplete answer from the API: the connection was closed before its end"),
        "{error}"
    );
    assert_eq!(started.elapsed(), Duration::ZERO, "a body cut short is not waited for");
    assert_eq!(server.await.unwrap(), 1, "the answer had begun, so it is not retried");
}

/// A server on 127.0.0.1 that reads each request and closes its first
/// `drops` connections without a byte of answer, then answers the cart. The
/// task gives back how many connections it accepted (one per request: the
/// client keeps none idle).
async fn dropping_server(drops: usize) -> (String, tokio::task::JoinHandle<usize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let body = cart().to_string();
        let mut accepted = 0;
        while let Ok(Ok((mut socket, _))) = tokio::time::timeout(Duration::from_secs(5), listener.accept()).await {
            accepted += 1;
            let mut request = [0u8; 8192];
            let _ = socket.read(&mut request).await;
            if accepted > drops {
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                socket.write_all(head.as_bytes()).await.unwrap();
                socket.write_all(body.as_bytes()).await.unwrap();
            }
            drop(socket);
        }
        accepted
    });
    (format!("http://{address}"), server)
}

#[tokio::test(start_paused = true)]
async fn a_get_whose_connection_is_closed_before_the_answer_is_sent_again() {
    let (uri, server) = dropping_server(1).await;
    let client = client(&uri, RetryPolicy::default());
    let retries = Retries::watch();
    get_cart(&client).await.expect("the second attempt is answered");
    assert_eq!(retries.count(), 1);
    assert_eq!(server.await.unwrap(), 2, "one dropped attempt, one answered");
}

#[tokio::test(start_paused = true)]
async fn a_post_whose_connection_is_closed_before_the_answer_is_not_sent_again() {
    let (uri, server) = dropping_server(usize::MAX).await;
    let client = client(&uri, RetryPolicy::default());
    let retries = Retries::watch();
    let error = client
        .carts()
        .create_cart()
        .body(CartCreateRequest::builder())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let message = error.to_string();
    assert!(
        message.starts_with("no answer from the API: the connection was closed before an answer came ("),
        "{message}"
    );
    assert!(!message.contains("token"), "{message}");
    assert_eq!(retries.count(), 0);
    assert_eq!(
        server.await.unwrap(),
        1,
        "the POST may have been processed: it is sent once"
    );
}

#[tokio::test(start_paused = true)]
async fn a_get_whose_connection_is_always_closed_says_so_after_the_last_attempt() {
    let (uri, server) = dropping_server(usize::MAX).await;
    let policy = RetryPolicy::default()
        .attempts(3)
        .initial_backoff(Duration::from_millis(100));
    let client = client(&uri, policy);
    let error = get_cart(&client).await.unwrap_err();
    assert_eq!(
        error.to_string().split(" (").next(),
        Some("no answer from the API: the connection was closed before an answer came"),
        "{error}"
    );
    assert_eq!(server.await.unwrap(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_proxy_page_becomes_a_typed_error_with_its_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw("<html><body>Bad gateway</body></html>", "text/html"))
        .mount(&server)
        .await;
    let client = client(&server.uri(), RetryPolicy::never());
    let error = get_cart(&client).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert!(
        error
            .to_string()
            .starts_with("502 Bad Gateway: the error answer is not the API's error envelope"),
        "{error}"
    );
}
