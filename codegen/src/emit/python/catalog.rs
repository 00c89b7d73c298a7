//! `_catalog.py` (the `ErrorCode` enum, each code's `ErrorInfo`, the retry configuration) and
//! `__init__.py` (the package's public names).

use super::Chunk;
use super::details::{details_class, enum_aliases, headers_class_of, object_classes};
use super::syntax::{PyWriter, string_literal};
use crate::emit::wire_data::{self, Member, Place, Step};
use crate::model::{Catalog, Delivery, EnvelopeFieldName, ErrorDef, RetryPolicy};
use crate::naming;
use serde_json::Value;

/// `RetryPolicy(...)`'s arguments for `policy`.
fn retry_policy_args(policy: &RetryPolicy) -> Vec<String> {
    let mut args = vec![text!("\"{}\"", policy.strategy())];
    args.extend(policy.delay_field().map(string_literal));
    args
}

pub fn catalog_py(catalog: &Catalog, header: &str) -> String {
    let mut w = PyWriter::with_header(header);
    w.docstring(&[text!(
        "The codes of the {} API error catalog, and their metadata.",
        super::syntax::docstring_lines(&catalog.api.name).join(" ")
    )]);
    w.blank();
    w.line("from __future__ import annotations");
    w.blank();
    w.line("from dataclasses import dataclass");
    w.line("from enum import Enum");
    w.line("from typing import Final, Literal");
    w.blank();
    w.line("from ._runtime import override");
    let data = wire_data::of(catalog);
    import_from(&mut w, "._wire", &wire_imports(&data));
    w.blank();
    w.assign("API_VERSION: Final", &string_literal(&catalog.api.version));
    w.docstring(&["The catalog version this package was generated from.".into()]);
    w.assign("DOCS_URL: Final", &string_literal(&catalog.api.docs_url));
    w.docstring(&["The error reference's base URL.".into()]);
    let required: Vec<String> = EnvelopeFieldName::ALL
        .iter()
        .filter(|f| catalog.envelope.field(**f).required)
        .map(|f| string_literal(f.as_str()))
        .collect();
    w.block("ENVELOPE_REQUIRED: Final[tuple[str, ...]] = (", ")", |w| {
        for r in &required {
            w.line(text!("{r},"));
        }
    });
    w.docstring(&["The envelope fields every error body carries.".into()]);
    wire_format(&mut w, catalog, &data);
    w.blank();
    w.blank();
    w.line("@dataclass(frozen=True)");
    w.block("class RetryPolicy:", "", |w| {
        w.docstring(&[
            "Whether and how a client retries a code.".into(),
            String::new(),
            "`never`: do not retry. `after_delay`: wait the details' `delay_field` (seconds), else"
                .into(),
            "the `Retry-After` header, else `RETRY_CONFIG.default_delay_seconds`. `backoff`:"
                .into(),
            "exponential backoff per `RETRY_CONFIG`.".into(),
        ]);
        w.blank();
        w.line("strategy: Literal[\"never\", \"after_delay\", \"backoff\"]");
        w.line("delay_field: str | None = None");
    });
    w.blank();
    w.blank();
    w.line("@dataclass(frozen=True)");
    w.block("class RetryConfig:", "", |w| {
        w.docstring(&["Catalog-wide retry parameters.".into()]);
        w.blank();
        w.line("max_attempts: int");
        w.docstring(&["Attempts in total, the first included.".into()]);
        w.line("initial_delay_ms: int");
        w.line("multiplier: int");
        w.line("max_delay_ms: int");
        w.line("default_delay_seconds: int");
    });
    w.blank();
    w.blank();
    let r = &catalog.retry;
    w.block("RETRY_CONFIG: Final = RetryConfig(", ")", |w| {
        w.line(text!("max_attempts={},", r.max_attempts));
        w.line(text!("initial_delay_ms={},", r.initial_delay_ms));
        w.line(text!("multiplier={},", r.multiplier));
        w.line(text!("max_delay_ms={},", r.max_delay_ms));
        w.line(text!("default_delay_seconds={},", r.default_delay_seconds));
    });
    w.blank();
    w.blank();
    w.line("@dataclass(frozen=True)");
    w.block("class ErrorInfo:", "", |w| {
        w.docstring(&["A code's entry in the catalog.".into()]);
        w.blank();
        w.line("code: str");
        w.line("status: int");
        w.line("category: str");
        w.line("description: str");
        w.line("docs_url: str");
        w.line("retry: RetryPolicy");
        w.line("delivery: Literal[\"http\", \"webhook\"]");
        w.line("deprecated: str | None");
        w.docstring(&["Why the code is deprecated, if it is.".into()]);
    });
    w.blank();
    w.blank();
    w.block("class ErrorCode(str, Enum):", "", |w| {
        w.docstring(&["Every code this version knows; the value is the wire string.".into()]);
        w.blank();
        // Declared, so that mypy types `.value` as `str` instead of joining the values of every
        // member at each use (which takes minutes at a few thousand codes).
        w.line("_value_: str");
        w.blank();
        for e in &catalog.errors {
            w.assign(&naming::python_member(&e.code), &string_literal(&e.code));
            w.doc(&e.description);
        }
        w.blank();
        w.line("@classmethod");
        w.block("def lookup(cls, wire: str) -> ErrorCode | None:", "", |w| {
            w.docstring(&["The code with this wire string, if this version knows it.".into()]);
            w.line("return _BY_WIRE.get(wire)");
        });
        w.blank();
        for (name, ty, doc) in [
            ("info", "ErrorInfo", "The code's catalog entry."),
            ("status", "int", "The HTTP status."),
            ("category", "str", "The category id."),
            ("description", "str", "One line on what the code means."),
            (
                "docs_url",
                "str",
                "The code's section of the error reference.",
            ),
            (
                "retry",
                "RetryPolicy",
                "Whether and how a client retries it.",
            ),
        ] {
            w.line("@property");
            w.block(text!("def {name}(self) -> {ty}:"), "", |w| {
                w.docstring(&[doc.into()]);
                if name == "info" {
                    w.line("return _INFOS[self.value]");
                } else {
                    w.line(text!("return _INFOS[self.value].{name}"));
                }
            });
            w.blank();
        }
        w.line("@override");
        w.block("def __str__(self) -> str:", "", |w| {
            w.line("return self.value");
        });
    });
    w.blank();
    w.blank();
    w.block("_INFOS: Final[dict[str, ErrorInfo]] = {", "}", |w| {
        for e in &catalog.errors {
            error_info(w, catalog, e);
        }
    });
    w.blank();
    w.line("ERROR_CODES: Final[tuple[ErrorCode, ...]] = tuple(ErrorCode)");
    w.docstring(&["Every code, in catalog order.".into()]);
    w.blank();
    w.line("_BY_WIRE: Final[dict[str, ErrorCode]] = {c.value: c for c in ErrorCode}");
    retired_codes(&mut w, catalog);
    w.finish()
}

/// `RetiredCode`, `RETIRED_CODES` and `retired_code`: codes the catalog removed, which clients
/// recognise as known-but-retired rather than unknown (an older server may still send them).
fn retired_codes(w: &mut PyWriter, catalog: &Catalog) {
    w.blank();
    w.blank();
    w.line("@dataclass(frozen=True)");
    w.block("class RetiredCode:", "", |w| {
        w.docstring(&["A code the catalog removed. Its name is never reused.".into()]);
        w.blank();
        w.line("code: str");
        w.docstring(&["The wire string it had.".into()]);
        w.line("version: str");
        w.docstring(&["The catalog version that retired it.".into()]);
        w.line("reason: str");
        w.docstring(&["Why it was retired.".into()]);
        w.line("replaced_by: ErrorCode | None");
        w.docstring(&["The code to use instead, if any.".into()]);
        w.line("docs_url: str | None");
        w.docstring(&["Its docs section, kept so that old links resolve.".into()]);
    });
    w.blank();
    w.blank();
    if catalog.retired.is_empty() {
        w.line("RETIRED_CODES: Final[tuple[RetiredCode, ...]] = ()");
    } else {
        w.block(
            "RETIRED_CODES: Final[tuple[RetiredCode, ...]] = (",
            ")",
            |w| {
                for r in &catalog.retired {
                    w.block("RetiredCode(", "),", |w| {
                        w.line(text!("code={},", string_literal(&r.code)));
                        w.line(text!("version={},", string_literal(&r.version)));
                        w.line(text!("reason={},", string_literal(&r.reason)));
                        w.line(text!(
                            "replaced_by={},",
                            r.replaced_by.as_ref().map_or("None".into(), |to| text!(
                                "ErrorCode.{}",
                                naming::python_member(to)
                            ))
                        ));
                        w.line(text!(
                            "docs_url={},",
                            catalog
                                .retired_docs_url(r)
                                .map_or("None".into(), |u| string_literal(&u))
                        ));
                    });
                }
            },
        );
    }
    w.docstring(&[
        "Every code the catalog retired, in catalog order: known, but no longer sent.".into(),
    ]);
    w.blank();
    w.line("_RETIRED_BY_WIRE: Final[dict[str, RetiredCode]] = {r.code: r for r in RETIRED_CODES}");
    w.blank();
    w.blank();
    w.block(
        "def retired_code(wire: str) -> RetiredCode | None:",
        "",
        |w| {
            w.docstring(&[
                "The retirement of the code, or `None` when it is live or unknown.".into(),
            ]);
            w.line("return _RETIRED_BY_WIRE.get(wire)");
        },
    );
}

fn error_info(w: &mut PyWriter, catalog: &Catalog, e: &ErrorDef) {
    w.block(
        text!("{}: ErrorInfo(", string_literal(&e.code)),
        "),",
        |w| {
            w.line(text!("code={},", string_literal(&e.code)));
            w.line(text!("status={},", e.status));
            w.line(text!("category={},", string_literal(&e.category)));
            w.line(text!("description={},", string_literal(&e.description)));
            w.line(text!("docs_url={},", string_literal(&catalog.docs_url(e))));
            let args = retry_policy_args(&e.retry);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            w.call("retry=", "RetryPolicy", &args, ",");
            w.line(text!(
                "delivery={},",
                match e.delivery {
                    Delivery::Http => "\"http\"",
                    Delivery::Webhook => "\"webhook\"",
                }
            ));
            w.line(text!(
                "deprecated={},",
                e.deprecated
                    .as_ref()
                    .map_or("None".into(), |d| string_literal(&d.reason))
            ));
        },
    );
}

/// The names `__init__.py` re-exports, by module.
/// What `__init__.py` exports from `_catalog` and `_retry`, whatever the catalog; their class
/// names are in `naming::PYTHON_RESERVED_CLASSES`, so no code's class takes one.
pub const CATALOG_EXPORTS: [&str; 11] = [
    "API_VERSION",
    "DOCS_URL",
    "ERROR_CODES",
    "RETRY_CONFIG",
    "ErrorCode",
    "ErrorInfo",
    "RetryConfig",
    "RETIRED_CODES",
    "RetiredCode",
    "RetryPolicy",
    "retired_code",
];

pub const RETRY_EXPORTS: [&str; 8] = [
    "MAX_SERVER_DELAY_SECONDS",
    "RetryDecision",
    "async_with_retry",
    "backoff_delay_ms",
    "retry_decision",
    "retry_policy_for_status",
    "retry_policy_of",
    "with_retry",
];

/// What each module gives `__init__.py` to export, modules in isort's order, each with whether
/// it is one of a run's modules.
fn exports(catalog: &Catalog, chunks: &[Chunk]) -> Vec<(String, Vec<String>, bool)> {
    let class = &catalog.api.packages.error_type;
    let mut out = vec![
        (
            "_base".to_string(),
            vec![
                "ErrorBodyParseError".into(),
                class.clone(),
                text!("Unknown{class}"),
            ],
            false,
        ),
        (
            "_catalog".to_string(),
            CATALOG_EXPORTS.map(String::from).to_vec(),
            false,
        ),
        (
            "_retry".to_string(),
            RETRY_EXPORTS.map(String::from).to_vec(),
            false,
        ),
    ];
    for chunk in chunks {
        let suffix = &chunk.suffix;
        out.push((text!("_details{suffix}"), details_exports(chunk), true));
        out.push((
            text!("_errors{suffix}"),
            errors_exports(catalog, chunk),
            true,
        ));
    }
    // isort orders the modules naturally too (`_errors_2` before `_errors_10`).
    out.sort_by_cached_key(|(module, _, _)| Natural(module.clone()));
    out
}

/// The public names of a run's details module: its dataclasses (details and response headers)
/// and enum aliases.
pub fn details_exports(chunk: &Chunk) -> Vec<String> {
    let mut names = Vec::new();
    for e in chunk.errors {
        if let Some(schema) = &e.details {
            let name = details_class(e);
            names.extend(enum_aliases(&name, schema));
            names.extend(object_classes(&name, schema));
        }
        if !e.headers.is_empty() {
            names.push(headers_class_of(&e.code));
        }
    }
    names
}

/// The public names of a run's errors module: its codes' classes (and the first run's the
/// categories' classes).
pub fn errors_exports(catalog: &Catalog, chunk: &Chunk) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    if chunk.is_first() {
        let categories = catalog.categories.iter();
        names.extend(categories.map(|c| naming::python_category_class(&c.id)));
    }
    names.extend(chunk.errors.iter().map(|e| naming::python_class(&e.code)));
    names
}

/// `__all__ = [...]`, in the order ruff's RUF022 gives it: isort's kinds, but case-sensitively
/// within a kind.
pub fn dunder_all(w: &mut PyWriter, names: &[String]) {
    let mut all = names.to_vec();
    all.sort_by_cached_key(|n| (name_kind(n), Natural(n.clone())));
    w.block("__all__ = [", "]", |w| {
        for n in &all {
            w.line(text!("{},", string_literal(n)));
        }
    });
}

/// The order `ruff`'s isort gives imported names: constants, then classes, then the rest, each
/// in natural order (`C2` before `C10`, as ruff compares with `natord`), case-insensitively first.
pub fn isort_order(names: &mut [String]) {
    names.sort_by_cached_key(|n| (name_kind(n), Natural(n.to_lowercase()), Natural(n.clone())));
}

/// A name compared in natural order, as ruff compares names (with the `natord` crate): runs of
/// digits by their value (`C2` before `C10`; a run with a leading zero digit by digit).
#[derive(PartialEq, Eq)]
struct Natural(String);

impl PartialOrd for Natural {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Natural {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        natural_cmp(&self.0, &other.0)
    }
}

/// `natord::compare` for names without white space (which it skips), decided at the first byte
/// where the two differ, so that sorting thousands of names with a long shared prefix stays
/// cheap.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let i = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    let digit = |s: &[u8], j: usize| s.get(j).is_some_and(u8::is_ascii_digit);
    if !(i > 0 && digit(x, i - 1) || digit(x, i) && digit(y, i)) {
        // Not inside a run of digits: the first different character decides (UTF-8 keeps the
        // order of code points), or the shorter name comes first.
        return x[i..].cmp(&y[i..]);
    }
    // Both are inside runs of digits that start at `start`.
    let start = x[..i]
        .iter()
        .rposition(|c| !c.is_ascii_digit())
        .map_or(0, |p| p + 1);
    fn run(s: &[u8], start: usize) -> &[u8] {
        let len = s[start..].iter().take_while(|c| c.is_ascii_digit()).count();
        &s[start..start + len]
    }
    let (l, r) = (run(x, start), run(y, start));
    let runs = if l.first() == Some(&b'0') || r.first() == Some(&b'0') {
        l.cmp(r)
    } else {
        (l.len(), l).cmp(&(r.len(), r))
    };
    // Equal runs end where the names first differ, at something other than a digit.
    runs.then_with(|| x[i..].cmp(&y[i..]))
}

/// isort's kinds of names: constants, classes, the rest.
fn name_kind(n: &str) -> u8 {
    if n.len() > 1 && n.chars().all(|c| !c.is_ascii_lowercase()) {
        0
    } else if n.starts_with(|c: char| c.is_ascii_uppercase()) {
        1
    } else {
        2
    }
}

/// `from .module import (...)`, one name a line, in isort's order.
pub fn import_from(w: &mut PyWriter, module: &str, names: &[String]) {
    let mut names = names.to_vec();
    isort_order(&mut names);
    match names.as_slice() {
        [] => {}
        [one] => w.line(text!("from {module} import {one}")),
        _ => w.block(text!("from {module} import ("), ")", |w| {
            for n in &names {
                w.line(text!("{n},"));
            }
        }),
    }
}

/// `__init__.py`: every public name, imported by name from each module. With several runs of
/// codes, each run's modules declare `__all__` and are imported with `*` instead: pyright counts
/// each name imported by name against the module's budget (`MODULE_BUDGET`), and a catalog of
/// ten thousand codes can export more names than pyright analyses in one module.
pub fn init_py(catalog: &Catalog, chunks: &[Chunk], header: &str) -> String {
    let mut w = PyWriter::with_header(header);
    w.docstring(&[text!(
        "Errors of the {} API: codes, typed details, exceptions and retry helpers.",
        super::syntax::docstring_lines(&catalog.api.name).join(" ")
    )]);
    w.blank();
    let several = chunks.len() > 1;
    let exports = exports(catalog, chunks);
    let starred: Vec<String> = exports
        .iter()
        .filter(|(_, names, of_run)| several && *of_run && !names.is_empty())
        .map(|(module, _, _)| module.clone())
        .collect();
    import_from(&mut w, ".", &starred);
    for (module, names, of_run) in &exports {
        if !(several && *of_run) {
            import_from(&mut w, &text!(".{module}"), names);
        } else if !names.is_empty() {
            w.line(text!("from .{module} import *  # noqa: F403"));
        }
    }
    w.blank();
    let named: Vec<String> = exports
        .into_iter()
        .filter(|(_, _, of_run)| !(several && *of_run))
        .flat_map(|(_, names, _)| names)
        .collect();
    dunder_all(&mut w, &named);
    for module in &starred {
        w.line(text!("__all__ += {module}.__all__"));
    }
    w.finish()
}

/// The `_wire` names `WIRE` uses, sorted as isort sorts them.
fn wire_imports(data: &wire_data::WireData) -> Vec<String> {
    let mut names = vec!["Member".to_string(), "WireFormat".into()];
    let places = data.members.iter().flat_map(member_places);
    for p in places {
        match p {
            Place::Body(steps) => {
                names.push("Body".into());
                if steps.iter().any(|s| matches!(s, Step::Entry { .. })) {
                    names.push("Entry".into());
                }
            }
            Place::Header(_) => names.push("Header".into()),
        }
    }
    names.sort();
    names.dedup();
    names
}

/// Every place of a member: its `at`, or the one body path of details and constants.
fn member_places(m: &Member) -> Vec<Place> {
    match m {
        Member::Code { at, .. }
        | Member::Message { at, .. }
        | Member::Status { at, .. }
        | Member::Field { at, .. } => at.clone(),
        Member::Details { at, .. } | Member::Constant { at, .. } => vec![Place::Body(at.clone())],
    }
}

/// `WIRE` (the wire format as `_wire` reads it) and `WIRE_CONSTANTS` (the values it fixes per
/// code). Every call and collection is split with a trailing comma, as `ruff format` keeps it
/// at any length.
fn wire_format(w: &mut PyWriter, catalog: &Catalog, data: &wire_data::WireData) {
    w.block("WIRE: Final = WireFormat(", ")", |w| {
        w.line(text!(
            "content_type={},",
            string_literal(&data.content_type)
        ));
        w.block("members=(", "),", |w| {
            for m in &data.members {
                w.block("Member(", "),", |w| member(w, m));
            }
        });
        if let Some(field) = &data.retry_delay {
            w.line(text!("retry_delay={},", string_literal(field)));
        }
    });
    w.docstring(&["How the API's errors look on the wire: where each envelope member is read from and written to.".into()]);
    let rows: Vec<(&ErrorDef, Vec<(String, Value)>)> = catalog
        .errors
        .iter()
        .map(|e| (e, wire_data::constants(catalog, e)))
        .filter(|(_, c)| !c.is_empty())
        .collect();
    if rows.is_empty() {
        w.line("WIRE_CONSTANTS: Final[dict[str, dict[str, object]]] = {}");
    } else {
        w.block(
            "WIRE_CONSTANTS: Final[dict[str, dict[str, object]]] = {",
            "}",
            |w| {
                for (e, constants) in &rows {
                    w.block(text!("{}: {{", string_literal(&e.code)), "},", |w| {
                        for (k, v) in constants {
                            w.line(text!("{}: {},", string_literal(k), scalar(v)));
                        }
                    });
                }
            },
        );
    }
    w.docstring(&[
        "The values the wire format fixes per code (`constant` members), by code.".into(),
    ]);
}

/// A string or integer constant as a Python literal.
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => string_literal(s),
        other => other.to_string(),
    }
}

fn member(w: &mut PyWriter, m: &Member) {
    let role = match m {
        Member::Code { .. } => "code",
        Member::Message { .. } => "message",
        Member::Status { .. } => "status",
        Member::Details { .. } => "details",
        Member::Field { .. } => "field",
        Member::Constant { .. } => "constant",
    };
    w.line(text!("role={},", string_literal(role)));
    let places = member_places(m);
    // `Body()` alone has nothing to split, so ruff joins the tuple onto one line.
    if places == [Place::Body(Vec::new())] {
        w.line("at=(Body(),),");
    } else {
        places_tuple(w, &places);
    }
    match m {
        Member::Field { name, ty, .. } => {
            w.line(text!("name={},", string_literal(name)));
            w.line(text!("type={},", string_literal(ty.as_str())));
        }
        Member::Constant { key, value, .. } => {
            w.line(text!("name={},", string_literal(key)));
            if let Some(v) = value {
                w.line(text!("value={},", string_literal(v)));
            }
        }
        _ => {}
    }
    let required = match m {
        Member::Code { required, .. }
        | Member::Message { required, .. }
        | Member::Status { required, .. }
        | Member::Field { required, .. } => *required,
        _ => false,
    };
    if required {
        w.line("required=True,");
    }
    if matches!(m, Member::Code { aws: true, .. }) {
        w.line("aws=True,");
    }
    if matches!(m, Member::Code { integer: true, .. }) {
        w.line("type=\"integer\",");
    }
    if let Member::Details {
        except: Some(names),
        ..
    } = m
    {
        w.block("except_=frozenset(", "),", |w| {
            w.block("{", "},", |w| {
                for n in names {
                    w.line(text!("{},", string_literal(n)));
                }
            });
        });
    }
}

/// `at=(...)` with each place split, as `ruff format` keeps it at any length.
fn places_tuple(w: &mut PyWriter, places: &[Place]) {
    w.block("at=(", "),", |w| {
        for p in places {
            match p {
                Place::Header(h) => w.block("Header(", "),", |w| {
                    w.line(text!("{},", string_literal(h)));
                }),
                Place::Body(steps) if steps.is_empty() => w.line("Body(),"),
                Place::Body(steps) => w.block("Body(", "),", |w| {
                    for s in steps {
                        match s {
                            Step::Key(k) => w.line(text!("{},", string_literal(k))),
                            Step::Entry { key, equals } => w.block("Entry(", "),", |w| {
                                w.line(text!("key={},", string_literal(key)));
                                w.line(text!("equals={},", string_literal(equals)));
                            }),
                        };
                    }
                }),
            };
        }
    });
}

#[cfg(test)]
mod tests {
    use super::natural_cmp;

    #[test]
    fn natural_order_is_natords_for_names() {
        let parts = [
            "", "a", "A", "b", "_", "0", "1", "2", "9", "10", "01", "007", "12", "\u{e9}",
        ];
        let mut names = Vec::new();
        for p in parts {
            for q in parts {
                for r in ["", "x", "3", "03", "_a"] {
                    names.push(text!("{p}{q}{r}"));
                }
            }
        }
        for a in &names {
            for b in &names {
                assert_eq!(natural_cmp(a, b), natord::compare(a, b), "{a:?} vs {b:?}");
            }
        }
    }
}
