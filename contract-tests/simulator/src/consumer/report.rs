//! The consumer report in the gate's forms: a fixed-width table for the terminal and a JUnit
//! document for CI test views (its JSON form is the report's own serialization).

use std::fmt::Write as _;

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::{ConsumerReport, Verdict};

fn word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "pass",
        Verdict::Fail => "FAIL",
        Verdict::NotExercised => "not_exercised",
        Verdict::NotCheckable => "not_checkable",
    }
}

/// The rules as a table, each failure under its rule, then what the journal held.
pub fn to_table(report: &ConsumerReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:<38} {:>5}  {:<13} what it checks", "rule", "cases", "result");
    for rule in &report.rules {
        let what: String = rule.checks.chars().take(80).collect();
        let ellipsis = if rule.checks.chars().count() > 80 { "..." } else { "" };
        let _ = writeln!(
            out,
            "{:<38} {:>5}  {:<13} {what}{ellipsis}",
            rule.id,
            rule.cases,
            word(rule.result)
        );
        for failure in rule.failures.iter().take(10) {
            let _ = writeln!(out, "{:>46}- {failure}", "");
        }
        if rule.failures.len() > 10 {
            let _ = writeln!(out, "{:>46}- ... and {} more", "", rule.failures.len() - 10);
        }
    }
    let _ = writeln!(out, "\njournal entries judged: {}", report.entries);
    if report.dropped > 0 {
        let _ = writeln!(
            out,
            "WARNING: the journal forgot {} earlier entries (its capacity was reached), so the rules saw only the \
             newer ones; raise journal_capacity (--journal-capacity) to judge everything",
            report.dropped
        );
    }
    out
}

/// A JUnit XML document: one test case per rule.
pub fn to_junit(report: &ConsumerReport) -> String {
    let mut rules = TestSuite::new("consumer rules");
    for rule in &report.rules {
        let status = match rule.result {
            Verdict::Pass => TestCaseStatus::success(),
            Verdict::NotExercised => {
                let mut status = TestCaseStatus::skipped();
                status.set_message("no request exercised this rule");
                status
            }
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
        let mut case = TestCase::new(rule.id.as_str(), status);
        case.set_classname("consumer").set_assertions(rule.cases);
        rules.add_test_case(case);
    }
    if report.dropped > 0 {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_message(format!(
            "the journal forgot {} earlier entries; raise journal_capacity",
            report.dropped
        ));
        let mut case = TestCase::new("journal complete", status);
        case.set_classname("consumer");
        rules.add_test_case(case);
    }
    let mut junit = quick_junit::Report::new("bigcommerce-carts consumer rules");
    junit.add_test_suite(rules);
    junit.to_string().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::RuleResult;
    use super::*;

    fn report() -> ConsumerReport {
        let rule = |id: &str, result, failures: Vec<&str>| RuleResult {
            id: id.into(),
            checks: "what".into(),
            documented: "where".into(),
            cases: 2,
            result,
            failures: failures.into_iter().map(String::from).collect(),
        };
        ConsumerReport {
            entries: 7,
            dropped: 3,
            rules: vec![
                rule("consumer.a", Verdict::Pass, vec![]),
                rule("consumer.b", Verdict::Fail, vec!["do this instead"]),
                rule("consumer.c", Verdict::NotExercised, vec![]),
            ],
        }
    }

    #[test]
    fn the_table_lists_failures_and_dropped_entries() {
        let table = to_table(&report());
        assert!(
            table.contains("consumer.b                                 2  FAIL"),
            "{table}"
        );
        assert!(table.contains("- do this instead"), "{table}");
        assert!(
            table.contains("consumer.c                                 2  not_exercised"),
            "{table}"
        );
        assert!(table.contains("the journal forgot 3 earlier entries"), "{table}");
    }

    #[test]
    fn junit_marks_failures_skips_and_a_short_journal() {
        let xml = to_junit(&report());
        assert!(xml.contains("<testcase name=\"consumer.b\""), "{xml}");
        assert!(xml.contains("<failure message=\"1 of 2 cases fail\""), "{xml}");
        assert!(
            xml.contains("<skipped message=\"no request exercised this rule\""),
            "{xml}"
        );
        assert!(xml.contains("the journal forgot 3 earlier entries"), "{xml}");
    }
}
