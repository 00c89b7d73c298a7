//! TypeScript syntax: the one string-literal escaper, the one doc-comment escaper, and a small
//! indenting writer. Everything catalog text passes through here before it becomes TypeScript.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::Value;

// Characters written as `\uXXXX` in string literals (and as `\u{XXXX}` text in comments).
use crate::emit::catalog_json::escaped_in_text as needs_unicode_escape;

/// A double-quoted TypeScript/JavaScript string literal for any text.
///
/// Escapes the quote, the backslash, every control character, the JavaScript line terminators
/// U+2028/U+2029, and the invisible formatting characters (bidi overrides and isolates, zero-width
/// marks, BOM) that could make source read differently than it compiles ("Trojan Source").
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    if crate::emit::literal_as_is(s) {
        out.push_str(s);
        out.push('"');
        return out;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_unicode_escape(c) => out.push_str(&text!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The lines of a comment (line or block) for any text: `*/` cannot close a block comment, every
/// line break (CR, LF, CRLF, U+2028, U+2029) starts a new comment line, and other control and
/// invisible formatting characters become visible `\u{XXXX}` text.
pub fn comment_lines(text: &str) -> Vec<String> {
    let breaks = ['\r', '\u{2028}', '\u{2029}'];
    let normalized = if text.contains(breaks) {
        Cow::Owned(text.replace("\r\n", "\n").replace(breaks, "\n"))
    } else {
        Cow::Borrowed(text)
    };
    normalized
        .split('\n')
        .map(|line| {
            let mut out = String::with_capacity(line.len());
            for c in line.chars() {
                match c {
                    '\t' => out.push_str("    "),
                    c if needs_unicode_escape(c) => {
                        let _ = write!(out, "\\u{{{:04X}}}", u32::from(c));
                    }
                    c => out.push(c),
                }
            }
            if out.contains("*/") {
                out = out.replace("*/", "*\\/");
            }
            out.truncate(out.trim_end().len());
            out
        })
        .collect()
}

/// `comment_lines` for JSDoc prose: a line that would start a tag (`@`) is escaped as `\@`.
fn prose_lines(text: &str) -> Vec<String> {
    comment_lines(text)
        .into_iter()
        .map(|l| {
            if l.trim_start().starts_with('@') {
                l.replacen('@', "\\@", 1)
            } else {
                l
            }
        })
        .collect()
}

/// A property name in a type or object literal: bare when it is an identifier, else quoted.
/// (Reserved words are valid property names.)
pub fn property_key(name: &str) -> String {
    let mut chars = name.chars();
    let ident = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident && name != "__proto__" {
        name.to_string()
    } else {
        string_literal(name)
    }
}

/// A JSON value as a TypeScript expression (strings through `string_literal`). Objects never
/// use `__proto__` as a bare key, so a JSON key of that name stays an own property.
pub fn value_literal(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string_literal(s),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(value_literal).collect();
            text!("[{}]", items.join(", "))
        }
        Value::Object(map) if map.is_empty() => "{}".into(),
        Value::Object(map) => {
            let fields: Vec<String> = map
                .iter()
                .map(|(k, v)| {
                    let key = if k == "__proto__" {
                        text!("[{}]", string_literal(k))
                    } else {
                        property_key(k)
                    };
                    text!("{key}: {}", value_literal(v))
                })
                .collect();
            text!("{{ {} }}", fields.join(", "))
        }
    }
}

/// An indenting writer for TypeScript source: lines, blocks and JSDoc comments.
#[derive(Debug, Default)]
pub struct CodeWriter {
    out: String,
    depth: usize,
}

const INDENT: &str = "  ";

impl CodeWriter {
    /// A file that starts with the generated-file header as a line comment.
    pub fn with_header(header: &str) -> Self {
        let mut w = Self::default();
        for line in comment_lines(header) {
            w.line(text!("// {line}"));
        }
        w
    }

    /// One line at the current indentation (an empty string writes an empty line).
    pub fn line(&mut self, text: impl AsRef<str>) -> &mut Self {
        let text = text.as_ref();
        if !text.is_empty() {
            for _ in 0..self.depth {
                self.out.push_str(INDENT);
            }
            self.out.push_str(text);
        }
        self.out.push('\n');
        self
    }

    pub fn blank(&mut self) -> &mut Self {
        self.line("")
    }

    /// `open`, then `body` one level deeper, then `close`.
    pub fn block(
        &mut self,
        open: impl AsRef<str>,
        close: &str,
        body: impl FnOnce(&mut Self),
    ) -> &mut Self {
        self.line(open);
        self.depth += 1;
        body(self);
        self.depth -= 1;
        self.line(close)
    }

    /// A JSDoc comment from paragraphs of prose, separated by empty comment lines, then `tags`
    /// (`@tag text`; the text is escaped like any comment). Nothing when both are empty.
    pub fn doc(&mut self, paragraphs: &[String], tags: &[String]) -> &mut Self {
        let mut lines: Vec<String> = Vec::new();
        for p in paragraphs.iter().filter(|p| !p.trim().is_empty()) {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(prose_lines(p.trim_end()));
        }
        for t in tags {
            let mut tag_lines = comment_lines(t).into_iter();
            lines.extend(tag_lines.next());
            lines.extend(tag_lines.map(|l| prose_lines(&l).concat()));
        }
        match lines.as_slice() {
            [] => {}
            [one] if one.len() < 80 => {
                self.line(text!("/** {one} */"));
            }
            _ => {
                self.line("/**");
                for l in &lines {
                    self.line(if l.is_empty() {
                        " *".to_string()
                    } else {
                        text!(" * {l}")
                    });
                }
                self.line(" */");
            }
        }
        self
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn string_literals_escape_quotes_breaks_and_invisibles() {
        assert_eq!(string_literal(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(string_literal("cr\rlf\ntab\t"), r#""cr\rlf\ntab\t""#);
        assert_eq!(
            string_literal("ls\u{2028}ps\u{2029}"),
            r#""ls\u2028ps\u2029""#
        );
        assert_eq!(
            string_literal("rtl\u{202E}x\u{0}\u{7f}"),
            r#""rtl\u202Ex\u0000\u007F""#
        );
        // Double quotes make backticks and `${` plain text; comments markers are harmless.
        assert_eq!(
            string_literal("`${x}` */ </script>"),
            r#""`${x}` */ </script>""#
        );
        assert_eq!(string_literal("é 🚀 日本"), "\"é 🚀 日本\"");
    }

    #[test]
    fn comments_cannot_be_closed_early() {
        assert_eq!(
            comment_lines("ends */ here /* and"),
            vec!["ends *\\/ here /* and"]
        );
        assert_eq!(comment_lines("a**/b"), vec!["a**\\/b"]);
    }

    #[test]
    fn comments_split_every_line_break() {
        assert_eq!(
            comment_lines("a\r\nb\rc\nd\u{2028}e\u{2029}f"),
            vec!["a", "b", "c", "d", "e", "f"]
        );
        assert_eq!(
            comment_lines("rtl \u{202E} and \u{7}"),
            vec!["rtl \\u{202E} and \\u{0007}"]
        );
        assert_eq!(
            prose_lines("@param not a tag\n  @see"),
            vec!["\\@param not a tag", "  \\@see"]
        );
        assert_eq!(prose_lines("mail a@b.c `${x}`"), vec!["mail a@b.c `${x}`"]);
    }

    #[test]
    fn property_keys_are_quoted_only_when_needed() {
        assert_eq!(property_key("type"), "type");
        assert_eq!(property_key("constructor"), "constructor");
        assert_eq!(property_key("2fa_required"), "\"2fa_required\"");
        assert_eq!(property_key("X-Evil"), "\"X-Evil\"");
        assert_eq!(property_key("__proto__"), "\"__proto__\"");
    }

    #[test]
    fn values_become_literals() {
        let v = json!({"a": [1, 1.5, true, null], "b c": "x\u{2028}", "__proto__": {}});
        assert_eq!(
            value_literal(&v),
            r#"{ a: [1, 1.5, true, null], "b c": "x\u2028", ["__proto__"]: {} }"#
        );
    }

    #[test]
    fn writer_indents_blocks_and_docs() {
        let mut w = CodeWriter::with_header("@generated x");
        w.doc(&["One */ line".into()], &[]);
        w.block("export interface A {", "}", |w| {
            w.doc(
                &["first".into(), "second\nthird".into()],
                &["@deprecated use B".into()],
            );
            w.line("readonly a: string;");
        });
        assert_eq!(
            w.finish(),
            "// @generated x\n/** One *\\/ line */\nexport interface A {\n  /**\n   * first\n   *\n   * second\n   * third\n   * @deprecated use B\n   */\n  readonly a: string;\n}\n"
        );
    }
}
