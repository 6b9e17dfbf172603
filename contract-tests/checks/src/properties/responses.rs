//! Answers our specs describe decode into the SDK's types with nothing lost.

use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use serde_json::json;

use super::bodies::body_schemas;
use super::values::{sparse_answer_of, value_of};
use super::{CASES, config};
use crate::compare;
use crate::round_trip::round_trip as sdk_type;
use crate::spec::Specs;

/// `responses.round_trip`.
pub(super) fn round_trip(specs: &Specs) -> Result<u32, String> {
    round_trips(specs, value_of)
}

/// `responses.sparse`: answers that leave out, or send as `null`, any field
/// that is not identity or money decode, and what they carry comes back.
pub(super) fn sparse(specs: &Specs) -> Result<u32, String> {
    round_trips(specs, |doc, schema, _| sparse_answer_of(doc, schema))
}

/// Decodes and encodes again the JSON `strategy` makes of every response
/// body schema, and fails on any field lost, added or changed.
fn round_trips(
    specs: &Specs,
    strategy: fn(&serde_json::Value, &serde_json::Value, u32) -> proptest::strategy::BoxedStrategy<serde_json::Value>,
) -> Result<u32, String> {
    let schemas = body_schemas(specs, false);
    if schemas.len() < 16 {
        return Err(format!("only {} response bodies found in the specs", schemas.len()));
    }
    let mut failures = Vec::new();
    for body in &schemas {
        let (api, name) = (body.api, &body.name);
        let result = TestRunner::new(config()).run(&strategy(specs.doc(api), &body.schema, 0), |value| {
            let back = body.sdk_round_trip(&value).map_err(TestCaseError::fail)?;
            let lost: Vec<String> = compare::differences(&value, &back)
                .iter()
                .map(ToString::to_string)
                .collect();
            prop_assert!(lost.is_empty(), "{api} {name}: {value} came back as {back}: {lost:?}");
            Ok(())
        });
        if let Err(e) = result {
            failures.push(e.to_string());
        }
    }
    if failures.is_empty() {
        Ok(CASES * schemas.len() as u32)
    } else {
        Err(failures.join("\n"))
    }
}

/// `bodies.typed`.
pub(super) fn every_body_typed(specs: &Specs) -> Result<u32, String> {
    let bodies: Vec<_> = body_schemas(specs, true)
        .into_iter()
        .chain(body_schemas(specs, false))
        .collect();
    let untyped: Vec<String> = bodies
        .iter()
        .filter(|body| sdk_type(body.api, &body.operation, body.part, &json!(null)).is_none())
        .map(|body| {
            format!(
                "{} {}: the generated table has no SDK type for {} ({:?})",
                body.api, body.operation, body.name, body.part
            )
        })
        .collect();
    if untyped.is_empty() {
        Ok(bodies.len() as u32)
    } else {
        Err(untyped.join("\n"))
    }
}
