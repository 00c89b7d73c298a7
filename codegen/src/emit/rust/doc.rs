//! Doc comments for the generated crate. Catalog text goes through `escape` (the one function
//! that makes any text safe, literal rustdoc Markdown); the emitter's own Markdown is added raw.

use std::borrow::Cow;

/// Characters rustc denies in comments (`text_direction_codepoint_in_comment`).
const BIDI: &[char] = &[
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}',
];

/// Catalog text as rustdoc Markdown that renders literally: `\r` and control and bidi characters
/// removed or spelled out, Markdown punctuation escaped, line-leading block syntax (headings,
/// lists, quotes, fences, indented code) neutralized, `http(s)://` URLs made autolinks, and
/// balanced inline code spans (`` `like this` ``) kept as code. Lines stay separate (`\n`).
pub fn escape(text: &str) -> String {
    normalized(text)
        .split('\n')
        .map(|line| escape_line(line, true))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` with its line breaks as `\n` and its tabs as spaces.
fn normalized(text: &str) -> Cow<'_, str> {
    if text.contains(['\r', '\t']) {
        Cow::Owned(
            text.replace("\r\n", "\n")
                .replace('\r', "\n")
                .replace('\t', " "),
        )
    } else {
        Cow::Borrowed(text)
    }
}

fn visible(c: char) -> Option<String> {
    if BIDI.contains(&c) || (c.is_control() && c != '\t') || c == '\u{200E}' || c == '\u{200F}' {
        Some(text!("U+{:04X}", c as u32))
    } else {
        None
    }
}

/// One line escaped; `starts_line` when it begins a Markdown line (or a list item), where its
/// leading block syntax must be neutralized too.
fn escape_line(line: &str, starts_line: bool) -> String {
    let chars: Vec<char> = line.trim_start().chars().collect();
    let mut out = String::new();
    let mut i = 0;
    // Line-leading block syntax: headings, lists, quotes, setext underlines, ordered lists.
    if let Some(&c) = chars.first().filter(|_| starts_line) {
        if matches!(c, '#' | '-' | '+' | '=' | ':') {
            out.push('\\');
            out.push(c);
            i = 1;
        } else if c.is_ascii_digit() {
            let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
            if matches!(chars.get(digits), Some('.' | ')')) {
                out.extend(&chars[..digits]);
                out.push('\\');
                out.push(chars[digits]);
                i = digits + 1;
            }
        }
    }
    while i < chars.len() {
        let c = chars[i];
        if let Some(v) = visible(c) {
            out.push_str(&v);
            i += 1;
            continue;
        }
        match c {
            '`' => {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                match closing_run(&chars, i + run, run) {
                    Some(end) => {
                        for &c in &chars[i..end + run] {
                            match visible(c) {
                                Some(v) => out.push_str(&v),
                                None => out.push(c),
                            }
                        }
                        i = end + run;
                    }
                    None => {
                        for _ in 0..run {
                            out.push_str("\\`");
                        }
                        i += run;
                    }
                }
            }
            'h' if starts_url(&chars[i..]) => {
                let len = chars[i..]
                    .iter()
                    .take_while(|c| {
                        !c.is_whitespace()
                            && !matches!(c, '<' | '>' | '`' | '"' | '\\')
                            && visible(**c).is_none()
                    })
                    .count();
                let whole: String = chars[i..i + len].iter().collect();
                let url = whole.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'']);
                let rest = &whole[url.len()..];
                out.push('<');
                out.push_str(url);
                out.push('>');
                out.push_str(&escape_plain(rest));
                i += len;
            }
            '_' => {
                let alnum = |j: Option<&char>| j.is_some_and(|c| c.is_alphanumeric());
                if i > 0 && alnum(chars.get(i - 1)) && alnum(chars.get(i + 1)) {
                    out.push('_');
                } else {
                    out.push_str("\\_");
                }
                i += 1;
            }
            c => {
                push_plain(&mut out, c);
                i += 1;
            }
        }
    }
    out
}

fn escape_plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_plain(&mut out, c);
    }
    out
}

/// One character of prose, backslash-escaped if Markdown could read it as syntax.
fn push_plain(out: &mut String, c: char) {
    if matches!(
        c,
        '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '`'
    ) {
        out.push('\\');
    }
    out.push(c);
}

/// Where a run of exactly `run` backticks starts after `from`, on the same line.
fn closing_run(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut j = from;
    while j < chars.len() {
        if chars[j] == '`' {
            let len = chars[j..].iter().take_while(|&&c| c == '`').count();
            if len == run {
                return Some(j);
            }
            j += len;
        } else {
            j += 1;
        }
    }
    None
}

fn starts_url(chars: &[char]) -> bool {
    let starts = |prefix: &str| chars.iter().copied().take(prefix.len()).eq(prefix.chars());
    let after = |n: usize| chars.get(n).is_some_and(|c| !c.is_whitespace());
    (starts("https://") && after(8)) || (starts("http://") && after(7))
}

/// Catalog text on one line (newlines become spaces), escaped, for the middle of a line: there
/// Markdown's line-leading syntax (`# `, `- `, `1. `) means nothing, so it is left as written
/// (`version 1.0.0`, not `version 1\.0.0`).
pub fn inline(text: &str) -> String {
    one_line(text, false)
}

/// [`inline`] for text that starts a line or a list item (`- {text}`), where its leading block
/// syntax is neutralized as [`escape`] does.
pub fn item(text: &str) -> String {
    one_line(text, true)
}

fn one_line(text: &str, starts_line: bool) -> String {
    let mut first = starts_line;
    normalized(text)
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| escape_line(l, std::mem::replace(&mut first, false)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Catalog text as one inline code span, shown exactly as written (Markdown does not apply
/// inside code spans): on one line, control and bidi characters spelled out, and fenced by more
/// backticks than the longest run inside it, padded with a space where CommonMark would
/// otherwise strip one or merge a backtick into the fence.
pub fn code(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| match c {
            '\r' | '\n' | '\t' => " ".to_string(),
            c => visible(c).unwrap_or_else(|| c.to_string()),
        })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let spaced = text.starts_with(' ') && text.ends_with(' ') && !text.trim().is_empty();
    let pad = if text.starts_with('`') || text.ends_with('`') || spaced {
        " "
    } else {
        ""
    };
    text!("{fence}{pad}{text}{pad}{fence}")
}

/// Builds one item's documentation as Markdown lines; `outer` and `inner` write them as
/// `///` and `//!` comments.
#[derive(Default)]
pub struct Doc {
    lines: Vec<String>,
}

impl Doc {
    pub fn new() -> Self {
        Self::default()
    }

    /// Markdown the emitter wrote (trusted), one or more lines.
    pub fn raw(mut self, markdown: impl AsRef<str>) -> Self {
        self.lines
            .extend(markdown.as_ref().split('\n').map(str::to_string));
        self
    }

    /// Catalog text, escaped, as its own lines.
    pub fn text(mut self, text: &str) -> Self {
        self.lines
            .extend(escape(text).split('\n').map(str::to_string));
        self
    }

    /// An empty line (a paragraph break), unless the doc is empty or already ends with one.
    pub fn para(mut self) -> Self {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
        self
    }

    /// `///` comment lines at `indent` spaces, without trailing empty lines.
    pub fn outer(&self, indent: usize) -> String {
        self.comment(indent, "///")
    }

    /// `//!` comment lines (the crate root's docs).
    pub fn inner(&self) -> String {
        self.comment(0, "//!")
    }

    fn comment(&self, indent: usize, marker: &str) -> String {
        let pad = " ".repeat(indent);
        let mut out = String::new();
        for line in self.trimmed() {
            out.push_str(&pad);
            out.push_str(marker);
            out.push_str(&line);
            out.push('\n');
        }
        out
    }

    fn trimmed(&self) -> Vec<String> {
        let mut lines = self.lines.clone();
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        lines
            .into_iter()
            .map(|l| {
                if l.is_empty() {
                    l
                } else {
                    text!(" {}", l.trim_end())
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(
            escape("Rate limit exceeded. Retry after 60 seconds"),
            "Rate limit exceeded. Retry after 60 seconds"
        );
        assert_eq!(
            escape("retry_after and request_id"),
            "retry_after and request_id"
        );
    }

    #[test]
    fn code_spans_are_kept_and_stray_backticks_escaped() {
        assert_eq!(
            escape("such as `contacts:write`."),
            "such as `contacts:write`."
        );
        assert_eq!(escape("a ``` fence"), "a \\`\\`\\` fence");
        assert_eq!(escape("```"), "\\`\\`\\`");
        assert_eq!(escape("`a` and ``b`c``"), "`a` and ``b`c``");
    }

    #[test]
    fn html_links_and_emphasis_are_literal() {
        assert_eq!(escape("<b>code</b>"), "\\<b\\>code\\</b\\>");
        assert_eq!(
            escape("[link](javascript:alert(1))"),
            "\\[link\\](javascript:alert(1))"
        );
        assert_eq!(escape("*support* __id__"), "\\*support\\* \\_\\_id\\_\\_");
        assert_eq!(escape("a | b & c"), "a \\| b \\& c");
        assert_eq!(escape("*/ and /*"), "\\*/ and /\\*");
    }

    #[test]
    fn block_syntax_at_line_start_is_neutralized() {
        assert_eq!(escape("# not a heading"), "\\# not a heading");
        assert_eq!(
            escape("- item\n+ item\n1. one\n    indented"),
            "\\- item\n\\+ item\n1\\. one\nindented"
        );
        assert_eq!(escape("> quote\n==="), "\\> quote\n\\===");
    }

    #[test]
    fn carriage_returns_controls_and_bidi_are_removed() {
        assert_eq!(escape("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(escape("x \u{202E} y\u{7}"), "x U+202E yU+0007");
        assert!(!escape("`\u{202E}`").contains('\u{202E}'));
        assert_eq!(escape("tab\there"), "tab here");
    }

    #[test]
    fn urls_become_autolinks() {
        assert_eq!(
            escape("see https://example.com/x."),
            "see <https://example.com/x>."
        );
        assert_eq!(escape("http://a.b/c d"), "<http://a.b/c> d");
        assert_eq!(escape("https:// alone"), "https:// alone");
    }

    #[test]
    fn inline_joins_lines() {
        assert_eq!(inline("a\nb\r\n"), "a b");
    }

    #[test]
    fn only_text_that_starts_a_line_has_its_block_syntax_escaped() {
        for (text, inline_text, item_text) in [
            ("1.0.0", "1.0.0", "1\\.0.0"),
            ("# not a heading", "# not a heading", "\\# not a heading"),
            ("- x\n2. y", "- x 2. y", "\\- x 2. y"),
            ("a_b *c*", "a_b \\*c\\*", "a_b \\*c\\*"),
        ] {
            assert_eq!(inline(text), inline_text, "{text:?}");
            assert_eq!(item(text), item_text, "{text:?}");
        }
    }

    #[test]
    fn code_spans_show_text_exactly() {
        assert_eq!(code("alpha"), "`alpha`");
        assert_eq!(code("a*b_c <b>"), "`a*b_c <b>`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code(" a "), "`  a  `");
        assert_eq!(code("a\r\nb"), "`a  b`");
        assert_eq!(code("x\u{202E}y"), "`xU+202Ey`");
    }

    #[test]
    fn doc_lines_become_comments() {
        let doc = Doc::new()
            .text("*/ end")
            .para()
            .raw("**Status:** 429")
            .para();
        assert_eq!(
            doc.outer(4),
            "    /// \\*/ end\n    ///\n    /// **Status:** 429\n"
        );
        assert_eq!(Doc::new().raw("x").inner(), "//! x\n");
    }
}
