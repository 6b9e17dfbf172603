//! Timing two sides of a comparison in rounds, shared by the overhead benches.
//!
//! Every call is timed on its own, so that the calls the machine's other work
//! interrupted can be left out (see [`Rounds::ratios_uninterrupted`]): on a
//! shared machine a preempted call takes a scheduler time slice longer than
//! the others, and a few of them decide a sum.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::serve::ListenerExt;
use tokio::net::TcpListener;

use bigcommerce_carts::{Client, RetryPolicy};

/// How the two sides share a round.
#[derive(Clone, Copy)]
pub enum Order {
    /// Turns call by call: one call of one side, one of the other.
    Interleaved,
    /// All of one side's calls of the round, then all of the other's.
    Batched,
}

/// The rounds of one comparison: each round's calls, timed one by one.
pub struct Rounds {
    /// Per round, the calls of side `a` and of side `b`.
    pub calls: Vec<(Vec<Duration>, Vec<Duration>)>,
}

/// The least, the quartiles and the largest of `values`.
pub fn quantiles(mut values: Vec<f64>) -> [f64; 5] {
    values.sort_by(f64::total_cmp);
    [0.0, 0.25, 0.5, 0.75, 1.0].map(|q| values[((values.len() - 1) as f64 * q).round() as usize])
}

impl Rounds {
    /// Each round's ratio of the summed times of side `a` and side `b`.
    pub fn ratios(&self) -> Vec<f64> {
        let sum = |calls: &[Duration]| calls.iter().sum::<Duration>().as_secs_f64();
        self.calls.iter().map(|(a, b)| sum(a) / sum(b)).collect()
    }

    /// Each round's ratio of the two sides' mean call, leaving out the calls
    /// the machine's other work interrupted:
    /// those that took over `CUT` times the round's median call (both sides'
    /// calls together, so that the cut is the same for both). A call whose
    /// thread was preempted takes a scheduler time slice (milliseconds)
    /// longer than the others (tens of microseconds). Gives the ratios and
    /// how many calls of each side were left out.
    pub fn ratios_uninterrupted(&self) -> (Vec<f64>, usize, usize) {
        const CUT: u32 = 4;
        let (mut left_a, mut left_b) = (0, 0);
        let ratios = self
            .calls
            .iter()
            .map(|(a, b)| {
                let mut all: Vec<Duration> = a.iter().chain(b).copied().collect();
                all.sort();
                let cut = all[all.len() / 2] * CUT;
                let kept = |calls: &[Duration], left: &mut usize| {
                    let kept: Vec<_> = calls.iter().filter(|&&t| t <= cut).collect();
                    *left += calls.len() - kept.len();
                    let count = kept.len() as f64;
                    kept.into_iter().sum::<Duration>().as_secs_f64() / count
                };
                kept(a, &mut left_a) / kept(b, &mut left_b)
            })
            .collect();
        (ratios, left_a, left_b)
    }

    /// The mean time of a call of side `a` and of side `b`, in microseconds,
    /// all calls counted.
    pub fn per_call(&self) -> (f64, f64) {
        let (mut a, mut b, mut n) = (Duration::ZERO, Duration::ZERO, 0);
        for (calls_a, calls_b) in &self.calls {
            a += calls_a.iter().sum::<Duration>();
            b += calls_b.iter().sum::<Duration>();
            n += calls_a.len();
        }
        let mean = |total: Duration| total.as_secs_f64() * 1e6 / n as f64;
        (mean(a), mean(b))
    }
}

/// Runs `calls` calls of `a` and of `b` a round, in `order`; the side that
/// starts alternates from round to round.
pub async fn compare<A, B, FA, FB>(order: Order, rounds: usize, calls: usize, mut a: A, mut b: B) -> Rounds
where
    A: FnMut() -> FA,
    B: FnMut() -> FB,
    FA: Future<Output = ()>,
    FB: Future<Output = ()>,
{
    async fn timed<F: Future<Output = ()>>(call: F, into: &mut Vec<Duration>) {
        let started = Instant::now();
        call.await;
        into.push(started.elapsed());
    }
    let mut all = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let (mut time_a, mut time_b) = (Vec::with_capacity(calls), Vec::with_capacity(calls));
        let a_first = round % 2 == 0;
        match order {
            Order::Interleaved => {
                for _ in 0..calls {
                    if a_first {
                        timed(a(), &mut time_a).await;
                        timed(b(), &mut time_b).await;
                    } else {
                        timed(b(), &mut time_b).await;
                        timed(a(), &mut time_a).await;
                    }
                }
            }
            Order::Batched => {
                for first in [a_first, !a_first] {
                    for _ in 0..calls {
                        if first {
                            timed(a(), &mut time_a).await;
                        } else {
                            timed(b(), &mut time_b).await;
                        }
                    }
                }
            }
        }
        all.push((time_a, time_b));
    }
    Rounds { calls: all }
}

/// One line: the median of the uninterrupted rounds' ratios [quartiles],
/// the same for all calls, the time a call of each side took and the calls
/// left out.
pub fn summary(rounds: &Rounds) -> String {
    let all = quantiles(rounds.ratios());
    let (uninterrupted, left_a, left_b) = rounds.ratios_uninterrupted();
    let kept = quantiles(uninterrupted);
    let (a, b) = rounds.per_call();
    format!(
        "{:.3} [{:.3}..{:.3}]  all calls {:.3} [{:.3}..{:.3}]  ({a:.1} / {b:.1} µs a call; {left_a} / {left_b} calls left out)",
        kept[2], kept[1], kept[3], all[2], all[1], all[3],
    )
}

/// The clients both benches compare, all for one server at `base`.
pub struct Sides {
    /// A plain reqwest client, with the SDK's TLS set-up.
    pub http: reqwest::Client,
    /// A reqwest client configured as the SDK configures its own: a user
    /// agent, a connection timeout and a timeout for the whole request.
    pub http_alike: reqwest::Client,
    /// The SDK on `http`, never retrying.
    pub sdk: Client,
    /// The SDK on the HTTP client it builds itself, never retrying.
    pub sdk_own: Client,
}

impl Sides {
    pub fn new(base: &str) -> Self {
        let http = bigcommerce_carts::http_client_builder()
            .expect("TLS set-up")
            .build()
            .expect("an HTTP client");
        let http_alike = bigcommerce_carts::http_client_builder()
            .expect("TLS set-up")
            .user_agent(bigcommerce_carts::USER_AGENT)
            .connect_timeout(Duration::from_secs(10))
            .timeout(bigcommerce_carts::DEFAULT_TIMEOUT)
            .build()
            .expect("an HTTP client");
        let builder = || {
            Client::builder("bench", "bench-token")
                .base_url(base)
                .retry(RetryPolicy::never())
        };
        let sdk = builder().http_client(http.clone()).build().expect("a client");
        let sdk_own = builder().build().expect("a client");
        Sides {
            http,
            http_alike,
            sdk,
            sdk_own,
        }
    }
}

/// The recorded cart answer both benches serve, as a path from the workspace root.
pub const RECORDED_CART: &str = "contract-tests/cassettes/carts.v3/createCart--include-redirect-urls.yaml";

/// The body of the answer in [`RECORDED_CART`], as the server sends it.
pub fn recorded_cart() -> Vec<u8> {
    let path = format!("{}/../{RECORDED_CART}", env!("CARGO_MANIFEST_DIR"));
    let cassette: serde_json::Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(path).expect("the cassette")).expect("YAML");
    serde_json::to_vec(&cassette["response"]["body"]).expect("JSON")
}

/// Serves `body` to every request with axum on a loopback port; returns its base URL and the
/// count of connections it has accepted.
pub async fn serve(body: Vec<u8>) -> (String, Arc<AtomicUsize>) {
    let accepted = Arc::new(AtomicUsize::new(0));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = listener.local_addr().expect("an address");
    let counter = accepted.clone();
    let listener = listener.tap_io(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let body = axum::body::Bytes::from(body);
    let app = axum::Router::new().fallback(move || {
        let body = body.clone();
        async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], body) }
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{address}"), accepted)
}
