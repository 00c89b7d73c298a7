"""The base exception, the envelope check and parsing (fixed code)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NoReturn, TypeVar, cast

from . import _runtime, _wire
from ._catalog import WIRE, WIRE_CONSTANTS, ErrorCode, ErrorInfo, RetiredCode, retired_code
from ._runtime import override

ErrorBodyParseError = _runtime.ErrorBodyParseError
"""Raised for a value that is not an error body (defined beside the checks, where the retry
helpers find it too)."""


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
    fields: Mapping[str, object]
    """The format's other fields, by name (`_catalog.WIRE`)."""
    status_path: str
    """Where the status was read, for problems."""
    details_path: str
    """Where the details are, for problems."""


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
    fields: dict[str, object]
    """The wire format's other envelope fields, by name (empty for most formats)."""
    headers: list[tuple[str, str]]
    """Response headers a server sends with the error (name, value), such as `Retry-After`: the
    code's own, from its constructor's `headers`; empty for an error read from a response."""

    def __init__(
        self,
        error: str,
        message: str,
        code: int,
        *,
        request_id: str | None = None,
        timestamp: str | None = None,
        fields: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.error = error
        self.message = message
        self.code = code
        self.request_id = request_id
        self.timestamp = timestamp
        self.fields = {} if fields is None else dict(fields)
        self.headers = []
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

    def envelope(self) -> dict[str, object]:
        """The envelope's members by name, whatever the wire format (`to_dict` lays them out)."""
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
        out.update(self.fields)
        return out

    def to_dict(self) -> dict[str, object]:
        """The wire body, as the API's wire format lays it out."""
        return _wire.write(WIRE, self.envelope(), WIRE_CONSTANTS.get(self.error, {}))

    def wire_headers(self) -> dict[str, str]:
        """The response headers the wire format puts a member in (a header-borne code)."""
        return _wire.headers_of(WIRE, self.envelope())

    def response_headers(self) -> dict[str, str]:
        """Every header of the response: the error's own (`headers`), then the wire format's."""
        out = dict(self.headers)
        out.update(self.wire_headers())
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
        """Sets the `request_id` the body carries, and returns the error."""
        self.request_id = request_id
        return self

    @override
    def __str__(self) -> str:
        """`code: message (request_id: ...)`, as the Rust crate's `Display`: log it whole (`code`
        alone when the message is empty)."""
        suffix = "" if self.request_id is None else f" (request_id: {self.request_id})"
        message = f": {self.message}" if self.message else ""
        return f"{self.error}{message}{suffix}"

    @override
    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_json()})"

    @override
    def __reduce__(self) -> tuple[object, ...]:
        """Pickles every field as it is, without calling `__init__` (each code's class takes its
        own arguments; the default would pass the message as the details): `pickle`, and so
        `multiprocessing` and `concurrent.futures`, give back an error of the same class with
        the same details, body, status, `retry_after`, `request_id` and fields."""
        return (_unpickle, (type(self), self.args), self.__dict__)

    @classmethod
    def from_dict(
        cls,
        value: object,
        *,
        status: int | None = None,
        retry_after: str | int | None = None,
        headers: _wire.Headers | None = None,
    ) -> __ERROR_TYPE__:
        """The error a parsed JSON body describes (with the response's `headers` and `status`
        where the wire format keeps something there, such as a header-borne code).

        Raises `ErrorBodyParseError`, listing every problem, when it is not an error body.
        """
        problems: list[str] = []
        envelope = check_envelope(value, problems, headers, status)
        error: __ERROR_TYPE__ | None = None
        if envelope is not None:
            known = KNOWN.get(envelope.error)
            if known is None:
                if not problems:
                    # A wire without a status in the body, and no response status: 0, as the
                    # Rust crate says.
                    error = Unknown__ERROR_TYPE__(
                        envelope.error,
                        envelope.message,
                        0 if envelope.code is None else envelope.code,
                        details=envelope.details,
                        request_id=envelope.request_id,
                        timestamp=envelope.timestamp,
                        fields=envelope.fields,
                    )
            else:
                if envelope.code is not None and envelope.code != known.status:
                    problems.append(
                        f"{envelope.status_path}: expected {known.status} for "
                        f"{json.dumps(envelope.error)}, found the number {envelope.code}"
                    )
                error = known.build(envelope, problems)
                if error is not None:
                    error.fields = dict(envelope.fields)
        if problems or error is None:
            # A path through a value of the wrong type is reported once.
            raise ErrorBodyParseError(
                dict.fromkeys(problems) or ["body: not an error body"],
                status=status,
                retry_after=_runtime.retry_after_seconds(retry_after),
            )
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
        headers: _wire.Headers | None = None,
    ) -> __ERROR_TYPE__:
        """The error a JSON body describes; `ErrorBodyParseError` for anything else."""
        return cls.from_dict(
            _loads(text, status, retry_after),
            status=status,
            retry_after=retry_after,
            headers=headers,
        )

    @classmethod
    def from_response(
        cls,
        status: int,
        headers: _wire.Headers,
        body: str | bytes | bytearray | Mapping[str, object],
    ) -> __ERROR_TYPE__:
        """The error an HTTP response carries, from any client: its status, headers and body
        (text, bytes, or already-decoded JSON, which is checked like text: a decoded array or
        `None` raises `ErrorBodyParseError` too)."""
        pairs: list[tuple[str, str]] = (
            list(cast("Mapping[str, str]", headers).items())
            if isinstance(headers, Mapping)
            else list(headers)
        )
        retry_after = _wire.header(pairs, "retry-after")
        return cls.from_dict(
            _decoded(body, status, retry_after),
            status=status,
            retry_after=retry_after,
            headers=pairs,
        )


E = TypeVar("E", bound=__ERROR_TYPE__)


def _unpickle(cls: type[E], args: tuple[object, ...]) -> E:
    """An error of `cls` with these exception `args`; `pickle` then restores its fields."""
    return cls.__new__(cls, *args)


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
        fields: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(
            error,
            message,
            code,
            request_id=request_id,
            timestamp=timestamp,
            fields=fields,
        )
        self._details = details

    @property
    @override
    def details(self) -> Mapping[str, object] | None:
        return self._details

    @property
    def retired(self) -> RetiredCode | None:
        """The retirement of the code, when an older server sent a code this catalog retired."""
        return retired_code(self.error)

    @property
    @override
    def docs_url(self) -> str | None:
        """The docs section of a retired code, kept so that old links resolve."""
        retired = self.retired
        return super().docs_url if retired is None else retired.docs_url

    @override
    def details_dict(self) -> dict[str, object] | None:
        return None if self._details is None else dict(self._details)


def _decoded(body: object, status: int | None, retry_after: str | None) -> object:
    """A response body as a JSON value: text and bytes decoded, a mapping as a `dict`, anything
    else as it is (typed callers pass a mapping, but `response.json()` is any JSON value)."""
    if isinstance(body, str | bytes | bytearray):
        return _loads(body, status, retry_after)
    if isinstance(body, Mapping):
        return dict(cast("Mapping[str, object]", body))
    return body


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _float(token: str) -> float:
    """A JSON number with a fraction or an exponent; beyond a double is not JSON (I-JSON), even
    where a later duplicate key hides it."""
    value = float(token)
    if not math.isfinite(value):
        raise ValueError("a number is beyond the range of a double")
    return value


def _int(token: str) -> int:
    """A JSON integer; beyond a double is not JSON, as for `_float`."""
    value = int(token)
    if abs(value) > _runtime.MAX_SAFE_INTEGER:
        try:
            float(value)
        except OverflowError:
            raise ValueError("a number is beyond the range of a double") from None
    return value


class _Objects:
    """`json.loads`'s `object_pairs_hook` for one text: an object keeps the last of duplicate
    keys, but a value it hides must still be JSON (no lone surrogate), as the other packages'
    parsers see every value; `hid` says whether any was hidden (its depth is then counted on
    the text, `_too_deep`)."""

    def __init__(self) -> None:
        self.hid = False

    def __call__(self, pairs: list[tuple[str, object]]) -> dict[str, object]:
        value = dict(pairs)
        if len(value) != len(pairs):
            self.hid = True
            _check_hidden(pairs)
        return value


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
"""A JSON string, escapes included."""


def _too_deep(text: str) -> bool:
    """Whether JSON `text` nests arrays and objects deeper than `MAX_DEPTH` levels anywhere."""
    depth = 0
    for c in _STRING.sub("", text):
        if c in "[{":
            depth += 1
            if depth > _runtime.MAX_DEPTH:
                return True
        elif c in "]}":
            depth -= 1
    return False


def _check_hidden(pairs: list[tuple[str, object]]) -> None:
    """Raises for a value that a later duplicate key hides and that is not JSON."""
    seen: dict[str, object] = {}
    for key, child in pairs:
        if key in seen:
            problems: list[str] = []
            _runtime.check_json(seen[key], problems)
            if problems:
                raise ValueError(problems[0].removeprefix("body: not JSON: "))
        seen[key] = child


def _loads(
    text: str | bytes | bytearray, status: int | None, retry_after: str | int | None
) -> object:
    """JSON text as a value, or `ErrorBodyParseError` (never another exception), which keeps the
    response's `status` and `retry_after`. Bytes must be UTF-8; one byte-order mark is ignored
    (RFC 8259 allows it; fetch's `Response.json()` and the Rust crate do the same)."""
    objects = _Objects()
    try:
        if not isinstance(text, str):
            text = bytes(text).decode("utf-8")
        text = text.removeprefix("\ufeff")
        value = json.loads(
            text,
            parse_constant=_reject_constant,
            parse_float=_float,
            parse_int=_int,
            object_pairs_hook=objects,
        )
    except (ValueError, RecursionError, TypeError) as e:
        where = "" if status is None else f" (HTTP {status})"
        raise ErrorBodyParseError(
            [f"body: not JSON{where}: {e}"],
            status=status,
            retry_after=_runtime.retry_after_seconds(retry_after),
        ) from None
    if objects.hid and _too_deep(text):
        raise ErrorBodyParseError(
            [f"body: nested deeper than {_runtime.MAX_DEPTH} levels"],
            status=status,
            retry_after=_runtime.retry_after_seconds(retry_after),
        )
    return value


def check_envelope(
    value: object,
    problems: list[str],
    headers: _wire.Headers | None = None,
    status: int | None = None,
) -> Envelope | None:
    """Checks the envelope as `_catalog.WIRE` lays it out, appending problems; the fields when
    they can be read at all."""
    read = _wire.read(
        WIRE,
        _WIRE_CODES,
        value,
        headers=headers,
        status=status,
        problems=problems,
    )
    if read is None:
        return None
    found = read.fields
    error = found.get("error")
    message = found.get("message")
    code = found.get("code")
    details = found.get("details")
    request_id = found.get("request_id")
    timestamp = found.get("timestamp")
    status_member = next((m for m in WIRE.members if m.role == "status"), None)
    return Envelope(
        error=error if isinstance(error, str) else "",
        message=message if isinstance(message, str) else "",
        code=code if isinstance(code, int) else None,
        details=_runtime.as_object(details),
        has_details=read.has_details,
        request_id=request_id if isinstance(request_id, str) else None,
        timestamp=timestamp if isinstance(timestamp, str) else None,
        fields={
            k: v
            for k, v in found.items()
            if k not in ("error", "message", "code", "details", "request_id", "timestamp")
        },
        status_path=(
            "code"
            if status_member is None or not status_member.at
            else _wire.show_place(status_member.at[0])
        ),
        details_path=read.details_path,
    )


_WIRE_CODES: dict[str, str] = {
    str(wire): code
    for code, constants in WIRE_CONSTANTS.items()
    if (wire := constants.get("code")) is not None and wire != code
}
"""Wire values that differ from their code (an RFC 9457 `type` URI), to the code."""


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
                f"{envelope.details_path}: required for {json.dumps(envelope.error)} "
                f"(with {required}), but missing"
            )
        return None
    return parse(envelope.details, envelope.details_path, problems)
