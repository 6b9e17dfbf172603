//! The redirect URLs of a cart.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::redact::redact_tokens;

/// The redirect URLs of a cart: where to send a shopper to restore it.
///
/// Each URL carries a single-use token that restores the cart, valid for 30
/// days; `Debug` output shows it as `token=REDACTED`. This type stands in
/// for the spec's `RedirectUrls` schema in the generated code (same fields,
/// same JSON), so that no cart or answer prints a token.
///
/// Every documented answer carries all three URLs; each is still an `Option`,
/// so that an answer which leaves one out decodes (only identity and money
/// are demanded, see spec/README.md). Fields the API adds later are kept in
/// `extra` and written back as they came.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RedirectUrls {
    /// Loads the cart on the storefront: `.../cart.php?action=load&id=<cart id>&token=...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart_url: Option<String>,
    /// Loads the cart into checkout: `.../cart.php?action=loadInCheckout&id=<cart id>&token=...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout_url: Option<String>,
    /// Loads the cart into an embedded checkout:
    /// `.../cart.php?embedded=1&action=loadInCheckout&id=<cart id>&token=...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedded_checkout_url: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl fmt::Debug for RedirectUrls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |url: &Option<String>| url.as_deref().map(redact_tokens);
        f.debug_struct("RedirectUrls")
            .field("cart_url", &shown(&self.cart_url))
            .field("checkout_url", &shown(&self.checkout_url))
            .field("embedded_checkout_url", &shown(&self.embedded_checkout_url))
            .field("extra", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_token_and_json_keeps_it() {
        let urls = RedirectUrls {
            cart_url: Some("https://shop.example.com/cart.php?action=load&id=7&token=s3cr3t".into()),
            ..Default::default()
        };
        let debug = format!("{urls:?}");
        assert!(debug.contains("token=REDACTED") && !debug.contains("s3cr3t"), "{debug}");
        assert!(serde_json::to_string(&urls).unwrap().contains("token=s3cr3t"));
    }
}
