//! Money amounts: exact decimals inside, JSON numbers on the wire.
//!
//! The API sends amounts as JSON numbers (`14.5`, `129.8`, `100`), and clients compare them as
//! numbers. Arithmetic on binary floats would drift (`0.1 + 0.2`), so amounts are
//! `rust_decimal::Decimal` while the simulator computes, and only become a JSON number when
//! written: whole amounts as integers (`35`, also when the decimal is `35.00`), others as the
//! shortest float that reads back as the same decimal (`35.5`).
//!
//! The SDK writes the amounts of its requests the same way (`sdk/src/money.rs`), so one amount has
//! one spelling on either side of the wire; the table in `contract-tests/tests/it/money.rs` holds
//! both writers to it.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount of money, exact, written as a JSON number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub Decimal);

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// The amount as a decimal.
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl From<Decimal> for Money {
    fn from(value: Decimal) -> Self {
        Money(value)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self.0.normalize();
        if value.scale() == 0 {
            if let Some(whole) = value.to_i64() {
                return serializer.serialize_i64(whole);
            }
            if let Some(whole) = value.to_u64() {
                return serializer.serialize_u64(whole);
            }
        }
        match value.to_f64() {
            Some(float) if float.is_finite() => serializer.serialize_f64(float),
            // Cannot happen for a Decimal (at most about 7.9e28), but a string is still better
            // than failing the whole answer.
            _ => serializer.serialize_str(&value.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MoneyVisitor)
    }
}

struct MoneyVisitor;

impl Visitor<'_> for MoneyVisitor {
    type Value = Money;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an amount of money as a number")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
        Ok(Money(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
        Ok(Money(Decimal::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
        // Rust prints the shortest decimal that reads back as the same float, so 62.99 arrives
        // as exactly 62.99 rather than as the binary float's long expansion.
        if !v.is_finite() {
            return Err(E::custom("an amount must be a finite number"));
        }
        Decimal::from_str(&v.to_string())
            .map(Money)
            .map_err(|_| E::custom("the amount is out of range"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
        Decimal::from_str(v.trim())
            .map(Money)
            .map_err(|_| E::custom("the amount is not a decimal number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn whole_amounts_are_integers_and_others_short_floats() {
        let m = |s: &str| Money(Decimal::from_str(s).unwrap());
        assert_eq!(serde_json::to_value(m("35.00")).unwrap(), json!(35));
        assert_eq!(serde_json::to_value(m("62.99")).unwrap(), json!(62.99));
        assert_eq!(serde_json::to_string(&m("129.80")).unwrap(), "129.8");
        assert_eq!(serde_json::to_string(&m("-0.10")).unwrap(), "-0.1");
    }

    #[test]
    fn numbers_read_back_exactly() {
        let read = |v: serde_json::Value| serde_json::from_value::<Money>(v).unwrap().0.to_string();
        assert_eq!(read(json!(62.99)), "62.99");
        assert_eq!(read(json!(0.1)), "0.1");
        assert_eq!(read(json!(40)), "40");
        assert_eq!(read(json!("12.50")), "12.50");
        let sum = serde_json::from_value::<Money>(json!(0.1)).unwrap().0
            + serde_json::from_value::<Money>(json!(0.2)).unwrap().0;
        assert_eq!(sum.to_string(), "0.3", "decimal arithmetic does not drift");
        assert!(serde_json::from_value::<Money>(json!(1e300)).is_err());
        assert!(serde_json::from_value::<Money>(json!("lots")).is_err());
    }
}
