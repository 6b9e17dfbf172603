//! Consumer rules: a verdict on how a service uses the API, judged from what a store received.
//!
//! The gate proves that the SDK speaks the API; services fail in production through how they
//! use it (a redirect URL handed out twice, a change without `version`, a create sent again
//! after a timeout, requests that keep coming after a 429). Each rule here is a value of a typed
//! table ([`RULES`]): its id, what it checks, where the documentation says so, and a pure
//! function over journal entries. They read nothing but the entries (and the store's channels),
//! so anything that can produce [`JournalEntry`] values (the simulator's journal, a recording
//! proxy) can be judged by them.
//!
//! A rule that no request exercised is reported as `not_exercised`, never as passed, and each
//! failure says what the service should do instead.

mod channels;
mod observe;
mod redirects;
mod refusals;
mod report;
mod retries;
mod traffic;
mod versions;

use serde::{Deserialize, Serialize};

use crate::journal::{JournalEntry, JournalExport};

pub use observe::{Sent, observe};
pub use report::{to_junit, to_table};

/// What a rule is judged on: a store's journal and the store's channels.
#[derive(Debug, Clone, Copy)]
pub struct Traffic<'a> {
    /// The requests, oldest first.
    pub entries: &'a [JournalEntry],
    /// The channels of the store's profile (empty when not known).
    pub channels: &'a [i64],
}

/// What a rule found: how many requests (or URLs, or conflicts) it looked at, and each problem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Judged {
    /// How many cases the rule judged.
    pub cases: usize,
    /// One message per case that breaks the rule, saying what to do instead.
    pub failures: Vec<String>,
    /// Why the rule cannot be judged on this traffic, when it cannot.
    pub not_checkable: Option<String>,
}

/// A consumer rule and how to check it.
pub struct Rule {
    /// Stable id, such as `consumer.redirect_url_reused`.
    pub id: &'static str,
    /// What it checks.
    pub checks: &'static str,
    /// Where the documentation says so.
    pub documented: &'static str,
    /// The check.
    pub check: fn(&Traffic<'_>) -> Judged,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).finish_non_exhaustive()
    }
}

/// Every consumer rule, in the order of the report.
pub static RULES: &[Rule] = &[
    Rule {
        id: "consumer.redirect_url_reused",
        checks: "each redirect URL is visited at most once (the three URLs of one answer share one token)",
        documented: "Create Cart Redirect URL, usage notes (a redirect URL works once)",
        check: redirects::reused,
    },
    Rule {
        id: "consumer.redirect_url_expired",
        checks: "no redirect URL is visited after its 30 days",
        documented: "Create Cart Redirect URL, usage notes (valid for 30 days)",
        check: redirects::expired,
    },
    Rule {
        id: "consumer.version_missing",
        checks: "every change of a cart or its items (updateCart, addCartLineItems, updateCartLineItem, deleteCartLineItem) sends `version`",
        documented: "Update Customer ID, Add Cart Line Items, Update and Delete Cart Line Item, version",
        check: versions::missing,
    },
    Rule {
        id: "consumer.conflict_not_reread",
        checks: "after a 409 on a cart, the cart is read again before the next change of it",
        documented: "Update Customer ID, Add Cart Line Items, Update and Delete Cart Line Item, 409 Conflict",
        check: versions::not_reread,
    },
    Rule {
        id: "consumer.post_repeated_after_failure",
        checks: "a POST that creates (a cart, line items without `version`, metafields) is not sent again after a dropped connection, a timeout or a 5xx",
        documented: "API status codes guide (5xx); Create Cart, Add Cart Line Items",
        check: retries::post_repeated,
    },
    Rule {
        id: "consumer.rate_limit_ignored",
        checks: "after a 429 of the store's quota, no request comes before X-Rate-Limit-Time-Reset-Ms has passed",
        documented: "API rate limits guide (X-Rate-Limit-Time-Reset-Ms)",
        check: retries::rate_limit_ignored,
    },
    Rule {
        id: "consumer.channel_id_missing",
        checks: "in a store with several channels, every cart is created with `channel_id`",
        documented: "Create Cart, channel_id (default 1)",
        check: channels::missing,
    },
    Rule {
        id: "consumer.invalid_request",
        checks: "no request is refused for not matching the API's description (400, 404, 405, 413 or 422 from the spec check)",
        documented: "API status codes guide; the request schemas of spec/carts.v3.yaml and spec/abandoned_carts.v3.yaml",
        check: refusals::invalid,
    },
];

/// A consumer rule's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every case holds, and there was at least one.
    Pass,
    /// A case breaks the rule.
    Fail,
    /// No request exercised the rule.
    NotExercised,
    /// The traffic cannot show it (why is in `failures`).
    NotCheckable,
}

/// One rule and how the service fared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleResult {
    /// Stable id, such as `consumer.redirect_url_reused`.
    pub id: String,
    /// What it checks.
    pub checks: String,
    /// Where the documentation says so.
    pub documented: String,
    /// How many cases were judged.
    pub cases: usize,
    /// The verdict.
    pub result: Verdict,
    /// Each failed case, saying what to do (or, for `not_checkable`, why).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<String>,
}

/// The verdict on a service's traffic to one store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsumerReport {
    /// How many journal entries were judged.
    pub entries: usize,
    /// How many earlier entries the journal had forgotten (its capacity was reached); the rules
    /// saw only the newer ones.
    pub dropped: u64,
    /// Every rule, in the order of [`RULES`].
    pub rules: Vec<RuleResult>,
}

impl ConsumerReport {
    /// Whether any rule failed.
    pub fn failed(&self) -> bool {
        self.rules.iter().any(|r| r.result == Verdict::Fail)
    }

    /// The result of rule `id`, if the report has it.
    pub fn rule(&self, id: &str) -> Option<&RuleResult> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// Judges every rule on a journal.
pub fn evaluate(journal: &JournalExport) -> ConsumerReport {
    let traffic = Traffic {
        entries: &journal.entries,
        channels: &journal.channels,
    };
    let rules = RULES
        .iter()
        .map(|rule| {
            let judged = (rule.check)(&traffic);
            let (result, failures) = match judged.not_checkable {
                Some(why) => (Verdict::NotCheckable, vec![why]),
                None if !judged.failures.is_empty() => (Verdict::Fail, judged.failures),
                None if judged.cases == 0 => (Verdict::NotExercised, Vec::new()),
                None => (Verdict::Pass, Vec::new()),
            };
            RuleResult {
                id: rule.id.to_string(),
                checks: rule.checks.to_string(),
                documented: rule.documented.to_string(),
                cases: judged.cases,
                result,
                failures,
            }
        })
        .collect();
    ConsumerReport {
        entries: journal.entries.len(),
        dropped: journal.dropped,
        rules,
    }
}

/// The README's table of consumer rules, from [`RULES`].
pub fn markdown_table() -> String {
    let mut out = String::from("| rule | checks | documented in |\n| --- | --- | --- |\n");
    for rule in RULES {
        out.push_str(&format!("| `{}` | {} | {} |\n", rule.id, rule.checks, rule.documented));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_in_the_consumer_family() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.id), "{} twice", rule.id);
            assert!(rule.id.starts_with("consumer."), "{}", rule.id);
            assert!(
                rule.id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'),
                "{}",
                rule.id
            );
            assert!(!rule.checks.contains('|') && !rule.documented.contains('|'));
        }
    }

    #[test]
    fn the_readme_lists_every_rule() {
        let readme = include_str!("../../README.md");
        let table = markdown_table();
        assert!(
            readme.contains(&table),
            "README.md lacks the table of consumer rules:\n{table}"
        );
    }

    #[test]
    fn no_traffic_exercises_no_rule() {
        let report = evaluate(&JournalExport {
            channels: vec![1, 2],
            ..JournalExport::default()
        });
        assert!(!report.failed());
        for rule in &report.rules {
            assert_eq!(rule.result, Verdict::NotExercised, "{}", rule.id);
        }
    }
}
