//! Rules only a server with memory (and a clock) can show: single-use and
//! 30-day redirect URLs, cart expiry, cart versions. The live scenario
//! gathers [`Observations`]; without them these rules are not checkable.

use serde::Serialize;

use super::{Checked, Evidence};

/// What the live scenario saw of state.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Observations {
    /// Visits of redirect URLs, in order.
    pub visits: Vec<Visit>,
    /// Reads of a cart after the server's clock was moved.
    pub aged_reads: Vec<AgedRead>,
    /// Changes sent with a `version`, in order.
    pub versioned: Vec<VersionedChange>,
    /// Why the steps that move the server's clock did not run (a real store
    /// has no clock to move).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_clock: Option<String>,
}

/// One visit of a redirect URL, as a shopper's browser would make it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Visit {
    /// The scenario's step.
    pub step: String,
    /// The URL visited, its token redacted.
    pub url: String,
    /// Which visit of this URL's token it is (1 for the first).
    pub visit: u32,
    /// Days since the URL was made.
    pub age_days: u32,
    /// The storefront's status.
    pub status: u16,
    /// Where it redirected to.
    pub location: Option<String>,
    /// Whether the storefront says that it loaded the cart; `None` when its
    /// answer does not say (the simulator says so in `X-Sim-Redirect`).
    pub loaded: Option<bool>,
}

/// A read of a cart after its last change was some days ago.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgedRead {
    /// The scenario's step.
    pub step: String,
    /// Days since the cart's last change.
    pub days_since_change: u32,
    /// The answer's status.
    pub status: u16,
}

/// A change sent with a `version`, and what followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionedChange {
    /// The scenario's step.
    pub step: String,
    /// The version sent.
    pub sent: i64,
    /// The cart's version before the change.
    pub current: i64,
    /// The answer's status.
    pub status: u16,
    /// Whether a refusal decoded as the v3 error envelope with its status.
    pub envelope: bool,
    /// The cart's version read after the answer.
    pub after: i64,
}

const NOT_RUN: &str = "needs the live scenario (`cargo xtask conformance` runs it against the simulator; --live --base-url URL against a server)";

fn observations<'a>(evidence: &'a Evidence<'_>) -> Result<&'a Observations, Checked> {
    evidence.observations.ok_or_else(|| Checked::not_checkable(NOT_RUN))
}

/// The observations, when the scenario could also move the server's clock.
fn observations_over_time<'a>(evidence: &'a Evidence<'_>) -> Result<&'a Observations, Checked> {
    let observed = observations(evidence)?;
    match &observed.no_clock {
        Some(why) => Err(Checked::not_checkable(why.clone())),
        None => Ok(observed),
    }
}

/// `redirect_urls.single_use`.
pub(super) fn single_use(evidence: &Evidence<'_>) -> Checked {
    let observed = match observations(evidence) {
        Ok(observed) => observed,
        Err(not_checkable) => return not_checkable,
    };
    let mut checked = Checked::default();
    let fresh: Vec<&Visit> = observed.visits.iter().filter(|v| v.age_days == 0).collect();
    if fresh.iter().filter(|v| v.visit > 1).count() == 0 {
        return Checked::not_checkable("the live scenario visited no redirect URL twice");
    }
    for visit in fresh {
        let expected = visit.visit == 1;
        match visit.loaded {
            Some(loaded) => checked.check(format!("live: {}", visit.step), loaded == expected, describe(visit)),
            None => {
                return Checked::not_checkable(format!(
                    "the storefront's answers do not say whether the cart loaded: {}",
                    observed.visits.iter().map(describe).collect::<Vec<_>>().join("; ")
                ));
            }
        }
    }
    checked
}

/// `redirect_urls.validity`.
pub(super) fn validity(evidence: &Evidence<'_>) -> Checked {
    let observed = match observations_over_time(evidence) {
        Ok(observed) => observed,
        Err(not_checkable) => return not_checkable,
    };
    let mut checked = Checked::default();
    for visit in observed.visits.iter().filter(|v| v.age_days > 0 && v.visit == 1) {
        let Some(loaded) = visit.loaded else {
            return Checked::not_checkable(format!(
                "the storefront's answer does not say whether the cart loaded: {}",
                describe(visit)
            ));
        };
        checked.check(
            format!("live: {}", visit.step),
            loaded == (visit.age_days <= 30),
            describe(visit),
        );
    }
    checked
}

/// `cart.expiry`.
pub(super) fn expiry(evidence: &Evidence<'_>) -> Checked {
    let observed = match observations_over_time(evidence) {
        Ok(observed) => observed,
        Err(not_checkable) => return not_checkable,
    };
    let mut checked = Checked::default();
    for read in &observed.aged_reads {
        let expected = if read.days_since_change <= 30 { 200 } else { 404 };
        checked.check(
            format!("live: {}", read.step),
            read.status == expected,
            format!(
                "{} days after the last change: {} (documented {expected})",
                read.days_since_change, read.status
            ),
        );
    }
    checked
}

/// `cart.version`.
pub(super) fn version(evidence: &Evidence<'_>) -> Checked {
    let observed = match observations(evidence) {
        Ok(observed) => observed,
        Err(not_checkable) => return not_checkable,
    };
    let mut checked = Checked::default();
    for change in &observed.versioned {
        let (holds, expected) = if change.sent == change.current {
            (
                (200..300).contains(&change.status) && change.after > change.current,
                "accepted, version up",
            )
        } else {
            (
                change.status == 409 && change.envelope && change.after == change.current,
                "409 in the error envelope, nothing changed",
            )
        };
        checked.check(
            format!("live: {}", change.step),
            holds,
            format!(
                "version {} sent at version {}: {}{}, version {} after (documented: {expected})",
                change.sent,
                change.current,
                change.status,
                if change.status == 409 && !change.envelope {
                    " without the error envelope"
                } else {
                    ""
                },
                change.after
            ),
        );
    }
    checked
}

fn describe(visit: &Visit) -> String {
    let said = match visit.loaded {
        Some(true) => ", cart loaded",
        Some(false) => ", cart not loaded",
        None => "",
    };
    format!(
        "visit {} of a URL {} days old: {} to {}{said}",
        visit.visit,
        visit.age_days,
        visit.status,
        visit.location.as_deref().unwrap_or("(no Location)")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{RULES, Verdict};
    use crate::spec::Specs;

    fn visit(visit: u32, age_days: u32, loaded: Option<bool>) -> Visit {
        Visit {
            step: format!("visit {visit} at {age_days} days"),
            url: "https://shop.example.com/cart.php?action=load&id=x&token=REDACTED".into(),
            visit,
            age_days,
            status: 302,
            location: Some("/cart".into()),
            loaded,
        }
    }

    fn judge(id: &str, observations: Option<&Observations>) -> crate::rules::RuleResult {
        let specs = Specs::load(&crate::spec::default_dir()).unwrap();
        let evidence = Evidence {
            specs: &specs,
            cases: &[],
            include_encoding: &[],
            observations,
        };
        let rule = RULES.iter().find(|r| r.id == id).unwrap();
        (rule.check)(&evidence).into_result(rule)
    }

    #[test]
    fn without_the_live_scenario_the_stateful_rules_are_not_checkable() {
        for id in [
            "redirect_urls.single_use",
            "redirect_urls.validity",
            "cart.expiry",
            "cart.version",
        ] {
            let result = judge(id, None);
            assert_eq!(result.result, Verdict::NotCheckable, "{id}");
        }
    }

    #[test]
    fn a_second_visit_that_loads_the_cart_fails_single_use() {
        let mut observed = Observations {
            visits: vec![visit(1, 0, Some(true)), visit(2, 0, Some(false))],
            ..Observations::default()
        };
        assert_eq!(judge("redirect_urls.single_use", Some(&observed)).result, Verdict::Pass);
        observed.visits[1].loaded = Some(true);
        let result = judge("redirect_urls.single_use", Some(&observed));
        assert_eq!(result.result, Verdict::Fail);
        assert!(
            result.failures[0].contains("visit 2 of a URL 0 days old: 302 to /cart, cart loaded"),
            "{:?}",
            result.failures
        );
        observed.visits[1].loaded = None;
        assert_eq!(
            judge("redirect_urls.single_use", Some(&observed)).result,
            Verdict::NotCheckable
        );
    }

    #[test]
    fn validity_and_expiry_follow_the_thirty_days() {
        let observed = Observations {
            visits: vec![visit(1, 29, Some(true)), visit(1, 31, Some(true))],
            aged_reads: vec![
                AgedRead {
                    step: "read at 29 days".into(),
                    days_since_change: 29,
                    status: 200,
                },
                AgedRead {
                    step: "read at 31 days".into(),
                    days_since_change: 31,
                    status: 200,
                },
            ],
            ..Observations::default()
        };
        let validity = judge("redirect_urls.validity", Some(&observed));
        assert_eq!(
            (validity.result, validity.cases, validity.failures.len()),
            (Verdict::Fail, 2, 1)
        );
        let expiry = judge("cart.expiry", Some(&observed));
        assert_eq!((expiry.result, expiry.failures.len()), (Verdict::Fail, 1));
        assert!(expiry.failures[0].contains("31 days after the last change: 200 (documented 404)"));
        let no_clock = Observations {
            no_clock: Some("a real store".into()),
            ..observed
        };
        assert_eq!(judge("cart.expiry", Some(&no_clock)).result, Verdict::NotCheckable);
    }

    #[test]
    fn a_stale_version_must_be_refused_and_change_nothing() {
        let change = |sent, status, envelope, after| VersionedChange {
            step: "change".into(),
            sent,
            current: 2,
            status,
            envelope,
            after,
        };
        let good = Observations {
            versioned: vec![change(1, 409, true, 2), change(2, 201, false, 3)],
            ..Observations::default()
        };
        assert_eq!(judge("cart.version", Some(&good)).result, Verdict::Pass);
        for bad in [
            change(1, 201, false, 3),
            change(1, 409, false, 2),
            change(1, 409, true, 3),
            change(2, 201, false, 2),
        ] {
            let observed = Observations {
                versioned: vec![bad.clone()],
                ..Observations::default()
            };
            assert_eq!(judge("cart.version", Some(&observed)).result, Verdict::Fail, "{bad:?}");
        }
    }
}
