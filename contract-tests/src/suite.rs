//! The whole conformance run: replay every cassette, evaluate every rule,
//! count coverage per operation.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cassette::Cassette;
use crate::replay::{self, Replay};
use crate::rules::{self, Case, RuleResult, Verdict};
use crate::spec::Specs;

/// Recorded cases of one operation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Cassettes answering 2xx.
    pub success: usize,
    /// Cassettes answering 4xx or 5xx.
    pub error: usize,
}

/// The outcome of a conformance run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Every rule with its verdict.
    pub rules: Vec<RuleResult>,
    /// Recorded cases per operation id (`<api>/<operationId>` where two APIs share an id).
    pub coverage: BTreeMap<String, Coverage>,
    /// Cassettes that did not replay exactly, with why.
    pub replay_failures: BTreeMap<String, Vec<String>>,
    /// How many cassettes ran.
    pub cassettes: usize,
    /// Operations of the specs without a success or an error cassette, with
    /// what they lack: the gate fails on them, so a new operation is named
    /// until it has recordings.
    pub uncovered: Vec<String>,
}

impl Report {
    /// Whether anything failed (a rule, or a replay).
    pub fn failed(&self) -> bool {
        !self.replay_failures.is_empty()
            || !self.uncovered.is_empty()
            || self.rules.iter().any(|r| r.result == Verdict::Fail)
    }
}

/// Replays `cassettes` and evaluates the rules.
pub async fn run(specs: &Specs, cassettes: &[Cassette]) -> Report {
    let mut replays: Vec<Replay> = Vec::with_capacity(cassettes.len());
    let mut replay_failures = BTreeMap::new();
    for cassette in cassettes {
        let replayed = replay::replay(specs, cassette).await;
        let problems = replay::problems(cassette, &replayed);
        if !problems.is_empty() {
            replay_failures.insert(cassette.name(), problems);
        }
        replays.push(replayed);
    }
    let cases: Vec<Case<'_>> = cassettes
        .iter()
        .zip(&replays)
        .map(|(cassette, replay)| Case { cassette, replay })
        .collect();
    let subsets = replay::include_subsets().await;
    let rules = rules::evaluate(specs, &cases, &subsets);

    let mut coverage = BTreeMap::new();
    let mut uncovered = Vec::new();
    for op in specs.operations() {
        let shared = specs.operations().iter().filter(|o| o.id == op.id).count() > 1;
        let key = if shared {
            format!("{}/{}", op.api, op.id)
        } else {
            op.id.clone()
        };
        let mut counts = Coverage::default();
        for cassette in cassettes.iter().filter(|c| c.api() == op.api && c.operation == op.id) {
            match cassette.response.status {
                200..=299 => counts.success += 1,
                400..=599 => counts.error += 1,
                _ => {}
            }
        }
        let lacks: Vec<&str> = [(counts.success, "a success"), (counts.error, "an error")]
            .into_iter()
            .filter(|(count, _)| *count == 0)
            .map(|(_, what)| what)
            .collect();
        if !lacks.is_empty() {
            uncovered.push(format!(
                "{} {} ({} {}) has no cassette with {}: record one in cassettes/{}/",
                op.api,
                op.id,
                op.method,
                op.path,
                lacks.join(" or "),
                op.api
            ));
        }
        coverage.insert(key, counts);
    }
    Report {
        rules,
        coverage,
        replay_failures,
        cassettes: cassettes.len(),
        uncovered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An operation added to a spec, with no cassette yet, is named by the gate.
    #[tokio::test]
    async fn an_operation_without_cassettes_is_named() {
        let dir = tempfile::tempdir().unwrap();
        for api in crate::cassette::Api::ALL {
            let name = format!("{}.yaml", api.stem());
            let mut text = std::fs::read_to_string(crate::spec::default_dir().join(&name)).unwrap();
            if api == crate::cassette::Api::CartsV3 {
                text = text.replacen(
                    "paths:\n",
                    "paths:\n  /carts/{cartId}/notes:\n    get:\n      operationId: getCartNotes\n      responses:\n        '200':\n          description: ok\n",
                    1,
                );
            }
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let specs = Specs::load(dir.path()).unwrap();
        let report = run(&specs, &[]).await;
        assert!(report.failed());
        assert!(
            report.uncovered.iter().any(|u| u.starts_with(
                "carts.v3 getCartNotes (GET /carts/{cartId}/notes) has no cassette with a success or an error"
            )),
            "{:?}",
            report.uncovered
        );
    }
}
