//! What the passes must change, read from the normalized document, and the
//! ledger that holds each pass to it.
//!
//! Most passes find their place by the shape of progenitor's or typify's
//! output (a path spelled `ResponseValue::from_response`, a field typed
//! `::chrono::DateTime<::chrono::offset::Utc>`). When a release of either
//! changes that shape, a pass would match nothing and the SDK would quietly
//! lose what it adds. The spec says where each pass has work to do, so
//! generation fails, naming the pass, when it did less than that.

use std::fmt;

use carts_openapi::{deref, operations, parameters};
use serde_json::Value;

use crate::normalize::{DECIMAL_FORMAT, LENIENT_FORMAT};

/// What one pass changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassReport {
    /// The pass, as its module is named.
    pub name: &'static str,
    /// How many places it changed.
    pub changed: usize,
}

impl fmt::Display for PassReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.changed)
    }
}

/// The places in a normalized document where the passes have work to do.
#[derive(Debug, Default)]
pub(super) struct Needs {
    /// Operations: each has a builder with a `send()` and a constructor.
    pub operations: usize,
    /// Operations with at least one answer that has a body, which progenitor
    /// reads with `ResponseValue::from_response`.
    pub answers_with_body: usize,
    /// Optional query parameters, over all operations.
    pub optional_queries: usize,
    /// Parameters, over all operations: each has a setter whose conversion
    /// error names a type in a string literal. (A request body's setter may
    /// write its message with `format!`, whose literal the pass does not
    /// reach, so bodies are not counted.)
    pub parameters: usize,
    /// Whether a schema is a `date-time` string.
    pub date_times: bool,
    /// Whether a schema is a lenient id.
    pub lenient_ids: bool,
    /// Whether a schema is an exact decimal.
    pub decimals: bool,
    /// Whether a schema is a union (`oneOf`, `anyOf`).
    pub unions: bool,
    /// Whether an object keeps unknown fields and requires none of its own.
    pub open_optional_objects: bool,
    /// Whether the document has component schemas.
    pub schemas: bool,
}

impl Needs {
    /// Reads `doc`.
    pub fn of(doc: &Value) -> Self {
        let mut needs = Needs::default();
        for op in operations(doc) {
            needs.operations += 1;
            let operation = doc.pointer(&op.pointer).map(|o| deref(doc, o)).unwrap_or(&Value::Null);
            let has_body = operation
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .any(|(_, response)| deref(doc, response).get("content").is_some());
            needs.answers_with_body += usize::from(has_body);
            let params = parameters(doc, &op.path, &op.method);
            needs.optional_queries += params.iter().filter(|p| p.location == "query" && !p.required).count();
            needs.parameters += params.len();
        }
        needs.schemas = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .is_some_and(|schemas| !schemas.is_empty());
        visit_objects(doc, &mut |object| {
            let format = object.get("format").and_then(Value::as_str);
            let kind = object.get("type").and_then(Value::as_str);
            needs.date_times |= kind == Some("string") && format == Some("date-time");
            needs.lenient_ids |= format == Some(LENIENT_FORMAT);
            needs.decimals |= kind == Some("number") && format == Some(DECIMAL_FORMAT);
            needs.unions |= object.contains_key("oneOf") || object.contains_key("anyOf");
            let keeps_unknown = object
                .get("additionalProperties")
                .and_then(Value::as_object)
                .is_some_and(serde_json::Map::is_empty);
            let requires_none = object
                .get("required")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty);
            needs.open_optional_objects |= object.contains_key("properties") && keeps_unknown && requires_none;
        });
        needs
    }
}

/// Calls `visit` on every JSON object in `value`.
fn visit_objects(value: &Value, visit: &mut dyn FnMut(&serde_json::Map<String, Value>)) {
    match value {
        Value::Object(map) => {
            visit(map);
            for value in map.values() {
                visit_objects(value, visit);
            }
        }
        Value::Array(items) => {
            for value in items {
                visit_objects(value, visit);
            }
        }
        _ => {}
    }
}

/// What the passes changed, and where one did less than it must.
#[derive(Debug, Default)]
pub(super) struct Ledger {
    pub reports: Vec<PassReport>,
    failures: Vec<String>,
}

impl Ledger {
    /// Records what pass `name` changed.
    pub fn record(&mut self, name: &'static str, changed: usize) {
        self.reports.push(PassReport { name, changed });
    }

    /// Holds pass `name` to changing at least `at_least` places, because of
    /// what the spec holds (`because`). Records a failure otherwise.
    pub fn require(&mut self, name: &'static str, changed: usize, at_least: usize, because: &str) {
        if changed < at_least {
            self.failures.push(format!(
                "pass {name} changed {changed} places, where {because} calls for at least {at_least}"
            ));
        }
    }

    /// The reports, or an error naming every pass that fell short.
    pub fn finish(self) -> anyhow::Result<Vec<PassReport>> {
        if self.failures.is_empty() {
            return Ok(self.reports);
        }
        anyhow::bail!(
            "{}; {SHAPE}, so the pass has to change with it",
            self.failures.join("; ")
        )
    }
}

/// Why a pass finds less than it should.
pub(super) const SHAPE: &str =
    "the generator's output may have changed shape (as after a progenitor or typify upgrade)";
