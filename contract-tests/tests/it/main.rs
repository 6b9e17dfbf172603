//! The contract-tests crate's integration tests, in one test binary (one
//! link of the generated SDK): the gate end to end against the simulator
//! ([`gate`]), hostile answers ([`hostile`]), BigCommerce's published
//! examples ([`published`]), the consumer proxy in front of a simulator
//! ([`proxy`]), secrets in cassettes ([`secrets`]), the SDK's
//! public surface ([`snapshots`]) and the README's rule table ([`readme`]).
//! The full replay of every cassette is the gate's (`cargo xtask
//! conformance`), not repeated here.

mod common;
mod gate;
mod hostile;
mod proxy;
mod published;
mod readme;
mod secrets;
mod snapshots;
