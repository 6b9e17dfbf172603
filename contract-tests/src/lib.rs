//! The conformance gate of `bigcommerce-carts`. Its checks come from `carts-checks` and are
//! re-exported here: recorded interactions ([`cassette`]) and a live scenario against a server
//! ([`live`]) replayed over HTTP against the SDK ([`replay`]), the documented rules of the Carts
//! APIs ([`rules`]) judged on them, and properties of the SDK against the specs ([`properties`]).
//! This crate adds the simulator: [`gate`] runs it all once for `cargo xtask conformance`, on the
//! simulator started in-process or on a server; [`proxy`] and [`consumer`] judge a service's own
//! use of the API; [`report`] writes what was found.

pub use carts_checks::{
    canned, cassette, compare, dispatch, live, properties, replay, report, round_trip, rules, secrets, spec, suite,
};

pub mod consumer;
pub mod gate;
pub mod proxy;
