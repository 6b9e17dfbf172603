//! The rule on what answers carry: every documented field.

use std::collections::BTreeMap;

use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;
use serde_json::Value;

use super::{Checked, Evidence};
use crate::cassette::Api;

/// `answers.documented_fields`: each recorded or live success answer carries
/// every field our spec marks as always present (`x-always-present`), at any
/// depth. The SDK reads answers without them; the gate is where a missing one
/// is news: a cassette that lacks one fails the build, and a nightly run
/// against a store that drops one says which field and where.
pub(super) fn documented_fields(evidence: &Evidence<'_>) -> Checked {
    let mut checked = Checked::default();
    let mut validators: BTreeMap<(Api, String, u16), Option<jsonschema::Validator>> = BTreeMap::new();
    for case in evidence.cases.iter().filter(|c| c.cassette.is_success()) {
        let Some(body) = &case.cassette.response.body else {
            continue;
        };
        let api = case.cassette.api();
        let status = case.cassette.response.status;
        let key = (api, case.cassette.operation.clone(), status);
        let validator = validators.entry(key).or_insert_with(|| {
            let op = evidence.specs.operation(api, &case.cassette.operation)?;
            let schema = evidence.specs.response_schema(op, status)?;
            jsonschema::draft7::new(&evidence.specs.documented_json_schema(api, &schema)).ok()
        });
        let Some(validator) = validator else {
            continue;
        };
        let missing = missing_fields(validator, body);
        let seen = if missing.is_empty() {
            "every documented field present".to_string()
        } else {
            format!("missing {}", missing.join(", "))
        };
        checked.check(case.name(), missing.is_empty(), seen);
    }
    checked
}

/// The documented fields `body` lacks, each as the JSON pointer it should
/// have had (`/data/line_items/physical_items/0/sku`).
fn missing_fields(validator: &jsonschema::Validator, body: &Value) -> Vec<String> {
    let mut missing = Vec::new();
    for error in validator.iter_errors(body) {
        collect_missing(&error, &mut missing);
    }
    missing.sort();
    missing.dedup();
    missing
}

/// Adds the missing fields `error` stands for. A union (`anyOf`, `oneOf`,
/// and the `null` alternative of a nullable object) fails as a whole; its
/// form that the answer comes closest to, the one with the fewest errors
/// other than missing fields, says which fields are missing.
fn collect_missing(error: &ValidationError<'_>, missing: &mut Vec<String>) {
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().map_or_else(|| property.to_string(), str::to_string);
            missing.push(format!("{}/{}", pointer(error), carts_openapi::escape(&name)));
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            let closest = context.iter().min_by_key(|form| {
                let other = form
                    .iter()
                    .filter(|e| !matches!(e.kind(), ValidationErrorKind::Required { .. }))
                    .count();
                (other, form.len())
            });
            for inner in closest.into_iter().flatten() {
                collect_missing(inner, missing);
            }
        }
        _ => {}
    }
}

/// Where in the answer `error` is, as a JSON pointer.
fn pointer(error: &ValidationError<'_>) -> String {
    let mut at = String::new();
    for segment in error.instance_path().segments() {
        match segment {
            LocationSegment::Property(name) => at.push_str(&format!("/{}", carts_openapi::escape(&name))),
            LocationSegment::Index(index) => at.push_str(&format!("/{index}")),
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_missing_field_is_named_by_where_it_should_be() {
        let schema = carts_openapi::self_contained(
            &carts_openapi::documented(&json!({"components": {"schemas": {"Item": {
                "type": "object", "required": ["id"], "x-always-present": ["sku"],
                "properties": {"id": {"type": "integer"}, "sku": {"type": "string"}}
            }}}})),
            &json!({"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}}),
        );
        let validator = jsonschema::draft7::new(&schema).unwrap();
        let body = json!({"items": [{"id": 1, "sku": "a"}, {"id": 2}, {"sku": "c"}]});
        assert_eq!(missing_fields(&validator, &body), vec!["/items/1/sku", "/items/2/id"]);
        assert_eq!(missing_fields(&validator, &json!({"items": []})), Vec::<String>::new());
    }

    #[test]
    fn a_field_missing_inside_a_nullable_object_is_named_too() {
        let schema = carts_openapi::self_contained(
            &json!({}),
            &carts_openapi::documented(&json!({"type": "object", "properties": {"wrapping": {
                "type": "object", "nullable": true, "x-always-present": ["name"],
                "properties": {"name": {"type": "string"}}
            }}})),
        );
        let validator = jsonschema::draft7::new(&schema).unwrap();
        assert_eq!(
            missing_fields(&validator, &json!({"wrapping": {}})),
            vec!["/wrapping/name"]
        );
        assert_eq!(
            missing_fields(&validator, &json!({"wrapping": null})),
            Vec::<String>::new()
        );
    }
}
