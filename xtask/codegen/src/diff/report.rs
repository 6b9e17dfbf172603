//! The semver hint and the three ways of printing a diff.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Value, json};

use super::{Change, Severity};

/// The result of a diff.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `major`, `minor`, `patch` or `none`, for the sdk crate's version.
    pub semver: String,
    /// Why that bump.
    pub semver_reason: String,
    /// Every change, most severe first.
    pub changes: Vec<Change>,
}

/// The semver hint for the sdk crate at `version`.
pub fn report(changes: Vec<Change>, version: &str) -> Report {
    let worst = changes.iter().map(|c| c.severity).max();
    let pre_1 = version.starts_with("0.");
    let (semver, reason) = match (worst, pre_1) {
        (None, _) => ("none", "no change to the SDK's surface".to_string()),
        (Some(Severity::Breaking), false) => ("major", "breaking changes need a major release".to_string()),
        (Some(Severity::Breaking), true) => (
            "minor",
            format!("breaking changes; before 1.0 (the sdk is {version}) they bump the minor version"),
        ),
        (Some(Severity::Additive), false) => ("minor", "additions need a minor release".to_string()),
        (Some(Severity::Additive), true) => (
            "patch",
            format!("additions only; before 1.0 (the sdk is {version}) they bump the patch version"),
        ),
        (Some(Severity::Cosmetic), _) => ("patch", "no change callers can see".to_string()),
    };
    Report {
        semver: semver.to_string(),
        semver_reason: reason,
        changes,
    }
}

/// The report for people, grouped by operation.
pub fn to_text(report: &Report) -> String {
    let mut out = String::new();
    let mut by_operation: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for change in &report.changes {
        by_operation.entry(&change.operation).or_default().push(change);
    }
    for (operation, changes) in by_operation {
        let _ = writeln!(out, "{operation} ({})", changes[0].call);
        for change in changes {
            let _ = writeln!(
                out,
                "  {:<9} {:<22} {}: {}",
                change.severity.as_str(),
                change.kind,
                change.location,
                change.detail
            );
        }
    }
    let counts = counts(report);
    let _ = writeln!(
        out,
        "\n{} breaking, {} additive, {} cosmetic\nsemver: {} ({})",
        counts[2], counts[1], counts[0], report.semver, report.semver_reason
    );
    out
}

/// The report as a pull-request comment.
pub fn to_markdown(report: &Report) -> String {
    let counts = counts(report);
    let mut out = format!(
        "### SDK surface change: **{}** release\n\n{}. {} breaking, {} additive, {} cosmetic.\n",
        report.semver, report.semver_reason, counts[2], counts[1], counts[0]
    );
    if !report.changes.is_empty() {
        out.push_str("\n| severity | operation | kind | where | what |\n| --- | --- | --- | --- | --- |\n");
        for c in &report.changes {
            let cell = |s: &str| s.replace('|', "\\|");
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} |",
                c.severity.as_str(),
                cell(&c.operation),
                c.kind,
                cell(&c.location),
                cell(&c.detail)
            );
        }
    }
    out
}

/// The report as JSON: `{"semver", "changes": [{"severity", "kind", "operation", "location", "detail"}]}`.
pub fn to_json(report: &Report) -> Value {
    json!({"semver": report.semver, "semver_reason": report.semver_reason, "changes": report.changes})
}

fn counts(report: &Report) -> [usize; 3] {
    let mut counts = [0; 3];
    for change in &report.changes {
        counts[change.severity as usize] += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use Severity::{Additive, Breaking, Cosmetic};

    #[test]
    fn semver_hints_follow_the_worst_change() {
        let change = |severity| Change {
            severity,
            kind: "k".into(),
            operation: "o".into(),
            location: "l".into(),
            detail: "d".into(),
            call: String::new(),
        };
        assert_eq!(
            report(vec![change(Breaking), change(Additive)], "0.3.1").semver,
            "minor"
        );
        assert_eq!(report(vec![change(Additive)], "0.3.1").semver, "patch");
        assert_eq!(report(vec![change(Breaking)], "1.2.0").semver, "major");
        assert_eq!(report(vec![change(Additive)], "1.2.0").semver, "minor");
        assert_eq!(report(vec![change(Cosmetic)], "1.2.0").semver, "patch");
        assert_eq!(report(vec![], "1.2.0").semver, "none");
        let json = to_json(&report(vec![change(Breaking)], "0.1.0"));
        assert_eq!(
            json["changes"][0],
            json!({"severity": "breaking", "kind": "k", "operation": "o", "location": "l", "detail": "d"})
        );
    }
}
