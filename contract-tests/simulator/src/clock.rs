//! Where "now" comes from.
//!
//! Carts expire, redirect URLs lapse and rate-limit windows refill with time. Tests must not
//! wait for any of that, so the simulator never reads the wall clock directly: it reads a base
//! clock (the wall clock, or an instant frozen at start) plus an offset that each store keeps
//! for itself and that the admin API moves forward. Offsets are per store so that one test
//! advancing time does not expire the carts of another test running in parallel.

use chrono::{DateTime, TimeDelta, Utc};

/// The clock every store's time is measured from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BaseClock {
    /// The machine's wall clock; time passes by itself.
    #[default]
    System,
    /// A fixed instant; time moves only when a store's clock is advanced.
    Frozen(DateTime<Utc>),
}

impl BaseClock {
    /// The base instant now.
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            BaseClock::System => Utc::now(),
            BaseClock::Frozen(at) => *at,
        }
    }

    /// The time seen by a store whose clock was advanced by `offset_ms` milliseconds.
    pub(crate) fn now_with_offset(&self, offset_ms: i64) -> DateTime<Utc> {
        let base = self.now();
        TimeDelta::try_milliseconds(offset_ms)
            .and_then(|offset| base.checked_add_signed(offset))
            .unwrap_or(base)
    }
}

/// How long carts live after their last change, and how long redirect URLs stay valid.
pub(crate) const THIRTY_DAYS_MS: i64 = 30 * 24 * 60 * 60 * 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frozen_clock_moves_only_by_the_offset() {
        let start = DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z").unwrap().to_utc();
        let clock = BaseClock::Frozen(start);
        assert_eq!(clock.now(), start);
        assert_eq!(clock.now_with_offset(1_500), start + TimeDelta::milliseconds(1_500));
        assert_eq!(
            clock.now_with_offset(i64::MAX),
            start,
            "an absurd offset leaves the time alone"
        );
        assert_eq!(clock.now_with_offset(i64::MIN), start);
    }
}
