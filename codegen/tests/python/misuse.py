"""Misuse of the installed HueChat wheel. Must NOT type-check, with mypy --strict nor with
pyright's strict mode: each line marked `# expect: <codes>` must fail with exactly the mypy error
codes (`attr-defined`) and pyright rules (`reportCallIssue`) it lists, and no other line may fail."""

from __future__ import annotations

from huechat_errors import (
    ErrorCode,
    HueChatError,
    InvalidInput,
    MissingFieldDetails,
    NotFound,
    NotFoundDetails,
    RateLimited,
    RateLimitedDetails,
    RateLimitedHeaders,
)


def details_are_typed_per_code(error: HueChatError) -> None:
    try:
        raise error
    except RateLimited as e:
        e.details.no_such_field  # expect: attr-defined reportAttributeAccessIssue reportUnknownMemberType
        e.details.retry_after = 1  # expect: misc reportAttributeAccessIssue
        name: str = e.details.limit  # expect: assignment reportAssignmentType
        del name
    except NotFound as e:
        e.details.retry_after  # expect: attr-defined reportAttributeAccessIssue reportUnknownMemberType
    except HueChatError as e:
        e.details.retry_after  # expect: attr-defined reportAttributeAccessIssue reportUnknownMemberType


# Constructors take their own code's details, with every required field.
RateLimited(NotFoundDetails(resource_type="contact", identifier="x"))  # expect: arg-type reportArgumentType
RateLimitedDetails(limit=1, window="1 minute")  # expect: call-arg reportCallIssue
RateLimitedDetails(limit="1", window="1 minute", retry_after=1)  # expect: arg-type reportArgumentType
MissingFieldDetails(field="phone", extra=1)  # expect: call-arg reportCallIssue
InvalidInput()  # expect: call-arg reportCallIssue
ErrorCode.RATE_LIMITTED  # expect: attr-defined reportAttributeAccessIssue reportUnknownMemberType
RateLimitedHeaders(retry_after="60", x_rate_limit_limit=1, x_rate_limit_remaining=0, x_rate_limit_reset=0)  # expect: arg-type reportArgumentType
RateLimitedHeaders(retry_after=60)  # expect: call-arg reportCallIssue
