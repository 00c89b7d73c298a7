//! `rust/`: the Rust crate servers and clients depend on (named by `api.packages.rust`).
//!
//! The crate is written as text. Everything with an entry per code is a row inside a
//! brace-delimited macro invocation (`error_codes!`, `details!`, ... defined at the top of the
//! file that uses them, from `fixed/`), which rustfmt leaves as written, so no layout depends on
//! the length of a name; the rest is fixed source from `fixed/`, formatted once. Catalog text
//! reaches the code only as string literals (`string`) and doc comments (`doc`). Layout:
//! - `src/lib.rs`: crate docs, re-exports; `src/code.rs`: `ErrorCode`, `ErrorKind`, `Category`
//!   and the constructors, from one row per code;
//! - `src/retry.rs`: `RetryPolicy`, `RetryConfig`, `RetryDecision` (the shared retry semantics);
//! - `src/details.rs`: typed details (and response headers) per code, with message rendering;
//! - `src/error.rs`: the envelope (`ErrorBody`) and the typed error;
//! - `src/server.rs` (feature `axum`): `IntoResponse`; `tests/examples.rs`: tests from examples.

use std::collections::HashSet;

use super::{Artifact, Options, Sink};
use crate::conformance;
use crate::model::{Catalog, EnvelopeFieldName as F, ErrorDef};
use crate::naming;

mod code;
mod details;
pub mod doc;
mod error;
mod tests;

/// Dependency versions of the generated crate (current releases; see `cargo info`).
const SERDE: &str = "1.0.228";
const SERDE_JSON: &str = "1.0.145";
const HTTP: &str = "1.3.1";
const AXUM: &str = "0.8.4";
const TOKIO: &str = "1.46.1";
const TOWER: &str = "0.5.2";
/// Only for catalogs with a details `pattern`.
const REGEX: &str = "1.13.2";

/// Edition and minimum Rust version of the generated crate.
const EDITION: &str = "2024";
const RUST_VERSION: &str = "1.85";

/// The crate's `rustfmt.toml` (between the header and the edition, which a `rustfmt` run
/// outside Cargo needs): rustfmt's defaults.
const RUSTFMT_TOML: &str = "\
# This crate is formatted with rustfmt's defaults. This file keeps a workspace's own rustfmt.toml
# from applying to it: rustfmt reads the nearest one, and generated code follows no team's style.
";

/// The crate's `clippy.toml` (after the header): clippy's defaults.
const CLIPPY_TOML: &str = "\
# This crate is clean under clippy's defaults and its `rust-version`. This file keeps a
# workspace's own clippy.toml (thresholds, disallowed names, an older msrv) from applying to it:
# clippy reads the nearest one.
";

/// The name the fixed sources give the error type; the emitter puts the catalog's in its place.
const FIXED_ERROR_TYPE: &str = "HueChatError";

pub fn emit(catalog: &Catalog, options: &Options, sink: &Sink) {
    let header = options.header();
    let cx = Cx::new(catalog);
    let file = |path: &str, body: String| {
        sink(Artifact::new(
            text!("rust/{path}"),
            text!("// {header}\n\n{body}"),
        ))
    };
    sink(Artifact::new("rust/Cargo.toml", manifest(catalog, &header)));
    // The crate is formatted and clippy-clean by the tools' defaults; a workspace's own
    // `rustfmt.toml` or `clippy.toml` (each tool reads the nearest one above a file) must not
    // apply to it, or the user's `cargo fmt --check` and `cargo clippy` fail on generated code.
    sink(Artifact::new(
        "rust/rustfmt.toml",
        text!("# {header}\n{RUSTFMT_TOML}edition = \"{EDITION}\"\n"),
    ));
    sink(Artifact::new(
        "rust/clippy.toml",
        text!("# {header}\n{CLIPPY_TOML}"),
    ));
    file("src/lib.rs", lib(&cx));
    file("src/code.rs", code::code(&cx));
    file("src/details.rs", details::details(&cx));
    file("src/error.rs", error::error(&cx));
    file("src/retry.rs", code::retry(&cx));
    file("src/check.rs", code::check(&cx));
    file("src/server.rs", error::server(&cx));
    if catalog.wire.preset != crate::wire::Preset::Flat {
        file("src/wire.rs", error::wire(&cx));
    }
    file("tests/examples.rs", tests::tests(&cx));
    sink(Artifact::new(
        "rust/tests/conformance.json",
        conformance::body_table(catalog, &header),
    ));
    file("tests/conformance.rs", tests::conformance(&cx));
    sink(Artifact::new(
        "rust/tests/retry_table.json",
        conformance::retry_table(catalog, &header),
    ));
}

/// A Rust string literal of `s`: quotes and backslashes escaped, control and invisible
/// characters spelled as `\u{..}` escapes, everything else as written.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    if crate::emit::literal_as_is(s) {
        out.push_str(s);
        out.push('"');
        return out;
    }
    for c in s.chars() {
        match c {
            '\'' => out.push('\''),
            c => out.extend(c.escape_debug()),
        }
    }
    out.push('"');
    out
}

fn manifest(catalog: &Catalog, header: &str) -> String {
    let api = &catalog.api;
    let description = text!(
        "Typed error codes of the {} API (error catalog {}): codes, details, envelope, retry policy.",
        api.name,
        api.version
    );
    text!(
        r#"# {header}

[package]
name = {name}
version = {version}
description = {description}
edition = "{EDITION}"
rust-version = "{RUST_VERSION}"
{license}homepage = {homepage}
keywords = ["errors", "api", "error-codes"]
categories = ["api-bindings"]

# The tests are in `tests/` and there are no benchmarks: no test-harness build of the library
# (`cargo check --all-targets` and `cargo test` would check it a second time).
[lib]
test = false
bench = false

[features]
## `ErrorCode::status_code` and `status_code()` as `http::StatusCode`.
http = ["dep:http"]
## `IntoResponse` for the error type (status, JSON body, the catalog's headers).
axum = ["dep:axum", "http"]

[dependencies]
serde = {{ version = "{SERDE}", features = ["derive"] }}
# `float_roundtrip`: numbers read as the nearest double, as JavaScript and Python read them.
serde_json = {{ version = "{SERDE_JSON}", features = ["float_roundtrip"] }}
{regex}http = {{ version = "{HTTP}", optional = true }}
axum = {{ version = "{AXUM}", optional = true, default-features = false }}

[dev-dependencies]
tokio = {{ version = "{TOKIO}", features = ["rt"] }}
tower = {{ version = "{TOWER}", default-features = false, features = ["util"] }}
"#,
        name = crate::emit::toml_string(&api.packages.rust),
        version = crate::emit::toml_string(&api.version),
        description = crate::emit::toml_string(&description),
        homepage = crate::emit::toml_string(&api.docs_url),
        license = api.license.as_ref().map_or_else(String::new, |l| text!(
            "license = {}\n",
            crate::emit::toml_string(l)
        )),
        // The `perf` features speed up searches in long texts, which details strings are not.
        regex = if code::uses_pattern(catalog) {
            text!(
                "regex = {{ version = \"{REGEX}\", default-features = false, features = [\"std\", \"unicode\"] }}\n"
            )
        } else {
            String::new()
        },
    )
}

fn lib(cx: &Cx) -> String {
    let api = &cx.catalog.api;
    let ty = &cx.error_type;
    let mut doc = doc::Doc::new()
        .raw(text!(
            "Error codes of the {} API, generated from its error catalog (version {}).",
            doc::inline(&api.name),
            doc::inline(&api.version)
        ))
        .para();
    if let Some(d) = &api.description {
        doc = doc.text(d).para();
    }
    let doc = doc
        .raw(text!(
            "- [`ErrorCode`]: every code ([`ErrorCode::ALL`]) with its wire string, HTTP status, category, retry policy and docs link.\n\
             - [`{ty}`]: an error body, typed. Parse one with [`{ty}::from_json`] and `match` on its [`ErrorKind`] to get the code and its typed details at once; codes this version does not know parse as [`ErrorKind::{unknown}`].\n\
             - [`details`]: the typed details (and response headers) of each code.\n\
             - [`{ty}::retry_decision`]: whether and when to retry, following the catalog's policy. It decides; the caller sleeps.\n\
             - Servers: one constructor per code on [`{ty}`] fills the message and status from the catalog.",
            unknown = cx.unknown,
        ))
        .para()
        .raw(
            "Cargo features: `http` adds `status_code()` (an `http::StatusCode`); `axum` implements \
             `axum::response::IntoResponse` for the error type (status, JSON body and the code's headers).",
        )
        .para()
        .raw(text!("Docs: <{}>", api.docs_url));
    // `use` items in rustfmt's order (by path, names compared as rustfmt does), the details
    // types one per item so that no list needs wrapping.
    let mut structs: Vec<&str> = cx
        .errors
        .iter()
        .flat_map(|e| e.details.iter().chain(e.headers.iter()))
        .map(String::as_str)
        .collect();
    structs.sort_by(|a, b| version_cmp(a, b));
    let flat = cx.catalog.wire.preset == crate::wire::Preset::Flat;
    let mut error_names = vec!["ParseError", ty.as_str()];
    if flat {
        error_names.push("ErrorBody");
    }
    error_names.sort_by(|a, b| version_cmp(a, b));
    let mut out = doc.inner();
    out.push_str(
        "\n#![deny(missing_docs)]\n#![forbid(unsafe_code)]\n\nmod check;\nmod code;\npub mod details;\nmod error;\nmod retry;\n#[cfg(feature = \"axum\")]\nmod server;\n",
    );
    out.push_str(if flat { "\n" } else { "mod wire;\n\n" });
    out.push_str("pub use code::{Category, ErrorCode, ErrorKind, RETIRED_CODES, RetiredCode, UnknownCode};\n");
    for s in structs {
        out.push_str(&text!("pub use details::{s};\n"));
    }
    out.push_str(&text!("pub use error::{{{}}};\n", error_names.join(", ")));
    out.push_str("pub use retry::{MAX_SERVER_DELAY_SECONDS, RETRY, RetryConfig, RetryDecision, RetryPolicy};\n");
    out
}

/// rustfmt's order of names in `use` items (style edition 2024): by character, with runs of
/// digits compared as numbers.
pub fn version_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let (si, sj) = (i, j);
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let (x, y): (String, String) = (a[si..i].iter().collect(), b[sj..j].iter().collect());
            let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
            let ord = x.len().cmp(&y.len()).then_with(|| x.cmp(y));
            if ord.is_ne() {
                return ord;
            }
        } else {
            let ord = a[i].cmp(&b[j]);
            if ord.is_ne() {
                return ord;
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).cmp(&(b.len() - j))
}

/// Type names that must stay unique within one module and not shadow the prelude names the
/// generated code uses.
pub struct Namer {
    taken: HashSet<String>,
}

impl Namer {
    pub fn new(reserved: &[&str]) -> Self {
        let mut taken: HashSet<String> = [
            "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "From",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        taken.extend(reserved.iter().map(|s| s.to_string()));
        Self { taken }
    }

    /// `base` (already an identifier, or empty), or `baseValue`, `baseValue2`, ... when taken
    /// (`SelfValue` for `Self_`: the escape's `_` goes, so the name stays UpperCamelCase).
    pub fn take(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "Value" } else { base };
        let stem = base.trim_end_matches('_');
        let mut name = base.to_string();
        let mut n = 1;
        while self.taken.contains(&name) {
            name = if n == 1 {
                text!("{stem}Value")
            } else {
                text!("{stem}Value{n}")
            };
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// Names and facts about one code, computed once.
pub struct Code<'a> {
    pub def: &'a ErrorDef,
    /// `ErrorCode` and `ErrorKind` variant.
    pub variant: String,
    /// The details struct, when the code has details.
    pub details: Option<String>,
    /// The response headers struct, when the code declares headers.
    pub headers: Option<String>,
    /// The constructor on the error type.
    pub ctor: String,
    /// The module of nested details types (enums, objects).
    pub module: String,
}

/// The variant of `ErrorKind`, `ErrorCode` and each string enum for values this version does not
/// know.
pub const UNKNOWN: &str = "Unknown";

/// `name`, or `Unknown_` for `Unknown` (a code or enum value named `unknown`), escaped as keywords
/// are (`Self_`): `Unknown` is the variant every client matches for codes and values this
/// version does not know, so its name depends on nothing, and neither does the escaped one (no
/// other name ends with `_`).
pub fn not_unknown(name: String) -> String {
    if name == UNKNOWN {
        text!("{UNKNOWN}_")
    } else {
        name
    }
}

/// What every part of the emitter shares.
pub struct Cx<'a> {
    pub catalog: &'a Catalog,
    pub error_type: String,
    pub errors: Vec<Code<'a>>,
    /// The `ErrorKind` variant for codes this version does not know.
    pub unknown: String,
    /// Whether `request_id` / `timestamp` are required envelope fields.
    pub request_id_required: bool,
    pub timestamp_required: bool,
}

impl<'a> Cx<'a> {
    fn new(catalog: &'a Catalog) -> Self {
        let errors: Vec<Code> = catalog
            .errors
            .iter()
            .map(|def| Code {
                def,
                variant: not_unknown(naming::pascal(&def.code)),
                details: def
                    .details
                    .as_ref()
                    .map(|_| naming::pascal(&text!("{}_details", def.code))),
                headers: (!def.headers.is_empty())
                    .then(|| naming::pascal(&text!("{}_headers", def.code))),
                ctor: naming::rust_constructor(&def.code),
                module: naming::rust_snake(&def.code),
            })
            .collect();
        Self {
            catalog,
            error_type: catalog.api.packages.error_type.clone(),
            unknown: UNKNOWN.into(),
            request_id_required: catalog.envelope.field(F::RequestId).required,
            timestamp_required: catalog.envelope.field(F::Timestamp).required,
            errors,
        }
    }

    /// Fixed source with the catalog's error type in place of `FIXED_ERROR_TYPE`.
    pub fn fixed(&self, source: &str) -> String {
        source.replace(FIXED_ERROR_TYPE, &self.error_type)
    }
}

#[cfg(test)]
mod namer_tests {
    use super::Namer;

    #[test]
    fn taken_names_stay_upper_camel_case() {
        let mut names = Namer::new(&[]);
        assert_eq!(names.take("Self_"), "Self_");
        assert_eq!(names.take("Self_"), "SelfValue");
        assert_eq!(names.take("Self_"), "SelfValue2");
        assert_eq!(names.take("Links"), "Links");
        assert_eq!(names.take("Links"), "LinksValue");
        assert_eq!(names.take(""), "Value");
    }
}

#[cfg(test)]
mod fixed_tests {
    use super::{FIXED_ERROR_TYPE, RUST_VERSION, string};
    use crate::validate::MAX_ERROR_TYPE_LEN;

    /// Every fixed source file, by name.
    const FIXED: &[(&str, &str)] = &[
        ("check.rs", include_str!("fixed/check.rs")),
        ("check_details.rs", include_str!("fixed/check_details.rs")),
        ("check_pattern.rs", include_str!("fixed/check_pattern.rs")),
        (
            "check_no_pattern.rs",
            include_str!("fixed/check_no_pattern.rs"),
        ),
        ("codes.rs", include_str!("fixed/codes.rs")),
        ("code_impls.rs", include_str!("fixed/code_impls.rs")),
        ("details.rs", include_str!("fixed/details.rs")),
        ("details_object.rs", include_str!("fixed/details_object.rs")),
        ("details_fields.rs", include_str!("fixed/details_fields.rs")),
        ("text.rs", include_str!("fixed/text.rs")),
        ("float_text.rs", include_str!("fixed/float_text.rs")),
        ("string_enum.rs", include_str!("fixed/string_enum.rs")),
        ("headers.rs", include_str!("fixed/headers.rs")),
        ("error.rs", include_str!("fixed/error.rs")),
        ("error_details.rs", include_str!("fixed/error_details.rs")),
        ("retry.rs", include_str!("fixed/retry.rs")),
        ("server.rs", include_str!("fixed/server.rs")),
        ("error_wire.rs", include_str!("fixed/error_wire.rs")),
        ("server_wire.rs", include_str!("fixed/server_wire.rs")),
        ("wire.rs", include_str!("fixed/wire.rs")),
        ("tests_helpers.rs", include_str!("fixed/tests_helpers.rs")),
        ("tests_general.rs", include_str!("fixed/tests_general.rs")),
        (
            "tests_conformance.rs",
            include_str!("fixed/tests_conformance.rs"),
        ),
        (
            "tests_conformance_wire.rs",
            include_str!("fixed/tests_conformance_wire.rs"),
        ),
        ("tests_retry.rs", include_str!("fixed/tests_retry.rs")),
        ("tests_wire.rs", include_str!("fixed/tests_wire.rs")),
        (
            "tests_wire_general.rs",
            include_str!("fixed/tests_wire_general.rs"),
        ),
    ];

    /// The crate says it builds with Rust `RUST_VERSION` (1.85), and let chains (`if a && let
    /// Some(b) = c`) came in 1.88; clippy checks the standard library's items against the
    /// `rust-version`, not syntax, so this test keeps them out of the fixed sources.
    #[test]
    fn fixed_sources_have_no_let_chains() {
        assert_eq!(
            RUST_VERSION, "1.85",
            "check what syntax the new version allows"
        );
        for (file, source) in FIXED {
            for (n, line) in source.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                assert!(!code.contains("&& let "), "fixed/{file}:{}: {line}", n + 1);
            }
        }
    }

    /// rustfmt keeps a line as written only while it fits in 100 columns, so a line that names
    /// the error type must fit with the longest name validation allows.
    #[test]
    fn fixed_lines_fit_the_longest_error_type() {
        let room = MAX_ERROR_TYPE_LEN - FIXED_ERROR_TYPE.len();
        for (file, source) in FIXED {
            for (n, line) in source.lines().enumerate() {
                let width = line.chars().count();
                let grows = line.matches(FIXED_ERROR_TYPE).count() * room;
                assert!(width + grows <= 100, "fixed/{file}:{}: {line}", n + 1);
                for group in groups_naming(line, FIXED_ERROR_TYPE) {
                    let width = group.chars().count() + room;
                    assert!(width <= 60, "fixed/{file}:{}: {line}", n + 1);
                }
            }
        }
    }

    /// The insides of the parenthesized groups of `line` (argument lists, tuples) that hold
    /// `name`: rustfmt also splits such a group once it is wider than 60 columns
    /// (`fn_call_width`), whatever the line's width.
    fn groups_naming<'a>(line: &'a str, name: &str) -> Vec<&'a str> {
        let mut open = Vec::new();
        let mut groups = Vec::new();
        for (i, c) in line.char_indices() {
            match c {
                '(' => open.push(i),
                ')' => {
                    if let Some(start) = open.pop() {
                        let inside = &line[start + 1..i];
                        if open.is_empty() && inside.contains(name) {
                            groups.push(inside);
                        }
                    }
                }
                _ => {}
            }
        }
        groups
    }

    #[test]
    fn literals_escape_quotes_backslashes_and_controls() {
        assert_eq!(string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(string("it's"), r#""it's""#);
        assert_eq!(
            string("a\r\n\t\u{7}\u{202E}é"),
            r#""a\r\n\t\u{7}\u{202e}é""#
        );
    }
}
