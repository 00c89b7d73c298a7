//! Catalog evolution: every change between two validated catalogs, classified like a change to a
//! response (clients read errors), and the version bump the changes require.
//!
//! The rules are data (`RULES`): each names its level and, in one line, what breaks for whom.
//! `compare` walks both catalogs once, with maps keyed by code, and never fails: any two valid
//! catalogs have a report. Rendering (`Report::text`, `json`, `markdown`) is pure too; the CLI
//! (`cargo xtask diff`) reads the catalogs and sets the exit status.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::model::{
    Catalog, Delivery, ErrorDef, HeaderDef, HeaderType, ObjectSchema, RetryPolicy, Schema,
    SchemaKind,
};
use crate::wire::{self, CodeForm, Member as WireMember, Preset, Role, Wire};

/// How a change affects the catalog's users, in the order of severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Docs only: descriptions, remediation, examples, docs text.
    Patch,
    /// Every generated client accepts it: a minor version.
    Compatible,
    /// Some client stops working or compiling: a major version.
    Breaking,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Patch => "patch",
            Self::Compatible => "compatible",
            Self::Breaking => "breaking",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Self::Breaking => "Breaking changes",
            Self::Compatible => "Added and changed",
            Self::Patch => "Docs and fixes",
        }
    }
}

/// One kind of change.
#[derive(Debug, Serialize)]
pub struct Rule {
    /// Stable id, also the name of its golden case (`codegen/tests/data/diff/<id>/`).
    pub id: &'static str,
    pub level: Level,
    /// What changed, as a heading reads ("required details field made optional").
    pub title: &'static str,
    /// What breaks for whom, or why nothing does.
    pub reason: &'static str,
    /// Where the generated Rust or TypeScript stops compiling for a user although the wire is
    /// compatible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_break: Option<&'static str>,
}

macro_rules! rules {
    ($( $name:ident = $id:literal, $level:ident, $title:literal, $reason:literal $(, source: $source:literal)? ; )*) => {
        $( pub static $name: Rule = Rule {
            id: $id,
            level: Level::$level,
            title: $title,
            reason: $reason,
            source_break: rules!(@source $($source)?),
        }; )*
        /// Every rule, in the order of the table in ARCHITECTURE.md.
        pub static RULES: &[&Rule] = &[$( &$name ),*];
    };
    (@source) => { None };
    (@source $s:literal) => { Some($s) };
}

rules! {
    CODE_REMOVED = "code_removed", Breaking, "code removed without retiring it",
        "a Rust `match` arm or TS `case` on it stops compiling, old clients lose it, and nothing stops its name being reused";
    CODE_RETIRED = "code_retired", Breaking, "code retired",
        "Rust and TS code naming the code stops compiling, and OpenAPI consumers lose its schema and example";
    CODE_RENAMED = "code_renamed", Breaking, "code renamed",
        "clients matching the old wire string never see it again, and code naming it stops compiling";
    RETIRED_CODE_REUSED = "retired_code_reused", Breaking, "retired code used again",
        "clients and logs that knew the retired code read the new one with the old meaning";
    RETIREMENT_REMOVED = "retirement_removed", Breaking, "code taken off the retired list",
        "its name may be reused with another meaning, and old links to its docs section break";
    STATUS_CHANGED = "status_changed", Breaking, "HTTP status changed",
        "clients and OpenAPI consumers that branch on the status, or map it to this code, misroute the error";
    DELIVERY_CHANGED = "delivery_changed", Breaking, "delivery changed (HTTP vs webhook)",
        "clients wait for it where it no longer arrives (a response or a webhook event), and OpenAPI moves it between responses and webhooks";
    RETRY_CHANGED = "retry_changed", Breaking, "retry strategy changed",
        "old clients' retry loops (Rust `retry_decision`, TS `withRetry`, Python `retry_decision`) retry what must not be retried, give up too early, or wait another delay than the server asks for";
    REQUIRED_FIELD_REMOVED = "required_field_removed", Breaking, "required details field removed",
        "old clients require the field: Rust parsing and the TS guard reject the body, and code reading it stops compiling";
    OPTIONAL_FIELD_REMOVED = "optional_field_removed", Breaking, "optional details field removed",
        "the wire stays readable, but Rust, TS and Python code reading the field stops compiling or type-checking, and OpenAPI consumers lose it";
    FIELD_MADE_OPTIONAL = "field_made_optional", Breaking, "required details field made optional",
        "old clients reject bodies without it; in the new package the Rust field becomes an `Option` and the TS property `| undefined`";
    FIELD_TYPE_CHANGED = "field_type_changed", Breaking, "details field type changed",
        "old clients reject the new values (Rust serde, TS guard, OpenAPI validators) and code using the old type stops compiling";
    ENUM_VALUE_REMOVED = "enum_value_removed", Breaking, "details enum value removed",
        "Rust and TS code naming the value stops compiling, and consumers that rely on it never see it";
    REQUIRED_HEADER_REMOVED = "required_header_removed", Breaking, "required header removed or made optional",
        "clients that read it (a retry wait from `Retry-After`) find nothing, and OpenAPI consumers lose a required header";
    HEADER_TYPE_CHANGED = "header_type_changed", Breaking, "header type changed",
        "clients parsing the header as the old type (an integer of seconds) fail";
    BOUND_WIDENED = "bound_widened", Breaking, "numeric bound widened or removed",
        "old clients and validators reject values outside the old range; a minimum below 0 turns the Rust `u64` into `i64`";
    CONSTRAINT_WIDENED = "constraint_widened", Breaking, "string or list constraint loosened, changed or removed",
        "old clients (TS guard, Python parser) and validators reject values the old `pattern`, `minLength`, `maxLength`, `minItems` or `maxItems` excluded";
    FIELD_MADE_NULLABLE = "field_made_nullable", Breaking, "details field made nullable",
        "old clients reject `null` (Rust serde for a required field, TS guard, Python parser, OpenAPI validators), and code reading the field must handle no value";
    ENVELOPE_FIELD_MADE_OPTIONAL = "envelope_field_made_optional", Breaking, "envelope field made optional",
        "clients that read it from every body (Rust field, TS property, OpenAPI `required`) may find nothing";
    CATEGORY_REMOVED = "category_removed", Breaking, "category removed",
        "Rust `Category` and TS category names lose a value, and links to its docs page break";
    ERROR_TYPE_RENAMED = "error_type_renamed", Breaking, "error type renamed",
        "every Rust `use` and TS `import` of the error type stops compiling";
    PACKAGE_RENAMED = "package_renamed", Breaking, "package renamed",
        "dependents must change their Cargo.toml, package.json or pyproject.toml and every import";
    WIRE_CHANGED = "wire_changed", Breaking, "wire format changed",
        "old clients look for the code, message, status or details where the old format put them (or expect its content type), so they reject or misread the errors";
    TYPE_URI_CHANGED = "type_uri_changed", Breaking, "problem type URI changed",
        "clients map a problem's `type` URI to its code, so old ones read this error as an unknown code";
    CODE_ADDED = "code_added", Compatible, "code added",
        "old clients read it as an unknown code (Rust `ErrorKind::Unknown`, TS `UnknownErrorBody`) and retry it by its status",
        source: "TS code that covers every `ErrorCode` (a `Record<ErrorCode, T>`, or a `switch` that ends in a `never` check) stops compiling; Rust's `ErrorCode` and `ErrorKind` are `#[non_exhaustive]`";
    OPTIONAL_FIELD_ADDED = "optional_field_added", Compatible, "optional details field added",
        "old clients ignore fields they do not know",
        source: "Rust code that builds the details struct with a struct literal must set the new field";
    REQUIRED_FIELD_ADDED = "required_field_added", Compatible, "required details field added",
        "old clients ignore fields they do not know; during a rollout the new package rejects bodies old servers still send, so upgrade servers first",
        source: "Rust, TS and Python code that builds the details (or a code that had none) must set the new field";
    FIELD_MADE_REQUIRED = "field_made_required", Compatible, "optional details field made required",
        "old clients already accept the field when it is present; during a rollout the new package rejects bodies old servers still send, so upgrade servers first",
        source: "the Rust field turns from `Option<T>` into `T`, so code reading it as an `Option` stops compiling, and TS and Python code that builds the details without it does too";
    FIELD_TYPE_WIDENED = "field_type_widened", Compatible, "string field's enum or format removed",
        "old clients keep string values they do not know (Rust `Unknown`, TS `string & {}`) and check no format",
        source: "with an enum, the Rust field turns from the generated enum into `String` and the Python type alias of its values goes, so Rust code naming its variants and Python code naming the alias stop compiling or type-checking";
    FIELD_TYPE_NARROWED = "field_type_narrowed", Compatible, "string field given a format, an enum or a `const`",
        "every value sent is still a string old clients accept; during a rollout the new package rejects values old servers still send that miss the new format or `const`, so upgrade servers first",
        source: "with an enum, the Rust field turns from `String` into the generated enum and the TS type into a union (with a `const`, into its literal)";
    ENUM_VALUE_ADDED = "enum_value_added", Compatible, "details enum value added",
        "old clients keep values they do not know (Rust `Unknown`, TS `string & {}`)",
        source: "a Rust `match` over the enum without a wildcard stops compiling (TS and Python types already admit any string)";
    WIRE_MEMBER_ADDED = "wire_member_added", Compatible, "wire member added or made required",
        "old clients ignore members they do not know, and already read an optional one when it is present",
        source: "a body member every body carries is a required property of the TS wire types (`WireBody`, `WireBodyOf`), so TS code that builds wire bodies without it stops compiling";
    WIRE_CONSTANT_CHANGED = "wire_constant_changed", Compatible, "wire constant's value changed, or the constant removed",
        "clients do not read a custom wire's `constants`, so old and new clients read every body as before; other readers of the bodies (logs, proxies, checks against the old OpenAPI document's `const`) see the new value",
        source: "the TS wire types (`WireBody`, `WireBodyOf`) spell a body constant as its literal value, so TS code that builds wire bodies with the old value (or member) stops compiling";
    WIRE_PRESET_SPELLED_OUT = "wire_preset_spelled_out", Compatible, "flat envelope spelled out as a custom wire, or back",
        "the same members at the same places, so old clients read every body as before",
        source: "the Rust crate's flat-envelope API goes (or comes back): `ErrorBody`, `from_body`, and the error's `request_id` and `timestamp` fields, which a custom wire keeps in `fields`";
    HEADER_ADDED = "header_added", Compatible, "header added",
        "old clients ignore headers they do not know",
        source: "Rust code that builds the code's headers struct with a struct literal (without `..Default::default()`) must set the new field, and Python and TypeScript code that builds the code's headers must give a new required one";
    HEADER_MADE_REQUIRED = "header_made_required", Compatible, "optional header made required",
        "old clients already read the header when it is present",
        source: "the Rust headers field turns from `Option<T>` into `T`, so code reading it as an `Option` stops compiling, and Python and TypeScript code that builds the code's headers without it stops type-checking";
    OPTIONAL_HEADER_REMOVED = "optional_header_removed", Compatible, "optional header removed",
        "clients already handle its absence",
        source: "Rust code reading the field of the code's headers struct stops compiling, and Python and TypeScript code that gives the header stops type-checking";
    HEADER_CASE_CHANGED = "header_case_changed", Compatible, "header name's case changed",
        "HTTP reads header names in any case, so old clients read it as before",
        source: "the Rust and Python field and the TypeScript key of the code's headers follow the spelling (`X-RateLimit-Scope` is `x_rate_limit_scope`, `X-Ratelimit-Scope` is `x_ratelimit_scope`), so code naming the old one stops compiling or type-checking";
    BOUND_NARROWED = "bound_narrowed", Compatible, "numeric bound narrowed or added",
        "every value sent is still in the old range; during a rollout the new package rejects bodies old servers still send, so upgrade servers first",
        source: "a minimum raised to 0 or more turns the Rust `i64` into `u64`";
    CONSTRAINT_NARROWED = "constraint_narrowed", Compatible, "string or list constraint added or tightened",
        "every value sent still meets the old constraint; during a rollout the new package rejects bodies old servers still send, so upgrade servers first";
    FIELD_MADE_NON_NULLABLE = "field_made_non_nullable", Compatible, "details field no longer nullable",
        "old clients accept every value it can still have; during a rollout the new package rejects bodies old servers still send, so upgrade servers first",
        source: "a required Rust field turns from `Option<T>` into `T`, and `| null` leaves the TS type";
    CODE_DEPRECATED = "code_deprecated", Compatible, "code deprecated",
        "clients keep working; Rust code calling its constructor gets a deprecation warning",
        source: "Rust builds that deny warnings (`-D warnings`) stop compiling where they call its constructor";
    CATEGORY_CHANGED = "category_changed", Compatible, "code moved to another category",
        "its docs link moves to another page (the old anchor no longer resolves) and `category()` returns another value",
        source: "the Python exception class derives from the new category's class, so `except <OldCategory>Errors` no longer catches it";
    CATEGORY_ADDED = "category_added", Compatible, "category added",
        "a new docs page and a new `Category` value, which old clients never receive",
        source: "TS code that covers every category (a `Record<CategoryId, T>`, or a `switch` that ends in a `never` check) stops compiling; Rust's `Category` is `#[non_exhaustive]`";
    ORDER_CHANGED = "order_changed", Compatible, "a code or category moved in the catalog's order",
        "nothing on the wire changes; the docs, OpenAPI and the packages' lists (`ErrorCode::ALL`) show the new order",
        source: "the Rust `ErrorCode` and `Category` number their variants in catalog order, so Rust code that casts one to an integer (`as usize`) or relies on their `Ord` (a `BTreeMap`'s order) sees other values; cargo-semver-checks reports it as `enum_no_repr_variant_discriminant_changed`";
    RETRY_CONFIG_CHANGED = "retry_config_changed", Compatible, "retry parameters changed",
        "clients' retry helpers wait and attempt differently after they update; old ones keep the old parameters";
    ENVELOPE_FIELD_MADE_REQUIRED = "envelope_field_made_required", Compatible, "envelope field made required",
        "old clients already accept the field when it is present",
        source: "the Rust field turns from `Option<T>` into `T`, so code reading it as an `Option` stops compiling, and TS code that builds bodies without it does too";
    MESSAGE_WRITER_CHANGED = "message_writer_changed", Compatible, "message now written by the server at run time, or by a template again",
        "clients read `message` as before (they must not parse it); it reads differently",
        source: "the code's Rust and Python constructors gain (or lose) their `message` argument";
    DESCRIPTION_CHANGED = "description_changed", Patch, "description changed",
        "docs and doc comments only";
    MESSAGE_CHANGED = "message_changed", Patch, "message template changed",
        "the human-readable `message` reads differently; clients must not parse it";
    REMEDIATION_CHANGED = "remediation_changed", Patch, "remediation changed",
        "docs only";
    EXAMPLES_CHANGED = "examples_changed", Patch, "examples changed",
        "docs, OpenAPI examples and the generated tests only";
    DOCS_TEXT_CHANGED = "docs_text_changed", Patch, "docs text changed",
        "docs, doc comments and OpenAPI descriptions only";
    WIRE_FACT_CHANGED = "wire_fact_changed", Patch, "a code's title, docs link or canonical status on the wire changed",
        "servers send the new text (RFC 9457 `title`, AIP-193 `status` and `Help`, a docs link member); clients do not tell codes apart by it";
    SINCE_CHANGED = "since_changed", Patch, "`since` changed",
        "docs and the changelog page only";
    DEPRECATION_CHANGED = "deprecation_changed", Patch, "deprecation note changed or lifted",
        "docs and deprecation warnings only";
    RETIREMENT_ADDED = "retirement_added", Patch, "a code the catalog never had listed as retired",
        "its name stays reserved, and the packages' `RETIRED_CODES` and the docs list it; no client received it from this catalog";
    LICENSE_CHANGED = "license_changed", Patch, "license changed",
        "the packages' manifests only (Cargo.toml, package.json, pyproject.toml); no code changes, but users who vet licenses see a new one";
}

/// The source break of a code's first details field (`optional_field_added`,
/// `required_field_added`), beyond the field's own.
const FIRST_DETAILS_FIELD: &str = "the code had no details: its Rust `ErrorKind` variant turns from a unit variant into one holding them, so every `match` arm on it stops compiling; its Rust constructor takes the details as a new argument; in Python `details` turns from a `Mapping` into a dataclass, so code calling `.get` on it fails at run time; and Rust and TS code that builds the details must set the new field";
/// The source break of a code's first header (`header_added`).
const FIRST_HEADER: &str = "the code had no headers: its Rust constructor takes the headers struct as a new argument, so every call to it stops compiling, and Python and TypeScript code that builds the code's headers must give a new required one";
/// The source break of a code's last header removed (`optional_header_removed`).
const LAST_HEADER: &str = "the code has no headers left: its Rust constructor loses its headers argument and its headers struct goes, so every call to it stops compiling, and Python and TypeScript code that gives the header stops type-checking";

/// One change.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub rule: &'static str,
    pub level: Level,
    /// The rule's title ("required details field made optional").
    pub title: &'static str,
    /// The code it concerns, if any (catalog-wide changes have none).
    pub code: Option<String>,
    /// Where, inside the catalog: `rate_limited.details.retry_after`, `api.packages.rust`.
    pub path: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// What breaks for whom (the rule's reason).
    pub reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_break: Option<&'static str>,
    /// What the author should do instead, when there is a better way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// The changes between two catalogs and the verdict on the version.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub changes: Vec<Change>,
    pub verdict: Verdict,
}

/// The semver verdict, checked against the change of `api.version`.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// The most severe change; `None` when nothing changed.
    pub level: Option<Level>,
    pub old_version: String,
    pub new_version: String,
    /// The lowest version the changes allow, when they require a bump.
    pub required: Option<String>,
    /// Whether the new version is at least `required` (and did not go down).
    pub ok: bool,
    /// One line that says why.
    pub message: String,
}

impl Change {
    /// Keeps the rule's source note only when `member` is a body member every body carries:
    /// the only members whose change the TS wire types (`WireBody`, `WireBodyOf`) show.
    fn typed_in_body(&mut self, member: &WireMember) {
        let typed = member.required || matches!(member.role, wire::Role::Constant { .. });
        if !(typed && matches!(member.at, wire::Place::Body { .. })) {
            self.source_break = None;
        }
    }

    /// Whether the change touches only what no package ships (the docs site, OpenAPI and
    /// `catalog.json`): the guidance pages, the statuses' descriptions, the code style and
    /// pattern. Every other change,
    /// patch ones included, changes the packages' files (doc comments, messages, tests,
    /// manifests), so publishing them needs a new version.
    pub fn docs_site_only(&self) -> bool {
        self.rule == DOCS_TEXT_CHANGED.id
            && (self.path.starts_with("guidance.")
                || self.path.starts_with("statuses.")
                || matches!(self.path.as_str(), "api.code_style" | "api.code_pattern"))
    }
}

impl Report {
    pub fn count(&self, level: Level) -> usize {
        self.changes.iter().filter(|c| c.level == level).count()
    }
}

/// Compares two validated catalogs.
pub fn compare(old: &Catalog, new: &Catalog) -> Report {
    let keyed_by_uri = |w: &Wire| {
        w.members.iter().any(|m| {
            m.role
                == Role::Code {
                    form: CodeForm::TypeUri,
                }
        })
    };
    let mut d = Differ {
        out: Vec::new(),
        type_uris: keyed_by_uri(&old.wire) && keyed_by_uri(&new.wire),
    };
    d.catalog(old, new);
    let level = d.out.iter().map(|c| c.level).max();
    let release = d.out.iter().any(|c| !c.docs_site_only());
    Report {
        verdict: verdict(&old.api.version, &new.api.version, level, release),
        changes: d.out,
    }
}

/// The report for a catalog that did not exist at the base (the pull request that adds it):
/// every code added, and no version to compare with, so any version is fine.
pub fn introduced(new: &Catalog) -> Report {
    let mut d = Differ {
        out: Vec::new(),
        type_uris: false,
    };
    for e in &new.errors {
        d.push(&CODE_ADDED, Some(&e.code), e.code.clone(), None, None);
    }
    let version = &new.api.version;
    Report {
        verdict: Verdict {
            level: d.out.iter().map(|c| c.level).max(),
            old_version: "none".to_string(),
            new_version: version.clone(),
            required: None,
            ok: true,
            message: format!("the catalog is new: {version} is its first version"),
        },
        changes: d.out,
    }
}

struct Differ {
    out: Vec<Change>,
    /// Whether both wires name a code by its type URI (RFC 9457), so changing one renames it.
    type_uris: bool,
}

fn text<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

impl Differ {
    fn push(
        &mut self,
        rule: &'static Rule,
        code: Option<&str>,
        path: String,
        old: Option<String>,
        new: Option<String>,
    ) -> &mut Change {
        self.out.push(Change {
            rule: rule.id,
            level: rule.level,
            title: rule.title,
            code: code.map(str::to_string),
            path,
            old,
            new,
            reason: rule.reason,
            source_break: rule.source_break,
            help: None,
        });
        self.out.last_mut().expect("just pushed")
    }

    /// A docs-only text field: one `docs_text_changed` (or `rule`) when it differs.
    /// A field or header that became optional (`rules[0]`) or required (`rules[1]`).
    fn requiredness(
        &mut self,
        rules: [&'static Rule; 2],
        code: Option<&str>,
        at: &str,
        old: bool,
        new: bool,
    ) {
        let rule = match (old, new) {
            (true, false) => rules[0],
            (false, true) => rules[1],
            _ => return,
        };
        let word = |required: bool| text(Some(if required { "required" } else { "optional" }));
        self.push(rule, code, at.to_string(), word(old), word(new));
    }

    fn text_field(
        &mut self,
        rule: &'static Rule,
        code: Option<&str>,
        path: String,
        old: Option<&str>,
        new: Option<&str>,
    ) {
        if old != new {
            self.push(rule, code, path, text(old), text(new));
        }
    }

    fn catalog(&mut self, old: &Catalog, new: &Catalog) {
        self.api(old, new);
        self.wire(&old.wire, &new.wire);
        // The envelope's own rules hold between two flat wires; otherwise the envelope is not
        // the wire (a custom wire's catalog has the default one) and the wire's rules apply.
        let flat = old.wire.preset == Preset::Flat && new.wire.preset == Preset::Flat;
        let envelopes = if flat {
            old.envelope
                .fields
                .iter()
                .zip(&new.envelope.fields)
                .collect()
        } else {
            Vec::new()
        };
        for (a, b) in envelopes {
            let path = format!("envelope.{}", a.name.as_str());
            match (a.required, b.required) {
                (true, false) => {
                    self.push(
                        &ENVELOPE_FIELD_MADE_OPTIONAL,
                        None,
                        path.clone(),
                        text(Some("required")),
                        text(Some("optional")),
                    );
                }
                (false, true) => {
                    self.push(
                        &ENVELOPE_FIELD_MADE_REQUIRED,
                        None,
                        path.clone(),
                        text(Some("optional")),
                        text(Some("required")),
                    );
                }
                _ => {}
            }
            self.text_field(
                &DOCS_TEXT_CHANGED,
                None,
                format!("{path}.description"),
                Some(&a.description),
                Some(&b.description),
            );
        }
        if old.envelope.example != new.envelope.example {
            self.push(
                &DOCS_TEXT_CHANGED,
                None,
                "envelope.example".into(),
                old.envelope.example.as_ref().map(json),
                new.envelope.example.as_ref().map(json),
            );
        }
        let old_statuses: HashMap<u16, &str> = old
            .statuses
            .iter()
            .map(|s| (s.code, s.description.as_str()))
            .collect();
        let new_statuses: HashMap<u16, &str> = new
            .statuses
            .iter()
            .map(|s| (s.code, s.description.as_str()))
            .collect();
        let mut all: Vec<u16> = old_statuses
            .keys()
            .chain(new_statuses.keys())
            .copied()
            .collect();
        all.sort_unstable();
        all.dedup();
        for s in all {
            self.text_field(
                &DOCS_TEXT_CHANGED,
                None,
                format!("statuses.{s}"),
                old_statuses.get(&s).copied(),
                new_statuses.get(&s).copied(),
            );
        }
        for a in &old.categories {
            match new.categories.iter().find(|c| c.id == a.id) {
                None => {
                    self.push(
                        &CATEGORY_REMOVED,
                        None,
                        format!("categories.{}", a.id),
                        text(Some(&a.id)),
                        None,
                    );
                }
                Some(b) => {
                    self.text_field(
                        &DOCS_TEXT_CHANGED,
                        None,
                        format!("categories.{}.title", a.id),
                        Some(&a.title),
                        Some(&b.title),
                    );
                    self.text_field(
                        &DOCS_TEXT_CHANGED,
                        None,
                        format!("categories.{}.description", a.id),
                        a.description.as_deref(),
                        b.description.as_deref(),
                    );
                }
            }
        }
        for b in &new.categories {
            if !old.categories.iter().any(|c| c.id == b.id) {
                self.push(
                    &CATEGORY_ADDED,
                    None,
                    format!("categories.{}", b.id),
                    None,
                    text(Some(&b.id)),
                );
            }
        }
        let (r, s) = (&old.retry, &new.retry);
        for (key, a, b) in [
            (
                "max_attempts",
                u64::from(r.max_attempts),
                u64::from(s.max_attempts),
            ),
            ("initial_delay_ms", r.initial_delay_ms, s.initial_delay_ms),
            (
                "multiplier",
                u64::from(r.multiplier),
                u64::from(s.multiplier),
            ),
            ("max_delay_ms", r.max_delay_ms, s.max_delay_ms),
            (
                "default_delay_seconds",
                r.default_delay_seconds,
                s.default_delay_seconds,
            ),
        ] {
            if a != b {
                self.push(
                    &RETRY_CONFIG_CHANGED,
                    None,
                    format!("retry.{key}"),
                    text(Some(a)),
                    text(Some(b)),
                );
            }
        }
        let guides = |c: &Catalog| -> Vec<(String, String)> {
            c.guidance
                .iter()
                .map(|g| (g.id.clone(), format!("{}\n{}", g.title, g.body)))
                .collect()
        };
        let (og, ng) = (guides(old), guides(new));
        let title = |body: &str| body.split('\n').next().unwrap_or("").to_string();
        for (id, body) in &og {
            let other = ng.iter().find(|(i, _)| i == id).map(|(_, b)| b.as_str());
            let path = format!("guidance.{id}");
            match other {
                // Removed: `(was <title>)`.
                None => {
                    self.push(&DOCS_TEXT_CHANGED, None, path, Some(title(body)), None);
                }
                Some(b) if title(b) != title(body) => {
                    self.push(
                        &DOCS_TEXT_CHANGED,
                        None,
                        path,
                        Some(title(body)),
                        Some(title(b)),
                    );
                }
                Some(b) if b != body => {
                    self.push(&DOCS_TEXT_CHANGED, None, format!("{path}.body"), None, None);
                }
                Some(_) => {}
            }
        }
        for (id, body) in &ng {
            if !og.iter().any(|(i, _)| i == id) {
                self.push(
                    &DOCS_TEXT_CHANGED,
                    None,
                    format!("guidance.{id}"),
                    None,
                    Some(title(body)),
                );
            }
        }
        self.codes(old, new);
        self.order(old, new);
    }

    /// A code or category that is in both catalogs but at another place in the order: the Rust
    /// enums number their variants in that order. A code added at the end moves none. After a
    /// removal (or a rename), which is breaking on its own, the order is not compared.
    fn order(&mut self, old: &Catalog, new: &Catalog) {
        let codes = |c: &Catalog| c.errors.iter().map(|e| e.code.clone()).collect::<Vec<_>>();
        let ids = |c: &Catalog| {
            c.categories
                .iter()
                .map(|k| k.id.clone())
                .collect::<Vec<_>>()
        };
        for (path, a, b) in [
            ("errors", codes(old), codes(new)),
            ("categories", ids(old), ids(new)),
        ] {
            let place: HashMap<&str, usize> =
                b.iter().enumerate().map(|(j, x)| (x.as_str(), j)).collect();
            if a.iter().any(|x| !place.contains_key(x.as_str())) {
                continue;
            }
            let moved = a.iter().enumerate().find_map(|(i, x)| {
                let j = place[x.as_str()];
                (i != j).then_some((x, i, j))
            });
            if let Some((x, i, j)) = moved {
                let (from, to) = (format!("`{x}` at {}", i + 1), format!("at {}", j + 1));
                self.push(&ORDER_CHANGED, None, path.into(), Some(from), Some(to));
            }
        }
    }

    /// The wire format: its content type, and each member by key, place and role (their
    /// descriptions are docs). Between two flat envelopes the envelope's own rules apply.
    ///
    /// Servers write only the first body place of each piece (a header besides), and clients
    /// read the first place present of the ones they know: a piece whose written place old
    /// clients do not know is a changed wire, however the places around it changed.
    fn wire(&mut self, a: &Wire, b: &Wire) {
        let both_flat = a.preset == Preset::Flat && b.preset == Preset::Flat;
        let same = |m: &WireMember, n: &WireMember| {
            wire_key(m) == wire_key(n) && same_place(&m.at, &n.at) && m.role == n.role
        };
        // A preset spelled out as a custom wire (or the other way) changes nothing on the wire:
        // only a change of what is where counts (requiredness is compared member by member
        // below, descriptions are docs).
        let same_members = a.members.len() == b.members.len()
            && a.members
                .iter()
                .all(|m| b.members.iter().any(|n| same(m, n)));
        if !both_flat && a.preset != b.preset {
            let rule = if !same_members {
                Some(&WIRE_CHANGED)
            } else if a.preset == Preset::Flat || b.preset == Preset::Flat {
                Some(&WIRE_PRESET_SPELLED_OUT)
            } else {
                None
            };
            if let Some(rule) = rule {
                self.push(
                    rule,
                    None,
                    "api.wire".into(),
                    text(Some(a.preset.name())),
                    text(Some(b.preset.name())),
                );
            }
        }
        if a.content_type != b.content_type {
            self.push(
                &WIRE_CHANGED,
                None,
                "api.wire.content_type".into(),
                text(Some(&a.content_type)),
                text(Some(&b.content_type)),
            );
        }
        if both_flat {
            return;
        }
        // A member at the same place under the same key whose role changed (a field's type or
        // format, a constant's value) is one change, shown before and after.
        let changed = |m: &WireMember, n: &WireMember| {
            wire_key(m) == wire_key(n)
                && same_place(&m.at, &n.at)
                && m.role != n.role
                && std::mem::discriminant(&m.role) == std::mem::discriminant(&n.role)
        };
        // The place servers write each piece to: its first body place, else its first header.
        let written = |w: &Wire, key: &str| -> Option<usize> {
            let of_key = || {
                w.members
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| wire_key(m) == key)
            };
            of_key()
                .find(|(_, m)| matches!(m.at, wire::Place::Body { .. }))
                .or_else(|| of_key().next())
                .map(|(i, _)| i)
        };
        let mut handled_a = vec![false; a.members.len()];
        let mut handled_b = vec![false; b.members.len()];
        let mut keys: Vec<String> = Vec::new();
        for n in &b.members {
            let k = wire_key(n);
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        for key in &keys {
            let (Some(i), Some(j)) = (written(a, key), written(b, key)) else {
                continue;
            };
            let (wa, wb) = (&a.members[i], &b.members[j]);
            // Old clients know the place (a role changed there is reported below), or read a
            // header that servers still write.
            let known = a
                .members
                .iter()
                .any(|m| wire_key(m) == *key && same_place(&m.at, &wb.at));
            let header_kept = a.members.iter().any(|m| {
                wire_key(m) == *key
                    && matches!(m.at, wire::Place::Header { .. })
                    && b.members.iter().any(|n| same(m, n))
            });
            if known || header_kept {
                continue;
            }
            self.push(
                &WIRE_CHANGED,
                None,
                format!("api.wire.{key}"),
                Some(shown_member(wa)),
                Some(shown_member(wb)),
            );
            handled_b[j] = true;
            if !b.members.iter().any(|n| same(wa, n) || changed(wa, n)) {
                handled_a[i] = true;
            }
        }
        for (i, m) in a.members.iter().enumerate() {
            let path = format!("api.wire.{}", wire_key(m));
            // Descriptions are docs (doc comments, OpenAPI), wherever the member went.
            if let Some(n) = b
                .members
                .iter()
                .find(|n| wire_key(m) == wire_key(n) && same_place(&m.at, &n.at))
            {
                if let (wire::Place::Header { header: x }, wire::Place::Header { header: y }) =
                    (&m.at, &n.at)
                    && x != y
                {
                    self.push(
                        &HEADER_CASE_CHANGED,
                        None,
                        path.clone(),
                        text(Some(x)),
                        text(Some(y)),
                    );
                }
                self.text_field(
                    &DOCS_TEXT_CHANGED,
                    None,
                    format!("{path}.description"),
                    Some(&m.description),
                    Some(&n.description),
                );
            }
            if handled_a[i] {
                continue;
            }
            let constant = m.is_wire_constant();
            if !b.members.iter().any(|n| same(m, n))
                && let Some(n) = b.members.iter().find(|n| changed(m, n))
            {
                self.push(
                    if constant {
                        &WIRE_CONSTANT_CHANGED
                    } else {
                        &WIRE_CHANGED
                    },
                    None,
                    path,
                    Some(shown_member(m)),
                    Some(shown_member(n)),
                )
                .typed_in_body(m);
                continue;
            }
            match b.members.iter().find(|n| same(m, n)) {
                // Where the server's delay is read: clients wait another delay.
                None if m.role == Role::RetryDelay => {
                    self.push(&RETRY_CHANGED, None, path, Some(shown_member(m)), None);
                }
                None if constant => {
                    self.push(
                        &WIRE_CONSTANT_CHANGED,
                        None,
                        path,
                        Some(shown_member(m)),
                        None,
                    )
                    .typed_in_body(m);
                }
                None => {
                    self.push(&WIRE_CHANGED, None, path, Some(shown_member(m)), None);
                }
                Some(n) if m.required != n.required => {
                    let rule = if n.required {
                        &WIRE_MEMBER_ADDED
                    } else {
                        &WIRE_CHANGED
                    };
                    self.push(
                        rule,
                        None,
                        path,
                        Some(shown_member(m)),
                        Some(shown_member(n)),
                    )
                    .typed_in_body(n);
                }
                Some(_) => {}
            }
        }
        for (j, n) in b.members.iter().enumerate() {
            if handled_b[j] || a.members.iter().any(|m| same(m, n) || changed(m, n)) {
                continue;
            }
            let path = format!("api.wire.{}", wire_key(n));
            let rule = if n.role == Role::RetryDelay {
                &RETRY_CHANGED
            } else {
                &WIRE_MEMBER_ADDED
            };
            self.push(rule, None, path, None, Some(shown_member(n)))
                .typed_in_body(n);
        }
    }

    fn api(&mut self, old: &Catalog, new: &Catalog) {
        let (a, b) = (&old.api, &new.api);
        for (key, x, y) in [
            ("rust", &a.packages.rust, &b.packages.rust),
            ("typescript", &a.packages.typescript, &b.packages.typescript),
            ("python", &a.packages.python, &b.packages.python),
        ] {
            if x != y {
                self.push(
                    &PACKAGE_RENAMED,
                    None,
                    format!("api.packages.{key}"),
                    text(Some(x)),
                    text(Some(y)),
                );
            }
        }
        if a.packages.error_type != b.packages.error_type {
            self.push(
                &ERROR_TYPE_RENAMED,
                None,
                "api.packages.error_type".into(),
                text(Some(&a.packages.error_type)),
                text(Some(&b.packages.error_type)),
            );
        }
        self.text_field(
            &DOCS_TEXT_CHANGED,
            None,
            "api.name".into(),
            Some(&a.name),
            Some(&b.name),
        );
        self.text_field(
            &DOCS_TEXT_CHANGED,
            None,
            "api.description".into(),
            a.description.as_deref(),
            b.description.as_deref(),
        );
        self.text_field(
            &DOCS_TEXT_CHANGED,
            None,
            "api.docs_url".into(),
            Some(&a.docs_url),
            Some(&b.docs_url),
        );
        // Checked by `validate` only; `catalog.json` carries them.
        if a.code_style != b.code_style {
            self.push(
                &DOCS_TEXT_CHANGED,
                None,
                "api.code_style".into(),
                Some(json(&a.code_style).trim_matches('"').to_string()),
                Some(json(&b.code_style).trim_matches('"').to_string()),
            );
        }
        self.text_field(
            &DOCS_TEXT_CHANGED,
            None,
            "api.code_pattern".into(),
            a.code_pattern.as_deref(),
            b.code_pattern.as_deref(),
        );
        self.text_field(
            &LICENSE_CHANGED,
            None,
            "api.license".into(),
            a.license.as_deref(),
            b.license.as_deref(),
        );
    }

    fn codes(&mut self, old: &Catalog, new: &Catalog) {
        let old_codes: HashMap<&str, &ErrorDef> =
            old.errors.iter().map(|e| (e.code.as_str(), e)).collect();
        let new_codes: HashMap<&str, &ErrorDef> =
            new.errors.iter().map(|e| (e.code.as_str(), e)).collect();
        let old_retired: HashSet<&str> = old.retired.iter().map(|r| r.code.as_str()).collect();
        let new_retired: HashMap<&str, &crate::model::Retired> =
            new.retired.iter().map(|r| (r.code.as_str(), r)).collect();

        // A removed code and an added one with the same wire shape are a rename, unless the
        // removed one was retired (then the author said what happened).
        let added: Vec<&ErrorDef> = new
            .errors
            .iter()
            .filter(|e| !old_codes.contains_key(e.code.as_str()))
            .collect();
        let mut renamed_to: HashMap<&str, &str> = HashMap::new();
        let mut taken: HashSet<&str> = HashSet::new();
        for e in &old.errors {
            if new_codes.contains_key(e.code.as_str()) || new_retired.contains_key(e.code.as_str())
            {
                continue;
            }
            if let Some(a) = added
                .iter()
                .find(|a| !taken.contains(a.code.as_str()) && same_shape(e, a))
            {
                taken.insert(&a.code);
                renamed_to.insert(&e.code, &a.code);
            }
        }

        for e in &old.errors {
            let code = e.code.as_str();
            if let Some(b) = new_codes.get(code) {
                self.code(e, b);
            } else if let Some(to) = renamed_to.get(code) {
                self.push(
                    &CODE_RENAMED,
                    Some(code),
                    code.to_string(),
                    text(Some(code)),
                    text(Some(to)),
                )
                .help = Some(format!(
                    "if both must exist, keep `{code}` (deprecated, `replaced_by: {to}`) for a major version; otherwise retire `{code}` with `replaced_by: {to}`"
                ));
                // What else changed with the name (its retry policy, its category, ...).
                if let Some(b) = new_codes.get(to) {
                    self.code(e, b);
                }
            } else if let Some(r) = new_retired.get(code) {
                self.push(
                    &CODE_RETIRED,
                    Some(code),
                    code.to_string(),
                    None,
                    Some(match &r.replaced_by {
                        Some(to) => format!("retired in {}, replaced by {to}", r.version),
                        None => format!("retired in {}", r.version),
                    }),
                );
            } else {
                let replaced = e
                    .deprecated
                    .as_ref()
                    .and_then(|d| d.replaced_by.as_deref())
                    .map(|to| format!(", replaced_by: {}", yaml_plain(to)))
                    .unwrap_or_default();
                let reason = e
                    .deprecated
                    .as_ref()
                    .map_or("<why it was removed>", |d| d.reason.as_str());
                self.push(&CODE_REMOVED, Some(code), code.to_string(), None, None)
                    .help = Some(format!(
                    "retire it instead: add `{{ code: {}, version: {}, reason: {}, category: {}{replaced} }}` to `retired:` in the catalog",
                    yaml_plain(code),
                    // A semver version (`1.2.3`) reads back as a string as it is.
                    retiring_version(&old.api.version, &new.api.version),
                    yaml_plain(reason),
                    yaml_plain(&e.category),
                ));
            }
        }
        for e in &new.errors {
            let code = e.code.as_str();
            if old_codes.contains_key(code) || taken.contains(code) {
                continue;
            }
            if old_retired.contains(code) {
                self.push(
                    &RETIRED_CODE_REUSED,
                    Some(code),
                    code.to_string(),
                    text(Some("retired")),
                    text(Some("live")),
                )
                .help = Some(format!(
                    "choose a new name, and keep `{code}` in `retired:`"
                ));
            } else {
                self.push(&CODE_ADDED, Some(code), code.to_string(), None, None);
            }
        }
        for r in &old.retired {
            // A retired code live again is reported above, as a reuse.
            if !new_retired.contains_key(r.code.as_str())
                && !new_codes.contains_key(r.code.as_str())
            {
                self.push(
                    &RETIREMENT_REMOVED,
                    Some(&r.code),
                    format!("retired.{}", r.code),
                    Some(format!("retired in {}", r.version)),
                    None,
                )
                .help = Some(format!(
                    "keep `{}` in `retired:`: codes are never reused",
                    r.code
                ));
            }
        }
        let show = |r: &crate::model::Retired| {
            format!(
                "{} ({}){}{}",
                r.version,
                r.reason,
                r.replaced_by
                    .as_deref()
                    .map(|t| format!(", replaced by {t}"))
                    .unwrap_or_default(),
                r.category
                    .as_deref()
                    .map(|c| format!(", category {c}"))
                    .unwrap_or_default()
            )
        };
        for r in &new.retired {
            if let Some(o) = old.retired.iter().find(|o| o.code == r.code) {
                self.text_field(
                    &DOCS_TEXT_CHANGED,
                    Some(&r.code),
                    format!("retired.{}", r.code),
                    Some(&show(o)),
                    Some(&show(r)),
                );
            } else if !old_codes.contains_key(r.code.as_str()) {
                // A code this catalog never had (one of a catalog merged in, or reserved).
                self.push(
                    &RETIREMENT_ADDED,
                    Some(&r.code),
                    format!("retired.{}", r.code),
                    None,
                    Some(show(r)),
                );
            }
        }
    }

    fn code(&mut self, a: &ErrorDef, b: &ErrorDef) {
        let code = Some(a.code.as_str());
        let at = |k: &str| format!("{}.{k}", a.code);
        if self.type_uris && a.wire.type_uri != b.wire.type_uri {
            self.push(
                &TYPE_URI_CHANGED,
                code,
                at("wire.type"),
                a.wire.type_uri.clone(),
                b.wire.type_uri.clone(),
            );
        }
        if a.status != b.status {
            self.push(
                &STATUS_CHANGED,
                code,
                at("status"),
                text(Some(a.status)),
                text(Some(b.status)),
            );
        }
        if a.delivery != b.delivery {
            self.push(
                &DELIVERY_CHANGED,
                code,
                at("delivery"),
                text(Some(delivery(a.delivery))),
                text(Some(delivery(b.delivery))),
            );
        }
        if a.retry != b.retry {
            self.push(
                &RETRY_CHANGED,
                code,
                at("retry"),
                text(Some(retry(&a.retry))),
                text(Some(retry(&b.retry))),
            );
        }
        if a.category != b.category {
            self.push(
                &CATEGORY_CHANGED,
                code,
                at("category"),
                text(Some(&a.category)),
                text(Some(&b.category)),
            );
        }
        let empty = ObjectSchema {
            properties: Vec::new(),
        };
        let none = |d: &Option<ObjectSchema>| d.as_ref().is_none_or(|d| d.properties.is_empty());
        let from = self.out.len();
        self.object(
            code,
            &at("details"),
            a.details.as_ref().unwrap_or(&empty),
            b.details.as_ref().unwrap_or(&empty),
        );
        // A code's first details field changes more than the field's own rule says.
        if none(&a.details) && !none(&b.details) {
            for c in &mut self.out[from..] {
                if c.rule == OPTIONAL_FIELD_ADDED.id || c.rule == REQUIRED_FIELD_ADDED.id {
                    c.source_break = Some(FIRST_DETAILS_FIELD);
                }
            }
        }
        let from = self.out.len();
        self.headers(code, &a.code, &a.headers, &b.headers);
        // So do its first header and its last one.
        let note = match (a.headers.is_empty(), b.headers.is_empty()) {
            (true, false) => Some((HEADER_ADDED.id, FIRST_HEADER)),
            (false, true) => Some((OPTIONAL_HEADER_REMOVED.id, LAST_HEADER)),
            _ => None,
        };
        if let Some((rule, note)) = note {
            for c in &mut self.out[from..] {
                if c.rule == rule {
                    c.source_break = Some(note);
                }
            }
        }
        self.text_field(
            &DESCRIPTION_CHANGED,
            code,
            at("description"),
            Some(&a.description),
            Some(&b.description),
        );
        if a.message.is_runtime() != b.message.is_runtime() {
            let writer = |m: &crate::model::MessageTemplate| match &m.runtime {
                Some(_) => "written by the server".to_string(),
                None => format!("template {}", m.source),
            };
            self.push(
                &MESSAGE_WRITER_CHANGED,
                code,
                at("message"),
                Some(writer(&a.message)),
                Some(writer(&b.message)),
            );
        } else {
            self.text_field(
                &MESSAGE_CHANGED,
                code,
                at("message"),
                Some(&a.message.source),
                Some(&b.message.source),
            );
            self.text_field(
                &DOCS_TEXT_CHANGED,
                code,
                at("message.runtime"),
                a.message.runtime.as_deref(),
                b.message.runtime.as_deref(),
            );
        }
        if json(&a.remediation) != json(&b.remediation) {
            self.push(&REMEDIATION_CHANGED, code, at("remediation"), None, None);
        }
        for (key, x, y) in [
            ("wire.title", &a.wire.title, &b.wire.title),
            ("wire.docs_url", &a.wire.docs_url, &b.wire.docs_url),
            ("wire.status", &a.wire.grpc_status, &b.wire.grpc_status),
        ] {
            self.text_field(
                &WIRE_FACT_CHANGED,
                code,
                at(key),
                x.as_deref(),
                y.as_deref(),
            );
        }
        // Examples must follow a new message template, and a renamed code's its new name: that
        // alone is not another change. Their wire form follows the wire's facts (the rules
        // above say what changed there).
        let examples = |e: &ErrorDef| {
            let mut list = e.examples.clone();
            for x in &mut list {
                x.wire = None;
                if let Some(m) = x.body.as_object_mut() {
                    if a.message.source != b.message.source
                        || a.message.is_runtime() != b.message.is_runtime()
                    {
                        m.remove("message");
                    }
                    if a.code != b.code {
                        m.remove("error");
                    }
                }
            }
            json(&list)
        };
        if examples(a) != examples(b) {
            let names = |e: &ErrorDef| {
                e.examples
                    .iter()
                    .map(|x| x.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let (x, y) = (names(a), names(b));
            let (x, y) = if x == y {
                (None, None)
            } else {
                (Some(x), Some(y))
            };
            self.push(&EXAMPLES_CHANGED, code, at("examples"), x, y);
        }
        self.text_field(
            &SINCE_CHANGED,
            code,
            at("since"),
            a.since.as_deref(),
            b.since.as_deref(),
        );
        match (&a.deprecated, &b.deprecated) {
            (None, Some(d)) => {
                self.push(
                    &CODE_DEPRECATED,
                    code,
                    at("deprecated"),
                    None,
                    Some(match &d.replaced_by {
                        Some(to) => format!("{}; replaced by {to}", d.reason.trim_end_matches('.')),
                        None => d.reason.clone(),
                    }),
                );
            }
            (Some(x), y) if y.as_ref().map(json) != Some(json(x)) => {
                self.push(
                    &DEPRECATION_CHANGED,
                    code,
                    at("deprecated"),
                    text(Some(&x.reason)),
                    y.as_ref().map(|d| d.reason.clone()),
                );
            }
            _ => {}
        }
    }

    fn object(&mut self, code: Option<&str>, path: &str, a: &ObjectSchema, b: &ObjectSchema) {
        for p in &a.properties {
            let at = format!("{path}.{}", p.name);
            match b.property(&p.name) {
                None => {
                    let rule = if p.required {
                        &REQUIRED_FIELD_REMOVED
                    } else {
                        &OPTIONAL_FIELD_REMOVED
                    };
                    self.push(rule, code, at, Some(signature(&p.schema)), None);
                }
                Some(q) => {
                    self.requiredness(
                        [&FIELD_MADE_OPTIONAL, &FIELD_MADE_REQUIRED],
                        code,
                        &at,
                        p.required,
                        q.required,
                    );
                    self.schema(code, &at, &p.schema, &q.schema);
                }
            }
        }
        for q in &b.properties {
            if a.property(&q.name).is_none() {
                let rule = if q.required {
                    &REQUIRED_FIELD_ADDED
                } else {
                    &OPTIONAL_FIELD_ADDED
                };
                self.push(
                    rule,
                    code,
                    format!("{path}.{}", q.name),
                    None,
                    Some(signature(&q.schema)),
                );
            }
        }
    }

    fn schema(&mut self, code: Option<&str>, path: &str, a: &Schema, b: &Schema) {
        self.text_field(
            &DOCS_TEXT_CHANGED,
            code,
            format!("{path}.description"),
            a.description.as_deref(),
            b.description.as_deref(),
        );
        if a.nullable != b.nullable {
            let (rule, old, new) = if b.nullable {
                (&FIELD_MADE_NULLABLE, "not null", "nullable")
            } else {
                (&FIELD_MADE_NON_NULLABLE, "nullable", "not null")
            };
            self.push(
                rule,
                code,
                path.to_string(),
                text(Some(old)),
                text(Some(new)),
            );
        }
        // Different kinds are a type change and nothing more to compare. Arrays and maps
        // compare their items below (an enum given to items narrows them, as it does a field);
        // two strings compare their constraints below too, whatever their type change.
        let same_kind = std::mem::discriminant(&a.kind) == std::mem::discriminant(&b.kind);
        let (sa, sb) = (signature(a), signature(b));
        if !same_kind {
            self.push(
                &FIELD_TYPE_CHANGED,
                code,
                path.to_string(),
                Some(sa),
                Some(sb),
            );
            return;
        }
        if sa != sb && matches!(a.kind, SchemaKind::String { .. }) {
            let narrowed = matches!(
                (&a.kind, &b.kind),
                (
                    SchemaKind::String {
                        format: None,
                        enum_values: None,
                        constant: None,
                        ..
                    },
                    SchemaKind::String { .. }
                )
            );
            let widened = matches!(
                (&a.kind, &b.kind),
                (
                    SchemaKind::String { constant: None, .. },
                    SchemaKind::String {
                        format: None,
                        enum_values: None,
                        constant: None,
                        ..
                    }
                )
            );
            let rule = if narrowed {
                &FIELD_TYPE_NARROWED
            } else if widened {
                &FIELD_TYPE_WIDENED
            } else {
                &FIELD_TYPE_CHANGED
            };
            self.push(rule, code, path.to_string(), Some(sa), Some(sb));
        }
        match (&a.kind, &b.kind) {
            (
                SchemaKind::String {
                    enum_values: x,
                    labels: lx,
                    pattern: pa,
                    min_length: min_a,
                    max_length: max_a,
                    ..
                },
                SchemaKind::String {
                    enum_values: y,
                    labels: ly,
                    pattern: pb,
                    min_length: min_b,
                    max_length: max_b,
                    ..
                },
            ) => {
                if pa != pb {
                    // Only an added pattern is provably narrower; a changed one may admit values
                    // the old one excluded.
                    let rule = if pa.is_none() {
                        &CONSTRAINT_NARROWED
                    } else {
                        &CONSTRAINT_WIDENED
                    };
                    self.push(
                        rule,
                        code,
                        format!("{path}.pattern"),
                        pa.clone(),
                        pb.clone(),
                    );
                }
                self.counts(
                    code,
                    path,
                    ("minLength", *min_a, *min_b),
                    ("maxLength", *max_a, *max_b),
                );
                // An enum given or taken away is the type change above; values compare only
                // between two enums.
                let (x, y) = match (x.as_deref(), y.as_deref()) {
                    (Some(x), Some(y)) => (x, y),
                    _ => (&[][..], &[][..]),
                };
                for v in x.iter().filter(|v| !y.contains(v)) {
                    self.push(
                        &ENUM_VALUE_REMOVED,
                        code,
                        path.to_string(),
                        text(Some(v)),
                        None,
                    );
                }
                for v in y.iter().filter(|v| !x.contains(v)) {
                    self.push(
                        &ENUM_VALUE_ADDED,
                        code,
                        path.to_string(),
                        None,
                        text(Some(v)),
                    );
                }
                // Labels are what messages and docs print for a value.
                if lx != ly {
                    self.push(
                        &MESSAGE_CHANGED,
                        code,
                        format!("{path}.labels"),
                        Some(labels(lx)),
                        Some(labels(ly)),
                    );
                }
            }
            (
                SchemaKind::Integer {
                    minimum: min_a,
                    maximum: max_a,
                },
                SchemaKind::Integer {
                    minimum: min_b,
                    maximum: max_b,
                },
            ) => {
                // The Rust field is a `u64` exactly when the minimum is 0 or more.
                let unsigned = |m: &Option<i64>| m.is_some_and(|m| m >= 0);
                let retyped = unsigned(min_a) != unsigned(min_b);
                self.bounds(code, path, (*min_a, *max_a), (*min_b, *max_b), retyped);
            }
            (
                SchemaKind::Number {
                    minimum: min_a,
                    maximum: max_a,
                },
                SchemaKind::Number {
                    minimum: min_b,
                    maximum: max_b,
                },
            ) => self.bounds(code, path, (*min_a, *max_a), (*min_b, *max_b), false),
            (
                SchemaKind::Array {
                    items: x,
                    min_items: min_a,
                    max_items: max_a,
                },
                SchemaKind::Array {
                    items: y,
                    min_items: min_b,
                    max_items: max_b,
                },
            ) => {
                self.counts(
                    code,
                    path,
                    ("minItems", *min_a, *min_b),
                    ("maxItems", *max_a, *max_b),
                );
                self.schema(code, &format!("{path}[]"), x, y);
            }
            (SchemaKind::Map { values: x }, SchemaKind::Map { values: y }) => {
                self.schema(code, &format!("{path}.*"), x, y);
            }
            (SchemaKind::Object(x), SchemaKind::Object(y)) => self.object(code, path, x, y),
            _ => {}
        }
    }

    /// A lower and an upper count bound (`minLength`/`maxLength`, `minItems`/`maxItems`): a
    /// lower minimum or a higher maximum, or one removed, admits values old clients reject.
    /// Length and count limits (`minLength`, `maxItems`, ...) with the `constraint_*` rules.
    fn counts(
        &mut self,
        code: Option<&str>,
        path: &str,
        lower: (&str, Option<u64>, Option<u64>),
        upper: (&str, Option<u64>, Option<u64>),
    ) {
        let rules = (&CONSTRAINT_WIDENED, &CONSTRAINT_NARROWED);
        self.limits(code, path, lower, upper, rules);
    }

    /// Numeric bounds (`minimum`, `maximum`) with the `bound_*` rules; `retyped` when the change
    /// gives the field another Rust type, the only way a bound breaks source.
    fn bounds<T: PartialOrd + Copy + ToString>(
        &mut self,
        code: Option<&str>,
        path: &str,
        (min_a, max_a): (Option<T>, Option<T>),
        (min_b, max_b): (Option<T>, Option<T>),
        retyped: bool,
    ) {
        let from = self.out.len();
        let lower = ("minimum", min_a, min_b);
        let upper = ("maximum", max_a, max_b);
        self.limits(code, path, lower, upper, (&BOUND_WIDENED, &BOUND_NARROWED));
        if !retyped {
            for c in &mut self.out[from..] {
                c.source_break = None;
            }
        }
    }

    /// A lower limit lowered or an upper one raised (or either removed) admits values old clients
    /// reject: `widened`; any other change is `narrowed`.
    fn limits<T: PartialOrd + Copy + ToString>(
        &mut self,
        code: Option<&str>,
        path: &str,
        (lower, min_a, min_b): (&str, Option<T>, Option<T>),
        (upper, max_a, max_b): (&str, Option<T>, Option<T>),
        (widened, narrowed): (&'static Rule, &'static Rule),
    ) {
        let widened_min = match (min_a, min_b) {
            (Some(x), Some(y)) => y < x,
            (Some(_), None) => true,
            _ => false,
        };
        let widened_max = match (max_a, max_b) {
            (Some(x), Some(y)) => y > x,
            (Some(_), None) => true,
            _ => false,
        };
        for (key, x, y, wider) in [
            (lower, min_a, min_b, widened_min),
            (upper, max_a, max_b, widened_max),
        ] {
            if x != y {
                let rule = if wider { widened } else { narrowed };
                self.push(rule, code, format!("{path}.{key}"), text(x), text(y));
            }
        }
    }

    fn headers(&mut self, code: Option<&str>, name: &str, a: &[HeaderDef], b: &[HeaderDef]) {
        let find = |list: &'_ [HeaderDef], n: &str| -> Option<usize> {
            list.iter().position(|h| h.name.eq_ignore_ascii_case(n))
        };
        for h in a {
            let at = format!("{name}.headers.{}", h.name);
            match find(b, &h.name).map(|i| &b[i]) {
                None => {
                    let rule = if h.required {
                        &REQUIRED_HEADER_REMOVED
                    } else {
                        &OPTIONAL_HEADER_REMOVED
                    };
                    self.push(rule, code, at, text(Some(header_type(h.schema))), None);
                }
                Some(g) => {
                    self.requiredness(
                        [&REQUIRED_HEADER_REMOVED, &HEADER_MADE_REQUIRED],
                        code,
                        &at,
                        h.required,
                        g.required,
                    );
                    if h.name != g.name {
                        self.push(
                            &HEADER_CASE_CHANGED,
                            code,
                            at.clone(),
                            text(Some(&h.name)),
                            text(Some(&g.name)),
                        );
                    }
                    if h.schema != g.schema {
                        self.push(
                            &HEADER_TYPE_CHANGED,
                            code,
                            at.clone(),
                            text(Some(header_type(h.schema))),
                            text(Some(header_type(g.schema))),
                        );
                    }
                    self.text_field(
                        &DOCS_TEXT_CHANGED,
                        code,
                        format!("{at}.description"),
                        Some(&h.description),
                        Some(&g.description),
                    );
                }
            }
        }
        for g in b {
            if find(a, &g.name).is_none() {
                self.push(
                    &HEADER_ADDED,
                    code,
                    format!("{name}.headers.{}", g.name),
                    None,
                    text(Some(header_type(g.schema))),
                );
            }
        }
    }
}

/// A wire member's key under `api.wire` (`code`, `message`, `fields.request_id`,
/// `constants.jsonrpc`).
/// Keyed by role, so a piece is named as a custom wire names it whatever the preset called it
/// (RFC 9457's `type` is the code, its `status` the status).
fn wire_key(m: &WireMember) -> String {
    match &m.role {
        Role::Code { .. } => "code".into(),
        Role::Message => "message".into(),
        Role::Status => "status".into(),
        Role::Details => "details".into(),
        Role::Title => "title".into(),
        Role::DocsUrl => "docs_url".into(),
        Role::RetryDelay => "retry_delay".into(),
        // Presets' own pieces (AIP-193's), which a custom wire cannot name.
        Role::GrpcStatus => "grpc_status".into(),
        // AIP-193's `domain` is a preset parameter, `api.wire.domain`.
        Role::Constant { .. } if m.is_wire_constant() => format!("constants.{}", m.name),
        Role::Constant { .. } => m.name.clone(),
        Role::Field { .. } => format!("fields.{}", m.name),
    }
}

/// Two places are one: header names match in any case, as HTTP reads them.
fn same_place(a: &wire::Place, b: &wire::Place) -> bool {
    match (a, b) {
        (wire::Place::Header { header: x }, wire::Place::Header { header: y }) => {
            x.eq_ignore_ascii_case(y)
        }
        _ => a == b,
    }
}

/// A wire member as the report shows it: its place, whether it is required, and its form or
/// type.
fn shown_member(m: &WireMember) -> String {
    let required = if m.required { "required" } else { "optional" };
    let form = match &m.role {
        Role::Code { form } if *form != CodeForm::Plain => format!(", {}", form.name()),
        Role::Field { kind, format } => {
            let kind = match kind {
                wire::FieldType::String => "string",
                wire::FieldType::Integer => "integer",
                wire::FieldType::Duration => "duration",
            };
            match format {
                Some(f) => format!(", {kind} ({})", f.as_str()),
                None => format!(", {kind}"),
            }
        }
        Role::Constant { value } => format!(", always {value:?}"),
        _ => String::new(),
    };
    let place = match &m.at {
        wire::Place::Body {
            pointer,
            entry: None,
        } if pointer.is_empty() => "inline".to_string(),
        at => wire::describe(at),
    };
    format!("{place} ({required}{form})")
}

/// A string enum's labels as the report shows them: `value: label, ...`.
fn labels(l: &[(String, String)]) -> String {
    l.iter()
        .map(|(v, label)| format!("{v}: {label}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whole sub-trees (remediation, examples) are compared as their JSON.
fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Two codes a client cannot tell apart except by name: a rename.
fn same_shape(a: &ErrorDef, b: &ErrorDef) -> bool {
    a.status == b.status
        && a.delivery == b.delivery
        && a.message.source == b.message.source
        && json(&a.details) == json(&b.details)
}

/// A schema's type as the report shows it: what a change of which is a type change.
fn signature(s: &Schema) -> String {
    match &s.kind {
        SchemaKind::String {
            format,
            enum_values,
            constant,
            ..
        } => {
            let mut out = "string".to_string();
            if let Some(f) = format {
                let _ = write!(out, " ({})", f.as_str());
            }
            if enum_values.is_some() {
                out.push_str(" enum");
            }
            if let Some(c) = constant {
                let _ = write!(out, " const {c:?}");
            }
            out
        }
        SchemaKind::Array { items, .. } => format!("array of {}", signature(items)),
        SchemaKind::Map { values } => format!("map of {}", signature(values)),
        other => other.type_name().to_string(),
    }
}

fn delivery(d: Delivery) -> &'static str {
    match d {
        Delivery::Http => "http",
        Delivery::Webhook => "webhook",
    }
}

fn header_type(t: HeaderType) -> &'static str {
    match t {
        HeaderType::String => "string",
        HeaderType::Integer => "integer",
    }
}

fn retry(r: &RetryPolicy) -> String {
    match r.delay_field() {
        Some(f) => format!("{} ({f})", r.strategy()),
        None => r.strategy().into(),
    }
}

/// Text as a YAML plain scalar, quoted when it would not read back as the same string.
/// Words and numbers a YAML reader takes for something else (`20405`, `1e3`, `true`, `null`,
/// YAML 1.1's `yes` and `off`) are quoted too.
fn yaml_plain(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let other_type = s.parse::<f64>().is_ok()
        || s.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '+')
        || matches!(
            lower.as_str(),
            "true"
                | "false"
                | "null"
                | "~"
                | "yes"
                | "no"
                | "on"
                | "off"
                | "y"
                | "n"
                | ".inf"
                | "-.inf"
                | ".nan"
        );
    let plain = !s.is_empty()
        && !other_type
        && s.chars()
            .all(|c| c.is_alphanumeric() || " .,-_()'".contains(c))
        && !s.starts_with(['-', ' ', '\''])
        && !s.ends_with(' ');
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// `MAJOR.MINOR.PATCH` of a validated semver string (pre-release and build ignored).
fn core(v: &str) -> (u64, u64, u64) {
    let mut parts = v
        .split(['-', '+'])
        .next()
        .unwrap_or("")
        .split('.')
        .map(|p| p.parse::<u64>().unwrap_or(0));
    let mut next = || parts.next().unwrap_or(0);
    (next(), next(), next())
}

/// The lowest version after `v` that Cargo's rules allow for changes of `level`: the leftmost
/// non-zero part is the "major" one (0.3.1 -> 0.4.0 is breaking, 0.3.1 -> 0.3.2 may add features,
/// and every 0.0.x release is breaking). `None` when that part is already at the limit a version
/// part may reach (npm's, 2^53 - 1, which `validate` holds).
pub fn next_version(v: &str, level: Level) -> Option<String> {
    let (major, minor, patch) = core(v);
    let up = |n: u64| Some(n + 1).filter(|n| *n <= crate::schema::MAX_SAFE_INTEGER as u64);
    let (a, b, c) = match (level, major, minor) {
        (Level::Breaking, 1.., _) => (up(major)?, 0, 0),
        (Level::Breaking, 0, 1..) => (0, up(minor)?, 0),
        (Level::Compatible, 1.., _) => (major, up(minor)?, 0),
        _ => (major, minor, up(patch)?),
    };
    Some(format!("{a}.{b}.{c}"))
}

/// The next prerelease of a prerelease version: its last identifier counted up when it is a
/// number (`2.0.0-rc.1` -> `2.0.0-rc.2`), else `.1` after it (`2.0.0-beta` -> `2.0.0-beta.1`).
fn next_prerelease(v: &str) -> String {
    let v = v.split('+').next().unwrap_or(v);
    let (release, pre) = v.split_once('-').unwrap_or((v, ""));
    let mut ids: Vec<String> = pre.split('.').map(str::to_string).collect();
    match ids.last().and_then(|id| id.parse::<u64>().ok()) {
        Some(n) if n < crate::schema::MAX_SAFE_INTEGER as u64 => {
            *ids.last_mut().expect("a last identifier") = (n + 1).to_string();
        }
        _ => ids.push("1".into()),
    }
    format!("{release}-{}", ids.join("."))
}

/// The version a code removed now should be retired in: the new one if the version check
/// passes for a breaking change, else the lowest version that would.
fn retiring_version(old: &str, new: &str) -> String {
    let v = verdict(old, new, Some(Level::Breaking), true);
    match v.required {
        Some(required) if !v.ok => required,
        _ => new.to_string(),
    }
}

/// The prerelease of a version (`rc.1` in `2.0.0-rc.1+build`), if it has one.
fn prerelease(v: &str) -> Option<&str> {
    let v = v.split('+').next().unwrap_or(v);
    v.split_once('-').map(|(_, pre)| pre)
}

/// SemVer precedence (SemVer 11): the core, then a prerelease below its release, then the
/// prerelease's identifiers in turn (numbers numerically and below words, fewer below more).
pub(crate) fn precedence(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let by_core = core(a).cmp(&core(b));
    if by_core != Ordering::Equal {
        return by_core;
    }
    match (prerelease(a), prerelease(b)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => {
            let key = |id: &str| match id.parse::<u64>() {
                Ok(n) => (0, n, String::new()),
                Err(_) => (1, 0, id.to_string()),
            };
            let xs = x.split('.').map(key);
            let ys = y.split('.').map(key);
            xs.cmp(ys)
        }
    }
}

fn bump_name(v: &str, level: Level) -> &'static str {
    let (major, minor, _) = core(v);
    match (level, major, minor) {
        (Level::Breaking, 1.., _) => "a major version",
        (Level::Breaking, 0, 1..) => "a minor version before 1.0, by Cargo's rules",
        (Level::Breaking, 0, 0) => "a new 0.0.x version, by Cargo's rules",
        (Level::Compatible, 1.., _) => "at least a minor version",
        (Level::Compatible, 0, _) => "at least a patch version before 1.0, by Cargo's rules",
        (Level::Patch, ..) => "at least a patch version",
    }
}

/// Whether `new` is a right version after `old` for changes up to `level`; `release` says
/// whether any of them changes the packages (else, patch changes to the docs site need none).
fn verdict(old: &str, new: &str, level: Option<Level>, release: bool) -> Verdict {
    let mut v = Verdict {
        level,
        old_version: old.to_string(),
        new_version: new.to_string(),
        required: None,
        ok: true,
        message: String::new(),
    };
    if precedence(new, old) == std::cmp::Ordering::Less {
        v.ok = false;
        v.message = format!("the version went down, from {old} to {new}");
        return v;
    }
    let Some(level) = level else {
        v.message = "no changes".to_string();
        return v;
    };
    if level == Level::Patch && !release {
        v.message = format!(
            "these patch changes touch the docs site only (guidance, status descriptions), so {old} -> {new} is fine"
        );
        return v;
    }
    let went = |v: &Verdict| {
        if v.old_version == v.new_version {
            format!("the version stayed {old}")
        } else {
            format!("the version went from {old} to {new}")
        }
    };
    // A prerelease promises nothing (SemVer 9): up to its release, anything may change, but
    // each prerelease is published once, so the version still goes up.
    if prerelease(old).is_some() && core(new) == core(old) {
        if precedence(new, old) == std::cmp::Ordering::Greater {
            v.message = format!(
                "{} changes may come in any later prerelease before its release: {old} -> {new} is fine",
                level.as_str()
            );
        } else {
            let required = next_prerelease(old);
            v.ok = false;
            v.message = format!(
                "{} changes need a later prerelease ({required}) or the release, but {}",
                level.as_str(),
                went(&v)
            );
            v.required = Some(required);
        }
        return v;
    }
    let Some(required) = next_version(old, level) else {
        v.ok = false;
        v.message = format!(
            "{} changes need {}, but {old} cannot go higher: a version part is at most {} (2^53 - 1, npm's limit)",
            level.as_str(),
            bump_name(old, level),
            crate::schema::MAX_SAFE_INTEGER
        );
        return v;
    };
    v.ok = core(new) >= core(&required);
    v.message = if v.ok {
        format!(
            "{} changes need {}: {old} -> {new} is fine",
            level.as_str(),
            bump_name(old, level)
        )
    } else if level == Level::Patch {
        format!(
            "patch changes change the packages' files (messages, doc comments, tests or manifests), so they need {} ({required} or later), but {}",
            bump_name(old, level),
            went(&v)
        )
    } else {
        format!(
            "{} changes need {} ({required} or later), but {}",
            level.as_str(),
            bump_name(old, level),
            went(&v)
        )
    };
    v.required = Some(required);
    v
}

impl Report {
    /// The report for a terminal or a CI log.
    pub fn text(&self) -> String {
        // Catalog text (versions, reasons, descriptions) as diagnostics show it: a control
        // character or a line break cannot rewrite the terminal or forge a line of the report.
        use crate::diagnostic::escape as e;
        let mut out = String::new();
        let v = &self.verdict;
        let _ = writeln!(
            out,
            "catalog {} -> {}: {} change{} ({} breaking, {} compatible, {} patch)",
            e(&v.old_version),
            e(&v.new_version),
            self.changes.len(),
            if self.changes.len() == 1 { "" } else { "s" },
            self.count(Level::Breaking),
            self.count(Level::Compatible),
            self.count(Level::Patch),
        );
        for c in &self.changes {
            let rule = rule(c.rule);
            let _ = write!(
                out,
                "\n{:<10} {}: {}",
                c.level.as_str(),
                e(&c.path),
                rule.title
            );
            match (&c.old, &c.new) {
                (Some(a), Some(b)) => {
                    let _ = write!(out, " ({} -> {})", e(a), e(b));
                }
                (Some(a), None) => {
                    let _ = write!(out, " (was {})", e(a));
                }
                (None, Some(b)) => {
                    let _ = write!(out, " ({})", e(b));
                }
                (None, None) => {}
            }
            let _ = writeln!(out, "\n           why: {}", e(c.reason));
            if let Some(s) = c.source_break {
                let _ = writeln!(out, "           source: {s}");
            }
            if let Some(h) = &c.help {
                let _ = writeln!(out, "           help: {}", e(h));
            }
        }
        let _ = writeln!(
            out,
            "\nverdict: {} ({})",
            v.level.map_or("no changes", Level::as_str),
            if v.ok { "ok" } else { "version check failed" }
        );
        let _ = writeln!(out, "{}", e(&v.message));
        out
    }

    /// The report as JSON, for other tools.
    pub fn json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// A changelog section a team can paste into its release notes.
    pub fn markdown(&self) -> String {
        let v = &self.verdict;
        let mut out = format!("## {}\n", md(&v.new_version));
        if self.changes.is_empty() {
            out.push_str("\nNo changes to the error catalog.\n");
        }
        for level in [Level::Breaking, Level::Compatible, Level::Patch] {
            let changes: Vec<&Change> = self.changes.iter().filter(|c| c.level == level).collect();
            if changes.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n### {}\n", level.heading());
            for c in changes {
                let rule = rule(c.rule);
                let mut first = rule.title.to_string();
                if let Some(f) = first.get_mut(0..1) {
                    f.make_ascii_uppercase();
                }
                let _ = write!(out, "- {first}: {}", code_span(&c.path));
                match (&c.old, &c.new) {
                    (Some(a), Some(b)) => {
                        let _ = write!(out, " ({} → {})", md(a), md(b));
                    }
                    (Some(a), None) => {
                        let _ = write!(out, " (was {})", md(a));
                    }
                    (None, Some(b)) => {
                        let _ = write!(out, " ({})", md(b));
                    }
                    (None, None) => {}
                }
                if level != Level::Patch {
                    let _ = write!(out, ". {}", upper_first(c.reason));
                    if let Some(s) = c.source_break {
                        let _ = write!(out, ". Source: {s}");
                    }
                    out.push('.');
                }
                if let Some(h) = &c.help {
                    let _ = write!(out, " Help: {}.", md(h));
                }
                out.push('\n');
            }
        }
        // A CI step summary shows why the job failed; a changelog that passes has no such line.
        if !v.ok {
            let _ = writeln!(out, "\n> **Version check failed:** {}.", md(&v.message));
        }
        out
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Catalog text in Markdown prose: control, bidirectional and other invisible characters shown
/// escaped as the text report shows them (`\u{1b}`), and characters Markdown would act on
/// escaped.
fn md(s: &str) -> String {
    let s = crate::diagnostic::escape(s);
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if "\\`*_[]<>|#~".contains(ch) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// Catalog text (a path, which may hold a header name with `` ` `` or `|`) as one Markdown code
/// span: fenced by more backticks than any run inside, padded when it starts or ends with one,
/// with invisible characters escaped as in [`md`] and `|` escaped (GitHub reads it as a cell
/// boundary even in a code span inside a table).
fn code_span(s: &str) -> String {
    let s = crate::diagnostic::escape(s).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for ch in s.chars() {
        run = if ch == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// The rule with this id.
pub fn rule(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.id == id)
        .expect("changes name rules of RULES")
}

/// The rules as the Markdown table that ARCHITECTURE.md carries (a test keeps them equal).
pub fn rules_table() -> String {
    let mut out = String::from(
        "| rule | level | change | what breaks for whom |\n| --- | --- | --- | --- |\n",
    );
    for r in RULES {
        let mut why = r.reason.to_string();
        if let Some(s) = r.source_break {
            let _ = write!(why, "; source break: {s}");
        }
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            r.id,
            r.level.as_str(),
            r.title,
            why.replace('|', "\\|")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_cargo_rules() {
        let next = |v: &str, l: Level| next_version(v, l).unwrap();
        assert_eq!(next("1.4.2", Level::Breaking), "2.0.0");
        assert_eq!(next("1.4.2", Level::Compatible), "1.5.0");
        assert_eq!(next("1.4.2", Level::Patch), "1.4.3");
        assert_eq!(next("0.4.2", Level::Breaking), "0.5.0");
        assert_eq!(next("0.4.2", Level::Compatible), "0.4.3");
        assert_eq!(next("0.0.3", Level::Breaking), "0.0.4");
        assert_eq!(next("1.0.0-rc.1", Level::Breaking), "2.0.0");
        // Past npm's limit there is no next version.
        assert_eq!(next_version("9007199254740991.0.0", Level::Breaking), None);
        assert_eq!(
            next("9007199254740990.0.0", Level::Breaking),
            "9007199254740991.0.0"
        );
        let v = verdict(
            "9007199254740991.0.0",
            "9007199254740991.1.0",
            Some(Level::Breaking),
            true,
        );
        assert!(
            !v.ok && v.required.is_none() && v.message.contains("cannot go higher"),
            "{}",
            v.message
        );
        assert_eq!(next_prerelease("2.0.0-rc.1+b"), "2.0.0-rc.2");
        assert_eq!(next_prerelease("2.0.0-beta"), "2.0.0-beta.1");
    }

    #[test]
    fn verdicts_check_the_bump() {
        let verdict = |old: &str, new: &str, level: Option<Level>| verdict(old, new, level, true);
        assert!(verdict("1.0.0", "2.0.0", Some(Level::Breaking)).ok);
        assert!(verdict("1.0.0", "2.0.0-rc.1", Some(Level::Breaking)).ok);
        assert!(!verdict("1.0.0", "1.1.0", Some(Level::Breaking)).ok);
        assert!(verdict("1.0.0", "1.1.0", Some(Level::Compatible)).ok);
        assert!(!verdict("1.0.0", "1.0.1", Some(Level::Compatible)).ok);
        // Patch changes change the packages: the version goes up, unless only the docs site
        // changed.
        assert!(!verdict("1.0.0", "1.0.0", Some(Level::Patch)).ok);
        assert!(verdict("1.0.0", "1.0.1", Some(Level::Patch)).ok);
        assert!(super::verdict("1.0.0", "1.0.0", Some(Level::Patch), false).ok);
        assert!(verdict("0.3.0", "0.4.0", Some(Level::Breaking)).ok);
        assert!(!verdict("0.3.0", "0.3.1", Some(Level::Breaking)).ok);
        assert!(verdict("0.3.0", "0.3.1", Some(Level::Compatible)).ok);
        assert!(!verdict("1.2.0", "1.1.0", None).ok);
        assert!(verdict("1.2.0", "1.2.0", None).ok);
        // Prereleases: below their release, and free to break until it.
        assert!(!verdict("1.4.0", "1.4.0-rc.1", None).ok);
        assert!(verdict("2.0.0-rc.1", "2.0.0-rc.2", Some(Level::Breaking)).ok);
        assert!(verdict("2.0.0-rc.1", "2.0.0", Some(Level::Breaking)).ok);
        assert!(!verdict("2.0.0-rc.2", "2.0.0-rc.1", None).ok);
        assert!(!verdict("2.0.0-rc.10", "2.0.0-rc.9", None).ok);
        assert!(verdict("2.0.0-alpha", "2.0.0-alpha.1", None).ok);
        assert!(verdict("2.0.0-1", "2.0.0-alpha", None).ok);
        assert!(!verdict("2.0.0-rc.1", "2.1.0", Some(Level::Breaking)).ok);
        // ... but each prerelease is published once.
        let same = verdict("2.0.0-rc.1", "2.0.0-rc.1", Some(Level::Breaking));
        assert!(!same.ok);
        assert_eq!(same.required.as_deref(), Some("2.0.0-rc.2"));
        assert!(!verdict("2.0.0-rc.1", "2.0.0-rc.1+b", Some(Level::Patch)).ok);
        // A code dropped before the release is retired in the prerelease that drops it.
        assert_eq!(retiring_version("2.0.0-rc.1", "2.0.0-rc.2"), "2.0.0-rc.2");
        assert_eq!(retiring_version("2.0.0-rc.1", "2.0.0-rc.1"), "2.0.0-rc.2");
        assert_eq!(retiring_version("1.4.0", "1.5.0"), "2.0.0");
        assert_eq!(retiring_version("1.4.0", "2.0.0"), "2.0.0");
    }

    #[test]
    fn rule_ids_are_unique_and_snake_case() {
        let mut seen = HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "{} twice", r.id);
            assert!(r.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
            assert!(!r.reason.ends_with('.'), "{}: reasons are clauses", r.id);
        }
    }

    #[test]
    fn markdown_escapes_catalog_text() {
        assert_eq!(md("a|b `c` <d>\n*e*"), "a\\|b \\`c\\` \\<d\\>\\\\n\\*e\\*");
        assert_eq!(
            md("\u{1b}[31m \u{202e}x ~~y~~"),
            "\\\\u{1b}\\[31m \\\\u{202e}x \\~\\~y\\~\\~"
        );
        assert_eq!(code_span("a.headers.X-`a`|b"), "``a.headers.X-`a`\\|b``");
        assert_eq!(code_span("`x"), "`` `x ``");
        assert_eq!(code_span("plain"), "`plain`");
    }

    #[test]
    fn yaml_plain_quotes_other_types() {
        for s in [
            "20405", "-3", "1e3", "true", "NULL", "~", "yes", "0x1F", ".5",
        ] {
            assert_eq!(yaml_plain(s), format!("{s:?}"), "{s}");
        }
        assert_eq!(yaml_plain("order_not_found"), "order_not_found");
    }

    #[test]
    fn yaml_plain_quotes_what_needs_it() {
        assert_eq!(yaml_plain("Merged into foo."), "Merged into foo.");
        assert_eq!(yaml_plain("a: b"), "\"a: b\"");
        assert_eq!(yaml_plain("<why>"), "\"<why>\"");
    }
}
