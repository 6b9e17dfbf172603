//! The cases of one rule as a check goes through them, and its verdict.

use serde::Serialize;

use super::{Rule, RuleResult, Verdict};

/// One case behind a verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseRecord {
    /// Where it came from: a cassette (`carts.v3/getCart--ok.yaml`), a live
    /// step (`live: visit the cart URL again`), or the SDK itself.
    pub case: String,
    /// Whether the rule held.
    pub holds: bool,
    /// What was seen.
    pub seen: String,
}

/// The cases and failures of one rule.
#[derive(Debug, Default)]
pub struct Checked {
    records: Vec<CaseRecord>,
    not_checkable: Option<String>,
}

impl Checked {
    /// A rule the run cannot show, and why.
    pub fn not_checkable(why: impl Into<String>) -> Self {
        Self {
            not_checkable: Some(why.into()),
            ..Self::default()
        }
    }

    /// Records one case of `case`: whether it holds, and what was seen.
    pub fn check(&mut self, case: impl Into<String>, holds: bool, seen: impl Into<String>) {
        self.records.push(CaseRecord {
            case: case.into(),
            holds,
            seen: seen.into(),
        });
    }

    /// How many cases so far.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether no case was checked.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The verdict: fail on any broken case and on no case at all.
    pub fn into_result(self, rule: &Rule) -> RuleResult {
        let failures: Vec<String> = self
            .records
            .iter()
            .filter(|r| !r.holds)
            .map(|r| format!("{}: {}", r.case, r.seen))
            .collect();
        let (result, failures) = match self.not_checkable {
            Some(why) if self.records.is_empty() => (Verdict::NotCheckable, vec![why]),
            _ if self.records.is_empty() => (Verdict::Fail, vec!["no case exercised this rule".to_string()]),
            _ if failures.is_empty() => (Verdict::Pass, Vec::new()),
            _ => (Verdict::Fail, failures),
        };
        RuleResult {
            id: rule.id,
            checks: rule.checks,
            documented: rule.documented,
            cases: self.records.len(),
            result,
            failures,
            checked: self.records,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> Rule {
        Rule {
            id: "x.y",
            checks: "z",
            documented: "w",
            check: |_| Checked::default(),
        }
    }

    #[test]
    fn no_case_fails_and_not_checkable_says_why() {
        let none = Checked::default().into_result(&rule());
        assert_eq!(
            (none.result, none.failures.as_slice()),
            (Verdict::Fail, ["no case exercised this rule".to_string()].as_slice())
        );
        let later = Checked::not_checkable("needs a clock").into_result(&rule());
        assert_eq!((later.result, later.cases), (Verdict::NotCheckable, 0));
        assert_eq!(later.failures, ["needs a clock"]);
    }

    #[test]
    fn a_broken_case_fails_and_every_case_is_kept() {
        let mut checked = Checked::default();
        checked.check("a.yaml", true, "201");
        checked.check("live: create redirect URLs", false, "answered 200, documented 201");
        let result = checked.into_result(&rule());
        assert_eq!(result.result, Verdict::Fail);
        assert_eq!(
            result.failures,
            ["live: create redirect URLs: answered 200, documented 201"]
        );
        assert_eq!(result.checked.len(), 2);
        assert!(result.checked[0].holds);
    }
}
