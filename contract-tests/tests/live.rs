//! The live scenario against a stand-in store on 127.0.0.1: what it records
//! is redacted, replays exactly, and the rules judge what the store answered.

use contract_tests::live::{Credentials, record, run};
use contract_tests::rules::Verdict;
use contract_tests::spec::{self, Specs};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CART: &str = "3b9e6c1d-4f2a-4e8b-a7d5-0c1f2e3d4b5a";
const ACCESS_TOKEN: &str = "k2j4h6g8f0d2s4a6p8o0i2u4y6t8r0e";
const URL_TOKEN: &str = "6f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4";

fn urls(extra: &str) -> serde_json::Value {
    let base = "https://store-q4w8e2.mybigcommerce.com/cart.php";
    json!({
        "cart_url": format!("{base}?action=load&id={CART}&token={URL_TOKEN}{extra}"),
        "checkout_url": format!("{base}?action=loadInCheckout&id={CART}&token={URL_TOKEN}{extra}"),
        "embedded_checkout_url": format!("{base}?embedded=1&action=loadInCheckout&id={CART}&token={URL_TOKEN}{extra}")
    })
}

fn cart(with_urls: bool) -> serde_json::Value {
    let mut cart = json!({
        "id": CART,
        "customer_id": 0,
        "channel_id": 1,
        "email": "",
        "currency": {"code": "EUR"},
        "tax_included": true,
        "base_amount": 1,
        "discount_amount": 0,
        "cart_amount": 1,
        "created_time": "2026-11-20T10:00:00+00:00",
        "updated_time": "2026-11-20T10:00:00+00:00",
        "line_items": {
            "physical_items": [], "digital_items": [], "gift_certificates": [],
            "custom_items": [{"id": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", "sku": "CONFORMANCE-CHECK", "name": "Conformance check", "quantity": 1, "list_price": 1}]
        },
        "locale": "en"
    });
    if with_urls {
        cart["redirect_urls"] = urls("");
    }
    json!({"data": cart, "meta": {}})
}

async fn store(redirect_status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/carts"))
        .and(query_param("include", "redirect_urls"))
        .and(header("x-auth-token", ACCESS_TOKEN))
        .respond_with(ResponseTemplate::new(201).set_body_json(cart(true)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/carts/{CART}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(cart(false)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/carts/{CART}/redirect_urls")))
        .respond_with(
            ResponseTemplate::new(redirect_status)
                .set_body_json(json!({"data": urls("&utm_source=conformance"), "meta": {}})),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/carts/{CART}")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn recordings_carry_no_secret_and_the_rules_hold() {
    let server = store(201).await;
    let credentials = Credentials::new("q4w8e2", ACCESS_TOKEN, Some(server.uri()));
    let cassettes = record(&credentials).await.unwrap();
    let operations: Vec<&str> = cassettes.iter().map(|c| c.operation.as_str()).collect();
    assert_eq!(
        operations,
        ["createCart", "getCart", "createCartRedirectURL", "deleteCart"]
    );
    for cassette in &cassettes {
        let text = contract_tests::cassette::to_yaml(cassette).expect("no secret left");
        assert!(!text.contains(ACCESS_TOKEN) && !text.contains(URL_TOKEN), "{text}");
    }
    assert!(format!("{credentials:?}").contains("<redacted>"));

    let specs = Specs::load(&spec::default_dir()).unwrap();
    let report = run(&specs, &credentials).await.unwrap();
    assert!(report.replay_failures.is_empty(), "{:?}", report.replay_failures);
    let verdict = |id: &str| report.rules.iter().find(|r| r.id == id).unwrap().result;
    for id in [
        "redirect_urls.status",
        "redirect_urls.shape",
        "redirect_urls.query_params",
        "include.redirect_urls",
    ] {
        assert_eq!(verdict(id), Verdict::Pass, "{id}");
    }
    assert_eq!(
        verdict("option_value.forms"),
        Verdict::Pass,
        "the SDK side of the rule still runs"
    );
    assert_eq!(verdict("redirect_urls.single_use"), Verdict::NotCheckable);
    assert!(!report.failed());
    let deletes = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == "DELETE")
        .count();
    assert_eq!(deletes, 2, "each of the two runs deleted its cart");
}

#[tokio::test]
async fn a_store_answering_200_for_redirect_urls_fails_the_status_rule() {
    let server = store(200).await;
    let credentials = Credentials::new("q4w8e2", ACCESS_TOKEN, Some(server.uri()));
    let specs = Specs::load(&spec::default_dir()).unwrap();
    let report = run(&specs, &credentials).await.unwrap();
    let status = report.rules.iter().find(|r| r.id == "redirect_urls.status").unwrap();
    assert_eq!(status.result, Verdict::Fail);
    assert!(
        status.failures[0].contains("answered Some(200), documented 201"),
        "{:?}",
        status.failures
    );
    assert!(report.failed());
    let deletes = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == "DELETE")
        .count();
    assert_eq!(deletes, 1, "the cart is deleted even when a rule fails");
}
