//! Python syntax: the one string-literal escaper, the one docstring escaper, and a small
//! indenting writer. Everything catalog text passes through here before it becomes Python.

/// Characters written as `\uXXXX` escapes: control characters, line and paragraph separators,
/// and the invisible formatting characters (bidi overrides and isolates, zero-width marks, BOM)
/// that could make source read differently than it runs ("Trojan Source").
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}' | '\u{00AD}')
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if needs_escape(c) => {
            let n = u32::from(c);
            if n <= 0xFF {
                out.push_str(&format!("\\x{n:02x}"));
            } else {
                out.push_str(&format!("\\u{n:04x}"));
            }
        }
        c => out.push(c),
    }
}

/// A Python string literal for any text, quoted the way `ruff format` leaves it: double quotes
/// unless the text holds more double quotes than single ones.
pub fn string_literal(s: &str) -> String {
    let doubles = s.matches('"').count();
    let singles = s.matches('\'').count();
    let quote = if doubles > singles { '\'' } else { '"' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        if c == quote {
            out.push('\\');
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    out.push(quote);
    out
}

/// The lines of a docstring's text for any catalog text: line breaks (CR, LF, CRLF, U+2028,
/// U+2029) start new lines, backslashes and quotes are escaped (so `"""` cannot close it), other
/// invisible characters become escapes, and lines carry no trailing or leading blank space that
/// `ruff format` would change.
pub fn docstring_lines(text: &str) -> Vec<String> {
    let normalized = text
        .replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}'], "\n");
    let mut lines: Vec<String> = normalized
        .split('\n')
        .map(|line| {
            let mut out = String::with_capacity(line.len());
            for c in line.trim().chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\t' => out.push(' '),
                    c => push_escaped(&mut out, c),
                }
            }
            out
        })
        .collect();
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    while lines.first().is_some_and(String::is_empty) {
        lines.remove(0);
    }
    lines
}

/// An indenting writer of Python source (four spaces).
pub struct PyWriter {
    out: String,
    indent: usize,
}

impl PyWriter {
    /// A file that opens with the generated-file header as a comment.
    pub fn with_header(header: &str) -> Self {
        let mut w = Self {
            out: String::new(),
            indent: 0,
        };
        w.line(format!("# {header}"));
        w
    }

    pub fn line(&mut self, text: impl AsRef<str>) {
        let text = text.as_ref();
        if !text.is_empty() {
            for _ in 0..self.indent {
                self.out.push_str("    ");
            }
            self.out.push_str(text);
        }
        self.out.push('\n');
    }

    pub fn blank(&mut self) {
        self.out.push('\n');
    }

    /// `header` (ending in `:` or an opening bracket), the body indented, then `close` if any.
    pub fn block(&mut self, header: impl AsRef<str>, close: &str, body: impl FnOnce(&mut Self)) {
        self.line(header);
        self.indent += 1;
        body(self);
        self.indent -= 1;
        if !close.is_empty() {
            self.line(close);
        }
    }

    /// The body indented one level, with no header line.
    pub fn indented(&mut self, body: impl FnOnce(&mut Self)) {
        self.indent += 1;
        body(self);
        self.indent -= 1;
    }

    /// A docstring from lines of prose (already split and escaped by `docstring_lines`), in the
    /// layout `ruff format` keeps; nothing when there are no lines.
    pub fn docstring(&mut self, lines: &[String]) {
        match lines {
            [] => {}
            [one] => self.line(format!("\"\"\"{one}\"\"\"")),
            [first, rest @ ..] => {
                self.line(format!("\"\"\"{first}"));
                for l in rest {
                    self.line(l);
                }
                self.line("\"\"\"");
            }
        }
    }

    /// `docstring` for catalog text.
    pub fn doc(&mut self, text: &str) {
        self.docstring(&docstring_lines(text));
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_escape_and_pick_quotes_like_ruff() {
        assert_eq!(string_literal("plain"), "\"plain\"");
        assert_eq!(string_literal("say \"hi\""), "'say \"hi\"'");
        assert_eq!(
            string_literal("it's \"x\" 'y'"),
            "\"it\\'s \\\"x\\\" 'y'\"".replace("\\'", "'")
        );
        assert_eq!(string_literal("a\\b\r\n\t"), "\"a\\\\b\\r\\n\\t\"");
        assert_eq!(
            string_literal("rtl \u{202E} bel \u{7}"),
            "\"rtl \\u202e bel \\x07\""
        );
        assert_eq!(string_literal("ünï 🚀"), "\"ünï 🚀\"");
    }

    #[test]
    fn docstrings_cannot_be_closed_or_broken() {
        assert_eq!(docstring_lines("a \"\"\" b"), ["a \\\"\\\"\\\" b"]);
        assert_eq!(docstring_lines("ends with \\"), ["ends with \\\\"]);
        assert_eq!(
            docstring_lines("one\r\ntwo\rthree  \n\n"),
            ["one", "two", "three"]
        );
        assert_eq!(docstring_lines("  x\u{202E}"), ["x\\u202e"]);
        assert!(docstring_lines(" \n ").is_empty());
    }
}
