//! Judging what a run saw: replay every cassette (recorded, and the live
//! scenario's), evaluate the rules, count recorded cases per operation.

use std::collections::BTreeMap;

use futures_util::StreamExt;
use serde::Serialize;

use crate::cassette::Cassette;
use crate::live::Session;
use crate::properties::PropertyResult;
use crate::replay::{self, Replay};
use crate::rules::{self, Case, Evidence, Filter, RuleResult, Verdict};
use crate::spec::Specs;

/// Replays in flight at once: each has its own server on 127.0.0.1.
const REPLAYS_AT_ONCE: usize = 16;

/// Recorded cases of one operation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Cassettes answering 2xx.
    pub success: usize,
    /// Cassettes answering 4xx or 5xx.
    pub error: usize,
}

/// The live part of a run.
#[derive(Debug, Clone, Serialize)]
pub struct LiveReport {
    /// What the scenario talked to (the API base URL; no secret).
    pub target: String,
    /// API calls made (each replayed like a cassette).
    pub interactions: usize,
    /// What it saw of state.
    pub observations: crate::rules::Observations,
    /// Why the scenario stopped, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The outcome of a conformance run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Every rule judged, with its verdict and cases.
    pub rules: Vec<RuleResult>,
    /// Every property, with its verdict (empty when they were not run).
    pub properties: Vec<PropertyResult>,
    /// Recorded cases per operation id (`<api>/<operationId>` where two APIs share an id).
    pub coverage: BTreeMap<String, Coverage>,
    /// Cassettes (recorded or live) that did not replay exactly, with why.
    pub replay_failures: BTreeMap<String, Vec<String>>,
    /// How many recorded cassettes ran.
    pub cassettes: usize,
    /// Operations of the specs without a success or an error cassette, with
    /// what they lack: the gate fails on them, so a new operation is named
    /// until it has recordings.
    pub uncovered: Vec<String>,
    /// The live scenario, when it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<LiveReport>,
}

impl Report {
    /// Whether anything failed: a rule, a property, a replay, coverage, the live scenario.
    pub fn failed(&self) -> bool {
        !self.replay_failures.is_empty()
            || !self.uncovered.is_empty()
            || self.rules.iter().any(|r| r.result == Verdict::Fail)
            || self.properties.iter().any(|p| !p.passed)
            || self.live.as_ref().is_some_and(|l| l.error.is_some())
    }
}

/// What the live part of a run gave: a session, or why there is none.
pub enum Live<'a> {
    /// The scenario did not run.
    NotRun,
    /// It ran against `target`.
    Ran {
        /// The API base URL.
        target: String,
        /// What it gave.
        session: &'a Session,
    },
    /// It stopped early against `target`.
    Stopped {
        /// The API base URL.
        target: String,
        /// Why.
        error: String,
    },
}

/// Replays the recorded cassettes and the live session's, and judges the
/// rules `filter` selects.
pub async fn run(specs: &Specs, recorded: &[Cassette], live: &Live<'_>, filter: &Filter) -> Report {
    let live_cassettes: &[Cassette] = match live {
        Live::Ran { session, .. } => &session.cassettes,
        _ => &[],
    };
    let all: Vec<&Cassette> = recorded.iter().chain(live_cassettes).collect();
    let replays: Vec<Replay> = futures_util::stream::iter(all.iter().map(|c| replay::replay(specs, c)))
        .buffered(REPLAYS_AT_ONCE)
        .collect()
        .await;
    let mut replay_failures = BTreeMap::new();
    for (cassette, replayed) in all.iter().zip(&replays) {
        let problems = replay::problems(cassette, replayed);
        if !problems.is_empty() {
            replay_failures.insert(cassette.name(), problems);
        }
    }
    let cases: Vec<Case<'_>> = all
        .iter()
        .zip(&replays)
        .map(|(cassette, replay)| Case { cassette, replay })
        .collect();
    let include_encoding = replay::include_subsets().await;
    let evidence = Evidence {
        specs,
        cases: &cases,
        include_encoding: &include_encoding,
        observations: match live {
            Live::Ran { session, .. } => Some(&session.observations),
            _ => None,
        },
    };
    let rules = rules::evaluate(&evidence, filter);
    // Coverage is of the recorded cassettes; a run without them (live only) has none to judge.
    let (coverage, uncovered) = if recorded.is_empty() && !matches!(live, Live::NotRun) {
        Default::default()
    } else {
        coverage(specs, recorded)
    };
    let live = match live {
        Live::NotRun => None,
        Live::Ran { target, session } => Some(LiveReport {
            target: target.clone(),
            interactions: session.cassettes.len(),
            observations: session.observations.clone(),
            error: None,
        }),
        Live::Stopped { target, error } => Some(LiveReport {
            target: target.clone(),
            interactions: 0,
            observations: Default::default(),
            error: Some(error.clone()),
        }),
    };
    Report {
        rules,
        properties: Vec::new(),
        coverage,
        replay_failures,
        cassettes: recorded.len(),
        uncovered,
        live,
    }
}

/// Recorded cases per operation, and the operations lacking a success or an error.
fn coverage(specs: &Specs, cassettes: &[Cassette]) -> (BTreeMap<String, Coverage>, Vec<String>) {
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
    for cassette in cassettes {
        if specs.operation(cassette.api(), &cassette.operation).is_none() {
            uncovered.push(format!(
                "{}: names no operation of spec/{}.yaml",
                cassette.name(),
                cassette.api()
            ));
        }
    }
    (coverage, uncovered)
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
        let report = run(&specs, &[], &Live::NotRun, &Filter::all()).await;
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
