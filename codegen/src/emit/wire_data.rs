//! The catalog's wire format as the data the TypeScript and Python runtimes read: an ordered list
//! of members, each with the places (body paths, headers) its value is read from and written to.
//! Both packages carry one interpreter of this data (`wire.ts`, `_wire.py`), so no emitter
//! branches on a preset: a new format is new data.

use serde_json::Value;

use crate::model::{Catalog, EnvelopeFieldName, ErrorDef};

/// One step of a path into a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A member of an object.
    Key(String),
    /// The entry of an array whose member `key` equals `equals` (AIP-193's `@type`).
    Entry { key: String, equals: String },
}

/// Where a value is read from (the first place present wins) and written to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Body(Vec<Step>),
    Header(String),
}

/// The JSON type of a field the format carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    Object,
    /// Any JSON value, kept as it is.
    Json,
}

impl FieldType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Integer => "integer",
            Self::Object => "object",
            Self::Json => "json",
        }
    }
}

/// A member of the format, in the order a body is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Member {
    /// The code; `aws`: `ns#Name` and `Name:url` read as `Name`.
    Code {
        at: Vec<Place>,
        required: bool,
        aws: bool,
    },
    Message {
        at: Vec<Place>,
        required: bool,
    },
    /// The HTTP status as an integer.
    Status {
        at: Vec<Place>,
        required: bool,
    },
    /// The object at `at`; with `except`, the members of that object other than those.
    Details {
        at: Vec<Step>,
        except: Option<Vec<String>>,
    },
    /// Another envelope field, named `name` in the parsed body.
    Field {
        name: String,
        at: Vec<Place>,
        ty: FieldType,
        required: bool,
    },
    /// A value the server writes and clients do not read: `value` in every body, else the
    /// one fixed per code (`constants(e)[key]`), written at `at`.
    Constant {
        key: String,
        at: Vec<Step>,
        value: Option<String>,
    },
}

/// The whole description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireData {
    pub content_type: String,
    pub members: Vec<Member>,
    /// The parsed body's field that carries a retry delay as a protobuf duration (`"30s"`).
    pub retry_delay: Option<String>,
}

fn key(name: &str) -> Vec<Step> {
    vec![Step::Key(name.to_string())]
}

/// The description of a catalog's wire format.
pub fn of(catalog: &Catalog) -> WireData {
    let required = |f: EnvelopeFieldName| catalog.envelope.field(f).required;
    let body = |f: EnvelopeFieldName| vec![Place::Body(key(f.as_str()))];
    let mut members = Vec::new();
    for f in EnvelopeFieldName::ALL {
        members.push(match f {
            EnvelopeFieldName::Error => Member::Code {
                at: body(f),
                required: required(f),
                aws: false,
            },
            EnvelopeFieldName::Message => Member::Message {
                at: body(f),
                required: required(f),
            },
            EnvelopeFieldName::Code => Member::Status {
                at: body(f),
                required: required(f),
            },
            EnvelopeFieldName::Details => Member::Details {
                at: key(f.as_str()),
                except: None,
            },
            EnvelopeFieldName::RequestId | EnvelopeFieldName::Timestamp => Member::Field {
                name: f.as_str().to_string(),
                at: body(f),
                ty: FieldType::String,
                required: required(f),
            },
        });
    }
    WireData {
        content_type: "application/json".into(),
        members,
        retry_delay: None,
    }
}

/// The values fixed per code that the format writes (`type` and `title`, a canonical status,
/// `code` when the wire value differs from the code), in a fixed order.
pub fn constants(_catalog: &Catalog, _e: &ErrorDef) -> Vec<(String, Value)> {
    Vec::new()
}

impl WireData {
    /// Whether a parsed body is the wire body itself: every member at the top-level key its
    /// parsed name is, the details in `details`. Then the packages type the wire body as the
    /// parsed one.
    pub fn is_flat(&self) -> bool {
        let at_own_key = |at: &[Place], name: &str| at == [Place::Body(key(name))];
        self.members.iter().all(|m| match m {
            Member::Code { at, aws, .. } => !aws && at_own_key(at, "error"),
            Member::Message { at, .. } => at_own_key(at, "message"),
            Member::Status { at, .. } => at_own_key(at, "code"),
            Member::Details { at, except } => except.is_none() && *at == key("details"),
            Member::Field { name, at, .. } => at_own_key(at, name),
            Member::Constant { .. } => false,
        })
    }
}
