//! The SDK's integration tests, in one test binary (one link of the
//! generated code): answers from a newer API ([`forward`]), rate limits,
//! retries and failing servers ([`reliability`]), and what goes on the wire
//! ([`wire`]). Each runs against local servers on 127.0.0.1.

mod fixtures;
mod forward;
mod reliability;
mod wire;
