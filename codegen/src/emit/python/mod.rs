//! `python/`: a typed Python package (standard library only, Python 3.10+) with the catalog's
//! codes, a frozen dataclass per details object, an exception class per code and per category,
//! parsing that reports every problem, constructors, retry helpers, and its own pytest tests.
//!
//! Layout of the package (`python/src/<import name>/`):
//! - `_catalog.py`, `_details.py`, `_errors.py`, `__init__.py`: generated from the catalog
//!   (`catalog`, `details`, `errors` here);
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

pub use details::{NestedType, details_class_of, nested_types, parse_fn};
pub use syntax::string_literal;

use super::{Artifact, Options, Sink};
use crate::model::Catalog;
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

/// The build backend the package declares, pinned (also in `tools/requirements.txt`, which the
/// checks build the wheel with).
pub const BUILD_BACKEND: &str = "flit_core==4.2.0";

pub fn emit(catalog: &Catalog, options: &Options, sink: &Sink) {
    let header = options.header();
    let module = naming::python_import_name(&catalog.api.packages.python);
    let file =
        |path: &str, contents: String| sink(Artifact::new(format!("python/{path}"), contents));
    let src = |name: &str, contents: String| file(&format!("src/{module}/{name}"), contents);
    file("pyproject.toml", pyproject(catalog, &header, &module));
    file("README.md", readme(catalog, &header, &module));
    src("py.typed", format!("# {header}\n"));
    src("__init__.py", catalog::init_py(catalog, &header));
    src("_catalog.py", catalog::catalog_py(catalog, &header));
    src("_details.py", details::details_py(catalog, &header));
    src("_errors.py", errors::errors_py(catalog, &header));
    for (name, source) in RUNTIME {
        let body = source.replace(ERROR_TYPE_PLACEHOLDER, &catalog.api.packages.error_type);
        src(name, format!("# {header}\n{body}"));
    }
    package_tests::emit(catalog, &header, &module, &file);
}

/// A TOML basic string for any text.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control()
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}') =>
            {
                out.push_str(&format!("\\u{:04X}", u32::from(c)))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
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
        format!(
            "{} API error codes: exceptions, typed details and retry helpers.",
            api.name
        )
    });
    let description = description.lines().next().unwrap_or("").trim().to_string();
    format!(
        r#"# {header}

[build-system]
requires = [{backend}]
build-backend = "flit_core.buildapi"

[project]
name = {name}
version = {version}
description = {description}
readme = "README.md"
requires-python = ">=3.10"
dependencies = []
classifiers = [
    "Programming Language :: Python :: 3",
    "Typing :: Typed",
]

[tool.flit.module]
name = {module}

[tool.mypy]
strict = true
python_version = "3.10"
mypy_path = "src"
files = ["src", "tests"]

[tool.pyright]
typeCheckingMode = "strict"
pythonVersion = "3.10"
include = ["src", "tests"]
extraPaths = ["src"]

[tool.ruff]
target-version = "py310"
line-length = {line_length}

[tool.ruff.lint]
select = ["E", "F", "W", "I", "UP", "B", "PL", "RUF"]
ignore = ["E501", "PLR0911", "PLR0912", "PLR0913", "PLR2004", "RUF001", "RUF002", "RUF003"]

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["src"]
"#,
        backend = toml_string(BUILD_BACKEND),
        line_length = syntax::LINE_LENGTH,
        name = toml_string(&api.packages.python),
        version = toml_string(&pep440(&api.version)),
        description = toml_string(&description),
        module = toml_string(module),
    )
}

fn readme(catalog: &Catalog, header: &str, module: &str) -> String {
    let api = &catalog.api;
    let class = &api.packages.error_type;
    let code = catalog
        .errors
        .first()
        .map_or("SomeCode".to_string(), |e| naming::python_class(&e.code));
    format!(
        r#"<!-- {header} -->

# {dist}

The {name} API's error codes for Python 3.10 and later, with no dependencies: an exception class
per code (and per category), typed details, parsing that reports every problem, and retry
helpers. Docs: <{docs}>.

```python
import logging
from collections.abc import Callable

from {module} import {class}, {code}, with_retry

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
        name = api.name.replace(['\r', '\n'], " "),
        docs = api.docs_url,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
