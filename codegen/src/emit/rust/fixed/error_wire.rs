//! The typed error; `wire.rs` reads and writes its bodies in the catalog's wire format, and
//! `ErrorKind` and the constructors of each code are in `code.rs`, with the codes.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::{ErrorCode, ErrorKind, RetryDecision, RetryPolicy};

/// An error of the @api API: the code with its typed details ([`ErrorKind`]), the message,
/// the status and the wire's other fields.
///
/// Parse a response with [`Self::from_response`] (or a body with [`Self::from_json`] or
/// serde); build one on a server with the constructor named after the code, and send
/// [`Self::to_json`] with [`Self::response_headers`] and [`Self::CONTENT_TYPE`].
#[derive(Debug, Clone, PartialEq)]
pub struct HueChatError {
    /// The code and its typed details.
    pub kind: ErrorKind,
    /// The message (empty when the body has none).
    pub message: String,
    /// The HTTP status: the body's, else the response's, else the known code's (0 for an
    /// unknown code in a body that carries no status).
    pub status: u16,
    /// The wire's other fields this error carries, by the catalog's name (@fields).
    pub fields: BTreeMap<String, Value>,
    /// Response headers a server sends with the error (name, value), such as
    /// `Retry-After`; set by the constructors, empty when parsed from a body.
    pub headers: Vec<(String, String)>,
}

impl HueChatError {
    /// The `Content-Type` of an error response.
    pub const CONTENT_TYPE: &'static str = crate::wire::CONTENT_TYPE;

    /// Parses an error response body.
    pub fn from_json(body: &str) -> Result<Self, ParseError> {
        Self::from_response(None, &[], body)
    }

    /// Parses an error response: its status (for bodies that carry none), its headers (the
    /// wire may carry the code in one) and its body.
    pub fn from_response(
        status: Option<u16>,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Result<Self, ParseError> {
        let text = body.strip_prefix('\u{feff}').unwrap_or(body);
        let value: Value = serde_json::from_str(text)
            .map_err(|e| ParseError::new(vec![format!("body: not JSON: {e}")]))?;
        if let Some(problem) = crate::check::text_too_deep(text) {
            return Err(ParseError::new(vec![problem]));
        }
        Self::from_value(status, headers, &value)
    }

    /// Types a response whose body was already parsed as JSON.
    pub fn from_value(
        status: Option<u16>,
        headers: &[(&str, &str)],
        body: &Value,
    ) -> Result<Self, ParseError> {
        let header = |name: &str| {
            let found = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name));
            found.map(|(_, v)| (*v).to_owned())
        };
        let invalid = |problem: String| ParseError::new(vec![format!("body: {problem}")]);
        let neutral = crate::wire::read(body, &header).map_err(invalid)?;
        // The pieces the wire carried, checked as the flat envelope's would be; the depth is
        // the body's as received (its neutral form nests differently).
        let problems = crate::check::envelope(body, &Value::Object(neutral.clone()));
        if !problems.is_empty() {
            return Err(ParseError::new(problems));
        }
        let mut neutral = match crate::check::whole_numbers(Value::Object(neutral)) {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        let text = |v: Option<Value>| match v {
            Some(Value::String(s)) => s,
            _ => String::new(),
        };
        let code = text(neutral.remove("error"));
        let message = text(neutral.remove("message"));
        let body_status = neutral.remove("code").and_then(|v| v.as_u64());
        let details = neutral.remove("details");
        let body_status = body_status.and_then(|s| u16::try_from(s).ok());
        let known = code.parse::<ErrorCode>().ok().map(ErrorCode::status);
        // The status the body carries, else the response's (a wire without one in the body).
        let carried = body_status.or(status);
        if let (Some(expected), Some(found)) = (known, carried)
            && expected != found
        {
            let code = Value::from(code.as_str());
            let problem = format!("code: expected {expected} for {code}, found the number {found}");
            return Err(ParseError::new(vec![problem]));
        }
        let kind = ErrorKind::parse(code, details)?;
        Ok(Self {
            kind,
            message,
            status: carried.or(known).unwrap_or(0),
            fields: neutral.into_iter().collect(),
            headers: Vec::new(),
        })
    }

    /// The body as the wire carries it.
    pub fn to_json(&self) -> Value {
        crate::wire::render(&self.neutral(), self.kind.code()).0
    }

    /// Every header of the response: the error's own (`headers`), then the wire's (a
    /// header-borne code).
    pub fn response_headers(&self) -> Vec<(String, String)> {
        let wire = crate::wire::render(&self.neutral(), self.kind.code()).1;
        self.headers.iter().cloned().chain(wire).collect()
    }

    /// The error in the neutral form the wire is read into and written from.
    fn neutral(&self) -> Map<String, Value> {
        let mut out = Map::new();
        out.insert("error".into(), Value::from(self.kind.as_str()));
        out.insert("message".into(), Value::from(self.message.as_str()));
        out.insert("code".into(), Value::from(self.status));
        if let Some(details) = self.kind.details_json() {
            out.insert("details".into(), details);
        }
        for (name, value) in &self.fields {
            out.insert(name.clone(), value.clone());
        }
        out
    }

    /// The code, when this version knows it.
    pub fn code(&self) -> Option<ErrorCode> {
        self.kind.code()
    }

    /// The wire string of the code, known or not.
    pub fn code_str(&self) -> &str {
        self.kind.as_str()
    }

    /// The details as JSON, as they are sent.
    pub fn details_json(&self) -> Option<Value> {
        self.kind.details_json()
    }

    /// A field of the wire by the catalog's name, if this error carries it.
    pub fn field(&self, name: &str) -> Option<&Value> {
        self.fields.get(name)
    }

    /// The code's retry policy; for unknown codes, the one its status implies.
    pub fn retry_policy(&self) -> RetryPolicy {
        match self.kind.code() {
            Some(code) => code.retry_policy(),
            None => RetryPolicy::for_status(self.status),
        }
    }

    /// Whether a client may retry this error at all.
    pub fn is_retryable(&self) -> bool {
        self.retry_policy().is_retryable()
    }

    /// Whether to retry after attempt `attempt` (0-based) failed with this error, and
    /// how long to wait: the details' delay, else the wire's `retry_delay`, else
    /// `retry_after` (the `Retry-After` header, whole seconds).
    pub fn retry_decision(&self, attempt: u32, retry_after: Option<&str>) -> RetryDecision {
        let wire_delay = self.fields.get("retry_delay").and_then(Value::as_str);
        let wire_delay = wire_delay.and_then(crate::wire::duration_seconds);
        let delay = self.kind.delay_seconds().or(wire_delay);
        self.retry_policy().decide(attempt, delay, retry_after)
    }

    /// Sets a field of the wire (by the catalog's name).
    pub fn with_field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.fields.insert(name.into(), value.into());
        self
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The HTTP status as an `http::StatusCode`.
    #[cfg(feature = "http")]
    pub fn status_code(&self) -> http::StatusCode {
        let status = http::StatusCode::from_u16(self.status);
        status.unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// An error as a constructor builds it, before `with_field` and the like.
    pub(crate) fn new(
        message: String,
        kind: ErrorKind,
        status: u16,
        headers: Vec<(String, String)>,
    ) -> Self {
        Self {
            kind,
            message,
            status,
            fields: BTreeMap::new(),
            headers,
        }
    }
}

impl fmt::Display for HueChatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind.as_str())?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(Value::String(id)) = self.fields.get("request_id") {
            write!(f, " (request_id: {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for HueChatError {}

/// The body as the wire carries it ([`HueChatError::to_json`]).
impl Serialize for HueChatError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

/// A body in the wire format (without the response's status and headers).
impl<'de> Deserialize<'de> for HueChatError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_value(None, &[], &value).map_err(serde::de::Error::custom)
    }
}

/// A body that is not a valid error body: not JSON, not in the wire format, or details that
/// do not match their code. It lists every problem found, each starting with its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    problems: Vec<String>,
}

impl ParseError {
    pub(crate) fn new(problems: Vec<String>) -> Self {
        Self { problems }
    }

    /// Every problem, each starting with its path (`details.limit: expected an integer, ...`).
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid error body: {}", self.problems.join("; "))
    }
}

impl std::error::Error for ParseError {}
