//! Access tokens and OAuth scopes.
//!
//! A request authenticates with `X-Auth-Token`. No token, or one the store does not know, is
//! answered 401; a known token without the scope the operation needs is answered 403. Carts,
//! line items, redirect URLs and cart metafields need `store_cart` to write and
//! `store_cart_read_only` (or `store_cart`) to read; cart settings and everything of the
//! Abandoned Carts API need `store_v2_information` to write and its read-only variant to read,
//! as the security sections of our specs say.

use std::fmt;

use axum::http::{HeaderMap, Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::errors::ApiError;

/// The token every store accepts until its tokens are set otherwise; it has every scope.
pub const DEFAULT_ACCESS_TOKEN: &str = "sim-access-token";

/// The API client id of [`DEFAULT_ACCESS_TOKEN`]; metafields record it as their owner.
pub const DEFAULT_CLIENT_ID: &str = "sim-client";

/// An OAuth scope of a store API account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// Carts, modify.
    #[serde(rename = "store_cart")]
    Cart,
    /// Carts, read-only.
    #[serde(rename = "store_cart_read_only")]
    CartReadOnly,
    /// Information & settings, modify.
    #[serde(rename = "store_v2_information")]
    Information,
    /// Information & settings, read-only.
    #[serde(rename = "store_v2_information_read_only")]
    InformationReadOnly,
}

impl Scope {
    /// The scope's name as BigCommerce writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Cart => "store_cart",
            Scope::CartReadOnly => "store_cart_read_only",
            Scope::Information => "store_v2_information",
            Scope::InformationReadOnly => "store_v2_information_read_only",
        }
    }
}

/// An access token a store accepts, with its scopes and the API client it belongs to.
///
/// Its `Debug` output never shows the token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenGrant {
    /// The `X-Auth-Token` value.
    pub token: String,
    /// What the token may do.
    pub scopes: Vec<Scope>,
    /// The API client id (metafields are owned per client).
    #[serde(default = "default_client_id")]
    pub client_id: String,
}

fn default_client_id() -> String {
    DEFAULT_CLIENT_ID.to_string()
}

impl TokenGrant {
    /// A grant of `token` with `scopes`, for the default client id.
    pub fn new(token: impl Into<String>, scopes: impl IntoIterator<Item = Scope>) -> Self {
        Self {
            token: token.into(),
            scopes: scopes.into_iter().collect(),
            client_id: default_client_id(),
        }
    }

    /// The same grant for another API client.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = client_id.into();
        self
    }

    /// [`DEFAULT_ACCESS_TOKEN`] with every scope.
    pub fn default_grant() -> Self {
        Self::new(DEFAULT_ACCESS_TOKEN, [Scope::Cart, Scope::Information])
    }
}

impl fmt::Debug for TokenGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenGrant")
            .field("token", &"<redacted>")
            .field("scopes", &self.scopes)
            .field("client_id", &self.client_id)
            .finish()
    }
}

/// The scope family an operation belongs to.
fn needs_information_scope(operation: &str) -> bool {
    matches!(
        operation,
        "getGlobalCartSettings"
            | "updateGlobalCartSettings"
            | "getChannelCartSettings"
            | "updateChannelCartSettings"
            | "getAbandonedCarts"
            | "getGlobalAbandonedCartSettings"
            | "updateGlobalAbandonedCartSettings"
            | "getChannelAbandonedCartSettings"
            | "updateChannelAbandonedCartSettings"
    )
}

/// Finds the grant of the `X-Auth-Token` sent: 401 when there is none or it is unknown.
pub(crate) fn identify<'a>(grants: &'a [TokenGrant], headers: &HeaderMap) -> Result<&'a TokenGrant, ApiError> {
    let Some(sent) = headers.get("x-auth-token") else {
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "Unauthorized")
            .detail("The request carries no X-Auth-Token header."));
    };
    grants
        .iter()
        .find(|g| g.token.as_bytes() == sent.as_bytes())
        .ok_or_else(|| {
            ApiError::new(StatusCode::UNAUTHORIZED, "Unauthorized")
                .detail("The access token is invalid or was revoked.")
        })
}

/// Checks that `grant` has the scope `operation` needs with `method`: 403 when not.
pub(crate) fn authorize(grant: &TokenGrant, method: &Method, operation: &str) -> Result<(), ApiError> {
    let write = *method != Method::GET && *method != Method::HEAD;
    let (modify, read_only) = if needs_information_scope(operation) {
        (Scope::Information, Scope::InformationReadOnly)
    } else {
        (Scope::Cart, Scope::CartReadOnly)
    };
    if grant.scopes.contains(&modify) || (!write && grant.scopes.contains(&read_only)) {
        return Ok(());
    }
    let detail = if write && grant.scopes.contains(&read_only) {
        format!(
            "The access token has read-only access; {operation} needs {}.",
            modify.as_str()
        )
    } else {
        format!(
            "The access token lacks the {} scope that {operation} needs.",
            if write { modify.as_str() } else { read_only.as_str() }
        )
    };
    Err(ApiError::new(StatusCode::FORBIDDEN, "Forbidden").detail(detail))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(token: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-auth-token", token.parse().unwrap());
        headers
    }

    #[test]
    fn scopes_decide_reads_and_writes() {
        let grants = vec![
            TokenGrant::new("ro", [Scope::CartReadOnly]),
            TokenGrant::new("rw", [Scope::Cart]),
        ];
        let check = |token: &str, method: Method, op: &str| {
            identify(&grants, &headers(token))
                .and_then(|grant| authorize(grant, &method, op))
                .map_err(|e| e.status.as_u16())
        };
        assert!(check("ro", Method::GET, "getCart").is_ok());
        assert_eq!(check("ro", Method::POST, "createCart").unwrap_err(), 403);
        assert!(check("rw", Method::POST, "createCart").is_ok());
        assert_eq!(check("rw", Method::GET, "getGlobalCartSettings").unwrap_err(), 403);
        assert_eq!(check("nope", Method::GET, "getCart").unwrap_err(), 401);
        assert_eq!(
            identify(&grants, &HeaderMap::new()).unwrap_err().status,
            StatusCode::UNAUTHORIZED
        );
    }

    #[test]
    fn debug_output_hides_the_token() {
        let grant = TokenGrant::new("very-secret-value", [Scope::Cart]);
        let shown = format!("{grant:?}");
        assert!(!shown.contains("very-secret-value"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }
}
