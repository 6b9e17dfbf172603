#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Most of the hand-written modules are helpers the generated API modules call
// (decoding, hooks, lenient and money fields). A build without some of the
// APIs leaves some of them unused; the default build, with all of them, is the
// one whose unused code the lints report.
#![cfg_attr(
    not(all(feature = "carts", feature = "abandoned-carts", feature = "storefront")),
    allow(dead_code, unused_imports, unused_macros)
)]

mod auth;
mod client;
mod decode;
mod envelope;
mod error;
mod hooks;
mod lenient;
mod limit;
mod money;
#[cfg(feature = "carts")]
mod outcome;
mod overrides;
mod query;
mod redact;
mod redirect;
pub mod retry;
mod spelling;
mod time;
mod tls;
mod transport;
mod union;

/// The REST Management Carts API (v3): generated from `spec/carts.v3.yaml`.
///
/// [`carts::Client`](crate::carts::Client) is reached through [`crate::Client::carts`];
/// request and response types are in [`carts::types`](crate::carts::types), with
/// builders in [`carts::types::builder`](crate::carts::types::builder).
#[cfg(feature = "carts")]
#[path = "generated/carts_v3.rs"]
#[allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all, unused_imports, dead_code)]
#[rustfmt::skip]
pub mod carts;

/// The Abandoned Carts API (v3): generated from `spec/abandoned_carts.v3.yaml`.
///
/// [`abandoned_carts::Client`](crate::abandoned_carts::Client) is reached through
/// [`crate::Client::abandoned_carts`].
#[cfg(feature = "abandoned-carts")]
#[path = "generated/abandoned_carts_v3.rs"]
#[allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all, unused_imports, dead_code)]
#[rustfmt::skip]
pub mod abandoned_carts;

/// The Storefront Carts API: generated from `spec/carts.sf.yaml`.
///
/// [`storefront::Client`](crate::storefront::Client) is reached through
/// [`crate::StorefrontClient::carts`].
#[cfg(feature = "storefront")]
#[path = "generated/carts_sf.rs"]
#[allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all, unused_imports, dead_code)]
#[rustfmt::skip]
pub mod storefront;

pub use client::{Client, ClientBuilder, DEFAULT_TIMEOUT, USER_AGENT, http_client_builder};
#[cfg(feature = "storefront")]
pub use client::{StorefrontClient, StorefrontClientBuilder};
pub use envelope::ErrorBody;
pub use error::{BuildError, Error, ErrorEnvelope};
pub use limit::DEFAULT_MAX_BODY;
#[cfg(feature = "carts")]
pub use outcome::LineItemRemoval;
#[cfg(feature = "abandoned-carts")]
pub use overrides::ChannelAbandonedCartSettingsRequest;
pub use overrides::{ChannelCartSettingsRequest, Override};
pub use progenitor_client::ResponseValue;
pub use redact::redact_tokens;
/// HTTP status codes, as [`Error::status`] and [`ResponseValue::status`] give them.
pub use reqwest::StatusCode;
pub use retry::{RateLimit, RetryPolicy};
/// Money amounts are exact decimals; see the crate documentation.
pub use rust_decimal::Decimal;
/// Cart, line item and token ids.
pub use uuid::Uuid;

/// The cart object (the `data` of a cart response).
#[cfg(feature = "carts")]
pub use carts::types::Cart;
/// What `include=` may ask for; sent comma-separated (`include=a,b`).
#[cfg(feature = "carts")]
pub use carts::types::Include;
pub use redirect::RedirectUrls;
