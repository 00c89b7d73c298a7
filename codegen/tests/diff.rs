//! Golden diff cases: `tests/data/diff/<case>/` holds `old.yaml`, `new.yaml` and the expected
//! report (`expected.txt`; `expected.md` and `expected.json` where present). One concept per
//! case, and a case named after every rule. `UPDATE_EXPECT=1 cargo test -p codegen --test diff`
//! rewrites the expectations; review the diff before committing it.

use std::path::{Path, PathBuf};

use codegen::diff::{self, Level, RULES, Report};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/diff")
}

fn update() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some()
}

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(data())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn load(path: &Path) -> codegen::Catalog {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let sources = codegen::source::read_catalog(path, &name).unwrap();
    codegen::load(&sources).unwrap_or_else(|f| panic!("{} is invalid:\n{f}", path.display()))
}

fn report(case: &Path) -> Report {
    diff::compare(&load(&case.join("old.yaml")), &load(&case.join("new.yaml")))
}

#[test]
fn diff_cases_report_what_they_expect() {
    let mut failures = Vec::new();
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let report = report(&case);
        for (file, actual) in [
            ("expected.txt", report.text()),
            ("expected.md", report.markdown()),
            ("expected.json", report.json()),
        ] {
            let path = case.join(file);
            // The text form always; the other two where a case keeps them.
            if file != "expected.txt" && !path.exists() {
                continue;
            }
            if update() {
                std::fs::write(&path, &actual).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&path).unwrap_or_default();
            if expected != actual {
                failures.push(format!(
                    "{name}/{file} differs.\n--- expected\n{expected}\n--- actual\n{actual}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(review, then accept with UPDATE_EXPECT=1 cargo test -p codegen --test diff)",
        failures.join("\n")
    );
}

/// A rule's case shows that rule and no other of its level or above, and its new version is the
/// one the rule asks for, so the verdict passes.
#[test]
fn every_rule_has_a_case_of_its_own() {
    let mut failures = Vec::new();
    for rule in RULES {
        let case = data().join(rule.id);
        if !case.is_dir() {
            failures.push(format!("no case for rule `{}`", rule.id));
            continue;
        }
        let report = report(&case);
        if !report.changes.iter().any(|c| c.rule == rule.id) {
            failures.push(format!("{}: the rule does not fire", rule.id));
        }
        let others: Vec<&str> = report
            .changes
            .iter()
            .filter(|c| c.rule != rule.id && c.level >= rule.level)
            .map(|c| c.rule)
            .collect();
        if !others.is_empty() {
            failures.push(format!("{}: also fires {others:?}", rule.id));
        }
        if report.verdict.level != Some(rule.level) || !report.verdict.ok {
            failures.push(format!(
                "{}: verdict {:?}, {}",
                rule.id, report.verdict.level, report.verdict.message
            ));
        }
    }
    let breaking = RULES.iter().filter(|r| r.level == Level::Breaking).count();
    assert!(RULES.len() >= 20 && breaking >= 10);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn semver_cases_pass_or_fail_as_named() {
    for (case, ok) in [
        ("semver_breaking_without_major", false),
        ("semver_compatible_without_minor", false),
        ("semver_before_1_0", true),
        ("semver_before_1_0_patch_is_not_enough", false),
        ("semver_version_went_down", false),
        ("semver_no_changes", true),
        ("semver_patch_without_bump", false),
        ("semver_same_prerelease", false),
    ] {
        let report = report(&data().join(case));
        assert_eq!(report.verdict.ok, ok, "{case}: {}", report.verdict.message);
    }
}

#[test]
fn architecture_md_carries_the_rules_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ARCHITECTURE.md");
    let doc = std::fs::read_to_string(path).unwrap();
    assert!(
        doc.contains(&diff::rules_table()),
        "ARCHITECTURE.md must contain the table of `codegen::diff::rules_table()`:\n{}",
        diff::rules_table()
    );
}

/// The entry `diff` tells the author to add for a removed code is valid: pasted into the new
/// catalog's `retired:`, the catalog loads and the removal becomes a retirement.
#[test]
fn the_suggested_retired_entry_retires_the_code() {
    let case = data().join("code_removed");
    let report = report(&case);
    let help = report.changes[0].help.as_deref().unwrap();
    let entry = help.split('`').nth(1).unwrap();
    let new = std::fs::read_to_string(case.join("new.yaml")).unwrap();
    let sources = [codegen::Source::new(
        "new.yaml",
        format!("{new}\nretired:\n  - {entry}\n"),
    )];
    let retired = codegen::load(&sources).unwrap_or_else(|f| panic!("{entry}:\n{f}"));
    let after = diff::compare(&load(&case.join("old.yaml")), &retired);
    let rules: Vec<&str> = after.changes.iter().map(|c| c.rule).collect();
    assert_eq!(rules, ["code_retired"]);
    assert!(after.verdict.ok, "{}", after.verdict.message);
}

/// One-leaf mutations of a catalog's text: each plain scalar after `key: ` (in block or flow
/// style) or `- ` in turn, an integer counted up, a boolean flipped, any other text given one
/// more character. Mutations that do not load are skipped by the caller.
fn leaf_mutations(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || trimmed.is_empty() {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let flow = trimmed.contains(['{', '[']);
        let mut starts: Vec<usize> = line.match_indices(": ").map(|(k, _)| k + 2).collect();
        if trimmed.starts_with("- ") {
            starts.push(indent + 2);
        }
        for at in starts {
            let rest = &line[at..];
            let end = if flow {
                rest.find([',', '}', ']']).unwrap_or(rest.len())
            } else {
                rest.len()
            };
            let value = rest[..end].trim_end();
            if value.is_empty()
                || value.starts_with(['{', '[', '|', '>', '&', '*', '#', '\'', '"'])
                || value.contains(": ")
                || value.contains(" #")
            {
                continue;
            }
            let mutated = if let Ok(n) = value.parse::<i64>() {
                (n + 1).to_string()
            } else if value == "true" || value == "false" {
                (value == "false").to_string()
            } else {
                format!("{value}x")
            };
            let mut new: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            new[i] = format!("{}{mutated}{}", &line[..at], &rest[value.len()..]);
            out.push((
                format!("line {}: {value} -> {mutated}", i + 1),
                new.join("\n") + "\n",
            ));
        }
    }
    out
}

/// An empty report means byte-identical outputs: over one-leaf mutations of a few gated
/// catalogs (every wire kind), a change `diff` does not report changes no generated file.
#[test]
fn an_empty_report_means_identical_outputs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let options = codegen::Options::default();
    let mut silent = Vec::new();
    let mut checked = 0;
    for catalog in [
        "codegen/tests/data/ok/wire_custom/catalog.yaml",
        "codegen/tests/data/ok/schema_keywords/catalog.yaml",
        "codegen/tests/data/gated/type_uri_and_header.yaml",
        "codegen/tests/data/gated/integer_code_and_header.yaml",
        "examples/twilio/catalog.yaml",
        "examples/rfc9457/catalog.yaml",
        "examples/aip193/catalog.yaml",
        "examples/aws_json/catalog.yaml",
        "examples/jsonapi/catalog.yaml",
        "examples/discord/catalog.yaml",
        "examples/stripe/catalog.yaml",
        "codegen/tests/data/diff/code_retired/new.yaml",
    ] {
        let text = std::fs::read_to_string(root.join(catalog)).unwrap();
        let load = |text: &str| codegen::load(&[codegen::Source::new("catalog.yaml", text)]);
        let old = load(&text).unwrap_or_else(|f| panic!("{catalog}:\n{f}"));
        let before = codegen::emit::all(&old, &options);
        for (what, mutated) in leaf_mutations(&text) {
            let Ok(new) = load(&mutated) else { continue };
            checked += 1;
            if !diff::compare(&old, &new).changes.is_empty() {
                continue;
            }
            let after = codegen::emit::all(&new, &options);
            let differ: Vec<&str> = after
                .iter()
                .filter(|a| {
                    !before
                        .iter()
                        .any(|b| b.path == a.path && b.contents == a.contents)
                })
                .map(|a| a.path.as_str())
                .take(3)
                .collect();
            if !differ.is_empty() || after.len() != before.len() {
                silent.push(format!(
                    "{catalog} {what}: no changes reported, but {differ:?} differ"
                ));
            }
        }
    }
    assert!(checked > 300, "only {checked} mutations loaded");
    assert!(silent.is_empty(), "{}", silent.join("\n"));
}
