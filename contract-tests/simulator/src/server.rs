//! Starting and stopping a simulator, and its HTTP server.
//!
//! The server accepts connections itself (hyper's HTTP/1 connection driver around the axum
//! router) rather than through `axum::serve`, for one reason: a fault rule may ask for a
//! dropped connection, and only code that owns the connection can close it without answering.

use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower::ServiceExt;

use crate::admin::{self, StoreHandle};
use crate::auth::TokenGrant;
use crate::catalog::Catalog;
use crate::clock::BaseClock;
use crate::errors::ApiError;
use crate::gateway::{self, ConnectionKill};
use crate::handlers::storefront;
use crate::rate_limit::RateLimitConfig;
use crate::state::{AdminError, Defaults, StoreProfile, World};

/// Settings of a simulator to start. Made by [`Simulator::builder`].
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `start` is called"]
pub struct SimulatorBuilder {
    addr: SocketAddr,
    public_base_url: Option<String>,
    tokens: Vec<TokenGrant>,
    rate_limit: RateLimitConfig,
    catalog: Catalog,
    clock: BaseClock,
    profile: StoreProfile,
    journal_capacity: usize,
}

impl Default for SimulatorBuilder {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            public_base_url: None,
            tokens: vec![TokenGrant::default_grant()],
            rate_limit: RateLimitConfig::default(),
            catalog: Catalog::default_catalog(),
            clock: BaseClock::System,
            profile: StoreProfile::default(),
            journal_capacity: 1024,
        }
    }
}

impl SimulatorBuilder {
    /// Where to listen (default `127.0.0.1:0`, a free port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// The base of minted redirect URLs (default: the simulator's own `http://127.0.0.1:PORT`).
    pub fn public_base_url(mut self, url: impl Into<String>) -> Self {
        self.public_base_url = Some(url.into());
        self
    }

    /// The tokens every new store accepts, replacing the default one.
    pub fn tokens(mut self, tokens: impl IntoIterator<Item = TokenGrant>) -> Self {
        self.tokens = tokens.into_iter().collect();
        self
    }

    /// Adds a token every new store accepts.
    pub fn token(mut self, token: TokenGrant) -> Self {
        self.tokens.push(token);
        self
    }

    /// The quota of every new store.
    pub fn rate_limit(mut self, limit: RateLimitConfig) -> Self {
        self.rate_limit = limit;
        self
    }

    /// The catalog of every new store.
    pub fn catalog(mut self, catalog: Catalog) -> Self {
        self.catalog = catalog;
        self
    }

    /// The base clock (for example a frozen instant, for answers that do not change).
    pub fn clock(mut self, clock: BaseClock) -> Self {
        self.clock = clock;
        self
    }

    /// The profile of every new store.
    pub fn profile(mut self, profile: StoreProfile) -> Self {
        self.profile = profile;
        self
    }

    /// How many requests each store's journal keeps (default 1024).
    pub fn journal_capacity(mut self, capacity: usize) -> Self {
        self.journal_capacity = capacity;
        self
    }

    /// Binds, starts serving on the current tokio runtime, and gives the handle.
    pub async fn start(self) -> io::Result<Simulator> {
        // Reading the specs and compiling their schemas takes a moment; do it before the first
        // request, so that request's latency is like every other's.
        crate::spec::routes();
        let listener = TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let world = Arc::new(World::new(Defaults {
            clock: self.clock,
            own_base_url: format!("http://{addr}"),
            public_base_url: self.public_base_url,
            tokens: self.tokens,
            rate_limit: self.rate_limit,
            catalog: self.catalog,
            profile: self.profile,
            journal_capacity: self.journal_capacity,
        }));
        let (stop, stopped) = watch::channel(());
        tokio::spawn(serve(listener, router(world.clone()), stopped));
        Ok(Simulator {
            addr,
            world,
            _stop: stop,
        })
    }
}

/// A running simulator. Dropping it stops the server and closes its connections.
#[derive(Debug)]
pub struct Simulator {
    addr: SocketAddr,
    world: Arc<World>,
    // Dropping the sender is the stop signal: the accept loop and every connection watch it.
    _stop: watch::Sender<()>,
}

impl Simulator {
    /// Starts a simulator with the defaults on `127.0.0.1` and a free port.
    pub async fn start() -> io::Result<Simulator> {
        Self::builder().start().await
    }

    /// A builder, to change the defaults.
    pub fn builder() -> SimulatorBuilder {
        SimulatorBuilder::default()
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The API base of a store: `http://127.0.0.1:PORT/stores/{store_hash}/v3`.
    pub fn api_base(&self, store_hash: &str) -> String {
        format!("http://{}/stores/{store_hash}/v3", self.addr)
    }

    /// Control of the store `store_hash`.
    pub fn store(&self, store_hash: &str) -> StoreHandle {
        StoreHandle::new(self.world.clone(), store_hash)
    }

    /// Visits a redirect URL as a shopper's browser would, without HTTP, and says how it went.
    /// The visit counts: a URL loads its cart once, and the store's journal records the visit
    /// like one made over HTTP. Only the URL's query matters, so URLs minted on another
    /// public base visit just as well.
    pub fn visit(&self, url: &str) -> RedirectOutcome {
        let raw = url
            .split_once('?')
            .map(|(_, query)| query.split('#').next().unwrap_or(query));
        let query = crate::spec::Query::parse(raw);
        match storefront::follow(&self.world, &query, raw) {
            Ok(_) => RedirectOutcome::Loaded,
            Err(refusal) => refusal.into(),
        }
    }

    /// Forgets every store.
    pub fn reset(&self) {
        self.world.reset_all();
    }

    /// Every store's state as JSON (journals, quota counts and dice are not part of it).
    pub fn snapshot(&self) -> Value {
        self.world.snapshot()
    }

    /// Replaces every store with those of a snapshot.
    pub fn import_snapshot(&self, snapshot: Value) -> Result<(), AdminError> {
        self.world.import(snapshot)
    }

    /// Serves until `signal` completes, then stops.
    pub async fn run_until(self, signal: impl Future<Output = ()>) {
        signal.await;
        drop(self);
    }
}

/// How a visit of a redirect URL went (the `X-Sim-Redirect` header of an HTTP visit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirectOutcome {
    /// The URL loaded its cart: the first visit of a valid URL.
    Loaded,
    /// The URL was visited before; the shopper lands on an empty cart.
    Used,
    /// The URL is older than 30 days.
    Expired,
    /// The cart is gone (deleted, expired, or never there).
    CartMissing,
    /// The URL is not one the store minted for this cart.
    Invalid,
}

impl From<crate::redirects::Refusal> for RedirectOutcome {
    fn from(refusal: crate::redirects::Refusal) -> Self {
        use crate::redirects::Refusal;
        match refusal {
            Refusal::Used => RedirectOutcome::Used,
            Refusal::Expired => RedirectOutcome::Expired,
            Refusal::CartMissing => RedirectOutcome::CartMissing,
            Refusal::Invalid => RedirectOutcome::Invalid,
        }
    }
}

/// Every route of the simulator.
fn router(world: Arc<World>) -> Router {
    Router::new()
        .route("/stores/{*rest}", any(gateway::api))
        .route("/cart.php", get(storefront::visit))
        .route("/cart", get(storefront::landing))
        .route("/checkout", get(storefront::landing))
        .nest(crate::ADMIN_PREFIX, admin::router())
        .fallback(nowhere)
        .with_state(world)
}

async fn nowhere() -> Response {
    let error = ApiError::route_not_found();
    let body = serde_json::to_vec(&error.body()).unwrap_or_default();
    (
        StatusCode::NOT_FOUND,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// Accepts connections until the stop signal.
async fn serve(listener: TcpListener, router: Router, stopped: watch::Receiver<()>) {
    let mut stop = stopped.clone();
    loop {
        let accepted = tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _)) = accepted else {
            // Running out of file descriptors, most likely: wait a little instead of spinning.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        // Small answers go out at once instead of waiting for more data (Nagle).
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let mut stop = stopped.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let handle = ConnectionKill(kill.clone());
            let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(handle.clone());
                router.clone().oneshot(request.map(Body::new))
            });
            let connection = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                _ = kill.notified() => {}
                _ = stop.changed() => {}
            }
        });
    }
}
