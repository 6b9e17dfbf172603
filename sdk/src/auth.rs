//! The store's API access token, kept out of every output.

use std::fmt;

use reqwest::header::HeaderValue;

use crate::error::BuildError;

/// An API account's access token, sent as `X-Auth-Token`.
///
/// Its `Debug` output is redacted and it has no `Display`, so logging a
/// client or its configuration never prints the token. The header value is
/// marked sensitive, so HTTP-level logging in `reqwest`/`hyper` skips it too.
#[derive(Clone)]
pub struct AccessToken(HeaderValue);

impl AccessToken {
    /// Checks that the token can travel in an HTTP header (visible ASCII,
    /// not empty). The error never repeats the token.
    pub fn new(token: impl AsRef<str>) -> Result<Self, BuildError> {
        let token = token.as_ref().trim();
        if token.is_empty() {
            return Err(BuildError::InvalidAccessToken { reason: "it is empty" });
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(BuildError::InvalidAccessToken {
                reason: "it holds characters other than visible ASCII",
            });
        }
        let mut value = HeaderValue::from_str(token).map_err(|_| BuildError::InvalidAccessToken {
            reason: "it is not a valid header value",
        })?;
        value.set_sensitive(true);
        Ok(Self(value))
    }

    pub(crate) fn header_value(&self) -> HeaderValue {
        self.0.clone()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_holds_the_token() {
        let token = AccessToken::new("s3cr3t-token-value").unwrap();
        assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
        assert!(token.header_value().is_sensitive());
    }

    #[test]
    fn rejects_empty_and_non_header_tokens_without_echoing_them() {
        for bad in ["", "   ", "tok\nen", "tökén"] {
            let error = AccessToken::new(bad).unwrap_err().to_string();
            assert!(error.starts_with("invalid access token"), "{error}");
            if !bad.trim().is_empty() {
                assert!(!error.contains(bad.trim()), "{error}");
            }
        }
    }
}
