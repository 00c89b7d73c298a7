/// A table of `tests/`, parsed.
fn table(text: &str) -> Value {
    serde_json::from_str(text).expect("the table is JSON")
}

/// Every row of the shared table gets its verdict: valid as the same code (known or not), or
/// invalid. The problem texts are the TypeScript and Python packages' (which name the wire's
/// places); this crate names the envelope's fields, so only the verdict is compared.
#[test]
fn every_body_gets_the_shared_verdict() {
    let bodies = table(include_str!("conformance.json"));
    let rows = bodies["bodies"].as_array().map_or(&[][..], Vec::as_slice);
    for case in rows {
        let name = case["name"].as_str().unwrap_or_default();
        let text = case["json"].as_str().unwrap_or_default();
        let status = case["status"].as_u64().and_then(|s| u16::try_from(s).ok());
        let headers: Vec<(&str, &str)> = case["headers"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default()))
            .collect();
        let outcome = HueChatError::from_response(status, &headers, text);
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
