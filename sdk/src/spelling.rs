//! Values written in the API's own spelling: money ([`crate::money`]) and
//! times ([`crate::time`]), and `Option`s of them. The generated fields name
//! [`write`] and [`write_option`] in `serialize_with` (the generator's passes
//! `decimal_schemas` and `timestamps`).

use serde::Serialize;
use serde::ser::Serializer;

/// A value the SDK writes its own way rather than through its `Serialize`.
pub(crate) trait Spelled {
    /// Writes the value as the API writes it.
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Writes `value` as the API writes it.
pub(crate) fn write<T: Spelled, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.write(serializer)
}

/// Writes an optional value as [`write`] does, `None` as `null`.
pub(crate) fn write_option<T: Spelled, S: Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
    struct Written<'a, T>(&'a T);

    impl<T: Spelled> Serialize for Written<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.0.write(serializer)
        }
    }

    match value {
        Some(value) => serializer.serialize_some(&Written(value)),
        None => serializer.serialize_none(),
    }
}
