//! The validated catalog: what every emitter reads. Nothing here can be invalid; `validate` built it.
//!
//! Invariants the emitters may rely on (all checked in `validate`):
//! - every `ErrorDef::status` is a key of `Catalog::statuses`, every `ErrorDef::category` an id of
//!   `Catalog::categories`;
//! - every message placeholder names a property of the code's details schema, and every example
//!   body matches its code (error, status, message, details, headers);
//! - codes, property names and category ids produce distinct identifiers in every target language
//!   (see `naming`);
//! - collections are in a deterministic order: statuses by number, categories as declared, errors
//!   in catalog order (category order, then source order).

use serde::Serialize;
use serde_json::Value;

pub use crate::wire::{CodeWire, Rendered, Wire};

/// The whole catalog.
#[derive(Debug, Clone, Serialize)]
pub struct Catalog {
    pub api: Api,
    /// How errors look on the wire (`api.wire`), normalized: presets and custom descriptions
    /// alike. For `flat`, its members mirror `envelope`.
    pub wire: Wire,
    pub envelope: Envelope,
    /// HTTP statuses the API documents, sorted by number.
    pub statuses: Vec<HttpStatus>,
    /// Categories in the order the docs present them.
    pub categories: Vec<Category>,
    /// Catalog-wide retry parameters the per-code `RetryPolicy` refers to.
    pub retry: RetryConfig,
    /// Guidance that is not per code (retry logic, logging), as Markdown sections.
    pub guidance: Vec<Guide>,
    /// Every error code, in catalog order.
    pub errors: Vec<ErrorDef>,
    /// Codes that were removed, in declared order. Their names are never used again.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<Retired>,
    /// Problems that do not stop generation (a policy that is likely wrong, an empty file).
    /// Emitters never read them; the CLI prints them like errors.
    #[serde(skip)]
    pub warnings: crate::diagnostic::Diagnostics,
    /// The texts of the cross-language tables (`conformance.json`, `retry_table.json`),
    /// rendered on first use: the Rust, TypeScript and Python emitters each ship the same bytes.
    #[serde(skip)]
    pub(crate) tables: crate::conformance::Tables,
}

/// API metadata and the names each target uses.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    /// Product name, as written in prose ("HueChat").
    pub name: String,
    /// Catalog version (semver).
    pub version: String,
    pub description: Option<String>,
    /// Base URL of the published docs site, without a trailing slash.
    pub docs_url: String,
    pub packages: Packages,
    /// How the API spells its codes (`api.code_style`); the wire string is always the code as
    /// written, and identifiers come from `naming`, whatever the style.
    pub code_style: CodeStyle,
    /// `api.code_pattern`: a regular expression every code matches (the details `pattern`
    /// subset, searched unanchored), checked by `validate`; identifiers still come from the style.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_pattern: Option<String>,
    /// `api.license`: the packages' license, an SPDX expression; none is declared without it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
}

/// The spelling every code of a catalog follows. `validate` checks each code against it and
/// suggests a rewrite in it (`naming::spell_code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeStyle {
    /// `rate_limited`: `^[a-z0-9]+(_[a-z0-9]+)*$` (the default).
    #[default]
    SnakeCase,
    /// `API_KEY_INVALID`, `22P02`: `^[A-Z0-9]+(_[A-Z0-9]+)*$`.
    ScreamingSnakeCase,
    /// `ResourceNotFoundException`: `^[A-Z][A-Za-z0-9]*$`.
    PascalCase,
    /// `resourceNotFound`: `^[a-z][A-Za-z0-9]*$`.
    CamelCase,
    /// `invalid-argument`: `^[a-z0-9]+(-[a-z0-9]+)*$`.
    #[serde(rename = "kebab-case")]
    KebabCase,
    /// Any of the above, mixed, and words joined by `.` or `/` too (`ENTITY_ERROR.ATTRIBUTE.INVALID`,
    /// `auth/user-not-found`): `^[A-Za-z0-9]+([_./-][A-Za-z0-9]+)*$`.
    Any,
}

impl CodeStyle {
    /// Every style with its catalog spelling, in documentation order.
    pub const ALL: [(CodeStyle, &'static str); 6] = [
        (CodeStyle::SnakeCase, "snake_case"),
        (CodeStyle::ScreamingSnakeCase, "screaming_snake_case"),
        (CodeStyle::PascalCase, "pascal_case"),
        (CodeStyle::CamelCase, "camel_case"),
        (CodeStyle::KebabCase, "kebab-case"),
        (CodeStyle::Any, "any"),
    ];

    /// The style's name as a catalog writes it (`snake_case`).
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(s, _)| *s == self)
            .map_or("snake_case", |(_, n)| n)
    }

    /// The style a catalog name selects, if any.
    pub fn from_name(name: &str) -> Option<CodeStyle> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(s, _)| *s)
    }

    /// The pattern every code of this style matches, as a regular expression.
    pub fn pattern(self) -> &'static str {
        match self {
            CodeStyle::SnakeCase => "^[a-z0-9]+(_[a-z0-9]+)*$",
            CodeStyle::ScreamingSnakeCase => "^[A-Z0-9]+(_[A-Z0-9]+)*$",
            CodeStyle::PascalCase => "^[A-Z][A-Za-z0-9]*$",
            CodeStyle::CamelCase => "^[a-z][A-Za-z0-9]*$",
            CodeStyle::KebabCase => "^[a-z0-9]+(-[a-z0-9]+)*$",
            CodeStyle::Any => "^[A-Za-z0-9]+([_./-][A-Za-z0-9]+)*$",
        }
    }

    /// Whether `code` is spelled in this style (see `pattern`).
    pub fn matches(self, code: &str) -> bool {
        let words = |sep: &[char], ok: fn(u8) -> bool| {
            !code.is_empty() && code.split(sep).all(|w| !w.is_empty() && w.bytes().all(ok))
        };
        match self {
            CodeStyle::SnakeCase => words(&['_'], |b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            CodeStyle::ScreamingSnakeCase => {
                words(&['_'], |b| b.is_ascii_uppercase() || b.is_ascii_digit())
            }
            CodeStyle::KebabCase => words(&['-'], |b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            CodeStyle::PascalCase => {
                code.starts_with(|c: char| c.is_ascii_uppercase())
                    && code.bytes().all(|b| b.is_ascii_alphanumeric())
            }
            CodeStyle::CamelCase => {
                code.starts_with(|c: char| c.is_ascii_lowercase())
                    && code.bytes().all(|b| b.is_ascii_alphanumeric())
            }
            CodeStyle::Any => words(&['_', '-', '.', '/'], |b| b.is_ascii_alphanumeric()),
        }
    }
}

/// Package names of the generated targets.
#[derive(Debug, Clone, Serialize)]
pub struct Packages {
    /// Crate name of the generated Rust crate (`huechat-errors`).
    pub rust: String,
    /// npm name of the generated TypeScript package (`@huechat/errors`).
    pub typescript: String,
    /// Distribution name of the generated Python package (`huechat-errors`); the import name
    /// is `naming::python_import_name` of it.
    pub python: String,
    /// Name of the error type/class in the generated code (`HueChatError`).
    pub error_type: String,
}

/// The error envelope. Its six fields are fixed by the generator; the catalog describes them.
#[derive(Debug, Clone, Serialize)]
pub struct Envelope {
    /// Always in wire order: error, message, code, details, request_id, timestamp.
    pub fields: Vec<EnvelopeField>,
    /// A generic example body (the reference's "Error Response Format"), validated for types.
    pub example: Option<Value>,
}

impl Envelope {
    /// The flat envelope with the generator's own descriptions: what a catalog whose wire is not
    /// `flat` (and so has no `envelope` section) reports as its envelope.
    pub fn standard() -> Envelope {
        let field = |name, required, description: &str| EnvelopeField {
            name,
            required,
            description: description.into(),
        };
        Envelope {
            fields: vec![
                field(
                    EnvelopeFieldName::Error,
                    true,
                    "Machine-readable error code",
                ),
                field(
                    EnvelopeFieldName::Message,
                    true,
                    "Human-readable description",
                ),
                field(EnvelopeFieldName::Code, true, "HTTP status code"),
                field(EnvelopeFieldName::Details, false, "Additional context"),
                field(
                    EnvelopeFieldName::RequestId,
                    false,
                    "Request ID for support",
                ),
                field(
                    EnvelopeFieldName::Timestamp,
                    false,
                    "When the error occurred",
                ),
            ],
            example: None,
        }
    }

    pub fn field(&self, name: EnvelopeFieldName) -> &EnvelopeField {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .expect("validate fills all six envelope fields")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EnvelopeField {
    pub name: EnvelopeFieldName,
    /// Whether every error body carries this field.
    pub required: bool,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvelopeFieldName {
    Error,
    Message,
    Code,
    Details,
    RequestId,
    Timestamp,
}

impl EnvelopeFieldName {
    pub const ALL: [EnvelopeFieldName; 6] = [
        Self::Error,
        Self::Message,
        Self::Code,
        Self::Details,
        Self::RequestId,
        Self::Timestamp,
    ];

    /// The JSON key on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Message => "message",
            Self::Code => "code",
            Self::Details => "details",
            Self::RequestId => "request_id",
            Self::Timestamp => "timestamp",
        }
    }

    /// The field's JSON type, fixed by the generator.
    pub fn json_type(self) -> &'static str {
        match self {
            Self::Code => "integer",
            Self::Details => "object",
            _ => "string",
        }
    }

    /// The field's string format, if any.
    pub fn format(self) -> Option<Format> {
        match self {
            Self::Timestamp => Some(Format::DateTime),
            _ => None,
        }
    }
}

/// One HTTP status the API documents.
#[derive(Debug, Clone, Serialize)]
pub struct HttpStatus {
    pub code: u16,
    /// As the reference writes it: "Bad request - invalid input".
    pub description: String,
}

impl HttpStatus {
    pub fn class(&self) -> StatusClass {
        StatusClass::of(self.code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusClass {
    ClientError,
    ServerError,
}

impl StatusClass {
    /// Statuses are validated to be 400..=599.
    pub fn of(code: u16) -> Self {
        if code >= 500 {
            Self::ServerError
        } else {
            Self::ClientError
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::ClientError => "Client Error",
            Self::ServerError => "Server Error",
        }
    }
}

/// A group of codes; one docs page each.
#[derive(Debug, Clone, Serialize)]
pub struct Category {
    /// Stable id (`rate_limit`), used for file names and anchors.
    pub id: String,
    /// Heading as the docs show it ("Rate Limit Errors").
    pub title: String,
    pub description: Option<String>,
}

/// Catalog-wide retry parameters (the reference's "Retry Logic").
#[derive(Debug, Clone, Serialize)]
pub struct RetryConfig {
    /// Attempts in total, the first included.
    pub max_attempts: u32,
    /// Exponential backoff: the delay before retry n (n = 0 for the first retry) is
    /// `initial_delay_ms * multiplier^n`, capped at `max_delay_ms`.
    pub initial_delay_ms: u64,
    pub multiplier: u32,
    pub max_delay_ms: u64,
    /// Wait for a rate-limited code when neither its details nor `Retry-After` say how long.
    pub default_delay_seconds: u64,
}

impl RetryConfig {
    /// The backoff delay before retry `attempt` (0-based), saturating and capped.
    pub fn backoff_delay_ms(&self, attempt: u32) -> u64 {
        let factor = u64::from(self.multiplier).saturating_pow(attempt);
        self.initial_delay_ms
            .saturating_mul(factor)
            .min(self.max_delay_ms)
    }
}

/// A Markdown section of guidance that is not per code.
#[derive(Debug, Clone, Serialize)]
pub struct Guide {
    /// Anchor id (`retry-logic`).
    pub id: String,
    pub title: String,
    /// CommonMark. Emitters put it into docs only, never into code.
    pub body: String,
}

/// One error code.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorDef {
    /// The wire string, exactly as the catalog writes it (`rate_limited`,
    /// `ResourceNotFoundException`, `22P02`); it matches `Api::code_style`, so it is ASCII
    /// letters and digits in words joined by single `_` or `-`.
    pub code: String,
    /// The HTTP status, and the envelope's `code` value.
    pub status: u16,
    /// A `Category::id`.
    pub category: String,
    /// One line.
    pub description: String,
    pub message: MessageTemplate,
    /// The `details` object's schema; `None` when the code carries no details.
    pub details: Option<ObjectSchema>,
    pub remediation: Remediation,
    /// At least one; the first is the primary example.
    pub examples: Vec<Example>,
    /// Response headers this code sets.
    pub headers: Vec<HeaderDef>,
    pub retry: RetryPolicy,
    pub delivery: Delivery,
    /// What the wire says about this code (RFC 9457 `type` and `title`, AIP-193 `status`);
    /// empty for `flat`.
    #[serde(skip_serializing_if = "CodeWire::is_empty")]
    pub wire: CodeWire,
    /// Catalog version that introduced the code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
}

impl ErrorDef {
    pub fn primary_example(&self) -> &Example {
        &self.examples[0]
    }
}

/// A message with `{placeholder}`s naming details fields, or one the server writes at run time.
/// Serializes as its source text, or as `{"runtime": "..."}`.
#[derive(Debug, Clone)]
pub struct MessageTemplate {
    /// As written in the catalog; empty for a run-time message.
    pub source: String,
    pub parts: Vec<TemplatePart>,
    /// `message: { runtime: ... }`: the server writes the message at run time (no template,
    /// no parts); the prose says what it holds. Constructors then take the message, and
    /// examples are not checked against a template.
    pub runtime: Option<String>,
}

impl Serialize for MessageTemplate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.runtime {
            Some(text) => s.collect_map([("runtime", text)]),
            None => s.serialize_str(&self.source),
        }
    }
}

/// Ordered pairs serialize as a JSON object in the same order.
fn pairs_as_map<S: serde::Serializer>(pairs: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

impl MessageTemplate {
    /// The placeholders, in order of appearance (a field may appear twice).
    pub fn placeholders(&self) -> impl Iterator<Item = (&str, Option<Filter>)> {
        self.parts.iter().filter_map(|p| match p {
            TemplatePart::Field { name, filter } => Some((name.as_str(), *filter)),
            TemplatePart::Text(_) => None,
        })
    }

    /// True when the message is a template that does not depend on details.
    pub fn is_constant(&self) -> bool {
        self.runtime.is_none() && self.placeholders().next().is_none()
    }

    /// True when the server writes the message at run time.
    pub fn is_runtime(&self) -> bool {
        self.runtime.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    /// Literal text (`{{` and `}}` already unescaped).
    Text(String),
    /// `{name}` or `{name|filter}`.
    Field {
        name: String,
        filter: Option<Filter>,
    },
}

/// How a placeholder's value is turned into text. Without a filter: strings as-is, numbers and
/// booleans in JSON form, arrays of scalars joined with ", ".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Filter {
    /// First character upper-cased.
    Capitalize,
    /// The property's `labels` entry for the value, or the value itself when it has none.
    Label,
}

impl Filter {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Capitalize => "capitalize",
            Self::Label => "label",
        }
    }
}

/// An object schema: the details of a code, or a nested object.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectSchema {
    /// In declared order; names are unique and `^[A-Za-z_][A-Za-z0-9_]*$`.
    pub properties: Vec<Property>,
}

impl ObjectSchema {
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// Every field, nested ones included, depth-first in declared order, with its dotted path as
    /// the docs write it: `parent.child` inside objects, `parent[]` for the items of arrays,
    /// `parent.*` for the values of maps.
    pub fn fields(&self) -> Vec<(String, &Property)> {
        fn walk<'a>(schema: &'a ObjectSchema, prefix: &str, out: &mut Vec<(String, &'a Property)>) {
            for p in &schema.properties {
                let path = text!("{prefix}{}", p.name);
                let mut inner = path.clone();
                let mut kind = &p.schema.kind;
                loop {
                    match kind {
                        SchemaKind::Array { .. } => inner.push_str("[]"),
                        SchemaKind::Map { .. } => inner.push_str(".*"),
                        _ => break,
                    }
                    kind = match kind {
                        SchemaKind::Array { items, .. } => &items.kind,
                        SchemaKind::Map { values } => &values.kind,
                        _ => break,
                    };
                }
                out.push((path, p));
                if let SchemaKind::Object(o) = kind {
                    walk(o, &text!("{inner}."), out);
                }
            }
        }
        let mut out = Vec::new();
        walk(self, "", &mut out);
        out
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Property {
    pub name: String,
    pub required: bool,
    pub schema: Schema,
}

impl Property {
    /// The value of a field that is always present, never null and has a `const`: the
    /// packages write it themselves (a Rust associated constant, a Python field with that
    /// default, a TypeScript literal type), so no server can send another value.
    pub fn fixed_value(&self) -> Option<&str> {
        match &self.schema.kind {
            SchemaKind::String {
                constant: Some(c), ..
            } if self.required && !self.schema.nullable => Some(c),
            _ => None,
        }
    }
}

/// A JSON-Schema subset every target can express.
#[derive(Debug, Clone, Serialize)]
pub struct Schema {
    pub description: Option<String>,
    /// `type: [T, "null"]`: the value may be JSON `null`. On an optional field, absent and
    /// `null` mean the same (no value): clients read both as their "none", and writers leave
    /// the field out.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    #[serde(flatten)]
    pub kind: SchemaKind,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SchemaKind {
    String {
        #[serde(skip_serializing_if = "Option::is_none")]
        format: Option<Format>,
        /// Allowed values, when closed; distinct.
        #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
        enum_values: Option<Vec<String>>,
        /// How values read in prose (the `label` filter); keys need not be enum values.
        #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "pairs_as_map")]
        labels: Vec<(String, String)>,
        /// The only value allowed (`const`).
        #[serde(rename = "const", skip_serializing_if = "Option::is_none")]
        constant: Option<String>,
        /// A regular expression in the subset `schema::check_pattern` accepts (ECMA-262 syntax
        /// that Rust's `regex` and Python's `re` read the same way); unanchored, as in JSON
        /// Schema.
        #[serde(skip_serializing_if = "Option::is_none")]
        pattern: Option<String>,
        /// Bounds on the length in Unicode code points (every target counts the same way).
        #[serde(rename = "minLength", skip_serializing_if = "Option::is_none")]
        min_length: Option<u64>,
        #[serde(rename = "maxLength", skip_serializing_if = "Option::is_none")]
        max_length: Option<u64>,
    },
    Integer {
        #[serde(skip_serializing_if = "Option::is_none")]
        minimum: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        maximum: Option<i64>,
    },
    Number {
        #[serde(skip_serializing_if = "Option::is_none")]
        minimum: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        maximum: Option<f64>,
    },
    Boolean,
    Array {
        items: Box<Schema>,
        #[serde(rename = "minItems", skip_serializing_if = "Option::is_none")]
        min_items: Option<u64>,
        #[serde(rename = "maxItems", skip_serializing_if = "Option::is_none")]
        max_items: Option<u64>,
    },
    Object(ObjectSchema),
    /// A JSON object with any string keys and values of one schema (`additionalProperties`).
    Map {
        values: Box<Schema>,
    },
}

impl SchemaKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::String { .. } => "string",
            Self::Integer { .. } => "integer",
            Self::Number { .. } => "number",
            Self::Boolean => "boolean",
            Self::Array { .. } => "array",
            Self::Object(_) => "object",
            Self::Map { .. } => "map",
        }
    }

    /// The type name with its article, for prose (`an integer`, `a map`).
    pub fn with_article(&self) -> String {
        let name = self.type_name();
        let article = if matches!(name, "integer" | "array" | "object") {
            "an"
        } else {
            "a"
        };
        text!("{article} {name}")
    }
}

/// String formats the emitters can map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    #[serde(rename = "date-time")]
    DateTime,
    #[serde(rename = "date")]
    Date,
    #[serde(rename = "uri")]
    Uri,
    #[serde(rename = "email")]
    Email,
    /// E.164 phone number (`+1234567890`).
    #[serde(rename = "phone")]
    Phone,
    #[serde(rename = "uuid")]
    Uuid,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Self::DateTime,
        Self::Date,
        Self::Uri,
        Self::Email,
        Self::Phone,
        Self::Uuid,
    ];

    /// The catalog spelling, which is also the JSON Schema `format` value except for `phone`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DateTime => "date-time",
            Self::Date => "date",
            Self::Uri => "uri",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Uuid => "uuid",
        }
    }

    /// What a value of the format looks like, for a diagnostic's help.
    pub fn what(self) -> &'static str {
        match self {
            Self::DateTime => {
                "an RFC 3339 date-time is a date, `T`, a time and a time zone (`2026-01-25T10:30:00Z`, `2026-01-25T10:30:00.5+02:00`); for a value sent without a time zone, leave `format` out and say so in the description"
            }
            Self::Date => "an RFC 3339 full date is `2026-01-25`",
            Self::Uri => {
                "a URI has a scheme (`https://example.com/x`, `urn:example:x`) and no blanks or unescaped `<>\"{}|\\^`"
            }
            Self::Email => "an address is `name@example.com`, its host two or more labels",
            Self::Phone => {
                "an E.164 number is `+` and 2 to 15 digits, the first not `0` (`+14155550123`)"
            }
            Self::Uuid => {
                "a UUID is 32 hex digits in groups of 8-4-4-4-12 (`0b4e2a8c-6c43-4ae5-9d4e-0f7a0c5e6f01`)"
            }
        }
    }

    /// A regular expression (ECMAScript and JSON Schema compatible) for formats JSON Schema has
    /// no standard keyword for.
    pub fn pattern(self) -> Option<&'static str> {
        match self {
            Self::Phone => Some(r"^\+[1-9][0-9]{1,14}$"),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Remediation {
    /// "Solutions:" bullets, verbatim.
    pub solutions: Vec<String>,
    /// "Common causes:" bullets, verbatim.
    pub common_causes: Vec<String>,
    /// A single "Action:" line, verbatim.
    pub action: Option<String>,
}

impl Remediation {
    pub fn is_empty(&self) -> bool {
        self.solutions.is_empty() && self.common_causes.is_empty() && self.action.is_none()
    }
}

/// A complete example error body.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// Unique within the code; `^[a-z0-9]+(_[a-z0-9]+)*$`. The first defaults to `default`.
    pub name: String,
    pub summary: Option<String>,
    /// The JSON body, validated against the envelope and the code.
    pub body: Value,
    /// Response headers sent with it, in declared order; names are declared in `ErrorDef::headers`.
    #[serde(serialize_with = "pairs_as_map")]
    pub headers: Vec<(String, String)>,
    /// The body and the wire's own headers (a header-borne code) as the catalog's wire carries
    /// this example, rendered by `Wire::render`; absent for `flat`, where `body` is the wire body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wire: Option<Rendered>,
}

/// A response header a code sets.
#[derive(Debug, Clone, Serialize)]
pub struct HeaderDef {
    /// As written (`Retry-After`); unique case-insensitively within a code.
    pub name: String,
    pub description: String,
    pub required: bool,
    /// `string` or `integer`.
    pub schema: HeaderType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HeaderType {
    String,
    Integer,
}

/// Whether and how a client retries a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "strategy", rename_all = "snake_case")]
pub enum RetryPolicy {
    /// Do not retry (client errors).
    Never,
    /// Wait as long as the server says: the details field `delay_field` (seconds) if set and
    /// present, else the `Retry-After` header, else `RetryConfig::default_delay_seconds`.
    AfterDelay {
        #[serde(skip_serializing_if = "Option::is_none")]
        delay_field: Option<String>,
    },
    /// Exponential backoff per `RetryConfig`, unless the server says how long to wait: then
    /// the details field `delay_field` (seconds) if set and present, else the `Retry-After`
    /// header, replaces the backoff delay for that attempt.
    Backoff {
        #[serde(skip_serializing_if = "Option::is_none")]
        delay_field: Option<String>,
    },
}

impl RetryPolicy {
    pub fn is_retryable(&self) -> bool {
        !matches!(self, Self::Never)
    }

    /// The catalog's name of the strategy (`retry.strategy`): `never`, `after_delay`, `backoff`.
    pub fn strategy(&self) -> &'static str {
        match self {
            Self::Never => "never",
            Self::AfterDelay { .. } => "after_delay",
            Self::Backoff { .. } => "backoff",
        }
    }

    /// The policy a status implies when a code does not say: 429 waits, 5xx backs off, the rest
    /// never retries. Also what clients apply to codes they do not know.
    pub fn default_for_status(status: u16) -> Self {
        match status {
            429 => Self::AfterDelay { delay_field: None },
            500..=599 => Self::Backoff { delay_field: None },
            _ => Self::Never,
        }
    }

    /// The details field the policy reads its delay from, if any.
    pub fn delay_field(&self) -> Option<&str> {
        match self {
            Self::AfterDelay { delay_field } | Self::Backoff { delay_field } => {
                delay_field.as_deref()
            }
            Self::Never => None,
        }
    }

    /// The server delay in seconds a client honours for a body in the neutral form
    /// (`details[delay_field]`, then the wire's `retry_delay` duration such as AIP-193's
    /// `RetryInfo.retryDelay`, rounded up) and a `Retry-After` value (whole seconds), in that
    /// order, capped at `MAX_SERVER_DELAY_SECONDS`: the reference every target matches.
    pub fn server_delay_seconds(&self, body: &Value, retry_after: Option<&str>) -> Option<u64> {
        self.delay_field()
            .and_then(|f| delay_seconds(body.get("details")?.get(f)?))
            .or_else(|| {
                let delay = body.get("retry_delay")?.as_str()?;
                crate::wire::duration_seconds(delay)
            })
            .or_else(|| retry_after.and_then(parse_retry_after))
            .map(|seconds| seconds.min(MAX_SERVER_DELAY_SECONDS))
    }

    /// The delay before retry `attempt` (0-based) in ms, or `None` for "do not retry": the
    /// reference semantics every target's generated tests are checked against.
    pub fn decide_ms(
        &self,
        config: &RetryConfig,
        attempt: u32,
        body: &Value,
        retry_after: Option<&str>,
    ) -> Option<u64> {
        if attempt.saturating_add(1) >= config.max_attempts {
            return None;
        }
        let server = self.server_delay_seconds(body, retry_after);
        match self {
            Self::Never => None,
            Self::AfterDelay { .. } => Some(
                server
                    .unwrap_or(config.default_delay_seconds)
                    .saturating_mul(1000),
            ),
            Self::Backoff { .. } => Some(server.map_or_else(
                || config.backoff_delay_ms(attempt),
                |s| s.saturating_mul(1000),
            )),
        }
    }
}

/// A details delay field's value as whole seconds: a number of at least 0, rounded up, that
/// stays within JavaScript's safe integers (2^53 - 1) once rounded; `None` for anything else
/// (a negative or larger value is no delay, in every target).
pub fn delay_seconds(value: &Value) -> Option<u64> {
    const MAX_SAFE: u64 = crate::schema::MAX_SAFE_INTEGER as u64;
    if let Some(n) = value.as_u64() {
        return (n <= MAX_SAFE).then_some(n);
    }
    let v = value.as_f64()?;
    let seconds = v.ceil();
    // Whole and within 2^53 - 1, so the cast is exact.
    (v >= 0.0 && seconds <= MAX_SAFE as f64).then_some(seconds as u64)
}

/// The longest delay a server can make a client wait, from any source (details, wire, or
/// `Retry-After`): one day, the largest `default_delay_seconds` validation allows; a longer one
/// waits this long. Every target caps at it, so no delay reaches Node's timer limit (2^31 - 1
/// ms, about 24.8 days, beyond which `setTimeout` fires at once: a tight retry loop).
pub const MAX_SERVER_DELAY_SECONDS: u64 = 86_400;

/// A `Retry-After` value in whole seconds: ASCII digits with optional spaces or tabs around
/// them (HTTP's OWS), any number of them (more than a `u64` holds reads as `u64::MAX`, which the
/// cap then cuts). `None` for anything else: HTTP dates, signs (`+7`, `-1`), fractions, empty.
pub fn parse_retry_after(value: &str) -> Option<u64> {
    let digits = value.trim_matches([' ', '\t']);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse().unwrap_or(u64::MAX))
}

/// How a code reaches the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// As an HTTP response with `status`.
    Http,
    /// As a webhook event payload; `status` is only the envelope's `code` value.
    Webhook,
}

#[derive(Debug, Clone, Serialize)]
pub struct Deprecation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    pub reason: String,
    /// A code to use instead; validated to exist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
}

impl Deprecation {
    /// The reason as a sentence (a full stop added when it ends without one), then
    /// "Use `x` instead." when there is a replacement: the one wording every target shows.
    pub fn text(&self) -> String {
        let reason = self.reason.trim_end();
        let mut s = if reason.ends_with(['.', '!', '?']) {
            reason.to_string()
        } else {
            text!("{reason}.")
        };
        if let Some(r) = &self.replaced_by {
            s.push_str(&text!(" Use `{r}` instead."));
        }
        s
    }
}

/// A code that was removed from the catalog. Its name stays reserved: validation rejects a live
/// code of the same name, the docs keep its section, and clients recognise it as retired.
#[derive(Debug, Clone, Serialize)]
pub struct Retired {
    /// The wire string it had; never a live code's name.
    pub code: String,
    /// The catalog version that removed it (semver).
    pub version: String,
    pub reason: String,
    /// A live code to use instead; validated to exist.
    pub replaced_by: Option<String>,
    /// The category whose docs page keeps the code's section, so old links still resolve;
    /// validated to exist.
    pub category: Option<String>,
}

impl Catalog {
    pub fn status(&self, code: u16) -> &HttpStatus {
        self.statuses
            .iter()
            .find(|s| s.code == code)
            .expect("validate checks every status is in the table")
    }

    pub fn category(&self, id: &str) -> &Category {
        self.categories
            .iter()
            .find(|c| c.id == id)
            .expect("validate checks every category exists")
    }

    /// Codes of one category, in catalog order.
    pub fn errors_in<'a>(&'a self, category: &'a str) -> impl Iterator<Item = &'a ErrorDef> + 'a {
        self.errors.iter().filter(move |e| e.category == category)
    }

    /// Statuses used by at least one HTTP-delivered code.
    pub fn used_statuses(&self) -> impl Iterator<Item = &HttpStatus> {
        self.statuses.iter().filter(|s| {
            self.errors
                .iter()
                .any(|e| e.status == s.code && e.delivery == Delivery::Http)
        })
    }

    /// Retired codes whose section stays on one category's page, in declared order.
    pub fn retired_in<'a>(&'a self, category: &'a str) -> impl Iterator<Item = &'a Retired> + 'a {
        self.retired
            .iter()
            .filter(move |r| r.category.as_deref() == Some(category))
    }

    /// The docs URL of a retired code, when its section stays on a category's page.
    pub fn retired_docs_url(&self, retired: &Retired) -> Option<String> {
        let category = retired.category.as_deref()?;
        Some(text!(
            "{}/{}.html#{}",
            self.api.docs_url,
            crate::naming::docs_page(category),
            crate::naming::docs_anchor(&retired.code)
        ))
    }

    /// The docs URL of a code: its section on its category's page.
    pub fn docs_url(&self, error: &ErrorDef) -> String {
        docs_url(&self.api.docs_url, &error.category, &error.code)
    }
}

/// The docs URL of a code of `category`, under the docs site `base`.
pub fn docs_url(base: &str, category: &str, code: &str) -> String {
    text!(
        "{base}/{}.html#{}",
        crate::naming::docs_page(category),
        crate::naming::docs_anchor(code)
    )
}
