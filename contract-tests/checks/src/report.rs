//! The conformance report in its four forms: a table for the terminal,
//! Markdown for a CI job summary, `report.json` for tools (with every case
//! behind each rule) and `junit.xml` for CI test views.

use std::fmt::Write as _;
use std::path::Path;

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
use serde_json::Value;

use crate::rules::{RuleResult, Verdict};
use crate::suite::Report;

/// The whole report as JSON: rules (with the cases behind each), properties,
/// coverage, replay failures, the live scenario and what it saw.
pub fn to_json(report: &Report) -> Value {
    serde_json::to_value(report).unwrap_or(Value::Null)
}

fn result_word(rule: &RuleResult) -> &'static str {
    match rule.result {
        Verdict::Pass => "pass",
        Verdict::Fail => "FAIL",
        Verdict::NotCheckable => "not_checkable",
    }
}

/// A JUnit XML document: one test case per rule, per property and per failed replay.
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
    let mut properties = TestSuite::new("properties");
    for property in &report.properties {
        let status = match &property.failure {
            None => TestCaseStatus::success(),
            Some(failure) => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_message("a case fails").set_description(failure.as_str());
                status
            }
        };
        let mut case = TestCase::new(property.id, status);
        case.set_classname("properties").set_assertions(property.cases as usize);
        properties.add_test_case(case);
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
    if let Some(error) = report.live.as_ref().and_then(|l| l.error.as_ref()) {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_message(error.as_str());
        let mut case = TestCase::new("live scenario", status);
        case.set_classname("live");
        replays.add_test_case(case);
    }
    let total = report.cassettes + report.live.as_ref().map_or(0, |l| l.interactions);
    let passed = total.saturating_sub(report.replay_failures.len());
    let mut case = TestCase::new(format!("{passed} cassettes replay exactly"), TestCaseStatus::success());
    case.set_classname("replays");
    replays.add_test_case(case);
    let mut junit = quick_junit::Report::new("bigcommerce-carts conformance");
    junit.add_test_suites([rules, properties, replays]);
    junit.to_string().unwrap_or_default()
}

/// The rules as a fixed-width table, then properties, coverage, replays and the live scenario.
pub fn to_table(report: &Report) -> String {
    let mut out = String::new();
    // A live scenario that stopped explains the rules it leaves without cases: say it first.
    if let Some((target, error)) = report
        .live
        .as_ref()
        .and_then(|l| l.error.as_ref().map(|e| (&l.target, e)))
    {
        let _ = writeln!(
            out,
            "live scenario FAIL against {target}: {error}\n(the rules it would have exercised have no cases below)\n"
        );
    }
    let _ = writeln!(out, "{:<30} {:>5}  {:<13} what it checks", "rule", "cases", "result");
    for rule in &report.rules {
        let what: String = rule.checks.chars().take(88).collect();
        let ellipsis = if rule.checks.chars().count() > 88 { "..." } else { "" };
        let _ = writeln!(
            out,
            "{:<30} {:>5}  {:<13} {what}{ellipsis}",
            rule.id,
            rule.cases,
            result_word(rule)
        );
        if rule.result != Verdict::Pass {
            for failure in rule.failures.iter().take(10) {
                let _ = writeln!(out, "{:>38}- {failure}", "");
            }
        }
    }
    if !report.properties.is_empty() {
        let _ = writeln!(
            out,
            "\n{:<30} {:>5}  {:<13} what it checks",
            "property", "cases", "result"
        );
        for property in &report.properties {
            let result = if property.passed { "pass" } else { "FAIL" };
            let what: String = property.checks.chars().take(88).collect();
            let _ = writeln!(out, "{:<30} {:>5}  {:<13} {what}", property.id, property.cases, result);
            if let Some(failure) = &property.failure {
                for line in failure.lines().take(10) {
                    let _ = writeln!(out, "{:>38}- {line}", "");
                }
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
        "\nrecorded cassettes: {}; operations with a success and an error case: {covered}/{}",
        report.cassettes,
        report.coverage.len()
    );
    if let Some(live) = &report.live {
        match &live.error {
            None => {
                let _ = writeln!(
                    out,
                    "live scenario: {} API calls and {} storefront visits against {}",
                    live.interactions,
                    live.observations.visits.len(),
                    live.target
                );
            }
            Some(error) => {
                let _ = writeln!(out, "live scenario FAIL against {}: {error}", live.target);
            }
        }
    }
    let total = report.cassettes + report.live.as_ref().map_or(0, |l| l.interactions);
    let _ = writeln!(
        out,
        "replays: {total} ({} exact)",
        total.saturating_sub(report.replay_failures.len())
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

/// The report as Markdown, for `$GITHUB_STEP_SUMMARY`.
pub fn to_markdown(report: &Report) -> String {
    let mut out = String::new();
    let verdict = if report.failed() { "failed" } else { "passed" };
    let _ = writeln!(out, "## Conformance: {verdict}\n");
    let _ = writeln!(out, "| rule | cases | result | checks |\n| --- | ---: | --- | --- |");
    for rule in &report.rules {
        let result = match rule.result {
            Verdict::Pass => "pass",
            Verdict::Fail => "**FAIL**",
            Verdict::NotCheckable => "not checkable",
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {result} | {} |",
            rule.id,
            rule.cases,
            escape(rule.checks)
        );
    }
    if !report.properties.is_empty() {
        let _ = writeln!(out, "\n| property | cases | result |\n| --- | ---: | --- |");
        for property in &report.properties {
            let result = if property.passed { "pass" } else { "**FAIL**" };
            let _ = writeln!(out, "| `{}` | {} | {result} |", property.id, property.cases);
        }
    }
    let failures: Vec<String> = report
        .rules
        .iter()
        .filter(|r| r.result != Verdict::Pass)
        .flat_map(|r| {
            r.failures
                .iter()
                .take(5)
                .map(move |f| format!("- `{}`: {}", r.id, escape(f)))
        })
        .chain(report.properties.iter().filter_map(|p| {
            p.failure
                .as_ref()
                .map(|f| format!("- `{}`: {}", p.id, escape(f.lines().next().unwrap_or_default())))
        }))
        .chain(report.uncovered.iter().map(|u| format!("- coverage: {}", escape(u))))
        .chain(
            report
                .replay_failures
                .iter()
                .map(|(name, problems)| format!("- replay `{name}`: {}", escape(&problems.join("; ")))),
        )
        .chain(
            report
                .live
                .iter()
                .filter_map(|l| l.error.as_ref().map(|e| format!("- live scenario: {}", escape(e)))),
        )
        .collect();
    if !failures.is_empty() {
        let _ = writeln!(
            out,
            "\n### What failed or could not be checked\n\n{}",
            failures.join("\n")
        );
    }
    let _ = writeln!(
        out,
        "\n{} recorded cassettes{}. Every case behind each rule is in `report.json`.",
        report.cassettes,
        report.live.as_ref().map_or(String::new(), |l| format!(
            "; live scenario against `{}`: {} API calls, {} visits",
            l.target,
            l.interactions,
            l.observations.visits.len()
        ))
    );
    out
}

fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Writes `report.json` and `junit.xml` into `dir`, each through a temporary
/// file renamed into place.
pub fn write(report: &Report, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let json = serde_json::to_string_pretty(&to_json(report)).map_err(std::io::Error::other)?;
    write_atomically(&dir.join("report.json"), json.as_bytes())?;
    write_atomically(&dir.join("junit.xml"), to_junit(report).as_bytes())
}

/// Writes `bytes` to `path` whole or not at all: into a file beside it, then renamed over it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = path.with_extension("partial");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::properties::PropertyResult;
    use crate::rules::CaseRecord;
    use crate::suite::Coverage;

    fn report() -> Report {
        let rule = |id, result, failures: Vec<&str>| RuleResult {
            id,
            checks: "what",
            documented: "where",
            cases: 2,
            result,
            failures: failures.into_iter().map(String::from).collect(),
            checked: vec![CaseRecord {
                case: "carts.v3/x".into(),
                holds: true,
                seen: "201".into(),
            }],
        };
        Report {
            rules: vec![
                rule("a.pass", Verdict::Pass, vec![]),
                rule("b.fail", Verdict::Fail, vec!["case x broke"]),
                rule("c.later", Verdict::NotCheckable, vec!["needs time"]),
            ],
            properties: vec![PropertyResult {
                id: "p.q",
                checks: "it holds",
                cases: 0,
                passed: false,
                failure: Some("minimal failing input: {}".into()),
            }],
            coverage: [("getCart".to_string(), Coverage { success: 1, error: 2 })]
                .into_iter()
                .collect(),
            replay_failures: Default::default(),
            cassettes: 3,
            uncovered: vec!["carts.v3 listCarts (GET /carts) has no cassette with a success".to_string()],
            live: None,
        }
    }

    #[test]
    fn json_keeps_the_cases_behind_each_rule() {
        let json = to_json(&report());
        assert_eq!(json["rules"][0]["id"], "a.pass");
        assert_eq!(json["rules"][0]["result"], "pass");
        assert_eq!(
            json["rules"][0]["checked"][0],
            json!({"case": "carts.v3/x", "holds": true, "seen": "201"})
        );
        assert_eq!(json["rules"][1]["result"], "fail");
        assert_eq!(json["rules"][2]["result"], "not_checkable");
        assert_eq!(json["properties"][0]["passed"], false);
        assert_eq!(json["coverage"]["getCart"], json!({"success": 1, "error": 2}));
    }

    #[test]
    fn junit_marks_failures_and_skips() {
        let xml = to_junit(&report());
        assert!(xml.contains("<testcase name=\"b.fail\""), "{xml}");
        assert!(xml.contains("<failure message=\"1 of 2 cases fail\""), "{xml}");
        assert!(xml.contains("<skipped message=\"needs time\""), "{xml}");
        assert!(xml.contains("<testcase name=\"p.q\""), "{xml}");
        assert!(xml.contains("coverage: carts.v3 listCarts"), "{xml}");
    }

    #[test]
    fn a_live_scenario_that_stopped_is_said_before_the_rules() {
        let mut report = report();
        report.live = Some(crate::suite::LiveReport {
            target: "http://127.0.0.1:9/stores/s/v3".into(),
            interactions: 1,
            observations: Default::default(),
            error: Some("create a cart: answered 401 without a cart id".into()),
        });
        let table = to_table(&report);
        assert!(
            table.starts_with(
                "live scenario FAIL against http://127.0.0.1:9/stores/s/v3: create a cart: answered 401 without a cart id"
            ),
            "{table}"
        );
        assert!(
            to_table(&super::tests::report()).starts_with("rule "),
            "no live scenario, no such line"
        );
    }

    #[test]
    fn table_lists_failures_under_their_rule() {
        let table = to_table(&report());
        assert!(table.contains("b.fail                             2  FAIL"), "{table}");
        assert!(table.contains("- case x broke"), "{table}");
        assert!(table.contains("p.q                                0  FAIL"), "{table}");
        assert!(
            table.contains("uncovered FAIL carts.v3 listCarts (GET /carts) has no cassette with a success"),
            "{table}"
        );
    }

    #[test]
    fn markdown_says_failed_and_lists_what() {
        let markdown = to_markdown(&report());
        assert!(markdown.starts_with("## Conformance: failed"), "{markdown}");
        assert!(markdown.contains("| `b.fail` | 2 | **FAIL** | what |"), "{markdown}");
        assert!(markdown.contains("- `b.fail`: case x broke"), "{markdown}");
        assert!(markdown.contains("- `c.later`: needs time"), "{markdown}");
    }
}
