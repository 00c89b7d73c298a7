//! The claim behind the `source:` notes of `cargo xtask diff`: for every golden diff case whose
//! verdict is compatible or patch, code written against the OLD packages is checked against the
//! NEW ones, and a language in which it stops compiling or type-checking must be named by a
//! source note of the case's report (a breaking verdict needs no note: it already asks for a
//! major version).
//!
//! The code written against the old packages is their own generated tests, which use every
//! code's constructor, details, headers, wire body and exhaustive matches: the old crate's
//! `tests/` compiled against the new crate (`cargo check --tests`), the old package's `test/`
//! against the new TypeScript sources (strict `tsc`), and the old Python `tests/` against the new
//! package (`mypy --strict`). griffe compares the two Python packages' APIs as well (a parameter
//! made required, an alias removed), which the tests do not always reach.
//!
//! Cheap by construction, as `diff-clients`: every case's crate is a member of one workspace (one
//! `cargo check --keep-going`), every package is in one `tsc` run and one `mypy` run, and one
//! Python process runs griffe over every case. Each case's packages are renamed after it, so the
//! old tests import the new package under the name they know.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use codegen::Catalog;
use codegen::diff::Report;

use super::diff_clients::{Case, cases, compatible, write};
use crate::{project_root, tools};

/// The languages, as the source notes name them.
const LANGUAGES: [(&str, &[&str]); 3] = [
    ("Rust", &["Rust"]),
    ("TypeScript", &["TS", "TypeScript"]),
    ("Python", &["Python"]),
];

/// Whether `text` names `word` as a word of its own (`TS`, not the `TS` of `TSX`).
fn names(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The case's new packages, with the old packages' tests in place of their own.
fn write_case(case: &Case, ident: &str, dir: &Path) -> Result<(), String> {
    let rename = |catalog: &Catalog| {
        let mut c = catalog.clone();
        c.api.packages.rust = ident.replace('_', "-");
        c.api.packages.typescript = ident.replace('_', "-");
        c.api.packages.python = ident.to_string();
        c
    };
    const TESTS: [&str; 3] = ["rust/tests/", "typescript/test/", "python/tests/"];
    const PACKAGES: [&str; 3] = ["rust/", "typescript/", "python/"];
    let options = codegen::Options::default();
    let new = codegen::emit::all(&rename(&case.new), &options);
    let old = codegen::emit::all(&rename(&case.old), &options);
    let is_test = |path: &str| TESTS.iter().any(|t| path.starts_with(t));
    let kept = new
        .iter()
        .filter(|a| PACKAGES.iter().any(|p| a.path.starts_with(p)) && !is_test(&a.path))
        .map(|a| (dir.join(&a.path), a))
        .chain(
            old.iter()
                .filter(|a| is_test(&a.path))
                .map(|a| (dir.join(&a.path), a)),
        )
        // The old package's Python sources, for griffe.
        .chain(
            old.iter()
                .filter(|a| a.path.starts_with("python/src/"))
                .map(|a| (dir.join("old").join(&a.path), a)),
        );
    for (path, a) in kept {
        write(&path, &a.contents)?;
    }
    Ok(())
}

/// Runs `cmd` and returns what it printed (stdout and stderr); a failure is what it found.
fn printed(cmd: &mut Command) -> Result<String, String> {
    let out = cmd
        .output()
        .map_err(|e| format!("could not run {cmd:?}: {e}"))?;
    Ok(format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

/// Files each line of a tool's output that names `cases/<ident>/` under that case and language.
fn file_lines(
    found: &mut BTreeMap<(String, &'static str), Vec<String>>,
    language: &'static str,
    output: &str,
    is_finding: impl Fn(&str) -> bool,
) {
    for line in output.lines().filter(|l| is_finding(l)) {
        let Some(rest) = line.split("cases/").nth(1) else {
            continue;
        };
        let ident = rest.split('/').next().unwrap_or_default();
        found
            .entry((ident.to_string(), language))
            .or_default()
            .push(line.trim().to_string());
    }
}

pub fn run() -> Result<(), String> {
    let root = tools::scratch("diff-source")?;
    let all = cases()?;
    let compatible: Vec<(String, &Case, Report)> = compatible(&all)
        .into_iter()
        .map(|(c, report)| (format!("src_{}", c.name), c, report))
        .collect();
    for (ident, case, _) in &compatible {
        write_case(case, ident, &root.join("cases").join(ident))?;
    }
    let mut found: BTreeMap<(String, &'static str), Vec<String>> = BTreeMap::new();

    // Rust: one workspace, each case's crate a member; `--keep-going` reports every crate.
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"cases/*/rust\"]\nresolver = \"3\"\n",
    )
    .map_err(|e| e.to_string())?;
    let target = project_root().join("target/xtask/rust-target");
    let out = printed(tools::cargo(&root, &target).args([
        "check",
        "--workspace",
        "--tests",
        "--all-features",
        "--keep-going",
        "--quiet",
        "--message-format=short",
    ]))?;
    file_lines(&mut found, "Rust", &out, |l| l.contains(": error"));

    // TypeScript: every case's new sources and old tests in one strict `tsc` run; each test
    // imports its package by name, mapped to the case's sources.
    let mut paths = String::new();
    for (ident, ..) in &compatible {
        let name = ident.replace('_', "-");
        let _ = write!(
            paths,
            "{}\"{name}\": [\"./cases/{ident}/typescript/src/index.ts\"]",
            if paths.is_empty() { "" } else { ",\n      " }
        );
    }
    // One copy of the tests' declarations of Node's modules (each case has the same file).
    let mut node_types = None;
    for (ident, ..) in &compatible {
        let file = root
            .join("cases")
            .join(ident)
            .join("typescript/test/node.d.ts");
        if node_types.is_none() {
            node_types = Some(std::fs::read_to_string(&file).map_err(|e| e.to_string())?);
        }
        std::fs::remove_file(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    std::fs::write(root.join("node.d.ts"), node_types.unwrap_or_default())
        .map_err(|e| e.to_string())?;
    std::fs::write(
        root.join("package.json"),
        "{ \"type\": \"module\", \"private\": true }\n",
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(
        root.join("tsconfig.json"),
        format!(
            r#"{{
  "compilerOptions": {{
    "target": "ES2022", "lib": ["ES2022"], "module": "NodeNext", "moduleResolution": "NodeNext",
    "types": [], "strict": true, "exactOptionalPropertyTypes": true,
    "noUncheckedIndexedAccess": true, "noImplicitOverride": true,
    "noPropertyAccessFromIndexSignature": true, "noEmit": true,
    "paths": {{
      {paths}
    }}
  }},
  "include": ["node.d.ts", "cases/*/typescript/src/**/*.ts", "cases/*/typescript/test/*.ts"]
}}
"#
        ),
    )
    .map_err(|e| e.to_string())?;
    let out = printed(Command::new(tools::node_bin("tsc")?).current_dir(&root))?;
    file_lines(&mut found, "TypeScript", &out, |l| l.contains("error TS"));

    // Python: every case's old tests against its new package, in one mypy run.
    let py = tools::python()?;
    let src_paths = std::env::join_paths(
        compatible
            .iter()
            .map(|(ident, ..)| root.join("cases").join(ident).join("python/src")),
    )
    .map_err(|e| e.to_string())?;
    let mut mypy = Command::new(py.with_file_name("mypy"));
    mypy.args([
        "--strict",
        "--no-incremental",
        "--explicit-package-bases",
        "--python-version",
        "3.10",
    ]);
    for (ident, ..) in &compatible {
        mypy.arg(format!("cases/{ident}/python/tests"));
    }
    let out = printed(
        mypy.current_dir(&root)
            .env("MYPYPATH", &src_paths)
            .env("PYTHONDONTWRITEBYTECODE", "1"),
    )?;
    file_lines(&mut found, "Python", &out, |l| l.contains(": error:"));
    // griffe: the old and the new package's API, case by case.
    let out = printed(
        Command::new(&py)
            .arg("-c")
            .arg(GRIFFE)
            .arg(root.join("cases"))
            .current_dir(&root),
    )?;
    if !out.contains("griffe compared") {
        return Err(format!("griffe did not run:\n{out}"));
    }
    file_lines(&mut found, "Python", &out, |l| l.starts_with("cases/"));

    // Every language the old code breaks in is named by a source note.
    let mut failures = Vec::new();
    let mut breaks = BTreeMap::new();
    for (ident, case, report) in &compatible {
        let notes: Vec<&str> = report
            .changes
            .iter()
            .filter_map(|c| c.source_break)
            .collect();
        for (language, words) in LANGUAGES {
            let Some(lines) = found.get(&(ident.clone(), language)) else {
                continue;
            };
            *breaks.entry(language).or_insert(0) += 1;
            if !notes.iter().any(|n| words.iter().any(|w| names(n, w))) {
                failures.push(format!(
                    "{}: code written against the old {language} package stops compiling or \
                     type-checking against the new one, but no source note of the report names \
                     {language}:\n    {}",
                    case.name,
                    lines
                        .iter()
                        .take(4)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("\n    ")
                ));
            }
        }
    }
    // The check finds something in each language, or it checks nothing.
    for (language, _) in LANGUAGES {
        if !breaks.contains_key(language) {
            failures.push(format!(
                "no compatible case breaks {language} code: the check is not reaching the old \
                 tests (cases/*/... under {})",
                root.display()
            ));
        }
    }
    if !failures.is_empty() {
        return Err(failures.join("\n"));
    }
    let counts: Vec<String> = breaks.iter().map(|(l, n)| format!("{l} {n}")).collect();
    println!(
        "{} compatible or patch cases; source breaks found (cases per language: {}), each named by a source note",
        compatible.len(),
        counts.join(", ")
    );
    Ok(())
}

/// griffe's breaking changes between each case's old package (`<case>/old/python/src`) and new
/// one (`<case>/python/src`), one line each, starting with the case's folder.
const GRIFFE: &str = r#"
import re
import sys
from pathlib import Path

import griffe

cases = Path(sys.argv[1])
count = 0
for case in sorted(p for p in cases.iterdir() if p.is_dir()):
    name = case.name
    old = griffe.load(name, search_paths=[str(case / "old/python/src")], allow_inspection=False)
    new = griffe.load(name, search_paths=[str(case / "python/src")], allow_inspection=False)
    for breakage in griffe.find_breaking_changes(old, new):
        what = re.sub(r"\x1b\[[0-9;]*m", "", breakage.explain(style=griffe.ExplanationStyle.ONE_LINE))
        print(f"cases/{name}/python: griffe: {what}")
    count += 1
print(f"griffe compared {count} packages")
"#;

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn a_language_is_named_as_a_word() {
        assert!(names("Rust and TS code that builds", "TS"));
        assert!(names("TS code", "TS"));
        assert!(names("(TS)", "TS"));
        assert!(!names("TSX files", "TS"));
        assert!(!names("RUSTS", "Rust"));
        assert!(!names("the Python-free crate", "Rust"));
    }
}
