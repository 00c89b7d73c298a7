//! The wire format: where each piece of an error lives in a body or a header (the catalog's
//! `api.wire`, as rows of `members!`), and the reader and writer of that form. Values move
//! through the neutral form: `error` (the code), `message`, `code` (the status), `details` and
//! the wire's own fields by name.

use serde_json::{Map, Value};

use crate::ErrorCode;
use crate::check::MAX_SAFE_INTEGER;

/// Where a member lives.
#[derive(Debug, Clone, Copy)]
#[allow(dead_code)] // not every wire uses every variant
pub(crate) enum Place {
    /// A response header.
    Header(&'static str),
    /// A JSON pointer from the body's root (`""` is the root).
    Body(&'static str),
    /// The member at `at` of the element of the list at `list` whose `key` is `value`.
    Entry {
        list: &'static str,
        key: &'static str,
        value: &'static str,
        at: &'static str,
    },
}

/// How the code is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // not every wire uses every variant
pub(crate) enum Form {
    /// As the catalog writes it.
    Plain,
    /// As the code's type URI ([`ErrorCode::wire_type`]).
    TypeUri,
    /// Maybe with a `namespace#` prefix and a `:url` suffix, which readers drop.
    AwsShape,
    /// As a JSON integer (`20404`), read as its decimal text.
    Integer,
}

/// What a member carries.
#[derive(Debug, Clone, Copy)]
#[allow(dead_code)] // not every wire uses every variant
pub(crate) enum Role {
    Code(Form),
    Message,
    Status,
    Details,
    Title,
    GrpcStatus,
    DocsUrl,
    Constant(&'static str),
    /// A free field holding a string.
    Field,
    /// A free field holding an integer.
    IntegerField,
    RetryDelay,
}

/// One member of the wire.
pub(crate) struct Member {
    /// Its key in the neutral form (members of one name are alternatives).
    pub name: &'static str,
    pub at: Place,
    pub role: Role,
    pub required: bool,
}

/// What the wire says about each code, in [`ErrorCode::ALL`] order.
struct Facts {
    type_uri: Option<&'static str>,
    title: Option<&'static str>,
    grpc_status: Option<&'static str>,
    docs_url: Option<&'static str>,
}

/// The content type, the members in wire order, the keys that other members take beside the
/// details, and each code's facts, from one row each.
macro_rules! wire {
    (
        content_type: $content_type:literal;
        neighbours: [$($neighbour:literal),* $(,)?];
        members: [$($member:expr,)*];
        facts: [$(($type_uri:expr, $title:expr, $grpc_status:expr, $docs_url:expr),)*];
    ) => {
        /// The `Content-Type` of an error response.
        pub const CONTENT_TYPE: &str = $content_type;

        /// The members of the wire, in the order a server writes them.
        pub(crate) static MEMBERS: &[Member] = &[$($member,)*];

        /// Keys that other members take in the details' object.
        static NEIGHBOURS: &[&str] = &[$($neighbour),*];

        static FACTS: [Facts; ErrorCode::ALL.len()] = [$(
            Facts {
                type_uri: $type_uri,
                title: $title,
                grpc_status: $grpc_status,
                docs_url: $docs_url,
            },
        )*];
    };
}

// @wire

impl ErrorCode {
    /// The code's RFC 9457 `type` URI, when the wire carries one.
    pub fn wire_type(self) -> Option<&'static str> {
        FACTS[self as usize].type_uri
    }

    /// The code's `title` (RFC 9457; AIP-193's `Help` text), when the wire carries one.
    pub fn wire_title(self) -> Option<&'static str> {
        FACTS[self as usize].title
    }

    /// The code's canonical `google.rpc.Code` name (AIP-193), when the wire carries one.
    pub fn wire_status(self) -> Option<&'static str> {
        FACTS[self as usize].grpc_status
    }

    /// The link the wire's docs member carries: the code's own page where the catalog names
    /// one, else its section of the docs ([`ErrorCode::docs_url`]).
    pub fn wire_docs_url(self) -> &'static str {
        FACTS[self as usize].docs_url.unwrap_or(self.docs_url())
    }
}

fn tokens(pointer: &str) -> impl Iterator<Item = String> + '_ {
    let unescape = |t: &str| t.replace("~1", "/").replace("~0", "~");
    pointer.split('/').skip(1).map(unescape)
}

/// The value at `pointer` under `value`, or `None` where a step finds nothing there. A step
/// through a value that is not an object (or a list, for an index) makes the body invalid, as
/// in the other packages: `{"meta": 0}` has no `/meta/trace`, and is not an error body.
fn at<'v>(value: &'v Value, pointer: &str) -> Result<Option<&'v Value>, String> {
    let mut current = value;
    for token in tokens(pointer) {
        let next = match (current, token.parse::<usize>()) {
            (Value::Array(items), Ok(index)) => items.get(index),
            (Value::Object(map), _) => map.get(&token),
            _ => {
                return Err(format!(
                    "`{pointer}` passes through a value that is not an object"
                ));
            }
        };
        let Some(next) = next else {
            return Ok(None);
        };
        current = next;
    }
    Ok(Some(current))
}

fn is_entry(item: &Value, key: &str, value: &str) -> bool {
    item.get(key).and_then(Value::as_str) == Some(value)
}

/// The value at a body place, as `at` finds it.
fn get(body: &Value, place: Place) -> Result<Option<&Value>, String> {
    match place {
        Place::Header(_) => Ok(None),
        Place::Body(pointer) => at(body, pointer),
        Place::Entry {
            list,
            key,
            value,
            at: inner,
        } => {
            let Some(found) = at(body, list)? else {
                return Ok(None);
            };
            let Value::Array(items) = found else {
                return Err(format!("`{list}` is not a list"));
            };
            match items.iter().find(|i| is_entry(i, key, value)) {
                Some(item) => at(item, inner),
                None => Ok(None),
            }
        }
    }
}

/// The value at `pointer` under `value`, created where missing (lists for numeric tokens).
fn make<'v>(mut value: &'v mut Value, pointer: &str) -> &'v mut Value {
    let tokens: Vec<String> = tokens(pointer).collect();
    for (i, token) in tokens.iter().enumerate() {
        let index = tokens.get(i + 1).and_then(|t| t.parse::<usize>().ok());
        let fresh = || match index {
            Some(_) => Value::Array(Vec::new()),
            None => Value::Object(Map::new()),
        };
        if let Value::Array(items) = value {
            let n = token.parse::<usize>().unwrap_or(items.len());
            while items.len() <= n {
                items.push(Value::Null);
            }
            if items[n].is_null() {
                items[n] = fresh();
            }
            value = &mut items[n];
        } else {
            if !value.is_object() {
                *value = Value::Object(Map::new());
            }
            let Value::Object(map) = value else {
                return value;
            };
            value = map.entry(token.clone()).or_insert_with(fresh);
        }
    }
    value
}

/// Writes `value` at a body place; objects are merged into an object already there.
fn put(body: &mut Value, place: Place, value: Value) {
    let target = match place {
        Place::Header(_) => return,
        Place::Body(pointer) => make(body, pointer),
        Place::Entry {
            list,
            key,
            value: kind,
            at: inner,
        } => {
            let items = make(body, list);
            if !items.is_array() {
                *items = Value::Array(Vec::new());
            }
            let Value::Array(items) = items else {
                return;
            };
            let index = match items.iter().position(|i| is_entry(i, key, kind)) {
                Some(index) => index,
                None => {
                    let mut entry = Map::new();
                    entry.insert(key.to_owned(), Value::from(kind));
                    items.push(Value::Object(entry));
                    items.len() - 1
                }
            };
            make(&mut items[index], inner)
        }
    };
    match (target, value) {
        (Value::Object(to), Value::Object(from)) => to.extend(from),
        (target, value) => *target = value,
    }
}

/// Where a place is, as messages say it.
fn describe(place: Place) -> String {
    match place {
        Place::Header(name) => format!("header {name}"),
        Place::Body(pointer) => format!("`{pointer}`"),
        Place::Entry {
            list,
            key,
            value,
            at,
        } => format!("`{list}[{key}={value}]{at}`"),
    }
}

/// The code a reader takes from a value in `form`.
fn sanitize(form: Form, value: &str) -> String {
    let code = match form {
        Form::AwsShape => {
            let value = value.split_once('#').map_or(value, |(_, v)| v);
            value.split_once(':').map_or(value, |(v, _)| v)
        }
        Form::Plain | Form::TypeUri | Form::Integer => value,
    };
    let known = match form {
        Form::TypeUri => ErrorCode::ALL.iter().find(|c| c.wire_type() == Some(code)),
        _ => None,
    };
    known.map_or_else(|| code.to_owned(), |known| known.as_str().to_owned())
}

/// Whether the wire's codes are integers (`form: integer` in the body).
fn integer_codes() -> bool {
    MEMBERS
        .iter()
        .any(|m| matches!(m.role, Role::Code(Form::Integer)))
}

/// An integer a header carries as text: up to 16 ASCII digits after an optional minus, with
/// spaces or tabs around them, within 2^53 - 1 (what JavaScript reads exactly).
fn header_integer(text: &str) -> Option<i64> {
    let digits = text.trim_matches([' ', '\t']);
    let unsigned = digits.strip_prefix('-').unwrap_or(digits);
    let ok = (1..=16).contains(&unsigned.len()) && unsigned.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| digits.parse::<i64>().ok())
        .flatten()
        .filter(|n| n.abs() < 1 << 53)
}

/// A body (and a header lookup) to the neutral form: `error`, `message`, `code`, `details`
/// and the wire's fields, each from the first of its members that is present.
pub(crate) fn read(
    body: &Value,
    header: &dyn Fn(&str) -> Option<String>,
) -> Result<Map<String, Value>, String> {
    if !body.is_object() {
        return Err(String::from("the body is not a JSON object"));
    }
    let mut out = Map::new();
    // A required place that is missing, kept until the end: a later alternative (a code in a
    // header after one in the body) may still carry its member.
    let mut missing = Vec::new();
    for member in MEMBERS {
        let key = match member.role {
            Role::Code(_) => "error",
            Role::Message => "message",
            Role::Status => "code",
            Role::Details => "details",
            Role::Field | Role::IntegerField | Role::RetryDelay => member.name,
            _ => continue,
        };
        if out.contains_key(key) {
            continue;
        }
        let found = match member.at {
            Place::Header(name) => header(name).map(Value::String),
            place => get(body, place)?.cloned(),
        };
        // A header carries an integer code as its decimal text.
        let found = match (found, member.at, member.role) {
            (Some(Value::String(s)), Place::Header(_), Role::Code(_)) if integer_codes() => {
                match header_integer(&s) {
                    Some(n) => Some(Value::String(n.to_string())),
                    None => return Err(format!("{} has the wrong type", describe(member.at))),
                }
            }
            (found, ..) => found,
        };
        let found = match (found, member.role) {
            (Some(Value::Object(map)), Role::Details) => {
                let rest: Map<String, Value> = map
                    .into_iter()
                    .filter(|(k, _)| !NEIGHBOURS.contains(&k.as_str()))
                    .collect();
                (!rest.is_empty()).then_some(Value::Object(rest))
            }
            (found, _) => found,
        };
        let Some(value) = found else {
            if member.required {
                missing.push((key, format!("{} is missing", describe(member.at))));
            }
            continue;
        };
        let ok = match (member.role, &value) {
            (Role::Code(Form::Integer), value) => crate::check::integer(value).is_some(),
            (Role::Code(_) | Role::Message | Role::RetryDelay, Value::String(_)) => true,
            // Any spelling of a whole number (`418.0`); `check::envelope` checks the range.
            (Role::Status, Value::Number(_)) => true,
            (Role::Details, Value::Object(_)) => true,
            (Role::Field, Value::String(_)) => true,
            (Role::IntegerField, value) => crate::check::integer(value).is_some(),
            _ => false,
        };
        if !ok {
            return Err(format!("{} has the wrong type", describe(member.at)));
        }
        let value = match (member.role, value) {
            (Role::Code(Form::Integer), value) => Value::String(
                crate::check::integer(&value)
                    .unwrap_or_default()
                    .to_string(),
            ),
            (Role::Code(form), Value::String(s)) => Value::String(sanitize(form, &s)),
            (_, value) => value,
        };
        out.insert(key.to_owned(), value);
    }
    if let Some((_, problem)) = missing.into_iter().find(|(key, _)| !out.contains_key(*key)) {
        return Err(problem);
    }
    if !out.contains_key("error") {
        return Err(String::from("no member carries the code"));
    }
    Ok(out)
}

/// The body and the wire's headers (a header-borne code) of an error in the neutral form.
pub(crate) fn render(neutral: &Map<String, Value>, code: Option<ErrorCode>) -> (Value, Headers) {
    let mut body = Value::Object(Map::new());
    let mut headers = Vec::new();
    let wire = neutral.get("error").and_then(Value::as_str).unwrap_or("");
    for (i, member) in MEMBERS.iter().enumerate() {
        let fact = |f: fn(ErrorCode) -> Option<&'static str>| code.and_then(f).map(Value::from);
        let value = match member.role {
            Role::Code(Form::TypeUri) => Some(Value::from(code.and_then(ErrorCode::wire_type))),
            // A code that is not an integer's decimal text (one made up here) stays a string.
            Role::Code(Form::Integer) => Some(
                wire.parse::<i64>()
                    .ok()
                    .filter(|n| n.to_string() == wire && n.unsigned_abs() <= MAX_SAFE_INTEGER)
                    .map_or_else(|| Value::from(wire), Value::from),
            ),
            Role::Code(_) => Some(Value::from(wire)),
            // An optional message that is empty is left out: a body without one reads as "".
            Role::Message => neutral
                .get("message")
                .filter(|m| member.required || m.as_str() != Some(""))
                .cloned(),
            Role::Status => neutral.get("code").cloned(),
            Role::Details => neutral.get("details").cloned(),
            Role::Title => fact(ErrorCode::wire_title),
            Role::GrpcStatus => fact(ErrorCode::wire_status),
            Role::DocsUrl => code.map(|c| Value::from(c.wire_docs_url())),
            Role::Constant(value) => Some(Value::from(value)),
            Role::Field | Role::IntegerField | Role::RetryDelay => {
                neutral.get(member.name).cloned()
            }
        };
        // An unknown code keeps its type URI as its wire string.
        let value = match (member.role, value) {
            (Role::Code(Form::TypeUri), Some(Value::Null)) => Some(Value::from(wire)),
            (_, value) => value,
        };
        let Some(value) = value else { continue };
        let first = !MEMBERS[..i]
            .iter()
            .any(|m| m.name == member.name && !matches!(m.at, Place::Header(_)));
        match member.at {
            Place::Header(name) => {
                if let Value::String(s) = value {
                    headers.push((name.to_owned(), s));
                }
            }
            place if first => put(&mut body, place, value),
            _ => {}
        }
    }
    (body, headers)
}

/// Response headers as (name, value) pairs.
pub(crate) type Headers = Vec<(String, String)>;

/// A protobuf JSON `Duration` (`"30s"`, `"1.5s"`) in whole seconds, rounded up.
pub(crate) fn duration_seconds(value: &str) -> Option<u64> {
    let digits = value.strip_suffix('s')?;
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let dot_without_digits = digits.contains('.') && frac.is_empty();
    if whole.is_empty() || !all_digits(whole) || !all_digits(frac) || frac.len() > 9 {
        return None;
    }
    if dot_without_digits {
        return None;
    }
    let seconds: u64 = whole.parse().ok()?;
    let round_up = frac.bytes().any(|b| b != b'0');
    Some(if round_up {
        seconds.saturating_add(1)
    } else {
        seconds
    })
}
