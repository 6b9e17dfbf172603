//! The documented rules of the Carts APIs, as a typed table: each [`Rule`]
//! is a value with its id, what it checks, where the documentation says so,
//! and its check. A run gathers [`Evidence`] (replayed cassettes, the live
//! scenario's interactions and what it saw of state) and [`evaluate`] judges
//! every rule on it. Nothing is looked up by a string: the ids are data, for
//! people, `report.json` and the README's table ([`markdown_table`]).

mod answers;
mod cart;
mod checked;
mod errors;
mod filter;
mod include;
mod redirect_urls;
mod select;
mod stateful;
mod variants;

use bigcommerce_carts::Include;
use serde::Serialize;

pub use checked::{CaseRecord, Checked};
pub use filter::{Filter, FilterError};
pub use include::DOCUMENTED_INCLUDES;
pub use redirect_urls::redirect_url_problems;
pub use stateful::{AgedRead, Observations, VersionedChange, Visit};

use crate::cassette::Cassette;
use crate::replay::Replay;
use crate::spec::Specs;

/// A documented rule and how to check it.
pub struct Rule {
    /// Stable id, such as `redirect_urls.shape`.
    pub id: &'static str,
    /// What it checks.
    pub checks: &'static str,
    /// Where the documentation says so.
    pub documented: &'static str,
    /// The check, over everything a run saw.
    pub check: fn(&Evidence<'_>) -> Checked,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).finish_non_exhaustive()
    }
}

/// Every rule, in the order of the report.
pub static RULES: &[Rule] = &[
    Rule {
        id: "redirect_urls.status",
        checks: "creating a redirect URL answers 201 Created (the status itself; the SDK accepts any 2xx)",
        documented: "Create Cart Redirect URL, responses",
        check: redirect_urls::status,
    },
    Rule {
        id: "redirect_urls.shape",
        checks: "cart_url, checkout_url and embedded_checkout_url are absolute https URLs to cart.php with action=load, action=loadInCheckout and embedded=1&action=loadInCheckout, the cart's id and a token",
        documented: "Create Cart Redirect URL, response example",
        check: redirect_urls::shape,
    },
    Rule {
        id: "redirect_urls.query_params",
        checks: "query_params sent when creating redirect URLs are carried into the URLs",
        documented: "Create Cart Redirect URL, usage notes",
        check: redirect_urls::query_params,
    },
    Rule {
        id: "redirect_urls.single_use",
        checks: "a redirect URL loads the cart once; a second visit does not",
        documented: "Create Cart Redirect URL, usage notes",
        check: stateful::single_use,
    },
    Rule {
        id: "redirect_urls.validity",
        checks: "a redirect URL still loads the cart after 29 days and no longer after 31",
        documented: "Create Cart Redirect URL, usage notes (valid for 30 days)",
        check: stateful::validity,
    },
    Rule {
        id: "include.allowed",
        checks: "include takes exactly redirect_urls, line_items.physical_items.options, line_items.digital_items.options and promotions.banners, in the SDK's enum and in the spec; no other value is representable",
        documented: "Create Cart, query parameters",
        check: include::allowed,
    },
    Rule {
        id: "include.encoding",
        checks: "several include values go on the wire as one comma-separated value, include=a,b",
        documented: "Create Cart, query parameters (style form, explode false)",
        check: include::encoding,
    },
    Rule {
        id: "include.redirect_urls",
        checks: "creating a cart with include=redirect_urls answers data.redirect_urls in the redirect-URL shape",
        documented: "Create Cart, usage notes",
        check: include::redirect_urls,
    },
    Rule {
        id: "cart.id",
        checks: "a cart id is a UUID, the same as its checkout id",
        documented: "Create Cart, usage notes",
        check: cart::id,
    },
    Rule {
        id: "cart.channel_default",
        checks: "a cart created without channel_id is on channel 1",
        documented: "Create Cart, channel_id",
        check: cart::channel_default,
    },
    Rule {
        id: "cart.locale",
        checks: "a cart's locale is a language code, xx or xx-YY",
        documented: "Create Cart, locale",
        check: cart::locale,
    },
    Rule {
        id: "cart.version",
        checks: "a cart's version goes up with every change; a change sent with a stale version is refused with 409 in the error envelope and changes nothing",
        documented: "Update Customer ID, Add Cart Line Items, Update and Delete Cart Line Item, version",
        check: stateful::version,
    },
    Rule {
        id: "cart.expiry",
        checks: "a cart is still there 29 days after its last change and gone after 31",
        documented: "Create Cart, usage notes (valid for 30 days from its last change)",
        check: stateful::expiry,
    },
    Rule {
        id: "option_value.forms",
        checks: "an option value is a number id, a string, a Unix timestamp or a {day, month, year} object",
        documented: "Create Cart, request examples",
        check: cart::option_value_forms,
    },
    Rule {
        id: "answers.documented_fields",
        checks: "every success answer carries each field our spec documents as always present (x-always-present), at any depth; the SDK reads answers without them",
        documented: "the API reference's response examples and real answers (spec/README.md, required fields)",
        check: answers::documented_fields,
    },
    Rule {
        id: "errors.envelope",
        checks: "error answers decode into the v3 error envelope: status, title, type, detail, errors",
        documented: "API status codes guide",
        check: errors::envelope,
    },
];

/// A rule's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every case holds (and there was at least one).
    Pass,
    /// A case breaks the rule, or no case exercised it.
    Fail,
    /// What the run saw cannot show it (why is in `failures`).
    NotCheckable,
}

/// One rule and how it fared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    /// Stable id, such as `redirect_urls.shape`.
    pub id: &'static str,
    /// What it checks.
    pub checks: &'static str,
    /// Where the documentation says so.
    pub documented: &'static str,
    /// How many cases were checked.
    pub cases: usize,
    /// The verdict.
    pub result: Verdict,
    /// Each failed case (or, for `not_checkable`, why).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<String>,
    /// Every case behind the verdict: where it came from (a cassette, a live
    /// step) and what was seen, so a failure reads without a rerun.
    pub checked: Vec<CaseRecord>,
}

/// A cassette together with its replay.
pub struct Case<'a> {
    /// The recorded interaction.
    pub cassette: &'a Cassette,
    /// What the SDK did with it.
    pub replay: &'a Replay,
}

/// Everything a run saw, for the rules to judge.
pub struct Evidence<'a> {
    /// Our specs.
    pub specs: &'a Specs,
    /// Replayed cassettes: the recorded ones and the live scenario's.
    pub cases: &'a [Case<'a>],
    /// Each subset of `include` values and the query the SDK sent for it.
    pub include_encoding: &'a [(Vec<Include>, Option<String>)],
    /// What the live scenario saw of state (`None` when it did not run).
    pub observations: Option<&'a Observations>,
}

/// Judges the rules `filter` selects on `evidence`.
pub fn evaluate(evidence: &Evidence<'_>, filter: &Filter) -> Vec<RuleResult> {
    RULES
        .iter()
        .filter(|rule| filter.selects(rule.id))
        .map(|rule| (rule.check)(evidence).into_result(rule))
        .collect()
}

/// The README's table of rules, from [`RULES`].
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
    fn ids_are_unique_and_dotted() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.id), "{} twice", rule.id);
            assert!(
                rule.id.split('.').count() == 2
                    && rule
                        .id
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'),
                "{}",
                rule.id
            );
            assert!(
                !rule.checks.contains('|') && !rule.documented.contains('|'),
                "{} breaks the table",
                rule.id
            );
        }
    }

    #[test]
    fn the_table_lists_every_rule_once() {
        let table = markdown_table();
        assert_eq!(table.lines().count(), RULES.len() + 2);
        assert!(table.contains("| `cart.version` | a cart's version goes up"), "{table}");
    }
}
