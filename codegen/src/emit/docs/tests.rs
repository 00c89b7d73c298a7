//! Everything the catalog says about a code appears in that code's section of the generated
//! Markdown, in the escaped form of its context; with the HueChat and the hostile catalogs.

use std::path::Path;

use super::markdown::{code, code_in_cell, fence, text};
use super::*;
use crate::emit::catalog_json::pretty;
use crate::model::Catalog;

fn load(rel: &str) -> Catalog {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let sources = crate::source::read_catalog(&path, rel).expect("readable");
    crate::load(&sources).unwrap_or_else(|f| panic!("{rel}: {f}"))
}

fn huechat() -> Catalog {
    let dir = crate::source::huechat_catalog_dir();
    let sources = crate::source::read_catalog(&dir, "catalog").expect("readable");
    crate::load(&sources).unwrap_or_else(|f| panic!("catalog: {f}"))
}

fn hostile() -> Catalog {
    load("tests/data/ok/hostile/catalog.yaml")
}

fn page<'a>(files: &'a [Artifact], path: &str) -> &'a str {
    &files
        .iter()
        .find(|a| a.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

/// A code's section: from its heading to the next `## ` heading.
fn section<'a>(md: &'a str, code: &str) -> &'a str {
    let start = md
        .find(&format!(" {{#{code}}}\n"))
        .unwrap_or_else(|| panic!("no section {code}"));
    let start = md[..start].rfind("\n## ").expect("an h2");
    let end = md[start + 1..]
        .find("\n## ")
        .map_or(md.len(), |i| start + 1 + i);
    &md[start..end]
}

fn check_sections(c: &Catalog) {
    let files = emit(c, &Options::default());
    for e in &c.errors {
        let md = page(
            &files,
            &format!("docs/src/{}.md", naming::docs_page(&e.category)),
        );
        let s = section(md, &naming::docs_anchor(&e.code));
        let mut expected = vec![
            text(&e.description),
            format!("**Message:** {}", code(&e.message.source)),
        ];
        match e.delivery {
            Delivery::Http => expected.push(format!(
                "**HTTP Status:** {} ({})",
                e.status,
                text(&c.status(e.status).description)
            )),
            Delivery::Webhook => expected.push("**Webhook event:**".into()),
        }
        if let Some(d) = &e.details {
            expected.extend(
                d.fields()
                    .iter()
                    .map(|(n, _)| format!("| {} |", code_in_cell(n))),
            );
        }
        for x in &e.examples {
            expected.push(fence(&pretty(&x.body), "json"));
            for (k, v) in &x.headers {
                expected.push(format!("\n{k}: {v}\n"));
            }
        }
        expected.extend(
            e.headers
                .iter()
                .map(|h| format!("| {} |", code_in_cell(&h.name))),
        );
        let r = &e.remediation;
        expected.extend(r.solutions.iter().map(|x| format!("\n- {}\n", text(x))));
        expected.extend(r.common_causes.iter().map(|x| format!("\n- {}\n", text(x))));
        expected.extend(r.action.iter().map(|a| format!("**Action:** {}", text(a))));
        if !r.solutions.is_empty() {
            let label = if r.solutions.len() == 1 {
                "**Solution:**"
            } else {
                "**Solutions:**"
            };
            expected.push(label.into());
        }
        if !r.common_causes.is_empty() {
            expected.push("**Common causes:**".into());
        }
        if let Some(d) = &e.deprecated {
            expected.push(text(&d.reason));
        }
        for want in expected {
            assert!(
                s.contains(&want),
                "section of `{}` lacks {want:?}:\n{s}",
                e.code
            );
        }
    }
}

#[test]
fn every_code_section_holds_its_catalog_entry() {
    check_sections(&huechat());
    check_sections(&hostile());
}

#[test]
fn huechat_text_needs_no_escaping_so_the_docs_match_the_reference_verbatim() {
    let c = huechat();
    let files = emit(&c, &Options::default());
    for e in &c.errors {
        let md = page(
            &files,
            &format!("docs/src/{}.md", naming::docs_page(&e.category)),
        );
        let s = section(md, &e.code);
        let r = &e.remediation;
        for line in [&e.description]
            .into_iter()
            .chain(&r.solutions)
            .chain(&r.common_causes)
            .chain(&r.action)
        {
            assert!(
                s.contains(line.as_str()),
                "`{}`: {line:?} not verbatim",
                e.code
            );
        }
    }
    let window = section(page(&files, "docs/src/channel.md"), "window_expired");
    assert!(
        window.contains("**Solution:**\n\n- Use a template message to reinitiate conversation.")
    );
    let webhook = section(
        page(&files, "docs/src/webhook.md"),
        "webhook_delivery_failed",
    );
    assert!(webhook.contains("**Webhook event:**") && !webhook.contains("HTTP Status"));
}

#[test]
fn every_file_starts_with_the_header_and_every_page_is_in_the_summary() {
    for c in [huechat(), hostile()] {
        let options = Options::default();
        let files = emit(&c, &options);
        let summary = page(&files, "docs/src/SUMMARY.md");
        for a in &files {
            let first = a.contents.lines().next().unwrap_or("");
            let want = if a.path.ends_with(".toml") {
                format!("# {}", options.header())
            } else {
                format!("<!-- {} -->", options.header())
            };
            assert_eq!(first, want, "{}", a.path);
            if let Some(name) = a
                .path
                .strip_prefix("docs/src/")
                .filter(|p| *p != "SUMMARY.md")
            {
                assert!(
                    summary.contains(&format!("]({name})")),
                    "{name} is not in SUMMARY.md"
                );
            }
        }
    }
}

#[test]
fn docs_urls_point_at_generated_sections() {
    for c in [huechat(), hostile()] {
        let files = emit(&c, &Options::default());
        for e in &c.errors {
            let url = c.docs_url(e);
            let rel = url
                .strip_prefix(&format!("{}/", c.api.docs_url))
                .expect("under docs_url");
            let (html, anchor) = rel.split_once('#').expect("an anchor");
            let md = page(
                &files,
                &format!("docs/src/{}", html.replace(".html", ".md")),
            );
            assert!(
                md.contains(&format!("## {} {{#{anchor}}}\n", code(&e.code))),
                "{url}"
            );
        }
    }
}

/// Whatever delay a code's details carry, its retry sentence (docs and `explain`) says it is
/// waited for; webhook codes get no retry advice.
#[test]
fn retry_text_names_the_delay_and_spares_webhooks() {
    for c in [huechat(), hostile()] {
        for e in &c.errors {
            let text = retry_text(e, &c.retry);
            if let Some(f) = e.retry.delay_field() {
                assert!(text.contains(&format!("details.{f}")), "{}: {text}", e.code);
            }
            if e.delivery == Delivery::Webhook && !e.retry.is_retryable() {
                assert!(text.starts_with("Nothing to retry"), "{}: {text}", e.code);
            }
            if matches!(e.retry, RetryPolicy::Backoff { .. }) {
                assert!(text.contains("Retry-After"), "{}: {text}", e.code);
            }
        }
    }
    let c = huechat();
    let delayed_5xx = c
        .errors
        .iter()
        .filter(|e| e.status >= 500 && e.delivery == Delivery::Http)
        .filter(|e| {
            e.details
                .as_ref()
                .and_then(|d| d.property("retry_after"))
                .is_some()
        });
    for e in delayed_5xx {
        assert_eq!(e.retry.delay_field(), Some("retry_after"), "{}", e.code);
    }
}

/// A book whose pages pass `SEARCH_TEXT_LIMIT` is built without mdBook's search (whose index
/// would pass mdBook's 10 MB warning); HueChat keeps it.
#[test]
fn a_book_too_large_for_search_is_built_without_it() {
    let minimal = include_str!("../../../tests/data/ok/minimal/catalog.yaml");
    let (head, _) = minimal.split_once("errors:\n").expect("an errors list");
    let book = |codes: usize| {
        let mut yaml = format!("{head}errors:\n");
        let long = "Words that go into the docs page and its search index. ".repeat(36);
        for i in 0..codes {
            yaml.push_str(&format!(
                "  - code: not_found_{i}\n    status: 404\n    category: resource\n    description: {long}\n    message: Not found\n    examples:\n      - body: {{ error: not_found_{i}, message: Not found, code: 404 }}\n"
            ));
        }
        let catalog = crate::load(&[crate::Source::new("catalog.yaml", yaml)]).expect("valid");
        let files = emit(&catalog, &Options::default());
        let text: usize = files.iter().map(|a| a.contents.len()).sum();
        (text, page(&files, "docs/book.toml").to_string())
    };
    let (small, with_search) = book(10);
    assert!(small < SEARCH_TEXT_LIMIT);
    assert!(
        !with_search.contains("[output.html.search]"),
        "{with_search}"
    );
    let (large, without) = book(SEARCH_TEXT_LIMIT / 2_000 + 100);
    assert!(large > SEARCH_TEXT_LIMIT, "{large}");
    assert!(without.contains("[output.html.search]\n"), "{without}");
    assert!(without.contains("\nenable = false\n"), "{without}");
    let huechat = emit(&huechat(), &Options::default());
    assert!(!page(&huechat, "docs/book.toml").contains("[output.html.search]"));
}
