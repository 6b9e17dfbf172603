//! The rule on error answers: the v3 envelope.

use serde_json::Value;

use super::{Checked, Evidence};
use crate::dispatch::Outcome;

/// `errors.envelope`.
pub(super) fn envelope(evidence: &Evidence<'_>) -> Checked {
    let mut checked = Checked::default();
    for case in evidence.cases.iter().filter(|c| c.cassette.response.status >= 400) {
        let Some(recorded) = &case.cassette.response.body else {
            continue;
        };
        let problems: Vec<String> = match &case.replay.outcome {
            Outcome::ErrorBody {
                body: Some(body),
                status,
            } => {
                let mut problems: Vec<String> = crate::compare::differences(recorded, body)
                    .iter()
                    .map(|m| format!("envelope {m}"))
                    .collect();
                if let Some(inner) = body.get("status").and_then(Value::as_u64)
                    && inner != u64::from(*status)
                {
                    problems.push(format!("envelope status {inner} differs from HTTP {status}"));
                }
                if !["status", "title", "type", "detail", "errors"]
                    .iter()
                    .any(|k| body.get(k).is_some())
                {
                    problems.push("none of status, title, type, detail, errors decoded".into());
                }
                problems
            }
            other => vec![format!("did not decode as the error envelope: {other:?}")],
        };
        let seen = if problems.is_empty() {
            let fields: Vec<&str> = ["status", "title", "type", "detail", "errors"]
                .into_iter()
                .filter(|k| recorded.get(k).is_some())
                .collect();
            format!("{} with {}", case.cassette.response.status, fields.join(", "))
        } else {
            problems.join("; ")
        };
        checked.check(case.name(), problems.is_empty(), seen);
    }
    checked
}
