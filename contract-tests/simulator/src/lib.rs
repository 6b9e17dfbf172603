//! A stateful, in-memory simulator of BigCommerce's REST Management Carts v3 and Abandoned Carts
//! v3 APIs, for services to test against.
//!
//! It serves the API at `/stores/{store_hash}/v3/...` exactly as `spec/carts.v3.yaml` and
//! `spec/abandoned_carts.v3.yaml` describe it, the storefront side of redirect URLs at
//! `/cart.php`, and a control API under [`ADMIN_PREFIX`]. Every store hash gets its own state,
//! so tests running in parallel against one simulator do not see each other's carts.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use bigcommerce_carts_sim::{DEFAULT_ACCESS_TOKEN, Simulator};
//!
//! let sim = Simulator::start().await?;
//! let api = sim.api_base("teststore1"); // http://127.0.0.1:PORT/stores/teststore1/v3
//! // Point the service under test at `api` with the token DEFAULT_ACCESS_TOKEN ...
//! let journal = sim.store("teststore1").journal(); // ... and look at what it sent.
//! # let _ = (api, journal, DEFAULT_ACCESS_TOKEN);
//! # Ok(()) }
//! ```
//!
//! After a service's tests, `store.conformance()` judges what the service sent with the consumer
//! rules of [`consumer`] (a redirect URL visited twice, a change without `version`, a create sent
//! again after a lost answer, ...).
//!
//! The crate's README lists the admin API and the behaviours that were chosen without a real
//! store to check them against.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod admin;
mod auth;
mod cart;
mod catalog;
mod clock;
pub mod consumer;
mod errors;
mod faults;
mod gateway;
mod handlers;
mod journal;
mod metafields;
mod money;
mod pagination;
mod pricing;
mod random;
mod rate_limit;
mod redirects;
mod requests;
mod server;
mod settings;
mod spec;
mod state;

pub use admin::StoreHandle;
pub use auth::{DEFAULT_ACCESS_TOKEN, DEFAULT_CLIENT_ID, Scope, TokenGrant};
pub use catalog::{Catalog, Download, InputType, OptionDef, OptionKind, OptionValueDef, Product, ProductKind, Variant};
pub use clock::BaseClock;
pub use consumer::ConsumerReport;
pub use faults::{Effect, FaultPlan, FaultRule};
pub use journal::{JournalEntry, JournalExport};
pub use money::Money;
pub use rate_limit::RateLimitConfig;
pub use server::{RedirectOutcome, Simulator, SimulatorBuilder};
pub use state::{AdminError, StoreProfile};

/// The path prefix of the simulator's control API (reset, catalog, tokens, faults, clock,
/// journal, snapshots). No BigCommerce path starts with it.
pub const ADMIN_PREFIX: &str = "/__sim";
