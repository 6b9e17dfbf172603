//! What the SDK costs on top of the work any client does, measured side by
//! side in one run (`cargo bench -p bigcommerce-carts --bench overhead`):
//!
//! - **call**: `get_cart()` through the SDK against the same request made
//!   with the same `reqwest::Client` and decoded into the same type, served
//!   by one loopback server; then the SDK on the HTTP client it builds itself
//!   (a user agent and timeouts) against reqwest on a client configured alike;
//! - **decode**: decoding a cart answer into the SDK's types against decoding
//!   the same bytes into `serde_json::Value`;
//! - **floor**: serde_json reading the same bytes and building nothing
//!   (`IgnoredAny`) against `serde_json::Value`: the least any decode with
//!   serde_json costs.
//!
//! The two sides of a call alternate in two ways, printed side by side: in
//! turns (one call of each side, then again) and in batches (all of one
//! side's calls of the round, then the other's); which side starts alternates
//! from round to round, so that the machine's drift over a run does not
//! decide. Each call is timed on its own, and each round gives one ratio
//! (see `rounds`); the median of the rounds is reported. The decodes alternate
//! in batches. The cart is the first argument's file (a whole
//! `{"data": cart, "meta": {}}` answer), else a recorded answer of this
//! repository. `overhead_alternating` breaks the call's cost down.

use std::time::{Duration, Instant};

use bigcommerce_carts::carts::types::CartResponse;
use bigcommerce_carts::{Client, Uuid};
use rounds::{Order, Sides, compare};

mod rounds;

const ROUNDS: usize = 41;
const CALLS_PER_ROUND: usize = 200;
const CALLS_PER_BATCH: usize = 100;
const DECODES_PER_BATCH: usize = 2_000;
const CART_ID: &str = "70a3788e-6b66-4091-b506-5f0086ecc99f";

/// The answer to serve: the file given as the first argument, else [`rounds::RECORDED_CART`].
fn cart_answer() -> (String, Vec<u8>) {
    if let Some(path) = std::env::args().skip(1).find(|a| !a.starts_with('-')) {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        return (path, bytes);
    }
    (rounds::RECORDED_CART.into(), rounds::recorded_cart())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Times `batch` runs of each side, alternating, and gives the median ratio `a / b`.
async fn ratio<A, B, FA, FB>(rounds: usize, mut a: A, mut b: B) -> (f64, Duration, Duration)
where
    A: FnMut() -> FA,
    B: FnMut() -> FB,
    FA: std::future::Future<Output = ()>,
    FB: std::future::Future<Output = ()>,
{
    let mut ratios = Vec::with_capacity(rounds);
    let (mut total_a, mut total_b) = (Duration::ZERO, Duration::ZERO);
    for round in 0..rounds {
        let (time_a, time_b) = if round % 2 == 0 {
            let started = Instant::now();
            a().await;
            let time_a = started.elapsed();
            let started = Instant::now();
            b().await;
            (time_a, started.elapsed())
        } else {
            let started = Instant::now();
            b().await;
            let time_b = started.elapsed();
            let started = Instant::now();
            a().await;
            (started.elapsed(), time_b)
        };
        total_a += time_a;
        total_b += time_b;
        ratios.push(time_a.as_secs_f64() / time_b.as_secs_f64());
    }
    (median(ratios), total_a, total_b)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (source, body) = cart_answer();
    serde_json::from_slice::<CartResponse>(&body).expect("the cart answer decodes");
    let (base, _) = rounds::serve(body.clone()).await;
    let id: Uuid = CART_ID.parse().expect("a UUID");

    let Sides {
        http,
        http_alike,
        sdk,
        sdk_own,
    } = Sides::new(&base);

    let sdk_call = |sdk: &Client| {
        let sdk = sdk.clone();
        move || {
            let sdk = sdk.clone();
            async move {
                let cart = sdk.carts().get_cart().cart_id(id).send().await.expect("an answer");
                std::hint::black_box(cart.into_inner());
            }
        }
    };
    let raw_call = |http: &reqwest::Client| {
        let (http, base) = (http.clone(), base.clone());
        move || {
            let (http, base) = (http.clone(), base.clone());
            async move {
                // What a careful caller of reqwest writes: the URL of this cart, the
                // token, JSON; the body read whole and decoded from the bytes.
                let response = http
                    .get(format!("{base}/carts/{id}"))
                    .header("x-auth-token", "bench-token")
                    .header("accept", "application/json")
                    .send()
                    .await
                    .expect("an answer");
                let bytes = response.bytes().await.expect("a body");
                let cart: CartResponse = serde_json::from_slice(&bytes).expect("a cart");
                std::hint::black_box(cart);
            }
        }
    };
    // Warm up connections and caches on every side.
    for _ in 0..CALLS_PER_ROUND {
        sdk_call(&sdk)().await;
        raw_call(&http)().await;
        sdk_call(&sdk_own)().await;
        raw_call(&http_alike)().await;
    }
    let turns = compare(
        Order::Interleaved,
        ROUNDS,
        CALLS_PER_ROUND,
        sdk_call(&sdk),
        raw_call(&http),
    )
    .await;
    let batches = compare(Order::Batched, ROUNDS, CALLS_PER_BATCH, sdk_call(&sdk), raw_call(&http)).await;
    let own = compare(
        Order::Interleaved,
        ROUNDS,
        CALLS_PER_ROUND,
        sdk_call(&sdk_own),
        raw_call(&http_alike),
    )
    .await;

    let typed = || async {
        for _ in 0..DECODES_PER_BATCH {
            std::hint::black_box(serde_json::from_slice::<CartResponse>(&body).expect("a cart"));
        }
    };
    let value = || async {
        for _ in 0..DECODES_PER_BATCH {
            std::hint::black_box(serde_json::from_slice::<serde_json::Value>(&body).expect("JSON"));
        }
    };
    let (decode, typed_total, value_total) = ratio(ROUNDS, typed, value).await;
    // What any serde_json decode of these bytes costs at least: every token read and checked,
    // nothing built.
    let ignored = || async {
        for _ in 0..DECODES_PER_BATCH {
            std::hint::black_box(serde_json::from_slice::<serde::de::IgnoredAny>(&body).expect("JSON"));
        }
    };
    let (floor, ignored_total, _) = ratio(ROUNDS, ignored, value).await;
    let decodes = (ROUNDS * DECODES_PER_BATCH) as f64;

    println!("cart: {source} ({} bytes)", body.len());
    println!(
        "call, SDK / reqwest + the same typed decode, one client; median of {ROUNDS} rounds' ratios [quartiles], uninterrupted calls:"
    );
    println!(
        "  in turns, {CALLS_PER_ROUND} calls a side a round:   {}",
        rounds::summary(&turns)
    );
    println!(
        "  in batches of {CALLS_PER_BATCH} calls a side:       {}",
        rounds::summary(&batches)
    );
    println!(
        "call, SDK on its own client / reqwest on one configured alike, in turns: {}",
        rounds::summary(&own)
    );
    println!(
        "decode: typed {:.2} µs, serde_json::Value {:.2} µs; median ratio {decode:.3} ({ROUNDS} rounds of {DECODES_PER_BATCH} decodes each)",
        typed_total.as_secs_f64() * 1e6 / decodes,
        value_total.as_secs_f64() * 1e6 / decodes,
    );
    println!(
        "floor:  serde_json reading the same bytes into nothing (IgnoredAny) {:.2} µs; median ratio to Value {floor:.3}",
        ignored_total.as_secs_f64() * 1e6 / decodes,
    );
}
