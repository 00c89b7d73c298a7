/// The decision a cell of the retry table stands for: a delay in ms, or `null` for "do not retry".
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
        let error = error_of(case);
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
        let error = error_of(case);
        let header = case["retry_after"].as_str();
        let mut slept = Vec::new();
        let decide = |attempt: usize| error.retry_decision(attempt as u32, header);
        while let RetryDecision::RetryAfter(wait) = decide(slept.len()) {
            slept.push(Value::from(wait.as_millis() as u64));
        }
        assert_eq!(slept, items(case, "sleeps"), "{error}");
    }
}
