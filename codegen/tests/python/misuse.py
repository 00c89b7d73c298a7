"""Misuse of the installed HueChat wheel. Must NOT type-check: every line marked
`# expect: <mypy error code>` must fail with exactly that error, and no other line may fail."""

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
)


def details_are_typed_per_code(error: HueChatError) -> None:
    try:
        raise error
    except RateLimited as e:
        e.details.no_such_field  # expect: attr-defined
        e.details.retry_after = 1  # expect: misc
        name: str = e.details.limit  # expect: assignment
        del name
    except NotFound as e:
        e.details.retry_after  # expect: attr-defined
    except HueChatError as e:
        e.details.retry_after  # expect: attr-defined


# Constructors take their own code's details, with every required field.
RateLimited(NotFoundDetails(resource_type="contact", identifier="x"))  # expect: arg-type
RateLimitedDetails(limit=1, window="1 minute")  # expect: call-arg
RateLimitedDetails(limit="1", window="1 minute", retry_after=1)  # expect: arg-type
MissingFieldDetails(field="phone", extra=1)  # expect: call-arg
InvalidInput()  # expect: call-arg
ErrorCode.RATE_LIMITTED  # expect: attr-defined
