//! `openapi.yaml`, written from the document's entries as they are built, in block
//! style: a string is plain only where no YAML reader (1.1 or 1.2) could take it for anything
//! else, text on several lines is a literal block, and anything else is double-quoted with
//! escapes (control and invisible formatting characters as `\uXXXX`, as in the data files).
//!
//! serde-saphyr's serializer, used before, spent most of its time deciding how to write each
//! scalar (312 ms at 10,000 codes, where serde_json wrote the larger JSON in 124); the document
//! needs only these three forms. `yaml_and_json_hold_the_same_document_and_start_with_the_header`
//! and `every_string_reads_back_as_written` read what this writes back with serde-saphyr.

use std::fmt::Write as _;

use serde_json::Value;

use crate::emit::catalog_json::escaped_in_text;

/// The YAML text of a document, written entry by entry.
pub(super) struct Writer {
    out: String,
}

impl Writer {
    /// A document that starts with a comment line with `header`.
    pub(super) fn new(header: &str) -> Self {
        let mut out = String::with_capacity(64 << 10);
        // The header is one line of our own text; keep it one comment line whatever it holds.
        let _ = writeln!(out, "# {}", header.replace(['\r', '\n'], " "));
        Self { out }
    }

    pub(super) fn finish(self) -> String {
        self.out
    }

    /// After a [`Self::key`] whose value is a mapping written entry by entry.
    pub(super) fn begin_entries(&mut self) {
        self.out.push('\n');
    }

    /// After [`Self::begin_entries`], when the mapping had no entries (its keys at `indent`).
    pub(super) fn no_entries(&mut self, indent: usize) {
        self.pad(indent);
        self.out.push_str("{}\n");
    }

    fn pad(&mut self, indent: usize) {
        self.out.extend(std::iter::repeat_n(' ', indent));
    }

    /// `key:` at `indent`, then nothing (the caller writes the rest of the line).
    pub(super) fn key(&mut self, indent: usize, key: &str) {
        self.pad(indent);
        self.mapping_key(indent, key);
    }

    /// A key and its colon, where the line is already indented (to `indent`).
    fn mapping_key(&mut self, indent: usize, key: &str) {
        // An implicit key is at most 1024 characters; a longer one is explicit.
        if key.len() > 1000 || key.contains('\n') {
            self.out.push_str("? ");
            self.quoted(key);
            self.out.push('\n');
            self.pad(indent);
            self.out.push(':');
        } else {
            self.scalar_inline(key);
            self.out.push(':');
        }
    }

    /// One entry of a mapping whose keys are at `indent`.
    pub(super) fn entry(&mut self, indent: usize, key: &str, value: &Value) {
        self.key(indent, key);
        self.after_key(indent, value);
    }

    /// A value after `key:` (keys at `indent`).
    fn after_key(&mut self, indent: usize, value: &Value) {
        match value {
            Value::Object(m) if !m.is_empty() => {
                self.out.push('\n');
                for (k, v) in m {
                    self.entry(indent + 2, k, v);
                }
            }
            // Items at the key's own indentation, as most YAML is written.
            Value::Array(items) if !items.is_empty() => {
                self.out.push('\n');
                self.items(indent, items);
            }
            Value::String(s) if literal(s) => self.literal(indent + 2, s),
            _ => {
                self.out.push(' ');
                self.scalar(value);
                self.out.push('\n');
            }
        }
    }

    /// The items of a sequence, their dashes at `indent`.
    fn items(&mut self, indent: usize, items: &[Value]) {
        for item in items {
            self.pad(indent);
            self.out.push('-');
            match item {
                Value::Object(m) if !m.is_empty() => {
                    // The first entry on the dash's line, the others under it.
                    self.out.push(' ');
                    let mut entries = m.iter();
                    if let Some((k, v)) = entries.next() {
                        self.mapping_key(indent + 2, k);
                        self.after_key(indent + 2, v);
                    }
                    for (k, v) in entries {
                        self.entry(indent + 2, k, v);
                    }
                }
                Value::Array(inner) if !inner.is_empty() => {
                    self.out.push('\n');
                    self.items(indent + 2, inner);
                }
                Value::String(s) if literal(s) => self.literal(indent + 2, s),
                _ => {
                    self.out.push(' ');
                    self.scalar(item);
                    self.out.push('\n');
                }
            }
        }
    }

    /// A scalar, or an empty collection, on the current line.
    fn scalar(&mut self, value: &Value) {
        match value {
            Value::Null => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => self.number(n),
            Value::String(s) => self.scalar_inline(s),
            Value::Array(_) => self.out.push_str("[]"),
            Value::Object(_) => self.out.push_str("{}"),
        }
    }

    /// A number as YAML 1.1 readers take it too: an exponent after a fraction and with its sign
    /// (`1.0e+300`, not serde_json's `1e300`, which YAML 1.1 reads as a string).
    fn number(&mut self, n: &serde_json::Number) {
        let text = n.to_string();
        match text.split_once(['e', 'E']) {
            Some((mantissa, exponent)) => {
                self.out.push_str(mantissa);
                if !mantissa.contains('.') {
                    self.out.push_str(".0");
                }
                self.out.push('e');
                if !exponent.starts_with(['-', '+']) {
                    self.out.push('+');
                }
                self.out.push_str(exponent);
            }
            None => self.out.push_str(&text),
        }
    }

    /// A string on the current line: plain where that is safe, else double-quoted.
    fn scalar_inline(&mut self, s: &str) {
        if plain(s) {
            self.out.push_str(s);
        } else {
            self.quoted(s);
        }
    }

    /// A double-quoted string: `\` and `"` escaped, and every character `escaped_in_text`.
    fn quoted(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\t' => self.out.push_str("\\t"),
                c if escaped_in_text(c) => {
                    let _ = write!(self.out, "\\u{:04X}", u32::from(c));
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    /// A literal block (` |-` or ` |`, then the lines at `indent`).
    fn literal(&mut self, indent: usize, s: &str) {
        let (body, header) = match s.strip_suffix('\n') {
            Some(body) => (body, " |\n"),
            None => (s, " |-\n"),
        };
        self.out.push_str(header);
        for line in body.split('\n') {
            if !line.is_empty() {
                self.pad(indent);
                self.out.push_str(line);
            }
            self.out.push('\n');
        }
    }
}

/// Whether a string reads as itself when written plain, in block context, by YAML 1.1 and 1.2
/// readers alike: it starts with a letter, `_`, `/` or `$` (so it is no number, and no
/// indicator); it has no line break, no `{}[]`, no character `escaped_in_text`, no `: ` or ` #`
/// and no `:` or space at its end; and it is not one of the words YAML reads as a boolean or
/// null.
fn plain(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || matches!(first, '_' | '/' | '$')) || s.ends_with([':', ' '])
    {
        return false;
    }
    // One pass (this runs on every string of a large document): no `: `, no ` #`, no character
    // that YAML reads as flow syntax or that must be escaped (in ASCII, the control characters).
    let mut prev = first;
    for c in s.chars() {
        let escaped = if c.is_ascii() {
            c.is_ascii_control()
        } else {
            escaped_in_text(c)
        };
        if escaped
            || matches!(c, '\n' | '{' | '}' | '[' | ']')
            || (c == ' ' && prev == ':')
            || (c == '#' && prev == ' ')
        {
            return false;
        }
        prev = c;
    }
    !["y", "n", "yes", "no", "on", "off", "true", "false", "null"]
        .iter()
        .any(|word| s.eq_ignore_ascii_case(word))
}

/// Whether a string is written as a literal block: it has a line break, at most one at its end,
/// no character that must be escaped, no line that ends with a space (nor a blank line made of
/// spaces), and its first line does not start with a space (the block's indentation is read
/// from it).
fn literal(s: &str) -> bool {
    s.contains('\n')
        && !s.ends_with("\n\n")
        && !s.starts_with([' ', '\n'])
        && !s.chars().any(|c| c != '\n' && escaped_in_text(c))
        && !s.split('\n').any(|line| line.ends_with(' '))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::Writer;

    #[test]
    fn every_string_reads_back_as_written() {
        let strings = [
            "",
            " ",
            "a",
            "plain text, with (parens) and a/b.c-d+e $x 'q'",
            "true",
            "True",
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "n",
            "null",
            "Null",
            "~",
            "1",
            "1.5",
            "-1",
            "0x1F",
            "1e3",
            ".inf",
            ".nan",
            "2001-12-14",
            "1:20",
            "a: b",
            "a:b",
            "a #b",
            "#a",
            "a#",
            "- a",
            "-",
            "? a",
            "&a",
            "*a",
            "!a",
            "|a",
            ">a",
            "%a",
            "@a",
            "`a",
            "\"a\"",
            "'a'",
            "{a}",
            "[a]",
            "a,b",
            "a ",
            " a",
            "a\n",
            "a\nb",
            "a\nb\n",
            "a\n\nb",
            "a\n\n",
            "\na",
            " a\nb",
            "a\n b",
            "a \nb",
            "a\n  \nb",
            "a\tb",
            "a\rb",
            "a\u{85}b",
            "a\u{2028}b",
            "\u{feff}a",
            "a\u{202e}b",
            "\u{1F600}",
            "é ✓",
            "a\\b",
            "a\u{0}b",
            "a\u{7f}b",
            "$ref",
            "/path",
            "Status429ErrorBody",
            "2XX",
            "400",
            "default",
            "a:",
            "a :b",
            "a: ",
            "https://x.y/z#w",
            "a ## b",
            "a; `b` \"c\" 'd' ?e !f &g *h %i @j |k >l <m =n ~o",
            "a, {b}",
            "a [b]",
            "a\u{200b}b",
            "ü ö",
            "Ä:",
            "a\u{a0}b",
        ];
        let long = "k".repeat(1_100);
        let mut object = serde_json::Map::new();
        for (i, s) in strings.iter().enumerate() {
            object.insert((*s).to_string(), json!(s));
            object.insert(
                text!("list{i}"),
                json!([s, [s], {"k": s, s.to_string(): [s]}]),
            );
        }
        object.insert(long.clone(), json!(long));
        object.insert(
            text!("{long}2"),
            json!([long, {"a\nb": [1]}, {long.clone(): {"x": "y"}}]),
        );
        object.insert(text!("{long}3"), json!({"x": [1]}));
        object.insert(
            "numbers".into(),
            json!([0, -1, 1.5, 1e300, -2.5e-7, 1e21, u64::MAX, i64::MIN]),
        );
        object.insert(
            "empty".into(),
            json!({"a": [], "b": {}, "c": [[], {}], "d": null}),
        );
        object.insert("nested".into(), json!([[["a", {"b": [1, {"c": "d\ne"}]}]]]));
        let value = Value::Object(object);
        let mut w = Writer { out: String::new() };
        let Value::Object(m) = &value else {
            unreachable!()
        };
        for (k, v) in m {
            w.entry(0, k, v);
        }
        let back: Value =
            serde_saphyr::from_str(&w.out).unwrap_or_else(|e| panic!("{e}\n{}", w.out));
        assert_eq!(back, value, "{}", w.out);
        assert!(
            w.out
                .contains("\nplain text, with (parens) and a/b.c-d+e $x 'q': plain")
        );
        assert!(w.out.contains("\n\"true\": \"true\"\n"));
        assert!(w.out.contains("\nhttps://x.y/z#w: https://x.y/z#w\n"));
        assert!(w.out.contains("\n? \"a\\nb\"\n: |-\n  a\n  b\n"));
    }
}
