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
                out.push_str(&text!("\\x{n:02x}"));
            } else {
                out.push_str(&text!("\\u{n:04x}"));
            }
        }
        c => out.push(c),
    }
}

/// A Python string literal for any text, quoted the way `ruff format` leaves it: double quotes
/// unless the text holds more double quotes than single ones.
pub fn string_literal(s: &str) -> String {
    // No `"`: double quotes, and nothing in between needs escaping.
    if crate::emit::literal_as_is(s) {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        return out;
    }
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

/// The line length of the package's `ruff` settings (`line-length` in its `pyproject.toml`).
pub const LINE_LENGTH: usize = 100;

/// The columns `text` takes as ruff measures it, never less: a character outside ASCII
/// counts two (east Asian wide characters and emoji do), so a line is never taken to fit when it
/// does not.
fn width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// The operands of a type's top-level `|` union (the type itself if it is not one).
fn union_operands(ty: &str) -> Vec<&str> {
    let mut operands = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    let bytes = ty.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'[' | b'(' => depth += 1,
            b']' | b')' => depth = depth.saturating_sub(1),
            b'|' if depth == 0 && i > 0 && bytes[i - 1] == b' ' => {
                operands.push(ty[start..i - 1].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    operands.push(ty[start..].trim());
    operands
}

/// Whether `ty` is a plain (possibly dotted) name.
fn is_name(ty: &str) -> bool {
    ty.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
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
        w.line(text!("# {header}"));
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

    /// Whether `text` fits on one line at the current indentation.
    pub fn fits(&self, text: &str) -> bool {
        self.indent * 4 + width(text) <= LINE_LENGTH
    }

    /// A statement that holds catalog names, written by `body` (one line or several; of a
    /// compound statement, only its header). Within the line length it is what `ruff format`
    /// writes. Past it, ruff would split it at places that depend on every width in it (the
    /// target, the annotation, the value), so it is kept whole and marked `# fmt: skip`: the
    /// emitter never guesses a formatter's line breaks, and a long name reads no worse on one
    /// line.
    pub fn whole(&mut self, body: impl FnOnce(&mut Self)) {
        let start = self.out.len();
        body(self);
        if self.out[start..].lines().any(|l| width(l) > LINE_LENGTH) {
            self.out.pop();
            self.out.push_str("  # fmt: skip\n");
        }
    }

    /// `{target} = {value}` for a value that is a name, an attribute or a literal. When the line
    /// is too long but both `{target} = (` and the value fit, the value goes in parentheses on a
    /// line of its own, as ruff writes it; when not even that fits, the line is a `statement`.
    pub fn assign(&mut self, target: &str, value: &str) {
        let line = text!("{target} = {value}");
        let head = text!("{target} = (");
        if self.fits(&line) {
            self.line(line);
        } else if self.fits(&head) && self.fits_indented(value) {
            self.block(head, ")", |w| w.line(value));
        } else {
            self.statement(line);
        }
    }

    /// `return {value}` for a value that is a name, an attribute, a literal or a call without
    /// arguments: past the line length, the value in parentheses on a line of its own if it fits
    /// there, as ruff writes it (a class of a long code's nested object: `return Name()`), else
    /// a `statement`.
    pub fn returned(&mut self, value: &str) {
        let line = text!("return {value}");
        if self.fits(&line) {
            self.line(line);
        } else if self.fits_indented(value) {
            self.block("return (", ")", |w| w.line(value));
        } else {
            self.statement(line);
        }
    }

    /// A class-body field `{target}: {annotation}`, with ` = {default}` if given, in ruff's layout:
    /// on one line if it fits; else, with a default, the default in parentheses if that line
    /// fits; else a union annotation in parentheses, on one line or one operand a line, and a
    /// plain name in parentheses if both its lines fit. Anything else (a subscript that would have
    /// to be split) is a `statement`.
    pub fn field(&mut self, target: &str, annotation: &str, default: Option<&str>) {
        let tail = default.map(|d| text!(" = {d}")).unwrap_or_default();
        let line = text!("{target}: {annotation}{tail}");
        if self.fits(&line) {
            return self.line(line);
        }
        if let Some(d) = default {
            let head = text!("{target}: {annotation} = (");
            if self.fits(&head) {
                return self.block(head, ")", |w| w.line(d));
            }
        }
        let parenthesized = |w: &mut Self, lines: &[String]| {
            w.block(text!("{target}: ("), &text!("){tail}"), |w| {
                for l in lines {
                    w.line(l);
                }
            });
        };
        if union_operands(annotation).len() > 1 {
            if let Some(lines) = self.union_lines(annotation) {
                return parenthesized(self, &lines);
            }
        } else if default.is_none()
            && is_name(annotation)
            && self.fits(&text!("{target}: ("))
            && self.fits_indented(annotation)
        {
            return parenthesized(self, &[annotation.to_string()]);
        }
        self.statement(line);
    }

    /// The last line of a split `def` header, `) -> {annotation}:`, in ruff's layout: a union
    /// that does not fit goes in parentheses, on one line or one operand a line; anything
    /// else that does not fit is a `statement`.
    pub fn returns(&mut self, annotation: &str) {
        let line = text!(") -> {annotation}:");
        let lines = (union_operands(annotation).len() > 1)
            .then(|| self.union_lines(annotation))
            .flatten();
        match lines {
            Some(lines) if !self.fits(&line) => self.block(") -> (", "):", |w| {
                for l in &lines {
                    w.line(l);
                }
            }),
            _ => self.statement(line),
        }
    }

    /// `{target} = {value}` for a value that `value` writes split, its first line starting with
    /// the text it is given (a call or a subscript with a trailing comma, opened by `head`). Where
    /// `{target} = {head}` does not fit but the value in parentheses fits entirely, it goes in
    /// them, as ruff writes it; otherwise the statement is kept `whole`.
    pub fn assign_split(&mut self, target: &str, head: &str, value: impl Fn(&mut Self, &str)) {
        let first = text!("{target} = {head}");
        if self.fits(&first) {
            return value(self, &first);
        }
        let open = text!("{target} = (");
        let mut inner = Self {
            out: String::new(),
            indent: self.indent + 1,
        };
        value(&mut inner, head);
        if self.fits(&open) && inner.out.lines().all(|l| width(l) <= LINE_LENGTH) {
            self.line(open);
            self.out.push_str(&inner.out);
            self.line(")");
        } else {
            self.whole(|w| value(w, &first));
        }
    }

    /// The header `if {subject} {test}:` (`test` such as `is None`): split after the subject in
    /// parentheses when it does not fit, as ruff writes it.
    pub fn if_header(&mut self, subject: &str, test: &str) {
        let line = text!("if {subject} {test}:");
        if self.fits(&line) {
            self.line(line);
        } else {
            self.block("if (", "):", |w| {
                w.line(subject);
                w.line(test);
            });
        }
    }

    /// `{prefix}{function}({args}){suffix}`: on one line if it fits, else split with a trailing
    /// comma if its head fits (ruff keeps a split call with a trailing comma as it is, even where
    /// an argument is longer than the line), else a `statement`.
    pub fn call(&mut self, prefix: &str, function: &str, args: &[&str], suffix: &str) {
        let line = text!("{prefix}{function}({}){suffix}", args.join(", "));
        let head = text!("{prefix}{function}(");
        if self.fits(&line) {
            self.line(line);
        } else if self.fits(&head) && !args.is_empty() {
            self.block(head, &text!("){suffix}"), |w| {
                for a in args {
                    w.line(text!("{a},"));
                }
            });
        } else {
            self.statement(line);
        }
    }

    /// A union type inside parentheses one level deeper, as ruff writes it: on one line if it
    /// fits, else one operand a line with `| ` before all but the first; `None` if that does not
    /// fit either.
    fn union_lines(&self, annotation: &str) -> Option<Vec<String>> {
        if self.fits_indented(annotation) {
            return Some(vec![annotation.to_string()]);
        }
        let lines: Vec<String> = union_operands(annotation)
            .iter()
            .enumerate()
            .map(|(i, op)| {
                if i == 0 {
                    op.to_string()
                } else {
                    text!("| {op}")
                }
            })
            .collect();
        lines.iter().all(|l| self.fits_indented(l)).then_some(lines)
    }

    /// Whether `text` fits on one line one level deeper than the current indentation.
    fn fits_indented(&self, text: &str) -> bool {
        (self.indent + 1) * 4 + width(text) <= LINE_LENGTH
    }

    /// A one-line `whole` statement.
    pub fn statement(&mut self, text: impl AsRef<str>) {
        self.whole(|w| w.line(text));
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
            [one] => self.line(text!("\"\"\"{one}\"\"\"")),
            [first, rest @ ..] => {
                self.line(text!("\"\"\"{first}"));
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

    /// What the writer writes one level deep (in a class body).
    fn written(f: impl FnOnce(&mut PyWriter)) -> String {
        let mut w = PyWriter::with_header("h");
        w.indented(f);
        w.finish().trim_start_matches("# h\n").to_string()
    }

    // The expected layouts are ruff 0.17's output at `line-length = 100` for the same input
    // (probed name length by name length); the grid checks them against ruff itself.
    #[test]
    fn fields_take_ruffs_layout_at_every_width() {
        let n = |k: usize| "a".repeat(k);
        let field = |k: usize, ann: &str, default: Option<&str>| {
            written(|w| w.field(&n(k), ann, default)).replace(&n(k), "N")
        };
        assert_eq!(
            field(77, "str | None", Some("None")),
            "    N: str | None = None\n"
        );
        assert_eq!(
            field(78, "str | None", Some("None")),
            "    N: str | None = (\n        None\n    )\n"
        );
        assert_eq!(
            field(81, "str | None", Some("None")),
            "    N: (\n        str | None\n    ) = None\n"
        );
        let long = "C".repeat(86);
        assert_eq!(
            written(|w| w.field("x", &text!("{long} | None"), Some("None"))),
            text!("    x: (\n        {long}\n        | None\n    ) = None\n")
        );
        assert_eq!(
            field(85, "str | None", None),
            "    N: (\n        str | None\n    )\n"
        );
        assert_eq!(field(92, "str", None), "    N: (\n        str\n    )\n");
        assert_eq!(field(94, "str", None), "    N: str  # fmt: skip\n");
        assert_eq!(
            field(90, "tuple[str, ...]", None),
            "    N: tuple[str, ...]  # fmt: skip\n"
        );
    }

    #[test]
    fn assignments_returns_and_calls_take_ruffs_layout() {
        let member =
            |k: usize| written(|w| w.assign(&"A".repeat(k), &text!("\"{}\"", "a".repeat(k))));
        assert_eq!(member(45).lines().count(), 1);
        assert_eq!(
            member(46),
            text!(
                "    {} = (\n        \"{}\"\n    )\n",
                "A".repeat(46),
                "a".repeat(46)
            )
        );
        // A module-level `def`, as the details readers are.
        let ret = |k: usize| {
            let mut w = PyWriter::with_header("h");
            w.returns(&text!("{} | None", "C".repeat(k)));
            w.finish()
                .trim_start_matches("# h\n")
                .replace(&"C".repeat(k), "C")
        };
        assert_eq!(ret(87), ") -> C | None:\n");
        assert_eq!(ret(88), ") -> (\n    C | None\n):\n");
        assert_eq!(ret(90), ") -> (\n    C\n    | None\n):\n");
        let call = |k: usize| written(|w| w.call("x = ", "f", &[&"a".repeat(k)], ""));
        assert_eq!(call(89).lines().count(), 1);
        assert_eq!(
            call(90),
            text!("    x = f(\n        {},\n    )\n", "a".repeat(90))
        );
    }

    #[test]
    fn conditions_and_split_values_take_ruffs_layout() {
        let cond = |k: usize| {
            written(|w| w.if_header(&"a".repeat(k), "is None")).replace(&"a".repeat(k), "N")
        };
        assert_eq!(cond(84), "    if N is None:\n");
        assert_eq!(cond(85), "    if (\n        N\n        is None\n    ):\n");
        assert_eq!(cond(150), "    if (\n        N\n        is None\n    ):\n");
        let local = |k: usize| {
            written(|w| {
                w.assign_split(&"a".repeat(k), "f(", |w, head| {
                    w.block(head, ")", |w| w.line("x,"));
                });
            })
            .replace(&"a".repeat(k), "N")
        };
        assert_eq!(local(91), "    N = f(\n        x,\n    )\n");
        assert_eq!(
            local(92),
            "    N = (\n        f(\n            x,\n        )\n    )\n"
        );
        assert_eq!(local(93), "    N = f(\n        x,\n    )  # fmt: skip\n");
    }

    #[test]
    fn union_operands_split_at_the_top_level_only() {
        assert_eq!(union_operands("A | str | None"), ["A", "str", "None"]);
        assert_eq!(
            union_operands("dict[str, A | str] | None"),
            ["dict[str, A | str]", "None"]
        );
        assert_eq!(union_operands("tuple[A, ...]"), ["tuple[A, ...]"]);
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
