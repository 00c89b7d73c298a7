//! `src/catalog.ts` (codes, categories, per-code metadata and details schemas as data) and
//! `src/types.ts` (details interfaces and the discriminated union of error bodies).

use super::syntax::{CodeWriter, property_key, string_literal};
use crate::model::{
    Catalog, Delivery, EnvelopeFieldName, ErrorDef, ObjectSchema, Property, RetryPolicy, Schema,
    SchemaKind,
};
use crate::naming;

/// Type names the package defines itself; a per-code name equal to one gets a trailing `_`
/// (which `naming::pascal` never produces, so the result cannot collide either).
const FIXED_TYPE_NAMES: &[&str] = &[
    "ErrorBody",
    "KnownErrorBody",
    "UnknownErrorBody",
    "UnknownDetails",
    "ErrorBodies",
];

fn code_type(catalog: &Catalog, def: &ErrorDef, suffix: &str) -> String {
    let name = format!("{}{suffix}", naming::pascal(&def.code));
    if FIXED_TYPE_NAMES.contains(&name.as_str()) || name == catalog.api.packages.error_type {
        format!("{name}_")
    } else {
        name
    }
}

/// The body interface of a code (`RateLimitedBody`).
pub fn body_type(catalog: &Catalog, def: &ErrorDef) -> String {
    code_type(catalog, def, "Body")
}

/// The details interface of a code (`RateLimitedDetails`), when it has a details schema.
pub fn details_type(catalog: &Catalog, def: &ErrorDef) -> Option<String> {
    def.details
        .as_ref()
        .map(|_| code_type(catalog, def, "Details"))
}

/// `"a" | "b"` for a list of strings; `never` for none.
fn literal_union(values: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let parts: Vec<String> = values
        .into_iter()
        .map(|v| string_literal(v.as_ref()))
        .collect();
    if parts.is_empty() {
        "never".into()
    } else {
        parts.join(" | ")
    }
}

pub fn catalog_ts(catalog: &Catalog, header: &str) -> String {
    let mut w = CodeWriter::with_header(header);
    w.blank();
    w.line("import type { ObjectSchema, PropertySchema, Schema } from \"./schema.js\";");
    w.blank();
    let api = &catalog.api;
    w.doc(
        &[format!(
            "The API this package describes: {} {}.",
            api.name, api.version
        )],
        &[],
    );
    w.block("export const API = {", "} as const;", |w| {
        w.line(format!("name: {},", string_literal(&api.name)));
        w.line(format!("version: {},", string_literal(&api.version)));
        w.line(format!("docsUrl: {},", string_literal(&api.docs_url)));
    });
    w.blank();

    w.doc(
        &[format!(
            "Every error code {} {} defines.",
            api.name, api.version
        )],
        &[],
    );
    union_type(
        &mut w,
        "ErrorCode",
        catalog.errors.iter().map(|e| string_literal(&e.code)),
    );
    w.blank();
    w.doc(&["Every `ErrorCode`, in catalog order.".into()], &[]);
    w.block(
        "export const ERROR_CODES: readonly ErrorCode[] = Object.freeze([",
        "]);",
        |w| {
            for e in &catalog.errors {
                w.line(format!("{},", string_literal(&e.code)));
            }
        },
    );
    w.blank();
    w.doc(
        &["An error code: one this version knows, or one a newer API version added. Known codes still autocomplete.".into()],
        &[],
    );
    w.line("export type AnyErrorCode = ErrorCode | (string & {});");
    w.blank();

    w.doc(&["The id of a category of codes.".into()], &[]);
    union_type(
        &mut w,
        "CategoryId",
        catalog.categories.iter().map(|c| string_literal(&c.id)),
    );
    w.blank();
    w.block("export interface Category {", "}", |w| {
        w.line("readonly id: CategoryId;");
        w.line("readonly title: string;");
        w.line("readonly description?: string;");
    });
    w.blank();
    w.doc(
        &["The categories, in the order the docs present them.".into()],
        &[],
    );
    w.block(
        "export const CATEGORIES: readonly Category[] = [",
        "];",
        |w| {
            for c in &catalog.categories {
                let mut fields = vec![
                    format!("id: {}", string_literal(&c.id)),
                    format!("title: {}", string_literal(&c.title)),
                ];
                if let Some(d) = &c.description {
                    fields.push(format!("description: {}", string_literal(d)));
                }
                w.line(format!("{{ {} }},", fields.join(", ")));
            }
        },
    );
    w.blank();

    w.doc(&["Whether and how a client retries a code.".into()], &[]);
    w.line("export type RetryPolicy =");
    w.block("", "", |w| {
        w.line("| { readonly strategy: \"never\" }");
        w.line("| { readonly strategy: \"after_delay\"; readonly delayField?: string }");
        w.line("| { readonly strategy: \"backoff\"; readonly delayField?: string };");
    });
    w.block("export interface RetryConfig {", "}", |w| {
        w.doc(&["Attempts in total, the first included.".into()], &[]);
        w.line("readonly maxAttempts: number;");
        w.doc(&["Backoff: the delay before retry n (0-based) is `initialDelayMs * multiplier ** n`, capped at `maxDelayMs`.".into()], &[]);
        w.line("readonly initialDelayMs: number;");
        w.line("readonly multiplier: number;");
        w.line("readonly maxDelayMs: number;");
        w.doc(&["The wait for `after_delay` codes when neither details nor `Retry-After` give one.".into()], &[]);
        w.line("readonly defaultDelaySeconds: number;");
    });
    w.blank();
    let r = &catalog.retry;
    w.doc(&["The catalog's retry parameters.".into()], &[]);
    w.block("export const RETRY_CONFIG: RetryConfig = {", "};", |w| {
        w.line(format!("maxAttempts: {},", r.max_attempts));
        w.line(format!("initialDelayMs: {},", r.initial_delay_ms));
        w.line(format!("multiplier: {},", r.multiplier));
        w.line(format!("maxDelayMs: {},", r.max_delay_ms));
        w.line(format!("defaultDelaySeconds: {},", r.default_delay_seconds));
    });
    w.blank();

    w.doc(
        &["Envelope fields every error body must carry.".into()],
        &[],
    );
    let required: Vec<&str> = EnvelopeFieldName::ALL
        .iter()
        .filter(|f| catalog.envelope.field(**f).required)
        .map(|f| f.as_str())
        .collect();
    w.line(format!(
        "export const ENVELOPE_REQUIRED: readonly string[] = [{}];",
        required
            .iter()
            .map(|f| string_literal(f))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    w.blank();

    w.block("export interface Deprecation {", "}", |w| {
        w.line("readonly since?: string;");
        w.line("readonly reason: string;");
        w.line("readonly replacedBy?: ErrorCode;");
    });
    w.blank();
    w.doc(&["What the catalog says about a code.".into()], &[]);
    w.block(
        "export interface ErrorInfo<C extends ErrorCode = ErrorCode> {",
        "}",
        |w| {
            w.line("readonly code: C;");
            w.doc(
                &["The HTTP status, and the envelope's `code` value.".into()],
                &[],
            );
            w.line("readonly status: number;");
            w.line("readonly category: CategoryId;");
            w.line("readonly description: string;");
            w.doc(
                &["The message template, with `{field}` placeholders.".into()],
                &[],
            );
            w.line("readonly message: string;");
            w.line("readonly retry: RetryPolicy;");
            w.doc(
                &["`webhook`: sent as a webhook event payload, not as an HTTP response.".into()],
                &[],
            );
            w.line("readonly delivery: \"http\" | \"webhook\";");
            w.line("readonly docsUrl: string;");
            w.line("readonly since?: string;");
            w.line("readonly deprecated?: Deprecation;");
            w.doc(
                &["The schema of `details`, when the code has details.".into()],
                &[],
            );
            w.line("readonly details?: ObjectSchema;");
        },
    );
    w.blank();
    row_helpers(&mut w);
    w.doc(
        &["Every code's catalog entry: one row per code, read by `info`.".into()],
        &[],
    );
    w.block(
        "export const ERRORS: { readonly [C in ErrorCode]: ErrorInfo<C> } = {",
        "};",
        |w| {
            for e in &catalog.errors {
                w.line(format!("{}: {},", property_key(&e.code), error_row(e)));
            }
        },
    );
    w.blank();
    w.doc(&["Whether this version knows `code`.".into()], &[]);
    w.block(
        "export function isErrorCode(code: string): code is ErrorCode {",
        "}",
        |w| {
            w.line("return Object.hasOwn(ERRORS, code);");
        },
    );
    w.blank();
    w.doc(
        &[
            "The catalog entry of `code`, or `undefined` for a code this version does not know."
                .into(),
        ],
        &[],
    );
    w.block(
        "export function errorInfo(code: string): ErrorInfo | undefined {",
        "}",
        |w| {
            w.line("return isErrorCode(code) ? ERRORS[code] : undefined;");
        },
    );
    w.blank();
    retired_codes(&mut w, catalog);
    w.finish()
}

/// `RETIRED_CODES` and `retiredCode`: codes the catalog removed, which clients recognise as
/// known-but-retired rather than unknown (an older server may still send them).
fn retired_codes(w: &mut CodeWriter, catalog: &Catalog) {
    w.doc(
        &["A code the catalog removed. Its name is never reused.".into()],
        &[],
    );
    w.block("export interface RetiredCode {", "}", |w| {
        w.line("readonly code: string;");
        w.doc(&["The catalog version that retired it.".into()], &[]);
        w.line("readonly version: string;");
        w.line("readonly reason: string;");
        w.line("readonly replacedBy?: ErrorCode;");
        w.doc(
            &["Its docs section, kept so that old links resolve.".into()],
            &[],
        );
        w.line("readonly docsUrl?: string;");
    });
    w.blank();
    w.doc(
        &["Every retired code: known, but no longer sent by this version of the API.".into()],
        &[],
    );
    w.block(
        "export const RETIRED_CODES: { readonly [code: string]: RetiredCode } = Object.freeze({",
        "});",
        |w| {
            for r in &catalog.retired {
                let mut fields = vec![
                    format!("code: {}", string_literal(&r.code)),
                    format!("version: {}", string_literal(&r.version)),
                    format!("reason: {}", string_literal(&r.reason)),
                ];
                if let Some(to) = &r.replaced_by {
                    fields.push(format!("replacedBy: {}", string_literal(to)));
                }
                if let Some(cat) = &r.category {
                    let url = format!(
                        "{}/{}.html#{}",
                        catalog.api.docs_url,
                        naming::docs_page(cat),
                        naming::docs_anchor(&r.code)
                    );
                    fields.push(format!("docsUrl: {}", string_literal(&url)));
                }
                w.block(format!("{}: {{", property_key(&r.code)), "},", |w| {
                    for f in &fields {
                        w.line(format!("{f},"));
                    }
                });
            }
        },
    );
    w.blank();
    w.doc(
        &["The retirement of `code`, or `undefined` when it is live or unknown.".into()],
        &[],
    );
    w.block(
        "export function retiredCode(code: string): RetiredCode | undefined {",
        "}",
        |w| {
            w.line("return Object.hasOwn(RETIRED_CODES, code) ? RETIRED_CODES[code] : undefined;");
        },
    );
}

/// `export type Name =` followed by `| member` lines (or `never`).
fn union_type(w: &mut CodeWriter, name: &str, members: impl Iterator<Item = String>) {
    let members: Vec<String> = members.collect();
    if members.is_empty() {
        w.line(format!("export type {name} = never;"));
        return;
    }
    w.line(format!("export type {name} ="));
    w.block("", "", |w| {
        let last = members.len() - 1;
        for (i, m) in members.iter().enumerate() {
            w.line(format!("| {m}{}", if i == last { ";" } else { "" }));
        }
    });
}

/// The shared functions that turn a row of `ERRORS` into an `ErrorInfo`, and the schema
/// builders its `details` are written with (none of them exported).
fn row_helpers(w: &mut CodeWriter) {
    w.doc(
        &["The facts every row has; `more` holds the rest (`delivery` is `\"http\"` unless it says otherwise). `page` is the docs page and anchor under `API.docsUrl`.".into()],
        &[],
    );
    w.block(
        "function info<C extends ErrorCode>(code: C, status: number, category: CategoryId, description: string, message: string, retry: RetryPolicy, page: string, more: Partial<Pick<ErrorInfo, \"delivery\" | \"since\" | \"deprecated\" | \"details\">> = {}): ErrorInfo<C> {",
        "}",
        |w| {
            w.line("return { code, status, category, description, message, retry, delivery: \"http\", docsUrl: `${API.docsUrl}/${page}`, ...more };");
        },
    );
    w.blank();
    w.line("const NEVER: RetryPolicy = { strategy: \"never\" };");
    w.line("const BACKOFF: RetryPolicy = { strategy: \"backoff\" };");
    w.line("const AFTER_DELAY: RetryPolicy = { strategy: \"after_delay\" };");
    w.line("const NUMBER: Schema = { type: \"number\" };");
    w.line("const BOOLEAN: Schema = { type: \"boolean\" };");
    w.blank();
    w.doc(
        &["A string, limited to `values` when there are any.".into()],
        &[],
    );
    w.line("const str = (...values: string[]): Schema => (values.length > 0 ? { type: \"string\", enum: values } : { type: \"string\" });");
    w.doc(&["An integer, with its bounds when given.".into()], &[]);
    w.line("const int = (minimum: number | null = null, maximum: number | null = null): Schema => ({ type: \"integer\", ...(minimum === null ? {} : { minimum }), ...(maximum === null ? {} : { maximum }) });");
    w.line("const arr = (items: Schema): Schema => ({ type: \"array\", items });");
    w.line("const obj = (...properties: PropertySchema[]): ObjectSchema => ({ type: \"object\", properties });");
    w.doc(&["A required property, and an optional one.".into()], &[]);
    w.line("const req = (name: string, schema: Schema): PropertySchema => ({ name, required: true, schema });");
    w.line("const opt = (name: string, schema: Schema): PropertySchema => ({ name, required: false, schema });");
    w.blank();
}

/// A code's row of `ERRORS`: `info(code, status, category, description, message, retry, page,
/// { more })`.
fn error_row(e: &ErrorDef) -> String {
    let retry = match (&e.retry, e.retry.delay_field()) {
        (RetryPolicy::Never, _) => "NEVER".to_string(),
        (RetryPolicy::Backoff { .. }, None) => "BACKOFF".into(),
        (RetryPolicy::AfterDelay { .. }, None) => "AFTER_DELAY".into(),
        (RetryPolicy::Backoff { .. }, Some(f)) => format!(
            "{{ strategy: \"backoff\", delayField: {} }}",
            string_literal(f)
        ),
        (RetryPolicy::AfterDelay { .. }, Some(f)) => format!(
            "{{ strategy: \"after_delay\", delayField: {} }}",
            string_literal(f)
        ),
    };
    let page = format!(
        "{}.html#{}",
        naming::docs_page(&e.category),
        naming::docs_anchor(&e.code)
    );
    let mut more = Vec::new();
    if e.delivery == Delivery::Webhook {
        more.push("delivery: \"webhook\"".to_string());
    }
    if let Some(since) = &e.since {
        more.push(format!("since: {}", string_literal(since)));
    }
    if let Some(d) = &e.deprecated {
        let mut fields = Vec::new();
        if let Some(s) = &d.since {
            fields.push(format!("since: {}", string_literal(s)));
        }
        fields.push(format!("reason: {}", string_literal(&d.reason)));
        if let Some(r) = &d.replaced_by {
            fields.push(format!("replacedBy: {}", string_literal(r)));
        }
        more.push(format!("deprecated: {{ {} }}", fields.join(", ")));
    }
    if let Some(d) = &e.details {
        more.push(format!("details: {}", object_schema_call(d)));
    }
    let more = if more.is_empty() {
        String::new()
    } else {
        format!(", {{ {} }}", more.join(", "))
    };
    format!(
        "info({}, {}, {}, {}, {}, {retry}, {}{more})",
        string_literal(&e.code),
        e.status,
        string_literal(&e.category),
        string_literal(&e.description),
        string_literal(&e.message.source),
        string_literal(&page)
    )
}

/// A details schema as a call of the schema builders of `row_helpers`.
fn schema_call(kind: &SchemaKind) -> String {
    match kind {
        SchemaKind::String {
            enum_values: Some(values),
            ..
        } => {
            let values: Vec<String> = values.iter().map(|v| string_literal(v)).collect();
            format!("str({})", values.join(", "))
        }
        SchemaKind::String { .. } => "str()".into(),
        SchemaKind::Integer { minimum, maximum } => match (minimum, maximum) {
            (None, None) => "int()".into(),
            (Some(min), None) => format!("int({min})"),
            (None, Some(max)) => format!("int(null, {max})"),
            (Some(min), Some(max)) => format!("int({min}, {max})"),
        },
        SchemaKind::Number => "NUMBER".into(),
        SchemaKind::Boolean => "BOOLEAN".into(),
        SchemaKind::Array { items } => format!("arr({})", schema_call(&items.kind)),
        SchemaKind::Object(o) => object_schema_call(o),
    }
}

fn object_schema_call(o: &ObjectSchema) -> String {
    let props: Vec<String> = o
        .properties
        .iter()
        .map(|p| {
            format!(
                "{}({}, {})",
                if p.required { "req" } else { "opt" },
                string_literal(&p.name),
                schema_call(&p.schema.kind)
            )
        })
        .collect();
    format!("obj({})", props.join(", "))
}

pub fn types_ts(catalog: &Catalog, header: &str) -> String {
    let mut w = CodeWriter::with_header(header);
    w.blank();
    w.line("import type { ErrorCode } from \"./catalog.js\";");
    w.blank();
    w.doc(
        &[
            "Details of a code this version does not know, or of a code without a details schema."
                .into(),
        ],
        &[],
    );
    w.line("export type UnknownDetails = { readonly [key: string]: unknown };");
    for e in &catalog.errors {
        if let (Some(schema), Some(name)) = (&e.details, details_type(catalog, e)) {
            w.blank();
            w.doc(&[format!("The `details` of `{}`.", e.code)], &[]);
            w.block(format!("export interface {name} {{"), "}", |w| {
                properties(w, schema)
            });
        }
    }
    for (name, details) in [
        (ENVELOPE, "readonly details: D;"),
        (ENVELOPE_OPTIONAL, "readonly details?: D;"),
    ] {
        w.blank();
        w.doc(
            &[format!("The body of the known code `C`, with the HTTP status `S` and `details` of type `D`{}: every code's body type is one of these two.", if name == ENVELOPE { "" } else { " or none" })],
            &[],
        );
        w.block(
            format!("export interface {name}<C extends ErrorCode, S extends number, D> {{"),
            "}",
            |w| envelope_fields(w, catalog, None, details),
        );
    }
    for e in &catalog.errors {
        w.blank();
        code_doc(&mut w, catalog, e);
        let (details, required) = match (details_type(catalog, e), &e.details) {
            (Some(t), Some(d)) => (t, d.properties.iter().any(|p| p.required)),
            _ => (
                "UnknownDetails".to_string(),
                catalog.envelope.field(EnvelopeFieldName::Details).required,
            ),
        };
        w.line(format!(
            "export type {} = {}<{}, {}, {details}>;",
            body_type(catalog, e),
            if required {
                ENVELOPE
            } else {
                ENVELOPE_OPTIONAL
            },
            string_literal(&e.code),
            e.status
        ));
    }
    w.blank();
    w.doc(
        &[
            "A body whose code this version knows: a union discriminated on `error`, so narrowing on the code types `details`.".into(),
        ],
        &[],
    );
    union_type(
        &mut w,
        "KnownErrorBody",
        catalog.errors.iter().map(|e| body_type(catalog, e)),
    );
    w.blank();
    w.doc(
        &["A body with a code this version does not know (added by a newer API version). Its envelope is checked; its details are not.".into()],
        &[],
    );
    w.block("export interface UnknownErrorBody {", "}", |w| {
        envelope_fields(w, catalog, Some("string & {}"), "")
    });
    w.blank();
    w.doc(
        &["Any valid error body. Narrow with `isKnownErrorBody(body)` first, then on `body.error`.".into()],
        &[],
    );
    w.line("export type ErrorBody = KnownErrorBody | UnknownErrorBody;");
    w.blank();
    w.doc(&["The body type of each known code.".into()], &[]);
    w.block("export interface ErrorBodies {", "}", |w| {
        for e in &catalog.errors {
            w.line(format!(
                "readonly {}: {};",
                property_key(&e.code),
                body_type(catalog, e)
            ));
        }
    });
    w.blank();
    w.doc(
        &["The body type of a known code: `ErrorBodyOf<\"rate_limited\">`.".into()],
        &[],
    );
    w.line("export type ErrorBodyOf<C extends ErrorCode> = ErrorBodies[C];");
    w.blank();
    w.doc(
        &[
            "The `details` type of a known code (with `undefined` when details are optional)."
                .into(),
        ],
        &[],
    );
    w.line("export type DetailsOf<C extends ErrorCode> = ErrorBodies[C][\"details\"];");
    w.finish()
}

/// The generic body of a known code whose `details` are required, and the one whose `details`
/// are optional (codes whose details schema has no required field, or that have no schema and
/// the envelope's `details` is optional). The per-code body types are aliases of these.
const ENVELOPE: &str = "KnownCodeEnvelope";
const ENVELOPE_OPTIONAL: &str = "KnownCodeEnvelopeOptionalDetails";

/// The six envelope fields: of the generic known-code bodies (`unknown_code: None`, typed by
/// the parameters `C`, `S`, `D`, with `details` written as given), or of an unknown code's body
/// (`error` typed `unknown_code`).
fn envelope_fields(
    w: &mut CodeWriter,
    catalog: &Catalog,
    unknown_code: Option<&str>,
    known_details: &str,
) {
    for name in EnvelopeFieldName::ALL {
        let field = catalog.envelope.field(name);
        let ty = match (name, unknown_code) {
            (EnvelopeFieldName::Error, Some(t)) => t.to_string(),
            (EnvelopeFieldName::Error, None) => "C".into(),
            (EnvelopeFieldName::Code, Some(_)) => "number".into(),
            (EnvelopeFieldName::Code, None) => "S".into(),
            (EnvelopeFieldName::Details, Some(_)) => "UnknownDetails".into(),
            _ => "string".into(),
        };
        let mut doc = vec![field.description.clone()];
        if let Some(f) = name.format() {
            doc.push(format!("Format: `{}`.", f.as_str()));
        }
        w.doc(&doc, &[]);
        if name == EnvelopeFieldName::Details && unknown_code.is_none() {
            w.line(known_details);
            continue;
        }
        let optional = if field.required { "" } else { "?" };
        w.line(format!("readonly {}{optional}: {ty};", name.as_str()));
    }
}

fn code_doc(w: &mut CodeWriter, catalog: &Catalog, e: &ErrorDef) {
    let status = catalog.status(e.status);
    let category = catalog.category(&e.category);
    let mut paras = vec![format!("`{}`: {}", e.code, e.description)];
    paras.push(match e.delivery {
        Delivery::Http => format!("HTTP {} ({}). {}.", e.status, status.description, category.title),
        Delivery::Webhook => format!(
            "Delivered as a webhook event payload, not as an HTTP response; {} is only the envelope's `code`. {}.",
            e.status, category.title
        ),
    });
    paras.push(format!("Message: \"{}\"", e.message.source));
    paras.push(match &e.retry {
        RetryPolicy::Never => "Retry: never.".into(),
        RetryPolicy::Backoff { delay_field } => format!(
            "Retry: after {}the `Retry-After` header, else with exponential backoff.",
            delay_field
                .as_ref()
                .map_or(String::new(), |f| format!("`details.{f}` seconds, else "))
        ),
        RetryPolicy::AfterDelay { delay_field } => format!(
            "Retry: after {}the `Retry-After` header, else {} seconds.",
            delay_field
                .as_ref()
                .map_or(String::new(), |f| format!("`details.{f}` seconds, else ")),
            catalog.retry.default_delay_seconds
        ),
    });
    let r = &e.remediation;
    if !r.common_causes.is_empty() {
        paras.push(format!("Common causes:\n{}", bullets(&r.common_causes)));
    }
    if !r.solutions.is_empty() {
        paras.push(format!("Solutions:\n{}", bullets(&r.solutions)));
    }
    if let Some(a) = &r.action {
        paras.push(format!("Action: {a}"));
    }
    let mut tags = Vec::new();
    if let Some(s) = &e.since {
        tags.push(format!("@since {s}"));
    }
    if let Some(d) = &e.deprecated {
        let mut t = "@deprecated".to_string();
        if let Some(s) = &d.since {
            t.push_str(&format!(" Since {s}."));
        }
        t.push_str(&format!(" {}", d.text()));
        tags.push(t);
    }
    tags.push(format!("@see {}", catalog.docs_url(e)));
    w.doc(&paras, &tags);
}

fn bullets(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("- {i}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn properties(w: &mut CodeWriter, schema: &ObjectSchema) {
    for p in &schema.properties {
        property(w, p);
    }
}

fn property(w: &mut CodeWriter, p: &Property) {
    w.doc(&property_doc(&p.schema), &[]);
    let optional = if p.required { "" } else { "?" };
    write_type(
        w,
        &format!("readonly {}{optional}: ", property_key(&p.name)),
        &p.schema,
        ";",
    );
}

fn property_doc(schema: &Schema) -> Vec<String> {
    let mut doc: Vec<String> = schema.description.iter().cloned().collect();
    match &schema.kind {
        SchemaKind::String {
            format: Some(f), ..
        } => doc.push(format!("Format: `{}`.", f.as_str())),
        SchemaKind::Integer { minimum, maximum } => doc.push(match (minimum, maximum) {
            (Some(min), Some(max)) => format!("An integer from {min} to {max}."),
            (Some(min), None) => format!("An integer, at least {min}."),
            (None, Some(max)) => format!("An integer, at most {max}."),
            (None, None) => "An integer.".into(),
        }),
        _ => {}
    }
    doc
}

/// Writes `prefix TYPE suffix`, over several lines when the type contains an object.
fn write_type(w: &mut CodeWriter, prefix: &str, schema: &Schema, suffix: &str) {
    if let Some(t) = inline_type(&schema.kind) {
        w.line(format!("{prefix}{t}{suffix}"));
        return;
    }
    match &schema.kind {
        SchemaKind::Object(o) => {
            w.block(format!("{prefix}{{"), &format!("}}{suffix}"), |w| {
                properties(w, o)
            });
        }
        SchemaKind::Array { items } if matches!(items.kind, SchemaKind::Object(_)) => {
            write_type(
                w,
                &format!("{prefix}readonly "),
                items,
                &format!("[]{suffix}"),
            );
        }
        SchemaKind::Array { items } => {
            write_type(
                w,
                &format!("{prefix}readonly ("),
                items,
                &format!(")[]{suffix}"),
            );
        }
        _ => unreachable!("only objects and arrays of them are not inline"),
    }
}

/// The type on one line, unless it contains an object.
fn inline_type(kind: &SchemaKind) -> Option<String> {
    Some(match kind {
        // Like the Rust enums' `Other`: a newer server may send values this version does not
        // know, and they are kept, so adding a value stays compatible.
        SchemaKind::String {
            enum_values: Some(values),
            ..
        } => format!("{} | (string & {{}})", literal_union(values)),
        SchemaKind::String { .. } => "string".into(),
        SchemaKind::Integer { .. } | SchemaKind::Number => "number".into(),
        SchemaKind::Boolean => "boolean".into(),
        SchemaKind::Array { items } => {
            let item = inline_type(&items.kind)?;
            if item.contains(' ') {
                format!("readonly ({item})[]")
            } else {
                format!("readonly {item}[]")
            }
        }
        SchemaKind::Object(_) => return None,
    })
}
