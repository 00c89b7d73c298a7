//! Catalog sources -> the validated model. The only stage that produces diagnostics; it reports
//! every problem it can find in one run and builds a `Catalog` only when there are none.
//!
//! Two passes: `read_file` turns each file's nodes into drafts that still carry spans (structure,
//! types, unknown keys); `build` merges the drafts and checks what spans files (duplicates,
//! references, identifier collisions, examples against their codes).

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Diagnostics, Span, did_you_mean};
use crate::emit::python;
use crate::model::*;
use crate::naming::{self, NamingRule};
use crate::schema;
use crate::source::Source;
use crate::template;
use crate::wire::{self, WireSpec};
use crate::yaml::{self, MapReader, Node, Value};

/// Longest accepted error code, in bytes.
pub const MAX_CODE_LEN: usize = 64;

/// Reads, validates and merges the sources (already sorted by name) into a catalog.
pub fn validate(sources: &[Source]) -> Result<Catalog, Diagnostics> {
    let mut diags = Diagnostics::default();
    let texts: Vec<&str> = sources.iter().map(|s| s.text.as_str()).collect();
    let roots: Vec<Node> = yaml::parse_all(&texts)
        .into_iter()
        .filter_map(|parsed| parsed.map_err(|d| diags.push(d)).ok())
        .collect();
    if let Some(d) = too_many_codes(&roots) {
        diags.push(d);
        return Err(diags.finish());
    }
    let mut drafts = Drafts {
        unparsed_files: roots.len() < sources.len(),
        ..Drafts::default()
    };
    for root in &roots {
        read_file(
            root,
            &sources[root.span.file as usize].text,
            &mut drafts,
            &mut diags,
        );
    }
    let catalog = build(drafts, sources, &mut diags);
    // A node per scalar: freeing a large tree takes a while (about 20 ms at 10,000 codes), so it
    // is freed on another thread while the caller goes on (with the emitters, say).
    if texts.iter().map(|t| t.len()).sum::<usize>() > LARGE_SOURCES {
        std::thread::spawn(move || drop(roots));
    }
    match catalog {
        Some(mut c) if !diags.has_errors() => {
            c.warnings = diags.finish();
            Ok(c)
        }
        _ => Err(diags.finish()),
    }
}

/// Sources larger than this in all (bytes) have their parsed tree freed on another thread.
const LARGE_SOURCES: usize = 1 << 20;

/// The entry one past [`crate::limits::CODES`] in the `errors:` lists (files in name order), if
/// there is one: checked before anything is read, so a catalog of millions of codes fails at once.
fn too_many_codes(roots: &[Node]) -> Option<Diagnostic> {
    let lists = roots.iter().filter_map(|root| match &root.value {
        yaml::Value::Map(entries) => entries.iter().find_map(|(k, v)| match &v.value {
            yaml::Value::Seq(items) if k.name == "errors" => Some(items),
            _ => None,
        }),
        _ => None,
    });
    let first_over = lists.flatten().nth(crate::limits::CODES)?;
    Some(
        Diagnostic::new(
            first_over.span,
            format!(
                "the catalog has more than {} error codes, the limit",
                crate::limits::CODES
            ),
        )
        .label("this code is one too many")
        .note("the limits are in catalog/README.md, \"Limits\""),
    )
}

/// A value with the place it was defined.
struct At<T> {
    span: Span,
    value: T,
}

#[derive(Default)]
struct Drafts<'a> {
    api: Vec<At<Api>>,
    envelope: Vec<At<Envelope>>,
    statuses: Vec<At<HttpStatus>>,
    categories: Vec<At<Category>>,
    retry: Vec<At<RetryConfig>>,
    guidance: Vec<At<Guide>>,
    errors: Vec<ErrorDraft<'a>>,
    retired: Vec<RetiredDraft>,
    /// Codes of entries whose other keys had problems (already reported): still checked for
    /// duplicates, so one problem does not hide another.
    unread_codes: Vec<At<String>>,
    /// `api.code_style` as written, if it names a style (`read_api` reports it otherwise), read
    /// apart from the rest of `api` so that one problem there does not hide the codes' style.
    code_style: Vec<Option<CodeStyle>>,
    /// `api.code_pattern` compiled, with its source and where it is (`read_file` reports a bad
    /// one), read apart from `api` like the style.
    code_pattern: Vec<(regex::Regex, String, Span)>,
    /// `api.wire` as read, apart from the rest of `api` for the same reason.
    wire: Vec<WireSpec>,
    /// An `api.wire` could not be read (reported): whether `envelope` belongs is unknown.
    wire_broken: bool,
    /// Entries of `errors:` lists, read or not: "no error codes" only when there are none.
    error_entries: usize,
    /// The `category` of every `errors:` and `retired:` entry, read or not: a category whose
    /// only code has a problem (reported) is not "without codes".
    code_categories: HashSet<String>,
    /// A file did not parse: whatever seems missing may be in it, so say nothing of absences.
    unparsed_files: bool,
    /// Top-level keys written in some file, valid or not: an invalid section is not "missing".
    present: HashSet<String>,
    /// Top-level keys that name no section, with where they are: a missing section may be one
    /// of them misspelt.
    unknown_keys: Vec<(String, Span)>,
    /// Statuses and categories that were defined but invalid (already reported): codes that
    /// refer to them are not reported again.
    broken_statuses: HashSet<u16>,
    broken_categories: HashSet<String>,
}

/// An error code as read, before cross-checks.
struct ErrorDraft<'a> {
    /// Index in read order (files sorted by name, then position): the tie-breaker of catalog order.
    order: usize,
    code: At<String>,
    /// The code is spelt against `api.code_style` or `api.code_pattern` (reported by `build`): the
    /// rest of the entry is checked, without the checks that need the code, and never defined.
    code_misspelt: bool,
    status: At<u16>,
    category: At<String>,
    description: String,
    message: At<MessageTemplate>,
    /// Where each placeholder of `message` is, in order.
    placeholder_spans: Vec<Span>,
    details: Option<ObjectSchema>,
    remediation: Remediation,
    examples: Vec<ExampleDraft<'a>>,
    headers: Vec<HeaderDef>,
    /// Headers declared but not read (reported): not "undeclared" where an example gives them.
    broken_headers: BrokenHeaders,
    retry: Option<At<RetryPolicy>>,
    /// Where `retry.delay_field`'s value is, if it is written.
    delay_field_span: Option<Span>,
    delivery: Delivery,
    since: Option<At<String>>,
    deprecated: Option<(Deprecation, Option<Span>)>,
    /// The code's `wire:` (per-code facts of the wire format), and where it is.
    wire: Option<(wire::CodeWireSpec, Span)>,
    details_span: Option<Span>,
    /// Where each top-level details property is named, for problems of one property.
    property_spans: Vec<(String, Span)>,
}

impl ErrorDraft<'_> {
    /// Whether `name` is a details property that is written but could not be read (reported):
    /// declared all the same, so what names it is not reported again.
    fn unread_property(&self, name: &str) -> bool {
        self.details
            .as_ref()
            .is_some_and(|d| d.property(name).is_none())
            && self.property_spans.iter().any(|(n, _)| n == name)
    }
}

/// A `retired` entry as read, with the spans its cross-checks report at.
struct RetiredDraft {
    code: At<String>,
    replaced_by: Option<At<String>>,
    category: Option<At<String>>,
    value: Retired,
}

struct ExampleDraft<'a> {
    name: At<String>,
    summary: Option<String>,
    body: &'a Node,
    headers: Vec<(At<String>, At<String>)>,
    headers_span: Span,
}

const CODE_PATTERN: &str = "lowercase letters and digits in words joined by single underscores (`^[a-z0-9]+(_[a-z0-9]+)*$`)";

/// What a code of `style` must be, in words and as a pattern, for diagnostics.
fn style_requirement(style: CodeStyle) -> String {
    let words = match style {
        CodeStyle::SnakeCase => return CODE_PATTERN.to_string(),
        CodeStyle::ScreamingSnakeCase => {
            "uppercase letters and digits in words joined by single underscores"
        }
        CodeStyle::PascalCase => "an uppercase letter, then letters and digits",
        CodeStyle::CamelCase => "a lowercase letter, then letters and digits",
        CodeStyle::KebabCase => "lowercase letters and digits in words joined by single hyphens",
        CodeStyle::Any => "ASCII letters and digits in words joined by single `_`, `-`, `.` or `/`",
    };
    format!("{words} (`{}`)", style.pattern())
}

/// The diagnostic for a code that does not follow the catalog's `style` or, when the wire
/// writes codes as JSON integers (`integer`), that is not a decimal integer (then the style does
/// not apply: every style but `any` has its own spelling rules for letters).
fn code_style_problem(code: &At<String>, style: CodeStyle, integer: bool) -> Option<Diagnostic> {
    let c = &code.value;
    if integer {
        if wire::integer_code(c).is_some() {
            return None;
        }
        return Some(
            Diagnostic::new(
                code.span,
                format!(
                    "error code `{}` must be a decimal integer from -{max} to {max} without leading zeros: the wire writes codes as JSON integers (`form: integer`)",
                    c.escape_debug(),
                    max = schema::MAX_SAFE_INTEGER
                ),
            )
            .label("not an integer code"),
        );
    }
    if c.len() <= MAX_CODE_LEN && style.matches(c) {
        return None;
    }
    let mut d = Diagnostic::new(
        code.span,
        format!(
            "error code `{}` must be {}, at most {MAX_CODE_LEN} bytes",
            c.escape_debug(),
            style_requirement(style)
        ),
    )
    .label("invalid code")
    .help(format!("try `{}`", naming::spell_code(c, style)));
    if style != CodeStyle::Any && c.len() <= MAX_CODE_LEN && CodeStyle::Any.matches(c) {
        d = d.note(format!(
            "the catalog's codes are {}; set `api.code_style` to spell codes as the API does",
            style.name()
        ));
    }
    Some(d)
}

/// The diagnostic for a code that `api.code_pattern` does not match, if it does not.
fn code_pattern_problem(
    code: &At<String>,
    pattern: Option<&(regex::Regex, String, Span)>,
) -> Option<Diagnostic> {
    let (re, source, _) = pattern?;
    if re.is_match(&code.value) {
        return None;
    }
    Some(
        Diagnostic::new(
            code.span,
            format!(
                "error code `{}` does not match `api.code_pattern`",
                code.value.escape_debug()
            ),
        )
        .label("does not match")
        .note(format!("the pattern: `{source}`")),
    )
}

/// `^[a-z0-9]+([_-][a-z0-9]+)*$` with `sep` as the only separator.
fn is_snake(s: &str, sep: char) -> bool {
    !s.is_empty()
        && s.split(sep).all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The top-level keys of a catalog file.
const SECTIONS: &[&str] = &[
    "api",
    "envelope",
    "statuses",
    "categories",
    "retry",
    "guidance",
    "retired",
    "errors",
];

fn read_file<'a>(root: &'a Node, source: &str, drafts: &mut Drafts<'a>, diags: &mut Diagnostics) {
    if root.value == Value::Null {
        diags.push(
            Diagnostic::warning(root.span, "this catalog file is empty: it defines nothing")
                .label("empty file")
                .help("remove it, or add the sections or error codes it was meant to hold"),
        );
        return;
    }
    let Some(mut m) = MapReader::new(root, "a catalog file", diags) else {
        return;
    };
    if let Value::Map(entries) = &root.value {
        drafts
            .present
            .extend(entries.iter().map(|(k, _)| k.name.clone()));
        drafts.unknown_keys.extend(
            entries
                .iter()
                .filter(|(k, _)| !SECTIONS.contains(&k.name.as_str()))
                .map(|(k, _)| (k.name.clone(), k.span)),
        );
    }
    if let Some(n) = m.get("api") {
        drafts.code_style.push(
            key_text(n, "code_style").map_or(Some(CodeStyle::default()), CodeStyle::from_name),
        );
    }
    if let Some(n) = m.get("api")
        && let Value::Map(entries) = &n.value
        && let Some((_, p)) = entries.iter().find(|(k, _)| k.name == "code_pattern")
        && let Some(source) = yaml::text(p, "`api.code_pattern`", diags)
    {
        match crate::pattern::check(&source).map(|s| regex::Regex::new(&s.rust)) {
            Ok(Ok(re)) => drafts.code_pattern.push((re, source, p.span)),
            Ok(Err(e)) => diags.push(
                Diagnostic::new(p.span, format!("`api.code_pattern` cannot be compiled: {e}"))
                    .label("bad pattern"),
            ),
            Err(problem) => diags.push(
                Diagnostic::new(
                    p.span,
                    format!(
                        "`api.code_pattern` is outside the subset every target reads the same way: {}",
                        problem.message
                    ),
                )
                .label(format!("at byte {} of the pattern", problem.offset))
                .note("code patterns use the details schema's `pattern` syntax (see catalog/README.md)"),
            ),
        }
    }
    if let Some(n) = m.get("api")
        && let Value::Map(entries) = &n.value
        && let Some((_, w)) = entries.iter().find(|(k, _)| k.name == "wire")
    {
        match wire::read_spec(w, diags) {
            Some(spec) => drafts.wire.push(spec),
            None => drafts.wire_broken = true,
        }
    }
    if let Some(n) = m.get("api")
        && let Some(api) = read_api(n, diags)
    {
        drafts.api.push(At {
            span: n.span,
            value: api,
        });
    }
    if let Some(n) = m.get("envelope")
        && let Some(env) = read_envelope(n, diags)
    {
        // At the key: the section as a whole (the value's span is its first inner key).
        drafts.envelope.push(At {
            span: key_span(root, "envelope").unwrap_or(n.span),
            value: env,
        });
    }
    if let Some(n) = m.get("statuses") {
        read_statuses(n, &mut drafts.statuses, &mut drafts.broken_statuses, diags);
    }
    if let Some(n) = m.get("categories") {
        for item in yaml::seq(n, "`categories`", diags).unwrap_or(&[]) {
            match read_category(item, diags) {
                Some(c) => drafts.categories.push(c),
                None => drafts
                    .broken_categories
                    .extend(key_text(item, "id").map(str::to_string)),
            }
        }
    }
    if let Some(n) = m.get("retry")
        && let Some(r) = read_retry_config(n, diags)
    {
        drafts.retry.push(At {
            span: n.span,
            value: r,
        });
    }
    if let Some(n) = m.get("guidance") {
        for item in yaml::seq(n, "`guidance`", diags).unwrap_or(&[]) {
            if let Some(g) = read_guide(item, diags) {
                drafts.guidance.push(g);
            }
        }
    }
    if let Some(n) = m.get("retired") {
        for item in yaml::seq(n, "`retired`", diags).unwrap_or(&[]) {
            drafts
                .code_categories
                .extend(key_text(item, "category").map(str::to_string));
            if let Some(r) = read_retired(item, diags) {
                drafts.retired.push(r);
            }
        }
    }
    if let Some(n) = m.get("errors") {
        let items = yaml::seq(n, "`errors`", diags).unwrap_or(&[]);
        drafts.error_entries += items.len();
        drafts.code_categories.extend(
            items
                .iter()
                .filter_map(|item| key_text(item, "category").map(str::to_string)),
        );
        for read in read_errors(items, source, diags) {
            match read {
                Ok(mut e) => {
                    e.order = drafts.errors.len();
                    drafts.errors.push(e);
                }
                Err(Some(code)) => drafts.unread_codes.push(code),
                Err(None) => {}
            }
        }
    }
    m.finish(diags);
}

/// Every entry of an `errors:` list read, in order (`read_file` numbers the drafts it keeps).
fn read_errors<'a>(
    items: &'a [Node],
    source: &str,
    diags: &mut Diagnostics,
) -> Vec<Result<ErrorDraft<'a>, Option<At<String>>>> {
    per_code(items.iter().collect(), diags, |item, found| {
        read_error(item, source, found)
    })
}

fn read_api(node: &Node, diags: &mut Diagnostics) -> Option<Api> {
    let mut m = MapReader::new(node, "`api`", diags)?;
    let name = m
        .require("name", diags)
        .and_then(|n| yaml::text(n, "`api.name`", diags));
    let version = m.require("version", diags).and_then(|n| {
        let v = yaml::text(n, "`api.version`", diags)?;
        if let Some(problem) = semver_problem(&v) {
            diags.push(
                Diagnostic::new(
                    n.span,
                    format!(
                        "`api.version` must be a semantic version like `1.2.3` or `2.0.0-beta.1`, found `{}`",
                        v.escape_debug()
                    ),
                )
                .label(problem),
            );
            return None;
        }
        Some(v)
    });
    let description = m
        .get("description")
        .and_then(|n| yaml::text(n, "`api.description`", diags));
    let docs_url = m.require("docs_url", diags).and_then(|n| {
        let url = yaml::text(n, "`api.docs_url`", diags)?;
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || url.contains(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '`' | '#' | '?'))
        {
            diags.push(
                Diagnostic::new(n.span, "`api.docs_url` must be an http(s) URL without spaces, quotes, `<`, `>`, `#` or `?`")
                    .label("not a base URL"),
            );
            return None;
        }
        Some(url.trim_end_matches('/').to_string())
    });
    let license = m.get("license").and_then(|n| {
        let v = yaml::text(n, "`api.license`", diags)?;
        if let Some(problem) = spdx_problem(&v) {
            diags.push(
                Diagnostic::new(n.span, format!("`api.license` is not an SPDX license expression: {problem}"))
                    .label("not SPDX")
                    .help("write identifiers joined by AND, OR and WITH, such as `MIT OR Apache-2.0` or `LicenseRef-Proprietary`"),
            );
            return None;
        }
        Some(v)
    });
    let packages = m.get("packages");
    let name_node = m.get("name");
    let _ = m.get("wire"); // read by `read_file`, on its own
    let code_pattern = m.get("code_pattern").and_then(|n| match &n.value {
        Value::Str(s) => Some(s.clone()),
        _ => None, // reported by `read_file`
    });
    let code_style = match m.get("code_style") {
        None => Some(CodeStyle::default()),
        Some(n) => yaml::text(n, "`api.code_style`", diags).and_then(|v| {
            let style = CodeStyle::from_name(&v);
            if style.is_none() {
                let names: Vec<&str> = CodeStyle::ALL.iter().map(|(_, n)| *n).collect();
                let mut d = Diagnostic::new(n.span, format!("unknown code style `{v}`"))
                    .label("not a code style")
                    .note(format!("code styles: {}", names.join(", ")));
                if let Some(near) = did_you_mean(&v, names.iter().copied()) {
                    d = d.help(format!("did you mean `{near}`?"));
                }
                diags.push(d);
            }
            style
        }),
    };
    m.finish(diags);
    let name = name?;
    // Defaults derive from the name; explicit values replace them. Either way each is checked
    // here, at the value if written, else at `api.name` with a hint to write it.
    let base = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let derived_span = name_node.map_or(node.span, |n| n.span);
    // One package name per target that has a package (`emit::TARGETS`), then the error type.
    let mut names: Vec<(&str, NamingRule, (String, Span, bool))> = crate::emit::TARGETS
        .iter()
        .filter_map(|t| t.package)
        .map(|(key, problem)| (key, problem, (format!("{base}-errors"), derived_span, true)))
        .collect();
    let mut error_type = (
        format!("{}Error", naming::pascal(&name)),
        derived_span,
        true,
    );
    if let Some(p) = packages {
        let mut pm = MapReader::new(p, "`api.packages`", diags)?;
        let slots = names.iter_mut().map(|(key, _, slot)| (*key, slot));
        for (key, slot) in slots.chain([("error_type", &mut error_type)]) {
            if let Some(n) = pm.get(key) {
                *slot = (
                    yaml::text(n, &format!("`api.packages.{key}`"), diags)?,
                    n.span,
                    false,
                );
            }
        }
        pm.finish(diags);
    }
    let mut ok = true;
    let mut check =
        |(value, span, derived): &(String, Span, bool), key: &str, problem: Option<String>| {
            if let Some(problem) = problem {
                let mut d = Diagnostic::new(*span, problem).label(format!("invalid `{key}`"));
                if *derived {
                    d = d
                        .note(format!("`{value}` is derived from `api.name`"))
                        .help(format!("set `api.packages.{key}`"));
                }
                diags.push(d);
                ok = false;
            }
        };
    for (key, problem, slot) in &names {
        check(slot, key, problem(&slot.0));
    }
    check(&error_type, "error_type", type_name_problem(&error_type.0));
    ok.then_some(())?;
    let mut take = |key: &str| {
        names
            .iter_mut()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, slot)| std::mem::take(&mut slot.0))
            .expect("every package name of `Packages` has a target in `emit::TARGETS`")
    };
    Some(Api {
        name,
        version: version?,
        description,
        docs_url: docs_url?,
        code_style: code_style?,
        code_pattern,
        license,
        packages: Packages {
            rust: take("rust"),
            typescript: take("typescript"),
            python: take("python"),
            error_type: error_type.0,
        },
    })
}

/// Why `v` is not an SPDX license expression (SPDX 2.3, annex D: identifiers, `LicenseRef-`
/// and `DocumentRef-...:LicenseRef-` references, a trailing `+`, `AND`, `OR`, `WITH` and
/// parentheses), if it is not. Identifiers are not checked against the SPDX list, which
/// changes; every package manifest takes the expression as written.
fn spdx_problem(v: &str) -> Option<String> {
    if v.len() > 500 {
        return Some("longer than 500 bytes".into());
    }
    let spaced = v.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split(' ').filter(|t| !t.is_empty()).collect();
    let (mut depth, mut want_term) = (0usize, true);
    for t in &tokens {
        match *t {
            "(" if want_term => depth += 1,
            ")" if !want_term && depth > 0 => depth -= 1,
            "AND" | "OR" | "WITH" if !want_term => want_term = true,
            id if want_term
                && id.starts_with(|c: char| c.is_ascii_alphanumeric())
                && id
                    .trim_end_matches('+')
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':')) =>
            {
                want_term = false;
            }
            other => return Some(format!("unexpected `{}`", other.escape_debug())),
        }
    }
    if want_term || depth > 0 {
        return Some("it ends early".into());
    }
    None
}

/// Why a name cannot be the error type, if it cannot.
fn type_name_problem(v: &str) -> Option<String> {
    let shape = v.starts_with(|c: char| c.is_ascii_uppercase())
        && v.chars().all(|c| c.is_ascii_alphanumeric())
        && v.contains(|c: char| c.is_ascii_lowercase());
    if !shape {
        return Some(format!(
            "`{v}` cannot name the error type: use UpperCamelCase ASCII letters and digits, with a lower-case letter (`ShopError`)"
        ));
    }
    if RESERVED_TYPE_NAMES.contains(&v) || naming::PYTHON_RESERVED_CLASSES.contains(&v) {
        return Some(format!(
            "`{v}` cannot name the error type: the generated Rust, TypeScript or Python code defines, imports or calls its own `{v}`"
        ));
    }
    if v.len() > MAX_ERROR_TYPE_LEN {
        return Some(format!(
            "`{v}` is too long to name the error type: at most {MAX_ERROR_TYPE_LEN} bytes"
        ));
    }
    None
}

/// The longest error type name: the generated Rust's fixed source has room for it on every
/// line that names the type (see `emit::rust`).
pub const MAX_ERROR_TYPE_LEN: usize = 32;

/// Category ids name docs pages (`<id>.html`); these pages mdBook writes itself.
const RESERVED_CATEGORY_IDS: &[&str] = &["index", "print", "toc", "404"];

/// Type names the generated code defines or relies on (Rust, TypeScript, OpenAPI); the error
/// type must not be one. Per-code names (`{Code}Details`, ...) are checked in `build`.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Error",
    "ErrorCode",
    "ErrorBody",
    "ErrorKind",
    "ErrorDetails",
    "ErrorEnvelope",
    "ParseError",
    "UnknownCode",
    "RetiredCode",
    "Category",
    "RetryPolicy",
    "RetryConfig",
    "RetryDecision",
    "Info",
    "Example",
    "ErrorBodyParseError",
    "KnownErrorBody",
    "UnknownErrorBody",
    "UnknownDetails",
    "ErrorBodies",
    "KnownCodeEnvelope",
    "KnownCodeEnvelopeOptionalDetails",
    "KnownErrorCode",
    "AnyErrorCode",
    "Self",
    "String",
    "Object",
    "Array",
    "Promise",
    "Result",
    "Option",
    "Box",
    "Vec",
    "Value",
    "Map",
    "Record",
    "Date",
    // Rust: imported by the fixed sources (`tests::fixed_sources_names_are_reserved` checks).
    "Duration",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "HeaderName",
    "HeaderValue",
    "HeaderMap",
    "StatusCode",
    "IntoResponse",
    "Response",
    "Body",
    "Request",
    "Router",
    "ServiceExt",
    "BTreeMap",
    "Cow",
    "Regex",
    "OnceLock",
    "Mutex",
    "Formatter",
    "Display",
    "Debug",
    "Infallible",
    "FromStr",
    "TryFrom",
    "From",
    "Into",
    "Default",
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "Hash",
    "Ord",
    "PartialOrd",
    "Send",
    "Sync",
    "Sized",
    "Some",
    "None",
    "Ok",
    "Err",
    "Builder",
    "Entry",
    "Facts",
    "Field",
    "Fields",
    "Form",
    "Header",
    "Member",
    "MutableObject",
    "Pattern",
    "Place",
    "PoisonError",
    "Read",
    "Role",
    "SerializeStruct",
    "Step",
    // TypeScript: exported by the package or its tests, or globals its runtime calls.
    "CategoryId",
    "Deprecation",
    "DetailsOf",
    "PropertySchema",
    "ObjectSchema",
    "Schema",
    "JsonObject",
    "ResponseHeadersByCode",
    "ResponseHeadersOf",
    "RetryInput",
    "RetryOptions",
    "ErrorBodyOf",
    "ErrorBodyShape",
    "ErrorInit",
    "HeadersLike",
    "ResponseLike",
    "WireBody",
    "WireBodyOf",
    "WireDetails",
    "WireEnvelope",
    "WireFormat",
    "WireMember",
    "WirePlace",
    "WirePointer",
    "WireRead",
    "WireStep",
    "WireType",
    "Delay",
    "Broken",
    "Headers",
    "Json",
    "Math",
    "Number",
    "Symbol",
    "Reflect",
    "RegExp",
    "Set",
    "TypeError",
    "RangeError",
    "SyntaxError",
    "Boolean",
    "Function",
    "BigInt",
    "Uint8Array",
    "TextDecoder",
    "TextEncoder",
];

/// Suffixes the targets append to a code's type name (`RateLimitedDetails`, ...).
const CODE_TYPE_SUFFIXES: &[&str] = &["Details", "Headers", "Body", "Error"];

/// Why `v` is not a version every package manager takes, if it is not: SemVer 2.0.0 as Cargo
/// reads it (the `semver` crate: identifiers of `[0-9A-Za-z-]`, no leading zeros, numbers
/// within u64), with npm's limits on top (at most 256 characters, numbers at most 2^53 - 1).
fn semver_problem(v: &str) -> Option<String> {
    const NPM_MAX_LENGTH: usize = 256;
    match semver::Version::parse(v) {
        Err(e) => Some(e.to_string()),
        Ok(_) if v.len() > NPM_MAX_LENGTH => Some(format!(
            "npm takes versions of at most {NPM_MAX_LENGTH} characters"
        )),
        Ok(parsed)
            if [parsed.major, parsed.minor, parsed.patch]
                .iter()
                .any(|n| *n > schema::MAX_SAFE_INTEGER as u64) =>
        {
            Some("npm takes version numbers up to 9007199254740991 (2^53 - 1)".into())
        }
        Ok(_) => None,
    }
}

fn read_envelope(node: &Node, diags: &mut Diagnostics) -> Option<Envelope> {
    let mut m = MapReader::new(node, "`envelope`", diags)?;
    let fields_node = m.require("fields", diags);
    let example = m.get("example");
    m.finish(diags);
    let mut fm = MapReader::new(fields_node?, "`envelope.fields`", diags)?;
    let mut fields = Vec::new();
    for name in EnvelopeFieldName::ALL {
        let key = name.as_str();
        let Some(n) = fm.require(key, diags) else {
            continue;
        };
        let Some(mut f) = MapReader::new(n, "an envelope field", diags) else {
            continue;
        };
        let description = f
            .require("description", diags)
            .and_then(|d| yaml::text(d, "an envelope field's `description`", diags));
        let required = f
            .get("required")
            .and_then(|r| yaml::boolean(r, "`required`", diags));
        if let Some(t) = f.get("type")
            && let Some(t_val) = yaml::string(t, "`type`", diags)
            && t_val != name.json_type()
        {
            diags.push(
                Diagnostic::new(
                    t.span,
                    format!(
                        "the envelope field `{key}` is always of type `{}`, not `{t_val}`",
                        name.json_type()
                    ),
                )
                .label("wrong type"),
            );
        }
        if let Some(fmt) = f.get("format")
            && let Some(v) = yaml::string(fmt, "`format`", diags)
            && Some(v.as_str()) != name.format().map(Format::as_str)
        {
            diags.push(
                Diagnostic::new(
                    fmt.span,
                    format!("the envelope field `{key}` has no format `{v}`"),
                )
                .label("wrong format"),
            );
        }
        let always = matches!(
            name,
            EnvelopeFieldName::Error | EnvelopeFieldName::Message | EnvelopeFieldName::Code
        );
        if always
            && required == Some(false)
            && let Some(r) = f.get("required")
        {
            diags.push(
                Diagnostic::new(
                    r.span,
                    format!("the envelope field `{key}` is always present; it cannot be optional"),
                )
                .label("must be true"),
            );
        }
        f.finish(diags);
        fields.push(EnvelopeField {
            name,
            required: required.unwrap_or(always),
            description: description.unwrap_or_default(),
        });
    }
    fm.finish(diags);
    Some(Envelope {
        fields,
        example: example.map(|e| {
            check_envelope_types(e, None, false, diags);
            tool_breaking_keys(e, diags);
            e.to_json()
        }),
    })
}

/// The keys of an example's neutral form with their JSON type and format: the flat envelope's
/// six, or for another wire `error`, `message`, `code`, `details` and the wire's own fields.
fn neutral_keys(wire: Option<&wire::Wire>) -> Vec<(String, &'static str, Option<Format>)> {
    let flat = EnvelopeFieldName::ALL
        .iter()
        .map(|f| (f.as_str().to_string(), f.json_type(), f.format()));
    match wire {
        Some(w) if w.preset != wire::Preset::Flat => flat
            .take(4)
            .chain(w.neutral_fields().into_iter().map(|(n, t, f)| {
                let t = match t {
                    wire::FieldType::String => "string",
                    wire::FieldType::Integer => "integer",
                    wire::FieldType::Duration => "duration",
                };
                (n.to_string(), t, f)
            }))
            .collect(),
        _ => flat.collect(),
    }
}

/// Checks the envelope keys and their JSON types in a body (not code-specific rules); keys it
/// does not know are let pass when the wire they would belong to could not be read.
fn check_envelope_types(
    body: &Node,
    wire: Option<&wire::Wire>,
    wire_broken: bool,
    diags: &mut Diagnostics,
) {
    let Some(entries) = yaml::map(body, "an example body", diags) else {
        return;
    };
    let keys = neutral_keys(wire);
    for (k, v) in entries {
        let Some((_, json_type, format)) = keys.iter().find(|(n, ..)| *n == k.name) else {
            if wire_broken {
                continue;
            }
            let mut d = Diagnostic::new(
                k.span,
                format!("`{}` is not a field of the error envelope", k.name),
            )
            .label("unknown field");
            let constant = wire.and_then(|w| {
                w.members
                    .iter()
                    .find(|m| m.name == k.name && m.is_wire_constant())
            });
            if let Some(m) = constant {
                d = d.help(format!(
                    "`{}` is a wire constant (`api.wire.constants`): servers write it in every body, so examples leave it out",
                    m.name
                ));
            } else if yaml::looks_cut(&k.name) {
                d = d.help(yaml::CUT_HELP);
            } else if let Some(s) = did_you_mean(&k.name, keys.iter().map(|(n, ..)| n.as_str())) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
            continue;
        };
        let ok = match (*json_type, &v.value) {
            ("string", Value::Str(s)) => match format {
                Some(f) => schema::format_ok(*f, s),
                None => true,
            },
            ("integer", Value::Int(_)) => true,
            ("object", Value::Map(_)) => true,
            ("duration", Value::Str(s)) => wire::duration_seconds(s).is_some(),
            _ => false,
        };
        if !ok
            && let (Some(f), Value::Str(s)) = (format, &v.value)
            && *json_type == "string"
        {
            // The right type in the wrong shape: say which, and what the format looks like.
            diags.push(
                Diagnostic::new(
                    v.span,
                    format!(
                        "the envelope field `{}` is not a valid `{}` value: `{s}`",
                        k.name,
                        f.as_str()
                    ),
                )
                .label(format!("not {}", f.as_str()))
                .help(f.what()),
            );
        } else if !ok {
            let expected = match format {
                _ if *json_type == "duration" => {
                    "a duration in seconds such as `\"30s\"` or `\"1.5s\"`".to_string()
                }
                Some(f) => format!("a `{}` string", f.as_str()),
                None => format!("a JSON {}", json_type),
            };
            diags.push(
                Diagnostic::new(
                    v.span,
                    format!(
                        "the envelope field `{}` must be {expected}, found {}",
                        k.name,
                        v.kind()
                    ),
                )
                .label("wrong type"),
            );
        }
    }
}

/// The string under `key` of a mapping node, if any (for naming what failed to read).
/// Where `key` is written in the mapping `node`, if it is.
fn key_span(node: &Node, key: &str) -> Option<Span> {
    let Value::Map(entries) = &node.value else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| k.name == key)
        .map(|(k, _)| k.span)
}

fn key_text<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    let Value::Map(entries) = &node.value else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| k.name == key)
        .and_then(|(_, v)| match &v.value {
            Value::Str(s) => Some(s.as_str()),
            _ => None,
        })
}

fn read_statuses(
    node: &Node,
    out: &mut Vec<At<HttpStatus>>,
    broken: &mut HashSet<u16>,
    diags: &mut Diagnostics,
) {
    let Some(entries) = yaml::map(node, "`statuses`", diags) else {
        return;
    };
    for (k, v) in entries {
        let code = match k.name.parse::<u16>() {
            Ok(c) if (400..=599).contains(&c) => c,
            _ => {
                diags.push(
                    Diagnostic::new(
                        k.span,
                        format!("`{}` is not an HTTP error status (400 to 599)", k.name),
                    )
                    .label("not an error status"),
                );
                continue;
            }
        };
        if let Some(description) = yaml::text(v, "a status description", diags) {
            out.push(At {
                span: k.span,
                value: HttpStatus { code, description },
            });
        } else {
            broken.insert(code);
        }
    }
}

fn read_category(node: &Node, diags: &mut Diagnostics) -> Option<At<Category>> {
    let mut m = MapReader::new(node, "a category", diags)?;
    let id_node = m.require("id", diags);
    let id = id_node.and_then(|n| yaml::text(n, "a category id", diags));
    let title = m
        .require("title", diags)
        .and_then(|n| yaml::text(n, "a category title", diags));
    let description = m
        .get("description")
        .and_then(|n| yaml::text(n, "a category description", diags));
    m.finish(diags);
    let (id, id_node) = (id?, id_node?);
    if RESERVED_CATEGORY_IDS.contains(&id.as_str()) {
        diags.push(
            Diagnostic::new(
                id_node.span,
                format!(
                    "category id `{id}` is reserved: the docs site already has a page `{id}.html`"
                ),
            )
            .label("reserved id")
            .note(format!("reserved: {}", RESERVED_CATEGORY_IDS.join(", "))),
        );
        return None;
    }
    if !is_snake(&id, '_') || id.len() > MAX_CODE_LEN {
        let mut d = Diagnostic::new(
            id_node.span,
            format!("category id `{id}` must be {CODE_PATTERN}, at most {MAX_CODE_LEN} bytes"),
        )
        .label("invalid id");
        // `rate-limit`, `RateLimit`: the id it was meant to be.
        let snake = naming::snake(&id.replace(['-', ' ', '.', '/'], "_"));
        if snake != id && is_snake(&snake, '_') && snake.len() <= MAX_CODE_LEN {
            d = d.help(format!(
                "write `{snake}` (and `category: {snake}` in its codes)"
            ));
        }
        diags.push(d);
        return None;
    }
    Some(At {
        span: id_node.span,
        value: Category {
            id,
            title: title?,
            description,
        },
    })
}

fn read_retry_config(node: &Node, diags: &mut Diagnostics) -> Option<RetryConfig> {
    let mut m = MapReader::new(node, "`retry`", diags)?;
    let mut int = |key: &'static str, min: i64, max: i64, default: i64| -> i64 {
        let Some(n) = m.get(key) else { return default };
        match yaml::integer(n, &format!("`retry.{key}`"), diags) {
            Some(v) if (min..=max).contains(&v) => v,
            Some(v) => {
                diags.push(
                    Diagnostic::new(
                        n.span,
                        format!("`retry.{key}` must be between {min} and {max}, found {v}"),
                    )
                    .label("out of range"),
                );
                default
            }
            None => default,
        }
    };
    let config = RetryConfig {
        max_attempts: int("max_attempts", 1, 100, 3) as u32,
        initial_delay_ms: int("initial_delay_ms", 1, 3_600_000, 1000) as u64,
        multiplier: int("multiplier", 1, 10, 2) as u32,
        max_delay_ms: int("max_delay_ms", 1, 86_400_000, 30_000) as u64,
        default_delay_seconds: int("default_delay_seconds", 0, 86_400, 60) as u64,
    };
    m.finish(diags);
    Some(config)
}

fn read_guide(node: &Node, diags: &mut Diagnostics) -> Option<At<Guide>> {
    let mut m = MapReader::new(node, "a guidance section", diags)?;
    let id_node = m.require("id", diags);
    let id = id_node.and_then(|n| yaml::text(n, "a guidance id", diags));
    let title = m
        .require("title", diags)
        .and_then(|n| yaml::text(n, "a guidance title", diags));
    let body = m
        .require("body", diags)
        .and_then(|n| yaml::text(n, "a guidance body", diags));
    m.finish(diags);
    let (id, id_node) = (id?, id_node?);
    if !is_snake(&id, '-') {
        diags.push(
            Diagnostic::new(
                id_node.span,
                format!("guidance id `{id}` must be lowercase words joined by `-`"),
            )
            .label("invalid id"),
        );
        return None;
    }
    Some(At {
        span: id_node.span,
        value: Guide {
            id,
            title: title?,
            body: body?,
        },
    })
}

/// An error code as read; `Err(Some(code))` when its code is fine but something else is not
/// (reported), so the code still takes part in the duplicate check.
fn read_error<'a>(
    node: &'a Node,
    source: &str,
    diags: &mut Diagnostics,
) -> Result<ErrorDraft<'a>, Option<At<String>>> {
    let mut m = MapReader::new(node, "an error code", diags).ok_or(None)?;
    let code_node = m.require("code", diags);
    // The code's spelling is checked in `build`, against `api.code_style` (maybe in another file).
    let code = code_node.and_then(|n| {
        let c = yaml::string(n, "`code`", diags)?;
        Some(At {
            span: n.span,
            value: c,
        })
    });
    let status = m.require("status", diags).and_then(|n| {
        let s = yaml::integer(n, "`status`", diags)?;
        match u16::try_from(s) {
            Ok(code) if (400..=599).contains(&code) => Some(At {
                span: n.span,
                value: code,
            }),
            _ => {
                diags.push(
                    Diagnostic::new(
                        n.span,
                        format!("`{s}` is not an HTTP error status (400 to 599)"),
                    )
                    .label("not an error status"),
                );
                None
            }
        }
    });
    let category = m.require("category", diags).and_then(|n| {
        Some(At {
            span: n.span,
            value: yaml::text(n, "`category`", diags)?,
        })
    });
    let description = m
        .require("description", diags)
        .and_then(|n| yaml::text(n, "`description`", diags));
    let mut placeholder_spans = Vec::new();
    let message = m.require("message", diags).and_then(|n| {
        if let Value::Map(_) = &n.value {
            // `message: { runtime: what the server writes }`.
            let mut r = MapReader::new(n, "`message`", diags)?;
            let text = r
                .require("runtime", diags)
                .and_then(|t| yaml::text(t, "`message.runtime`", diags));
            r.finish(diags);
            return Some(At {
                span: n.span,
                value: MessageTemplate {
                    source: String::new(),
                    parts: Vec::new(),
                    runtime: Some(text?),
                },
            });
        }
        let src = yaml::text(n, "`message`", diags)?;
        match template::parse(&src) {
            Ok(t) => {
                placeholder_spans = template::placeholder_ranges(&src)
                    .into_iter()
                    .map(|(start, len)| inner_span(n, source, &src, start, len))
                    .collect();
                Some(At {
                    span: n.span,
                    value: t,
                })
            }
            Err(errors) => {
                for e in errors {
                    diags.push(
                        Diagnostic::new(inner_span(n, source, &src, e.start, e.len), e.message)
                            .label("in this template"),
                    );
                }
                None
            }
        }
    });
    let details_node = m.get("details");
    let details = details_node.and_then(|n| schema::read_object(n, true, 0, diags));
    let wire_spec = m
        .get("wire")
        .map(|n| (wire::read_code_spec(n, diags), n.span));
    let remediation = m
        .get("remediation")
        .map(|n| read_remediation(n, diags))
        .unwrap_or_default();
    let examples_node = m.require("examples", diags);
    let (headers, broken_headers) = m
        .get("headers")
        .map(|n| read_headers(n, diags))
        .unwrap_or_default();
    let (retry, delay_field_span) = match m.get("retry").and_then(|n| read_retry_policy(n, diags)) {
        Some((r, span)) => (Some(r), span),
        None => (None, None),
    };
    let delivery =
        m.get("delivery")
            .and_then(|n| match yaml::string(n, "`delivery`", diags)?.as_str() {
                "http" => Some(Delivery::Http),
                "webhook" => Some(Delivery::Webhook),
                other => {
                    diags.push(
                        Diagnostic::new(n.span, format!("unknown delivery `{other}`"))
                            .label("expected `http` or `webhook`"),
                    );
                    None
                }
            });
    // A webhook payload is a body the customer's endpoint receives: no response carries it.
    if delivery == Some(Delivery::Webhook)
        && let Some(n) = m.get("headers")
        && !headers.is_empty()
    {
        diags.push(
            Diagnostic::new(n.span, "a webhook code has no response headers")
                .label("`delivery: webhook`")
                .help("a webhook payload is sent to the customer, not returned with an HTTP response: leave `headers` out, or carry the value in the details"),
        );
    }
    let since = m.get("since").and_then(|n| {
        let value = yaml::text(n, "`since`", diags)?;
        Some(At {
            span: n.span,
            value,
        })
    });
    let deprecated = m.get("deprecated").and_then(|n| read_deprecation(n, diags));
    m.finish(diags);

    let mut examples = Vec::new();
    if let Some(n) = examples_node {
        let items = yaml::seq(n, "`examples`", diags).unwrap_or(&[]);
        if items.is_empty() && matches!(n.value, Value::Seq(_)) {
            diags.push(
                Diagnostic::new(n.span, "an error code needs at least one example")
                    .label("empty list"),
            );
        }
        for (i, item) in items.iter().enumerate() {
            if let Some(e) = read_example(item, i, diags) {
                examples.push(e);
            }
        }
    }
    let code = code.ok_or(None)?;
    let Some(category) = category else {
        return Err(Some(code));
    };
    // A missing description or message (or a template with errors) is reported; the rest of
    // the code is still checked, as if the message were written at run time (no placeholder or
    // example-message checks).
    let description = description.unwrap_or_default();
    let message = message.unwrap_or(At {
        span: code.span,
        value: MessageTemplate {
            source: String::new(),
            parts: Vec::new(),
            runtime: Some(String::new()),
        },
    });
    // A missing or invalid status is reported; the rest of the code is still checked, without
    // the checks that need its status (`UNKNOWN_STATUS`).
    let status = status.unwrap_or(At {
        span: code.span,
        value: UNKNOWN_STATUS,
    });
    Ok(ErrorDraft {
        // Numbered by `read_file` among the drafts it keeps.
        order: 0,
        code,
        // Set by `build`, which knows `api.code_style`.
        code_misspelt: false,
        status,
        category,
        description,
        message,
        placeholder_spans,
        details,
        remediation,
        examples,
        headers,
        broken_headers,
        retry,
        delay_field_span,
        delivery: delivery.unwrap_or(Delivery::Http),
        since,
        deprecated,
        wire: wire_spec,
        details_span: details_node.map(|n| n.span),
        property_spans: property_spans(details_node),
    })
}

/// Each key of a details schema's `properties`, with where it is.
fn property_spans(details: Option<&Node>) -> Vec<(String, Span)> {
    fn entries(n: &Node) -> Option<&[(yaml::Key, Node)]> {
        match &n.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }
    details
        .and_then(entries)
        .and_then(|e| e.iter().find(|(k, _)| k.name == "properties"))
        .and_then(|(_, p)| entries(p))
        .map(|e| e.iter().map(|(k, _)| (k.name.clone(), k.span)).collect())
        .unwrap_or_default()
}

/// The status of a draft whose own was missing or invalid (already reported).
const UNKNOWN_STATUS: u16 = 0;

/// A span inside a scalar: exact for plain and single-line scalars, the whole node otherwise.
fn inner_span(node: &Node, source: &str, text: &str, start: usize, len: usize) -> Span {
    let at = |skip: u32| Span {
        offset: node.span.offset + skip + start as u32,
        len: len.max(1) as u32,
        column: node.span.column + skip + text[..start].chars().count() as u32,
        ..node.span
    };
    let raw = source
        .get(node.span.offset as usize..(node.span.offset + node.span.len) as usize)
        .unwrap_or("");
    let quoted = |q: char| raw.strip_prefix(q).and_then(|r| r.strip_suffix(q)) == Some(text);
    if text.contains('\n') {
        node.span
    } else if raw == text {
        at(0)
    } else if quoted('"') || quoted('\'') {
        // Quoted on one line with no escapes: the text is the source minus the opening quote.
        at(1)
    } else {
        node.span
    }
}

fn read_remediation(node: &Node, diags: &mut Diagnostics) -> Remediation {
    let Some(mut m) = MapReader::new(node, "`remediation`", diags) else {
        return Remediation::default();
    };
    let r = Remediation {
        solutions: m
            .get("solutions")
            .and_then(|n| yaml::strings(n, "`solutions`", diags))
            .unwrap_or_default(),
        common_causes: m
            .get("common_causes")
            .and_then(|n| yaml::strings(n, "`common_causes`", diags))
            .unwrap_or_default(),
        action: m
            .get("action")
            .and_then(|n| yaml::text(n, "`action`", diags)),
    };
    m.finish(diags);
    r
}

/// Headers the generated servers (or the HTTP layer under them) write themselves: a code that
/// declared one would send it twice, or break the response's framing.
pub(crate) const SERVER_HEADERS: &[&str] = &[
    "Content-Type",
    "Content-Length",
    "Transfer-Encoding",
    "Connection",
    "Keep-Alive",
    "Upgrade",
    "TE",
    "Trailer",
    "Proxy-Connection",
];

/// A code's headers that were declared but could not be read (each problem reported).
#[derive(Default)]
struct BrokenHeaders {
    /// Named headers with a problem.
    names: Vec<String>,
    /// `headers` or one of its entries could not be read far enough to tell its name.
    unnamed: bool,
}

impl BrokenHeaders {
    /// Whether the header may be one of these, so its absence from the headers read says nothing.
    fn covers(&self, name: &str) -> bool {
        self.unnamed || self.names.iter().any(|n| n.eq_ignore_ascii_case(name))
    }
}

/// The headers read, and those declared but not read (reported).
fn read_headers(node: &Node, diags: &mut Diagnostics) -> (Vec<HeaderDef>, BrokenHeaders) {
    let mut out: Vec<HeaderDef> = Vec::new();
    let mut broken = BrokenHeaders::default();
    // `headers: { Retry-After: {...} }`, as OpenAPI writes them: say how a list is written.
    if let Value::Map(entries) = &node.value {
        let first = entries
            .first()
            .map_or("Retry-After", |(k, _)| k.name.as_str());
        diags.push(
            Diagnostic::new(node.span, "`headers` must be a list, found a mapping")
                .label("expected a list")
                .help(format!(
                    "write each header as a list item that names it: `- {{ name: {}, ... }}`, its other keys beside `name`",
                    first.escape_debug()
                )),
        );
        broken.unnamed = true;
        return (out, broken);
    }
    let Some(items) = yaml::seq(node, "`headers`", diags) else {
        broken.unnamed = true;
        return (out, broken);
    };
    for item in items {
        let Some(mut m) = MapReader::new(item, "a header", diags) else {
            broken.unnamed = true;
            continue;
        };
        let name_node = m.require("name", diags);
        let name = name_node.and_then(|n| yaml::text(n, "a header name", diags));
        match &name {
            Some(name) => broken.names.push(name.clone()),
            None => broken.unnamed = true,
        }
        let description = m
            .require("description", diags)
            .and_then(|n| yaml::text(n, "a header description", diags));
        let required = m
            .get("required")
            .and_then(|n| yaml::boolean(n, "`required`", diags))
            .unwrap_or(false);
        let type_node = m.get("type");
        let ty = type_node.and_then(
            |n| match yaml::string(n, "a header type", diags)?.as_str() {
                "string" => Some(HeaderType::String),
                "integer" => Some(HeaderType::Integer),
                other => {
                    diags.push(
                        Diagnostic::new(n.span, format!("unsupported header type `{other}`"))
                            .label("expected `string` or `integer`"),
                    );
                    None
                }
            },
        );
        m.finish(diags);
        let (Some(name), Some(name_node), Some(description)) = (name, name_node, description)
        else {
            continue;
        };
        if !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        {
            diags.push(
                Diagnostic::new(
                    name_node.span,
                    format!("`{}` is not a valid HTTP header name", name.escape_debug()),
                )
                .label("invalid header name"),
            );
            continue;
        }
        if out.iter().any(|h| h.name.eq_ignore_ascii_case(&name)) {
            diags.push(
                Diagnostic::new(
                    name_node.span,
                    format!(
                        "header `{name}` is declared twice (header names are case-insensitive)"
                    ),
                )
                .label("duplicate header"),
            );
            continue;
        }
        if crate::schema::OPENAPI_TOOL_BREAKERS
            .iter()
            .any(|b| b.eq_ignore_ascii_case(&name))
        {
            diags.push(
                Diagnostic::new(name_node.span, format!("a header cannot be named `{name}`"))
                    .label("breaks OpenAPI tools")
                    .help("openapi-typescript calls the key's own method of this name on a response's `headers` and crashes: rename the header"),
            );
            continue;
        }
        if name.starts_with('$') {
            diags.push(
                Diagnostic::new(name_node.span, format!("a header cannot be named `{name}`"))
                    .label("breaks OpenAPI tools")
                    .help("a response's `headers` are keyed by name in OpenAPI, and its tools read a key starting with `$` (`$ref`) as a reference or a keyword: rename the header"),
            );
            continue;
        }
        if let Some(set) = SERVER_HEADERS
            .iter()
            .find(|h| h.eq_ignore_ascii_case(&name))
        {
            diags.push(
                Diagnostic::new(
                    name_node.span,
                    format!("header `{name}` is not a code's to set: the HTTP layer writes `{set}` (the wire's content type, or the message framing)"),
                )
                .label("set by the server"),
            );
            continue;
        }
        let string = type_node.is_none() || ty == Some(HeaderType::String);
        if name.eq_ignore_ascii_case("retry-after") && string {
            diags.push(
                Diagnostic::new(
                    type_node.map_or(name_node.span, |n| n.span),
                    "`Retry-After` is read by every client as whole seconds, so it is an integer header",
                )
                .label("not `integer`")
                .help("write `type: integer` (a header's type is `string` unless it says)"),
            );
            continue;
        }
        out.push(HeaderDef {
            name,
            description,
            required,
            schema: ty.unwrap_or(HeaderType::String),
        });
        // Read: the name is not among the broken ones.
        broken.names.pop();
    }
    (out, broken)
}

/// A code's retry policy, and where its `delay_field` value is (if written).
fn read_retry_policy(
    node: &Node,
    diags: &mut Diagnostics,
) -> Option<(At<RetryPolicy>, Option<Span>)> {
    let mut m = MapReader::new(node, "`retry`", diags)?;
    let strategy = m.require("strategy", diags);
    let delay_field = m.get("delay_field");
    m.finish(diags);
    let strategy = strategy?;
    let field = delay_field.and_then(|n| yaml::text(n, "`delay_field`", diags));
    let policy = match yaml::string(strategy, "`strategy`", diags)?.as_str() {
        "never" => RetryPolicy::Never,
        "backoff" => RetryPolicy::Backoff {
            delay_field: field.clone(),
        },
        "after_delay" => RetryPolicy::AfterDelay {
            delay_field: field.clone(),
        },
        other => {
            let mut d = Diagnostic::new(strategy.span, format!("unknown retry strategy `{other}`"))
                .label("expected `never`, `after_delay` or `backoff`");
            if let Some(s) = did_you_mean(other, ["never", "after_delay", "backoff"]) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
            return None;
        }
    };
    if field.is_some() && policy == RetryPolicy::Never {
        diags.push(
            Diagnostic::new(
                delay_field?.span,
                "`delay_field` does not apply to the `never` strategy",
            )
            .label("not used"),
        );
    }
    Some((
        At {
            span: node.span,
            value: policy,
        },
        delay_field.map(|n| n.span),
    ))
}

fn read_deprecation(node: &Node, diags: &mut Diagnostics) -> Option<(Deprecation, Option<Span>)> {
    let mut m = MapReader::new(node, "`deprecated`", diags)?;
    let reason = m
        .require("reason", diags)
        .and_then(|n| yaml::text(n, "`reason`", diags));
    let since = m.get("since").and_then(|n| yaml::text(n, "`since`", diags));
    let replaced = m.get("replaced_by");
    let replaced_by = replaced.and_then(|n| yaml::text(n, "`replaced_by`", diags));
    m.finish(diags);
    Some((
        Deprecation {
            since,
            reason: reason?,
            replaced_by,
        },
        replaced.map(|n| n.span),
    ))
}

fn read_example<'a>(
    node: &'a Node,
    index: usize,
    diags: &mut Diagnostics,
) -> Option<ExampleDraft<'a>> {
    let mut m = MapReader::new(node, "an example", diags)?;
    let name = match m.get("name") {
        Some(n) => {
            let v = yaml::text(n, "an example name", diags)?;
            if !is_snake(&v, '_') {
                diags.push(
                    Diagnostic::new(n.span, format!("example name `{v}` must be {CODE_PATTERN}"))
                        .label("invalid name"),
                );
            }
            At {
                span: n.span,
                value: v,
            }
        }
        None => At {
            span: node.span,
            value: if index == 0 {
                "default".into()
            } else {
                format!("example_{}", index + 1)
            },
        },
    };
    let summary = m
        .get("summary")
        .and_then(|n| yaml::text(n, "an example summary", diags));
    let body = m.require("body", diags);
    let headers_node = m.get("headers");
    m.finish(diags);
    let mut headers = Vec::new();
    if let Some(h) = headers_node {
        for (k, v) in yaml::map(h, "example headers", diags).unwrap_or(&[]) {
            let value = match &v.value {
                Value::Str(s) => s.clone(),
                Value::Int(i) => i.to_string(),
                _ => {
                    diags.push(
                        Diagnostic::new(
                            v.span,
                            format!(
                                "header value must be a string or integer, found {}",
                                v.kind()
                            ),
                        )
                        .label("expected a header value"),
                    );
                    continue;
                }
            };
            headers.push((
                At {
                    span: k.span,
                    value: k.name.clone(),
                },
                At {
                    span: v.span,
                    value,
                },
            ));
        }
    }
    Some(ExampleDraft {
        name,
        summary,
        body: body?,
        headers,
        headers_span: headers_node.map_or(node.span, |h| h.span),
    })
}

/// Merges drafts and checks everything that spans files. `None` when a required section is
/// missing (already reported).
fn read_retired(node: &Node, diags: &mut Diagnostics) -> Option<RetiredDraft> {
    let mut m = MapReader::new(node, "a retired code", diags)?;
    // Its spelling is checked in `check_retired`, against the catalog's `code_style`.
    let code = m.require("code", diags).and_then(|n| {
        Some(At {
            span: n.span,
            value: yaml::string(n, "`code`", diags)?,
        })
    });
    let version = m.require("version", diags).and_then(|n| {
        let v = yaml::text(n, "`version`", diags)?;
        if let Some(problem) = semver_problem(&v) {
            diags.push(
                Diagnostic::new(
                    n.span,
                    format!(
                        "`version` must be the semantic version that retired the code, like `2.0.0`, found `{}`",
                        v.escape_debug()
                    ),
                )
                .label(problem),
            );
            return None;
        }
        Some(v)
    });
    let reason = m
        .require("reason", diags)
        .and_then(|n| yaml::text(n, "`reason`", diags));
    let mut at_text = |key: &'static str, diags: &mut Diagnostics| {
        m.get(key).and_then(|n| {
            Some(At {
                span: n.span,
                value: yaml::text(n, &format!("`{key}`"), diags)?,
            })
        })
    };
    let replaced_by = at_text("replaced_by", diags);
    let category = at_text("category", diags);
    m.finish(diags);
    let code = code?;
    Some(RetiredDraft {
        value: Retired {
            code: code.value.clone(),
            version: version?,
            reason: reason?,
            replaced_by: replaced_by.as_ref().map(|r| r.value.clone()),
            category: category.as_ref().map(|c| c.value.clone()),
        },
        code,
        replaced_by,
        category,
    })
}

/// Retired codes: unique, never reused by a live code (in any target's spelling either), and
/// their references resolved. Returns them in declared order.
#[allow(clippy::too_many_arguments)]
fn check_retired(
    drafts: Vec<RetiredDraft>,
    style: CodeStyle,
    integer_codes: bool,
    by_ident: &HashMap<(&'static str, String), (&str, Span)>,
    all_codes: &HashSet<String>,
    categories: &[At<Category>],
    where_: &dyn Fn(Span) -> String,
    diags: &mut Diagnostics,
) -> Vec<Retired> {
    let mut seen: HashMap<String, Span> = HashMap::new();
    let mut out = Vec::new();
    for r in drafts {
        let code = &r.code.value;
        if let Some(d) = code_style_problem(&r.code, style, integer_codes) {
            diags.push(d.label("invalid retired code"));
            continue;
        }
        let mut ok = true;
        if let Some(first) = seen.get(code) {
            diags.push(
                Diagnostic::new(
                    r.code.span,
                    format!("retired code `{code}` is listed twice"),
                )
                .label("duplicate retired code")
                .note(format!("first listed at {}", where_(*first))),
            );
            continue;
        }
        seen.insert(code.clone(), r.code.span);
        // A live code spelled like a retired one in any target reuses it, as old clients see it.
        if let Some((live, span)) = crate::emit::code_identifiers(code)
            .into_iter()
            .find_map(|(what, ident)| by_ident.get(&(what, ident)).copied())
        {
            let what = if live == code {
                format!("error code `{live}` was retired and cannot be used again")
            } else {
                format!(
                    "error code `{live}` has the same identifiers as the retired code `{code}` and cannot be used"
                )
            };
            diags.push(
                Diagnostic::new(span, what)
                    .label("reuses a retired code")
                    .note(format!(
                        "`{code}` was retired in {} ({}), at {}",
                        r.value.version,
                        r.value.reason,
                        where_(r.code.span)
                    ))
                    .help(
                        "choose a new name: clients that knew the old code would misread this one",
                    ),
            );
            ok = false;
        }
        if let Some(target) = &r.replaced_by
            && !all_codes.contains(target.value.as_str())
        {
            let mut d = Diagnostic::new(
                target.span,
                format!("`replaced_by: {}` names no error code", target.value),
            )
            .label("unknown code");
            if let Some(s) = did_you_mean(&target.value, all_codes.iter().map(String::as_str)) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
            ok = false;
        }
        if let Some(cat) = &r.category
            && !categories.iter().any(|c| c.value.id == cat.value)
        {
            let mut d = Diagnostic::new(
                cat.span,
                format!("`category: {}` names no category", cat.value),
            )
            .label("unknown category");
            if let Some(s) =
                did_you_mean(&cat.value, categories.iter().map(|c| c.value.id.as_str()))
            {
                d = d.help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
            ok = false;
        }
        if ok {
            out.push(r.value);
        }
    }
    out
}

fn build(drafts: Drafts<'_>, sources: &[Source], diags: &mut Diagnostics) -> Option<Catalog> {
    let where_ = |span: Span| {
        format!(
            "{}:{}:{}",
            sources[span.file as usize].name, span.line, span.column
        )
    };

    let quiet = drafts.unparsed_files;
    let present = |key: &str| quiet || drafts.present.contains(key);
    // For a missing section: an unknown top-level key spelt like it (its own error follows).
    let misspelt = |key: &str| {
        drafts
            .unknown_keys
            .iter()
            .find(|(k, _)| did_you_mean(k, [key]).is_some())
            .map(|(k, span)| format!("`{k}` at {} may be `{key}` misspelt", where_(*span)))
    };
    let api = single(
        "api",
        drafts.api,
        present("api"),
        misspelt("api"),
        &where_,
        diags,
    );
    for extra in drafts.wire.iter().skip(1) {
        diags.push(
            Diagnostic::new(extra.span, "`api.wire` is defined in more than one place")
                .label("second definition")
                .note(format!("also defined at {}", where_(drafts.wire[0].span))),
        );
    }
    let wire_spec = drafts.wire.first();
    let flat = wire_spec.is_none_or(|w| {
        matches!(
            w.kind,
            wire::SpecKind::Preset {
                preset: wire::Preset::Flat,
                ..
            }
        )
    });
    // The `envelope` section describes the flat wire; other wires describe their own members.
    let envelope = if drafts.wire_broken {
        Some(Envelope::standard())
    } else if flat {
        single(
            "envelope",
            drafts.envelope,
            present("envelope"),
            misspelt("envelope"),
            &where_,
            diags,
        )
    } else {
        for e in &drafts.envelope {
            diags.push(
                Diagnostic::new(
                    e.span,
                    "`envelope` describes the `flat` wire, but `api.wire` says errors look otherwise",
                )
                .label("not used by this wire")
                .help("remove `envelope`: the wire's members have their own descriptions"),
            );
        }
        Some(Envelope::standard())
    };
    let wire = wire::resolve(
        wire_spec,
        envelope.as_ref(),
        api.as_ref().map_or("", |a| a.docs_url.as_str()),
    );
    let retry = match drafts.retry.len() {
        0 => Some(RetryConfig {
            max_attempts: 3,
            initial_delay_ms: 1000,
            multiplier: 2,
            max_delay_ms: 30_000,
            default_delay_seconds: 60,
        }),
        _ => single(
            "retry",
            drafts.retry,
            present("retry"),
            misspelt("retry"),
            &where_,
            diags,
        ),
    };

    let statuses: BTreeMap<u16, At<HttpStatus>> = unique(
        drafts.statuses,
        |s| s.code.to_string(),
        |s| format!("status {}", s.code),
        "duplicate status",
        &where_,
        diags,
    )
    .into_iter()
    .map(|s| (s.value.code, s))
    .collect();
    if statuses.is_empty() && !present("statuses") {
        diags.push(
            Diagnostic::global("the catalog has no `statuses` table").help(
                misspelt("statuses").unwrap_or_else(|| {
                    "add `statuses:` mapping each HTTP status the API uses to its description"
                        .into()
                }),
            ),
        );
    }

    let categories = unique(
        drafts.categories,
        |c| c.id.clone(),
        |c| format!("category `{}`", c.id),
        "duplicate category",
        &where_,
        diags,
    );
    // Titles name the docs' pages and OpenAPI's tags, which must be told apart.
    let mut titles: HashMap<&str, Span> = HashMap::with_capacity(categories.len());
    for c in &categories {
        if let Some(&prev) = titles.get(c.value.title.as_str()) {
            diags.push(
                Diagnostic::new(
                    c.span,
                    format!("category title `{}` is used twice", c.value.title),
                )
                .label("duplicate title")
                .note(format!("first used at {}", where_(prev)))
                .help("give each category its own title: the docs and OpenAPI's tags show it"),
            );
        } else {
            titles.insert(&c.value.title, c.span);
        }
    }
    if categories.is_empty() && !present("categories") {
        diags.push(
            Diagnostic::global("the catalog has no `categories`").help(
                misspelt("categories").unwrap_or_else(|| {
                    "add `categories:` with at least one `id` and `title`".into()
                }),
            ),
        );
    }

    let guidance = unique(
        drafts.guidance,
        |g| g.id.clone(),
        |g| format!("guidance `{}`", g.id),
        "duplicate id",
        &where_,
        diags,
    );

    // Codes: duplicates, then identifier collisions in any target. Maps, not pairwise scans:
    // catalogs have thousands of codes.
    // Sized up front: growing tables of 100,000 identifiers rehashes them several times.
    let codes = drafts.errors.len() + drafts.unread_codes.len();
    let identifiers_per_code = drafts
        .errors
        .first()
        .map_or(0, |e| crate::emit::code_identifiers(&e.code.value).len());
    let mut by_code: HashMap<&str, Span> = HashMap::with_capacity(codes);
    // Pairs of codes already reported as colliding identifiers (the later code first).
    let mut collided: HashSet<(&str, &str)> = HashSet::new();
    let mut by_ident: HashMap<(&'static str, String), (&str, Span)> =
        HashMap::with_capacity(identifiers_per_code * drafts.errors.len());
    let mut keep = vec![true; drafts.errors.len()];
    // Codes spelt against the style or pattern: left out of the cross-checks by code, but the
    // rest of their entry is checked.
    let mut bad_spelling = vec![false; drafts.errors.len()];
    // An unreadable `api.code_style` (reported) checks codes only for what every style shares.
    let style = drafts
        .code_style
        .first()
        .copied()
        .unwrap_or(Some(CodeStyle::default()))
        .unwrap_or(CodeStyle::Any);
    let integer_codes = wire.integer_codes();
    // Codes that could not be read whole are duplicates too; they are dropped anyway.
    let mut all_codes_in_order: Vec<(&At<String>, Option<usize>)> = drafts
        .errors
        .iter()
        .enumerate()
        .map(|(i, e)| (&e.code, Some(i)))
        .chain(drafts.unread_codes.iter().map(|c| (c, None)))
        .filter(|(code, i)| {
            match code_style_problem(code, style, integer_codes)
                .or_else(|| code_pattern_problem(code, drafts.code_pattern.first()))
            {
                Some(d) => {
                    diags.push(d);
                    if let Some(i) = i {
                        bad_spelling[*i] = true;
                    }
                    false
                }
                None => true,
            }
        })
        .collect();
    all_codes_in_order.sort_by_key(|(c, _)| (c.span.file, c.span.offset));
    for (code, index) in &all_codes_in_order {
        if let Some(first) = by_code.get(code.value.as_str()) {
            diags.push(
                Diagnostic::new(
                    code.span,
                    format!("error code `{}` is defined twice", code.value),
                )
                .label("duplicate code")
                .note(format!("also defined at {}", where_(*first))),
            );
            if let Some(i) = index {
                keep[*i] = false;
            }
        } else {
            by_code.insert(&code.value, code.span);
        }
    }
    // Each way a response header (by lower-cased name) is declared: another code that describes
    // or types it differently gets a second OpenAPI component (`Name_2`), warned about once.
    let mut headers_seen: HashMap<String, Vec<(&HeaderDef, &str, Span)>> = HashMap::new();
    for (i, e) in drafts.errors.iter().enumerate() {
        if !keep[i] || bad_spelling[i] {
            continue;
        }
        if let (Some(since), Some(api)) = (&e.since, &api)
            && semver_problem(&since.value).is_none()
            && crate::diff::precedence(&since.value, &api.version) == std::cmp::Ordering::Greater
        {
            diags.push(
                Diagnostic::warning(
                    since.span,
                    format!(
                        "`since` {} is later than `api.version` {}",
                        since.value, api.version
                    ),
                )
                .label("a version not released yet")
                .help("write the version that introduces the code, and raise `api.version` to it when it ships"),
            );
        }
        for h in e.headers.iter().filter(|_| e.delivery == Delivery::Http) {
            let seen = headers_seen.entry(h.name.to_ascii_lowercase()).or_default();
            let alike = |d: &&(&HeaderDef, &str, Span)| {
                d.0.description == h.description && d.0.schema == h.schema
            };
            if seen.iter().any(|d| alike(&d)) {
                continue;
            }
            if let Some((first, code, span)) = seen.first() {
                let how = if first.schema == h.schema {
                    "describes"
                } else {
                    "types"
                };
                diags.push(
                    Diagnostic::warning(
                        e.code.span,
                        format!(
                            "`{}` {how} the header `{}` differently from `{code}`",
                            e.code.value, h.name
                        ),
                    )
                    .label("another declaration of the header")
                    .note(format!("`{code}` is defined at {}", where_(*span)))
                    .help("declare it alike in every code, or OpenAPI gets a numbered component (`Name_2`) whose name changes as declarations do"),
                );
            }
            seen.push((h, e.code.value.as_str(), e.code.span));
        }
        let module = naming::rust_snake_plain(&e.code.value);
        if naming::RUST_CRATES_USED.contains(&module.as_str()) {
            diags.push(
                Diagnostic::new(e.code.span, format!("error code `{}` would name a Rust module that shadows the `{module}` crate the generated code uses", e.code.value))
                    .label("shadows a crate")
                    .note(format!("reserved: {}", naming::RUST_CRATES_USED.join(", "))),
            );
        }
        let anchor = naming::docs_anchor(&e.code.value);
        if anchor == naming::docs_category_anchor(&e.category.value) {
            diags.push(
                Diagnostic::new(
                    e.code.span,
                    format!(
                        "error code `{}` would take the id `{anchor}` of its category page's title in the docs",
                        e.code.value
                    ),
                )
                .label("docs anchor taken")
                .help("rename the code, or move it to another category"),
            );
        }
        // Two codes of the same words collide in every target at once: one error per pair,
        // naming the first identifier and counting the others.
        let mut clashes: Vec<(&str, Span, Vec<String>)> = Vec::new();
        for (what, ident) in crate::emit::code_identifiers(&e.code.value) {
            match by_ident.get(&(what, ident.clone())) {
                Some(&(prev, prev_span)) => {
                    let place = format!("`{ident}` in {what}");
                    match clashes.iter_mut().find(|c| c.0 == prev) {
                        Some(c) => c.2.push(place),
                        None => clashes.push((prev, prev_span, vec![place])),
                    }
                }
                None => {
                    by_ident.insert((what, ident), (&e.code.value, e.code.span));
                }
            }
        }
        for (prev, prev_span, places) in clashes {
            let mut d = Diagnostic::new(
                e.code.span,
                format!(
                    "error codes `{}` and `{prev}` both become {}",
                    e.code.value, places[0]
                ),
            )
            .label("identifier collision")
            .note(format!("`{prev}` is defined at {}", where_(prev_span)));
            if places.len() > 1 {
                d = d.note(format!("and {}", places[1..].join(", ")));
            }
            let lower = |c: &str| {
                naming::words(c)
                    .iter()
                    .map(|w| w.to_lowercase())
                    .collect::<Vec<_>>()
            };
            diags.push(if lower(&e.code.value) == lower(prev) {
                d.help(
                    "identifiers come from a code's words (catalog/README.md, \"Code styles\"), and these codes have the same words: rename one if the API is yours; two codes an API already sends cannot both be in one catalog",
                )
            } else {
                d.help("rename one of them")
            });
            collided.insert((e.code.value.as_str(), prev));
        }
    }
    if drafts.error_entries == 0 && !quiet {
        diags.push(
            Diagnostic::global("the catalog defines no error codes").help(
                misspelt("errors")
                    .unwrap_or_else(|| "add an `errors:` list; see catalog/README.md".into()),
            ),
        );
    }
    // Owned, so that the drafts can be moved into the model below.
    let all_codes: HashSet<String> = by_code.keys().map(|c| c.to_string()).collect();
    let retired = check_retired(
        drafts.retired,
        style,
        integer_codes,
        &by_ident,
        &all_codes,
        &categories,
        &where_,
        diags,
    );
    if let Some(api) = &api {
        // A code's module named like the crate itself: `use <crate>::*` in its tests is ambiguous.
        let krate = api.packages.rust.replace('-', "_");
        if let Some(e) = drafts
            .errors
            .iter()
            .find(|e| naming::rust_snake_plain(&e.code.value) == krate)
        {
            diags.push(
                Diagnostic::new(
                    e.code.span,
                    format!(
                        "error code `{}` would name a Rust module that shadows the generated crate `{krate}`",
                        e.code.value
                    ),
                )
                .label("shadows the crate")
                .help("rename the code, or set a different `api.packages.rust`"),
            );
        }
        let ty = &api.packages.error_type;
        if let Some((code, span)) = CODE_TYPE_SUFFIXES.iter().find_map(|suffix| {
            let base = ty.strip_suffix(suffix)?;
            drafts
                .errors
                .iter()
                .find(|e| naming::pascal(&e.code.value) == base)
                .map(|e| (&e.code.value, e.code.span))
        }) {
            diags.push(
                Diagnostic::new(
                    span,
                    format!("the error type `{ty}` is also a type generated for the code `{code}`"),
                )
                .label("name clash")
                .help("rename the code, or set a different `api.packages.error_type`"),
            );
        }
    }
    // Python: codes, categories and the error type share one module of classes.
    let mut py_classes: HashMap<String, (String, Option<Span>)> =
        HashMap::with_capacity(2 * drafts.errors.len() + categories.len() + 2);
    if let Some(api) = &api {
        let ty = &api.packages.error_type;
        for fixed in [ty.clone(), format!("Unknown{ty}")] {
            py_classes.insert(fixed, ("the error type".into(), None));
        }
    }
    for c in &categories {
        let name = naming::python_category_class(&c.value.id);
        if let Some((other, other_span)) = py_classes.get(&name) {
            let mut d = Diagnostic::new(
                c.span,
                format!(
                    "category `{}` becomes the Python class `{name}`, which {other} also defines",
                    c.value.id
                ),
            )
            .label("Python class name collision")
            .help("rename the category");
            if let Some(at) = other_span {
                d = d.note(format!("{other} is defined at {}", where_(*at)));
            }
            diags.push(d);
        } else {
            py_classes.insert(name, (format!("category `{}`", c.value.id), Some(c.span)));
        }
    }
    for e in drafts
        .errors
        .iter()
        .filter(|e| by_code.get(e.code.value.as_str()) == Some(&e.code.span))
    {
        let class = naming::python_class(&e.code.value);
        let code = &e.code.value;
        let headers = (!e.headers.is_empty()).then(|| {
            (
                python::headers_class_of(code),
                format!("the response headers of `{code}`"),
            )
        });
        for (name, what) in [
            (class.clone(), format!("code `{code}`")),
            (
                format!("{}Details", class.trim_end_matches('_')),
                format!("code `{code}`"),
            ),
        ]
        .into_iter()
        .chain(headers)
        {
            if let Some((other, other_span)) = py_classes.get(&name) {
                // A code whose identifiers collide with another code's is reported once.
                if collided
                    .iter()
                    .any(|&(a, b)| a == code.as_str() && *other == format!("code `{b}`"))
                {
                    break;
                }
                let subject = if what.starts_with("code") {
                    format!("error code `{code}` becomes")
                } else {
                    format!("{what} become")
                };
                let mut d = Diagnostic::new(
                    e.code.span,
                    format!("{subject} the Python class `{name}`, which {other} also defines"),
                )
                .label("Python class name collision")
                .help("rename the code");
                if let Some(at) = other_span {
                    d = d.note(format!("{other} is defined at {}", where_(*at)));
                }
                diags.push(d);
                break;
            } else {
                py_classes.insert(name, (what, Some(e.code.span)));
            }
        }
    }
    check_python_details_names(&drafts.errors, &by_code, &mut py_classes, &where_, diags);
    let deprecated: HashSet<String> = drafts
        .errors
        .iter()
        .filter(|e| e.deprecated.is_some())
        .map(|e| e.code.value.clone())
        .collect();

    let refs = Refs {
        statuses: &statuses,
        categories: &categories,
        all_codes: &all_codes,
        deprecated: &deprecated,
        broken_statuses: &drafts.broken_statuses,
        broken_categories: &drafts.broken_categories,
        wire: &wire,
        wire_broken: drafts.wire_broken,
        docs_base: api.as_ref().map_or("", |a| a.docs_url.as_str()),
    };
    let kept: Vec<ErrorDraft<'_>> = drafts
        .errors
        .into_iter()
        .zip(keep)
        .zip(bad_spelling)
        .filter_map(|((mut e, keep), misspelt)| {
            e.code_misspelt = misspelt;
            keep.then_some(e)
        })
        .collect();
    check_type_uris(&kept, &refs, diags);
    let mut errors = check_errors(kept, &refs, diags);
    let cat_index: HashMap<&str, usize> = categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.value.id.as_str(), i))
        .collect();
    // Cached: the key is looked up once per code, and the large definitions move once.
    errors.sort_by_cached_key(|(order, e)| {
        (
            cat_index
                .get(e.category.as_str())
                .copied()
                .unwrap_or(usize::MAX),
            *order,
        )
    });

    // A category without codes (live or retired) is a docs page that lists nothing. Codes with
    // problems count (their category is theirs once fixed), and a file that did not parse may
    // hold codes of any category.
    if !errors.is_empty() && !quiet {
        // A category a code names but the catalog does not define (reported) may be this one
        // misspelt: no second warning for it.
        let defined: HashSet<&str> = categories.iter().map(|c| c.value.id.as_str()).collect();
        let misspelt: HashSet<&str> = drafts
            .code_categories
            .iter()
            .filter(|id| !defined.contains(id.as_str()))
            .filter_map(|id| did_you_mean(id, defined.iter().copied()))
            .collect();
        for c in &categories {
            if !drafts.code_categories.contains(&c.value.id)
                && !misspelt.contains(c.value.id.as_str())
            {
                diags.push(
                    Diagnostic::warning(c.span, format!("category `{}` has no codes", c.value.id))
                        .label("an empty docs page")
                        .help("move a code into it, or remove it"),
                );
            }
        }
    }

    Some(Catalog {
        api: api?,
        wire,
        envelope: envelope?,
        statuses: statuses.into_values().map(|s| s.value).collect(),
        categories: categories.into_iter().map(|c| c.value).collect(),
        retry: retry?,
        guidance: guidance.into_iter().map(|g| g.value).collect(),
        errors: errors.into_iter().map(|(_, e)| e).collect(),
        retired,
        warnings: Diagnostics::default(),
        tables: Default::default(),
    })
}

/// Python: the types nested in each code's details (dataclasses and enum aliases, named
/// `{Owner}{Property}`) share `__init__.py` with the codes', categories' and runtime classes, and
/// every details dataclass has module functions `parse_{snake}`/`dump_{snake}` in `_details.py`,
/// where `ABDetails` and `AbDetails` would meet. Each clash is reported at the code.
fn check_python_details_names(
    errors: &[ErrorDraft],
    by_code: &HashMap<&str, Span>,
    py_classes: &mut HashMap<String, (String, Option<Span>)>,
    where_: &dyn Fn(Span) -> String,
    diags: &mut Diagnostics,
) {
    let with_details = errors.iter().filter_map(|e| {
        let first = by_code.get(e.code.value.as_str()) == Some(&e.code.span);
        Some((e, e.details.as_ref().filter(|_| first)?))
    });
    // `parse_` + snake case of a dataclass -> (its class, who defines it, where).
    let mut functions: HashMap<String, (String, String, Span)> =
        HashMap::with_capacity(errors.len());
    for (e, schema) in with_details {
        let code = &e.code.value;
        let owner = python::details_class_of(code);
        let mut types = vec![python::NestedType {
            name: owner.clone(),
            path: String::new(),
            dataclass: true,
        }];
        types.extend(python::nested_types(&owner, schema));
        for t in types {
            let what = if t.path.is_empty() {
                format!("the details dataclass of `{code}`")
            } else {
                format!("the details field `{code}.details.{}`", t.path)
            };
            if !t.path.is_empty() {
                let other = py_classes.get(&t.name).map(|(o, at)| (o.clone(), *at));
                match other {
                    Some((other, at)) => {
                        let mut d = Diagnostic::new(
                            e.code.span,
                            format!(
                                "{what} becomes the Python class `{}`, which {other} also defines",
                                t.name
                            ),
                        )
                        .label("Python class name collision")
                        .help("rename one of the properties or codes");
                        if let Some(at) = at.filter(|at| *at != e.code.span) {
                            d = d.note(format!("{other} is defined at {}", where_(at)));
                        }
                        diags.push(d);
                        continue;
                    }
                    None => {
                        py_classes.insert(t.name.clone(), (what.clone(), Some(e.code.span)));
                    }
                }
            }
            if !t.dataclass {
                continue;
            }
            let function = python::parse_fn(&t.name);
            match functions.get(&function) {
                Some((class, other, at)) if *class != t.name => {
                    let mut d = Diagnostic::new(
                            e.code.span,
                            format!(
                                "{what} becomes the Python class `{}`, whose function `{function}` is also that of `{class}`, for {other}",
                                t.name
                            ),
                        )
                        .label("Python function name collision")
                        .help("rename one of the properties or codes");
                    if *at != e.code.span {
                        d = d.note(format!("{other} is defined at {}", where_(*at)));
                    }
                    diags.push(d);
                }
                Some(_) => {}
                None => {
                    functions.insert(function, (t.name, what, e.code.span));
                }
            }
        }
    }
}

/// The items in order, each key kept at its first definition; later ones are reported as
/// "`<what>` is defined twice" with the place of the first.
fn unique<T>(
    items: Vec<At<T>>,
    key: impl Fn(&T) -> String,
    what: impl Fn(&T) -> String,
    label: &str,
    where_: &dyn Fn(Span) -> String,
    diags: &mut Diagnostics,
) -> Vec<At<T>> {
    let mut first: HashMap<String, Span> = HashMap::new();
    let mut out = Vec::new();
    for item in items {
        match first.get(&key(&item.value)) {
            Some(prev) => diags.push(
                Diagnostic::new(item.span, format!("{} is defined twice", what(&item.value)))
                    .label(label)
                    .note(format!("also defined at {}", where_(*prev))),
            ),
            None => {
                first.insert(key(&item.value), item.span);
                out.push(item);
            }
        }
    }
    out
}

/// A section that exactly one file must define.
fn single<T>(
    key: &str,
    mut items: Vec<At<T>>,
    quiet: bool,
    misspelt: Option<String>,
    where_: &dyn Fn(Span) -> String,
    diags: &mut Diagnostics,
) -> Option<T> {
    if items.is_empty() {
        if quiet {
            return None;
        }
        diags.push(
            Diagnostic::global(format!("the catalog has no `{key}` section")).help(
                misspelt.unwrap_or_else(|| {
                    format!("add `{key}:` to one catalog file; see catalog/README.md")
                }),
            ),
        );
        return None;
    }
    for extra in &items[1..] {
        diags.push(
            Diagnostic::new(
                extra.span,
                format!("`{key}` is defined in more than one place"),
            )
            .label("second definition")
            .note(format!("also defined at {}", where_(items[0].span))),
        );
    }
    Some(items.swap_remove(0).value)
}

/// What an error code may refer to, merged from every file.
struct Refs<'r> {
    statuses: &'r BTreeMap<u16, At<HttpStatus>>,
    categories: &'r [At<Category>],
    all_codes: &'r HashSet<String>,
    deprecated: &'r HashSet<String>,
    broken_statuses: &'r HashSet<u16>,
    broken_categories: &'r HashSet<String>,
    wire: &'r wire::Wire,
    /// `api.wire` could not be read (reported): examples' keys are not checked against the
    /// flat envelope that stands in for it.
    wire_broken: bool,
    /// `api.docs_url`, for the codes' docs links (the RFC 9457 `type` by default).
    docs_base: &'r str,
}

/// Codes read and checked on one thread below this many; above it, in chunks on every core
/// (reading or checking one code looks at nothing else it changes, and diagnostics are sorted
/// when finished).
const PARALLEL_CODES: usize = 1000;

/// `job` on every item (a code), with the diagnostics it finds; the results in the items' order.
/// Past [`PARALLEL_CODES`] items, in chunks on every core.
fn per_code<T: Send, R: Send>(
    items: Vec<T>,
    diags: &mut Diagnostics,
    job: impl Fn(T, &mut Diagnostics) -> R + Sync,
) -> Vec<R> {
    if items.len() < PARALLEL_CODES {
        return items.into_iter().map(|item| job(item, diags)).collect();
    }
    let (count, size) = (items.len(), items.len().div_ceil(8));
    let mut items = items.into_iter();
    let chunks: Vec<std::sync::Mutex<Vec<T>>> =
        std::iter::from_fn(|| Some(items.by_ref().take(size).collect::<Vec<_>>()))
            .take_while(|chunk| !chunk.is_empty())
            .map(std::sync::Mutex::new)
            .collect();
    let done = crate::parallel::map(
        &chunks,
        |_| size,
        None,
        |_, chunk| {
            let chunk = std::mem::take(
                &mut *chunk
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            );
            let mut found = Diagnostics::default();
            let results: Vec<R> = chunk
                .into_iter()
                .map(|item| job(item, &mut found))
                .collect();
            (results, found)
        },
    );
    let mut out = Vec::with_capacity(count);
    for (results, found) in done {
        out.extend(results);
        diags.append(found);
    }
    out
}

/// `s` cut to its first 200 characters (with `…`) for a diagnostic's label.
fn shortened(s: &str) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(200) {
        Some((at, _)) => std::borrow::Cow::Owned(format!("{}…", &s[..at])),
        None => std::borrow::Cow::Borrowed(s),
    }
}

/// Codes that travel as problem type URIs must each have their own (its `wire.type`, else its
/// docs URL): a client maps a type back to one code, and which one would differ by package.
fn check_type_uris(drafts: &[ErrorDraft<'_>], refs: &Refs<'_>, diags: &mut Diagnostics) {
    if refs.wire_broken || !refs.wire.type_uri_codes() {
        return;
    }
    let mut seen: HashMap<String, &str> = HashMap::with_capacity(drafts.len());
    for e in drafts.iter().filter(|e| !e.code_misspelt) {
        let (uri, span, label) = match e.wire.as_ref().and_then(|(s, _)| s.type_uri.as_ref()) {
            Some((uri, span)) => (uri.clone(), *span, "its `wire.type`"),
            None => (
                docs_url(refs.docs_base, &e.category.value, &e.code.value),
                e.code.span,
                "its docs URL, the default `type`",
            ),
        };
        match seen.get(uri.as_str()) {
            Some(first) => diags.push(
                Diagnostic::new(
                    span,
                    format!(
                        "`{}` and `{first}` have the same problem type `{}`",
                        e.code.value.escape_debug(),
                        uri.escape_debug()
                    ),
                )
                .label(label)
                .help("clients tell codes apart by their type: give each code its own `wire.type`"),
            ),
            None => {
                seen.insert(uri, &e.code.value);
            }
        }
    }
}

/// Every code checked, with its read order; the ones with errors are left out.
fn check_errors(
    drafts: Vec<ErrorDraft<'_>>,
    refs: &Refs<'_>,
    diags: &mut Diagnostics,
) -> Vec<(usize, ErrorDef)> {
    per_code(drafts, diags, |e, found| {
        let order = e.order;
        check_error(e, refs, found).map(|def| (order, def))
    })
    .into_iter()
    .flatten()
    .collect()
}

/// A code's draft against the rest of the catalog, moved into its definition when it holds.
fn check_error(e: ErrorDraft<'_>, refs: &Refs<'_>, diags: &mut Diagnostics) -> Option<ErrorDef> {
    let Refs {
        statuses,
        categories,
        all_codes,
        deprecated,
        ..
    } = *refs;
    let code = &e.code.value;
    let mut ok = true;
    let status_known = e.status.value != UNKNOWN_STATUS;
    if !status_known
        || refs.broken_statuses.contains(&e.status.value)
        || refs.broken_categories.contains(&e.category.value)
    {
        // Reported where it is defined; the code is fine as far as it goes.
        ok = false;
    }
    if status_known
        && !statuses.is_empty()
        && !refs.broken_statuses.contains(&e.status.value)
        && !statuses.contains_key(&e.status.value)
    {
        let known: Vec<String> = statuses.keys().map(u16::to_string).collect();
        diags.push(
            Diagnostic::new(
                e.status.span,
                format!(
                    "status {} of `{code}` is not in the `statuses` table",
                    e.status.value
                ),
            )
            .label("unknown status")
            .note(format!("the table has: {}", known.join(", "))),
        );
        ok = false;
    }
    if !categories.is_empty()
        && !refs.broken_categories.contains(&e.category.value)
        && !categories.iter().any(|c| c.value.id == e.category.value)
    {
        let mut d = Diagnostic::new(
            e.category.span,
            format!("unknown category `{}`", e.category.value),
        )
        .label("not in `categories`");
        d = match did_you_mean(
            &e.category.value,
            categories.iter().map(|c| c.value.id.as_str()),
        ) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.note(format!(
                "categories: {}",
                categories
                    .iter()
                    .map(|c| c.value.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        diags.push(d);
        ok = false;
    }
    // Placeholders name required details fields.
    for (i, (name, filter)) in e.message.value.placeholders().enumerate() {
        let at = e
            .placeholder_spans
            .get(i)
            .copied()
            .unwrap_or(e.message.span);
        let prop = e.details.as_ref().and_then(|d| d.property(name));
        match prop {
            // Its schema's problem is reported.
            None if e.unread_property(name) => ok = false,
            None => {
                let mut d = Diagnostic::new(at, format!("the message of `{code}` uses `{{{name}}}`, which is not a field of its details")).label("unknown placeholder");
                let fields: Vec<&str> = e
                    .details
                    .iter()
                    .flat_map(|d| d.properties.iter().map(|p| p.name.as_str()))
                    .collect();
                d = match did_you_mean(name, fields.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{{{s}}}`?")),
                    None if fields.is_empty() => {
                        d.help("add a `details` schema with this field, or remove the placeholder")
                    }
                    None => d.note(format!("details fields: {}", fields.join(", "))),
                };
                diags.push(d);
                ok = false;
            }
            Some(p) => {
                if p.required && p.schema.nullable {
                    diags.push(
                        Diagnostic::new(at, format!("`{{{name}}}` in the message of `{code}` names a nullable details field"))
                            .label("may be null")
                            .help(format!("drop `\"null\"` from the type of `{name}`, or leave it out of the message: a message must read the same in every target when the value is null")),
                    );
                    ok = false;
                }
                if !p.required {
                    diags.push(
                        Diagnostic::new(at, format!("`{{{name}}}` in the message of `{code}` names an optional details field"))
                            .label("may be absent")
                            .help(format!("add `{name}` to `required`, or leave it out of the message: a message must read the same in every target when the field is absent")),
                    );
                    ok = false;
                }
                let scalar = match &p.schema.kind {
                    SchemaKind::Object(_) | SchemaKind::Map { .. } => false,
                    SchemaKind::Array { items, .. } => !matches!(
                        items.kind,
                        SchemaKind::Object(_) | SchemaKind::Array { .. } | SchemaKind::Map { .. }
                    ),
                    _ => true,
                };
                if !scalar {
                    diags.push(Diagnostic::new(at, format!("`{{{name}}}` in the message of `{code}` is {}; placeholders must be scalars or lists of scalars", p.schema.kind.with_article())).label("cannot render"));
                    ok = false;
                }
                if filter.is_some() && !matches!(p.schema.kind, SchemaKind::String { .. }) {
                    diags.push(Diagnostic::new(at, format!("the `{}` filter in the message of `{code}` applies to strings; `{name}` is {}", filter.map_or("", Filter::as_str), p.schema.kind.with_article())).label("filter on a non-string"));
                    ok = false;
                }
            }
        }
    }
    // Retry policy.
    // Seconds to wait: a whole number, or any number (Discord's `retry_after: 64.57`), which
    // clients round up to whole seconds.
    let int_field = |f: &str| {
        e.details
            .as_ref()
            .and_then(|d| d.property(f))
            .is_some_and(|p| {
                matches!(
                    p.schema.kind,
                    SchemaKind::Integer { .. } | SchemaKind::Number { .. }
                )
            })
    };
    // A number details field named for a delay in seconds (`retry_after`, Kubernetes'
    // `retryAfterSeconds`, `retryAfter`), which a retry policy should wait.
    let delay_like = e.details.as_ref().and_then(|d| {
        d.properties.iter().map(|p| p.name.as_str()).find(|&name| {
            let w = naming::words(name);
            int_field(name)
                && w.len() >= 2
                && w[0] == "retry"
                && w[1] == "after"
                && (w.len() == 2
                    || w.len() == 3 && matches!(w[2].as_str(), "seconds" | "secs" | "sec"))
        })
    });
    let retry = match &e.retry {
        Some(r) => {
            if let Some(f) = r.value.delay_field()
                && !int_field(f)
                && !e.unread_property(f)
            {
                let mut d = Diagnostic::new(e.delay_field_span.unwrap_or(r.span), format!("`delay_field: {f}` must name an integer or number field (seconds) of the details of `{code}`")).label("not a number details field");
                let numbers: Vec<&str> = e
                    .details
                    .iter()
                    .flat_map(|d| d.properties.iter().map(|p| p.name.as_str()))
                    .filter(|name| int_field(name))
                    .collect();
                if let Some(s) = did_you_mean(f, numbers.iter().copied()) {
                    d = d.help(format!("did you mean `{s}`?"));
                } else if !numbers.is_empty() {
                    d = d.note(format!("number details fields: {}", numbers.join(", ")));
                }
                diags.push(d);
                ok = false;
            }
            if r.value.is_retryable()
                && r.value.delay_field().is_none()
                && let Some(f) = delay_like
            {
                diags.push(
                    Diagnostic::warning(
                        r.span,
                        format!("the retry policy of `{code}` ignores its `details.{f}`"),
                    )
                    .label("no `delay_field`")
                    .help(format!(
                        "add `delay_field: {f}` so clients wait as long as the server says"
                    )),
                );
            }
            r.value.clone()
        }
        // A webhook payload is an event the customer receives, not a response to a request
        // they could send again: no retry advice unless the catalog gives one.
        None if e.delivery == Delivery::Webhook => RetryPolicy::Never,
        None => {
            let delay_field = int_field("retry_after").then(|| "retry_after".to_string());
            let policy = match RetryPolicy::default_for_status(e.status.value) {
                RetryPolicy::AfterDelay { .. } => RetryPolicy::AfterDelay { delay_field },
                RetryPolicy::Backoff { .. } => RetryPolicy::Backoff { delay_field },
                RetryPolicy::Never => RetryPolicy::Never,
            };
            // The default reads only `retry_after`: say so for another delay's name.
            if let Some(f) = delay_like.filter(|&f| f != "retry_after")
                && policy.is_retryable()
            {
                let strategy = policy.strategy();
                diags.push(
                    Diagnostic::warning(
                        e.code.span,
                        format!("the default retry policy of `{code}` ignores its `details.{f}`"),
                    )
                    .label("no `retry`")
                    .help(format!(
                        "the default reads only `details.retry_after`: add `retry: {{ strategy: {strategy}, delay_field: {f} }}` so clients wait as long as the server says"
                    )),
                );
            }
            policy
        }
    };
    if e.status.value == 429
        && e.delivery == Delivery::Http
        && e.retry.is_none()
        && matches!(retry, RetryPolicy::AfterDelay { delay_field: None })
        && !refs
            .wire
            .members
            .iter()
            .any(|m| m.role == wire::Role::RetryDelay)
        && !e
            .headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("retry-after"))
        && !e.broken_headers.covers("retry-after")
    {
        let span = e.status.span;
        diags.push(
            Diagnostic::warning(span, format!("`{code}` is a 429 with no delay source: clients always wait the default delay"))
                .label("no delay in the details or headers")
                .help("add an integer `retry_after` details field or a `Retry-After` header; or write `retry: { strategy: after_delay }` to wait the default on purpose, or `retry: { strategy: never }` if waiting does not help"),
        );
    }
    // A header the wire carries a member in (the code, a request id) is the wire's to write.
    if !refs.wire_broken {
        let wire_headers = refs.wire.header_members();
        for h in &e.headers {
            if let Some((_, m)) = wire_headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(&h.name))
            {
                let what = match m.role {
                    wire::Role::Code { .. } => "the code".to_string(),
                    _ => format!("`{}`", m.name),
                };
                diags.push(
                    Diagnostic::new(
                        e.code.span,
                        format!("`{code}` declares the header `{}`, which carries {what}", h.name),
                    )
                    .label("declares a header of the wire")
                    .help(format!("the wire writes {what} in that header for every error: leave it out of `headers`")),
                );
                ok = false;
            }
        }
    }
    // Deprecation target.
    if let Some((dep, span)) = &e.deprecated
        && let (Some(target), Some(span)) = (&dep.replaced_by, span)
    {
        if target == code {
            diags.push(
                Diagnostic::new(*span, format!("`{code}` cannot be replaced by itself"))
                    .label("self-reference"),
            );
            ok = false;
        } else if !all_codes.contains(target.as_str()) {
            let mut d = Diagnostic::new(
                *span,
                format!("`replaced_by: {target}` names no error code"),
            )
            .label("unknown code");
            if let Some(s) = did_you_mean(target, all_codes.iter().map(String::as_str)) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
            ok = false;
        } else if deprecated.contains(target.as_str()) {
            diags.push(
                Diagnostic::new(
                    *span,
                    format!("`{code}` is replaced by `{target}`, which is deprecated too"),
                )
                .label("deprecated replacement"),
            );
            ok = false;
        }
    }
    // Examples.
    let mut names: Vec<&str> = Vec::new();
    let mut examples = Vec::new();
    for ex in &e.examples {
        if names.contains(&ex.name.value.as_str()) {
            diags.push(
                Diagnostic::new(
                    ex.name.span,
                    format!("example name `{}` is used twice in `{code}`", ex.name.value),
                )
                .label("duplicate example name"),
            );
            ok = false;
        }
        names.push(&ex.name.value);
        ok &= check_example(&e, ex, refs.wire, refs.wire_broken, diags);
        examples.push(Example {
            name: ex.name.value.clone(),
            summary: ex.summary.clone(),
            body: ex.body.to_json(),
            headers: ex
                .headers
                .iter()
                .map(|(k, v)| (k.value.clone(), v.value.clone()))
                .collect(),
            wire: None,
        });
    }
    let docs_url = docs_url(refs.docs_base, &e.category.value, code);
    if refs.wire_broken {
        // `api.wire` could not be read (reported): the flat wire that stands in for it would
        // call each code's `wire:` entries misplaced.
        return None;
    }
    let facts = wire::check_code(
        refs.wire,
        &wire::CodeCheck {
            code,
            code_span: e.code.span,
            status: e.status.value,
            status_span: e.status.span,
            description: &e.description,
            docs_url: docs_url.clone(),
            webhook: e.delivery == Delivery::Webhook,
            details: e.details.as_ref(),
            details_span: e.details_span,
            property_spans: &e.property_spans,
            spec: e.wire.as_ref().map(|(s, _)| s),
            spec_span: e.wire.as_ref().map(|(_, s)| *s),
        },
        diags,
    );
    let facts = facts?;
    if e.code_misspelt {
        // Reported in `build`; the entry's other problems are reported above.
        return None;
    }
    if refs.wire.preset != wire::Preset::Flat {
        for ex in &mut examples {
            ex.wire = Some(refs.wire.render(&ex.body, &facts, &docs_url));
        }
    }
    if !ok || e.examples.is_empty() {
        return None;
    }
    Some(ErrorDef {
        code: e.code.value,
        status: e.status.value,
        category: e.category.value,
        description: e.description,
        message: e.message.value,
        details: e.details,
        remediation: e.remediation,
        examples,
        headers: e.headers,
        retry,
        delivery: e.delivery,
        wire: facts,
        since: e.since.map(|s| s.value),
        deprecated: e.deprecated.map(|(d, _)| d),
    })
}

/// Keys of an example's values that OpenAPI's tools cannot take (`schema::OPENAPI_TOOL_BREAKERS`):
/// examples are copied into the OpenAPI document as they are.
fn tool_breaking_keys(node: &Node, diags: &mut Diagnostics) {
    match &node.value {
        Value::Map(entries) => {
            for (k, v) in entries {
                if crate::schema::OPENAPI_TOOL_BREAKERS.contains(&k.name.as_str()) {
                    diags.push(
                        Diagnostic::new(k.span, format!("an example cannot hold the key `{}`", k.name))
                            .label("breaks OpenAPI tools")
                            .help("OpenAPI's examples are this data, and openapi-typescript calls the key's own method of this name and crashes: use another key"),
                    );
                }
                tool_breaking_keys(v, diags);
            }
        }
        Value::Seq(items) => items.iter().for_each(|i| tool_breaking_keys(i, diags)),
        _ => {}
    }
}

/// An example body against its code: envelope, `error`, `code`, details schema, message, headers.
fn check_example(
    e: &ErrorDraft<'_>,
    ex: &ExampleDraft<'_>,
    wire: &wire::Wire,
    wire_broken: bool,
    diags: &mut Diagnostics,
) -> bool {
    let before = diags.len();
    let code = &e.code.value;
    let body = ex.body;
    check_envelope_types(body, Some(wire), wire_broken, diags);
    tool_breaking_keys(body, diags);
    let Some(entries) = yaml::map(body, "an example body", diags) else {
        return false;
    };
    let field = |name: &str| entries.iter().find(|(k, _)| k.name == name).map(|(_, v)| v);
    for required in ["error", "message", "code"] {
        if field(required).is_none() {
            diags.push(
                Diagnostic::new(
                    body.span,
                    format!("the example body of `{code}` is missing `{required}`"),
                )
                .label(format!("`{required}` missing")),
            );
        }
    }
    // A field the wire says every body carries: clients reject a body without it.
    for m in &wire.members {
        if m.required && matches!(m.role, wire::Role::Field { .. }) && field(&m.name).is_none() {
            diags.push(
                Diagnostic::new(
                    body.span,
                    format!(
                        "the example body of `{code}` is missing `{}`, which the wire requires in every body",
                        m.name
                    ),
                )
                .label(format!("`{}` missing", m.name))
                .help(format!(
                    "add `{}` to the example, or make the field `required: false` in `api.wire.fields`",
                    m.name
                )),
            );
        }
    }
    // A field the wire keeps in a response header: a webhook payload has no headers, and a
    // value HTTP servers drop or refuse never arrives.
    for (header, m) in wire.header_members() {
        if !matches!(m.role, wire::Role::Field { .. } | wire::Role::RetryDelay) {
            continue;
        }
        let Some(n) = field(&m.name) else {
            continue;
        };
        let in_body = wire
            .members
            .iter()
            .any(|o| o.name == m.name && matches!(o.at, wire::Place::Body { .. }));
        if e.delivery == Delivery::Webhook && !in_body {
            diags.push(
                Diagnostic::new(
                    n.span,
                    format!(
                        "`{code}` is delivered by webhook, but the wire carries `{}` only in the header `{header}`, which a webhook payload does not have",
                        m.name
                    ),
                )
                .label("never delivered")
                .help(format!("leave `{}` out of this example", m.name)),
            );
        } else if let Value::Str(v) = &n.value
            && v.chars()
                .any(|c| !(c == ' ' || c == '\t' || c.is_ascii_graphic()))
        {
            diags.push(
                Diagnostic::new(
                    n.span,
                    format!(
                        "`{}` goes in the header `{header}`, and this value has a character HTTP servers drop or refuse (control characters such as CR, LF, NUL or ESC, and non-ASCII)",
                        m.name
                    ),
                )
                .label("not a valid header value")
                .help("use visible ASCII, spaces and tabs"),
            );
        }
    }
    if let Some(n) = field("error")
        && let Value::Str(s) = &n.value
        && s != code
        && !e.code_misspelt
    {
        diags.push(
            Diagnostic::new(
                n.span,
                format!("the example's `error` is `{s}`, but it is an example of `{code}`"),
            )
            .label(format!("expected `{code}`")),
        );
    }
    if let Some(n) = field("code")
        && let Value::Int(i) = &n.value
        && e.status.value != UNKNOWN_STATUS
        && *i != i64::from(e.status.value)
    {
        diags.push(
            Diagnostic::new(
                n.span,
                format!(
                    "the example's `code` is {i}, but `{code}` has status {}",
                    e.status.value
                ),
            )
            .label(format!("expected {}", e.status.value)),
        );
    }
    let details = field("details");
    match (&e.details, details) {
        (None, Some(d)) if d.value != Value::Null => {
            diags.push(
                Diagnostic::new(
                    d.span,
                    format!("the example has `details`, but `{code}` defines no details schema"),
                )
                .label("unexpected details")
                .help("add a `details` schema to the code, or remove `details` from the example"),
            );
        }
        (Some(schema), None) if schema.properties.iter().any(|p| p.required) => {
            diags.push(Diagnostic::new(body.span, format!("the example of `{code}` has no `details`, but its schema has required fields")).label("`details` missing"));
        }
        (Some(_), Some(d)) if matches!(&d.value, Value::Map(m) if m.is_empty()) => {
            diags.push(
                Diagnostic::new(d.span, "`details: {}` has no fields, and the typed clients send none")
                    .label("empty details")
                    .help("leave `details` out of the example: a body with no details fields has no `details`"),
            );
        }
        (Some(schema), Some(d)) => {
            // Fields whose schema could not be read (reported) are not checked: their schema
            // is unknown, not absent.
            match &d.value {
                Value::Map(fields) if fields.iter().any(|(k, _)| e.unread_property(&k.name)) => {
                    let mut known = d.clone();
                    if let Value::Map(fields) = &mut known.value {
                        fields.retain(|(k, _)| !e.unread_property(&k.name));
                    }
                    schema::check_object_value(&known, schema, "details", diags);
                }
                _ => schema::check_object_value(d, schema, "details", diags),
            }
        }
        _ => {}
    }
    // Message, only when the details and placeholders are sound (otherwise the mismatch is noise).
    let placeholders_ok = e.message.value.placeholders().all(|(name, _)| {
        e.details
            .as_ref()
            .and_then(|d| d.property(name))
            .is_some_and(|p| !p.schema.nullable && !matches!(p.schema.kind, SchemaKind::Map { .. }))
    });
    // A capitalized value whose first letter the supported runtimes upper-case differently: no
    // example message can match every package's constructor.
    let capitalize_varies = details.and_then(|d| {
        let Value::Map(fields) = &d.value else {
            return None;
        };
        let capitalized = e.message.value.placeholders();
        capitalized
            .filter(|(_, filter)| *filter == Some(Filter::Capitalize))
            .find_map(|(name, _)| {
                let (_, field) = fields.iter().find(|(k, _)| k.name == name)?;
                let first =
                    template::capitalize_varies(&template::apply(None, &field.to_json(), &[]))?;
                Some((field, first))
            })
    });
    if let Some((field, first)) = capitalize_varies {
        diags.push(
            Diagnostic::new(
                field.span,
                format!(
                    "`capitalize` of U+{:04X} differs across the runtimes the packages support",
                    u32::from(first)
                ),
            )
            .label("its upper case depends on the runtime")
            .note(format!(
                "Python 3.10 upper-cases by Unicode {}, and this letter or its upper case is newer",
                template::OLDEST_RUNTIME_UNICODE
            ))
            .help("start the example's value with another character, or drop `|capitalize` from the template"),
        );
    }
    if diags.len() == before
        && placeholders_ok
        && capitalize_varies.is_none()
        && !e.message.value.is_runtime()
        && let Some(n) = field("message")
        && let Value::Str(actual) = &n.value
    {
        let expected = template::render_within(
            &e.message.value,
            e.details.as_ref(),
            details.map(Node::to_json).as_ref(),
            // Enough to show a message a little longer than the example's.
            actual.len() + 1024,
        );
        if expected.as_deref() != Some(actual.as_str()) {
            let gives = match expected {
                Some(m) => format!("the template gives \"{}\"", shortened(&m).escape_debug()),
                None => format!(
                    "the template gives a message of more than {} bytes, this one has {}",
                    actual.len() + 1024,
                    actual.len()
                ),
            };
            diags.push(
                Diagnostic::new(
                    n.span,
                    format!("the example message does not match the template of `{code}`"),
                )
                .label(gives)
                .note(format!(
                    "template: \"{}\"",
                    e.message.value.source.escape_debug()
                )),
            );
        }
    }
    // Headers.
    for (k, v) in &ex.headers {
        match e
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(&k.value))
        {
            None if e.broken_headers.covers(&k.value) => {}
            None => {
                let mut d = Diagnostic::new(
                    k.span,
                    format!(
                        "header `{}` is not declared in the `headers` of `{code}`",
                        k.value
                    ),
                )
                .label("undeclared header");
                // A header the wire carries a member in: examples give it by its name, in the
                // body, and the wire renders it into the header.
                let carried = wire
                    .header_members()
                    .into_iter()
                    .find(|(h, _)| h.eq_ignore_ascii_case(&k.value));
                if let Some((_, m)) = carried {
                    let given = if matches!(m.role, wire::Role::Code { .. }) {
                        "`error:` (the code)".to_string()
                    } else {
                        format!("`{}:`", m.name)
                    };
                    d = d.help(format!(
                        "the wire sends `{}` itself: give it as {given} in the example's body",
                        k.value
                    ));
                } else if let Some(s) =
                    did_you_mean(&k.value, e.headers.iter().map(|h| h.name.as_str()))
                {
                    d = d.help(format!("did you mean `{s}`?"));
                }
                diags.push(d);
            }
            Some(h)
                if h.schema == HeaderType::Integer
                    && !v.value.parse::<u64>().is_ok_and(|n| {
                        n.to_string() == v.value && n <= schema::MAX_SAFE_INTEGER as u64
                    }) =>
            {
                diags.push(
                    Diagnostic::new(
                        v.span,
                        format!(
                            "header `{}` is a non-negative integer header, written in plain digits up to 2^53 - 1 (what every language reads exactly), but the example gives `{}`",
                            h.name, v.value
                        ),
                    )
                    .label("not an integer"),
                );
            }
            Some(h)
                if v.value
                    .chars()
                    .any(|c| !(c == ' ' || c == '\t' || c.is_ascii_graphic())) =>
            {
                diags.push(
                    Diagnostic::new(
                        v.span,
                        format!(
                            "the value of header `{}` has a character HTTP servers drop or refuse (control characters such as CR, LF, NUL or ESC, and non-ASCII)",
                            h.name
                        ),
                    )
                    .label("not a header value")
                    .help("use visible ASCII, spaces and tabs"),
                );
            }
            Some(_) => {}
        }
    }
    for h in e.headers.iter().filter(|h| h.required) {
        if !ex
            .headers
            .iter()
            .any(|(k, _)| k.value.eq_ignore_ascii_case(&h.name))
        {
            diags.push(
                Diagnostic::new(
                    ex.headers_span,
                    format!(
                        "the example of `{code}` does not give the required header `{}`",
                        h.name
                    ),
                )
                .label("header missing"),
            );
        }
    }
    diags.len() == before
}

#[cfg(test)]
mod tests {
    use super::spdx_problem;

    /// Every name the fixed sources of the packages import, declare at the start of a line, or
    /// call a method of (`JSON.parse`), in the error type's shape: the error type may not be
    /// one, or it would shadow or be shadowed by it.
    #[test]
    fn fixed_sources_names_are_reserved() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/emit");
        let mut names = std::collections::BTreeSet::new();
        for (dir, ext) in [
            ("rust/fixed", "rs"),
            ("typescript/runtime", "ts"),
            ("python/runtime", "py"),
        ] {
            for entry in std::fs::read_dir(root.join(dir)).expect("the fixed sources") {
                let path = entry.expect("an entry").path();
                if path.extension().is_none_or(|e| e != ext) {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("a fixed source");
                collect_names(&text, &mut names);
            }
        }
        let missing: Vec<&String> = names
            .iter()
            .filter(|n| super::type_name_problem(n).is_none())
            .collect();
        assert!(missing.is_empty(), "not reserved: {missing:?}");
    }

    /// The identifiers that `text` imports (`use a::{B, C}`, `import { B } from`, `from a import
    /// B`), declares at a line's start (`pub struct B`, `export type B`, `class B`) or calls a
    /// method of (`B.parse`, `B::new`), skipping the placeholders the emitters fill in.
    fn collect_names(text: &str, names: &mut std::collections::BTreeSet<String>) {
        let words = |s: &str| -> Vec<String> {
            s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let mut importing = false;
        for line in text.lines() {
            let t = line.trim_start();
            let imports = t.starts_with("use ")
                || t.starts_with("import ")
                || t.starts_with("from ")
                || t.starts_with("pub use ");
            if imports || importing {
                names.extend(words(t.split(" from ").next().unwrap_or(t)));
                // A list of names goes on while its bracket is open (`use a::{`, `import {`,
                // `from a import (`).
                let opened = t.ends_with('{') || t.ends_with('(');
                let closed = t.contains('}') || t.contains(')') || t.ends_with(';');
                importing = if imports { opened } else { !closed };
            }
            // A Python name bound at the top level (`Step = str | Entry`, `WIRE: Final = ...`).
            if !line.starts_with(' ')
                && let Some((name, _)) = line.split_once([' ', ':', '='])
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && (line[name.len()..].starts_with(" =") || line[name.len()..].starts_with(':'))
            {
                names.insert(name.to_owned());
            }
            let declared = t
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub ")
                .trim_start_matches("export ")
                .trim_start_matches("declare ");
            for keyword in [
                "struct ",
                "enum ",
                "trait ",
                "type ",
                "interface ",
                "class ",
                "const ",
                "function ",
                "let ",
            ] {
                if let Some(rest) = declared.strip_prefix(keyword)
                    && let Some(name) = words(rest).into_iter().next()
                {
                    names.insert(name);
                }
            }
            let bytes = t.as_bytes();
            for (i, w) in t.match_indices(|c: char| c.is_ascii_uppercase()) {
                let start =
                    i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
                if !start || w.is_empty() {
                    continue;
                }
                let name: String = t[i..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let after = &t[i + name.len()..];
                if after.starts_with('.') || after.starts_with("::") {
                    names.insert(name);
                }
            }
        }
        // The emitters' placeholders, filled with the catalog's names.
        names.retain(|n| {
            !n.contains("HueChat") && !n.contains("PLACEHOLDER") && !n.starts_with("__")
        });
    }

    #[test]
    fn spdx_expressions_are_read_by_their_grammar() {
        for ok in [
            "MIT",
            "MIT OR Apache-2.0",
            "(MIT OR Apache-2.0) AND BSD-3-Clause",
            "GPL-2.0+ WITH Classpath-exception-2.0",
            "LicenseRef-Proprietary",
            "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2",
        ] {
            assert_eq!(spdx_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "MIT or Apache-2.0",
            "MIT OR",
            "(MIT",
            "MIT)",
            "OR MIT",
            "MIT Apache-2.0",
            "\"MIT\"",
            "-MIT",
        ] {
            assert!(spdx_problem(bad).is_some(), "{bad}");
        }
    }
}
