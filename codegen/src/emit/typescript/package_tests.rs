//! The package's own tests, generated from the catalog: `test/examples.ts` (tables of example,
//! malformed and retry cases, with expectations computed here from the model),
//! `test/runtime.test.ts` (guards, error class, retry helper) and `test/types.test.ts`
//! (narrowing: compiles only if every code's `details` type is right; also runs).

use serde_json::{Map, Value, json};

use super::declarations::{body_type, details_type};
use super::syntax::{CodeWriter, string_literal, value_literal};
use crate::model::{Catalog, EnvelopeFieldName, ErrorDef, RetryPolicy, SchemaKind};

pub fn emit(catalog: &Catalog, header: &str) -> Vec<(String, String)> {
    vec![
        ("test/node.d.ts".into(), node_types(header)),
        ("test/examples.ts".into(), examples_ts(catalog, header)),
        (
            "test/runtime.test.ts".into(),
            runtime_test_ts(catalog, header),
        ),
        ("test/types.test.ts".into(), types_test_ts(catalog, header)),
    ]
}

/// A code this catalog does not define.
fn unknown_code(catalog: &Catalog) -> String {
    let mut code = "zz_code_from_the_future".to_string();
    while catalog.errors.iter().any(|e| e.code == code) {
        code.push_str("_x");
    }
    code
}

/// A valid body of an unknown code with every envelope field set.
fn unknown_body(catalog: &Catalog, status: u16) -> Value {
    json!({
        "error": unknown_code(catalog),
        "message": "An error this version does not know",
        "code": status,
        "details": { "anything": [1, "two"] },
        "request_id": "req_future",
        "timestamp": "2026-01-25T10:30:00Z"
    })
}

/// The shared retry semantics, computed from the model: the delay in ms, or `None` for no retry.
fn expected_delay(
    catalog: &Catalog,
    policy: &RetryPolicy,
    details: Option<&Value>,
    attempt: u32,
    retry_after: Option<&str>,
) -> Option<u64> {
    if attempt + 1 >= catalog.retry.max_attempts {
        return None;
    }
    match policy {
        RetryPolicy::Never => None,
        RetryPolicy::Backoff => Some(catalog.retry.backoff_delay_ms(attempt)),
        RetryPolicy::AfterDelay { delay_field } => {
            let from_details = delay_field
                .as_ref()
                .and_then(|f| details.and_then(|d| d.get(f)))
                .and_then(Value::as_u64);
            let from_header = retry_after.and_then(|h| h.trim().parse::<u64>().ok());
            Some(
                from_details
                    .or(from_header)
                    .unwrap_or(catalog.retry.default_delay_seconds)
                    * 1000,
            )
        }
    }
}

fn retry_after_header(headers: &[(String, String)]) -> Option<&str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))
        .map(|(_, v)| v.as_str())
}

fn decision_literal(delay: Option<u64>) -> String {
    match delay {
        Some(ms) => format!("{{ retry: true, delayMs: {ms} }}"),
        None => "{ retry: false }".into(),
    }
}

fn node_types(header: &str) -> String {
    let mut w = CodeWriter::with_header(header);
    w.line("// The parts of Node's test runner and assert the tests use (no @types/node needed).");
    w.blank();
    w.block("declare module \"node:test\" {", "}", |w| {
        w.line(
            "export function test(name: string, fn: () => void | Promise<void>): Promise<void>;",
        );
    });
    w.blank();
    w.block("declare module \"node:assert/strict\" {", "}", |w| {
        w.block("interface Assert {", "}", |w| {
            w.line("ok(value: unknown, message?: string): asserts value;");
            w.line("equal(actual: unknown, expected: unknown, message?: string): void;");
            w.line("deepEqual(actual: unknown, expected: unknown, message?: string): void;");
            w.line("throws(fn: () => unknown, expected: (error: unknown) => boolean, message?: string): void;");
            w.line("rejects(promise: Promise<unknown>, expected: (error: unknown) => boolean, message?: string): Promise<void>;");
        });
        w.line("const assert: Assert;");
        w.line("export default assert;");
    });
    w.finish()
}

fn examples_ts(catalog: &Catalog, header: &str) -> String {
    let pkg = &catalog.api.packages.typescript;
    let mut w = CodeWriter::with_header(header);
    w.blank();
    w.line(format!(
        "import type {{ ErrorCode, RetryDecision }} from {};",
        string_literal(pkg)
    ));
    w.blank();
    w.block("export interface Example {", "}", |w| {
        w.line("readonly code: ErrorCode;");
        w.line("readonly name: string;");
        w.line("readonly body: unknown;");
        w.line("readonly retryAfter: string | null;");
    });
    w.blank();
    w.doc(&["Every example of the catalog.".into()], &[]);
    w.block("export const EXAMPLES: readonly Example[] = [", "];", |w| {
        for e in &catalog.errors {
            for ex in &e.examples {
                let retry_after =
                    retry_after_header(&ex.headers).map_or("null".into(), string_literal);
                w.line(format!(
                    "{{ code: {}, name: {}, body: {}, retryAfter: {retry_after} }},",
                    string_literal(&e.code),
                    string_literal(&ex.name),
                    value_literal(&ex.body)
                ));
            }
        }
    });
    w.blank();
    w.doc(
        &["A valid body of a code this catalog does not define.".into()],
        &[],
    );
    w.line(format!(
        "export const UNKNOWN_BODY: unknown = {};",
        value_literal(&unknown_body(catalog, 418))
    ));
    w.blank();
    w.doc(
        &[
            "Bodies that are not error bodies, and the start of the problem each must report."
                .into(),
        ],
        &[],
    );
    w.block("export const MALFORMED: readonly { readonly why: string; readonly body: unknown; readonly problem: string }[] = [", "];", |w| {
        for (why, body, problem) in malformed_cases(catalog) {
            w.line(format!(
                "{{ why: {}, body: {}, problem: {} }},",
                string_literal(&why),
                value_literal(&body),
                string_literal(&problem)
            ));
        }
    });
    w.blank();
    w.doc(
        &["Retry decisions, computed by the generator from the catalog's policies.".into()],
        &[],
    );
    w.block(
        "export const RETRY_CASES: readonly { readonly body: unknown; readonly attempt: number; readonly retryAfter: string | null; readonly expected: RetryDecision }[] = [",
        "];",
        |w| {
            let header_values = [None, Some("7"), Some("Wed, 21 Oct 2015 07:28:00 GMT")];
            let mut bodies: Vec<(Value, RetryPolicy)> = catalog
                .errors
                .iter()
                .map(|e| (e.primary_example().body.clone(), e.retry.clone()))
                .collect();
            for status in [400, 429, 500, 503] {
                bodies.push((unknown_body(catalog, status), RetryPolicy::default_for_status(status)));
            }
            for (body, policy) in &bodies {
                for attempt in 0..catalog.retry.max_attempts.max(1) {
                    for h in header_values {
                        let delay = expected_delay(catalog, policy, body.get("details"), attempt, h);
                        w.line(format!(
                            "{{ body: {}, attempt: {attempt}, retryAfter: {}, expected: {} }},",
                            value_literal(body),
                            h.map_or("null".into(), string_literal),
                            decision_literal(delay)
                        ));
                    }
                }
            }
        },
    );
    w.blank();
    w.doc(
        &["`backoffDelayMs(n)` for n = 0..12, computed by the generator.".into()],
        &[],
    );
    let backoff: Vec<String> = (0..12)
        .map(|n| catalog.retry.backoff_delay_ms(n).to_string())
        .collect();
    w.line(format!(
        "export const BACKOFF_MS: readonly number[] = [{}];",
        backoff.join(", ")
    ));
    w.blank();
    w.doc(
        &[
            "The sleeps `withRetry` makes for an unknown code with each status that always fails."
                .into(),
        ],
        &[],
    );
    w.block("export const RETRY_SLEEPS: readonly { readonly body: unknown; readonly retryAfter: string | null; readonly sleeps: readonly number[] }[] = [", "];", |w| {
        for (status, header) in [(400, None), (429, Some("2")), (429, None), (503, None)] {
            let policy = RetryPolicy::default_for_status(status);
            let body = unknown_body(catalog, status);
            let mut sleeps = Vec::new();
            let mut attempt = 0;
            while let Some(ms) = expected_delay(catalog, &policy, body.get("details"), attempt, header) {
                sleeps.push(ms.to_string());
                attempt += 1;
            }
            w.line(format!(
                "{{ body: {}, retryAfter: {}, sleeps: [{}] }},",
                value_literal(&body),
                header.map_or("null".into(), string_literal),
                sleeps.join(", ")
            ));
        }
    });
    w.finish()
}

/// `(why, body, problem prefix)` for bodies the guard must reject.
fn malformed_cases(catalog: &Catalog) -> Vec<(String, Value, String)> {
    let base = unknown_body(catalog, 400);
    let with = |key: &str, value: Value| {
        let mut b = base.clone();
        b[key] = value;
        b
    };
    let without = |key: &str| {
        let mut b = base.clone();
        b.as_object_mut().expect("an object").remove(key);
        b
    };
    let mut cases = vec![
        (
            "null".to_string(),
            Value::Null,
            "body: expected an object, found null".to_string(),
        ),
        (
            "an array".into(),
            json!([]),
            "body: expected an object, found an array".into(),
        ),
        (
            "a string".into(),
            json!("Internal Server Error"),
            "body: expected an object".into(),
        ),
        (
            "error is a number".into(),
            with("error", json!(42)),
            "error: expected a string, found the number 42".into(),
        ),
        (
            "code is a string".into(),
            with("code", json!("400")),
            "code: expected an integer, found the string \"400\"".into(),
        ),
        (
            "code is a fraction".into(),
            with("code", json!(400.5)),
            "code: expected an integer".into(),
        ),
        (
            "message is null".into(),
            with("message", Value::Null),
            "message: expected a string, found null".into(),
        ),
        (
            "details is an array".into(),
            with("details", json!([])),
            "details: expected an object, found an array".into(),
        ),
        (
            "timestamp is a number".into(),
            with("timestamp", json!(5)),
            "timestamp: expected a string".into(),
        ),
    ];
    for name in EnvelopeFieldName::ALL {
        if catalog.envelope.field(name).required {
            cases.push((
                format!("{} is missing", name.as_str()),
                without(name.as_str()),
                format!("{}: required field is missing", name.as_str()),
            ));
        }
    }
    for e in &catalog.errors {
        cases.extend(code_cases(e));
    }
    cases
}

fn code_cases(e: &ErrorDef) -> Vec<(String, Value, String)> {
    let example = &e.primary_example().body;
    let code = &e.code;
    let mut cases = Vec::new();
    let mut wrong_status = example.clone();
    let other = if e.status == 599 { 598 } else { e.status + 1 };
    wrong_status["code"] = json!(other);
    cases.push((
        format!("{code} with status {other}"),
        wrong_status,
        format!("code: expected {} for \"{code}\"", e.status),
    ));
    let Some(schema) = &e.details else {
        return cases;
    };
    let Some(Value::Object(details)) = example.get("details") else {
        return cases;
    };
    if schema.properties.iter().any(|p| p.required) {
        let mut b = example.clone();
        b.as_object_mut().expect("an object").remove("details");
        cases.push((
            format!("{code} without details"),
            b,
            format!("details: required for \"{code}\""),
        ));
    }
    for p in &schema.properties {
        let set = |value: Value| {
            let mut d: Map<String, Value> = details.clone();
            d.insert(p.name.clone(), value);
            let mut b = example.clone();
            b["details"] = Value::Object(d);
            b
        };
        let path = format!("details.{}", p.name);
        if p.required {
            let mut d = details.clone();
            d.remove(&p.name);
            let mut b = example.clone();
            b["details"] = Value::Object(d);
            cases.push((
                format!("{code} without {path}"),
                b,
                format!("{path}: required field is missing"),
            ));
        }
        let (wrong, expected) = match &p.schema.kind {
            SchemaKind::String { .. } => (json!(42), "a string"),
            SchemaKind::Integer { .. } => (json!("1"), "an integer"),
            SchemaKind::Number => (json!("1.5"), "a number"),
            SchemaKind::Boolean => (json!("yes"), "a boolean"),
            SchemaKind::Array { .. } => (json!({}), "an array"),
            SchemaKind::Object(_) => (json!([]), "an object"),
        };
        cases.push((
            format!("{code} with a wrong {path}"),
            set(wrong),
            format!("{path}: expected {expected}"),
        ));
        match &p.schema.kind {
            SchemaKind::String {
                enum_values: Some(_),
                ..
            } => {
                cases.push((
                    format!("{code} with {path} outside its enum"),
                    set(json!("not-a-value-of-the-enum")),
                    format!("{path}: expected one of"),
                ));
            }
            SchemaKind::Integer {
                minimum: Some(m), ..
            } => {
                cases.push((
                    format!("{code} with {path} below its minimum"),
                    set(json!(m - 1)),
                    format!("{path}: {} is less than the minimum", m - 1),
                ));
            }
            _ => {}
        }
    }
    cases
}

fn runtime_test_ts(catalog: &Catalog, header: &str) -> String {
    let pkg = &catalog.api.packages.typescript;
    let class = &catalog.api.packages.error_type;
    let mut w = CodeWriter::with_header(header);
    w.blank();
    w.line("import assert from \"node:assert/strict\";");
    w.line("import { test } from \"node:test\";");
    w.block(
        "import {",
        &format!("}} from {};", string_literal(pkg)),
        |w| {
            for name in [
                "API",
                "ERROR_CODES",
                "ERRORS",
                "ErrorBodyParseError",
                class.as_str(),
                "backoffDelayMs",
                "checkErrorBody",
                "isErrorBody",
                "isKnownErrorBody",
                "parseErrorBody",
                "retryDecision",
                "withRetry",
            ] {
                w.line(format!("{name},"));
            }
        },
    );
    w.line("import { BACKOFF_MS, EXAMPLES, MALFORMED, RETRY_CASES, RETRY_SLEEPS, UNKNOWN_BODY } from \"./examples.js\";");
    w.blank();
    w.line(RUNTIME_TESTS.replace("__ERROR_TYPE__", class).trim_start());
    w.finish()
}

/// The fixed part of `test/runtime.test.ts`; `__ERROR_TYPE__` is the error class.
const RUNTIME_TESTS: &str = r#"
test("every code has an example and catalog metadata", () => {
  assert.deepEqual([...new Set(EXAMPLES.map((e) => e.code))], [...ERROR_CODES]);
  for (const code of ERROR_CODES) {
    const info = ERRORS[code];
    assert.equal(info.code, code);
    assert.ok(info.docsUrl.startsWith(`${API.docsUrl}/`), info.docsUrl);
  }
});

test("every example parses into its own member", () => {
  for (const ex of EXAMPLES) {
    const what = `${ex.code}/${ex.name}`;
    assert.deepEqual(checkErrorBody(ex.body), [], what);
    const body = parseErrorBody(ex.body);
    assert.ok(isKnownErrorBody(body), what);
    assert.equal(body.error, ex.code, what);
    assert.equal(body.code, ERRORS[ex.code].status, what);
    const error = __ERROR_TYPE__.fromJSON(ex.body, { retryAfter: ex.retryAfter });
    assert.ok(error instanceof Error && error instanceof __ERROR_TYPE__, what);
    assert.equal(error.name, "__ERROR_TYPE__");
    assert.ok(error.is(ex.code) && error.isKnown(), what);
    assert.equal(error.error, ex.code);
    assert.equal(error.message, body.message);
    assert.equal(error.code, body.code);
    assert.equal(error.details, body.details);
    assert.equal(error.requestId, body.request_id);
    assert.equal(error.timestamp, body.timestamp);
    assert.equal(error.docsUrl, ERRORS[ex.code].docsUrl);
    assert.equal(error.retryAfter, ex.retryAfter === null ? undefined : Number(ex.retryAfter));
    assert.deepEqual(JSON.parse(JSON.stringify(error)), ex.body);
  }
});

test("a code this version does not know is accepted as an unknown error", async () => {
  const body = parseErrorBody(UNKNOWN_BODY);
  assert.equal(isKnownErrorBody(body), false);
  const error = __ERROR_TYPE__.fromJSON(UNKNOWN_BODY);
  assert.equal(error.isKnown(), false);
  assert.equal(error.info, undefined);
  assert.equal(error.docsUrl, undefined);
  const response = {
    status: 418,
    headers: { get: (name: string) => (name.toLowerCase() === "retry-after" ? "7" : null) },
    json: () => Promise.resolve(UNKNOWN_BODY),
  };
  const fromResponse = await __ERROR_TYPE__.fromResponse(response);
  assert.equal(fromResponse.error, body.error);
  assert.equal(fromResponse.retryAfter, 7);
  assert.equal(fromResponse.status, 418);
  const notJson = { ...response, json: () => Promise.reject(new SyntaxError("Unexpected token <")) };
  await assert.rejects(__ERROR_TYPE__.fromResponse(notJson), (e) => e instanceof ErrorBodyParseError && e.message.includes("not JSON"));
});

test("malformed bodies are rejected with a useful message", () => {
  for (const m of MALFORMED) {
    assert.equal(isErrorBody(m.body), false, m.why);
    assert.throws(
      () => parseErrorBody(m.body),
      (e) => e instanceof ErrorBodyParseError && e.problems.some((p) => p.startsWith(m.problem)) && e.message.includes(m.problem),
      `${m.why}: expected a problem starting with ${JSON.stringify(m.problem)}, got ${JSON.stringify(checkErrorBody(m.body))}`,
    );
  }
});

test("inherited properties never count as fields", () => {
  const body = JSON.parse('{"message": "m", "code": 400}') as unknown;
  assert.ok(checkErrorBody(body).includes("error: required field is missing"));
  assert.ok(checkErrorBody(Object.create({ error: "x", message: "m", code: 400 })).length > 0);
});

test("retry decisions follow the catalog's policies", () => {
  for (const c of RETRY_CASES) {
    const body = parseErrorBody(c.body);
    const what = `${body.error} attempt ${c.attempt} Retry-After ${String(c.retryAfter)}`;
    assert.deepEqual(retryDecision(body, c.attempt, c.retryAfter), c.expected, what);
    const error = __ERROR_TYPE__.fromJSON(c.body, { retryAfter: c.retryAfter });
    assert.deepEqual(retryDecision(error, c.attempt, error.retryAfter), c.expected, what);
  }
  BACKOFF_MS.forEach((ms, n) => assert.equal(backoffDelayMs(n), ms, `backoff ${n}`));
});

test("withRetry sleeps as decided, then rethrows the last error", async () => {
  for (const c of RETRY_SLEEPS) {
    const slept: number[] = [];
    let calls = 0;
    const failure = __ERROR_TYPE__.fromJSON(c.body, { retryAfter: c.retryAfter });
    await assert.rejects(
      withRetry(
        () => {
          calls++;
          return Promise.reject(failure);
        },
        { sleep: (ms) => { slept.push(ms); return Promise.resolve(); } },
      ),
      (e) => e === failure,
    );
    assert.deepEqual(slept, c.sleeps, JSON.stringify(c.body));
    assert.equal(calls, c.sleeps.length + 1);
  }
});

test("withRetry returns the first success and does not retry foreign errors", async () => {
  const transient = RETRY_SLEEPS.find((c) => c.sleeps.length > 0);
  if (transient !== undefined) {
    const slept: number[] = [];
    const result = await withRetry(
      (attempt) => (attempt === 0 ? Promise.reject(__ERROR_TYPE__.fromJSON(transient.body, { retryAfter: transient.retryAfter })) : Promise.resolve("ok")),
      { sleep: (ms) => { slept.push(ms); return Promise.resolve(); } },
    );
    assert.equal(result, "ok");
    assert.deepEqual(slept, transient.sleeps.slice(0, 1));
  }
  let calls = 0;
  const foreign = new TypeError("fetch failed");
  await assert.rejects(
    withRetry(() => {
      calls++;
      return Promise.reject(foreign);
    }, { sleep: () => Promise.reject(new Error("must not sleep")) }),
    (e) => e === foreign,
  );
  assert.equal(calls, 1);
});
"#;

fn types_test_ts(catalog: &Catalog, header: &str) -> String {
    let pkg = &catalog.api.packages.typescript;
    let class = &catalog.api.packages.error_type;
    let mut w = CodeWriter::with_header(header);
    w.line("// Type tests: this file compiles only if narrowing on `error` types `details` for every code.");
    w.blank();
    w.line("import assert from \"node:assert/strict\";");
    w.line("import { test } from \"node:test\";");
    let mut type_names: Vec<String> = vec![
        "AnyErrorCode".into(),
        "DetailsOf".into(),
        "ErrorBody".into(),
        "ErrorBodyOf".into(),
        "UnknownDetails".into(),
    ];
    for e in &catalog.errors {
        type_names.push(body_type(catalog, e));
        type_names.extend(details_type(catalog, e));
    }
    w.block(
        "import type {",
        &format!("}} from {};", string_literal(pkg)),
        |w| {
            for n in &type_names {
                w.line(format!("{n},"));
            }
        },
    );
    w.line(format!(
        "import {{ {class}, isKnownErrorBody, parseErrorBody }} from {};",
        string_literal(pkg)
    ));
    w.line("import { EXAMPLES } from \"./examples.js\";");
    w.blank();
    w.doc(&["Narrows on the code; each branch assigns `details` and `code` to that code's own types.".into()], &[]);
    w.block("function narrowBody(body: ErrorBody): string {", "}", |w| {
        w.block("if (!isKnownErrorBody(body)) {", "}", |w| {
            w.line("const code: AnyErrorCode = body.error;");
            w.line("const details: UnknownDetails | undefined = body.details;");
            w.line("return `unknown ${code} ${typeof details}`;");
        });
        w.block("switch (body.error) {", "}", |w| {
            for e in &catalog.errors {
                w.block(format!("case {}: {{", string_literal(&e.code)), "}", |w| {
                    let (details_ty, _) = details_types(catalog, e);
                    w.line(format!("const details: {details_ty} = body.details;"));
                    w.line(format!(
                        "const same: DetailsOf<{}> = details;",
                        string_literal(&e.code)
                    ));
                    w.line(format!("const whole: {} = body;", body_type(catalog, e)));
                    w.line(format!("const status: {} = body.code;", e.status));
                    w.line("return `${whole.error} ${status} ${typeof same}`;");
                });
            }
            w.block("default: {", "}", |w| {
                w.line("const unreachable: never = body;");
                w.line("return unreachable;");
            });
        });
    });
    w.blank();
    w.doc(
        &[
            "Narrows an error with `is(code)`; each branch assigns `details` to that code's type."
                .into(),
        ],
        &[],
    );
    w.block(
        format!("function narrowError(error: {class}): string {{"),
        "}",
        |w| {
            for e in &catalog.errors {
                w.block(
                    format!("if (error.is({})) {{", string_literal(&e.code)),
                    "}",
                    |w| {
                        let (details_ty, _) = details_types(catalog, e);
                        w.line(format!("const details: {details_ty} = error.details;"));
                        w.line(format!(
                            "const body: ErrorBodyOf<{}> = error.body;",
                            string_literal(&e.code)
                        ));
                        w.line(format!("const status: {} = error.code;", e.status));
                        w.line("return `${body.error} ${status} ${typeof details}`;");
                    },
                );
            }
            w.line("return `unknown ${error.error}`;");
        },
    );
    w.blank();
    w.block(
        "test(\"narrowing on the code types details\", () => {",
        "});",
        |w| {
            w.block("for (const ex of EXAMPLES) {", "}", |w| {
                w.line("const body = parseErrorBody(ex.body);");
                w.line("const expected = `${ex.code} ${body.code} ${typeof body.details}`;");
                w.line("assert.equal(narrowBody(body), expected);");
                w.line(format!(
                    "assert.equal(narrowError(new {class}(body)), expected);"
                ));
            });
        },
    );
    w.finish()
}

/// The type `details` has after narrowing to a code, and whether it is optional.
fn details_types(catalog: &Catalog, e: &ErrorDef) -> (String, bool) {
    match (details_type(catalog, e), &e.details) {
        (Some(t), Some(d)) if d.properties.iter().any(|p| p.required) => (t, false),
        (Some(t), _) => (format!("{t} | undefined"), true),
        _ => ("UnknownDetails | undefined".into(), true),
    }
}
