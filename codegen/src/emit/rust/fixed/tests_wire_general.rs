/// Real-shaped bodies of this wire, from one row each, with what the generator's reference
/// reader finds in them: (status, headers, body, the code it carries, whether it is known).
macro_rules! shapes {
    ($(
        (
            $status:literal,
            [$(($k:literal, $v:literal)),*],
            $body:literal,
            $code:literal,
            $known:literal
        ),
    )*) => {
        /// Every real-shaped body.
        const SHAPES: &[(u16, &[(&str, &str)], &str, &str, bool)] = &[
            $(($status, &[$(($k, $v)),*], $body, $code, $known),)*
        ];
    };
}

shapes! {
    // @shapes
}

#[test]
fn real_shaped_bodies_parse_to_their_codes() {
    for (status, headers, body, code, known) in SHAPES {
        let error = HueChatError::from_response(Some(*status), headers, body);
        let error = error.unwrap_or_else(|e| panic!("{body}: {e}"));
        assert_eq!(error.code_str(), *code, "{body}");
        assert_eq!(error.code().is_some(), *known, "{body}");
        assert_eq!(error.status, *status);
        if !known {
            let policy = RetryPolicy::for_status(*status);
            assert_eq!(error.retry_policy(), policy);
        }
    }
}

#[test]
fn unknown_details_fields_are_ignored() {
    for (status, headers, body, _, known) in SHAPES.iter().filter(|s| s.4) {
        let parsed = HueChatError::from_response(Some(*status), headers, body);
        let parsed = parsed.expect("parses");
        let Some(details) = parsed.details_json() else {
            continue;
        };
        let mut more = details.clone();
        if let Some(map) = more.as_object_mut() {
            map.insert("zzNewerServerField".into(), Value::from("x"));
        }
        let kind = ErrorKind::parse(parsed.code_str().to_owned(), Some(more));
        assert_eq!(kind.expect("parses"), parsed.kind, "{known}");
    }
}

#[test]
fn malformed_bodies_are_errors() {
    for body in ["", "not json", "{}", "[]", "null", "7"] {
        let err = HueChatError::from_json(body).expect_err(body);
        let text = err.to_string();
        assert!(text.starts_with("invalid error body: "), "{err}");
        let once = text.matches("invalid error body").count() == 1;
        assert!(once, "the prefix is repeated: {err}");
    }
}

#[test]
fn display_carries_code_and_message() {
    let (status, headers, body) = RESPONSES[0];
    let error = HueChatError::from_response(Some(status), headers, body);
    let error = error.expect("parses");
    let shown = error.to_string();
    assert!(shown.contains(error.code_str()), "{shown}");
    assert!(shown.contains(error.message.as_str()), "{shown}");
}

#[test]
fn codes_round_trip_as_strings() {
    for code in ErrorCode::ALL {
        let parsed: Result<ErrorCode, _> = code.as_str().parse();
        assert_eq!(parsed, Ok(code));
        let json = serde_json::to_value(code).expect("serializes");
        assert_eq!(json, Value::from(code.as_str()));
        let url = code.docs_url();
        assert!(url.contains(".html#"), "{url}");
        assert_eq!(code.is_retryable(), code.retry_policy().is_retryable());
    }
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
