//! The catalog's wire format as the data the TypeScript and Python runtimes read: an ordered list
//! of members, each with the places (body paths, headers) its value is read from and written to.
//! Both packages carry one interpreter of this data (`wire.ts`, `_wire.py`), so no emitter
//! branches on a preset: a new format is new data.

use serde_json::Value;

use crate::model::{Catalog, ErrorDef};
use crate::wire::{self, CodeForm, CodeWire, Role};

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
    /// The code; `aws`: `ns#Name` and `Name:url` read as `Name`; `integer`: a JSON integer,
    /// read as its decimal text.
    Code {
        at: Vec<Place>,
        required: bool,
        aws: bool,
        integer: bool,
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
        /// Whether every body carries it (a server of this catalog always writes it).
        required: bool,
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

/// A place as path steps: the pointer's tokens, then the entry and its own pointer's tokens.
fn place(at: &wire::Place) -> Place {
    match at {
        wire::Place::Header { header } => Place::Header(header.clone()),
        wire::Place::Body { pointer, entry } => {
            let mut steps: Vec<Step> = wire::tokens(pointer).into_iter().map(Step::Key).collect();
            if let Some(e) = entry {
                steps.push(Step::Entry {
                    key: e.key.clone(),
                    equals: e.value.clone(),
                });
                steps.extend(wire::tokens(&e.pointer).into_iter().map(Step::Key));
            }
            Place::Body(steps)
        }
    }
}

fn body_steps(at: &wire::Place) -> Vec<Step> {
    match place(at) {
        Place::Body(steps) => steps,
        Place::Header(_) => Vec::new(),
    }
}

/// The key of a per-code constant in `constants`.
const TITLE: &str = "title";
const GRPC_STATUS: &str = "status";
const DOCS_URL: &str = "docs_url";
/// The code's wire value, where it differs from the code (an RFC 9457 `type` URI).
const CODE: &str = "code";

/// The description of a catalog's wire format (`model::Wire`): members of one name are
/// alternatives, read in order and written to the first body place, so they become one member
/// with several places.
pub fn of(catalog: &Catalog) -> WireData {
    let w = &catalog.wire;
    let mut members: Vec<Member> = Vec::new();
    let mut retry_delay = None;
    let neighbours = w.details_neighbours();
    for m in &w.members {
        let at = place(&m.at);
        // A later alternative of a member already listed adds a place to it.
        let same = |other: &Member| match (other, &m.role) {
            (Member::Code { .. }, Role::Code { .. })
            | (Member::Message { .. }, Role::Message)
            | (Member::Status { .. }, Role::Status) => true,
            (Member::Field { name, .. }, Role::Field { .. } | Role::RetryDelay) => *name == m.name,
            _ => false,
        };
        if let Some(existing) = members.iter_mut().find(|o| same(o)) {
            match existing {
                // A form belongs to its place, and a header carries the code as it is: the
                // member reads every place with the form any place has (a plain header first
                // must not hide the body's `aws_shape`).
                Member::Code {
                    at: places,
                    required,
                    aws,
                    integer,
                } => {
                    places.push(at);
                    *required |= m.required;
                    if let Role::Code { form } = &m.role {
                        *aws |= *form == CodeForm::AwsShape;
                        *integer |= *form == CodeForm::Integer;
                    }
                }
                Member::Message {
                    at: places,
                    required,
                }
                | Member::Status {
                    at: places,
                    required,
                }
                | Member::Field {
                    at: places,
                    required,
                    ..
                } => {
                    places.push(at);
                    *required |= m.required;
                }
                Member::Details { .. } | Member::Constant { .. } => {}
            }
            continue;
        }
        let constant = |key: &str| Member::Constant {
            key: key.into(),
            at: body_steps(&m.at),
            value: None,
            required: m.required,
        };
        members.push(match &m.role {
            Role::Code { form } => Member::Code {
                at: vec![at],
                required: m.required,
                aws: *form == CodeForm::AwsShape,
                integer: *form == CodeForm::Integer,
            },
            Role::Message => Member::Message {
                at: vec![at],
                required: m.required,
            },
            Role::Status => Member::Status {
                at: vec![at],
                required: m.required,
            },
            Role::Details => Member::Details {
                at: body_steps(&m.at),
                except: (!neighbours.is_empty()).then(|| neighbours.clone()),
            },
            Role::Title => constant(TITLE),
            Role::GrpcStatus => constant(GRPC_STATUS),
            Role::DocsUrl => constant(DOCS_URL),
            Role::Constant { value } => Member::Constant {
                key: m.name.clone(),
                at: body_steps(&m.at),
                value: Some(value.clone()),
                required: m.required,
            },
            Role::Field { kind, .. } => Member::Field {
                name: m.name.clone(),
                at: vec![at],
                ty: match kind {
                    wire::FieldType::String | wire::FieldType::Duration => FieldType::String,
                    wire::FieldType::Integer => FieldType::Integer,
                },
                required: m.required,
            },
            Role::RetryDelay => {
                retry_delay = Some(m.name.clone());
                Member::Field {
                    name: m.name.clone(),
                    at: vec![at],
                    ty: FieldType::String,
                    required: m.required,
                }
            }
        });
    }
    WireData {
        content_type: w.content_type.clone(),
        members,
        retry_delay,
    }
}

/// The values the format fixes per code (its `title`, canonical status, docs link, and its
/// `type` URI where that is its wire value), for the constants the description has.
pub fn constants(catalog: &Catalog, e: &ErrorDef) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for m in &catalog.wire.members {
        let (key, value) = match &m.role {
            Role::Code {
                form: CodeForm::TypeUri,
            } => (CODE, e.wire.type_uri.clone()),
            Role::Title => (TITLE, e.wire.title.clone()),
            Role::GrpcStatus => (GRPC_STATUS, e.wire.grpc_status.clone()),
            Role::DocsUrl => (
                DOCS_URL,
                Some(
                    e.wire
                        .docs_url
                        .clone()
                        .unwrap_or_else(|| catalog.docs_url(e)),
                ),
            ),
            _ => continue,
        };
        if let Some(v) = value
            && !out.iter().any(|(k, _): &(String, Value)| k == key)
        {
            out.push((key.to_string(), Value::String(v)));
        }
    }
    out
}

impl WireData {
    /// Whether a parsed body is the wire body itself: every member at the top-level key its
    /// parsed name is, the details in `details`. Then the packages type the wire body as the
    /// parsed one.
    pub fn is_flat(&self) -> bool {
        let at_own_key = |at: &[Place], name: &str| at == [Place::Body(key(name))];
        self.members.iter().all(|m| match m {
            Member::Code {
                at, aws, integer, ..
            } => !aws && !integer && at_own_key(at, "error"),
            Member::Message { at, .. } => at_own_key(at, "message"),
            Member::Status { at, .. } => at_own_key(at, "code"),
            Member::Details { at, except } => except.is_none() && *at == key("details"),
            Member::Field { name, at, .. } => at_own_key(at, name),
            Member::Constant { .. } => false,
        })
    }
}

/// The body and headers a server sends for a body in the neutral form (`error`, `message`,
/// `code`, `details`, the free fields): the neutral body itself for a flat wire (even when it is
/// malformed, so tests can send it as it is), else `Wire::render` with the code's facts.
pub fn wire_body(catalog: &Catalog, neutral: &Value) -> (Value, Vec<(String, String)>) {
    if of(catalog).is_flat() {
        return (neutral.clone(), Vec::new());
    }
    let code = neutral.get("error").and_then(Value::as_str);
    let def = catalog
        .errors
        .iter()
        .find(|e| Some(e.code.as_str()) == code);
    let (facts, docs_url) = match def {
        Some(e) => (e.wire.clone(), catalog.docs_url(e)),
        None => (CodeWire::default(), String::new()),
    };
    let rendered = catalog.wire.render(neutral, &facts, &docs_url);
    (rendered.body, rendered.headers)
}
