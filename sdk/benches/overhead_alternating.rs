//! Where the cost of a call through the SDK comes from, one difference at a
//! time (`cargo bench -p bigcommerce-carts --bench overhead_alternating`).
//! Each comparison is timed in rounds (see `rounds`): within a round the two
//! sides take turns call by call (one call of each side, then again), or go
//! in batches; which side starts alternates from round to round, and every
//! call is timed on its own. Each round gives one ratio; the median of the
//! rounds and their quartiles are reported.
//!
//! It compares the SDK with what a careful hand-written client does, on the
//! same `reqwest::Client` and on the HTTP client the SDK builds itself; then
//! the hand-written client with one difference at a time put into it (a
//! `Content-Type` header, the SDK's way of reading the body, the SDK's client
//! settings); then each side against itself, which must come out at 1.00
//! (any other figure is the method's own bias). The loopback server counts
//! the connections it accepts, so that a side that opens connections the
//! other reuses shows.

use std::sync::atomic::Ordering;

use bigcommerce_carts::carts::types::CartResponse;
use bigcommerce_carts::{Client, Uuid};
use rounds::{Order, Rounds, Sides, compare};

mod rounds;

const ROUNDS: usize = 41;
const CALLS_PER_ROUND: usize = 200;
const CART_ID: &str = "70a3788e-6b66-4091-b506-5f0086ecc99f";

fn report(name: &str, rounds: &Rounds, connections: usize) {
    println!("{name:<46} {}  {connections} new connections", rounds::summary(rounds));
}

/// What the hand-written side does differently, one thing at a time.
#[derive(Clone, Copy)]
enum Raw {
    /// A careful hand-written call: the URL, `X-Auth-Token`, `Accept`, the
    /// body read as bytes, `serde_json::from_slice` into `CartResponse`.
    Careful,
    /// The same with `Content-Type: application/json` too, as the SDK sends
    /// it on every request.
    ContentType,
    /// The same, the body read as the SDK reads it: the answer turned into an
    /// `http::Response` and its body collected.
    SdkBodyRead,
}

async fn raw_call(http: &reqwest::Client, base: &str, id: Uuid, raw: Raw) {
    let mut request = http
        .get(format!("{base}/carts/{id}"))
        .header("x-auth-token", "bench-token")
        .header("accept", "application/json");
    if matches!(raw, Raw::ContentType) {
        request = request.header("content-type", "application/json");
    }
    let response = request.send().await.expect("an answer");
    let bytes = match raw {
        Raw::SdkBodyRead => {
            use http_body_util::BodyExt;
            let (_parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
            body.collect().await.expect("a body").to_bytes()
        }
        _ => response.bytes().await.expect("a body"),
    };
    let cart: CartResponse = serde_json::from_slice(&bytes).expect("a cart");
    std::hint::black_box(cart);
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (base, accepted) = rounds::serve(rounds::recorded_cart()).await;
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
    let raw = |http: &reqwest::Client, raw: Raw| {
        let (http, base) = (http.clone(), base.clone());
        move || {
            let (http, base) = (http.clone(), base.clone());
            async move { raw_call(&http, &base, id, raw).await }
        }
    };

    // Warm up: connections, caches, the allocator.
    for _ in 0..CALLS_PER_ROUND {
        sdk_call(&sdk)().await;
        sdk_call(&sdk_own)().await;
        raw(&http, Raw::Careful)().await;
        raw(&http_alike, Raw::Careful)().await;
    }
    println!(
        "{ROUNDS} rounds of {CALLS_PER_ROUND} calls a side; median of the per-round ratios first side / second side [quartiles],"
    );
    println!("uninterrupted calls (see `ratios_uninterrupted`), then all calls; the machine is shared");
    let measure = |name: &str, rounds: Rounds| {
        let connections = accepted.swap(0, Ordering::Relaxed);
        report(name, &rounds, connections);
    };
    accepted.store(0, Ordering::Relaxed);
    for order in [Order::Interleaved, Order::Batched] {
        let tag = match order {
            Order::Interleaved => "turns",
            Order::Batched => "batches",
        };
        let rounds = compare(order, ROUNDS, CALLS_PER_ROUND, sdk_call(&sdk), raw(&http, Raw::Careful)).await;
        measure(&format!("{tag}: SDK / reqwest, one client"), rounds);
        let rounds = compare(
            order,
            ROUNDS,
            CALLS_PER_ROUND,
            sdk_call(&sdk_own),
            raw(&http, Raw::Careful),
        )
        .await;
        measure(&format!("{tag}: SDK, own client / reqwest, plain"), rounds);
        let rounds = compare(
            order,
            ROUNDS,
            CALLS_PER_ROUND,
            sdk_call(&sdk_own),
            raw(&http_alike, Raw::Careful),
        )
        .await;
        measure(&format!("{tag}: SDK, own client / reqwest, alike"), rounds);
    }
    let order = Order::Interleaved;
    let rounds = compare(
        order,
        ROUNDS,
        CALLS_PER_ROUND,
        raw(&http, Raw::ContentType),
        raw(&http, Raw::Careful),
    )
    .await;
    measure("turns: reqwest + Content-Type / reqwest", rounds);
    let rounds = compare(
        order,
        ROUNDS,
        CALLS_PER_ROUND,
        raw(&http, Raw::SdkBodyRead),
        raw(&http, Raw::Careful),
    )
    .await;
    measure("turns: reqwest + SDK's body read / reqwest", rounds);
    let rounds = compare(
        order,
        ROUNDS,
        CALLS_PER_ROUND,
        raw(&http_alike, Raw::Careful),
        raw(&http, Raw::Careful),
    )
    .await;
    measure("turns: reqwest alike / reqwest, plain", rounds);
    let rounds = compare(order, ROUNDS, CALLS_PER_ROUND, sdk_call(&sdk), sdk_call(&sdk)).await;
    measure("turns: SDK / SDK", rounds);
    let rounds = compare(
        order,
        ROUNDS,
        CALLS_PER_ROUND,
        raw(&http, Raw::Careful),
        raw(&http, Raw::Careful),
    )
    .await;
    measure("turns: reqwest / reqwest", rounds);
}
