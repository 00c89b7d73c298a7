//! `_details.py`: a frozen dataclass per details object (nested ones included), a type alias per
//! string enum, and for each dataclass a reader (`parse_*`, which reports problems with their
//! paths) and a writer (`dump_*`, the JSON form).

use std::collections::HashSet;

use heck::ToUpperCamelCase;

use super::Chunk;
use super::syntax::{PyWriter, docstring_lines, string_literal};
use crate::model::{ErrorDef, HeaderType, ObjectSchema, Property, Schema, SchemaKind};
use crate::naming;

/// The dataclass of a code's details (`RateLimitedDetails`).
pub fn details_class(e: &ErrorDef) -> String {
    details_class_of(&e.code)
}

/// The dataclass of the details of the code `code`.
pub fn details_class_of(code: &str) -> String {
    text!(
        "{}Details",
        naming::python_class(code).trim_end_matches('_')
    )
}

/// The dataclass of the response headers of the code `code` (`RateLimitedHeaders`).
pub fn headers_class_of(code: &str) -> String {
    text!(
        "{}Headers",
        naming::python_class(code).trim_end_matches('_')
    )
}

/// The attribute of each of a code's response headers, in catalog order: the name in snake
/// case (`X-RateLimit-Limit` -> `x_rate_limit_limit`; `header` for a name without letters or
/// digits), then `_2`, `_3`... when taken; never `to_pairs`, the dataclass's method.
pub fn header_attrs(e: &ErrorDef) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::from(["to_pairs".to_string()]);
    e.headers
        .iter()
        .map(|h| {
            let plain = naming::header_word(&h.name);
            let mut attr = naming::python_attr(&plain);
            let mut n = 2;
            while !taken.insert(attr.clone()) {
                attr = text!("{}_{n}", plain.trim_end_matches('_'));
                n += 1;
            }
            attr
        })
        .collect()
}

/// A code's response headers: a frozen dataclass with a field per header (`None` when it may
/// be absent) and `to_pairs`, the headers as a server sends them.
fn headers_dataclass(w: &mut PyWriter, e: &ErrorDef, after_imports: &mut bool) {
    let name = headers_class_of(&e.code);
    *after_imports = false;
    w.blank();
    w.blank();
    w.line("@dataclass(frozen=True, kw_only=True)");
    w.statement(text!("class {name}:"));
    let attrs = header_attrs(e);
    w.indented(|w| {
        w.docstring(&[text!("The response headers of `{}`.", e.code)]);
        w.blank();
        for (h, attr) in e.headers.iter().zip(&attrs) {
            let ty = match h.schema {
                HeaderType::Integer => "int",
                HeaderType::String => "str",
            };
            if h.required {
                w.field(attr, ty, None);
            } else {
                w.field(attr, &text!("{ty} | None"), Some("None"));
            }
            w.docstring(&docstring_lines(&text!("`{}`: {}", h.name, h.description)));
        }
        w.blank();
        w.line("def to_pairs(self) -> list[tuple[str, str]]:");
        w.indented(|w| {
            w.docstring(&[
                "The headers as (name, value) pairs, in catalog order; absent ones are left out."
                    .into(),
            ]);
            w.block("pairs: list[tuple[str, object]] = [", "]", |w| {
                for (h, attr) in e.headers.iter().zip(&attrs) {
                    let name = string_literal(&h.name);
                    let line = text!("({name}, self.{attr}),");
                    if w.fits(&line) {
                        w.line(line);
                    } else {
                        w.block("(", "),", |w| {
                            w.line(text!("{name},"));
                            w.line(text!("self.{attr},"));
                        });
                    }
                }
            });
            w.line("return [(name, str(value)) for name, value in pairs if value is not None]");
        });
    });
}

/// A type `_details.py` defines for a property nested in a code's details: a dataclass (with
/// its `parse_*`/`dump_*` functions) or a string-enum alias. `validate` checks these names
/// against each other and the package's other names, since they all share `__init__.py`.
pub struct NestedType {
    pub name: String,
    /// The property's dotted path inside the details (`sender.address`).
    pub path: String,
    pub dataclass: bool,
}

/// Every type nested under the details object `owner` (its dataclass name), in declared order,
/// each object before what it holds.
pub fn nested_types(owner: &str, schema: &ObjectSchema) -> Vec<NestedType> {
    fn walk(owner: &str, prefix: &str, schema: &ObjectSchema, out: &mut Vec<NestedType>) {
        for p in &schema.properties {
            let path = if prefix.is_empty() {
                p.name.clone()
            } else {
                text!("{prefix}.{}", p.name)
            };
            let name = nested_name(owner, p);
            match &innermost(&p.schema).kind {
                SchemaKind::String {
                    enum_values: Some(_),
                    ..
                } => out.push(NestedType {
                    name,
                    path,
                    dataclass: false,
                }),
                SchemaKind::Object(o) => {
                    out.push(NestedType {
                        name: name.clone(),
                        path: path.clone(),
                        dataclass: true,
                    });
                    walk(&name, &path, o, out);
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(owner, "", schema, &mut out);
    out
}

/// The name of what a property of the object `owner` needs (a nested dataclass or an enum alias).
fn nested_name(owner: &str, p: &Property) -> String {
    let words: String = p
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    text!("{owner}{}", words.to_upper_camel_case())
}

/// The innermost schema of a property (through arrays).
fn innermost(schema: &Schema) -> &Schema {
    match &schema.kind {
        SchemaKind::Array { items, .. } => innermost(items),
        SchemaKind::Map { values } => innermost(values),
        _ => schema,
    }
}

/// Every enum alias under an object, depth first.
pub fn enum_aliases(name: &str, schema: &ObjectSchema) -> Vec<String> {
    let mut out = Vec::new();
    for p in &schema.properties {
        let inner = innermost(&p.schema);
        match &inner.kind {
            SchemaKind::String {
                enum_values: Some(_),
                ..
            } => out.push(nested_name(name, p)),
            SchemaKind::Object(o) => out.extend(enum_aliases(&nested_name(name, p), o)),
            _ => {}
        }
    }
    out
}

/// The dataclass names of an object and every object nested in it, depth first (the object's
/// own name first).
pub fn object_classes(name: &str, schema: &ObjectSchema) -> Vec<String> {
    let mut out = vec![name.to_string()];
    for p in &schema.properties {
        if let SchemaKind::Object(o) = &innermost(&p.schema).kind {
            out.extend(object_classes(&nested_name(name, p), o));
        }
    }
    out
}

/// `parse_<snake>` / `dump_<snake>` of a dataclass.
pub fn parse_fn(class: &str) -> String {
    text!("parse_{}", naming::snake(class))
}

pub fn dump_fn(class: &str) -> String {
    text!("dump_{}", naming::snake(class))
}

/// The Python type of a property's value (`owner` names nested types), without `| None` for a
/// nullable value (the dataclass field adds it).
fn value_type(owner: &str, p: &Property, schema: &Schema) -> String {
    match &schema.kind {
        SchemaKind::String {
            enum_values: Some(_),
            ..
        } => text!("{} | str", nested_name(owner, p)),
        SchemaKind::String { .. } => "str".into(),
        SchemaKind::Integer { .. } => "int".into(),
        SchemaKind::Number { .. } => "float".into(),
        SchemaKind::Boolean => "bool".into(),
        SchemaKind::Array { items, .. } => {
            text!("tuple[{}, ...]", value_type(owner, p, items))
        }
        SchemaKind::Map { values } => text!("dict[str, {}]", value_type(owner, p, values)),
        SchemaKind::Object(_) => nested_name(owner, p),
    }
}

/// A reader expression: a name, or a call. A call with keyword arguments (whose length grows
/// with the catalog's text, such as a `pattern`), or with an argument that is split, is always
/// written split with a trailing comma, the layout `ruff format` keeps at every length.
enum Expr {
    Atom(String),
    Call {
        name: &'static str,
        args: Vec<Expr>,
        split: bool,
    },
}

impl Expr {
    fn call(name: &'static str, args: Vec<Expr>, split: bool) -> Self {
        let split = split
            || args
                .iter()
                .any(|a| matches!(a, Expr::Call { split: true, .. }));
        Expr::Call { name, args, split }
    }

    fn inline(&self) -> String {
        match self {
            Expr::Atom(s) => s.clone(),
            Expr::Call { name, args, .. } => {
                let args: Vec<String> = args.iter().map(Expr::inline).collect();
                text!("{name}({})", args.join(", "))
            }
        }
    }

    /// Writes `prefix EXPR suffix`: on one line, unless the call is split or that line does not
    /// fit (a split call keeps its trailing comma, so ruff keeps the layout).
    fn write(&self, w: &mut PyWriter, prefix: &str, suffix: &str) {
        let line = text!("{prefix}{}{suffix}", self.inline());
        match self {
            Expr::Call { name, args, split } if *split || !w.fits(&line) => {
                w.block(text!("{prefix}{name}("), &text!("){suffix}"), |w| {
                    for a in args {
                        a.write(w, "", ",");
                    }
                });
            }
            _ => w.line(line),
        }
    }
}

/// The reader expression of a value (a `_runtime.Parser`).
fn parser(owner: &str, p: &Property, schema: &Schema) -> Expr {
    let atom = |s: &str| Expr::Atom(s.to_string());
    let inner = match &schema.kind {
        SchemaKind::String {
            constant,
            pattern,
            min_length,
            max_length,
            ..
        } => {
            let mut args = Vec::new();
            if let Some(c) = constant {
                args.push(Expr::Atom(text!("const={}", string_literal(c))));
            }
            if let Some(source) = pattern
                && let Ok(spelled) = crate::pattern::check(source)
            {
                args.push(Expr::Atom(text!(
                    "pattern={}",
                    string_literal(&spelled.python)
                )));
            }
            if let Some(m) = min_length {
                args.push(Expr::Atom(text!("min_length={m}")));
            }
            if let Some(m) = max_length {
                args.push(Expr::Atom(text!("max_length={m}")));
            }
            if args.is_empty() {
                atom("_runtime.string")
            } else {
                Expr::call("_runtime.constrained_string", args, true)
            }
        }
        SchemaKind::Integer { minimum, maximum } => {
            // At most two integers of at most 17 characters: always fits on a line.
            let mut args = Vec::new();
            if let Some(m) = minimum {
                args.push(Expr::Atom(text!("minimum={m}")));
            }
            if let Some(m) = maximum {
                args.push(Expr::Atom(text!("maximum={m}")));
            }
            Expr::call("_runtime.integer", args, false)
        }
        SchemaKind::Number {
            minimum: None,
            maximum: None,
        } => atom("_runtime.number"),
        SchemaKind::Number { minimum, maximum } => {
            let mut args = Vec::new();
            if let Some(m) = minimum {
                args.push(Expr::Atom(text!("minimum={}", float_literal(*m))));
            }
            if let Some(m) = maximum {
                args.push(Expr::Atom(text!("maximum={}", float_literal(*m))));
            }
            Expr::call("_runtime.bounded_number", args, true)
        }
        SchemaKind::Boolean => atom("_runtime.boolean"),
        SchemaKind::Array {
            items,
            min_items,
            max_items,
        } => {
            let mut args = vec![parser(owner, p, items)];
            if let Some(m) = min_items {
                args.push(Expr::Atom(text!("min_items={m}")));
            }
            if let Some(m) = max_items {
                args.push(Expr::Atom(text!("max_items={m}")));
            }
            let split = args.len() > 1;
            Expr::call("_runtime.array", args, split)
        }
        SchemaKind::Map { values } => {
            Expr::call("_runtime.mapping", vec![parser(owner, p, values)], true)
        }
        SchemaKind::Object(_) => Expr::Atom(parse_fn(&nested_name(owner, p))),
    };
    if schema.nullable {
        Expr::call("_runtime.nullable", vec![inner], true)
    } else {
        inner
    }
}

/// A finite `f64` as a Python number literal spelled as JavaScript prints it (`0`, `0.5`), so
/// both packages report a bound the same way.
fn float_literal(v: f64) -> String {
    if v.abs() >= 1e21 {
        text!("{v:e}")
    } else {
        text!("{v}")
    }
}

/// The writer expression of `value` (JSON data), `depth` naming loop variables; a nullable
/// value's caller handles `None`.
/// The function that turns a value of `schema` into JSON data in one call (`list`, `dict`, a
/// nested object's dumper), if there is one: a scalar needs none, and a list or map of lists,
/// maps or objects a comprehension.
fn dump_call(owner: &str, p: &Property, schema: &Schema) -> Option<String> {
    let compound = |s: &Schema| {
        matches!(
            s.kind,
            SchemaKind::Array { .. } | SchemaKind::Object(_) | SchemaKind::Map { .. }
        )
    };
    match &schema.kind {
        SchemaKind::Array { items, .. } if !compound(items) => Some("list".into()),
        SchemaKind::Map { values } if !compound(values) => Some("dict".into()),
        SchemaKind::Object(_) => Some(dump_fn(&nested_name(owner, p))),
        _ => None,
    }
}

fn dumper(owner: &str, p: &Property, schema: &Schema, value: &str, depth: usize) -> String {
    if let Some(function) = dump_call(owner, p, schema) {
        return text!("{function}({value})");
    }
    match &schema.kind {
        SchemaKind::Array { items, .. } => {
            let v = text!("v{depth}");
            text!(
                "[{} for {v} in {value}]",
                dumper(owner, p, items, &v, depth + 1)
            )
        }
        SchemaKind::Map { values } => {
            let (k, v) = (text!("k{depth}"), text!("v{depth}"));
            text!(
                "{{{k}: {} for {k}, {v} in {value}.items()}}",
                dumper(owner, p, values, &v, depth + 1)
            )
        }
        _ => value.to_string(),
    }
}

/// Writes `out[key] = ...` for a property: a list or map of objects through `_runtime.dump_list`
/// or `_runtime.dump_map`, a required nullable value as `null` when `None`, and an optional value
/// only when set.
fn write_dump(w: &mut PyWriter, owner: &str, p: &Property) {
    let attr = text!("value.{}", naming::python_attr(&p.name));
    let key = text!("out[{}]", string_literal(&p.name));
    let of_objects = |w: &mut PyWriter, helper: &str| {
        let dump = dump_fn(&nested_name(owner, p));
        w.call(&text!("{key} = "), helper, &[&attr, &dump], "");
    };
    let assign = |w: &mut PyWriter| match &p.schema.kind {
        SchemaKind::Map { values } if matches!(values.kind, SchemaKind::Object(_)) => {
            of_objects(w, "_runtime.dump_map");
        }
        SchemaKind::Array { items, .. } if matches!(items.kind, SchemaKind::Object(_)) => {
            of_objects(w, "_runtime.dump_list");
        }
        _ => match dump_call(owner, p, &p.schema) {
            Some(function) => w.call(&text!("{key} = "), &function, &[&attr], ""),
            None => match dumper(owner, p, &p.schema, &attr, 0) {
                value if value == attr => w.assign(&key, &attr),
                value => w.statement(text!("{key} = {value}")),
            },
        },
    };
    if !p.required {
        w.if_header(&attr, "is not None");
        w.indented(assign);
    } else if p.schema.nullable && dumper(owner, p, &p.schema, &attr, 0) != attr {
        w.if_header(&attr, "is None");
        w.indented(|w| w.statement(text!("{key} = None")));
        w.block("else:", "", assign);
    } else {
        // A nullable scalar is written as it is: `None` becomes `null`.
        assign(w);
    }
}

fn property_doc(schema: &Schema) -> Vec<String> {
    let mut lines = schema
        .description
        .as_deref()
        .map(docstring_lines)
        .unwrap_or_default();
    if let SchemaKind::String {
        format: Some(f), ..
    } = &schema.kind
    {
        lines.push(text!("Format: `{}`.", f.as_str()));
    }
    lines.extend(
        crate::schema::constraints(schema)
            .iter()
            .map(|c| text!("{}.", docstring_lines(c).join(" "))),
    );
    lines
}

/// The details module of the codes of `chunk`.
pub fn details_py(chunk: &Chunk, header: &str) -> String {
    let mut w = PyWriter::with_header(header);
    w.docstring(&[
        "Each code's details: a frozen dataclass per object, with its reader and writer.".into(),
    ]);
    w.blank();
    w.line("from __future__ import annotations");
    let any = chunk
        .errors
        .iter()
        .any(|e| e.details.is_some() || !e.headers.is_empty());
    let enums = chunk
        .errors
        .iter()
        .filter_map(|e| e.details.as_ref().map(|d| (e, d)))
        .any(|(e, d)| !enum_aliases(&details_class(e), d).is_empty());
    // With no details, the file ends after the `__future__` import (no trailing blank line).
    if any {
        w.blank();
        w.line("from dataclasses import dataclass");
        let fixed = chunk
            .errors
            .iter()
            .filter_map(|e| e.details.as_ref())
            .any(has_fixed_field);
        if enums {
            w.line("from typing import Literal, TypeAlias");
        } else if fixed {
            w.line("from typing import Literal");
        }
        // Only the details' readers and writers use the runtime.
        if chunk.errors.iter().any(|e| e.details.is_some()) {
            w.blank();
            w.line("from . import _runtime");
        }
    }
    // isort keeps one blank line between the imports and a first statement that is not a
    // class or a function.
    let mut after_imports = true;
    let names = super::catalog::details_exports(chunk);
    if chunk.several && !names.is_empty() {
        w.blank();
        super::catalog::dunder_all(&mut w, &names);
        after_imports = false;
    }
    for e in chunk.errors {
        if let Some(schema) = &e.details {
            let name = details_class(e);
            let doc = vec![text!("Details of `{}`.", e.code)];
            object(&mut w, &name, schema, doc, &mut after_imports);
        }
        if !e.headers.is_empty() {
            headers_dataclass(&mut w, e, &mut after_imports);
        }
    }
    w.finish()
}

/// A dataclass, its enum aliases and nested dataclasses first, then its reader and writer.
fn object(
    w: &mut PyWriter,
    name: &str,
    schema: &ObjectSchema,
    doc: Vec<String>,
    after_imports: &mut bool,
) {
    for p in &schema.properties {
        let inner = innermost(&p.schema);
        match &inner.kind {
            SchemaKind::String {
                enum_values: Some(values),
                ..
            } => {
                w.blank();
                if !*after_imports {
                    w.blank();
                }
                *after_imports = false;
                let alias = text!("{}: TypeAlias", nested_name(name, p));
                w.assign_split(&alias, "Literal[", |w, head| match values.as_slice() {
                    // One value has no trailing comma (`Literal["a",]` would be a tuple, so
                    // ruff joins the lines), and is on one line where it fits.
                    [only] => {
                        let only = string_literal(only);
                        let line = text!("{head}{only}]");
                        if w.fits(&line) {
                            w.line(line);
                        } else {
                            w.block(head, "]", |w| w.line(only));
                        }
                    }
                    _ => w.block(head, "]", |w| {
                        for v in values {
                            w.line(text!("{},", string_literal(v)));
                        }
                    }),
                });
                w.docstring(&[text!(
                    "The values of `{}` this version knows; a newer server may send others.",
                    p.name
                )]);
            }
            SchemaKind::Object(o) => {
                let mut doc = inner
                    .description
                    .as_deref()
                    .map(docstring_lines)
                    .unwrap_or_default();
                if doc.is_empty() {
                    doc.push(text!("The value of `{}`.", p.name));
                }
                object(w, &nested_name(name, p), o, doc, after_imports);
            }
            _ => {}
        }
    }
    *after_imports = false;
    w.blank();
    w.blank();
    w.line("@dataclass(frozen=True, kw_only=True)");
    w.statement(text!("class {name}:"));
    w.indented(|w| {
        w.docstring(&doc);
        if !schema.properties.is_empty() {
            w.blank();
        }
        for p in &schema.properties {
            let ty = value_type(name, p, &p.schema);
            let attr = naming::python_attr(&p.name);
            if let Some(value) = p.fixed_value() {
                // The catalog fixes it: typed as that value, and filled in by default.
                let value = string_literal(value);
                w.field(&attr, &text!("Literal[{value}]"), Some(&value));
            } else if p.required && p.schema.nullable {
                w.field(&attr, &text!("{ty} | None"), None);
            } else if p.required {
                w.field(&attr, &ty, None);
            } else {
                w.field(&attr, &text!("{ty} | None"), Some("None"));
            }
            w.docstring(&property_doc(&p.schema));
        }
        // Without properties the docstring is the whole body (`pass` after it is what ruff
        // calls unnecessary, and would need a blank line between).
    });
    w.blank();
    w.blank();
    w.block(text!("def {}(", parse_fn(name)), "", |w| {
        w.line("value: object,");
        w.line("path: str,");
        w.line("problems: list[str],");
    });
    w.returns(&text!("{name} | None"));
    w.indented(|w| {
        w.docstring(&[text!(
            "`value` as `{name}`, or `None` after appending each problem to `problems`."
        )]);
        w.line("obj = _runtime.as_object(value)");
        w.block("if obj is None:", "", |w| {
            w.line("_runtime.mismatch(value, \"an object\", path, problems)");
            w.line("return None");
        });
        w.line("start = len(problems)");
        for p in &schema.properties {
            let local = text!("{}_value", p.name);
            let read = if p.required { "required" } else { "optional" };
            let call = |w: &mut PyWriter, head: &str| {
                w.block(head, ")", |w| {
                    w.line("obj,");
                    w.line(text!("{},", string_literal(&p.name)));
                    w.line("path,");
                    w.line("problems,");
                    parser(name, p, &p.schema).write(w, "", ",");
                });
            };
            if p.fixed_value().is_some() {
                // Read for its checks only: the class fills in the one value it may have.
                call(w, &text!("_runtime.{read}("));
            } else {
                // The arguments are names, literals and calls split when long, which ruff keeps.
                w.assign_split(&local, &text!("_runtime.{read}("), call);
            }
        }
        w.block("if len(problems) > start:", "", |w| {
            w.line("return None");
        });
        for p in schema
            .properties
            .iter()
            .filter(|p| p.required && !p.schema.nullable && p.fixed_value().is_none())
        {
            w.if_header(&text!("{}_value", p.name), "is None");
            w.indented(|w| w.line("return None"));
        }
        if schema.properties.iter().all(|p| p.fixed_value().is_some()) {
            w.returned(&text!("{name}()"));
        } else {
            w.whole(|w| {
                w.block(text!("return {name}("), ")", |w| {
                    for p in schema
                        .properties
                        .iter()
                        .filter(|p| p.fixed_value().is_none())
                    {
                        w.line(text!("{}={}_value,", naming::python_attr(&p.name), p.name));
                    }
                });
            });
        }
    });
    w.blank();
    w.blank();
    w.block(text!("def {}(", dump_fn(name)), "", |w| {
        w.line(text!("value: {name},"));
    });
    w.line(") -> dict[str, object]:");
    w.indented(|w| {
        w.docstring(&[text!("`{name}` as JSON data.")]);
        w.line("out: dict[str, object] = {}");
        for p in &schema.properties {
            write_dump(w, name, p);
        }
        w.line("return out");
    });
}

/// Whether `schema` or an object nested in it has a field whose value the catalog fixes.
fn has_fixed_field(schema: &ObjectSchema) -> bool {
    fn nested(schema: &Schema) -> bool {
        match &schema.kind {
            SchemaKind::Object(o) => has_fixed_field(o),
            SchemaKind::Array { items, .. } => nested(items),
            SchemaKind::Map { values } => nested(values),
            _ => false,
        }
    }
    schema
        .properties
        .iter()
        .any(|p| p.fixed_value().is_some() || nested(&p.schema))
}
