//! The live scenario, step by step.

use bigcommerce_carts::carts::types as v3;
use serde_json::{Value, json};

use super::clock::ServerClock;
use super::recorder::{Answer, Call, Recorder};
use super::{Credentials, LiveError, storefront};
use crate::cassette::Cassette;
use crate::rules::{AgedRead, Observations, VersionedChange};

/// What one run of the scenario gave.
#[derive(Debug, Clone)]
pub struct Session {
    /// Every API call, as cassettes (secrets redacted).
    pub cassettes: Vec<Cassette>,
    /// What it saw of state.
    pub observations: Observations,
}

/// Runs the scenario against the server of `credentials`. The cart it makes
/// is deleted at the end, also when a step in between fails.
pub async fn run(credentials: &Credentials) -> Result<Session, LiveError> {
    let http = bigcommerce_carts::http_client_builder()
        .map_err(|e| LiveError::answer("setup", e.to_string()))?
        .user_agent(concat!("bigcommerce-carts-conformance/", env!("CARGO_PKG_VERSION")))
        .timeout(std::time::Duration::from_secs(30))
        // A visit of a redirect URL is judged by its own answer.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| LiveError::transport("setup", e))?;
    // The simulator's control API tells it from a store, however the run was started, so
    // that its recordings say they came from the simulator.
    let clock = ServerClock::find(&http, credentials).await;
    let mut recorded_as = credentials.clone();
    if clock.is_ok() {
        recorded_as = recorded_as.simulator();
    }
    let mut scenario = Scenario {
        recorder: Recorder {
            http: http.clone(),
            credentials: recorded_as,
            date: chrono::Utc::now().format("%Y-%m-%d").to_string(),
            cassettes: Vec::new(),
        },
        observations: Observations::default(),
        cart: String::new(),
    };

    // A custom item needs no catalog product, so the scenario runs on any store.
    let created = scenario
        .call(
            "create a cart",
            "createCart",
            reqwest::Method::POST,
            "",
            Some("include=redirect_urls"),
            Some(cart_body()?),
        )
        .await?;
    scenario.cart = created.str("/data/id").map(str::to_string).ok_or_else(|| {
        LiveError::answer(
            "create a cart",
            format!("answered {} without a cart id", created.status),
        )
    })?;

    let steps = scenario.steps(&http, credentials, clock).await;
    let deleted = scenario
        .call("delete the cart", "deleteCart", reqwest::Method::DELETE, "", None, None)
        .await;
    steps?;
    let deleted = deleted?;
    // 404: the clock steps let the cart expire, as documented.
    if !matches!(deleted.status, 204 | 404) {
        return Err(LiveError::answer(
            "delete the cart",
            format!("answered {}; the cart may be left on the server", deleted.status),
        ));
    }
    Ok(Session {
        cassettes: scenario.recorder.cassettes,
        observations: scenario.observations,
    })
}

struct Scenario {
    recorder: Recorder,
    observations: Observations,
    cart: String,
}

impl Scenario {
    /// One API call on the scenario's cart (`path` is what follows `/carts/{id}`).
    async fn call(
        &mut self,
        step: &str,
        operation: &str,
        method: reqwest::Method,
        path: &str,
        query: Option<&str>,
        body: Option<Value>,
    ) -> Result<Answer, LiveError> {
        let path = if operation == "createCart" {
            "/carts".to_string()
        } else {
            format!("/carts/{}{path}", self.cart)
        };
        self.recorder
            .send(Call {
                step,
                operation,
                method,
                path,
                query,
                body,
            })
            .await
    }

    async fn read(&mut self, step: &str) -> Result<Answer, LiveError> {
        self.call(step, "getCart", reqwest::Method::GET, "", None, None).await
    }

    async fn redirect_urls(&mut self, step: &str, query_params: Value) -> Result<Answer, LiveError> {
        let body = sdk_spelling::<v3::RedirectUrlsRequest>(json!({ "query_params": query_params }))?;
        let answer = self
            .call(
                step,
                "createCartRedirectURL",
                reqwest::Method::POST,
                "/redirect_urls",
                None,
                Some(body),
            )
            .await?;
        if answer.str("/data/cart_url").is_none() {
            return Err(LiveError::answer(
                step,
                format!("answered {} without redirect URLs", answer.status),
            ));
        }
        Ok(answer)
    }

    async fn add_item(&mut self, step: &str, version: Option<i64>) -> Result<Answer, LiveError> {
        let mut body = json!({ "custom_items": [custom_item()] });
        if let Some(version) = version {
            body["version"] = json!(version);
        }
        let body = sdk_spelling::<v3::CartLineItemsAddRequest>(body)?;
        self.call(
            step,
            "addCartLineItems",
            reqwest::Method::POST,
            "/items",
            None,
            Some(body),
        )
        .await
    }

    async fn visit(
        &mut self,
        http: &reqwest::Client,
        credentials: &Credentials,
        step: &str,
        url: &str,
        visit: u32,
        age_days: u32,
    ) -> Result<(), LiveError> {
        let seen = storefront::visit(http, credentials, step, url, visit, age_days).await?;
        self.observations.visits.push(seen);
        Ok(())
    }

    /// A change sent with `sent` as the version, then a read of the version it left.
    async fn versioned_change(&mut self, step: &str, sent: i64, current: i64) -> Result<i64, LiveError> {
        let answer = self.add_item(step, Some(sent)).await?;
        let envelope = answer.int("/status") == Some(i64::from(answer.status))
            && ["title", "type", "detail", "errors"]
                .iter()
                .any(|k| answer.body.as_ref().and_then(|b| b.get(k)).is_some());
        let read = self.read(&format!("read the version after: {step}")).await?;
        let after = read
            .int("/data/version")
            .ok_or_else(|| LiveError::answer(step, "the cart answered has no version"))?;
        self.observations.versioned.push(VersionedChange {
            step: step.to_string(),
            sent,
            current,
            status: answer.status,
            envelope,
            after,
        });
        Ok(after)
    }

    async fn steps(
        &mut self,
        http: &reqwest::Client,
        credentials: &Credentials,
        clock: Result<ServerClock, String>,
    ) -> Result<(), LiveError> {
        let read = self.read("read the cart").await?;
        let urls = self
            .redirect_urls("create redirect URLs", json!({"utm_source": "conformance"}))
            .await?;
        let cart_url = urls.str("/data/cart_url").unwrap_or_default().to_string();
        self.visit(http, credentials, "visit the cart URL", &cart_url, 1, 0)
            .await?;
        self.visit(http, credentials, "visit the cart URL again", &cart_url, 2, 0)
            .await?;

        // Optimistic concurrency: a stale version is refused, the current one is taken.
        let current = read
            .int("/data/version")
            .ok_or_else(|| LiveError::answer("read the cart", "the cart answered has no version"))?;
        let stale = if current > 1 { current - 1 } else { current + 1 };
        let current = self
            .versioned_change("add an item with a stale version", stale, current)
            .await?;
        self.versioned_change("add an item with the current version", current, current)
            .await?;

        let clock = match clock {
            Ok(clock) => clock,
            Err(why) => {
                self.observations.no_clock = Some(why);
                return Ok(());
            }
        };
        let advance = |days| {
            let clock = &clock;
            async move {
                clock
                    .advance_days(days)
                    .await
                    .map_err(|e| LiveError::answer("move the clock", e))
            }
        };
        // The cart last changed just now (day 0); two URLs are made now.
        let first = self
            .redirect_urls("create redirect URLs to visit in 29 days", json!({}))
            .await?;
        let second = self
            .redirect_urls("create redirect URLs to visit in 31 days", json!({}))
            .await?;
        let first = first.str("/data/cart_url").unwrap_or_default().to_string();
        let second = second.str("/data/cart_url").unwrap_or_default().to_string();

        advance(29).await?;
        self.aged_read("read the cart 29 days after its last change", 29)
            .await?;
        self.visit(http, credentials, "visit a URL made 29 days ago", &first, 1, 29)
            .await?;
        // A change now keeps the cart alive past the second URL's 30 days.
        let changed = self.add_item("add an item on day 29", None).await?;
        if !(200..300).contains(&changed.status) {
            return Err(LiveError::answer(
                "add an item on day 29",
                format!("answered {}", changed.status),
            ));
        }
        advance(2).await?;
        self.visit(http, credentials, "visit a URL made 31 days ago", &second, 1, 31)
            .await?;
        advance(29).await?;
        self.aged_read("read the cart 31 days after its last change", 31)
            .await?;
        Ok(())
    }

    async fn aged_read(&mut self, step: &str, days_since_change: u32) -> Result<(), LiveError> {
        let read = self.read(step).await?;
        self.observations.aged_reads.push(AgedRead {
            step: step.to_string(),
            days_since_change,
            status: read.status,
        });
        Ok(())
    }
}

fn custom_item() -> Value {
    json!({"sku": "CONFORMANCE-CHECK", "name": "Conformance check", "quantity": 1, "list_price": 1.0})
}

fn cart_body() -> Result<Value, LiveError> {
    sdk_spelling::<v3::CartCreateRequest>(json!({ "custom_items": [custom_item()] }))
}

/// A request body as the SDK would send it: read into the SDK's type and
/// written back, so what the scenario sends is what a replay expects.
fn sdk_spelling<T: serde::de::DeserializeOwned + serde::Serialize>(body: Value) -> Result<Value, LiveError> {
    crate::round_trip::through::<T>(&body)
        .map_err(|e| LiveError::answer("setup", format!("a scenario body does not fit the SDK: {e}")))
}
