//! What a coverage comparison found, and the text `cargo xtask coverage`
//! prints: the findings, the operations only ours has, the justified
//! deviations on request, and one summary line last.

use std::fmt::Write as _;

/// How many facts of one kind the published spec states, and how many of them ours covers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Stated by ours as published, or differently with an `x-deviation` saying why.
    pub covered: usize,
    /// Stated by the published spec.
    pub total: usize,
}

impl Tally {
    /// Counts one fact, covered or not.
    pub fn count(&mut self, covered: bool) {
        self.total += 1;
        if covered {
            self.covered += 1;
        }
    }

    /// The covered share in percent; 100 when there is nothing to cover.
    pub fn percent(self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            100.0 * self.covered as f64 / self.total as f64
        }
    }

    /// Whether every fact is covered.
    pub fn complete(self) -> bool {
        self.covered == self.total
    }
}

/// The kinds of findings, each a fact of the published spec that ours lacks or states otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FindingKind {
    /// An operation ours does not have.
    MissingOperation,
    /// A parameter ours does not have.
    MissingParameter,
    /// A parameter ours states otherwise, with no `x-deviation` on it.
    ParameterDiffers,
    /// A response status ours does not document.
    MissingStatus,
    /// A request or response body (a media type) ours does not have.
    MissingBody,
    /// A body field ours does not have.
    MissingField,
    /// A body field ours states otherwise, with no `x-deviation` on it.
    FieldDiffers,
}

impl FindingKind {
    /// The kind in words, as the report prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::MissingOperation => "missing operation",
            FindingKind::MissingParameter => "missing parameter",
            FindingKind::ParameterDiffers => "parameter differs",
            FindingKind::MissingStatus => "missing status",
            FindingKind::MissingBody => "missing body",
            FindingKind::MissingField => "missing field",
            FindingKind::FieldDiffers => "field differs",
        }
    }
}

/// One fact of the published spec that ours lacks or states otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What kind of difference.
    pub kind: FindingKind,
    /// Where: `GET /carts/{}`, `GET /carts/{}  parameter query:include`,
    /// `POST /carts  request application/json  line_items[].quantity`.
    pub place: String,
    /// What differs: `types: published ["number"], ours ["integer"]`.
    pub detail: String,
}

/// A difference our spec explains with `x-deviation`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Justified {
    /// Where, as in a [`Finding`].
    pub place: String,
    /// What differs.
    pub detail: String,
    /// Our spec's reason, the text of its `x-deviation`.
    pub reason: String,
}

/// What a comparison of a published spec with ours found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Operations (`METHOD /path/{}`).
    pub operations: Tally,
    /// Parameters of the operations: presence, required, type, item type, enum values, style, explode.
    pub parameters: Tally,
    /// Documented response statuses.
    pub statuses: Tally,
    /// Fields of request and response bodies: presence, types, enum values, required, nullable.
    pub fields: Tally,
    /// What ours lacks or states otherwise, in the order of the published spec's facts.
    pub findings: Vec<Finding>,
    /// Differences ours explains with `x-deviation`, counted as covered.
    pub justified: Vec<Justified>,
    /// Operations ours has that the published spec does not.
    pub extra_operations: Vec<String>,
}

impl Report {
    /// The one-line summary: `operations 21/21, parameters 77/77, statuses 47/47,
    /// fields 1343/1356 (99.0%), justified deviations 443`.
    pub fn summary(&self) -> String {
        let tally = |t: Tally| format!("{}/{}", t.covered, t.total);
        format!(
            "operations {}, parameters {}, statuses {}, fields {} ({:.1}%), justified deviations {}",
            tally(self.operations),
            tally(self.parameters),
            tally(self.statuses),
            tally(self.fields),
            self.fields.percent(),
            self.justified.len()
        )
    }

    /// Why this coverage fails, if it does: an operation is missing, or fewer than
    /// `min_fields` percent of the fields are covered.
    pub fn failure(&self, min_fields: Option<f64>) -> Option<String> {
        if !self.operations.complete() {
            let missing = self.operations.total - self.operations.covered;
            return Some(format!("{missing} published operation(s) missing from our spec"));
        }
        match min_fields {
            Some(min) if self.fields.percent() < min => Some(format!(
                "field coverage {:.1}% is below --min-fields {min}",
                self.fields.percent()
            )),
            _ => None,
        }
    }

    /// The report as text: the first `show` findings (all when `show` is 0), the operations
    /// only ours has, each justified deviation when `justified` is set, and the summary last.
    pub fn to_text(&self, show: usize, justified: bool) -> String {
        let mut out = String::new();
        let shown = if show == 0 {
            self.findings.len()
        } else {
            show.min(self.findings.len())
        };
        for finding in &self.findings[..shown] {
            let line = format!("{:18} {}  {}", finding.kind.as_str(), finding.place, finding.detail);
            let _ = writeln!(out, "{}", line.trim_end());
        }
        if shown < self.findings.len() {
            let _ = writeln!(out, "... and {} more (--show 0 for all)", self.findings.len() - shown);
        }
        if !self.extra_operations.is_empty() {
            let _ = writeln!(out, "operations only ours has: {}", self.extra_operations.join(", "));
        }
        if justified {
            for entry in &self.justified {
                let _ = writeln!(
                    out,
                    "{:18} {}  {}  ({})",
                    "justified", entry.place, entry.detail, entry.reason
                );
            }
        }
        let _ = writeln!(out, "{}", self.summary());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        Report {
            operations: Tally { covered: 2, total: 2 },
            parameters: Tally { covered: 3, total: 4 },
            statuses: Tally { covered: 5, total: 5 },
            fields: Tally {
                covered: 1343,
                total: 1356,
            },
            findings: vec![
                Finding {
                    kind: FindingKind::MissingParameter,
                    place: "GET /carts/{}".into(),
                    detail: "query:include".into(),
                },
                Finding {
                    kind: FindingKind::MissingStatus,
                    place: "GET /carts/{}".into(),
                    detail: "404".into(),
                },
            ],
            justified: vec![Justified {
                place: "GET /carts/{}  200 application/json  data.id".into(),
                detail: "types: published [\"number\"], ours [\"integer\"]".into(),
                reason: "ids are whole".into(),
            }],
            extra_operations: vec!["GET /notes".into()],
        }
    }

    #[test]
    fn the_summary_line_counts_each_kind_and_the_field_share() {
        assert_eq!(
            report().summary(),
            "operations 2/2, parameters 3/4, statuses 5/5, fields 1343/1356 (99.0%), justified deviations 1"
        );
        assert_eq!(Report::default().fields.percent(), 100.0);
    }

    #[test]
    fn it_fails_on_a_missing_operation_or_under_the_field_minimum() {
        let mut report = report();
        assert_eq!(report.failure(None), None);
        assert_eq!(report.failure(Some(99.0)), None);
        assert_eq!(
            report.failure(Some(99.5)).as_deref(),
            Some("field coverage 99.0% is below --min-fields 99.5")
        );
        report.operations.covered = 1;
        assert_eq!(
            report.failure(None).as_deref(),
            Some("1 published operation(s) missing from our spec")
        );
    }

    #[test]
    fn the_text_ends_with_the_summary_and_shows_what_it_is_asked_to() {
        let report = report();
        let all = report.to_text(0, true);
        let lines: Vec<&str> = all.lines().collect();
        assert_eq!(lines.len(), 5, "{all}");
        assert_eq!(lines[0], "missing parameter  GET /carts/{}  query:include");
        assert_eq!(lines[2], "operations only ours has: GET /notes");
        assert!(lines[3].starts_with("justified"), "{}", lines[3]);
        assert!(lines[3].ends_with("(ids are whole)"), "{}", lines[3]);
        assert_eq!(lines[4], report.summary());
        let short = report.to_text(1, false);
        assert_eq!(
            short.lines().collect::<Vec<_>>(),
            [
                "missing parameter  GET /carts/{}  query:include",
                "... and 1 more (--show 0 for all)",
                "operations only ours has: GET /notes",
                report.summary().as_str(),
            ]
        );
    }
}
