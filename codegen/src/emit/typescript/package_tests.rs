//! The package's own tests, generated from the catalog: `test/examples.ts` (tables of example,
//! malformed and retry cases, with expectations computed here from the model),
//! `test/runtime.test.ts` (guards, error class, retry helper) and `test/types.test.ts`
//! (narrowing: compiles only if every code's `details` type is right; also runs).

use serde_json::{Map, Value, json};

use super::declarations::{body_type, details_type};
use super::syntax::{CodeWriter, property_key, string_literal, value_literal};
use crate::conformance::{
    self, Change, broken_examples, malformed_cases, retry_after_header, unknown_body,
};
use crate::emit::catalog_json::{Rows, data_file};
use crate::emit::wire_data;
use crate::model::{Catalog, ErrorDef};

/// Hands each test file to `file` (a path in the package, the contents) as it is done.
pub fn emit(catalog: &Catalog, header: &str, file: &dyn Fn(&str, String)) {
    file("test/node.d.ts", node_types(header));
    file("test/examples.ts", examples_ts(catalog, header));
    file("test/examples.json", examples_json(catalog, header));
    file(
        "test/conformance.json",
        conformance::body_table(catalog, header),
    );
    file(
        "test/retry_table.json",
        conformance::retry_table(catalog, header),
    );
    file("test/runtime.test.ts", runtime_test_ts(catalog, header));
    file("test/types.test.ts", types_test_ts(catalog, header));
}

fn node_types(header: &str) -> String {
    let mut w = CodeWriter::with_header(header);
    w.line("// The parts of Node the tests use (no @types/node needed).");
    w.blank();
    w.block("interface ImportMeta {", "}", |w| {
        w.line("readonly url: string;");
    });
    w.blank();
    w.block("declare class URL {", "}", |w| {
        w.line("constructor(url: string, base?: string);");
    });
    w.blank();
    w.block("declare class Response {", "}", |w| {
        w.block("constructor(", ");", |w| {
            w.line("body: string,");
            w.line("init: { status: number; headers: { readonly [name: string]: string } },");
        });
        w.line("readonly status: number;");
        w.line("readonly headers: { get(name: string): string | null };");
        w.line("json(): Promise<unknown>;");
        w.line("text(): Promise<string>;");
        w.line("arrayBuffer(): Promise<ArrayBuffer>;");
    });
    w.blank();
    w.block("declare module \"node:fs\" {", "}", |w| {
        w.line("export function readFileSync(path: URL, encoding: \"utf8\"): string;");
    });
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
    let mut w = CodeWriter::with_header(header);
    w.blank();
    w.line(
        EXAMPLES_TS
            .replace(
                "\"__PACKAGE__\"",
                &string_literal(&catalog.api.packages.typescript),
            )
            .trim_start(),
    );
    w.finish()
}

/// `test/examples.ts`: the tables' types, and the tables read from their JSON files at run time
/// (JSON costs the compiler nothing, however many codes the catalog has). `"__PACKAGE__"` is
/// the package's name.
const EXAMPLES_TS: &str = r#"
import { readFileSync } from "node:fs";
import type { ErrorCode } from "__PACKAGE__";

/** A table the generator computed from the catalog: `test/<name>`, beside this file's source. */
function table<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../test/${name}`, import.meta.url), "utf8")) as T;
}

/** Response headers in the tables. */
export type Headers = { readonly [name: string]: string };

export interface Example {
  readonly code: ErrorCode;
  readonly name: string;
  /** The body in the neutral form: what `parseErrorBody` returns. */
  readonly body: unknown;
  readonly retryAfter: string | null;
  /** The body and headers on the wire, where the wire format lays them out differently. */
  readonly wire?: unknown;
  readonly headers?: Headers;
  /** The code's own response headers as `responseHeaders` takes them, and as it sends them. */
  readonly declared?: { readonly [name: string]: string | number };
  readonly responseHeaders?: Headers;
}

/**
 * A code's first example with one field changed (`set`) or removed (`remove`, never both), which
 * the guard must reject, and the start of the problem it must report. `path` leads from the body
 * to the field.
 */
export interface Broken {
  readonly code: ErrorCode;
  readonly path: readonly string[];
  readonly problem: string;
  readonly set?: unknown;
  readonly remove?: true;
}

/** `test/examples.json`. */
interface Examples {
  /** Every example of the catalog. */
  readonly examples: readonly Example[];
  /** A valid body of a code this catalog does not define, and the headers sent with it. */
  readonly unknown: { readonly body: unknown; readonly headers: Headers };
  /** Bodies that are not error bodies, and the start of the problem each must report. */
  readonly malformed: readonly { readonly why: string; readonly body: unknown; readonly problem: string }[];
  readonly broken: readonly Broken[];
}

const EXAMPLES_JSON = table<Examples>("examples.json");
export const EXAMPLES = EXAMPLES_JSON.examples;
export const UNKNOWN_BODY = EXAMPLES_JSON.unknown.body;
export const UNKNOWN_HEADERS = EXAMPLES_JSON.unknown.headers;
export const MALFORMED = EXAMPLES_JSON.malformed;
export const BROKEN_EXAMPLES = EXAMPLES_JSON.broken;

/**
 * The cross-language conformance table (`conformance.json`, the same in every package): bodies
 * as JSON text and the verdict every package must reach.
 */
export const CONFORMANCE = table<{
  readonly bodies: readonly ({
    readonly name: string;
    readonly json: string;
    /** The response's headers and status, where the wire reads them. */
    readonly headers?: Headers;
    readonly status?: number;
  } & (
    | { readonly verdict: "valid"; readonly code: string; readonly known: boolean }
    | { readonly verdict: "invalid"; readonly problem: string }
  ))[];
}>("conformance.json").bodies;

/** A retry decision as data: the delay in milliseconds, or `null` for no retry. */
export type Delay = number | null;

/** A body in the neutral form, and its body and headers on the wire where those differ. */
interface RetryBody {
  readonly body: unknown;
  readonly wire?: unknown;
  readonly headers?: Headers;
}

/**
 * The retry table (`retry_table.json`, the same in every package), computed by the generator
 * from the catalog's policies.
 */
export const RETRY = table<{
  /** The `Retry-After` values every case is decided with. */
  readonly retry_after_values: readonly (string | null)[];
  /** `backoffDelayMs(n)` for n = 0..12. */
  readonly backoff_ms: readonly number[];
  /**
   * Each code's first example, then first examples with hostile delays in their details, then
   * bodies of codes this catalog does not define: `delays[attempt][i]` is the decision with
   * `retry_after_values[i]`.
   */
  readonly cases: readonly (RetryBody & { readonly delays: readonly (readonly Delay[])[] })[];
  /** The sleeps `withRetry` makes for an unknown code with each status that always fails. */
  readonly sleeps: readonly (RetryBody & { readonly retry_after: string | null; readonly sleeps: readonly number[] })[];
}>("retry_table.json");
"#;

/// `test/examples.json`: every example (with its wire form where the wire differs), a body of
/// an unknown code, and the malformed and broken bodies the guard must reject.
fn examples_json(catalog: &Catalog, header: &str) -> String {
    #[derive(serde::Serialize)]
    #[serde(bound(
        serialize = "Rows<E>: serde::Serialize, Rows<M>: serde::Serialize, Rows<B>: serde::Serialize"
    ))]
    struct File<'a, E, M, B> {
        #[serde(rename = "//")]
        header: &'a str,
        examples: Rows<E>,
        unknown: Value,
        malformed: Rows<M>,
        broken: Rows<B>,
    }
    #[derive(serde::Serialize)]
    struct Example<'a> {
        code: &'a str,
        name: &'a str,
        body: &'a Value,
        #[serde(rename = "retryAfter")]
        retry_after: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        wire: Option<&'a Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        headers: Option<Value>,
        /// The code's own response headers as `responseHeaders` takes them, and as it sends
        /// them; only where the code declares headers.
        #[serde(skip_serializing_if = "Option::is_none")]
        declared: Option<Map<String, Value>>,
        #[serde(rename = "responseHeaders", skip_serializing_if = "Option::is_none")]
        response_headers: Option<Map<String, Value>>,
    }
    let examples = catalog.errors.iter().flat_map(|e| {
        e.examples.iter().map(move |ex| {
            let declared =
                (!e.headers.is_empty()).then(|| conformance::declared_headers(e, &ex.headers));
            Example {
                code: &e.code,
                name: &ex.name,
                body: &ex.body,
                retry_after: retry_after_header(&ex.headers),
                wire: ex.wire.as_ref().map(|r| &r.body),
                headers: ex
                    .wire
                    .as_ref()
                    .map(|r| conformance::headers_json(&r.headers)),
                declared: declared.as_ref().map(|d| {
                    d.iter()
                        .map(|(_, h, typed, _)| (h.name.clone(), typed.clone()))
                        .collect()
                }),
                response_headers: declared.as_ref().map(|d| {
                    d.iter()
                        .map(|(_, h, _, text)| (h.name.clone(), Value::String(text.clone())))
                        .collect()
                }),
            }
        })
    });
    let (unknown_wire, unknown_headers) =
        wire_data::wire_body(catalog, &unknown_body(catalog, 418));
    // These tables break bodies of the flat envelope; other wire formats do not have them yet.
    let flat = wire_data::of(catalog).is_flat();
    let malformed = malformed_cases(catalog)
        .into_iter()
        .filter(move |_| flat)
        .map(|(why, body, problem)| json!({ "why": why, "body": body, "problem": problem }));
    #[derive(serde::Serialize)]
    struct Broken<'a> {
        code: &'a str,
        path: Vec<String>,
        problem: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        set: Option<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        remove: Option<bool>,
    }
    let broken = catalog.errors.iter().filter(move |_| flat).flat_map(|e| {
        broken_examples(e).into_iter().map(move |b| {
            let (set, remove) = match b.change {
                Change::Set(value) => (Some(value), None),
                Change::Remove => (None, Some(true)),
            };
            Broken {
                code: &e.code,
                path: b.path,
                problem: b.problem,
                set,
                remove,
            }
        })
    });
    data_file(&File {
        header,
        examples: Rows::new(examples),
        unknown: json!({ "body": unknown_wire, "headers": conformance::headers_json(&unknown_headers) }),
        malformed: Rows::new(malformed),
        broken: Rows::new(broken),
    })
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
        &text!("}} from {};", string_literal(pkg)),
        |w| {
            for name in [
                "API",
                "ERROR_CODES",
                "ERRORS",
                "ErrorBodyParseError",
                "RETIRED_CODES",
                "WIRE",
                class.as_str(),
                "backoffDelayMs",
                "checkErrorBody",
                "checkJsonText",
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
                w.line(text!("{name},"));
            }
        },
    );
    w.line(text!(
        "import type {{ ErrorCode, RetryDecision }} from {};",
        string_literal(pkg)
    ));
    w.line("import { BROKEN_EXAMPLES, CONFORMANCE, EXAMPLES, MALFORMED, RETRY, UNKNOWN_BODY, UNKNOWN_HEADERS } from \"./examples.js\";");
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
    const sent: { [key: string]: unknown } = { error: code, message: "Sent by an older server", code: 400 };
    // With the fields the wire requires in every body.
    for (const member of WIRE.members) {
      if (member.role === "field" && member.required) sent[member.name] = member.type === "integer" ? 1 : "future";
    }
    const error = __ERROR_TYPE__.fromJSON(writeWire(sent), { headers: wireHeaders(sent), status: 400 });
    assert.equal(error.isKnown(), false, code);
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
    // Through JSON text on both sides: `JSON.stringify` writes `-0` as `0`.
    assert.deepEqual(JSON.parse(JSON.stringify(body)), JSON.parse(JSON.stringify(ex.body)), what);
    assert.deepEqual(writeWire(body), wire, what);
    assert.deepEqual(wireHeaders(body), headers, what);
    assert.deepEqual(new __ERROR_TYPE__(body).toJSON(), wire, what);
    // A server sends the code's own headers, then the wire's (a header-borne code).
    const sent = new __ERROR_TYPE__(body).responseHeaders(ex.declared as never);
    assert.deepEqual(sent, { ...ex.responseHeaders, ...headers }, what);
    // Not `assert.ok`, which would narrow `body` for the rest of the loop: narrowing the whole
    // `ErrorBody` union costs tsc time in the square of the number of codes.
    assert.equal(isKnownErrorBody(body), true, what);
    assert.equal(body.error, ex.code, what);
    assert.equal(body.code, ERRORS[ex.code].status, what);
    const error = __ERROR_TYPE__.fromJSON(wire, { retryAfter: ex.retryAfter, headers, status });
    assert.ok(error instanceof Error && error instanceof __ERROR_TYPE__, what);
    // The same headers read with `get`, as from a fetch `Response`: the same error.
    const get = (name: string): string | null =>
      Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1] ?? null;
    assert.deepEqual(__ERROR_TYPE__.fromJSON(wire, { headers: { get }, status }).body, error.body, what);
    assert.equal(error.name, "__ERROR_TYPE__");
    assert.equal(error.is(ex.code), true, what);
    assert.equal(error.isKnown(), true, what);
    assert.equal(error.error, ex.code);
    assert.equal(error.message, body.message);
    assert.equal(error.code, body.code);
    assert.deepEqual(error.details, body.details);
    // The parsed body keeps the wire's fields by name; `ex.body` equals it (above).
    const fields = ex.body as { readonly request_id?: unknown; readonly timestamp?: unknown };
    const requestId = typeof fields.request_id === "string" ? fields.request_id : undefined;
    assert.equal(error.requestId, requestId);
    assert.equal(error.timestamp, typeof fields.timestamp === "string" ? fields.timestamp : undefined);
    assert.equal(error.docsUrl, ERRORS[ex.code].docsUrl);
    assert.equal(error.retryAfter, ex.retryAfter === null ? undefined : Number(ex.retryAfter));
    assert.deepEqual(JSON.parse(JSON.stringify(error)), JSON.parse(JSON.stringify(wire)));
    const shown = String(error);
    const message = body.message === "" ? "" : `: ${body.message}`;
    assert.ok(shown.includes(`${ex.code}${message}`), shown);
    if (requestId !== undefined) assert.ok(shown.includes(`(request_id: ${requestId})`), shown);
  }
  const unknown = __ERROR_TYPE__.fromJSON(UNKNOWN_BODY, { headers: UNKNOWN_HEADERS, status: 418 });
  const logged = String(unknown);
  if (unknown.requestId !== undefined) assert.ok(logged.includes("(request_id: req_future)"), logged);
});

test("a code this version does not know is accepted as an unknown error", async () => {
  const body = parseErrorBody(UNKNOWN_BODY, UNKNOWN_HEADERS, 418);
  assert.equal(isKnownErrorBody(body), false);
  assert.equal(body.code, 418);
  // Without the response's status: the body's, else 0 (as in Rust and Python).
  const inBody = WIRE.members.some((m) => m.role === "status" && m.at.some((p) => "body" in p));
  assert.equal(parseErrorBody(UNKNOWN_BODY, UNKNOWN_HEADERS).code, inBody ? 418 : 0);
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
  // A cause is kept as `new Error(message, { cause })` keeps it (the classes set it themselves).
  const syntax = new SyntaxError("Unexpected token <");
  await assert.rejects(__ERROR_TYPE__.fromResponse({ ...response, json: () => Promise.reject(syntax) }), (e) => e instanceof ErrorBodyParseError && keepsCause(e, syntax));
  assert.ok(keepsCause(new __ERROR_TYPE__(body, { cause: syntax }), syntax));
  assert.ok(keepsCause(new ErrorBodyParseError(["x"], { cause: syntax }), syntax));
  assert.ok(keepsCause(error, undefined));
});

/** Whether `error` holds `cause` as a native error built with it holds it. */
function keepsCause(error: Error, cause: unknown): boolean {
  const native = cause === undefined ? new Error("") : new Error("", { cause });
  const [own, expected] = [error, native].map((e) => JSON.stringify(Object.getOwnPropertyDescriptor(e, "cause") ?? null));
  return own === expected && error.cause === cause;
}

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
    let problem = "body: not JSON";
    try {
      // One byte-order mark is ignored, as `Response.json()` (what `fromResponse` reads) does.
      value = JSON.parse(c.json.replace(/^\uFEFF/, ""));
      // What `fromResponse` checks of the text besides `JSON.parse` (a value a duplicate key hides).
      const hidden = checkJsonText(c.json.replace(/^\uFEFF/, ""));
      parsed = hidden === undefined;
      problem = hidden ?? problem;
    } catch {
      parsed = false;
    }
    if (c.verdict === "valid") {
      assert.ok(parsed, c.name);
      const body = parseErrorBody(value, c.headers, c.status);
      assert.equal(body.error, c.code, c.name);
      assert.equal(isKnownErrorBody(body), c.known, c.name);
    } else if (!parsed) {
      assert.ok(problem.startsWith(c.problem), `${c.name}: ${problem}, but the table expects ${c.problem}`);
    } else {
      assertRejected(value, c.problem, c.name, c.headers, c.status);
    }
  }
});

/** What `fromResponse` made of a body: the code, or the problems. */
async function outcome(parse: () => __ERROR_TYPE__ | Promise<__ERROR_TYPE__>): Promise<string> {
  try {
    return `valid ${(await parse()).error}`;
  } catch (e) {
    if (e instanceof ErrorBodyParseError) return `invalid ${JSON.stringify(e.problems)}`;
    return `threw ${String(e)}`;
  }
}

test("a fetch Response gets the verdict its text gets", async () => {
  for (const c of CONFORMANCE) {
    let response: Response;
    try {
      response = new Response(c.json, { status: c.status ?? 400, headers: c.headers ?? {} });
    } catch {
      continue; // a status or a header value fetch cannot carry
    }
    // The same status and headers, so that only the reading of the body differs.
    const { status, headers } = response;
    const fromText = await outcome(() => __ERROR_TYPE__.fromResponse(status, headers, c.json));
    assert.equal(await outcome(() => __ERROR_TYPE__.fromResponse(response)), fromText, c.name);
  }
});

test("inherited properties never count as fields", () => {
  // A valid body of this wire, then an object that has its members only through its prototype.
  const [ex] = EXAMPLES;
  assert.ok(ex);
  const wire = (ex.wire ?? ex.body) as object;
  const headers = ex.headers ?? {};
  const status = ERRORS[ex.code].status;
  assert.deepEqual(checkErrorBody(wire, headers, status), []);
  // Without the headers, so that a code sent in a header does not make it valid.
  assert.ok(checkErrorBody(Object.create(wire) as unknown, {}, status).length > 0);
});

function decision(delay: Delay): RetryDecision {
  return delay === null ? { retry: false } : { retry: true, delayMs: delay };
}

/** The status a body in the neutral form is sent with: its code's, else its own, else 500. */
function statusOf(body: unknown): number {
  const { error, code } = body as { readonly error?: unknown; readonly code?: unknown };
  if (typeof error === "string" && isErrorCode(error)) return ERRORS[error].status;
  return typeof code === "number" ? code : 500;
}

test("retry decisions follow the catalog's policies", () => {
  const decided = new Set<string>();
  for (const c of RETRY.cases) {
    const wire = c.wire ?? c.body;
    const headers = c.headers ?? {};
    const status = statusOf(c.body);
    const body = parseErrorBody(wire, headers, status);
    decided.add(body.error);
    c.delays.forEach((row, attempt) => {
      assert.equal(row.length, RETRY.retry_after_values.length, `${body.error} attempt ${attempt}`);
      RETRY.retry_after_values.forEach((retryAfter, i) => {
        const expected = decision(row[i] ?? null);
        const what = `${body.error} attempt ${attempt} Retry-After ${String(retryAfter)}`;
        assert.deepEqual(retryDecision(body, attempt, retryAfter), expected, what);
        const error = __ERROR_TYPE__.fromJSON(wire, { retryAfter, headers, status });
        assert.deepEqual(retryDecision(error, attempt, error.retryAfter), expected, what);
      });
    });
  }
  for (const code of ERROR_CODES) assert.ok(decided.has(code), `no retry case for ${code}`);
  RETRY.backoff_ms.forEach((ms, n) => assert.equal(backoffDelayMs(n), ms, `backoff ${n}`));
});

/** `withRetry` sleeps `sleeps` (ms) on `failure`, then rethrows it. */
async function checkSleeps(failure: unknown, sleeps: readonly number[], what: string): Promise<void> {
  const slept: number[] = [];
  let calls = 0;
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
  assert.deepEqual(slept, sleeps, what);
  assert.equal(calls, sleeps.length + 1);
}

test("withRetry sleeps as decided, then rethrows the last error", async () => {
  for (const c of RETRY.sleeps) {
    const failure = __ERROR_TYPE__.fromJSON(c.wire ?? c.body, { retryAfter: c.retry_after, headers: c.headers ?? {}, status: statusOf(c.body) });
    await checkSleeps(failure, c.sleeps, JSON.stringify(c.body));
  }
});

test("withRetry retries a response that is not an error body by its status", async () => {
  // A proxy's page instead of an error body: retried as an unknown code of its status would be.
  for (const c of RETRY.sleeps) {
    const status = statusOf(c.body);
    const headers: Record<string, string> = c.retry_after === null ? {} : { "Retry-After": c.retry_after };
    let failure: unknown;
    try {
      __ERROR_TYPE__.fromResponse(status, headers, "<html>Bad Gateway</html>");
    } catch (e) {
      failure = e;
    }
    assert.ok(failure instanceof ErrorBodyParseError && failure.status === status);
    await checkSleeps(failure, c.sleeps, `HTTP ${status}, Retry-After ${String(c.retry_after)}`);
  }
  // Without a status (a body parsed on its own), nothing says it is transient.
  let calls = 0;
  const bare = new ErrorBodyParseError(["body: not JSON"]);
  await assert.rejects(
    withRetry(() => {
      calls++;
      return Promise.reject(bare);
    }, { sleep: () => Promise.reject(new Error("must not sleep")) }),
    (e) => e === bare,
  );
  assert.equal(calls, 1);
});

test("withRetry returns the first success and does not retry foreign errors", async () => {
  const transient = RETRY.sleeps.find((c) => c.sleeps.length > 0);
  if (transient !== undefined) {
    const slept: number[] = [];
    const result = await withRetry(
      (attempt) => (attempt === 0 ? Promise.reject(__ERROR_TYPE__.fromJSON(transient.wire ?? transient.body, { retryAfter: transient.retry_after, headers: transient.headers ?? {}, status: statusOf(transient.body) })) : Promise.resolve("ok")),
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
    // `UnknownDetails` types the details of a code whose details have no type of their own.
    let untyped = catalog
        .errors
        .iter()
        .any(|e| details_type(catalog, e).is_none());
    let mut type_names: Vec<String> = [
        "AnyErrorCode",
        "DetailsOf",
        "ErrorBodyOf",
        "ErrorBodyShape",
        "ErrorCode",
        "KnownErrorBody",
        "UnknownDetails",
        "WireBody",
        "WireBodyOf",
    ]
    .into_iter()
    .filter(|name| untyped || *name != "UnknownDetails")
    .map(String::from)
    .collect();
    for e in &catalog.errors {
        type_names.push(body_type(catalog, e));
        type_names.extend(details_type(catalog, e));
    }
    w.block(
        "import type {",
        &text!("}} from {};", string_literal(pkg)),
        |w| {
            for n in &type_names {
                w.line(text!("{n},"));
            }
        },
    );
    w.line(text!(
        "import {{ ERROR_CODES, ERRORS, {class}, isErrorCode, isKnownErrorBody, parseErrorBody }} from {};",
        string_literal(pkg)
    ));
    w.line("import { EXAMPLES } from \"./examples.js\";");
    w.blank();
    wire_rows(&mut w, catalog);
    w.blank();
    w.doc(
        &["Compiles only when its arguments have the types given: each branch below names its code's body, details and status types. Describes the body.".into()],
        &[],
    );
    w.line("const seen = <D, B extends { readonly error: string }, S extends number>(whole: B, details: D, status: S): string => `${whole.error} ${status} ${typeof details}`;");
    w.blank();
    w.doc(&["Narrows a known code's body on the code; each branch checks `details` and `code` against that code's own types.".into()], &[]);
    w.block("function narrowBody(body: KnownErrorBody): string {", "}", |w| {
        w.block("switch (body.error) {", "}", |w| {
            for e in &catalog.errors {
                let (details_ty, _) = details_types(catalog, e);
                let code = string_literal(&e.code);
                w.line(text!(
                    "case {code}: return seen<{details_ty}, {}, {}>(body, body.details satisfies DetailsOf<{code}>, body.code);",
                    body_type(catalog, e),
                    e.status
                ));
            }
            w.block("default: {", "}", |w| {
                // With one code, `KnownErrorBody` is no union for a `switch` to narrow to `never`,
                // but its code still is.
                if catalog.errors.len() == 1 {
                    w.line("const unreachable: never = body.error;");
                } else {
                    w.line("const unreachable: never = body;");
                }
                w.line("return unreachable;");
            });
        });
    });
    w.blank();
    w.doc(
        &[
            "Narrows an error with `is(code)`, one function per code: apart, no check depends on the ones before it, and narrowing from `ErrorBodyShape` rather than the whole `ErrorBody` union keeps tsc's work linear in the number of codes. Each checks `details` against its code's type."
                .into(),
        ],
        &[],
    );
    w.block(
        text!("const NARROW_ERROR: {{ readonly [C in ErrorCode]: (error: {class}<ErrorBodyShape>) => string }} = {{"),
        "};",
        |w| {
            for e in &catalog.errors {
                let (details_ty, _) = details_types(catalog, e);
                let code = string_literal(&e.code);
                w.line(text!(
                    "{}: (error) => (error.is({code}) ? seen<{details_ty}, ErrorBodyOf<{code}>, {}>(error.body, error.details, error.code) : \"not narrowed\"),",
                    property_key(&e.code),
                    e.status
                ));
            }
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
                w.line("assert.equal(isKnownErrorBody(body), true);");
                w.line("assert.equal(narrowBody(body as KnownErrorBody), expected);");
                w.line(text!(
                    "assert.equal(NARROW_ERROR[ex.code](new {class}(body)), expected);"
                ));
            });
        },
    );
    w.blank();
    w.block(
        "test(\"a known code and a code from a newer server are both `AnyErrorCode`s\", () => {",
        "});",
        |w| {
            w.line(text!(
                "const codes: readonly AnyErrorCode[] = [...ERROR_CODES, {}];",
                string_literal(&conformance::unknown_code(catalog))
            ));
            w.line("assert.deepEqual(codes.map((code) => isErrorCode(code)), [...ERROR_CODES.map(() => true), false]);");
        },
    );
    w.blank();
    w.block(
        "test(\"the wire types describe what the package writes\", () => {",
        "});",
        |w| {
            w.block("for (const row of WIRE_EXAMPLES) {", "}", |w| {
                w.line("const ex = EXAMPLES.find((e) => e.code === row.code);");
                w.line("assert.ok(ex !== undefined, row.code);");
                w.line("assert.deepEqual(row.body, ex.wire ?? ex.body, row.code);");
                w.line(
                    "const body = parseErrorBody(row.body, ex.headers, ERRORS[row.code].status);",
                );
                w.line(text!(
                    "const written: WireBody = new {class}(body).toJSON();"
                ));
                w.line("assert.deepEqual(written, row.body, row.code);");
            });
        },
    );
    w.finish()
}

/// `WIRE_EXAMPLES`: the first example of each of the first codes as the server sends it, each
/// typed as its code's `WireBodyOf` (so the file compiles only if the wire types describe it),
/// for the test that checks the package writes exactly that.
fn wire_rows(w: &mut CodeWriter, catalog: &Catalog) {
    w.doc(
        &["An example as its server sends it, checked against its code's wire type as it is written. `as const` keeps its literal types (and, unlike a fresh object, allows the members a details schema leaves open).".into()],
        &[],
    );
    w.line("const wire = <C extends ErrorCode>(code: C, body: WireBodyOf<C>): { readonly code: ErrorCode; readonly body: unknown } => ({ code, body });");
    w.blank();
    w.doc(
        &[text!(
            "The first example of each of the first {} codes, as the server sends it.",
            conformance::TABLE_CODES
        )],
        &[],
    );
    w.block(
        "const WIRE_EXAMPLES: readonly { readonly code: ErrorCode; readonly body: unknown }[] = [",
        "];",
        |w| {
            for e in catalog.errors.iter().take(conformance::TABLE_CODES) {
                let ex = e.primary_example();
                let body = ex.wire.as_ref().map_or(&ex.body, |r| &r.body);
                w.line(text!(
                    "wire({}, {} as const),",
                    string_literal(&e.code),
                    value_literal(body)
                ));
            }
        },
    );
}

/// The type `details` has after narrowing to a code, and whether it is optional.
fn details_types(catalog: &Catalog, e: &ErrorDef) -> (String, bool) {
    match (details_type(catalog, e), &e.details) {
        (Some(t), Some(d)) if d.properties.iter().any(|p| p.required) => (t, false),
        (Some(t), _) => (text!("{t} | undefined"), true),
        _ => ("UnknownDetails | undefined".into(), true),
    }
}
