//! Golden tests as data: `tests/data/ok/<case>/` holds a catalog and the complete expected output
//! (`expected/`); `tests/data/err/<case>/` holds a bad catalog and the expected diagnostics
//! (`expected.txt`). One concept per case. `UPDATE_EXPECT=1 cargo test -p codegen --test catalogs`
//! rewrites the expectations; review the diff before committing it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::{Options, Source};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn update() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some()
}

/// A case's catalog: `catalog.yaml`, or the folder `catalog/`; named relative to the case.
fn case_sources(case: &Path) -> Vec<Source> {
    let (path, name) = if case.join("catalog.yaml").exists() {
        (case.join("catalog.yaml"), "catalog.yaml")
    } else {
        (case.join("catalog"), "catalog")
    };
    codegen::source::read_catalog(&path, name).unwrap()
}

fn cases(kind: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(data().join(kind))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no {kind} cases");
    dirs
}

fn read_tree(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn ok_catalogs_generate_their_expected_outputs() {
    let mut failures = Vec::new();
    for case in cases("ok") {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let artifacts = match codegen::generate(&case_sources(&case), &Options::default()) {
            Ok(a) => a,
            Err(f) => panic!("{name} should be valid:\n{f}"),
        };
        let actual: BTreeMap<String, String> = artifacts
            .into_iter()
            .map(|a| (a.path, a.contents))
            .collect();
        // Warnings do not stop generation; a case that has some keeps them in `warnings.txt`.
        let mut sources = case_sources(&case);
        sources.sort_by(|a, b| a.name.cmp(&b.name));
        let warnings = codegen::load(&sources).unwrap().warnings;
        let rendered = (!warnings.is_empty()).then(|| warnings.render(&sources));
        let warnings_path = case.join("warnings.txt");
        if update() {
            match &rendered {
                Some(text) => std::fs::write(&warnings_path, text).unwrap(),
                None => {
                    let _ = std::fs::remove_file(&warnings_path);
                }
            }
        } else if rendered != std::fs::read_to_string(&warnings_path).ok() {
            failures.push(format!(
                "{name}: warnings differ from warnings.txt:\n{}",
                rendered.unwrap_or_default()
            ));
        }
        let expected_dir = case.join("expected");
        if update() {
            let _ = std::fs::remove_dir_all(&expected_dir);
            for (path, contents) in &actual {
                let p = expected_dir.join(path);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, contents).unwrap();
            }
            continue;
        }
        let expected = read_tree(&expected_dir);
        for path in expected.keys().filter(|p| !actual.contains_key(*p)) {
            failures.push(format!(
                "{name}: {path} is expected but no longer generated"
            ));
        }
        for (path, contents) in &actual {
            match expected.get(path) {
                None => failures.push(format!("{name}: {path} is generated but not expected")),
                Some(e) if e != contents => {
                    failures.push(format!("{name}: {path} differs from expected/{path}"))
                }
                Some(_) => {}
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(review, then accept with UPDATE_EXPECT=1 cargo test -p codegen --test catalogs)",
        failures.join("\n")
    );
}

/// The cross-language tables are one table: every package that ships one ships the same bytes.
#[test]
fn every_package_ships_the_same_tables() {
    for case in cases("ok") {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let artifacts = codegen::generate(&case_sources(&case), &Options::default()).unwrap();
        for table in ["conformance.json", "retry_table.json"] {
            let copies: Vec<_> = ["rust/tests", "typescript/test", "python/tests"]
                .iter()
                .filter_map(|dir| {
                    let path = format!("{dir}/{table}");
                    artifacts.iter().find(|a| a.path == path)
                })
                .collect();
            assert!(
                copies.len() >= 2,
                "{name}: {table} in fewer than two packages"
            );
            for copy in &copies[1..] {
                assert!(
                    copy.contents == copies[0].contents,
                    "{name}: {} differs from {}",
                    copy.path,
                    copies[0].path
                );
            }
        }
    }
}

#[test]
fn bad_catalogs_report_the_expected_diagnostics() {
    let mut failures = Vec::new();
    for case in cases("err") {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let sources = case_sources(&case);
        let rendered = match codegen::load(&sources) {
            Ok(_) => {
                failures.push(format!("{name}: the catalog was accepted"));
                continue;
            }
            Err(f) => f.to_string(),
        };
        let expected_path = case.join("expected.txt");
        if update() {
            std::fs::write(&expected_path, &rendered).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != rendered {
            failures.push(format!(
                "{name}: diagnostics differ.\n--- expected\n{expected}\n--- actual\n{rendered}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// No rendered diagnostic carries a control character other than its own line breaks, whatever
/// the catalog holds (`err/control_characters` has one in every quoted field).
#[test]
fn diagnostics_never_print_raw_control_characters() {
    for case in cases("err") {
        let Err(f) = codegen::load(&case_sources(&case)) else {
            continue;
        };
        let rendered = f.to_string();
        let raw = rendered.chars().find(|&c| c != '\n' && c.is_control());
        assert_eq!(raw, None, "{}: {rendered:?}", case.display());
    }
}

/// Every diagnostic names file:line:column (the only exceptions are problems of the catalog as
/// a whole, such as a missing section, which have no single place).
#[test]
fn every_diagnostic_has_a_place_unless_global() {
    for case in cases("err") {
        let Err(f) = codegen::load(&case_sources(&case)) else {
            continue;
        };
        for d in &f.diagnostics.items {
            if d.span.is_none() {
                assert!(
                    d.message.starts_with("the catalog "),
                    "{}: placeless diagnostic: {}",
                    case.display(),
                    d.message
                );
            } else {
                let loc = d.location(&f.sources).unwrap();
                assert!(loc.matches(':').count() == 2, "{loc}");
            }
        }
    }
}

fn huechat_sources() -> Vec<Source> {
    let root = codegen::source::huechat_catalog_dir();
    codegen::source::read_catalog(&root, "catalog").unwrap()
}

#[test]
fn output_does_not_depend_on_source_order_or_run() {
    let sources = huechat_sources();
    assert!(sources.len() > 1, "the HueChat catalog spans several files");
    let first = codegen::generate(&sources, &Options::default()).unwrap();
    let mut reversed = sources.clone();
    reversed.reverse();
    let second = codegen::generate(&reversed, &Options::default()).unwrap();
    let mut rotated = sources.clone();
    rotated.rotate_left(sources.len() / 2);
    let third = codegen::generate(&rotated, &Options::default()).unwrap();
    assert_eq!(first, second);
    assert_eq!(first, third);
}

#[test]
fn every_file_starts_with_the_regenerate_header() {
    let options = Options {
        command: "cargo xtask gen --catalog x".into(),
    };
    let artifacts = codegen::generate(&huechat_sources(), &options).unwrap();
    for a in &artifacts {
        let head: String = a.contents.lines().take(3).collect::<Vec<_>>().join("\n");
        assert!(
            head.contains("@generated by `cargo xtask gen --catalog x`"),
            "{} does not start with the header:\n{head}",
            a.path
        );
    }
}

/// The catalog holds the published reference page: all 17 codes, in the page's order (codes
/// added since may come anywhere), each with the status and example the page gives.
#[test]
fn huechat_catalog_holds_the_reference_page() {
    let catalog = codegen::load(&huechat_sources()).unwrap();
    let codes: Vec<(&str, u16)> = catalog
        .errors
        .iter()
        .map(|e| (e.code.as_str(), e.status))
        .collect();
    let page_codes = [
        ("unauthorized", 401),
        ("forbidden", 403),
        ("invalid_input", 400),
        ("missing_field", 400),
        ("invalid_json", 400),
        ("not_found", 404),
        ("duplicate_contact", 409),
        ("channel_not_connected", 400),
        ("window_expired", 400),
        ("template_not_found", 400),
        ("invalid_template_parameters", 400),
        ("rate_limited", 429),
        ("contact_rate_limited", 429),
        ("webhook_delivery_failed", 500),
        ("invalid_webhook_url", 400),
        ("internal_error", 500),
        ("service_unavailable", 503),
    ];
    let mut rest = codes.iter();
    for wanted in page_codes {
        assert!(
            rest.any(|c| *c == wanted),
            "{wanted:?} is missing or out of the page's order"
        );
    }
    let statuses: Vec<u16> = catalog.statuses.iter().map(|s| s.code).collect();
    for status in [400, 401, 403, 404, 409, 422, 429, 500, 502, 503] {
        assert!(statuses.contains(&status), "status {status}");
    }
    // The published page, kept beside the tests (a copy of shared/reference/) so the test
    // never depends on what happens to be checked out next to the repository.
    let page = std::fs::read_to_string(data().join("reference/huechat-error-codes.txt"))
        .expect("the reference page is in tests/data/reference");
    // Every line of remediation text and every description appears verbatim on the page.
    let on_page =
        |e: &&codegen::model::ErrorDef| page_codes.iter().any(|(c, _)| *c == e.code.as_str());
    for e in catalog.errors.iter().filter(on_page) {
        assert!(
            page.contains(&e.description),
            "{}: {}",
            e.code,
            e.description
        );
        for line in e
            .remediation
            .solutions
            .iter()
            .chain(&e.remediation.common_causes)
            .chain(&e.remediation.action)
        {
            assert!(page.contains(line.as_str()), "{}: {line}", e.code);
        }
        for ex in &e.examples {
            let message = ex.body["message"].as_str().unwrap();
            assert!(
                page.contains(&format!("\"message\": \"{message}\"")),
                "{}: {message}",
                e.code
            );
        }
    }
    for s in &catalog.statuses {
        assert!(
            page.contains(&format!("{}{}{}", s.code, s.class().title(), s.description)),
            "{}",
            s.code
        );
    }
}

/// The entry of `catalog/README.md`'s "Add an error code" guide, as its step 2 says to paste it
/// at the end of a category file's `errors:` list.
fn guide_entry() -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog/README.md"))
            .expect("catalog/README.md");
    let guide = &readme[readme
        .find("## Add an error code")
        .expect("the guide's heading")..];
    let block: Vec<&str> = guide
        .lines()
        .skip_while(|l| l.trim() != "```yaml")
        .skip(1)
        .take_while(|l| l.trim() != "```")
        .collect();
    assert!(!block.is_empty(), "the guide has a yaml block");
    // The block is indented three spaces as part of the numbered list.
    block
        .iter()
        .map(|l| l.strip_prefix("   ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The guide's example, pasted as it says into `errors/rate_limit.yaml`, gives a valid catalog
/// with no warnings, whose outputs carry the new code. `cargo xtask test guide` goes further:
/// it runs every codegen test on such a copy, and generates it.
#[test]
fn the_guides_example_applies_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog");
    let mut sources = codegen::source::read_catalog(&root, "catalog").unwrap();
    let entry = guide_entry();
    let code = entry
        .lines()
        .find_map(|l| l.trim().strip_prefix("- code:"))
        .and_then(|rest| rest.split('#').next())
        .map(|c| c.trim().to_string())
        .expect("the entry has a code");
    // Once someone has followed the guide, the catalog holds the code already: nothing to add.
    let defined = codegen::load(&sources)
        .unwrap()
        .errors
        .iter()
        .any(|e| e.code == code);
    let file = sources
        .iter_mut()
        .find(|s| s.name.ends_with("errors/rate_limit.yaml"))
        .expect("errors/rate_limit.yaml");
    if !defined {
        file.text = format!("{}\n{entry}\n", file.text.trim_end());
    }
    let catalog = codegen::load(&sources).unwrap_or_else(|f| panic!("{f}"));
    assert!(
        catalog.warnings.is_empty(),
        "{}",
        catalog.warnings.render(&codegen::sorted(&sources))
    );
    assert!(catalog.errors.iter().any(|e| e.code == code));
    let artifacts = codegen::generate(&sources, &Options::default()).unwrap();
    let rust = artifacts
        .iter()
        .find(|a| a.path == "rust/src/code.rs")
        .unwrap();
    assert!(rust.contents.contains(&format!("\"{code}\"")));
}
