//! The error envelope ([`ErrorBody`]) and the typed error; `ErrorKind` and the constructors of
//! each code are in `code.rs`, with the codes.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{ErrorCode, ErrorKind, RetryDecision, RetryPolicy};

/// The error envelope as sent on the wire, in wire order. Parses any error body,
/// whatever its code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// @error
    pub error: String,
    /// @message
    pub message: String,
    /// @code
    pub code: u16,
    /// @details
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
    /// @request_id
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// @timestamp
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
}

/// An error of the @api API: the code with its typed details ([`ErrorKind`]) and the rest of
/// the envelope.
///
/// Parse a response body with [`Self::from_json`] (or serde); build one on a server with the
/// constructor named after the code. `Display` shows the code, the message and the
/// `request_id`: log it, support needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Value", into = "ErrorBody")]
pub struct HueChatError {
    /// The code and its typed details.
    pub kind: ErrorKind,
    /// @message
    pub message: String,
    /// The HTTP status (the envelope's `code`).
    pub status: u16,
    /// @request_id
    pub request_id: Option<String>,
    /// @timestamp
    pub timestamp: Option<String>,
    /// Response headers a server sends with the error (name, value), such as
    /// `Retry-After`; set by the constructors, empty when parsed from a body.
    pub headers: Vec<(String, String)>,
}

impl HueChatError {
    /// The `Content-Type` of an error response.
    pub const CONTENT_TYPE: &'static str = "application/json";

    /// Parses an error response body (one leading byte-order mark is ignored).
    pub fn from_json(body: &str) -> Result<Self, ParseError> {
        let text = body.strip_prefix('\u{feff}').unwrap_or(body);
        let value: Value = serde_json::from_str(text)
            .map_err(|e| ParseError::new(vec![format!("body: not JSON: {e}")]))?;
        if let Some(problem) = crate::check::text_too_deep(text) {
            return Err(ParseError::new(vec![problem]));
        }
        Self::try_from(value)
    }

    /// Types an envelope that was already parsed.
    pub fn from_body(body: ErrorBody) -> Result<Self, ParseError> {
        Self::try_from(body)
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
    /// how long to wait. `retry_after` is the response's `Retry-After` header, if any
    /// (whole seconds; other forms count as absent).
    pub fn retry_decision(&self, attempt: u32, retry_after: Option<&str>) -> RetryDecision {
        let delay = self.kind.delay_seconds();
        self.retry_policy().decide(attempt, delay, retry_after)
    }

    /// Sets the `request_id`.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    /// Sets the `timestamp` (RFC 3339).
    pub fn with_timestamp(mut self, timestamp: impl Into<String>) -> Self {
        self.timestamp = Some(timestamp.into());
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

    /// An error as a constructor builds it, before `with_request_id` and the like.
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
            request_id: None,
            timestamp: None,
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
        if let Some(id) = &self.request_id {
            write!(f, " (request_id: {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for HueChatError {}

impl TryFrom<Value> for HueChatError {
    type Error = ParseError;

    /// Checks the envelope (`check::envelope`), then reads it and its details.
    fn try_from(body: Value) -> Result<Self, ParseError> {
        let problems = crate::check::envelope(&body, &body);
        if !problems.is_empty() {
            return Err(ParseError::new(problems));
        }
        let envelope = serde_json::from_value(crate::check::whole_numbers(body));
        let envelope: ErrorBody = envelope.map_err(ParseError::serde)?;
        Self::try_from(envelope)
    }
}

impl TryFrom<ErrorBody> for HueChatError {
    type Error = ParseError;

    /// Reads the code and its details; a known code's status must be the catalog's.
    fn try_from(body: ErrorBody) -> Result<Self, ParseError> {
        let status = body.error.parse::<ErrorCode>().ok().map(ErrorCode::status);
        if let Some(expected) = status.filter(|s| *s != body.code) {
            let (code, found) = (Value::from(body.error.as_str()), body.code);
            let problem = format!("code: expected {expected} for {code}, found the number {found}");
            return Err(ParseError::new(vec![problem]));
        }
        if let Some(other) = body.details.as_ref().filter(|d| !d.is_object()) {
            let problem = format!("details: expected an object, found {other}");
            return Err(ParseError::new(vec![problem]));
        }
        Ok(Self {
            kind: ErrorKind::parse(body.error, body.details)?,
            message: body.message,
            status: body.code,
            request_id: body.request_id,
            timestamp: body.timestamp,
            headers: Vec::new(),
        })
    }
}

impl From<HueChatError> for ErrorBody {
    fn from(error: HueChatError) -> Self {
        ErrorBody {
            error: error.kind.as_str().to_owned(),
            details: error.kind.details_json(),
            message: error.message,
            code: error.status,
            request_id: error.request_id,
            timestamp: error.timestamp,
        }
    }
}

/// A body that is not a valid error body: not JSON, not an envelope, or details that do
/// not match their code. It lists every problem found, each starting with its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    problems: Vec<String>,
}

impl ParseError {
    pub(crate) fn new(problems: Vec<String>) -> Self {
        Self { problems }
    }

    /// A value that passed the checks but that serde could not read (not expected).
    pub(crate) fn serde(e: serde_json::Error) -> Self {
        Self::new(vec![format!("body: {e}")])
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
