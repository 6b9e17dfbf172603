//! Building clients: where they connect, how they authenticate, how long they wait.

use std::time::Duration;

#[cfg(feature = "abandoned-carts")]
use crate::abandoned_carts;
use crate::auth::AccessToken;
#[cfg(feature = "carts")]
use crate::carts;
use crate::error::BuildError;
use crate::hooks::Inner;
use crate::limit::DEFAULT_MAX_BODY;
use crate::retry::{RateLimit, RetryPolicy};
#[cfg(feature = "storefront")]
use crate::storefront;

/// The user agent sent by clients this crate builds its HTTP client for.
pub const USER_AGENT: &str = concat!("bigcommerce-carts/", env!("CARGO_PKG_VERSION"));

/// How long a request may take, start to end, unless the builder says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Client for a store's management APIs: carts (REST Management v3) and
/// abandoned carts (v3), at `https://api.bigcommerce.com/stores/{store_hash}/v3`.
///
/// Every request carries the access token as `X-Auth-Token`. The operations
/// are on [`Client::carts`] and [`Client::abandoned_carts`] (features `carts`
/// and `abandoned-carts`), each a builder:
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use bigcommerce_carts::{Client, Include};
///
/// let client = Client::new("abc123", "access-token")?;
/// let cart = client
///     .carts()
///     .get_cart()
///     .cart_id("1c9f4d3a-5e8b-4f2a-9d6c-7b1e0a2f3c4d".parse::<uuid::Uuid>()?)
///     .include(vec![Include::RedirectUrls])
///     .send()
///     .await?;
/// println!("{:?}", cart.into_inner().data);
/// # Ok(()) }
/// ```
///
/// Cloning is cheap: clones share the connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    #[cfg(feature = "carts")]
    carts: carts::Client,
    #[cfg(feature = "abandoned-carts")]
    abandoned_carts: abandoned_carts::Client,
    // The state the API clients share, read here for the rate-limit figures.
    inner: Inner,
}

impl Client {
    /// A client for the store `store_hash` authenticated by `access_token`,
    /// with the default timeout and TLS settings.
    pub fn new(store_hash: impl AsRef<str>, access_token: impl AsRef<str>) -> Result<Self, BuildError> {
        Self::builder(store_hash, access_token).build()
    }

    /// A builder, to set the base URL, timeout or HTTP client.
    pub fn builder(store_hash: impl AsRef<str>, access_token: impl AsRef<str>) -> ClientBuilder {
        ClientBuilder {
            store_hash: store_hash.as_ref().to_string(),
            access_token: Redacted(access_token.as_ref().to_string()),
            common: Common::default(),
        }
    }

    /// The REST Management carts API (v3): carts, line items, redirect URLs,
    /// cart settings and metafields.
    #[cfg(feature = "carts")]
    pub fn carts(&self) -> &carts::Client {
        &self.carts
    }

    /// The Abandoned Carts API (v3): abandoned carts and their settings.
    #[cfg(feature = "abandoned-carts")]
    pub fn abandoned_carts(&self) -> &abandoned_carts::Client {
        &self.abandoned_carts
    }

    /// The rate-limit figures of the last answer that carried them (shared
    /// by this client's clones), so a caller can pace itself.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner.rate_limit.last()
    }
}

/// A `reqwest` client builder with this crate's TLS set-up (see the crate
/// features), to configure further and hand to
/// [`ClientBuilder::http_client`] or [`StorefrontClientBuilder::http_client`].
///
/// Starting here shares this crate's TLS configuration, made once per
/// process. With the `rustls-ring` feature it is also what gives reqwest a
/// crypto provider: unless the application installs one, or its own reqwest
/// brings aws-lc-rs, a `reqwest::Client::builder()` that does not start here
/// panics when it is built.
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, BuildError> {
    crate::tls::configure(reqwest::Client::builder())
}

/// Settings for a [`Client`]. Made by [`Client::builder`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    store_hash: String,
    // Held as given until `build` checks it; never shown by `Debug`.
    access_token: Redacted,
    common: Common,
}

impl ClientBuilder {
    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let store_hash = self.store_hash.trim();
        if store_hash.is_empty() || !store_hash.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(BuildError::InvalidStoreHash {
                store_hash: self.store_hash,
            });
        }
        let access_token = AccessToken::new(&self.access_token.0)?;
        let default = format!("https://api.bigcommerce.com/stores/{store_hash}/v3");
        let (retry, max_body) = (self.common.retry.clone(), self.common.max_body);
        let (base_url, http) = self.common.resolve(default)?;
        let inner = Inner::new(Some(access_token), retry, max_body);
        // Without the API features there is no client to hand these to.
        #[cfg(not(any(feature = "carts", feature = "abandoned-carts")))]
        let _ = (base_url, http);
        Ok(Client {
            #[cfg(feature = "carts")]
            carts: carts::Client::new_with_client(&base_url, http.clone(), inner.clone()),
            #[cfg(feature = "abandoned-carts")]
            abandoned_carts: abandoned_carts::Client::new_with_client(&base_url, http.clone(), inner.clone()),
            inner,
        })
    }
}

/// Client for a storefront's Storefront Carts API, at
/// `https://{store_domain}/api/storefront` (feature `storefront`).
///
/// The storefront API needs no token: it acts for the shopper whose session
/// cookies come with the requests (supply a `reqwest::Client` with a cookie
/// store through the builder to keep a session).
#[cfg(feature = "storefront")]
#[derive(Clone, Debug)]
pub struct StorefrontClient {
    storefront: storefront::Client,
}

#[cfg(feature = "storefront")]
impl StorefrontClient {
    /// A client for the storefront at `store_domain` (a host name, such as
    /// `shop.example.com`).
    pub fn new(store_domain: impl AsRef<str>) -> Result<Self, BuildError> {
        Self::builder(store_domain).build()
    }

    /// A builder, to set the base URL, timeout or HTTP client.
    pub fn builder(store_domain: impl AsRef<str>) -> StorefrontClientBuilder {
        StorefrontClientBuilder {
            store_domain: store_domain.as_ref().to_string(),
            common: Common::default(),
        }
    }

    /// The Storefront Carts operations.
    pub fn carts(&self) -> &storefront::Client {
        &self.storefront
    }
}

/// Settings for a [`StorefrontClient`]. Made by [`StorefrontClient::builder`].
#[cfg(feature = "storefront")]
#[derive(Debug)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct StorefrontClientBuilder {
    store_domain: String,
    common: Common,
}

#[cfg(feature = "storefront")]
impl StorefrontClientBuilder {
    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<StorefrontClient, BuildError> {
        let domain = self.store_domain.trim();
        let valid = !domain.is_empty()
            && domain.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:".contains(&b))
            && url::Url::parse(&format!("https://{domain}")).is_ok_and(|u| u.host_str().is_some());
        if !valid {
            return Err(BuildError::InvalidStoreDomain {
                store_domain: self.store_domain,
            });
        }
        let (retry, max_body) = (self.common.retry.clone(), self.common.max_body);
        let (base_url, http) = self.common.resolve(format!("https://{domain}/api/storefront"))?;
        let inner = Inner::new(None, retry, max_body);
        Ok(StorefrontClient {
            storefront: storefront::Client::new_with_client(&base_url, http, inner),
        })
    }
}

/// The settings both builders share, written once.
macro_rules! common_settings {
    ($builder:ident, $default_url:literal) => {
        impl $builder {
            #[doc = concat!("Sends requests to `base_url` instead of `", $default_url, "`; for tests, ")]
            /// recorded-response servers and proxies. Operation paths are
            /// appended to it (`{base_url}/carts`).
            pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
                self.common.base_url = Some(base_url.into());
                self
            }

            /// Gives up on a request after `timeout` (default [`DEFAULT_TIMEOUT`]).
            /// Ignored when `http_client` supplies a client.
            pub fn timeout(mut self, timeout: Duration) -> Self {
                self.common.timeout = timeout;
                self
            }

            /// Sends requests through a `reqwest::Client` you configured (proxies,
            /// TLS roots, a cookie store, pooling shared with the rest of a service).
            /// Start from [`http_client_builder`](crate::http_client_builder) to keep
            /// this crate's TLS set-up.
            pub fn http_client(mut self, client: reqwest::Client) -> Self {
                self.common.http = Some(client);
                self
            }

            /// When and how often to try a request again (default
            /// [`RetryPolicy::default`]; [`RetryPolicy::never`] turns retries off).
            pub fn retry(mut self, policy: RetryPolicy) -> Self {
                self.common.retry = policy;
                self
            }

            /// The largest answer body read, in bytes (default 16 MiB); a larger
            /// one ends the call with [`crate::Error::InvalidResponse`].
            pub fn max_body_size(mut self, bytes: u64) -> Self {
                self.common.max_body = bytes;
                self
            }
        }
    };
}

common_settings!(ClientBuilder, "https://api.bigcommerce.com/stores/{store_hash}/v3");
#[cfg(feature = "storefront")]
common_settings!(StorefrontClientBuilder, "https://{store_domain}/api/storefront");

/// What both builders share.
#[derive(Debug)]
struct Common {
    base_url: Option<String>,
    timeout: Duration,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    max_body: u64,
}

impl Default for Common {
    fn default() -> Self {
        Self {
            base_url: None,
            timeout: DEFAULT_TIMEOUT,
            http: None,
            retry: RetryPolicy::default(),
            max_body: DEFAULT_MAX_BODY,
        }
    }
}

impl Common {
    /// The checked base URL (without a trailing slash, as the generated code
    /// appends paths starting with one) and the HTTP client.
    fn resolve(self, default_base_url: String) -> Result<(String, reqwest::Client), BuildError> {
        let base_url = self.base_url.unwrap_or(default_base_url);
        let parsed = url::Url::parse(&base_url).map_err(|e| BuildError::InvalidBaseUrl {
            url: base_url.clone(),
            reason: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(BuildError::InvalidBaseUrl {
                url: base_url,
                reason: format!("the scheme is {:?}; expected http or https", parsed.scheme()),
            });
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(BuildError::InvalidBaseUrl {
                url: base_url,
                reason: "it has a query or fragment; operation paths are appended to it".into(),
            });
        }
        let http = match self.http {
            Some(http) => http,
            None => http_client_builder()?
                .user_agent(crate::client::USER_AGENT)
                .connect_timeout(CONNECT_TIMEOUT)
                .timeout(self.timeout)
                .build()?,
        };
        Ok((base_url.trim_end_matches('/').to_string(), http))
    }
}

/// A string whose `Debug` output is redacted.
struct Redacted(String);

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use progenitor_client::ClientInfo;

    #[test]
    fn management_client_targets_the_store() {
        let client = Client::new("abc123", "tok").unwrap();
        assert_eq!(client.carts().baseurl(), "https://api.bigcommerce.com/stores/abc123/v3");
        assert_eq!(
            client.abandoned_carts().baseurl(),
            "https://api.bigcommerce.com/stores/abc123/v3"
        );
    }

    #[test]
    fn base_url_overrides_and_loses_its_trailing_slash() {
        let client = Client::builder("abc123", "tok")
            .base_url("http://127.0.0.1:9/stores/x/v3/")
            .build()
            .unwrap();
        assert_eq!(client.carts().baseurl(), "http://127.0.0.1:9/stores/x/v3");
    }

    #[test]
    fn bad_inputs_are_named() {
        let error = Client::new("abc/../123", "tok").unwrap_err();
        assert!(matches!(&error, BuildError::InvalidStoreHash { store_hash } if store_hash == "abc/../123"));
        let error = Client::builder("abc", "tok").base_url("ftp://x").build().unwrap_err();
        assert!(error.to_string().contains("ftp://x"), "{error}");
        let error = StorefrontClient::new("https://shop.example.com/").unwrap_err();
        assert!(error.to_string().contains("invalid store domain"), "{error}");
        assert!(StorefrontClient::new("shop.example.com:8443").is_ok());
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let secret = "very-secret-token-42";
        let builder = Client::builder("abc", secret);
        assert!(!format!("{builder:?}").contains(secret));
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains(secret));
        let error = Client::new("abc", "bad token\n").unwrap_err();
        assert!(!format!("{error:?} {error}").contains("bad token"));
    }
}
