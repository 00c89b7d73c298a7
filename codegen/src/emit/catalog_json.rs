//! `catalog.json`: the validated, normalized catalog for tools in other languages and the docs
//! site's search, and `catalog.schema.json`, the JSON Schema that describes it.

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
        body_cases: _,
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

/// Two-space indented JSON with a final newline: the one JSON layout every emitter uses.
pub fn pretty(value: &impl Serialize) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("JSON values serialize");
    s.push('\n');
    s
}
