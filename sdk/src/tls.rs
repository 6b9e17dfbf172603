//! TLS for the clients this crate builds its HTTP client for.
//!
//! With the default `rustls` feature, connections use rustls with the ring
//! crypto provider (no C library to build) and the platform's certificate
//! verifier. A crypto provider the application installed for the process
//! wins, so one process does not run two. The config is handed to reqwest
//! as it is, so this crate sets the protocols HTTP/2 and HTTP/1.1 itself.

use crate::error::BuildError;

/// Sets up TLS on `builder` as the enabled feature says.
#[cfg(feature = "rustls")]
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, BuildError> {
    use std::sync::Arc;

    use rustls::crypto::CryptoProvider;
    use rustls_platform_verifier::BuilderVerifierExt;

    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let failed = |e: rustls::Error| BuildError::Tls { reason: e.to_string() };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(failed)?
        .with_platform_verifier()
        .map_err(failed)?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(builder.tls_backend_preconfigured(config))
}

/// Sets up TLS on `builder` as the enabled feature says.
#[cfg(not(feature = "rustls"))]
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, BuildError> {
    Ok(builder)
}

#[cfg(all(test, feature = "rustls"))]
mod tests {
    use super::*;

    #[test]
    fn a_client_builds_with_the_ring_provider_and_no_process_default() {
        assert!(rustls::crypto::CryptoProvider::get_default().is_none());
        configure(reqwest::Client::builder()).unwrap().build().unwrap();
    }
}
