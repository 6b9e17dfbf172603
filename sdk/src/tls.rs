//! TLS for the clients this crate builds its HTTP client for.
//!
//! With the default `default-tls` feature, connections use reqwest's own
//! default TLS (reqwest 0.13: rustls with the aws-lc-rs crypto provider)
//! and the platform's certificate verifier, so an application whose reqwest
//! keeps its default features runs one TLS stack. With `rustls-ring` they
//! use rustls with the ring provider instead, for builds that must not
//! compile aws-lc. Either way a crypto provider the application installed
//! for the process wins, so one process does not run two. The config is
//! handed to reqwest as it is, so this crate sets the protocols HTTP/2 and
//! HTTP/1.1 itself.
//!
//! The platform verifier reads the system's trusted certificates when it is
//! made, which costs far more than the rest of a client. The config is made
//! once per process (and again only if the application installs another
//! provider) and every client after the first shares it: a service that
//! builds a client per store, or per test, reads the certificates once. A
//! certificate added to the system while the process runs is trusted after
//! a restart.
//!
//! With `native-tls` on, reqwest's native TLS is used as reqwest sets it up,
//! even when a rustls feature is on too: reqwest itself prefers native TLS
//! when it has both, and the explicit choice should not lose to the default.

use crate::error::BuildError;

/// Sets up TLS on `builder` as the enabled features say.
#[cfg(all(any(feature = "default-tls", feature = "rustls-ring"), not(feature = "native-tls")))]
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, BuildError> {
    Ok(builder.tls_backend_preconfigured(shared::client_config()?))
}

#[cfg(all(any(feature = "default-tls", feature = "rustls-ring"), not(feature = "native-tls")))]
mod shared {
    use std::sync::{Arc, Mutex, PoisonError};

    use rustls::ClientConfig;
    use rustls::crypto::CryptoProvider;
    use rustls_platform_verifier::BuilderVerifierExt;

    use crate::error::BuildError;

    /// The config made last, with the provider the process had installed then (None: the
    /// feature's own).
    static MADE: Mutex<Option<(Option<Arc<CryptoProvider>>, ClientConfig)>> = Mutex::new(None);

    /// How many configs this process has made.
    #[cfg(test)]
    pub(super) static MADE_COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    /// The process's client config: made on first use, shared after.
    pub(super) fn client_config() -> Result<ClientConfig, BuildError> {
        let installed = CryptoProvider::get_default().cloned();
        let mut made = MADE.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((provider, config)) = made.as_ref() {
            let same = match (provider, &installed) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            };
            if same {
                return Ok(config.clone());
            }
        }
        let config = make(installed.clone())?;
        *made = Some((installed, config.clone()));
        Ok(config)
    }

    /// The provider of the enabled feature. `rustls-ring` wins over the default: it is only
    /// ever turned on by asking for it.
    fn own_provider() -> CryptoProvider {
        #[cfg(feature = "rustls-ring")]
        return rustls::crypto::ring::default_provider();
        #[cfg(not(feature = "rustls-ring"))]
        return rustls::crypto::aws_lc_rs::default_provider();
    }

    fn make(installed: Option<Arc<CryptoProvider>>) -> Result<ClientConfig, BuildError> {
        #[cfg(test)]
        MADE_COUNT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let provider = installed.unwrap_or_else(|| Arc::new(own_provider()));
        let failed = |e: rustls::Error| BuildError::Tls { reason: e.to_string() };
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(failed)?
            .with_platform_verifier()
            .map_err(failed)?
            .with_no_client_auth();
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(config)
    }

    /// The crypto provider of the config made last, by the name of its key provider (`Ring`,
    /// `AwsLcRs`).
    #[cfg(test)]
    pub(super) fn made_with() -> String {
        let made = MADE.lock().unwrap_or_else(PoisonError::into_inner);
        let (_, config) = made.as_ref().expect("a config was made");
        format!("{:?}", config.crypto_provider().key_provider)
    }
}

/// Sets up TLS on `builder` as the enabled features say.
#[cfg(not(all(any(feature = "default-tls", feature = "rustls-ring"), not(feature = "native-tls"))))]
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, BuildError> {
    Ok(builder)
}

#[cfg(all(
    test,
    any(feature = "default-tls", feature = "rustls-ring"),
    not(feature = "native-tls")
))]
mod tests {
    use super::*;

    #[test]
    fn clients_build_with_the_features_provider_and_share_one_config() {
        use std::sync::atomic::Ordering;

        assert!(rustls::crypto::CryptoProvider::get_default().is_none());
        configure(reqwest::Client::builder()).unwrap().build().unwrap();
        let expected = if cfg!(feature = "rustls-ring") {
            "Ring"
        } else {
            "AwsLcRs"
        };
        assert_eq!(shared::made_with(), expected, "the config's crypto provider");
        let made = shared::MADE_COUNT.load(Ordering::SeqCst);
        assert!(made >= 1);
        for _ in 0..3 {
            configure(reqwest::Client::builder()).unwrap().build().unwrap();
        }
        assert_eq!(
            shared::MADE_COUNT.load(Ordering::SeqCst),
            made,
            "later clients made a config of their own"
        );
    }
}
