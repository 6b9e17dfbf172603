//! Timestamps written as the API writes them.
//!
//! Every timestamp of the APIs is UTC, and the API spells it with an offset:
//! `2021-11-24T08:45:02+00:00`. chrono's own `Serialize` writes `Z` for that
//! offset, so a cart read and written again would change the spelling of its
//! times. The generated fields write through [`crate::spelling`] instead (see
//! the generator's pass `timestamps`); reading is chrono's, which takes either.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::ser::Serializer;

use crate::spelling::Spelled;

/// RFC 3339 with `+00:00`, and fractional seconds only when there are some.
impl Spelled for DateTime<Utc> {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339_opts(SecondsFormat::AutoSi, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, serde::Serialize)]
    struct Times {
        #[serde(serialize_with = "crate::spelling::write")]
        created: DateTime<Utc>,
        #[serde(serialize_with = "crate::spelling::write_option")]
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
