//! The conformance gate of `bigcommerce-carts`: recorded interactions
//! ([`cassette`]) and a live scenario against a server ([`live`]) replayed
//! over HTTP against the SDK ([`replay`]), the documented rules of the Carts
//! APIs ([`rules`]) judged on them, and properties of the SDK against the
//! specs ([`properties`]). [`gate`] runs it all once for `cargo xtask
//! conformance`; [`report`] writes what it found.

pub mod canned;
pub mod cassette;
pub mod compare;
pub mod consumer;
pub mod dispatch;
pub mod gate;
pub mod live;
pub mod properties;
pub mod proxy;
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
