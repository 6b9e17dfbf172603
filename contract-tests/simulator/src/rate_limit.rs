//! Per-store request quotas, in fixed windows.
//!
//! BigCommerce counts each store's requests in windows of 30 seconds and reports the state of
//! the count on every answer with four headers; the SDK reads them (`sdk/src/retry.rs`) to pace
//! itself and to know how long to wait after a 429. A window starts with the first request
//! after the previous one ended. Time is the store's clock, so a test refills a quota by
//! advancing the clock instead of sleeping.

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};

/// A store's quota: how many requests fit in one window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimitConfig {
    /// Requests allowed per window.
    pub quota: u64,
    /// The window's length in milliseconds.
    pub window_ms: u64,
}

impl Default for RateLimitConfig {
    /// A generous quota (tests rarely want to meet it by accident) per 30-second window.
    fn default() -> Self {
        Self {
            quota: 20_000,
            window_ms: 30_000,
        }
    }
}

/// The header names the SDK reads.
pub(crate) const REQUESTS_LEFT: HeaderName = HeaderName::from_static("x-rate-limit-requests-left");
pub(crate) const REQUESTS_QUOTA: HeaderName = HeaderName::from_static("x-rate-limit-requests-quota");
pub(crate) const TIME_WINDOW_MS: HeaderName = HeaderName::from_static("x-rate-limit-time-window-ms");
pub(crate) const TIME_RESET_MS: HeaderName = HeaderName::from_static("x-rate-limit-time-reset-ms");

/// The count of the current window.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Window {
    start_ms: Option<i64>,
    used: u64,
}

/// The state of the quota after a request was counted (or refused).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub allowed: bool,
    pub left: u64,
    pub quota: u64,
    pub window_ms: u64,
    pub reset_ms: u64,
}

impl Window {
    /// Counts one request at `now_ms` against `config`.
    pub fn take(&mut self, config: RateLimitConfig, now_ms: i64) -> Verdict {
        self.roll(config, now_ms);
        let allowed = self.used < config.quota;
        if allowed {
            self.used += 1;
        }
        self.verdict(config, now_ms, allowed)
    }

    /// The state at `now_ms` without counting anything.
    pub fn peek(&mut self, config: RateLimitConfig, now_ms: i64) -> Verdict {
        self.roll(config, now_ms);
        self.verdict(config, now_ms, true)
    }

    /// Starts a new window when the current one has ended.
    fn roll(&mut self, config: RateLimitConfig, now_ms: i64) {
        let window = i64::try_from(config.window_ms).unwrap_or(i64::MAX);
        match self.start_ms {
            Some(start) if now_ms < start.saturating_add(window) && now_ms >= start => {}
            _ => {
                self.start_ms = Some(now_ms);
                self.used = 0;
            }
        }
    }

    fn verdict(&self, config: RateLimitConfig, now_ms: i64, allowed: bool) -> Verdict {
        let start = self.start_ms.unwrap_or(now_ms);
        let window = i64::try_from(config.window_ms).unwrap_or(i64::MAX);
        let reset = start.saturating_add(window).saturating_sub(now_ms).max(0);
        Verdict {
            allowed,
            left: config.quota.saturating_sub(self.used),
            quota: config.quota,
            window_ms: config.window_ms,
            reset_ms: u64::try_from(reset).unwrap_or(0),
        }
    }
}

impl Verdict {
    /// Writes the four `X-Rate-Limit-*` headers.
    pub fn write_headers(&self, headers: &mut HeaderMap) {
        headers.insert(REQUESTS_LEFT, HeaderValue::from(self.left));
        headers.insert(REQUESTS_QUOTA, HeaderValue::from(self.quota));
        headers.insert(TIME_WINDOW_MS, HeaderValue::from(self.window_ms));
        headers.insert(TIME_RESET_MS, HeaderValue::from(self.reset_ms));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_counts_down_and_refills_when_it_ends() {
        let config = RateLimitConfig {
            quota: 2,
            window_ms: 30_000,
        };
        let mut window = Window::default();
        let first = window.take(config, 1_000);
        assert!(first.allowed);
        assert_eq!((first.left, first.reset_ms), (1, 30_000));
        assert!(window.take(config, 2_000).allowed);
        let spent = window.take(config, 3_000);
        assert!(!spent.allowed);
        assert_eq!((spent.left, spent.reset_ms), (0, 28_000));
        assert_eq!(window.peek(config, 3_500).left, 0);
        let refilled = window.take(config, 31_000);
        assert!(refilled.allowed);
        assert_eq!((refilled.left, refilled.reset_ms), (1, 30_000));
    }

    #[test]
    fn all_four_headers_are_written() {
        let verdict = Window::default().take(RateLimitConfig::default(), 0);
        let mut headers = HeaderMap::new();
        verdict.write_headers(&mut headers);
        assert_eq!(headers["x-rate-limit-requests-quota"], "20000");
        assert_eq!(headers["x-rate-limit-requests-left"], "19999");
        assert_eq!(headers["x-rate-limit-time-window-ms"], "30000");
        assert_eq!(headers["x-rate-limit-time-reset-ms"], "30000");
    }
}
