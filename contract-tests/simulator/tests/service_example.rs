//! An example of what the simulator is for: small service functions, written against the SDK,
//! checked against the simulator with fault rules on.
//!
//! One function puts a product in a new cart and hands out the cart's total and checkout link;
//! another reads a cart's total again. They read the answers through the SDK's types: the cart
//! id is a `Uuid`, amounts are exact `Decimal`s, the checkout URL is a string. The checks use
//! the simulator's own handle (its journal) and plain HTTP, and end as a service's CI would: the
//! consumer rules (`StoreHandle::conformance`) pass on what the service sent.

use std::time::Duration;

use bigcommerce_carts::carts::types::{CartCreateRequest, LineItemRequest, RedirectUrlsRequest};
use bigcommerce_carts::{Client, Decimal, RetryPolicy, Uuid};
use bigcommerce_carts_sim::{DEFAULT_ACCESS_TOKEN, Effect, FaultPlan, FaultRule, Simulator, StoreHandle};

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// What the service hands out for a new cart.
struct Checkout {
    cart_id: Uuid,
    total: Decimal,
    link: String,
}

/// The service under test: a new cart with `quantity` of `product_id`, its total and its
/// checkout link.
async fn checkout_link(client: &Client, product_id: i64, quantity: i64) -> Result<Checkout, Failure> {
    let item = LineItemRequest::builder().product_id(product_id).quantity(quantity);
    let cart = client
        .carts()
        .create_cart()
        .body(
            CartCreateRequest::builder()
                .channel_id(1)
                .line_items(vec![item.try_into()?]),
        )
        .send()
        .await?
        .into_inner()
        .data;
    let urls = client
        .carts()
        .create_cart_redirect_url()
        .cart_id(cart.id)
        .body(RedirectUrlsRequest::builder())
        .send()
        .await?
        .into_inner()
        .data;
    // Each URL is an `Option` in the SDK (an answer could leave one out); a service that
    // cannot hand out a link says so instead of handing out an empty one.
    let link = urls.checkout_url.ok_or("the answer carries no checkout URL")?;
    Ok(Checkout {
        cart_id: cart.id,
        total: cart.cart_amount,
        link,
    })
}

/// The service under test: what a cart comes to now.
async fn cart_total(client: &Client, cart_id: Uuid) -> Result<Decimal, Failure> {
    let cart = client
        .carts()
        .get_cart()
        .cart_id(cart_id)
        .send()
        .await?
        .into_inner()
        .data;
    Ok(cart.cart_amount)
}

/// The operation and status of each request in a store's journal (status 0: the connection was
/// dropped instead of answered).
fn calls(store: &StoreHandle) -> Vec<(String, u16)> {
    store
        .journal()
        .into_iter()
        .map(|e| (e.operation.unwrap_or_default(), e.status))
        .collect()
}

/// The last step of the service's CI: the consumer rules pass on what its tests sent.
fn assert_used_well(store: &StoreHandle) {
    let report = store.conformance().expect("a report");
    assert!(
        !report.failed(),
        "{}",
        bigcommerce_carts_sim::consumer::to_table(&report)
    );
}

/// An SDK client for a store of the simulator, with short backoffs so retries are quick.
fn client(sim: &Simulator, store_hash: &str) -> Client {
    Client::builder(store_hash, DEFAULT_ACCESS_TOKEN)
        .base_url(sim.api_base(store_hash))
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(20)))
        .build()
        .expect("a client")
}

#[tokio::test]
async fn the_checkout_link_survives_a_platform_429_on_the_redirect_url_call() {
    let sim = Simulator::start().await.expect("the simulator starts");
    let store = sim.store("serviceone");
    store
        .set_faults(FaultPlan::new(
            7,
            [FaultRule::with_effect("createCartRedirectURL", Effect::Platform429).times(1)],
        ))
        .unwrap();

    let checkout = checkout_link(&client(&sim, "serviceone"), 233, 2)
        .await
        .expect("the service copes");

    // Two mugs of the default catalog at 14.50.
    assert_eq!(checkout.total, Decimal::new(2900, 2));
    let link = checkout.link;
    assert!(
        link.starts_with(&format!(
            "{}/cart.php?action=loadInCheckout&id={}&",
            sim.base_url(),
            checkout.cart_id
        )),
        "{}",
        link.split("&token=").next().unwrap_or_default()
    );
    // The journal shows the retry the SDK made after the injected 429.
    assert_eq!(
        calls(&store),
        [
            ("createCart".to_string(), 201),
            ("createCartRedirectURL".to_string(), 429),
            ("createCartRedirectURL".to_string(), 201)
        ]
    );
    // The link works once, as a shopper would use it.
    let http = bigcommerce_carts::http_client_builder()
        .unwrap()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let visit = http.get(&link).send().await.unwrap();
    assert_eq!(visit.headers()["x-sim-redirect"], "loaded");
    let again = http.get(&link).send().await.unwrap();
    assert_eq!(again.headers()["x-sim-redirect"], "used");
    // That second visit is what a service must never cause; the consumer report says so.
    let report = store.conformance().unwrap();
    assert_eq!(
        report
            .rules
            .iter()
            .filter(|r| r.result == bigcommerce_carts_sim::consumer::Verdict::Fail)
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
        ["consumer.redirect_url_reused"]
    );
}

#[tokio::test]
async fn a_gateway_error_on_the_redirect_url_call_reaches_the_caller_without_a_second_post() {
    let sim = Simulator::start().await.expect("the simulator starts");
    let store = sim.store("servicetwo");
    store
        .set_faults(FaultPlan::new(7, [FaultRule::status("createCartRedirectURL", 503)]))
        .unwrap();

    let error = checkout_link(&client(&sim, "servicetwo"), 233, 1)
        .await
        .err()
        .expect("a 503 on a POST is not retried");

    let status = error
        .downcast_ref::<bigcommerce_carts::Error>()
        .and_then(bigcommerce_carts::Error::status)
        .map(|s| s.as_u16());
    assert_eq!(status, Some(503), "{error}");
    let posts = store
        .journal()
        .iter()
        .filter(|e| e.operation.as_deref() == Some("createCartRedirectURL"))
        .count();
    assert_eq!(posts, 1, "the SDK does not send a POST twice after a 503");
    assert_used_well(&store);
}

#[tokio::test]
async fn the_cart_total_survives_a_dropped_connection() {
    let sim = Simulator::start().await.expect("the simulator starts");
    let store = sim.store("servicethree");
    let client = client(&sim, "servicethree");
    let checkout = checkout_link(&client, 240, 3).await.expect("a cart");
    store.clear_journal().unwrap();
    store
        .set_faults(FaultPlan::new(
            7,
            [FaultRule::with_effect("getCart", Effect::DropConnection).times(1)],
        ))
        .unwrap();

    let total = cart_total(&client, checkout.cart_id)
        .await
        .expect("a GET is sent again after a dropped connection");

    // Three plates of the default catalog at 19.
    assert_eq!(total, Decimal::from(57));
    assert_eq!(
        calls(&store),
        [("getCart".to_string(), 0), ("getCart".to_string(), 200)],
        "the dropped attempt, then the answered one"
    );
    assert_used_well(&store);
}

#[tokio::test]
async fn a_dropped_connection_on_create_cart_reaches_the_caller_without_a_second_post() {
    let sim = Simulator::start().await.expect("the simulator starts");
    let store = sim.store("servicefour");
    store
        .set_faults(FaultPlan::new(
            7,
            [FaultRule::with_effect("createCart", Effect::DropConnection).times(1)],
        ))
        .unwrap();

    let error = checkout_link(&client(&sim, "servicefour"), 233, 1)
        .await
        .err()
        .expect("a POST whose connection dropped is not sent again");

    let error = error
        .downcast_ref::<bigcommerce_carts::Error>()
        .unwrap_or_else(|| panic!("an SDK error: {error}"));
    assert!(matches!(error, bigcommerce_carts::Error::Transport(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("no answer from the API: the connection was closed before an answer came"),
        "{error}"
    );
    assert_eq!(
        calls(&store),
        [("createCart".to_string(), 0)],
        "one attempt, dropped: the cart may have been made, so the SDK does not send it twice"
    );
    assert_used_well(&store);
    let report = store.conformance().unwrap();
    assert_eq!(
        report.rule("consumer.post_repeated_after_failure").map(|r| r.result),
        Some(bigcommerce_carts_sim::consumer::Verdict::Pass),
        "the dropped create was exercised, and not sent again"
    );
}

#[tokio::test]
async fn query_params_sent_through_the_sdk_come_sorted_by_name() {
    let sim = Simulator::start().await.expect("the simulator starts");
    let client = client(&sim, "serviceparams");
    let checkout = checkout_link(&client, 233, 1).await.expect("a cart");
    // The SDK's `query_params` is a map sorted by name, so the order a service inserts them in
    // is not the order they are sent in; the simulator appends them in the order it receives.
    let mut params = std::collections::BTreeMap::new();
    params.insert("utm_source".to_string(), "mail".to_string());
    params.insert("campaign".to_string(), "spring".to_string());
    let urls = client
        .carts()
        .create_cart_redirect_url()
        .cart_id(checkout.cart_id)
        .body(RedirectUrlsRequest::builder().query_params(params))
        .send()
        .await
        .expect("redirect URLs")
        .into_inner()
        .data;
    let url = urls.cart_url.expect("a cart URL");
    // What follows the 64 hex digits of the token (kept out of the message).
    let start = url.find("&token=").expect("a token") + "&token=".len() + 64;
    assert_eq!(&url[start..], "&campaign=spring&utm_source=mail");
}
