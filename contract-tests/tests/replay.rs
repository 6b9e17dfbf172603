//! Every cassette, replayed over HTTP on 127.0.0.1: the SDK must send exactly
//! the recorded request and decode the recorded response without losing a
//! field; and every documented rule must hold.

use contract_tests::cassette::{self, Cassette};
use contract_tests::rules::Verdict;
use contract_tests::spec::{self, Specs};
use contract_tests::suite;

fn load() -> (Specs, Vec<Cassette>) {
    let specs = Specs::load(&spec::default_dir()).expect("specs load");
    let cassettes = cassette::load_all(&cassette::default_dir()).expect("cassettes load");
    (specs, cassettes)
}

#[tokio::test]
async fn every_cassette_replays_exactly_and_every_rule_holds() {
    let (specs, cassettes) = load();
    assert!(!cassettes.is_empty(), "no cassettes found");
    let report = suite::run(&specs, &cassettes).await;
    let replays: Vec<String> = report
        .replay_failures
        .iter()
        .map(|(name, problems)| format!("{name}:\n    {}", problems.join("\n    ")))
        .collect();
    let rules: Vec<String> = report
        .rules
        .iter()
        .filter(|r| r.result == Verdict::Fail)
        .map(|r| format!("{}:\n    {}", r.id, r.failures.join("\n    ")))
        .collect();
    assert!(
        replays.is_empty() && rules.is_empty(),
        "{} of {} cassettes do not replay:\n{}\nfailed rules:\n{}",
        replays.len(),
        cassettes.len(),
        replays.join("\n"),
        rules.join("\n")
    );
}

#[test]
fn every_operation_has_a_success_and_an_error_cassette() {
    let (specs, cassettes) = load();
    let mut missing = Vec::new();
    for op in specs.operations() {
        let of_op: Vec<&Cassette> = cassettes
            .iter()
            .filter(|c| c.api() == op.api && c.operation == op.id)
            .collect();
        if !of_op.iter().any(|c| c.is_success()) {
            missing.push(format!("{} {}: no success", op.api, op.id));
        }
        if !of_op.iter().any(|c| c.response.status >= 400) {
            missing.push(format!("{} {}: no error", op.api, op.id));
        }
    }
    for cassette in &cassettes {
        if specs.operation(cassette.api(), &cassette.operation).is_none() {
            missing.push(format!(
                "{}: names no operation of spec/{}.yaml",
                cassette.name(),
                cassette.api()
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
