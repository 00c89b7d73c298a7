"""A consumer of the installed HueChat wheel: must type-check (mypy --strict) and run."""

from __future__ import annotations

import logging

from huechat_errors import (
    ERROR_CODES,
    ErrorBodyParseError,
    ErrorCode,
    HueChatError,
    NotFound,
    NotFoundDetails,
    RateLimited,
    RateLimitedDetails,
    RateLimitedHeaders,
    RateLimitErrors,
    ServiceUnavailable,
    UnknownHueChatError,
    ValidationErrors,
    retry_decision,
    with_retry,
)

logger = logging.getLogger("consumer")

# Client side: a response from any HTTP client.
body = (
    '{"error": "rate_limited", "message": "Rate limit exceeded. Retry after 60 seconds.",'
    ' "code": 429, "details": {"limit": 100, "window": "1 minute", "retry_after": 60},'
    ' "request_id": "req_1"}'
)
error = HueChatError.from_response(429, {"Retry-After": "60"}, body)
try:
    raise error
except RateLimited as e:
    wait: int = e.details.retry_after
    assert wait == 60 and e.retry_after == 60 and e.status == 429
    assert isinstance(e, RateLimitErrors)
    decision = retry_decision(e, 0)
    assert decision is not None and decision.delay_seconds == 60
    logger.error("HueChat API error: %s", e.message, extra=e.log_extra())

# Codes from a newer server still parse.
future = HueChatError.from_json(
    '{"error": "zz_new", "message": "m", "code": 400, "details": {"x": 1}}'
)
assert isinstance(future, UnknownHueChatError) and future.details == {"x": 1}
assert not isinstance(future, ValidationErrors)

# A malformed body raises one exception listing every problem.
try:
    HueChatError.from_json('{"error": 1, "code": "400"}')
except ErrorBodyParseError as e:
    assert len(e.problems) >= 3, e.problems

# Server side: a constructor per code; the message comes from the template.
not_found = NotFound(NotFoundDetails(resource_type="contact", identifier="cnt_1"))
assert not_found.to_dict()["code"] == 404
assert not_found.response_headers() == {}
# A code's response headers are a typed dataclass too; `response_headers()` gives them all.
limited = RateLimited(
    RateLimitedDetails(limit=100, window="1 minute", retry_after=60),
    headers=RateLimitedHeaders(
        retry_after=60,
        x_rate_limit_limit=100,
        x_rate_limit_remaining=0,
        x_rate_limit_reset=1706215260,
    ),
)
assert limited.response_headers() == {
    "Retry-After": "60",
    "X-RateLimit-Limit": "100",
    "X-RateLimit-Remaining": "0",
    "X-RateLimit-Reset": "1706215260",
}
assert ErrorCode.lookup("not_found") is ErrorCode.NOT_FOUND and len(ERROR_CODES) > 1

# Retry: 5xx backs off, with an injected sleep.
calls: list[int] = []
slept: list[float] = []


def flaky() -> str:
    calls.append(1)
    if len(calls) < 2:
        raise ServiceUnavailable.from_dict(
            {
                "error": "service_unavailable",
                "message": "Service temporarily unavailable. Please retry.",
                "code": 503,
                "details": {"retry_after": 2},
            }
        )
    return "ok"


assert with_retry(flaky, sleep=slept.append) == "ok"
assert len(slept) == 1
print("consumer: ok")
