//! Redirect URLs: minting them, and checking one when a shopper follows it.
//!
//! Every call mints fresh URLs with their own token. Keeping every minted token would make
//! memory grow with each call (a load test mints tens of thousands a second), so a token is
//! self-describing instead: when it was issued, a random nonce, and a keyed hash over those, the
//! store and the cart, with a key that only the store knows. Checking a token needs nothing but
//! the key; what must be remembered is only which tokens have been used, because each works
//! once. A token is 64 hexadecimal characters, like the real ones.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::clock::THIRTY_DAYS_MS;

/// The three URLs of a cart, as answered.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RedirectUrls {
    pub cart_url: String,
    pub checkout_url: String,
    pub embedded_checkout_url: String,
}

impl fmt::Debug for RedirectUrls {
    // The tokens restore a shopper's cart, so they stay out of debug output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RedirectUrls(<redacted>)")
    }
}

/// The secret a store signs its redirect tokens with.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct RedirectKey([u8; 32]);

impl RedirectKey {
    /// A fresh key from the operating system's randomness.
    pub fn random() -> Self {
        Self(crate::random::bytes())
    }

    fn mac(&self, store_hash: &str, cart_id: Uuid, issued_ms: i64, nonce: u64) -> [u8; 16] {
        let mut hasher = Sha256::new();
        hasher.update(self.0);
        hasher.update(store_hash.as_bytes());
        hasher.update([0u8]);
        hasher.update(cart_id.as_bytes());
        hasher.update(issued_ms.to_be_bytes());
        hasher.update(nonce.to_be_bytes());
        let digest = hasher.finalize();
        let mut mac = [0u8; 16];
        mac.copy_from_slice(&digest[..16]);
        mac
    }
}

impl fmt::Debug for RedirectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RedirectKey(<redacted>)")
    }
}

impl Serialize for RedirectKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&to_hex(&self.0))
    }
}

impl<'de> Deserialize<'de> for RedirectKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let bytes = from_hex(&text).ok_or_else(|| serde::de::Error::custom("a redirect key is 64 hex digits"))?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| serde::de::Error::custom("a redirect key is 64 hex digits"))?;
        Ok(Self(key))
    }
}

/// Lower-case hex of `bytes`. (Minting runs on every redirect URL request, so this avoids the
/// per-byte formatting of the general helper.)
fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// Makes a token for `cart_id` of `store_hash`, issued at `issued_ms`.
pub(crate) fn mint(key: &RedirectKey, store_hash: &str, cart_id: Uuid, issued_ms: i64, nonce: u64) -> String {
    let mac = key.mac(store_hash, cart_id, issued_ms, nonce);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&issued_ms.to_be_bytes());
    bytes[8..16].copy_from_slice(&nonce.to_be_bytes());
    bytes[16..].copy_from_slice(&mac);
    to_hex(&bytes)
}

/// Why a followed redirect URL did not load its cart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The token is not one this store minted for this cart.
    Invalid,
    /// The token is older than 30 days.
    Expired,
    /// The token was followed before.
    Used,
    /// The cart is gone (deleted or expired).
    CartMissing,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Invalid => "invalid",
            Refusal::Expired => "expired",
            Refusal::Used => "used",
            Refusal::CartMissing => "cart-missing",
        }
    }
}

/// A token that checked out: the id under which its use is remembered, and when it was issued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Checked {
    pub id: String,
    pub issued_ms: i64,
}

/// Checks `token` for `cart_id` of `store_hash` at `now_ms` (whether it was used is the
/// caller's to check, since that needs the store's memory of used tokens).
pub(crate) fn check(
    key: &RedirectKey,
    store_hash: &str,
    cart_id: Uuid,
    token: &str,
    now_ms: i64,
) -> Result<Checked, Refusal> {
    let bytes = from_hex(token).ok_or(Refusal::Invalid)?;
    if bytes.len() != 32 {
        return Err(Refusal::Invalid);
    }
    let read = |range: std::ops::Range<usize>| -> [u8; 8] {
        let mut out = [0u8; 8];
        out.copy_from_slice(&bytes[range]);
        out
    };
    let issued_ms = i64::from_be_bytes(read(0..8));
    let nonce = u64::from_be_bytes(read(8..16));
    if key.mac(store_hash, cart_id, issued_ms, nonce)[..] != bytes[16..] {
        return Err(Refusal::Invalid);
    }
    if now_ms >= issued_ms.saturating_add(THIRTY_DAYS_MS) {
        return Err(Refusal::Expired);
    }
    Ok(Checked {
        id: to_hex(&bytes[16..]),
        issued_ms,
    })
}

/// The three URLs of `cart_id` on `base`, with `query_params` appended.
pub(crate) fn urls(base: &str, cart_id: Uuid, token: &str, query_params: &[(String, String)]) -> RedirectUrls {
    let base = base.trim_end_matches('/');
    let mut extra = String::new();
    for (name, value) in query_params {
        extra.push('&');
        extra.extend(url::form_urlencoded::byte_serialize(name.as_bytes()));
        extra.push('=');
        extra.extend(url::form_urlencoded::byte_serialize(value.as_bytes()));
    }
    RedirectUrls {
        cart_url: format!("{base}/cart.php?action=load&id={cart_id}&token={token}{extra}"),
        checkout_url: format!("{base}/cart.php?action=loadInCheckout&id={cart_id}&token={token}{extra}"),
        embedded_checkout_url: format!(
            "{base}/cart.php?embedded=1&action=loadInCheckout&id={cart_id}&token={token}{extra}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_checks_only_for_its_store_and_cart_and_lapses() {
        let key = RedirectKey::random();
        let cart = crate::random::uuid();
        let token = mint(&key, "store1", cart, 1_000, 42);
        assert_eq!(token.len(), 64);
        assert!(check(&key, "store1", cart, &token, 2_000).is_ok());
        assert_eq!(check(&key, "store2", cart, &token, 2_000), Err(Refusal::Invalid));
        assert_eq!(
            check(&key, "store1", crate::random::uuid(), &token, 2_000),
            Err(Refusal::Invalid)
        );
        assert_eq!(
            check(&RedirectKey::random(), "store1", cart, &token, 2_000),
            Err(Refusal::Invalid)
        );
        assert_eq!(
            check(&key, "store1", cart, &token, 1_000 + THIRTY_DAYS_MS),
            Err(Refusal::Expired)
        );
        assert_eq!(check(&key, "store1", cart, "zz", 0), Err(Refusal::Invalid));
        assert_eq!(check(&key, "store1", cart, "é", 0), Err(Refusal::Invalid));
    }

    #[test]
    fn urls_carry_the_query_params_encoded() {
        let cart = Uuid::nil();
        let urls = urls(
            "http://127.0.0.1:8/",
            cart,
            "t0k",
            &[("utm source".into(), "a&b".into())],
        );
        assert_eq!(
            urls.cart_url,
            format!("http://127.0.0.1:8/cart.php?action=load&id={cart}&token=t0k&utm+source=a%26b")
        );
        assert!(
            urls.embedded_checkout_url
                .contains("?embedded=1&action=loadInCheckout&id=")
        );
        assert_eq!(format!("{urls:?}"), "RedirectUrls(<redacted>)");
    }

    #[test]
    fn hex_is_lower_case_two_digits_a_byte() {
        assert_eq!(to_hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
        assert_eq!(from_hex("000fa0ff"), Some(vec![0x00, 0x0f, 0xa0, 0xff]));
    }

    #[test]
    fn keys_round_trip_as_hex() {
        let key = RedirectKey::random();
        let text = serde_json::to_string(&key).unwrap();
        assert_eq!(serde_json::from_str::<RedirectKey>(&text).unwrap(), key);
        assert!(serde_json::from_str::<RedirectKey>("\"abcd\"").is_err());
        assert_eq!(format!("{key:?}"), "RedirectKey(<redacted>)");
    }
}
