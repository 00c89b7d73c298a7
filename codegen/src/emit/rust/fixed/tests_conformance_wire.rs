/// A table of `tests/`, parsed.
fn table(text: &str) -> Value {
    serde_json::from_str(text).expect("the table is JSON")
}

fn items<'a>(table: &'a Value, key: &str) -> &'a [Value] {
    table[key].as_array().map_or(&[], Vec::as_slice)
}

/// A row's headers, as a response carries them.
fn headers(case: &Value) -> Vec<(&str, &str)> {
    let headers = case["headers"].as_object().into_iter().flatten();
    headers
        .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default()))
        .collect()
}

/// The status a row's body is sent with: the neutral body's `code`.
fn status(case: &Value) -> Option<u16> {
    let code = case["body"]["code"].as_u64()?;
    u16::try_from(code).ok()
}

/// A row of the retry table as this crate reads it: its body as the wire carries it, with its
/// headers and status.
fn error_of(case: &Value) -> HueChatError {
    let wire = case.get("wire").unwrap_or(&case["body"]);
    let error = HueChatError::from_value(status(case), &headers(case), wire);
    error.expect("the body parses")
}

/// Every row of the shared table gets its verdict: valid as the same code (known or not), or
/// invalid. The problem texts are the TypeScript and Python packages' (which name the wire's
/// places); this crate names the envelope's fields, so only the verdict is compared.
#[test]
fn every_body_gets_the_shared_verdict() {
    let bodies = table(include_str!("conformance.json"));
    for case in items(&bodies, "bodies") {
        let name = case["name"].as_str().unwrap_or_default();
        let text = case["json"].as_str().unwrap_or_default();
        let status = case["status"].as_u64().and_then(|s| u16::try_from(s).ok());
        let outcome = HueChatError::from_response(status, &headers(case), text);
        match (case["verdict"].as_str(), outcome) {
            (Some("valid"), Ok(error)) => {
                assert_eq!(error.code_str(), case["code"], "{name}");
                let known = case["known"].as_bool();
                assert_eq!(Some(error.code().is_some()), known, "{name}");
            }
            (Some("invalid"), Err(err)) => assert!(!err.problems().is_empty(), "{name}"),
            (verdict, outcome) => panic!("{name}: expected {verdict:?}, got {outcome:?}"),
        }
    }
}
