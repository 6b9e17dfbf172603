//! The contract-tests crate's integration tests, in one test binary (one
//! link of the generated SDK): the gate end to end against the simulator
//! ([`gate`]), hostile answers ([`hostile`]), BigCommerce's published
//! examples ([`published`]), the consumer proxy in front of a simulator
//! ([`proxy`]), secrets in cassettes ([`secrets`]), the SDK's
//! public surface ([`snapshots`]), the README's rule table ([`readme`]) and
//! the one spelling of money the SDK and the simulator share ([`money`]).
//! The full replay of every cassette is the gate's (`cargo xtask
//! conformance`), not repeated here.

mod common;
mod gate;
mod hostile;
mod money;
mod proxy;
mod published;
mod readme;
mod secrets;
mod snapshots;
