//! Contract tests for `bigcommerce-carts`: recorded interactions
//! ([`cassette`]) replayed over HTTP against the SDK ([`replay`]), and the
//! documented rules of the Carts APIs ([`rules`]) checked on them; [`suite`]
//! runs it all for `cargo xtask conformance`.

pub mod cassette;
pub mod compare;
pub mod dispatch;
pub mod live;
pub mod replay;
pub mod report;
pub mod round_trip;
pub mod rules;
pub mod secrets;
pub mod spec;
pub mod suite;

/// Tables that follow `spec/` and the generated SDK, written by `cargo xtask
/// generate`: the APIs, the SDK call of each operation, the SDK types of
/// each body.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, missing_docs)]
mod generated {
    pub mod apis;
    pub mod bodies;
    pub mod dispatch;
}
