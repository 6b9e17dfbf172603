//! What answers send in more than one form. Identifiers arrive as a number or
//! as a numeric string (`6` or `"6"`): the published storefront examples send
//! `parentId` both ways. The generated fields are `i64` (see the generator's
//! pass `lenient_ids`) and decode through these; they are always sent as
//! numbers. Lists may be absent or `null` in older answers.

use serde::{Deserialize, Deserializer};

/// A number, or a string of digits (with an optional minus).
#[derive(Deserialize)]
#[serde(untagged)]
enum NumberOrText {
    Number(i64),
    Text(String),
}

impl NumberOrText {
    fn into_i64<E: serde::de::Error>(self) -> Result<i64, E> {
        match self {
            NumberOrText::Number(n) => Ok(n),
            NumberOrText::Text(text) => text.trim().parse().map_err(|_| {
                E::invalid_value(
                    serde::de::Unexpected::Str(&text),
                    &"an integer id, as a number or a numeric string",
                )
            }),
        }
    }
}

/// Reads an `i64` id from a number or a numeric string. The generator names
/// it for a required lenient id; today's specs have only optional ones.
#[allow(dead_code)]
pub(crate) fn i64_or_numeric_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    NumberOrText::deserialize(deserializer).and_then(NumberOrText::into_i64)
}

/// Reads an optional `i64` id: `null`, a number or a numeric string.
pub(crate) fn option_i64_or_numeric_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    Option::<NumberOrText>::deserialize(deserializer)?
        .map(NumberOrText::into_i64)
        .transpose()
}

/// Reads a list, or a group of lists, that an answer may leave out or send as
/// `null`: either reads as the default, an empty list (the generator's pass
/// `absent_defaults` puts it on such fields, with `#[serde(default)]` for the
/// absent case). Both are exact: no item was sent.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Item {
        #[serde(default, deserialize_with = "option_i64_or_numeric_string")]
        parent_id: Option<i64>,
        #[serde(deserialize_with = "i64_or_numeric_string")]
        id: i64,
    }

    #[test]
    fn numbers_and_numeric_strings_are_the_same_id() {
        let read = |json: &str| serde_json::from_str::<Item>(json);
        assert_eq!(read(r#"{"parent_id": 6, "id": 1}"#).unwrap().parent_id, Some(6));
        assert_eq!(
            read(r#"{"parent_id": "6", "id": "1"}"#).unwrap(),
            Item {
                parent_id: Some(6),
                id: 1
            }
        );
        assert_eq!(read(r#"{"parent_id": null, "id": 1}"#).unwrap().parent_id, None);
        assert_eq!(read(r#"{"id": 1}"#).unwrap().parent_id, None);
        let error = read(r#"{"parent_id": "six", "id": 1}"#).unwrap_err().to_string();
        assert!(
            error.contains("an integer id, as a number or a numeric string"),
            "{error}"
        );
        assert!(read(r#"{"parent_id": {}, "id": 1}"#).is_err());
    }
}
