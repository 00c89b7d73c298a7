//! Wire formats: how a catalog's errors look on the wire (`api.wire`), as one normalized description.
//!
//! A preset (`flat`, `rfc9457`, `aip193`, `aws_json`) and a custom description both become the
//! same [`Wire`]: a list of [`Member`]s, each a place (a JSON pointer into the body, a member of
//! one typed entry of a list, or a header) with a role (the code, the message, the status, the
//! details, a per-code fact, a constant, or a free field). Emitters read only this form, so a
//! custom description works wherever a preset does.
//!
//! Examples are written in the format-neutral form (`error`, `message`, `code` for the status,
//! `details`, and the wire's free fields by name) and checked as before; [`Wire::render`] turns
//! one into the body and headers the wire carries, and [`Wire::read`] is the reference parser
//! every target's client matches.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::diagnostic::{Diagnostic, Diagnostics, Span, did_you_mean};
use crate::model::{Envelope, EnvelopeFieldName, Format};
use crate::schema::MAX_SAFE_INTEGER;
use crate::yaml::{self, MapReader, Node};

/// How a catalog's errors look on the wire: every member of a body, in the order a server
/// writes them, and the response's content type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Wire {
    /// The preset the description came from, `custom` when the catalog wrote its own.
    pub preset: Preset,
    /// The response's `Content-Type` (`application/problem+json` for RFC 9457).
    pub content_type: String,
    /// Every member, in the order a server writes them. For each role, the members that carry
    /// it are alternatives: a reader takes the first one present, a writer writes every one.
    pub members: Vec<Member>,
}

/// The built-in wire formats, and `custom`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// `{error, message, code, details, request_id, timestamp}` (HueChat's; the default).
    Flat,
    /// RFC 9457 problem details: `type`, `title`, `status`, `detail`, `instance`, and the
    /// details as extension members beside them.
    Rfc9457,
    /// Google's AIP-193 `google.rpc.Status` with an `ErrorInfo` (reason, domain, metadata) and
    /// optional `RetryInfo` and `LocalizedMessage` entries.
    Aip193,
    /// The AWS JSON protocols: `__type` (or the `x-amzn-ErrorType` header), `message`, and the
    /// details as top-level members.
    AwsJson,
    /// Described by the catalog.
    Custom,
}

impl Preset {
    pub const NAMED: [(Preset, &'static str); 4] = [
        (Preset::Flat, "flat"),
        (Preset::Rfc9457, "rfc9457"),
        (Preset::Aip193, "aip193"),
        (Preset::AwsJson, "aws_json"),
    ];

    pub fn name(self) -> &'static str {
        Self::NAMED
            .iter()
            .find(|(p, _)| *p == self)
            .map_or("custom", |(_, n)| n)
    }
}

/// One member of the body, or a header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    /// Its name in the neutral form of an example (`error`, `message`, `code`, `details`, or
    /// the free field's own name); for derived members, the wire's name for it.
    pub name: String,
    pub at: Place,
    #[serde(flatten)]
    pub role: Role,
    /// Whether every body carries it (for alternatives: whether this one is always written).
    pub required: bool,
    pub description: String,
}

/// Where a member lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Place {
    /// A response header (matched case-insensitively).
    Header { header: String },
    /// A JSON pointer (RFC 6901) from the body's root; `""` is the root itself (details as
    /// top-level members). With `entry`, the pointer names a list and the member is at
    /// `entry.pointer` inside the one element whose `entry.key` equals `entry.value`.
    Body {
        pointer: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        entry: Option<Entry>,
    },
}

/// One typed element of a list (`{"@type": "type.googleapis.com/google.rpc.ErrorInfo", ...}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub key: String,
    pub value: String,
    pub pointer: String,
}

/// What a member carries.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    /// The code, in `form`.
    Code { form: CodeForm },
    /// The message (a string).
    Message,
    /// The HTTP status (an integer).
    Status,
    /// The details object; at the root (`""`), the details are the body's other members.
    Details,
    /// The code's `title` (RFC 9457; AIP-193's `Help` link text), a fixed string per code.
    Title,
    /// The code's canonical `google.rpc.Code` name (`NOT_FOUND`), a fixed string per code.
    GrpcStatus,
    /// The code's docs URL, a fixed string per code.
    DocsUrl,
    /// The same string in every body (AIP-193's `domain`).
    Constant { value: String },
    /// A value a server sets per response (`request_id`, `instance`).
    Field {
        #[serde(rename = "type")]
        kind: FieldType,
        #[serde(skip_serializing_if = "Option::is_none")]
        format: Option<Format>,
    },
    /// A server delay as a protobuf JSON `Duration` (`"30s"`, `"1.5s"`): AIP-193's
    /// `RetryInfo.retryDelay`. Clients wait it (rounded up to whole seconds) before `Retry-After`.
    RetryDelay,
}

/// How the code is written in its member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeForm {
    /// The code as the catalog writes it.
    Plain,
    /// The code's RFC 9457 `type` URI; a reader maps known URIs to codes and keeps others
    /// as the unknown code.
    TypeUri,
    /// The code, possibly with a namespace before `#` and a URL after `:`
    /// (`aws.protocoltests#ResourceNotFoundException:http://...`): a reader keeps the part
    /// after the first `#` and before the first `:` that follows it.
    AwsShape,
    /// The code as a JSON integer (Twilio's `20404`, JSON-RPC's `-32602`): every code of the
    /// catalog is a decimal integer within JavaScript's safe range, and a reader takes any
    /// whole number in that range (`20404.0` too) as its decimal text.
    Integer,
}

impl CodeForm {
    pub fn name(self) -> &'static str {
        match self {
            Self::Plain => "plain",
            Self::TypeUri => "type_uri",
            Self::AwsShape => "aws_shape",
            Self::Integer => "integer",
        }
    }

    /// The code a reader takes from a value in this form (before any type-URI lookup).
    pub fn sanitize(self, value: &str) -> &str {
        match self {
            Self::AwsShape => {
                let v = value.split_once('#').map_or(value, |(_, v)| v);
                v.split_once(':').map_or(v, |(v, _)| v)
            }
            Self::Plain | Self::TypeUri | Self::Integer => value,
        }
    }
}

/// The JSON type of a free field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    String,
    Integer,
    /// A protobuf JSON `Duration` string (`"30s"`); only the retry delay has it.
    Duration,
}

/// What the wire says about one code, beyond the catalog's own keys: filled for the roles the
/// wire has, `None` otherwise.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CodeWire {
    /// RFC 9457 `type` (by default the code's docs URL).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_uri: Option<String>,
    /// RFC 9457 `title` and AIP-193 `Help` text (by default the code's description).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// AIP-193 `status`, a `google.rpc.Code` name (by default from the HTTP status).
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    pub grpc_status: Option<String>,
    /// The link the wire's docs member carries when the code names its own page (Twilio's
    /// `more_info`); by default the code's section of the generated docs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<String>,
}

impl CodeWire {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The `google.rpc.Code` names, with the HTTP status each maps to (google/rpc/code.proto).
pub const GRPC_CODES: [(&str, u16); 16] = [
    ("CANCELLED", 499),
    ("UNKNOWN", 500),
    ("INVALID_ARGUMENT", 400),
    ("DEADLINE_EXCEEDED", 504),
    ("NOT_FOUND", 404),
    ("ALREADY_EXISTS", 409),
    ("PERMISSION_DENIED", 403),
    ("UNAUTHENTICATED", 401),
    ("RESOURCE_EXHAUSTED", 429),
    ("FAILED_PRECONDITION", 400),
    ("ABORTED", 409),
    ("OUT_OF_RANGE", 400),
    ("UNIMPLEMENTED", 501),
    ("INTERNAL", 500),
    ("UNAVAILABLE", 503),
    ("DATA_LOSS", 500),
];

/// The canonical code an HTTP status implies when a code does not name one: the first of
/// `GRPC_CODES` that maps to it, except 409, which is `ALREADY_EXISTS` rather than `ABORTED`.
pub fn grpc_status_for(status: u16) -> Option<&'static str> {
    Some(match status {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ALREADY_EXISTS",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        500 => "INTERNAL",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => return None,
    })
}

const GOOGLE_TYPE: &str = "type.googleapis.com/google.rpc.";

fn body(pointer: &str) -> Place {
    Place::Body {
        pointer: pointer.into(),
        entry: None,
    }
}

fn google_entry(kind: &str, pointer: &str) -> Place {
    Place::Body {
        pointer: "/error/details".into(),
        entry: Some(Entry {
            key: "@type".into(),
            value: format!("{GOOGLE_TYPE}{kind}"),
            pointer: pointer.into(),
        }),
    }
}

fn member(name: &str, at: Place, role: Role, required: bool, description: &str) -> Member {
    Member {
        name: name.into(),
        at,
        role,
        required,
        description: description.into(),
    }
}

fn string_field() -> Role {
    Role::Field {
        kind: FieldType::String,
        format: None,
    }
}

impl Wire {
    /// HueChat's envelope, described by the catalog's `envelope` section.
    pub fn flat(envelope: &Envelope) -> Wire {
        let members = envelope
            .fields
            .iter()
            .map(|f| {
                let role = match f.name {
                    EnvelopeFieldName::Error => Role::Code {
                        form: CodeForm::Plain,
                    },
                    EnvelopeFieldName::Message => Role::Message,
                    EnvelopeFieldName::Code => Role::Status,
                    EnvelopeFieldName::Details => Role::Details,
                    EnvelopeFieldName::RequestId | EnvelopeFieldName::Timestamp => Role::Field {
                        kind: FieldType::String,
                        format: f.name.format(),
                    },
                };
                let name = f.name.as_str();
                member(
                    name,
                    body(&format!("/{name}")),
                    role,
                    f.required,
                    &f.description,
                )
            })
            .collect();
        Wire {
            preset: Preset::Flat,
            content_type: "application/json".into(),
            members,
        }
    }

    /// RFC 9457 problem details.
    pub fn rfc9457() -> Wire {
        let members = vec![
            member(
                "type",
                body("/type"),
                Role::Code {
                    form: CodeForm::TypeUri,
                },
                true,
                "A URI identifying the problem type: the code's section in the docs.",
            ),
            member(
                "title",
                body("/title"),
                Role::Title,
                true,
                "A short summary of the problem type; the same for every occurrence.",
            ),
            member(
                "code",
                body("/status"),
                Role::Status,
                true,
                "The HTTP status code.",
            ),
            member(
                "message",
                body("/detail"),
                Role::Message,
                true,
                "An explanation specific to this occurrence.",
            ),
            member(
                "instance",
                body("/instance"),
                string_field(),
                false,
                "A URI reference identifying this occurrence.",
            ),
            member(
                "details",
                body(""),
                Role::Details,
                false,
                "The code's details, as extension members beside the standard ones.",
            ),
        ];
        Wire {
            preset: Preset::Rfc9457,
            content_type: "application/problem+json".into(),
            members,
        }
    }

    /// Google's AIP-193 error model.
    pub fn aip193(domain: &str) -> Wire {
        let members = vec![
            member(
                "code",
                body("/error/code"),
                Role::Status,
                true,
                "The HTTP status code.",
            ),
            member(
                "message",
                body("/error/message"),
                Role::Message,
                true,
                "A developer-facing explanation of the error.",
            ),
            member(
                "status",
                body("/error/status"),
                Role::GrpcStatus,
                true,
                "The canonical `google.rpc.Code` name.",
            ),
            member(
                "error",
                google_entry("ErrorInfo", "/reason"),
                Role::Code {
                    form: CodeForm::Plain,
                },
                true,
                "`ErrorInfo.reason`: the error code.",
            ),
            member(
                "domain",
                google_entry("ErrorInfo", "/domain"),
                Role::Constant {
                    value: domain.into(),
                },
                true,
                "`ErrorInfo.domain`: the service that defines the reason.",
            ),
            member(
                "details",
                google_entry("ErrorInfo", "/metadata"),
                Role::Details,
                false,
                "`ErrorInfo.metadata`: the code's details, every value a string.",
            ),
            member(
                "retry_delay",
                google_entry("RetryInfo", "/retryDelay"),
                Role::RetryDelay,
                false,
                "`RetryInfo.retryDelay`: how long to wait before retrying (`\"30s\"`).",
            ),
            member(
                "help",
                google_entry("Help", "/links/0/description"),
                Role::Title,
                true,
                "`Help.links[0].description`: what the link explains.",
            ),
            member(
                "docs_url",
                google_entry("Help", "/links/0/url"),
                Role::DocsUrl,
                true,
                "`Help.links[0].url`: the code's section in the docs.",
            ),
            member(
                "locale",
                google_entry("LocalizedMessage", "/locale"),
                string_field(),
                false,
                "`LocalizedMessage.locale`: the locale of `localized_message` (`en-US`).",
            ),
            member(
                "localized_message",
                google_entry("LocalizedMessage", "/message"),
                string_field(),
                false,
                "`LocalizedMessage.message`: a message safe to show to end users.",
            ),
        ];
        Wire {
            preset: Preset::Aip193,
            content_type: "application/json".into(),
            members,
        }
    }

    /// The AWS JSON protocols' error shape (`awsJson1_0`, `awsJson1_1`, `restJson1`).
    pub fn aws_json(content_type: &str) -> Wire {
        let aws = Role::Code {
            form: CodeForm::AwsShape,
        };
        let members = vec![
            member(
                "error",
                Place::Header {
                    header: "x-amzn-ErrorType".into(),
                },
                aws.clone(),
                false,
                "The error code (restJson1 sends it here; it wins over the body's).",
            ),
            member(
                "error",
                body("/__type"),
                aws,
                false,
                "The error code, perhaps as `namespace#Code`.",
            ),
            member(
                "message",
                body("/message"),
                Role::Message,
                false,
                "A human-readable explanation.",
            ),
            member(
                "message",
                body("/Message"),
                Role::Message,
                false,
                "The message as some services spell it; read when `message` is absent.",
            ),
            member(
                "details",
                body(""),
                Role::Details,
                false,
                "The error shape's other members.",
            ),
            member(
                "request_id",
                Place::Header {
                    header: "x-amzn-RequestId".into(),
                },
                Role::Field {
                    kind: FieldType::String,
                    format: None,
                },
                false,
                "The request's id, which AWS Support asks for.",
            ),
        ];
        Wire {
            preset: Preset::AwsJson,
            content_type: content_type.into(),
            members,
        }
    }

    /// The members carrying `role`'s kind, in order (the first is the one a reader prefers).
    pub fn with_role(&self, pred: impl Fn(&Role) -> bool) -> impl Iterator<Item = &Member> {
        self.members.iter().filter(move |m| pred(&m.role))
    }

    /// The code's members (alternatives).
    pub fn code_members(&self) -> impl Iterator<Item = &Member> {
        self.with_role(|r| matches!(r, Role::Code { .. }))
    }

    /// The header that may carry the code, if any.
    pub fn code_header(&self) -> Option<&str> {
        self.code_members().find_map(|m| match &m.at {
            Place::Header { header } => Some(header.as_str()),
            Place::Body { .. } => None,
        })
    }

    /// The members a response header carries (the code, a request id), with the header's name,
    /// each header once, in the description's order.
    pub fn header_members(&self) -> Vec<(&str, &Member)> {
        let mut out: Vec<(&str, &Member)> = Vec::new();
        for m in &self.members {
            if let Place::Header { header } = &m.at
                && !out.iter().any(|(h, _)| h.eq_ignore_ascii_case(header))
            {
                out.push((header.as_str(), m));
            }
        }
        out
    }

    /// Whether a body alone always says its code (false when only a header carries it).
    pub fn body_carries_code(&self) -> bool {
        self.code_members()
            .any(|m| matches!(m.at, Place::Body { .. }))
    }

    /// The details member, if the wire carries details.
    pub fn details_member(&self) -> Option<&Member> {
        self.with_role(|r| matches!(r, Role::Details)).next()
    }

    /// Whether the details are the body's top-level members (RFC 9457, AWS).
    pub fn details_inline(&self) -> bool {
        self.details_member().is_some_and(
            |m| matches!(&m.at, Place::Body { pointer, entry: None } if pointer.is_empty()),
        )
    }

    /// The keys that other members take in the details' object, when the details share it
    /// (RFC 9457 and AWS put them beside the envelope's members at the root; a custom wire may
    /// put them beside `code` and `message` in `/error`). Empty when the object is theirs alone.
    pub fn details_neighbours(&self) -> Vec<String> {
        let Some(Member {
            at:
                Place::Body {
                    pointer: base,
                    entry: None,
                },
            ..
        }) = self.details_member()
        else {
            return Vec::new();
        };
        let base = tokens(base);
        let mut out: Vec<String> = Vec::new();
        for m in &self.members {
            if let Place::Body { pointer, .. } = &m.at
                && !matches!(m.role, Role::Details)
            {
                let t = tokens(pointer);
                if t.len() > base.len() && t.starts_with(&base) && !out.contains(&t[base.len()]) {
                    out.push(t[base.len()].clone());
                }
            }
        }
        out
    }

    /// Whether the code is a JSON integer (`form: integer`): then every code is a decimal one.
    pub fn integer_codes(&self) -> bool {
        self.codes_as(CodeForm::Integer)
    }

    /// Whether codes travel as RFC 9457 problem type URIs (`form: type_uri`).
    pub fn type_uri_codes(&self) -> bool {
        self.codes_as(CodeForm::TypeUri)
    }

    /// Whether a member carries the code in `form`.
    fn codes_as(&self, form: CodeForm) -> bool {
        self.code_members().any(|m| m.role == Role::Code { form })
    }

    /// Whether the body has a status member.
    pub fn has_status(&self) -> bool {
        self.with_role(|r| matches!(r, Role::Status))
            .next()
            .is_some()
    }

    /// The keys of an example's neutral form besides `error`, `message`, `code` and `details`:
    /// the free fields and the retry delay, with their JSON type and format.
    pub fn neutral_fields(&self) -> Vec<(&str, FieldType, Option<Format>)> {
        let mut out: Vec<(&str, FieldType, Option<Format>)> = Vec::new();
        for m in &self.members {
            let (kind, format) = match &m.role {
                Role::Field { kind, format } => (*kind, *format),
                Role::RetryDelay => (FieldType::Duration, None),
                _ => continue,
            };
            if !out.iter().any(|(n, ..)| *n == m.name) {
                out.push((&m.name, kind, format));
            }
        }
        out
    }

    /// The body and headers a server sends for an example in the neutral form (`error`,
    /// `message`, `code`, `details`, free fields by name), given what the wire says about its
    /// code. Members whose value the example does not give are left out; members are written
    /// in wire order.
    pub fn render(&self, neutral: &Value, facts: &CodeWire, docs_url: &str) -> Rendered {
        let mut out = Rendered {
            body: Value::Object(Map::new()),
            headers: Vec::new(),
        };
        let code = neutral.get("error").and_then(Value::as_str).unwrap_or("");
        for m in &self.members {
            let value = match &m.role {
                Role::Code { form } => match form {
                    CodeForm::TypeUri => json!(facts.type_uri.as_deref().unwrap_or(code)),
                    CodeForm::Plain | CodeForm::AwsShape => json!(code),
                    CodeForm::Integer => {
                        integer_code(code).map_or_else(|| json!(code), |n| json!(n))
                    }
                },
                // An optional message that is empty is left out, as every package writes it
                // (a body without one reads as an empty message).
                Role::Message => match neutral.get("message") {
                    Some(v) if m.required || v.as_str() != Some("") => v.clone(),
                    _ => continue,
                },
                Role::Status => match neutral.get("code") {
                    Some(v) => v.clone(),
                    None => continue,
                },
                Role::Details => match neutral.get("details") {
                    Some(Value::Object(d)) if !d.is_empty() => Value::Object(d.clone()),
                    _ => continue,
                },
                // A code's facts, absent for a code the catalog does not define (a retired
                // one): every package leaves them out then.
                Role::Title => match &facts.title {
                    Some(t) => json!(t),
                    None => continue,
                },
                Role::GrpcStatus => match &facts.grpc_status {
                    Some(s) => json!(s),
                    None => continue,
                },
                Role::DocsUrl => match facts.docs_url.as_deref().unwrap_or(docs_url) {
                    "" => continue,
                    url => json!(url),
                },
                Role::Constant { value } => json!(value),
                Role::Field { .. } | Role::RetryDelay => match neutral.get(&m.name) {
                    Some(v) => v.clone(),
                    None => continue,
                },
            };
            // Members of one name are alternatives: only the first in the body is written,
            // and a header besides it.
            let first_of_role = self
                .members
                .iter()
                .filter(|o| matches!(o.at, Place::Body { .. }))
                .find(|o| o.name == m.name)
                .is_none_or(|o| std::ptr::eq(o, m));
            match &m.at {
                Place::Header { header } => {
                    if let Value::String(s) = value {
                        out.headers.push((header.clone(), s));
                    }
                }
                Place::Body { pointer, entry } if first_of_role => {
                    put(&mut out.body, pointer, entry.as_ref(), value);
                }
                Place::Body { .. } => {}
            }
        }
        out
    }

    /// The reference reader: a body (and a header lookup) to the neutral form, or what is
    /// wrong. `code_of` maps a type URI to its code (unknown URIs stay as they are).
    pub fn read(
        &self,
        body: &Value,
        header: &dyn Fn(&str) -> Option<String>,
        code_of: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Value, String> {
        if !body.is_object() {
            return Err("the body is not a JSON object".into());
        }
        let mut out = Map::new();
        let neighbours = self.details_neighbours();
        // A required place that is missing, kept until the end: a later alternative may
        // still carry its member (clients read the first place present).
        let mut missing = Vec::new();
        for m in &self.members {
            let key = match &m.role {
                Role::Code { .. } => "error",
                Role::Message => "message",
                Role::Status => "code",
                Role::Details => "details",
                Role::Field { .. } | Role::RetryDelay => m.name.as_str(),
                _ => continue,
            };
            if out.contains_key(key) {
                continue;
            }
            let found = match &m.at {
                Place::Header { header: name } => header(name).map(Value::String),
                Place::Body { pointer, entry } => get(body, pointer, entry.as_ref()).cloned(),
            };
            // A header carries an integer code as its decimal text (up to 16 digits after an
            // optional minus, spaces or tabs around them, within `MAX_SAFE_INTEGER`).
            let found = match (found, &m.at, &m.role) {
                (Some(Value::String(s)), Place::Header { .. }, Role::Code { .. })
                    if self.integer_codes() =>
                {
                    let digits = s.trim_matches([' ', '\t']);
                    let unsigned = digits.strip_prefix('-').unwrap_or(digits);
                    let n = ((1..=16).contains(&unsigned.len())
                        && unsigned.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| digits.parse::<i64>().ok())
                    .flatten()
                    .filter(|n| n.abs() <= MAX_SAFE_INTEGER);
                    match n {
                        Some(n) => Some(Value::String(n.to_string())),
                        None => {
                            return Err(format!(
                                "`{}` has the wrong type (string)",
                                describe(&m.at)
                            ));
                        }
                    }
                }
                (found, ..) => found,
            };
            // Details that share their object: every member the others do not take.
            let found = match (found, &m.role) {
                (Some(Value::Object(o)), Role::Details) => {
                    let rest: Map<String, Value> = o
                        .into_iter()
                        .filter(|(k, _)| !neighbours.contains(k))
                        .collect();
                    (!rest.is_empty()).then_some(Value::Object(rest))
                }
                (found, _) => found,
            };
            let Some(v) = found else {
                if m.required {
                    missing.push((key, format!("`{}` is missing", describe(&m.at))));
                }
                continue;
            };
            let v = match (&m.role, v) {
                (Role::Code { form }, Value::String(s)) if *form != CodeForm::Integer => {
                    let s = form.sanitize(&s).to_string();
                    Value::String(match form {
                        CodeForm::TypeUri => code_of(&s).unwrap_or(s),
                        _ => s,
                    })
                }
                (
                    Role::Code {
                        form: CodeForm::Integer,
                    },
                    Value::Number(n),
                ) if let Some(whole) = safe_integer(&n) => Value::String(whole.to_string()),
                (Role::Message | Role::RetryDelay, v @ Value::String(_)) => v,
                (Role::Status, Value::Number(n)) if n.as_u64().is_some() => Value::Number(n),
                (Role::Details, v @ Value::Object(_)) => v,
                (Role::Field { kind, .. }, v) if field_type_ok(*kind, &v) => v,
                (_, v) => {
                    return Err(format!(
                        "`{}` has the wrong type ({})",
                        describe(&m.at),
                        json_kind(&v)
                    ));
                }
            };
            out.insert(key.into(), v);
        }
        if let Some((_, problem)) = missing.into_iter().find(|(key, _)| !out.contains_key(*key)) {
            return Err(problem);
        }
        if !out.contains_key("error") {
            return Err("no member carries the code".into());
        }
        Ok(Value::Object(out))
    }
}

impl Member {
    /// Whether this is one of a custom wire's `constants` (at a plain pointer; AIP-193's
    /// `domain`, the other constant, is in its `ErrorInfo` entry).
    pub fn is_wire_constant(&self) -> bool {
        matches!(self.role, Role::Constant { .. })
            && matches!(self.at, Place::Body { entry: None, .. })
    }

    /// What the member carries, as diagnostics and docs say it.
    pub fn what(&self) -> String {
        match &self.role {
            Role::Code { .. } => "code".into(),
            Role::Message => "message".into(),
            Role::Status => "status".into(),
            Role::Details => "details".into(),
            Role::Title => "title".into(),
            Role::GrpcStatus => "canonical status".into(),
            Role::DocsUrl => "docs link".into(),
            Role::Constant { .. } => format!("constant `{}`", self.name),
            Role::Field { .. } => format!("field `{}`", self.name),
            Role::RetryDelay => "retry delay".into(),
        }
    }
}

/// A rendered example: the body and the headers the wire adds (the code's header).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rendered {
    pub body: Value,
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "pairs")]
    pub headers: Vec<(String, String)>,
}

fn pairs<S: serde::Serializer>(p: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(p.iter().map(|(k, v)| (k, v)))
}

/// A code of the `integer` form as its number: decimal digits, `-` before them for a negative
/// one, no leading zero, within `MAX_SAFE_INTEGER` (`None` for any other text).
pub fn integer_code(code: &str) -> Option<i64> {
    let digits = code.strip_prefix('-').unwrap_or(code);
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && code != "-0";
    if !canonical {
        return None;
    }
    let n: i64 = code.parse().ok()?;
    (n.abs() <= MAX_SAFE_INTEGER).then_some(n)
}

/// A JSON number as the clients read a whole number: `2`, `2.0` and `2e0` alike, within
/// `MAX_SAFE_INTEGER`.
fn safe_integer(n: &serde_json::Number) -> Option<i64> {
    let whole = match (n.as_i64(), n.as_f64()) {
        (Some(i), _) => i,
        #[allow(clippy::cast_possible_truncation)]
        (None, Some(f)) if f.fract() == 0.0 && f.abs() <= MAX_SAFE_INTEGER as f64 => f as i64,
        _ => return None,
    };
    (whole.abs() <= MAX_SAFE_INTEGER).then_some(whole)
}

fn field_type_ok(kind: FieldType, v: &Value) -> bool {
    match kind {
        FieldType::String => v.is_string(),
        FieldType::Duration => v.as_str().and_then(duration_seconds).is_some(),
        FieldType::Integer => v.as_i64().is_some(),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A place as the docs and messages write it: `/error/message`, `/error/details[@type=...]/reason`,
/// `header x-amzn-ErrorType`.
pub fn describe(at: &Place) -> String {
    match at {
        Place::Header { header } => format!("header {header}"),
        Place::Body {
            pointer,
            entry: None,
        } => pointer.clone(),
        Place::Body {
            pointer,
            entry: Some(e),
        } => format!("{pointer}[{}={}]{}", e.key, e.value, e.pointer),
    }
}

/// Whether a pointer token steps into a list: `0` or digits without a leading zero, at most
/// nine (RFC 6901's array index, as every generated client reads it). `read_pointer` rejects
/// other all-digit tokens, which the clients would read differently.
pub fn is_index(token: &str) -> bool {
    token == "0"
        || (!token.is_empty()
            && token.len() <= 9
            && !token.starts_with('0')
            && token.bytes().all(|b| b.is_ascii_digit()))
}

/// The unescaped reference tokens of a JSON pointer (`""` has none).
pub fn tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn step<'v>(v: &'v Value, token: &str) -> Option<&'v Value> {
    match v {
        Value::Object(m) => m.get(token),
        Value::Array(a) => a.get(token.parse::<usize>().ok()?),
        _ => None,
    }
}

fn at_pointer<'v>(v: &'v Value, pointer: &str) -> Option<&'v Value> {
    tokens(pointer).iter().try_fold(v, |v, t| step(v, t))
}

/// The value at a place in a body.
pub fn get<'v>(body: &'v Value, pointer: &str, entry: Option<&Entry>) -> Option<&'v Value> {
    let v = at_pointer(body, pointer)?;
    match entry {
        None => Some(v),
        Some(e) => {
            let item = v
                .as_array()?
                .iter()
                .find(|i| i.get(&e.key).and_then(Value::as_str) == Some(e.value.as_str()))?;
            at_pointer(item, &e.pointer)
        }
    }
}

/// The value at a JSON pointer, mutably.
pub fn get_mut<'v>(body: &'v mut Value, pointer: &str) -> Option<&'v mut Value> {
    tokens(pointer).iter().try_fold(body, |v, t| match v {
        Value::Object(m) => m.get_mut(t),
        Value::Array(a) => a.get_mut(t.parse::<usize>().ok()?),
        _ => None,
    })
}

/// Writes `value` at a place, creating objects (and the typed list entry) on the way.
pub(crate) fn put(body: &mut Value, pointer: &str, entry: Option<&Entry>, value: Value) {
    let target = make_path(body, &tokens(pointer), entry.is_some());
    match entry {
        None => match (target, value) {
            // Details that share their object with other members are merged into it.
            (Value::Object(dst), Value::Object(src)) => dst.extend(src),
            (target, value) => *target = value,
        },
        Some(e) => {
            let Value::Array(items) = target else {
                return;
            };
            let index = match items
                .iter()
                .position(|i| i.get(&e.key).and_then(Value::as_str) == Some(e.value.as_str()))
            {
                Some(i) => i,
                None => {
                    items.push(json!({ e.key.clone(): e.value.clone() }));
                    items.len() - 1
                }
            };
            let item = &mut items[index];
            let inner = make_path(item, &tokens(&e.pointer), false);
            *inner = value;
        }
    }
}

/// The value at `tokens`, created as objects (numeric tokens as list elements) where missing;
/// the last one as a list when `list`.
fn make_path<'v>(mut v: &'v mut Value, tokens: &[String], list: bool) -> &'v mut Value {
    for (i, t) in tokens.iter().enumerate() {
        let last = i + 1 == tokens.len();
        let next_is_index = tokens.get(i + 1).is_some_and(|n| is_index(n));
        let fresh = || {
            if (last && list) || next_is_index {
                Value::Array(Vec::new())
            } else {
                Value::Object(Map::new())
            }
        };
        v = match v {
            Value::Array(a) => {
                let index = t.parse::<usize>().unwrap_or(a.len());
                while a.len() <= index {
                    a.push(Value::Null);
                }
                if a[index].is_null() {
                    a[index] = fresh();
                }
                &mut a[index]
            }
            other => {
                if !other.is_object() {
                    *other = Value::Object(Map::new());
                }
                let Value::Object(m) = other else {
                    unreachable!("made an object just above")
                };
                m.entry(t.clone()).or_insert_with(fresh)
            }
        };
    }
    v
}

/// A protobuf JSON `Duration` (`"30s"`, `"1.5s"`) in whole seconds, rounded up; `None` for
/// anything else (negative durations included).
pub fn duration_seconds(value: &str) -> Option<u64> {
    let digits = value.strip_suffix('s')?;
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 9
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (digits.contains('.') && frac.is_empty())
    {
        return None;
    }
    let secs: u64 = whole.parse().ok()?;
    Some(if frac.bytes().any(|b| b != b'0') {
        secs.saturating_add(1)
    } else {
        secs
    })
}

// ---------------------------------------------------------------------------------------------
// Reading `api.wire` and a code's `wire:`.

/// `api.wire` as read, before the envelope and docs URL it may depend on are known.
#[derive(Debug, Clone)]
pub struct WireSpec {
    pub span: Span,
    pub kind: SpecKind,
}

#[derive(Debug, Clone)]
pub enum SpecKind {
    /// A preset, with its parameters.
    Preset {
        preset: Preset,
        domain: Option<String>,
        content_type: Option<String>,
    },
    /// A custom description, already normalized.
    Custom(Wire, Vec<Span>),
}

/// Reads `api.wire`: a preset name, `{preset, ...parameters}`, or a custom description.
pub fn read_spec(node: &Node, diags: &mut Diagnostics) -> Option<WireSpec> {
    let preset_named = |n: &Node, diags: &mut Diagnostics| {
        let name = yaml::string(n, "a wire preset", diags)?;
        let found = Preset::NAMED
            .iter()
            .find(|(_, s)| *s == name)
            .map(|(p, _)| *p);
        if found.is_none() {
            let mut d = Diagnostic::new(n.span, format!("unknown wire preset `{name}`"))
                .label("not a preset");
            d = match did_you_mean(&name, Preset::NAMED.iter().map(|(_, s)| *s)) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.note(
                    "presets: flat, rfc9457, aip193, aws_json; or describe the wire as a mapping",
                ),
            };
            diags.push(d);
        }
        found
    };
    if let yaml::Value::Str(_) = &node.value {
        let preset = preset_named(node, diags)?;
        return Some(WireSpec {
            span: node.span,
            kind: SpecKind::Preset {
                preset,
                domain: None,
                content_type: None,
            },
        });
    }
    let mut m = MapReader::new(node, "`api.wire`", diags)?;
    if let Some(p) = m.get("preset") {
        let preset = preset_named(p, diags);
        let domain = m.get("domain").and_then(|n| {
            if preset.is_some_and(|p| p != Preset::Aip193) {
                diags.push(
                    Diagnostic::new(
                        n.span,
                        "`domain` is a parameter of the `aip193` preset only",
                    )
                    .label("not for this preset"),
                );
                return None;
            }
            read_domain(n, diags)
        });
        let content_type = m
            .get("content_type")
            .and_then(|n| read_content_type(n, diags));
        m.finish(diags);
        return Some(WireSpec {
            span: node.span,
            kind: SpecKind::Preset {
                preset: preset?,
                domain,
                content_type,
            },
        });
    }
    let wire = read_custom(&mut m, diags);
    m.finish(diags);
    let (wire, spans) = wire?;
    Some(WireSpec {
        span: node.span,
        kind: SpecKind::Custom(wire, spans),
    })
}

fn read_domain(n: &Node, diags: &mut Diagnostics) -> Option<String> {
    let d = yaml::text(n, "`api.wire.domain`", diags)?;
    if d.contains(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-')) {
        diags.push(
            Diagnostic::new(
                n.span,
                "an AIP-193 domain is a DNS name (`pubsub.googleapis.com`)",
            )
            .label("not a domain"),
        );
        return None;
    }
    Some(d)
}

fn read_content_type(n: &Node, diags: &mut Diagnostics) -> Option<String> {
    let v = yaml::text(n, "`api.wire.content_type`", diags)?;
    // RFC 9110 section 8.3.1: `type/subtype`, then `; name=value` parameters (`charset=utf-8`).
    let tok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c))
    };
    let quoted = |s: &str| {
        s.len() >= 2
            && s.starts_with('"')
            && s.ends_with('"')
            && !s[1..s.len() - 1].contains(['"', '\\'])
            && !s.contains(|c: char| c.is_control())
    };
    let mut parts = v.split(';');
    let media = parts.next().unwrap_or("").trim_end_matches([' ', '\t']);
    let ok = media.split_once('/').is_some_and(|(a, b)| tok(a) && tok(b))
        && parts.all(|p| {
            p.trim_matches([' ', '\t'])
                .split_once('=')
                .is_some_and(|(name, value)| tok(name) && (tok(value) || quoted(value)))
        });
    let json =
        media.ends_with("/json") || media.ends_with("+json") || media.contains("/x-amz-json-");
    if !ok || !json {
        diags.push(
            Diagnostic::new(
                n.span,
                format!(
                    "`{v}` is not a JSON media type (`type/subtype`, ending in `json` or `+json`, with `; name=value` parameters if any)"
                ),
            )
            .label("not a JSON media type"),
        );
        return None;
    }
    Some(v)
}

/// One place as a catalog writes it: `/pointer`, `{at: /pointer}`, `{header: Name}` or
/// `{list: /pointer, where: {key: value}, at: /pointer}`, with `required`, `description` and
/// (for the code) `form`.
struct PlaceSpec {
    at: Place,
    required: Option<bool>,
    description: Option<String>,
    form: Option<CodeForm>,
    field: Option<(FieldType, Option<Format>)>,
    span: Span,
}

fn read_pointer(n: &Node, what: &str, diags: &mut Diagnostics) -> Option<String> {
    let p = yaml::string(n, what, diags)?;
    let bad_escape = p
        .match_indices('~')
        .any(|(i, _)| !matches!(p.as_bytes().get(i + 1), Some(b'0' | b'1')));
    if let Some(t) = tokens(&p).into_iter().find(|t| {
        let digits = t.strip_prefix('+').unwrap_or(t);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && !is_index(t)
    }) {
        diags.push(
            Diagnostic::new(n.span, format!("`{t}` in `{p}` is neither a list index nor a name every client reads alike"))
                .label("ambiguous step")
                .help("a list index is `0` or digits without a leading zero (at most nine); a member name needs a letter"),
        );
        return None;
    }
    // JavaScript's own machinery: a TypeScript writer walking `__proto__` would set members on
    // every object of the program.
    if let Some(t) = tokens(&p)
        .into_iter()
        .find(|t| matches!(t.as_str(), "__proto__" | "constructor" | "prototype"))
    {
        diags.push(
            Diagnostic::new(n.span, format!("`{t}` in `{p}` names JavaScript's object machinery"))
                .label("not a member name clients can write")
                .help("a JavaScript client writing the body there would change every object's prototype: name the member otherwise"),
        );
        return None;
    }
    if let Some(t) = tokens(&p)
        .into_iter()
        .find(|t| crate::schema::OPENAPI_TOOL_BREAKERS.contains(&t.as_str()))
    {
        diags.push(
            Diagnostic::new(n.span, format!("`{t}` in `{p}` breaks OpenAPI tools"))
                .label("not a member name OpenAPI tools can read")
                .help("redocly and openapi-typescript call an object's own method of this name and crash on a schema property named so: name the member otherwise"),
        );
        return None;
    }
    // A later list element would make the writers pad the list before it with `null`s, which
    // the typed body does not describe.
    if let Some(t) = tokens(&p).into_iter().find(|t| is_index(t) && t != "0") {
        diags.push(
            Diagnostic::new(
                n.span,
                format!("`{t}` in `{p}` points past a list's first element"),
            )
            .label("only index 0")
            .help("a wire keeps its error in the first element of a list (`/errors/0/code`)"),
        );
        return None;
    }
    let steps = tokens(&p).len();
    if steps > crate::limits::POINTER_STEPS {
        diags.push(
            Diagnostic::new(
                n.span,
                format!(
                    "a wire pointer has at most {} steps, and this one has {steps}",
                    crate::limits::POINTER_STEPS
                ),
            )
            .label("too deep")
            .help("bodies nested this deep pass the JSON readers' limits (catalog/README.md, \"Limits\")"),
        );
        return None;
    }
    if !p.starts_with('/') || bad_escape || p.contains("//") || p.ends_with('/') {
        diags.push(
            Diagnostic::new(
                n.span,
                format!("`{p}` is not a JSON pointer to a member (RFC 6901: `/error/message`)"),
            )
            .label("not a JSON pointer")
            .help("start with `/`, separate member names with `/`, write `~1` for `/` and `~0` for `~` in a name"),
        );
        return None;
    }
    Some(p)
}

fn read_place(n: &Node, role: &str, field: bool, diags: &mut Diagnostics) -> Option<PlaceSpec> {
    if let yaml::Value::Seq(_) = n.value {
        let what = if field {
            "a wire field".to_string()
        } else {
            format!("the {role}")
        };
        diags.push(
            Diagnostic::new(n.span, format!("{what} has one place, not a list of them"))
                .label("a list")
                .help("only the code, the message and the status take alternatives; give one pointer (`/error/data`) or one place (`{ at: /error/data }`)"),
        );
        return None;
    }
    if let yaml::Value::Str(_) = n.value {
        return Some(PlaceSpec {
            at: body(&read_pointer(n, "a wire place", diags)?),
            required: None,
            description: None,
            form: None,
            field: None,
            span: n.span,
        });
    }
    let mut m = MapReader::new(n, "a wire place", diags)?;
    let at = m.get("at");
    let header = m.get("header");
    let list = m.get("list");
    let where_ = m.get("where");
    let required = m
        .get("required")
        .and_then(|r| yaml::boolean(r, "`required`", diags));
    let description = m
        .get("description")
        .and_then(|d| yaml::text(d, "a wire member's `description`", diags));
    let form = if role == "code" {
        m.get("form").and_then(|f| {
            let v = yaml::string(f, "`form`", diags)?;
            match v.as_str() {
                "plain" => Some(CodeForm::Plain),
                "type_uri" => Some(CodeForm::TypeUri),
                "aws_shape" => Some(CodeForm::AwsShape),
                "integer" => Some(CodeForm::Integer),
                _ => {
                    diags.push(
                        Diagnostic::new(f.span, format!("unknown code form `{v}`"))
                            .label("expected `plain`, `type_uri`, `aws_shape` or `integer`"),
                    );
                    None
                }
            }
        })
    } else {
        None
    };
    let field_type = if field {
        let kind = match m.get("type") {
            None => Some(FieldType::String),
            Some(t) => match yaml::string(t, "`type`", diags)?.as_str() {
                "string" => Some(FieldType::String),
                "integer" => Some(FieldType::Integer),
                other => {
                    diags.push(
                        Diagnostic::new(
                            t.span,
                            format!("a wire field is a `string` or an `integer`, not `{other}`"),
                        )
                        .label("unsupported type"),
                    );
                    None
                }
            },
        };
        let format = m.get("format").and_then(|f| {
            let v = yaml::string(f, "`format`", diags)?;
            let found = Format::ALL.iter().find(|x| x.as_str() == v).copied();
            if found.is_none() || kind != Some(FieldType::String) {
                diags.push(
                    Diagnostic::new(f.span, format!("no string format `{v}` for a wire field"))
                        .label("unknown format"),
                );
            }
            found
        });
        Some((kind?, format))
    } else {
        None
    };
    m.finish(diags);
    let place = match (at, header, list, where_) {
        (Some(a), None, None, None) => body(&read_pointer(a, "`at`", diags)?),
        (None, Some(h), None, None) => {
            let name = yaml::text(h, "`header`", diags)?;
            if !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
            {
                diags.push(
                    Diagnostic::new(h.span, format!("`{name}` is not an HTTP header name"))
                        .label("not a header name"),
                );
                return None;
            }
            // Only the code and fields may be in a header; the caller says so of the others.
            if (role == "code" || field)
                && let Some(why) = reserved_header(&name)
            {
                let example = if role == "code" {
                    "X-Error-Code"
                } else {
                    "X-Request-Id"
                };
                diags.push(
                    Diagnostic::new(h.span, format!("the {role} cannot be sent in `{name}`"))
                        .label("a header with another meaning")
                        .help(format!("{why}: name another header (such as `{example}`)")),
                );
                return None;
            }
            Place::Header { header: name }
        }
        (Some(a), None, Some(l), Some(w)) => {
            let pointer = read_pointer(l, "`list`", diags)?;
            let inner = read_pointer(a, "`at`", diags)?;
            let entries = yaml::map(w, "`where`", diags)?;
            let [(k, v)] = entries else {
                diags.push(
                    Diagnostic::new(w.span, "`where` names one member and the value that marks the entry (`\"@type\": type.googleapis.com/google.rpc.ErrorInfo`)")
                        .label("expected one `key: value`"),
                );
                return None;
            };
            if matches!(k.name.as_str(), "__proto__" | "constructor" | "prototype")
                || crate::schema::OPENAPI_TOOL_BREAKERS.contains(&k.name.as_str())
            {
                diags.push(
                    Diagnostic::new(k.span, format!("`{}` names JavaScript's object machinery", k.name))
                        .label("not a member name clients can write")
                        .help("a JavaScript client writing the entry would change its prototype, and OpenAPI tools call an object's `hasOwnProperty` and `valueOf`: name the member otherwise"),
                );
                return None;
            }
            let value = yaml::text(v, "the value in `where`", diags)?;
            Place::Body {
                pointer,
                entry: Some(Entry {
                    key: k.name.clone(),
                    value,
                    pointer: inner,
                }),
            }
        }
        _ => {
            diags.push(
                Diagnostic::new(n.span, "a wire place is `at: /pointer`, `header: Name`, or `list: /pointer` with `where:` and `at:`")
                    .label("say where the member is"),
            );
            return None;
        }
    };
    Some(PlaceSpec {
        at: place,
        required,
        description,
        form,
        field: field_type,
        span: n.span,
    })
}

/// Why a wire member cannot be sent in header `name`, if it cannot.
fn reserved_header(name: &str) -> Option<&'static str> {
    let is = |names: &[&str]| names.iter().any(|r| r.eq_ignore_ascii_case(name));
    if is(crate::validate::SERVER_HEADERS) {
        Some("the HTTP layer writes it")
    } else if is(&["Retry-After"]) {
        Some("every client reads it as the retry delay")
    } else if is(crate::schema::OPENAPI_TOOL_BREAKERS) {
        Some("OpenAPI tools crash on a header named so")
    } else if name.starts_with('$') {
        Some("OpenAPI tools read a key starting with `$` (`$ref`) as a reference or a keyword")
    } else if is(&["__proto__", "constructor", "prototype"]) {
        Some("a JavaScript client writing the headers would set the object's prototype instead")
    } else {
        None
    }
}

/// Whether a piece's first body place is required when a later one is: servers write the
/// first body place only, so an optional one listed first would leave the required one out of
/// every body they send. Reports it otherwise.
fn required_body_place_first(places: &[PlaceSpec], name: &str, diags: &mut Diagnostics) -> bool {
    let mut body = places.iter().filter(|p| matches!(p.at, Place::Body { .. }));
    let Some(first) = body.next() else {
        return true;
    };
    if first.required != Some(false) || body.all(|p| p.required == Some(false)) {
        return true;
    }
    diags.push(
        Diagnostic::new(first.span, format!("an optional place of the {name} is listed before a required one"))
            .label("`required: false`, listed first")
            .help("servers write the first body place, so the required one would be missing from every body: list the required place first (clients read whichever is present)"),
    );
    false
}

/// A custom description: `code`, `message`, `status`, `details`, `fields`, `content_type`.
fn read_custom(m: &mut MapReader<'_>, diags: &mut Diagnostics) -> Option<(Wire, Vec<Span>)> {
    let content_type = m
        .get("content_type")
        .map(|n| read_content_type(n, diags))
        .unwrap_or_else(|| Some("application/json".into()));
    let code = m.require("code", diags);
    let message = m.require("message", diags);
    let status = m.get("status");
    let details = m.get("details");
    let fields = m.get("fields");
    let title = m.get("title");
    let docs_url = m.get("docs_url");
    let retry_delay = m.get("retry_delay");
    let constants = m.get("constants");
    let mut members = Vec::new();
    let mut spans = Vec::new();
    let mut ok = content_type.is_some();
    let alternatives = |n: &Node, role: &str, diags: &mut Diagnostics| -> Vec<PlaceSpec> {
        let items: Vec<&Node> = match &n.value {
            yaml::Value::Seq(items) => items.iter().collect(),
            _ => vec![n],
        };
        items
            .into_iter()
            .filter_map(|i| read_place(i, role, false, diags))
            .collect()
    };
    if let Some(n) = code {
        let places = alternatives(n, "code", diags);
        ok &= !places.is_empty();
        ok &= required_body_place_first(&places, "code", diags);
        if let Some(last) = places.last()
            && places.iter().all(|p| p.required == Some(false))
        {
            diags.push(
                Diagnostic::new(last.span, "no place of the code is required")
                    .label("`required: false`")
                    .help("every body carries the code (clients cannot read one without it): leave `required` out of at least one place"),
            );
            ok = false;
        }
        // Every body place spells the code one way: clients read the places alike.
        let body_forms: Vec<(CodeForm, Span)> = places
            .iter()
            .filter(|p| matches!(p.at, Place::Body { .. }))
            .map(|p| (p.form.unwrap_or(CodeForm::Plain), p.span))
            .collect();
        if let Some((first, _)) = body_forms.first()
            && let Some((other, span)) = body_forms.iter().find(|(f, _)| f != first)
        {
            diags.push(
                Diagnostic::new(*span, "the code's body places spell it differently")
                    .label(format!("`form: {}` here, `{}` before", other.name(), first.name()))
                    .help("give every body place of the code the same `form` (a header carries the code as text)"),
            );
            ok = false;
        }
        for p in places {
            if p.form == Some(CodeForm::Integer) && matches!(p.at, Place::Header { .. }) {
                diags.push(
                    Diagnostic::new(p.span, "a header carries text, not a JSON integer")
                        .label("`form: integer` in a header")
                        .help("leave `form` out: a header's code is read as it is written"),
                );
            }
            spans.push(p.span);
            members.push(Member {
                name: "error".into(),
                at: p.at,
                role: Role::Code {
                    form: p.form.unwrap_or(CodeForm::Plain),
                },
                required: p.required.unwrap_or(true),
                description: p.description.unwrap_or_else(|| "The error code.".into()),
            });
        }
        // A header of a code some body place spells AWS's way (`ns#Code:url`) is read that
        // way too, as every client reads the code's places alike.
        let aws = Role::Code {
            form: CodeForm::AwsShape,
        };
        if members.iter().any(|m| m.role == aws) {
            for m in &mut members {
                if matches!(m.role, Role::Code { .. }) && matches!(m.at, Place::Header { .. }) {
                    m.role = aws.clone();
                }
            }
        }
    }
    for (n, role, name, what) in [
        (
            message,
            Role::Message,
            "message",
            "A human-readable message.",
        ),
        (status, Role::Status, "code", "The HTTP status code."),
    ] {
        let Some(n) = n else { continue };
        // The status's neutral name is `code`; diagnostics say `status`, as the catalog does.
        let shown = if role == Role::Status { "status" } else { name };
        let places = alternatives(n, shown, diags);
        ok &= !places.is_empty();
        ok &= required_body_place_first(&places, shown, diags);
        for p in places {
            if let Place::Header { .. } = p.at {
                diags.push(
                    Diagnostic::new(
                        p.span,
                        format!("the {shown} is read from the body, not a header"),
                    )
                    .label("only the code and wire fields may come from a header"),
                );
                ok = false;
                continue;
            }
            spans.push(p.span);
            members.push(Member {
                name: name.into(),
                at: p.at,
                role: role.clone(),
                required: p.required.unwrap_or(true),
                description: p.description.unwrap_or_else(|| what.into()),
            });
        }
    }
    for (n, role, name, what) in [
        (
            title,
            Role::Title,
            "title",
            "A short summary of the code, the same in every body.",
        ),
        (
            docs_url,
            Role::DocsUrl,
            "docs_url",
            "The code's section in the docs.",
        ),
        (
            retry_delay,
            Role::RetryDelay,
            "retry_delay",
            "How long to wait before retrying, as a duration (`\"30s\"`).",
        ),
    ] {
        let Some(n) = n else { continue };
        match read_place(n, name, false, diags) {
            Some(p) if matches!(p.at, Place::Header { .. }) => {
                diags.push(
                    Diagnostic::new(
                        p.span,
                        format!("the {name} is written in the body, not a header"),
                    )
                    .label("not a body place"),
                );
                ok = false;
            }
            Some(p) => {
                spans.push(p.span);
                members.push(Member {
                    name: name.into(),
                    at: p.at,
                    required: p.required.unwrap_or(!matches!(role, Role::RetryDelay)),
                    role,
                    description: p.description.unwrap_or_else(|| what.into()),
                });
            }
            None => ok = false,
        }
    }
    if let Some(n) = details {
        let p = if n.value == yaml::Value::Str("inline".into()) {
            Some(PlaceSpec {
                at: body(""),
                required: Some(false),
                description: None,
                form: None,
                field: None,
                span: n.span,
            })
        } else {
            read_place(n, "details", false, diags)
        };
        match p {
            Some(p) if matches!(p.at, Place::Header { .. }) => {
                diags.push(
                    Diagnostic::new(
                        p.span,
                        "details are a JSON object in the body, not a header",
                    )
                    .label("not a body place"),
                );
                ok = false;
            }
            Some(p) => {
                spans.push(p.span);
                members.push(Member {
                    name: "details".into(),
                    at: p.at,
                    role: Role::Details,
                    required: p.required.unwrap_or(false),
                    description: p
                        .description
                        .unwrap_or_else(|| "The code's details.".into()),
                });
            }
            None => ok = false,
        }
    }
    if let Some(n) = fields {
        // Each field's name and identifiers in every target, for the collision check.
        let mut named: Vec<(&str, Vec<(&'static str, String)>)> = Vec::new();
        for (k, v) in yaml::map(n, "`api.wire.fields`", diags).unwrap_or(&[]) {
            if matches!(k.name.as_str(), "error" | "message" | "code" | "details")
                || !member_name(&k.name)
            {
                diags.push(
                    Diagnostic::new(k.span, format!("`{}` cannot name a wire field", k.name))
                        .label("reserved or invalid name")
                        .help("a field name matches `^[A-Za-z][A-Za-z0-9_]*$` and is not `error`, `message`, `code` or `details`, which examples use for the code, message, status and details"),
                );
                ok = false;
                continue;
            }
            let ids = crate::emit::wire_field_identifiers(&k.name);
            for (prev, prev_ids) in &named {
                for ((what, a), (_, b)) in ids.iter().zip(prev_ids) {
                    if a == b {
                        diags.push(
                            Diagnostic::new(
                                k.span,
                                format!(
                                    "wire fields `{}` and `{prev}` both become `{a}` in {what}",
                                    k.name
                                ),
                            )
                            .label("identifier collision")
                            .help("rename one of them"),
                        );
                        ok = false;
                    }
                }
            }
            named.push((&k.name, ids));
            let Some(p) = read_place(v, "field", true, diags) else {
                ok = false;
                continue;
            };
            let (kind, format) = p.field.unwrap_or((FieldType::String, None));
            // A field in a response header (a request id): text, and absent from a body read
            // without its response.
            if let Place::Header { .. } = p.at {
                if kind != FieldType::String || format.is_some() {
                    diags.push(
                        Diagnostic::new(
                            p.span,
                            format!(
                                "the wire field `{}` is in a header, which carries text",
                                k.name
                            ),
                        )
                        .label("typed")
                        .help("leave `type` and `format` out of a header field"),
                    );
                    ok = false;
                    continue;
                }
                if p.required == Some(true) {
                    diags.push(
                        Diagnostic::new(p.span, format!("the wire field `{}` is in a header, so it cannot be required", k.name))
                            .label("`required: true`")
                            .help("a body read without its response (from a log, a queue) has no headers: leave `required` out"),
                    );
                    ok = false;
                    continue;
                }
            }
            let required = p.required.unwrap_or(false);
            if let Some(d) = crate::schema::object_member_name(&k.name, required, k.span) {
                diags.push(d);
                ok = false;
            }
            if matches!(k.name.as_str(), "request_id" | "timestamp") && kind != FieldType::String {
                diags.push(
                    Diagnostic::new(k.span, format!("the wire field `{}` must be a string", k.name))
                        .label("typed `integer`")
                        .help("every package reads `request_id` and `timestamp` as text, as in the flat envelope: leave `type` out, or give an integer field another name"),
                );
                ok = false;
            }
            spans.push(p.span);
            members.push(Member {
                name: k.name.clone(),
                at: p.at,
                role: Role::Field { kind, format },
                required: p.required.unwrap_or(false),
                description: p.description.unwrap_or_default(),
            });
        }
    }
    if let Some(n) = constants {
        ok &= read_constants(n, &mut members, &mut spans, diags);
    }
    let wire = Wire {
        preset: Preset::Custom,
        content_type: content_type.clone().unwrap_or_default(),
        members,
    };
    // Places are checked among the members that could be read, whatever else failed.
    let places_ok = check_places(&wire, &spans, diags);
    if !ok || !places_ok || code.is_none() || message.is_none() {
        return None;
    }
    Some((wire, spans))
}

/// Whether `name` may name a wire field or constant: `^[A-Za-z][A-Za-z0-9_]*$`.
fn member_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `api.wire.constants`: members every body carries with one value (JSON-RPC's
/// `"jsonrpc": "2.0"`, a Kubernetes `Status`'s `kind` and `apiVersion`), each `{ at, value,
/// description }` under a name. Servers write them; clients do not read them.
fn read_constants(
    n: &Node,
    members: &mut Vec<Member>,
    spans: &mut Vec<Span>,
    diags: &mut Diagnostics,
) -> bool {
    let mut ok = true;
    for (k, v) in yaml::map(n, "`api.wire.constants`", diags).unwrap_or(&[]) {
        let taken = members.iter().any(|m| m.name == k.name)
            || matches!(
                k.name.as_str(),
                "error" | "message" | "code" | "details" | "title" | "docs_url" | "retry_delay"
            );
        if taken || !member_name(&k.name) {
            diags.push(
                Diagnostic::new(k.span, format!("`{}` cannot name a wire constant", k.name))
                    .label("taken, reserved or invalid name")
                    .help("a constant's name matches `^[A-Za-z][A-Za-z0-9_]*$` and is not a wire field's or a piece's (`error`, `message`, `code`, `details`, `title`, `docs_url`, `retry_delay`)"),
            );
            ok = false;
            continue;
        }
        let Some(mut c) = MapReader::new(v, "a wire constant", diags) else {
            ok = false;
            continue;
        };
        let at = c
            .require("at", diags)
            .and_then(|a| read_pointer(a, "`at`", diags));
        let value = c
            .require("value", diags)
            .and_then(|v| yaml::text(v, "a wire constant's `value`", diags));
        let description = c
            .get("description")
            .and_then(|d| yaml::text(d, "a wire constant's `description`", diags));
        c.finish(diags);
        let (Some(at), Some(value)) = (at, value) else {
            ok = false;
            continue;
        };
        spans.push(v.span);
        members.push(Member {
            name: k.name.clone(),
            at: body(&at),
            description: {
                let always = format!("Always `{}`.", value.replace('`', "'"));
                description.map_or(always.clone(), |d| format!("{d} {always}"))
            },
            role: Role::Constant { value },
            required: true,
        });
    }
    ok
}

/// Two members at one place, or one inside another's value: a body cannot hold both.
fn check_places(wire: &Wire, spans: &[Span], diags: &mut Diagnostics) -> bool {
    let mut ok = true;
    let key = |at: &Place| -> Option<Vec<String>> {
        match at {
            Place::Header { header } => {
                Some(vec![format!("header:{}", header.to_ascii_lowercase())])
            }
            Place::Body { pointer, entry } => {
                let mut t = tokens(pointer);
                if let Some(e) = entry {
                    t.push(format!("[{}={}]", e.key, e.value));
                    t.extend(tokens(&e.pointer));
                }
                Some(t)
            }
        }
    };
    for (i, a) in wire.members.iter().enumerate() {
        let Some(ka) = key(&a.at) else { continue };
        for b in &wire.members[..i] {
            let Some(kb) = key(&b.at) else { continue };
            let (short, long) = if ka.len() <= kb.len() {
                (&ka, &kb)
            } else {
                (&kb, &ka)
            };
            let shorter = if ka.len() <= kb.len() { a } else { b };
            let shared = ka != kb
                && matches!(shorter.role, Role::Details)
                && matches!(shorter.at, Place::Body { entry: None, .. });
            if long.starts_with(short) && !shared {
                let what = if ka == kb {
                    format!("two wire members are at `{}`", describe(&a.at))
                } else {
                    format!(
                        "`{}` is inside `{}`, which holds the {}",
                        describe(if ka.len() > kb.len() { &a.at } else { &b.at }),
                        describe(if ka.len() > kb.len() { &b.at } else { &a.at }),
                        if ka.len() > kb.len() {
                            b.what()
                        } else {
                            a.what()
                        }
                    )
                };
                diags.push(
                    Diagnostic::new(spans[i], what)
                        .label(format!("the {} is here", a.what()))
                        .note(format!("the {} is at `{}`", b.what(), describe(&b.at)))
                        .help("give each member its own place"),
                );
                ok = false;
            }
        }
    }
    ok
}

/// The normalized wire of a spec, given the envelope (for `flat`) and the docs URL (the default
/// AIP-193 domain is its host).
pub fn resolve(spec: Option<&WireSpec>, envelope: Option<&Envelope>, docs_url: &str) -> Wire {
    let default_flat = || match envelope {
        Some(e) => Wire::flat(e),
        None => Wire::flat(&Envelope::standard()),
    };
    let Some(spec) = spec else {
        return default_flat();
    };
    match &spec.kind {
        SpecKind::Custom(w, _) => w.clone(),
        SpecKind::Preset {
            preset,
            domain,
            content_type,
        } => {
            let mut wire = match preset {
                Preset::Flat | Preset::Custom => default_flat(),
                Preset::Rfc9457 => Wire::rfc9457(),
                Preset::Aip193 => {
                    let host = docs_url
                        .split_once("://")
                        .map_or(docs_url, |(_, r)| r)
                        .split(['/', ':'])
                        .next()
                        .unwrap_or("");
                    Wire::aip193(domain.as_deref().unwrap_or(host))
                }
                Preset::AwsJson => Wire::aws_json("application/x-amz-json-1.1"),
            };
            if let Some(ct) = content_type {
                wire.content_type = ct.clone();
            }
            wire
        }
    }
}

/// A code's `wire:` as read: `type`, `title`, `status`, each with its place.
#[derive(Debug, Default)]
pub struct CodeWireSpec {
    pub type_uri: Option<(String, Span)>,
    pub title: Option<(String, Span)>,
    pub grpc_status: Option<(String, Span)>,
    pub docs_url: Option<(String, Span)>,
}

pub fn read_code_spec(node: &Node, diags: &mut Diagnostics) -> CodeWireSpec {
    let Some(mut m) = MapReader::new(node, "a code's `wire`", diags) else {
        return CodeWireSpec::default();
    };
    let mut text = |key: &'static str, diags: &mut Diagnostics| {
        m.get(key).and_then(|n| {
            let v = yaml::text(n, &format!("`wire.{key}`"), diags)?;
            Some((v, n.span))
        })
    };
    let type_uri = text("type", diags);
    let title = text("title", diags);
    let grpc_status = text("status", diags);
    let docs_url = text("docs_url", diags);
    m.finish(diags);
    // Clients show both as links: only schemes that cannot run script or carry a document.
    if let Some((v, span)) = &docs_url
        && !(crate::schema::format_ok(Format::Uri, v)
            && matches!(scheme(v).as_deref(), Some("http" | "https")))
    {
        diags.push(
            Diagnostic::new(
                *span,
                format!("`{}` is not an http(s) URL (RFC 3986)", v.escape_debug()),
            )
            .label("not a link"),
        );
    }
    if let Some((v, span)) = &type_uri
        && (!uri_reference_chars(v)
            || !(matches!(
                scheme(v).as_deref(),
                Some("http" | "https" | "tag" | "urn" | "about")
            ) || v.starts_with('/') && scheme(v).is_none()))
    {
        diags.push(
            Diagnostic::new(
                *span,
                format!(
                    "`{}` is not a problem type URI: an http(s), `tag:` or `urn:` URI, or a path starting with `/`, of the characters RFC 3986 allows (`%20` for a space)",
                    v.escape_debug()
                ),
            )
            .label("not a type URI"),
        );
    }
    // RFC 9457, 4.2.1: `about:blank` is the type of any problem with no meaning beyond its
    // status, so clients would read every such problem as this code.
    if let Some((v, span)) = &type_uri
        && v.eq_ignore_ascii_case("about:blank")
    {
        diags.push(
            Diagnostic::new(*span, "`about:blank` cannot be one code's type URI")
                .label("every generic problem has it")
                .help("RFC 9457 gives `about:blank` to problems with no meaning beyond their HTTP status, so clients would read each of them as this code; give the code its own URI, or leave `type` out to use its docs URL"),
        );
    }
    CodeWireSpec {
        type_uri,
        title,
        grpc_status,
        docs_url,
    }
}

/// Whether `v` is made only of what RFC 3986 lets a URI reference hold, as the `uri-reference`
/// format of OpenAPI's validators reads it: unreserved and reserved characters but brackets
/// (an IP literal has no place in a problem type), `%` before two hex digits, one `#` at most
/// (no space, `"`, `{`, `}`, `<`, `>`, `\\`, `^`, `` ` ``, `|`, non-ASCII).
fn uri_reference_chars(v: &str) -> bool {
    v.bytes()
        .all(|c| c.is_ascii_alphanumeric() || b"-._~:/?#@!$&'()*+,;=%".contains(&c))
        && crate::schema::percent_escapes_ok(v)
        && v.matches('#').count() <= 1
}

/// The scheme of a URI reference, lowercased, if it has one (`https` of `HTTPS://a`).
fn scheme(uri: &str) -> Option<String> {
    crate::schema::uri_scheme(uri).map(str::to_ascii_lowercase)
}

/// What a code needs to know to be checked against the wire.
pub struct CodeCheck<'a> {
    pub code: &'a str,
    pub code_span: Span,
    pub status: u16,
    pub status_span: Span,
    pub description: &'a str,
    pub docs_url: String,
    pub webhook: bool,
    pub details: Option<&'a crate::model::ObjectSchema>,
    pub details_span: Option<Span>,
    /// Where each top-level details property is named.
    pub property_spans: &'a [(String, Span)],
    pub spec: Option<&'a CodeWireSpec>,
    pub spec_span: Option<Span>,
}

/// The per-code facts of the wire, and every problem the wire has with the code.
pub fn check_code(wire: &Wire, c: &CodeCheck<'_>, diags: &mut Diagnostics) -> Option<CodeWire> {
    let before = diags.len();
    let mut facts = CodeWire::default();
    let has = |pred: fn(&Role) -> bool| wire.members.iter().any(|m| pred(&m.role));
    let none = CodeWireSpec::default();
    let spec = c.spec.unwrap_or(&none);
    let unused = |what: &str, span: Span, diags: &mut Diagnostics| {
        diags.push(
            Diagnostic::new(
                span,
                format!(
                    "`wire.{what}` has no place in this catalog's wire (`{}`)",
                    wire.preset.name()
                ),
            )
            .label("not carried by the wire"),
        );
    };
    if has(|r| {
        matches!(
            r,
            Role::Code {
                form: CodeForm::TypeUri
            }
        )
    }) {
        facts.type_uri = Some(
            spec.type_uri
                .as_ref()
                .map_or_else(|| c.docs_url.clone(), |(v, _)| v.clone()),
        );
    } else if let Some((_, span)) = &spec.type_uri {
        unused("type", *span, diags);
    }
    if has(|r| matches!(r, Role::Title)) {
        facts.title = Some(spec.title.as_ref().map_or_else(
            || c.description.trim_end_matches('.').to_string(),
            |(v, _)| v.clone(),
        ));
    } else if let Some((_, span)) = &spec.title {
        unused("title", *span, diags);
    }
    if has(|r| matches!(r, Role::DocsUrl)) {
        facts.docs_url = spec.docs_url.as_ref().map(|(v, _)| v.clone());
    } else if let Some((_, span)) = &spec.docs_url {
        unused("docs_url", *span, diags);
    }
    if has(|r| matches!(r, Role::GrpcStatus)) {
        match &spec.grpc_status {
            Some((v, span)) => {
                if GRPC_CODES.iter().any(|(n, _)| n == v) {
                    facts.grpc_status = Some(v.clone());
                } else {
                    let mut d =
                        Diagnostic::new(*span, format!("`{v}` is not a `google.rpc.Code` name"))
                            .label("unknown canonical code");
                    if let Some(s) = did_you_mean(v, GRPC_CODES.iter().map(|(n, _)| *n)) {
                        d = d.help(format!("did you mean `{s}`?"));
                    }
                    diags.push(d);
                }
            }
            None => match grpc_status_for(c.status) {
                Some(s) => facts.grpc_status = Some(s.into()),
                // A status that is not an error status was reported where it is.
                None if !(400..=599).contains(&c.status) => {}
                None => {
                    let options: Vec<&str> = GRPC_CODES
                        .iter()
                        .filter(|(_, h)| h / 100 == c.status / 100)
                        .map(|(n, _)| *n)
                        .collect();
                    diags.push(
                        Diagnostic::new(
                            c.status_span,
                            format!(
                                "status {} of `{}` has no canonical `google.rpc.Code`, which AIP-193 bodies carry as `status`",
                                c.status, c.code
                            ),
                        )
                        .label("no canonical code for this status")
                        .help(format!(
                            "give the code `wire: {{ status: ... }}`, one of {}",
                            options.join(", ")
                        )),
                    );
                }
            },
        }
    } else if let Some((_, span)) = &spec.grpc_status {
        unused("status", *span, diags);
    }
    // A webhook payload has no response headers.
    if c.webhook && !wire.body_carries_code() {
        diags.push(
            Diagnostic::new(
                c.code_span,
                format!(
                    "`{}` is delivered by webhook, but this wire carries the code only in the header `{}`, which a webhook payload does not have",
                    c.code,
                    wire.code_header().unwrap_or_default()
                ),
            )
            .label("webhook code")
            .help("give `api.wire.code` a body place too, or deliver the code over HTTP"),
        );
    }
    if let Some(details) = c.details {
        let span = c.details_span.unwrap_or(c.code_span);
        let at = |name: &str| {
            c.property_spans
                .iter()
                .find(|(n, _)| n == name)
                .map_or(span, |(_, s)| *s)
        };
        match wire.details_member() {
            None => diags.push(
                Diagnostic::new(
                    span,
                    format!(
                        "`{}` has details, but this catalog's wire carries none",
                        c.code
                    ),
                )
                .label("no place for details")
                .help("add `details:` to `api.wire`"),
            ),
            Some(_) if wire.preset == Preset::Aip193 => {
                for p in &details.properties {
                    if !matches!(p.schema.kind, crate::model::SchemaKind::String { .. }) {
                        diags.push(
                            Diagnostic::new(
                                at(&p.name),
                                format!(
                                    "AIP-193 carries details as `ErrorInfo.metadata`, a map of strings, but `{}` of `{}` is {}",
                                    p.name,
                                    c.code,
                                    p.schema.kind.type_name()
                                ),
                            )
                            .label("not a string field")
                            .help("make it a string (metadata values are strings), or describe a custom wire that carries typed details"),
                        );
                    } else if p.schema.nullable {
                        diags.push(
                            Diagnostic::new(
                                at(&p.name),
                                format!(
                                    "AIP-193 carries details as `ErrorInfo.metadata`, a map of strings, which holds no `null`, but `{}` of `{}` may be null",
                                    p.name, c.code
                                ),
                            )
                            .label("nullable")
                            .help("write `type: string`, and make the field optional if it may have no value"),
                        );
                    }
                }
            }
            Some(_) => {
                let taken = wire.details_neighbours();
                for p in &details.properties {
                    if taken.contains(&p.name) {
                        diags.push(
                            Diagnostic::new(
                                at(&p.name),
                                format!(
                                    "the details field `{}` of `{}` would sit beside the envelope's members, where the wire already has `{}`",
                                    p.name, c.code, p.name
                                ),
                            )
                            .label("collides with an envelope member")
                            .help("rename the field: this wire puts details beside the envelope's members"),
                        );
                    }
                }
            }
        }
    }
    (diags.len() == before).then_some(facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> CodeWire {
        CodeWire {
            type_uri: Some("https://d.test/e.html#not_found".into()),
            title: Some("Not found".into()),
            grpc_status: Some("NOT_FOUND".into()),
            docs_url: None,
        }
    }

    fn neutral() -> Value {
        json!({"error": "not_found", "message": "No such thing", "code": 404,
               "details": {"resource": "x"}})
    }

    #[test]
    fn every_preset_round_trips_its_rendered_bodies() {
        let env = Envelope::standard();
        for wire in [
            Wire::flat(&env),
            Wire::rfc9457(),
            Wire::aip193("d.test"),
            Wire::aws_json("application/x-amz-json-1.1"),
        ] {
            let r = wire.render(&neutral(), &facts(), "https://d.test/e.html#not_found");
            let header = |name: &str| {
                r.headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.clone())
            };
            let code_of = |uri: &str| {
                (uri == "https://d.test/e.html#not_found").then(|| "not_found".to_string())
            };
            let back = wire.read(&r.body, &header, &code_of).unwrap();
            let mut expected = neutral();
            if !wire.has_status() {
                expected.as_object_mut().unwrap().remove("code");
            }
            assert_eq!(back, expected, "{:?}: {}", wire.preset, r.body);
        }
    }

    #[test]
    fn presets_render_the_real_shapes() {
        let r = Wire::aip193("d.test").render(&neutral(), &facts(), "https://d.test/x");
        assert_eq!(
            r.body,
            json!({"error": {"code": 404, "message": "No such thing", "status": "NOT_FOUND",
                "details": [
                    {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "not_found",
                     "domain": "d.test", "metadata": {"resource": "x"}},
                    {"@type": "type.googleapis.com/google.rpc.Help",
                     "links": [{"description": "Not found", "url": "https://d.test/x"}]}]}})
        );
        let r = Wire::rfc9457().render(&neutral(), &facts(), "");
        assert_eq!(
            r.body,
            json!({"type": "https://d.test/e.html#not_found", "title": "Not found", "status": 404,
                   "detail": "No such thing", "resource": "x"})
        );
        let r = Wire::aws_json("application/x-amz-json-1.0").render(&neutral(), &facts(), "");
        assert_eq!(
            r.body,
            json!({"__type": "not_found", "message": "No such thing", "resource": "x"})
        );
        assert_eq!(
            r.headers,
            vec![("x-amzn-ErrorType".to_string(), "not_found".to_string())]
        );
    }

    #[test]
    fn aws_codes_lose_their_namespace_and_url() {
        let f = CodeForm::AwsShape;
        assert_eq!(
            f.sanitize("aws.protocoltests.restjson#FooError:http://x.test/y"),
            "FooError"
        );
        assert_eq!(
            f.sanitize("FooError:http://internal.amazon.com/coral/"),
            "FooError"
        );
        assert_eq!(f.sanitize("com.amazon#FooError"), "FooError");
        assert_eq!(f.sanitize("FooError"), "FooError");
        let wire = Wire::aws_json("application/x-amz-json-1.1");
        let no_header = |_: &str| None;
        let none = |_: &str| None;
        let body = json!({"__type": "ns#Throttling", "Message": "slow down", "Reason": "quota"});
        assert_eq!(
            wire.read(&body, &no_header, &none).unwrap(),
            json!({"error": "Throttling", "message": "slow down", "details": {"Reason": "quota"}})
        );
        let header = |n: &str| (n == "x-amzn-ErrorType").then(|| "Other:http://x".to_string());
        assert_eq!(
            wire.read(&json!({}), &header, &none).unwrap()["error"],
            "Other"
        );
        assert!(wire.read(&json!({}), &no_header, &none).is_err());
    }

    #[test]
    fn durations_round_up_to_whole_seconds() {
        assert_eq!(duration_seconds("30s"), Some(30));
        assert_eq!(duration_seconds("1.5s"), Some(2));
        assert_eq!(duration_seconds("2.000s"), Some(2));
        for bad in ["30", "-1s", "s", "1.s", ".5s", "1.0000000001s", "1m"] {
            assert_eq!(duration_seconds(bad), None, "{bad}");
        }
    }
}
