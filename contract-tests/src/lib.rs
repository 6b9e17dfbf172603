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
pub mod rules;
pub mod secrets;
pub mod spec;
pub mod suite;
