//! Checks of the generated docs with mdBook (`cargo xtask test docs`):
//! - `generated/docs/` and the gated test catalogs (`tools::gated_catalogs`: hostile text, every code style, every schema keyword)'s docs build without any mdBook warning;
//! - in the built HTML, every local `href` resolves to an existing page and, with a fragment, to
//!   an existing `id`; every `Catalog::docs_url` resolves to its code's section;
//! - each code's section, as rendered, holds its status, description, message, details field
//!   names, example JSON and headers, solutions, common causes and action, verbatim;
//! - no `<script>` from catalog text reaches a page (hostile catalog);
//! - for HueChat and every gated catalog, the best-practices snippets compile against the
//!   generated Rust crate (built and run as Cargo examples), type-check against the generated
//!   TypeScript sources (`tsc`), and type-check (`mypy --strict`) and run against the
//!   generated Python package;
//! - every code block of `README.md` and of the generated packages' READMEs is compiled: Rust
//!   blocks against the generated crate with warnings denied, TypeScript blocks with `tsc`,
//!   Python blocks with `mypy` (shell, text and YAML blocks are shown, not compiled; any other
//!   language is an error).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::model::{Catalog, Delivery};

use crate::{docs_site, project_root, tools};

/// A catalog with retired codes: their old links must still land on their sections.
const RETIRED: &str = "codegen/tests/data/ok/retired/catalog.yaml";

pub fn run() -> Result<(), String> {
    let root = project_root();
    let mut errors = Vec::new();

    // The project's own docs, as generated (the drift step checks they match the catalog).
    let catalog = load(&root.join("catalog"))?;
    let book = root.join("generated/docs");
    let dest = tools::scratch("docs-site")?;
    docs_site::build(&book, &dest)?;
    check_site(&catalog, &dest, &mut errors);
    if let Err(e) = check_snippets(&catalog, &book.join("src"), &root.join("generated")) {
        errors.push(e);
    }
    if let Err(e) = check_readmes(&root) {
        errors.push(e);
    }

    // The gated test catalogs (hostile text, every code style): generated fresh, then the same
    // checks plus "no injected HTML".
    for (name, catalog) in tools::gated_catalogs()? {
        let dir = tools::scratch(&format!("docs-{name}"))?;
        let generated = dir.join("generated");
        tools::generate_into(&root.join(&catalog), &generated)?;
        let loaded = load(&root.join(catalog))?;
        let book = dir.join("book");
        docs_site::build(&generated.join("docs"), &book)?;
        check_site(&loaded, &book, &mut errors);
        check_no_injected_html(&book, &mut errors);
        if name == "hostile" {
            check_directive_shown(&book, &mut errors);
        }
        // The snippets against each catalog's packages: its wire, its names (the hostile
        // product name carries quotes, braces and a bidi override into them).
        if let Err(e) = check_snippets(&loaded, &generated.join("docs/src"), &generated) {
            errors.push(format!("{name} docs: {e}"));
        }
    }

    let retired_dir = tools::scratch("docs-retired")?;
    tools::generate_into(&root.join(RETIRED), &retired_dir.join("generated"))?;
    let retired_book = retired_dir.join("book");
    docs_site::build(&retired_dir.join("generated/docs"), &retired_book)?;
    check_site(&load(&root.join(RETIRED))?, &retired_book, &mut errors);

    if errors.is_empty() {
        println!(
            "docs: links, anchors, sections and snippets ok (HueChat, the gated test catalogs and the retired one)"
        );
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

fn load(catalog: &Path) -> Result<Catalog, String> {
    let sources = crate::load_sources(catalog)?;
    codegen::load(&sources).map_err(|f| f.to_string())
}

/// The built HTML pages, by path relative to the site root (`/`-separated).
fn pages(site: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![site.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let rel = path
                    .strip_prefix(site)
                    .expect("under site")
                    .to_string_lossy()
                    .replace('\\', "/");
                let html = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                out.insert(rel, html);
            }
        }
    }
    Ok(out)
}

/// Every value of attribute `attr` (`href`, `id`) in `html`, entity-decoded.
fn attrs(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(decode(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

fn ids(html: &str) -> BTreeSet<String> {
    attrs(html, "id").into_iter().collect()
}

/// Decodes the entities pulldown-cmark and mdBook write.
fn decode(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The site's base path (`/errors/`), from `site-url` in book.toml, as 404.html uses it.
fn site_url(site: &Path) -> String {
    std::fs::read_to_string(site.join("404.html"))
        .ok()
        .and_then(|h| {
            h.split("<base href=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "/".into())
}

pub fn check_site(catalog: &Catalog, site: &Path, errors: &mut Vec<String>) {
    let pages = match pages(site) {
        Ok(p) => p,
        Err(e) => return errors.push(e),
    };
    let base = site_url(site);
    let page_ids: BTreeMap<&str, BTreeSet<String>> =
        pages.iter().map(|(p, h)| (p.as_str(), ids(h))).collect();
    let name = &catalog.api.name;

    // Internal links. print.html rewrites every link to the one long page; it is skipped.
    let mut checked = 0;
    for (page, html) in pages.iter().filter(|(p, _)| *p != "print.html") {
        for href in attrs(html, "href") {
            if href.contains("://") || href.starts_with("mailto:") || href.starts_with("//") {
                continue;
            }
            checked += 1;
            let (path, frag) = href.split_once('#').unwrap_or((&href, ""));
            let target = if path.is_empty() {
                page.clone()
            } else if let Some(abs) = path.strip_prefix(&base) {
                abs.to_string()
            } else {
                join(page, path)
            };
            let target = if target.is_empty() || target.ends_with('/') {
                format!("{target}index.html")
            } else {
                target
            };
            if !site.join(&target).is_file() {
                errors.push(format!(
                    "{name} docs: {page} links to `{href}`, but {target} does not exist"
                ));
                continue;
            }
            if !frag.is_empty()
                && target.ends_with(".html")
                && !page_ids
                    .get(target.as_str())
                    .is_some_and(|ids| ids.contains(frag))
            {
                errors.push(format!(
                    "{name} docs: {page} links to `{href}`, but {target} has no id `{frag}`"
                ));
            }
        }
    }
    if checked == 0 {
        errors.push(format!(
            "{name} docs: no internal links found in {}",
            site.display()
        ));
    }

    // A retired code's old docs URL still lands on an element with its id.
    for r in &catalog.retired {
        let Some(cat) = &r.category else { continue };
        let file = format!("{}.html", codegen::naming::docs_page(cat));
        let id = codegen::naming::docs_anchor(&r.code);
        if !page_ids
            .get(file.as_str())
            .is_some_and(|ids| ids.contains(&id))
        {
            errors.push(format!(
                "{name} docs: retired code `{}` has no section `{id}` on {file}",
                r.code
            ));
        }
    }

    // Every docs URL the generated code links to lands on its code's section.
    for e in &catalog.errors {
        let url = catalog.docs_url(e);
        let Some(rel) = url.strip_prefix(&format!("{}/", catalog.api.docs_url)) else {
            errors.push(format!(
                "{name} docs: docs URL {url} is not under {}",
                catalog.api.docs_url
            ));
            continue;
        };
        let (file, frag) = rel.split_once('#').unwrap_or((rel, ""));
        match pages.get(file) {
            None => errors.push(format!("{name} docs: docs URL {url}: no page {file}")),
            Some(html) => match section(html, frag) {
                None => errors.push(format!(
                    "{name} docs: docs URL {url}: {file} has no section with id `{frag}`"
                )),
                Some(sec) => check_section(catalog, e, &plain(sec), errors),
            },
        }
    }
}

/// `rel` resolved against the folder of `page` (both relative to the site root).
fn join(page: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The HTML of a code's section: from its `<h2 id="...">` to the next `<h2` or `</main>`.
fn section<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let start = html.find(&format!("<h2 id=\"{id}\""))?;
    let rest = &html[start..];
    let end = rest[3..]
        .find("<h2")
        .map(|i| i + 3)
        .or_else(|| rest.find("</main>"))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// HTML as the reader sees it: tags dropped, entities decoded, whitespace collapsed.
fn plain(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    squash(&decode(&text))
}

/// Whitespace runs (line breaks included) as one space.
/// `s` as a page shows it: whitespace runs as one space, and controls and invisible formatting
/// characters as `U+XXXX` (the docs write them so, `docs::markdown`).
fn squash(s: &str) -> String {
    let shown: String = s
        .chars()
        .map(|c| {
            if codegen::emit::catalog_json::escaped_in_text(c) && !c.is_whitespace() {
                format!("U+{:04X}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect();
    shown.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the catalog says about a code must appear in its rendered section, verbatim.
fn check_section(
    catalog: &Catalog,
    e: &codegen::model::ErrorDef,
    text: &str,
    errors: &mut Vec<String>,
) {
    let mut expected: Vec<(String, String)> = vec![
        ("description".into(), e.description.clone()),
        ("message".into(), e.message.source.clone()),
    ];
    match e.delivery {
        Delivery::Http => expected.push((
            "status".into(),
            // The docs drop a description's leading blanks (`docs::markdown::text`: they would
            // start a code block), which `squash` would leave as a space after the parenthesis.
            format!(
                "HTTP Status: {} ({})",
                e.status,
                catalog
                    .status(e.status)
                    .description
                    .trim_start_matches([' ', '\t'])
            ),
        )),
        Delivery::Webhook => {
            expected.push(("delivery".into(), "Webhook event".into()));
            expected.push(("payload code".into(), format!("code is {}", e.status)));
        }
    }
    if let Some(details) = &e.details {
        expected.extend(
            details
                .fields()
                .into_iter()
                .map(|(n, _)| ("details field".into(), n)),
        );
    }
    for x in &e.examples {
        // As the catalog's wire carries it (the neutral body for the flat envelope).
        let body = x.wire.as_ref().map_or(&x.body, |r| &r.body);
        expected.push(("example".into(), codegen::emit::catalog_json::pretty(body)));
        let wire_headers = x
            .wire
            .as_ref()
            .map(|r| r.headers.as_slice())
            .unwrap_or_default();
        // A webhook payload is delivered without headers: its section shows none.
        if e.delivery == Delivery::Http {
            for (k, v) in x.headers.iter().chain(wire_headers) {
                expected.push(("example header".into(), format!("{k}: {v}")));
            }
        }
    }
    for h in &e.headers {
        expected.push(("header".into(), h.name.clone()));
    }
    let r = &e.remediation;
    for s in &r.solutions {
        expected.push(("solution".into(), s.clone()));
    }
    for s in &r.common_causes {
        expected.push(("common cause".into(), s.clone()));
    }
    if let Some(a) = &r.action {
        expected.push(("action".into(), format!("Action: {a}")));
    }
    if let Some(d) = &e.deprecated {
        expected.push(("deprecation".into(), d.reason.clone()));
    }
    if e.delivery == Delivery::Webhook && text.contains("Headers included") {
        errors.push(format!(
            "{} docs: the section of the webhook event `{}` shows response headers",
            catalog.api.name, e.code
        ));
    }
    for (what, value) in expected {
        if !text.contains(&squash(&value)) {
            errors.push(format!(
                "{} docs: the section of `{}` does not show its {what} `{}`",
                catalog.api.name,
                e.code,
                value.escape_debug()
            ));
        }
    }
}

/// No page's content (`<main>`) holds markup that could run script: a `<script>`, `<iframe>`,
/// `<object>` or `<embed>` element, an event-handler attribute (`onerror=`), or a link or source
/// whose scheme is `javascript:`, `vbscript:` or `data:`. No file anywhere holds the hostile
/// catalog's `<script>alert`, and no page lost a directive-like text to mdBook (the hostile
/// catalog's example shows `{{#include ...}}` verbatim).
fn check_no_injected_html(site: &Path, errors: &mut Vec<String>) {
    let Ok(pages) = pages(site) else { return };
    for (page, html) in &pages {
        if html.to_ascii_lowercase().contains("<script>alert") {
            errors.push(format!(
                "hostile docs: {page} contains catalog text as a raw <script>"
            ));
        }
        if let Some(main) = html
            .split("<main>")
            .nth(1)
            .and_then(|m| m.split("</main>").next())
        {
            for problem in active_markup(main) {
                errors.push(format!("docs: {page} has {problem} in its content"));
            }
        }
    }
}

/// The hostile catalog's example `request_id` holds an mdBook `{{#include}}` of a file outside
/// the book: the site shows it as text, and includes nothing.
fn check_directive_shown(site: &Path, errors: &mut Vec<String>) {
    const SHOWN: &str = "{{#include ../../../../etc/hostname}}";
    let Ok(pages) = pages(site) else { return };
    let shown = pages.iter().any(|(_, html)| {
        html.replace("&#123;", "{")
            .replace("&#125;", "}")
            .contains(SHOWN)
    });
    if !shown {
        errors.push(format!(
            "hostile docs: no page shows `{SHOWN}` as text (did mdBook run it?)"
        ));
    }
}

/// Markup in `html` that could run script, one line each.
fn active_markup(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    for tag in lower.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        let name: String = tag
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if matches!(name.as_str(), "script" | "iframe" | "object" | "embed") {
            found.push(format!("a <{name}> element"));
        }
        let attributes: Vec<&str> = tag
            .split(|c: char| c.is_ascii_whitespace() || c == '/')
            .skip(1)
            .collect();
        for attribute in attributes {
            let (key, value) = attribute.split_once('=').unwrap_or((attribute, ""));
            if key.starts_with("on") && key.len() > 2 {
                found.push(format!("an event handler `{key}=` on <{name}>"));
            }
            let value = value.trim_start_matches(['"', '\'']);
            if matches!(key, "href" | "src" | "action" | "formaction")
                && ["javascript:", "vbscript:", "data:"]
                    .iter()
                    .any(|s| value.starts_with(s))
            {
                found.push(format!("`{key}={value}` on <{name}>"));
            }
        }
    }
    found
}

/// The snippets of the best-practices page: (name, code) after each `<!-- snippet: NAME -->`.
pub fn snippets(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("<!-- snippet: ")
            .and_then(|l| l.strip_suffix(" -->"))
        else {
            continue;
        };
        let Some(open) = lines.next() else { break };
        let ticks: String = open.chars().take_while(|c| *c == '`').collect();
        let mut code = String::new();
        for l in lines.by_ref() {
            if l == ticks {
                break;
            }
            code.push_str(l);
            code.push('\n');
        }
        out.push((name.to_string(), code));
    }
    out
}

fn check_snippets(catalog: &Catalog, src: &Path, generated: &Path) -> Result<(), String> {
    let page = src.join("best_practices.md");
    let markdown =
        std::fs::read_to_string(&page).map_err(|e| format!("{}: {e}", page.display()))?;
    let all = snippets(&markdown);
    let rust: Vec<&(String, String)> = all.iter().filter(|(n, _)| n.ends_with(".rs")).collect();
    let ts: Vec<&(String, String)> = all.iter().filter(|(n, _)| n.ends_with(".ts")).collect();
    let py: Vec<&(String, String)> = all.iter().filter(|(n, _)| n.ends_with(".py")).collect();
    if rust.is_empty() || ts.is_empty() || py.is_empty() {
        return Err(format!(
            "{}: expected Rust, TypeScript and Python snippets, found {:?}",
            page.display(),
            all.iter().map(|s| &s.0).collect::<Vec<_>>()
        ));
    }
    let mut problems = Vec::new();
    if let Err(e) = check_rust_snippets(&rust, &generated.join("rust")) {
        problems.push(e);
    }
    if let Err(e) = check_ts_snippets(&ts, &generated.join("typescript"), "docs-snippets-ts") {
        problems.push(e);
    }
    if let Err(e) = check_py_snippets(catalog, &py, &generated.join("python")) {
        problems.push(e);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// A scratch Cargo package depending on the generated crate; each snippet is an example, built
/// and run (snippets are self-contained programs that exit 0 when the API behaves as shown).
fn check_rust_snippets(snippets: &[&(String, String)], krate: &Path) -> Result<(), String> {
    let manifest = krate.join("Cargo.toml");
    let toml = std::fs::read_to_string(&manifest).map_err(|e| {
        format!(
            "docs snippets: the generated crate is missing ({}: {e})",
            manifest.display()
        )
    })?;
    let crate_name = toml
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("name = \"")
                .and_then(|r| r.strip_suffix('"'))
        })
        .ok_or_else(|| format!("{}: no package name", manifest.display()))?;
    let dir = tools::scratch("docs-snippets-rust")?;
    let cargo_toml = format!(
        "[package]\nname = \"docs-snippets\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n{crate_name} = {{ path = {:?} }}\n\n[workspace]\n",
        krate.to_string_lossy()
    );
    let write = |p: PathBuf, s: &str| -> Result<(), String> {
        std::fs::create_dir_all(p.parent().expect("has parent")).map_err(|e| e.to_string())?;
        std::fs::write(&p, s).map_err(|e| format!("{}: {e}", p.display()))
    };
    write(dir.join("Cargo.toml"), &cargo_toml)?;
    write(dir.join("src/lib.rs"), "")?;
    if let Ok(lock) = std::fs::read_to_string(krate.join("Cargo.lock")) {
        write(dir.join("Cargo.lock"), &lock)?;
    }
    // A target folder that survives the scratch folder, so dependencies build once.
    let target = project_root().join("target/xtask/docs-snippets-target");
    for (name, code) in snippets {
        let stem = name.trim_end_matches(".rs");
        write(dir.join("examples").join(format!("{stem}.rs")), code)?;
    }
    for (name, _) in snippets {
        let stem = name.trim_end_matches(".rs");
        tools::run(tools::cargo(&dir, &target).args(["run", "--quiet", "--example", stem]))
            .map_err(|e| format!("docs snippet {name}: {e}"))?;
    }
    Ok(())
}

/// The TypeScript snippets type-checked with `tsc --strict`, the package name mapped to the
/// generated sources.
fn check_ts_snippets(
    snippets: &[&(String, String)],
    package: &Path,
    scratch: &str,
) -> Result<(), String> {
    let pkg_json = package.join("package.json");
    let json = std::fs::read_to_string(&pkg_json).map_err(|e| {
        format!(
            "docs snippets: the generated package is missing ({}: {e})",
            pkg_json.display()
        )
    })?;
    let name = json
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("\"name\": \"")
                .and_then(|r| r.split('"').next())
        })
        .ok_or_else(|| format!("{}: no name", pkg_json.display()))?;
    let index = package.join("src/index.ts");
    let dir = tools::scratch(scratch)?;
    let mut files = Vec::new();
    for (snippet, code) in snippets {
        let path = dir.join(snippet);
        std::fs::write(&path, code).map_err(|e| format!("{}: {e}", path.display()))?;
        files.push(format!("{snippet:?}"));
    }
    // Debug-quoted strings are valid JSON strings for these (ASCII) names and paths.
    let tsconfig = format!(
        "{{\n  \"compilerOptions\": {{\n    \"strict\": true,\n    \"noEmit\": true,\n    \"target\": \"ES2022\",\n    \
         \"module\": \"ES2022\",\n    \"moduleResolution\": \"bundler\",\n    \"lib\": [\"ES2022\", \"DOM\"],\n    \
         \"skipLibCheck\": true,\n    \"paths\": {{ {name:?}: [{index:?}] }}\n  }},\n  \"files\": [{files}]\n}}\n",
        index = index.to_string_lossy(),
        files = files.join(", ")
    );
    std::fs::write(dir.join("tsconfig.json"), tsconfig).map_err(|e| e.to_string())?;
    let tsc = tools::node_bin("tsc")?;
    tools::run(Command::new(tsc).arg("-p").arg(dir.join("tsconfig.json")))
        .map_err(|e| format!("docs snippets (TypeScript): {e}"))
}

/// Runs the Python snippets against the generated package: `retry.py`'s `request` against a
/// server on 127.0.0.1 that fails once with a server error as the wire sends it (its status,
/// the wire's headers and `Retry-After: 0`) and then succeeds, and `log_errors.py`'s
/// `log_error` on that response's error, whose log record must carry the code and request ID.
const PY_SNIPPETS_HARNESS: &str = r#"
import http.server
import importlib
import json
import logging
import sys
import threading

import log_errors
import retry

error_type = getattr(importlib.import_module(sys.argv[1]), sys.argv[2])
body = json.loads(sys.argv[3])
sent = json.loads(sys.argv[4])
calls = []


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        calls.append(self.path)
        failing = len(calls) == 1
        data = json.dumps(body if failing else {"ok": True}).encode()
        self.send_response(sent["status"] if failing else 200)
        if failing:
            self.send_header("Retry-After", "0")
            for name, value in sent["headers"]:
                self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
try:
    url = f"http://127.0.0.1:{server.server_address[1]}/v1/contacts"
    assert retry.request(url) == {"ok": True}, calls
    assert len(calls) == 2, calls
finally:
    server.shutdown()

records = []


class Keep(logging.Handler):
    def emit(self, record):
        records.append(record)


log_errors.logger.addHandler(Keep())
headers = sent["headers"] + [["Retry-After", "0"]]
log_errors.log_error(error_type.from_response(sent["status"], headers, json.dumps(body)))
assert records and records[-1].error_code == sent["code"], records
assert records[-1].request_id == sent["request_id"], records
print("python snippets: ok")
"#;

/// The Python snippets type-checked with `mypy --strict` and run (`PY_SNIPPETS_HARNESS`) against
/// the generated package's sources.
fn check_py_snippets(
    catalog: &Catalog,
    snippets: &[&(String, String)],
    package: &Path,
) -> Result<(), String> {
    let src = package.join("src");
    let names = codegen::emit::docs::SnippetNames::new(catalog);
    let dir = tools::scratch("docs-snippets-py")?;
    let mut files = Vec::new();
    for (snippet, code) in snippets {
        std::fs::write(dir.join(snippet), code).map_err(|e| format!("{snippet}: {e}"))?;
        files.push(snippet.as_str());
    }
    let py = tools::python()?;
    tools::run(
        Command::new(py.with_file_name("mypy"))
            .args(["--strict", "--no-incremental"])
            .args(&files)
            .env("MYPYPATH", &src)
            .current_dir(&dir),
    )
    .map_err(|e| format!("docs snippets (Python): {e}"))?;
    let path = std::env::join_paths([&src, &dir]).map_err(|e| e.to_string())?;
    tools::run(
        Command::new(&py)
            .arg("-c")
            .arg(PY_SNIPPETS_HARNESS)
            .arg(&names.py_module)
            .arg(&names.error_type)
            .arg(&names.server_error_body)
            .arg(
                serde_json::json!({
                    "status": names.server_error_status,
                    "headers": names.server_error_headers,
                    "code": names.server_error_code,
                    "request_id": names.server_error_request_id,
                })
                .to_string(),
            )
            .env("PYTHONPATH", path)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .current_dir(&dir),
    )
    .map_err(|e| format!("docs snippets (Python): {e}"))
}

/// Every fenced code block of a Markdown file: (info string, code).
pub fn code_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        let ticks: String = trimmed.chars().take_while(|c| *c == '`').collect();
        if ticks.len() < 3 {
            continue;
        }
        let info = trimmed[ticks.len()..].trim().to_string();
        let mut code = String::new();
        for l in lines.by_ref() {
            if l.trim() == ticks {
                break;
            }
            code.push_str(l);
            code.push('\n');
        }
        out.push((info, code));
    }
    out
}

/// The code blocks of `README.md` and of the generated packages' READMEs, compiled.
fn check_readmes(root: &Path) -> Result<(), String> {
    let mut rust = Vec::new();
    let mut ts = Vec::new();
    let mut py = Vec::new();
    for readme in [
        "README.md",
        "generated/typescript/README.md",
        "generated/python/README.md",
    ] {
        let text =
            std::fs::read_to_string(root.join(readme)).map_err(|e| format!("{readme}: {e}"))?;
        for (i, (info, code)) in code_blocks(&text).into_iter().enumerate() {
            let name = format!("{}_{i}", readme.replace(['/', '.'], "_").to_lowercase());
            match info.as_str() {
                "rust" => rust.push((name, code)),
                "ts" | "typescript" => ts.push((format!("{name}.ts"), code)),
                "python" => py.push((format!("{name}.py"), code)),
                "" | "sh" | "text" | "yaml" => {}
                other => {
                    return Err(format!(
                        "{readme}: a ```{other} block, which no check compiles"
                    ));
                }
            }
        }
    }
    let generated = root.join("generated");
    let mut problems = Vec::new();
    if let Err(e) = check_rust_modules(&rust, &generated.join("rust")) {
        problems.push(format!("README Rust blocks: {e}"));
    }
    let ts: Vec<&(String, String)> = ts.iter().collect();
    if let Err(e) = check_ts_snippets(&ts, &generated.join("typescript"), "readme-snippets-ts") {
        problems.push(format!("README TypeScript blocks: {e}"));
    }
    if let Err(e) = check_py_modules(&py, &generated.join("python")) {
        problems.push(format!("README Python blocks: {e}"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Python blocks as modules, type-checked with `mypy --strict` against the generated package.
fn check_py_modules(blocks: &[(String, String)], package: &Path) -> Result<(), String> {
    let dir = tools::scratch("readme-snippets-py")?;
    let mut files = Vec::new();
    for (name, code) in blocks {
        std::fs::write(dir.join(name), code).map_err(|e| format!("{name}: {e}"))?;
        files.push(name.as_str());
    }
    if files.is_empty() {
        return Ok(());
    }
    let py = tools::python()?;
    tools::run(
        Command::new(py.with_file_name("mypy"))
            .args(["--strict", "--no-incremental"])
            .args(&files)
            .env("MYPYPATH", package.join("src"))
            .current_dir(&dir),
    )
}

/// Rust blocks as public modules of one library depending on the generated crate, checked
/// with every warning denied (an unused variable or import fails).
fn check_rust_modules(blocks: &[(String, String)], krate: &Path) -> Result<(), String> {
    let toml = std::fs::read_to_string(krate.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let crate_name = toml
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("name = \"")
                .and_then(|r| r.strip_suffix('"'))
        })
        .ok_or("the generated crate has no package name")?;
    let dir = tools::scratch("readme-snippets-rust")?;
    let cargo_toml = format!(
        "[package]\nname = \"readme-snippets\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n{crate_name} = {{ path = {:?} }}\n\n[workspace]\n",
        krate.to_string_lossy()
    );
    let mut lib = String::from("#![deny(warnings)]\n");
    for (name, code) in blocks {
        lib.push_str(&format!("\npub mod {name} {{\n{code}}}\n"));
    }
    let write = |p: PathBuf, s: &str| -> Result<(), String> {
        std::fs::create_dir_all(p.parent().expect("has parent")).map_err(|e| e.to_string())?;
        std::fs::write(&p, s).map_err(|e| format!("{}: {e}", p.display()))
    };
    write(dir.join("Cargo.toml"), &cargo_toml)?;
    write(dir.join("src/lib.rs"), &lib)?;
    write(
        dir.join("Cargo.lock"),
        &std::fs::read_to_string(project_root().join("Cargo.lock")).map_err(|e| e.to_string())?,
    )?;
    tools::run(
        tools::cargo(
            &dir,
            &project_root().join("target/xtask/docs-snippets-target"),
        )
        .args(["check", "--quiet"]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_markup_is_found_in_any_spelling() {
        let page = r#"<p>&lt;img src=x onerror=alert(1)&gt; <a href="https://a.test">ok</a></p>
<img src="x" onerror="alert(101)"><a href="javascript:alert('nl')">l</a>
<IFRAME src=x></IFRAME><img/src='data:image/svg+xml,x'><a href=vbscript:x>v</a>"#;
        assert_eq!(
            super::active_markup(page),
            [
                "an event handler `onerror=` on <img>",
                "`href=javascript:alert('nl')\"` on <a>",
                "a <iframe> element",
                "`src=data:image` on <img>",
                "`href=vbscript:x` on <a>",
            ]
        );
    }

    #[test]
    fn finds_every_fenced_block_with_its_language() {
        let md = "a\n```rust\nfn f() {}\n```\n\n   ```ts\n   let x = 1;\n   ```\n```\nplain\n```\n";
        let blocks = code_blocks(md);
        let langs: Vec<&str> = blocks.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(langs, ["rust", "ts", ""]);
        assert_eq!(blocks[0].1, "fn f() {}\n");
    }

    #[test]
    fn extracts_snippets_after_markers() {
        let md = "x\n<!-- snippet: a.rs -->\n````rust\nfn main() {}\n```\n````\n<!-- snippet: b.ts -->\n```ts\nlet x = 1;\n```\n";
        assert_eq!(
            snippets(md),
            vec![
                ("a.rs".into(), "fn main() {}\n```\n".into()),
                ("b.ts".into(), "let x = 1;\n".into())
            ]
        );
    }

    #[test]
    fn resolves_relative_links() {
        assert_eq!(join("a/b.html", "../c.html"), "c.html");
        assert_eq!(join("b.html", "c.html"), "c.html");
        assert_eq!(plain("<p>a &lt;b&gt;\n <code>c</code></p>"), "a <b> c");
    }
}
