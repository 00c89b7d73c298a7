//! `src/catalog.ts` (codes, categories, per-code metadata and details schemas as data) and
//! `src/types.ts` (details interfaces and the discriminated union of error bodies).

use super::syntax::{CodeWriter, property_key, string_literal, value_literal};
use crate::emit::wire_data::{self, Member, Place, Step};
use crate::model::{
    Catalog, Delivery, EnvelopeFieldName, ErrorDef, HeaderType, ObjectSchema, Property,
    RetryPolicy, Schema, SchemaKind,
};
use crate::naming;
use crate::wire::{CodeForm, FieldType, Role};

/// Type names the package defines itself; a per-code name equal to one gets a trailing `_`
/// (which `naming::pascal` never produces, so the result cannot collide either).
const FIXED_TYPE_NAMES: &[&str] = &[
    "ErrorBody",
    "KnownErrorBody",
    "UnknownErrorBody",
    "UnknownDetails",
    "KnownCodeEnvelopeOptionalDetails",
    "ErrorBodies",
    "ErrorBodyShape",
    "WireBody",
    "WireDetails",
];

fn code_type(catalog: &Catalog, def: &ErrorDef, suffix: &str) -> String {
    let name = text!("{}{suffix}", naming::pascal(&def.code));
    if FIXED_TYPE_NAMES.contains(&name.as_str()) || name == catalog.api.packages.error_type {
        text!("{name}_")
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

/// The response headers interface of a code (`RateLimitedHeaders`), when it declares headers.
pub fn headers_type(catalog: &Catalog, def: &ErrorDef) -> Option<String> {
    (!def.headers.is_empty()).then(|| code_type(catalog, def, "Headers"))
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
    // `object` (any details) needs `PropertySchema`, `prop` (any details field) `Schema` too.
    let helpers = SchemaHelpers::of(catalog);
    let mut schema_types = vec!["ObjectSchema"];
    if helpers.object {
        schema_types.push("PropertySchema");
    }
    if helpers.prop {
        schema_types.push("Schema");
    }
    // `hasOwn`, not `Object.hasOwn`: sources compiled with a `lib` before ES2022 type-check.
    w.line(text!(
        "import {{ {}, hasOwn }} from \"./schema.js\";",
        schema_types
            .iter()
            .map(|t| text!("type {t}"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    w.line("import type { WireFormat } from \"./wire.js\";");
    w.blank();
    let api = &catalog.api;
    w.doc(
        &[text!(
            "The API this package describes: {} {}.",
            api.name,
            api.version
        )],
        &[],
    );
    w.block("export const API = {", "} as const;", |w| {
        w.line(text!("name: {},", string_literal(&api.name)));
        w.line(text!("version: {},", string_literal(&api.version)));
        w.line(text!("docsUrl: {},", string_literal(&api.docs_url)));
    });
    w.blank();

    w.doc(
        &[text!(
            "Every error code {} {} defines.",
            api.name,
            api.version
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
                w.line(text!("{},", string_literal(&e.code)));
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
                    text!("id: {}", string_literal(&c.id)),
                    text!("title: {}", string_literal(&c.title)),
                ];
                if let Some(d) = &c.description {
                    fields.push(text!("description: {}", string_literal(d)));
                }
                w.line(text!("{{ {} }},", fields.join(", ")));
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
        w.line(text!("maxAttempts: {},", r.max_attempts));
        w.line(text!("initialDelayMs: {},", r.initial_delay_ms));
        w.line(text!("multiplier: {},", r.multiplier));
        w.line(text!("maxDelayMs: {},", r.max_delay_ms));
        w.line(text!("defaultDelaySeconds: {},", r.default_delay_seconds));
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
    w.line(text!(
        "export const ENVELOPE_REQUIRED: readonly string[] = [{}];",
        required
            .iter()
            .map(|f| string_literal(f))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    w.blank();

    wire_format(&mut w, catalog);
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
                &["The message template, with `{field}` placeholders (empty when the server writes the message at run time).".into()],
                &[],
            );
            w.line("readonly message: string;");
            w.doc(
                &["`true` when the server writes the message at run time: there is no template.".into()],
                &[],
            );
            w.line("readonly runtimeMessage?: true;");
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
            w.doc(
                &["The values the wire format fixes for this code (`WIRE`'s constants).".into()],
                &[],
            );
            w.line("readonly wire?: { readonly [key: string]: string | number };");
        },
    );
    w.blank();
    row_helper(&mut w, catalog);
    w.doc(
        &["Every code's catalog entry: one row per code, read by `info`.".into()],
        &[],
    );
    w.block(
        "export const ERRORS: { readonly [C in ErrorCode]: ErrorInfo<C> } = {",
        "};",
        |w| {
            for e in &catalog.errors {
                w.line(text!(
                    "{}: {},",
                    property_key(&e.code),
                    error_row(catalog, e)
                ));
            }
        },
    );
    w.blank();
    w.doc(
        &["`ERRORS` looked up by any string: indexing `ERRORS` itself with an `ErrorCode` gives a union of an `ErrorInfo` per code, which costs the compiler time in the number of codes wherever it is used.".into()],
        &[],
    );
    w.line("const INFOS: { readonly [code: string]: ErrorInfo } = ERRORS;");
    w.blank();
    w.doc(&["Whether this version knows `code`.".into()], &[]);
    w.block(
        "export function isErrorCode(code: string): code is ErrorCode {",
        "}",
        |w| {
            w.line("return hasOwn(ERRORS, code);");
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
            w.line("return hasOwn(INFOS, code) ? INFOS[code] : undefined;");
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
                    text!("code: {}", string_literal(&r.code)),
                    text!("version: {}", string_literal(&r.version)),
                    text!("reason: {}", string_literal(&r.reason)),
                ];
                if let Some(to) = &r.replaced_by {
                    fields.push(text!("replacedBy: {}", string_literal(to)));
                }
                if let Some(cat) = &r.category {
                    let url = text!(
                        "{}/{}.html#{}",
                        catalog.api.docs_url,
                        naming::docs_page(cat),
                        naming::docs_anchor(&r.code)
                    );
                    fields.push(text!("docsUrl: {}", string_literal(&url)));
                }
                // Each entry `satisfies RetiredCode`: TypeScript gives an entry named like a
                // member of every object (`constructor`) no contextual type of its own, so its
                // `replacedBy` would widen to `string`, which is not an `ErrorCode`.
                w.block(
                    text!("{}: {{", property_key(&r.code)),
                    "} satisfies RetiredCode,",
                    |w| {
                        for f in &fields {
                            w.line(text!("{f},"));
                        }
                    },
                );
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
            w.line("return hasOwn(RETIRED_CODES, code) ? RETIRED_CODES[code] : undefined;");
        },
    );
}

/// `export type Name =` followed by `| member` lines (or `never`).
fn union_type(w: &mut CodeWriter, name: &str, members: impl Iterator<Item = String>) {
    let members: Vec<String> = members.collect();
    if members.is_empty() {
        w.line(text!("export type {name} = never;"));
        return;
    }
    w.line(text!("export type {name} ="));
    w.block("", "", |w| {
        let last = members.len() - 1;
        for (i, m) in members.iter().enumerate() {
            w.line(text!("| {m}{}", if i == last { ";" } else { "" }));
        }
    });
}

/// The shared function that turns a row of `ERRORS` into an `ErrorInfo`, and the schema
/// helpers and retry policies the rows name (none of them exported, each written only when a
/// row uses it: `noUnusedLocals`).
fn row_helper(w: &mut CodeWriter, catalog: &Catalog) {
    w.doc(
        &["The facts every row has; `more` holds the rest (`delivery` is `\"http\"` unless it says otherwise). `page` is the docs page and anchor under `API.docsUrl`.".into()],
        &[],
    );
    w.block(
        "function info<C extends ErrorCode>(code: C, status: number, category: CategoryId, description: string, message: string, retry: RetryPolicy, page: string, more: Partial<Pick<ErrorInfo, \"runtimeMessage\" | \"delivery\" | \"since\" | \"deprecated\" | \"details\" | \"wire\">> = {}): ErrorInfo<C> {",
        "}",
        |w| {
            w.line("return { code, status, category, description, message, retry, delivery: \"http\", docsUrl: `${API.docsUrl}/${page}`, ...more };");
        },
    );
    w.blank();
    let helpers = SchemaHelpers::of(catalog);
    if helpers.object {
        let doc = if helpers.prop {
            "A property of a details schema, and an object schema: the rows' details are written with these."
        } else {
            "An object schema: the rows' details are written with it."
        };
        w.doc(&[doc.into()], &[]);
        if helpers.prop {
            w.line("const prop = (name: string, required: boolean, schema: Schema): PropertySchema => ({ name, required, schema });");
        }
        w.line("const object = (...properties: PropertySchema[]): ObjectSchema => ({ type: \"object\", properties });");
        w.blank();
    }
    for policy in [
        RetryPolicy::Never,
        RetryPolicy::Backoff { delay_field: None },
        RetryPolicy::AfterDelay { delay_field: None },
    ] {
        let (name, strategy) = (shared_policy(&policy), policy.strategy());
        let names =
            |e: &ErrorDef| e.retry.delay_field().is_none() && shared_policy(&e.retry) == name;
        if catalog.errors.iter().any(names) {
            w.line(text!(
                "const {name}: RetryPolicy = {{ strategy: \"{strategy}\" }};"
            ));
        }
    }
    w.blank();
}

/// Which of the schema helpers `object(...)` and `prop(...)` the rows call: `object` writes
/// every details schema (and each nested object that is not nullable, always below a details
/// property), `prop` each property.
struct SchemaHelpers {
    object: bool,
    prop: bool,
}

impl SchemaHelpers {
    fn of(catalog: &Catalog) -> Self {
        let details = || catalog.errors.iter().filter_map(|e| e.details.as_ref());
        Self {
            object: details().next().is_some(),
            prop: details().any(|d| !d.properties.is_empty()),
        }
    }
}

/// The constant that names a policy in a row that gives no delay field (`NEVER`, `BACKOFF`,
/// `AFTER_DELAY`); a row whose policy names one writes the policy out.
fn shared_policy(retry: &RetryPolicy) -> &'static str {
    match retry {
        RetryPolicy::Never => "NEVER",
        RetryPolicy::Backoff { .. } => "BACKOFF",
        RetryPolicy::AfterDelay { .. } => "AFTER_DELAY",
    }
}

/// A code's row of `ERRORS`: `info(code, status, category, description, message, retry, page,
/// { more })`.
fn error_row(catalog: &Catalog, e: &ErrorDef) -> String {
    let retry = match e.retry.delay_field() {
        Some(field) => text!(
            "{{ strategy: \"{}\", delayField: {} }}",
            e.retry.strategy(),
            string_literal(field)
        ),
        None => shared_policy(&e.retry).to_string(),
    };
    let page = text!(
        "{}.html#{}",
        naming::docs_page(&e.category),
        naming::docs_anchor(&e.code)
    );
    let mut more = Vec::new();
    if e.message.is_runtime() {
        more.push("runtimeMessage: true".to_string());
    }
    if e.delivery == Delivery::Webhook {
        more.push("delivery: \"webhook\"".to_string());
    }
    if let Some(since) = &e.since {
        more.push(text!("since: {}", string_literal(since)));
    }
    if let Some(d) = &e.deprecated {
        let mut fields = Vec::new();
        if let Some(s) = &d.since {
            fields.push(text!("since: {}", string_literal(s)));
        }
        fields.push(text!("reason: {}", string_literal(&d.reason)));
        if let Some(r) = &d.replaced_by {
            fields.push(text!("replacedBy: {}", string_literal(r)));
        }
        more.push(text!("deprecated: {{ {} }}", fields.join(", ")));
    }
    if let Some(d) = &e.details {
        more.push(text!("details: {}", object_schema_literal(d, false)));
    }
    let constants = wire_data::constants(catalog, e);
    if !constants.is_empty() {
        let fields: Vec<String> = constants
            .iter()
            .map(|(k, v)| text!("{}: {}", property_key(k), value_literal(v)))
            .collect();
        more.push(text!("wire: {{ {} }}", fields.join(", ")));
    }
    let more = if more.is_empty() {
        String::new()
    } else {
        text!(", {{ {} }}", more.join(", "))
    };
    text!(
        "info({}, {}, {}, {}, {}, {retry}, {}{more})",
        string_literal(&e.code),
        e.status,
        string_literal(&e.category),
        string_literal(&e.description),
        string_literal(&e.message.source),
        string_literal(&page)
    )
}

/// `WIRE`: the catalog's wire format as the data `wire.ts` interprets.
fn wire_format(w: &mut CodeWriter, catalog: &Catalog) {
    let data = wire_data::of(catalog);
    w.doc(
        &["How the API's errors look on the wire: where each envelope member is read from and written to.".into()],
        &[],
    );
    w.block("export const WIRE: WireFormat = {", "};", |w| {
        w.line(text!(
            "contentType: {},",
            string_literal(&data.content_type)
        ));
        w.block("members: [", "],", |w| {
            for m in &data.members {
                w.line(text!("{},", member_literal(m)));
            }
        });
        if let Some(field) = &data.retry_delay {
            w.line(text!("retryDelay: {},", string_literal(field)));
        }
    });
}

fn pointer_literal(steps: &[Step]) -> String {
    let steps: Vec<String> = steps
        .iter()
        .map(|s| match s {
            Step::Key(k) => string_literal(k),
            Step::Entry { key, equals } => text!(
                "{{ key: {}, equals: {} }}",
                string_literal(key),
                string_literal(equals)
            ),
        })
        .collect();
    text!("[{}]", steps.join(", "))
}

fn places_literal(places: &[Place]) -> String {
    let places: Vec<String> = places
        .iter()
        .map(|p| match p {
            Place::Body(steps) => text!("{{ body: {} }}", pointer_literal(steps)),
            Place::Header(h) => text!("{{ header: {} }}", string_literal(h)),
        })
        .collect();
    text!("[{}]", places.join(", "))
}

fn member_literal(m: &Member) -> String {
    match m {
        Member::Code {
            at,
            required,
            aws,
            integer,
        } => text!(
            "{{ role: \"code\", at: {}, required: {required}{}{} }}",
            places_literal(at),
            if *aws { ", cleanup: \"aws\"" } else { "" },
            if *integer { ", type: \"integer\"" } else { "" }
        ),
        Member::Message { at, required } => text!(
            "{{ role: \"message\", at: {}, required: {required} }}",
            places_literal(at)
        ),
        Member::Status { at, required } => text!(
            "{{ role: \"status\", at: {}, required: {required} }}",
            places_literal(at)
        ),
        Member::Details { at, except } => {
            let except = except.as_ref().map_or(String::new(), |names| {
                let names: Vec<String> = names.iter().map(|n| string_literal(n)).collect();
                text!(", except: [{}]", names.join(", "))
            });
            text!(
                "{{ role: \"details\", at: {}{except} }}",
                pointer_literal(at)
            )
        }
        Member::Field {
            name,
            at,
            ty,
            required,
        } => text!(
            "{{ role: \"field\", name: {}, at: {}, type: {}, required: {required} }}",
            string_literal(name),
            places_literal(at),
            string_literal(ty.as_str())
        ),
        Member::Constant { key, at, value, .. } => text!(
            "{{ role: \"constant\", key: {}, at: {}{} }}",
            string_literal(key),
            pointer_literal(at),
            value
                .as_ref()
                .map_or(String::new(), |v| text!(", value: {}", string_literal(v)))
        ),
    }
}

/// A details schema as the runtime's `Schema` data, on one line.
fn schema_literal(schema: &Schema) -> String {
    let mut s = text!("{{ type: \"{}\"", schema.kind.type_name());
    let mut key = |name: &str, value: String| s.push_str(&text!(", {name}: {value}"));
    match &schema.kind {
        SchemaKind::String {
            enum_values,
            constant,
            pattern,
            min_length,
            max_length,
            ..
        } => {
            if let Some(values) = enum_values {
                let values: Vec<String> = values.iter().map(|v| string_literal(v)).collect();
                key("enum", text!("[{}]", values.join(", ")));
            }
            if let Some(c) = constant {
                key("const", string_literal(c));
            }
            if let Some(p) = pattern {
                key("pattern", string_literal(p));
            }
            if let Some(m) = min_length {
                key("minLength", m.to_string());
            }
            if let Some(m) = max_length {
                key("maxLength", m.to_string());
            }
        }
        SchemaKind::Integer { minimum, maximum } => {
            if let Some(m) = minimum {
                key("minimum", m.to_string());
            }
            if let Some(m) = maximum {
                key("maximum", m.to_string());
            }
        }
        SchemaKind::Number { minimum, maximum } => {
            if let Some(m) = minimum {
                key("minimum", number_literal(*m));
            }
            if let Some(m) = maximum {
                key("maximum", number_literal(*m));
            }
        }
        SchemaKind::Boolean => {}
        SchemaKind::Array {
            items,
            min_items,
            max_items,
        } => {
            key("items", schema_literal(items));
            if let Some(m) = min_items {
                key("minItems", m.to_string());
            }
            if let Some(m) = max_items {
                key("maxItems", m.to_string());
            }
        }
        SchemaKind::Map { values } => key("values", schema_literal(values)),
        SchemaKind::Object(o) => return object_schema_literal(o, schema.nullable),
    }
    if schema.nullable {
        key("nullable", "true".into());
    }
    s + " }"
}

/// A finite `f64` as a JavaScript number literal (`1`, `0.5`, `-2.25`, `1e+300`).
fn number_literal(v: f64) -> String {
    // Rust's `Display` for f64 never uses an exponent, which is valid JavaScript but can be
    // hundreds of digits long; `{:e}` is too, for large magnitudes.
    if v.abs() >= 1e21 {
        text!("{v:e}")
    } else {
        text!("{v}")
    }
}

/// An object schema as a call of `object` (or, when nullable, a literal of `prop` rows): calls
/// of functions with declared types cost the compiler far less than literals contextually typed
/// by the `Schema` union.
fn object_schema_literal(o: &ObjectSchema, nullable: bool) -> String {
    let props: Vec<String> = o
        .properties
        .iter()
        .map(|p| {
            text!(
                "prop({}, {}, {})",
                string_literal(&p.name),
                p.required,
                schema_literal(&p.schema)
            )
        })
        .collect();
    if nullable {
        text!(
            "{{ type: \"object\", properties: [{}], nullable: true }}",
            props.join(", ")
        )
    } else {
        text!("object({})", props.join(", "))
    }
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
            w.doc(&[text!("The `details` of `{}`.", e.code)], &[]);
            w.block(text!("export interface {name} {{"), "}", |w| {
                properties(w, schema)
            });
        }
    }
    response_headers(&mut w, catalog);
    for (name, details) in [
        (ENVELOPE, "readonly details: D;"),
        (ENVELOPE_OPTIONAL, "readonly details?: D;"),
    ] {
        w.blank();
        w.doc(
            &[text!("The body of the known code `C`, with the HTTP status `S` and `details` of type `D`{}: every code's body type is one of these two.", if name == ENVELOPE { "" } else { " or none" })],
            &[],
        );
        w.block(
            text!("export interface {name}<C extends ErrorCode, S extends number, D> {{"),
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
        w.line(text!(
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
            w.line(text!(
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
    w.blank();
    let wire = wire_data::of(catalog);
    if wire.is_flat() {
        w.doc(
            &["A body as it is on the wire: this API sends the envelope as it is.".into()],
            &[],
        );
        w.line("export type WireBody = ErrorBody;");
        w.blank();
        w.doc(
            &["The body of the known code `C` as the API sends it: its `ErrorBodyOf<C>`.".into()],
            &[],
        );
        w.line("export type WireBodyOf<C extends ErrorCode> = ErrorBodyOf<C>;");
    } else {
        let code_is_uri = catalog.wire.code_members().any(|m| {
            matches!(
                m.role,
                Role::Code {
                    form: CodeForm::TypeUri
                }
            )
        });
        super::wire_types::write(&mut w, &wire, code_is_uri);
    }
    w.finish()
}

/// An interface per code that declares response headers (keyed by the header names, integers
/// as numbers), the interfaces by code, and `ResponseHeadersOf`, which the error class's
/// `responseHeaders` takes.
fn response_headers(w: &mut CodeWriter, catalog: &Catalog) {
    for e in &catalog.errors {
        let Some(name) = headers_type(catalog, e) else {
            continue;
        };
        w.blank();
        w.doc(
            &[text!(
                "The response headers of `{}`, as `responseHeaders` takes them.",
                e.code
            )],
            &[],
        );
        w.block(text!("export interface {name} {{"), "}", |w| {
            for h in &e.headers {
                w.doc(&[text!("`{}`: {}", h.name, h.description)], &[]);
                let ty = match h.schema {
                    HeaderType::Integer => "number",
                    HeaderType::String => "string",
                };
                let optional = if h.required { "" } else { "?" };
                w.line(text!(
                    "readonly {}{optional}: {ty};",
                    string_literal(&h.name)
                ));
            }
        });
    }
    w.blank();
    w.doc(
        &["The response headers of each code that declares some, by code.".into()],
        &[],
    );
    if catalog.errors.iter().all(|e| e.headers.is_empty()) {
        w.line("export interface ResponseHeadersByCode {}");
    } else {
        w.block("export interface ResponseHeadersByCode {", "}", |w| {
            for e in &catalog.errors {
                if let Some(name) = headers_type(catalog, e) {
                    w.line(text!("readonly {}: {name};", property_key(&e.code)));
                }
            }
        });
    }
    w.blank();
    w.doc(
        &["The response headers the code `C` declares (none for a code without).".into()],
        &[],
    );
    w.line("export type ResponseHeadersOf<C> = C extends keyof ResponseHeadersByCode ? ResponseHeadersByCode[C] : { readonly [name: string]: never };");
}

/// The generic body of a known code whose `details` are required, and the one whose `details`
/// are optional (codes whose details schema has no required field, or that have no schema and
/// the envelope's `details` is optional). The per-code body types are aliases of these.
const ENVELOPE: &str = "KnownCodeEnvelope";
const ENVELOPE_OPTIONAL: &str = "KnownCodeEnvelopeOptionalDetails";

/// The envelope's fields: `error`, `message`, `code` and `details`, then the wire's other
/// fields under their own names (`request_id` and `timestamp` on the flat wire, RFC 9457's
/// `instance`), as `parseErrorBody` keeps them. Of the generic known-code bodies
/// (`unknown_code: None`, typed by the parameters `C`, `S`, `D`, with `details` written as
/// given), or of an unknown code's body (`error` typed `unknown_code`).
fn envelope_fields(
    w: &mut CodeWriter,
    catalog: &Catalog,
    unknown_code: Option<&str>,
    known_details: &str,
) {
    for name in [
        EnvelopeFieldName::Error,
        EnvelopeFieldName::Message,
        EnvelopeFieldName::Code,
        EnvelopeFieldName::Details,
    ] {
        let field = catalog.envelope.field(name);
        let ty = match (name, unknown_code) {
            (EnvelopeFieldName::Error, Some(t)) => t,
            (EnvelopeFieldName::Error, None) => "C",
            (EnvelopeFieldName::Code, Some(_)) => "number",
            (EnvelopeFieldName::Code, None) => "S",
            (EnvelopeFieldName::Details, Some(_)) => "UnknownDetails",
            _ => "string",
        };
        w.doc(std::slice::from_ref(&field.description), &[]);
        if name == EnvelopeFieldName::Details && unknown_code.is_none() {
            w.line(known_details);
            continue;
        }
        let optional = if field.required { "" } else { "?" };
        w.line(text!("readonly {}{optional}: {ty};", name.as_str()));
    }
    let mut seen: Vec<&str> = Vec::new();
    for m in &catalog.wire.members {
        let (ty, format) = match &m.role {
            Role::Field {
                kind: FieldType::Integer,
                format,
            } => ("number", *format),
            Role::Field { format, .. } => ("string", *format),
            Role::RetryDelay => ("string", None),
            _ => continue,
        };
        // Alternatives share a name: the parsed body has one field for them.
        if seen.contains(&m.name.as_str()) {
            continue;
        }
        seen.push(&m.name);
        let mut doc = vec![m.description.clone()];
        if let Some(f) = format {
            doc.push(text!("Format: `{}`.", f.as_str()));
        }
        w.doc(&doc, &[]);
        let optional = if m.required { "" } else { "?" };
        w.line(text!("readonly {}{optional}: {ty};", property_key(&m.name)));
    }
}

fn code_doc(w: &mut CodeWriter, catalog: &Catalog, e: &ErrorDef) {
    let status = catalog.status(e.status);
    let category = catalog.category(&e.category);
    let mut paras = vec![text!("`{}`: {}", e.code, e.description)];
    paras.push(match e.delivery {
        Delivery::Http => text!("HTTP {} ({}). {}.", e.status, status.description, category.title),
        Delivery::Webhook => text!(
            "Delivered as a webhook event payload, not as an HTTP response; {} is only the envelope's `code`. {}.",
            e.status, category.title
        ),
    });
    paras.push(match &e.message.runtime {
        Some(text) => text!("Message: written by the server at run time: {text}"),
        None => text!("Message: \"{}\"", e.message.source),
    });
    paras.push(match &e.retry {
        RetryPolicy::Never => "Retry: never.".into(),
        RetryPolicy::Backoff { delay_field } => text!(
            "Retry: after {}the `Retry-After` header, else with exponential backoff.",
            delay_field
                .as_ref()
                .map_or(String::new(), |f| text!("`details.{f}` seconds, else "))
        ),
        RetryPolicy::AfterDelay { delay_field } => text!(
            "Retry: after {}the `Retry-After` header, else {} seconds.",
            delay_field
                .as_ref()
                .map_or(String::new(), |f| text!("`details.{f}` seconds, else ")),
            catalog.retry.default_delay_seconds
        ),
    });
    let r = &e.remediation;
    if !r.common_causes.is_empty() {
        paras.push(text!("Common causes:\n{}", bullets(&r.common_causes)));
    }
    if !r.solutions.is_empty() {
        paras.push(text!("Solutions:\n{}", bullets(&r.solutions)));
    }
    if let Some(a) = &r.action {
        paras.push(text!("Action: {a}"));
    }
    let mut tags = Vec::new();
    if let Some(s) = &e.since {
        tags.push(text!("@since {s}"));
    }
    if let Some(d) = &e.deprecated {
        let mut t = "@deprecated".to_string();
        if let Some(s) = &d.since {
            t.push_str(&text!(" Since {s}."));
        }
        t.push_str(&text!(" {}", d.text()));
        tags.push(t);
    }
    tags.push(text!("@see {}", catalog.docs_url(e)));
    w.doc(&paras, &tags);
}

fn bullets(items: &[String]) -> String {
    items
        .iter()
        .map(|i| text!("- {i}"))
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
        &text!("readonly {}{optional}: ", property_key(&p.name)),
        &p.schema,
        ";",
    );
}

fn property_doc(schema: &Schema) -> Vec<String> {
    let mut doc: Vec<String> = schema.description.iter().cloned().collect();
    match &schema.kind {
        SchemaKind::String {
            format: Some(f), ..
        } => doc.push(text!("Format: `{}`.", f.as_str())),
        SchemaKind::Integer { minimum, maximum } => doc.push(match (minimum, maximum) {
            (Some(min), Some(max)) => text!("An integer from {min} to {max}."),
            (Some(min), None) => text!("An integer, at least {min}."),
            (None, Some(max)) => text!("An integer, at most {max}."),
            (None, None) => "An integer.".into(),
        }),
        _ => {}
    }
    doc.extend(
        crate::schema::constraints(schema)
            .into_iter()
            .map(|c| text!("{c}.")),
    );
    doc
}

/// Writes `prefix TYPE suffix`, over several lines when the type contains an object.
fn write_type(w: &mut CodeWriter, prefix: &str, schema: &Schema, suffix: &str) {
    let nullable_suffix;
    let suffix = if schema.nullable {
        nullable_suffix = text!(" | null{suffix}");
        nullable_suffix.as_str()
    } else {
        suffix
    };
    if let Some(t) = inline_type(&schema.kind) {
        w.line(text!("{prefix}{t}{suffix}"));
        return;
    }
    match &schema.kind {
        SchemaKind::Object(o) => {
            w.block(text!("{prefix}{{"), &text!("}}{suffix}"), |w| {
                properties(w, o)
            });
        }
        SchemaKind::Map { values } => {
            w.block(text!("{prefix}{{"), &text!("}}{suffix}"), |w| {
                write_type(w, "readonly [key: string]: ", values, ";")
            });
        }
        SchemaKind::Array { items, .. }
            if matches!(items.kind, SchemaKind::Object(_) | SchemaKind::Map { .. }) =>
        {
            write_type(w, &text!("{prefix}readonly "), items, &text!("[]{suffix}"));
        }
        SchemaKind::Array { items, .. } => {
            write_type(
                w,
                &text!("{prefix}readonly ("),
                items,
                &text!(")[]{suffix}"),
            );
        }
        _ => unreachable!("only objects, maps and arrays of them are not inline"),
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
        } => text!("{} | (string & {{}})", literal_union(values)),
        SchemaKind::String {
            constant: Some(c), ..
        } => string_literal(c),
        SchemaKind::String { .. } => "string".into(),
        SchemaKind::Integer { .. } | SchemaKind::Number { .. } => "number".into(),
        SchemaKind::Boolean => "boolean".into(),
        SchemaKind::Array { items, .. } => {
            let item = inline_type(&items.kind)?;
            if item.contains(' ') {
                text!("readonly ({item})[]")
            } else {
                text!("readonly {item}[]")
            }
        }
        SchemaKind::Map { values } => {
            text!(
                "{{ readonly [key: string]: {} }}",
                inline_type(&values.kind)?
            )
        }
        SchemaKind::Object(_) => return None,
    })
}
