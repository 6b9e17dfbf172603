//! Redirect URLs: minting, query parameters, single use, 30 days, the storefront side.

use std::time::Duration;

use bigcommerce_carts_sim::{Simulator, StoreProfile};
use serde_json::{Value, json};

use crate::common::Api;

const DAY: Duration = Duration::from_secs(86_400);

async fn mint(api: &Api, cart_id: &str, body: Option<Value>) -> Value {
    let answer = api.call("POST", &format!("/carts/{cart_id}/redirect_urls"), body).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(answer.body["meta"], json!({}));
    answer.body["data"].clone()
}

fn url(urls: &Value, name: &str) -> String {
    urls[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} in {urls}"))
        .to_string()
}

fn token_of(url: &str) -> String {
    let query = url.split_once('?').unwrap().1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn each_request_mints_fresh_urls_of_the_documented_shape_on_the_simulators_host() {
    let api = Api::start().await;
    let id = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let first = mint(&api, &id, Some(json!({}))).await;
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["cart_url", "checkout_url", "embedded_checkout_url"]);
    let base = api.sim.base_url();
    let token = token_of(&url(&first, "cart_url"));
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        url(&first, "cart_url"),
        format!("{base}/cart.php?action=load&id={id}&token={token}")
    );
    assert_eq!(
        url(&first, "checkout_url"),
        format!("{base}/cart.php?action=loadInCheckout&id={id}&token={token}")
    );
    assert_eq!(
        url(&first, "embedded_checkout_url"),
        format!("{base}/cart.php?embedded=1&action=loadInCheckout&id={id}&token={token}")
    );
    let second = mint(&api, &id, None).await;
    assert_ne!(
        token_of(&url(&second, "cart_url")),
        token,
        "every request mints a new token"
    );
}

#[tokio::test]
async fn query_params_are_carried_into_every_url_in_order_and_encoded() {
    let api = Api::start().await;
    let id = api.mug_cart().await["id"].as_str().unwrap().to_string();
    // Sent as text: a `json!` value would sort the names before they leave.
    let sent = api
        .raw(
            "POST",
            &format!("/carts/{id}/redirect_urls"),
            Some(r#"{"query_params": {"utm_source": "newsletter", "utm_campaign": "spring sale", "a&b": "c=d"}}"#),
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    let urls = sent.body["data"].clone();
    for name in ["cart_url", "checkout_url", "embedded_checkout_url"] {
        let url = url(&urls, name);
        assert!(
            url.ends_with("&utm_source=newsletter&utm_campaign=spring+sale&a%26b=c%3Dd"),
            "{name}: {url}"
        );
    }
    let refused = api
        .post(&format!("/carts/{id}/redirect_urls"), json!({"query_params": {"n": 3}}))
        .await;
    assert_eq!(
        refused.status, 422,
        "query parameter values are strings: {}",
        refused.body
    );
}

#[tokio::test]
async fn the_first_visit_loads_the_cart_and_later_visits_do_not() {
    let api = Api::start().await;
    let id = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let urls = mint(&api, &id, None).await;
    let first = api.visit(&url(&urls, "cart_url")).await;
    assert_eq!(first.status, 302);
    assert_eq!(first.header("location"), Some(format!("/cart?cart_id={id}").as_str()));
    assert_eq!(first.header("x-sim-redirect"), Some("loaded"));
    let again = api.visit(&url(&urls, "cart_url")).await;
    assert_eq!(again.status, 302);
    assert_eq!(again.header("location"), Some("/cart"));
    assert_eq!(again.header("x-sim-redirect"), Some("used"));
    // The three URLs of one answer share their token, so one visit uses them all.
    let sibling = api.visit(&url(&urls, "checkout_url")).await;
    assert_eq!(sibling.header("x-sim-redirect"), Some("used"));

    let fresh = mint(&api, &id, None).await;
    let checkout = api.visit(&url(&fresh, "checkout_url")).await;
    assert_eq!(
        checkout.header("location"),
        Some(format!("/checkout?cart_id={id}").as_str())
    );
    let embedded = mint(&api, &id, None).await;
    let answer = api.visit(&url(&embedded, "embedded_checkout_url")).await;
    assert_eq!(
        answer.header("location"),
        Some(format!("/checkout?cart_id={id}&embedded=1").as_str())
    );
    // The landing page exists for a browser to show.
    let page = api
        .visit(&format!("{}/checkout?cart_id={id}", api.sim.base_url()))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.as_str().unwrap().contains(&id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_many_concurrent_visits_of_one_url_exactly_one_loads_the_cart() {
    let api = Api::start().await;
    let id = api.mug_cart().await["id"].as_str().unwrap().to_string();
    for _round in 0..3 {
        let target = url(&mint(&api, &id, None).await, "checkout_url");
        let visits: Vec<_> = (0..32)
            .map(|_| {
                let http = api.http.clone();
                let target = target.clone();
                tokio::spawn(async move {
                    let response = http.get(&target).send().await.expect("an answer");
                    response
                        .headers()
                        .get("x-sim-redirect")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string)
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        for visit in visits {
            outcomes.push(visit.await.expect("the task ends"));
        }
        let loaded = outcomes.iter().filter(|o| o.as_deref() == Some("loaded")).count();
        let used = outcomes.iter().filter(|o| o.as_deref() == Some("used")).count();
        assert_eq!((loaded, used), (1, 31), "{outcomes:?}");
    }
}

#[tokio::test]
async fn urls_stay_valid_for_30_days() {
    let api = Api::start().await;
    let store = api.sim.store(&api.hash);
    let id = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let early = mint(&api, &id, None).await;
    let late = mint(&api, &id, None).await;
    store.advance_clock(DAY * 29).unwrap();
    // A change keeps the cart itself alive past its own 30 days.
    assert_eq!(
        api.put(&format!("/carts/{id}"), json!({"customer_id": 1})).await.status,
        201
    );
    let within = api.visit(&url(&late, "cart_url")).await;
    assert_eq!(
        within.header("x-sim-redirect"),
        Some("loaded"),
        "29 days old still works"
    );
    store.advance_clock(DAY).unwrap();
    let lapsed = api.visit(&url(&early, "cart_url")).await;
    assert_eq!(lapsed.status, 302);
    assert_eq!(lapsed.header("x-sim-redirect"), Some("expired"));
    assert_eq!(lapsed.header("location"), Some("/cart"));
}

#[tokio::test]
async fn tampered_tokens_and_deleted_carts_do_not_load() {
    let api = Api::start().await;
    let id = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let urls = mint(&api, &id, None).await;
    let cart_url = url(&urls, "cart_url");
    let token = token_of(&cart_url);
    let flipped = format!("{}{}", &token[..63], if token.ends_with('0') { "1" } else { "0" });
    let tampered = api.visit(&cart_url.replace(&token, &flipped)).await;
    assert_eq!(tampered.header("x-sim-redirect"), Some("invalid"));
    let other_cart = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let moved = api.visit(&cart_url.replace(&id, &other_cart)).await;
    assert_eq!(
        moved.header("x-sim-redirect"),
        Some("invalid"),
        "a token belongs to one cart"
    );
    assert_eq!(api.delete(&format!("/carts/{id}"), None).await.status, 204);
    let deleted = api.visit(&cart_url).await;
    assert_eq!(deleted.header("x-sim-redirect"), Some("cart-missing"));
    let nonsense = api.visit(&format!("{}/cart.php?action=load", api.sim.base_url())).await;
    assert_eq!(
        (nonsense.status, nonsense.header("x-sim-redirect")),
        (302, Some("invalid"))
    );
}

#[tokio::test]
async fn the_public_base_of_urls_can_be_configured() {
    let sim = Simulator::builder()
        .public_base_url("https://shop.example.com")
        .start()
        .await
        .unwrap();
    let api = Api::on(sim).await;
    let id = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let urls = mint(&api, &id, None).await;
    assert!(url(&urls, "cart_url").starts_with("https://shop.example.com/cart.php?action=load&id="));
    let profile = StoreProfile {
        public_base_url: Some("https://store-h7k2p9.mybigcommerce.com".into()),
        ..StoreProfile::default()
    };
    api.sim.store(&api.hash).set_profile(profile).unwrap();
    let urls = mint(&api, &id, None).await;
    assert!(
        url(&urls, "checkout_url").starts_with("https://store-h7k2p9.mybigcommerce.com/cart.php?action=loadInCheckout")
    );
    // The simulator still serves the storefront side itself.
    let own = url(&urls, "cart_url").replace("https://store-h7k2p9.mybigcommerce.com", &api.sim.base_url());
    assert_eq!(api.visit(&own).await.header("x-sim-redirect"), Some("loaded"));
}
