//! Catalog text into Markdown: one function per context, so no catalog string reaches the docs
//! unescaped. Each function's output is valid CommonMark (as mdBook's pulldown-cmark reads it)
//! that renders as exactly the input text: no emphasis, links, raw HTML, headings, list items,
//! table breaks or `{{#include}}`s can come from the catalog.
//!
//! Contexts: [`text`] (prose: paragraphs, list items, link text), [`heading`], [`cell`] (a table
//! cell), [`code`] (an inline code span), [`code_in_cell`], [`fence`] (a fenced code block),
//! [`guide`] (author-written CommonMark from `guidance`, kept as Markdown but defused).

use std::borrow::Cow;

/// Line breaks of any kind (`\r\n`, `\r`, `\n`) as single spaces: inline contexts are one line.
fn one_line(s: &str) -> Cow<'_, str> {
    if s.contains(['\r', '\n']) {
        Cow::Owned(s.replace("\r\n", " ").replace(['\r', '\n'], " "))
    } else {
        Cow::Borrowed(s)
    }
}

/// Prose: a paragraph, a list item or link text. Markdown-significant ASCII punctuation is
/// backslash-escaped (`*`, `` ` ``, `[`, `]`, `<`, `>`, `&`, `|`, `#`, `~`, `{`, `}`, `\`, `!`),
/// `_` unless it sits inside a word (`request_id` stays readable and cannot start emphasis),
/// and a leading list or block marker (`-`, `+`, `=`, `1.`, `1)`); line breaks become spaces.
pub fn text(s: &str) -> String {
    let s = one_line(s);
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '&' | '|' | '#' | '~' | '{' | '}' | '!' => {
                true
            }
            '_' => {
                let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
                !(i > 0 && word(chars.get(i - 1)) && word(chars.get(i + 1)))
            }
            // Block markers only matter at the start of the text (it may start a line).
            '-' | '+' | '=' => i == 0,
            '.' | ')' => chars[..i].iter().all(char::is_ascii_digit) && i > 0,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A heading's text. Like [`text`] (which already escapes `#` and `{`, so neither a closing
/// sequence nor a heading attribute block can come from the catalog).
pub fn heading(s: &str) -> String {
    text(s)
}

/// A table cell: [`text`], whose `|` escape keeps the cell in its column (GFM tables) and whose
/// line-break folding keeps the row on one line.
pub fn cell(s: &str) -> String {
    text(s)
}

/// An inline code span showing `s` verbatim: the fence is one backtick longer than the longest
/// run of backticks inside, padded with spaces when `s` starts or ends with a backtick or space
/// (CommonMark strips one space on each side). Line breaks become spaces.
pub fn code(s: &str) -> String {
    let s = one_line(s);
    let ticks = "`".repeat(longest_run(&s, '`') + 1);
    let pad = s.starts_with('`')
        || s.ends_with('`')
        || (s.starts_with(' ') && s.ends_with(' ') && !s.trim().is_empty());
    if pad {
        text!("{ticks} {s} {ticks}")
    } else {
        text!("{ticks}{s}{ticks}")
    }
}

/// A code span inside a table cell: GFM splits cells on `|` even inside code spans, and reads
/// `\|` there as a literal pipe.
pub fn code_in_cell(s: &str) -> String {
    code(s).replace('|', "\\|")
}

/// A fenced code block with info string `lang`, showing `body` verbatim: the fence is longer than
/// any backtick run inside. Line endings are normalized to `\n`; no newline after the closing fence.
pub fn fence(body: &str, lang: &str) -> String {
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    let ticks = "`".repeat((longest_run(&body, '`') + 1).max(3));
    let body = body.trim_end_matches('\n');
    text!("{ticks}{lang}\n{body}\n{ticks}")
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in s.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// Author-written CommonMark (a `guidance` body), kept as Markdown but made safe for a page where
/// it sits under a level-`depth` heading:
/// - outside code (fenced blocks and inline code spans), `<` and `&` are escaped, so raw HTML
///   and entity tricks render as text;
/// - `javascript:`, `vbscript:` and `data:` link destinations are defused (prefixed `unsafe:`);
/// - ATX headings are demoted below `depth`, so the body cannot break the page outline;
/// - line endings are normalized to `\n`.
pub fn guide(body: &str, depth: usize) -> String {
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::new();
    let mut fence: Option<(char, usize)> = None;
    let mut prose = String::new();
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |m| trimmed.chars().take_while(|c| *c == m).count());
        match fence {
            Some((m, n)) => {
                out.push_str(line);
                if indent < 4 && marker == Some(m) && run >= n && trimmed[run..].trim().is_empty() {
                    fence = None;
                }
            }
            None if indent < 4
                && run >= 3
                && !(marker == Some('`') && trimmed[run..].contains('`')) =>
            {
                out.push_str(&defuse_prose(&std::mem::take(&mut prose), depth));
                out.push_str(line);
                fence = marker.map(|m| (m, run));
            }
            None => prose.push_str(line),
        }
    }
    out.push_str(&defuse_prose(&prose, depth));
    if fence.is_some() {
        // An unclosed fence would swallow the rest of the page: close it.
        if !out.ends_with('\n') {
            out.push('\n');
        }
        let (m, n) = fence.unwrap_or(('`', 3));
        out.push_str(&m.to_string().repeat(n));
        out.push('\n');
    }
    out
}

/// Prose lines of a guide (no fenced blocks): escapes outside inline code spans, demotes headings.
fn defuse_prose(prose: &str, depth: usize) -> String {
    let demoted: String = prose
        .split_inclusive('\n')
        .map(|line| {
            let trimmed = line.trim_start_matches(' ');
            let hashes = trimmed.chars().take_while(|c| *c == '#').count();
            let is_heading = line.len() - trimmed.len() < 4
                && (1..=6).contains(&hashes)
                && trimmed[hashes..].starts_with([' ', '\t', '\n']);
            if is_heading {
                let level = (hashes + depth).min(6);
                text!("{}{}", "#".repeat(level), &trimmed[hashes..])
            } else {
                line.to_string()
            }
        })
        .collect();
    let chars: Vec<char> = demoted.chars().collect();
    let mut out = String::with_capacity(demoted.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            let n = chars[i..].iter().take_while(|c| **c == '`').count();
            // A code span runs to the next run of exactly n backticks; without one, literal.
            let mut j = i + n;
            let mut close = None;
            while j < chars.len() {
                if chars[j] == '`' {
                    let m = chars[j..].iter().take_while(|c| **c == '`').count();
                    if m == n {
                        close = Some(j + m);
                        break;
                    }
                    j += m;
                } else {
                    j += 1;
                }
            }
            let end = close.unwrap_or(i + n);
            out.extend(&chars[i..end]);
            i = end;
            continue;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            _ => {
                let rest: String = chars[i..chars.len().min(i + 12)]
                    .iter()
                    .collect::<String>()
                    .to_ascii_lowercase();
                let after_paren = i > 0 && matches!(chars[i - 1], '(' | ' ' | ':');
                if after_paren
                    && ["javascript:", "vbscript:", "data:"]
                        .iter()
                        .any(|s| rest.starts_with(s))
                {
                    out.push_str("unsafe:");
                }
                out.push(c);
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_markdown_syntax() {
        assert_eq!(
            text("Plain words, don't (see: +1234567890)."),
            "Plain words, don't (see: +1234567890)."
        );
        assert_eq!(
            text("Contact *support* with __request_id__"),
            r"Contact \*support\* with \_\_request_id\_\_"
        );
        assert_eq!(text("the request_id field"), "the request_id field");
        assert_eq!(
            text("a <script>alert(1)</script>"),
            r"a \<script\>alert(1)\</script\>"
        );
        assert_eq!(
            text("[link](javascript:alert(1))"),
            r"\[link\](javascript:alert(1))"
        );
        assert_eq!(text("# not a heading #"), r"\# not a heading \#");
        assert_eq!(text("- not a list"), r"\- not a list");
        assert_eq!(text("1. not a list"), r"1\. not a list");
        assert_eq!(text("E.164 format"), "E.164 format");
        assert_eq!(
            text("`tick` and {{#include x}}"),
            r"\`tick\` and \{\{\#include x\}\}"
        );
        assert_eq!(
            text("a &amp; b ~~x~~ ![i](u)"),
            r"a \&amp; b \~\~x\~\~ \!\[i\](u)"
        );
        assert_eq!(text(r"back\slash"), r"back\\slash");
    }

    #[test]
    fn line_breaks_fold_into_spaces() {
        assert_eq!(text("a\r\nb\rc\nd"), "a b c d");
        assert_eq!(cell("one\ntwo"), "one two");
        assert_eq!(code("a\rb"), "`a b`");
    }

    #[test]
    fn cells_escape_pipes() {
        assert_eq!(cell("a | b"), r"a \| b");
        assert_eq!(code_in_cell("a|b"), r"`a\|b`");
    }

    #[test]
    fn code_spans_outlast_backticks() {
        assert_eq!(code("plain"), "`plain`");
        assert_eq!(code("has `one`"), "`` has `one` ``");
        assert_eq!(code("``` fence"), "```` ``` fence ````");
        assert_eq!(code("<b>*x*</b>"), "`<b>*x*</b>`");
    }

    #[test]
    fn fences_outlast_backticks() {
        assert_eq!(fence("{}", "json"), "```json\n{}\n```");
        assert_eq!(fence("a ``` b\r\nc", "text"), "````text\na ``` b\nc\n````");
    }

    #[test]
    fn headings_cannot_close_or_carry_attributes() {
        assert_eq!(
            heading("Type */ Errors {#x} #"),
            r"Type \*/ Errors \{\#x\} \#"
        );
    }

    #[test]
    fn guides_keep_markdown_but_not_html() {
        let body = "Text with `a <b>` and <script>alert(1)</script> &amp;.\n\n```js\nif (a < b) {}\n```\n# Title\n[x](javascript:alert(1))\n";
        assert_eq!(
            guide(body, 2),
            "Text with `a <b>` and &lt;script>alert(1)&lt;/script> &amp;amp;.\n\n```js\nif (a < b) {}\n```\n### Title\n[x](unsafe:javascript:alert(1))\n"
        );
    }

    #[test]
    fn guides_close_unclosed_fences() {
        assert_eq!(guide("```\ncode", 1), "```\ncode\n```\n");
        assert_eq!(guide("a\r\nb", 1), "a\nb");
    }
}
