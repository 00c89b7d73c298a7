//! The package's own pytest tests: `tests/test_package.py` (fixed, with the package's names
//! filled in) runs on tables computed here from the model by `conformance`
//! (`examples.json`, `conformance.json`, `retry_table.json`); `tests/test_types.py` type-checks
//! each code's `details` under mypy and pyright and runs too.

use serde_json::{Map, Value, json};

use super::catalog::import_from;
use super::details::details_class;
use super::errors::DetailsParam;
use super::syntax::{PyWriter, string_literal};
use crate::conformance;
use crate::emit::catalog_json::pretty;
use crate::model::Catalog;
use crate::naming;

const TEST_PACKAGE: &str = include_str!("tests/test_package.py");

/// Hands each test file to `file` (a path in the package, the contents) as it is done.
pub fn emit(catalog: &Catalog, header: &str, module: &str, file: &dyn Fn(&str, String)) {
    let class = &catalog.api.packages.error_type;
    let fixed = TEST_PACKAGE
        .replace("__PACKAGE__", module)
        .replace(super::ERROR_TYPE_PLACEHOLDER, class);
    file("tests/examples.json", examples_json(catalog, header));
    file(
        "tests/conformance.json",
        conformance::body_table(catalog, header),
    );
    file(
        "tests/retry_table.json",
        conformance::retry_table(catalog, header),
    );
    file("tests/test_package.py", format!("# {header}\n{fixed}"));
    file("tests/test_types.py", types_py(catalog, header, module));
}

fn examples_json(catalog: &Catalog, header: &str) -> String {
    let mut rows = Vec::new();
    for e in &catalog.errors {
        for ex in &e.examples {
            let mut row = json!({
                "code": e.code,
                "name": ex.name,
                "status": e.status,
                "class": naming::python_class(&e.code),
                "category_class": naming::python_category_class(&e.category),
                "retry_after": conformance::retry_after_header(&ex.headers),
                "body": ex.body,
            });
            if let Some(r) = &ex.wire {
                row["wire"] = r.body.clone();
                row["headers"] = conformance::headers_json(&r.headers);
            }
            // Only where it holds, so catalogs without run-time messages keep their tables.
            if e.message.is_runtime() {
                row["runtime_message"] = json!(true);
            }
            rows.push(row);
        }
    }
    // A retired code's row: its record as the package must hold it, and a body an older server
    // may still send with it.
    let retired: Vec<Value> = catalog
        .retired
        .iter()
        .map(|r| {
            let mut body = conformance::unknown_body(catalog, 400);
            body["error"] = json!(r.code);
            let mut row = json!({
                "code": r.code,
                "version": r.version,
                "reason": r.reason,
                "replaced_by": r.replaced_by,
                "docs_url": catalog.retired_docs_url(r),
                "body": body,
            });
            conformance::with_wire(catalog, &mut row);
            row
        })
        .collect();
    let mut m = Map::new();
    m.insert("//".into(), json!(header));
    m.insert("examples".into(), Value::Array(rows));
    m.insert("retired".into(), Value::Array(retired));
    // Only where the constructors take some, so other catalogs keep their tables.
    let params = super::errors::field_params(catalog);
    if !params.is_empty() {
        let map: Map<String, Value> = params
            .into_iter()
            .map(|f| (f.name, Value::String(f.param)))
            .collect();
        m.insert("field_params".into(), Value::Object(map));
    }
    pretty(&Value::Object(m))
}

/// A function per code that assigns `details` to that code's own type (checked by mypy and
/// pyright), and a test that runs them on the examples.
fn types_py(catalog: &Catalog, header: &str, module: &str) -> String {
    let class = &catalog.api.packages.error_type;
    let mut w = PyWriter::with_header(header);
    w.docstring(&[
        "Type tests: this file type-checks only if each code's class types its `details`.".into(),
    ]);
    w.blank();
    w.line("from __future__ import annotations");
    w.blank();
    w.line("import json");
    // Only codes without a details schema type their details as a `Mapping`.
    if catalog
        .errors
        .iter()
        .any(|e| matches!(DetailsParam::of(e), DetailsParam::Raw))
    {
        w.line("from collections.abc import Mapping");
    }
    w.line("from pathlib import Path");
    w.blank();
    let mut names: Vec<String> = vec![class.clone()];
    for e in &catalog.errors {
        names.push(naming::python_class(&e.code));
        if e.details.is_some() {
            names.push(details_class(e));
        }
    }
    names.sort();
    names.dedup();
    import_from(&mut w, module, &names);
    w.blank();
    w.blank();
    let snake = |code: &str| naming::python_member(code).to_ascii_lowercase();
    let fields = super::errors::field_params(catalog);
    // One function per code whose parameter has the code's details type: passing `e.details`
    // type-checks only if the class types them so. Every call and signature is split, so the
    // layout is `ruff format`'s at any name length.
    for e in &catalog.errors {
        let ty = match DetailsParam::of(e) {
            DetailsParam::Raw => "Mapping[str, object] | None".to_string(),
            DetailsParam::Required(t) => t,
            DetailsParam::Optional(t) => format!("{t} | None"),
        };
        w.block(format!("def _details_of_{}(", snake(&e.code)), "", |w| {
            w.line(format!("details: {ty},"));
        });
        w.line(") -> str:");
        w.indented(|w| w.line("return type(details).__name__"));
        w.blank();
        w.blank();
    }
    w.block(format!("def describe(error: {class}) -> str:"), "", |w| {
        w.docstring(&[
            "Catches each code by its class; each branch types `details` as that code's.".into(),
        ]);
        w.block("try:", "", |w| w.line("raise error"));
        for e in &catalog.errors {
            w.block(
                format!("except {} as e:", naming::python_class(&e.code)),
                "",
                |w| {
                    w.block(
                        format!("name = _details_of_{}(", snake(&e.code)),
                        ")",
                        |w| {
                            w.line("e.details,");
                        },
                    );
                    // The wire's own fields are typed keyword arguments of the constructor.
                    if !fields.is_empty() {
                        let code_class = naming::python_class(&e.code);
                        let rebuilt = format!("rebuilt_{}", snake(&e.code));
                        w.block(format!("{rebuilt} = {code_class}("), ")", |w| {
                            w.line("e.details,");
                            w.line("message=e.message,");
                            for f in &fields {
                                let value = if f.ty == "int" { "7" } else { "\"x\"" };
                                w.line(format!("{}={value},", f.param));
                            }
                        });
                        w.block(format!("assert {rebuilt}.fields == {{"), "}", |w| {
                            for f in &fields {
                                let value = if f.ty == "int" { "7" } else { "\"x\"" };
                                w.line(format!("{}: {value},", string_literal(&f.name)));
                            }
                        });
                    }
                    w.line("return f\"{e.error} {name}\"");
                },
            );
        }
        w.block(format!("except {class} as e:"), "", |w| {
            w.line("return f\"unknown {e.error}\"");
        });
    });
    w.blank();
    w.blank();
    w.block(
        "def test_each_code_is_caught_with_typed_details() -> None:",
        "",
        |w| {
            w.line("table = json.loads((Path(__file__).parent / \"examples.json\").read_text())");
            w.block("for ex in table[\"examples\"]:", "", |w| {
                w.block(format!("error = {class}.from_dict("), ")", |w| {
                    w.line("ex.get(\"wire\", ex[\"body\"]),");
                    w.line("headers=ex.get(\"headers\"),");
                });
                w.line("assert describe(error).startswith(ex[\"code\"] + \" \")");
            });
        },
    );
    w.finish()
}
