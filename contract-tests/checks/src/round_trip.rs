//! Bodies through the SDK's types: decoded into the type the SDK has for
//! one body of one operation, then encoded again. The table of types is
//! generated (`generated/bodies.rs`); a new operation needs no hand edit.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use crate::generated::bodies::round_trip;

/// Which body of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The request body.
    Request,
    /// The body of a success answer.
    Success,
    /// The body of an error answer.
    Error,
}

/// Decodes `value` as `T`; a failure names the field.
///
/// Every decode of an SDK type in the gate comes here. It reads from bytes, as the SDK reads an
/// answer that does not fit: each type's decoder is then compiled for that one reader, not again
/// for a `Value`.
pub fn decode<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    let bytes = serde_json::to_vec(value).map_err(|e| format!("does not serialize: {e}"))?;
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(&bytes)).map_err(|e| {
        let path = e.path().to_string();
        format!("does not decode at {path}: {}", e.into_inner())
    })
}

/// Decodes `value` as `T` and encodes it again; a failure names the field.
pub fn through<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let typed: T = decode(value)?;
    serde_json::to_value(typed).map_err(|e| format!("does not serialize: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cassette::Api;
    use serde_json::json;

    #[test]
    fn bodies_go_through_the_operation_types() {
        let cart = json!({"line_items": [{"quantity": 2, "product_id": 7}]});
        let sent = round_trip(Api::CartsV3, "createCart", Part::Request, &cart).expect("createCart has a body");
        assert_eq!(sent.unwrap(), cart);
        let refused = round_trip(Api::CartsV3, "createCart", Part::Request, &json!({"line_items": "no"}));
        assert!(refused.unwrap().unwrap_err().starts_with("does not decode"));
        assert!(round_trip(Api::CartsV3, "deleteCart", Part::Request, &json!({})).is_none());
    }
}
