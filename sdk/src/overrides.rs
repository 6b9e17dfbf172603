//! Per-channel setting overrides: each setting is kept, dropped or set.
//!
//! A channel's cart and abandoned-cart settings override the store-wide ones
//! one setting at a time, and `null` means "no override". An update therefore
//! has three things to say of each setting: leave it as it is (the field is
//! not sent), drop the override (`null`), or override it (a value). A plain
//! `Option` can say only two of them, so these request types stand in for the
//! spec's `ChannelCartSettingsRequest` and
//! `ChannelAbandonedCartSettingsRequest` in the generated code, with the same
//! JSON.

#[cfg(feature = "schemars")]
use schemars::{JsonSchema, r#gen::SchemaGenerator, schema::Schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[cfg(feature = "abandoned-carts")]
use crate::abandoned_carts::types::ChannelAbandonedCartSettingsMerchantEmailAddress;

/// What an update does to one overridable setting of a channel.
///
/// On the wire: [`Keep`](Self::Keep) leaves the field out, [`Clear`](Self::Clear)
/// sends `null`, [`Set`](Self::Set) sends the value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Override<T> {
    /// Leave the setting as it is.
    #[default]
    Keep,
    /// Drop the channel's override: the store-wide setting applies again.
    Clear,
    /// Override the store-wide setting with this value.
    Set(T),
}

impl<T> Override<T> {
    /// Whether the setting is left as it is (and its field not sent).
    pub fn is_keep(&self) -> bool {
        matches!(self, Self::Keep)
    }

    /// The value set, if any.
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Self::Set(value) => Some(value),
            Self::Keep | Self::Clear => None,
        }
    }
}

impl<T> From<T> for Override<T> {
    fn from(value: T) -> Self {
        Self::Set(value)
    }
}

/// `Keep` is not meant to be serialized (its field is skipped); were it
/// serialized anyway, it would say `null` like `Clear`.
impl<T: Serialize> Serialize for Override<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Set(value) => value.serialize(serializer),
            Self::Keep | Self::Clear => serializer.serialize_none(),
        }
    }
}

/// `null` reads as `Clear` and a value as `Set`; an absent field is `Keep`
/// through `#[serde(default)]` on the field.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Override<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Self::Set(value),
            None => Self::Clear,
        })
    }
}

/// The schema of a nullable `T`; the field is optional through its
/// `#[serde(default)]`.
#[cfg(feature = "schemars")]
impl<T: JsonSchema> JsonSchema for Override<T> {
    fn is_referenceable() -> bool {
        false
    }

    fn schema_name() -> String {
        format!("Override_{}", T::schema_name())
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<Option<T>>()
    }
}

/// New cart setting overrides for one channel
/// (`Client::carts().update_channel_cart_settings()`).
///
/// ```
/// use bigcommerce_carts::{ChannelCartSettingsRequest, Override};
///
/// // The channel follows the store-wide setting again.
/// let update = ChannelCartSettingsRequest { allow_purchasing: Override::Clear };
/// assert_eq!(serde_json::to_string(&update).unwrap(), r#"{"allow_purchasing":null}"#);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(JsonSchema))]
pub struct ChannelCartSettingsRequest {
    /// Override of the store-wide `allow_purchasing`.
    #[serde(default, skip_serializing_if = "Override::is_keep")]
    pub allow_purchasing: Override<bool>,
}

/// New abandoned-cart setting overrides for one channel
/// (`Client::abandoned_carts().update_channel_abandoned_cart_settings()`).
///
/// ```
/// use bigcommerce_carts::{ChannelAbandonedCartSettingsRequest, Override};
///
/// let update = ChannelAbandonedCartSettingsRequest {
///     enable_notification: Override::Set(true),
///     merchant_email_address: Override::Clear,
///     ..Default::default()
/// };
/// assert_eq!(
///     serde_json::to_string(&update).unwrap(),
///     r#"{"enable_notification":true,"merchant_email_address":null}"#,
/// );
/// ```
#[cfg(feature = "abandoned-carts")]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(JsonSchema))]
pub struct ChannelAbandonedCartSettingsRequest {
    /// Whether abandoned-cart notifications are on.
    #[serde(default, skip_serializing_if = "Override::is_keep")]
    pub enable_notification: Override<bool>,
    /// Whether the shopper is emailed until the cart is recovered.
    #[serde(default, skip_serializing_if = "Override::is_keep")]
    pub email_customer_until_cart_is_recovered: Override<bool>,
    /// Whether reminder emails need the shopper's consent.
    #[serde(default, skip_serializing_if = "Override::is_keep")]
    pub marketing_emails_require_customer_consent: Override<bool>,
    /// Whether the merchant is emailed when a cart converts to an order.
    #[serde(default, skip_serializing_if = "Override::is_keep")]
    pub email_merchant_when_cart_is_converted: Override<bool>,
    /// Whether the merchant is emailed when a cart is abandoned.
    #[serde(default, skip_serializing_if = "Override::is_keep")]
    pub email_merchant_when_cart_is_abandoned: Override<bool>,
    /// Where merchant notifications go (at most 500 characters; checked when
    /// the value is made with `TryFrom<&str>` or `str::parse`).
    #[serde(default, skip_serializing_if = "Override::is_keep")]
    pub merchant_email_address: Override<ChannelAbandonedCartSettingsMerchantEmailAddress>,
    /// `individual` or `digest` merchant emails.
    #[serde(default, skip_serializing_if = "Override::is_keep")]
    pub merchant_abandoned_cart_email_frequency_type: Override<String>,
    /// How many abandoned carts a digest email waits for (2 to 1000).
    #[serde(default, skip_serializing_if = "Override::is_keep")]
    pub merchant_abandoned_cart_digest_email_frequency: Override<i32>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_state_has_its_own_json() {
        let update = ChannelCartSettingsRequest::default();
        assert_eq!(serde_json::to_value(&update).unwrap(), json!({}));
        let update = ChannelCartSettingsRequest {
            allow_purchasing: Override::Clear,
        };
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            json!({"allow_purchasing": null})
        );
        let update = ChannelCartSettingsRequest {
            allow_purchasing: false.into(),
        };
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            json!({"allow_purchasing": false})
        );
    }

    #[test]
    fn json_reads_back_into_the_same_state() {
        for body in [
            json!({}),
            json!({"allow_purchasing": null}),
            json!({"allow_purchasing": true}),
        ] {
            let update: ChannelCartSettingsRequest = serde_json::from_value(body.clone()).unwrap();
            assert_eq!(serde_json::to_value(&update).unwrap(), body);
        }
    }

    #[test]
    #[cfg(feature = "abandoned-carts")]
    fn a_cleared_abandoned_cart_setting_reads_back_cleared() {
        let update: ChannelAbandonedCartSettingsRequest =
            serde_json::from_value(json!({"merchant_abandoned_cart_digest_email_frequency": null})).unwrap();
        assert_eq!(update.merchant_abandoned_cart_digest_email_frequency, Override::Clear);
        assert!(update.enable_notification.is_keep());
    }

    #[test]
    #[cfg(feature = "abandoned-carts")]
    fn an_address_over_500_characters_is_refused() {
        let error = serde_json::from_value::<ChannelAbandonedCartSettingsRequest>(
            json!({"merchant_email_address": "x".repeat(501)}),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("longer than 500"), "{error}");
    }

    #[test]
    #[cfg(feature = "schemars")]
    fn the_schema_makes_each_field_optional_and_nullable() {
        let schema = serde_json::to_value(schemars::schema_for!(ChannelCartSettingsRequest)).unwrap();
        assert_eq!(schema["required"], serde_json::Value::Null, "{schema}");
        assert_eq!(
            schema["properties"]["allow_purchasing"]["type"],
            json!(["boolean", "null"]),
            "{schema}"
        );
    }
}
