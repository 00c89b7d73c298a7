//! `src/code.rs` (a row per code and per category in `error_codes!` and `categories!`) and
//! `src/retry.rs`.

use std::fmt::Write as _;

use super::doc::{self, Doc};
use super::{Cx, string};
use crate::conformance::{MAX_DEPTH, STATUS_RANGE};
use crate::model::{
    Catalog, Delivery, EnvelopeFieldName, ErrorDef, ObjectSchema, RetryPolicy, Schema, SchemaKind,
};
use crate::naming;

/// The documentation of a code's `ErrorCode` variant, but for what `error_codes!` adds from
/// the row (status, category, retry policy, docs link).
pub fn code_doc(def: &ErrorDef) -> Doc {
    let mut d = Doc::new()
        .raw(text!("`{}`: {}", def.code, doc::inline(&def.description)))
        .para();
    if let Some(since) = &def.since {
        d = d.raw(text!("Since {}.", doc::inline(since))).para();
    }
    if def.delivery == Delivery::Webhook {
        d = d
            .raw(text!(
                "Delivered as a webhook event payload, not as an HTTP response: {} is only the envelope's `code` value.",
                def.status
            ))
            .para();
    }
    if let Some(dep) = &def.deprecated {
        let mut line = String::from("**Deprecated**");
        if let Some(since) = &dep.since {
            line.push_str(&text!(" since {}", doc::inline(since)));
        }
        line.push_str(&text!(": {}", doc::inline(&reason_only(dep))));
        if let Some(to) = &dep.replaced_by {
            line.push_str(&text!(
                " Use [`ErrorCode::{}`] (`{to}`) instead.",
                naming::pascal(to)
            ));
        }
        d = d.raw(line).para();
    }
    let r = &def.remediation;
    if !r.common_causes.is_empty() {
        d = d.raw("Common causes:").para();
        for cause in &r.common_causes {
            d = d.raw(text!("- {}", doc::item(cause)));
        }
        d = d.para();
    }
    if !r.solutions.is_empty() {
        d = d.raw("Solutions:").para();
        for s in &r.solutions {
            d = d.raw(text!("- {}", doc::item(s)));
        }
        d = d.para();
    }
    if let Some(action) = &r.action {
        d = d.raw(text!("Action: {}", doc::inline(action))).para();
    }
    d
}

/// A `RetryPolicy` value as a row writes it (the variant, and its fields).
fn policy_row(policy: &RetryPolicy) -> String {
    match policy {
        RetryPolicy::Never => "Never".into(),
        RetryPolicy::AfterDelay {
            delay_field: Some(f),
        } => text!("AfterDelay {{ delay_field: Some({}) }}", string(f)),
        RetryPolicy::AfterDelay { delay_field: None } => "AfterDelay { delay_field: None }".into(),
        RetryPolicy::Backoff {
            delay_field: Some(f),
        } => text!("Backoff {{ delay_field: Some({}) }}", string(f)),
        RetryPolicy::Backoff { delay_field: None } => "Backoff { delay_field: None }".into(),
    }
}

/// The expression that reads a code's delay (seconds, `Option<u64>`) from its details `d`.
fn delay_expr(def: &ErrorDef) -> Option<String> {
    let (Some(f), Some(schema)) = (def.retry.delay_field(), &def.details) else {
        return None;
    };
    let p = schema.property(f)?;
    let field = naming::rust_snake(f);
    if let SchemaKind::Number { .. } = p.schema.kind {
        // Seconds as a number: rounded up, within 2^53 - 1 (`model::delay_seconds`).
        let value = if p.required && !p.schema.nullable {
            text!("Some(d.{field})")
        } else {
            text!("d.{field}")
        };
        return Some(text!(
            "{value}.filter(|v| *v >= 0.0 && v.ceil() <= crate::check::MAX_SAFE_INTEGER as f64).map(|v| v.ceil() as u64)"
        ));
    }
    let unsigned = matches!(p.schema.kind, SchemaKind::Integer { minimum: Some(m), .. } if m >= 0);
    Some(match (p.required && !p.schema.nullable, unsigned) {
        (true, true) => text!("Some(d.{field})"),
        (true, false) => text!("u64::try_from(d.{field}).ok()"),
        (false, true) => text!("d.{field}"),
        (false, false) => text!("d.{field}.and_then(|v| u64::try_from(v).ok())"),
    })
}

pub fn code(cx: &Cx) -> String {
    let c = cx.catalog;
    let mut out = String::from(
        "//! The catalog's codes: [`ErrorCode`] with what the catalog says about each, [`ErrorKind`]\n\
         //! (a code with its typed details), the constructors of the error type, and [`Category`].\n\n",
    );
    // The rows' `schema:` values name these.
    let schemas: Vec<&ObjectSchema> = c.errors.iter().filter_map(|e| e.details.as_ref()).collect();
    let names: Vec<&str> = [
        ("Field", schemas.iter().any(|o| !o.properties.is_empty())),
        ("Pattern", uses_pattern(c)),
        ("Schema", !schemas.is_empty()),
    ]
    .into_iter()
    .filter_map(|(name, used)| used.then_some(name))
    .collect();
    match names.as_slice() {
        [] => {}
        [name] => {
            let _ = writeln!(out, "use crate::check::{name};");
        }
        names => {
            let _ = writeln!(out, "use crate::check::{{{}}};", names.join(", "));
        }
    }
    out.push_str("use std::fmt;\n\n");
    out.push_str(include_str!("fixed/codes.rs"));
    let _ = write!(
        out,
        "\nerror_codes! {{\n    error: {};\n    unknown: {};\n",
        cx.error_type, cx.unknown
    );
    for e in &cx.errors {
        let def = e.def;
        out.push('\n');
        out.push_str(&code_doc(def).outer(4));
        let category = naming::pascal(&def.category);
        let _ = writeln!(out, "    {} = {} {{", e.variant, string(&def.code));
        let _ = writeln!(out, "        status: {},", def.status);
        let _ = writeln!(out, "        category: {category},");
        let _ = writeln!(out, "        retry: {},", policy_row(&def.retry));
        let _ = writeln!(out, "        docs_url: {},", string(&c.docs_url(def)));
        let _ = writeln!(out, "        description: {},", string(&def.description));
        let _ = writeln!(out, "        template: {},", string(&def.message.source));
        let _ = writeln!(
            out,
            "        webhook: {},",
            def.delivery == Delivery::Webhook
        );
        let _ = writeln!(out, "        constructor: {},", e.ctor);
        if def.message.is_runtime() {
            // The server writes the message: the constructor takes it as `message`.
            let _ = writeln!(out, "        runtime_message: message,");
        }
        match &e.details {
            Some(details) => {
                let _ = writeln!(out, "        details: crate::{details},");
                if let Some(schema) = &def.details {
                    let _ = writeln!(out, "        schema: {},", object_expr(schema));
                }
            }
            None if def.message.is_runtime() => {}
            None => {
                let message = crate::template::render(&def.message, None, None);
                let _ = writeln!(out, "        message: {},", string(&message));
            }
        }
        if let Some(headers) = &e.headers {
            let _ = writeln!(out, "        headers: crate::{headers},");
        }
        if let Some(delay) = delay_expr(def) {
            let _ = writeln!(out, "        delay(d): {delay},");
        }
        if let Some(dep) = &def.deprecated {
            // rustdoc shows the note as Markdown: the reason is escaped as doc text is.
            let mut note = doc::inline(&reason_only(dep));
            if let Some(to) = &dep.replaced_by {
                note.push_str(&text!(" Use {} instead.", doc::code(to)));
            }
            let _ = writeln!(out, "        deprecated: {},", string(&note));
        }
        out.push_str("    }\n");
    }
    out.push_str("}\n\ncategories! {\n");
    for cat in &c.categories {
        let doc = Doc::new().raw(text!("`{}`: {}", cat.id, doc::inline(&cat.title)));
        out.push_str(&doc.outer(4));
        let _ = writeln!(
            out,
            "    {} = {}, {};",
            naming::pascal(&cat.id),
            string(&cat.id),
            string(&cat.title)
        );
    }
    // rustfmt writes an invocation without rows on one line.
    out.push_str(if c.retired.is_empty() {
        "}\n\nretired_codes! {}\n"
    } else {
        "}\n\nretired_codes! {\n"
    });
    for (i, r) in c.retired.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let replaced_by = r.replaced_by.as_ref().map_or("None".into(), |to| {
            text!("Some(ErrorCode::{})", naming::pascal(to))
        });
        let docs_url = r.category.as_ref().map_or("None".into(), |cat| {
            let url = text!(
                "{}/{}.html#{}",
                c.api.docs_url,
                naming::docs_page(cat),
                naming::docs_anchor(&r.code)
            );
            text!("Some({})", string(&url))
        });
        let _ = writeln!(out, "    {} {{", string(&r.code));
        let _ = writeln!(out, "        version: {},", string(&r.version));
        let _ = writeln!(out, "        reason: {},", string(&r.reason));
        let _ = writeln!(out, "        replaced_by: {replaced_by},");
        let _ = writeln!(out, "        docs_url: {docs_url},");
        out.push_str("    }\n");
    }
    if !c.retired.is_empty() {
        out.push_str("}\n");
    }
    out.push('\n');
    out.push_str(include_str!("fixed/code_impls.rs"));
    out
}

pub fn retry(cx: &Cx) -> String {
    let r = &cx.catalog.retry;
    let mut out = String::from(include_str!("fixed/retry.rs"));
    let _ = write!(
        out,
        "\n/// The catalog's retry parameters.\n\
         pub const RETRY: RetryConfig = RetryConfig {{\n    \
         max_attempts: {},\n    \
         initial_delay_ms: {},\n    \
         multiplier: {},\n    \
         max_delay_ms: {},\n    \
         default_delay_seconds: {},\n\
         }};\n",
        r.max_attempts, r.initial_delay_ms, r.multiplier, r.max_delay_ms, r.default_delay_seconds
    );
    out
}

/// `src/check.rs`: the checks before typing, with the catalog's required envelope fields and
/// the shared limits (`conformance`) put in.
pub fn check(cx: &Cx) -> String {
    // Another wire's pieces are checked like the envelope's, once read; only the code is
    // always there (a status-less wire has no `code`, and the message may be absent).
    let flat = cx.catalog.wire.preset == crate::wire::Preset::Flat;
    let required: Vec<String> = EnvelopeFieldName::ALL
        .iter()
        .filter(|name| cx.catalog.envelope.field(**name).required)
        .filter(|name| flat || **name == EnvelopeFieldName::Error)
        .map(|name| string(name.as_str()))
        .collect();
    let mut out = include_str!("fixed/check.rs")
        .replace("@max_depth", &MAX_DEPTH.to_string())
        .replace("@envelope_required", &required.join(", "))
        .replace("@status_min", &STATUS_RANGE.0.to_string())
        .replace("@status_max", &STATUS_RANGE.1.to_string());
    if cx.errors.iter().any(|e| e.details.is_some()) {
        out.push('\n');
        out.push_str(include_str!("fixed/check_details.rs"));
    }
    out.push('\n');
    if uses_pattern(cx.catalog) {
        out = out.replacen("use serde_json", PATTERN_USES, 1);
        out.push_str(include_str!("fixed/check_pattern.rs"));
    } else {
        out.push_str(include_str!("fixed/check_no_pattern.rs"));
    }
    out
}

/// The `use` items `fixed/check_pattern.rs` needs, before the one of `fixed/check.rs`.
const PATTERN_USES: &str = "use std::collections::BTreeMap;\nuse std::sync::{Mutex, PoisonError};\n\nuse regex::Regex;\nuse serde_json";

/// Whether any details schema of the catalog has a `pattern` (the crate then depends on
/// `regex`).
pub fn uses_pattern(catalog: &Catalog) -> bool {
    fn schema(s: &Schema) -> bool {
        match &s.kind {
            SchemaKind::String { pattern, .. } => pattern.is_some(),
            SchemaKind::Array { items, .. } => schema(items),
            SchemaKind::Map { values } => schema(values),
            SchemaKind::Object(o) => object(o),
            _ => false,
        }
    }
    fn object(o: &ObjectSchema) -> bool {
        o.properties.iter().any(|p| schema(&p.schema))
    }
    catalog
        .errors
        .iter()
        .any(|e| e.details.as_ref().is_some_and(object))
}

/// A details schema as `check::Schema` data, for the `schema:` of an `error_codes!` row.
fn schema_expr(schema: &Schema) -> String {
    fn opt<T: std::fmt::Display>(b: &Option<T>) -> String {
        b.as_ref()
            .map_or("None".to_string(), |n| text!("Some({n})"))
    }
    fn float(b: &Option<f64>) -> String {
        b.map_or("None".to_string(), |n| text!("Some({n:?})"))
    }
    let kind = match &schema.kind {
        SchemaKind::String {
            constant,
            pattern,
            min_length,
            max_length,
            ..
        } => text!(
            "Schema::String({}, {}, {}, {})",
            constant
                .as_ref()
                .map_or("None".to_string(), |c| text!("Some({})", string(c))),
            pattern.as_deref().map_or("None".to_string(), |p| {
                // Validation accepted the pattern, so it has a Rust spelling.
                let rust = crate::pattern::check(p).map_or_else(|_| p.to_string(), |s| s.rust);
                text!("Some(Pattern({}))", string(&rust))
            }),
            opt(min_length),
            opt(max_length)
        ),
        SchemaKind::Integer { minimum, maximum } => {
            text!("Schema::Integer({}, {})", opt(minimum), opt(maximum))
        }
        SchemaKind::Number { minimum, maximum } => {
            text!("Schema::Number({}, {})", float(minimum), float(maximum))
        }
        SchemaKind::Boolean => "Schema::Boolean".into(),
        SchemaKind::Array {
            items,
            min_items,
            max_items,
        } => text!(
            "Schema::Array(&{}, {}, {})",
            schema_expr(items),
            opt(min_items),
            opt(max_items)
        ),
        SchemaKind::Map { values } => {
            text!("Schema::Map(&{})", schema_expr(values))
        }
        SchemaKind::Object(o) => object_expr(o),
    };
    if schema.nullable {
        text!("Schema::Nullable(&{kind})")
    } else {
        kind
    }
}

fn object_expr(o: &ObjectSchema) -> String {
    let fields: Vec<String> = o
        .properties
        .iter()
        .map(|p| {
            text!(
                "Field({}, {}, {})",
                string(&p.name),
                p.required,
                schema_expr(&p.schema)
            )
        })
        .collect();
    text!("Schema::Object(&[{}])", fields.join(", "))
}

/// A deprecation's reason as a sentence, without its "Use `x` instead.", which each place
/// writes in its own way (a doc link, a code span).
fn reason_only(dep: &crate::model::Deprecation) -> String {
    crate::model::Deprecation {
        replaced_by: None,
        ..dep.clone()
    }
    .text()
}
