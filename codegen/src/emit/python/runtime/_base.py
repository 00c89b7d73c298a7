"""The base exception, the envelope check and parsing (fixed code)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import NoReturn, TypeVar, cast

from . import _runtime
from ._catalog import ENVELOPE_REQUIRED, ErrorCode, ErrorInfo, RetiredCode, retired_code


class ErrorBodyParseError(ValueError):
    """A value that is not an error body; `problems` lists every reason, each with its path."""

    problems: tuple[str, ...]

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("not a valid error body: " + "; ".join(self.problems))


@dataclass(frozen=True)
class Envelope:
    """The envelope fields of a body being parsed (only read once it has no problems)."""

    error: str
    message: str
    code: int | None
    details: Mapping[str, object] | None
    has_details: bool
    """Whether the body has a `details` field at all (an object or not)."""
    request_id: str | None
    timestamp: str | None


@dataclass(frozen=True)
class Known:
    """A code this version knows: its status, and how to build its exception."""

    status: int
    build: Callable[[Envelope, list[str]], __ERROR_TYPE__ | None]
    """Checks the details (appending problems) and builds the exception if there are none."""


KNOWN: dict[str, Known] = {}
"""Every code this version knows; filled by `_errors`."""


class __ERROR_TYPE__(Exception):
    """An error response (or webhook error payload) as an exception.

    Catch a code's class (`except RateLimited as e`) for its typed `details`, a category's class
    for every code of that category, or this class for all of them.
    """

    error: str
    """Machine-readable error code (the wire string)."""
    message: str
    """Human-readable description."""
    code: int
    """The HTTP status the body carries."""
    request_id: str | None
    timestamp: str | None
    status: int | None
    """The HTTP status of the response this was built from, if any."""
    retry_after: int | None
    """Seconds from the response's `Retry-After` header, when it had a number of seconds."""

    def __init__(
        self,
        error: str,
        message: str,
        code: int,
        *,
        request_id: str | None = None,
        timestamp: str | None = None,
    ) -> None:
        super().__init__(message)
        self.error = error
        self.message = message
        self.code = code
        self.request_id = request_id
        self.timestamp = timestamp
        self.status = None
        self.retry_after = None
        self._body: dict[str, object] | None = None

    @property
    def details(self) -> object:
        """The details; each code's class types them."""
        return None

    def details_dict(self) -> dict[str, object] | None:
        """The details as JSON data, as they are sent."""
        return None

    @property
    def body(self) -> dict[str, object]:
        """The body as received, or as `to_dict()` gives it for an error built here."""
        return self._body if self._body is not None else self.to_dict()

    @property
    def error_code(self) -> ErrorCode | None:
        """The code, when this version knows it."""
        return ErrorCode.lookup(self.error)

    @property
    def info(self) -> ErrorInfo | None:
        """The catalog entry of the code, when this version knows it."""
        code = self.error_code
        return None if code is None else code.info

    @property
    def docs_url(self) -> str | None:
        info = self.info
        return None if info is None else info.docs_url

    def to_dict(self) -> dict[str, object]:
        """The wire body."""
        out: dict[str, object] = {
            "error": self.error,
            "message": self.message,
            "code": self.code,
        }
        details = self.details_dict()
        if details is not None:
            out["details"] = details
        if self.request_id is not None:
            out["request_id"] = self.request_id
        if self.timestamp is not None:
            out["timestamp"] = self.timestamp
        return out

    def to_json(self) -> str:
        """The wire body as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def log_extra(self) -> dict[str, object]:
        """What to pass as `extra=` to `logging`: `error_code`, `request_id` and `details`."""
        return {
            "error_code": self.error,
            "request_id": self.request_id,
            "details": self.details_dict(),
        }

    def with_request_id(self, request_id: str) -> __ERROR_TYPE__:
        self.request_id = request_id
        return self

    def __str__(self) -> str:
        """`code: message (request_id: ...)`, as the Rust crate's `Display`: log it whole."""
        suffix = "" if self.request_id is None else f" (request_id: {self.request_id})"
        return f"{self.error}: {self.message}{suffix}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_json()})"

    @classmethod
    def from_dict(
        cls,
        value: object,
        *,
        status: int | None = None,
        retry_after: str | int | None = None,
    ) -> __ERROR_TYPE__:
        """The error a parsed JSON body describes.

        Raises `ErrorBodyParseError`, listing every problem, when it is not an error body.
        """
        problems: list[str] = []
        envelope = check_envelope(value, problems)
        error: __ERROR_TYPE__ | None = None
        if envelope is not None:
            known = KNOWN.get(envelope.error)
            if known is None:
                if not problems and envelope.code is not None:
                    error = Unknown__ERROR_TYPE__(
                        envelope.error,
                        envelope.message,
                        envelope.code,
                        details=envelope.details,
                        request_id=envelope.request_id,
                        timestamp=envelope.timestamp,
                    )
            else:
                if envelope.code is not None and envelope.code != known.status:
                    problems.append(
                        f"code: expected {known.status} for {json.dumps(envelope.error)}, "
                        f"found the number {envelope.code}"
                    )
                error = known.build(envelope, problems)
        if problems or error is None:
            raise ErrorBodyParseError(problems or ["body: not an error body"])
        received = _runtime.as_object(value)
        if received is not None:
            error._body = dict(received)
        error.status = status
        error.retry_after = _runtime.retry_after_seconds(retry_after)
        return error

    @classmethod
    def from_json(
        cls,
        text: str | bytes | bytearray,
        *,
        status: int | None = None,
        retry_after: str | int | None = None,
    ) -> __ERROR_TYPE__:
        """The error a JSON body describes; `ErrorBodyParseError` for anything else."""
        return cls.from_dict(
            _loads(text, status),
            status=status,
            retry_after=retry_after,
        )

    @classmethod
    def from_response(
        cls,
        status: int,
        headers: Mapping[str, str] | Iterable[tuple[str, str]],
        body: str | bytes | bytearray | Mapping[str, object],
    ) -> __ERROR_TYPE__:
        """The error an HTTP response carries, from any client: its status, headers and body
        (text, bytes, or already-decoded JSON)."""
        value: object = (
            _loads(body, status) if isinstance(body, str | bytes | bytearray) else dict(body)
        )
        return cls.from_dict(value, status=status, retry_after=_header(headers, "retry-after"))


class Unknown__ERROR_TYPE__(__ERROR_TYPE__):
    """A code this version does not know, with its raw details: sent by a newer server, or a
    retired code (see `retired`) sent by an older one.
    """

    def __init__(
        self,
        error: str,
        message: str,
        code: int,
        *,
        details: Mapping[str, object] | None = None,
        request_id: str | None = None,
        timestamp: str | None = None,
    ) -> None:
        super().__init__(
            error,
            message,
            code,
            request_id=request_id,
            timestamp=timestamp,
        )
        self._details = details

    @property
    def details(self) -> Mapping[str, object] | None:
        return self._details

    @property
    def retired(self) -> RetiredCode | None:
        """The retirement of the code, when an older server sent a code this catalog retired."""
        return retired_code(self.error)

    @property
    def docs_url(self) -> str | None:
        """The docs section of a retired code, kept so that old links resolve."""
        retired = self.retired
        return super().docs_url if retired is None else retired.docs_url

    def details_dict(self) -> dict[str, object] | None:
        return None if self._details is None else dict(self._details)


def _header(headers: Mapping[str, str] | Iterable[tuple[str, str]], name: str) -> str | None:
    """A header's value, its name matched case-insensitively."""
    pairs: Iterable[tuple[str, str]]
    if isinstance(headers, Mapping):
        pairs = cast("Mapping[str, str]", headers).items()
    else:
        pairs = headers
    return next((v for k, v in pairs if k.lower() == name), None)


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _loads(text: str | bytes | bytearray, status: int | None) -> object:
    """JSON text as a value, or `ErrorBodyParseError` (never another exception). Bytes must be
    UTF-8; one byte-order mark is ignored (RFC 8259 allows it; fetch's `Response.json()` and
    the Rust crate do the same)."""
    try:
        if not isinstance(text, str):
            text = bytes(text).decode("utf-8")
        return json.loads(text.removeprefix("\ufeff"), parse_constant=_reject_constant)
    except (ValueError, RecursionError, TypeError) as e:
        where = "" if status is None else f" (HTTP {status})"
        raise ErrorBodyParseError([f"body: not JSON{where}: {e}"]) from None


def check_envelope(value: object, problems: list[str]) -> Envelope | None:
    """Checks the envelope, appending problems; the fields when they can be read at all."""
    if not _runtime.check_json(value, problems):
        problems.append(f"body: nested deeper than {_runtime.MAX_DEPTH} levels")
        return None
    obj = _runtime.as_object(value)
    if obj is None:
        problems.append(f"body: expected an object, found {_runtime.describe(value)}")
        return None
    for name in ENVELOPE_REQUIRED:
        if name not in obj:
            problems.append(f"{name}: required field is missing")
    error = _runtime.optional(obj, "error", "", problems, _runtime.string)
    message = _runtime.optional(obj, "message", "", problems, _runtime.string)
    code = _runtime.optional(obj, "code", "", problems, _runtime.integer(100, 599))
    request_id = _runtime.optional(obj, "request_id", "", problems, _runtime.string)
    timestamp = _runtime.optional(obj, "timestamp", "", problems, _runtime.string)
    details: Mapping[str, object] | None = None
    if "details" in obj:
        details = _runtime.as_object(obj["details"])
        if details is None:
            _runtime.mismatch(obj["details"], "an object", "details", problems)
    if error is None:
        return None
    return Envelope(
        error=error,
        message="" if message is None else message,
        code=code,
        details=details,
        has_details="details" in obj,
        request_id=request_id,
        timestamp=timestamp,
    )


D = TypeVar("D")


def read_details(
    envelope: Envelope,
    problems: list[str],
    parse: _runtime.Parser[D],
    required: str | None,
) -> D | None:
    """A known code's details; `required` names its required fields when it has some."""
    if envelope.details is None:
        if not envelope.has_details and required is not None:
            problems.append(
                f"details: required for {json.dumps(envelope.error)} (with {required}), but missing"
            )
        return None
    return parse(envelope.details, "details", problems)
