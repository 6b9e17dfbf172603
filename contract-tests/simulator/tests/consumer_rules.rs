//! The consumer rules, each shown failing on a service function that breaks it, and a service
//! that keeps them passing every rule it exercises.
//!
//! Every bad function below is a small, plausible mistake: a checkout link cached and handed to
//! two shoppers, a change without `version`, a blind retry after a conflict, a create sent again
//! after a dropped connection, a loop that ignores a 429, a cart on the default channel, a body
//! that does not match the API. After each, `StoreHandle::conformance` judges what the store
//! received, and the report must fail that rule (and only that one) with a message that says
//! what to do instead.

use std::time::Duration;

use bigcommerce_carts::carts::types::{
    CartCreateRequest, CartLineItemsAddRequest, LineItemRequest, RedirectUrlsRequest,
};
use bigcommerce_carts::{Client, RetryPolicy, Uuid};
use bigcommerce_carts_sim::consumer::Verdict;
use bigcommerce_carts_sim::{
    ConsumerReport, DEFAULT_ACCESS_TOKEN, Effect, FaultPlan, FaultRule, RateLimitConfig, RedirectOutcome, Simulator,
};
use serde_json::{Value, json};

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// An SDK client for a store of the simulator, with short backoffs so retries are quick.
fn client(sim: &Simulator, store_hash: &str) -> Client {
    Client::builder(store_hash, DEFAULT_ACCESS_TOKEN)
        .base_url(sim.api_base(store_hash))
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(20)))
        .build()
        .expect("a client")
}

/// A mug on channel 1.
fn mug_cart() -> Result<CartCreateRequest, Failure> {
    let item = LineItemRequest::builder().product_id(233).quantity(1);
    Ok(CartCreateRequest::builder()
        .channel_id(1)
        .line_items(vec![item.try_into()?])
        .try_into()?)
}

/// A new cart; its id and version.
async fn new_cart(client: &Client, request: CartCreateRequest) -> Result<(Uuid, i64), Failure> {
    let cart = client
        .carts()
        .create_cart()
        .body(request)
        .send()
        .await?
        .into_inner()
        .data;
    Ok((cart.id, cart.version.ok_or("the answer carries no version")?))
}

/// A checkout link for a cart.
async fn checkout_link(client: &Client, cart_id: Uuid) -> Result<String, Failure> {
    let urls = client
        .carts()
        .create_cart_redirect_url()
        .cart_id(cart_id)
        .body(RedirectUrlsRequest::builder())
        .send()
        .await?
        .into_inner()
        .data;
    Ok(urls.checkout_url.ok_or("no checkout URL")?)
}

/// Adds `quantity` plates, sending `version` when given.
async fn add_plates(client: &Client, cart_id: Uuid, quantity: i64, version: Option<i64>) -> Result<i64, Failure> {
    let item = LineItemRequest::builder().product_id(240).quantity(quantity);
    let mut body = CartLineItemsAddRequest::builder().line_items(vec![item.try_into()?]);
    if let Some(version) = version {
        body = body.version(version);
    }
    let cart = client
        .carts()
        .add_cart_line_items()
        .cart_id(cart_id)
        .body(body)
        .send()
        .await?
        .into_inner()
        .data;
    Ok(cart.version.ok_or("the answer carries no version")?)
}

/// Whether an error is the API's 409.
fn is_conflict(error: &Failure) -> bool {
    error
        .downcast_ref::<bigcommerce_carts::Error>()
        .is_some_and(bigcommerce_carts::Error::is_version_conflict)
}

/// The ids of the rules that failed.
fn failing(report: &ConsumerReport) -> Vec<&str> {
    report
        .rules
        .iter()
        .filter(|r| r.result == Verdict::Fail)
        .map(|r| r.id.as_str())
        .collect()
}

/// Asserts that exactly `id` failed, with a first message containing `advice`.
fn fails_only(report: &ConsumerReport, id: &str, advice: &str) {
    assert_eq!(failing(report), [id], "{report:#?}");
    let rule = report.rule(id).expect("the rule is reported");
    assert!(
        rule.failures.iter().any(|f| f.contains(advice)),
        "{id}: no failure says {advice:?}: {:#?}",
        rule.failures
    );
}

/// A raw HTTP client that sends the store's token, for bad services that bypass the SDK.
fn raw(sim: &Simulator, store_hash: &str) -> (reqwest::Client, String) {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-auth-token", DEFAULT_ACCESS_TOKEN.parse().expect("a header value"));
    // The SDK's builder brings its TLS setup, which reqwest needs even for plain HTTP.
    let http = bigcommerce_carts::http_client_builder()
        .expect("a builder")
        .default_headers(headers)
        .build()
        .expect("a client");
    (http, sim.api_base(store_hash))
}

// --- the bad services, one per rule ---

/// Bad: makes one checkout link per cart and hands the same one to every shopper who asks.
async fn links_for_shoppers(client: &Client, cart_id: Uuid, shoppers: usize) -> Result<Vec<String>, Failure> {
    let link = checkout_link(client, cart_id).await?;
    Ok(vec![link; shoppers])
}

#[tokio::test]
async fn a_link_handed_to_two_shoppers_fails_redirect_url_reused() {
    let sim = Simulator::start().await.unwrap();
    let client = client(&sim, "reused");
    let (cart, _) = new_cart(&client, mug_cart().unwrap()).await.unwrap();
    let links = links_for_shoppers(&client, cart, 2).await.unwrap();
    let outcomes: Vec<_> = links.iter().map(|link| sim.visit(link)).collect();
    assert_eq!(outcomes, [RedirectOutcome::Loaded, RedirectOutcome::Used]);
    let report = sim.store("reused").conformance().unwrap();
    fails_only(&report, "consumer.redirect_url_reused", "Create fresh URLs");
}

#[tokio::test]
async fn a_link_made_ahead_and_used_after_30_days_fails_redirect_url_expired() {
    let sim = Simulator::start().await.unwrap();
    let client = client(&sim, "expired");
    let (cart, _) = new_cart(&client, mug_cart().unwrap()).await.unwrap();
    // Bad: the link is made when the cart is, and kept for a reminder sent a month later.
    let stored = checkout_link(&client, cart).await.unwrap();
    let store = sim.store("expired");
    store.advance_clock(Duration::from_secs(29 * 86_400)).unwrap();
    store.touch_cart(cart).unwrap(); // the cart lives on; the link does not
    store.advance_clock(Duration::from_secs(2 * 86_400)).unwrap();
    assert_eq!(sim.visit(&stored), RedirectOutcome::Expired);
    fails_only(
        &store.conformance().unwrap(),
        "consumer.redirect_url_expired",
        "not ahead of time",
    );
}

#[tokio::test]
async fn a_change_without_version_fails_version_missing() {
    let sim = Simulator::start().await.unwrap();
    let client = client(&sim, "noversion");
    let (cart, _) = new_cart(&client, mug_cart().unwrap()).await.unwrap();
    // Bad: adds without saying which version of the cart it read.
    add_plates(&client, cart, 1, None).await.unwrap();
    let report = sim.store("noversion").conformance().unwrap();
    fails_only(&report, "consumer.version_missing", "Send the `version`");
}

/// Bad: on 409 it guesses the next version instead of reading the cart.
async fn add_plates_guessing(client: &Client, cart_id: Uuid, version: i64) -> Result<i64, Failure> {
    match add_plates(client, cart_id, 1, Some(version)).await {
        Err(error) if is_conflict(&error) => add_plates(client, cart_id, 1, Some(version + 1)).await,
        other => other,
    }
}

#[tokio::test]
async fn a_blind_retry_after_409_fails_conflict_not_reread() {
    let sim = Simulator::start().await.unwrap();
    let client = client(&sim, "blind");
    let store = sim.store("blind");
    let (cart, version) = new_cart(&client, mug_cart().unwrap()).await.unwrap();
    store.touch_cart(cart).unwrap(); // another writer changed the cart meanwhile
    add_plates_guessing(&client, cart, version).await.unwrap();
    let report = store.conformance().unwrap();
    fails_only(&report, "consumer.conflict_not_reread", "read it (GET /carts/");
}

/// Bad: tries again until it gets a cart.
async fn create_cart_retrying(client: &Client) -> Result<Uuid, Failure> {
    let mut last = None;
    for _ in 0..3 {
        match new_cart(client, mug_cart()?).await {
            Ok((id, _)) => return Ok(id),
            Err(error) => last = Some(error),
        }
    }
    Err(last.unwrap_or_else(|| "no attempt".into()))
}

#[tokio::test]
async fn a_create_sent_again_after_a_dropped_connection_fails_post_repeated_after_failure() {
    let sim = Simulator::start().await.unwrap();
    let store = sim.store("again");
    store
        .set_faults(FaultPlan::new(
            1,
            [FaultRule::with_effect("createCart", Effect::DropConnection).times(1)],
        ))
        .unwrap();
    create_cart_retrying(&client(&sim, "again")).await.unwrap();
    let report = store.conformance().unwrap();
    fails_only(
        &report,
        "consumer.post_repeated_after_failure",
        "Do not resend a POST that creates",
    );
}

#[tokio::test]
async fn a_create_sent_again_after_a_timeout_fails_post_repeated_after_failure() {
    let sim = Simulator::start().await.unwrap();
    let store = sim.store("timeout");
    store
        .set_faults(FaultPlan::new(
            1,
            [FaultRule::with_effect("createCart", Effect::Latency)
                .latency_ms(10_000)
                .times(1)],
        ))
        .unwrap();
    let impatient = Client::builder("timeout", DEFAULT_ACCESS_TOKEN)
        .base_url(sim.api_base("timeout"))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    create_cart_retrying(&impatient).await.unwrap();
    let journal = store.journal();
    assert_eq!(
        journal.iter().map(|e| e.status).collect::<Vec<_>>(),
        [0, 201],
        "the server saw the client stop waiting: {journal:#?}"
    );
    assert!(
        journal[0]
            .fault
            .as_deref()
            .unwrap_or_default()
            .contains("the client closed the connection"),
        "{:?}",
        journal[0].fault
    );
    let report = store.conformance().unwrap();
    fails_only(
        &report,
        "consumer.post_repeated_after_failure",
        "after the client stopped waiting",
    );
}

/// Bad: reads a cart's total in a loop, whatever the answer.
async fn poll_totals(sim: &Simulator, store_hash: &str, cart_id: Uuid, times: usize) -> Vec<u16> {
    let (http, base) = raw(sim, store_hash);
    let mut statuses = Vec::new();
    for _ in 0..times {
        let answer = http.get(format!("{base}/carts/{cart_id}")).send().await.unwrap();
        statuses.push(answer.status().as_u16());
    }
    statuses
}

#[tokio::test]
async fn requests_before_the_reset_fail_rate_limit_ignored() {
    let sim = Simulator::start().await.unwrap();
    let store = sim.store("hammer");
    let (cart, _) = new_cart(&client(&sim, "hammer"), mug_cart().unwrap()).await.unwrap();
    store
        .set_rate_limit(RateLimitConfig {
            quota: 2,
            window_ms: 30_000,
        })
        .unwrap();
    let statuses = poll_totals(&sim, "hammer", cart, 4).await;
    assert_eq!(statuses, [200, 200, 429, 429]);
    let report = store.conformance().unwrap();
    fails_only(
        &report,
        "consumer.rate_limit_ignored",
        "Wait that long before the next request",
    );
}

#[tokio::test]
async fn a_cart_on_the_default_channel_fails_channel_id_missing() {
    let sim = Simulator::start().await.unwrap();
    let client = client(&sim, "nochannel");
    // Bad: leaves the channel out in a store with channels 1 to 5.
    let item = LineItemRequest::builder().product_id(233).quantity(1);
    let request: CartCreateRequest = CartCreateRequest::builder()
        .line_items(vec![item.try_into().unwrap()])
        .try_into()
        .unwrap();
    new_cart(&client, request).await.unwrap();
    let report = sim.store("nochannel").conformance().unwrap();
    fails_only(
        &report,
        "consumer.channel_id_missing",
        "Send the channel_id of the storefront",
    );
}

#[tokio::test]
async fn a_body_off_the_spec_fails_invalid_request() {
    let sim = Simulator::start().await.unwrap();
    let (http, base) = raw(&sim, "offspec");
    // Bad: a quantity written as words, in a hand-built body.
    let body = json!({"channel_id": 1, "line_items": [{"product_id": 233, "quantity": "two"}]});
    let answer = http.post(format!("{base}/carts")).json(&body).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 422);
    let report = sim.store("offspec").conformance().unwrap();
    fails_only(&report, "consumer.invalid_request", "Fix the request");
    let message = &report.rule("consumer.invalid_request").unwrap().failures[0];
    assert!(message.contains("quantity"), "the message names the field: {message}");
}

// --- the good service ---

/// Good: adds plates with the version it read; on 409 reads the cart and tries once more.
async fn add_plates_carefully(client: &Client, cart_id: Uuid, version: i64) -> Result<i64, Failure> {
    match add_plates(client, cart_id, 1, Some(version)).await {
        Err(error) if is_conflict(&error) => {
            let fresh = client
                .carts()
                .get_cart()
                .cart_id(cart_id)
                .send()
                .await?
                .into_inner()
                .data;
            let version = fresh.version.ok_or("the answer carries no version")?;
            add_plates(client, cart_id, 1, Some(version)).await
        }
        other => other,
    }
}

#[tokio::test]
async fn the_good_service_passes_every_rule_it_exercises() {
    let sim = Simulator::start().await.unwrap();
    let store = sim.store("goodservice");
    let client = client(&sim, "goodservice");
    store
        .set_faults(FaultPlan::new(
            3,
            [
                FaultRule::with_effect("createCart", Effect::DropConnection).times(1),
                FaultRule::with_effect("getCart", Effect::DropConnection).times(1),
            ],
        ))
        .unwrap();

    // A create whose connection drops is reported, not sent again.
    assert!(new_cart(&client, mug_cart().unwrap()).await.is_err());
    // The next shopper's cart, on their channel.
    let item = LineItemRequest::builder().product_id(240).quantity(2);
    let request: CartCreateRequest = CartCreateRequest::builder()
        .channel_id(2)
        .line_items(vec![item.try_into().unwrap()])
        .try_into()
        .unwrap();
    let (cart, version) = new_cart(&client, request).await.unwrap();
    // Another writer changes the cart; the service reads it again and its change lands.
    store.touch_cart(cart).unwrap();
    add_plates_carefully(&client, cart, version).await.unwrap();
    // One fresh link per shopper, each visited once.
    for _ in 0..2 {
        let link = checkout_link(&client, cart).await.unwrap();
        assert_eq!(sim.visit(&link), RedirectOutcome::Loaded);
    }

    let report = store.conformance().unwrap();
    assert!(
        !report.failed(),
        "{}",
        bigcommerce_carts_sim::consumer::to_table(&report)
    );
    let verdict = |id: &str| report.rule(id).map(|r| r.result);
    for id in [
        "consumer.redirect_url_reused",
        "consumer.redirect_url_expired",
        "consumer.version_missing",
        "consumer.conflict_not_reread",
        "consumer.post_repeated_after_failure",
        "consumer.channel_id_missing",
        "consumer.invalid_request",
    ] {
        assert_eq!(verdict(id), Some(Verdict::Pass), "{id} is exercised and passes");
    }
    assert_eq!(
        verdict("consumer.rate_limit_ignored"),
        Some(Verdict::NotExercised),
        "no 429 came, and that is not a pass"
    );
    assert_eq!(report.dropped, 0);
}

#[tokio::test]
async fn the_admin_api_serves_the_report_as_json_junit_and_a_table() {
    let sim = Simulator::start().await.unwrap();
    let client = client(&sim, "overhttp");
    let (cart, _) = new_cart(&client, mug_cart().unwrap()).await.unwrap();
    add_plates(&client, cart, 1, None).await.unwrap();
    let http = bigcommerce_carts::http_client_builder().unwrap().build().unwrap();
    let url = format!("{}/__sim/stores/overhttp/conformance", sim.base_url());
    let json: Value = http.get(&url).send().await.unwrap().json().await.unwrap();
    let rule = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "consumer.version_missing")
        .unwrap();
    assert_eq!(rule["result"], "fail");
    assert_eq!(json["dropped"], 0);
    let junit = http.get(format!("{url}?format=junit")).send().await.unwrap();
    assert_eq!(junit.headers()["content-type"], "application/xml");
    let junit = junit.text().await.unwrap();
    assert!(junit.contains("<testcase name=\"consumer.version_missing\""), "{junit}");
    assert!(junit.contains("<failure message=\"1 of 1 cases fail\""), "{junit}");
    let table = http
        .get(format!("{url}?format=table"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(table.contains("consumer.version_missing"), "{table}");
    let wrong = http.get(format!("{url}?format=yaml")).send().await.unwrap();
    assert_eq!(wrong.status().as_u16(), 422);
    // The concurrent writer over HTTP.
    let touched: Value = http
        .post(format!("{}/__sim/stores/overhttp/carts/{cart}/touch", sim.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(touched["version"], 3, "created at 1, plates added, then touched");
}
