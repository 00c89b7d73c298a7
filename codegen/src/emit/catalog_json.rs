//! `catalog.json`: the validated, normalized catalog for tools in other languages and the docs
//! site's search, and `catalog.schema.json`, the JSON Schema that describes it.

use std::fmt::Write as _;
use std::io;

use serde::Serialize;
use serde_json::{Value, json};

use super::{Artifact, Options};
use crate::model::{
    Api, Catalog, Category, Envelope, ErrorDef, Guide, HttpStatus, Retired, RetryConfig, Wire,
};
use crate::wire::Preset;

/// The schema of `catalog.json`, kept beside this file; a test validates the output against it.
pub const SCHEMA: &str = include_str!("catalog.schema.json");

/// `catalog.json`: the catalog's own serialization, after `$comment` and `$schema`, with two
/// derived values per code a consumer would otherwise recompute (docs link, retryability).
/// Serialized straight from the model, not through a `serde_json::Value` of the whole catalog,
/// which would take many times the output's size in memory.
#[derive(Serialize)]
struct Document<'a> {
    #[serde(rename = "$comment")]
    comment: String,
    #[serde(rename = "$schema")]
    schema: &'static str,
    api: &'a Api,
    wire: &'a Wire,
    /// The flat wire's envelope; other wires describe their members in `wire`.
    #[serde(skip_serializing_if = "Option::is_none")]
    envelope: Option<&'a Envelope>,
    statuses: &'a [HttpStatus],
    categories: &'a [Category],
    retry: &'a RetryConfig,
    guidance: &'a [Guide],
    errors: Vec<Error<'a>>,
    /// Omitted when empty, so catalogs that never retired a code keep their old output.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    retired: &'a [Retired],
}

#[derive(Serialize)]
struct Error<'a> {
    #[serde(flatten)]
    def: &'a ErrorDef,
    docs_url: String,
    retryable: bool,
}

pub fn emit(catalog: &Catalog, options: &Options) -> Vec<Artifact> {
    let Catalog {
        api,
        wire,
        envelope,
        statuses,
        categories,
        retry,
        guidance,
        errors,
        retired,
        warnings: _,
        tables: _,
    } = catalog;
    let document = Document {
        comment: options.header(),
        schema: "./catalog.schema.json",
        api,
        wire,
        envelope: (wire.preset == Preset::Flat).then_some(envelope),
        statuses,
        categories,
        retry,
        guidance,
        errors: errors
            .iter()
            .map(|def| Error {
                def,
                docs_url: catalog.docs_url(def),
                retryable: def.retry.is_retryable(),
            })
            .collect(),
        retired,
    };
    let mut schema: Value =
        serde_json::from_str(SCHEMA).expect("catalog.schema.json is valid JSON");
    schema["$comment"] = json!(options.header());
    vec![
        Artifact::new("catalog.json", pretty(&document)),
        Artifact::new("catalog.schema.json", pretty(&schema)),
    ]
}

/// A data file every package ships (the conformance and example tables): one row per line
/// (`rows`), with control and invisible formatting characters written as `\uXXXX` escapes, so
/// the file holds the same values and no text that reads differently than it parses.
pub fn data_file(value: &impl Serialize) -> String {
    escape_invisible(rows(value))
}

/// JSON text with its control and invisible formatting characters (`escaped_in_text`) written
/// as `\uXXXX` escapes: they can only be inside strings, where the escape means the same. DEL
/// and the C1 controls, which serde_json leaves raw, would otherwise fail YAML readers of the
/// JSON (openapi-spec-validator), and the rest would read differently than they parse.
pub fn escape_invisible(text: String) -> String {
    // serde_json already escaped the control characters below 0x20: only DEL and non-ASCII
    // characters need a look, and runs of plain ASCII are copied as they are.
    let mut rest = text.as_str();
    let Some(first) = rest.bytes().position(|b| b >= 0x7F) else {
        return text;
    };
    let mut out = String::with_capacity(text.len() + 64);
    let mut next = Some(first);
    while let Some(i) = next {
        out.push_str(&rest[..i]);
        let c = rest[i..].chars().next().unwrap_or_default();
        if escaped_in_text(c) {
            let _ = write!(out, "\\u{:04X}", u32::from(c));
        } else {
            out.push(c);
        }
        rest = &rest[i + c.len_utf8()..];
        next = rest.bytes().position(|b| b >= 0x7F);
    }
    out.push_str(rest);
    out
}

/// Characters that generated text writes as escapes (`\uXXXX` in JSON and string literals,
/// `\u{XXXX}` in comments): controls, the JavaScript line terminators U+2028/U+2029, and the
/// invisible formatting characters (bidi overrides and isolates, zero-width marks, BOM) that
/// could make text read differently than it parses ("Trojan Source"); and the noncharacters
/// U+FFFE and U+FFFF, which YAML does not allow unescaped (`openapi.yaml`).
pub fn escaped_in_text(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}')
}

/// A JSON array written from an iterator while it is serialized, so the rows of a large table
/// never all exist at once (10,000 codes make hundreds of thousands of rows). Serializes once;
/// the same bytes as the `Value::Array` of its rows.
pub struct Rows<I>(std::cell::Cell<Option<I>>);

impl<I> Rows<I> {
    pub fn new(rows: I) -> Self {
        Self(std::cell::Cell::new(Some(rows)))
    }
}

impl<I, T> Serialize for Rows<I>
where
    I: Iterator<Item = T>,
    T: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.take().into_iter().flatten())
    }
}

/// Two-space indented JSON with a final newline, invisible characters escaped
/// ([`escape_invisible`]): the layout of the documents people read (`catalog.json`,
/// `openapi.json`, bodies in the docs).
pub fn pretty(value: &impl Serialize) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("JSON values serialize");
    s.push('\n');
    escape_invisible(s)
}

/// `value` in [`pretty`]'s layout as if it were nested `level` aggregates deep in a larger
/// document (its inner lines indented `level` more steps), appended to `out`: for documents
/// written a piece at a time.
pub fn pretty_at(out: &mut Vec<u8>, level: usize, value: &impl Serialize) {
    let formatter = Lines {
        depth: level,
        has_item: false,
        broken: usize::MAX,
    };
    let mut ser = serde_json::Serializer::with_formatter(out, formatter);
    value.serialize(&mut ser).expect("JSON values serialize");
}

/// JSON for tables: the members of the top-level object one per line, and so are the entries
/// of the arrays among them (the rows); each row is written on its own line, with `, ` and
/// `: ` between its items (Python's `json.dumps` layout). At 10,000 codes the retry table is
/// 4.0 MB instead of `pretty`'s 8.9, and a change to one row is a change to one line. A final
/// newline.
fn rows(value: &impl Serialize) -> String {
    let mut out = Vec::with_capacity(1 << 16);
    let formatter = Lines {
        depth: 0,
        has_item: false,
        broken: 2,
    };
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    value.serialize(&mut ser).expect("JSON values serialize");
    out.push(b'\n');
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Two-space indented JSON whose aggregates up to a depth put each item on its own line, and
/// deeper ones are written inline (`, ` and `: `): [`rows`] breaks the document and its members
/// (depth 1 and 2), [`pretty_at`] every level, as serde_json's `PrettyFormatter` does.
struct Lines {
    /// How many arrays and objects are open, counting those around the value written.
    depth: usize,
    /// Whether the innermost open aggregate has had an item.
    has_item: bool,
    /// The deepest level whose items each take a line.
    broken: usize,
}

impl Lines {
    fn open<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_item = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        if self.depth <= self.broken && self.has_item {
            w.write_all(b"\n")?;
            indent(w, self.depth - 1)?;
        }
        self.depth -= 1;
        // The aggregate just closed was an item of the one around it.
        self.has_item = true;
        w.write_all(bracket)
    }

    fn item<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.has_item = true;
        if self.depth <= self.broken {
            w.write_all(if first { b"\n" } else { b",\n" })?;
            indent(w, self.depth)
        } else if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }
}

fn indent<W: ?Sized + io::Write>(w: &mut W, levels: usize) -> io::Result<()> {
    (0..levels).try_for_each(|_| w.write_all(b"  "))
}

impl serde_json::ser::Formatter for Lines {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{pretty, pretty_at, rows};

    #[test]
    fn rows_put_each_row_on_a_line_and_hold_the_same_value() {
        let value = json!({
            "//": "header",
            "empty": [],
            "numbers": [1, 2],
            "cases": [
                {"body": {"a": [1, {"b": null}], "c": {}}, "delays": [[null, 1], []]},
                {"body": "x"}
            ],
            "table": {"k": {"v": [true]}}
        });
        let text = rows(&value);
        assert_eq!(
            text,
            r#"{
  "//": "header",
  "empty": [],
  "numbers": [
    1,
    2
  ],
  "cases": [
    {"body": {"a": [1, {"b": null}], "c": {}}, "delays": [[null, 1], []]},
    {"body": "x"}
  ],
  "table": {
    "k": {"v": [true]}
  }
}
"#
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
        assert_eq!(rows(&json!([])), "[]\n");
        assert_eq!(rows(&json!("s")), pretty(&json!("s")));
    }

    #[test]
    fn pretty_at_a_depth_is_pretty_inside_a_larger_document() {
        let inner = json!({"a": [1, {"b": []}, {}], "c": {"d": "e\n"}, "f": [[]], "g": null});
        for level in 0..4 {
            let mut out = Vec::new();
            pretty_at(&mut out, level, &inner);
            let mut whole = inner.clone();
            for _ in 0..level {
                whole = json!([whole]);
            }
            let pretty_whole = pretty(&whole);
            let text = String::from_utf8(out).unwrap();
            // The nested value's lines, as `pretty` wrote them in the whole document.
            let start = pretty_whole.find('{').unwrap();
            let end = pretty_whole.rfind('}').unwrap() + 1;
            assert_eq!(text, pretty_whole[start..end], "level {level}");
        }
        let mut out = Vec::new();
        pretty_at(&mut out, 2, &json!("s"));
        assert_eq!(out, b"\"s\"");
    }
}
