//! `tests/examples.rs`: the generated crate's own tests, an `examples!` row per catalog example
//! plus tests over every example and code. Expected values (messages, statuses, retry delays)
//! are computed here from the model, so the crate is checked against the reference
//! implementations in `template` and `model`.

use std::collections::HashSet;
use std::fmt::Write as _;

use serde_json::Value;

use super::{Code, Cx, string};
use crate::model::{Delivery, Example, HeaderType, RetryPolicy};
use crate::naming;

/// The shared retry semantics, as the reference (`model::RetryPolicy::decide_ms`): the delay in
/// ms, or `None` for "do not retry".
fn expected_decision(
    cx: &Cx,
    policy: &RetryPolicy,
    body: &Value,
    attempt: u32,
    header: Option<&str>,
) -> Option<u64> {
    policy.decide_ms(&cx.catalog.retry, attempt, body, header)
}

fn decision(ms: Option<u64>) -> String {
    match ms {
        None => "RetryDecision::DoNotRetry".into(),
        Some(ms) => format!("RetryDecision::RetryAfter(Duration::from_millis({ms}))"),
    }
}

/// The expression that builds the example's error with the code's constructor (`details` in
/// scope when the code has details).
fn build(cx: &Cx, e: &Code, ex: &Example) -> String {
    let mut args = Vec::new();
    if e.def.message.is_runtime() {
        let message = ex.body.get("message").and_then(Value::as_str).unwrap_or("");
        args.push(string(message));
    }
    if e.details.is_some() {
        args.push("details.as_ref().clone()".to_string());
    }
    if let Some(h) = &e.headers {
        let fields: Vec<String> = e
            .def
            .headers
            .iter()
            .zip(super::details::header_fields(e))
            .map(|(hd, field)| {
                let value = ex
                    .headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(&hd.name))
                    .map(|(_, v)| v.as_str());
                let value = match (hd.schema, value) {
                    (HeaderType::Integer, Some(v)) => {
                        v.trim().parse::<u64>().unwrap_or(0).to_string()
                    }
                    (HeaderType::String, Some(v)) => format!("String::from({})", string(v)),
                    (_, None) => "None".into(),
                };
                let value = if hd.required || value == "None" {
                    value
                } else {
                    format!("Some({value})")
                };
                format!("{field}: {value}")
            })
            .collect();
        args.push(format!("{h} {{ {} }}", fields.join(", ")));
    }
    let mut out = format!("{}::{}({})", cx.error_type, e.ctor, args.join(", "));
    if let Some(v) = ex.body.get("request_id").and_then(Value::as_str) {
        let _ = write!(out, ".with_request_id({})", string(v));
    }
    if let Some(v) = ex.body.get("timestamp").and_then(Value::as_str) {
        let _ = write!(out, ".with_timestamp({})", string(v));
    }
    out
}

/// The `examples!` rows of one code: a test per example.
fn code_rows(cx: &Cx, e: &Code, out: &mut String) {
    let _ = writeln!(out, "    mod {} {{", e.module);
    let mut names = HashSet::new();
    for ex in &e.def.examples {
        // A fixed prefix keeps example names (`same_json`, ...) from shadowing the test
        // helpers that `use super::*` brings in.
        let mut name = format!("example_{}", naming::rust_snake_plain(&ex.name));
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("example_{}_{n}", naming::rust_snake_plain(&ex.name));
            n += 1;
        }
        let body = serde_json::to_string(&ex.body).expect("JSON serializes");
        let message = ex
            .body
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let binding = if e.details.is_some() { "(details)" } else { "" };
        let mut headers: Vec<(String, String)> = ex
            .headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect();
        headers.sort();
        let headers: Vec<String> = headers
            .iter()
            .map(|(k, v)| format!("({}, {})", string(k), string(v)))
            .collect();
        let policy = &e.def.retry;
        let _ = write!(
            out,
            "        fn {name}: {variant}{binding} => {built}, {{\n            \
             body: {body},\n            \
             message: {message},\n            \
             status: {status},\n            \
             headers: [{headers}],\n            \
             retry: [\n                {d0},\n                {d1},\n            ],\n            \
             http: {http},\n        \
             }}\n",
            variant = e.variant,
            built = build(cx, e, ex),
            body = string(&body),
            message = string(message),
            status = e.def.status,
            headers = headers.join(", "),
            d0 = decision(expected_decision(cx, policy, &ex.body, 0, None)),
            d1 = decision(expected_decision(cx, policy, &ex.body, 0, Some("7"))),
            http = e.def.delivery == Delivery::Http,
        );
    }
    out.push_str("    }\n");
}

pub fn tests(cx: &Cx) -> String {
    let krate = cx.catalog.api.packages.rust.replace('-', "_");
    let mut uses = [
        format!("use {krate}::*;"),
        "use serde_json::Value;".to_string(),
        "use std::time::Duration;".to_string(),
    ];
    uses.sort_by(|a, b| super::version_cmp(a, b));
    let mut out = String::from(
        "//! Tests generated from the catalog's examples: each parses to its typed variant, serializes\n\
         //! back to the same JSON, and its constructor rebuilds the same body; plus unknown codes,\n\
         //! malformed bodies, retry decisions and (feature `axum`) responses through a `Router`.\n\n",
    );
    // The tests build every example, deprecated codes included.
    if cx.catalog.errors.iter().any(|e| e.deprecated.is_some()) {
        out.push_str("#![allow(deprecated)]\n\n");
    }
    out.push_str(&uses.join("\n"));
    out.push_str("\n\n");
    out.push_str(&cx.fixed(include_str!("fixed/tests_helpers.rs")));
    out.push_str("\nexamples! {\n");
    let mut first = true;
    for e in &cx.errors {
        if e.def.examples.is_empty() {
            continue;
        }
        if !first {
            out.push('\n');
        }
        first = false;
        code_rows(cx, e, &mut out);
    }
    out.push_str("}\n\n");
    out.push_str(&general(cx));
    out
}

/// Tests over unknown codes, malformed bodies, every example body and every code, with the
/// expected values computed from the catalog.
fn general(cx: &Cx) -> String {
    // A code no version of this catalog has.
    let codes: HashSet<&str> = cx.errors.iter().map(|e| e.def.code.as_str()).collect();
    let mut future = String::from("zz_code_from_a_newer_server");
    while codes.contains(future.as_str()) {
        future.push_str("_x");
    }
    let r = &cx.catalog.retry;
    let body = Value::Null;
    let unknown = |status: u16, header: Option<&str>| {
        let policy = RetryPolicy::default_for_status(status);
        decision(expected_decision(cx, &policy, &body, 0, header))
    };
    let backoff: String = (0..6u32)
        .map(|n| {
            format!(
                "    let expected = Duration::from_millis({});\n    assert_eq!(RETRY.backoff_delay({n}), expected);\n",
                r.backoff_delay_ms(n)
            )
        })
        .collect();
    let set_request_id = if cx.request_id_required {
        "String::from(\"req_display\")"
    } else {
        "Some(String::from(\"req_display\"))"
    };
    cx.fixed(
        &include_str!("fixed/tests_general.rs")
            .replace("\"@future\"", &string(&future))
            .replace("@unknown", &cx.unknown)
            .replace("@decision_503", &unknown(503, None))
            .replace("@decision_429_seconds", &unknown(429, Some("7")))
            .replace(
                "@decision_429_date",
                &unknown(429, Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            )
            .replace("    // @backoff\n", &backoff)
            .replace("Some(String::from(\"req_display\"))", set_request_id),
    )
}
