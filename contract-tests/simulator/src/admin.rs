//! Control of the simulator: the same operations from Rust ([`StoreHandle`]) and over HTTP
//! (under [`crate::ADMIN_PREFIX`]).
//!
//! A test sets up a store (catalog, tokens, quota, faults, profile), moves its clock, mints
//! abandoned-cart tokens, reads its journal, and resets it, all without going through the
//! API it tests. The HTTP form exists for services in other languages and for the binary; it
//! takes and gives JSON and needs no token (the simulator listens on loopback by default).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::auth::TokenGrant;
use crate::catalog::Catalog;
use crate::consumer::{self, ConsumerReport};
use crate::faults::FaultPlan;
use crate::journal::{JournalEntry, JournalExport};
use crate::rate_limit::RateLimitConfig;
use crate::spec::routes;
use crate::state::{AdminError, Store, StoreProfile, World, valid_store_hash};

/// Control of one store of a running simulator. Made by [`crate::Simulator::store`].
#[derive(Clone, Debug)]
pub struct StoreHandle {
    world: Arc<World>,
    hash: String,
}

impl StoreHandle {
    pub(crate) fn new(world: Arc<World>, hash: impl Into<String>) -> Self {
        Self {
            world,
            hash: hash.into(),
        }
    }

    /// The store hash.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    fn with<T>(&self, f: impl FnOnce(&mut Store) -> T) -> Result<T, AdminError> {
        if !valid_store_hash(&self.hash) {
            return Err(AdminError::InvalidStoreHash);
        }
        let cell = self.world.store(&self.hash);
        let mut store = cell.lock();
        Ok(f(&mut store))
    }

    /// Puts the store back to the simulator's defaults: no carts, default catalog, tokens,
    /// settings and quota, no faults, its clock at the base clock, an empty journal.
    pub fn reset(&self) -> Result<(), AdminError> {
        if !valid_store_hash(&self.hash) {
            return Err(AdminError::InvalidStoreHash);
        }
        self.world.reset_store(&self.hash);
        Ok(())
    }

    /// Replaces the catalog (carts already made keep their items).
    pub fn load_catalog(&self, catalog: Catalog) -> Result<(), AdminError> {
        self.with(|store| store.data.catalog = catalog)
    }

    /// The catalog.
    pub fn catalog(&self) -> Result<Catalog, AdminError> {
        self.with(|store| store.data.catalog.clone())
    }

    /// Replaces the access tokens the store accepts.
    pub fn set_tokens(&self, tokens: Vec<TokenGrant>) -> Result<(), AdminError> {
        if let Some(index) = tokens
            .iter()
            .position(|t| t.token.is_empty() || !t.token.bytes().all(|b| b.is_ascii_graphic()))
        {
            return Err(AdminError::Invalid(format!(
                "tokens[{index}]: a token is visible ASCII without spaces (it travels in a header)"
            )));
        }
        self.with(|store| store.data.tokens = tokens)
    }

    /// Replaces the fault plan (and reseeds its dice).
    pub fn set_faults(&self, plan: FaultPlan) -> Result<(), AdminError> {
        plan.check().map_err(AdminError::Invalid)?;
        let known: Vec<&str> = routes().operation_ids().collect();
        if let Some(rule) = plan
            .rules
            .iter()
            .find(|r| r.operation != "*" && !known.contains(&r.operation.as_str()))
        {
            return Err(AdminError::Invalid(format!(
                "{:?} is not an operation id of the specs",
                rule.operation
            )));
        }
        self.with(|store| store.set_faults(plan))
    }

    /// The fault plan, with the remaining counts of its rules.
    pub fn faults(&self) -> Result<FaultPlan, AdminError> {
        self.with(|store| store.data.faults.clone())
    }

    /// Sets the quota.
    pub fn set_rate_limit(&self, limit: RateLimitConfig) -> Result<(), AdminError> {
        if limit.window_ms == 0 {
            return Err(AdminError::Invalid("window_ms must be at least 1".into()));
        }
        self.with(|store| {
            store.data.rate_limit = limit;
            store.window = Default::default();
        })
    }

    /// The quota.
    pub fn rate_limit(&self) -> Result<RateLimitConfig, AdminError> {
        self.with(|store| store.data.rate_limit)
    }

    /// Moves the store's clock forward by `by`.
    pub fn advance_clock(&self, by: Duration) -> Result<DateTime<Utc>, AdminError> {
        let ms = i64::try_from(by.as_millis()).map_err(|_| AdminError::Invalid("too far".into()))?;
        let world = self.world.clone();
        self.with(move |store| {
            store.data.clock_offset_ms = store.data.clock_offset_ms.saturating_add(ms);
            world.now(store)
        })
    }

    /// The store's time now.
    pub fn now(&self) -> Result<DateTime<Utc>, AdminError> {
        let world = self.world.clone();
        self.with(move |store| world.now(store))
    }

    /// The requests the store received, oldest first (as many as the journal keeps).
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.with(|store| store.journal.entries()).unwrap_or_default()
    }

    /// The journal with how many entries it forgot and the store's channels: what
    /// [`Self::conformance`] judges, and what `GET /__sim/stores/{h}/journal` answers.
    pub fn journal_export(&self) -> Result<JournalExport, AdminError> {
        self.with(|store| JournalExport {
            entries: store.journal.entries(),
            dropped: store.journal.dropped(),
            channels: store.data.profile.channels.clone(),
        })
    }

    /// The verdict of the consumer rules ([`crate::consumer::RULES`]) on what the store
    /// received: call it after a service's tests have run against the store.
    pub fn conformance(&self) -> Result<ConsumerReport, AdminError> {
        self.journal_export().map(|journal| consumer::evaluate(&journal))
    }

    /// Empties the journal (and its count of forgotten entries).
    pub fn clear_journal(&self) -> Result<(), AdminError> {
        self.with(|store| store.journal.clear())
    }

    /// Makes an abandoned-cart token for an existing cart, as a reminder email would carry.
    pub fn abandoned_cart_token(&self, cart_id: Uuid) -> Result<Uuid, AdminError> {
        let world = self.world.clone();
        self.with(move |store| {
            let now = world.now(store);
            if store.live_cart(cart_id, now).is_none() {
                return Err(AdminError::NotFound(format!("cart {cart_id}")));
            }
            let token = crate::random::uuid();
            store.data.abandoned_carts.insert(token, cart_id);
            Ok(token)
        })?
    }

    /// Changes a cart the way another writer would (a second tab, another service): its
    /// version goes up by one and its 30 days start again; its content stays. The service's next
    /// change sent with the version it read is then refused with 409, so a conflict path is
    /// tested without racing two requests. Gives the new version.
    pub fn touch_cart(&self, cart_id: Uuid) -> Result<i64, AdminError> {
        let world = self.world.clone();
        self.with(move |store| {
            let now = world.now(store);
            let cart = store
                .live_cart(cart_id, now)
                .ok_or_else(|| AdminError::NotFound(format!("cart {cart_id}")))?;
            cart.touch(now);
            Ok(cart.version)
        })?
    }

    /// The profile (channels, currency, locale, banners, redirect URL base).
    pub fn profile(&self) -> Result<StoreProfile, AdminError> {
        self.with(|store| store.data.profile.clone())
    }

    /// Replaces the profile.
    pub fn set_profile(&self, profile: StoreProfile) -> Result<(), AdminError> {
        if let Some(base) = &profile.public_base_url {
            let parsed = url::Url::parse(base).map_err(|e| AdminError::Invalid(format!("public_base_url: {e}")))?;
            if parsed.scheme() != "http" && parsed.scheme() != "https" {
                return Err(AdminError::Invalid("public_base_url must be http or https".into()));
            }
        }
        if profile.channels.is_empty() {
            return Err(AdminError::Invalid("a store has at least one channel".into()));
        }
        self.with(|store| store.data.profile = profile)
    }
}

/// The admin routes, to be nested under [`crate::ADMIN_PREFIX`].
pub(crate) fn router() -> Router<Arc<World>> {
    Router::new()
        .route("/", get(index))
        .route("/reset", post(reset_all))
        .route("/snapshot", get(snapshot).put(import))
        .route("/stores/{hash}/reset", post(reset_store))
        .route("/stores/{hash}/catalog", get(get_catalog).put(put_catalog))
        .route("/stores/{hash}/tokens", axum::routing::put(put_tokens))
        .route(
            "/stores/{hash}/faults",
            get(get_faults).put(put_faults).delete(delete_faults),
        )
        .route("/stores/{hash}/rate-limit", get(get_rate_limit).put(put_rate_limit))
        .route("/stores/{hash}/clock", get(get_clock))
        .route("/stores/{hash}/clock/advance", post(advance_clock))
        .route("/stores/{hash}/journal", get(get_journal).delete(delete_journal))
        .route("/stores/{hash}/conformance", get(get_conformance))
        .route("/stores/{hash}/abandoned-carts", post(mint_abandoned_cart))
        .route("/stores/{hash}/carts/{id}/touch", post(touch_cart))
        .route("/stores/{hash}/profile", get(get_profile).put(put_profile))
        .fallback(not_found)
}

fn reply(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, serde_json::to_vec(body).unwrap_or_default()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn outcome<T: serde::Serialize>(result: Result<T, AdminError>, ok: StatusCode) -> Response {
    match result {
        Ok(value) => reply(ok, &serde_json::to_value(value).unwrap_or(Value::Null)),
        Err(error) => {
            let status = match error {
                AdminError::InvalidStoreHash => StatusCode::BAD_REQUEST,
                AdminError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                AdminError::NotFound(_) => StatusCode::NOT_FOUND,
            };
            reply(status, &json!({ "error": error.to_string() }))
        }
    }
}

fn read<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, AdminError> {
    serde_json::from_slice(bytes).map_err(|e| AdminError::Invalid(e.to_string()))
}

fn handle(world: Arc<World>, hash: String) -> StoreHandle {
    StoreHandle::new(world, hash)
}

async fn index() -> Response {
    let operations: Vec<&str> = routes().operation_ids().collect();
    reply(
        StatusCode::OK,
        &json!({ "simulator": "bigcommerce-carts-sim", "operations": operations }),
    )
}

async fn not_found() -> Response {
    reply(StatusCode::NOT_FOUND, &json!({ "error": "no such admin route" }))
}

async fn reset_all(State(world): State<Arc<World>>) -> Response {
    world.reset_all();
    StatusCode::NO_CONTENT.into_response()
}

async fn snapshot(State(world): State<Arc<World>>) -> Response {
    reply(StatusCode::OK, &world.snapshot())
}

async fn import(State(world): State<Arc<World>>, body: Bytes) -> Response {
    let result = read::<Value>(&body).and_then(|snapshot| world.import(snapshot));
    outcome(result.map(|()| json!({ "imported": true })), StatusCode::OK)
}

async fn reset_store(State(world): State<Arc<World>>, Path(hash): Path<String>) -> Response {
    outcome(
        handle(world, hash).reset().map(|()| json!({ "reset": true })),
        StatusCode::OK,
    )
}

async fn get_catalog(State(world): State<Arc<World>>, Path(hash): Path<String>) -> Response {
    outcome(handle(world, hash).catalog(), StatusCode::OK)
}

async fn put_catalog(State(world): State<Arc<World>>, Path(hash): Path<String>, body: Bytes) -> Response {
    let store = handle(world, hash);
    let result = read::<Catalog>(&body).and_then(|catalog| store.load_catalog(catalog));
    outcome(result.and_then(|()| store.catalog()), StatusCode::OK)
}

async fn put_tokens(State(world): State<Arc<World>>, Path(hash): Path<String>, body: Bytes) -> Response {
    let store = handle(world, hash);
    let result = read::<Vec<TokenGrant>>(&body).and_then(|tokens| {
        let count = tokens.len();
        store.set_tokens(tokens).map(|()| count)
    });
    // The answer counts the tokens; it never repeats them.
    outcome(result.map(|count| json!({ "tokens": count })), StatusCode::OK)
}

async fn get_faults(State(world): State<Arc<World>>, Path(hash): Path<String>) -> Response {
    outcome(handle(world, hash).faults(), StatusCode::OK)
}

async fn put_faults(State(world): State<Arc<World>>, Path(hash): Path<String>, body: Bytes) -> Response {
    let store = handle(world, hash);
    let result = read::<FaultPlan>(&body).and_then(|plan| store.set_faults(plan));
    outcome(result.and_then(|()| store.faults()), StatusCode::OK)
}

async fn delete_faults(State(world): State<Arc<World>>, Path(hash): Path<String>) -> Response {
    let store = handle(world, hash);
    outcome(
        store.set_faults(FaultPlan::default()).and_then(|()| store.faults()),
        StatusCode::OK,
    )
}

async fn get_rate_limit(State(world): State<Arc<World>>, Path(hash): Path<String>) -> Response {
    outcome(handle(world, hash).rate_limit(), StatusCode::OK)
}

async fn put_rate_limit(State(world): State<Arc<World>>, Path(hash): Path<String>, body: Bytes) -> Response {
    let store = handle(world, hash);
    let result = read::<RateLimitConfig>(&body).and_then(|limit| store.set_rate_limit(limit));
    outcome(result.and_then(|()| store.rate_limit()), StatusCode::OK)
}

async fn get_clock(State(world): State<Arc<World>>, Path(hash): Path<String>) -> Response {
    outcome(
        handle(world, hash).now().map(|now| json!({ "now": now })),
        StatusCode::OK,
    )
}

/// How far to move a clock; the parts given are added up.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    #[serde(default)]
    days: u64,
    #[serde(default)]
    hours: u64,
    #[serde(default)]
    seconds: u64,
    #[serde(default)]
    ms: u64,
}

async fn advance_clock(State(world): State<Arc<World>>, Path(hash): Path<String>, body: Bytes) -> Response {
    let store = handle(world, hash);
    let result = read::<Advance>(&body).and_then(|a| {
        let ms = a
            .days
            .checked_mul(86_400_000)
            .and_then(|d| a.hours.checked_mul(3_600_000).and_then(|h| d.checked_add(h)))
            .and_then(|t| a.seconds.checked_mul(1_000).and_then(|s| t.checked_add(s)))
            .and_then(|t| t.checked_add(a.ms))
            .ok_or_else(|| AdminError::Invalid("too far".into()))?;
        store.advance_clock(Duration::from_millis(ms))
    });
    outcome(result.map(|now| json!({ "now": now })), StatusCode::OK)
}

async fn get_journal(State(world): State<Arc<World>>, Path(hash): Path<String>) -> Response {
    outcome(handle(world, hash).journal_export(), StatusCode::OK)
}

/// The consumer report: JSON (default), `?format=junit` or `?format=table`.
async fn get_conformance(State(world): State<Arc<World>>, Path(hash): Path<String>, uri: Uri) -> Response {
    let query = crate::spec::Query::parse(uri.query());
    let report = match handle(world, hash).conformance() {
        Ok(report) => report,
        Err(error) => return outcome::<()>(Err(error), StatusCode::OK),
    };
    let text = |body: String, kind: &'static str| {
        let mut response = (StatusCode::OK, body).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
        response
    };
    match query.get("format") {
        None | Some("json") => outcome(Ok(report), StatusCode::OK),
        Some("junit") => text(consumer::to_junit(&report), "application/xml"),
        Some("table") => text(consumer::to_table(&report), "text/plain; charset=utf-8"),
        Some(other) => outcome::<()>(
            Err(AdminError::Invalid(format!(
                "format {other:?} is none of json, junit and table"
            ))),
            StatusCode::OK,
        ),
    }
}

async fn delete_journal(State(world): State<Arc<World>>, Path(hash): Path<String>) -> Response {
    outcome(
        handle(world, hash).clear_journal().map(|()| json!({ "cleared": true })),
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
struct MintRequest {
    cart_id: Uuid,
}

async fn mint_abandoned_cart(State(world): State<Arc<World>>, Path(hash): Path<String>, body: Bytes) -> Response {
    let store = handle(world, hash);
    let result = read::<MintRequest>(&body).and_then(|r| store.abandoned_cart_token(r.cart_id));
    outcome(result.map(|token| json!({ "token": token })), StatusCode::CREATED)
}

async fn touch_cart(State(world): State<Arc<World>>, Path((hash, id)): Path<(String, Uuid)>) -> Response {
    outcome(
        handle(world, hash)
            .touch_cart(id)
            .map(|version| json!({ "version": version })),
        StatusCode::OK,
    )
}

async fn get_profile(State(world): State<Arc<World>>, Path(hash): Path<String>) -> Response {
    outcome(handle(world, hash).profile(), StatusCode::OK)
}

async fn put_profile(State(world): State<Arc<World>>, Path(hash): Path<String>, body: Bytes) -> Response {
    let store = handle(world, hash);
    let result = read::<StoreProfile>(&body).and_then(|profile| store.set_profile(profile));
    outcome(result.and_then(|()| store.profile()), StatusCode::OK)
}
