//! `docs/`: the Markdown sources of an mdBook site, rendered with askama templates
//! (`codegen/templates/docs/`).
//!
//! Layout (it must match `Catalog::docs_url`, which the generated code links to):
//! - `book.toml`, `src/SUMMARY.md`;
//! - `src/error_codes.md`: the introduction (envelope, status table, index of every code);
//! - `src/<naming::docs_page(category)>.md`: one page per category, one section per code, whose
//!   heading carries the explicit id `naming::docs_anchor(code)`;
//! - `src/error_changelog.md`: which code appeared, was deprecated or was retired in which
//!   version (from `since`, `deprecated.since` and `retired`);
//! - retired codes keep a section on their category's page (when their entry names one), with
//!   the same anchor, so old links still resolve;
//! - `src/best_practices.md`: the catalog's guidance, then Rust and TypeScript snippets that use
//!   the generated packages. The snippets are templates too (`templates/docs/snippets/`); each is
//!   preceded in the page by `<!-- snippet: NAME -->`, which `cargo xtask test docs` uses to
//!   extract and compile it against the generated crate and package.
//!
//! Fixed pages have an underscore in their name and category pages never do (`docs_page` turns
//! `_` into `-`), so they cannot collide. Every heading has an explicit id: code sections use
//! the code as spelled (`naming::docs_anchor`: ASCII letters, digits, `_`, `-`, `.`, `/`), the page title
//! `category-<page>`, which `validate` keeps codes from taking.
//! All catalog text goes through one escaping function per Markdown context (`markdown`).

use super::catalog_json::pretty;
use super::{Artifact, Options};
use crate::model::{
    Catalog, Delivery, EnvelopeFieldName, ErrorDef, HeaderType, ObjectSchema, Retired, RetryConfig,
    RetryPolicy, Schema, SchemaKind,
};
use crate::naming;
use crate::template::bound_text;
use crate::wire::{CodeForm, FieldType, Place, Preset, Role};
use askama::Template;

pub mod markdown;

use markdown::{cell, code, code_in_cell, fence, guide, heading, text};

/// The introduction page (file stem); also the book's first page, so mdBook copies it to
/// `index.html`.
pub const INTRO_PAGE: &str = "error_codes";
/// The best-practices page (file stem).
pub const PRACTICES_PAGE: &str = "best_practices";
/// The changelog page (file stem).
pub const CHANGELOG_PAGE: &str = "error_changelog";

/// The most Markdown a book may have and keep mdBook's search: its index is about three times
/// the text (3.05 for the bench's catalogs, HueChat's is smaller), every reader's browser loads it
/// whole, and mdBook warns above 10,000,000 bytes. A larger book is built without search.
pub const SEARCH_TEXT_LIMIT: usize = 2_500_000;

pub fn emit(catalog: &Catalog, options: &Options) -> Vec<Artifact> {
    let header = options.header();
    let mut out = vec![
        Artifact::new(
            "docs/src/SUMMARY.md",
            render(&Summary::new(catalog, &header)),
        ),
        Artifact::new(
            text!("docs/src/{INTRO_PAGE}.md"),
            render(&Intro::new(catalog, &header)),
        ),
        Artifact::new(
            text!("docs/src/{PRACTICES_PAGE}.md"),
            render(&Practices::new(catalog, &header)),
        ),
        Artifact::new(
            text!("docs/src/{CHANGELOG_PAGE}.md"),
            render(&Changelog::new(catalog, &header)),
        ),
    ];
    for category in &catalog.categories {
        let page = CategoryPage::new(catalog, &category.id, &header);
        out.push(Artifact::new(
            text!("docs/src/{}.md", naming::docs_page(&category.id)),
            render(&page),
        ));
    }
    let text: usize = out.iter().map(|a| a.contents.len()).sum();
    let book = BookToml::new(catalog, &header, text <= SEARCH_TEXT_LIMIT);
    out.insert(0, Artifact::new("docs/book.toml", render(&book)));
    out
}

fn render(t: &impl Template) -> String {
    let mut s = t.render().expect("docs templates render infallibly");
    // Templates end their last line themselves; make the file end with exactly one newline.
    while s.ends_with("\n\n") {
        s.pop();
    }
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// The link from one page of the book to a code's section.
fn code_link(e: &ErrorDef) -> String {
    text!(
        "{}.md#{}",
        naming::docs_page(&e.category),
        naming::docs_anchor(&e.code)
    )
}

#[derive(Template)]
#[template(path = "docs/book.toml", escape = "none")]
struct BookToml {
    header: String,
    title: String,
    description: Option<String>,
    site_url: String,
    /// Whether the book keeps mdBook's search (`SEARCH_TEXT_LIMIT`).
    search: bool,
    text_limit: String,
}

impl BookToml {
    fn new(c: &Catalog, header: &str, search: bool) -> Self {
        // The path part of the docs URL, where the site is served from (for 404.html links).
        let path = c.api.docs_url.splitn(4, '/').nth(3).unwrap_or("");
        let site_url = if path.is_empty() {
            "/".to_string()
        } else {
            text!("/{path}/")
        };
        Self {
            header: header.to_string(),
            title: crate::emit::toml_string(&text!("{} Error Codes", c.api.name)),
            description: c
                .api
                .description
                .as_deref()
                .map(|d| crate::emit::toml_string(&one_line(d))),
            site_url: crate::emit::toml_string(&site_url),
            search,
            text_limit: text!("{:.1} MB", SEARCH_TEXT_LIMIT as f64 / 1e6),
        }
    }
}

fn one_line(s: &str) -> String {
    s.replace("\r\n", " ").replace(['\r', '\n'], " ")
}

#[derive(Template)]
#[template(path = "docs/SUMMARY.md", escape = "none")]
struct Summary {
    header: String,
    intro: String,
    intro_title: String,
    /// (link text, file).
    categories: Vec<(String, String)>,
    practices: String,
    changelog: String,
}

impl Summary {
    fn new(c: &Catalog, header: &str) -> Self {
        Self {
            header: header.to_string(),
            intro: text!("{INTRO_PAGE}.md"),
            intro_title: text(&intro_title(c)),
            categories: c
                .categories
                .iter()
                .map(|cat| (text(&cat.title), text!("{}.md", naming::docs_page(&cat.id))))
                .collect(),
            practices: text!("{PRACTICES_PAGE}.md"),
            changelog: text!("{CHANGELOG_PAGE}.md"),
        }
    }
}

fn intro_title(c: &Catalog) -> String {
    text!("{} Error Codes", c.api.name)
}

#[derive(Template)]
#[template(path = "docs/error_codes.md", escape = "none")]
struct Intro {
    header: String,
    title: String,
    description: Option<String>,
    example: Option<String>,
    /// For a wire other than the flat envelope: its name and content type, as a sentence.
    wire: Option<String>,
    /// (name, type, required, description), as cells.
    fields: Vec<[String; 4]>,
    /// (code, class title, description), as cells.
    statuses: Vec<[String; 3]>,
    /// (code link, status, category link, description), as cells.
    index: Vec<[String; 4]>,
    practices: String,
}

impl Intro {
    fn new(c: &Catalog, header: &str) -> Self {
        let flat = c.wire.preset == Preset::Flat;
        let fields = if flat {
            Self::flat_fields(c)
        } else {
            wire_fields(c)
        };
        let statuses = c
            .statuses
            .iter()
            .map(|s| {
                [
                    s.code.to_string(),
                    s.class().title().to_string(),
                    cell(&s.description),
                ]
            })
            .collect();
        let index = c
            .errors
            .iter()
            .map(|e| {
                let cat = c.category(&e.category);
                let status = match e.delivery {
                    Delivery::Http => e.status.to_string(),
                    Delivery::Webhook => text!("{} (webhook event)", e.status),
                };
                [
                    text!("[{}]({})", code_in_cell(&e.code), code_link(e)),
                    status,
                    text!("[{}]({}.md)", cell(&cat.title), naming::docs_page(&cat.id)),
                    cell(&e.description),
                ]
            })
            .collect();
        Self {
            header: header.to_string(),
            title: heading(&intro_title(c)),
            description: c.api.description.as_deref().map(text),
            example: if flat {
                c.envelope
                    .example
                    .as_ref()
                    .map(|v| fence(&pretty(v), "json"))
            } else {
                c.errors
                    .iter()
                    .find_map(|e| e.primary_example().wire.as_ref())
                    .map(|r| fence(&pretty(&r.body), "json"))
            },
            wire: (!flat).then(|| match c.wire.preset {
                // A described wire is the API's own format: "custom" is the catalog's word.
                Preset::Custom => text!("sent as `{}`", one_line(&c.wire.content_type)),
                preset => text!(
                    "sent as `{}` (the `{}` wire format)",
                    one_line(&c.wire.content_type),
                    preset.name()
                ),
            }),
            fields,
            statuses,
            index,
            practices: text!("{PRACTICES_PAGE}.md"),
        }
    }
}

impl Intro {
    /// The flat envelope's fields, as the catalog's `envelope` describes them.
    fn flat_fields(c: &Catalog) -> Vec<[String; 4]> {
        EnvelopeFieldName::ALL
            .iter()
            .map(|&name| {
                let f = c.envelope.field(name);
                let ty = match name.format() {
                    Some(format) => text!("{} ({})", name.json_type(), format.as_str()),
                    None => name.json_type().to_string(),
                };
                [
                    code_in_cell(name.as_str()),
                    ty,
                    yes_no(f.required).into(),
                    cell(&f.description),
                ]
            })
            .collect()
    }
}

/// The members of a wire other than the flat envelope: where each is, its type, whether every
/// body has it, and what it carries.
fn wire_fields(c: &Catalog) -> Vec<[String; 4]> {
    c.wire
        .members
        .iter()
        .map(|m| {
            let ty = match &m.role {
                Role::Status
                | Role::Code {
                    form: CodeForm::Integer,
                } => "integer".to_string(),
                Role::Details => "object".to_string(),
                Role::Field {
                    kind: FieldType::Integer,
                    ..
                } => "integer".to_string(),
                Role::Field {
                    format: Some(f), ..
                } => text!("string ({})", f.as_str()),
                Role::RetryDelay => "string (duration)".to_string(),
                _ => "string".to_string(),
            };
            let place = match &m.at {
                Place::Body {
                    pointer,
                    entry: None,
                } if pointer.is_empty() => "(other top-level members)".to_string(),
                at => code_in_cell(&crate::wire::describe(at)),
            };
            [place, ty, yes_no(m.required).into(), cell(&m.description)]
        })
        .collect()
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

#[derive(Template)]
#[template(path = "docs/category.md", escape = "none")]
struct CategoryPage {
    header: String,
    title: String,
    /// `{#...}`: askama reads `{#` as a comment, so attribute blocks are built here.
    title_attr: String,
    description: Option<String>,
    /// (code span, link) of each code on the page.
    toc: Vec<(String, String)>,
    errors: Vec<Section>,
    /// Sections of the codes retired from this category, so their old links resolve.
    retired: Vec<RetiredSection>,
    retired_attr: &'static str,
}

/// The id of the retired codes' heading, on category pages and the changelog.
const RETIRED_ATTR: &str = "{#retired-codes}";

struct RetiredSection {
    code: String,
    anchor_attr: String,
    /// "**Retired** in 2.0.0: reason. Use ... instead."
    note: String,
}

impl RetiredSection {
    fn new(c: &Catalog, r: &Retired) -> Self {
        Self {
            code: code(&r.code),
            anchor_attr: text!("{{#{}}}", naming::docs_anchor(&r.code)),
            note: retired_note(c, r),
        }
    }
}

/// ``**Retired** in 2.0.0: reason. Use [`x`](link) instead.`` (links relative to the book's root).
fn retired_note(c: &Catalog, r: &Retired) -> String {
    let mut s = text!("**Retired** in {}: {}", text(&r.version), text(&r.reason));
    if let Some(to) = &r.replaced_by {
        match c.errors.iter().find(|e| &e.code == to) {
            Some(t) => s.push_str(&text!(" Use [{}]({}) instead.", code(to), code_link(t))),
            None => s.push_str(&text!(" Use {} instead.", code(to))),
        }
    }
    s
}

impl CategoryPage {
    fn new(c: &Catalog, id: &str, header: &str) -> Self {
        let cat = c.category(id);
        let errors: Vec<&ErrorDef> = c.errors_in(id).collect();
        Self {
            header: header.to_string(),
            title: heading(&cat.title),
            title_attr: text!("{{#category-{}}}", naming::docs_page(id)),
            description: cat.description.as_deref().map(text),
            toc: errors
                .iter()
                .map(|e| (code(&e.code), text!("#{}", naming::docs_anchor(&e.code))))
                .collect(),
            errors: errors.iter().map(|e| Section::new(c, e)).collect(),
            retired: c
                .retired_in(id)
                .map(|r| RetiredSection::new(c, r))
                .collect(),
            retired_attr: RETIRED_ATTR,
        }
    }
}

/// One code's section; every string is Markdown, escaped for where the template puts it.
struct Section {
    code: String,
    anchor_attr: String,
    webhook: bool,
    status: u16,
    status_description: String,
    description: String,
    message: String,
    placeholders: Vec<String>,
    /// (name, type, required, description), as cells; nested fields have dotted names.
    fields: Vec<[String; 4]>,
    examples: Vec<ExampleView>,
    /// (name, type, required, description), as cells.
    headers: Vec<[String; 4]>,
    retry: String,
    solutions_label: &'static str,
    solutions: Vec<String>,
    common_causes: Vec<String>,
    action: Option<String>,
    since: Option<String>,
    deprecated: Option<String>,
}

struct ExampleView {
    summary: Option<String>,
    body: String,
    headers: Option<String>,
}

impl Section {
    fn new(c: &Catalog, e: &ErrorDef) -> Self {
        let fields = e.details.as_ref().map(field_rows).unwrap_or_default();
        let many = e.examples.len() > 1;
        // A webhook payload is delivered without response headers.
        let http = e.delivery == Delivery::Http;
        let examples = e
            .examples
            .iter()
            .map(|x| ExampleView {
                summary: x
                    .summary
                    .as_deref()
                    .map(text)
                    .or_else(|| many.then(|| code(&x.name))),
                body: fence(
                    &pretty(x.wire.as_ref().map_or(&x.body, |r| &r.body)),
                    "json",
                ),
                headers: (http
                    && (!x.headers.is_empty()
                        || x.wire.as_ref().is_some_and(|r| !r.headers.is_empty())))
                .then(|| {
                    let wire = x
                        .wire
                        .as_ref()
                        .map(|r| r.headers.as_slice())
                        .unwrap_or_default();
                    let lines: Vec<String> = x
                        .headers
                        .iter()
                        .chain(wire)
                        .map(|(k, v)| text!("{k}: {}", one_line(v)))
                        .collect();
                    fence(&lines.join("\n"), "text")
                }),
            })
            .collect();
        let headers = e
            .headers
            .iter()
            .map(|h| {
                let ty = match h.schema {
                    HeaderType::String => "string",
                    HeaderType::Integer => "integer",
                };
                [
                    code_in_cell(&h.name),
                    ty.into(),
                    yes_no(h.required).into(),
                    cell(&h.description),
                ]
            })
            .collect();
        let deprecated = e.deprecated.as_ref().map(|d| {
            let mut s = String::from("**Deprecated**");
            if let Some(since) = &d.since {
                s.push_str(&text!(" since {}", text(since)));
            }
            let reason = crate::model::Deprecation {
                replaced_by: None,
                ..d.clone()
            }
            .text();
            s.push_str(&text!(": {}", text(&reason)));
            if let Some(r) = &d.replaced_by {
                let target = c.errors.iter().find(|x| &x.code == r);
                match target {
                    Some(t) => s.push_str(&text!(" Replaced by [{}]({}).", code(r), code_link(t))),
                    None => s.push_str(&text!(" Replaced by {}.", code(r))),
                }
            }
            s
        });
        Self {
            code: code(&e.code),
            anchor_attr: text!("{{#{}}}", naming::docs_anchor(&e.code)),
            webhook: e.delivery == Delivery::Webhook,
            status: e.status,
            status_description: text(&c.status(e.status).description),
            description: text(&e.description),
            message: match &e.message.runtime {
                Some(what) => text!("written by the server at run time: {}", text(what)),
                None => code(&e.message.source),
            },
            placeholders: e
                .message
                .placeholders()
                .map(|(name, _)| name)
                .fold(Vec::new(), |mut v: Vec<&str>, n| {
                    if !v.contains(&n) {
                        v.push(n);
                    }
                    v
                })
                .into_iter()
                .map(|n| {
                    text!(
                        "{} is {}",
                        code(&text!("{{{n}}}")),
                        code(&text!("details.{n}"))
                    )
                })
                .collect(),
            fields,
            examples,
            headers,
            retry: retry_text(e, &c.retry),
            solutions_label: if e.remediation.solutions.len() == 1 {
                "Solution"
            } else {
                "Solutions"
            },
            solutions: e.remediation.solutions.iter().map(|s| text(s)).collect(),
            common_causes: e
                .remediation
                .common_causes
                .iter()
                .map(|s| text(s))
                .collect(),
            action: e.remediation.action.as_deref().map(text),
            since: e.since.as_deref().map(text),
            deprecated,
        }
    }
}

/// Rows of a details table: nested object fields as `parent.child`, array items as `parent[]`.
fn field_rows(schema: &ObjectSchema) -> Vec<[String; 4]> {
    schema
        .fields()
        .into_iter()
        .map(|(path, p)| {
            [
                code_in_cell(&path),
                type_cell(&p.schema),
                yes_no(p.required).into(),
                description_cell(&p.schema),
            ]
        })
        .collect()
}

/// A schema's type as the docs write it: `string (date-time)`, `integer (≥ 0)`, `array of string`.
pub fn type_text(schema: &Schema) -> String {
    let text = kind_text(schema);
    if schema.nullable {
        text!("{text} or null")
    } else {
        text
    }
}

fn kind_text(schema: &Schema) -> String {
    match &schema.kind {
        SchemaKind::String {
            format: Some(f), ..
        } => text!("string ({})", f.as_str()),
        SchemaKind::Integer { minimum, maximum } => match (minimum, maximum) {
            (Some(a), Some(b)) => text!("integer ({a} to {b})"),
            (Some(a), None) => text!("integer (≥ {a})"),
            (None, Some(b)) => text!("integer (≤ {b})"),
            (None, None) => "integer".into(),
        },
        SchemaKind::Number { minimum, maximum } => {
            match (minimum.map(bound_text), maximum.map(bound_text)) {
                (Some(a), Some(b)) => text!("number ({a} to {b})"),
                (Some(a), None) => text!("number (≥ {a})"),
                (None, Some(b)) => text!("number (≤ {b})"),
                (None, None) => "number".into(),
            }
        }
        SchemaKind::Array { items, .. } => text!("array of {}", type_text(items)),
        SchemaKind::Map { values } => text!("map of {}", type_text(values)),
        other => other.type_name().into(),
    }
}

fn type_cell(schema: &Schema) -> String {
    cell(&type_text(schema))
}

fn description_cell(schema: &Schema) -> String {
    let mut s = schema.description.as_deref().map(cell).unwrap_or_default();
    if let SchemaKind::String {
        enum_values: Some(values),
        ..
    } = &schema.kind
    {
        let list: Vec<String> = values.iter().map(|v| code_in_cell(v)).collect();
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&text!("One of {}.", list.join(", ")));
    }
    let mut add = |sentence: String| {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&sentence);
    };
    let count = |lo: &Option<u64>, hi: &Option<u64>, what| {
        crate::schema::count(*lo, *hi, what).map(|t| text!("{t}."))
    };
    match &schema.kind {
        SchemaKind::String {
            constant,
            pattern,
            min_length,
            max_length,
            ..
        } => {
            if let Some(c) = constant {
                add(text!("Always {}.", code_in_cell(c)));
            }
            if let Some(p) = pattern {
                add(text!("Matches the pattern {}.", code_in_cell(p)));
            }
            if let Some(t) = count(min_length, max_length, crate::schema::CHARACTERS) {
                add(t);
            }
        }
        SchemaKind::Array {
            min_items,
            max_items,
            ..
        } => {
            if let Some(t) = count(min_items, max_items, crate::schema::ITEMS) {
                add(t);
            }
        }
        _ => {}
    }
    s
}

/// A duration in milliseconds as people read it: `500 ms`, `2 s`.
fn duration(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        text!("{} s", ms / 1000)
    } else {
        text!("{ms} ms")
    }
}

/// How a client retries a code, in one Markdown sentence.
/// A code's retry guidance in one sentence (docs and `cargo xtask explain`).
pub fn retry_text(e: &ErrorDef, config: &RetryConfig) -> String {
    match (e.delivery, &e.retry) {
        (Delivery::Webhook, RetryPolicy::Never) => {
            "Nothing to retry: this is an event, not the response to a request.".into()
        }
        _ => retry_sentence(&e.retry, config),
    }
}

fn retry_sentence(policy: &RetryPolicy, config: &RetryConfig) -> String {
    match policy {
        RetryPolicy::Never => {
            "Do not retry: the same request fails the same way until it is fixed.".into()
        }
        RetryPolicy::AfterDelay { delay_field } => {
            let default = text!("{} seconds", config.default_delay_seconds);
            match delay_field {
                Some(f) => text!(
                    "Retry after the delay the error gives: {} seconds, else the `Retry-After` header, else {default}.",
                    code(&text!("details.{f}"))
                ),
                None => text!(
                    "Retry after the seconds in the `Retry-After` header, else after {default}."
                ),
            }
        }
        RetryPolicy::Backoff { delay_field } => {
            let server = match delay_field {
                Some(f) => text!(
                    "Wait the delay the error gives ({} seconds, else the `Retry-After` header) when it gives one",
                    code(&text!("details.{f}"))
                ),
                None => {
                    "Wait the seconds in the `Retry-After` header when the response has one".into()
                }
            };
            if config.max_attempts <= 1 {
                return "Do not retry automatically (the catalog allows a single attempt).".into();
            }
            let delays: Vec<String> = (0..config.max_attempts - 1)
                .map(|n| duration(config.backoff_delay_ms(n)))
                .collect();
            text!(
                "Retry, at most {} attempts in all. {server}, else back off exponentially: {} before the retries (capped at {}).",
                config.max_attempts,
                delays.join(", "),
                duration(config.max_delay_ms)
            )
        }
    }
}

#[derive(Template)]
#[template(path = "docs/best_practices.md", escape = "none")]
struct Practices {
    header: String,
    name: String,
    guides: Vec<GuideView>,
    rust_crate: String,
    ts_package: String,
    py_package: String,
    retry_summary: String,
    snippets_rust: Vec<(String, String)>,
    snippets_ts: Vec<(String, String)>,
    snippets_py: Vec<(String, String)>,
    intro: String,
}

struct GuideView {
    title: String,
    attr: String,
    body: String,
}

impl Practices {
    fn new(c: &Catalog, header: &str) -> Self {
        let names = SnippetNames::new(c);
        let config = &c.retry;
        let delays: Vec<String> = (0..config.max_attempts.saturating_sub(1))
            .map(|n| duration(config.backoff_delay_ms(n)))
            .collect();
        let anchors: Vec<&str> = c.guidance.iter().map(|g| g.id.as_str()).collect();
        Self {
            header: header.to_string(),
            name: text(&c.api.name),
            guides: c
                .guidance
                .iter()
                .map(|g| GuideView {
                    title: heading(&g.title),
                    attr: text!("{{#{}}}", g.id),
                    body: guide(&g.body, 1, &g.id, &anchors),
                })
                .collect(),
            rust_crate: code(&c.api.packages.rust),
            ts_package: code(&c.api.packages.typescript),
            py_package: code(&c.api.packages.python),
            retry_summary: text!(
                "at most {} attempts; backoff delays {}; capped at {}; {} seconds when a rate-limited error gives no delay",
                config.max_attempts,
                if delays.is_empty() {
                    "none".to_string()
                } else {
                    delays.join(", ")
                },
                duration(config.max_delay_ms),
                config.default_delay_seconds
            ),
            snippets_rust: snippets::rust(&names),
            snippets_ts: snippets::typescript(&names),
            snippets_py: snippets::python(&names),
            intro: text!("{INTRO_PAGE}.md"),
        }
    }
}

/// The names a snippet is written with, from the catalog.
pub struct SnippetNames {
    /// The Rust crate as a path (`huechat_errors`).
    pub rust_crate: String,
    /// The npm package (`@huechat/errors`).
    pub ts_package: String,
    /// The error type (`HueChatError`).
    pub error_type: String,
    /// The Python package's import name (`huechat_errors`).
    pub py_module: String,
    /// The Python logging snippet's message, as a string literal (`"HueChat API error: %s"`).
    pub py_log_message: String,
    /// The product name, as the contents of a Rust format string and a TypeScript template
    /// literal: its letters, digits, spaces and the punctuation neither reads (no quotes,
    /// braces, `$`, backslashes, controls or invisible format characters such as bidi overrides).
    pub product: String,
    /// A body of a code that backs off (a server error), as one-line JSON for a raw string
    /// literal `r#"..."#`, in the wire's shape: the primary example of the first such code, or
    /// else a valid body of an unknown code, which clients retry by its status.
    pub server_error_body: String,
    /// The HTTP status that body is sent with.
    pub server_error_status: u16,
    /// The wire's own headers sent with it (a code that travels in a header).
    pub server_error_headers: Vec<(String, String)>,
    /// The code a client reads from that response.
    pub server_error_code: String,
    /// The request id a client reads from it, where the wire has one.
    pub server_error_request_id: Option<String>,
    /// Whether the wire is the flat envelope (which has a `request_id` field).
    pub flat: bool,
    /// Whether that `request_id` is required (a `String` in the Rust crate, not an `Option`).
    pub request_id_required: bool,
}

impl SnippetNames {
    pub fn new(c: &Catalog) -> Self {
        // A body of the first code that backs off, with its status (an unknown code's 500 if
        // none), as the wire carries it.
        let sent = |neutral: &serde_json::Value, code: &str, status: u16| {
            let (body, headers) = crate::emit::wire_data::wire_body(c, neutral);
            let has_request_id = c.wire.preset == Preset::Flat
                || c.wire.members.iter().any(|m| {
                    m.name == "request_id" && matches!(m.role, crate::wire::Role::Field { .. })
                });
            let request_id = neutral
                .get("request_id")
                .and_then(serde_json::Value::as_str)
                .filter(|_| has_request_id)
                .map(str::to_owned);
            let json = serde_json::to_string(&body).expect("JSON");
            (json, status, headers, code.to_owned(), request_id)
        };
        let (
            server_error_body,
            server_error_status,
            server_error_headers,
            server_error_code,
            server_error_request_id,
        ) = c
            .errors
            .iter()
            .find(|e| {
                matches!(e.retry, RetryPolicy::Backoff { .. }) && e.delivery == Delivery::Http
            })
            .map(|e| sent(&e.primary_example().body, &e.code, e.status))
            .filter(|(body, ..)| !body.contains("\"#"))
            .unwrap_or_else(|| {
                let unknown = crate::conformance::unknown_body(c, 500);
                sent(&unknown, &crate::conformance::unknown_code(c), 500)
            });
        Self {
            rust_crate: c.api.packages.rust.replace('-', "_"),
            ts_package: c.api.packages.typescript.clone(),
            error_type: c.api.packages.error_type.clone(),
            py_module: crate::naming::python_import_name(&c.api.packages.python),
            py_log_message: crate::emit::python::string_literal(&text!(
                "{} API error: %s",
                c.api.name.replace('%', "%%")
            )),
            product: c
                .api
                .name
                .chars()
                .filter(|ch| {
                    ch.is_alphanumeric() || ch == &' ' || "-_.,:;!?()&+/#@*=<>[]|~^%".contains(*ch)
                })
                .collect(),
            flat: c.wire.preset == Preset::Flat,
            request_id_required: c.envelope.field(EnvelopeFieldName::RequestId).required,
            server_error_body,
            server_error_status,
            server_error_headers,
            server_error_code,
            server_error_request_id,
        }
    }
}

pub mod snippets;

#[cfg(test)]
mod tests;

#[derive(Template)]
#[template(path = "docs/changelog.md", escape = "none")]
struct Changelog {
    header: String,
    title: String,
    /// Attribute blocks (askama reads `{#` as a comment).
    title_attr: &'static str,
    unversioned_attr: &'static str,
    retired_attr: &'static str,
    /// Newest first.
    versions: Vec<VersionEntry>,
    /// Codes and deprecations without a recorded version.
    unversioned: Vec<String>,
    /// Every retired code, as lines, whether or not a category page keeps its section.
    retired: Vec<String>,
}

struct VersionEntry {
    version: String,
    anchor_attr: String,
    added: Vec<String>,
    deprecated: Vec<String>,
    retired: Vec<String>,
}

impl Changelog {
    fn new(c: &Catalog, header: &str) -> Self {
        let mut versions: Vec<VersionEntry> = Vec::new();
        let mut unversioned = Vec::new();
        fn entry(versions: &mut Vec<VersionEntry>, v: &str) -> usize {
            match versions.iter().position(|e| e.version == v) {
                Some(i) => i,
                None => {
                    versions.push(VersionEntry {
                        version: v.to_string(),
                        anchor_attr: String::new(),
                        added: Vec::new(),
                        deprecated: Vec::new(),
                        retired: Vec::new(),
                    });
                    versions.len() - 1
                }
            }
        }
        let link = |e: &ErrorDef| text!("[{}]({})", code(&e.code), code_link(e));
        for e in &c.errors {
            match &e.since {
                Some(v) => {
                    let i = entry(&mut versions, v);
                    versions[i].added.push(link(e));
                }
                None => unversioned.push(text!("{}: added", link(e))),
            }
            if let Some(d) = &e.deprecated {
                let line = text!("{}: {}", link(e), text(&d.reason));
                match &d.since {
                    Some(v) => {
                        let i = entry(&mut versions, v);
                        versions[i].deprecated.push(line);
                    }
                    None => {
                        unversioned.push(text!("{}: deprecated ({})", link(e), text(&d.reason)))
                    }
                }
            }
        }
        let retired_line = |r: &Retired| {
            let name = match &r.category {
                Some(cat) => text!(
                    "[{}]({}.md#{})",
                    code(&r.code),
                    naming::docs_page(cat),
                    naming::docs_anchor(&r.code)
                ),
                None => code(&r.code),
            };
            text!("{name}: {}", retired_note(c, r))
        };
        for r in &c.retired {
            let i = entry(&mut versions, &r.version);
            versions[i].retired.push(retired_line(r));
        }
        versions.sort_by(|a, b| version_key(&b.version).cmp(&version_key(&a.version)));
        for v in &mut versions {
            v.anchor_attr = text!("{{#version-{}}}", v.version.replace(['.', '+'], "-"));
            v.version = text(&v.version);
        }
        Self {
            header: header.to_string(),
            title: heading(&text!("{} Error Code Changelog", c.api.name)),
            title_attr: "{#error-changelog}",
            unversioned_attr: "{#version-not-recorded}",
            retired_attr: RETIRED_ATTR,
            versions,
            unversioned,
            retired: c.retired.iter().map(retired_line).collect(),
        }
    }
}

/// Orders versions as semver does for releases (pre-releases before their release, then by text).
fn version_key(v: &str) -> (Vec<u64>, bool, &str) {
    let (core, pre) = match v.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (v.split('+').next().unwrap_or(v), None),
    };
    let parts = core
        .split('.')
        .map(|p| p.parse::<u64>().unwrap_or(0))
        .collect();
    (parts, pre.is_none(), pre.unwrap_or(""))
}
