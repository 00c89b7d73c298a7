/// A table of `tests/`, parsed.
fn table(text: &str) -> Value {
    serde_json::from_str(text).expect("the table is JSON")
}

fn items<'a>(table: &'a Value, key: &str) -> &'a [Value] {
    table[key].as_array().map_or(&[], Vec::as_slice)
}

#[test]
fn every_body_gets_the_shared_verdict() {
    let bodies = table(include_str!("conformance.json"));
    for case in items(&bodies, "bodies") {
        let name = case["name"].as_str().unwrap_or_default();
        let text = case["json"].as_str().unwrap_or_default();
        let outcome = HueChatError::from_json(text);
        match (case["verdict"].as_str(), outcome) {
            (Some("valid"), Ok(error)) => {
                assert_eq!(error.code_str(), case["code"], "{name}");
                let known = case["known"].as_bool();
                assert_eq!(Some(error.code().is_some()), known, "{name}");
            }
            (Some("invalid"), Err(err)) => {
                let problem = case["problem"].as_str().unwrap_or_default();
                let found = err.problems().iter().any(|p| p.starts_with(problem));
                assert!(found, "{name}: expected {problem:?}, got {err}");
            }
            (verdict, outcome) => panic!("{name}: expected {verdict:?}, got {outcome:?}"),
        }
    }
}

fn decision(ms: &Value) -> RetryDecision {
    match ms.as_u64() {
        Some(ms) => RetryDecision::RetryAfter(Duration::from_millis(ms)),
        None => RetryDecision::DoNotRetry,
    }
}

#[test]
fn retry_decisions_follow_the_shared_table() {
    let retry = table(include_str!("retry_table.json"));
    let values: Vec<Option<&str>> = items(&retry, "retry_after_values")
        .iter()
        .map(Value::as_str)
        .collect();
    for case in items(&retry, "cases") {
        let error = HueChatError::try_from(case["body"].clone());
        let error = error.expect("the body parses");
        for (attempt, row) in (0u32..).zip(items(case, "delays")) {
            let row = row.as_array().map_or(&[][..], Vec::as_slice);
            assert_eq!(row.len(), values.len());
            for (header, expected) in values.iter().zip(row) {
                let what = format!("{error} attempt {attempt} Retry-After {header:?}");
                let decided = error.retry_decision(attempt, *header);
                assert_eq!(decided, decision(expected), "{what}");
            }
        }
    }
    for (n, ms) in (0u32..).zip(items(&retry, "backoff_ms")) {
        let expected = decision(ms).delay().unwrap_or_default();
        assert_eq!(RETRY.backoff_delay(n), expected);
    }
    for case in items(&retry, "sleeps") {
        let error = HueChatError::try_from(case["body"].clone());
        let error = error.expect("the body parses");
        let header = case["retry_after"].as_str();
        let mut slept = Vec::new();
        let decide = |attempt: usize| error.retry_decision(attempt as u32, header);
        while let RetryDecision::RetryAfter(wait) = decide(slept.len()) {
            slept.push(Value::from(wait.as_millis() as u64));
        }
        assert_eq!(slept, items(case, "sleeps"), "{error}");
    }
}
