//! Timestamps written as the API writes them.
//!
//! Every timestamp of the APIs is UTC, and the API spells it with an offset:
//! `2021-11-24T08:45:02+00:00`. chrono's own `Serialize` writes `Z` for that
//! offset, so a cart read and written again would change the spelling of its
//! times. The generated fields write through these instead (see the
//! generator's pass `timestamps`); reading is chrono's, which takes either.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde::ser::Serializer;

/// Writes `value` as RFC 3339 with `+00:00`, and fractional seconds only
/// when it has them.
pub(crate) fn write<S: Serializer>(value: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_rfc3339_opts(SecondsFormat::AutoSi, false))
}

/// Writes an optional timestamp as [`write`] does, `None` as `null`.
pub(crate) fn write_option<S: Serializer>(value: &Option<DateTime<Utc>>, serializer: S) -> Result<S::Ok, S::Error> {
    struct Written<'a>(&'a DateTime<Utc>);

    impl Serialize for Written<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            write(self.0, serializer)
        }
    }

    match value {
        Some(value) => serializer.serialize_some(&Written(value)),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, serde::Serialize)]
    struct Times {
        #[serde(serialize_with = "write")]
        created: DateTime<Utc>,
        #[serde(serialize_with = "write_option")]
        deleted: Option<DateTime<Utc>>,
    }

    fn again(json: &str) -> String {
        serde_json::to_string(&serde_json::from_str::<Times>(json).unwrap()).unwrap()
    }

    #[test]
    fn times_are_written_with_the_offset_as_the_api_writes_them() {
        assert_eq!(
            again(r#"{"created":"2021-11-24T08:45:02+00:00","deleted":null}"#),
            r#"{"created":"2021-11-24T08:45:02+00:00","deleted":null}"#
        );
        assert_eq!(
            again(r#"{"created":"2018-09-17T14:27:39.250Z","deleted":"2018-09-17T16:27:39+02:00"}"#),
            r#"{"created":"2018-09-17T14:27:39.250+00:00","deleted":"2018-09-17T14:27:39+00:00"}"#
        );
    }
}
