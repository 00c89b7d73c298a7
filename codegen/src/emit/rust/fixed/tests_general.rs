/// A code no version of this catalog has.
const FUTURE: &str = "@future";

/// A body of `FUTURE` with this status.
fn future_body(status: u16) -> String {
    let body = serde_json::json!({
        "error": FUTURE,
        "message": "Something new",
        "code": status,
        "details": {"a": 1},
        "request_id": "req_future",
    });
    body.to_string()
}

#[test]
fn unknown_codes_parse_and_keep_code_and_details() {
    let error = HueChatError::from_json(&future_body(503));
    let error = error.expect("an unknown code parses");
    assert_eq!(error.code(), None);
    assert_eq!(error.code_str(), FUTURE);
    match &error.kind {
        ErrorKind::@unknown { code, details } => {
            assert_eq!(code, FUTURE);
            let a = details.as_ref().and_then(|d| d.get("a"));
            assert_eq!(a.cloned(), Some(Value::from(1)));
        }
        other => panic!("parsed as {other:?}"),
    }
    assert!(error.is_retryable());
    let expected = @decision_503;
    assert_eq!(error.retry_decision(0, None), expected);
    let back = serde_json::to_value(&error).expect("serializes");
    let body: Value = serde_json::from_str(&future_body(503)).expect("JSON");
    assert!(same_json(&back, &body));

    let limited = HueChatError::from_json(&future_body(429)).expect("parses");
    assert!(limited.is_retryable());
    let expected = @decision_429_seconds;
    assert_eq!(limited.retry_decision(0, Some("7")), expected);
    let expected = @decision_429_date;
    let http_date = "Wed, 21 Oct 2015 07:28:00 GMT";
    assert_eq!(limited.retry_decision(0, Some(http_date)), expected);

    let teapot = HueChatError::from_json(&future_body(418)).expect("parses");
    assert!(!teapot.is_retryable());
    let decision = teapot.retry_decision(0, Some("7"));
    assert_eq!(decision, RetryDecision::DoNotRetry);
}

#[test]
fn unknown_details_fields_are_ignored() {
    for example in BODIES {
        let mut body: Value = serde_json::from_str(example).expect("JSON");
        let Some(details) = body.get_mut("details").and_then(Value::as_object_mut) else {
            continue;
        };
        let extra = serde_json::json!({"nested": [1, 2]});
        details.insert("zz_field_from_a_newer_server".into(), extra);
        let known = HueChatError::from_json(example).expect("parses");
        let error = HueChatError::from_json(&body.to_string()).expect("parses");
        assert_eq!(error.kind, known.kind);
    }
}

#[test]
fn malformed_bodies_are_errors() {
    let bodies = [
        "",
        "not json",
        "{}",
        "[]",
        "null",
        r#"{"error": 1, "message": "m", "code": 400}"#,
        r#"{"error": "x", "message": "m", "code": "400"}"#,
        r#"{"error": "x", "code": 400}"#,
    ];
    for body in bodies {
        let err = HueChatError::from_json(body).expect_err(body);
        let text = err.to_string();
        assert!(text.starts_with("invalid error body: "), "{err}");
        let once = text.matches("invalid error body").count() == 1;
        assert!(once, "the prefix is repeated: {err}");
    }
    // Details of the wrong shape are named.
    for example in BODIES {
        let mut body: Value = serde_json::from_str(example).expect("JSON");
        if body.get("details").is_none() {
            continue;
        }
        body["details"] = Value::from("not an object");
        let err = HueChatError::from_json(&body.to_string());
        let err = err.expect_err(example);
        let text = err.to_string();
        assert!(text.contains("details: expected an object"), "{err}");
        let once = text.matches("invalid error body").count() == 1;
        assert!(once, "the prefix is repeated: {err}");
    }
}

#[test]
fn display_carries_code_message_and_request_id() {
    let mut error = HueChatError::from_json(BODIES[0]).expect("parses");
    error.request_id = Some(String::from("req_display"));
    let shown = error.to_string();
    assert!(shown.contains(error.code_str()), "{shown}");
    assert!(shown.contains(error.message.as_str()), "{shown}");
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
        assert!(url.contains(".html#"), "{url}");
        let category = code.category();
        assert!(Category::ALL.contains(&category));
        assert!(category.codes().any(|c| c == code));
        assert_eq!(code.is_retryable(), code.retry_policy().is_retryable());
    }
    let unknown: Result<ErrorCode, _> = FUTURE.parse();
    assert!(unknown.is_err());
}

#[test]
fn backoff_follows_the_catalog() {
    // @backoff
    let wait = RetryPolicy::AfterDelay { delay_field: None };
    assert_eq!(RetryPolicy::for_status(429), wait);
    let back_off = RetryPolicy::Backoff { delay_field: None };
    assert_eq!(RetryPolicy::for_status(502), back_off);
    assert_eq!(RetryPolicy::for_status(404), RetryPolicy::Never);
}
