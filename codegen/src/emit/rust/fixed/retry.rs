//! The catalog's retry semantics, shared by every code: policies, parameters and decisions.

use std::time::Duration;

/// Whether and how a client retries a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryPolicy {
    /// Do not retry: fix the request instead.
    Never,
    /// Wait as long as the server says: the details field `delay_field` (seconds) when
    /// present, else the `Retry-After` header, else [`RetryConfig::default_delay_seconds`].
    AfterDelay {
        /// The details field holding the delay in seconds, if the code has one.
        delay_field: Option<&'static str>,
    },
    /// Exponential backoff per [`RetryConfig`], unless the server says how long to
    /// wait: the details field `delay_field` (seconds) when present, else the
    /// `Retry-After` header, replaces the backoff delay of that attempt.
    Backoff {
        /// The details field holding the delay in seconds, if the code has one.
        delay_field: Option<&'static str>,
    },
}

impl RetryPolicy {
    /// The policy a status implies, applied to codes this version does not know:
    /// 429 waits, 5xx backs off, anything else is never retried.
    pub const fn for_status(status: u16) -> Self {
        match status {
            429 => RetryPolicy::AfterDelay { delay_field: None },
            500..=599 => RetryPolicy::Backoff { delay_field: None },
            _ => RetryPolicy::Never,
        }
    }

    /// False only for [`RetryPolicy::Never`].
    pub const fn is_retryable(self) -> bool {
        !matches!(self, RetryPolicy::Never)
    }

    /// The decision after attempt `attempt` (0-based) failed with this policy.
    /// `delay_seconds` is the value of the code's delay field, if any;
    /// `retry_after` is the `Retry-After` header (whole seconds; other forms count as absent).
    /// Either delay is capped at [`MAX_SERVER_DELAY_SECONDS`].
    pub fn decide(
        self,
        attempt: u32,
        delay_seconds: Option<u64>,
        retry_after: Option<&str>,
    ) -> RetryDecision {
        if attempt.saturating_add(1) >= RETRY.max_attempts {
            return RetryDecision::DoNotRetry;
        }
        let server = delay_seconds
            .or_else(|| retry_after.and_then(parse_retry_after))
            .map(|seconds| Duration::from_secs(seconds.min(MAX_SERVER_DELAY_SECONDS)));
        match self {
            RetryPolicy::Never => RetryDecision::DoNotRetry,
            RetryPolicy::AfterDelay { .. } => {
                let default = Duration::from_secs(RETRY.default_delay_seconds);
                RetryDecision::RetryAfter(server.unwrap_or(default))
            }
            RetryPolicy::Backoff { .. } => {
                RetryDecision::RetryAfter(server.unwrap_or_else(|| RETRY.backoff_delay(attempt)))
            }
        }
    }
}

/// The longest delay a server can make a client wait, from its details or `Retry-After`: one
/// day. A longer one (a bug, or a hostile server) waits this long; the same cap in every
/// generated package.
pub const MAX_SERVER_DELAY_SECONDS: u64 = 86_400;

/// A `Retry-After` value in whole seconds: ASCII digits, with spaces or tabs around them; too
/// many digits read as `u64::MAX`. `None` for anything else (HTTP dates, `+7`, `-1`, `1.5`).
pub(crate) fn parse_retry_after(value: &str) -> Option<u64> {
    let digits = value.trim_matches([' ', '\t']);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse().unwrap_or(u64::MAX))
}

/// Catalog-wide retry parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RetryConfig {
    /// Attempts in total, the first included.
    pub max_attempts: u32,
    /// The backoff delay before the first retry, in milliseconds.
    pub initial_delay_ms: u64,
    /// The factor between consecutive backoff delays.
    pub multiplier: u32,
    /// The largest backoff delay, in milliseconds.
    pub max_delay_ms: u64,
    /// The wait for a rate-limited code when neither its details nor `Retry-After` say.
    pub default_delay_seconds: u64,
}

impl RetryConfig {
    /// The backoff delay before retry `attempt` (0-based):
    /// `initial_delay_ms * multiplier^attempt`, capped at `max_delay_ms`.
    pub const fn backoff_delay(&self, attempt: u32) -> Duration {
        let factor = (self.multiplier as u64).saturating_pow(attempt);
        let ms = self.initial_delay_ms.saturating_mul(factor);
        let cap = self.max_delay_ms;
        Duration::from_millis(if ms < cap { ms } else { cap })
    }
}

/// What a client does after a failed attempt. The caller does the waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryDecision {
    /// Give up (or fix the request): the error is final.
    DoNotRetry,
    /// Retry after waiting this long.
    RetryAfter(Duration),
}

impl RetryDecision {
    /// True for [`RetryDecision::RetryAfter`].
    pub const fn should_retry(self) -> bool {
        matches!(self, RetryDecision::RetryAfter(_))
    }

    /// How long to wait before retrying, if retrying.
    pub const fn delay(self) -> Option<Duration> {
        match self {
            RetryDecision::RetryAfter(d) => Some(d),
            RetryDecision::DoNotRetry => None,
        }
    }
}
