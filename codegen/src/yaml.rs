//! YAML to a spanned node tree, and the small reader API `validate` uses to turn nodes into
//! values while collecting every problem (unknown keys with a did-you-mean, wrong types).
//!
//! serde-saphyr does the parsing: syntax errors, duplicate keys, and the resource budget that
//! stops alias bombs and absurd nesting. Everything after that is ours, so that one walk can
//! report all problems of a file at once rather than serde's first.

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostic, Diagnostics, Span, did_you_mean};

/// Nesting deeper than this is rejected before any of our code sees it.
pub const MAX_DEPTH: usize = 48;

/// A YAML node with its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key; scalar keys of any type are read as their text (`400: ...` -> "400").
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

impl Node {
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The node as JSON (for example bodies). Floats that JSON cannot hold become null; YAML
    /// floats like `.nan` are rejected by serde-saphyr's default policy before this.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Stack for the parser thread. Parsing recurses once per nesting level, and a debug build
/// on a 2 MiB test thread overflows before the depth budget can stop it; only touched pages are
/// ever committed, so a generous reservation costs nothing.
const PARSER_STACK: usize = 256 * 1024 * 1024;

/// Parses one source into its root node. On failure, one diagnostic (YAML stops at its first
/// syntax error; other files are still checked).
pub fn parse(file: u32, text: &str) -> Result<Node, Diagnostic> {
    if let Some(root) = split::parse(file, text).or_else(|| fast::parse(file, text)) {
        return checked_size(root);
    }
    let parsed = crate::parallel::map(
        &[text],
        |_| 0,
        Some(PARSER_STACK),
        |_, text| parse_here(file, text),
    );
    parsed.into_iter().next().expect("one result per item")
}

/// Parses every source (`file` is its index); the results are in the sources' order. Files
/// are parsed on up to one thread per core, largest first. A single file is cut into pieces
/// parsed on every core when it is large (`split`), else parsed on the calling thread when it
/// takes the fast path (freeing memory that another thread allocated costs more than a small
/// parse saves by running elsewhere).
pub fn parse_all(texts: &[&str]) -> Vec<Result<Node, Diagnostic>> {
    if let [text] = texts
        && let Some(root) = split::parse(0, text).or_else(|| fast::parse(0, text))
    {
        return vec![checked_size(root)];
    }
    crate::parallel::map(
        texts,
        |t| t.len(),
        Some(PARSER_STACK),
        |i, t| parse_here(i as u32, t),
    )
}

fn parse_here(file: u32, text: &str) -> Result<Node, Diagnostic> {
    match fast::parse(file, text) {
        Some(root) => checked_size(root),
        None => parse_slow(file, text),
    }
}

/// The root, or a diagnostic at its first scalar or key over the size limit.
fn checked_size(root: Node) -> Result<Node, Diagnostic> {
    match oversized(&root) {
        Some((span, len)) => Err(Diagnostic::new(
            span,
            format!(
                "this value is {} long, over the limit of {} per value",
                crate::limits::size(len as u64),
                crate::limits::size(crate::limits::SCALAR_BYTES as u64)
            ),
        )
        .label("too long")
        .note("the limits are in catalog/README.md, \"Limits\"")),
        None => Ok(root),
    }
}

/// `text` without its last documents if they are empty (a `---` line with only blank and comment
/// lines after it, as some editors and tools end a file): that is one document, not several.
/// Only text from such a marker on is dropped, so every position stays where it was. A marker
/// right after directives (`%YAML 1.2`) starts the file's only document, and stays.
fn without_trailing_empty_document(text: &str) -> &str {
    let mut end = text.len();
    let mut cut = text.len();
    loop {
        let before = text[..end].trim_end_matches(['\n', '\r']);
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = &before[start..];
        let content = line.trim();
        let marker = line.strip_prefix("---").is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.is_empty() || rest.starts_with('#')
        });
        if marker {
            if after_directives(&text[..start]) {
                return &text[..cut];
            }
            cut = start;
        } else if !(content.is_empty() || content.starts_with('#')) {
            return &text[..cut];
        }
        if start == 0 {
            return &text[..cut];
        }
        end = start;
    }
}

/// Whether `text` ends in a directive (`%YAML 1.2`, `%TAG ...`), blank and comment lines aside:
/// a `---` after it starts the document the directives are for.
fn after_directives(text: &str) -> bool {
    source_lines(text)
        .map(|l| l.trim_start_matches('\u{feff}'))
        .filter(|l| {
            let t = l.trim();
            !(t.is_empty() || t.starts_with('#'))
        })
        .last()
        .is_some_and(|l| l.starts_with('%'))
}

/// serde-saphyr's parse: every YAML feature and every YAML diagnostic, but tags.
fn parse_slow(file: u32, text: &str) -> Result<Node, Diagnostic> {
    let text = without_trailing_empty_document(text);
    if let Some(problem) = tags_and_duplicate_keys(file, text) {
        return Err(problem);
    }
    let options = serde_saphyr::options! {
        strict_booleans: true,
        // YAML 1.2's core schema: `4_04` is text, not 404 (`status: 4_04` is then an error).
        underscored_numbers_as_strings: true,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_nodes: 20_000_000,
            max_total_scalar_bytes: 512 * 1024 * 1024,
            // About one event a byte at most, in a file within `limits::FILE_BYTES` (the default, one
            // million, stops a valid catalog of about 20,000 codes).
            max_events: 2 * crate::limits::FILE_BYTES as usize,
            // `max_aliases` bounds aliases; reusing one anchor often is ordinary YAML.
            enforce_alias_anchor_ratio: false,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
        },
        // `<<` arrives as a key, and `merge_keys` puts its entries where it is written (the
        // parser would put them after the mapping's own keys, and a catalog's order means
        // something: the order of fields, of codes, of an example's members).
        merge_keys: serde_saphyr::MergeKeyPolicy::AsOrdinary,
    };
    match serde_saphyr::from_str_with_options::<Option<Spanned<Parsed>>>(text, options) {
        Ok(Some(root)) => {
            let mut root = node(root);
            place(&mut root, file, text);
            merge_keys(&mut root, text)?;
            checked_size(root)
        }
        Ok(None) => Ok(Node {
            value: Value::Null,
            span: Span {
                file,
                offset: 0,
                len: 0,
                line: 1,
                column: 1,
            },
        }),
        Err(e) => {
            let span = e
                .location()
                .map(|l| location_span(file, text, &l))
                .unwrap_or(Span {
                    file,
                    offset: 0,
                    len: 1,
                    line: 1,
                    column: 1,
                });
            let message = yaml_message(&e);
            // granit-parser places a tab in the indentation of a plain scalar's continuation
            // line at the scalar's start (a line or more above); point at the tab itself.
            let span = if message.ends_with("found a tab") {
                first_tab_after(file, text, span).unwrap_or(span)
            } else if message.contains("tabs disallowed") {
                // Placed after the tab: point at the first tab of the line's indentation.
                let line_start = Span {
                    offset: span.offset - (span.column - 1).min(span.offset),
                    column: 1,
                    ..span
                };
                first_tab_after(file, text, line_start)
                    .filter(|t| t.line == span.line)
                    .unwrap_or(span)
            } else {
                span
            };
            // The parser places a control character in a plain or block scalar at the
            // scalar's start; point at the character itself.
            let control = message
                .contains("unexpected character")
                .then(|| first_control_after(file, text, span))
                .flatten();
            let span = control.map_or(span, |(at, _)| at);
            let help = control
                .map(|(_, c)| control_help(c))
                .or_else(|| yaml_help(text, span, &message).map(String::from));
            let d = Diagnostic::new(span, message).label("here");
            Err(match help {
                Some(help) => d.help(help),
                None => d,
            })
        }
    }
}

/// A YAML tag (`!!binary`, `!!str`, `!local`) as an error. A catalog is plain data: a tag
/// changes what a value means where a reviewer does not see it (`!!binary` hides text as
/// base64, and other tags were dropped without a word).
fn tag_error(file: u32, tag: &granit_parser::Tag, span: &granit_parser::Span) -> Diagnostic {
    let shown = tag.to_string();
    let shown = match shown.strip_prefix("tag:yaml.org,2002:") {
        Some(core) => format!("!!{core}"),
        None => shown,
    };
    let at = fast::span_of(file, fast::Base::default(), span).map_or(
        Span {
            file,
            offset: 0,
            len: 1,
            line: 1,
            column: 1,
        },
        |at| Span {
            len: at.len.max(1),
            ..at
        },
    );
    Diagnostic::new(
        at,
        format!(
            "YAML tags are not read in a catalog, found `{}`",
            shown.escape_debug()
        ),
    )
    .label("tagged value")
    .help("write the value itself, as plain or quoted text")
}

/// One pass over granit's events before serde-saphyr reads the file: the first YAML tag
/// ([`tag_error`]), else the first key written twice in one mapping (two merge keys `<<` too,
/// which the parser would let the first win silently), as an error with the place of the first
/// and a note naming the file's other repeated keys. Keys are compared as written.
fn tags_and_duplicate_keys(file: u32, text: &str) -> Option<Diagnostic> {
    use granit_parser::Event;
    /// A mapping being read: its keys as written, and whether the next node is a key.
    struct Mapping {
        keys: HashMap<String, Span>,
        next_is_key: bool,
    }
    let mut stack: Vec<Option<Mapping>> = Vec::new();
    let mut found: Vec<(String, Span, Span)> = Vec::new();
    let mut parser = granit_parser::Parser::new_from_str(text);
    while let Some(Ok((event, span))) = parser.next_event() {
        if let Event::Scalar(_, _, _, Some(tag))
        | Event::SequenceStart(_, _, Some(tag))
        | Event::MappingStart(_, _, Some(tag)) = &event
        {
            return Some(tag_error(file, tag, &span));
        }
        let is_node = matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
        );
        if is_node && let Some(Some(m)) = stack.last_mut() {
            if m.next_is_key
                && let Event::Scalar(key, style, ..) = &event
                && let Some(at) = fast::span_of(file, fast::Base::default(), &span)
            {
                // A plain `1`, `true` or `~` is another key than the text `"1"`.
                let typed = *style == granit_parser::ScalarStyle::Plain
                    && !matches!(fast::plain(key), Some(None));
                let id = if typed {
                    format!("\u{0}{key}")
                } else {
                    key.to_string()
                };
                match m.keys.get(&id) {
                    Some(first) => found.push((key.to_string(), at, *first)),
                    None => {
                        m.keys.insert(id, at);
                    }
                }
            }
            m.next_is_key = !m.next_is_key;
        }
        match event {
            Event::MappingStart(..) => stack.push(Some(Mapping {
                keys: HashMap::new(),
                next_is_key: true,
            })),
            Event::SequenceStart(..) => stack.push(None),
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            _ => {}
        }
    }
    let (key, at, first) = found.first()?;
    let mut d = Diagnostic::new(
        Span {
            len: at.len.max(1),
            ..*at
        },
        format!(
            "the key `{}` is written twice in one mapping",
            key.escape_debug()
        ),
    )
    .label("written again")
    .note(format!(
        "also written at line {}, column {} of this file",
        first.line, first.column
    ));
    if found.len() > 1 {
        let others: Vec<String> = found[1..]
            .iter()
            .take(5)
            .map(|(k, at, _)| format!("`{}` at line {}", k.escape_debug(), at.line))
            .collect();
        let more = if found.len() > 6 { ", ..." } else { "" };
        d = d.note(format!(
            "this file repeats other keys too: {}{more}",
            others.join(", ")
        ));
    }
    if key == "<<" {
        d = d.help("merge several mappings with one `<<` and a list: `<<: [*a, *b]`");
    }
    Some(d)
}

/// The first scalar or key longer than [`crate::limits::SCALAR_BYTES`], with its length.
fn oversized(node: &Node) -> Option<(Span, usize)> {
    let limit = crate::limits::SCALAR_BYTES;
    match &node.value {
        Value::Str(s) if s.len() > limit => Some((node.span, s.len())),
        Value::Seq(items) => items.iter().find_map(oversized),
        Value::Map(entries) => entries.iter().find_map(|(k, v)| {
            if k.name.len() > limit {
                Some((k.span, k.name.len()))
            } else {
                oversized(v)
            }
        }),
        _ => None,
    }
}

/// The first tab at or after `span`'s start that sits in a line's leading whitespace.
fn first_tab_after(file: u32, text: &str, span: Span) -> Option<Span> {
    let start = (span.offset as usize).min(text.len());
    let mut line = span.line;
    let mut line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    for (i, c) in text[start..].char_indices() {
        let at = start + i;
        match c {
            '\n' => {
                line += 1;
                line_start = at + 1;
            }
            '\t' if text[line_start..at].chars().all(|c| c == ' ' || c == '\t') => {
                return Some(Span {
                    file,
                    offset: at as u32,
                    len: 1,
                    line,
                    column: text[line_start..at].chars().count() as u32 + 1,
                });
            }
            _ => {}
        }
    }
    None
}

/// serde-saphyr appends " at line L, column C" (and alias notes) to its messages; our snippet
/// shows the place, so keep only the message itself.
fn yaml_message(e: &serde_saphyr::Error) -> String {
    let text = e.without_snippet().to_string();
    let text = text.lines().next().unwrap_or("").to_string();
    let cut = text.find(" at line ").unwrap_or(text.len());
    let msg = text[..cut].trim_end_matches(',').to_string();
    let msg = msg
        .replace(", set DuplicateKeyPolicy in Options if acceptable", "")
        .replace(
            "multiple YAML documents detected; use from_str_multiple or from_str_multiple_with_options",
            "a catalog file holds one YAML document, and this one has several (split them into files)",
        )
        .replace(
            "budget breached",
            "the YAML is too large or too deeply nested (resource limit)",
        );
    // The parser quotes the character TeX-style (`` `@' ``), unreadable for a backtick.
    let msg = match msg
        .strip_prefix("unexpected character: `")
        .and_then(|rest| rest.strip_suffix('\''))
    {
        Some("`") => "unexpected character `` ` ``".to_string(),
        Some(c) if c.chars().count() <= 8 && !c.contains(char::is_whitespace) => {
            format!("unexpected character `{c}`")
        }
        _ => msg,
    };
    format!("invalid YAML: {}", budget_wording(&msg).unwrap_or(msg))
}

/// The parser's resource limits in words (it names them as Rust values: `Depth { depth: 49 }`).
fn budget_wording(msg: &str) -> Option<String> {
    let limit = if msg.contains("Depth {") || msg == "recursion limit exceeded" {
        format!("nested deeper than {MAX_DEPTH} levels")
    } else if msg.contains("Aliases {") {
        "more than 1,000 aliases (`*name`)".into()
    } else if msg.contains("Anchors {") {
        "more than 1,000 anchors (`&name`)".into()
    } else if msg.contains("ScalarBytes {") {
        "its aliases expand to more than 512 MiB of text".into()
    } else if msg.contains("Nodes {")
        || msg.contains("Events {")
        || msg.contains("ReplayedEvents")
        || msg.contains("alias replay limit exceeded")
    {
        "more values than a catalog file may hold, once its aliases are expanded".into()
    } else if msg.contains("recursive references") {
        "an alias inside the value its own anchor names (a value that contains itself)".into()
    } else {
        return None;
    };
    Some(format!(
        "the file is beyond what the loader reads: {limit} (catalog/README.md, \"Safety\")"
    ))
}

/// The first character at or after `span`'s start that YAML reads only escaped: a control
/// character but the tab, line breaks and NEL.
fn first_control_after(file: u32, text: &str, span: Span) -> Option<(Span, char)> {
    let start = (span.offset as usize).min(text.len());
    let (i, c) = text
        .get(start..)?
        .char_indices()
        .find(|&(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}'))?;
    let at = start + i;
    let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |j| j + 1);
    let line = source_lines(&text[..at]).count().max(1) as u32;
    let line = if text[..at].ends_with(['\n', '\r']) {
        line + 1
    } else {
        line
    };
    Some((
        Span {
            file,
            offset: at as u32,
            len: c.len_utf8() as u32,
            line,
            column: text[line_start..at].chars().count() as u32 + 1,
        },
        c,
    ))
}

/// The escape to write for a control character the parser stopped at: it reads them raw
/// nowhere, not even in quotes (where YAML 1.2, like JSON, allows all but C0 controls: JSON
/// writers such as `JSON.stringify` leave DEL and C1 controls raw).
fn control_help(c: char) -> String {
    format!(
        "the loader reads a control character only escaped, even in quotes: \
         write it as `\\u{:04X}` in a double-quoted string",
        c as u32
    )
}

/// A hint for a YAML error that a value written without quotes most often causes.
fn yaml_help(text: &str, span: Span, message: &str) -> Option<&'static str> {
    let line = source_lines(text).nth(span.line.checked_sub(1)? as usize)?;
    if message.contains("tabs disallowed") || message.ends_with("found a tab") {
        return Some("indent with spaces: YAML does not allow tabs in indentation");
    }
    if let Some(help) = long_key_help(line, span, message) {
        return Some(help);
    }
    if let Some(help) = key_help(line, message) {
        return Some(help);
    }
    if let Some(help) = flow_help(line, span, message) {
        return Some(help);
    }
    if let Some(help) = indentation_help(text, span, line, message) {
        return Some(help);
    }
    if let Some(help) = reserved_after_comma_help(line, span, message) {
        return Some(help);
    }
    if message.contains("unknown anchor") && line_at(line, span).starts_with('*') {
        return Some(ALIAS_HELP);
    }
    let value = line.split_once(": ").map(|(_, v)| v.trim_start())?;
    let starts = |c: char| value.starts_with(c);
    if message.contains("unknown anchor") && starts('*') {
        Some(ALIAS_HELP)
    } else if (starts('{') || starts('[')) && message.contains("expected") {
        Some(
            "a value starting with `{` or `[` is a YAML mapping or list; quote the value if it is meant as text",
        )
    } else if (starts('@') || starts('`')) && message.contains("unexpected character") {
        Some("YAML reserves `@` and `` ` `` at the start of a value; quote the value")
    } else {
        None
    }
}

/// A `@` or `` ` `` the parser stopped at right after a comma and blanks inside a `{ ... }`
/// mapping (`{ description: The kind, in words (`customer`, `charge`) }`): the comma ended the
/// unquoted value before it, and the reserved character starts the next one.
fn reserved_after_comma_help(line: &str, span: Span, message: &str) -> Option<&'static str> {
    if !message.contains("unexpected character") {
        return None;
    }
    let at = line
        .char_indices()
        .nth((span.column as usize).checked_sub(1)?)
        .map(|(b, _)| b)?;
    if !line[at..].starts_with(['@', '`']) || !line[..at].contains('{') {
        return None;
    }
    line[..at].trim_end().ends_with(',').then_some(
        "in a `{ ... }` mapping, a comma ends an unquoted value, and YAML reserves `@` and `` ` `` at the start of the next one; quote the value",
    )
}

/// The help for an alias whose anchor the parser does not know.
const ALIAS_HELP: &str = "a value starting with `*` is an alias of an anchor (`&name`) written \
    before it in the same file (anchors do not reach across a catalog's files); quote the value \
    if it is meant as text";

/// `line` from the column of `span` on (the whole line if the column is past its end).
fn line_at(line: &str, span: Span) -> &str {
    line.char_indices()
        .nth((span.column as usize).saturating_sub(1))
        .map_or(line, |(b, _)| &line[b..])
}

/// A colon the parser did not take for a key's: after an implicit key longer than YAML's
/// limit of 1,024 characters (on the line before the place of the error).
fn long_key_help(line: &str, span: Span, message: &str) -> Option<&'static str> {
    let refused = message.contains("mapping values are not allowed")
        || message.contains("did not find expected ',' or '}'");
    let before = line.len() - line_at(line, span).len();
    let key = line[..before].trim_start_matches([' ', '-', '?', '{', '[']);
    (refused && key.chars().count() > 1024).then_some(
        "YAML reads an implicit key (one before `: ` on its line) of at most 1,024 characters: \
         write a longer key as an explicit key, `? ` and the key, then `: ` and the value on the \
         next line",
    )
}

/// A line the parser wanted to read as a key and could not: one longer than YAML's limit for
/// a key, or one whose colon has no space after it (`status:404`).
fn key_help(line: &str, message: &str) -> Option<&'static str> {
    if !message.contains("expected ':'") {
        return None;
    }
    let entry = line.trim_start().trim_start_matches(['-', ' ']);
    if entry.len() > 1024 {
        Some(
            "YAML reads a key of at most 1,024 characters before its `: `; is this a value that \
             lost its key? (a longer key is written as an explicit key: `? ` and the key, then \
             `: ` and the value on the next line)",
        )
    } else if !entry.contains(": ") && entry.trim_end().trim_end_matches(':').contains(':') {
        Some("a key needs a space after its colon: `status: 404`, not `status:404`")
    } else if !entry.contains(':') {
        Some(
            "this line is neither `key: value` nor a list entry: add the key and `: `, or join it to the line above",
        )
    } else {
        None
    }
}

/// A flow mapping (`{ a: 1, b: 2 }`) whose entry has a second `: `: an unquoted value there
/// cannot hold one.
fn flow_help(line: &str, span: Span, message: &str) -> Option<&'static str> {
    if !message.contains("flow mapping") {
        return None;
    }
    let at = line
        .char_indices()
        .nth((span.column as usize).saturating_sub(1))
        .map_or(line.len(), |(b, _)| b);
    let start = line[..at].rfind([',', '{']).map_or(0, |i| i + 1);
    let end = line[at..].find([',', '}']).map_or(line.len(), |i| at + i);
    (line[start..end].matches(": ").count() >= 2)
        .then_some("an unquoted value cannot hold `: ` (YAML reads a second key); quote the value")
}

/// What the parser's indentation messages usually mean, from the line it stopped at and the
/// last line with content above it: a key indented deeper than a key that already has a value,
/// a plain value holding `: `, or a key indented less than its mapping's other keys.
fn indentation_help(text: &str, span: Span, line: &str, message: &str) -> Option<&'static str> {
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let above = source_lines(text)
        .take(span.line.checked_sub(1)? as usize)
        .filter(|l| {
            let t = l.trim_start();
            !t.is_empty() && !t.starts_with('#')
        })
        .last();
    if message.contains("mapping values are not allowed") {
        // The colon the parser stopped at: inside the line's value, or the line's own key.
        let at = (span.column as usize).saturating_sub(1);
        let first_colon = line.find(": ").or_else(|| line.find(':'))?;
        let in_value = line.char_indices().nth(at).map(|(b, _)| b) > Some(first_colon);
        if in_value {
            Some("an unquoted value cannot hold `: ` (YAML reads a second key); quote the value")
        } else if above.is_some_and(|a| indent(line) > indent(a)) {
            Some(
                "this key is indented deeper than the line above, whose key already has a value; keys of one mapping start in one column",
            )
        } else {
            None
        }
    } else if message.contains("did not find expected") {
        // The column of the line above's key (after its `- `, in a list entry).
        let key_column = |a: &str| {
            let rest = &a[indent(a)..];
            indent(a) + rest.len() - rest.trim_start_matches(['-', ' ']).len()
        };
        // Only where the parser stopped at the line's first character: past it, the line's
        // own value is what it could not read (`action: {id} must exist`).
        let at_start = span.column as usize == indent(line) + 1;
        if at_start && above.is_some_and(|a| indent(line) < key_column(a)) {
            Some(
                "this line is indented less than the keys before it: keys of one mapping start in one column (in a list entry, the column of the first key after `- `)",
            )
        } else {
            None
        }
    } else {
        None
    }
}

fn location_span(file: u32, text: &str, l: &serde_saphyr::Location) -> Span {
    let line = l.line().max(1) as u32;
    let column = l.column().max(1) as u32;
    let span = l.span();
    let (offset, len) = match (span.byte_offset(), span.byte_len()) {
        (Some(o), Some(n)) if (o as usize) <= text.len() => (o as u32, n as u32),
        _ => (offset_of(text, line, column), 1),
    };
    Span {
        file,
        offset,
        len,
        line,
        column,
    }
}

/// The lines of `text` with their endings, which YAML's are: LF, CR LF or a lone CR.
fn lines_with_endings(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(['\n', '\r']).map_or(rest.len(), |i| {
            if rest[i..].starts_with("\r\n") {
                i + 2
            } else {
                i + 1
            }
        });
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

/// The lines of `text` without their endings (LF, CR LF or a lone CR).
fn source_lines(text: &str) -> impl Iterator<Item = &str> {
    lines_with_endings(text).map(|l| l.trim_end_matches(['\n', '\r']))
}

/// Byte offset of a 1-based line and character column.
fn offset_of(text: &str, line: u32, column: u32) -> u32 {
    let mut offset = 0usize;
    for (i, l) in lines_with_endings(text).enumerate() {
        if i + 1 == line as usize {
            let col = l
                .char_indices()
                .nth(column.saturating_sub(1) as usize)
                .map_or(l.len(), |(b, _)| b);
            return (offset + col) as u32;
        }
        offset += l.len();
    }
    text.len() as u32
}

/// `offset` of a span whose location had no byte offset, until [`place`] computes it.
const NO_OFFSET: u32 = u32::MAX;

/// A span from a serde-saphyr location, in file 0; [`place`] sets the file.
fn span_of(l: &serde_saphyr::Location) -> Span {
    let span = l.span();
    let (offset, len) = match (span.byte_offset(), span.byte_len()) {
        (Some(o), Some(n)) => (o as u32, n as u32),
        _ => (NO_OFFSET, 1),
    };
    Span {
        file: 0,
        offset,
        len,
        line: l.line().max(1) as u32,
        column: l.column().max(1) as u32,
    }
}

/// Sets the file of every span in the tree, and computes the offsets that serde-saphyr did not
/// give from their line and column.
fn place(node: &mut Node, file: u32, text: &str) {
    fn fix(span: &mut Span, file: u32, text: &str) {
        span.file = file;
        if span.offset == NO_OFFSET || span.offset as usize > text.len() {
            span.offset = offset_of(text, span.line, span.column);
            span.len = 1;
        }
    }
    fix(&mut node.span, file, text);
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| place(n, file, text)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            fix(&mut k.span, file, text);
            place(v, file, text);
        }),
        _ => {}
    }
}

/// Expands every merge key (a plain `<<`, YAML 1.1's merge type) in the tree, innermost first:
/// the entries of the mapping it names (or of each mapping of a list it names, an earlier one
/// winning) take its place, in their order, except keys the mapping itself writes. A quoted
/// `"<<"` is an ordinary key.
fn merge_keys(node: &mut Node, text: &str) -> Result<(), Diagnostic> {
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().try_for_each(|n| merge_keys(n, text)),
        Value::Map(entries) => {
            for (_, v) in entries.iter_mut() {
                merge_keys(v, text)?;
            }
            let is_merge = |k: &Key| {
                k.name == "<<"
                    && text
                        .get(k.span.offset as usize..)
                        .is_some_and(|t| t.starts_with("<<"))
            };
            if !entries.iter().any(|(k, _)| is_merge(k)) {
                return Ok(());
            }
            let own: std::collections::HashSet<String> = entries
                .iter()
                .filter(|(k, _)| !is_merge(k))
                .map(|(k, _)| k.name.clone())
                .collect();
            let mut out = Vec::with_capacity(entries.len());
            for (k, v) in std::mem::take(entries) {
                if !is_merge(&k) {
                    out.push((k, v));
                    continue;
                }
                let sources = match v.value {
                    Value::Map(_) => vec![v],
                    Value::Seq(items) if items.iter().all(|i| matches!(i.value, Value::Map(_))) => {
                        items
                    }
                    _ => {
                        return Err(Diagnostic::new(
                            v.span,
                            "invalid YAML: the value of a merge key `<<` must be a mapping or a list of mappings",
                        )
                        .label("not a mapping")
                        .help("merge an anchored mapping (`<<: *base`) or several (`<<: [*a, *b]`)"));
                    }
                };
                let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
                for source in sources {
                    let Value::Map(merged) = source.value else {
                        continue;
                    };
                    for (mk, mv) in merged {
                        if !own.contains(&mk.name) && taken.insert(mk.name.clone()) {
                            out.push((mk, mv));
                        }
                    }
                }
            }
            *entries = out;
            Ok(())
        }
        _ => Ok(()),
    }
}

fn node(parsed: Spanned<Parsed>) -> Node {
    Node {
        span: span_of(&parsed.referenced),
        value: parsed.value.0,
    }
}

/// A node's value as serde-saphyr deserializes it: children are built into [`Node`]s as they
/// arrive, so no second tree is ever held.
struct Parsed(Value);

impl<'de> Deserialize<'de> for Parsed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor).map(Parsed)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Parsed::deserialize(d).map(|p| p.0)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Parsed>>()? {
            items.push(node(item));
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, value)) = map.next_entry::<Spanned<KeyText>, Spanned<Parsed>>()? {
            // Where the key is written: for a key merged in with `<<: *anchor`, in the anchored
            // mapping, not at the alias.
            let key = Key {
                span: span_of(&key.defined),
                name: key.value.0,
            };
            entries.push((key, node(value)));
        }
        Ok(Value::Map(entries))
    }
}

/// A scalar mapping key, as text.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar mapping key")
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyText, E> {
                Err(E::custom(format!(
                    "a mapping key must not be a boolean: quote it (`\"{v}\"`) if it is text"
                )))
            }
            fn visit_i64<E>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<KeyText, E> {
                // `404.0` stays `404.0`, not the status `404`.
                Ok(KeyText(format!("{v:?}")))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
                Err(E::custom("a mapping key must not be null"))
            }
        }
        d.deserialize_any(KeyVisitor)
    }
}

mod split;

/// The fast path of [`parse`]: granit-parser's events (the parser serde-saphyr runs, with the
/// options it passes) built straight into a [`Node`] tree, without serde's machinery in between.
///
/// It covers what catalogs are made of: mappings, sequences, and scalars whose meaning is plain
/// (untagged text, decimal integers and numbers, `true`/`false`, `null`). Anything else (a
/// syntax error, a duplicate key, an anchor, alias or tag, a number spelled another way, deep
/// nesting, a second document) returns `None`, and serde-saphyr parses the file again: it alone
/// words the diagnostics, so they stay the same. `fast_path_builds_what_serde_saphyr_builds`
/// holds the two paths to the same tree on every catalog in the repository.
mod fast {
    use std::borrow::Cow;

    use granit_parser::{Event, Parser, ScalarStyle, StrInput};

    use super::{Key, Node, Value};
    use crate::diagnostic::Span;

    /// Below serde-saphyr's depth budget ([`super::MAX_DEPTH`]) with room to spare.
    const MAX_DEPTH: usize = super::MAX_DEPTH - 8;
    /// Far below serde-saphyr's node budget, which a 32 MiB file could otherwise approach.
    pub(super) const MAX_NODES: usize = 10_000_000;
    /// Mappings with more keys than this check duplicates with a set.
    const LINEAR_KEYS: usize = 24;

    /// Where a piece of a file starts (`super::split`): added to the offsets and the lines of
    /// the spans its parse reports. A piece starts at the start of a line, so columns stay.
    #[derive(Debug, Clone, Copy, Default)]
    pub(super) struct Base {
        pub offset: u32,
        /// Lines before the piece.
        pub line: u32,
    }

    struct Builder<'a> {
        parser: Parser<'a, StrInput<'a>>,
        file: u32,
        base: Base,
        nodes: usize,
        /// The items of the sequences being built, innermost last: a finished sequence takes
        /// its own off the top into a list of exactly its length (no growth, no slack).
        items: Vec<Node>,
        /// The same for the entries of the mappings being built.
        entries: Vec<(Key, Node)>,
    }

    /// A span of granit-parser's in a piece of a file at `base`, as diagnostics place it.
    pub(super) fn span_of(file: u32, base: Base, span: &granit_parser::Span) -> Option<Span> {
        let (start, end) = (span.start.byte_offset()?, span.end.byte_offset()?);
        Some(Span {
            file,
            offset: u32::try_from(start).ok()?.checked_add(base.offset)?,
            len: u32::try_from(end.checked_sub(start)?).ok()?,
            line: u32::try_from(span.start.line())
                .ok()?
                .checked_add(base.line)?,
            column: u32::try_from(span.start.col() + 1).ok()?,
        })
    }

    /// `None`: let serde-saphyr parse the file (see the module doc).
    pub(super) fn parse(file: u32, text: &str) -> Option<Node> {
        document(file, text, Base::default(), 1).map(|(root, _)| root)
    }

    /// The one document in `text`, a whole file or a piece of one at `base` whose root the file
    /// nests at `depth` (1 for a file's root), and how many nodes it counts against
    /// [`MAX_NODES`] (its root aside).
    pub(super) fn document(
        file: u32,
        text: &str,
        base: Base,
        depth: usize,
    ) -> Option<(Node, usize)> {
        let mut b = Builder {
            parser: Parser::new_from_str(text),
            file,
            base,
            nodes: 0,
            items: Vec::new(),
            entries: Vec::new(),
        };
        let Event::StreamStart = b.next()?.0 else {
            return None;
        };
        let Event::DocumentStart(_, None) = b.next()?.0 else {
            return None;
        };
        let (event, span) = b.next()?;
        let root = match event {
            Event::MappingStart(_, 0, None) => b.map(span, depth)?,
            Event::SequenceStart(_, 0, None) => b.seq(span, depth)?,
            _ => return None,
        };
        let Event::DocumentEnd = b.next()?.0 else {
            return None;
        };
        let Event::StreamEnd = b.next()?.0 else {
            return None;
        };
        b.parser.next_event().is_none().then_some((root, b.nodes))
    }

    impl<'a> Builder<'a> {
        fn next(&mut self) -> Option<(Event<'a>, Span)> {
            let (event, span) = self.parser.next_event()?.ok()?;
            Some((event, span_of(self.file, self.base, &span)?))
        }

        /// The node that starts with `event`.
        fn node(&mut self, event: Event<'a>, span: Span, depth: usize) -> Option<Node> {
            self.nodes += 1;
            if depth > MAX_DEPTH || self.nodes > MAX_NODES {
                return None;
            }
            let value = match event {
                Event::Scalar(text, style, 0, None) => scalar(text, style)?,
                Event::MappingStart(_, 0, None) => return self.map(span, depth + 1),
                Event::SequenceStart(_, 0, None) => return self.seq(span, depth + 1),
                _ => return None,
            };
            Some(Node { value, span })
        }

        fn seq(&mut self, span: Span, depth: usize) -> Option<Node> {
            let start = self.items.len();
            loop {
                let (event, at) = self.next()?;
                if let Event::SequenceEnd = event {
                    return Some(Node {
                        value: Value::Seq(self.items.drain(start..).collect()),
                        span,
                    });
                }
                let item = self.node(event, at, depth)?;
                self.items.push(item);
            }
        }

        fn map(&mut self, span: Span, depth: usize) -> Option<Node> {
            let start = self.entries.len();
            let mut names: Option<std::collections::HashSet<String>> = None;
            loop {
                let (event, at) = self.next()?;
                let name = match event {
                    Event::MappingEnd => {
                        return Some(Node {
                            value: Value::Map(self.entries.drain(start..).collect()),
                            span,
                        });
                    }
                    Event::Scalar(text, style, 0, None) => key(text, style)?,
                    _ => return None,
                };
                self.nodes += 1;
                let entries = &self.entries[start..];
                let duplicate = match &mut names {
                    Some(names) => !names.insert(name.clone()),
                    None => entries.iter().any(|(k, _)| k.name == name),
                };
                if duplicate {
                    return None;
                }
                if names.is_none() && entries.len() >= LINEAR_KEYS {
                    let mut set: std::collections::HashSet<String> =
                        entries.iter().map(|(k, _)| k.name.clone()).collect();
                    set.insert(name.clone());
                    names = Some(set);
                }
                let (event, value_at) = self.next()?;
                let value = self.node(event, value_at, depth)?;
                self.entries.push((Key { name, span: at }, value));
            }
        }
    }

    /// A value scalar as serde-saphyr's untyped deserialization reads it (strict booleans).
    fn scalar(text: Cow<'_, str>, style: ScalarStyle) -> Option<Value> {
        if style != ScalarStyle::Plain {
            return Some(Value::Str(text.into_owned()));
        }
        plain(&text).map(|v| v.unwrap_or_else(|| Value::Str(text.into_owned())))
    }

    /// A mapping key's text, as [`super::KeyText`] reads it; `None` for a merge key and for
    /// keys it would not take as written (null, numbers other than plain integers).
    fn key(text: Cow<'_, str>, style: ScalarStyle) -> Option<String> {
        // `<<` merges a mapping into this one.
        if text == "<<" {
            return None;
        }
        if style != ScalarStyle::Plain {
            return Some(text.into_owned());
        }
        match plain(&text)? {
            None => Some(text.into_owned()),
            Some(Value::Int(i)) => Some(i.to_string()),
            // A boolean key is an error, which serde-saphyr words.
            Some(_) => None,
        }
    }

    /// A plain scalar: `Some(None)` for text, `Some(Some(value))` for a null, boolean or number
    /// in the one spelling this path knows, `None` for anything else that might not be text.
    pub(super) fn plain(text: &str) -> Option<Option<Value>> {
        let value = match text {
            "" | "~" | "null" | "Null" | "NULL" => Value::Null,
            "true" | "True" | "TRUE" => Value::Bool(true),
            "false" | "False" | "FALSE" => Value::Bool(false),
            _ => return number(text),
        };
        Some(Some(value))
    }

    fn number(text: &str) -> Option<Option<Value>> {
        let bytes = text.as_bytes();
        let first = *bytes.first()?;
        // serde-saphyr's numbers are Rust's `f64` and integer spellings (with `_`, `0x`, ...):
        // a byte outside these makes text, such as `1 minute`.
        if !bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'+' | b'-'))
        {
            return Some(None);
        }
        // YAML 1.2 spells no number with `_` (serde-saphyr is told so: `1_000` is text).
        if bytes.contains(&b'_') {
            return Some(None);
        }
        if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
            // Rust's float parser reads `inf`, `infinity` and `nan` in any case; `Information`
            // or `nano` is text.
            let special = ["inf", "infinity", "nan"]
                .iter()
                .any(|w| text.eq_ignore_ascii_case(w));
            return if special { None } else { Some(None) };
        }
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let decimal = |s: &str| {
            !s.is_empty()
                && s.bytes().all(|b| b.is_ascii_digit())
                && (s == "0" || !s.starts_with('0'))
        };
        let mut parts = digits.split('.');
        let whole = parts.next()?;
        let rest: Vec<&str> = parts.collect();
        if !decimal(whole) {
            return None;
        }
        match rest.as_slice() {
            [] if negative && whole == "0" => None,
            [] if negative => text.parse::<i64>().ok().map(|i| Some(Value::Int(i))),
            [] => {
                let u = whole.parse::<u64>().ok()?;
                Some(Some(
                    i64::try_from(u).map_or(Value::Float(u as f64), Value::Int),
                ))
            }
            [fraction] if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) => {
                text.parse::<f64>().ok().map(|f| Some(Value::Float(f)))
            }
            // `1.2.3`: neither an integer nor a float, so text (a version).
            [_, ..]
                if !negative
                    && rest
                        .iter()
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) =>
            {
                Some(None)
            }
            _ => None,
        }
    }
}

/// Reads the keys of one mapping. Every key a caller asks for is remembered; `finish` reports
/// the keys nobody asked for, with the closest known key as a suggestion.
pub struct MapReader<'a> {
    what: &'static str,
    node: &'a Node,
    entries: &'a [(Key, Node)],
    known: Vec<&'static str>,
}

impl<'a> MapReader<'a> {
    /// `what` names the mapping in messages ("an error code"). Reports and returns `None` if the
    /// node is not a mapping.
    pub fn new(node: &'a Node, what: &'static str, diags: &mut Diagnostics) -> Option<Self> {
        match &node.value {
            Value::Map(entries) => Some(Self {
                what,
                node,
                entries,
                known: Vec::new(),
            }),
            _ => {
                diags.push(
                    Diagnostic::new(
                        node.span,
                        format!("expected {what} (a mapping), found {}", node.kind()),
                    )
                    .label("not a mapping"),
                );
                None
            }
        }
    }

    pub fn span(&self) -> Span {
        self.node.span
    }

    /// The value under `key`, if present.
    pub fn get(&mut self, key: &'static str) -> Option<&'a Node> {
        if !self.known.contains(&key) {
            self.known.push(key);
        }
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    /// The value under `key`; reports a missing key at the mapping.
    pub fn require(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<&'a Node> {
        let v = self.get(key);
        if v.is_none() {
            let mut d = Diagnostic::new(
                self.node.span,
                format!("{} is missing the required key `{key}`", self.what),
            )
            .label(format!("`{key}` missing here"));
            // A key spelt like it (`statsu`) is likely the one meant; its own error follows.
            if let Some((typo, _)) = self
                .entries
                .iter()
                .find(|(k, _)| did_you_mean(&k.name, [key]).is_some())
            {
                d = d.help(format!(
                    "`{}` at line {} may be `{key}` misspelt",
                    typo.name, typo.span.line
                ));
            }
            diags.push(d);
        }
        v
    }

    /// Reports every key that no `get`/`require` asked for.
    pub fn finish(self, diags: &mut Diagnostics) {
        for (k, _) in self.entries {
            if !self.known.contains(&k.name.as_str()) {
                let mut d =
                    Diagnostic::new(k.span, format!("unknown key `{}` in {}", k.name, self.what))
                        .label("unknown key");
                d = match did_you_mean(&k.name, self.known.iter().copied()) {
                    _ if looks_cut(&k.name) => d.help(CUT_HELP),
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.note(format!("known keys: {}", self.known.join(", "))),
                };
                diags.push(d);
            }
        }
    }
}

/// Whether an unknown key reads like prose (`when there is one.`, `JSON.`, `lowercase).`): the
/// rest of a value that a comma cut inside a `{ ... }` mapping.
pub fn looks_cut(key: &str) -> bool {
    key.contains([' ', '(', ')']) || key.ends_with(['.', '!', '?'])
}

/// The help for a key that `looks_cut`.
pub const CUT_HELP: &str = "this looks like the rest of a value: in a `{ ... }` mapping, a comma ends an unquoted value, and what follows reads as a key; quote the value";

/// Typed reads of scalar nodes; each reports a mismatch and returns `None`.
pub fn string(node: &Node, what: &str, diags: &mut Diagnostics) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        _ => {
            diags.push(
                Diagnostic::new(
                    node.span,
                    format!("{what} must be a string, found {}", node.kind()),
                )
                .label("expected a string")
                .help("quote the value if it is meant as text"),
            );
            None
        }
    }
}

/// A non-empty string, trimmed of surrounding whitespace only when checking emptiness.
pub fn text(node: &Node, what: &str, diags: &mut Diagnostics) -> Option<String> {
    let s = string(node, what, diags)?;
    if s.trim().is_empty() {
        diags.push(Diagnostic::new(node.span, format!("{what} must not be empty")).label("empty"));
        return None;
    }
    Some(s)
}

pub fn integer(node: &Node, what: &str, diags: &mut Diagnostics) -> Option<i64> {
    match &node.value {
        Value::Int(i) => Some(*i),
        _ => {
            let mut d = Diagnostic::new(
                node.span,
                format!("{what} must be an integer, found {}", node.kind()),
            )
            .label("expected an integer");
            // `0404` and `404.0` read as floats.
            if let Value::Float(f) = node.value
                && f.fract() == 0.0
                && f.abs() < 1e15
            {
                d = d.help(format!(
                    "write it in plain digits, `{}` (a leading zero or a `.0` makes YAML read another kind of number)",
                    f as i64
                ));
            }
            // `4_04` is text in YAML 1.2.
            if let Value::Str(s) = &node.value
                && s.contains('_')
                && let Ok(i) = s.replace('_', "").parse::<i64>()
            {
                d = d.help(format!(
                    "write it in plain digits, `{i}` (YAML 1.2 reads a number with `_` as text)"
                ));
            }
            diags.push(d);
            None
        }
    }
}

pub fn boolean(node: &Node, what: &str, diags: &mut Diagnostics) -> Option<bool> {
    match &node.value {
        Value::Bool(b) => Some(*b),
        _ => {
            diags.push(
                Diagnostic::new(
                    node.span,
                    format!("{what} must be true or false, found {}", node.kind()),
                )
                .label("expected a boolean"),
            );
            None
        }
    }
}

pub fn seq<'a>(node: &'a Node, what: &str, diags: &mut Diagnostics) -> Option<&'a [Node]> {
    match &node.value {
        Value::Seq(items) => Some(items),
        _ => {
            diags.push(
                Diagnostic::new(
                    node.span,
                    format!("{what} must be a list, found {}", node.kind()),
                )
                .label("expected a list"),
            );
            None
        }
    }
}

pub fn map<'a>(node: &'a Node, what: &str, diags: &mut Diagnostics) -> Option<&'a [(Key, Node)]> {
    match &node.value {
        Value::Map(entries) => Some(entries),
        _ => {
            diags.push(
                Diagnostic::new(
                    node.span,
                    format!("{what} must be a mapping, found {}", node.kind()),
                )
                .label("expected a mapping"),
            );
            None
        }
    }
}

/// A list of non-empty strings.
pub fn strings(node: &Node, what: &str, diags: &mut Diagnostics) -> Option<Vec<String>> {
    let items = seq(node, what, diags)?;
    let out: Vec<Option<String>> = items.iter().map(|n| text(n, what, diags)).collect();
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A merge key's entries take its place, so that a merged mapping keeps the order it is
    /// written in (serde-saphyr's own merge put them after the mapping's keys, which reordered
    /// details fields and example members; found by the grid's written forms, seed 2).
    #[test]
    fn merge_keys_merge_where_they_are_written() {
        let keys = |text: &str, at: &str| -> Vec<String> {
            let root = parse(0, text).unwrap_or_else(|d| panic!("{text:?}: {}", d.message));
            let Value::Map(top) = &root.value else {
                panic!("{text:?}")
            };
            let (_, m) = top.iter().find(|(k, _)| k.name == at).expect("the key");
            let Value::Map(entries) = &m.value else {
                panic!("{text:?}")
            };
            entries
                .iter()
                .map(|(k, v)| format!("{}={}", k.name, v.to_json()))
                .collect()
        };
        let base = "b: &b {x: 1, y: 2}
c: &c {y: 3, z: 4}
";
        for (m, expected) in [
            (
                "m:
  <<: *b
  w: 0
",
                &["x=1", "y=2", "w=0"][..],
            ),
            (
                "m:
  w: 0
  <<: *b
",
                &["w=0", "x=1", "y=2"],
            ),
            (
                "m: {w: 0, <<: *b, v: 5}
",
                &["w=0", "x=1", "y=2", "v=5"],
            ),
            // The mapping's own keys win, where they are written.
            (
                "m:
  <<: *b
  x: 9
",
                &["y=2", "x=9"],
            ),
            // In a list, an earlier mapping wins.
            (
                "m:
  <<: [*b, *c]
",
                &["x=1", "y=2", "z=4"],
            ),
            (
                "m:
  <<: [*c, *b]
",
                &["y=3", "z=4", "x=1"],
            ),
            (
                "m:
  <<: {k: {<<: *b, q: 1}}
",
                &[r#"k={"x":1,"y":2,"q":1}"#],
            ),
            // A quoted `<<` is a key like any other.
            (
                "m:
  \"<<\": *b
",
                &[r#"<<={"x":1,"y":2}"#],
            ),
        ] {
            assert_eq!(keys(&format!("{base}{m}"), "m"), expected, "{m:?}");
        }
        let d = parse(
            0,
            "a: &a 1
m:
  <<: *a
",
        )
        .unwrap_err();
        assert!(d.message.contains("must be a mapping"), "{}", d.message);
        let at = d.span.expect("a place");
        assert_eq!((at.line, at.column), (3, 7));
    }

    #[test]
    fn spans_point_at_nodes_and_keys() {
        let root = parse(0, "a: 1\nb:\n  - x\n").unwrap();
        let Value::Map(entries) = &root.value else {
            panic!()
        };
        assert_eq!(entries[1].0.name, "b");
        assert_eq!((entries[1].0.span.line, entries[1].0.span.column), (2, 1));
        let Value::Seq(items) = &entries[1].1.value else {
            panic!()
        };
        assert_eq!((items[0].span.line, items[0].span.column), (3, 5));
        assert_eq!(items[0].value, Value::Str("x".into()));
        assert_eq!(items[0].span.offset, 12);
    }

    #[test]
    fn spans_get_their_file_and_missing_offsets() {
        let text = "a: 1\nb:\n  - é\n";
        let at = |line, column| Span {
            file: 0,
            offset: NO_OFFSET,
            len: 3,
            line,
            column,
        };
        let mut root = Node {
            value: Value::Map(vec![(
                Key {
                    name: "b".into(),
                    span: at(2, 1),
                },
                Node {
                    value: Value::Seq(vec![Node {
                        value: Value::Null,
                        span: Span {
                            offset: 100,
                            ..at(3, 5)
                        },
                    }]),
                    span: Span {
                        offset: 7,
                        ..at(2, 3)
                    },
                },
            )]),
            span: at(1, 1),
        };
        place(&mut root, 4, text);
        let Value::Map(entries) = &root.value else {
            panic!()
        };
        let (key, seq) = &entries[0];
        let Value::Seq(items) = &seq.value else {
            panic!()
        };
        let spans = [root.span, key.span, seq.span, items[0].span];
        assert!(spans.iter().all(|s| s.file == 4));
        let offsets = spans.map(|s| s.offset);
        // Missing and out-of-range offsets come from line and column; a given one stays.
        assert_eq!(offsets, [0, 5, 7, 12]);
    }

    #[test]
    fn empty_documents_at_the_end_are_not_a_second_document() {
        for text in [
            "a: 1\n---\n",
            "a: 1\n--- # end\n\n# done\n",
            "a: |+\n  kept\n\n---\n---\n",
        ] {
            let root = parse(0, text).unwrap_or_else(|d| panic!("{text:?}: {}", d.message));
            assert!(matches!(root.value, Value::Map(_)), "{text:?}");
        }
        let root = parse(0, "a: |+\n  kept\n\n---\n").unwrap();
        let Value::Map(entries) = &root.value else {
            unreachable!()
        };
        assert_eq!(entries[0].1.value, Value::Str("kept\n\n".into()));
        for text in ["a: 1\n---\nb: 2\n", "a: 1\n--- {b: 2}\n"] {
            assert!(parse(0, text).is_err(), "{text:?}");
        }
        // A document start after directives is the only document's, empty or not (it was
        // dropped as a trailing empty document, leaving directives without a document).
        for text in [
            "%YAML 1.2\n---\n",
            "%YAML 1.2\n--- # the catalog\n",
            "\u{feff}%YAML 1.2\r\n# a comment\r\n---\r\n\r\n",
            "%YAML 1.2\n---\n---\n",
            "%YAML 1.2\n%TAG !e! tag:example.com,2000:\n---\n# empty\n",
        ] {
            let root = parse(0, text).unwrap_or_else(|d| panic!("{text:?}: {}", d.message));
            assert_eq!(root.value, Value::Null, "{text:?}");
        }
    }

    /// NEL, U+2028 and U+2029 are line breaks in YAML 1.1, and text in YAML 1.2 (as in JSON):
    /// in every scalar style, keys, comments and anchor names they are characters like others.
    #[test]
    fn nel_and_line_separators_are_text() {
        use serde_json::json;
        for (text, expected) in [
            (
                "a: x\u{85}y\u{2028}z\u{2029}\n",
                json!({ "a": "x\u{85}y\u{2028}z\u{2029}" }),
            ),
            ("a: \u{85}y\u{85}\n", json!({ "a": "\u{85}y\u{85}" })),
            ("a: x\n  \u{85}y\n", json!({ "a": "x \u{85}y" })),
            (
                "a: 'x\u{85}\n  \u{2028}y'\n",
                json!({ "a": "x\u{85} \u{2028}y" }),
            ),
            (
                "a: \"x\u{85}\\N\\L\\P\u{2028}\"\n",
                json!({ "a": "x\u{85}\u{85}\u{2028}\u{2029}\u{2028}" }),
            ),
            (
                "a: |\n  x\u{85}y\n  \u{2028}z\n",
                json!({ "a": "x\u{85}y\n\u{2028}z\n" }),
            ),
            (
                "a: >\n  x\u{85}y\n  \u{2028}z\n",
                json!({ "a": "x\u{85}y \u{2028}z\n" }),
            ),
            ("x\u{85}y: 1 # c\u{85}b: 2\n", json!({ "x\u{85}y": 1 })),
            (
                "# c\u{2028}a: 1\nb: &n\u{85} 2\nc: *n\u{85}\n",
                json!({ "b": 2, "c": 2 }),
            ),
            ("a:\n\u{85} b: 1\n", json!({ "a": null, "\u{85} b": 1 })),
        ] {
            let root = parse(0, text).unwrap_or_else(|d| panic!("{text:?}: {}", d.message));
            assert_eq!(root.to_json(), expected, "{text:?}");
        }
    }

    /// What YAML allows and the loader refuses: each error where it is, with a help that says
    /// what to write instead. An explicit key (`? key`) may be as long as any value.
    #[test]
    fn refused_yaml_says_what_to_write_instead() {
        let long = "k".repeat(1100);
        let help = |text: &str| {
            let d = parse(0, text).unwrap_err();
            (d.span.unwrap(), d.notes.join("\n"))
        };
        for text in [
            format!("{long}: 1\n"),
            format!("\"{long}\": 1\n"),
            format!("a: {{{long}: 1}}\n"),
            format!("- x: 1\n  {long}: 1\n"),
        ] {
            let (span, help) = help(&text);
            assert!(help.contains("explicit key"), "{help}");
            assert!(span.column > 1000 || span.column == 3, "{span:?}");
        }
        let root = parse(0, &format!("? {long}\n: 1\n")).unwrap();
        assert_eq!(root.to_json(), serde_json::json!({ long.clone(): 1 }));
        for (text, column, escape) in [
            ("a: \"x\u{86}y\"\n", 6, "\\u0086"),
            ("a: 'x\u{7f}'\n", 6, "\\u007F"),
            ("a: x\u{1b}\n", 5, "\\u001B"),
            ("a: |\n  x\u{9f}\n", 4, "\\u009F"),
        ] {
            let (span, help) = help(text);
            assert!(help.contains(escape), "{text:?}: {help}");
            assert!(span.column <= column, "{text:?}: {span:?}");
        }
        for text in ["a: *b\n", "- *b\n", "a: [x, *b]\n"] {
            let (_, help) = help(text);
            assert!(help.contains("same file"), "{text:?}: {help}");
        }
    }

    #[test]
    fn a_tab_in_an_indentation_is_reported_where_it_is() {
        let text = "api:\n  name: A\n  docs: x\n\tversion: 1\n";
        let d = parse(0, text).unwrap_err();
        assert!(d.message.ends_with("found a tab"), "{}", d.message);
        let span = d.span.unwrap();
        assert_eq!((span.line, span.column, span.offset), (4, 1, 25));
    }

    #[test]
    fn scalars_and_keys_over_the_limit_are_rejected_where_they_are() {
        let long = "x".repeat(crate::limits::SCALAR_BYTES + 1);
        let d = parse(0, &format!("a: ok\nb:\n  - {long}\n")).unwrap_err();
        let span = d.span.unwrap();
        assert_eq!((span.line, span.column), (3, 5));
        assert_eq!(
            d.message,
            "this value is 65537 bytes long, over the limit of 64 KiB per value"
        );
        let d = parse(0, &format!("a: ok\n{long}: 1\n")).unwrap_err();
        assert_eq!(d.span.map(|s| (s.line, s.column)), Some((2, 1)));
        let fits = "x".repeat(crate::limits::SCALAR_BYTES);
        assert!(parse(0, &format!("a: {fits}\n")).is_ok());
    }

    #[test]
    fn integer_keys_read_as_text() {
        let root = parse(0, "400: Bad\n").unwrap();
        let Value::Map(entries) = &root.value else {
            panic!()
        };
        assert_eq!(entries[0].0.name, "400");
    }

    #[test]
    fn norway_stays_a_string() {
        let root = parse(0, "a: no\n").unwrap();
        let Value::Map(entries) = &root.value else {
            panic!()
        };
        assert_eq!(entries[0].1.value, Value::Str("no".into()));
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    /// Every `.yaml`/`.yml` file below `dir`, recursively.
    fn yaml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == "node_modules" || name == "target" || name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                yaml_files(&path, out);
            } else if name.ends_with(".yaml") || name.ends_with(".yml") {
                out.push(path);
            }
        }
    }

    /// The fast path builds exactly serde-saphyr's tree (spans included) or declines; it never
    /// accepts a file serde-saphyr rejects.
    fn same_as_serde_saphyr(name: &str, text: &str) -> bool {
        let slow = parse_slow(3, text);
        match fast::parse(3, text) {
            Some(fast) => {
                let slow = slow.unwrap_or_else(|d| {
                    panic!("{name}: the fast path accepted what serde-saphyr rejects: {d:?}")
                });
                assert!(fast == slow, "{name}: the two paths build different trees");
                true
            }
            None => false,
        }
    }

    /// Every YAML file of the repository's catalogs, test data, examples and `errcat`.
    pub(super) fn repository_yaml_files() -> Vec<std::path::PathBuf> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for dir in ["catalog", "codegen/tests/data", "examples", "errcat"] {
            yaml_files(&root.join(dir), &mut files);
        }
        files
    }

    #[test]
    fn fast_path_builds_what_serde_saphyr_builds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let files = repository_yaml_files();
        assert!(files.len() > 100, "found only {} YAML files", files.len());
        let mut fast = 0;
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            if same_as_serde_saphyr(&path.display().to_string(), &text) {
                fast += 1;
            }
        }
        // Most catalogs take the fast path, or it would not pay.
        assert!(
            fast * 10 > files.len() * 8,
            "{fast} of {} files",
            files.len()
        );
        for path in &files {
            if path.starts_with(root.join("catalog")) {
                let text = std::fs::read_to_string(path).unwrap();
                assert!(fast::parse(0, &text).is_some(), "{}", path.display());
            }
        }
    }

    #[test]
    fn fast_path_declines_or_agrees_on_every_scalar_spelling() {
        let scalars = [
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "nULL",
            "true",
            "True",
            "TRUE",
            "tRUE",
            "false",
            "False",
            "FALSE",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "n",
            "0",
            "-0",
            "+0",
            "00",
            "007",
            "-007",
            "1",
            "-1",
            "+1",
            "12",
            "1_000",
            "0x1F",
            "0X1F",
            "0o17",
            "0O17",
            "0b101",
            "1.5",
            "-1.5",
            "+1.5",
            "1.",
            ".5",
            "-.5",
            "1e3",
            "1E3",
            "1.5e3",
            "1.0.0",
            "1.2.3.4",
            "1.2.x",
            "-1.2.3",
            ".inf",
            "-.inf",
            "+.inf",
            ".Inf",
            ".INF",
            ".nan",
            ".NaN",
            ".NAN",
            "-.nan",
            "inf",
            "Inf",
            "infinity",
            "nan",
            "NaN",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1e999",
            "-1e999",
            "2026-01-02",
            "12:30",
            "1:2",
            "5xx",
            "4xx_error",
            "a b",
            "é",
            "x-1",
            "0.1",
            "0.10",
            "00.1",
            "123456789012345678901234567890.5",
            "1.7976931348623157e309",
        ];
        for s in scalars {
            for doc in [
                format!("v: {s}\n"),
                format!("{s}: v\n"),
                format!("- {s}\n"),
                format!("v: [{s}]\n"),
                format!("v: {{k: {s}}}\n"),
                format!("v: \"{s}\"\n"),
                format!("v: '{s}'\n"),
                format!("\"{s}\": v\n"),
            ] {
                same_as_serde_saphyr(&format!("{doc:?}"), &doc);
            }
        }
        for doc in [
            "a: 1\na: 2\n",
            "a: 1\n\"a\": 2\n",
            "1: x\n\"1\": y\n",
            "true: x\n\"true\": y\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: !custom 1\n",
            "--- \na: 1\n--- \nb: 2\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: 1\n...\n",
            "? [a]\n: b\n",
            "a:\n  b:\n    - c\n    -\n    - d: |\n        text\n        more\n      e: >\n        folded\n",
            "{a: 1, b: [2, 3]}\n",
            "[1, 2]\n",
            "plain\n",
            "",
            "# only a comment\n",
            "a: x\n  continued\n",
            "a: \"esc\\u0041\\n\"\n",
            "<<: {a: 1}\nb: 2\n",
            "\u{feff}a: 1\n",
            "a: 1\r\nb:\r\n  - x\r\n",
            "a:\t1\n",
            "a: 'it''s'\n",
            "a: [x,\n  y]\n",
            "a: x # comment\n# more\nb: y\n",
            "a: \"é\u{1F600}\"\nb: ü\n",
            "? a\n: b\n",
            "a: b: c\n",
            "- a\n- - b\n  - c\n",
        ] {
            same_as_serde_saphyr(&format!("{doc:?}"), doc);
        }
        let wide: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
        assert!(same_as_serde_saphyr("wide", &wide));
        assert!(!same_as_serde_saphyr(
            "wide duplicate",
            &format!("{wide}k7: 1\n")
        ));
        let deep = "a: ".to_string() + &"[".repeat(45) + &"]".repeat(45) + "\n";
        assert!(!same_as_serde_saphyr("deep", &deep));
    }
}
