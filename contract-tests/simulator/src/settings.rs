//! Store-wide settings with per-channel overrides (cart settings, abandoned-cart settings).
//!
//! Both settings APIs work alike: a store-wide value for each setting, and per channel an
//! optional override of each. Reading a channel gives every setting, `null` where the channel
//! has no override; writing a channel changes only the settings sent, and a `null` sent drops
//! that override so the store-wide value applies again.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// The cart settings.
pub(crate) const CART_SETTINGS: &[&str] = &["allow_purchasing"];

/// The abandoned-cart settings.
pub(crate) const ABANDONED_CART_SETTINGS: &[&str] = &[
    "enable_notification",
    "email_customer_until_cart_is_recovered",
    "marketing_emails_require_customer_consent",
    "email_merchant_when_cart_is_converted",
    "email_merchant_when_cart_is_abandoned",
    "merchant_email_address",
    "merchant_abandoned_cart_email_frequency_type",
    "merchant_abandoned_cart_digest_email_frequency",
];

/// One family of settings: store-wide values and channel overrides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Settings {
    pub global: Map<String, Value>,
    #[serde(default)]
    pub channels: BTreeMap<i64, Map<String, Value>>,
}

impl Settings {
    /// Cart settings of a new store: purchasing allowed.
    pub fn cart_defaults() -> Self {
        Self::from_global(json!({"allow_purchasing": true}))
    }

    /// Abandoned-cart settings of a new store (our choice; real stores' defaults were not
    /// observed).
    pub fn abandoned_cart_defaults() -> Self {
        Self::from_global(json!({
            "enable_notification": true,
            "email_customer_until_cart_is_recovered": false,
            "marketing_emails_require_customer_consent": false,
            "email_merchant_when_cart_is_converted": false,
            "email_merchant_when_cart_is_abandoned": false,
            "merchant_email_address": "merchant@store.example",
            "merchant_abandoned_cart_email_frequency_type": "individual",
            "merchant_abandoned_cart_digest_email_frequency": 2
        }))
    }

    fn from_global(global: Value) -> Self {
        Self {
            global: match global {
                Value::Object(map) => map,
                _ => Map::new(),
            },
            channels: BTreeMap::new(),
        }
    }

    /// Replaces the store-wide values of the `keys` found in `body`.
    pub fn set_global(&mut self, body: &Map<String, Value>, keys: &[&str]) {
        for key in keys {
            if let Some(value) = body.get(*key)
                && !value.is_null()
            {
                self.global.insert((*key).to_string(), value.clone());
            }
        }
    }

    /// The overrides of `channel`: every key, `null` where there is none.
    pub fn channel_view(&self, channel: i64, keys: &[&str]) -> Map<String, Value> {
        let overrides = self.channels.get(&channel);
        keys.iter()
            .map(|key| {
                let value = overrides.and_then(|o| o.get(*key)).cloned().unwrap_or(Value::Null);
                ((*key).to_string(), value)
            })
            .collect()
    }

    /// Applies a channel update: values set overrides, `null`s drop them, absent keys stay.
    pub fn apply_channel(&mut self, channel: i64, body: &Map<String, Value>, keys: &[&str]) {
        let overrides = self.channels.entry(channel).or_default();
        for key in keys {
            match body.get(*key) {
                Some(Value::Null) => {
                    overrides.remove(*key);
                }
                Some(value) => {
                    overrides.insert((*key).to_string(), value.clone());
                }
                None => {}
            }
        }
        if overrides.is_empty() {
            self.channels.remove(&channel);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn null_drops_an_override_and_absent_keys_stay() {
        let mut settings = Settings::abandoned_cart_defaults();
        let keys = ABANDONED_CART_SETTINGS;
        settings.apply_channel(
            3,
            &map(json!({"enable_notification": false, "merchant_abandoned_cart_digest_email_frequency": 25})),
            keys,
        );
        let view = settings.channel_view(3, keys);
        assert_eq!(view["enable_notification"], false);
        assert_eq!(view["merchant_abandoned_cart_digest_email_frequency"], 25);
        assert_eq!(view["merchant_email_address"], Value::Null);
        settings.apply_channel(3, &map(json!({"enable_notification": null})), keys);
        let view = settings.channel_view(3, keys);
        assert_eq!(view["enable_notification"], Value::Null);
        assert_eq!(view["merchant_abandoned_cart_digest_email_frequency"], 25);
        settings.apply_channel(
            3,
            &map(json!({"merchant_abandoned_cart_digest_email_frequency": null})),
            keys,
        );
        assert!(settings.channels.is_empty(), "a channel without overrides is forgotten");
        let cart = Settings::cart_defaults();
        assert_eq!(cart.channel_view(9, CART_SETTINGS)["allow_purchasing"], Value::Null);
    }
}
