//! Message templates: `Rate limit exceeded. Retry after {retry_after} seconds.`
//!
//! Syntax: `{field}` or `{field|filter}` inserts a details field; `{{` and `}}` are literal braces.
//! Filters: `capitalize` (first character upper-cased), `label` (the property's `labels` entry).
//! Values render as: strings as-is, integers and booleans in JSON form, arrays of scalars joined
//! with ", ". Every generated target implements exactly these rules; `render` is the reference.

use serde_json::Value;

use crate::model::{Filter, MessageTemplate, ObjectSchema, SchemaKind, TemplatePart};

/// A problem in a template, with the byte range inside the template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub message: String,
    pub start: usize,
    pub len: usize,
}

/// Where each `{placeholder}` of a template that parses is, as (byte offset, length) pairs in
/// the order of `MessageTemplate::placeholders`, so a diagnostic can point at one.
pub fn placeholder_ranges(source: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut chars = source.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' | '}' if chars.peek().map(|&(_, n)| n) == Some(c) => {
                chars.next();
            }
            '{' => {
                let Some(end) = source[i..].find('}').map(|e| i + e) else {
                    break;
                };
                out.push((i, end + 1 - i));
                while chars.peek().is_some_and(|&(j, _)| j <= end) {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    out
}

/// The template, or every syntax problem in it (a placeholder that is wrong is skipped, so the
/// ones after it are still checked).
pub fn parse(source: &str) -> Result<MessageTemplate, Vec<TemplateError>> {
    let mut errors = Vec::new();
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = source.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|&(_, c)| c) == Some('{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek().map(|&(_, c)| c) == Some('}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let Some(end) = source[i..].find('}').map(|e| i + e) else {
                    errors.push(TemplateError {
                        message:
                            "unclosed `{` in message template (write `{{` for a literal brace)"
                                .into(),
                        start: i,
                        len: source.len() - i,
                    });
                    break;
                };
                let skip = |chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>| {
                    while chars.peek().is_some_and(|&(j, _)| j <= end) {
                        chars.next();
                    }
                };
                let inner = &source[i + 1..end];
                let (name, filter) = match inner.split_once('|') {
                    Some((n, f)) => (n.trim(), Some(f.trim())),
                    None => (inner.trim(), None),
                };
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    errors.push(TemplateError {
                        message: format!(
                            "`{{{inner}}}` is not a placeholder: write `{{field}}` or `{{field|filter}}`"
                        ),
                        start: i,
                        len: end + 1 - i,
                    });
                    skip(&mut chars);
                    continue;
                }
                let filter = match filter {
                    None => None,
                    Some("capitalize") => Some(Filter::Capitalize),
                    Some("label") => Some(Filter::Label),
                    Some(other) => {
                        errors.push(TemplateError {
                            message: format!("unknown filter `{other}` (known: capitalize, label)"),
                            start: i,
                            len: end + 1 - i,
                        });
                        skip(&mut chars);
                        continue;
                    }
                };
                if !text.is_empty() {
                    parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                }
                parts.push(TemplatePart::Field {
                    name: name.to_string(),
                    filter,
                });
                skip(&mut chars);
            }
            '}' => {
                errors.push(TemplateError {
                    message: "unmatched `}` in message template (write `}}` for a literal brace)"
                        .into(),
                    start: i,
                    len: 1,
                });
            }
            c => text.push(c),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if !text.is_empty() {
        parts.push(TemplatePart::Text(text));
    }
    Ok(MessageTemplate {
        source: source.to_string(),
        parts,
        runtime: None,
    })
}

/// Renders a template with a details object. A missing field renders as `{name}` so a caller sees
/// what is missing rather than an empty gap; validation guarantees required fields are present.
pub fn render(
    template: &MessageTemplate,
    schema: Option<&ObjectSchema>,
    details: Option<&Value>,
) -> String {
    render_within(template, schema, details, usize::MAX).unwrap_or_default()
}

/// [`render`], or `None` as soon as the message grows past `limit` bytes: a check against a
/// message of known length need not build one of 600 MB (a template of 10,000 placeholders
/// filled with a 60 KB value).
pub fn render_within(
    template: &MessageTemplate,
    schema: Option<&ObjectSchema>,
    details: Option<&Value>,
    limit: usize,
) -> Option<String> {
    let mut out = String::new();
    for part in &template.parts {
        if out.len() > limit {
            return None;
        }
        match part {
            TemplatePart::Text(t) => out.push_str(t),
            TemplatePart::Field { name, filter } => {
                match details.and_then(|d| d.get(name)).filter(|v| !v.is_null()) {
                    Some(value) => {
                        let property = schema.and_then(|s| s.property(name));
                        let labels = property
                            .map(|p| match &p.schema.kind {
                                SchemaKind::String { labels, .. } => labels.as_slice(),
                                _ => &[],
                            })
                            .unwrap_or(&[]);
                        let value = match property {
                            Some(p) => numbers(value, &p.schema),
                            None => std::borrow::Cow::Borrowed(value),
                        };
                        out.push_str(&apply(*filter, &value, labels));
                    }
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
            }
        }
    }
    (out.len() <= limit).then_some(out)
}

/// One placeholder's text.
pub fn apply(filter: Option<Filter>, value: &Value, labels: &[(String, String)]) -> String {
    let text = scalar_text(value);
    match filter {
        None => text,
        Some(Filter::Capitalize) => capitalize(&text),
        Some(Filter::Label) => labels
            .iter()
            .find(|(k, _)| *k == text)
            .map_or(text, |(_, v)| v.clone()),
    }
}

/// `value` with the integers a `number` schema holds as floats (a list's items too), as the
/// packages hold them (Rust's `f64`, Python's `numbers`): `7` shows as `7.0`.
fn numbers<'a>(value: &'a Value, schema: &crate::model::Schema) -> std::borrow::Cow<'a, Value> {
    use std::borrow::Cow;
    match (&schema.kind, value) {
        (SchemaKind::Number { .. }, Value::Number(n)) if !n.is_f64() => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Cow::Borrowed(value), |f| Cow::Owned(Value::Number(f))),
        (SchemaKind::Array { items, .. }, Value::Array(values))
            if matches!(items.kind, SchemaKind::Number { .. }) =>
        {
            Cow::Owned(Value::Array(
                values
                    .iter()
                    .map(|v| numbers(v, items).into_owned())
                    .collect(),
            ))
        }
        _ => Cow::Borrowed(value),
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(", "),
        Value::Number(n) if n.is_f64() => n.as_f64().map_or_else(String::new, float_text),
        other => other.to_string(),
    }
}

// The generated crate's own copy, so that the two cannot disagree.
include!("emit/rust/fixed/float_text.rs");

/// A schema bound as the docs show it: a whole number below 10^16 as an integer (`100`), any
/// other as a message shows a float (`1.5`, `1e+300`), never hundreds of digits.
pub fn bound_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e16 {
        text!("{value:.0}")
    } else {
        float_text(value)
    }
}

/// The Unicode version of the oldest runtime the packages support (Python 3.10's, which
/// upper-cases by Unicode 13.0's tables; Rust and Node.js know newer ones).
pub const OLDEST_RUNTIME_UNICODE: &str = "13.0";

/// The first character of `s` when `capitalize` may give different text on the supported
/// runtimes: a letter assigned after [`OLDEST_RUNTIME_UNICODE`], or one whose upper case was
/// (`ɤ` is upper-cased to `Ɤ` from Unicode 16 on, and left as it is by Python 3.10 to 3.13).
pub fn capitalize_varies(s: &str) -> Option<char> {
    static KNOWN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let known = KNOWN.get_or_init(|| {
        regex::Regex::new(&format!(r"\A\p{{Age={OLDEST_RUNTIME_UNICODE}}}*\z"))
            .expect("a valid Unicode age class")
    });
    let first = s.chars().next()?;
    let upper: String = first.to_uppercase().collect();
    let varies = !known.is_match(&upper)
        || (first.is_alphabetic() && !known.is_match(first.encode_utf8(&mut [0; 4])));
    varies.then_some(first)
}

/// Upper-cases the first character (Unicode-aware: `éclair` -> `Éclair`).
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_show_in_one_format() {
        for (value, shown) in [
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e15, "1000000000000000.0"),
            (1e-5, "0.00001"),
            (1.5e-5, "0.000015"),
            (1e-6, "1e-6"),
            (-1.5e-7, "-1.5e-7"),
            (100.0, "100.0"),
            (2.5, "2.5"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (12345.678, "12345.678"),
            (1e21, "1e+21"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
        ] {
            assert_eq!(float_text(value), shown, "{value:e}");
        }
        // Whichever float formatter wrote the digits (ryu before serde_json 1.0.147, zmij since).
        for (written, shown) in [
            ("1e16", "1e+16"),
            ("1e-5", "0.00001"),
            ("1.5E-7", "1.5e-7"),
            ("10000000000000000.0", "1e+16"),
            ("0.0000015", "1.5e-6"),
            ("0.000015", "0.000015"),
            ("000.00", "0.0"),
            ("-100", "-100.0"),
        ] {
            assert_eq!(float_layout(written), shown, "{written}");
        }
        // The format is serde_json's since 1.0.147 (its zmij formatter, Cargo.lock's version):
        // the same text for values of every magnitude. The generated crate does not rely on it,
        // since its users' lockfiles may hold another version.
        let mut bits: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            bits ^= bits << 13;
            bits ^= bits >> 7;
            bits ^= bits << 17;
            let value = f64::from_bits(bits);
            if value.is_finite() {
                assert_eq!(
                    float_text(value),
                    Value::from(value).to_string(),
                    "{value:e}"
                );
            }
        }
    }

    #[test]
    fn placeholder_ranges_skip_escaped_braces() {
        let src = "{{x}} {a} and {b|capitalize}!";
        let ranges: Vec<&str> = placeholder_ranges(src)
            .into_iter()
            .map(|(s, l)| &src[s..s + l])
            .collect();
        assert_eq!(ranges, ["{a}", "{b|capitalize}"]);
    }

    #[test]
    fn parses_fields_filters_and_escapes() {
        let t = parse("{{x}} {a} and {b|capitalize}!").unwrap();
        assert_eq!(
            t.parts,
            vec![
                TemplatePart::Text("{x} ".into()),
                TemplatePart::Field {
                    name: "a".into(),
                    filter: None
                },
                TemplatePart::Text(" and ".into()),
                TemplatePart::Field {
                    name: "b".into(),
                    filter: Some(Filter::Capitalize)
                },
                TemplatePart::Text("!".into()),
            ]
        );
    }

    #[test]
    fn rejects_bad_placeholders() {
        let first = |t: &str| parse(t).unwrap_err().remove(0).message;
        assert!(first("a {b").contains("unclosed"));
        assert!(first("a }").contains("unmatched"));
        assert!(first("{a|shout}").contains("unknown filter `shout`"));
        assert!(first("{a b}").contains("not a placeholder"));
    }

    #[test]
    fn every_syntax_problem_is_reported() {
        let errors = parse("n={obj.x} o={ok} e={ } f={v|upper} }g {h").unwrap_err();
        let found: Vec<(usize, usize)> = errors.iter().map(|e| (e.start, e.len)).collect();
        assert_eq!(found, [(2, 7), (19, 3), (25, 9), (35, 1), (38, 2)]);
    }

    #[test]
    fn renders_values() {
        let t = parse("{n} {list} {s|capitalize} {missing}").unwrap();
        let d = json!({"n": 60, "list": ["a", "b"], "s": "contact"});
        assert_eq!(render(&t, None, Some(&d)), "60 a, b Contact {missing}");
    }

    #[test]
    fn labels_fall_back_to_the_value() {
        let labels = vec![("phone".to_string(), "phone number".to_string())];
        assert_eq!(
            apply(Some(Filter::Label), &json!("phone"), &labels),
            "phone number"
        );
        assert_eq!(apply(Some(Filter::Label), &json!("fax"), &labels), "fax");
    }

    #[test]
    fn capitalize_varies_only_past_the_oldest_runtime_unicode() {
        // Letters every supported runtime upper-cases alike, and text without case.
        for s in ["contact", "éclair", "ßtraße", "ǆ", "42", "", "🙂 hi", "Ω"] {
            assert_eq!(capitalize_varies(s), None, "{s:?}");
        }
        // U+A7CD (Unicode 16) and U+0264, whose upper case U+A7CB is new in Unicode 16.
        assert_eq!(capitalize_varies("\u{a7cd}x"), Some('\u{a7cd}'));
        assert_eq!(capitalize_varies("\u{264}x"), Some('\u{264}'));
        // U+2C5F (Unicode 14), lower case of U+2C2F.
        assert_eq!(capitalize_varies("\u{2c5f}"), Some('\u{2c5f}'));
    }
}
