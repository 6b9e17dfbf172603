//! The conformance report in its three forms: a table for people,
//! `report.json` for tools, `junit.xml` for CI test views.

use std::fmt::Write as _;
use std::path::Path;

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
use serde_json::{Value, json};

use crate::rules::Verdict;
use crate::suite::Report;

/// `{"rules": [{"id", "description", "cases", "result"}], "coverage": {...}}`,
/// plus each failed rule's `failures` and the cassettes that did not replay.
pub fn to_json(report: &Report) -> Value {
    json!({
        "rules": report.rules,
        "coverage": report.coverage,
        "cassettes": report.cassettes,
        "replay_failures": report.replay_failures,
        "uncovered": report.uncovered,
    })
}

/// A JUnit XML document: one test case per rule and one per cassette replay.
pub fn to_junit(report: &Report) -> String {
    let mut rules = TestSuite::new("conformance rules");
    for rule in &report.rules {
        let status = match rule.result {
            Verdict::Pass => TestCaseStatus::success(),
            Verdict::NotCheckable => {
                let mut status = TestCaseStatus::skipped();
                status.set_message(rule.failures.join("; "));
                status
            }
            Verdict::Fail => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_message(format!("{} of {} cases fail", rule.failures.len(), rule.cases));
                status.set_description(rule.failures.join("\n"));
                status
            }
        };
        let mut case = TestCase::new(rule.id, status);
        case.set_classname("rules").set_assertions(rule.cases);
        rules.add_test_case(case);
    }
    let mut replays = TestSuite::new("cassette replays");
    for (name, problems) in &report.replay_failures {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status
            .set_message(format!("{} differences", problems.len()))
            .set_description(problems.join("\n"));
        let mut case = TestCase::new(name.as_str(), status);
        case.set_classname("replays");
        replays.add_test_case(case);
    }
    for operation in &report.uncovered {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status.set_message(operation.as_str());
        let mut case = TestCase::new(format!("coverage: {operation}"), status);
        case.set_classname("coverage");
        replays.add_test_case(case);
    }
    let passed = report.cassettes.saturating_sub(report.replay_failures.len());
    let mut case = TestCase::new(format!("{passed} cassettes replay exactly"), TestCaseStatus::success());
    case.set_classname("replays");
    replays.add_test_case(case);
    let mut junit = quick_junit::Report::new("bigcommerce-carts conformance");
    junit.add_test_suites([rules, replays]);
    junit.to_string().unwrap_or_default()
}

/// The rules as a fixed-width table, then coverage and replay figures.
pub fn to_table(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:<28} {:>5}  {:<13} what it checks", "rule", "cases", "result");
    for rule in &report.rules {
        let result = match rule.result {
            Verdict::Pass => "pass",
            Verdict::Fail => "FAIL",
            Verdict::NotCheckable => "not_checkable",
        };
        let what: String = rule.description.chars().take(88).collect();
        let ellipsis = if rule.description.chars().count() > 88 {
            "..."
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:<28} {:>5}  {:<13} {what}{ellipsis}",
            rule.id, rule.cases, result
        );
        if rule.result == Verdict::Fail {
            for failure in rule.failures.iter().take(10) {
                let _ = writeln!(out, "{:>36}- {failure}", "");
            }
        }
    }
    let covered = report
        .coverage
        .values()
        .filter(|c| c.success > 0 && c.error > 0)
        .count();
    let _ = writeln!(
        out,
        "\ncassettes: {} ({} replay exactly); operations with a success and an error case: {covered}/{}",
        report.cassettes,
        report.cassettes - report.replay_failures.len(),
        report.coverage.len()
    );
    for operation in &report.uncovered {
        let _ = writeln!(out, "uncovered FAIL {operation}");
    }
    for (name, problems) in &report.replay_failures {
        let _ = writeln!(out, "replay FAIL {name}");
        for problem in problems.iter().take(10) {
            let _ = writeln!(out, "    {problem}");
        }
    }
    out
}

/// Writes `report.json` and `junit.xml` into `dir`, each through a temporary
/// file renamed into place.
pub fn write(report: &Report, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let json = serde_json::to_string_pretty(&to_json(report)).map_err(std::io::Error::other)?;
    write_atomically(&dir.join("report.json"), json.as_bytes())?;
    write_atomically(&dir.join("junit.xml"), to_junit(report).as_bytes())
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = path.with_extension("partial");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleResult;
    use crate::suite::Coverage;

    fn report() -> Report {
        let rule = |id, result, failures: Vec<&str>| RuleResult {
            id,
            description: "what",
            cases: 2,
            result,
            failures: failures.into_iter().map(String::from).collect(),
        };
        Report {
            rules: vec![
                rule("a.pass", Verdict::Pass, vec![]),
                rule("b.fail", Verdict::Fail, vec!["case x broke"]),
                rule("c.later", Verdict::NotCheckable, vec!["needs time"]),
            ],
            coverage: [("getCart".to_string(), Coverage { success: 1, error: 2 })]
                .into_iter()
                .collect(),
            replay_failures: Default::default(),
            cassettes: 3,
            uncovered: vec!["carts.v3 listCarts (GET /carts) has no cassette with a success".to_string()],
        }
    }

    #[test]
    fn json_has_the_documented_shape() {
        let json = to_json(&report());
        assert_eq!(
            json["rules"][0],
            json!({"id": "a.pass", "description": "what", "cases": 2, "result": "pass"})
        );
        assert_eq!(json["rules"][1]["result"], "fail");
        assert_eq!(json["rules"][2]["result"], "not_checkable");
        assert_eq!(json["coverage"]["getCart"], json!({"success": 1, "error": 2}));
    }

    #[test]
    fn junit_marks_failures_and_skips() {
        let xml = to_junit(&report());
        assert!(xml.contains("<testcase name=\"b.fail\""), "{xml}");
        assert!(xml.contains("<failure message=\"1 of 2 cases fail\""), "{xml}");
        assert!(xml.contains("<skipped message=\"needs time\""), "{xml}");
        assert!(xml.contains("coverage: carts.v3 listCarts"), "{xml}");
    }

    #[test]
    fn table_lists_failures_under_their_rule() {
        let table = to_table(&report());
        assert!(table.contains("b.fail                           2  FAIL"), "{table}");
        assert!(table.contains("- case x broke"), "{table}");
        assert!(
            table.contains("uncovered FAIL carts.v3 listCarts (GET /carts) has no cassette with a success"),
            "{table}"
        );
    }
}
