//! Decoding unions (`oneOf`/`anyOf` in the specs): each form is tried in
//! order, and a body that fits none says why each one failed, with the path
//! of the field that broke it. The generated unions call these (see the
//! generator's pass `union_errors`).

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes `value` as one form of a union, or says where and why not.
pub(crate) fn variant<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        if path == "." {
            error.into_inner().to_string()
        } else {
            format!("at {path}: {}", error.into_inner())
        }
    })
}

/// The message for a value that fits no form of the union `name`.
pub(crate) fn no_fit(name: &str, failures: &[(&str, String)]) -> String {
    let reasons: Vec<String> = failures.iter().map(|(form, why)| format!("as {form}, {why}")).collect();
    format!("fits none of the forms of {name} ({})", reasons.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_name_the_form_and_the_field() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Wrapped {
            data: Inner,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            parent_id: Option<i64>,
        }
        let value = serde_json::json!({"data": {"parent_id": {}}});
        let why = variant::<Wrapped>(&value).unwrap_err();
        assert!(why.starts_with("at data.parent_id: invalid type: map"), "{why}");
        let message = no_fit(
            "CartLineItemDeleteResponse",
            &[("Wrapped", why), ("Bare", "missing field `id`".into())],
        );
        assert!(
            message.starts_with("fits none of the forms of CartLineItemDeleteResponse (as Wrapped, at data.parent_id:"),
            "{message}"
        );
        assert!(message.ends_with("; as Bare, missing field `id`)"), "{message}");
    }
}
