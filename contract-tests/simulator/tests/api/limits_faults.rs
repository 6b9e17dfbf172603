//! Rate limits (per store, per window, four headers) and injected faults.

use std::time::{Duration, Instant};

use bigcommerce_carts_sim::{Effect, FaultPlan, FaultRule, RateLimitConfig};
use serde_json::json;
use uuid::Uuid;

use crate::common::{Answer, Api, unique_hash};

const HEADERS: [&str; 4] = [
    "x-rate-limit-requests-left",
    "x-rate-limit-requests-quota",
    "x-rate-limit-time-window-ms",
    "x-rate-limit-time-reset-ms",
];

fn number(answer: &Answer, header: &str) -> u64 {
    answer
        .header(header)
        .unwrap_or_else(|| panic!("{header} missing"))
        .parse()
        .expect("a number")
}

#[tokio::test]
async fn every_answer_carries_the_four_rate_limit_headers() {
    let mut api = Api::start().await;
    let cart = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let answers = vec![
        api.get(&format!("/carts/{cart}")).await,
        api.post(&format!("/carts/{cart}/redirect_urls"), json!({})).await,
        api.get(&format!("/carts/{}", Uuid::from_u128(fastrand::u128(..))))
            .await,
        api.post("/carts", json!({"locale": "bad"})).await,
        api.get("/nothing/here").await,
        {
            api.token = None;
            api.get("/carts/settings").await
        },
    ];
    let mut last_left = u64::MAX;
    for answer in &answers {
        for header in HEADERS {
            assert!(answer.header(header).is_some(), "{header} on a {}", answer.status);
        }
        assert_eq!(number(answer, "x-rate-limit-requests-quota"), 20_000);
        assert_eq!(number(answer, "x-rate-limit-time-window-ms"), 30_000);
        let left = number(answer, "x-rate-limit-requests-left");
        assert!(left <= last_left, "the count only goes down within a window");
        last_left = left;
    }
    assert_eq!(answers[0].status, 200);
    assert_eq!(number(&answers[0], "x-rate-limit-requests-left"), 20_000 - 2);
    assert_eq!(answers[5].status, 401);
    assert_eq!(
        number(&answers[5], "x-rate-limit-requests-left"),
        20_000 - 6,
        "a refused token is not counted"
    );
}

#[tokio::test]
async fn a_spent_quota_is_429_until_the_window_ends_and_quotas_are_per_store() {
    let mut api = Api::start().await;
    let store = api.sim.store(&api.hash);
    store
        .set_rate_limit(RateLimitConfig {
            quota: 3,
            window_ms: 30_000,
        })
        .unwrap();
    for expected_left in [2, 1, 0] {
        let answer = api.get("/carts/settings").await;
        assert_eq!(answer.status, 200);
        assert_eq!(number(&answer, "x-rate-limit-requests-left"), expected_left);
    }
    let refused = api.get("/carts/settings").await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.body["status"], 429);
    assert_eq!(number(&refused, "x-rate-limit-requests-left"), 0);
    assert_eq!(number(&refused, "x-rate-limit-requests-quota"), 3);
    let reset = number(&refused, "x-rate-limit-time-reset-ms");
    assert!(reset > 0 && reset <= 30_000, "{reset}");
    assert!(store.journal().iter().any(|e| e.status == 429));

    let home = api.hash.clone();
    api.hash = unique_hash("neighbour");
    assert_eq!(
        api.get("/carts/settings").await.status,
        200,
        "another store has its own quota"
    );
    api.hash = home;

    store.advance_clock(Duration::from_millis(reset)).unwrap();
    let again = api.get("/carts/settings").await;
    assert_eq!(again.status, 200, "a new window");
    assert_eq!(number(&again, "x-rate-limit-requests-left"), 2);
    assert_eq!(number(&again, "x-rate-limit-time-reset-ms"), 30_000);
}

#[tokio::test]
async fn status_faults_hit_their_operation_with_seeded_dice() {
    let api = Api::start().await;
    let store = api.sim.store(&api.hash);
    let cart = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let plan = FaultPlan::new(42, [FaultRule::status("getCart", 503).probability(0.5)]);
    let run = || async {
        store.set_faults(plan.clone()).unwrap();
        let mut statuses = Vec::new();
        for _ in 0..40 {
            statuses.push(api.get(&format!("/carts/{cart}")).await.status);
        }
        statuses
    };
    let first = run().await;
    let second = run().await;
    assert_eq!(first, second, "the same seed gives the same faults");
    let hits = first.iter().filter(|s| **s == 503).count();
    assert!((8..=32).contains(&hits), "about half: {first:?}");
    assert!(first.iter().all(|s| *s == 503 || *s == 200));
    store
        .set_faults(FaultPlan::new(43, [FaultRule::status("getCart", 503).probability(0.5)]))
        .unwrap();
    let mut other = Vec::new();
    for _ in 0..40 {
        other.push(api.get(&format!("/carts/{cart}")).await.status);
    }
    assert_ne!(first, other, "another seed rolls other dice");

    store
        .set_faults(FaultPlan::new(1, [FaultRule::status("getCart", 500)]))
        .unwrap();
    let hit = api.get(&format!("/carts/{cart}")).await;
    assert_eq!(hit.status, 500);
    assert_eq!(hit.body["title"], "Internal Server Error");
    assert!(hit.header("x-rate-limit-requests-left").is_some());
    assert_eq!(
        api.post(&format!("/carts/{cart}/redirect_urls"), json!({}))
            .await
            .status,
        201,
        "other operations are spared"
    );
    let journal = store.journal();
    let faulted = journal.iter().rev().find(|e| e.status == 500).unwrap();
    assert_eq!(faulted.fault.as_deref(), Some("status 500"));
}

#[tokio::test]
async fn a_platform_429_has_no_rate_limit_headers() {
    let api = Api::start().await;
    let store = api.sim.store(&api.hash);
    store
        .set_faults(FaultPlan::new(
            0,
            [FaultRule::with_effect("*", Effect::Platform429).times(1)],
        ))
        .unwrap();
    let overloaded = api.get("/carts/settings").await;
    assert_eq!(overloaded.status, 429);
    for header in HEADERS {
        assert!(overloaded.header(header).is_none(), "{header} must be absent");
    }
    let after = api.get("/carts/settings").await;
    assert_eq!(after.status, 200, "the rule fired its one time");
    assert!(after.header("x-rate-limit-requests-left").is_some());
    assert_eq!(store.faults().unwrap().rules[0].times, Some(0));
}

#[tokio::test]
async fn a_dropped_connection_gets_no_answer_at_all() {
    let api = Api::start().await;
    let store = api.sim.store(&api.hash);
    let cart = api.mug_cart().await["id"].as_str().unwrap().to_string();
    store
        .set_faults(FaultPlan::new(
            0,
            [FaultRule::with_effect("getCart", Effect::DropConnection).times(1)],
        ))
        .unwrap();
    let url = api.url(&format!("/carts/{cart}"));
    let dropped = api
        .http
        .get(&url)
        .header("x-auth-token", api.token.as_deref().unwrap())
        .send()
        .await;
    let error = dropped.expect_err("no answer comes");
    assert!(!error.is_status() && !error.is_timeout(), "{error}");
    let next = api.get(&format!("/carts/{cart}")).await;
    assert_eq!(next.status, 200, "later requests are served");
    let entry = store
        .journal()
        .into_iter()
        .find(|e| e.fault.as_deref() == Some("drop_connection"))
        .unwrap();
    assert_eq!(entry.status, 0);
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let api = Api::start().await;
    let store = api.sim.store(&api.hash);
    store
        .set_faults(FaultPlan::new(
            0,
            [
                FaultRule::with_effect("getGlobalCartSettings", Effect::Latency).latency_ms(300),
                FaultRule::status("getChannelCartSettings", 504).latency_ms(200),
            ],
        ))
        .unwrap();
    let started = Instant::now();
    let slow = api.get("/carts/settings").await;
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(slow.status, 200, "latency alone does not fail the request");
    let started = Instant::now();
    let slow_error = api.get("/carts/settings/channels/2").await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(slow_error.status, 504);
    assert_eq!(
        api.put("/carts/settings", json!({"allow_purchasing": true}))
            .await
            .status,
        200
    );
    let journal = store.journal();
    let faults: Vec<Option<&str>> = journal.iter().map(|e| e.fault.as_deref()).collect();
    assert_eq!(
        faults,
        [Some("latency 300 ms"), Some("status 504"), None],
        "other operations are not delayed"
    );
}

#[tokio::test]
async fn unusable_fault_plans_are_refused() {
    let api = Api::start().await;
    let store = api.sim.store(&api.hash);
    assert!(
        store
            .set_faults(FaultPlan::new(0, [FaultRule::status("getCarts", 503)]))
            .is_err()
    );
    assert!(
        store
            .set_faults(FaultPlan::new(0, [FaultRule::status("getCart", 204)]))
            .is_err()
    );
    assert!(
        store
            .set_faults(FaultPlan::new(0, [FaultRule::status("getCart", 503).probability(1.5)]))
            .is_err()
    );
    assert!(
        store
            .set_faults(FaultPlan::new(0, [FaultRule::status("*", 502)]))
            .is_ok()
    );
}
