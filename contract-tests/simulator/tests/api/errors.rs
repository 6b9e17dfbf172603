//! Errors in the v3 envelope: authentication, scopes, malformed and invalid bodies, unknown
//! routes, and hostile input that must never get a 5xx.

use bigcommerce_carts_sim::{Scope, TokenGrant};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::Api;

fn is_envelope(body: &Value, status: u16) -> bool {
    body["status"] == status && body["type"].is_string()
}

#[tokio::test]
async fn a_missing_or_unknown_token_is_401() {
    let mut api = Api::start().await;
    let cart = api.mug_cart().await["id"].as_str().unwrap().to_string();
    for token in [None, Some("not-a-token".to_string())] {
        api.token = token;
        for (method, path) in [
            ("GET", format!("/carts/{cart}")),
            ("POST", "/carts".to_string()),
            ("GET", "/carts/settings".to_string()),
            ("GET", "/abandoned-carts/settings".to_string()),
            ("GET", "/no/such/path".to_string()),
        ] {
            let answer = api.call(method, &path, Some(json!({}))).await;
            assert_eq!(answer.status, 401, "{method} {path}");
            assert!(is_envelope(&answer.body, 401), "{}", answer.body);
            assert_eq!(answer.body["title"], "Unauthorized");
        }
    }
}

#[tokio::test]
async fn a_token_without_the_needed_scope_is_403() {
    let mut api = Api::start().await;
    let cart = api.mug_cart().await["id"].as_str().unwrap().to_string();
    api.sim
        .store(&api.hash)
        .set_tokens(vec![
            TokenGrant::new("cart-read", [Scope::CartReadOnly]),
            TokenGrant::new("cart-write", [Scope::Cart]),
            TokenGrant::new("info-read", [Scope::InformationReadOnly]),
            TokenGrant::new("info-write", [Scope::Information]),
        ])
        .unwrap();
    let cases = [
        ("cart-read", "GET", format!("/carts/{cart}"), 200),
        ("cart-read", "GET", format!("/carts/{cart}/metafields"), 200),
        ("cart-read", "POST", format!("/carts/{cart}/redirect_urls"), 403),
        ("cart-read", "PUT", format!("/carts/{cart}"), 403),
        ("cart-read", "GET", "/carts/settings".to_string(), 403),
        ("cart-write", "POST", format!("/carts/{cart}/redirect_urls"), 201),
        ("cart-write", "GET", "/abandoned-carts/settings".to_string(), 403),
        ("info-read", "GET", "/carts/settings".to_string(), 200),
        (
            "info-read",
            "GET",
            "/abandoned-carts/settings/channels/2".to_string(),
            200,
        ),
        ("info-read", "PUT", "/carts/settings".to_string(), 403),
        ("info-read", "GET", format!("/carts/{cart}"), 403),
        ("info-write", "PUT", "/carts/settings".to_string(), 200),
        ("info-write", "POST", "/carts".to_string(), 403),
    ];
    for (token, method, path, status) in cases {
        api.token = Some(token.to_string());
        let body = match (method, path.as_str()) {
            ("PUT", "/carts/settings") => Some(json!({"allow_purchasing": true})),
            ("PUT", _) => Some(json!({"customer_id": 3})),
            ("POST", _) => Some(json!({})),
            _ => None,
        };
        let answer = api.call(method, &path, body).await;
        assert_eq!(answer.status, status, "{token} {method} {path}: {}", answer.body);
        if status == 403 {
            assert!(is_envelope(&answer.body, 403), "{}", answer.body);
            assert!(
                answer.body["detail"].as_str().unwrap().contains("scope")
                    || answer.body["detail"].as_str().unwrap().contains("read-only")
            );
        }
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_400() {
    let api = Api::start().await;
    for body in ["{", "line_items=1", "{\"line_items\": [}", "\u{0}"] {
        let answer = api.raw("POST", "/carts", Some(body)).await;
        assert_eq!(answer.status, 400, "{body:?}: {}", answer.body);
        assert!(is_envelope(&answer.body, 400));
        assert_eq!(answer.body["title"], "Bad Request");
    }
    let missing = api.raw("POST", "/carts", None).await;
    assert_eq!(missing.status, 400, "createCart needs a body");
    let cart = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let malformed_put = api
        .raw("PUT", &format!("/carts/{cart}"), Some("{\"customer_id\": "))
        .await;
    assert_eq!(malformed_put.status, 400);
}

#[tokio::test]
async fn a_body_that_does_not_fit_the_spec_is_422_naming_the_fields() {
    let api = Api::start().await;
    let cases = [
        (
            json!({"line_items": [{"quantity": "two", "product_id": 233}]}),
            "line_items[0].quantity",
        ),
        (json!({"line_items": [{"product_id": 233}]}), "line_items[0].quantity"),
        (json!({"line_items": {"quantity": 1}}), "line_items"),
        (json!({"customer_id": "guest"}), "customer_id"),
        (
            json!({"gift_certificates": [{"name": "G", "theme": "Wedding", "amount": 5000, "quantity": 1,
                "sender": {}, "recipient": {}}]}),
            "gift_certificates[0].amount",
        ),
        (
            json!({"line_items": [{"quantity": 1, "product_id": 1.5}]}),
            "line_items[0].product_id",
        ),
        (json!([1, 2]), "body"),
    ];
    for (body, field) in cases {
        let answer = api.post("/carts", body.clone()).await;
        assert_eq!(answer.status, 422, "{body}: {}", answer.body);
        assert!(is_envelope(&answer.body, 422));
        assert!(answer.body["errors"][field].is_string(), "{field} in {}", answer.body);
    }
    let theme = api
        .post(
            "/carts",
            json!({"gift_certificates": [{"name": "G", "theme": "Wedding", "amount": 5, "quantity": 1, "sender": {}, "recipient": {}}]}),
        )
        .await;
    assert!(
        theme.body["errors"]["gift_certificates[0].theme"].is_string(),
        "{}",
        theme.body
    );
    let cart = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let include = api.get(&format!("/carts/{cart}?include=everything")).await;
    assert_eq!(include.status, 422);
    assert!(include.body["errors"]["include"].is_string());
    let version = api
        .put(
            &format!("/carts/{cart}"),
            json!({"customer_id": 1, "version": "latest"}),
        )
        .await;
    assert_eq!(version.status, 422);
}

#[tokio::test]
async fn paths_and_methods_outside_the_specs_are_404_and_405() {
    let api = Api::start().await;
    let unknown = api.get("/orders").await;
    assert_eq!(unknown.status, 404);
    assert!(is_envelope(&unknown.body, 404));
    let wrong_method = api.call("POST", "/carts/settings", Some(json!({}))).await;
    assert_eq!(wrong_method.status, 405);
    let patch = api
        .call(
            "PATCH",
            &format!("/carts/{}", Uuid::from_u128(fastrand::u128(..))),
            Some(json!({})),
        )
        .await;
    assert_eq!(patch.status, 405);
    let bad_hash = api
        .http
        .get(format!("{}/stores/not-a-hash/v3/carts/settings", api.sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_hash.status(), 404);
    let elsewhere = api
        .http
        .get(format!("{}/favicon.ico", api.sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), 404);
    let bad_channel = api.get("/carts/settings/channels/two").await;
    assert_eq!(bad_channel.status, 404);
    let bad_metafield = api
        .get(&format!(
            "/carts/{}/metafields/abc",
            Uuid::from_u128(fastrand::u128(..))
        ))
        .await;
    assert_eq!(bad_metafield.status, 404);
}

#[tokio::test]
async fn an_oversized_body_is_413() {
    let api = Api::start().await;
    let big = format!(
        "{{\"custom_items\": [{{\"name\": \"{}\"}}]}}",
        "x".repeat(2 * 1024 * 1024)
    );
    let answer = api.raw("POST", "/carts", Some(&big)).await;
    assert_eq!(answer.status, 413);
}

/// A small deterministic generator, so failures repeat.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() as usize) % items.len()]
    }

    fn value(&mut self, depth: u32) -> Value {
        let leaves = [
            json!(null),
            json!(true),
            json!(-1),
            json!(0),
            json!(1e308),
            json!(-9223372036854775808i64),
            json!(18446744073709551615u64),
            json!(0.1),
            json!(""),
            json!("🛒\u{0}'\""),
            json!("9051"),
            json!("00000000-0000-0000-0000-000000000000"),
            json!(233),
            json!(541),
            json!(726),
            json!(61),
        ];
        let keys = [
            "line_items",
            "custom_items",
            "gift_certificates",
            "quantity",
            "product_id",
            "variant_id",
            "option_selections",
            "option_id",
            "option_value",
            "list_price",
            "version",
            "customer_id",
            "channel_id",
            "locale",
            "currency",
            "code",
            "query_params",
            "line_item",
            "allow_purchasing",
            "permission_set",
            "namespace",
            "key",
            "value",
            "resource_id",
            "id",
            "amount",
            "theme",
            "sender",
            "recipient",
            "day",
            "month",
            "year",
            "name",
        ];
        if depth == 0 {
            return self.pick(&leaves).clone();
        }
        match self.next() % 4 {
            0 => self.pick(&leaves).clone(),
            1 => Value::Array((0..self.next() % 3).map(|_| self.value(depth - 1)).collect()),
            _ => {
                let mut map = serde_json::Map::new();
                for _ in 0..self.next() % 5 {
                    let key = self.pick(&keys).to_string();
                    map.insert(key, self.value(depth - 1));
                }
                Value::Object(map)
            }
        }
    }
}

#[tokio::test]
async fn hostile_input_never_gets_a_5xx_or_a_non_json_error() {
    let api = Api::start().await;
    let cart = api
        .create_cart(json!({"line_items": [{"quantity": 1, "product_id": 233}, {"quantity": 1, "product_id": 240}]}))
        .await;
    let id = cart["id"].as_str().unwrap().to_string();
    let item = cart["line_items"]["physical_items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let targets = [
        ("POST", "/carts".to_string()),
        ("PUT", format!("/carts/{id}")),
        ("POST", format!("/carts/{id}/items")),
        ("PUT", format!("/carts/{id}/items/{item}")),
        ("POST", format!("/carts/{id}/redirect_urls")),
        ("PUT", "/carts/settings".to_string()),
        ("PUT", "/carts/settings/channels/2".to_string()),
        ("POST", format!("/carts/{id}/metafields")),
        ("POST", "/carts/metafields".to_string()),
        ("PUT", "/carts/metafields".to_string()),
        ("DELETE", "/carts/metafields".to_string()),
        ("PUT", "/abandoned-carts/settings".to_string()),
        ("PUT", "/abandoned-carts/settings/channels/2".to_string()),
    ];
    let mut dice = Lcg(20260301);
    for round in 0..40 {
        for (method, path) in &targets {
            let body = dice.value(4);
            let answer = api.call(method, path, Some(body.clone())).await;
            assert!(
                answer.status < 500,
                "round {round}: {method} {path} {body} -> {} {}",
                answer.status,
                answer.body
            );
            if answer.status >= 400 {
                assert!(
                    is_envelope(&answer.body, answer.status) || answer.body["errors"].is_array(),
                    "{}",
                    answer.body
                );
            }
        }
    }
    // Odd paths and queries too.
    for path in [
        format!("/carts/{id}?include=%FF"),
        "/carts/metafields?limit=99999999999999999999".to_string(),
        "/carts/metafields?page=-3".to_string(),
        "/carts/metafields?after=cursor-".to_string(),
        format!("/carts/{id}/items/{}", "a".repeat(5000)),
        "/abandoned-carts/%00".to_string(),
    ] {
        let answer = api.get(&path).await;
        assert!(answer.status < 500, "{path}: {} {}", answer.status, answer.body);
    }
    // The cart survived the storm in a consistent state.
    let after = api.get(&format!("/carts/{id}")).await;
    assert_eq!(after.status, 200);
}
