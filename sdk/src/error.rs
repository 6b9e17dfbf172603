//! Errors of client construction.

/// Why a client could not be built. Each variant names the bad input; none
/// repeats the access token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The store hash is empty or holds characters a store hash never has.
    #[error(
        "invalid store hash {store_hash:?}: expected letters and digits only, as in the API path /stores/<hash>/v3"
    )]
    InvalidStoreHash {
        /// The store hash as given.
        store_hash: String,
    },
    /// The access token cannot be sent as an HTTP header.
    #[error("invalid access token: {reason}")]
    InvalidAccessToken {
        /// What is wrong with it (the token itself is never shown).
        reason: &'static str,
    },
    /// The storefront domain is not a bare host name (with an optional port).
    #[error(
        "invalid store domain {store_domain:?}: expected a host name such as shop.example.com, without scheme or path"
    )]
    InvalidStoreDomain {
        /// The domain as given.
        store_domain: String,
    },
    /// The base URL does not parse or is not an absolute http(s) URL.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The HTTP client could not be set up (for instance, TLS could not start).
    #[error("cannot build the HTTP client")]
    Http(#[from] reqwest::Error),
}
