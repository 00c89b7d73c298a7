"""Checks of JSON values against the details schemas, and message rendering (fixed code)."""

from __future__ import annotations

import decimal
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar, cast

T = TypeVar("T")

if TYPE_CHECKING:
    # `as override` exports it to the package's other modules (mypy's strict mode).
    from typing_extensions import override as override  # noqa: PLC0414
else:

    def override(method: T) -> T:
        """`typing.override` (Python 3.12) on every version: marks a method that overrides one of
        a base class, for type checkers (`typing_extensions` is only read by them)."""
        return method


Parser = Callable[[object, str, list[str]], T | None]
"""Reads a JSON value at a path; appends a problem and returns `None` when it does not fit."""

MAX_SAFE_INTEGER = 2**53 - 1
"""Integers beyond this are rejected, as in JavaScript (I-JSON, RFC 7493)."""

MAX_DEPTH = 100
"""How deeply arrays and objects may nest in a body, the body itself counting as level 1: the
limit every generated package shares (the generator's `conformance::MAX_DEPTH`)."""


class ErrorBodyParseError(ValueError):
    """A value that is not an error body; `problems` lists every reason, each with its path.

    From a response (`from_response`, or `from_json`/`from_dict` given a status) it keeps the
    response's `status` and `retry_after` (whole seconds), by which `with_retry` retries it: a
    proxy's 503 page is retried as a 503 error body of a code this version does not know would be.
    """

    problems: tuple[str, ...]
    status: int | None
    """The response's HTTP status, when the body came from a response."""
    retry_after: int | None
    """The response's `Retry-After` in whole seconds, when it had one."""

    def __init__(
        self,
        problems: Iterable[str],
        *,
        status: int | None = None,
        retry_after: int | None = None,
    ) -> None:
        self.problems = tuple(problems)
        self.status = status
        self.retry_after = retry_after
        super().__init__("not a valid error body: " + "; ".join(self.problems))

    @override
    def __reduce__(self) -> tuple[object, ...]:
        """Pickles as its problems: the default would pass its message as the problems, one
        per character."""
        return (type(self), (self.problems,), self.__dict__)


def _unicode(text: str) -> bool:
    """Whether `text` is Unicode: `json.loads` lets lone surrogates (`\\ud800`) through."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_json(value: object, problems: list[str]) -> bool:
    """Checks what `json.loads` lets through but I-JSON (RFC 7493) and the other packages'
    parsers reject, appending a `body: not JSON` problem for each: lone surrogates in strings and
    keys, and numbers beyond a double (`1e400` read as `inf`, or an integer of 400 digits).
    Returns `False`, and stops, when arrays and objects nest deeper than `MAX_DEPTH`.
    """
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if not _unicode(item):
                problems.append("body: not JSON: a string holds a lone surrogate")
        elif isinstance(item, bool):
            pass
        elif isinstance(item, int):
            if abs(item) > MAX_SAFE_INTEGER:
                try:
                    float(item)
                except OverflowError:
                    problems.append("body: not JSON: a number is beyond the range of a double")
        elif isinstance(item, float):
            if not math.isfinite(item):
                problems.append("body: not JSON: a number is beyond the range of a double")
        elif isinstance(item, list | tuple | dict):
            if depth > MAX_DEPTH:
                return False
            if isinstance(item, dict):
                for key, child in cast("dict[object, object]", item).items():
                    if isinstance(key, str) and not _unicode(key):
                        problems.append("body: not JSON: a key holds a lone surrogate")
                    stack.append((child, depth + 1))
            else:
                items = cast("list[object] | tuple[object, ...]", item)
                stack.extend((child, depth + 1) for child in items)
    return True


def describe(value: object) -> str:
    """A short description of a value for problems: `the string "60"`, `null`, `an array`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "the boolean true" if value else "the boolean false"
    if isinstance(value, int):
        if abs(value) > 10**20:
            return "a number too large to be an integer"
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "..."
        return "the string " + json.dumps(shown, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "a " + type(value).__name__


def as_object(value: object) -> Mapping[str, object] | None:
    """`value` as a JSON object, or `None`."""
    if isinstance(value, dict):
        return cast("dict[str, object]", value)
    return None


def mismatch(value: object, expected: str, path: str, problems: list[str]) -> None:
    problems.append(f"{path}: expected {expected}, found {describe(value)}")


def string(value: object, path: str, problems: list[str]) -> str | None:
    if isinstance(value, str):
        return value
    mismatch(value, "a string", path, problems)
    return None


def constrained_string(
    const: str | None = None,
    pattern: str | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
) -> Parser[str]:
    """A string with the details schema's `const`, `pattern` (searched, unanchored, as JSON
    Schema says) and length bounds, counted in code points as every target counts them."""
    compiled = re.compile(pattern) if pattern is not None else None

    def parse(value: object, path: str, problems: list[str]) -> str | None:
        if not isinstance(value, str):
            mismatch(value, "a string", path, problems)
            return None
        start = len(problems)
        if const is not None and value != const:
            expected = json.dumps(const, ensure_ascii=False)
            problems.append(f"{path}: expected {expected}, found {describe(value)}")
        if compiled is not None and compiled.search(value) is None:
            problems.append(f"{path}: {describe(value)} does not match the pattern")
        length = len(value)
        if min_length is not None and length < min_length:
            problems.append(f"{path}: {length} characters, fewer than the minimum {min_length}")
        if max_length is not None and length > max_length:
            problems.append(f"{path}: {length} characters, more than the maximum {max_length}")
        return value if len(problems) == start else None

    return parse


def enum_string(allowed: tuple[str, ...]) -> Parser[str]:
    """A string of an enum. Values a newer server adds are accepted as they are."""
    del allowed
    return string


def integer(minimum: int | None = None, maximum: int | None = None) -> Parser[int]:
    def parse(value: object, path: str, problems: list[str]) -> int | None:
        # `bool` is an `int` in Python, but `true` is not an integer in JSON; `2.0` is one.
        if isinstance(value, float) and value.is_integer() and abs(value) <= MAX_SAFE_INTEGER:
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or abs(value) > MAX_SAFE_INTEGER:
            mismatch(value, "an integer", path, problems)
            return None
        if minimum is not None and value < minimum:
            problems.append(f"{path}: {value} is less than the minimum {minimum}")
            return None
        if maximum is not None and value > maximum:
            problems.append(f"{path}: {value} is greater than the maximum {maximum}")
            return None
        return value

    return parse


def number(value: object, path: str, problems: list[str]) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            finite = math.isfinite(value)
        except OverflowError:
            finite = False
        if finite:
            return value
    mismatch(value, "a number", path, problems)
    return None


def bounded_number(minimum: float | None = None, maximum: float | None = None) -> Parser[float]:
    def parse(value: object, path: str, problems: list[str]) -> float | None:
        parsed = number(value, path, problems)
        if parsed is None:
            return None
        if minimum is not None and parsed < minimum:
            problems.append(f"{path}: {value} is less than the minimum {minimum}")
            return None
        if maximum is not None and parsed > maximum:
            problems.append(f"{path}: {value} is greater than the maximum {maximum}")
            return None
        return parsed

    return parse


def boolean(value: object, path: str, problems: list[str]) -> bool | None:
    if isinstance(value, bool):
        return value
    mismatch(value, "a boolean", path, problems)
    return None


def array(
    item: Parser[T],
    min_items: int | None = None,
    max_items: int | None = None,
) -> Parser[tuple[T, ...]]:
    def parse(value: object, path: str, problems: list[str]) -> tuple[T, ...] | None:
        if not isinstance(value, list | tuple):
            mismatch(value, "an array", path, problems)
            return None
        start = len(problems)
        items: list[T] = []
        values = cast("list[object] | tuple[object, ...]", value)
        for i, v in enumerate(values):
            parsed = item(v, f"{path}[{i}]", problems)
            if parsed is not None:
                items.append(parsed)
        if min_items is not None and len(values) < min_items:
            problems.append(f"{path}: {len(values)} items, fewer than the minimum {min_items}")
        if max_items is not None and len(values) > max_items:
            problems.append(f"{path}: {len(values)} items, more than the maximum {max_items}")
        return tuple(items) if len(problems) == start else None

    return parse


def mapping(item: Parser[T]) -> Parser[dict[str, T]]:
    """A JSON object with any keys, each value read by `item`."""

    def parse(value: object, path: str, problems: list[str]) -> dict[str, T] | None:
        obj = as_object(value)
        if obj is None:
            mismatch(value, "an object", path, problems)
            return None
        start = len(problems)
        out: dict[str, T] = {}
        for key, v in obj.items():
            parsed = item(v, f"{path}.{key}", problems)
            if parsed is not None:
                out[key] = parsed
        return out if len(problems) == start else None

    return parse


def dump_map(value: Mapping[str, T], dump: Callable[[T], dict[str, object]]) -> dict[str, object]:
    """A map of objects as JSON data."""
    return {key: dump(item) for key, item in value.items()}


def dump_list(value: Sequence[T], dump: Callable[[T], dict[str, object]]) -> list[object]:
    """A list of objects as JSON data."""
    return [dump(item) for item in value]


def nullable(parse: Parser[T]) -> Parser[T]:
    """`parse`, with `null` read as `None` and no problem."""

    def read(value: object, path: str, problems: list[str]) -> T | None:
        return None if value is None else parse(value, path, problems)

    return read


def required(
    obj: Mapping[str, object],
    key: str,
    path: str,
    problems: list[str],
    parse: Parser[T],
) -> T | None:
    at = f"{path}.{key}" if path else key
    if key not in obj:
        problems.append(f"{at}: required field is missing")
        return None
    return parse(obj[key], at, problems)


def optional(
    obj: Mapping[str, object],
    key: str,
    path: str,
    problems: list[str],
    parse: Parser[T],
) -> T | None:
    if key not in obj:
        return None
    return parse(obj[key], f"{path}.{key}" if path else key, problems)


def _float_text(value: float) -> str:
    """A float as the Rust crate's `float_text` shows it: the shortest digits that read back the
    same (`repr`'s), in decimal when the exponent is from -5 to 15 (`0.00001`, `100.0`), else in
    scientific notation (`1e+16`, `1.5e-7`)."""
    sign_bit, digit_tuple, last = decimal.Decimal(repr(value)).normalize().as_tuple()
    sign = "-" if sign_bit else ""
    digits = "".join(str(d) for d in digit_tuple)
    if not isinstance(last, int):  # NaN and the infinities, which JSON does not have
        return repr(value)
    if digits == "0":
        return f"{sign}0.0"
    exponent = last + len(digits) - 1
    if not -5 <= exponent < 16:
        point = "." if len(digits) > 1 else ""
        plus = "+" if exponent > 0 else ""
        return f"{sign}{digits[0]}{point}{digits[1:]}e{plus}{exponent}"
    if exponent < 0:
        return f"{sign}0.{'0' * (-exponent - 1)}{digits}"
    if len(digits) <= exponent + 1:
        return f"{sign}{digits}{'0' * (exponent + 1 - len(digits))}.0"
    return f"{sign}{digits[: exponent + 1]}.{digits[exponent + 1 :]}"


def text(value: object) -> str:
    """A placeholder's value as a message shows it (the generator's `template::render`)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, list | tuple):
        return ", ".join(text(v) for v in cast("list[object] | tuple[object, ...]", value))
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def numbers(value: object) -> object:
    """A `number` field's value with its `int`s as floats (a list's or map's too), as the wire
    and the Rust crate's `f64` hold it: `100` shows as `100.0`, as `template::render` shows it."""
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            return value
    if isinstance(value, list | tuple):
        return [numbers(v) for v in cast("list[object] | tuple[object, ...]", value)]
    if isinstance(value, Mapping):
        return {k: numbers(v) for k, v in cast("Mapping[str, object]", value).items()}
    return value


def fill(value: object, name: str, apply: Callable[[str], str] | None = None) -> str:
    """A placeholder filled with `value`, or left as `{name}` when the value is absent."""
    if value is None:
        return "{" + name + "}"
    shown = text(value)
    return shown if apply is None else apply(shown)


def labels(table: Mapping[str, str]) -> Callable[[str], str]:
    """The `label` filter: the value's label, or the value itself when it has none."""
    return lambda value: table.get(value, value)


def capitalize(value: str) -> str:
    return value[:1].upper() + value[1:]


def retry_after_seconds(value: str | int | None) -> int | None:
    """A `Retry-After` value in whole seconds: ASCII digits with spaces or tabs around them (too
    many read as `MAX_SAFE_INTEGER`); `None` when absent, an HTTP-date, `+7`, `-1` or `1.5`."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 <= value <= MAX_SAFE_INTEGER else None
    if not isinstance(value, str):
        return None
    digits = value.strip(" \t")
    if not (digits and digits.isascii() and digits.isdigit()):
        return None
    # Leading zeros do not count: `0000000000000005` is five seconds.
    significant = digits.lstrip("0") or "0"
    return MAX_SAFE_INTEGER if len(significant) > 15 else int(significant)
