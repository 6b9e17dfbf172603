//! Helpers shared by the API tests: a simulator per test, a store hash per test, and raw
//! HTTP calls (reqwest + serde_json) so the tests do not depend on the SDK's types.

use std::sync::atomic::{AtomicUsize, Ordering};

use bigcommerce_carts_sim::{DEFAULT_ACCESS_TOKEN, Simulator};
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

/// A store hash no other test uses.
pub fn unique_hash(prefix: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("{prefix}{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A plain HTTP client that does not follow redirects, with the SDK's TLS set-up (its one shared
/// configuration, so a client per test does not read the system's certificates each time).
pub fn http_client() -> reqwest::Client {
    bigcommerce_carts::http_client_builder()
        .expect("the SDK's TLS set-up")
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// An answer, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A simulator, a store of it, and an HTTP client.
pub struct Api {
    pub sim: Simulator,
    pub hash: String,
    pub http: reqwest::Client,
    pub token: Option<String>,
}

impl Api {
    pub async fn start() -> Self {
        Self::on(Simulator::start().await.expect("the simulator starts")).await
    }

    pub async fn on(sim: Simulator) -> Self {
        Self {
            sim,
            hash: unique_hash("store"),
            http: http_client(),
            token: Some(DEFAULT_ACCESS_TOKEN.to_string()),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.api_base(&self.hash))
    }

    /// Sends a raw body (or none) with the current token.
    pub async fn raw(&self, method: &str, path: &str, body: Option<&str>) -> Answer {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request = self.http.request(method, self.url(path));
        if let Some(token) = &self.token {
            request = request.header("x-auth-token", token);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        read(request.send().await.expect("the simulator answers")).await
    }

    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        let text = body.map(|b| b.to_string());
        self.raw(method, path, text.as_deref()).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.call("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.call("POST", path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Answer {
        self.call("PUT", path, Some(body)).await
    }

    pub async fn delete(&self, path: &str, body: Option<Value>) -> Answer {
        self.call("DELETE", path, body).await
    }

    /// Creates a cart and gives its `data`; panics unless the answer is 201.
    pub async fn create_cart(&self, body: Value) -> Value {
        let answer = self.post("/carts", body).await;
        assert_eq!(answer.status, 201, "{}", answer.body);
        answer.body["data"].clone()
    }

    /// A cart with two mugs.
    pub async fn mug_cart(&self) -> Value {
        self.create_cart(json!({"line_items": [{"quantity": 2, "product_id": 233}]}))
            .await
    }

    /// Follows a storefront URL once, without following the redirect.
    pub async fn visit(&self, url: &str) -> Answer {
        read(self.http.get(url).send().await.expect("the simulator answers")).await
    }
}

pub async fn read(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("a body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    Answer { status, headers, body }
}

/// The `id` of a cart's first physical item.
pub fn first_physical_item(cart: &Value) -> String {
    cart["line_items"]["physical_items"][0]["id"]
        .as_str()
        .expect("an item id")
        .to_string()
}
