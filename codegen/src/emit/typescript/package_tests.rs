//! The package's own tests, generated from the catalog: `test/examples.ts` (tables of example,
//! malformed and retry cases, with expectations computed here from the model),
//! `test/runtime.test.ts` (guards, error class, retry helper) and `test/types.test.ts`
//! (narrowing: compiles only if every code's `details` type is right; also runs).

use serde_json::Value;

use super::declarations::{body_type, details_type};
use super::syntax::{CodeWriter, property_key, string_literal, value_literal};
use crate::conformance::{
    self, Change, RETRY_AFTER_VALUES, UNKNOWN_RETRY_STATUSES, broken_examples, malformed_cases,
    retry_after_header, retry_sleeps, unknown_body,
};
use crate::emit::wire_data;
use crate::model::{Catalog, ErrorDef, RetryPolicy};

/// Headers as a TS object literal.
fn headers_literal(headers: &[(String, String)]) -> String {
    let map: serde_json::Map<String, Value> = headers
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    value_literal(&Value::Object(map))
}

/// `, wire: ..., headers: ...` for a table row whose body the wire lays out differently.
fn wire_fields(catalog: &Catalog, neutral: &Value) -> String {
    if wire_data::of(catalog).is_flat() {
        return String::new();
    }
    let (body, headers) = wire_data::wire_body(catalog, neutral);
    format!(
        ", wire: {}, headers: {}",
        value_literal(&body),
        headers_literal(&headers)
    )
}

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
        w.doc(&["The body in the neutral form: what `parseErrorBody` returns.".into()], &[]);
        w.line("readonly body: unknown;");
        w.line("readonly retryAfter: string | null;");
        w.doc(&["The body and headers on the wire, where the wire format lays them out differently.".into()], &[]);
        w.line("readonly wire?: unknown;");
        w.line("readonly headers?: { readonly [name: string]: string };");
    });
    w.blank();
    w.doc(
        &[
            "An example as a row; `more` holds its `Retry-After` header and its wire form, when it has them. Each row is typed `Example` as it is written, so tsc never reduces thousands of distinct element types (TS2590).".into(),
        ],
        &[],
    );
    w.line("const ex = (code: ErrorCode, name: string, body: unknown, more: Partial<Pick<Example, \"retryAfter\" | \"wire\" | \"headers\">> = {}): Example => ({ code, name, body, retryAfter: null, ...more });");
    w.blank();
    w.doc(&["Every example of the catalog.".into()], &[]);
    w.block("export const EXAMPLES: readonly Example[] = [", "];", |w| {
        for e in &catalog.errors {
            for ex in &e.examples {
                let mut more = Vec::new();
                if let Some(h) = retry_after_header(&ex.headers) {
                    more.push(format!("retryAfter: {}", string_literal(h)));
                }
                if let Some(r) = &ex.wire {
                    more.push(format!("wire: {}", value_literal(&r.body)));
                    more.push(format!("headers: {}", headers_literal(&r.headers)));
                }
                let more = if more.is_empty() {
                    String::new()
                } else {
                    format!(", {{ {} }}", more.join(", "))
                };
                w.line(format!(
                    "ex({}, {}, {}{more}),",
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
    let (unknown_wire, unknown_headers) =
        wire_data::wire_body(catalog, &unknown_body(catalog, 418));
    w.line(format!(
        "export const UNKNOWN_BODY: unknown = {};",
        value_literal(&unknown_wire)
    ));
    w.doc(&["The headers sent with it.".into()], &[]);
    w.line(format!(
        "export const UNKNOWN_HEADERS: {{ readonly [name: string]: string }} = {};",
        headers_literal(&unknown_headers)
    ));
    w.blank();
    w.doc(
        &[
            "Bodies that are not error bodies, and the start of the problem each must report."
                .into(),
        ],
        &[],
    );
    // These tables break bodies of the flat envelope; other wire formats do not have them yet.
    let flat = wire_data::of(catalog).is_flat();
    w.block("export const MALFORMED: readonly { readonly why: string; readonly body: unknown; readonly problem: string }[] = [", "];", |w| {
        for (why, body, problem) in malformed_cases(catalog).into_iter().filter(|_| flat) {
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
        &[
            "A code's first example with one field changed (`set`) or removed (`remove`, never both), which the guard must reject, and the start of the problem it must report. `path` leads from the body to the field.".into(),
        ],
        &[],
    );
    w.block("export interface Broken {", "}", |w| {
        w.line("readonly code: ErrorCode;");
        w.line("readonly path: readonly string[];");
        w.line("readonly problem: string;");
        w.line("readonly set?: unknown;");
        w.line("readonly remove?: true;");
    });
    w.blank();
    w.doc(&["Marks a change that removes the field.".into()], &[]);
    w.line("const REMOVE: unique symbol = Symbol(\"remove\");");
    w.doc(
        &[
            "A code's broken copies as rows of `[path with dots, value set or REMOVE, problem]`."
                .into(),
        ],
        &[],
    );
    w.block(
        "const broken = (code: ErrorCode, ...rows: readonly (readonly [string, unknown, string])[]): Broken[] =>",
        "",
        |w| {
            w.line("rows.map(([path, value, problem]) => ({ code, path: path.split(\".\"), problem, ...(value === REMOVE ? { remove: true as const } : { set: value }) }));");
        },
    );
    w.blank();
    w.block(
        "export const BROKEN_EXAMPLES: readonly Broken[] = [",
        "].flat();",
        |w| {
            for e in catalog.errors.iter().filter(|_| flat) {
                let rows: Vec<String> = broken_examples(e)
                    .iter()
                    .map(|b| {
                        let change = match &b.change {
                            Change::Set(value) => value_literal(value),
                            Change::Remove => "REMOVE".into(),
                        };
                        format!(
                            "[{}, {change}, {}]",
                            string_literal(&b.path.join(".")),
                            string_literal(&b.problem)
                        )
                    })
                    .collect();
                w.line(format!(
                    "broken({}, {}),",
                    string_literal(&e.code),
                    rows.join(", ")
                ));
            }
        },
    );
    w.blank();
    w.doc(
        &[
            "The cross-language conformance table (`conformance.rs`, shared with the Python package): bodies as JSON text and the verdict every package must reach.".into(),
        ],
        &[],
    );
    w.block("export const CONFORMANCE: readonly ({ readonly name: string; readonly json: string; readonly headers?: { readonly [name: string]: string }; readonly status?: number } & ({ readonly verdict: \"valid\"; readonly code: string; readonly known: boolean } | { readonly verdict: \"invalid\"; readonly problem: string }))[] = [", "];", |w| {
        for c in conformance::body_cases(catalog) {
            let verdict = match &c.verdict {
                conformance::Verdict::Valid { code, known } => format!(
                    "verdict: \"valid\", code: {}, known: {known}",
                    string_literal(code)
                ),
                conformance::Verdict::Invalid { problem } => {
                    format!("verdict: \"invalid\", problem: {}", string_literal(problem))
                }
            };
            // The response's headers and status, where the wire reads them.
            let mut response = String::new();
            if let Some(h) = &c.headers {
                response.push_str(&format!("headers: {}, ", value_literal(h)));
            }
            if let Some(s) = c.status {
                response.push_str(&format!("status: {s}, "));
            }
            w.line(format!(
                "{{ name: {}, json: {}, {response}{verdict} }},",
                string_literal(&c.name),
                string_literal(&c.json)
            ));
        }
    });
    w.blank();
    w.doc(
        &["The `Retry-After` values every retry case is decided with.".into()],
        &[],
    );
    let header_values: Vec<String> = RETRY_AFTER_VALUES
        .iter()
        .map(|h| h.map_or("null".into(), string_literal))
        .collect();
    w.line(format!(
        "export const RETRY_AFTER_VALUES: readonly (string | null)[] = [{}];",
        header_values.join(", ")
    ));
    w.blank();
    w.doc(
        &["A retry decision as data: the delay in milliseconds, or `null` for no retry.".into()],
        &[],
    );
    w.line("export type Delay = number | null;");
    w.blank();
    let delays: Vec<(&str, String)> = catalog
        .errors
        .iter()
        .map(|e| {
            let body = &e.primary_example().body;
            (e.code.as_str(), delays_literal(catalog, &e.retry, body))
        })
        .collect();
    // The table of a code that is never retried, written once: most catalogs have many.
    let never = delays_literal(catalog, &RetryPolicy::Never, &Value::Null);
    w.doc(
        &["The decisions for a code that is never retried.".into()],
        &[],
    );
    w.line(format!(
        "const NO_RETRY: readonly (readonly Delay[])[] = {never};"
    ));
    w.blank();
    w.doc(
        &[
            "Retry decisions for each code's first example, computed by the generator from the catalog's policies: `[attempt][i]` is the decision with `RETRY_AFTER_VALUES[i]`.".into(),
        ],
        &[],
    );
    w.block(
        "export const RETRY_DELAYS: { readonly [code in ErrorCode]: readonly (readonly Delay[])[] } = {",
        "};",
        |w| {
            for (code, literal) in &delays {
                let literal = if *literal == never { "NO_RETRY" } else { literal.as_str() };
                w.line(format!("{}: {literal},", property_key(code)));
            }
        },
    );
    w.blank();
    w.doc(
        &["The same for the first examples with hostile delays in their details, and for bodies of codes this catalog does not define, one per status.".into()],
        &[],
    );
    w.block(
        "export const UNKNOWN_RETRY_CASES: readonly { readonly body: unknown; readonly status: number; readonly delays: readonly (readonly Delay[])[]; readonly wire?: unknown; readonly headers?: { readonly [name: string]: string } }[] = [",
        "];",
        |w| {
            for (policy, body) in crate::conformance::hostile_delay_bodies(catalog) {
                let status = body.get("code").and_then(Value::as_u64).unwrap_or(500);
                w.line(format!(
                    "{{ body: {}, status: {status}, delays: {}{} }},",
                    value_literal(&body),
                    delays_literal(catalog, policy, &body),
                    wire_fields(catalog, &body)
                ));
            }
            for status in UNKNOWN_RETRY_STATUSES {
                let body = unknown_body(catalog, status);
                let policy = RetryPolicy::default_for_status(status);
                w.line(format!(
                    "{{ body: {}, status: {status}, delays: {}{} }},",
                    value_literal(&body),
                    delays_literal(catalog, &policy, &body),
                    wire_fields(catalog, &body)
                ));
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
    w.block("export const RETRY_SLEEPS: readonly { readonly body: unknown; readonly retryAfter: string | null; readonly sleeps: readonly number[]; readonly wire?: unknown; readonly headers?: { readonly [name: string]: string } }[] = [", "];", |w| {
        for (body, header, sleeps) in retry_sleeps(catalog) {
            let sleeps: Vec<String> = sleeps.iter().map(u64::to_string).collect();
            w.line(format!(
                "{{ body: {}, retryAfter: {}, sleeps: [{}]{} }},",
                value_literal(&body),
                header.map_or("null".into(), string_literal),
                sleeps.join(", "),
                wire_fields(catalog, &body)
            ));
        }
    });
    w.finish()
}

/// `[[delay per Retry-After value] per attempt]` for a body under a policy.
fn delays_literal(catalog: &Catalog, policy: &RetryPolicy, body: &Value) -> String {
    let rows: Vec<String> = crate::conformance::delays(catalog, policy, body)
        .iter()
        .map(|row| {
            let cells: Vec<String> = row
                .iter()
                .map(|d| d.map_or("null".into(), |ms| ms.to_string()))
                .collect();
            format!("[{}]", cells.join(", "))
        })
        .collect();
    format!("[{}]", rows.join(", "))
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
                "RETIRED_CODES",
                class.as_str(),
                "backoffDelayMs",
                "checkErrorBody",
                "isErrorBody",
                "isErrorCode",
                "isKnownErrorBody",
                "parseErrorBody",
                "retiredCode",
                "retryDecision",
                "wireHeaders",
                "withRetry",
                "writeWire",
            ] {
                w.line(format!("{name},"));
            }
        },
    );
    w.line(format!(
        "import type {{ ErrorCode, RetryDecision }} from {};",
        string_literal(pkg)
    ));
    w.line("import { BACKOFF_MS, BROKEN_EXAMPLES, CONFORMANCE, EXAMPLES, MALFORMED, RETRY_AFTER_VALUES, RETRY_DELAYS, RETRY_SLEEPS, UNKNOWN_BODY, UNKNOWN_HEADERS, UNKNOWN_RETRY_CASES } from \"./examples.js\";");
    w.line("import type { Delay, Example } from \"./examples.js\";");
    w.blank();
    w.line(RUNTIME_TESTS.replace("__ERROR_TYPE__", class).trim_start());
    w.finish()
}

/// The fixed part of `test/runtime.test.ts`; `__ERROR_TYPE__` is the error class.
const RUNTIME_TESTS: &str = r#"
test("retired codes are recognised as retired, not as live or unknown codes", () => {
  for (const [code, info] of Object.entries(RETIRED_CODES)) {
    assert.equal(info.code, code);
    assert.ok(!isErrorCode(code), code);
    assert.equal(retiredCode(code), info);
    const sent = { error: code, message: "Sent by an older server", code: 400 };
    const error = __ERROR_TYPE__.fromJSON(writeWire(sent), { headers: wireHeaders(sent), status: 400 });
    assert.ok(!error.isKnown(), code);
    assert.equal(error.retired, info);
    assert.equal(error.docsUrl, info.docsUrl);
  }
  assert.equal(retiredCode("zz_not_a_code"), undefined);
  assert.equal(retiredCode("__proto__"), undefined);
});

test("every code has an example and catalog metadata", () => {
  assert.deepEqual([...new Set(EXAMPLES.map((e) => e.code))], [...ERROR_CODES]);
  for (const code of ERROR_CODES) {
    const info = ERRORS[code];
    assert.equal(info.code, code);
    assert.ok(info.docsUrl.startsWith(`${API.docsUrl}/`), info.docsUrl);
  }
});

test("every example parses into its own member, from the wire and back", () => {
  for (const ex of EXAMPLES) {
    const what = `${ex.code}/${ex.name}`;
    const wire = ex.wire ?? ex.body;
    const headers = ex.headers ?? {};
    const status = ERRORS[ex.code].status;
    assert.deepEqual(checkErrorBody(wire, headers, status), [], what);
    const body = parseErrorBody(wire, headers, status);
    assert.deepEqual(JSON.parse(JSON.stringify(body)), ex.body, what);
    assert.deepEqual(writeWire(body), wire, what);
    assert.deepEqual(wireHeaders(body), headers, what);
    assert.deepEqual(new __ERROR_TYPE__(body).toJSON(), wire, what);
    assert.ok(isKnownErrorBody(body), what);
    assert.equal(body.error, ex.code, what);
    assert.equal(body.code, ERRORS[ex.code].status, what);
    const error = __ERROR_TYPE__.fromJSON(wire, { retryAfter: ex.retryAfter, headers, status });
    assert.ok(error instanceof Error && error instanceof __ERROR_TYPE__, what);
    assert.equal(error.name, "__ERROR_TYPE__");
    assert.ok(error.is(ex.code) && error.isKnown(), what);
    assert.equal(error.error, ex.code);
    assert.equal(error.message, body.message);
    assert.equal(error.code, body.code);
    assert.deepEqual(error.details, body.details);
    assert.equal(error.requestId, body.request_id);
    assert.equal(error.timestamp, body.timestamp);
    assert.equal(error.docsUrl, ERRORS[ex.code].docsUrl);
    assert.equal(error.retryAfter, ex.retryAfter === null ? undefined : Number(ex.retryAfter));
    assert.deepEqual(JSON.parse(JSON.stringify(error)), wire);
    const shown = String(error);
    assert.ok(shown.includes(`${ex.code}: ${body.message}`), shown);
    if (body.request_id !== undefined) assert.ok(shown.includes(`(request_id: ${body.request_id})`), shown);
  }
  const unknown = __ERROR_TYPE__.fromJSON(UNKNOWN_BODY, { headers: UNKNOWN_HEADERS, status: 418 });
  const logged = String(unknown);
  if (unknown.requestId !== undefined) assert.ok(logged.includes("(request_id: req_future)"), logged);
});

test("a code this version does not know is accepted as an unknown error", async () => {
  const body = parseErrorBody(UNKNOWN_BODY, UNKNOWN_HEADERS, 418);
  assert.equal(isKnownErrorBody(body), false);
  assert.equal(body.code, 418);
  const error = __ERROR_TYPE__.fromJSON(UNKNOWN_BODY, { headers: UNKNOWN_HEADERS, status: 418 });
  assert.equal(error.isKnown(), false);
  assert.equal(error.info, undefined);
  assert.equal(error.docsUrl, undefined);
  const fields: { readonly [name: string]: string } = { ...UNKNOWN_HEADERS, "Retry-After": "7" };
  const response = {
    status: 418,
    headers: { get: (name: string) => Object.entries(fields).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? null },
    json: () => Promise.resolve(UNKNOWN_BODY),
  };
  const fromResponse = await __ERROR_TYPE__.fromResponse(response);
  assert.equal(fromResponse.error, body.error);
  assert.equal(fromResponse.retryAfter, 7);
  assert.equal(fromResponse.status, 418);
  const fromParts = __ERROR_TYPE__.fromResponse(418, fields, JSON.stringify(UNKNOWN_BODY));
  assert.equal(fromParts.error, body.error);
  assert.equal(fromParts.retryAfter, 7);
  assert.throws(() => __ERROR_TYPE__.fromResponse(502, {}, "<html>"), (e) => e instanceof ErrorBodyParseError && e.message.includes("not JSON"));
  const notJson = { ...response, json: () => Promise.reject(new SyntaxError("Unexpected token <")) };
  await assert.rejects(__ERROR_TYPE__.fromResponse(notJson), (e) => e instanceof ErrorBodyParseError && e.message.includes("not JSON"));
});

/** Each code's first example. */
const FIRST_EXAMPLES = new Map<ErrorCode, Example>();
for (const ex of EXAMPLES) {
  if (!FIRST_EXAMPLES.has(ex.code)) FIRST_EXAMPLES.set(ex.code, ex);
}

function firstExample(code: ErrorCode): Example {
  const ex = FIRST_EXAMPLES.get(code);
  assert.ok(ex !== undefined, `${code} has no example`);
  return ex;
}

/** A deep copy of `body` with `path` set to `set`, or removed. */
function changed(body: unknown, path: readonly string[], change: { readonly set?: unknown; readonly remove?: true }): unknown {
  const copy = JSON.parse(JSON.stringify(body)) as unknown;
  let target = copy as Record<string, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = path[path.length - 1];
  assert.ok(last !== undefined, "an empty path");
  if ("set" in change) target[last] = change.set;
  else delete target[last];
  return copy;
}

function assertRejected(body: unknown, problem: string, why: string, headers?: { readonly [name: string]: string }, status?: number): void {
  assert.equal(isErrorBody(body, headers, status), false, why);
  assert.throws(
    () => parseErrorBody(body, headers, status),
    (e) => e instanceof ErrorBodyParseError && e.problems.some((p) => p.startsWith(problem)) && e.message.includes(problem),
    `${why}: expected a problem starting with ${JSON.stringify(problem)}, got ${JSON.stringify(checkErrorBody(body, headers, status))}`,
  );
}

test("malformed bodies are rejected with a useful message", () => {
  for (const m of MALFORMED) assertRejected(m.body, m.problem, m.why);
  for (const b of BROKEN_EXAMPLES) {
    const path = b.path.join(".");
    const why = `${b.code} ${"set" in b ? `with ${path} = ${JSON.stringify(b.set)}` : `without ${path}`}`;
    assertRejected(changed(firstExample(b.code).body, b.path, b), b.problem, why);
  }
});

test("the cross-language conformance table", () => {
  for (const c of CONFORMANCE) {
    let value: unknown;
    let parsed = true;
    try {
      // One byte-order mark is ignored, as `Response.json()` (what `fromResponse` reads) does.
      value = JSON.parse(c.json.replace(/^\uFEFF/, ""));
    } catch {
      parsed = false;
    }
    if (c.verdict === "valid") {
      assert.ok(parsed, c.name);
      const body = parseErrorBody(value, c.headers, c.status);
      assert.equal(body.error, c.code, c.name);
      assert.equal(isKnownErrorBody(body), c.known, c.name);
    } else if (!parsed) {
      assert.ok(c.problem.startsWith("body: not JSON"), `${c.name}: not JSON, but the table expects ${c.problem}`);
    } else {
      assertRejected(value, c.problem, c.name, c.headers, c.status);
    }
  }
});

test("inherited properties never count as fields", () => {
  const body = JSON.parse('{"message": "m", "code": 400}') as unknown;
  assert.ok(checkErrorBody(body).length > 0);
  assert.ok(checkErrorBody(Object.create({ error: "x", message: "m", code: 400 })).length > 0);
});

function decision(delay: Delay): RetryDecision {
  return delay === null ? { retry: false } : { retry: true, delayMs: delay };
}

test("retry decisions follow the catalog's policies", () => {
  const cases = [
    ...[...FIRST_EXAMPLES.values()].map((ex) => ({ ...ex, status: ERRORS[ex.code].status, delays: RETRY_DELAYS[ex.code] })),
    ...UNKNOWN_RETRY_CASES,
  ];
  for (const c of cases) {
    const wire = c.wire ?? c.body;
    const headers = c.headers ?? {};
    const body = parseErrorBody(wire, headers, c.status);
    c.delays.forEach((row, attempt) => {
      assert.equal(row.length, RETRY_AFTER_VALUES.length, `${body.error} attempt ${attempt}`);
      RETRY_AFTER_VALUES.forEach((retryAfter, i) => {
        const expected = decision(row[i] ?? null);
        const what = `${body.error} attempt ${attempt} Retry-After ${String(retryAfter)}`;
        assert.deepEqual(retryDecision(body, attempt, retryAfter), expected, what);
        const error = __ERROR_TYPE__.fromJSON(wire, { retryAfter, headers, status: c.status });
        assert.deepEqual(retryDecision(error, attempt, error.retryAfter), expected, what);
      });
    });
  }
  BACKOFF_MS.forEach((ms, n) => assert.equal(backoffDelayMs(n), ms, `backoff ${n}`));
});

/** The status of a body in the neutral form. */
function statusOf(body: unknown): number {
  const code = (body as { readonly code?: unknown }).code;
  assert.ok(typeof code === "number", "a body without a status");
  return code;
}

test("withRetry sleeps as decided, then rethrows the last error", async () => {
  for (const c of RETRY_SLEEPS) {
    const slept: number[] = [];
    let calls = 0;
    const failure = __ERROR_TYPE__.fromJSON(c.wire ?? c.body, { retryAfter: c.retryAfter, headers: c.headers ?? {}, status: statusOf(c.body) });
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
      (attempt) => (attempt === 0 ? Promise.reject(__ERROR_TYPE__.fromJSON(transient.wire ?? transient.body, { retryAfter: transient.retryAfter, headers: transient.headers ?? {}, status: statusOf(transient.body) })) : Promise.resolve("ok")),
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
        "import {{ ERRORS, {class}, isKnownErrorBody, parseErrorBody }} from {};",
        string_literal(pkg)
    ));
    w.line("import { EXAMPLES } from \"./examples.js\";");
    w.blank();
    w.doc(
        &["Compiles only when its arguments have the types given: each branch below names its code's body, details and status types. Describes the body.".into()],
        &[],
    );
    w.line("const seen = <D, B extends { readonly error: string }, S extends number>(whole: B, details: D, status: S): string => `${whole.error} ${status} ${typeof details}`;");
    w.blank();
    w.doc(&["Narrows on the code; each branch checks `details` and `code` against that code's own types.".into()], &[]);
    w.block("function narrowBody(body: ErrorBody): string {", "}", |w| {
        w.block("if (!isKnownErrorBody(body)) {", "}", |w| {
            w.line("const code: AnyErrorCode = body.error;");
            w.line("const details: UnknownDetails | undefined = body.details;");
            w.line("return `unknown ${code} ${typeof details}`;");
        });
        w.block("switch (body.error) {", "}", |w| {
            for e in &catalog.errors {
                let (details_ty, _) = details_types(catalog, e);
                let code = string_literal(&e.code);
                w.line(format!(
                    "case {code}: return seen<{details_ty}, {}, {}>(body, body.details satisfies DetailsOf<{code}>, body.code);",
                    body_type(catalog, e),
                    e.status
                ));
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
            "Narrows an error with `is(code)`; each branch checks `details` against that code's type."
                .into(),
        ],
        &[],
    );
    w.block(
        format!("function narrowError(error: {class}): string {{"),
        "}",
        |w| {
            for e in &catalog.errors {
                let (details_ty, _) = details_types(catalog, e);
                let code = string_literal(&e.code);
                w.line(format!(
                    "if (error.is({code})) return seen<{details_ty}, ErrorBodyOf<{code}>, {}>(error.body, error.details, error.code);",
                    e.status
                ));
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
                w.line("const body = parseErrorBody(ex.wire ?? ex.body, ex.headers, ERRORS[ex.code].status);");
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
