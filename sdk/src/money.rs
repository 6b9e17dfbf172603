//! Money as exact decimals. Every amount of the APIs (prices, totals,
//! discounts) is a [`Decimal`]; the generated fields read it through these
//! and write it through [`crate::spelling`] (see the generator's pass
//! `decimal_schemas`), as a JSON number spelled as the API spells it: a
//! whole amount as an integer (`763`, and `35` for `35.00` too), any other
//! through its `f64` (`19.99`, and `35.5` for `35.50`).
//!
//! A JSON number is read exactly as written: an integer as that integer, a
//! decimal through its shortest round-trip spelling (`19.99` is 19.99, and
//! `0.1 + 0.2 == 0.3`). JSON parsers hand decimals over as `f64`, which holds
//! 15 significant digits exactly, so every amount with up to 15 significant
//! digits (any price below 10^13 with two decimals) is exact; one with more
//! digits is rounded to the 17 significant digits of the `f64`. A number
//! written as a string (`"19.99"`) is read too, digit for digit.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;

use crate::spelling::Spelled;

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number")
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Decimal, E> {
        if !value.is_finite() {
            return Err(E::invalid_value(de::Unexpected::Float(value), &self));
        }
        // The shortest spelling that reads back as the same `f64`: what was written.
        let mut buffer = zmij::Buffer::new();
        let text = buffer.format_finite(value);
        Decimal::from_str(text)
            .or_else(|_| Decimal::from_scientific(text))
            .map_err(|_| E::invalid_value(de::Unexpected::Float(value), &self))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Decimal, E> {
        Decimal::from_str(value.trim())
            .or_else(|_| Decimal::from_scientific(value.trim()))
            .map_err(|_| E::invalid_value(de::Unexpected::Str(value), &self))
    }
}

struct OptionalDecimalVisitor;

impl<'de> Visitor<'de> for OptionalDecimalVisitor {
    type Value = Option<Decimal>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<Decimal>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<Decimal>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<Decimal>, D::Error> {
        decimal(deserializer).map(Some)
    }
}

/// Reads a decimal from a JSON number (or a numeric string).
pub(crate) fn decimal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_any(DecimalVisitor)
}

/// Reads an optional decimal: `null`, a JSON number or a numeric string.
pub(crate) fn option_decimal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
    deserializer.deserialize_option(OptionalDecimalVisitor)
}

/// A decimal is a JSON number: an integer when its value is whole, whatever
/// its scale (`35.00` is written `35`, as real answers write whole amounts),
/// else its `f64` (`35.5`).
///
/// The simulator writes the amounts of its answers the same way
/// (`bigcommerce_carts_sim::Money`), so that a service tested against it sees
/// the spelling a store sends; the table in `contract-tests/tests/it/money.rs`
/// holds both writers to the same spellings.
impl Spelled for Decimal {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self.normalize();
        if value.scale() == 0 {
            if let Some(whole) = value.to_i64() {
                return serializer.serialize_i64(whole);
            }
            if let Some(whole) = value.to_u64() {
                return serializer.serialize_u64(whole);
            }
        }
        Serialize::serialize(&value, serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    struct Amounts {
        #[serde(deserialize_with = "decimal", serialize_with = "crate::spelling::write")]
        price: Decimal,
        #[serde(
            default,
            deserialize_with = "option_decimal",
            serialize_with = "crate::spelling::write_option"
        )]
        discount: Option<Decimal>,
    }

    fn read(json: &str) -> Amounts {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(read(r#"{"price": 19.99}"#).price.to_string(), "19.99");
        assert_eq!(read(r#"{"price": 66}"#).price, Decimal::from(66));
        assert_eq!(read(r#"{"price": "12.50"}"#).price.to_string(), "12.50");
        assert_eq!(read(r#"{"price": 1e2}"#).price, Decimal::from(100));
        let sum = read(r#"{"price": 0.1}"#).price + read(r#"{"price": 0.2}"#).price;
        assert_eq!(sum, Decimal::from_str("0.3").unwrap());
        assert_eq!(read(r#"{"price": 1, "discount": null}"#).discount, None);
        assert_eq!(read(r#"{"price": 1}"#).discount, None);
        assert_eq!(
            read(r#"{"price": 1, "discount": 2.5}"#).discount.unwrap().to_string(),
            "2.5"
        );
        assert!(serde_json::from_str::<Amounts>(r#"{"price": "nineteen"}"#).is_err());
    }

    #[test]
    fn amounts_go_back_as_json_numbers() {
        let amounts = read(r#"{"price": 19.99, "discount": 2.5}"#);
        let written = serde_json::to_value(&amounts).unwrap();
        assert_eq!(written, serde_json::json!({"price": 19.99, "discount": 2.5}));
    }

    #[test]
    fn whole_amounts_go_back_as_integers_and_others_as_written() {
        let again = |json: &str| serde_json::to_string(&read(json)).unwrap();
        assert_eq!(again(r#"{"price":763,"discount":0}"#), r#"{"price":763,"discount":0}"#);
        assert_eq!(
            again(r#"{"price":-5,"discount":null}"#),
            r#"{"price":-5,"discount":null}"#
        );
        assert_eq!(
            again(r#"{"price":19.99,"discount":0.1}"#),
            r#"{"price":19.99,"discount":0.1}"#
        );
        assert_eq!(again(r#"{"price":"12.50"}"#), r#"{"price":12.5,"discount":null}"#);
        assert_eq!(
            again(r#"{"price":35.0,"discount":"-0.00"}"#),
            r#"{"price":35,"discount":0}"#
        );
        let built = Amounts {
            price: Decimal::new(3500, 2),
            discount: Some(Decimal::new(3550, 2)),
        };
        assert_eq!(
            serde_json::to_string(&built).unwrap(),
            r#"{"price":35,"discount":35.5}"#,
            "35.00 is a whole amount"
        );
        let big = Decimal::from(u64::MAX);
        let written = serde_json::to_string(&Amounts {
            price: big,
            discount: None,
        })
        .unwrap();
        assert_eq!(written, format!(r#"{{"price":{},"discount":null}}"#, u64::MAX));
    }
}
