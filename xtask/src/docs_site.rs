//! `cargo xtask docs [--catalog PATH]`: builds the HTML docs site with mdBook (pinned, installed
//! into `tools/cargo/` on first use) into `target/docs/`, and prints where it is.
//!
//! Without `--catalog`, it builds `generated/docs/` (and refuses when that folder is stale, so the
//! site always matches the catalog); with `--catalog PATH`, it generates that catalog's docs into
//! `target/docs/<name>/src/` first and builds them into `target/docs/<name>/book/`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::{Paths, project_root, tools};

/// The pinned mdBook. 0.4.52 supports heading attributes (`## code {#code}`), which give every
/// code section its anchor whatever else is on the page.
pub const MDBOOK_VERSION: &str = "0.4.52";

pub fn command(paths: &Paths, args: &[String]) -> Result<ExitCode, String> {
    if let Some(a) = args.first() {
        return Err(format!(
            "unexpected argument `{a}` (usage: cargo xtask docs [--catalog PATH])"
        ));
    }
    let root = project_root();
    let default_catalog = paths.catalog == root.join("catalog");
    let (book, dest) = if default_catalog {
        let book = paths.out.join("docs");
        check_current(paths, &book)?;
        (book, root.join("target/docs/book"))
    } else {
        let name = paths.catalog.file_stem().map_or_else(
            || "catalog".to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
        let dir = root.join("target/docs").join(&name);
        let _ = std::fs::remove_dir_all(&dir);
        let gen_dir = dir.join("generated");
        tools::generate_into(&paths.catalog, &gen_dir)?;
        (gen_dir.join("docs"), dir.join("book"))
    };
    build(&book, &dest)?;
    let index = dest.join("index.html");
    println!("docs site built: {}", index.display());
    println!("{}", serve_hint(&book, &dest));
    Ok(ExitCode::SUCCESS)
}

/// How to serve the site: into `dest` (under target/), never mdBook's default `<book>/book/`,
/// which would put a built site inside `generated/` for `git add` to pick up.
fn serve_hint(book: &Path, dest: &Path) -> String {
    format!(
        "(serve it with `tools/cargo/bin/mdbook serve {} --dest-dir {}`)",
        book.display(),
        dest.display()
    )
}

/// Refuses to build a docs folder that does not match the catalog (run `cargo xtask gen`).
fn check_current(paths: &Paths, book: &Path) -> Result<(), String> {
    let sources = crate::load_sources(&paths.catalog)?;
    let artifacts =
        codegen::generate(&sources, &codegen::Options::default()).map_err(|f| f.to_string())?;
    let stale: Vec<String> = artifacts
        .iter()
        .filter_map(|a| a.path.strip_prefix("docs/").map(|rel| (rel, a)))
        .filter(|(rel, a)| {
            std::fs::read_to_string(book.join(rel)).ok().as_deref() != Some(a.contents.as_str())
        })
        .map(|(rel, _)| rel.to_string())
        .collect();
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} is out of date with the catalog ({}); run `cargo xtask gen` first",
            crate::display_path(book),
            stale.join(", ")
        ))
    }
}

/// The mdBook binary, installed on first use.
pub fn mdbook() -> Result<PathBuf, String> {
    tools::cargo_bin("mdbook", MDBOOK_VERSION, "mdbook")
}

/// Builds the book in `book` (the folder of `book.toml`) into `dest`. mdBook logs problems as
/// `[WARN]`/`[ERROR]` lines on stderr without failing; any such line is an error here.
pub fn build(book: &Path, dest: &Path) -> Result<(), String> {
    let mdbook = mdbook()?;
    let _ = std::fs::remove_dir_all(dest);
    let mut cmd = Command::new(&mdbook);
    cmd.arg("build").arg(book).arg("--dest-dir").arg(dest);
    let shown = format!("{cmd:?}").replace('"', "");
    println!("$ {shown}");
    let out = cmd
        .output()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let problems: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("WARN") || l.contains("ERROR") || l.contains("error:"))
        .collect();
    if !out.status.success() || !problems.is_empty() {
        return Err(format!(
            "`{shown}` failed ({}) or warned:\n{stderr}",
            out.status
        ));
    }
    Ok(())
}

#[cfg(test)]
mod serve_tests {
    #[test]
    fn the_serve_hint_builds_outside_generated() {
        let root = crate::project_root();
        let hint = super::serve_hint(&root.join("generated/docs"), &root.join("target/docs/book"));
        assert!(hint.contains("--dest-dir"), "{hint}");
        assert!(
            hint.trim_end_matches("`)").ends_with("target/docs/book"),
            "{hint}"
        );
    }
}
