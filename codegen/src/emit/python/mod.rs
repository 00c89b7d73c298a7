//! `python/`: a typed Python package (standard library only, Python 3.10+) with the catalog's
//! codes, a frozen dataclass per details object, an exception class per code and per category,
//! parsing that reports every problem, constructors, retry helpers, and its own pytest tests.
//!
//! Layout of the package (`python/src/<import name>/`):
//! - `_catalog.py`, `_details.py`, `_errors.py`, `__init__.py`: generated from the catalog
//!   (`catalog`, `details`, `errors` here), with `_details_n.py` and `_errors_n.py` for each
//!   further run of codes in a large catalog (`Chunk`);
//! - `_runtime.py`, `_base.py`, `_retry.py`: fixed code kept in `python/runtime/` beside this
//!   file, with the error class name filled in;
//! - `python/tests/`: pytest tests and their tables, computed by `conformance` (`package_tests`).
//!
//! Catalog text reaches Python only through `syntax::string_literal` (code) and
//! `syntax::docstring_lines` (docstrings); TOML only through `toml_string`.

mod catalog;
mod details;
mod errors;
mod package_tests;
mod syntax;

pub use details::{NestedType, details_class_of, headers_class_of, nested_types, parse_fn};
pub use syntax::string_literal;

use super::{Artifact, Options, Sink, toml_string};
use crate::model::{Catalog, ErrorDef, ObjectSchema, Schema, SchemaKind};
use crate::naming;

/// The placeholder for the error class name in the fixed sources (a valid identifier, so the
/// sources stay valid Python).
const ERROR_TYPE_PLACEHOLDER: &str = "__ERROR_TYPE__";

/// Fixed modules: file name in the package and source.
const RUNTIME: &[(&str, &str)] = &[
    ("_runtime.py", include_str!("runtime/_runtime.py")),
    ("_wire.py", include_str!("runtime/_wire.py")),
    ("_base.py", include_str!("runtime/_base.py")),
    ("_retry.py", include_str!("runtime/_retry.py")),
];

/// `with_request_id` of `_base.py`, with the error class named (the text a wire without a
/// `request_id` field drops).
fn with_request_id(catalog: &Catalog) -> String {
    let source = include_str!("runtime/_base.py");
    let method = source.find("    def with_request_id(").map_or("", |start| {
        let len = source[start..].find("\n\n").map_or(0, |end| end + 2);
        &source[start..start + len]
    });
    method.replace(ERROR_TYPE_PLACEHOLDER, &catalog.api.packages.error_type)
}

/// The build backend the package declares, pinned (also in `tools/requirements.txt`, which the
/// checks build the wheel with).
pub const BUILD_BACKEND: &str = "flit_core==4.2.0";

pub fn emit(catalog: &Catalog, options: &Options, sink: &Sink) {
    let header = options.header();
    let module = naming::python_import_name(&catalog.api.packages.python);
    let file = |path: &str, contents: String| sink(Artifact::new(text!("python/{path}"), contents));
    let src = |name: &str, contents: String| file(&text!("src/{module}/{name}"), contents);
    file("pyproject.toml", pyproject(catalog, &header, &module));
    file("README.md", readme(catalog, &header, &module));
    src("py.typed", text!("# {header}\n"));
    let chunks = chunks(catalog);
    src("__init__.py", catalog::init_py(catalog, &chunks, &header));
    src("_catalog.py", catalog::catalog_py(catalog, &header));
    for chunk in &chunks {
        let suffix = &chunk.suffix;
        src(
            &text!("_details{suffix}.py"),
            details::details_py(chunk, &header),
        );
        src(
            &text!("_errors{suffix}.py"),
            errors::errors_py(catalog, chunk, &header),
        );
    }
    for (name, source) in RUNTIME {
        let mut body = source.replace(ERROR_TYPE_PLACEHOLDER, &catalog.api.packages.error_type);
        // As the Rust crate: only where the wire has a `request_id` field to write it to.
        let method = with_request_id(catalog);
        if *name == "_base.py"
            && !method.is_empty()
            && !errors::envelope_params(catalog).contains(&"request_id")
        {
            body = body.replacen(&method, "", 1);
        }
        src(name, text!("# {header}\n{body}"));
    }
    package_tests::emit(catalog, &chunks, &header, &module, &file);
}

/// What a module's top level may cost, in pyright's flow nodes. pyright analyses a module's top
/// level (class bodies included) as one flow graph and gives up on one of more than 30,720 nodes
/// ("Code is too complex to analyze": 768 units of complexity, 0.025 a node), so the codes are
/// spread over modules that each stay well under that.
const MODULE_BUDGET: usize = 12_000;

/// An over-estimate of the flow nodes a code puts in the top level of its modules: its class
/// (decorators, methods, parse function) and a dataclass field and parse and dump lines for
/// each property at any depth, which `tests/test_types.py` stays under too.
fn cost(e: &ErrorDef) -> usize {
    fn properties(schema: &ObjectSchema) -> usize {
        schema
            .properties
            .iter()
            .map(|p| 1 + objects(&p.schema).map_or(0, properties))
            .sum()
    }
    fn objects(schema: &Schema) -> Option<&ObjectSchema> {
        match &schema.kind {
            SchemaKind::Object(o) => Some(o),
            SchemaKind::Array { items: s, .. } | SchemaKind::Map { values: s } => objects(s),
            _ => None,
        }
    }
    24 + 4 * e.details.as_ref().map_or(0, properties)
}

/// A run of codes that share their modules: the first run is in `_details.py`, `_errors.py`
/// and `tests/test_types.py`, run n (from 2) in `_details_n.py`, `_errors_n.py` and
/// `tests/test_types_n.py`. Most catalogs have one.
pub struct Chunk<'a> {
    /// `""` for the first run, `_n` for run n.
    pub suffix: String,
    pub errors: &'a [ErrorDef],
    /// Whether the catalog has several runs: then each run's modules declare `__all__`, and
    /// `__init__.py` imports them with `*` (`catalog::init_py`).
    pub several: bool,
}

impl Chunk<'_> {
    pub fn is_first(&self) -> bool {
        self.suffix.is_empty()
    }
}

/// The catalog's codes in order, cut into runs whose cost stays within `MODULE_BUDGET` (a code
/// that alone costs more has a run of its own).
pub fn chunks(catalog: &Catalog) -> Vec<Chunk<'_>> {
    let mut out = Vec::new();
    let (mut start, mut spent) = (0, 0);
    for (i, e) in catalog.errors.iter().enumerate() {
        let c = cost(e);
        if i > start && spent + c > MODULE_BUDGET {
            out.push(&catalog.errors[start..i]);
            (start, spent) = (i, 0);
        }
        spent += c;
    }
    out.push(&catalog.errors[start..]);
    let several = out.len() > 1;
    out.into_iter()
        .enumerate()
        .map(|(n, errors)| Chunk {
            suffix: if n == 0 {
                String::new()
            } else {
                text!("_{}", n + 1)
            },
            errors,
            several,
        })
        .collect()
}

/// A semver version as PEP 440: `2.0.0-beta.1` -> `2.0.0b1`, `1.0.0-rc.2` -> `1.0.0rc2`; other
/// pre-releases become `.dev0` releases, and build metadata a local version.
pub fn pep440(version: &str) -> String {
    let (rest, build) = version.split_once('+').unwrap_or((version, ""));
    let (core, pre) = rest.split_once('-').unwrap_or((rest, ""));
    let mut out = core.to_string();
    if !pre.is_empty() {
        let (tag, n) = pre.split_once('.').unwrap_or((pre, "0"));
        let short = match tag {
            "alpha" | "a" => Some("a"),
            "beta" | "b" => Some("b"),
            "rc" | "c" => Some("rc"),
            _ => None,
        };
        match short {
            Some(s) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                out.push_str(s);
                out.push_str(n.trim_start_matches('0'));
                if n.trim_start_matches('0').is_empty() {
                    out.push('0');
                }
            }
            _ => out.push_str(".dev0"),
        }
    }
    let local: Vec<String> = build
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if !local.is_empty() {
        out.push('+');
        out.push_str(&local.join("."));
    }
    out
}

fn pyproject(catalog: &Catalog, header: &str, module: &str) -> String {
    let api = &catalog.api;
    let description = api.description.clone().unwrap_or_else(|| {
        text!(
            "{} API error codes: exceptions, typed details and retry helpers.",
            api.name
        )
    });
    let description = description.lines().next().unwrap_or("").trim().to_string();
    text!(
        r#"# {header}

[build-system]
requires = [{backend}]
build-backend = "flit_core.buildapi"

[project]
name = {name}
version = {version}
description = {description}
readme = "README.md"
{license}requires-python = ">=3.10"
dependencies = []
classifiers = [
    "Programming Language :: Python :: 3",
    "Typing :: Typed",
]

[tool.flit.module]
name = {module}

[tool.mypy]
strict = true
# Every check mypy has beyond `strict` but the ones about `Any`.
enable_error_code = [
    "deprecated",
    "exhaustive-match",
    "explicit-override",
    "ignore-without-code",
    "mutable-override",
    "possibly-undefined",
    "redundant-expr",
    "redundant-self",
    "truthy-bool",
    "truthy-iterable",
    "unimported-reveal",
    "unused-awaitable",
    "unused-ignore",
]
warn_unreachable = true
strict_bytes = true
python_version = "3.10"
mypy_path = "src"
files = ["src", "tests"]

[tool.pyright]
typeCheckingMode = "strict"
# Beyond `strict`.
reportCallInDefaultInitializer = "error"
reportImplicitOverride = "error"
reportPropertyTypeMismatch = "error"
reportUninitializedInstanceVariable = "error"
reportUnnecessaryTypeIgnoreComment = "error"
pythonVersion = "3.10"
include = ["src", "tests"]
extraPaths = ["src"]

[tool.ruff]
target-version = "py310"
line-length = {line_length}

[tool.ruff.lint]
select = ["E", "F", "W", "I", "UP", "B", "PL", "RUF"]
ignore = ["E501", "PLR0911", "PLR0912", "PLR0913", "PLR0915", "PLR2004", "RUF001", "RUF002", "RUF003"]

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["src"]
# The tests are functions; a code's class may be named `Test...` (`tests_neutral`).
python_classes = []
"#,
        backend = toml_string(BUILD_BACKEND),
        line_length = syntax::LINE_LENGTH,
        name = toml_string(&api.packages.python),
        version = toml_string(&pep440(&api.version)),
        description = toml_string(&description),
        module = toml_string(module),
        license = api
            .license
            .as_ref()
            .map_or_else(String::new, |l| text!("license = {}\n", toml_string(l))),
    )
}

fn readme(catalog: &Catalog, header: &str, module: &str) -> String {
    let api = &catalog.api;
    let class = &api.packages.error_type;
    let code = catalog
        .errors
        .first()
        .map_or("SomeCode".to_string(), |e| naming::python_class(&e.code));
    // As `ruff format` writes it: parenthesized, one name a line, when it does not fit.
    let mut import = text!("from {module} import {class}, {code}, with_retry");
    if import.len() > syntax::LINE_LENGTH {
        import = text!("from {module} import (\n    {class},\n    {code},\n    with_retry,\n)");
    }
    text!(
        r#"<!-- {header} -->

# {dist}

The {name} API's error codes for Python 3.10 and later, with no dependencies: an exception class
per code (and per category), typed details, parsing that reports every problem, and retry
helpers. Docs: <{docs}>.

```python
import logging
from collections.abc import Callable

{import}

logger = logging.getLogger(__name__)


def call(call_api: Callable[[], object]) -> object:
    try:
        return with_retry(call_api)
    except {code} as e:
        print(e.details)  # typed per code
        raise
    except {class} as e:
        logger.error(str(e), extra=e.log_extra())
        raise
```

Build an error from any HTTP client's response with
`{class}.from_response(status, headers, body)`; a body that is not an error body raises
`ErrorBodyParseError` listing every problem.
"#,
        dist = api.packages.python,
        name = crate::emit::docs::markdown::text(&api.name.replace(char::is_control, " ")),
        docs = api.docs_url,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The minimal catalog with `n` codes, code `i` with `props(i)` details properties (and a
    /// nested object holding them when `nested`).
    fn catalog_of(n: usize, props: impl Fn(usize) -> usize, nested: bool) -> Catalog {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/ok/minimal/catalog.yaml"
        );
        let minimal = std::fs::read_to_string(path).expect("readable");
        let (head, _) = minimal.split_once("\nerrors:").expect("an errors section");
        let mut text = text!("{head}\nerrors:\n");
        for i in 0..n {
            text.push_str(&text!(
                "  - {{ code: c{i}, status: 404, category: resource, description: D., message: M"
            ));
            let fields: Vec<String> = (0..props(i))
                .map(|p| text!("p{p}: {{ type: string }}"))
                .collect();
            if !fields.is_empty() {
                let fields = fields.join(", ");
                if nested {
                    text.push_str(&text!(
                        ", details: {{ properties: {{ n: {{ type: object, properties: {{ {fields} }} }} }} }}"
                    ));
                } else {
                    text.push_str(&text!(", details: {{ properties: {{ {fields} }} }}"));
                }
            }
            text.push_str(&text!(
                ", examples: [{{ body: {{ error: c{i}, message: M, code: 404 }} }}] }}\n"
            ));
        }
        crate::load(&[crate::source::Source::new("catalog.yaml", text)])
            .unwrap_or_else(|f| panic!("{f}"))
    }

    #[test]
    fn chunks_hold_every_code_in_order_within_the_budget() {
        for (n, props, nested) in [
            (1, 0, false),
            (17, 3, false),
            (500, 0, false),
            (2_000, 3, false),
            (300, 40, true),
        ] {
            let catalog = catalog_of(n, |i| if i % 7 == 0 { props * 3 } else { props }, nested);
            let chunks = chunks(&catalog);
            let codes: Vec<&str> = chunks
                .iter()
                .flat_map(|c| c.errors.iter().map(|e| e.code.as_str()))
                .collect();
            let all: Vec<&str> = catalog.errors.iter().map(|e| e.code.as_str()).collect();
            assert_eq!(codes, all, "{n} codes");
            for (i, chunk) in chunks.iter().enumerate() {
                let expected = if i == 0 {
                    String::new()
                } else {
                    text!("_{}", i + 1)
                };
                assert_eq!(chunk.suffix, expected);
                let spent: usize = chunk.errors.iter().map(cost).sum();
                assert!(
                    spent <= MODULE_BUDGET || chunk.errors.len() == 1,
                    "{n} codes"
                );
                // Each run is as long as the budget allows: the next code would not fit.
                if let Some(next) = chunks.get(i + 1) {
                    assert!(spent + cost(&next.errors[0]) > MODULE_BUDGET);
                }
            }
        }
        // Small catalogs keep one module of each kind.
        assert_eq!(chunks(&catalog_of(17, |_| 3, false)).len(), 1);
        assert!(chunks(&catalog_of(2_000, |_| 3, false)).len() > 1);
    }

    #[test]
    fn a_code_costs_its_properties_at_every_depth() {
        let flat = catalog_of(1, |_| 5, false);
        let nested = catalog_of(1, |_| 5, true);
        assert_eq!(cost(&flat.errors[0]), 24 + 4 * 5);
        // The nested object and its five properties.
        assert_eq!(cost(&nested.errors[0]), 24 + 4 * 6);
    }

    /// Every module of every run is written, and `__init__.py` imports from each.
    #[test]
    fn every_run_has_its_modules_and_its_imports() {
        // The first run has no details types, so nothing to export from `_details.py`.
        let catalog = catalog_of(1_000, |i| if i < 500 { 0 } else { i % 4 }, false);
        let runs = chunks(&catalog).len();
        assert!(runs > 1);
        let files = std::sync::Mutex::new(Vec::new());
        let sink = |a: Artifact| files.lock().expect("not poisoned").push(a);
        emit(&catalog, &Options::default(), &sink);
        let files = files.into_inner().expect("not poisoned");
        let text = |path: &str| {
            files
                .iter()
                .find(|a| a.path == path)
                .map(|a| a.contents.clone())
                .unwrap_or_else(|| panic!("{path} is written"))
        };
        let init = text("python/src/acme_errors/__init__.py");
        for n in 1..=runs {
            let suffix = if n == 1 { String::new() } else { text!("_{n}") };
            for module in ["_details", "_errors"] {
                let source = text(&text!("python/src/acme_errors/{module}{suffix}.py"));
                if source.contains("__all__ = [") {
                    let star = text!("from .{module}{suffix} import *  # noqa: F403\n");
                    assert!(init.contains(&star), "{module}{suffix}");
                    assert!(init.contains(&text!("__all__ += {module}{suffix}.__all__\n")));
                } else {
                    // Only a run without details types has nothing to export.
                    assert_eq!(module, "_details");
                    assert!(!init.contains(&text!("{module}{suffix} ")));
                }
            }
            text(&text!("python/tests/test_types{suffix}.py"));
        }
        assert!(
            !files
                .iter()
                .any(|a| a.path.ends_with(&text!("_{}.py", runs + 1)))
        );
        // The later runs' classes derive from the categories `_errors.py` defines.
        assert!(
            text("python/src/acme_errors/_errors_2.py")
                .contains("from ._errors import ResourceErrors\n")
        );
    }

    #[test]
    fn no_code_class_takes_a_fixed_name_of_the_package() {
        use heck::ToSnakeCase;
        let fixed = catalog::CATALOG_EXPORTS
            .iter()
            .chain(&catalog::RETRY_EXPORTS)
            .chain(&errors::BASE_IMPORTS)
            .chain(&["ErrorBodyParseError", "ErrorCode", "Mapping", "cast"])
            // What `tests/test_types.py` imports beside the codes' classes.
            .chain(&["Callable", "Path", "json"]);
        for name in fixed {
            // `k_n_o_w_n` is `KNOWN`: one letter a word keeps a run of capitals.
            let spelled: Vec<String> = name.chars().map(|c| c.to_string()).collect();
            for code in [name.to_string(), name.to_snake_case(), spelled.join("_")] {
                assert_ne!(naming::python_class(&code), *name, "the code `{code}`");
            }
        }
        // Details types are `{Code}Details...` and category classes `{Id}Errors`: no fixed
        // name has that shape, so those never meet one.
        for name in naming::PYTHON_RESERVED_CLASSES {
            assert!(
                !name.contains("Details") && !name.ends_with("Errors"),
                "{name}"
            );
        }
    }

    #[test]
    fn versions_follow_pep_440() {
        assert_eq!(pep440("1.0.0"), "1.0.0");
        assert_eq!(pep440("2.0.0-beta.1"), "2.0.0b1");
        assert_eq!(pep440("1.0.0-rc.10"), "1.0.0rc10");
        assert_eq!(pep440("1.0.0-alpha"), "1.0.0a0");
        assert_eq!(pep440("1.0.0-alpha.beta"), "1.0.0.dev0");
        assert_eq!(pep440("1.0.0+Build.5"), "1.0.0+build.5");
    }

    #[test]
    fn toml_strings_escape() {
        assert_eq!(
            toml_string("a \"b\" \\ \r\n"),
            "\"a \\\"b\\\" \\\\ \\u000D\\u000A\""
        );
    }
}
