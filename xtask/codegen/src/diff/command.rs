//! The `cargo xtask diff` command: which specs to compare, and the reports
//! it hands back for `main` to print.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::{Report, Severity, diff_files, diff_revision, report, sdk_version, to_json, to_markdown, to_text};

/// How the reports are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Grouped by operation, for people.
    Text,
    /// `{"semver", "changes": [...]}`.
    Json,
    /// A table for a pull-request comment.
    Markdown,
}

/// What to compare.
#[derive(Debug, Clone)]
pub enum Comparison {
    /// `spec/` at a git revision with the working tree.
    Revision(String),
    /// One old spec file with one new one.
    Files { old: PathBuf, new: PathBuf },
    /// Each consecutive pair of a release history, oldest first.
    Series(Vec<PathBuf>),
}

/// What one run found: a report per comparison, and all of them written in
/// the format asked for.
#[derive(Debug)]
pub struct Outcome {
    /// One report per pair compared.
    pub reports: Vec<Report>,
    /// The reports, written out.
    pub output: String,
}

impl Outcome {
    /// How many changes are at `threshold` or worse, over every report.
    pub fn at_least(&self, threshold: Severity) -> usize {
        self.reports
            .iter()
            .flat_map(|report| &report.changes)
            .filter(|change| change.severity >= threshold)
            .count()
    }
}

/// Runs the comparison from the project at `root` (whose `sdk/Cargo.toml`
/// gives the version the semver hint starts from).
///
/// A series is written as one JSON array of `{old, new, report}`, or in text
/// and Markdown with a heading before each pair's report.
pub fn run(root: &Path, comparison: &Comparison, format: Format) -> Result<Outcome> {
    let version = sdk_version(root)?;
    let pair = |changes| {
        let report = report(changes, &version);
        let output = match format {
            Format::Text => to_text(&report),
            Format::Json => format!("{}\n", serde_json::to_string_pretty(&to_json(&report))?),
            Format::Markdown => to_markdown(&report),
        };
        Ok::<_, anyhow::Error>(Outcome {
            reports: vec![report],
            output,
        })
    };
    match comparison {
        Comparison::Revision(revision) => pair(diff_revision(root, revision)?),
        Comparison::Files { old, new } => pair(diff_files(old, new)?),
        Comparison::Series(files) if files.len() < 2 => bail!("a series needs at least two spec files"),
        Comparison::Series(files) => {
            let mut reports = Vec::new();
            let mut json = Vec::new();
            let mut text = String::new();
            for pair in files.windows(2) {
                let (old, new) = (&pair[0], &pair[1]);
                let report = report(diff_files(old, new)?, &version);
                match format {
                    Format::Text => {
                        let _ = write!(text, "== {} -> {}\n{}", old.display(), new.display(), to_text(&report));
                    }
                    Format::Markdown => {
                        let _ = write!(
                            text,
                            "## `{}` to `{}`\n\n{}\n",
                            old.display(),
                            new.display(),
                            to_markdown(&report)
                        );
                    }
                    Format::Json => json.push(serde_json::json!({
                        "old": old.display().to_string(),
                        "new": new.display().to_string(),
                        "report": to_json(&report),
                    })),
                }
                reports.push(report);
            }
            let output = match format {
                Format::Json => format!("{}\n", serde_json::to_string_pretty(&json)?),
                Format::Text | Format::Markdown => text,
            };
            Ok(Outcome { reports, output })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three releases of a one-operation spec: the second adds an optional
    /// query parameter, the third removes it again.
    fn series(dir: &Path) -> Vec<PathBuf> {
        let parameter = r#"
      parameters:
        - {name: include, in: query, schema: {type: string}}"#;
        [("1", ""), ("2", parameter), ("3", "")]
            .into_iter()
            .map(|(version, parameters)| {
                let path = dir.join(format!("carts.{version}.yaml"));
                let text = format!(
                    "openapi: 3.0.3\ninfo: {{title: t, version: '{version}'}}\npaths:\n  /carts:\n    get:\n      operationId: getCarts{parameters}\n      responses:\n        '200': {{description: ok}}\n"
                );
                std::fs::write(&path, text).unwrap();
                path
            })
            .collect()
    }

    #[test]
    fn a_series_reports_each_consecutive_pair_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let files = series(dir.path());
        let root = crate::generate::project_root();
        let comparison = Comparison::Series(files.clone());

        let text = run(&root, &comparison, Format::Text).unwrap();
        assert_eq!(text.reports.len(), 2);
        let first = text
            .output
            .find(&format!("== {} -> {}", files[0].display(), files[1].display()));
        let second = text
            .output
            .find(&format!("== {} -> {}", files[1].display(), files[2].display()));
        assert!(first.is_some() && first < second, "{}", text.output);
        assert_eq!(text.at_least(Severity::Breaking), 1, "{}", text.output);
        assert_eq!(text.at_least(Severity::Additive), 2, "{}", text.output);

        let json = run(&root, &comparison, Format::Json).unwrap();
        let pairs: serde_json::Value = serde_json::from_str(&json.output).unwrap();
        assert_eq!(pairs.as_array().map(Vec::len), Some(2), "{}", json.output);
        assert_eq!(pairs[1]["old"], files[1].display().to_string());
        assert_eq!(
            pairs[1]["report"]["changes"][0]["severity"], "breaking",
            "{}",
            json.output
        );
    }

    #[test]
    fn a_pair_is_one_report_without_a_heading() {
        let dir = tempfile::tempdir().unwrap();
        let files = series(dir.path());
        let comparison = Comparison::Files {
            old: files[0].clone(),
            new: files[1].clone(),
        };
        let outcome = run(&crate::generate::project_root(), &comparison, Format::Markdown).unwrap();
        assert_eq!(outcome.reports.len(), 1);
        assert!(!outcome.output.contains("## `"), "{}", outcome.output);
        assert!(outcome.output.contains("additive"), "{}", outcome.output);
        assert_eq!(outcome.at_least(Severity::Breaking), 0);
    }
}
