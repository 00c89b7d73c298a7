//! The package's own pytest tests: `tests/test_package.py` (fixed, with the package's names
//! filled in) runs on tables computed here from the model by `conformance`
//! (`examples.json`, `conformance.json`, `retry_table.json`); `tests/test_types.py` (and
//! `test_types_n.py` for each further run of codes, see `Chunk`) type-checks each code's
//! `details` under mypy and pyright, one small function a code, and runs too.

use serde_json::{Map, Value, json};

use super::Chunk;
use super::catalog::import_from;
use super::details::{details_class, header_attrs, headers_class_of};
use super::errors::{DetailsParam, FieldParam};
use super::syntax::{PyWriter, string_literal};
use crate::conformance;
use crate::emit::catalog_json::data_file;
use crate::model::{Catalog, ErrorDef};
use crate::naming;

const TEST_PACKAGE: &str = include_str!("tests/test_package.py");

/// Hands each test file to `file` (a path in the package, the contents) as it is done.
pub fn emit(
    catalog: &Catalog,
    chunks: &[Chunk],
    header: &str,
    module: &str,
    file: &dyn Fn(&str, String),
) {
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
    file("tests/test_package.py", text!("# {header}\n{fixed}"));
    for chunk in chunks {
        file(
            &text!("tests/test_types{}.py", chunk.suffix),
            types_py(catalog, chunk, header, module),
        );
    }
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
            // Only where the code declares headers, so other catalogs keep their tables.
            if !e.headers.is_empty() {
                let (args, sent) = header_args(e, &ex.headers);
                row["headers_class"] = json!(headers_class_of(&e.code));
                row["header_args"] = Value::Object(args);
                row["response_headers"] = Value::Object(sent);
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
    // Only where the constructors take fewer than both, so other catalogs keep their tables.
    let envelope = super::errors::envelope_params(catalog);
    if envelope.len() < 2 {
        m.insert("envelope_params".into(), json!(envelope));
    }
    // Only where the constructors take some, so other catalogs keep their tables.
    let params = super::errors::field_params(catalog);
    if !params.is_empty() {
        let map: Map<String, Value> = params
            .into_iter()
            .map(|f| (f.name, Value::String(f.param)))
            .collect();
        m.insert("field_params".into(), Value::Object(map));
    }
    data_file(&Value::Object(m))
}

/// An example's response headers as the keyword arguments of the code's headers dataclass,
/// and as the code's constructor then sends them: by their declared names, in catalog order.
fn header_args(
    e: &ErrorDef,
    given: &[(String, String)],
) -> (Map<String, Value>, Map<String, Value>) {
    let attrs = header_attrs(e);
    let mut args = Map::new();
    let mut sent = Map::new();
    for (i, h, typed, text) in conformance::declared_headers(e, given) {
        args.insert(attrs[i].clone(), typed);
        sent.insert(h.name.clone(), Value::String(text));
    }
    (args, sent)
}

/// One small check per code (the error is the code's class, its `details` have the code's type
/// under mypy and pyright, and its constructor takes them back), a table of the checks by code,
/// and a test that runs them on the examples. No function grows with the catalog: pyright stops
/// narrowing in a long `except` ladder and ruff counts a function's statements.
fn types_py(catalog: &Catalog, chunk: &Chunk, header: &str, module: &str) -> String {
    let class = &catalog.api.packages.error_type;
    let errors = chunk.errors;
    let mut w = PyWriter::with_header(header);
    w.docstring(&[
        "Type tests: this file type-checks only if each code's class types its `details`.".into(),
    ]);
    w.blank();
    w.line("from __future__ import annotations");
    w.blank();
    w.line("import json");
    // Only codes without a details schema type their details as a `Mapping`.
    if errors
        .iter()
        .any(|e| matches!(DetailsParam::of(e), DetailsParam::Raw))
    {
        w.line("from collections.abc import Callable, Mapping");
    } else {
        w.line("from collections.abc import Callable");
    }
    w.line("from pathlib import Path");
    w.blank();
    let mut names: Vec<String> = vec![class.clone()];
    for e in errors {
        names.push(naming::python_class(&e.code));
        if e.details.is_some() {
            names.push(details_class(e));
        }
    }
    names.sort();
    names.dedup();
    import_from(&mut w, module, &names);
    // `_check_*` and `_CHECKS` start with an underscore, which no code's class does.
    let check = |code: &str| {
        text!(
            "_check_{}",
            naming::python_member(code).to_ascii_lowercase()
        )
    };
    let fields = super::errors::field_params(catalog);
    for e in errors {
        w.blank();
        w.blank();
        check_fn(&mut w, class, e, &check(&e.code), &fields);
    }
    w.blank();
    w.blank();
    // `validate` rejects a catalog without codes, so the table is never empty.
    w.block(
        text!("_CHECKS: dict[str, Callable[[{class}], None]] = {{"),
        "}",
        |w| {
            for e in errors {
                w.line(text!("{}: {},", string_literal(&e.code), check(&e.code)));
            }
        },
    );
    w.blank();
    w.blank();
    w.block(
        "def test_each_code_has_its_class_and_typed_details() -> None:",
        "",
        |w| {
            // UTF-8 whatever the locale (the catalog's text in it): `read_text()` reads the
            // locale's encoding, with an `EncodingWarning` under `-X warn_default_encoding`.
            w.line(
                "table = json.loads((Path(__file__).parent / \"examples.json\")\
                 .read_text(encoding=\"utf-8\"))",
            );
            w.block("for ex in table[\"examples\"]:", "", |w| {
                // The examples of other modules' codes are theirs to check.
                w.block("if ex[\"code\"] not in _CHECKS:", "", |w| {
                    w.line("continue")
                });
                let args = [
                    "ex.get(\"wire\", ex[\"body\"])",
                    "headers=ex.get(\"headers\")",
                ];
                w.call("error = ", &text!("{class}.from_dict"), &args, "");
                w.line("assert error.error == ex[\"code\"]");
                w.line("_CHECKS[ex[\"code\"]](error)");
            });
        },
    );
    w.finish()
}

/// The check of the code `e`, named `name`: it narrows the error to the code's class, assigns
/// `details` to the code's details type (which type-checks only if the class types them so),
/// and rebuilds the error from them (with the wire's fields as typed keyword arguments).
fn check_fn(w: &mut PyWriter, class: &str, e: &ErrorDef, name: &str, fields: &[FieldParam]) {
    let code_class = naming::python_class(&e.code);
    let ty = match DetailsParam::of(e) {
        DetailsParam::Raw => "Mapping[str, object] | None".to_string(),
        DetailsParam::Required(t) => t,
        DetailsParam::Optional(t) => text!("{t} | None"),
    };
    w.call("def ", name, &[&text!("error: {class}")], " -> None:");
    w.indented(|w| {
        w.call("assert ", "isinstance", &["error", &code_class], "");
        w.assign(&text!("details: {ty}"), "error.details");
        let value = |f: &FieldParam| if f.ty == "int" { "7" } else { "\"x\"" };
        let kwargs: Vec<String> = fields
            .iter()
            .map(|f| text!("{}={}", f.param, value(f)))
            .collect();
        let mut args = vec!["details", "message=error.message"];
        args.extend(kwargs.iter().map(String::as_str));
        w.call("rebuilt = ", &code_class, &args, "");
        w.line("assert rebuilt.details == details");
        // The wire's own fields come back under their wire names.
        if !fields.is_empty() {
            let entries: Vec<String> = fields
                .iter()
                .map(|f| text!("{}: {}", string_literal(&f.name), value(f)))
                .collect();
            let one = text!("assert rebuilt.fields == {{{}}}", entries.join(", "));
            if w.fits(&one) {
                w.line(one);
            } else {
                w.block("assert rebuilt.fields == {", "}", |w| {
                    for entry in &entries {
                        w.line(text!("{entry},"));
                    }
                });
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    /// The minimal catalog with `errors` in place of its own, under the error type `error_type`.
    fn catalog(error_type: &str, errors: &str) -> Catalog {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/ok/minimal/catalog.yaml"
        );
        let minimal = std::fs::read_to_string(path).expect("readable");
        let (head, _) = minimal.split_once("\nerrors:").expect("an errors section");
        let head = head.replace(
            "  docs_url: https://docs.acme.test/errors\n",
            &text!(
                "  docs_url: https://docs.acme.test/errors\n  packages: {{ error_type: {error_type} }}\n"
            ),
        );
        let text = text!("{head}\nerrors:{errors}");
        crate::load(&[Source::new("catalog.yaml", text)]).unwrap_or_else(|f| panic!("{f}"))
    }

    /// The longest names the catalog allows: a 64-byte code, a 32-byte error type.
    #[test]
    fn a_check_of_the_longest_names_is_laid_out_like_ruff_format() {
        let code = "a".repeat(crate::validate::MAX_CODE_LEN);
        let error_type = text!("E{}", "r".repeat(crate::validate::MAX_ERROR_TYPE_LEN - 1));
        let c = catalog(
            &error_type,
            &text!(
                "
  - code: {code}
    status: 404
    category: resource
    description: Long.
    message: Long
    details:
      properties:
        id: {{ type: string }}
    examples:
      - body: {{ error: {code}, message: Long, code: 404 }}
"
            ),
        );
        let chunks = super::super::chunks(&c);
        let py = types_py(&c, &chunks[0], "h", "acme_errors");
        let class = text!("A{}", "a".repeat(63));
        let start = py.find("\n\n\ndef _check_").expect("a check") + 3;
        let end = py.find("\n\n\n_CHECKS").expect("the table");
        assert_eq!(
            &py[start..end],
            text!(
                "def _check_{code}(
    error: {error_type},
) -> None:
    assert isinstance(error, {class})
    details: {class}Details | None = (
        error.details
    )
    rebuilt = {class}(
        details,
        message=error.message,
    )
    assert rebuilt.details == details"
            )
        );
    }
}
