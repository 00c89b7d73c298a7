//! The behaviour every generated package must share, computed once from the model: retry
//! delays for given inputs, and the verdict on bodies (valid, and as which code; or invalid, with
//! the start of the first problem a parser must report). The package emitters turn these tables
//! into their own tests, so the Rust crate, the TypeScript package and the Python package are
//! checked against the same expectations.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::emit::catalog_json::data_file;
use crate::model::{
    Catalog, EnvelopeFieldName, ErrorDef, HeaderDef, HeaderType, RetryPolicy, SchemaKind,
};

mod wire;

/// A code this catalog does not define, live or retired: a number where the wire sends codes
/// as integers.
pub fn unknown_code(catalog: &Catalog) -> String {
    future_code(catalog, "zz_code_from_the_future")
}

/// A code no version of this catalog has, from `name` (made longer until it is free), or from
/// 900000001 up where the wire sends codes as integers.
pub fn future_code(catalog: &Catalog, name: &str) -> String {
    let taken = |code: &str| {
        catalog.errors.iter().any(|e| e.code == code)
            || catalog.retired.iter().any(|r| r.code == code)
    };
    if catalog.wire.integer_codes() {
        let mut n: u64 = 900_000_001;
        while taken(&n.to_string()) {
            n += 1;
        }
        return n.to_string();
    }
    let mut code = name.to_string();
    while taken(&code) {
        code.push_str("_x");
    }
    code
}

/// A valid body of an unknown code with every envelope field set, and every field the wire
/// requires.
pub fn unknown_body(catalog: &Catalog, status: u16) -> Value {
    let mut body = json!({
        "error": unknown_code(catalog),
        "message": "An error this version does not know",
        "code": status,
        "details": { "anything": [1, "two"] },
        "request_id": "req_future",
        "timestamp": "2026-01-25T10:30:00Z"
    });
    fill_required_fields(catalog, &mut body);
    body
}

/// Puts a value into every free field the wire requires in every body that `body` (a neutral
/// body) lacks, so a made-up body is one the clients accept.
pub fn fill_required_fields(catalog: &Catalog, body: &mut Value) {
    for m in catalog.wire.members.iter().filter(|m| m.required) {
        let value = match &m.role {
            crate::wire::Role::Field {
                kind: crate::wire::FieldType::Integer,
                ..
            } => json!(1),
            crate::wire::Role::Field { .. } => json!("future"),
            _ => continue,
        };
        if body.get(&m.name).is_none() {
            body[m.name.as_str()] = value;
        }
    }
}

/// The shared retry semantics (`RetryPolicy::decide_ms`): the delay in ms, or `None` for no
/// retry, for a body's `details` and a `Retry-After` value.
pub fn expected_delay(
    catalog: &Catalog,
    policy: &RetryPolicy,
    details: Option<&Value>,
    attempt: u32,
    retry_after: Option<&str>,
) -> Option<u64> {
    let body = json!({ "details": details });
    policy.decide_ms(&catalog.retry, attempt, &body, retry_after)
}

/// The `Retry-After` value among an example's headers.
pub fn retry_after_header(headers: &[(String, String)]) -> Option<&str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))
        .map(|(_, v)| v.as_str())
}

/// The `Retry-After` header values of the retry tables: none, seconds, and an HTTP date.
pub const RETRY_AFTER_VALUES: [Option<&str>; 12] = [
    None,
    Some("7"),
    Some("Wed, 21 Oct 2015 07:28:00 GMT"),
    // Hostile values: signs and fractions are not seconds; huge ones wait the cap
    // (`MAX_SERVER_DELAY_SECONDS`), never a tight loop (2147484 s is just past Node's timer limit).
    Some("+7"),
    Some("-1"),
    Some("7.5"),
    Some(" \t7 "),
    Some("0"),
    Some("2147484"),
    Some("1000000000000"),
    Some("99999999999999999999999"),
    // Leading zeros count as nothing: five seconds, however many there are.
    Some("0000000000000005"),
];

/// The bodies of the retry tables beyond each code's first example: for each code whose policy
/// reads a delay from its details, that example with hostile delays (just past Node's timer
/// limit, 10^12 s, and 2^53 - 1 s), where its schema allows them.
pub fn hostile_delay_bodies(catalog: &Catalog) -> Vec<(&RetryPolicy, Value)> {
    let mut out = Vec::new();
    for e in &catalog.errors {
        let Some(field) = e.retry.delay_field() else {
            continue;
        };
        let body = &e.primary_example().body;
        let Some(p) = e.details.as_ref().and_then(|d| d.property(field)) else {
            continue;
        };
        if body.get("details").and_then(|d| d.get(field)).is_none() {
            continue;
        }
        let path = ["details".to_string(), field.to_string()];
        match &p.schema.kind {
            SchemaKind::Integer { minimum, maximum } => {
                for seconds in [2_147_484_i64, 1_000_000_000_000, MAX_SAFE_INTEGER as i64] {
                    if minimum.is_none_or(|m| seconds >= m) && maximum.is_none_or(|m| seconds <= m)
                    {
                        out.push((&e.retry, changed(body, &path, &Change::Set(json!(seconds)))));
                    }
                }
            }
            // Seconds as a number are rounded up: a fraction of a second, a fraction past a
            // whole one, past Node's timer limit, and past 2^53 - 1 once rounded (no delay).
            SchemaKind::Number { minimum, maximum } => {
                for seconds in [0.001, 64.57, 2_147_483.5, 9_007_199_254_740_992.0, 1e300] {
                    if minimum.is_none_or(|m| seconds >= m) && maximum.is_none_or(|m| seconds <= m)
                    {
                        out.push((&e.retry, changed(body, &path, &Change::Set(json!(seconds)))));
                    }
                }
            }
            _ => {}
        }
    }
    // The wire's retry delay (AIP-193's `RetryInfo`): leading zeros, more seconds than any
    // timer, and the edge of 64 bits (past it, the duration counts as absent).
    // The policy clients give an unknown 503 (`RetryPolicy::default_for_status`).
    static BACKOFF: RetryPolicy = RetryPolicy::Backoff { delay_field: None };
    let delay = catalog
        .wire
        .with_role(|r| matches!(r, crate::wire::Role::RetryDelay))
        .next();
    if let Some(m) = delay {
        for duration in [
            "0000000000005s",
            "1000000000000s",
            "18446744073709551615.5s",
            "18446744073709551616s",
        ] {
            let mut body = unknown_body(catalog, 503);
            body[m.name.as_str()] = json!(duration);
            out.push((&BACKOFF, body));
        }
    }
    out
}

/// Statuses of the unknown-code bodies whose retry decisions the tables list.
pub const UNKNOWN_RETRY_STATUSES: [u16; 4] = [400, 429, 500, 503];

/// `[attempt][i]`: the decision for `body` (in the neutral form, so a wire's `retry_delay`
/// counts) under `policy` with `RETRY_AFTER_VALUES[i]`.
pub fn delays(catalog: &Catalog, policy: &RetryPolicy, body: &Value) -> Vec<Vec<Option<u64>>> {
    (0..catalog.retry.max_attempts.max(1))
        .map(|attempt| {
            RETRY_AFTER_VALUES
                .iter()
                .map(|&h| policy.decide_ms(&catalog.retry, attempt, body, h))
                .collect()
        })
        .collect()
}

/// The sleeps (ms) a retry helper makes for an unknown code of each status that always fails,
/// with and without a `Retry-After` header: `(body, Retry-After, sleeps)`.
pub fn retry_sleeps(catalog: &Catalog) -> Vec<(Value, Option<&'static str>, Vec<u64>)> {
    [(400, None), (429, Some("2")), (429, None), (503, None)]
        .into_iter()
        .map(|(status, header)| {
            let policy = RetryPolicy::default_for_status(status);
            let body = unknown_body(catalog, status);
            let mut sleeps = Vec::new();
            let mut attempt = 0;
            while let Some(ms) =
                expected_delay(catalog, &policy, body.get("details"), attempt, header)
            {
                sleeps.push(ms);
                attempt += 1;
            }
            (body, header, sleeps)
        })
        .collect()
}

/// `(why, body, problem prefix)` for bodies every parser must reject.
pub fn malformed_cases(catalog: &Catalog) -> Vec<(String, Value, String)> {
    let base = unknown_body(catalog, 400);
    let with = |key: &str, value: Value| {
        let mut b = base.clone();
        b[key] = value;
        b
    };
    let without = |key: &str| {
        let mut b = base.clone();
        if let Some(o) = b.as_object_mut() {
            o.remove(key);
        }
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
                text!("{} is missing", name.as_str()),
                without(name.as_str()),
                text!("{}: required field is missing", name.as_str()),
            ));
        }
    }
    cases
}

/// One change to a code's first example that every parser must reject.
pub struct Broken {
    /// From the body to the field.
    pub path: Vec<String>,
    pub change: Change,
    /// The start of the problem the parser must report.
    pub problem: String,
}

pub enum Change {
    Set(Value),
    Remove,
}

/// The broken copies of a code's first example: a wrong status, no details, and for each
/// details field a missing required value, a value of the wrong type, and one below its minimum
/// or above its maximum. (A value outside a string enum is not broken: it may come from a newer
/// server.)
pub fn broken_examples(e: &ErrorDef) -> Vec<Broken> {
    let code = &e.code;
    let other = if e.status == 599 { 598 } else { e.status + 1 };
    let mut cases = vec![Broken {
        path: vec!["code".into()],
        change: Change::Set(json!(other)),
        problem: text!("code: expected {} for \"{code}\"", e.status),
    }];
    let Some(schema) = &e.details else {
        return cases;
    };
    if !matches!(
        e.primary_example().body.get("details"),
        Some(Value::Object(_))
    ) {
        return cases;
    }
    if schema.properties.iter().any(|p| p.required) {
        cases.push(Broken {
            path: vec!["details".into()],
            change: Change::Remove,
            problem: text!("details: required for \"{code}\""),
        });
    }
    for p in &schema.properties {
        let path = vec!["details".to_string(), p.name.clone()];
        let shown = text!("details.{}", p.name);
        let set = |value: Value, problem: String| Broken {
            path: path.clone(),
            change: Change::Set(value),
            problem,
        };
        if p.required {
            cases.push(Broken {
                path: path.clone(),
                change: Change::Remove,
                problem: text!("{shown}: required field is missing"),
            });
        }
        let (wrong, expected) = match &p.schema.kind {
            SchemaKind::String { .. } => (json!(42), "a string"),
            SchemaKind::Integer { .. } => (json!("1"), "an integer"),
            SchemaKind::Number { .. } => (json!("1.5"), "a number"),
            SchemaKind::Boolean => (json!("yes"), "a boolean"),
            SchemaKind::Array { .. } => (json!({}), "an array"),
            SchemaKind::Object(_) | SchemaKind::Map { .. } => (json!([]), "an object"),
        };
        cases.push(set(wrong, text!("{shown}: expected {expected}")));
        if let Some(s) = pattern_breaker(&p.schema.kind) {
            let problem = text!(
                "{shown}: the string {} does not match the pattern",
                json!(s)
            );
            cases.push(set(json!(s), problem));
        }
        // Below the minimum, where that is still an integer the clients read (not below
        // -(2^53 - 1), which is "expected an integer").
        if let SchemaKind::Integer {
            minimum: Some(m), ..
        } = &p.schema.kind
            && m.unsigned_abs() < MAX_SAFE_INTEGER
        {
            cases.push(set(
                json!(m - 1),
                text!("{shown}: {} is less than the minimum", m - 1),
            ));
        }
    }
    cases
}

/// A short string that breaks a string schema's `pattern` and nothing else (its `const` and
/// length bounds hold), when one is found; at most 40 characters, which problems show whole.
fn pattern_breaker(kind: &SchemaKind) -> Option<String> {
    let SchemaKind::String {
        pattern: Some(pattern),
        constant: None,
        min_length,
        max_length,
        ..
    } = kind
    else {
        return None;
    };
    let min = min_length.unwrap_or(0);
    let max = max_length.unwrap_or(u64::MAX).min(min + 3).min(40);
    (min..=max).find_map(|n| {
        ['!', ' ', '0', 'a', 'Z', '\u{e9}']
            .iter()
            .map(|c| c.to_string().repeat(n as usize))
            .find(|s| !crate::schema::pattern_matches(pattern, s))
    })
}

/// A value a newer server may send for an enum: none of its values, and meeting the schema's
/// other keywords (lengths, `pattern`, `format`), which clients still check; `None` when no
/// value tried meets them.
fn future_enum_value(kind: &SchemaKind) -> Option<String> {
    let SchemaKind::String {
        enum_values: Some(values),
        format,
        pattern,
        min_length,
        max_length,
        constant: None,
        ..
    } = kind
    else {
        return None;
    };
    let mut candidates: Vec<String> = [
        "zz-a-value-from-the-future",
        "2099-12-31T23:59:59Z",
        "2099-12-31",
        "https://future.example/zz",
        "zz@future.example",
        "00000000-0000-4000-8000-0000000000ff",
        "+19995550199",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for v in values {
        candidates.extend([format!("{v}{v}"), format!("{v}z"), format!("z{v}")]);
    }
    let min = usize::try_from(min_length.unwrap_or(0)).unwrap_or(usize::MAX);
    let max = max_length.map_or(usize::MAX, |m| usize::try_from(m).unwrap_or(usize::MAX));
    candidates.into_iter().find_map(|c| {
        let mut chars: Vec<char> = c.chars().collect();
        chars.truncate(max);
        while chars.len() < min {
            chars.push('z');
        }
        let v: String = chars.into_iter().collect();
        let ok = !values.contains(&v)
            && pattern
                .as_deref()
                .is_none_or(|p| crate::schema::pattern_matches(p, &v))
            && format.is_none_or(|f| crate::schema::format_ok(f, &v));
        ok.then_some(v)
    })
}

/// The expected outcome of parsing a body.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// An error body of `code` (`known`: a code of this catalog).
    Valid { code: String, known: bool },
    /// Not an error body; the parser must report a problem starting with `problem`.
    Invalid { problem: String },
}

/// A body as JSON text (it may hold what JSON values cannot: `NaN`, duplicate keys) and its
/// verdict.
#[derive(Debug, Clone, Serialize)]
pub struct BodyCase {
    pub name: String,
    pub json: String,
    /// The response's headers, where the wire reads one (a header-borne code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<Value>,
    /// The response's status, for a wire whose body carries none (AWS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(flatten)]
    pub verdict: Verdict,
}

impl BodyCase {
    fn new(name: String, json: String, verdict: Verdict) -> Self {
        Self {
            name,
            json,
            headers: None,
            status: None,
            verdict,
        }
    }
}

fn valid(name: String, json: String, code: &str, known: bool) -> BodyCase {
    BodyCase::new(
        name,
        json,
        Verdict::Valid {
            code: code.to_string(),
            known,
        },
    )
}

/// Copies of the valid object `body` whose first member is a key given twice, the first value
/// not JSON (a number beyond a double, a lone surrogate, nesting past `MAX_DEPTH`): every
/// parser reads the value the second hides, so the body is invalid in every package.
fn hidden_by_duplicate_key(body: &str) -> Vec<BodyCase> {
    let deep = text!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    let nested = text!("body: nested deeper than {MAX_DEPTH} levels");
    let deeper = text!("nesting deeper than {MAX_DEPTH} levels");
    [
        ("a number beyond a double", "1e400", "body: not JSON"),
        (
            "an integer beyond a double",
            &*"9".repeat(400),
            "body: not JSON",
        ),
        ("a lone surrogate", "\"\\ud800\"", "body: not JSON"),
        (&deeper, &deep, &nested),
    ]
    .into_iter()
    .map(|(what, token, problem)| {
        let json = body.replacen('{', &text!("{{\"zz_hidden\":{token},\"zz_hidden\":1,"), 1);
        invalid(text!("a duplicate key hides {what}"), json, problem)
    })
    .collect()
}

fn invalid(name: String, json: String, problem: &str) -> BodyCase {
    BodyCase::new(
        name,
        json,
        Verdict::Invalid {
            problem: problem.to_string(),
        },
    )
}

/// The codes whose examples, broken copies and traps the table holds: the first ones in
/// catalog order, so that the table stays small for catalogs of thousands of codes (each
/// package's own tests still parse every example).
pub const TABLE_CODES: usize = 100;

/// How deeply arrays and objects may nest in a body, the body itself counting as level 1: a
/// body nested deeper is invalid in every package (serde_json alone stops at 127).
pub const MAX_DEPTH: usize = 100;

/// The largest magnitude of an integer every package reads exactly: 2^53 - 1 (I-JSON,
/// RFC 7493; JavaScript's `Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The range of the envelope's `code`: an HTTP status (RFC 9110, section 15).
pub const STATUS_RANGE: (u16, u16) = (100, 599);

/// A string no catalog value holds, replaced by a raw JSON token in the text.
const SENTINEL: &str = "@@token@@";

/// `v` as JSON text with the sentinel string replaced by `token` (such as `NaN`).
fn with_token(v: &Value, token: &str) -> String {
    text(v).replacen(&text(&json!(SENTINEL)), token, 1)
}

fn text(v: &Value) -> String {
    serde_json::to_string(v).expect("JSON values serialize")
}

/// A copy of `body` with `path` changed.
pub fn changed(body: &Value, path: &[String], change: &Change) -> Value {
    let mut copy = body.clone();
    let Some((last, parents)) = path.split_last() else {
        return copy;
    };
    let mut target = &mut copy;
    for key in parents {
        target = &mut target[key.as_str()];
    }
    if let Some(o) = target.as_object_mut() {
        match change {
            Change::Set(v) => {
                o.insert(last.clone(), v.clone());
            }
            Change::Remove => {
                o.remove(last);
            }
        }
    }
    copy
}

/// The body-verdict table: every example, broken copies of each code's first example, unknown
/// codes and unknown enum values, and the traps of JSON parsers (booleans where integers belong,
/// `NaN` and `Infinity`, integers beyond any integer type, duplicate keys, deep nesting).
pub fn body_cases(catalog: &Catalog) -> Vec<BodyCase> {
    if !crate::emit::wire_data::of(catalog).is_flat() {
        return wire::cases(catalog);
    }
    let mut cases = Vec::new();
    let codes = &catalog.errors[..catalog.errors.len().min(TABLE_CODES)];
    for e in codes {
        for ex in &e.examples {
            cases.push(valid(
                text!("example {}/{}", e.code, ex.name),
                text(&ex.body),
                &e.code,
                true,
            ));
        }
    }
    let unknown = unknown_body(catalog, 418);
    let unknown_code = unknown_code(catalog);
    cases.push(valid(
        "an unknown code".into(),
        text(&unknown),
        &unknown_code,
        false,
    ));
    let mut extra = unknown.clone();
    extra["zz_extra"] = json!({ "nested": [true, null] });
    cases.push(valid(
        "an unknown code with an extra envelope field".into(),
        text(&extra),
        &unknown_code,
        false,
    ));
    // The envelope is level 1 and `details` level 2, so `extra` arrays inside bring the body to
    // `2 + extra` levels.
    let nested_to = |extra: usize| {
        let mut deep = json!("bottom");
        for _ in 0..extra {
            deep = json!([deep]);
        }
        let mut nested = unknown.clone();
        nested["details"] = json!({ "deep": deep });
        text(&nested)
    };
    cases.push(valid(
        text!("nested {MAX_DEPTH} levels deep (the limit)"),
        nested_to(MAX_DEPTH - 2),
        &unknown_code,
        false,
    ));
    cases.push(invalid(
        text!("nested {} levels deep", MAX_DEPTH + 1),
        nested_to(MAX_DEPTH - 1),
        &text!("body: nested deeper than {MAX_DEPTH} levels"),
    ));
    let mut big = unknown.clone();
    big["details"] = json!({ "n": SENTINEL });
    cases.push(valid(
        "an integer of 40 digits in unknown details".into(),
        with_token(&big, "1234567890123456789012345678901234567890"),
        &unknown_code,
        false,
    ));
    for e in codes {
        let body = &e.primary_example().body;
        if let (Some(schema), Some(Value::Object(_))) = (&e.details, body.get("details")) {
            for p in &schema.properties {
                let path = ["details".to_string(), p.name.clone()];
                let set = |v: Value| changed(body, &path, &Change::Set(v));
                match &p.schema.kind {
                    SchemaKind::String {
                        enum_values: Some(_),
                        ..
                    } => {
                        if let Some(future) = future_enum_value(&p.schema.kind) {
                            cases.push(valid(
                                text!(
                                    "{} with a value of details.{} from a newer server",
                                    e.code,
                                    p.name
                                ),
                                text(&set(json!(future))),
                                &e.code,
                                true,
                            ));
                        }
                    }
                    SchemaKind::Integer { .. } => {
                        let problem = text!("details.{}: expected an integer", p.name);
                        cases.push(invalid(
                            text!("{} with details.{} = true", e.code, p.name),
                            text(&set(json!(true))),
                            &problem,
                        ));
                        cases.push(invalid(
                            text!("{} with details.{} = 2^64", e.code, p.name),
                            with_token(&set(json!(SENTINEL)), "18446744073709551616"),
                            &problem,
                        ));
                    }
                    SchemaKind::Number { .. } => {
                        for (what, token) in [("NaN", "NaN"), ("Infinity", "Infinity")] {
                            cases.push(invalid(
                                text!("{} with details.{} = {what}", e.code, p.name),
                                with_token(&set(json!(SENTINEL)), token),
                                "body: not JSON",
                            ));
                        }
                        cases.push(invalid(
                            text!("{} with details.{} = false", e.code, p.name),
                            text(&set(json!(false))),
                            &text!("details.{}: expected a number", p.name),
                        ));
                    }
                    _ => {}
                }
            }
            let mut extra = body.clone();
            extra["details"]["zz_extra"] = json!(1);
            cases.push(valid(
                text!("{} with an extra details field", e.code),
                text(&extra),
                &e.code,
                true,
            ));
        }
        for broken in broken_examples(e) {
            let path = broken.path.join(".");
            let what = match &broken.change {
                Change::Set(v) => text!("with {path} = {}", text(v)),
                Change::Remove => text!("without {path}"),
            };
            cases.push(invalid(
                text!("{} {what}", e.code),
                text(&changed(body, &broken.path, &broken.change)),
                &broken.problem,
            ));
        }
    }
    for (why, body, problem) in malformed_cases(catalog) {
        cases.push(invalid(why, text(&body), &problem));
    }
    let unknown_text = text(&unknown);
    let code_as = |token: &str| {
        let mut b = unknown.clone();
        b["code"] = json!(SENTINEL);
        with_token(&b, token)
    };
    for (what, token, problem) in [
        (
            "true",
            "true",
            "code: expected an integer, found the boolean true",
        ),
        ("NaN", "NaN", "body: not JSON"),
        ("-Infinity", "-Infinity", "body: not JSON"),
        ("1e400", "1e400", "body: not JSON"),
        ("2^64", "18446744073709551616", "code: expected an integer"),
    ] {
        cases.push(invalid(text!("code is {what}"), code_as(token), problem));
    }
    let error_field = text!("\"error\":{}", text(&json!(unknown_code)));
    cases.push(valid(
        "a duplicate key: the last one counts".into(),
        unknown_text.replacen('{', "{\"error\":42,", 1),
        &unknown_code,
        false,
    ));
    cases.push(invalid(
        "a duplicate key: the last one is wrong".into(),
        unknown_text.replacen(&error_field, &text!("{error_field},\"error\":42"), 1),
        "error: expected a string, found the number 42",
    ));
    cases.extend(hidden_by_duplicate_key(&unknown_text));
    cases.extend(rule_cases(catalog, codes));
    for (what, json) in [
        ("empty text", ""),
        ("HTML", "<html><body>Bad Gateway</body></html>"),
        ("a truncated object", "{\"error\":"),
    ] {
        cases.push(invalid(what.into(), json.into(), "body: not JSON"));
    }
    for (what, json) in [("a number", "42"), ("true", "true"), ("a string", "\"x\"")] {
        cases.push(invalid(
            text!("the JSON text {what}"),
            json.into(),
            "body: expected an object",
        ));
    }
    cases
}

/// One row or more per rule of ARCHITECTURE.md's "one verdict for every body" table, for the
/// classes on which parsers of different languages disagree by default.
fn rule_cases(catalog: &Catalog, codes: &[ErrorDef]) -> Vec<BodyCase> {
    let unknown = unknown_body(catalog, 418);
    let unknown_code = unknown_code(catalog);
    let unknown_text = text(&unknown);
    let mut cases = Vec::new();
    let invalid = |name: String, json: String, problem: String| invalid(name, json, &problem);
    let unknown_with = |key: &str, token: &str| {
        let mut b = unknown.clone();
        b[key] = json!(SENTINEL);
        with_token(&b, token)
    };
    let not_json = || "body: not JSON".to_string();
    // A byte-order mark: ignored once (RFC 8259 allows it; fetch's `Response.json()` strips it).
    cases.push(valid(
        "a byte-order mark before the body".into(),
        text!("\u{feff}{unknown_text}"),
        &unknown_code,
        false,
    ));
    cases.push(invalid(
        "two byte-order marks before the body".into(),
        text!("\u{feff}\u{feff}{unknown_text}"),
        not_json(),
    ));
    // Strings must be Unicode: a lone surrogate is not (I-JSON), a pair is.
    cases.push(invalid(
        "a lone surrogate in message".into(),
        unknown_with("message", r#""bad \ud800 text""#),
        not_json(),
    ));
    cases.push(invalid(
        "a lone low surrogate in a details key".into(),
        unknown_with("details", r#"{"\udc00": 1}"#),
        not_json(),
    ));
    cases.push(valid(
        "a surrogate pair in message".into(),
        unknown_with("message", r#""\ud83d\ude00""#),
        &unknown_code,
        false,
    ));
    // Numbers beyond a double are not I-JSON, wherever they are.
    for (what, token) in [
        ("1e400", "1e400"),
        ("-1e400", "-1e400"),
        ("an integer of 400 digits", &"9".repeat(400)),
    ] {
        cases.push(invalid(
            text!("{what} in unknown details"),
            unknown_with("details", &text!("{{\"n\":{token}}}")),
            not_json(),
        ));
    }
    // `code` is an HTTP status: an integer from 100 to 599, whatever its spelling.
    let (low, high) = STATUS_RANGE;
    for (status, problem) in [
        (
            70000,
            text!("code: 70000 is greater than the maximum {high}"),
        ),
        (
            u32::from(high) + 1,
            text!("code: {} is greater than the maximum {high}", high + 1),
        ),
        (
            u32::from(low) - 1,
            text!("code: {} is less than the minimum {low}", low - 1),
        ),
    ] {
        cases.push(invalid(
            text!("code is {status}"),
            unknown_with("code", &status.to_string()),
            problem,
        ));
    }
    for token in ["418.0", "4.18e2", "41800e-2"] {
        cases.push(valid(
            text!("code is {token}"),
            unknown_with("code", token),
            &unknown_code,
            false,
        ));
    }
    cases.push(invalid(
        "code is 418.5".into(),
        unknown_with("code", "418.5"),
        "code: expected an integer".into(),
    ));
    // `null` is not an absent field: optional envelope fields and details are typed.
    for (key, problem) in [
        ("request_id", "request_id: expected a string, found null"),
        ("timestamp", "timestamp: expected a string, found null"),
        ("details", "details: expected an object, found null"),
    ] {
        cases.push(invalid(
            text!("{key} is null"),
            unknown_with(key, "null"),
            problem.into(),
        ));
    }
    for (what, token) in [("a string", r#""x""#), ("a number", "5"), ("true", "true")] {
        cases.push(invalid(
            text!("details of an unknown code is {what}"),
            unknown_with("details", token),
            "details: expected an object".into(),
        ));
    }
    cases.push(invalid(
        "an array holding the envelope".into(),
        text!("[{unknown_text}]"),
        "body: expected an object, found an array".into(),
    ));
    for e in codes {
        let body = &e.primary_example().body;
        let code_as = |token: &str| {
            let mut b = body.clone();
            b["code"] = json!(SENTINEL);
            with_token(&b, token)
        };
        cases.push(valid(
            text!("{} with code {}.0", e.code, e.status),
            code_as(&text!("{}.0", e.status)),
            &e.code,
            true,
        ));
        let (Some(schema), Some(Value::Object(_))) = (&e.details, body.get("details")) else {
            continue;
        };
        for p in &schema.properties {
            let path = ["details".to_string(), p.name.clone()];
            let current = body.get("details").and_then(|d| d.get(&p.name));
            let set_token = |token: &str| {
                with_token(&changed(body, &path, &Change::Set(json!(SENTINEL))), token)
            };
            let shown = text!("details.{}", p.name);
            if !p.required && !p.schema.nullable {
                cases.push(invalid(
                    text!("{} with {shown} = null", e.code),
                    set_token("null"),
                    text!("{shown}: expected"),
                ));
            }
            let SchemaKind::Integer { minimum, maximum } = &p.schema.kind else {
                continue;
            };
            if let Some(n) = current.and_then(Value::as_i64) {
                cases.push(valid(
                    text!("{} with {shown} = {n}.0", e.code),
                    set_token(&text!("{n}.0")),
                    &e.code,
                    true,
                ));
            }
            let in_range =
                |n: i64| minimum.is_none_or(|m| n >= m) && maximum.is_none_or(|m| n <= m);
            if in_range(0) {
                cases.push(valid(
                    text!("{} with {shown} = -0.0", e.code),
                    set_token("-0.0"),
                    &e.code,
                    true,
                ));
            }
            let safe = MAX_SAFE_INTEGER as i64;
            if in_range(safe) {
                cases.push(valid(
                    text!("{} with {shown} = 2^53 - 1", e.code),
                    set_token(&safe.to_string()),
                    &e.code,
                    true,
                ));
            }
            cases.push(invalid(
                text!("{} with {shown} = 2^53", e.code),
                set_token(&(safe + 1).to_string()),
                text!("{shown}: expected an integer"),
            ));
            cases.push(invalid(
                text!("{} with {shown} = 1.5", e.code),
                set_token("1.5"),
                text!("{shown}: expected an integer"),
            ));
        }
    }
    cases
}

/// `conformance.json`, the body-verdict table (`header` first, under `//`):
/// `{"bodies": [BodyCase]}`, rendered once per catalog (`Tables`).
pub fn body_table(catalog: &Catalog, header: &str) -> String {
    #[derive(Serialize)]
    struct Table<'a> {
        #[serde(rename = "//")]
        header: &'a str,
        bodies: Vec<BodyCase>,
    }
    catalog.tables.body.text(header, || {
        data_file(&Table {
            header,
            bodies: body_cases(catalog),
        })
    })
}

/// The texts of the shared tables, each rendered once per catalog (and header): every package
/// ships the same bytes.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    body: Cached,
    retry: Cached,
}

/// A text rendered on first use, with the header it was rendered for.
#[derive(Debug, Clone, Default)]
struct Cached(std::sync::OnceLock<(String, String)>);

impl Cached {
    fn text(&self, header: &str, render: impl FnOnce() -> String) -> String {
        match self.0.get() {
            Some((h, text)) if h == header => text.clone(),
            Some(_) => render(),
            None => self
                .0
                .get_or_init(|| (header.to_owned(), render()))
                .1
                .clone(),
        }
    }
}

/// Headers as a JSON object.
pub fn headers_json(headers: &[(String, String)]) -> Value {
    Value::Object(
        headers
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

/// An example's response headers in catalog order, each with the index of the header it
/// declares (matched case-insensitively) and the header, its value as the packages'
/// constructors take it (an `integer` header's as a number) and the text they send for it.
pub fn declared_headers<'a>(
    e: &'a ErrorDef,
    given: &[(String, String)],
) -> Vec<(usize, &'a HeaderDef, Value, String)> {
    e.headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let (_, value) = given
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&h.name))?;
            let number = match h.schema {
                HeaderType::Integer => value.trim().parse::<u64>().ok(),
                HeaderType::String => None,
            };
            Some(match number {
                Some(n) => (i, h, Value::from(n), n.to_string()),
                None => (i, h, Value::from(value.as_str()), value.clone()),
            })
        })
        .collect()
}

/// Adds `wire` and `headers` (the body and headers on the wire, `wire_data::wire_body`) to a
/// row whose neutral `body` the catalog's wire lays out differently; a flat wire adds nothing.
pub fn with_wire(catalog: &Catalog, row: &mut Value) {
    if crate::emit::wire_data::of(catalog).is_flat() {
        return;
    }
    let (body, headers) = crate::emit::wire_data::wire_body(catalog, &row["body"]);
    row["wire"] = body;
    row["headers"] = headers_json(&headers);
}

/// `retry_table.json`, the retry table every package's tests check (`header` first, under
/// `//`; rendered once per catalog, `Tables`): the
/// delays of each code's first example and of unknown codes for every `Retry-After` value
/// (`RETRY_AFTER_VALUES`) and attempt, the backoff delays, and the sleeps of a retry loop.
pub fn retry_table(catalog: &Catalog, header: &str) -> String {
    catalog
        .tables
        .retry
        .text(header, || data_file(&retry_table_value(catalog, header)))
}

fn retry_table_value(catalog: &Catalog, header: &str) -> Value {
    let mut cases = Vec::new();
    for e in &catalog.errors {
        let ex = e.primary_example();
        let mut row = json!({
            "body": ex.body,
            "delays": delays(catalog, &e.retry, &ex.body),
        });
        if let Some(r) = &ex.wire {
            row["wire"] = r.body.clone();
            row["headers"] = headers_json(&r.headers);
        }
        cases.push(row);
    }
    for (policy, body) in hostile_delay_bodies(catalog) {
        let mut row = json!({
            "delays": delays(catalog, policy, &body),
            "body": body,
        });
        with_wire(catalog, &mut row);
        cases.push(row);
    }
    for status in UNKNOWN_RETRY_STATUSES {
        let body = unknown_body(catalog, status);
        let policy = RetryPolicy::default_for_status(status);
        let mut row = json!({
            "delays": delays(catalog, &policy, &body),
            "body": body,
        });
        with_wire(catalog, &mut row);
        cases.push(row);
    }
    let sleeps: Vec<Value> = retry_sleeps(catalog)
        .into_iter()
        .map(|(body, retry_after, sleeps)| {
            let mut row = json!({ "body": body, "retry_after": retry_after, "sleeps": sleeps });
            with_wire(catalog, &mut row);
            row
        })
        .collect();
    let mut m = Map::new();
    m.insert("//".into(), json!(header));
    m.insert("retry_after_values".into(), json!(RETRY_AFTER_VALUES));
    m.insert(
        "backoff_ms".into(),
        json!(
            (0..12)
                .map(|n| catalog.retry.backoff_delay_ms(n))
                .collect::<Vec<_>>()
        ),
    );
    m.insert("cases".into(), Value::Array(cases));
    m.insert("sleeps".into(), Value::Array(sleeps));
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::{MAX_DEPTH, STATUS_RANGE};
    use crate::model::MAX_SERVER_DELAY_SECONDS;

    /// The runtimes repeat the shared limits as literals; each must say what this module says.
    #[test]
    fn every_runtime_uses_the_shared_limits() {
        let (low, high) = STATUS_RANGE;
        let runtimes: [(&str, &str, Vec<String>); 5] = [
            (
                "rust/fixed/retry.rs",
                include_str!("emit/rust/fixed/retry.rs"),
                vec![text!(
                    "MAX_SERVER_DELAY_SECONDS: u64 = {}",
                    fmt(MAX_SERVER_DELAY_SECONDS)
                )],
            ),
            (
                "typescript/runtime/schema.ts",
                include_str!("emit/typescript/runtime/schema.ts"),
                vec![text!("MAX_DEPTH = {MAX_DEPTH};")],
            ),
            (
                "typescript/runtime/wire.ts",
                include_str!("emit/typescript/runtime/wire.ts"),
                vec![text!("minimum: {low}, maximum: {high} }}")],
            ),
            (
                "typescript/runtime/retry.ts",
                include_str!("emit/typescript/runtime/retry.ts"),
                vec![text!(
                    "MAX_SERVER_DELAY_SECONDS = {};",
                    fmt(MAX_SERVER_DELAY_SECONDS)
                )],
            ),
            (
                "python/runtime",
                concat!(
                    include_str!("emit/python/runtime/_runtime.py"),
                    include_str!("emit/python/runtime/_base.py"),
                    include_str!("emit/python/runtime/_retry.py"),
                    include_str!("emit/python/runtime/_wire.py"),
                ),
                vec![
                    text!("MAX_DEPTH = {MAX_DEPTH}\n"),
                    text!("integer({low}, {high})"),
                    text!(
                        "MAX_SERVER_DELAY_SECONDS = {}\n",
                        fmt(MAX_SERVER_DELAY_SECONDS)
                    ),
                ],
            ),
        ];
        for (file, source, expected) in runtimes {
            for text in expected {
                assert!(source.contains(&text), "{file} lacks {text:?}");
            }
        }
    }

    /// `86_400`, as the sources write it.
    fn fmt(n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push('_');
            }
            out.push(c);
        }
        out
    }
}
