//! The simulator's API, driven over HTTP with reqwest and serde_json.

mod admin;
mod carts;
mod common;
mod errors;
mod limits_faults;
mod redirect_urls;
mod settings_metafields;
mod spec_answers;
