//! The checks of the `bigcommerce-carts` conformance gate, against any server: recorded
//! interactions ([`cassette`]) and a live scenario ([`live`]) replayed over HTTP against the SDK
//! ([`replay`]), the documented rules of the Carts APIs ([`rules`]) judged on them, and
//! properties of the SDK against the specs ([`properties`]); [`suite`] runs them and [`report`]
//! writes what they found. The gate (`contract-tests`) adds the simulator and the command line.
//! This crate does not depend on the simulator, so cargo compiles the two side by side.

pub mod canned;
pub mod cassette;
pub mod compare;
pub mod dispatch;
pub mod live;
pub mod properties;
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
