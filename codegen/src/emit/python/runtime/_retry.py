"""Retry decisions and helpers, per the catalog's retry policies (fixed code)."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TypeAlias, TypeVar

from . import _runtime, _wire
from ._base import __ERROR_TYPE__
from ._catalog import RETRY_CONFIG, WIRE, RetryPolicy

T = TypeVar("T")


MAX_SERVER_DELAY_SECONDS = 86_400
"""The longest delay a server can make a client wait, from its details or `Retry-After`: one
day. A longer one waits this long (the same cap in every generated package)."""


@dataclass(frozen=True)
class RetryDecision:
    """Retry after waiting `delay_ms` milliseconds."""

    delay_ms: int

    @property
    def delay_seconds(self) -> float:
        return self.delay_ms / 1000


_Failure: TypeAlias = __ERROR_TYPE__ | _runtime.ErrorBodyParseError
"""What the retry helpers retry: an error, or a response that was not an error body."""

_OnRetry: TypeAlias = Callable[[_Failure, int, RetryDecision], object]
"""What `on_retry` is called with before each wait: the failure, the attempt and the decision."""


def retry_policy_for_status(status: int) -> RetryPolicy:
    """The policy a status implies for codes this version does not know."""
    if status == 429:
        return RetryPolicy("after_delay")
    if 500 <= status <= 599:
        return RetryPolicy("backoff")
    return RetryPolicy("never")


def retry_policy_of(error: __ERROR_TYPE__) -> RetryPolicy:
    """The catalog's policy for a known code, else the policy its status implies."""
    info = error.info
    return retry_policy_for_status(error.code) if info is None else info.retry


def backoff_delay_ms(attempt: int) -> int:
    """The exponential backoff delay before retry `attempt` (0-based), capped."""
    cap = RETRY_CONFIG.max_delay_ms
    delay = RETRY_CONFIG.initial_delay_ms
    for _ in range(attempt):
        delay *= RETRY_CONFIG.multiplier
        if delay >= cap:
            return cap
    return min(delay, cap)


def _delay_from_details(details: Mapping[str, object] | None, field: str) -> int | None:
    value = None if details is None else details.get(field)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= _runtime.MAX_SAFE_INTEGER else None
    if isinstance(value, float) and math.isfinite(value) and value >= 0:
        # Seconds, rounded up (a number field may hold 64.57), within the safe integers.
        seconds = math.ceil(value)
        return seconds if seconds <= _runtime.MAX_SAFE_INTEGER else None
    return None


def retry_decision(error: __ERROR_TYPE__, attempt: int) -> RetryDecision | None:
    """Whether to retry after attempt `attempt` (0-based) failed with `error`, and after how long.

    `None` (do not retry) once `attempt + 1` reaches `RETRY_CONFIG.max_attempts`, or for `never`.
    Otherwise the server's delay counts: the policy's details field (seconds), else where the
    wire format carries one (`WIRE.retry_delay`, such as AIP-193's `RetryInfo`), else
    `error.retry_after` (the `Retry-After` header). Without one, `after_delay` waits
    `RETRY_CONFIG.default_delay_seconds` and `backoff` waits `backoff_delay_ms(attempt)`. The
    server's delay is capped at `MAX_SERVER_DELAY_SECONDS`.
    """
    if attempt + 1 >= RETRY_CONFIG.max_attempts:
        return None
    policy = retry_policy_of(error)
    if policy.strategy == "never":
        return None
    seconds = (
        None
        if policy.delay_field is None
        else _delay_from_details(error.details_dict(), policy.delay_field)
    )
    if seconds is None:
        server = _wire.delay_ms(WIRE, error.fields)
        if server is not None:
            return RetryDecision(min(server, MAX_SERVER_DELAY_SECONDS * 1000))
        seconds = error.retry_after
    if seconds is not None:
        return RetryDecision(min(seconds, MAX_SERVER_DELAY_SECONDS) * 1000)
    if policy.strategy == "backoff":
        return RetryDecision(backoff_delay_ms(attempt))
    return RetryDecision(RETRY_CONFIG.default_delay_seconds * 1000)


def _decision_for(error: _Failure, attempt: int) -> RetryDecision | None:
    """The decision for what a failed attempt raised: an error by `retry_decision`; a response
    whose body was not an error body (a proxy's 503 page) by its status and `Retry-After`, as a
    code this version does not know; a body parsed without a status never."""
    if isinstance(error, __ERROR_TYPE__):
        return retry_decision(error, attempt)
    if error.status is None:
        return None
    # As a code this version does not know: no details, the status's policy.
    unknown = __ERROR_TYPE__("", "", error.status)
    unknown.retry_after = error.retry_after
    return retry_decision(unknown, attempt)


def with_retry(
    fn: Callable[[], T],
    *,
    sleep: Callable[[float], object] = time.sleep,
    on_retry: _OnRetry | None = None,
) -> T:
    """Calls `fn` until it succeeds or `retry_decision` says stop, then re-raises its last error.

    `__ERROR_TYPE__` is retried as the catalog says (429 waits, 5xx backs off, other 4xx never
    retry), and so is a response that was not an error body (`ErrorBodyParseError` from
    `from_response`), by its status; anything else propagates at once. `sleep` takes seconds.
    """
    attempt = 0
    while True:
        try:
            return fn()
        except (__ERROR_TYPE__, _runtime.ErrorBodyParseError) as error:
            decision = _decision_for(error, attempt)
            if decision is None:
                raise
            if on_retry is not None:
                on_retry(error, attempt, decision)
            sleep(decision.delay_seconds)
            attempt += 1


async def async_with_retry(
    fn: Callable[[], Awaitable[T]],
    *,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    on_retry: _OnRetry | None = None,
) -> T:
    """`with_retry` for coroutines: awaits `fn()` and `sleep`."""
    attempt = 0
    while True:
        try:
            return await fn()
        except (__ERROR_TYPE__, _runtime.ErrorBodyParseError) as error:
            decision = _decision_for(error, attempt)
            if decision is None:
                raise
            if on_retry is not None:
                on_retry(error, attempt, decision)
            await sleep(decision.delay_seconds)
            attempt += 1
