//! The checks a body passes before it is read into types, the same in every generated package
//! (the generator's conformance table holds each package to them): the nesting limit, the
//! envelope, and a known code's details against its schema. Each problem starts with its path.

use serde_json::{Map, Number, Value};

/// How deeply arrays and objects may nest in a body, the body itself counting as level 1.
pub const MAX_DEPTH: usize = @max_depth;

/// The largest magnitude of an integer: 2^53 - 1, the largest every language reads exactly.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The envelope fields every body has.
const ENVELOPE_REQUIRED: &[&str] = &[@envelope_required];

/// The envelope's `code`: an HTTP status.
const STATUS: Schema = Schema::Integer(Some(@status_min), Some(@status_max));

/// Any string: the envelope's text fields.
const STRING: Schema = Schema::String(None, None, None, None);

/// A details schema as data: the catalog's subset of JSON Schema.
#[derive(Debug)]
#[allow(dead_code, reason = "a catalog need not use every kind of value")]
pub(crate) enum Schema {
    /// A string, with its `const`, its `pattern` and its minimum and maximum length in code
    /// points; values outside an enum are kept (a newer server may send them).
    String(
        Option<&'static str>,
        Option<Pattern>,
        Option<u64>,
        Option<u64>,
    ),
    /// A whole number within `MAX_SAFE_INTEGER`, with its minimum and maximum.
    Integer(Option<i64>, Option<i64>),
    /// Any number, with its minimum and maximum.
    Number(Option<f64>, Option<f64>),
    /// `true` or `false`.
    Boolean,
    /// An array of items of one schema, with its minimum and maximum number of items.
    Array(&'static Schema, Option<u64>, Option<u64>),
    /// An object with any keys and values of one schema.
    Map(&'static Schema),
    /// An object with these properties; others are allowed and ignored.
    Object(&'static [Field]),
    /// The schema, or `null`.
    Nullable(&'static Schema),
}

/// A property of an object schema: its name, whether it is required, and its schema.
#[derive(Debug)]
#[allow(dead_code, reason = "only built for catalogs whose codes have details")]
pub(crate) struct Field(pub &'static str, pub bool, pub Schema);

/// A short description of a value for problems: `the string "60"`, `null`, `an array`.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() > 40 => {
            let shown: String = s.chars().take(40).chain("...".chars()).collect();
            format!("the string {}", Value::from(shown))
        }
        Value::String(s) => format!("the string {}", Value::from(s.as_str())),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// Whether arrays and objects nest more than `levels` deep in `value`.
fn deeper_than(value: &Value, levels: usize) -> bool {
    let mut children: Box<dyn Iterator<Item = &Value>> = match value {
        Value::Array(items) => Box::new(items.iter()),
        Value::Object(map) => Box::new(map.values()),
        _ => return false,
    };
    levels == 0 || children.any(|child| deeper_than(child, levels - 1))
}

/// Whether JSON `text` nests arrays and objects deeper than `MAX_DEPTH` levels anywhere, a value
/// that a later duplicate key hides included (the parsed value has lost it); the problem then.
pub(crate) fn text_too_deep(text: &str) -> Option<String> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for b in text.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(format!("body: nested deeper than {MAX_DEPTH} levels"));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// A JSON number as an integer: a whole number (`2`, `2.0`, `-0.0`, `2e0`) within
/// `MAX_SAFE_INTEGER`; `None` otherwise.
pub(crate) fn integer(value: &Value) -> Option<i64> {
    let n = value.as_number()?;
    let whole = match (n.as_i64(), n.as_f64()) {
        (Some(i), _) => i,
        (None, Some(f)) if f.fract() == 0.0 && f.abs() <= MAX_SAFE_INTEGER as f64 => f as i64,
        _ => return None,
    };
    (whole.unsigned_abs() <= MAX_SAFE_INTEGER).then_some(whole)
}

/// Every problem of the body's envelope (`body`; `received`, whose depth counts, is the body as
/// received, which another wire format reads the envelope out of); empty when it is one.
pub(crate) fn envelope(received: &Value, body: &Value) -> Vec<String> {
    if deeper_than(received, MAX_DEPTH) {
        return vec![format!("body: nested deeper than {MAX_DEPTH} levels")];
    }
    let Value::Object(fields) = body else {
        return vec![format!(
            "body: expected an object, found {}",
            describe(body)
        )];
    };
    let mut problems = Vec::new();
    for name in ENVELOPE_REQUIRED {
        if !fields.contains_key(*name) {
            problems.push(format!("{name}: required field is missing"));
        }
    }
    for name in ["error", "message", "request_id", "timestamp"] {
        if let Some(value) = fields.get(name) {
            check(value, &STRING, name, &mut problems);
        }
    }
    if let Some(code) = fields.get("code") {
        check(code, &STATUS, "code", &mut problems);
    }
    match fields.get("details") {
        None | Some(Value::Object(_)) => {}
        Some(other) => problems.push(format!(
            "details: expected an object, found {}",
            describe(other)
        )),
    }
    problems
}

/// Checks `value` against `schema`, appending one problem per mismatch, each starting with
/// the value's path (`details.retry_after: expected an integer, found the string "60"`).
fn check(value: &Value, schema: &Schema, path: &str, problems: &mut Vec<String>) {
    let mut mismatch = |expected: &str| {
        problems.push(format!(
            "{path}: expected {expected}, found {}",
            describe(value)
        ));
    };
    match schema {
        Schema::Nullable(_) if value.is_null() => {}
        Schema::Nullable(inner) => check(value, inner, path, problems),
        Schema::String(constant, pattern, min, max) => match value {
            Value::String(s) => {
                if let Some(c) = constant.filter(|c| c != s) {
                    let (c, found) = (Value::from(c), describe(value));
                    problems.push(format!("{path}: expected {c}, found {found}"));
                }
                if pattern.is_some_and(|p| !p.matches(s)) {
                    let found = describe(value);
                    problems.push(format!("{path}: {found} does not match the pattern"));
                }
                let length = s.chars().count() as u64;
                if let Some(m) = min.filter(|m| length < *m) {
                    let why = format!("{length} characters, fewer than the minimum {m}");
                    problems.push(format!("{path}: {why}"));
                }
                if let Some(m) = max.filter(|m| length > *m) {
                    let why = format!("{length} characters, more than the maximum {m}");
                    problems.push(format!("{path}: {why}"));
                }
            }
            _ => mismatch("a string"),
        },
        Schema::Number(minimum, maximum) => match value.as_f64() {
            Some(n) => {
                if let Some(m) = minimum.filter(|m| n < *m) {
                    problems.push(format!("{path}: {value} is less than the minimum {m}"));
                }
                if let Some(m) = maximum.filter(|m| n > *m) {
                    problems.push(format!("{path}: {value} is greater than the maximum {m}"));
                }
            }
            None => mismatch("a number"),
        },
        Schema::Boolean if !value.is_boolean() => mismatch("a boolean"),
        Schema::Boolean => {}
        Schema::Integer(minimum, maximum) => match integer(value) {
            None => mismatch("an integer"),
            Some(n) => {
                if let Some(m) = minimum.filter(|m| n < *m) {
                    problems.push(format!("{path}: {n} is less than the minimum {m}"));
                }
                if let Some(m) = maximum.filter(|m| n > *m) {
                    problems.push(format!("{path}: {n} is greater than the maximum {m}"));
                }
            }
        },
        Schema::Array(items, min, max) => match value {
            Value::Array(values) => {
                for (i, item) in values.iter().enumerate() {
                    check(item, items, &format!("{path}[{i}]"), problems);
                }
                let n = values.len() as u64;
                if let Some(m) = min.filter(|m| n < *m) {
                    problems.push(format!("{path}: {n} items, fewer than the minimum {m}"));
                }
                if let Some(m) = max.filter(|m| n > *m) {
                    problems.push(format!("{path}: {n} items, more than the maximum {m}"));
                }
            }
            _ => mismatch("an array"),
        },
        Schema::Map(values) => match value {
            Value::Object(map) => {
                for (key, item) in map {
                    check(item, values, &format!("{path}.{key}"), problems);
                }
            }
            _ => mismatch("an object"),
        },
        Schema::Object(fields) => match value {
            Value::Object(map) => {
                for Field(name, required, schema) in fields.iter() {
                    match map.get(*name) {
                        Some(v) => check(v, schema, &format!("{path}.{name}"), problems),
                        None if *required => {
                            problems.push(format!("{path}.{name}: required field is missing"));
                        }
                        None => {}
                    }
                }
            }
            _ => mismatch("an object"),
        },
    }
}

/// The envelope's members other than `details` with every whole number written as a fraction
/// (`2.0`) turned into an integer, so that serde reads the status into its integer field once
/// `envelope` has accepted it; the details are left as sent, for `typed` to read by their schema.
pub(crate) fn whole_numbers(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| match k.as_str() {
                    "details" => (k, v),
                    _ => (k, whole(v, &Schema::Integer(None, None))),
                })
                .collect::<Map<String, Value>>(),
        ),
        other => other,
    }
}

/// `value` with every whole number written as a fraction (`2.0`, `-0.0`) where `schema` wants
/// an integer turned into that integer, so that serde reads it once `check` has accepted it;
/// any other number keeps its form (`-0.0` in a `number` field stays negative).
pub(crate) fn whole(value: Value, schema: &Schema) -> Value {
    match (schema, value) {
        (Schema::Integer(..), Value::Number(n)) if n.is_f64() => {
            match integer(&Value::Number(n.clone())) {
                Some(i) => Value::Number(Number::from(i)),
                None => Value::Number(n),
            }
        }
        (Schema::Nullable(inner), value) => whole(value, inner),
        (Schema::Array(items, ..), Value::Array(values)) => {
            Value::Array(values.into_iter().map(|v| whole(v, items)).collect())
        }
        (Schema::Map(values), Value::Object(map)) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, whole(v, values)))
                .collect::<Map<String, Value>>(),
        ),
        (Schema::Object(fields), Value::Object(map)) => Value::Object(
            map.into_iter()
                .map(|(k, v)| match fields.iter().find(|f| f.0 == k) {
                    Some(field) => (k, whole(v, &field.2)),
                    None => (k, v),
                })
                .collect::<Map<String, Value>>(),
        ),
        (_, value) => value,
    }
}
