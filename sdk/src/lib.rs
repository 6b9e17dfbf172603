#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod auth;
mod client;
mod decode;
mod envelope;
mod error;
mod hooks;
mod lenient;
mod limit;
mod money;
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
#[path = "generated/carts_v3.rs"]
#[allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all, unused_imports, dead_code)]
#[rustfmt::skip]
pub mod carts;

/// The Abandoned Carts API (v3): generated from `spec/abandoned_carts.v3.yaml`.
///
/// [`abandoned_carts::Client`](crate::abandoned_carts::Client) is reached through
/// [`crate::Client::abandoned_carts`].
#[path = "generated/abandoned_carts_v3.rs"]
#[allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all, unused_imports, dead_code)]
#[rustfmt::skip]
pub mod abandoned_carts;

/// The Storefront Carts API: generated from `spec/carts.sf.yaml`.
///
/// [`storefront::Client`](crate::storefront::Client) is reached through
/// [`crate::StorefrontClient::carts`].
#[path = "generated/carts_sf.rs"]
#[allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all, unused_imports, dead_code)]
#[rustfmt::skip]
pub mod storefront;

pub use client::{
    Client, ClientBuilder, DEFAULT_TIMEOUT, StorefrontClient, StorefrontClientBuilder, USER_AGENT, http_client_builder,
};
pub use envelope::ErrorBody;
pub use error::{BuildError, Error, ErrorEnvelope};
pub use limit::DEFAULT_MAX_BODY;
pub use outcome::LineItemRemoval;
pub use overrides::{ChannelAbandonedCartSettingsRequest, ChannelCartSettingsRequest, Override};
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
pub use carts::types::Cart;
/// What `include=` may ask for; sent comma-separated (`include=a,b`).
pub use carts::types::Include;
pub use redirect::RedirectUrls;
