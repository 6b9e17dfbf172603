//! Reading answers: the one error type from every generated `send()`, and a
//! success body that does not fit its type named by the field that broke it.

use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorEnvelope};

/// Turns the generated call's result into the crate's: errors become
/// [`Error`]; a success body that does not decode is read again to name the
/// field where it went wrong (only then, so a good answer is decoded once).
pub(crate) fn finish<T, E>(
    result: Result<ResponseValue<T>, progenitor_client::Error<E>>,
) -> Result<ResponseValue<T>, Error>
where
    T: DeserializeOwned,
    E: ErrorEnvelope,
{
    match result {
        Ok(value) => Ok(value),
        Err(progenitor_client::Error::InvalidResponsePayload(bytes, error)) => Err(unfit::<T>(&bytes, &error)),
        Err(other) => Err(Error::from(other)),
    }
}

/// Reads an answer's body as `T`, as progenitor's `ResponseValue::from_response`
/// does, but keeps the answer's headers by moving them out of it rather than
/// copying them (the generator's pass `owned_headers` calls this instead).
pub(crate) async fn from_response<T, E>(
    response: reqwest::Response,
) -> Result<ResponseValue<T>, progenitor_client::Error<E>>
where
    T: DeserializeOwned,
{
    use http_body_util::BodyExt;

    let (parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
    let full = body
        .collect()
        .await
        .map_err(progenitor_client::Error::ResponseBodyError)?
        .to_bytes();
    match serde_json::from_slice(&full) {
        Ok(inner) => Ok(ResponseValue::new(inner, parts.status, parts.headers)),
        Err(error) => Err(progenitor_client::Error::InvalidResponsePayload(full, error)),
    }
}

/// The error for a body that does not fit `T`: the path of the field and
/// what was wrong there. Tokens in the message are redacted.
fn unfit<T: DeserializeOwned>(bytes: &[u8], error: &serde_json::Error) -> Error {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let (path, reason) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(located) => {
            let path = located.path().to_string();
            ((path != ".").then_some(path), located.into_inner().to_string())
        }
        Ok(_) => (None, error.to_string()),
    };
    Error::InvalidResponse {
        reason: format!(
            "the {} byte body does not fit the operation's type: {}",
            bytes.len(),
            crate::redact::redact_tokens(&reason)
        ),
        path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        parent_id: Option<i64>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        items: Vec<Item>,
    }

    #[test]
    fn a_body_that_does_not_fit_names_the_field() {
        let bytes = br#"{"items": [{"parent_id": 1}, {"parent_id": {}}]}"#;
        let error = serde_json::from_slice::<Body>(bytes).unwrap_err();
        let Error::InvalidResponse { path, reason } = unfit::<Body>(bytes, &error) else {
            panic!("an invalid response");
        };
        assert_eq!(path.as_deref(), Some("items[1].parent_id"));
        assert!(reason.contains("invalid type: map, expected i64"), "{reason}");
    }
}
