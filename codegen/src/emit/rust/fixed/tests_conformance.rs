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

/// A row of the retry table as this crate reads it.
fn error_of(case: &Value) -> HueChatError {
    let error = HueChatError::try_from(case["body"].clone());
    error.expect("the body parses")
}
