//! The fuzz step's Rust runner: one verdict line per line of a JSONL file of
//! `[body text, headers or null, response status or null]`.

use huechat_errors::{HueChatError, RetryDecision};
use serde_json::{Value, json};
use std::io::Write;

fn verdict(text: &str, headers: &[(&str, &str)], status: Option<u16>) -> Value {
    // A flat crate reads the body alone; the step puts `from_response` here for another wire.
    let _ = (headers, status);
    match HueChatError::from_json(text) {
        Ok(error) => {
            // What a client does with an error next must not fail either.
            let _ = (error.to_string(), serde_json::to_string(&error));
            let delay = match error.retry_decision(0, None) {
                RetryDecision::RetryAfter(wait) => json!(wait.as_millis() as u64),
                RetryDecision::DoNotRetry => Value::Null,
            };
            json!(["valid", error.code_str(), error.code().is_some(), delay])
        }
        Err(_) => json!(["invalid"]),
    }
}

fn main() {
    let path = std::env::args().nth(1).expect("the JSONL file");
    let input = std::fs::read_to_string(path).expect("readable");
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    std::panic::set_hook(Box::new(|_| {}));
    for line in input.lines() {
        let (text, headers, status): (String, Option<Vec<(String, String)>>, Option<u16>) =
            serde_json::from_str(line).expect("a body line");
        let headers = headers.unwrap_or_default();
        let pairs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let v = std::panic::catch_unwind(|| verdict(&text, &pairs, status))
            .unwrap_or_else(|_| json!(["crash", "panic"]));
        writeln!(out, "{v}").expect("stdout");
    }
}
