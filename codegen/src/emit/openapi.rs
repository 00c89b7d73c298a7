//! `openapi/`: an OpenAPI 3.1 document (`openapi.yaml`, and the same data as `openapi.json`)
//! whose `components` describe every error of the catalog, for API specs to `$ref`, and whose
//! `webhooks` describe the codes delivered as webhook events.
//!
//! The document is built from `serde_json::Value`s (keys in insertion order) and serialized. The
//! per-code sections (schemas, examples) are built entry by entry while they are written
//! (`LazyValue`), each entry once for both files, so the whole document never exists as one
//! `Value`. Component names, by construction distinct (codes are distinct in
//! `naming::pascal`, and each family has its own suffix):
//! - schemas: `ErrorCode` (extensible string), `KnownErrorCode` (the enum), `ErrorEnvelope`,
//!   `ErrorBody` (every code, discriminated on `error`), `Status{n}ErrorBody` (the HTTP codes of
//!   one status), `{Code}Error` (one body per code) and `{Code}Details`;
//! - responses: one per status, named by its reason phrase (`TooManyRequests`);
//! - examples: `{Code}Error` for an example named `default`, else `{Code}Error.{name}`;
//! - headers: by header name, with a `_2`... suffix when codes declare one name differently.
//!
//! Webhook-delivered codes are never HTTP responses: they are in `ErrorBody`, in `webhooks` (as
//! the request body the API posts) and in components, but in no status union or response.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::catalog_json::{escape_invisible, pretty_at};
use super::{Artifact, Options, Sink};
use crate::model::{
    Catalog, Delivery, EnvelopeFieldName, ErrorDef, Example, Format, HeaderDef, HeaderType,
    HttpStatus, ObjectSchema, Schema, SchemaKind,
};
use crate::naming;
use crate::wire::Preset;

/// The document's file names under `openapi/`.
pub const YAML_PATH: &str = "openapi/openapi.yaml";
pub const JSON_PATH: &str = "openapi/openapi.json";

/// The media type of error bodies: the wire's (`application/problem+json` for RFC 9457).
fn media_type(catalog: &Catalog) -> &str {
    &catalog.wire.content_type
}

pub fn emit(catalog: &Catalog, options: &Options, sink: &Sink) {
    let (json, yaml) = texts(&Document::new(catalog, options), &options.header());
    sink(Artifact::new(JSON_PATH, json));
    sink(Artifact::new(YAML_PATH, yaml));
}

// ---------------------------------------------------------------------------------------------
// Names

pub fn code_schema_name(def: &ErrorDef) -> String {
    text!("{}Error", naming::pascal(&def.code))
}

pub fn details_schema_name(def: &ErrorDef) -> String {
    text!("{}Details", naming::pascal(&def.code))
}

pub fn status_schema_name(status: u16) -> String {
    text!("Status{status}ErrorBody")
}

pub fn example_name(def: &ErrorDef, example: &Example) -> String {
    if example.name == "default" {
        code_schema_name(def)
    } else {
        text!("{}.{}", code_schema_name(def), example.name)
    }
}

/// The response name of a status: its IANA reason phrase in PascalCase, else `Status{n}`.
pub fn response_name(status: u16) -> String {
    let phrase = match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "ContentTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        421 => "MisdirectedRequest",
        422 => "UnprocessableContent",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        506 => "VariantAlsoNegotiates",
        507 => "InsufficientStorage",
        508 => "LoopDetected",
        511 => "NetworkAuthenticationRequired",
        _ => return text!("Status{status}"),
    };
    phrase.to_string()
}

/// Catalog text for a CommonMark `description`, read as CommonMark reads it: raw HTML renders as
/// text and links with script schemes as text (`docs::markdown::inert`); code spans, emphasis
/// and safe links are kept as written. Text that could reach past itself is plain text instead
/// (every Markdown character escaped, as on the docs site): a line break or a line that starts
/// a block (a heading, a fence, a table, a list or a quote) would take in the sentences the
/// generator writes after it, and so would a code span left open.
pub fn md(text: &str) -> String {
    if text.to_ascii_lowercase().contains("javascript:") {
        // redocly's `no-unsafe-markdown` refuses `](javascript:` and `href=javascript:` even
        // when escaped: plain text, with the colon escaped (it still reads `javascript:`).
        return script_links_broken(&plain(text));
    }
    if stays_inline(text) {
        super::docs::markdown::inert(text).into_owned()
    } else {
        plain(text)
    }
}

/// `s` with every `javascript:` (in any case) written `javascript\:`.
fn script_links_broken(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let mut out = String::with_capacity(s.len() + 8);
    let mut last = 0;
    for (at, _) in lower.match_indices("javascript:") {
        let colon = at + "javascript".len();
        out.push_str(&s[last..colon]);
        out.push_str("\\:");
        last = colon + 1;
    }
    out.push_str(&s[last..]);
    out
}

/// Catalog text as plain text in CommonMark: `docs::markdown::text`, with `<` as `&lt;`
/// (redocly's `no-unsafe-markdown` reads `\<img onerror=...>` as a tag).
fn plain(text: &str) -> String {
    super::docs::markdown::text(text).replace("\\<", "&lt;")
}

/// Whether `text` is one line that starts no block and leaves no code span open.
fn stays_inline(text: &str) -> bool {
    if text.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        return false;
    }
    let start = text.trim_start_matches(' ');
    let digits = start.trim_start_matches(|c: char| c.is_ascii_digit());
    let marker = |m: char| {
        let rest = start.trim_start_matches(m);
        start.len() - rest.len() >= 3 || (rest.len() < start.len() && rest.starts_with(' '))
    };
    let block = text.len() - start.len() > 3
        || start.starts_with(['#', '>', '|', '\t'])
        || ['-', '+', '*', '_', '`', '~'].into_iter().any(marker)
        || (digits.len() < start.len() && digits.starts_with(['.', ')']));
    if block {
        return false;
    }
    // Code spans: a run of backticks closes at the next run of the same length; a run of one
    // left open would pair with a backtick the generator writes after the text.
    let runs: Vec<usize> = text
        .split(|c| c != '`')
        .map(str::len)
        .filter(|&n| n > 0)
        .collect();
    let mut i = 0;
    while i < runs.len() {
        match runs[i + 1..].iter().position(|&n| n == runs[i]) {
            Some(j) => i += j + 2,
            None if runs[i] == 1 => return false,
            None => i += 1,
        }
    }
    true
}

/// Text as a sentence, to append another to: a final period added unless it ends in punctuation.
fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.ends_with(['.', '!', '?', ':', ')']) {
        t.to_string()
    } else {
        text!("{t}.")
    }
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": text!("#/components/schemas/{name}") })
}

fn component_ref(kind: &str, name: &str) -> Value {
    json!({ "$ref": text!("#/components/{kind}/{name}") })
}

/// Inserts a component, asserting the name is new (the naming scheme makes it so).
fn insert(map: &mut Map<String, Value>, name: String, value: Value) {
    let previous = map.insert(name, value);
    debug_assert!(previous.is_none(), "two components share a name");
}

// ---------------------------------------------------------------------------------------------
// The document

fn http_codes<'a>(catalog: &'a Catalog, status: u16) -> impl Iterator<Item = &'a ErrorDef> + 'a {
    catalog
        .errors
        .iter()
        .filter(move |e| e.status == status && e.delivery == Delivery::Http)
}

/// The whole document, as one `Value` (for tests; the emitter writes its entries as they are
/// built).
pub fn document(catalog: &Catalog, options: &Options) -> Value {
    let (json, _) = texts(&Document::new(catalog, options), &options.header());
    serde_json::from_str(&json).expect("the document is JSON")
}

/// The document: its head as values, then `components`, whose per-code sections are built
/// entry by entry while they are written.
struct Document<'a> {
    head: Map<String, Value>,
    catalog: &'a Catalog,
    headers: HeaderComponents,
}

/// `openapi.json` (in `catalog_json::pretty`'s layout) and `openapi.yaml` (after a comment line with
/// `header`), written in one walk of the document: each entry is built once, written to both
/// and dropped, so the whole document never exists as one `Value`.
fn texts(doc: &Document<'_>, header: &str) -> (String, String) {
    let mut json = Vec::with_capacity(64 << 10);
    let mut yaml = yaml::Writer::new(header);
    json.push(b'{');
    let mut first = true;
    for (k, v) in &doc.head {
        json_entry(&mut json, 1, &mut first, k, v);
        yaml.entry(0, k, v);
    }
    json_key(&mut json, 1, &mut first, "components");
    yaml.key(0, "components");
    walk(
        &mut json,
        &mut yaml,
        1,
        components(doc.catalog, &doc.headers),
    );
    json.extend_from_slice(b"\n}\n");
    let json = String::from_utf8(json).expect("serde_json writes UTF-8");
    (escape_invisible(json), yaml.finish())
}

/// An object of lazily built entries, `depth` aggregates deep, into both documents.
fn walk<'a>(
    json: &mut Vec<u8>,
    yaml: &mut yaml::Writer,
    depth: usize,
    entries: impl Iterator<Item = (String, LazyValue<'a>)>,
) {
    json.push(b'{');
    yaml.begin_entries();
    let mut first = true;
    for (k, v) in entries {
        match v {
            LazyValue::Value(v) => {
                json_entry(json, depth + 1, &mut first, &k, &v);
                yaml.entry(2 * depth, &k, &v);
            }
            LazyValue::Entries(more) => {
                json_key(json, depth + 1, &mut first, &k);
                yaml.key(2 * depth, &k);
                walk(json, yaml, depth + 1, more);
            }
        }
    }
    if first {
        // Not reached by any document: `components` and its sections always have entries.
        json.push(b'}');
        yaml.no_entries(2 * depth);
    } else {
        json.push(b'\n');
        json.extend(std::iter::repeat_n(b' ', 2 * depth));
        json.push(b'}');
    }
}

/// `"key": ` on a line of its own, after the previous entry of its object (at `depth`).
fn json_key(json: &mut Vec<u8>, depth: usize, first: &mut bool, key: &str) {
    json.extend_from_slice(if *first { b"\n" } else { b",\n" });
    *first = false;
    json.extend(std::iter::repeat_n(b' ', 2 * depth));
    serde_json::to_writer(&mut *json, key).expect("strings serialize");
    json.extend_from_slice(b": ");
}

/// An entry of an object whose entries are at `depth`.
fn json_entry(json: &mut Vec<u8>, depth: usize, first: &mut bool, key: &str, value: &Value) {
    json_key(json, depth, first, key);
    pretty_at(json, depth, value);
}

/// An entry of an object written by [`walk`]: a value, or an object of lazily built entries.
enum LazyValue<'a> {
    Value(Value),
    Entries(LazyEntries<'a>),
}

/// The entries of an object written by [`walk`].
type LazyEntries<'a> = Box<dyn Iterator<Item = (String, LazyValue<'a>)> + 'a>;

/// `components`: schemas and examples (one or more per code) built entry by entry.
fn components<'a>(
    catalog: &'a Catalog,
    headers: &'a HeaderComponents,
) -> impl Iterator<Item = (String, LazyValue<'a>)> + 'a {
    let schemas = LazyValue::Entries(Box::new(schemas(catalog)));
    let responses = LazyValue::Value(Value::Object(responses(catalog, headers)));
    let header_components = (!headers.components.is_empty())
        .then(|| LazyValue::Value(Value::Object(headers.components.clone())));
    let examples = LazyValue::Entries(Box::new(examples(catalog)));
    [
        ("schemas", Some(schemas)),
        ("responses", Some(responses)),
        ("headers", header_components),
        ("examples", Some(examples)),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k.to_string(), v?)))
}

impl<'a> Document<'a> {
    fn new(catalog: &'a Catalog, options: &Options) -> Self {
        let api = &catalog.api;
        let headers = HeaderComponents::new(catalog);

        let mut root = Map::new();
        root.insert("x-generated".into(), json!(options.header()));
        root.insert("openapi".into(), json!("3.1.0"));
        let mut info = Map::new();
        info.insert("title".into(), json!(text!("{} errors", api.name)));
        info.insert("version".into(), json!(api.version));
        info.insert(
            "summary".into(),
            json!(text!("Error components of the {} API", api.name)),
        );
        let mut description = String::new();
        if let Some(d) = &api.description {
            description.push_str(&md(d));
            description.push_str("\n\n");
        }
        description.push_str(
        "Components for API descriptions to `$ref`: one response per HTTP status, one schema per \
         error code, and the error envelope. Errors delivered as webhook events are under `webhooks`.",
    );
        info.insert("description".into(), json!(description));
        info.insert(
            "x-retry".into(),
            serde_json::to_value(&catalog.retry).expect("serializes"),
        );
        root.insert("info".into(), Value::Object(info));
        root.insert(
            "externalDocs".into(),
            json!({ "description": "Error reference", "url": api.docs_url }),
        );

        let webhook_codes: Vec<&ErrorDef> = catalog
            .errors
            .iter()
            .filter(|e| e.delivery == Delivery::Webhook)
            .collect();
        if !webhook_codes.is_empty() {
            let mut tags: Vec<Value> = Vec::new();
            for category in &catalog.categories {
                if webhook_codes.iter().any(|e| e.category == category.id) {
                    let mut tag = Map::new();
                    tag.insert("name".into(), json!(category.title));
                    let description = match &category.description {
                        Some(d) => md(d),
                        None => text!(
                            "Error events of the {} category, delivered as webhooks.",
                            md(&category.title)
                        ),
                    };
                    tag.insert("description".into(), json!(description));
                    tags.push(Value::Object(tag));
                }
            }
            root.insert("tags".into(), Value::Array(tags));
            let mut webhooks = Map::new();
            for def in &webhook_codes {
                insert(&mut webhooks, def.code.clone(), webhook(catalog, def));
            }
            root.insert("webhooks".into(), Value::Object(webhooks));
        }

        Document {
            head: root,
            catalog,
            headers,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Schemas

/// `components.schemas`: the shared schemas, then each code's (built as they are reached).
fn schemas(catalog: &Catalog) -> impl Iterator<Item = (String, LazyValue<'_>)> + '_ {
    let mut out = Map::new();
    let codes: Vec<&str> = catalog.errors.iter().map(|e| e.code.as_str()).collect();
    let error_field = catalog.envelope.field(EnvelopeFieldName::Error);
    insert(
        &mut out,
        "ErrorCode".into(),
        json!({
            "description": text!(
                "{} One of `KnownErrorCode`, or a code added after this version: handle unknown \
                 codes by their HTTP status.",
                md(&sentence(&error_field.description))
            ),
            "anyOf": [schema_ref("KnownErrorCode"), { "type": "string" }],
            "x-extensible-enum": codes,
        }),
    );
    insert(
        &mut out,
        "KnownErrorCode".into(),
        json!({
            "type": "string",
            "description": text!("The error codes of catalog version {}.", catalog.api.version),
            "enum": codes,
        }),
    );
    if !catalog.retired.is_empty() {
        insert(&mut out, "RetiredErrorCode".into(), retired_codes(catalog));
    }
    let envelope = if catalog.wire.preset == Preset::Flat {
        envelope(catalog)
    } else {
        let mut schema = wire::body_schema(catalog, None);
        schema["description"] = json!(text!(
            "An error body in the catalog's wire format (`{}`, `{}`). Describes any error, including codes added after this version.",
            catalog.wire.preset.name(),
            catalog.wire.content_type
        ));
        schema
    };
    insert(&mut out, "ErrorEnvelope".into(), envelope);
    let all: Vec<&ErrorDef> = catalog.errors.iter().collect();
    insert(
        &mut out,
        "ErrorBody".into(),
        union(
            catalog,
            &all,
            "Any error body of the catalog, whether sent as an HTTP response or as a webhook event.",
        ),
    );
    for status in catalog.used_statuses() {
        let defs: Vec<&ErrorDef> = http_codes(catalog, status.code).collect();
        let description = text!(
            "The error bodies of HTTP status {}: {}.",
            status.code,
            md(&status.description)
        );
        insert(
            &mut out,
            status_schema_name(status.code),
            union(catalog, &defs, &description),
        );
    }
    let per_code = catalog.errors.iter().flat_map(move |def| {
        let code = (code_schema_name(def), code_schema(catalog, def));
        let details = def.details.as_ref().map(|details| {
            let mut schema = object(details, Some(text!("Details of `{}`.", def.code)));
            if let Value::Object(m) = &mut schema {
                m.insert("title".into(), json!(details_schema_name(def)));
            }
            (details_schema_name(def), schema)
        });
        std::iter::once(code).chain(details)
    });
    out.into_iter()
        .chain(per_code)
        .map(|(k, v)| (k, LazyValue::Value(v)))
}

/// A union of code schemas, discriminated by `error` (for the flat wire; other wires tell
/// codes apart by their `const`s).
fn union(catalog: &Catalog, defs: &[&ErrorDef], description: &str) -> Value {
    let one_of: Vec<Value> = defs
        .iter()
        .map(|d| schema_ref(&code_schema_name(d)))
        .collect();
    let mapping: Map<String, Value> = defs
        .iter()
        .map(|d| {
            (
                d.code.clone(),
                json!(text!("#/components/schemas/{}", code_schema_name(d))),
            )
        })
        .collect();
    if catalog.wire.preset != Preset::Flat {
        // No discriminator reaches into nested places (an AIP-193 `ErrorInfo.reason`), so the
        // codes are alternatives (`anyOf`), told apart by their `const`s.
        return match one_of.as_slice() {
            [one] => json!({ "description": description, "$ref": one["$ref"] }),
            _ => json!({ "description": description, "anyOf": one_of }),
        };
    }
    // Validators keep a mapping in a plain JavaScript object, where `constructor` is always
    // present and `hasOwnProperty` cannot be a key: with such a code, the `const`s of `oneOf`
    // alone tell the codes apart.
    if defs
        .iter()
        .any(|d| crate::schema::OBJECT_MEMBERS.contains(&d.code.as_str()))
    {
        return json!({ "description": description, "oneOf": one_of });
    }
    json!({
        "description": description,
        "oneOf": one_of,
        "discriminator": { "propertyName": "error", "mapping": mapping },
    })
}

/// The schema of one envelope field, as the envelope (generic) describes it.
fn envelope_field(catalog: &Catalog, name: EnvelopeFieldName) -> Value {
    let field = catalog.envelope.field(name);
    let mut m = Map::new();
    if name == EnvelopeFieldName::Error {
        m.insert("$ref".into(), json!("#/components/schemas/ErrorCode"));
    } else {
        m.insert("type".into(), json!(name.json_type()));
    }
    // Any object: said outright, as code generators read a bare `type: object` as an empty one.
    if name == EnvelopeFieldName::Details {
        m.insert("additionalProperties".into(), json!(true));
    }
    // The status is an HTTP status, as every client checks.
    if name == EnvelopeFieldName::Code {
        m.insert("minimum".into(), json!(100));
        m.insert("maximum".into(), json!(599));
    }
    if let Some(f) = name.format() {
        format_keywords(&mut m, f);
    }
    m.insert("description".into(), json!(md(&field.description)));
    Value::Object(m)
}

fn envelope(catalog: &Catalog) -> Value {
    let mut properties = Map::new();
    for name in EnvelopeFieldName::ALL {
        properties.insert(name.as_str().into(), envelope_field(catalog, name));
    }
    let required: Vec<&str> = catalog
        .envelope
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name.as_str())
        .collect();
    let mut m = Map::new();
    m.insert("type".into(), json!("object"));
    m.insert(
        "description".into(),
        json!("The error envelope every error body uses. Describes any error, including codes added after this version."),
    );
    m.insert("properties".into(), Value::Object(properties));
    m.insert("required".into(), json!(required));
    if let Some(example) = &catalog.envelope.example {
        m.insert("examples".into(), json!([example]));
    }
    Value::Object(m)
}

/// The body of one code: the envelope with `error` and `code` fixed and `details` typed.
fn code_schema(catalog: &Catalog, def: &ErrorDef) -> Value {
    if catalog.wire.preset != Preset::Flat {
        let mut m = match wire::body_schema(catalog, Some(def)) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        m.insert("title".into(), json!(code_schema_name(def)));
        m.insert("description".into(), json!(code_description(def)));
        if def.deprecated.is_some() {
            m.insert("deprecated".into(), json!(true));
        }
        m.insert(
            "externalDocs".into(),
            json!({ "url": catalog.docs_url(def) }),
        );
        extensions(&mut m, catalog, def);
        return Value::Object(m);
    }
    let mut properties = Map::new();
    let mut required: Vec<&str> = Vec::new();
    for name in EnvelopeFieldName::ALL {
        let field = catalog.envelope.field(name);
        let key = name.as_str();
        let mut is_required = field.required;
        let schema = match name {
            EnvelopeFieldName::Error => json!({
                "type": "string",
                "const": def.code,
                "description": md(&field.description),
            }),
            EnvelopeFieldName::Code => json!({
                "type": "integer",
                "const": def.status,
                "description": md(&field.description),
            }),
            EnvelopeFieldName::Details => match &def.details {
                Some(d) => {
                    is_required |= d.properties.iter().any(|p| p.required);
                    schema_ref(&details_schema_name(def))
                }
                // A code without a details schema: the envelope's generic object, as the
                // clients read it (any object; anything else is not an error body).
                None => envelope_field(catalog, name),
            },
            _ => envelope_field(catalog, name),
        };
        properties.insert(key.into(), schema);
        if is_required {
            required.push(key);
        }
    }
    let docs = catalog.docs_url(def);
    let mut m = Map::new();
    m.insert("type".into(), json!("object"));
    m.insert("title".into(), json!(code_schema_name(def)));
    m.insert("description".into(), json!(code_description(def)));
    m.insert("properties".into(), Value::Object(properties));
    m.insert("required".into(), json!(required));
    if def.deprecated.is_some() {
        m.insert("deprecated".into(), json!(true));
    }
    m.insert("externalDocs".into(), json!({ "url": docs }));
    extensions(&mut m, catalog, def);
    Value::Object(m)
}

/// The code's description, with how it is delivered and retried, in Markdown.
fn code_description(def: &ErrorDef) -> String {
    let mut s = text!("`{}`: {}", def.code, md(&def.description));
    match def.delivery {
        Delivery::Http => s.push_str(&text!("\n\nSent as an HTTP {} response.", def.status)),
        Delivery::Webhook => s.push_str(&text!(
            "\n\nDelivered as a webhook event (see `webhooks`), never as an HTTP response; `code` is {}.",
            def.status
        )),
    }
    s.push_str(match &def.retry {
        crate::model::RetryPolicy::Never => " Do not retry.",
        crate::model::RetryPolicy::AfterDelay { .. } => " Retry after the delay the error gives.",
        crate::model::RetryPolicy::Backoff { delay_field: None } => {
            " Retry after the `Retry-After` header's delay, else with exponential backoff."
        }
        crate::model::RetryPolicy::Backoff { .. } => {
            " Retry after the delay the error gives, else with exponential backoff."
        }
    });
    if let Some(d) = &def.deprecated {
        s.push_str(&text!("\n\n**Deprecated**: {}", md(&d.text())));
    }
    s
}

/// `RetiredErrorCode` (only when the catalog retired codes): the retired wire strings as an
/// `enum`, so tools see them as values, and `x-retired-codes` saying when, why and for what
/// each was retired. Not part of `ErrorCode`: this version never sends them, but an older
/// server may, and their names are never reused.
fn retired_codes(catalog: &Catalog) -> Value {
    let codes: Vec<&str> = catalog.retired.iter().map(|r| r.code.as_str()).collect();
    let entries: Vec<Value> = catalog
        .retired
        .iter()
        .map(|r| {
            let mut m = Map::new();
            m.insert("code".into(), json!(r.code));
            m.insert("version".into(), json!(r.version));
            m.insert("reason".into(), json!(md(&r.reason)));
            if let Some(by) = &r.replaced_by {
                m.insert("replaced_by".into(), json!(by));
            }
            if let Some(url) = catalog.retired_docs_url(r) {
                m.insert("docs_url".into(), json!(url));
            }
            Value::Object(m)
        })
        .collect();
    json!({
        "type": "string",
        "description": text!(
            "Error codes retired from the catalog (as of version {}). This version never sends \
             them and their names are never reused, but an older server may still send one: \
             `x-retired-codes` says in which version, why, and what replaces each.",
            catalog.api.version
        ),
        "enum": codes,
        "x-retired-codes": entries,
    })
}

/// The `x-` extensions of a code: what the docs and clients know that JSON Schema cannot say.
fn extensions(m: &mut Map<String, Value>, catalog: &Catalog, def: &ErrorDef) {
    m.insert("x-error-code".into(), json!(def.code));
    m.insert("x-status".into(), json!(def.status));
    m.insert("x-category".into(), json!(def.category));
    m.insert(
        "x-delivery".into(),
        serde_json::to_value(def.delivery).expect("serializes"),
    );
    match &def.message.runtime {
        // The server writes the message: there is no template to show.
        Some(what) => m.insert("x-runtime-message".into(), json!(md(what))),
        None => m.insert("x-message-template".into(), json!(def.message.source)),
    };
    m.insert("x-retryable".into(), json!(def.retry.is_retryable()));
    m.insert(
        "x-retry".into(),
        serde_json::to_value(&def.retry).expect("serializes"),
    );
    if !def.remediation.is_empty() {
        m.insert(
            "x-remediation".into(),
            serde_json::to_value(&def.remediation).expect("serializes"),
        );
    }
    if let Some(since) = &def.since {
        m.insert("x-since".into(), json!(since));
    }
    if let Some(d) = &def.deprecated {
        m.insert(
            "x-deprecation".into(),
            serde_json::to_value(d).expect("serializes"),
        );
    }
    m.insert("x-docs-url".into(), json!(catalog.docs_url(def)));
}

/// JSON Schema keywords of a string format: the standard `format`, plus a `pattern` for formats
/// JSON Schema has no validator for (`phone`, whose `format` value is only an annotation).
fn format_keywords(m: &mut Map<String, Value>, format: Format) {
    m.insert("format".into(), json!(format.as_str()));
    if let Some(p) = format.pattern() {
        m.insert("pattern".into(), json!(p));
    }
}

/// An object schema; `description` is Markdown already.
fn object(o: &ObjectSchema, description: Option<String>) -> Value {
    let mut properties = Map::new();
    for p in &o.properties {
        properties.insert(p.name.clone(), schema(&p.schema));
    }
    let required: Vec<&str> = o
        .properties
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name.as_str())
        .collect();
    let mut m = Map::new();
    m.insert("type".into(), json!("object"));
    if let Some(d) = description {
        m.insert("description".into(), json!(d));
    }
    m.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        m.insert("required".into(), json!(required));
    }
    Value::Object(m)
}

/// A catalog schema in JSON Schema 2020-12 (the OpenAPI 3.1 dialect). A nullable schema's
/// `type` is `[T, "null"]`, and its `enum` (or `const`, which becomes a one-value `enum`) lists
/// `null`, since both keywords apply to `null` too.
fn schema(s: &Schema) -> Value {
    let description = s.description.as_deref().map(md);
    let mut m = match &s.kind {
        SchemaKind::Object(o) => match object(o, description.clone()) {
            Value::Object(m) => m,
            _ => Map::new(),
        },
        _ => {
            let mut m = Map::new();
            m.insert("type".into(), json!(s.kind.type_name()));
            m
        }
    };
    match &s.kind {
        SchemaKind::String {
            format,
            enum_values,
            labels,
            constant,
            pattern,
            min_length,
            max_length,
        } => {
            if let Some(f) = format {
                format_keywords(&mut m, *f);
            }
            if let Some(p) = pattern {
                m.insert("pattern".into(), json!(p));
            }
            if let Some(v) = min_length {
                m.insert("minLength".into(), json!(v));
            }
            if let Some(v) = max_length {
                m.insert("maxLength".into(), json!(v));
            }
            match (constant, enum_values) {
                (Some(c), _) if s.nullable => {
                    m.insert("enum".into(), json!([c, null]));
                }
                (Some(c), _) => {
                    m.insert("const".into(), json!(c));
                }
                (None, Some(values)) => {
                    let mut values: Vec<Value> = values.iter().map(|v| json!(v)).collect();
                    if s.nullable {
                        values.push(Value::Null);
                    }
                    m.insert("enum".into(), Value::Array(values));
                }
                (None, None) => {}
            }
            if let Some(d) = &description {
                m.insert("description".into(), json!(d));
            }
            if !labels.is_empty() {
                let labels: Map<String, Value> =
                    labels.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
                m.insert("x-labels".into(), Value::Object(labels));
            }
        }
        SchemaKind::Integer { minimum, maximum } => {
            if let Some(v) = minimum {
                m.insert("minimum".into(), json!(v));
            }
            if let Some(v) = maximum {
                m.insert("maximum".into(), json!(v));
            }
        }
        SchemaKind::Number { minimum, maximum } => {
            if let Some(v) = minimum {
                m.insert("minimum".into(), json!(v));
            }
            if let Some(v) = maximum {
                m.insert("maximum".into(), json!(v));
            }
        }
        SchemaKind::Array {
            items,
            min_items,
            max_items,
        } => {
            m.insert("items".into(), schema(items));
            if let Some(v) = min_items {
                m.insert("minItems".into(), json!(v));
            }
            if let Some(v) = max_items {
                m.insert("maxItems".into(), json!(v));
            }
        }
        SchemaKind::Map { values } => {
            m.insert("type".into(), json!("object"));
            m.insert("additionalProperties".into(), schema(values));
        }
        SchemaKind::Boolean | SchemaKind::Object(_) => {}
    }
    if !matches!(s.kind, SchemaKind::String { .. } | SchemaKind::Object(_))
        && let Some(d) = description
    {
        m.insert("description".into(), json!(d));
    }
    if s.nullable
        && let Some(ty) = m.get("type").cloned()
    {
        m.insert("type".into(), json!([ty, "null"]));
    }
    Value::Object(m)
}

// ---------------------------------------------------------------------------------------------
// Headers

/// `components.headers`: one per distinct declaration, and which key each declaration got.
struct HeaderComponents {
    components: Map<String, Value>,
    /// (code, lower-cased header name) -> component key.
    keys: BTreeMap<(String, String), String>,
}

fn header_schema(t: HeaderType) -> Value {
    match t {
        HeaderType::String => json!({ "type": "string" }),
        HeaderType::Integer => json!({ "type": "integer" }),
    }
}

/// An example header value as its schema types it (integer headers are validated integers).
fn header_value(t: HeaderType, v: &str) -> Value {
    match t {
        HeaderType::Integer => v.parse::<i64>().map_or_else(|_| json!(v), |i| json!(i)),
        HeaderType::String => json!(v),
    }
}

/// A component key: the header name with characters outside `[A-Za-z0-9._-]` replaced.
fn header_key(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

impl HeaderComponents {
    fn new(catalog: &Catalog) -> Self {
        let mut components = Map::new();
        let mut keys = BTreeMap::new();
        // Identical declarations (by every field) share a component.
        let mut seen: Vec<(&HeaderDef, String)> = Vec::new();
        for def in catalog
            .errors
            .iter()
            .filter(|e| e.delivery == Delivery::Http)
        {
            for h in &def.headers {
                let key = match seen.iter().find(|(other, _)| {
                    other.name == h.name
                        && other.description == h.description
                        && other.required == h.required
                        && other.schema == h.schema
                }) {
                    Some((_, key)) => key.clone(),
                    None => {
                        let base = header_key(&h.name);
                        let mut key = base.clone();
                        let mut n = 2;
                        while components.contains_key(&key) {
                            key = text!("{base}_{n}");
                            n += 1;
                        }
                        let codes: Vec<&str> = catalog
                            .errors
                            .iter()
                            .filter(|e| e.delivery == Delivery::Http)
                            .filter(|e| {
                                e.headers.iter().any(|o| {
                                    o.name == h.name
                                        && o.description == h.description
                                        && o.required == h.required
                                        && o.schema == h.schema
                                })
                            })
                            .map(|e| e.code.as_str())
                            .collect();
                        components
                            .insert(key.clone(), header_object(catalog, h, h.required, &codes));
                        seen.push((h, key.clone()));
                        key
                    }
                };
                keys.insert((def.code.clone(), h.name.to_ascii_lowercase()), key);
            }
        }
        Self { components, keys }
    }
}

/// A Header Object; its example is the first catalog example of `codes` that gives the header.
fn header_object(catalog: &Catalog, h: &HeaderDef, required: bool, codes: &[&str]) -> Value {
    let example = catalog
        .errors
        .iter()
        .filter(|e| codes.contains(&e.code.as_str()))
        .flat_map(|e| &e.examples)
        .flat_map(|ex| &ex.headers)
        .find(|(k, _)| k.eq_ignore_ascii_case(&h.name))
        .map(|(_, v)| header_value(h.schema, v));
    let mut m = Map::new();
    m.insert("description".into(), json!(md(&h.description)));
    m.insert("required".into(), json!(required));
    m.insert("schema".into(), header_schema(h.schema));
    if let Some(e) = example {
        m.insert("example".into(), e);
    }
    m.insert("x-error-codes".into(), json!(codes));
    Value::Object(m)
}

/// The headers of one status's response: every header its codes declare, required when every
/// code requires it. A `$ref` when the component says exactly that, else inline.
fn response_headers(
    catalog: &Catalog,
    status: &HttpStatus,
    headers: &HeaderComponents,
) -> Map<String, Value> {
    let defs: Vec<&ErrorDef> = http_codes(catalog, status.code).collect();
    let mut names: Vec<&str> = Vec::new();
    for def in &defs {
        for h in &def.headers {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(&h.name)) {
                names.push(&h.name);
            }
        }
    }
    let mut out = Map::new();
    for name in names {
        let lower = name.to_ascii_lowercase();
        let declared: Vec<(&ErrorDef, &HeaderDef)> = defs
            .iter()
            .filter_map(|d| {
                d.headers
                    .iter()
                    .find(|h| h.name.to_ascii_lowercase() == lower)
                    .map(|h| (*d, h))
            })
            .collect();
        let required = declared.len() == defs.len() && declared.iter().all(|(_, h)| h.required);
        let keys: Vec<&String> = declared
            .iter()
            .map(|(d, _)| &headers.keys[&(d.code.clone(), lower.clone())])
            .collect();
        let (_, first) = declared[0];
        let value = if keys.iter().all(|k| *k == keys[0]) && first.required == required {
            component_ref("headers", keys[0])
        } else {
            let codes: Vec<&str> = declared.iter().map(|(d, _)| d.code.as_str()).collect();
            let mut h = first.clone();
            let mixed = declared.iter().any(|(_, o)| o.schema != first.schema);
            if mixed {
                h.schema = HeaderType::String;
            }
            let mut v = header_object(catalog, &h, required, &codes);
            if mixed {
                // An integer for some codes, any text for others: each code's examples give
                // the value as its own declaration types it.
                v["schema"] = json!({ "type": ["integer", "string"] });
            }
            if !required {
                let list: Vec<String> = codes.iter().map(|c| text!("`{c}`")).collect();
                v["description"] = json!(text!(
                    "{} Sent with {}.",
                    md(&sentence(&first.description)),
                    list.join(", ")
                ));
            }
            v
        };
        out.insert(name.to_string(), value);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Responses, examples, webhooks

fn example_refs(defs: &[&ErrorDef]) -> Map<String, Value> {
    defs.iter()
        .flat_map(|d| d.examples.iter().map(move |ex| example_name(d, ex)))
        .map(|name| (name.clone(), component_ref("examples", &name)))
        .collect()
}

fn responses(catalog: &Catalog, headers: &HeaderComponents) -> Map<String, Value> {
    let mut out = Map::new();
    for status in &catalog.statuses {
        let defs: Vec<&ErrorDef> = http_codes(catalog, status.code).collect();
        let mut m = Map::new();
        if defs.is_empty() {
            m.insert(
                "description".into(),
                json!(text!(
                    "{}. No error code of this catalog uses status {}; the body is an error envelope.",
                    md(&status.description), status.code
                )),
            );
            m.insert(
                "content".into(),
                json!({ media_type(catalog): { "schema": schema_ref("ErrorEnvelope") } }),
            );
        } else {
            let codes: Vec<String> = defs.iter().map(|d| text!("`{}`", d.code)).collect();
            m.insert(
                "description".into(),
                json!(text!(
                    "{}. Error codes: {}.",
                    md(&status.description),
                    codes.join(", ")
                )),
            );
            let mut h = response_headers(catalog, status, headers);
            // The headers the wire carries members in: the code, a request id.
            for (name, member) in catalog.wire.header_members() {
                let description = match member.description.as_str() {
                    "" => "A member of the error, as the wire format carries it.",
                    d => d,
                };
                h.insert(
                    name.to_string(),
                    json!({ "description": md(description), "schema": { "type": "string" } }),
                );
            }
            if !h.is_empty() {
                m.insert("headers".into(), Value::Object(h));
            }
            m.insert(
                "content".into(),
                json!({ media_type(catalog): {
                    "schema": schema_ref(&status_schema_name(status.code)),
                    "examples": example_refs(&defs),
                } }),
            );
        }
        m.insert("x-status".into(), json!(status.code));
        insert(&mut out, response_name(status.code), Value::Object(m));
    }
    out
}

/// `components.examples`: each code's examples (built as they are reached), then the
/// envelope's.
fn examples(catalog: &Catalog) -> impl Iterator<Item = (String, LazyValue<'_>)> + '_ {
    let per_code = catalog.errors.iter().flat_map(|def| {
        def.examples.iter().map(move |ex| {
            let mut m = Map::new();
            let summary = match &ex.summary {
                Some(s) => text!("{}: {s}", def.code),
                None => def.code.clone(),
            };
            m.insert("summary".into(), json!(summary));
            m.insert("description".into(), json!(md(&def.description)));
            let rendered = ex.wire.as_ref();
            m.insert(
                "value".into(),
                rendered.map_or(&ex.body, |r| &r.body).clone(),
            );
            if rendered.is_some() {
                // No discriminator maps a wire body to its code's schema; this does.
                m.insert(
                    "x-schema".into(),
                    json!(text!("#/components/schemas/{}", code_schema_name(def))),
                );
            }
            // A webhook payload has no response headers (its code is in the body too).
            let wire_headers = rendered
                .filter(|_| def.delivery == Delivery::Http)
                .map(|r| r.headers.as_slice())
                .unwrap_or_default();
            if !ex.headers.is_empty() || !wire_headers.is_empty() {
                let headers: Map<String, Value> = ex
                    .headers
                    .iter()
                    .chain(wire_headers)
                    .map(|(k, v)| {
                        let t = def
                            .headers
                            .iter()
                            .find(|h| h.name.eq_ignore_ascii_case(k))
                            .map_or(HeaderType::String, |h| h.schema);
                        (k.clone(), header_value(t, v))
                    })
                    .collect();
                m.insert("x-headers".into(), Value::Object(headers));
            }
            (example_name(def, ex), Value::Object(m))
        })
    });
    let envelope = catalog.envelope.example.as_ref().map(|example| {
        (
            "ErrorEnvelope".to_string(),
            json!({ "summary": "The error envelope", "value": example }),
        )
    });
    per_code
        .chain(envelope)
        .map(|(k, v)| (k, LazyValue::Value(v)))
}

/// A webhook-delivered code: the event the API posts to the customer's endpoint.
fn webhook(catalog: &Catalog, def: &ErrorDef) -> Value {
    let defs = [def];
    let mut op = Map::new();
    op.insert(
        "tags".into(),
        json!([catalog.category(&def.category).title]),
    );
    op.insert("summary".into(), json!(def.description));
    op.insert(
        "description".into(),
        json!(text!(
            "The `{}` error, posted as a webhook event to the endpoint the customer configured. \
             It is not an HTTP response of the API; its envelope `code` is {}.",
            def.code,
            def.status
        )),
    );
    op.insert(
        "operationId".into(),
        json!(text!(
            "{}Event",
            naming::camel(&def.code).trim_end_matches('_')
        )),
    );
    op.insert(
        "requestBody".into(),
        json!({
            "description": text!("The `{}` error body.", def.code),
            "required": true,
            "content": { media_type(catalog): {
                "schema": schema_ref(&code_schema_name(def)),
                "examples": example_refs(&defs),
            } },
        }),
    );
    op.insert(
        "responses".into(),
        json!({
            "2XX": { "description": "The endpoint acknowledges the event with any 2xx status." },
            "default": { "description": "Any other status counts as a failed delivery." },
        }),
    );
    if def.deprecated.is_some() {
        op.insert("deprecated".into(), json!(true));
    }
    op.insert(
        "externalDocs".into(),
        json!({ "url": catalog.docs_url(def) }),
    );
    json!({ "post": op })
}

#[cfg(test)]
mod tests;
mod wire;
mod yaml;
