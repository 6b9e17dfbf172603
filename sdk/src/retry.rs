//! Rate limits and retries.
//!
//! BigCommerce answers 429 when a store's request quota is spent, with
//! `X-Rate-Limit-Time-Reset-Ms` saying when it refills; a 429 without those
//! headers means the platform itself is overloaded. Gateways answer 502, 503
//! or 504 when the API is briefly unavailable. The client:
//! - on 429 waits what `X-Rate-Limit-Time-Reset-Ms` (or `X-Retry-After`, or
//!   `Retry-After`, in seconds) says and tries again, for every method: a
//!   429 was refused, not processed. Without those headers it backs off
//!   gradually. A wait longer than [`RetryPolicy::max_wait`] is not waited:
//!   the 429 comes back as an error carrying the figures;
//! - on 502, 503, 504, and when no answer came at all (no connection could
//!   be made, the request timed out, or the connection was closed or reset
//!   before an answer came), tries again with jittered exponential backoff,
//!   for idempotent methods only (GET, HEAD, PUT, DELETE, OPTIONS): a POST
//!   may have been processed, so it is never sent twice.
//!
//! An answer whose body is cut short is not tried again: the call had its
//! answer, and the error comes back (see [`crate::Error::Transport`]).
//!
//! Every retry emits a `tracing` event (target `bigcommerce_carts::retry`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName};
use reqwest::{Method, StatusCode};

use crate::transport::Failure;

/// When and how often a request is tried again. Set it with
/// [`crate::ClientBuilder::retry`]; [`RetryPolicy::never`] turns retries off.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first one included.
    pub max_attempts: u32,
    /// The longest single wait before a retry. A rate limit that resets
    /// later is returned to the caller instead of waited for.
    pub max_wait: Duration,
    /// The first backoff delay, doubled at every further retry (with jitter:
    /// each wait lies between half the delay and the delay).
    pub initial_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Four attempts, waits of at most 30 seconds, backoff from 500 ms.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            max_wait: Duration::from_secs(30),
            initial_backoff: Duration::from_millis(500),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is tried once.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The default policy with `max_attempts` attempts in all.
    pub fn attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// The default policy with waits of at most `max_wait`.
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// The default policy with backoff starting at `initial_backoff`.
    pub fn initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }
}

/// The rate-limit figures of an answer (BigCommerce's `X-Rate-Limit-*`
/// headers), so a caller can pace itself. See [`crate::Client::rate_limit`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests left in the current window (`X-Rate-Limit-Requests-Left`).
    pub requests_left: Option<u64>,
    /// Requests allowed per window (`X-Rate-Limit-Requests-Quota`).
    pub requests_quota: Option<u64>,
    /// The length of a window (`X-Rate-Limit-Time-Window-Ms`).
    pub window: Option<Duration>,
    /// Time until the window resets (`X-Rate-Limit-Time-Reset-Ms`).
    pub resets_in: Option<Duration>,
}

impl RateLimit {
    /// Reads the figures from response headers (names in any case); `None`
    /// when the answer carries none of them.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let number = |name| header::<u64>(headers, name);
        let limit = Self {
            requests_left: number(&REQUESTS_LEFT),
            requests_quota: number(&REQUESTS_QUOTA),
            window: number(&TIME_WINDOW_MS).map(Duration::from_millis),
            resets_in: number(&TIME_RESET_MS).map(Duration::from_millis),
        };
        (limit != Self::default()).then_some(limit)
    }
}

// Header names as constants: every answer is read for them, and a `&str`
// name would be parsed again on each lookup.
static REQUESTS_LEFT: HeaderName = HeaderName::from_static("x-rate-limit-requests-left");
static REQUESTS_QUOTA: HeaderName = HeaderName::from_static("x-rate-limit-requests-quota");
static TIME_WINDOW_MS: HeaderName = HeaderName::from_static("x-rate-limit-time-window-ms");
static TIME_RESET_MS: HeaderName = HeaderName::from_static("x-rate-limit-time-reset-ms");
static X_RETRY_AFTER: HeaderName = HeaderName::from_static("x-retry-after");

/// A header's value read as a number.
fn header<T: std::str::FromStr>(headers: &HeaderMap, name: &HeaderName) -> Option<T> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// The last rate-limit figures seen, shared by a client and its clones.
#[derive(Clone, Debug, Default)]
pub(crate) struct RateLimitState(Arc<Mutex<Option<RateLimit>>>);

impl RateLimitState {
    pub(crate) fn record(&self, headers: &HeaderMap) {
        if let Some(limit) = RateLimit::from_headers(headers) {
            *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(limit);
        }
    }

    pub(crate) fn last(&self) -> Option<RateLimit> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Why a request is tried again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reason {
    /// 429 with a reset time: the store's quota refills then.
    RateLimited,
    /// 429 without rate-limit headers: the platform is overloaded.
    Overloaded,
    /// 502, 503 or 504.
    Unavailable(StatusCode),
    /// No answer: no connection, a timeout, or a connection closed before
    /// the answer.
    NoAnswer(Failure),
}

impl Reason {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Reason::RateLimited => "rate limited",
            Reason::Overloaded => "overloaded (429 without rate-limit headers)",
            Reason::Unavailable(_) => "unavailable",
            Reason::NoAnswer(Failure::Connect) => "no answer: the connection could not be made",
            Reason::NoAnswer(Failure::Timeout) => "no answer: the request timed out",
            Reason::NoAnswer(Failure::Closed) => "no answer: the connection was closed",
            Reason::NoAnswer(Failure::Other) => "no answer",
        }
    }
}

/// Whether a method may be sent twice without doing twice what it does.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// How long a 429 asks to wait, from its headers.
pub(crate) fn requested_wait(headers: &HeaderMap) -> Option<Duration> {
    let number = |name| header::<f64>(headers, name);
    if let Some(ms) = number(&TIME_RESET_MS).filter(|ms| ms.is_finite() && *ms >= 0.0) {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    [&X_RETRY_AFTER, &http::header::RETRY_AFTER]
        .into_iter()
        .find_map(number)
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
}

/// The backoff before retry number `retry` (1 for the first retry): the
/// initial delay doubled each time, capped at `max_wait`, then jittered into
/// its upper half.
pub(crate) fn backoff(policy: &RetryPolicy, retry: u32, jitter: f64) -> Duration {
    let doubled = policy
        .initial_backoff
        .saturating_mul(1u32 << retry.saturating_sub(1).min(20));
    let capped = doubled.min(policy.max_wait);
    capped.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// What to do after attempt number `attempt` (1-based) ended with `outcome`
/// (the answer, or how the request failed to get one): `None` to hand the
/// outcome to the caller, else the wait and the reason.
pub(crate) fn decide(
    policy: &RetryPolicy,
    method: &Method,
    attempt: u32,
    outcome: Result<&reqwest::Response, Failure>,
    jitter: f64,
) -> Option<(Duration, Reason)> {
    if attempt >= policy.max_attempts {
        return None;
    }
    let (wait, reason) = match outcome {
        Ok(response) if response.status() == StatusCode::TOO_MANY_REQUESTS => {
            match requested_wait(response.headers()) {
                Some(wait) => (wait, Reason::RateLimited),
                None => (backoff(policy, attempt, jitter), Reason::Overloaded),
            }
        }
        Ok(response)
            if matches!(
                response.status(),
                StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT
            ) && is_idempotent(method) =>
        {
            (backoff(policy, attempt, jitter), Reason::Unavailable(response.status()))
        }
        Err(failure) if failure.is_no_answer() && is_idempotent(method) => {
            (backoff(policy, attempt, jitter), Reason::NoAnswer(failure))
        }
        _ => return None,
    };
    (wait <= policy.max_wait).then_some((wait, reason))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn response(status: u16, headers: &[(&'static str, &'static str)]) -> reqwest::Response {
        let mut builder = http::Response::builder().status(status);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        reqwest::Response::from(builder.body("").unwrap())
    }

    #[test]
    fn rate_limit_figures_are_read_in_any_case() {
        let mut headers = HeaderMap::new();
        headers.insert("X-RATE-LIMIT-REQUESTS-LEFT", HeaderValue::from_static("3"));
        headers.insert("x-rate-limit-requests-quota", HeaderValue::from_static("150"));
        headers.insert("X-Rate-Limit-Time-Window-Ms", HeaderValue::from_static("30000"));
        headers.insert("x-rate-limit-time-reset-ms", HeaderValue::from_static("1500"));
        let limit = RateLimit::from_headers(&headers).unwrap();
        assert_eq!(limit.requests_left, Some(3));
        assert_eq!(limit.requests_quota, Some(150));
        assert_eq!(limit.window, Some(Duration::from_secs(30)));
        assert_eq!(limit.resets_in, Some(Duration::from_millis(1500)));
        assert_eq!(RateLimit::from_headers(&HeaderMap::new()), None);
    }

    #[test]
    fn a_429_waits_for_the_reset_for_every_method() {
        let policy = RetryPolicy::default();
        let limited = response(429, &[("X-Rate-Limit-Time-Reset-Ms", "1500")]);
        for method in [Method::GET, Method::POST] {
            assert_eq!(
                decide(&policy, &method, 1, Ok(&limited), 0.3),
                Some((Duration::from_millis(1500), Reason::RateLimited))
            );
        }
        let seconds = response(429, &[("X-Retry-After", "2")]);
        assert_eq!(
            decide(&policy, &Method::POST, 1, Ok(&seconds), 0.3),
            Some((Duration::from_secs(2), Reason::RateLimited))
        );
    }

    #[test]
    fn a_reset_beyond_the_longest_wait_is_not_waited() {
        let policy = RetryPolicy::default().max_wait(Duration::from_secs(5));
        let limited = response(429, &[("x-rate-limit-time-reset-ms", "60000")]);
        assert_eq!(decide(&policy, &Method::GET, 1, Ok(&limited), 0.5), None);
    }

    #[test]
    fn overload_and_gateway_errors_back_off_gradually() {
        let policy = RetryPolicy::default();
        let overloaded = response(429, &[]);
        let (first, reason) = decide(&policy, &Method::POST, 1, Ok(&overloaded), 1.0).unwrap();
        assert_eq!((first, reason), (Duration::from_millis(500), Reason::Overloaded));
        let (third, _) = decide(&policy, &Method::POST, 3, Ok(&overloaded), 1.0).unwrap();
        assert_eq!(third, Duration::from_millis(2000));
        let (low, _) = decide(&policy, &Method::GET, 1, Ok(&response(503, &[])), 0.0).unwrap();
        assert_eq!(low, Duration::from_millis(250), "jitter keeps at least half the delay");
    }

    #[test]
    fn posts_are_not_retried_on_gateway_errors_and_nothing_past_the_last_attempt() {
        let policy = RetryPolicy::default();
        assert_eq!(decide(&policy, &Method::POST, 1, Ok(&response(503, &[])), 0.5), None);
        assert!(decide(&policy, &Method::PUT, 1, Ok(&response(502, &[])), 0.5).is_some());
        assert_eq!(decide(&policy, &Method::GET, 4, Ok(&response(503, &[])), 0.5), None);
        assert_eq!(
            decide(&RetryPolicy::never(), &Method::GET, 1, Ok(&response(503, &[])), 0.5),
            None
        );
        assert_eq!(decide(&policy, &Method::GET, 1, Ok(&response(500, &[])), 0.5), None);
    }

    #[test]
    fn requests_without_an_answer_are_retried_when_idempotent_and_posts_never() {
        let policy = RetryPolicy::default();
        for failure in [Failure::Connect, Failure::Timeout, Failure::Closed] {
            for method in [Method::GET, Method::PUT, Method::DELETE] {
                assert_eq!(
                    decide(&policy, &method, 1, Err(failure), 1.0),
                    Some((Duration::from_millis(500), Reason::NoAnswer(failure))),
                    "{method} after {failure:?}"
                );
            }
            assert_eq!(
                decide(&policy, &Method::POST, 1, Err(failure), 1.0),
                None,
                "a POST after {failure:?} may have been processed"
            );
            assert_eq!(decide(&policy, &Method::GET, 4, Err(failure), 1.0), None);
        }
        assert_eq!(
            decide(&policy, &Method::GET, 1, Err(Failure::Other), 1.0),
            None,
            "a failure that is not a missing answer is not retried"
        );
    }

    #[test]
    fn backoff_is_capped() {
        let policy = RetryPolicy::default().max_wait(Duration::from_secs(3));
        assert_eq!(backoff(&policy, 30, 1.0), Duration::from_secs(3));
    }
}
