use std::error::Error;
use std::time::Duration;

use {{ n.rust_crate }}::{ {{- n.error_type }}, RetryDecision, RetryPolicy};

/// A failed attempt as your HTTP client reports it: the status, the headers and the body.
struct Failure {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Failure {
    /// A header's value, by its name in any case.
    fn header(&self, name: &str) -> Option<&str> {
        let found = self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name));
        found.map(|(_, v)| v.as_str())
    }
}

/// Runs `send` until it succeeds or the catalog's retry policy says stop: rate limits wait
/// the delay the error gives, server errors back off, other errors are returned at once. A
/// response that is not an error body (a proxy's 502 page) is retried by its status.
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
        let retry_after = failure.header("Retry-After");
{%- if n.flat %}
        let parsed = {{ n.error_type }}::from_json(&failure.body);
{%- else %}
        let headers: Vec<(&str, &str)> = failure
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let parsed = {{ n.error_type }}::from_response(Some(failure.status), &headers, &failure.body);
{%- endif %}
        let decision = match &parsed {
            Ok(error) => {
                log_error(error);
                error.retry_decision(attempt, retry_after)
            }
            Err(_) => RetryPolicy::for_status(failure.status).decide(attempt, None, retry_after),
        };
        match (decision, parsed) {
            (RetryDecision::RetryAfter(delay), _) => sleep(delay),
            (RetryDecision::DoNotRetry, Ok(error)) => return Err(error.into()),
            (RetryDecision::DoNotRetry, Err(problem)) => return Err(problem.into()),
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
    // Two requests that fail once, then succeed: one with an error the catalog retries, one
    // with a proxy's page instead of an error body.
    let failures = [
        ({{ n.server_error_status }}, r#"{{ n.server_error_body }}"#),
        (502, "<html><body>Bad Gateway</body></html>"),
    ];
    for (status, body) in failures {
        let mut calls = 0;
        let result = with_retry(
            || {
                calls += 1;
                if calls == 1 {
                    let body = body.to_string();
                    Err(Failure { status, headers: Vec::new(), body })
                } else {
                    Ok("sent")
                }
            },
            |delay| println!("retrying in {delay:?}"), // a real client sleeps here
        );
        assert_eq!(result.ok(), Some("sent"));
    }
}
