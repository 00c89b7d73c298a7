use std::error::Error;
use std::time::Duration;

use {{ n.rust_crate }}::{ {{- n.error_type }}, RetryDecision};

/// A failed attempt as your HTTP client reports it: the body and the `Retry-After` header.
struct Failure {
    body: String,
    retry_after: Option<String>,
}

/// Runs `send` until it succeeds or the catalog's retry policy says stop: rate limits wait
/// the delay the error gives, server errors back off, other errors are returned at once.
fn with_retry<T>(
    mut send: impl FnMut() -> Result<T, Failure>,
    sleep: impl Fn(Duration),
) -> Result<T, Box<dyn Error>> {
    let mut attempt = 0;
    loop {
        let failure = match send() {
            Ok(value) => return Ok(value),
            Err(failure) => failure,
        };
        let error = {{ n.error_type }}::from_json(&failure.body)?;
        log_error(&error);
        match error.retry_decision(attempt, failure.retry_after.as_deref()) {
            RetryDecision::RetryAfter(delay) => sleep(delay),
            RetryDecision::DoNotRetry => return Err(error.into()),
        }
        attempt += 1;
    }
}

/// Logs what support needs: the code, the request ID and the details.
fn log_error(error: &{{ n.error_type }}) {
    eprintln!(
        "{{ n.product }} API error: {error} (error_code={}, request_id={}, details={})",
        error.code_str(),
        {% if n.flat && n.request_id_required %}error.request_id.as_str(){% else if n.flat %}error.request_id.as_deref().unwrap_or("-"){% else %}error.field("request_id").and_then(|v| v.as_str()).unwrap_or("-"){% endif %},
        error.details_json().map_or_else(|| "-".to_string(), |d| d.to_string()),
    );
}

fn main() {
    // A request that fails once with a server error, then succeeds.
    let mut calls = 0;
    let result = with_retry(
        || {
            calls += 1;
            if calls == 1 {
                let body = r#"{{ n.server_error_body }}"#;
                Err(Failure { body: body.to_string(), retry_after: None })
            } else {
                Ok("sent")
            }
        },
        |delay| println!("retrying in {delay:?}"), // a real client sleeps here
    );
    assert_eq!(result.ok(), Some("sent"));
}
