//! `tests/examples.rs`: the generated crate's own tests, built from the catalog's examples.
//! Expected values (messages, statuses, retry delays) are computed here from the model, so the
//! crate is checked against the reference implementations in `template` and `model`.

use std::collections::HashSet;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::{Code, Cx, Items, ident};
use crate::model::{Example, HeaderType, RetryPolicy};
use crate::naming;

/// The shared retry semantics, as the reference: the delay in ms, or `None` for "do not retry".
fn expected_decision(
    cx: &Cx,
    e: &Code,
    body: &Value,
    attempt: u32,
    header: Option<&str>,
) -> Option<u64> {
    e.def
        .retry
        .decide_ms(&cx.catalog.retry, attempt, body, header)
}

fn decision_tokens(ms: Option<u64>) -> TokenStream {
    match ms {
        None => quote!(RetryDecision::DoNotRetry),
        Some(ms) => {
            let ms = Literal::u64_unsuffixed(ms);
            quote!(RetryDecision::RetryAfter(Duration::from_millis(#ms)))
        }
    }
}

/// Statements that build the example's error with the code's constructor into `built`
/// (`details` in scope when the code has details). Statements rather than one expression, and
/// values bound to names, keep every line short enough for prettyplease and rustfmt to agree.
fn build(cx: &Cx, e: &Code, ex: &Example) -> TokenStream {
    let ty = &cx.error_type;
    let ctor = &e.ctor;
    let mut args = Vec::new();
    let mut pre = Vec::new();
    if e.details.is_some() {
        args.push(quote!(details.clone()));
    }
    if let Some(h) = &e.headers {
        let mut names = HashSet::new();
        let fields: Vec<TokenStream> = e
            .def
            .headers
            .iter()
            .map(|hd| {
                let mut base = naming::rust_snake(&hd.name);
                let plain = naming::rust_snake_plain(&hd.name);
                let mut n = 2;
                while !names.insert(base.clone()) {
                    base = format!("{plain}_{n}");
                    n += 1;
                }
                let field = ident(&base);
                let value = ex
                    .headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(&hd.name))
                    .map(|(_, v)| v.as_str());
                let value = match (hd.schema, value) {
                    (HeaderType::Integer, Some(v)) => {
                        let n = Literal::u64_unsuffixed(v.trim().parse().unwrap_or(0));
                        quote!(#n)
                    }
                    (HeaderType::String, Some(v)) => quote!(String::from(#v)),
                    (_, None) => quote!(None),
                };
                let value = if hd.required || value.to_string() == "None" {
                    value
                } else {
                    quote!(Some(#value))
                };
                quote!(#field: #value)
            })
            .collect();
        pre.push(quote!(let headers = #h { #( #fields ),* };));
        args.push(quote!(headers));
    }
    let rid = ex.body.get("request_id").and_then(Value::as_str);
    let ts = ex.body.get("timestamp").and_then(Value::as_str);
    let mut chain = Vec::new();
    if cx.request_id_required {
        let v = rid.unwrap_or_default();
        pre.push(quote!(let request_id = #v;));
        args.push(quote!(request_id));
    } else if let Some(v) = rid {
        chain.push(quote!(let built = built.with_request_id(#v);));
    }
    if cx.timestamp_required {
        let v = ts.unwrap_or_default();
        pre.push(quote!(let timestamp = #v;));
        args.push(quote!(timestamp));
    } else if let Some(v) = ts {
        chain.push(quote!(let built = built.with_timestamp(#v);));
    }
    quote! {
        #( #pre )*
        let built = #ty::#ctor(#( #args ),*);
        #( #chain )*
    }
}

/// `let details = ...` from the parsed error, or a check that the kind is the code's.
fn destructure(cx: &Cx, e: &Code) -> TokenStream {
    let variant = &e.variant;
    let _ = cx;
    if e.details.is_some() {
        quote! {
            let ErrorKind::#variant(details) = &error.kind else {
                panic!("parsed as {:?}", error.kind);
            };
        }
    } else {
        quote! {
            let kind_ok = matches!(error.kind, ErrorKind::#variant);
            assert!(kind_ok, "parsed as {:?}", error.kind);
        }
    }
}

/// One module of tests per code: a test per example.
fn code_tests(cx: &Cx, e: &Code) -> TokenStream {
    let module = &e.module;
    let mut tests = Vec::new();
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
        let test: Ident = ident(&name);
        let body = serde_json::to_string(&ex.body).expect("JSON serializes");
        let variant = &e.variant;
        let status = Literal::u16_unsuffixed(e.def.status);
        let message = ex
            .body
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let destructure = destructure(cx, e);
        let built = build(cx, e, ex);
        let d0 = decision_tokens(expected_decision(cx, e, &ex.body, 0, None));
        let d1 = decision_tokens(expected_decision(cx, e, &ex.body, 0, Some("7")));
        let mut expected_headers: Vec<(String, String)> = ex
            .headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect();
        expected_headers.sort();
        let (hk, hv): (Vec<&str>, Vec<&str>) = expected_headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .unzip();
        let n_headers = Literal::usize_unsuffixed(hk.len());
        let hi: Vec<Literal> = (0..hk.len()).map(Literal::usize_unsuffixed).collect();
        let over_http = (e.def.delivery == crate::model::Delivery::Http).then(|| {
            quote! {
                over_http(&built, &body);
            }
        });
        tests.push(quote! {
            #[test]
            fn #test() {
                const EXAMPLE: Example = Example {
                    body: #body,
                    message: #message,
                };
                let (body, error) = parse_example(&EXAMPLE);
                assert_eq!(error.code(), Some(ErrorCode::#variant));
                #destructure
                #built
                let headers = check_built(&EXAMPLE, &body, &built, #status);
                assert_eq!(headers.len(), #n_headers);
                #(
                    assert_eq!(headers[#hi].0, #hk);
                    assert_eq!(headers[#hi].1, #hv);
                )*
                let expected = #d0;
                assert_eq!(error.retry_decision(0, None), expected);
                let expected = #d1;
                assert_eq!(error.retry_decision(0, Some("7")), expected);
                #over_http
            }
        });
    }
    quote! {
        mod #module {
            use super::*;
            #( #tests )*
        }
    }
}

pub fn tests(cx: &Cx, items: &mut Items) {
    let ty = &cx.error_type;
    items.push(|| head(cx));
    for e in &cx.errors {
        if !e.def.examples.is_empty() {
            items.push(|| code_tests(cx, e));
        }
    }
    items.push(|| {
    // A code no version of this catalog has.
    let codes: HashSet<&str> = cx.errors.iter().map(|e| e.def.code.as_str()).collect();
    let mut future = String::from("zz_code_from_a_newer_server");
    while codes.contains(future.as_str()) {
        future.push_str("_x");
    }
    let unknown = &cx.unknown;
    let future_body = |status: u16| {
        serde_json::json!({"error": future, "message": "Something new", "code": status, "details": {"a": 1}, "request_id": "req_future"}).to_string()
    };
    let (b503, b429, b418) = (future_body(503), future_body(429), future_body(418));
    let r = &cx.catalog.retry;
    let retry_expect = |status: u16, header: Option<&str>| -> Option<u64> {
        RetryPolicy::default_for_status(status).decide_ms(r, 0, &Value::Null, header)
    };
    let (u503, u429h, u429) = (
        decision_tokens(retry_expect(503, None)),
        decision_tokens(retry_expect(429, Some("7"))),
        decision_tokens(retry_expect(429, Some("Wed, 21 Oct 2015 07:28:00 GMT"))),
    );

    // Details with a field this version does not know still parse.
    let extra = cx.errors.iter().find_map(|e| {
        let ex = e
            .def
            .examples
            .iter()
            .find(|x| x.body.get("details").is_some_and(Value::is_object))?;
        e.details.as_ref()?;
        let mut body = ex.body.clone();
        body["details"]["zz_field_from_a_newer_server"] = serde_json::json!({"nested": [1, 2]});
        let body = body.to_string();
        let variant = &e.variant;
        Some(quote! {
            #[test]
            fn unknown_details_fields_are_ignored() {
                const BODY: &str = #body;
                let error = #ty::from_json(BODY).expect("parses");
                let kind_ok = matches!(error.kind, ErrorKind::#variant(_));
                assert!(kind_ok, "parsed as {:?}", error.kind);
            }
        })
    });
    // A known code whose required details are missing.
    let bad_details = cx.errors.iter().find_map(|e| {
        let schema = e.def.details.as_ref()?;
        schema.properties.iter().find(|p| p.required)?;
        let body = serde_json::json!({"error": e.def.code, "message": "m", "code": e.def.status, "details": {}, "request_id": "r", "timestamp": "2026-01-01T00:00:00Z"}).to_string();
        let code = &e.def.code;
        Some(quote! {
            let err = #ty::from_json(#body).expect_err("details without their required fields");
            let text = err.to_string();
            assert!(text.contains(#code), "{err}");
            let once = text.matches("invalid error body").count() == 1;
            assert!(once, "the prefix is repeated: {err}");
        })
    });
    let first = &cx.errors[0];
    let first_body = serde_json::to_string(&first.def.examples[0].body).expect("JSON serializes");
    let first_code = &first.def.code;
    let set_rid = if cx.request_id_required {
        quote!(String::from("req_display"))
    } else {
        quote!(Some(String::from("req_display")))
    };
    let backoff: Vec<_> = (0..6u32)
        .map(|n| {
            (
                Literal::u32_unsuffixed(n),
                Literal::u64_unsuffixed(r.backoff_delay_ms(n)),
            )
        })
        .collect();
    let (bn, bms): (Vec<_>, Vec<_>) = backoff.into_iter().unzip();
    let docs_base = format!("{}/", cx.catalog.api.docs_url);
    quote! {
        #[test]
        fn unknown_codes_parse_and_keep_code_and_details() {
            const B503: &str = #b503;
            const B429: &str = #b429;
            const B418: &str = #b418;
            const HTTP_DATE: &str = "Wed, 21 Oct 2015 07:28:00 GMT";
            let error = #ty::from_json(B503).expect("an unknown code parses");
            assert_eq!(error.code(), None);
            assert_eq!(error.code_str(), #future);
            match &error.kind {
                ErrorKind::#unknown { code, details } => {
                    assert_eq!(code, #future);
                    let a = details.as_ref().and_then(|d| d.get("a"));
                    assert_eq!(a.cloned(), Some(Value::from(1)));
                }
                other => panic!("parsed as {other:?}"),
            }
            assert!(error.is_retryable());
            assert_eq!(error.retry_decision(0, None), #u503);
            let back = serde_json::to_value(&error).expect("serializes");
            let body: Value = serde_json::from_str(B503).expect("JSON");
            let same = same_json(&back, &body);
            assert!(same);

            let limited = #ty::from_json(B429).expect("parses");
            assert!(limited.is_retryable());
            let expected = #u429h;
            assert_eq!(limited.retry_decision(0, Some("7")), expected);
            let expected = #u429;
            assert_eq!(limited.retry_decision(0, Some(HTTP_DATE)), expected);

            let teapot = #ty::from_json(B418).expect("parses");
            let not_retryable = !teapot.is_retryable();
            assert!(not_retryable);
            let decision = teapot.retry_decision(0, Some("7"));
            assert_eq!(decision, RetryDecision::DoNotRetry);
        }

        #extra

        #[test]
        fn malformed_bodies_are_errors() {
            for body in ["", "not json", "{}", "[]", "null", r#"{"error": 1, "message": "m", "code": 400}"#, r#"{"error": "x", "message": "m", "code": "400"}"#, r#"{"error": "x", "code": 400}"#] {
                let err = #ty::from_json(body).expect_err(body);
                let text = err.to_string();
                assert!(text.starts_with("invalid error body: "), "{err}");
                let once = text.matches("invalid error body").count() == 1;
                assert!(once, "the prefix is repeated: {err}");
            }
            #bad_details
        }

        #[test]
        fn display_carries_code_message_and_request_id() {
            const EXAMPLE: Example = Example {
                body: #first_body,
                message: "",
            };
            let mut error = #ty::from_json(EXAMPLE.body).expect("parses");
            error.request_id = #set_rid;
            let shown = error.to_string();
            assert!(shown.contains(#first_code), "{shown}");
            let has_message = shown.contains(error.message.as_str());
            assert!(has_message, "{shown}");
            assert!(shown.contains("req_display"), "{shown}");
            let boxed: Box<dyn std::error::Error> = Box::new(error);
            assert_eq!(boxed.to_string(), shown);
        }

        #[test]
        fn codes_round_trip_as_strings() {
            for code in ErrorCode::ALL {
                let parsed: Result<ErrorCode, _> = code.as_str().parse();
                assert_eq!(parsed, Ok(code));
                assert_eq!(code.to_string(), code.as_str());
                let json = serde_json::to_value(code).expect("serializes");
                assert_eq!(json, Value::from(code.as_str()));
                let back: ErrorCode = serde_json::from_value(json).expect("parses");
                assert_eq!(back, code);
                let url = code.docs_url();
                let documented = url.starts_with(#docs_base);
                assert!(documented, "{url}");
                let category = code.category();
                let known = Category::ALL.contains(&category);
                assert!(known);
                let listed = category.codes().any(|c| c == code);
                assert!(listed);
                assert_eq!(code.is_retryable(), code.retry_policy().is_retryable());
            }
            let unknown: Result<ErrorCode, _> = "no_such_code_at_all_x".parse();
            assert!(unknown.is_err());
        }

        #[test]
        fn backoff_follows_the_catalog() {
            #( assert_eq!(RETRY.backoff_delay(#bn), Duration::from_millis(#bms)); )*
            let wait = RetryPolicy::AfterDelay {
                delay_field: Option::None,
            };
            assert_eq!(RetryPolicy::for_status(429), wait);
            let back_off = RetryPolicy::Backoff {
                delay_field: Option::None,
            };
            assert_eq!(RetryPolicy::for_status(502), back_off);
            assert_eq!(RetryPolicy::for_status(404), RetryPolicy::Never);
        }
    }
    });
}

/// The file's docs, `use` items and the helpers every example's test calls.
fn head(cx: &Cx) -> TokenStream {
    let krate = format_ident!("{}", cx.catalog.api.packages.rust.replace('-', "_"));
    let ty = &cx.error_type;
    let last = Literal::u32_unsuffixed(cx.catalog.retry.max_attempts.saturating_sub(1));
    // `use` items in rustfmt's order.
    let mut uses = [
        (krate.to_string(), quote!(use #krate::*;)),
        (
            "serde_json".to_string(),
            quote!(
                use serde_json::Value;
            ),
        ),
        (
            "std".to_string(),
            quote!(
                use std::time::Duration;
            ),
        ),
    ];
    uses.sort_by(|a, b| super::version_cmp(&a.0, &b.0));
    let uses = uses.map(|(_, u)| u);
    // The tests build every example, deprecated codes included.
    let allow_deprecated = cx
        .catalog
        .errors
        .iter()
        .any(|e| e.deprecated.is_some())
        .then(|| quote!(#![allow(deprecated)]));

    quote! {
        //! Tests generated from the catalog's examples: each parses to its typed variant, serializes
        //! back to the same JSON, and its constructor rebuilds the same body; plus unknown codes,
        //! malformed bodies, retry decisions and (feature `axum`) responses through a `Router`.
        #allow_deprecated

        #( #uses )*

        /// JSON equality where `1` and `1.0` are the same number.
        fn same_json(a: &Value, b: &Value) -> bool {
            match (a, b) {
                (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
                (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b)),
                (Value::Object(x), Value::Object(y)) => {
                    let same = |(k, v): (&String, &Value)| {
                        let w = y.get(k);
                        w.is_some_and(|w| same_json(v, w))
                    };
                    x.len() == y.len() && x.iter().all(same)
                }
                _ => a == b,
            }
        }

        /// An example's body and message, as consts: a struct literal keeps long strings on the
        /// line of their field in both prettyplease and rustfmt.
        struct Example {
            body: &'static str,
            message: &'static str,
        }

        /// Parses an example, checks that it serializes back to the same JSON and that a
        /// client gives up on it after the last attempt; returns it as JSON and parsed.
        fn parse_example(example: &Example) -> (Value, #ty) {
            let body = serde_json::from_str::<Value>(example.body);
            let body = body.expect("the example is JSON");
            let error = #ty::from_json(example.body);
            let error = error.expect("the example parses");
            let back = serde_json::to_value(&error).expect("serializes");
            let same = same_json(&back, &body);
            assert!(same, "round trip:\n{back}\n{body}");
            let last = error.retry_decision(#last, Some("7"));
            assert_eq!(last, RetryDecision::DoNotRetry);
            (body, error)
        }

        /// Checks an error built by a constructor against its example (message, status, body);
        /// returns its headers, names lowercased, sorted.
        fn check_built(example: &Example, body: &Value, built: &#ty, status: u16) -> Vec<(String, String)> {
            assert_eq!(built.message, example.message);
            assert_eq!(built.status, status);
            let sent = serde_json::to_value(built).expect("serializes");
            let same = same_json(&sent, body);
            assert!(same, "constructor:\n{sent}\n{body}");
            let mut headers: Vec<(String, String)> = built.headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.clone())).collect();
            headers.sort();
            headers
        }

        /// Sends the error through an axum `Router` and checks the response: status, content
        /// type, every header of the error, and the body.
        #[cfg(feature = "axum")]
        fn over_http(built: &#ty, body: &Value) {
            use axum::Router;
            use axum::body::{Body, to_bytes};
            use axum::http::Request;
            use axum::routing::get;
            use tower::ServiceExt;
            let runtime = tokio::runtime::Builder::new_current_thread().build();
            let runtime = runtime.expect("a runtime");
            let check = async {
                let error = built.clone();
                let handler = move || {
                    let error = error.clone();
                    async move { Err::<(), #ty>(error) }
                };
                let app = Router::new().route("/", get(handler));
                let request = Request::builder().uri("/").body(Body::empty());
                let request = request.expect("request");
                let response = app.oneshot(request).await.expect("response");
                assert_eq!(response.status().as_u16(), built.status);
                let headers = response.headers();
                let content_type = headers["content-type"].to_str().ok();
                assert_eq!(content_type, Some("application/json"));
                for (name, value) in &built.headers {
                    let sent = headers[name.as_str()].to_str().ok();
                    assert_eq!(sent, Some(value.as_str()));
                }
                let bytes = to_bytes(response.into_body(), usize::MAX).await;
                let bytes = bytes.expect("body");
                let sent: Value = serde_json::from_slice(&bytes).expect("JSON body");
                let same = same_json(&sent, body);
                assert!(same, "over HTTP:\n{sent}\n{body}");
            };
            runtime.block_on(check);
        }

        /// Without the `axum` feature there is no server side to check.
        #[cfg(not(feature = "axum"))]
        fn over_http(_built: &#ty, _body: &Value) {}
    }
}
