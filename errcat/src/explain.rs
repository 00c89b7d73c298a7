//! `explain <CODE> [--catalog PATH]` (`cargo xtask explain`, or an adopting repository's own
//! command): one error code's entry as plain text, like `rustc --explain`. A retired code gets its retirement (like rustc's "no longer emitted"
//! entries); an unknown code gets the closest codes as suggestions and exit status 2.

use std::fmt::Write as _;
use std::process::ExitCode;

use codegen::emit::docs::{retry_text, type_text};
use codegen::model::{Catalog, Delivery, ErrorDef, HeaderType, ObjectSchema, Retired, SchemaKind};

use crate::Paths;

/// `catalog_given`: the user named the catalog (`--catalog`), whose outputs are not the
/// layout's, so the help for an unknown code names the catalog instead of the default outputs.
pub fn command(paths: &Paths, args: &[String], catalog_given: bool) -> Result<ExitCode, String> {
    let [code] = args else {
        let program = crate::program(paths);
        return Err(format!(
            "usage: {program} explain <CODE> [--catalog PATH], or {program} explain --list"
        ));
    };
    let sources = crate::load_sources(&paths.catalog, &paths.root)?;
    let catalog = codegen::load(&sources)
        .map_err(|f| format!("the catalog is invalid:\n{}", crate::diff::read_failure(&f)))?;
    if code == "--list" {
        crate::out(&terminal(&list(&catalog)));
        return Ok(ExitCode::SUCCESS);
    }
    let retired = catalog.retired.iter().find(|r| r.code == *code);
    match (catalog.errors.iter().find(|e| e.code == *code), retired) {
        (Some(def), _) => {
            crate::out(&terminal(&explain(&catalog, def, crate::program(paths))));
            Ok(ExitCode::SUCCESS)
        }
        (None, Some(r)) => {
            crate::out(&terminal(&explain_retired(
                &catalog,
                r,
                crate::program(paths),
            )));
            Ok(ExitCode::SUCCESS)
        }
        (None, None) => {
            let known = catalog.errors.iter().map(|e| e.code.as_str());
            let retired = catalog.retired.iter().map(|r| r.code.as_str());
            let close = suggestions(code, known.chain(retired));
            let mut msg = format!("error: no error code `{}` in the catalog", clean(code));
            if !close.is_empty() {
                let list: Vec<String> = close.iter().map(|c| format!("`{c}`")).collect();
                let _ = write!(msg, "\nhelp: did you mean {}?", list.join(", "));
            }
            let program = crate::program(paths);
            let count = match catalog.errors.len() {
                1 => "1 code".to_string(),
                n => format!("{n} codes"),
            };
            if catalog_given {
                let _ = write!(
                    msg,
                    "\nhelp: the catalog has {count}; see `{program} explain --list --catalog {}`",
                    crate::display_path(&paths.catalog, &paths.root),
                );
            } else {
                let _ = write!(
                    msg,
                    "\nhelp: the catalog has {count}; see `{}/catalog.json` or `{program} explain --list`",
                    crate::display_path(&paths.out, &paths.root),
                );
            }
            crate::errln!("{msg}");
            Ok(ExitCode::from(2))
        }
    }
}

/// Catalog text as the terminal gets it: line breaks kept, every other control character (ESC,
/// BEL, CR, ...) escaped as diagnostics escape it, so a catalog cannot rewrite the terminal.
fn terminal(text: &str) -> String {
    text.split('\n')
        .map(codegen::diagnostic::escape)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every code, one a line in catalog order: code, status, description, and `(deprecated)`;
/// then the retired codes, each with the version that retired it and why.
pub fn list(catalog: &Catalog) -> String {
    let live = catalog.errors.iter().map(|e| e.code.len());
    let width = live
        .chain(catalog.retired.iter().map(|r| r.code.len()))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for e in &catalog.errors {
        let note = if e.deprecated.is_some() {
            " (deprecated)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:<width$}  {}  {}{note}",
            e.code,
            e.status,
            clean(&e.description)
        );
    }
    for r in &catalog.retired {
        let instead = r
            .replaced_by
            .as_ref()
            .map_or_else(String::new, |c| format!(" (use `{c}`)"));
        let _ = writeln!(
            out,
            "{:<width$}  retired in {}: {}{instead}",
            r.code,
            clean(&r.version),
            clean(&r.reason)
        );
    }
    out
}

/// Up to three codes closest to `input`: codes containing it first, then by edit distance; only
/// reasonably close ones. Both sides are compared as their words (`naming::words`), so the
/// spelling does not matter: `resource-not-found` finds `ResourceNotFound`.
pub fn suggestions<'a>(input: &str, codes: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let key = |s: &str| codegen::naming::words(s).join("_");
    let input = key(input);
    if input.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(bool, usize, &str)> = codes
        .map(|c| {
            let k = key(c);
            (
                !(k.contains(&input) || input.contains(&k)),
                levenshtein(&input, &k),
                c,
            )
        })
        .filter(|(far, d, c)| !*far || *d <= (c.len().max(input.len()) / 2).max(2))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, _, c)| c).collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Catalog text for a terminal: control characters (escape sequences, `\r`) shown escaped.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Indents every line of `s` by `n` spaces.
fn indent(s: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    s.lines().map(|l| format!("{pad}{l}\n")).collect()
}

/// The plain-text entry of a retired code: when, why, what to use instead, and where its docs
/// section still is.
///
/// `program` (`cargo xtask`) names the command in hints.
pub fn explain_retired(c: &Catalog, r: &Retired, program: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}: retired in {}; servers no longer send it, and the name is never reused.\n",
        r.code,
        clean(&r.version)
    );
    let _ = writeln!(o, "  Reason:    {}", clean(&r.reason));
    if let Some(to) = &r.replaced_by {
        let _ = writeln!(o, "  Use:       `{to}` instead ({program} explain {to})");
    }
    if let Some(cat) = &r.category {
        let _ = writeln!(
            o,
            "  Docs:      {}/{}.html#{}",
            c.api.docs_url,
            codegen::naming::docs_page(cat),
            codegen::naming::docs_anchor(&r.code)
        );
    }
    o
}

/// The plain-text entry of a code; `program` (`cargo xtask`) names the command in hints.
pub fn explain(c: &Catalog, e: &ErrorDef, program: &str) -> String {
    let mut o = String::new();
    let status = c.status(e.status);
    let _ = writeln!(o, "{}: {}\n", e.code, clean(&e.description));
    match e.delivery {
        Delivery::Http => {
            let _ = writeln!(
                o,
                "  Status:    {} {} ({})",
                e.status,
                clean(&status.description),
                status.class().title()
            );
        }
        Delivery::Webhook => {
            let _ = writeln!(
                o,
                "  Delivery:  webhook event (never an HTTP response); payload `code` {}",
                e.status
            );
        }
    }
    let _ = writeln!(o, "  Category:  {}", clean(&c.category(&e.category).title));
    match &e.message.runtime {
        Some(what) => {
            let _ = writeln!(
                o,
                "  Message:   written by the server at run time: {}",
                clean(what)
            );
        }
        None => {
            let _ = writeln!(o, "  Message:   {}", clean(&e.message.source));
        }
    }
    if let Some(v) = &e.since {
        let _ = writeln!(o, "  Since:     {}", clean(v));
    }
    let _ = writeln!(o, "  Docs:      {}", c.docs_url(e));
    if let Some(own) = &e.wire.docs_url {
        // The code's own page, which its bodies link to.
        let _ = writeln!(o, "  Its page:  {}", clean(own));
    }
    if c.wire.preset != codegen::wire::Preset::Flat {
        let _ = writeln!(
            o,
            "  Wire:      {} ({})",
            c.wire.preset.name(),
            clean(&c.wire.content_type)
        );
        if let Some(t) = &e.wire.type_uri {
            let _ = writeln!(o, "  Type:      {}", clean(t));
        }
        if let Some(t) = &e.wire.title {
            let _ = writeln!(o, "  Title:     {}", clean(t));
        }
        if let Some(s) = &e.wire.grpc_status {
            let _ = writeln!(o, "  Canonical: {s}");
        }
    }
    if let Some(d) = &e.deprecated {
        let _ = write!(o, "\nDeprecated");
        if let Some(s) = &d.since {
            let _ = write!(o, " since {}", clean(s));
        }
        let _ = writeln!(o, ": {}", clean(&d.reason));
        if let Some(r) = &d.replaced_by {
            let _ = writeln!(o, "Use `{r}` instead ({program} explain {r}).");
        }
    }
    if let Some(details) = &e.details {
        let rows = field_rows(details);
        let w = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
        let t = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
        let _ = writeln!(o, "\nDetails fields:");
        for (name, ty, desc) in rows {
            let line = format!("  {name:<w$}  {ty:<t$}  {}", clean(&desc));
            let _ = writeln!(o, "{}", line.trim_end());
        }
    }
    for x in &e.examples {
        // As the docs head it: the summary, else the name.
        match &x.summary {
            Some(s) => {
                let _ = writeln!(o, "\nExample ({}):", clean(s));
            }
            None => {
                let _ = writeln!(o, "\nExample (`{}`):", clean(&x.name));
            }
        }
        // The body as the wire carries it, with the wire's own headers (a header-borne code).
        let body = x.wire.as_ref().map_or(&x.body, |r| &r.body);
        o.push_str(&indent(
            &clean_block(&codegen::emit::catalog_json::pretty(body)),
            2,
        ));
        let wire_headers = x
            .wire
            .as_ref()
            .map(|r| r.headers.as_slice())
            .unwrap_or_default();
        // A webhook payload is delivered without headers.
        let http = e.delivery == Delivery::Http;
        if http && (!x.headers.is_empty() || !wire_headers.is_empty()) {
            let _ = writeln!(o, "\n  Headers included:");
            for (k, v) in x.headers.iter().chain(wire_headers) {
                let _ = writeln!(o, "  {}: {}", clean(k), clean(v));
            }
        }
    }
    if !e.headers.is_empty() {
        let _ = writeln!(o, "\nResponse headers:");
        let w = e
            .headers
            .iter()
            .map(|h| h.name.chars().count())
            .max()
            .unwrap_or(0);
        for h in &e.headers {
            let ty = match h.schema {
                HeaderType::String => "string",
                HeaderType::Integer => "integer",
            };
            let req = if h.required { "required" } else { "optional" };
            let _ = writeln!(
                o,
                "  {:<w$}  {ty}, {req}  {}",
                clean(&h.name),
                clean(&h.description)
            );
        }
    }
    let _ = writeln!(o, "\nRetry: {}", retry_text(e, &c.retry));
    let r = &e.remediation;
    if !r.solutions.is_empty() {
        let _ = writeln!(
            o,
            "\n{}:",
            if r.solutions.len() == 1 {
                "Solution"
            } else {
                "Solutions"
            }
        );
        for s in &r.solutions {
            let _ = writeln!(o, "  - {}", clean(s));
        }
    }
    if !r.common_causes.is_empty() {
        let _ = writeln!(o, "\nCommon causes:");
        for s in &r.common_causes {
            let _ = writeln!(o, "  - {}", clean(s));
        }
    }
    if let Some(a) = &r.action {
        let _ = writeln!(o, "\nAction: {}", clean(a));
    }
    o
}

/// Like `clean`, but keeps line breaks.
fn clean_block(s: &str) -> String {
    s.lines().map(clean).collect::<Vec<_>>().join("\n")
}

/// (dotted name, "type, required|optional", description) of every details field.
fn field_rows(schema: &ObjectSchema) -> Vec<(String, String, String)> {
    schema
        .fields()
        .into_iter()
        .map(|(path, p)| {
            let req = if p.required { "required" } else { "optional" };
            let mut desc = p.schema.description.clone().unwrap_or_default();
            if let SchemaKind::String {
                enum_values: Some(v),
                ..
            } = &p.schema.kind
            {
                desc = format!("{desc} One of: {}.", v.join(", "))
                    .trim_start()
                    .to_string();
            }
            // What the docs say besides the type (whose text has the bounds and `null`).
            for c in codegen::schema::constraints(&p.schema) {
                let shown_in_type = c.starts_with("A number") || c.starts_with("May be");
                if !shown_in_type && !c.starts_with("An object with any keys") {
                    desc = format!("{desc} {c}.").trim_start().to_string();
                }
            }
            (
                clean(&path),
                format!("{}, {req}", type_text(&p.schema)),
                desc,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_codes() {
        let codes = [
            "rate_limited",
            "contact_rate_limited",
            "not_found",
            "forbidden",
            "unauthorized",
        ];
        assert_eq!(
            suggestions("rate_limit", codes.into_iter()),
            vec!["rate_limited", "contact_rate_limited"]
        );
        assert_eq!(
            suggestions("not_fund", codes.into_iter()),
            vec!["not_found"]
        );
        assert!(suggestions("zzzzzzzzzzzz", codes.into_iter()).is_empty());
        let spelled = ["ResourceNotFoundException", "API_KEY_INVALID", "22P02"];
        assert_eq!(
            suggestions("resource-not-found", spelled.into_iter()),
            vec!["ResourceNotFoundException"]
        );
        assert_eq!(
            suggestions("api_key_invalid", spelled.into_iter()),
            vec!["API_KEY_INVALID"]
        );
        assert_eq!(suggestions("22p02", spelled.into_iter()), vec!["22P02"]);
    }

    #[test]
    fn webhook_events_show_no_response_headers() {
        let path = crate::project_root().join("codegen/tests/data/ok/wire_custom/catalog.yaml");
        let sources = codegen::source::read_catalog(&path, "catalog.yaml").unwrap();
        let c = codegen::load(&sources).unwrap();
        let shown = |delivery: Delivery| {
            let e = c.errors.iter().find(|e| e.delivery == delivery).unwrap();
            explain(&c, e, "cargo xtask").contains("Headers included")
        };
        // The wire carries the code in a header too: HTTP responses show it, webhooks do not.
        assert!(shown(Delivery::Http));
        assert!(!shown(Delivery::Webhook));
    }

    #[test]
    fn retired_codes_are_explained() {
        let path = crate::project_root().join("codegen/tests/data/ok/retired/catalog.yaml");
        let sources = codegen::source::read_catalog(&path, "catalog.yaml").unwrap();
        let c = codegen::load(&sources).unwrap();
        let gone = c.retired.iter().find(|r| r.code == "gone").unwrap();
        assert_eq!(
            explain_retired(&c, gone, "cargo xtask"),
            "gone: retired in 2.0.0; servers no longer send it, and the name is never reused.\n\n  \
             Reason:    Deleted resources answer `not_found` now.\n  \
             Use:       `not_found` instead (cargo xtask explain not_found)\n  \
             Docs:      https://docs.acme.test/errors/resource.html#gone\n"
        );
    }

    #[test]
    fn codes_are_explained_in_their_wire_format() {
        let path = crate::project_root().join("examples/aip193/catalog.yaml");
        let sources = codegen::source::read_catalog(&path, "catalog.yaml").unwrap();
        let c = codegen::load(&sources).unwrap();
        let e = c
            .errors
            .iter()
            .find(|e| e.wire.grpc_status.is_some())
            .unwrap();
        let text = explain(&c, e, "cargo xtask");
        let canonical = e.wire.grpc_status.as_deref().unwrap();
        assert!(
            text.contains("  Wire:      aip193 (application/json)\n"),
            "{text}"
        );
        assert!(
            text.contains(&format!("  Canonical: {canonical}\n")),
            "{text}"
        );
        // The example as the wire carries it: the code is `ErrorInfo.reason`.
        let reason = format!("\"reason\": \"{}\"", e.code);
        assert!(text.contains(&reason), "{text}");
        assert!(
            text.contains("type.googleapis.com/google.rpc.ErrorInfo"),
            "{text}"
        );

        let path = crate::project_root().join("examples/aws_json/catalog.yaml");
        let sources = codegen::source::read_catalog(&path, "catalog.yaml").unwrap();
        let c = codegen::load(&sources).unwrap();
        let text = explain(&c, &c.errors[0], "cargo xtask");
        let header = format!("  x-amzn-ErrorType: {}\n", c.errors[0].code);
        assert!(text.contains(&header), "{text}");
    }

    #[test]
    fn list_has_a_line_per_code_from_the_catalog() {
        let root = crate::project_root();
        let sources = crate::load_sources(&root.join("catalog"), &root).unwrap();
        let catalog = codegen::load(&sources).unwrap();
        let listed = list(&catalog);
        let retired = listed.lines().skip(catalog.errors.len());
        assert!(
            retired
                .zip(&catalog.retired)
                .all(|(line, r)| line.starts_with(&r.code))
        );
        assert_eq!(
            listed.lines().count(),
            catalog.errors.len() + catalog.retired.len()
        );
        for (line, e) in listed.lines().zip(&catalog.errors) {
            assert!(line.starts_with(&format!("{} ", e.code)), "{line}");
            assert!(line.contains(&format!("  {}  ", e.status)), "{line}");
        }
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(clean("a\u{1b}[31mb\r"), "a\\u{1b}[31mb\\r");
        assert_eq!(
            terminal("title\n  desc \u{1b}]0;x\u{7}\r\n"),
            "title\n  desc \\u{1b}]0;x\\u{7}\\r\n"
        );
    }
}
