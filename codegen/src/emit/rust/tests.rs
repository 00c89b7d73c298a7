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
use crate::wire::{CodeForm, Place, Preset, Role};

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
        Some(ms) => text!("RetryDecision::RetryAfter(Duration::from_millis({ms}))"),
    }
}

/// A decision as an `examples!` row writes it: the delay in ms, or `None` for "do not retry".
fn delay_ms(ms: Option<u64>) -> String {
    ms.map_or("None".into(), |ms| text!("Some({ms})"))
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
                    (HeaderType::String, Some(v)) => text!("String::from({})", string(v)),
                    (_, None) => "None".into(),
                };
                let value = if hd.required || value == "None" {
                    value
                } else {
                    text!("Some({value})")
                };
                text!("{field}: {value}")
            })
            .collect();
        args.push(text!("super::{h} {{ {} }}", fields.join(", ")));
    }
    let mut out = text!("{}::{}({})", cx.error_type, e.ctor, args.join(", "));
    if cx.catalog.wire.preset != Preset::Flat {
        for (name, ..) in cx.catalog.wire.neutral_fields() {
            let value = match ex.body.get(name) {
                Some(Value::String(v)) => text!("serde_json::Value::from({})", string(v)),
                // `_i64`: an integer past `i32` would not compile without it (`overflowing_literals`).
                Some(Value::Number(n)) if n.is_i64() => {
                    text!("serde_json::Value::from({n}_i64)")
                }
                Some(Value::Number(n)) => text!("serde_json::Value::from({n})"),
                _ => continue,
            };
            let _ = write!(out, ".with_field({}, {value})", string(name));
        }
        return out;
    }
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
        // helpers and the names each module imports.
        let mut name = text!("example_{}", naming::rust_snake_plain(&ex.name));
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = text!("example_{}_{n}", naming::rust_snake_plain(&ex.name));
            n += 1;
        }
        let rendered = ex.wire.as_ref();
        let body = rendered.map_or(&ex.body, |r| &r.body);
        let body = serde_json::to_string(body).expect("JSON serializes");
        let wire_headers = rendered.map(|r| {
            let pairs: Vec<String> = r
                .headers
                .iter()
                .map(|(k, v)| text!("({}, {})", string(k), string(v)))
                .collect();
            text!("\n            wire_headers: [{}],", pairs.join(", "))
        });
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
            .map(|(k, v)| text!("({}, {})", string(k), string(v)))
            .collect();
        let policy = &e.def.retry;
        let _ = write!(
            out,
            "        fn {name}: {variant}{binding} => {built}, {{\n            \
             body: {body},{wire_headers}\n            \
             message: {message},\n            \
             status: {status},\n            \
             headers: [{headers}],\n            \
             retry: [{d0}, {d1}],\n            \
             http: {http},\n        \
             }}\n",
            variant = e.variant,
            built = build(cx, e, ex),
            body = string(&body),
            wire_headers = wire_headers.unwrap_or_default(),
            message = string(message),
            status = e.def.status,
            headers = headers.join(", "),
            d0 = delay_ms(expected_decision(cx, policy, &ex.body, 0, None)),
            d1 = delay_ms(expected_decision(cx, policy, &ex.body, 0, Some("7"))),
            http = e.def.delivery == Delivery::Http,
        );
    }
    out.push_str("    }\n");
}

pub fn tests(cx: &Cx) -> String {
    let krate = cx.catalog.api.packages.rust.replace('-', "_");
    let mut uses = [
        text!("use {krate}::*;"),
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
    let flat = cx.catalog.wire.preset == Preset::Flat;
    out.push_str(&cx.fixed(if flat {
        include_str!("fixed/tests_helpers.rs")
    } else {
        include_str!("fixed/tests_wire.rs")
    }));
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
    out.push_str(&if flat { general(cx) } else { general_wire(cx) });
    out
}

/// A code no version of this catalog has.
fn future_code(cx: &Cx) -> String {
    crate::conformance::future_code(cx.catalog, "ZzCodeFromANewerServer")
}

/// A real-shaped response: status, headers, body, the code it carries, whether it is known.
type Shape = (u16, Vec<(String, String)>, Value, String, bool);

/// Real-shaped bodies of the catalog's wire, each with the code the reference reader finds in
/// it: every code's first example; with a code header, the code only there; AWS shapes with a
/// namespace and a URL; and an unknown code.
fn shapes(cx: &Cx) -> Vec<Shape> {
    let wire = &cx.catalog.wire;
    let mut out = Vec::new();
    for e in &cx.errors {
        let Some(r) = &e.def.primary_example().wire else {
            continue;
        };
        let status = e.def.status;
        out.push((
            status,
            r.headers.clone(),
            r.body.clone(),
            e.def.code.clone(),
            true,
        ));
        if let Some(header) = wire.code_header() {
            // The code only in the header, where the body's code is optional.
            let mut body = r.body.clone();
            let mut stripped = false;
            for m in wire.code_members() {
                if let Place::Body {
                    pointer,
                    entry: None,
                } = &m.at
                    && !m.required
                    && let Some((parent, last)) = pointer.rsplit_once('/')
                    && let Some(obj) =
                        crate::wire::get_mut(&mut body, parent).and_then(Value::as_object_mut)
                {
                    stripped |= obj
                        .remove(&last.replace("~1", "/").replace("~0", "~"))
                        .is_some();
                }
            }
            if stripped {
                out.push((
                    status,
                    vec![(header.to_string(), e.def.code.clone())],
                    body,
                    e.def.code.clone(),
                    true,
                ));
            }
        }
        let aws = Role::Code {
            form: CodeForm::AwsShape,
        };
        if wire.code_members().any(|m| m.role == aws) {
            // A namespace before `#` in the body (no header), and a URL after `:` in the
            // header (with the body's code left out, where it may be).
            let mut body = r.body.clone();
            let mut in_body = false;
            for m in wire.code_members() {
                if let Place::Body {
                    pointer,
                    entry: None,
                } = &m.at
                    && let Some(v) = crate::wire::get_mut(&mut body, pointer)
                {
                    *v = Value::from(text!("com.amazon.test#{}", e.def.code));
                    in_body = true;
                }
            }
            let code = e.def.code.clone();
            if in_body {
                out.push((status, Vec::new(), body, code.clone(), true));
            }
            if let Some(header) = wire.code_header() {
                let value = text!("{code}:http://internal.amazon.com/coral/com.amazon.test/");
                let stripped = out
                    .iter()
                    .rev()
                    .find(|s| s.3 == code && s.1.len() == 1 && s.1[0].0 == header)
                    .map(|s| s.2.clone());
                if let Some(body) = stripped {
                    out.push((status, vec![(header.to_string(), value)], body, code, true));
                }
            }
        }
    }
    let future = future_code(cx);
    let mut neutral = serde_json::json!({
        "error": future, "message": "Something new", "code": 503, "details": {"zzNew": 1}
    });
    crate::conformance::fill_required_fields(cx.catalog, &mut neutral);
    let r = wire.render(&neutral, &Default::default(), "");
    out.push((503, r.headers, r.body, future, false));
    out
}

/// Tests over real-shaped bodies, unknown codes, malformed bodies and every code, for a wire
/// other than the flat envelope.
fn general_wire(cx: &Cx) -> String {
    let r = &cx.catalog.retry;
    let backoff: String = (0..6u32)
        .map(|n| {
            text!(
                "    let expected = Duration::from_millis({});\n    assert_eq!(RETRY.backoff_delay({n}), expected);\n",
                r.backoff_delay_ms(n)
            )
        })
        .collect();
    let shapes: String = shapes(cx)
        .into_iter()
        .map(|(status, headers, body, code, known)| {
            let headers: Vec<String> = headers
                .iter()
                .map(|(k, v)| text!("({}, {})", string(k), string(v)))
                .collect();
            let body = serde_json::to_string(&body).expect("JSON serializes");
            text!(
                "    ({status}, [{}], {}, {}, {known}),\n",
                headers.join(", "),
                string(&body),
                string(&code)
            )
        })
        .collect();
    cx.fixed(
        &include_str!("fixed/tests_wire_general.rs")
            .replace("    // @shapes\n", &shapes)
            .replace("    // @backoff\n", &backoff),
    )
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
            text!(
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

/// `tests/conformance.rs`: the crate against the cross-language tables (`conformance.json`,
/// `retry_table.json`, computed by `conformance` and shared with the other packages). A crate
/// whose wire is not the flat envelope reads each row's body as the wire carries it, with its
/// headers and status.
pub fn conformance(cx: &Cx) -> String {
    let krate = cx.catalog.api.packages.rust.replace('-', "_");
    // A glob, as `examples.rs` has: a list of names after a long crate name would be a line
    // rustfmt breaks (the explicit `use`s below win over the glob's names).
    let mut uses = [
        text!("use {krate}::*;"),
        "use serde_json::Value;".to_string(),
        "use std::time::Duration;".to_string(),
    ];
    uses.sort_by(|a, b| super::version_cmp(a, b));
    let verdicts = if cx.catalog.wire.preset == crate::wire::Preset::Flat {
        include_str!("fixed/tests_conformance.rs")
    } else {
        include_str!("fixed/tests_conformance_wire.rs")
    };
    text!(
        "//! The cross-language conformance tables (the generator's `conformance.rs`, shared with\n\
         //! the TypeScript and Python packages): the verdict on every body, and retry delays.\n\n\
         {}\n\n{}\n{}",
        uses.join("\n"),
        cx.fixed(verdicts),
        cx.fixed(include_str!("fixed/tests_retry.rs"))
    )
}
