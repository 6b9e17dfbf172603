//! What the SDK puts on the wire and how it reads answers, against a local
//! HTTP server.

use bigcommerce_carts::carts::types::{CartCreateRequest, LineItemRequest, RedirectUrlsRequest};
use bigcommerce_carts::{Client, Error, Include, StorefrontClient};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CART_ID: &str = "7d3c1e52-0b6a-4f8e-9a1d-2c5b8e4f6a90";

async fn client(server: &MockServer) -> Client {
    Client::builder("teststore", "token-for-tests")
        .base_url(server.uri())
        .build()
        .unwrap()
}

/// The one request to `server` with `verb` on `route`: what the test's client sent. A port on
/// 127.0.0.1 can be one a finished test's server had, so a server may also receive a request
/// meant for that test; only the test's own counts. The panic lists everything received.
async fn sent(server: &MockServer, verb: &str, route: &str) -> wiremock::Request {
    let received = server.received_requests().await.unwrap();
    let mut own = received
        .iter()
        .filter(|r| r.method.as_str() == verb && r.url.path() == route);
    match (own.next(), own.next()) {
        (Some(request), None) => request.clone(),
        _ => panic!(
            "expected one {verb} {route}, received: {:?}",
            received
                .iter()
                .map(|r| format!("{} {}", r.method, r.url))
                .collect::<Vec<_>>()
        ),
    }
}

fn cart_body() -> serde_json::Value {
    let mut answer = crate::fixtures::cart_answer(CART_ID, "1e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b");
    answer["data"]["redirect_urls"] = json!({
        "cart_url": format!("https://shop.example.com/cart.php?action=load&id={CART_ID}&token=redacted"),
        "checkout_url": format!("https://shop.example.com/cart.php?action=loadInCheckout&id={CART_ID}&token=redacted"),
        "embedded_checkout_url": format!("https://shop.example.com/cart.php?embedded=1&action=loadInCheckout&id={CART_ID}&token=redacted")
    });
    answer
}

#[tokio::test]
async fn create_cart_sends_include_comma_separated_with_the_token_and_reads_any_2xx() {
    let server = MockServer::start().await;
    // 201 is documented; the SDK still decodes a 200 and leaves the status to the caller.
    Mock::given(method("POST"))
        .and(path("/carts"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(cart_body())
                .insert_header("x-rate-limit-requests-left", "149"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let body = CartCreateRequest::builder().line_items(vec![
        LineItemRequest::builder()
            .product_id(126)
            .quantity(2)
            .try_into()
            .unwrap(),
    ]);
    let response = client(&server)
        .await
        .carts()
        .create_cart()
        .include(vec![Include::RedirectUrls, Include::PromotionsBanners])
        .body(body)
        .send()
        .await
        .expect("a 200 decodes");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["x-rate-limit-requests-left"],
        "149",
        "the answer's headers are kept"
    );
    let cart = response.into_inner().data;
    assert_eq!(cart.id.to_string(), CART_ID);
    assert!(
        cart.redirect_urls
            .unwrap()
            .embedded_checkout_url
            .unwrap()
            .contains("embedded=1")
    );

    let request = sent(&server, "POST", "/carts").await;
    assert_eq!(request.url.query(), Some("include=redirect_urls,promotions.banners"));
    assert_eq!(request.headers["x-auth-token"], "token-for-tests");
    assert_eq!(request.headers["accept"], "application/json");
    assert_eq!(request.headers["content-type"], "application/json");
    assert!(request.headers.get("api-version").is_none());
    assert!(
        request.headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("bigcommerce-carts/")
    );
    let sent: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        sent,
        json!({"line_items": [{"product_id": 126, "quantity": 2}]}),
        "ids go as integers"
    );
}

#[tokio::test]
async fn redirect_urls_carry_free_query_params_and_decode_the_201() {
    let server = MockServer::start().await;
    let urls = cart_body()["data"]["redirect_urls"].clone();
    Mock::given(method("POST"))
        .and(path(format!("/carts/{CART_ID}/redirect_urls")))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"data": urls, "meta": {}})))
        .mount(&server)
        .await;
    let request = RedirectUrlsRequest::builder().query_params(
        [("utm_source".to_string(), "mail".to_string())]
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>(),
    );
    let response = client(&server)
        .await
        .carts()
        .create_cart_redirect_url()
        .cart_id(CART_ID.parse::<uuid::Uuid>().unwrap())
        .body(request)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert!(response.into_inner().data.cart_url.unwrap().contains("action=load"));
    let request = sent(&server, "POST", &format!("/carts/{CART_ID}/redirect_urls")).await;
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body, json!({"query_params": {"utm_source": "mail"}}));
}

#[tokio::test]
async fn deleting_the_last_item_answers_204_and_reads_as_none() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!(
            "/carts/{CART_ID}/items/5f1d2a3b-8c9e-4d7f-a6b5-c4d3e2f1a0b9"
        )))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let response = client(&server)
        .await
        .carts()
        .delete_cart_line_item()
        .cart_id(CART_ID.parse::<uuid::Uuid>().unwrap())
        .item_id("5f1d2a3b-8c9e-4d7f-a6b5-c4d3e2f1a0b9".parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .expect("204 is a success");
    assert_eq!(response.status(), 204);
    assert!(response.into_inner().is_none(), "the cart went with its last item");
}

#[tokio::test]
async fn an_undocumented_error_status_still_decodes_the_envelope() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/carts"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "status": 422,
            "title": "The request is not valid.",
            "type": "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes",
            "errors": {"line_items": "line_items is required"}
        })))
        .mount(&server)
        .await;
    let error: Error = client(&server)
        .await
        .carts()
        .create_cart()
        .body(CartCreateRequest::builder())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422));
    let envelope = error.body().expect("the envelope");
    assert_eq!(envelope.status, Some(422));
    assert_eq!(envelope.title.as_deref(), Some("The request is not valid."));
    assert_eq!(
        error.to_string(),
        "422 Unprocessable Entity: The request is not valid. (line_items: line_items is required)"
    );
}

#[tokio::test]
async fn storefront_requests_carry_no_token() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/carts/{CART_ID}")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = StorefrontClient::builder("shop.example.com")
        .base_url(server.uri())
        .build()
        .unwrap();
    client
        .carts()
        .delete_cart()
        .cart_id(CART_ID.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap();
    let request = sent(&server, "DELETE", &format!("/carts/{CART_ID}")).await;
    assert!(request.headers.get("x-auth-token").is_none());
    assert!(request.headers.get("api-version").is_none());
}

#[tokio::test]
async fn option_values_go_out_in_every_documented_form() {
    use bigcommerce_carts::carts::types::{OptionDateValue, OptionFileValue, OptionSelection, OptionValue};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/carts"))
        .respond_with(ResponseTemplate::new(201).set_body_json(cart_body()))
        .mount(&server)
        .await;
    let selection = |option_id: i64, value: OptionValue| OptionSelection {
        option_id: Some(option_id),
        option_value: Some(value),
        ..Default::default()
    };
    let date = OptionDateValue {
        day: "07".into(),
        month: "03".into(),
        year: "2026".into(),
    };
    let file = OptionFileValue {
        original_name: "crest.png".into(),
        temporary_path: "88_a1b2c3.png".into(),
    };
    let item = LineItemRequest::builder()
        .product_id(41)
        .quantity(1)
        .option_selections(vec![
            selection(10, OptionValue::Id(205)),
            selection(11, OptionValue::Text("Engraved: Ada".into())),
            selection(12, OptionValue::Id(1_772_841_600)),
            selection(13, date.into()),
            selection(14, file.into()),
        ]);
    client(&server)
        .await
        .carts()
        .create_cart()
        .body(CartCreateRequest::builder().line_items(vec![item.try_into().unwrap()]))
        .send()
        .await
        .unwrap();
    let request = sent(&server, "POST", "/carts").await;
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body["line_items"][0]["option_selections"],
        json!([
            {"option_id": 10, "option_value": 205},
            {"option_id": 11, "option_value": "Engraved: Ada"},
            {"option_id": 12, "option_value": 1_772_841_600},
            {"option_id": 13, "option_value": {"day": "07", "month": "03", "year": "2026"}},
            {"option_id": 14, "option_value": {"originalName": "crest.png", "temporaryPath": "88_a1b2c3.png"}}
        ])
    );
}

#[tokio::test]
async fn a_value_a_builder_cannot_send_is_named_with_its_parameter_and_type() {
    let server = MockServer::start().await;
    let error = client(&server)
        .await
        .carts()
        .get_cart()
        .cart_id("not-a-uuid")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: conversion to `Uuid` for cart_id failed",
        "{error:?}"
    );
    // Only this test's own request counts: the port may be one a finished test's server had.
    let received = server.received_requests().await.unwrap();
    assert!(
        !received.iter().any(|r| r.url.path().contains("not-a-uuid")),
        "the value was sent: {:?}",
        received.iter().map(|r| r.url.to_string()).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_get_sends_the_token_and_accept_and_no_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/carts/{CART_ID}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(cart_body()))
        .mount(&server)
        .await;
    let cart = client(&server)
        .await
        .carts()
        .get_cart()
        .cart_id(CART_ID.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap()
        .into_inner()
        .data;
    assert_eq!(cart.id.to_string(), CART_ID);
    let request = sent(&server, "GET", &format!("/carts/{CART_ID}")).await;
    assert_eq!(request.headers["x-auth-token"], "token-for-tests");
    assert_eq!(request.headers["accept"], "application/json");
    // A GET has no body to describe; the specs declare no Content-Type on one.
    assert!(request.headers.get("content-type").is_none(), "{:?}", request.headers);
}
