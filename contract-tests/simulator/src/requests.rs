//! Request bodies of the cart operations, as typed values.
//!
//! Bodies are first checked against our spec as JSON (see `spec.rs`), so by the time they are
//! read into these types their shape is known to be right; the types only keep what the
//! simulator acts on, and ignore the rest (gift wrapping, for one).

use serde::Deserialize;
use serde_json::Value;

use crate::money::Money;

/// `createCart`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CartCreateRequest {
    pub customer_id: Option<i64>,
    pub line_items: Option<Vec<LineItemRequest>>,
    pub custom_items: Option<Vec<CustomItemRequest>>,
    pub gift_certificates: Option<Vec<GiftCertificateRequest>>,
    pub channel_id: Option<i64>,
    pub currency: Option<CurrencyRequest>,
    pub locale: Option<String>,
}

/// The currency of a new cart.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CurrencyRequest {
    pub code: Option<String>,
}

/// `addCartLineItems`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CartLineItemsAddRequest {
    pub line_items: Option<Vec<LineItemRequest>>,
    pub custom_items: Option<Vec<CustomItemRequest>>,
    pub gift_certificates: Option<Vec<GiftCertificateRequest>>,
    pub version: Option<i64>,
}

/// `updateCartLineItem`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CartLineItemUpdateRequest {
    pub line_item: Option<LineItemRequest>,
    pub gift_certificates: Option<Vec<GiftCertificateRequest>>,
    pub version: Option<i64>,
}

/// `deleteCartLineItem` (its body is optional).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct VersionOnly {
    pub version: Option<i64>,
}

/// `updateCart`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CartUpdateRequest {
    pub customer_id: Option<i64>,
    pub version: Option<i64>,
}

/// A catalog product to put in a cart.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct LineItemRequest {
    pub quantity: i64,
    pub product_id: i64,
    pub variant_id: Option<i64>,
    pub list_price: Option<Money>,
    pub name: Option<String>,
    pub option_selections: Option<Vec<OptionSelection>>,
}

/// One chosen option or modifier value.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct OptionSelection {
    pub option_id: Option<i64>,
    pub option_value: Option<Value>,
    pub name: Option<String>,
    pub value: Option<String>,
    #[serde(rename = "nameId")]
    pub name_id: Option<i64>,
    #[serde(rename = "valueId")]
    pub value_id: Option<i64>,
}

/// A custom (non-catalog) item.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct CustomItemRequest {
    pub sku: Option<String>,
    pub name: Option<String>,
    pub quantity: Option<i64>,
    pub list_price: Option<Money>,
    pub image_url: Option<String>,
}

/// A gift certificate.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct GiftCertificateRequest {
    pub name: String,
    pub theme: String,
    pub amount: Money,
    pub quantity: i64,
    pub sender: Contact,
    pub recipient: Contact,
    pub message: Option<String>,
}

/// A sender or recipient.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
pub(crate) struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// `createCartRedirectURL` (its body is optional).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RedirectUrlsRequest {
    pub query_params: Option<OrderedPairs>,
}

/// A JSON object's members in the order they were sent.
///
/// `serde_json` keeps objects sorted by key, but the `query_params` of a redirect URL end up in
/// a query string, where a caller reasonably expects its own order; so this type is read from
/// the raw body, member by member.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct OrderedPairs(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for OrderedPairs {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> serde::de::Visitor<'de> for Pairs {
            type Value = OrderedPairs;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of strings")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<OrderedPairs, A::Error> {
                let mut out = Vec::new();
                while let Some((name, value)) = map.next_entry::<String, String>()? {
                    out.push((name, value));
                }
                Ok(OrderedPairs(out))
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_params_keep_their_order() {
        let request: RedirectUrlsRequest =
            serde_json::from_str(r#"{"query_params": {"z": "1", "a": "2", "m": "3"}}"#).unwrap();
        let pairs = request.query_params.unwrap().0;
        let names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["z", "a", "m"]);
    }
}
