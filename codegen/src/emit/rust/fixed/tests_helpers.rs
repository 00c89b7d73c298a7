/// JSON equality where `1` and `1.0` are the same number.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            let same = |(k, v): (&String, &Value)| {
                let w = y.get(k);
                w.is_some_and(|w| same_json(v, w))
            };
            x.len() == y.len() && x.iter().all(same)
        }
        _ => a == b,
    }
}

/// An example of the catalog and what the crate must make of it.
struct Example {
    code: ErrorCode,
    body: &'static str,
    message: &'static str,
    status: u16,
    /// The error's own headers, names lowercased, sorted.
    headers: &'static [(&'static str, &'static str)],
    /// The first retry decisions: the delays in ms without and with `Retry-After: 7`, `None`
    /// for "do not retry".
    retry: [Option<u64>; 2],
    /// Whether it is sent over HTTP (not as a webhook event).
    http: bool,
}

impl Example {
    fn json(&self) -> Value {
        serde_json::from_str(self.body).expect("the example is JSON")
    }

    /// Parses the example: it reads as its code, serializes back to the same JSON, and its
    /// retry decisions are the catalog's.
    fn parse(&self) -> HueChatError {
        let body = self.json();
        let error = HueChatError::from_json(self.body);
        let error = error.expect("the example parses");
        assert_eq!(error.code(), Some(self.code));
        let back = serde_json::to_value(&error).expect("serializes");
        let same = same_json(&back, &body);
        assert!(same, "round trip:\n{back}\n{body}");
        let delay = |attempt, header| error.retry_decision(attempt, header).delay();
        let ms = |ms: Option<u64>| ms.map(Duration::from_millis);
        assert_eq!(delay(0, None), ms(self.retry[0]));
        assert_eq!(delay(0, Some("7")), ms(self.retry[1]));
        let last_attempt = RETRY.max_attempts.saturating_sub(1);
        assert_eq!(delay(last_attempt, Some("7")), None);
        error
    }

    /// Fails the test: the example parsed as another kind than its code's.
    fn wrong_kind(&self, error: &HueChatError) -> ! {
        panic!("{} parsed as {:?}", self.body, error.kind)
    }

    /// Checks an error built by the code's constructor against the example: message, status,
    /// body, headers, and (feature `axum`, codes sent over HTTP) the response.
    fn check_built(&self, built: HueChatError) {
        let body = self.json();
        assert_eq!(built.message, self.message);
        assert_eq!(built.status, self.status);
        let sent = serde_json::to_value(&built).expect("serializes");
        let same = same_json(&sent, &body);
        assert!(same, "constructor:\n{sent}\n{body}");
        let mut headers: Vec<(String, String)> = built
            .headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect();
        headers.sort();
        let expected: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(headers, expected);
        if self.http {
            over_http(&built, &body);
        }
    }
}

/// Sends the error through an axum `Router` and checks the response: status, content
/// type, every header of the error, and the body.
#[cfg(feature = "axum")]
fn over_http(built: &HueChatError, body: &Value) {
    use axum::Router;
    use axum::body::{Body, to_bytes};
    use axum::http::Request;
    use axum::routing::get;
    use tower::ServiceExt;
    let runtime = tokio::runtime::Builder::new_current_thread().build();
    let runtime = runtime.expect("a runtime");
    let check = async {
        let error = built.clone();
        let handler = move || {
            let error = error.clone();
            async move { Err::<(), HueChatError>(error) }
        };
        let app = Router::new().route("/", get(handler));
        let request = Request::builder().uri("/").body(Body::empty());
        let request = request.expect("request");
        let response = app.oneshot(request).await.expect("response");
        assert_eq!(response.status().as_u16(), built.status);
        let headers = response.headers();
        let content_type = headers["content-type"].to_str().ok();
        let expected = HueChatError::CONTENT_TYPE;
        assert_eq!(content_type, Some(expected));
        for (name, value) in &built.headers {
            let sent = headers[name.as_str()].to_str().ok();
            assert_eq!(sent, Some(value.as_str()));
        }
        let bytes = to_bytes(response.into_body(), usize::MAX).await;
        let bytes = bytes.expect("body");
        let sent: Value = serde_json::from_slice(&bytes).expect("JSON body");
        let same = same_json(&sent, body);
        assert!(same, "over HTTP:\n{sent}\n{body}");
    };
    runtime.block_on(check);
}

/// Without the `axum` feature there is no server side to check.
#[cfg(not(feature = "axum"))]
fn over_http(_built: &HueChatError, _body: &Value) {}

/// A test per example, from one row per example: the body parses to the code's variant
/// and serializes back to the same JSON, the constructor (`built`, with `details` bound to
/// the parsed details) rebuilds the same body with the example's message, status and
/// headers, the first retry decisions are the catalog's (`retry`: the delays in ms without
/// and with `Retry-After: 7`, `None` for "do not retry"), and (feature `axum`, codes
/// delivered over HTTP) the response carries it all. `BODIES` lists every example body, in
/// catalog order.
macro_rules! examples {
    ($(
        mod $module:ident {
            $(
                fn $test:ident: $code:ident $(($details:ident))? => $built:expr, {
                    body: $body:literal,
                    message: $message:literal,
                    status: $status:literal,
                    headers: [$(($name:literal, $value:literal)),* $(,)?],
                    retry: [$without_header:expr, $with_header:expr $(,)?],
                    http: $http:literal,
                }
            )*
        }
    )*) => {
        /// Every example body, in catalog order.
        const BODIES: &[&str] = &[$($($body,)*)*];

        $(
            mod $module {
                use super::{Example, ErrorCode, ErrorKind, HueChatError};

                $(
                    #[test]
                    fn $test() {
                        let example = Example {
                            code: ErrorCode::$code,
                            body: $body,
                            message: $message,
                            status: $status,
                            headers: &[$(($name, $value)),*],
                            retry: [$without_header, $with_header],
                            http: $http,
                        };
                        let error = example.parse();
                        let ErrorKind::$code $(($details))? = &error.kind else {
                            example.wrong_kind(&error)
                        };
                        example.check_built($built);
                    }
                )*
            }
        )*
    };
}
