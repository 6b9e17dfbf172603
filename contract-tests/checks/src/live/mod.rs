//! Talking to a running server: a short, non-destructive scenario on a cart
//! of its own (create it with a custom item, read it, make and visit redirect
//! URLs, change it with and without the current `version`, let time pass
//! where the server's clock can be moved, delete it). Every API call is kept
//! as a cassette with secrets redacted, to be replayed against the SDK and
//! judged by the rules; what only state can show goes into
//! [`Observations`](crate::rules::Observations).

mod clock;
mod recorder;
mod scenario;
mod storefront;

use std::fmt;

pub use scenario::{Session, run};

use crate::secrets::REDACTED_HEADER;

/// Where and as whom to talk to a server.
#[derive(Clone)]
pub struct Credentials {
    /// The store hash.
    pub store_hash: String,
    access_token: String,
    /// The API base URL; by default `https://api.bigcommerce.com/stores/{hash}/v3`.
    pub base_url: String,
    /// Where to visit redirect URLs instead of the origin they name (the
    /// simulator mints https URLs of a public name and serves them itself).
    pub storefront: Option<url::Url>,
    /// What the server is, for the cassettes' provenance.
    pub kind: TargetKind,
}

/// What kind of server the scenario talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// A BigCommerce store (or a proxy in front of one).
    Store,
    /// The simulator of this repository.
    Simulator,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("store_hash", &self.store_hash)
            .field("access_token", &REDACTED_HEADER)
            .field("base_url", &self.base_url)
            .field("storefront", &self.storefront.as_ref().map(url::Url::as_str))
            .field("kind", &self.kind)
            .finish()
    }
}

impl Credentials {
    /// A store and token; `base_url` overrides the API address (a proxy, a test server).
    pub fn new(store_hash: impl Into<String>, access_token: impl Into<String>, base_url: Option<String>) -> Self {
        let store_hash = store_hash.into();
        let base_url = base_url.unwrap_or_else(|| format!("https://api.bigcommerce.com/stores/{store_hash}/v3"));
        Self {
            store_hash,
            access_token: access_token.into(),
            base_url: base_url.trim_end_matches('/').to_string(),
            storefront: None,
            kind: TargetKind::Store,
        }
    }

    /// Visits redirect URLs at `origin` instead of the origin they name.
    pub fn with_storefront(mut self, origin: url::Url) -> Self {
        self.storefront = Some(origin);
        self
    }

    /// Marks the server as this repository's simulator.
    pub fn simulator(mut self) -> Self {
        self.kind = TargetKind::Simulator;
        self
    }

    /// `BIGCOMMERCE_STORE_HASH`, `BIGCOMMERCE_ACCESS_TOKEN` and, optionally,
    /// `BIGCOMMERCE_BASE_URL`; `None` unless both required ones are set.
    pub fn from_env() -> Option<Self> {
        let hash = std::env::var("BIGCOMMERCE_STORE_HASH")
            .ok()
            .filter(|s| !s.trim().is_empty())?;
        let token = std::env::var("BIGCOMMERCE_ACCESS_TOKEN")
            .ok()
            .filter(|s| !s.trim().is_empty())?;
        Some(Self::new(hash, token, std::env::var("BIGCOMMERCE_BASE_URL").ok()))
    }

    pub(crate) fn access_token(&self) -> &str {
        &self.access_token
    }
}

/// Why the live scenario stopped.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The server could not be reached.
    #[error("{step}: the server could not be reached: {source}")]
    Transport {
        /// The step of the scenario.
        step: String,
        /// The cause.
        source: reqwest::Error,
    },
    /// The server answered something the scenario cannot go on from.
    #[error("{step}: {message}")]
    Answer {
        /// The step of the scenario.
        step: String,
        /// What was wrong.
        message: String,
    },
}

impl LiveError {
    pub(crate) fn answer(step: &str, message: impl Into<String>) -> Self {
        Self::Answer {
            step: step.to_string(),
            message: message.into(),
        }
    }

    pub(crate) fn transport(step: &str, source: reqwest::Error) -> Self {
        Self::Transport {
            step: step.to_string(),
            source,
        }
    }
}
