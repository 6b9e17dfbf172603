//! The body schemas of every operation, each with the SDK type that reads it.

use serde_json::Value;

use crate::cassette::Api;
use crate::round_trip::{Part, round_trip};
use crate::spec::Specs;

/// One body schema of the specs, with an operation whose SDK type decodes it.
pub(super) struct BodySchema {
    pub api: Api,
    /// The component it names, or `[X]` for an inline array of X.
    pub name: String,
    pub operation: String,
    pub part: Part,
    pub schema: Value,
}

impl BodySchema {
    /// Decodes `value` with the SDK type of this body and encodes it again.
    pub fn sdk_round_trip(&self, value: &Value) -> Result<Value, String> {
        round_trip(self.api, &self.operation, self.part, value).unwrap_or_else(|| {
            Err(format!(
                "{} {} has no SDK type for its {:?} body",
                self.api, self.operation, self.part
            ))
        })
    }
}

/// Request or response body schemas of every operation, each schema once per API.
pub(super) fn body_schemas(specs: &Specs, requests: bool) -> Vec<BodySchema> {
    let mut out: Vec<BodySchema> = Vec::new();
    for op in specs.operations() {
        let schemas: Vec<(Part, Value)> = if requests {
            specs
                .request_schema(op)
                .map(|s| (Part::Request, s))
                .into_iter()
                .collect()
        } else {
            op.statuses
                .iter()
                .filter_map(|status| status.parse::<u16>().ok())
                .filter_map(|status| {
                    let part = if status < 400 { Part::Success } else { Part::Error };
                    specs.response_schema(op, status).map(|s| (part, s))
                })
                .collect()
        };
        for (part, schema) in schemas {
            let name = schema_name(&schema);
            if !out.iter().any(|b| b.api == op.api && b.name == name) {
                out.push(BodySchema {
                    api: op.api,
                    name,
                    operation: op.id.clone(),
                    part,
                    schema,
                });
            }
        }
    }
    out
}

fn schema_name(schema: &Value) -> String {
    let component = |s: &Value| {
        s.get("$ref")
            .and_then(Value::as_str)
            .map(|r| r.rsplit('/').next().unwrap_or(r).to_string())
    };
    if let Some(name) = component(schema) {
        return name;
    }
    let items = schema.get("items").cloned().unwrap_or_default();
    format!(
        "[{}]",
        component(&items)
            .or_else(|| items.get("type").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_default()
    )
}
