//! Diagnostics with file:line:column and a rustc-style source snippet.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::source::Source;

/// A place in a catalog source. `file` indexes the (sorted) sources given to `generate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: u32,
    /// Byte offset of the first character.
    pub offset: u32,
    /// Length in bytes (at least 1 when rendered).
    pub len: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// Whether a problem stops generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Severity {
    /// The catalog is invalid: nothing is generated.
    #[default]
    Error,
    /// Likely a mistake, but the catalog is valid: generation goes on, and the CLI shows it.
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Where; `None` only for problems of the catalog as a whole (a missing `api` section).
    pub span: Option<Span>,
    /// Text under the caret.
    pub label: String,
    /// `= help:` / `= note:` lines.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// The message, label and notes may quote catalog text: each is passed through [`escape`]
    /// here, so no call site can forget it.
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: escaped(message.into()),
            span: Some(span),
            label: String::new(),
            notes: Vec::new(),
        }
    }

    /// A problem that does not stop generation.
    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::new(span, message)
        }
    }

    pub fn global(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: escaped(message.into()),
            span: None,
            label: String::new(),
            notes: Vec::new(),
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = escaped(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.notes.push(format!("help: {}", escaped(help.into())));
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(format!("note: {}", escaped(note.into())));
        self
    }

    /// `path:line:column`, or just the message's subject when the problem has no place.
    pub fn location(&self, sources: &[Source]) -> Option<String> {
        let span = self.span?;
        let source = &sources[span.file as usize];
        Some(format!(
            "{}:{}:{}",
            escape(&source.name),
            span.line,
            span.column
        ))
    }

    /// Renders like rustc:
    ///
    /// ```text
    /// error: unknown key `statsu`
    ///  --> catalog/errors/auth.yaml:3:5
    ///   |
    /// 3 |     statsu: 401
    ///   |     ^^^^^^ not a key of an error code
    ///   |
    ///   = help: did you mean `status`?
    /// ```
    pub fn render(&self, sources: &[Source]) -> String {
        self.render_styled(sources, &Style::PLAIN)
    }

    /// [`render`](Self::render), with the terminal styles of `style` (none for `Style::PLAIN`).
    pub fn render_styled(&self, sources: &[Source], style: &Style) -> String {
        let level = match self.severity {
            Severity::Error => style.error,
            Severity::Warning => style.warning,
        };
        let (b, r) = (style.bold, style.reset);
        let mut out = format!(
            "{level}{}{r}{b}: {}{r}\n",
            self.severity.as_str(),
            self.message
        );
        let Some(span) = self.span else {
            for note in &self.notes {
                let _ = writeln!(out, "  = {note}");
            }
            return out;
        };
        let source = &sources[span.file as usize];
        let (line_text, col_bytes) = line_at(&source.text, span.offset as usize);
        let gutter = span.line.to_string().len();
        let pad = " ".repeat(gutter);
        let g = style.gutter;
        let _ = writeln!(
            out,
            "{pad}{g}-->{r} {}:{}:{}",
            escape(&source.name),
            span.line,
            span.column
        );
        let _ = writeln!(out, "{pad} {g}|{r}");
        // Carets cover the span, clipped to the line, measured in the characters the snippet
        // line actually shows (tabs and escaped control characters are wider than one).
        let before = line_text.get(..col_bytes).unwrap_or("");
        let covered = line_text
            .get(col_bytes..)
            .unwrap_or("")
            .get(..(span.len as usize).min(line_text.len().saturating_sub(col_bytes)))
            .or_else(|| line_text.get(col_bytes..))
            .unwrap_or("");
        let after = line_text.get(col_bytes + covered.len()..).unwrap_or("");
        // A long line (a 30 MiB value on one line) is shown as a window around the span.
        let (before, cut_before) = last_chars(before, SNIPPET_BEFORE);
        let (covered, cut_covered) = first_chars(covered, SNIPPET_COVERED);
        let (after, cut_after) = if cut_covered {
            ("", !after.is_empty())
        } else {
            first_chars(after, SNIPPET_AFTER)
        };
        let before = format!("{}{}", if cut_before { "…" } else { "" }, printable(before));
        let covered = printable(covered);
        let _ = writeln!(
            out,
            "{g}{} |{r} {before}{covered}{}{}",
            span.line,
            printable(after),
            if cut_covered || cut_after { "…" } else { "" }
        );
        let indent = before.chars().count();
        let width = covered.chars().count().max(1);
        let label = if self.label.is_empty() {
            String::new()
        } else {
            format!(" {}", self.label)
        };
        let _ = writeln!(
            out,
            "{pad} {g}|{r} {}{level}{}{}{r}",
            " ".repeat(indent),
            "^".repeat(width),
            label
        );
        if !self.notes.is_empty() {
            let _ = writeln!(out, "{pad} {g}|{r}");
            for note in &self.notes {
                let _ = writeln!(out, "{pad} {g}={r} {note}");
            }
        }
        out
    }
}

/// Terminal escape sequences for rendering; `Style::PLAIN` has none. The CLI picks `COLOR`
/// only for a terminal without `NO_COLOR`, so files, pipes and tests get plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub error: &'static str,
    pub warning: &'static str,
    pub gutter: &'static str,
    pub bold: &'static str,
    pub reset: &'static str,
}

impl Style {
    pub const PLAIN: Style = Style {
        error: "",
        warning: "",
        gutter: "",
        bold: "",
        reset: "",
    };
    /// rustc's colours: bold red errors, bold yellow warnings, bold blue gutters.
    pub const COLOR: Style = Style {
        error: "\x1b[1;31m",
        warning: "\x1b[1;33m",
        gutter: "\x1b[1;34m",
        bold: "\x1b[1m",
        reset: "\x1b[0m",
    };
}

/// Characters of a snippet line shown before the span, of the span, and after it; the rest of
/// a longer line is cut and marked with `…`.
const SNIPPET_BEFORE: usize = 100;
const SNIPPET_COVERED: usize = 300;
const SNIPPET_AFTER: usize = 100;

/// The last `n` characters of `text`, and whether any were cut.
fn last_chars(text: &str, n: usize) -> (&str, bool) {
    match text.char_indices().rev().nth(n.saturating_sub(1)) {
        Some((i, _)) if i > 0 && n > 0 => (&text[i..], true),
        _ => (text, false),
    }
}

/// The first `n` characters of `text`, and whether any were cut.
fn first_chars(text: &str, n: usize) -> (&str, bool) {
    match text.char_indices().nth(n) {
        Some((i, _)) => (&text[..i], true),
        None => (text, false),
    }
}

/// The line holding byte `offset` (lines end at `\n`, `\r\n` or a lone `\r`), and the offset
/// within it. An offset inside a character or past the end clamps to a valid place.
fn line_at(text: &str, offset: usize) -> (&str, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i);
    (&text[start..end], offset - start)
}

/// A snippet line as shown: tabs expanded to four spaces, everything else as [`escape`] shows it.
fn printable(line: &str) -> String {
    line.split('\t')
        .map(escape)
        .collect::<Vec<_>>()
        .join("    ")
}

/// Catalog text (or a file name) as a diagnostic shows it: control characters (C0, DEL, C1),
/// line and paragraph separators, the bidirectional controls and the byte-order mark are written
/// as Rust escapes (`\n`, `\t`, `\u{1b}`, `\u{202e}`); everything else, non-ASCII included, is
/// kept. So a catalog cannot start a fake line (`::error::` in a CI log), move the cursor or
/// recolour a terminal with ESC sequences, ring the bell, or reorder what is shown. This is the
/// one escaping function of diagnostics; [`Diagnostic`]'s builders and the snippet use it.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`escape`]d, with each `quoted` part longer than [`QUOTED_CHARS`] characters cut, and the
/// whole cut after [`TEXT_CHARS`]: a message that quotes a 60 KB name, or a note that lists 500
/// fields, stays readable, and the rule after the name is still shown.
fn escaped(text: String) -> String {
    let text = match escape(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(s) => s,
    };
    let text = if text.len() > QUOTED_CHARS {
        shorten_quoted(text)
    } else {
        text
    };
    match text.char_indices().nth(TEXT_CHARS) {
        Some((at, _)) => {
            let more = text[at..].chars().count();
            format!("{}… ({more} more characters)", &text[..at])
        }
        None => text,
    }
}

/// `text` with the inside of each pair of backticks longer than [`QUOTED_CHARS`] characters
/// cut to that many (with `…`).
fn shorten_quoted(text: String) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    let long = |(i, part): (usize, &&str)| {
        i % 2 == 1 && i + 1 < parts.len() && part.chars().nth(QUOTED_CHARS).is_some()
    };
    if !parts.iter().enumerate().any(long) {
        return text;
    }
    let mut out = String::with_capacity(TEXT_CHARS);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('`');
        }
        match part.char_indices().nth(QUOTED_CHARS) {
            Some((at, _)) if long((i, part)) => {
                out.push_str(&part[..at]);
                out.push('…');
            }
            _ => out.push_str(part),
        }
    }
    out
}

/// The most diagnostics a report shows (a hostile file can hold millions of mistakes; the
/// count line still counts them all).
const SHOWN: usize = 200;

/// The most characters of a quoted name that a diagnostic shows.
const QUOTED_CHARS: usize = 100;

/// The most characters of a message, label, help or note that a diagnostic shows.
const TEXT_CHARS: usize = 1000;

/// Characters that act on a terminal or hide or reorder text rather than show as themselves.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// Every problem found, sorted by place so the report is stable. Past [`KEPT`] problems the
/// rest are counted, not kept: a hostile file of millions of mistakes costs no more memory than
/// one of ten thousand.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
    /// The errors and warnings found past [`KEPT`].
    dropped: (usize, usize),
}

/// The most problems a run keeps (a report shows the first [`SHOWN`] of them).
const KEPT: usize = 10_000;

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        if self.items.len() < KEPT {
            self.items.push(d);
        } else if d.severity == Severity::Error {
            self.dropped.0 += 1;
        } else {
            self.dropped.1 += 1;
        }
    }

    /// Every problem of `other` (found on another thread), as [`push`](Self::push) takes them.
    pub fn append(&mut self, other: Diagnostics) {
        self.dropped.0 += other.dropped.0;
        self.dropped.1 += other.dropped.1;
        for d in other.items {
            self.push(d);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many problems were found, kept or not.
    pub fn len(&self) -> usize {
        self.items.len() + self.dropped.0 + self.dropped.1
    }

    /// Sorts by place (global problems first) and drops exact repeats.
    pub fn finish(mut self) -> Self {
        self.items.sort_by(|a, b| {
            a.span
                .map(|s| (s.file, s.offset))
                .cmp(&b.span.map(|s| (s.file, s.offset)))
                .then_with(|| a.message.cmp(&b.message))
        });
        self.items.dedup();
        self
    }

    /// Whether any diagnostic is an error (warnings alone do not stop generation).
    pub fn has_errors(&self) -> bool {
        self.dropped.0 > 0 || self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many diagnostics have this severity, kept or not.
    pub fn count(&self, severity: Severity) -> usize {
        let dropped = match severity {
            Severity::Error => self.dropped.0,
            Severity::Warning => self.dropped.1,
        };
        dropped + self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// All diagnostics, rendered, then a count line.
    pub fn render(&self, sources: &[Source]) -> String {
        self.render_styled(sources, &Style::PLAIN)
    }

    /// [`render`](Self::render) with terminal styles. The count line says whether anything was
    /// written: nothing when there are errors; warnings alone stop nothing.
    pub fn render_styled(&self, sources: &[Source], style: &Style) -> String {
        self.render_counted(sources, style, "; nothing was written")
    }

    /// All diagnostics and a count line, for a command that only reads the catalog (`diff`,
    /// `explain`): nothing to say about writing.
    pub fn render_read(&self, sources: &[Source]) -> String {
        self.render_counted(sources, &Style::PLAIN, "")
    }

    fn render_counted(&self, sources: &[Source], style: &Style, outcome: &str) -> String {
        let mut out = String::new();
        for d in self.items.iter().take(SHOWN) {
            out.push_str(&d.render_styled(sources, style));
            out.push('\n');
        }
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        if let Some(more) = self.len().checked_sub(SHOWN).filter(|&n| n > 0) {
            let _ = writeln!(
                out,
                "{}note{}: {more} more problem{} not shown: the first {SHOWN} are above, in file order\n",
                style.bold,
                style.reset,
                plural(more)
            );
        }
        let (errors, warnings) = (self.count(Severity::Error), self.count(Severity::Warning));
        let (b, r) = (style.bold, style.reset);
        if errors > 0 {
            let also = if warnings > 0 {
                format!(" and {warnings} warning{}", plural(warnings))
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "{}error{r}{b}: the catalog has {errors} error{}{also}{outcome}{r}",
                style.error,
                plural(errors)
            );
        } else if warnings > 0 {
            let _ = writeln!(
                out,
                "{}warning{r}{b}: the catalog has {warnings} warning{}{r}",
                style.warning,
                plural(warnings)
            );
        }
        out
    }
}

/// The closest candidate by edit distance, if it is close enough to be a likely typo. Lengths
/// far apart are no typo, and are not compared: the comparison takes time in the product of the
/// lengths, and a hostile catalog can give a 60 KB name to compare with every code.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let near = |c: &str| input.len() <= 2 * c.len() + 8 && c.len() <= 2 * input.len() + 8;
    // Jaro-Winkler misses two swapped letters that are not side by side (`emun` for `enum`):
    // the same letters in another order count too, just below a Jaro-Winkler match.
    let anagram = |c: &str| {
        let sorted = |s: &str| {
            let mut b = s.to_ascii_lowercase().into_bytes();
            b.sort_unstable();
            b
        };
        input.len() >= 3 && sorted(input) == sorted(c)
    };
    candidates
        .into_iter()
        .filter(|c| near(c))
        .map(|c| {
            let score = strsim::jaro_winkler(input, c);
            (
                if score <= 0.8 && anagram(c) {
                    0.801
                } else {
                    score
                },
                c,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_shows_the_first_problems_and_counts_them_all() {
        let mut diags = Diagnostics::default();
        for i in 0..SHOWN + 50 {
            diags.push(Diagnostic::global(format!("problem {i}")));
        }
        let text = diags.finish().render(&[]);
        assert_eq!(text.matches("error: problem ").count(), SHOWN);
        assert!(text.contains("note: 50 more problems not shown"), "{text}");
        assert!(text.ends_with(&format!(
            "the catalog has {} errors; nothing was written\n",
            SHOWN + 50
        )));
    }

    #[test]
    fn problems_past_the_kept_ones_are_counted() {
        let at = Span {
            file: 0,
            offset: 0,
            len: 1,
            line: 1,
            column: 1,
        };
        let mut diags = Diagnostics::default();
        for i in 0..KEPT + 5 {
            diags.push(Diagnostic::warning(at, format!("warning {i}")));
        }
        diags.push(Diagnostic::global("an error past the kept ones"));
        let mut all = Diagnostics::default();
        all.append(diags);
        assert_eq!(all.items.len(), KEPT);
        assert_eq!(all.len(), KEPT + 6);
        // The error was not kept, but it still stops generation, and the count line counts it.
        assert!(all.has_errors());
        assert_eq!(all.count(Severity::Error), 1);
        assert_eq!(all.count(Severity::Warning), KEPT + 5);
        let text = all.render(&[Source::new("cat.yaml", "x\n")]);
        assert!(text.contains(&format!("{} more problems not shown", KEPT + 6 - SHOWN)));
        assert!(text.ends_with(&format!(
            "1 error and {} warnings; nothing was written\n",
            KEPT + 5
        )));
    }

    #[test]
    fn renders_snippet_with_caret_and_help() {
        let sources = vec![Source::new("cat.yaml", "errors:\n  - statsu: 401\n")];
        let d = Diagnostic::new(
            Span {
                file: 0,
                offset: 12,
                len: 6,
                line: 2,
                column: 5,
            },
            "unknown key `statsu` in an error code",
        )
        .label("unknown key")
        .help("did you mean `status`?");
        assert_eq!(
            d.render(&sources),
            "error: unknown key `statsu` in an error code\n --> cat.yaml:2:5\n  |\n2 |   - statsu: 401\n  |     ^^^^^^ unknown key\n  |\n  = help: did you mean `status`?\n"
        );
    }

    #[test]
    fn carets_line_up_after_tabs_and_on_cr_only_lines() {
        let sources = vec![Source::new("c.yaml", "a: 1\r\tkey: bad\rz: 2")];
        let d = Diagnostic::new(
            Span {
                file: 0,
                offset: 11,
                len: 3,
                line: 2,
                column: 7,
            },
            "bad value",
        );
        let out = d.render(&sources);
        assert!(
            out.contains("2 |     key: bad\n  |          ^^^\n"),
            "{out}"
        );
    }

    #[test]
    fn escape_shows_control_and_reordering_characters_as_escapes() {
        assert!(matches!(escape("plain é ü 日本"), Cow::Borrowed(_)));
        assert_eq!(
            escape("a\u{1b}[2Jb\u{7}c\r\n::error::x\td\u{7f}\u{85}"),
            "a\\u{1b}[2Jb\\u{7}c\\r\\n::error::x\\td\\u{7f}\\u{85}"
        );
        assert_eq!(
            escape("\u{202e}rtl\u{2066}\u{2028}\u{feff}"),
            "\\u{202e}rtl\\u{2066}\\u{2028}\\u{feff}"
        );
        // Quotes and backslashes are text, not escapes.
        assert_eq!(escape("`a` \"b\" \\n"), "`a` \"b\" \\n");
    }

    #[test]
    fn long_texts_are_cut() {
        let name = "z".repeat(60_000);
        let fields: Vec<String> = (0..500).map(|i| format!("field_{i}")).collect();
        let d = Diagnostic::global(format!("unknown `{name}`: use `a`"))
            .label(name.clone())
            .help(format!("did you mean `{name}`?"))
            .note(format!("details fields: {}", fields.join(", ")));
        let quoted = format!("`{}…`", "z".repeat(QUOTED_CHARS));
        assert_eq!(d.message, format!("unknown {quoted}: use `a`"));
        assert_eq!(d.notes[0], format!("help: did you mean {quoted}?"));
        // Unquoted text, and lists, are cut as a whole.
        for text in [&d.label, &d.notes[1]] {
            assert_eq!(
                text.split('…')
                    .next()
                    .map(|s| s.chars().count() <= TEXT_CHARS + 6),
                Some(true)
            );
            assert!(text.ends_with(" more characters)"), "{text}");
        }
        let short = Diagnostic::global("short `q`").note("x".repeat(TEXT_CHARS));
        assert_eq!(short.message, "short `q`");
        assert_eq!(short.notes[0], format!("note: {}", "x".repeat(TEXT_CHARS)));
    }

    #[test]
    fn every_part_of_a_diagnostic_is_escaped() {
        let sources = vec![Source::new(
            "cat\u{1b}[31m.yaml",
            "key: \"x\"\u{7}\u{1b}]0;title\u{7}\n",
        )];
        let d = Diagnostic::new(
            Span {
                file: 0,
                offset: 5,
                len: 3,
                line: 1,
                column: 6,
            },
            "unknown `\u{1b}[2J`\n::error::fake",
        )
        .label("label\r")
        .help("help\u{1b}")
        .note("note\u{9b}");
        let out = d.render(&sources);
        assert!(
            !out.chars().any(|c| c != '\n' && hidden(c)),
            "raw control character in {out:?}"
        );
        assert_eq!(
            out,
            "error: unknown `\\u{1b}[2J`\\n::error::fake\n --> cat\\u{1b}[31m.yaml:1:6\n  |\n1 | key: \"x\"\\u{7}\\u{1b}]0;title\\u{7}\n  |      ^^^ label\\r\n  |\n  = help: help\\u{1b}\n  = note: note\\u{9b}\n"
        );
        assert_eq!(d.location(&sources).unwrap(), "cat\\u{1b}[31m.yaml:1:6");
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_span() {
        let line = format!("{}KEY{}", "a".repeat(1000), "b".repeat(1000));
        let sources = vec![Source::new("c.yaml", line)];
        let d = Diagnostic::new(
            Span {
                file: 0,
                offset: 1000,
                len: 3,
                line: 1,
                column: 1001,
            },
            "here",
        );
        let out = d.render(&sources);
        let a = "a".repeat(SNIPPET_BEFORE);
        let b = "b".repeat(SNIPPET_AFTER);
        let pad = " ".repeat(SNIPPET_BEFORE + 1);
        assert!(
            out.contains(&format!("1 | …{a}KEY{b}…\n  | {pad}^^^\n")),
            "{out}"
        );
        let wide = Diagnostic::new(
            Span {
                file: 0,
                offset: 0,
                len: 2003,
                line: 1,
                column: 1,
            },
            "all",
        );
        let out = wide.render(&sources);
        let shown = format!("{}…", "a".repeat(SNIPPET_COVERED));
        assert!(out.contains(&format!("1 | {shown}\n")), "{out}");
        assert!(out.contains(&format!("  | {}\n", "^".repeat(SNIPPET_COVERED))));
    }

    #[test]
    fn did_you_mean_finds_typos_only() {
        assert_eq!(did_you_mean("statsu", ["status", "code"]), Some("status"));
        assert_eq!(did_you_mean("zzz", ["status", "code"]), None);
        // Letters swapped apart, which Jaro-Winkler scores low.
        assert_eq!(
            did_you_mean("emun", ["type", "enum", "const"]),
            Some("enum")
        );
        assert_eq!(did_you_mean("nmae", ["name", "code"]), Some("name"));
        assert_eq!(did_you_mean("ba", ["ab"]), None);
    }
}
