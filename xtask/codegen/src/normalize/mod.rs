//! The normalization pass: rewrites an OpenAPI document into a form
//! progenitor 0.15 generates a correct client from.
//!
//! Each rule fixes one thing progenitor cannot take, keeps the meaning of the
//! document, and is listed in [`RULES`] in the order it runs. Rules work on the
//! document as a JSON tree so that they can report where they acted as a JSON
//! pointer and so that they run before anything is typed.

use anyhow::Result;
use serde_json::Value;

mod decimal_numbers;
mod integer_ids;
mod keep_unknown_fields;
mod lenient_ids;
mod media_type_headers;
mod merged;
mod one_error_response;
mod one_success_response;
mod open_response_enums;
mod operation_ids;
mod schema_titles;
mod tolerant_answers;
mod uuid_format;
mod walk;

pub use decimal_numbers::DECIMAL_FORMAT;
use decimal_numbers::decimal_numbers;
use integer_ids::integer_ids;
use keep_unknown_fields::keep_unknown_fields;
pub use lenient_ids::LENIENT_FORMAT;
use lenient_ids::lenient_ids;
use media_type_headers::media_type_headers;
pub use one_error_response::api_error_envelope;
use one_error_response::one_error_response;
use one_success_response::one_success_response;
use open_response_enums::open_response_enums;
use operation_ids::operation_ids;
use schema_titles::schema_titles;
pub use tolerant_answers::ABSENT_AS_DEFAULT;
use tolerant_answers::tolerant_answers;
use uuid_format::uuid_format;

/// One place a rule rewrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The rule's name, as listed in [`RULES`].
    pub rule: &'static str,
    /// JSON pointer of the rewritten place, in the document as read.
    pub pointer: String,
    /// What was rewritten, in a few words.
    pub detail: String,
}

/// A named normalization rule.
pub struct Rule {
    /// Stable name, used in summaries and in `spec/README.md`.
    pub name: &'static str,
    apply: fn(&mut Value, &mut Vec<Applied>) -> Result<()>,
}

/// Every rule, in the order they run. Operation ids come first because the
/// later rules and every error message name operations by them.
pub const RULES: &[Rule] = &[
    Rule {
        name: "operation_ids",
        apply: operation_ids,
    },
    Rule {
        name: "media_type_headers",
        apply: media_type_headers,
    },
    Rule {
        name: "schema_titles",
        apply: schema_titles,
    },
    Rule {
        name: "uuid_format",
        apply: uuid_format,
    },
    Rule {
        name: "integer_ids",
        apply: integer_ids,
    },
    Rule {
        name: "lenient_ids",
        apply: lenient_ids,
    },
    Rule {
        name: "decimal_numbers",
        apply: decimal_numbers,
    },
    Rule {
        name: "keep_unknown_fields",
        apply: keep_unknown_fields,
    },
    Rule {
        name: "tolerant_answers",
        apply: tolerant_answers,
    },
    Rule {
        name: "one_success_response",
        apply: one_success_response,
    },
    Rule {
        name: "one_error_response",
        apply: one_error_response,
    },
    Rule {
        name: "open_response_enums",
        apply: open_response_enums,
    },
];

/// Runs every rule over `doc` and lists where each one acted.
pub fn normalize(doc: &mut Value) -> Result<Vec<Applied>> {
    let mut applied = Vec::new();
    for rule in RULES {
        (rule.apply)(doc, &mut applied)?;
    }
    Ok(applied)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn run(rule: fn(&mut Value, &mut Vec<Applied>) -> Result<()>, mut doc: Value) -> (Value, Vec<Applied>) {
        let mut applied = Vec::new();
        rule(&mut doc, &mut applied).expect("rule runs");
        (doc, applied)
    }

    /// A vendored spec is stored normalized and normalized again when generated.
    #[test]
    fn normalizing_twice_changes_nothing_more() {
        for name in ["carts.v3", "abandoned_carts.v3", "carts.sf"] {
            let path = crate::generate::project_root().join(format!("spec/{name}.yaml"));
            let mut once = carts_openapi::load(&path).unwrap().doc;
            normalize(&mut once).unwrap();
            let mut twice = once.clone();
            let applied = normalize(&mut twice).unwrap();
            assert_eq!(applied, vec![], "{name}");
            assert_eq!(once, twice, "{name}");
        }
    }
}
