//! `_errors.py`: a class per category, an exception class per code (its constructor renders the
//! message from the template, as `template::render` does), and the table the base class parses
//! known codes with.

use super::Chunk;
use super::catalog::import_from;
use super::details::{details_class, dump_fn, headers_class_of, parse_fn};
use super::syntax::{PyWriter, docstring_lines, string_literal};
use crate::model::{Catalog, Category, ErrorDef, Filter, SchemaKind, TemplatePart};
use crate::naming;
use crate::wire::{FieldType, Role};

/// How a code's constructor takes its details.
pub enum DetailsParam {
    /// No schema: the raw object, if any.
    Raw,
    /// A schema with required fields: the dataclass, required.
    Required(String),
    /// A schema without required fields: the dataclass, optional.
    Optional(String),
}

impl DetailsParam {
    pub fn of(e: &ErrorDef) -> Self {
        details_param(e)
    }
}

fn details_param(e: &ErrorDef) -> DetailsParam {
    match &e.details {
        None => DetailsParam::Raw,
        Some(d) if d.properties.iter().any(|p| p.required) => {
            DetailsParam::Required(details_class(e))
        }
        Some(_) => DetailsParam::Optional(details_class(e)),
    }
}

/// A wire field a code's constructor takes as a keyword argument (RFC 9457 `instance`, a
/// custom wire's fields, AIP-193's `retry_delay` and localized message): every free field of
/// the wire but `request_id` and `timestamp`, which `envelope_params` covers.
pub struct FieldParam {
    /// The field's name in the neutral form (the key of `fields`).
    pub name: String,
    /// The parameter (`naming::python_param`).
    pub param: String,
    pub ty: &'static str,
    /// Whether every body carries it: then the argument has no default.
    pub required: bool,
}

/// The envelope's own parameters every code's constructor takes: `request_id` and `timestamp`
/// for the flat envelope, and of them, those a wire declares as its fields. A wire without them
/// has no place to write them, so a constructor that took them would drop them silently.
pub fn envelope_params(catalog: &Catalog) -> Vec<&'static str> {
    ["request_id", "timestamp"]
        .into_iter()
        .filter(|name| {
            catalog.wire.preset == crate::wire::Preset::Flat
                || catalog.wire.members.iter().any(|m| m.name == *name)
        })
        .collect()
}

/// The field parameters of every code's constructor, in wire order: every field but
/// `request_id` and `timestamp`, the envelope's own (`envelope_params`).
/// `validate` rejects fields whose parameters meet (`class` and `class_`).
pub fn field_params(catalog: &Catalog) -> Vec<FieldParam> {
    let mut out: Vec<FieldParam> = Vec::new();
    for m in &catalog.wire.members {
        let ty = match &m.role {
            Role::Field {
                kind: FieldType::Integer,
                ..
            } => "int",
            Role::Field { .. } | Role::RetryDelay => "str",
            _ => continue,
        };
        if matches!(m.name.as_str(), "request_id" | "timestamp") {
            continue;
        }
        let param = naming::python_param(&m.name);
        out.push(FieldParam {
            name: m.name.clone(),
            param,
            ty,
            required: m.required,
        });
    }
    out
}

/// The fixed names `_errors.py` imports from `_base` (with the error type), beside `ErrorCode`
/// from `_catalog` and `Mapping` and `cast` from the standard library; their class names are in
/// `naming::PYTHON_RESERVED_CLASSES`, so no code's class, defined in the same module, takes one.
pub const BASE_IMPORTS: [&str; 3] = ["KNOWN", "Envelope", "Known"];

fn snake(code: &str) -> String {
    naming::python_member(code).to_ascii_lowercase()
}

/// The module of the codes of `chunk`: `_errors.py` also holds a class per category, which
/// the later modules import from it.
pub fn errors_py(catalog: &Catalog, chunk: &Chunk, header: &str) -> String {
    let class = &catalog.api.packages.error_type;
    let errors = chunk.errors;
    let mut w = PyWriter::with_header(header);
    w.docstring(&[if chunk.is_first() {
        "An exception class per category and per code, and how each code is parsed.".into()
    } else {
        "More codes' exception classes (after `_errors.py`), and how each code is parsed.".into()
    }]);
    w.blank();
    w.line("from __future__ import annotations");
    w.blank();
    let raw = errors.iter().any(|e| e.details.is_none());
    if raw {
        w.line("from collections.abc import Mapping");
    }
    if field_params(catalog).iter().any(|f| f.required) {
        w.line("from typing import cast");
    }
    if raw || field_params(catalog).iter().any(|f| f.required) {
        w.blank();
    }
    let templated = errors
        .iter()
        .any(|e| !e.message.is_constant() && !e.message.is_runtime());
    if templated {
        w.line("from . import _runtime");
    }
    let mut base: Vec<String> = BASE_IMPORTS.map(String::from).to_vec();
    base.push(class.clone());
    // Only codes with a details schema read their details through it.
    if errors.iter().any(|e| e.details.is_some()) {
        base.push("read_details".into());
    }
    import_from(&mut w, "._base", &base);
    import_from(&mut w, "._catalog", &["ErrorCode".into()]);
    let mut details_names = Vec::new();
    for e in errors {
        if e.details.is_some() {
            let name = details_class(e);
            details_names.push(parse_fn(&name));
            details_names.push(dump_fn(&name));
            details_names.push(name);
        }
        if !e.headers.is_empty() {
            details_names.push(headers_class_of(&e.code));
        }
    }
    import_from(&mut w, &text!("._details{}", chunk.suffix), &details_names);
    if !chunk.is_first() {
        let mut categories: Vec<String> = errors
            .iter()
            .map(|e| naming::python_category_class(&e.category))
            .collect();
        categories.sort();
        categories.dedup();
        import_from(&mut w, "._errors", &categories);
    }
    // Each code's class overrides the base class's `error_code`, `details` and `details_dict`.
    w.line("from ._runtime import override");
    if chunk.several {
        w.blank();
        super::catalog::dunder_all(&mut w, &super::catalog::errors_exports(catalog, chunk));
    }
    if chunk.is_first() {
        for c in &catalog.categories {
            category_class(&mut w, class, c);
        }
    }
    for e in errors {
        code_class(&mut w, catalog, e);
    }
    w.blank();
    w.blank();
    w.block("KNOWN.update(", ")", |w| {
        w.block("{", "}", |w| {
            // Each entry split, so the layout is `ruff format`'s at any name length.
            for e in errors {
                w.block(text!("{}: Known(", string_literal(&e.code)), "),", |w| {
                    w.line(text!("{},", e.status));
                    w.line(text!("_build_{},", snake(&e.code)));
                });
            }
        });
    });
    w.finish()
}

fn category_class(w: &mut PyWriter, base: &str, c: &Category) {
    w.blank();
    w.blank();
    // A header with catalog names: kept whole when long (`statement`).
    w.statement(text!(
        "class {}({base}):",
        naming::python_category_class(&c.id)
    ));
    w.indented(|w| {
        let mut doc = vec![text!(
            "Every code of the category `{}`: {}.",
            c.id,
            docstring_lines(&c.title).join(" ")
        )];
        if let Some(d) = &c.description {
            doc.push(String::new());
            doc.extend(docstring_lines(d));
        }
        w.docstring(&doc);
    });
}

fn code_class(w: &mut PyWriter, catalog: &Catalog, e: &ErrorDef) {
    let base = &catalog.api.packages.error_type;
    let class = naming::python_class(&e.code);
    let category = naming::python_category_class(&e.category);
    let param = details_param(e);
    let fields = field_params(catalog);
    let envelope = envelope_params(catalog);
    let headers = (!e.headers.is_empty()).then(|| headers_class_of(&e.code));
    let (details_ty, details_default) = match &param {
        DetailsParam::Raw => ("Mapping[str, object] | None".to_string(), " = None"),
        DetailsParam::Required(t) => (t.clone(), ""),
        DetailsParam::Optional(t) => (text!("{t} | None"), " = None"),
    };
    w.blank();
    w.blank();
    w.statement(text!("class {class}({category}):"));
    w.indented(|w| {
        let mut doc = docstring_lines(&e.description);
        doc.push(String::new());
        doc.push(text!(
            "Status {}. Code `{}`. Docs: {}",
            e.status,
            docstring_lines(&e.code).join(""),
            docstring_lines(&catalog.docs_url(e)).join("")
        ));
        if let Some(d) = &e.deprecated {
            doc.push(String::new());
            let mut reason = docstring_lines(&d.reason);
            if let Some(first) = reason.first_mut() {
                *first = text!("Deprecated: {first}");
            }
            doc.extend(reason);
        }
        w.docstring(&doc);
        w.blank();
        w.line("@property");
        w.line("@override");
        w.block("def error_code(self) -> ErrorCode:", "", |w| {
            w.line(text!("return ErrorCode.{}", naming::python_member(&e.code)));
        });
        w.blank();
        w.whole(|w| {
            w.block("def __init__(", ") -> None:", |w| {
                w.line("self,");
                w.line(text!("details: {details_ty}{details_default},"));
                w.line("*,");
                if e.message.is_runtime() {
                    w.line("message: str,");
                } else {
                    w.line("message: str | None = None,");
                }
                for name in &envelope {
                    w.line(text!("{name}: str | None = None,"));
                }
                for f in &fields {
                    if f.required {
                        w.line(text!("{}: {},", f.param, f.ty));
                    } else {
                        w.line(text!("{}: {} | None = None,", f.param, f.ty));
                    }
                }
                if let Some(headers) = &headers {
                    // Optional even with required headers: a parsed error has none.
                    w.line(text!("headers: {headers} | None = None,"));
                }
            })
        });
        w.indented(|w| {
            let mut doc = vec![if e.message.is_runtime() {
                "The error with these details and the message the server wrote.".to_string()
            } else {
                "The error with these details; `message` defaults to the catalog's template."
                    .to_string()
            }];
            if !fields.is_empty() {
                doc.push(String::new());
                doc.push(
                    "The wire's own fields are keyword arguments; `None` leaves one out.".into(),
                );
            }
            if headers.is_some() {
                doc.push(String::new());
                doc.push(
                    "`headers` are the code's response headers (a server sends them with \
                     `response_headers()`)."
                        .into(),
                );
            }
            w.docstring(&doc);
            if !e.message.is_runtime() {
                w.block("if message is None:", "", |w| {
                    if e.message.is_constant() {
                        w.statement(text!("message = {}", string_literal(&render_constant(e))));
                    } else {
                        w.call(
                            "message = ",
                            &text!("_render_{}", snake(&e.code)),
                            &["details"],
                            "",
                        );
                    }
                });
            }
            if !fields.is_empty() {
                w.block("fields: dict[str, object] = {", "}", |w| {
                    for f in &fields {
                        w.line(text!("{}: {},", string_literal(&f.name), f.param));
                    }
                });
            }
            w.block("super().__init__(", ")", |w| {
                w.line(text!("{},", string_literal(&e.code)));
                w.line("message,");
                w.line(text!("{},", e.status));
                for name in &envelope {
                    w.line(text!("{name}={name},"));
                }
                if !fields.is_empty() {
                    w.line("fields={k: v for k, v in fields.items() if v is not None},");
                }
            });
            w.line("self._details = details");
            if headers.is_some() {
                w.block("if headers is not None:", "", |w| {
                    w.line("self.headers = headers.to_pairs()");
                });
            }
        });
        w.blank();
        w.line("@property");
        w.line("@override");
        w.statement(text!("def details(self) -> {details_ty}:"));
        w.indented(|w| w.line("return self._details"));
        w.blank();
        w.line("@override");
        w.block(
            "def details_dict(self) -> dict[str, object] | None:",
            "",
            |w| match &param {
                DetailsParam::Raw => {
                    w.line("return None if self._details is None else dict(self._details)")
                }
                DetailsParam::Required(t) => w.call("return ", &dump_fn(t), &["self._details"], ""),
                DetailsParam::Optional(t) => {
                    w.block("if self._details is None:", "", |w| w.line("return None"));
                    w.call("return ", &dump_fn(t), &["self._details"], "");
                }
            },
        );
    });
    if !e.message.is_constant() && !e.message.is_runtime() {
        render_fn(w, e, &details_ty);
    }
    build_fn(w, base, e, &class, &param, &fields, &envelope);
}

/// The message of a code whose template has no placeholder.
fn render_constant(e: &ErrorDef) -> String {
    e.message
        .parts
        .iter()
        .map(|p| match p {
            TemplatePart::Text(t) => t.as_str(),
            TemplatePart::Field { .. } => "",
        })
        .collect()
}

/// Whether a field's values are JSON numbers (`number`, or a list or map of them).
fn number_valued(kind: &SchemaKind) -> bool {
    match kind {
        SchemaKind::Number { .. } => true,
        SchemaKind::Array { items: inner, .. } | SchemaKind::Map { values: inner } => {
            matches!(inner.kind, SchemaKind::Number { .. })
        }
        _ => false,
    }
}

fn render_fn(w: &mut PyWriter, e: &ErrorDef, details_ty: &str) {
    let optional_details = details_ty.ends_with("| None");
    w.blank();
    w.blank();
    w.whole(|w| {
        w.block(text!("def _render_{}(", snake(&e.code)), "", |w| {
            w.line(text!("details: {details_ty},"));
        });
        w.line(") -> str:");
    });
    w.indented(|w| {
        w.whole(|w| {
            w.block("parts = [", "]", |w| {
                for part in &e.message.parts {
                    match part {
                        TemplatePart::Text(t) => w.line(text!("{},", string_literal(t))),
                        TemplatePart::Field { name, filter } => {
                            let attr = text!("details.{}", naming::python_attr(name));
                            // A `number` field holds an `int` too (PEP 484): shown as the float
                            // it is on the wire, as the Rust crate's `f64` shows it (`100.0`).
                            let numbers = e
                                .details
                                .as_ref()
                                .and_then(|d| d.property(name))
                                .is_some_and(|p| number_valued(&p.schema.kind));
                            let attr = if numbers {
                                text!("_runtime.numbers({attr})")
                            } else {
                                attr
                            };
                            let value = if optional_details {
                                text!("None if details is None else {attr}")
                            } else {
                                attr
                            };
                            let apply = match filter {
                                None => String::new(),
                                Some(Filter::Capitalize) => ", _runtime.capitalize".into(),
                                Some(Filter::Label) => {
                                    let labels = e
                                        .details
                                        .as_ref()
                                        .and_then(|d| d.property(name))
                                        .map(|p| match &p.schema.kind {
                                            SchemaKind::String { labels, .. } => labels.clone(),
                                            _ => Vec::new(),
                                        })
                                        .unwrap_or_default();
                                    let pairs: Vec<String> = labels
                                        .iter()
                                        .map(|(k, v)| {
                                            text!("{}: {}", string_literal(k), string_literal(v))
                                        })
                                        .collect();
                                    text!(", _runtime.labels({{{}}})", pairs.join(", "))
                                }
                            };
                            w.block("_runtime.fill(", "),", |w| {
                                w.line(text!("{value},"));
                                w.line(text!("{},", string_literal(name)));
                                if !apply.is_empty() {
                                    w.line(text!("{},", apply.trim_start_matches(", ")));
                                }
                            });
                        }
                    }
                }
            })
        });
        w.line("return \"\".join(parts)");
    });
}

fn build_fn(
    w: &mut PyWriter,
    base: &str,
    e: &ErrorDef,
    class: &str,
    param: &DetailsParam,
    fields: &[FieldParam],
    envelope: &[&str],
) {
    w.blank();
    w.blank();
    w.block(text!("def _build_{}(", snake(&e.code)), "", |w| {
        w.line("envelope: Envelope,");
        w.line("problems: list[str],");
    });
    w.line(text!(") -> {base} | None:"));
    w.indented(|w| {
        match param {
            DetailsParam::Raw => w.line("details = envelope.details"),
            DetailsParam::Required(t) | DetailsParam::Optional(t) => {
                let required: Vec<&str> = e
                    .details
                    .iter()
                    .flat_map(|d| &d.properties)
                    .filter(|p| p.required)
                    .map(|p| p.name.as_str())
                    .collect();
                w.block("details = read_details(", ")", |w| {
                    w.line("envelope,");
                    w.line("problems,");
                    w.line(text!("{},", parse_fn(t)));
                    if required.is_empty() {
                        w.line("None,");
                    } else {
                        w.line(text!("{},", string_literal(&required.join(", "))));
                    }
                });
            }
        }
        if matches!(param, DetailsParam::Required(_)) {
            w.block("if problems or details is None:", "", |w| {
                w.line("return None")
            });
        } else {
            w.block("if problems:", "", |w| w.line("return None"));
        }
        w.whole(|w| {
            w.block(text!("return {class}("), ")", |w| {
                w.line("details,");
                w.line("message=envelope.message,");
                for name in envelope {
                    w.line(text!("{name}=envelope.{name},"));
                }
                // A required field was read and checked; the others are set with the rest below.
                for f in fields.iter().filter(|f| f.required) {
                    w.line(text!(
                        "{}=cast({}, envelope.fields.get({})),",
                        f.param,
                        string_literal(f.ty),
                        string_literal(&f.name)
                    ));
                }
            })
        });
    });
}
