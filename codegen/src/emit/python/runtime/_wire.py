"""The API's wire format as data, and the one reader and writer of it (fixed code).

`_catalog.WIRE` says where each member of the envelope is: a path in the body (through objects,
and through array entries told apart by a member such as `@type`) or a response header. Every
format, the default flat envelope included, is read and written by the functions here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, cast

from . import _runtime
from ._runtime import override


@dataclass(frozen=True)
class Entry:
    """A path step: the entry of an array whose member `key` equals `equals`."""

    key: str
    equals: str


Step = str | Entry
"""A path step: a member name, or an array entry."""


class Body:
    """A value at a path in the body: `Body("error", "message")`."""

    __slots__ = ("path",)

    def __init__(self, *path: Step) -> None:
        self.path: tuple[Step, ...] = path

    @override
    def __repr__(self) -> str:
        return f"Body{self.path!r}"


@dataclass(frozen=True)
class Header:
    """A value in a response header (its name matched case-insensitively)."""

    name: str


Place = Body | Header


@dataclass(frozen=True)
class Member:
    """One member of the format, in the order a body is written.

    `code`, `message`, `status` and `field` are read from the first of `at` that is present and
    written to the first body place; `details` is the object at `at[0]` (with `except_`, the
    members of that object other than those); `constant` writes the code's `name` constant at
    `at[0]`.
    """

    role: Literal["code", "message", "status", "details", "field", "constant"]
    at: tuple[Place, ...] = ()
    name: str = ""
    type: Literal["string", "integer", "object", "json"] = "string"
    required: bool = False
    aws: bool = False
    """For the code: `ns#Name` and `Name:url` read as `Name` (AWS error types)."""
    except_: frozenset[str] | None = None
    value: str | None = None
    """For a `constant` the same in every body (AIP-193's `domain`)."""

    @property
    def path(self) -> tuple[Step, ...]:
        """The body path of `details` and `constant` members."""
        first = self.at[0] if self.at else None
        return first.path if isinstance(first, Body) else ()


@dataclass(frozen=True)
class WireFormat:
    """How the API's errors look on the wire."""

    content_type: str
    members: tuple[Member, ...]
    retry_delay: str | None = None
    """The parsed field that carries a retry delay as a protobuf duration (`"30s"`)."""


Headers = Mapping[str, str] | Iterable[tuple[str, str]]
"""Response headers: a mapping, or `(name, value)` pairs."""


def header(headers: Headers | None, name: str) -> str | None:
    """A header's value, its name matched case-insensitively."""
    if headers is None:
        return None
    pairs: Iterable[tuple[str, str]]
    if isinstance(headers, Mapping):
        pairs = cast("Mapping[str, str]", headers).items()
    else:
        pairs = headers
    lower = name.lower()
    return next((v for k, v in pairs if k.lower() == lower), None)


def show_path(path: tuple[Step, ...]) -> str:
    """A path as problems show it: `error.details[@type=...ErrorInfo].reason`."""
    out = ""
    for step in path:
        if isinstance(step, Entry):
            out += f"[{step.key}={step.equals}]"
        else:
            out += step if not out else "." + step
    return out or "body"


def show_place(place: Place) -> str:
    return f"header {place.name}" if isinstance(place, Header) else show_path(place.path)


_MISSING = object()


def _as_dict(value: object) -> dict[str, object] | None:
    return cast("dict[str, object]", value) if isinstance(value, dict) else None


def _as_list(value: object) -> list[object] | None:
    return cast("list[object]", value) if isinstance(value, list) else None


def _is_index(step: str) -> bool:
    return step.isascii() and step.isdigit() and (step == "0" or not step.startswith("0"))


def value_at(body: Mapping[str, object], path: tuple[Step, ...], problems: list[str]) -> object:
    """The value at `path`, or `_MISSING`; a step through a value of the wrong type is a problem."""
    value: object = body
    for i, step in enumerate(path):
        items = _as_list(value)
        if items is not None and isinstance(step, str) and _is_index(step):
            if int(step) >= len(items):
                return _MISSING
            value = items[int(step)]
            continue
        if isinstance(step, Entry):
            if items is None:
                _runtime.mismatch(value, "an array", show_path(path[:i]), problems)
                return _MISSING
            found: object = _MISSING
            for entry in items:
                obj = _runtime.as_object(entry)
                if obj is not None and obj.get(step.key) == step.equals:
                    found = obj
                    break
            if found is _MISSING:
                return _MISSING
            value = found
        else:
            obj = _runtime.as_object(value)
            if obj is None:
                _runtime.mismatch(value, "an object", show_path(path[:i]), problems)
                return _MISSING
            if step not in obj:
                return _MISSING
            value = obj[step]
    return value


def aws_shape_name(value: str) -> str:
    """An AWS error type as its shape name: `aws.ns#Name:http://...` is `Name` (the part after
    the first `#`, up to the first `:` after it; nothing stripped)."""
    return value.split("#", 1)[-1].split(":", 1)[0]


@dataclass
class Read:
    """What `read` found: the envelope's members by their parsed names."""

    fields: dict[str, object]
    has_details: bool
    details_path: str


def _parsed_name(member: Member) -> str:
    if member.role == "code":
        return "error"
    if member.role == "status":
        return "code"
    if member.role == "field":
        return member.name
    return member.role


def _written(member: Member, envelope: Mapping[str, object]) -> object:
    """The envelope's value of `member` as written: an optional message that is empty is left
    out, as a body without one reads as an empty message."""
    value = envelope.get(_parsed_name(member))
    if member.role == "code" and member.type == "integer" and isinstance(value, str):
        return _integer_text(value)
    if member.role == "message" and not member.required and value == "":
        return None
    return value


_INTEGER_TEXT = re.compile(r"(0|-?[1-9][0-9]*)")


def _integer_text(value: str) -> int | str:
    """The integer whose decimal text `value` is (no leading zero, no `-0`), if a safe one; else
    `value` itself (a code made up here)."""
    if _INTEGER_TEXT.fullmatch(value) is None or abs(int(value)) > _runtime.MAX_SAFE_INTEGER:
        return value
    return int(value)


def read(
    wire: WireFormat,
    codes: Mapping[str, str],
    value: object,
    *,
    headers: Headers | None,
    status: int | None,
    problems: list[str],
) -> Read | None:
    """Reads a parsed JSON body as `wire` describes it, appending every problem.

    `codes` maps wire values that differ from their code (an RFC 9457 `type` URI) to the code.
    The status comes from the body where the format has one, else from `status`.
    """
    if not _runtime.check_json(value, problems):
        problems.append(f"body: nested deeper than {_runtime.MAX_DEPTH} levels")
        return None
    obj = _runtime.as_object(value)
    if obj is None:
        problems.append(f"body: expected an object, found {_runtime.describe(value)}")
        return None
    out: dict[str, object] = {}
    has_details = False
    details_path = "details"
    for member in wire.members:
        if member.role == "constant":
            continue
        if member.role == "details":
            details_path = show_path(member.path)
            details = _read_details(member, obj, problems)
            if details:
                has_details = True
                out["details"] = details
            elif details is not None and member.except_ is None:
                has_details = True
                out["details"] = details
            continue
        name = _parsed_name(member)
        parsed = _read_value(member, obj, headers, problems)
        if parsed is _MISSING:
            if member.role == "status" and status is not None and not member.required:
                out[name] = status
            elif member.required:
                shown: Place | None = next((p for p in member.at if isinstance(p, Body)), None)
                if shown is None and member.at:
                    shown = member.at[0]
                first = name if shown is None else show_place(shown)
                problems.append(f"{first}: required field is missing")
            elif member.role == "code":
                where = " or ".join(show_place(p) for p in member.at)
                problems.append(f"error: no code in {where}")
        elif parsed is not None:
            if member.role == "code" and isinstance(parsed, int):
                parsed = str(parsed)
            if member.role == "code" and isinstance(parsed, str):
                wire_value = aws_shape_name(parsed) if member.aws else parsed
                parsed = codes.get(wire_value, wire_value)
            out[name] = parsed
    if "error" not in out:
        return None
    # A format without a status in the body: the response's.
    if "code" not in out and status is not None:
        out["code"] = status
    return Read(out, has_details, details_path)


def _read_details(
    member: Member,
    obj: Mapping[str, object],
    problems: list[str],
) -> Mapping[str, object] | None:
    """The details object (without the envelope's members, with `except_`), or `None`."""
    found = obj if not member.path else value_at(obj, member.path, problems)
    if found is _MISSING:
        return None
    details = _runtime.as_object(found)
    if details is None:
        _runtime.mismatch(found, "an object", show_path(member.path), problems)
        return None
    if member.except_ is None:
        return details
    return {k: v for k, v in details.items() if k not in member.except_}


_HEADER_INTEGER = re.compile(r"[ \t]*-?[0-9]{1,16}[ \t]*")
"""An integer a header may carry as text: up to 16 ASCII digits (the type check then keeps
it within 2^53 - 1) after an optional minus (JSON-RPC's codes are negative), spaces or tabs
around them."""


def _read_value(
    member: Member,
    obj: Mapping[str, object],
    headers: Headers | None,
    problems: list[str],
) -> object:
    """A member's value from its first place that has one, checked against its type: `_MISSING`
    when no place has one, `None` when it has the wrong type (a problem is appended)."""
    for place in member.at:
        if isinstance(place, Header):
            text = header(headers, place.name)
            if text is None:
                continue
            got: object = text
            if member.role == "status" and text.strip().isdigit():
                got = _runtime.retry_after_seconds(text)
            elif member.type == "integer" and _HEADER_INTEGER.fullmatch(text):
                # A header carries an integer code as its decimal text.
                got = int(text.strip(" \t"))
        else:
            got = value_at(obj, place.path, problems)
            if got is _MISSING:
                continue
        where = show_place(place)
        kind = "integer" if member.role == "status" else member.type
        if kind == "string":
            return _runtime.string(got, where, problems)
        if kind == "integer":
            check = _runtime.integer(100, 599) if member.role == "status" else _runtime.integer()
            return check(got, where, problems)
        if kind == "object":
            parsed = _runtime.as_object(got)
            if parsed is None:
                _runtime.mismatch(got, "an object", where, problems)
            return parsed
        return got
    return _MISSING


def _entry(entries: list[object], step: Entry) -> dict[str, object] | None:
    """The entry of `entries` that `step` picks, if any."""
    for e in entries:
        if isinstance(e, dict):
            obj = cast("dict[str, object]", e)
            if obj.get(step.key) == step.equals:
                return obj
    return None


def _fresh(want_list: bool) -> object:
    return [] if want_list else {}


def _ensure(body: dict[str, object], path: tuple[Step, ...]) -> object:
    """The container at `path` in `body`, created where missing: objects, lists before an index
    or an entry, and the entry an entry step picks."""
    target: object = body
    for i, step in enumerate(path):
        if isinstance(step, Entry):
            entries = _as_list(target)
            if entries is None:
                return target
            entry = _entry(entries, step)
            if entry is None:
                entry = dict[str, object]()
                entry[step.key] = step.equals
                entries.append(entry)
            target = entry
            continue
        nxt = path[i + 1] if i + 1 < len(path) else None
        want_list = nxt is not None and (isinstance(nxt, Entry) or _is_index(nxt))

        def fits(v: object, want_list: bool = want_list) -> bool:
            return isinstance(v, list) if want_list else isinstance(v, dict)

        items = _as_list(target)
        if items is not None and _is_index(step):
            index = int(step)
            while len(items) <= index:
                items.append(None)
            if not fits(items[index]):
                items[index] = _fresh(want_list)
            target = items[index]
        elif (obj := _as_dict(target)) is not None:
            if not fits(obj.get(step)):
                obj[step] = _fresh(want_list)
            target = obj[step]
    return target


def _write_at(body: dict[str, object], path: tuple[Step, ...], value: object) -> None:
    last = path[-1] if path else None
    if last is None or isinstance(last, Entry):
        target = _ensure(body, path)
        obj = _runtime.as_object(value)
        if obj is not None and isinstance(target, dict):
            cast("dict[str, object]", target).update(obj)
        return
    parent = _ensure(body, path[:-1])
    items = _as_list(parent)
    if items is not None and _is_index(last):
        while len(items) <= int(last):
            items.append(None)
        items[int(last)] = value
    elif isinstance(parent, dict):
        cast("dict[str, object]", parent)[last] = value


def write(
    wire: WireFormat,
    envelope: Mapping[str, object],
    constants: Mapping[str, object],
) -> dict[str, object]:
    """The wire body of an envelope (the inverse of `read`), with the code's `constants`.

    Members whose only place is a header are left to `headers_of`.
    """
    body: dict[str, object] = {}
    for member in wire.members:
        if member.role == "constant":
            fixed = member.value if member.value is not None else constants.get(member.name)
            if fixed is not None:
                _write_at(body, member.path, fixed)
            continue
        if member.role == "details":
            details = envelope.get("details")
            if details is not None:
                if member.except_ is None and member.path:
                    _write_at(body, member.path, details)
                else:
                    target = _ensure(body, member.path)
                    obj = _runtime.as_object(details)
                    if obj is not None and isinstance(target, dict):
                        cast("dict[str, object]", target).update(obj)
            continue
        value = _written(member, envelope)
        if member.role == "code" and "code" in constants:
            value = constants["code"]
        place = next((p for p in member.at if isinstance(p, Body)), None)
        if value is not None and place is not None:
            _write_at(body, place.path, value)
    return body


def headers_of(wire: WireFormat, envelope: Mapping[str, object]) -> dict[str, str]:
    """The headers the format puts an envelope's members in (AWS's `x-amzn-ErrorType`, say)."""
    out: dict[str, str] = {}
    for member in wire.members:
        if member.role in ("constant", "details"):
            continue
        # A header carries the code itself, whatever form a body place gives it (a type URI).
        value = _written(member, envelope)
        if not isinstance(value, str | int):
            continue
        for place in member.at:
            if isinstance(place, Header):
                out[place.name] = str(value)
    return out


# Seconds that fit in 64 bits, leading zeros aside (more waits the cap all the same).
_DURATION = re.compile(r"0*([0-9]{1,20})(?:\.([0-9]{1,9}))?s")
_U64_MAX = 2**64 - 1


def delay_ms(wire: WireFormat, fields: Mapping[str, object]) -> int | None:
    """The retry delay the format carries in a parsed body, in milliseconds: a protobuf duration
    (`"30s"`), rounded up to whole seconds (`"1.5s"` waits 2 s)."""
    if wire.retry_delay is None:
        return None
    value = fields.get(wire.retry_delay)
    if not isinstance(value, str):
        return None
    m = _DURATION.fullmatch(value)
    if m is None or int(m.group(1)) > _U64_MAX:
        return None
    round_up = any(c != "0" for c in m.group(2) or "")
    return (int(m.group(1)) + round_up) * 1000
