//! `src/details.rs`: a `details!` row per code's details (nested enums and objects in a module
//! per code), with its message template, and a `headers!` row per code's response headers.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::doc::{self, Doc};
use super::{Code, Cx, Namer, string};
use crate::model::{Filter, HeaderType, ObjectSchema, Schema, SchemaKind, TemplatePart};
use crate::naming;

/// Items of one code's module of nested types, as text at 4 spaces.
struct Nested {
    names: Namer,
    items: Vec<String>,
}

/// The Rust type of a schema; nested types are added to `nested` and referred to via `prefix`.
fn rust_type(schema: &Schema, hint: &str, nested: &mut Nested, prefix: &str) -> String {
    match &schema.kind {
        SchemaKind::String {
            enum_values: Some(values),
            labels,
            ..
        } => {
            let name = nested.names.take(&naming::pascal(hint));
            let item = string_enum(&name, values, labels, schema.description.as_deref());
            nested.items.push(item);
            text!("{prefix}{name}")
        }
        SchemaKind::String { .. } => "String".into(),
        SchemaKind::Integer {
            minimum: Some(m), ..
        } if *m >= 0 => "u64".into(),
        SchemaKind::Integer { .. } => "i64".into(),
        SchemaKind::Number { .. } => "f64".into(),
        SchemaKind::Boolean => "bool".into(),
        SchemaKind::Array { items, .. } => {
            let inner = rust_type(items, &text!("{hint}_item"), nested, prefix);
            text!("Vec<{inner}>")
        }
        SchemaKind::Map { values } => {
            let inner = rust_type(values, &text!("{hint}_value"), nested, prefix);
            text!("std::collections::BTreeMap<String, {inner}>")
        }
        SchemaKind::Object(obj) => {
            let name = nested.names.take(&naming::pascal(hint));
            let doc = Doc::new().text(schema.description.as_deref().unwrap_or("A nested object."));
            let (fields, constants) = struct_fields(obj, nested, "", 12);
            let mut item = String::from("    details! {\n");
            item.push_str(&doc.outer(8));
            let body = if fields.is_empty() {
                String::new()
            } else {
                text!("\n{fields}        ")
            };
            let _ = write!(
                item,
                "        pub struct {name} {{{body}}}\n{constants}    }}\n"
            );
            nested.items.push(item);
            text!("{prefix}{name}")
        }
    }
}

/// The fields of a struct for `obj`, at `indent` spaces, then its `constants { ... }` block at
/// `indent - 4` (the fields whose value is fixed); nested types go to `nested`.
fn struct_fields(
    obj: &ObjectSchema,
    nested: &mut Nested,
    prefix: &str,
    indent: usize,
) -> (String, String) {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    let mut constants = String::new();
    for (p, value) in obj
        .properties
        .iter()
        .filter_map(|p| Some((p, p.fixed_value()?)))
    {
        let mut doc = match &p.schema.description {
            Some(d) => Doc::new().text(d),
            None => Doc::new().raw(text!("The {} field.", doc::code(&p.name))),
        };
        doc = doc
            .para()
            .raw("Every body carries this value; it is written for you.");
        constants.push_str(&doc.outer(indent));
        let _ = writeln!(
            constants,
            "{pad}{} => pub const {} = {};",
            string(&p.name),
            constant_name(&p.name),
            string(value)
        );
    }
    if !constants.is_empty() {
        let outer = " ".repeat(indent - 4);
        constants = text!("{outer}constants {{\n{constants}{outer}}}\n");
    }
    for p in obj.properties.iter().filter(|p| p.fixed_value().is_none()) {
        let field = naming::rust_snake(&p.name);
        let ty = rust_type(&p.schema, &p.name, nested, prefix);
        let doc = match &p.schema.description {
            Some(d) => Doc::new().text(d),
            None => Doc::new().raw(text!("The {} field.", doc::code(&p.name))),
        };
        out.push_str(&doc.outer(indent));
        // Only a field that may be absent is `optional` (left out when `None`); a required
        // nullable one is `Option` too, but always sent (`null` when `None`).
        let optional = if p.required { "" } else { "optional " };
        let ty = if p.required && !p.schema.nullable {
            ty
        } else {
            text!("Option<{ty}>")
        };
        let wire = string(&p.name);
        let _ = writeln!(out, "{pad}{optional}{wire} => pub {field}: {ty},");
    }
    (out, constants)
}

/// The associated constant of a field whose value is fixed (`kind` -> `KIND`).
pub fn constant_name(property: &str) -> String {
    naming::rust_snake_plain(property).to_uppercase()
}

/// A `string_enum!` row: a variant per value, and one for values this version does not know.
fn string_enum(
    name: &str,
    values: &[String],
    labels: &[(String, String)],
    description: Option<&str>,
) -> String {
    // The catch-all's name is taken first, and a value `unknown` is `Unknown_`, so that no
    // value can move either.
    let mut names = Namer::new(&[super::UNKNOWN]);
    let variants: Vec<String> = values
        .iter()
        .map(|v| names.take(&super::not_unknown(naming::pascal(v))))
        .collect();
    let other = super::UNKNOWN;
    let mut out = String::from("    string_enum! {\n");
    out.push_str(
        &Doc::new()
            .text(description.unwrap_or(
                "One of a set of string values; a value a newer server adds reads as `Unknown`.",
            ))
            .outer(8),
    );
    let _ = writeln!(out, "        pub enum {name} {{");
    for (v, variant) in values.iter().zip(&variants) {
        let mut d = Doc::new().raw(text!("The value {}.", doc::code(v)));
        if let Some((_, label)) = labels.iter().find(|(k, _)| k == v) {
            d = d.para().raw("Reads in messages as:").text(label);
        }
        out.push_str(&d.outer(12));
        let _ = writeln!(out, "            {variant} = {},", string(v));
    }
    let _ = writeln!(out, "        }}\n        unknown: {other};\n    }}");
    out
}

/// Whether a template part of any code's message reads a field (so `text` is needed).
fn reads_fields(cx: &Cx) -> bool {
    cx.errors.iter().any(|e| {
        e.def.details.as_ref().is_some_and(|d| {
            e.def.message.parts.iter().any(|p| {
                // A fixed field's placeholder is text in the row (`message_part`).
                matches!(p, TemplatePart::Field { name, .. }
                    if d.property(name).is_none_or(|p| p.fixed_value().is_none()))
            })
        })
    })
}

pub fn details(cx: &Cx) -> String {
    let mut out = String::from(
        "//! Typed details (the `details` object of an error body) and response headers of each\n\
         //! code. Unknown fields in a body's details are ignored when parsing.\n",
    );
    let any_details = cx.errors.iter().any(|e| e.details.is_some());
    let any_enum = cx.errors.iter().any(|e| {
        e.def
            .details
            .as_ref()
            .is_some_and(|d| d.properties.iter().any(|p| has_string_enum(&p.schema)))
    });
    // `details!` writes serde impls through `Object` for structs with fields (constants
    // included), and reads them through `Fields` for structs with fields that are not fixed
    // (a nested object's property never is, so the top level decides).
    let any_object = cx.errors.iter().any(|e| {
        e.def
            .details
            .as_ref()
            .is_some_and(|d| !d.properties.is_empty())
    });
    let any_fields = cx.errors.iter().any(|e| {
        e.def
            .details
            .as_ref()
            .is_some_and(|d| d.properties.iter().any(|p| p.fixed_value().is_none()))
    });
    let any_headers = cx.errors.iter().any(|e| e.headers.is_some());
    for (used, source) in [
        (any_details, include_str!("fixed/details.rs")),
        (any_object, include_str!("fixed/details_object.rs")),
        (any_fields, include_str!("fixed/details_fields.rs")),
        (reads_fields(cx), include_str!("fixed/text.rs")),
        (reads_fields(cx), include_str!("fixed/float_text.rs")),
        (any_enum, include_str!("fixed/string_enum.rs")),
        (any_headers, include_str!("fixed/headers.rs")),
    ] {
        if used {
            out.push('\n');
            out.push_str(source);
        }
    }
    for code in &cx.errors {
        if let (Some(name), Some(schema)) = (&code.details, &code.def.details) {
            out.push('\n');
            details_struct(&mut out, code, name, schema);
        }
        if let Some(name) = &code.headers {
            out.push('\n');
            headers_struct(&mut out, code, name);
        }
    }
    out
}

/// Whether the schema is, or holds, a string enum.
fn has_string_enum(schema: &Schema) -> bool {
    match &schema.kind {
        SchemaKind::String { enum_values, .. } => enum_values.is_some(),
        SchemaKind::Array { items, .. } => has_string_enum(items),
        SchemaKind::Map { values } => has_string_enum(values),
        SchemaKind::Object(obj) => obj.properties.iter().any(|p| has_string_enum(&p.schema)),
        _ => false,
    }
}

fn details_struct(out: &mut String, code: &Code, name: &str, schema: &ObjectSchema) {
    let def = code.def;
    let module = &code.module;
    let mut nested = Nested {
        names: Namer::new(&[]),
        items: Vec::new(),
    };
    let prefix = text!("self::{module}::");
    let (fields, constants) = struct_fields(schema, &mut nested, &prefix, 8);
    let variant = &code.variant;
    let doc = Doc::new().raw(text!(
        "The details of [`ErrorCode::{variant}`](crate::ErrorCode::{variant}) (`{}`).",
        def.code
    ));
    out.push_str("details! {\n");
    out.push_str(&doc.outer(4));
    let body = if fields.is_empty() {
        String::new()
    } else {
        text!("\n{fields}    ")
    };
    let _ = writeln!(out, "    pub struct {name} {{{body}}}");
    if !constants.is_empty() {
        out.push('\n');
        out.push_str(&constants);
    }
    if def.message.is_runtime() {
        // The server writes the message: no `message()` from the details.
        out.push_str("}\n");
        nested_module(out, name, module, &nested.items);
        return;
    }
    out.push_str("\n    message: [");
    // Text next to text (a fixed field's value beside the template's words) is one part.
    let mut parts: Vec<Result<String, String>> = Vec::new();
    for part in &def.message.parts {
        match (message_part(part, schema), parts.last_mut()) {
            (Ok(text), Some(Ok(before))) => before.push_str(&text),
            (part, _) => parts.push(part),
        }
    }
    let parts: Vec<String> = parts
        .into_iter()
        .map(|part| part.map_or_else(|field| field, |text| string(&text)))
        .collect();
    out.push_str(&parts.join(", "));
    out.push_str("];\n}\n");
    nested_module(out, name, module, &nested.items);
}

/// The module of the types nested in the details struct `name`, if it has any. A code named
/// `details` gets `details::details`, which clippy's `module_inception` would flag.
fn nested_module(out: &mut String, name: &str, module: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let doc = Doc::new().raw(text!("Types nested in [`{name}`]."));
    out.push('\n');
    out.push_str(&doc.outer(0));
    if module == "details" {
        out.push_str(
            "#[allow(clippy::module_inception, reason = \"the code is named `details`\")]\n",
        );
    }
    let _ = writeln!(out, "pub mod {module} {{");
    out.push_str(&items.join("\n"));
    out.push_str("}\n");
}

/// One part of a `message: [...]` row: `Ok` with text (the template's, or a fixed field's
/// value), or `Err` with `{field}` and its filter (validation makes every placeholder a
/// required field).
fn message_part(part: &TemplatePart, schema: &ObjectSchema) -> Result<String, String> {
    let (name, filter) = match part {
        TemplatePart::Text(s) => return Ok(s.clone()),
        TemplatePart::Field { name, filter } => (name, filter),
    };
    let property = schema.property(name);
    // A fixed field's value is known: the message holds it as text.
    if let Some(p) = property
        && let Some(value) = p.fixed_value()
    {
        return Ok(match filter {
            None => value.to_string(),
            Some(Filter::Capitalize) => crate::template::capitalize(value),
            Some(Filter::Label) => match &p.schema.kind {
                SchemaKind::String { labels, .. } => labels
                    .iter()
                    .find(|(k, _)| k == value)
                    .map_or(value, |(_, label)| label)
                    .to_string(),
                _ => value.to_string(),
            },
        });
    }
    let mut out = text!("{{{}", naming::rust_snake(name));
    match filter {
        None => {}
        Some(Filter::Capitalize) => out.push_str(" | capitalize"),
        Some(Filter::Label) => {
            let labels = match property.map(|p| &p.schema.kind) {
                Some(SchemaKind::String { labels, .. }) => labels.as_slice(),
                _ => &[],
            };
            out.push_str(" | label");
            let pairs: Vec<String> = labels
                .iter()
                .map(|(k, v)| text!(" {} => {}", string(k), string(v)))
                .collect();
            out.push_str(&pairs.join(","));
        }
    }
    out.push('}');
    Err(out)
}

fn headers_struct(out: &mut String, code: &Code, name: &str) {
    let def = code.def;
    let variant = &code.variant;
    let doc = Doc::new().raw(text!(
        "The response headers of [`ErrorCode::{variant}`](crate::ErrorCode::{variant}) (`{}`).",
        def.code
    ));
    out.push_str("headers! {\n");
    out.push_str(&doc.outer(4));
    let _ = writeln!(out, "    pub struct {name} {{");
    for (h, field) in def.headers.iter().zip(header_fields(code)) {
        let doc = Doc::new()
            .raw(text!("{}:", doc::code(&h.name)))
            .text(&h.description);
        out.push_str(&doc.outer(8));
        let ty = match h.schema {
            HeaderType::Integer => "u64",
            HeaderType::String => "String",
        };
        let ty = if h.required {
            ty.to_string()
        } else {
            text!("Option<{ty}>")
        };
        let _ = writeln!(out, "        {} => pub {field}: {ty},", string(&h.name));
    }
    out.push_str("    }\n}\n");
}

/// The field names of a code's headers struct, in catalog order: the name in snake case
/// (`header` for a name without letters or digits, such as `-`), then `_2`, `_3`... when taken.
pub fn header_fields(code: &Code) -> Vec<String> {
    let mut names = HashSet::new();
    code.def
        .headers
        .iter()
        .map(|h| {
            let plain = naming::header_word(&h.name);
            let mut base = naming::rust_snake(&plain);
            let mut n = 2;
            while !names.insert(base.clone()) {
                base = text!("{plain}_{n}");
                n += 1;
            }
            base
        })
        .collect()
}
