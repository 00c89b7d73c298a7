"""The package's behaviour on the catalog's examples and the shared conformance tables."""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import json
import logging
import pickle
import random
from pathlib import Path
from typing import Any, cast

import pytest

import __PACKAGE__ as pkg

CatalogError = pkg.__ERROR_TYPE__
UnknownCatalogError = pkg.Unknown__ERROR_TYPE__
HERE = Path(__file__).parent


def _table(name: str) -> Any:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


EXAMPLES: list[dict[str, Any]] = _table("examples.json")["examples"]
RETIRED: list[dict[str, Any]] = _table("examples.json")["retired"]
BODIES: list[dict[str, Any]] = _table("conformance.json")["bodies"]
RETRY: dict[str, Any] = _table("retry_table.json")
FIELD_PARAMS: dict[str, str] = _table("examples.json").get("field_params", {})
# The envelope's own arguments the constructors take: a wire without a place for one has none.
ENVELOPE_PARAMS: list[str] = _table("examples.json").get(
    "envelope_params", ["request_id", "timestamp"]
)


def _wire(row: dict[str, Any]) -> tuple[Any, dict[str, str], int | None]:
    """A table row's body as the wire carries it, its headers, and its status: the neutral
    body itself for the flat envelope."""
    body: Any = row["body"]
    status: int | None = None
    if isinstance(body, dict):
        status = cast("dict[str, Any]", body).get("code")
    return row.get("wire", body), row.get("headers", {}), status


def _class(name: str) -> type[CatalogError]:
    found: object = getattr(pkg, name)
    assert isinstance(found, type) and issubclass(found, CatalogError), name
    return found


def _assert_pickles(error: CatalogError) -> None:
    """`error` survives `pickle` (every protocol) and `copy`: the same class, the same fields."""
    copies = [pickle.loads(pickle.dumps(error, p)) for p in range(pickle.HIGHEST_PROTOCOL + 1)]
    for same in [*copies, copy.copy(error), copy.deepcopy(error)]:
        assert type(same) is type(error)
        assert vars(same) == vars(error)
        assert same.args == error.args
        assert type(same.details) is type(error.details)
        assert same.details == error.details
        assert same.body == error.body and same.to_dict() == error.to_dict()
        assert (same.status, same.retry_after) == (error.status, error.retry_after)
        assert (same.request_id, same.timestamp) == (error.request_id, error.timestamp)
        assert same.fields == error.fields
        assert same.headers == error.headers
        assert str(same) == str(error)


def test_every_code_has_an_example_and_metadata() -> None:
    codes = [ex["code"] for ex in EXAMPLES]
    assert list(dict.fromkeys(codes)) == [c.value for c in pkg.ERROR_CODES]
    for code in pkg.ERROR_CODES:
        assert pkg.ErrorCode.lookup(code.value) is code
        assert code.info.code == code.value
        assert str(code) == code.value
        assert code.docs_url.startswith(pkg.DOCS_URL + "/")
    assert pkg.ErrorCode.lookup("zz_not_a_code") is None


def test_retired_codes_are_recognised_as_retired_not_as_live_or_unknown() -> None:
    assert [r.code for r in pkg.RETIRED_CODES] == [row["code"] for row in RETIRED]
    for row, retired in zip(RETIRED, pkg.RETIRED_CODES, strict=True):
        replaced_by = None if retired.replaced_by is None else retired.replaced_by.value
        record = {k: row[k] for k in ("code", "version", "reason", "replaced_by", "docs_url")}
        assert record == {
            "code": retired.code,
            "version": retired.version,
            "reason": retired.reason,
            "replaced_by": replaced_by,
            "docs_url": retired.docs_url,
        }
        assert pkg.retired_code(row["code"]) is retired
        assert pkg.ErrorCode.lookup(row["code"]) is None
        wire, headers, status = _wire(row)
        error = CatalogError.from_dict(wire, headers=headers, status=status)
        assert type(error) is UnknownCatalogError
        assert error.retired is retired
        assert error.docs_url == row["docs_url"]
        assert error.to_dict() == wire
    assert pkg.retired_code("zz_not_a_code") is None


@pytest.mark.parametrize("ex", EXAMPLES, ids=lambda ex: f"{ex['code']}/{ex['name']}")
def test_every_example_parses_into_its_class_and_round_trips(ex: dict[str, Any]) -> None:
    neutral = ex["body"]
    body, headers, _ = _wire(ex)
    error = CatalogError.from_dict(body, retry_after=ex["retry_after"], headers=headers)
    assert type(error) is _class(ex["class"])
    assert isinstance(error, _class(ex["category_class"]))
    assert error.error == ex["code"] and error.code == ex["status"]
    assert error.message == neutral["message"]
    assert error.request_id == neutral.get("request_id")
    assert error.timestamp == neutral.get("timestamp")
    assert error.body == body
    assert error.to_dict() == body
    assert error.wire_headers() == headers
    assert json.loads(error.to_json()) == body
    assert error.info is not None and error.info.status == ex["status"]
    assert error.docs_url == error.info.docs_url
    expected_wait = None if ex["retry_after"] is None else int(ex["retry_after"])
    assert error.retry_after == expected_wait
    text = json.dumps(body)
    assert CatalogError.from_json(text, headers=headers).to_dict() == body
    assert CatalogError.from_json(text.encode(), headers=headers).to_dict() == body
    if ex["retry_after"] is not None:
        headers = {**headers, "retry-after": ex["retry_after"]}
    from_response = CatalogError.from_response(ex["status"], headers, text)
    assert from_response.status == ex["status"] and from_response.retry_after == expected_wait
    _assert_pickles(from_response)
    suffix = "" if "request_id" not in neutral else f" (request_id: {neutral['request_id']})"
    message = f": {neutral['message']}" if neutral["message"] else ""
    assert str(error) == f"{ex['code']}{message}{suffix}"
    assert error.log_extra() == {
        "error_code": ex["code"],
        "request_id": neutral.get("request_id"),
        "details": neutral.get("details"),
    }


@pytest.mark.parametrize("ex", EXAMPLES, ids=lambda ex: f"{ex['code']}/{ex['name']}")
def test_every_constructor_reproduces_the_examples_message(ex: dict[str, Any]) -> None:
    wire, headers, _ = _wire(ex)
    parsed = CatalogError.from_dict(wire, headers=headers)
    cls: Any = type(parsed)
    # A code whose server writes the message takes it; the others render their template.
    written: dict[str, str] = {"message": parsed.message} if ex.get("runtime_message") else {}
    # The wire's own fields as the constructor's keyword arguments (`FIELD_PARAMS`: field to
    # argument); any other is set afterwards.
    params = {FIELD_PARAMS[k]: v for k, v in parsed.fields.items() if k in FIELD_PARAMS}
    envelope = {name: getattr(parsed, name) for name in ENVELOPE_PARAMS}
    # A code that declares response headers takes them as its headers dataclass.
    declared: dict[str, Any] = {}
    if "headers_class" in ex:
        declared["headers"] = getattr(pkg, ex["headers_class"])(**ex["header_args"])
    built: CatalogError = cls(parsed.details, **envelope, **written, **params, **declared)
    assert built.fields == {k: v for k, v in parsed.fields.items() if k in FIELD_PARAMS}
    built.fields.update(parsed.fields)
    assert built.message == ex["body"]["message"]
    assert built.envelope() == ex["body"]
    assert built.to_dict() == wire
    assert built.body == wire
    # Its own headers in catalog order, then the wire's; a parsed error has only the wire's.
    sent = {**ex.get("response_headers", {}), **headers}
    assert built.response_headers() == sent
    assert list(built.response_headers()) == list(sent)
    assert parsed.headers == [] and parsed.response_headers() == headers
    _assert_pickles(built)


@pytest.mark.parametrize("case", BODIES, ids=lambda c: str(c["name"]))
def test_the_conformance_table(case: dict[str, Any]) -> None:
    text: str = case["json"]
    # Where the wire reads them: the response's headers (a header-borne code) and status.
    headers: dict[str, str] | None = case.get("headers")
    status: int | None = case.get("status")
    if case["verdict"] == "valid":
        error = CatalogError.from_json(text, headers=headers, status=status)
        assert error.error == case["code"]
        assert isinstance(error, UnknownCatalogError) == (not case["known"])
        _assert_pickles(error)
    else:
        with pytest.raises(pkg.ErrorBodyParseError) as raised:
            CatalogError.from_json(text, headers=headers, status=status)
        problem: str = case["problem"]
        problems = raised.value.problems
        assert any(p.startswith(problem) for p in problems), problems
        assert problem in str(raised.value)
        same = pickle.loads(pickle.dumps(raised.value))
        assert type(same) is pkg.ErrorBodyParseError
        assert same.problems == problems and str(same) == str(raised.value)


def test_unknown_codes_pickle_as_unknown_with_their_raw_details() -> None:
    unknown = [c for c in BODIES if c["verdict"] == "valid" and not c["known"]]
    assert unknown
    for case in unknown:
        headers = {**case.get("headers", {}), "retry-after": "7"}
        error = CatalogError.from_response(case.get("status") or 400, headers, case["json"])
        assert type(error) is UnknownCatalogError
        assert error.retry_after == 7
        _assert_pickles(error)


def _raise_from_response(status: int, headers: dict[str, str], text: str) -> None:
    raise CatalogError.from_response(status, headers, text)


def test_errors_raised_in_a_worker_process_arrive_whole() -> None:
    """`concurrent.futures` pickles the error in the worker and re-raises it here."""
    unknown = next(c for c in BODIES if c["verdict"] == "valid" and not c["known"])
    cases: list[tuple[int, dict[str, str], str]] = []
    for ex in EXAMPLES:
        body, headers, _ = _wire(ex)
        cases.append((ex["status"], {**headers, "retry-after": "3"}, json.dumps(body)))
    cases.append((unknown.get("status") or 400, unknown.get("headers", {}), unknown["json"]))
    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as pool:
        futures = [pool.submit(_raise_from_response, *case) for case in cases]
        for case, future in zip(cases, futures, strict=True):
            with pytest.raises(CatalogError) as raised:
                future.result()
            expected = CatalogError.from_response(*case)
            assert type(raised.value) is type(expected)
            assert vars(raised.value) == vars(expected)
            assert raised.value.details == expected.details


def _mutations(value: object, rng: random.Random) -> object:
    """`value` with one part replaced by something of another type."""
    odd: list[object] = [None, True, 0, -1, 2**70, 1.5, "", "x", [], {}, [None], {"": None}]
    if isinstance(value, dict) and value and rng.random() < 0.8:
        copy = dict(cast("dict[str, object]", value))
        key = rng.choice(sorted(copy))
        if rng.random() < 0.2:
            del copy[key]
        else:
            copy[key] = _mutations(copy[key], rng)
        return copy
    if isinstance(value, list) and value and rng.random() < 0.8:
        copy_list = list(cast("list[object]", value))
        i = rng.randrange(len(copy_list))
        copy_list[i] = _mutations(copy_list[i], rng)
        return copy_list
    return rng.choice(odd)


def test_random_mutations_parse_or_raise_only_parse_errors() -> None:
    rng = random.Random(14)
    bodies = [_wire(ex)[0] for ex in EXAMPLES]
    for _ in range(2000):
        body = _mutations(rng.choice(bodies), rng)
        try:
            error = CatalogError.from_dict(body, status=400)
        except pkg.ErrorBodyParseError as e:
            assert e.problems
        else:
            assert isinstance(body, dict)
            assert CatalogError.from_dict(error.to_dict(), status=400).error == error.error


def test_hostile_inputs_raise_only_parse_errors() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    texts: list[str | bytes] = [
        deep,
        '{"error": "x", "message": "m", "code": 400, "details": ' + deep + "}",
        '{"error": "x", "message": "m", "code": ' + "9" * 5000 + "}",
        b"\xff\xfe{",
        "\ud800",
        "",
        "NaN",
    ]
    for text in texts:
        with pytest.raises(pkg.ErrorBodyParseError):
            CatalogError.from_json(text)
    nested: Any = []
    for _ in range(100_000):
        nested = [nested]
    known = _wire(EXAMPLES[0])[0]
    for value in [nested, {"error": nested}, {**known, "details": {"deep": nested}}, 3, object()]:
        try:
            CatalogError.from_dict(value)
        except pkg.ErrorBodyParseError:
            pass
    with pytest.raises(pkg.ErrorBodyParseError) as raised:
        CatalogError.from_dict({"error": 1, "code": 10**5000})
    assert raised.value.problems
    # Decoded JSON that is not an object, as a client's `response.json()` may return it.
    decoded: list[Any] = [[], [["error", "x"], ["message", "m"], ["code", 400]], 3, None, True]
    for value in decoded:
        with pytest.raises(pkg.ErrorBodyParseError):
            CatalogError.from_response(400, {}, value)


def _decision(ms: int | None) -> pkg.RetryDecision | None:
    return None if ms is None else pkg.RetryDecision(ms)


def test_retry_decisions_equal_the_generators_table() -> None:
    values: list[str | None] = RETRY["retry_after_values"]
    for case in RETRY["cases"]:
        for attempt, row in enumerate(case["delays"]):
            for retry_after, expected in zip(values, row, strict=True):
                wire, headers, status = _wire(case)
                error = CatalogError.from_dict(
                    wire, retry_after=retry_after, headers=headers, status=status
                )
                what = f"{error.error} attempt {attempt} Retry-After {retry_after}"
                assert pkg.retry_decision(error, attempt) == _decision(expected), what
    for n, ms in enumerate(RETRY["backoff_ms"]):
        assert pkg.backoff_delay_ms(n) == ms


def _check_sleeps_of(failure: CatalogError | pkg.ErrorBodyParseError, sleeps: list[int]) -> None:
    """`with_retry` and `async_with_retry` sleep `sleeps` (ms) on `failure`, then re-raise it."""
    slept: list[float] = []
    calls = 0

    def fail() -> None:
        nonlocal calls
        calls += 1
        raise failure

    with pytest.raises(type(failure)) as raised:
        pkg.with_retry(fail, sleep=slept.append)
    assert raised.value is failure
    assert slept == [ms / 1000 for ms in sleeps]
    assert calls == len(sleeps) + 1

    async_slept: list[float] = []

    async def async_fail() -> None:
        raise failure

    async def async_sleep(seconds: float) -> None:
        async_slept.append(seconds)

    with pytest.raises(type(failure)):
        asyncio.run(pkg.async_with_retry(async_fail, sleep=async_sleep))
    assert async_slept == slept


def test_with_retry_sleeps_as_decided_then_reraises() -> None:
    for case in RETRY["sleeps"]:
        wire, headers, status = _wire(case)
        failure = CatalogError.from_dict(
            wire, retry_after=case["retry_after"], headers=headers, status=status
        )
        _check_sleeps_of(failure, case["sleeps"])


def _not_an_error_body(case: dict[str, Any]) -> pkg.ErrorBodyParseError:
    """What `from_response` raises for a proxy's page with the row's status and `Retry-After`."""
    _, _, status = _wire(case)
    assert status is not None
    retry_after: str | None = case["retry_after"]
    headers = [] if retry_after is None else [("Retry-After", retry_after)]
    with pytest.raises(pkg.ErrorBodyParseError) as raised:
        CatalogError.from_response(status, headers, "<html>Bad Gateway</html>")
    failure = raised.value
    assert failure.status == status
    assert pickle.loads(pickle.dumps(failure)).status == status
    return failure


def test_with_retry_retries_a_response_that_is_not_an_error_body_by_its_status() -> None:
    # A proxy's page instead of an error body: retried as an unknown code of its status would be.
    for case in RETRY["sleeps"]:
        _check_sleeps_of(_not_an_error_body(case), case["sleeps"])
    # Without a status (a body parsed on its own), nothing says it is transient.
    bare = pkg.ErrorBodyParseError(["body: not JSON"])

    def bare_fail() -> None:
        raise bare

    def must_not_sleep(seconds: float) -> None:
        raise AssertionError(f"slept {seconds}")

    with pytest.raises(pkg.ErrorBodyParseError):
        pkg.with_retry(bare_fail, sleep=must_not_sleep)


def test_with_retry_returns_the_first_success_and_ignores_foreign_errors() -> None:
    slept: list[float] = []
    # With `retry.max_attempts: 1` nothing is retried, and no case sleeps.
    transient = next((c for c in RETRY["sleeps"] if c["sleeps"]), None)
    if transient is not None:
        wire, headers, status = _wire(transient)
        failure = CatalogError.from_dict(
            wire, retry_after=transient["retry_after"], headers=headers, status=status
        )
        attempts: list[int] = []

        def flaky() -> str:
            attempts.append(1)
            if len(attempts) == 1:
                raise failure
            return "ok"

        assert pkg.with_retry(flaky, sleep=slept.append) == "ok"
        assert slept == [transient["sleeps"][0] / 1000]
    assert pkg.with_retry(lambda: "first", sleep=slept.append) == "first"

    def foreign() -> None:
        raise TimeoutError("socket")

    with pytest.raises(TimeoutError):
        pkg.with_retry(foreign, sleep=slept.append)


def test_log_extra_goes_into_log_records(caplog: pytest.LogCaptureFixture) -> None:
    wire, headers, status = _wire(EXAMPLES[0])
    error = CatalogError.from_dict(wire, headers=headers, status=status)
    logger = logging.getLogger(f"{pkg.__name__}.tests")
    with caplog.at_level(logging.ERROR):
        logger.error("API error: %s", error.message, extra=error.log_extra())
    record = caplog.records[-1]
    assert getattr(record, "error_code") == error.error  # noqa: B009
    assert getattr(record, "request_id") == error.request_id  # noqa: B009
