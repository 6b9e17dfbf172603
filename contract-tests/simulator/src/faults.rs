//! Injected faults: error statuses, platform overload, dropped connections and latency.
//!
//! A service has to survive the API failing, so a store can carry a fault plan: rules that each
//! name an operation (or `*` for all), an effect, the probability that a matching request is
//! hit, an extra delay, and optionally how many times the rule may fire. Dice come from a random
//! generator seeded by the plan, so the same plan and the same requests give the same faults on
//! every run.

use serde::{Deserialize, Serialize};

/// What a fault rule does to a request it hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    /// Answer with `status` (an error envelope) instead of handling the request.
    #[serde(rename = "status")]
    Status,
    /// Answer 429 without any `X-Rate-Limit-*` header, as the platform does when it is
    /// overloaded rather than when the store's quota is spent.
    #[serde(rename = "platform_429")]
    Platform429,
    /// Close the connection without answering.
    #[serde(rename = "drop_connection")]
    DropConnection,
    /// Only delay the request by `latency_ms`, then handle it normally.
    #[serde(rename = "latency")]
    Latency,
}

/// One fault rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    /// The operation id it applies to (`createCartRedirectURL`), or `*` for every operation.
    pub operation: String,
    /// What it does.
    pub effect: Effect,
    /// The status to answer with, for [`Effect::Status`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The chance (0 to 1) that a matching request is hit.
    #[serde(default = "always")]
    pub probability: f64,
    /// A delay, in milliseconds, added before the effect.
    #[serde(default)]
    pub latency_ms: u64,
    /// How many more times the rule may fire; without it, no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
}

fn always() -> f64 {
    1.0
}

impl FaultRule {
    /// A rule answering `status` to every request of `operation`.
    pub fn status(operation: impl Into<String>, status: u16) -> Self {
        Self::with_effect(operation, Effect::Status).with_status(status)
    }

    /// A rule with `effect` on every request of `operation`.
    pub fn with_effect(operation: impl Into<String>, effect: Effect) -> Self {
        Self {
            operation: operation.into(),
            effect,
            status: None,
            probability: 1.0,
            latency_ms: 0,
            times: None,
        }
    }

    /// Sets the status (for [`Effect::Status`]).
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets the probability.
    pub fn probability(mut self, probability: f64) -> Self {
        self.probability = probability;
        self
    }

    /// Sets the delay.
    pub fn latency_ms(mut self, latency_ms: u64) -> Self {
        self.latency_ms = latency_ms;
        self
    }

    /// Lets the rule fire `times` times at most.
    pub fn times(mut self, times: u32) -> Self {
        self.times = Some(times);
        self
    }

    /// Why the rule cannot be used, if it cannot.
    fn problem(&self) -> Option<String> {
        if !(0.0..=1.0).contains(&self.probability) {
            return Some(format!("probability {} is not between 0 and 1", self.probability));
        }
        if self.latency_ms > 60_000 {
            return Some("latency_ms is above 60000".into());
        }
        match (self.effect, self.status) {
            (Effect::Status, Some(status)) if (400..=599).contains(&status) => None,
            (Effect::Status, Some(status)) => Some(format!("status {status} is not an error status (400 to 599)")),
            (Effect::Status, None) => Some("an effect of `status` needs a status".into()),
            _ => None,
        }
    }
}

/// A store's fault rules and the seed of their dice.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FaultPlan {
    /// Seeds the dice; the same seed and requests give the same faults.
    #[serde(default)]
    pub seed: u64,
    /// Rules, tried in order; the first that fires decides.
    #[serde(default)]
    pub rules: Vec<FaultRule>,
}

impl FaultPlan {
    /// A plan of `rules` with dice seeded by `seed`.
    pub fn new(seed: u64, rules: impl IntoIterator<Item = FaultRule>) -> Self {
        Self {
            seed,
            rules: rules.into_iter().collect(),
        }
    }

    /// Checks every rule; gives the first problem, naming the rule by its index.
    pub(crate) fn check(&self) -> Result<(), String> {
        for (index, rule) in self.rules.iter().enumerate() {
            if let Some(problem) = rule.problem() {
                return Err(format!("rules[{index}]: {problem}"));
            }
        }
        Ok(())
    }
}

/// What happens to one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Decision {
    pub effect: Effect,
    pub status: u16,
    pub latency_ms: u64,
}

/// The dice of a plan: a random generator seeded by the plan's seed.
pub(crate) fn dice(plan: &FaultPlan) -> fastrand::Rng {
    fastrand::Rng::with_seed(plan.seed)
}

impl FaultPlan {
    /// Decides the fate of one request of `operation`, rolling `dice`.
    pub(crate) fn decide(&mut self, dice: &mut fastrand::Rng, operation: &str) -> Option<Decision> {
        for rule in &mut self.rules {
            if rule.operation != "*" && rule.operation != operation {
                continue;
            }
            if rule.times == Some(0) {
                continue;
            }
            // A roll is made for every matching rule, even a certain one, so that adding a
            // rule with probability 1 does not shift the dice of the rules after it.
            let roll = dice.f64();
            if roll >= rule.probability {
                continue;
            }
            if let Some(times) = rule.times.as_mut() {
                *times -= 1;
            }
            return Some(Decision {
                effect: rule.effect,
                status: rule.status.unwrap_or(503),
                latency_ms: rule.latency_ms,
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_faults() {
        let plan = FaultPlan::new(7, [FaultRule::status("getCart", 503).probability(0.5)]);
        let run = || {
            let mut plan = plan.clone();
            let mut dice = dice(&plan);
            (0..64)
                .map(|_| plan.decide(&mut dice, "getCart").is_some())
                .collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        let hits = first.iter().filter(|hit| **hit).count();
        assert!((16..=48).contains(&hits), "about half are hit: {hits}");
        let mut other = FaultPlan::new(8, plan.rules.clone());
        let mut other_dice = dice(&other);
        let second: Vec<bool> = (0..64)
            .map(|_| other.decide(&mut other_dice, "getCart").is_some())
            .collect();
        assert_ne!(first, second, "another seed, other dice");
    }

    #[test]
    fn rules_match_operations_and_run_out() {
        let mut plan = FaultPlan::new(1, [FaultRule::with_effect("*", Effect::Platform429).times(2)]);
        let mut dice = dice(&plan);
        assert!(plan.decide(&mut dice, "getCart").is_some());
        assert!(plan.decide(&mut dice, "createCart").is_some());
        assert!(plan.decide(&mut dice, "getCart").is_none());
        assert_eq!(plan.rules[0].times, Some(0));
        let mut plan = FaultPlan::new(1, [FaultRule::status("getCart", 500)]);
        assert!(plan.decide(&mut dice, "createCart").is_none());
        assert_eq!(plan.decide(&mut dice, "getCart").map(|d| d.status), Some(500));
    }

    #[test]
    fn unusable_rules_are_named() {
        assert!(FaultPlan::new(0, [FaultRule::status("getCart", 200)]).check().is_err());
        assert!(
            FaultPlan::new(0, [FaultRule::with_effect("getCart", Effect::Status)])
                .check()
                .is_err()
        );
        let error = FaultPlan::new(
            0,
            [
                FaultRule::status("x", 503),
                FaultRule::status("y", 503).probability(2.0),
            ],
        )
        .check()
        .unwrap_err();
        assert!(error.starts_with("rules[1]"), "{error}");
    }
}
