//! `catalog.json`: the validated, normalized catalog for tools in other languages and the docs
//! site's search, and `catalog.schema.json`, the JSON Schema that describes it.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Value, json};

use super::{Artifact, Options};
use crate::model::{
    Api, Catalog, Category, Envelope, ErrorDef, Guide, HttpStatus, Retired, RetryConfig, Wire,
};

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
    envelope: &'a Envelope,
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
        envelope,
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

/// A data file every package ships (the conformance and example tables): `pretty`, with
/// control and invisible formatting characters written as `\uXXXX` escapes, so the file holds
/// the same values and no text that reads differently than it parses.
pub fn data_file(value: &impl Serialize) -> String {
    let text = pretty(value);
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
/// could make text read differently than it parses ("Trojan Source").
pub fn escaped_in_text(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}')
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

/// Two-space indented JSON with a final newline: the one JSON layout every emitter uses.
pub fn pretty(value: &impl Serialize) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("JSON values serialize");
    s.push('\n');
    s
}
