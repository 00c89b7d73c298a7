//! `diff` (`cargo xtask diff`, or an adopting repository's own command): what a catalog change
//! does to its users. Compares the catalog at a git revision (`--base REF`, read with
//! `git ls-tree` and `git show`, no checkout) or another folder (`--old PATH --new PATH`) with
//! the working tree, prints `codegen::diff`'s report, and exits 1 when the version bump is too
//! small for the changes.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use codegen::diff::{self, Report};
use codegen::{Catalog, Source};

use crate::Paths;

/// The usage line, after `usage: <program> diff`.
const USAGE: &str =
    "(--base REF | --old PATH --new PATH) [--catalog PATH] [--format text|json|markdown]";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

/// Where the old catalog comes from.
#[derive(Debug, Clone)]
pub enum Base {
    /// The catalog at the same path, at a git revision.
    Git(String),
    /// Another catalog file or folder.
    Path(PathBuf),
}

pub fn command(paths: &Paths, args: &[String]) -> Result<ExitCode, String> {
    let usage = format!("usage: {} diff {USAGE}", crate::program(paths));
    let (mut base, mut new, mut format, mut timings) = (None, None, Format::Text, false);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| usage.clone());
        match flag.as_str() {
            "--base" => base = Some(Base::Git(value()?)),
            "--old" => base = Some(Base::Path(value()?.into())),
            "--new" => new = Some(PathBuf::from(value()?)),
            "--timings" => timings = true,
            "--format" => {
                format = match value()?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    "markdown" | "md" => Format::Markdown,
                    other => return Err(format!("unknown format `{other}`; {usage}")),
                }
            }
            other => return Err(format!("unexpected argument `{other}`; {usage}")),
        }
    }
    let base = base.ok_or_else(|| usage.clone())?;
    if matches!(base, Base::Path(_)) != new.is_some() {
        return Err(format!("`--old` and `--new` go together; {usage}"));
    }
    let new = new.unwrap_or_else(|| paths.catalog.clone());
    let start = Instant::now();
    let (old, new) = load_both(&base, &new, &paths.root)?;
    let loaded = start.elapsed();
    let report = report(old.as_ref(), &new);
    let compared = start.elapsed();
    crate::out(&render(&report, format));
    if timings {
        crate::errln!(
            "timings (wall): read and validate both {:.1} ms, compare {:.1} ms, print {:.1} ms",
            loaded.as_secs_f64() * 1e3,
            (compared - loaded).as_secs_f64() * 1e3,
            (start.elapsed() - compared).as_secs_f64() * 1e3
        );
    }
    if report.verdict.ok {
        Ok(ExitCode::SUCCESS)
    } else {
        if format != Format::Text {
            crate::errln!("error: {}", report.verdict.message);
        }
        Ok(ExitCode::from(1))
    }
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => report.text(),
        Format::Json => report.json(),
        Format::Markdown => report.markdown(),
    }
}

/// Loads both catalogs and compares them; a catalog with problems is an `Err` with its
/// diagnostics.
#[cfg(test)]
pub fn compare(base: &Base, new: &Path) -> Result<Report, String> {
    let (old, new) = load_both(base, new, &crate::project_root())?;
    Ok(report(old.as_ref(), &new))
}

/// The changes from `old` to `new`; with no old catalog (a revision before the catalog was
/// added), every code is added and any version is fine.
fn report(old: Option<&Catalog>, new: &Catalog) -> Report {
    match old {
        Some(old) => diff::compare(old, new),
        None => diff::introduced(new),
    }
}

/// Reads and validates both catalogs, the old one on a thread of its own; file names are shown
/// relative to `root`. The old one is `None` when the git revision has no catalog there yet.
fn load_both(base: &Base, new: &Path, root: &Path) -> Result<(Option<Catalog>, Catalog), String> {
    let old = || -> Result<Option<Catalog>, String> {
        let sources = match base {
            Base::Git(rev) => git_sources(new, rev)?,
            Base::Path(p) => crate::load_sources(p, root)?,
        };
        if sources.is_empty() {
            return Ok(None);
        }
        let old = codegen::load(&sources);
        old.map(Some)
            .map_err(|f| format!("the old catalog is invalid:\n{}", read_failure(&f)))
    };
    let (old, new) = std::thread::scope(|s| {
        let old = s.spawn(old);
        let new = crate::load_sources(new, root).and_then(|sources| {
            codegen::load(&sources)
                .map_err(|f| format!("the new catalog is invalid:\n{}", read_failure(&f)))
        });
        (
            old.join()
                .unwrap_or_else(|_| Err("reading the old catalog panicked".into())),
            new,
        )
    });
    Ok((old?, new?))
}

/// A catalog's diagnostics for a command that only reads it.
pub fn read_failure(f: &codegen::Failure) -> String {
    f.diagnostics.render_read(&f.sources)
}

/// The catalog at `path` (a file or a folder in a git work tree) as it was at `rev`, read from
/// git's object store: the same files `source::read_catalog` would read, named `rev:path`;
/// none when the catalog did not exist at `rev`.
pub fn git_sources(path: &Path, rev: &str) -> Result<Vec<Source>, String> {
    let (dir, file) = if path.is_file() {
        (
            path.parent().unwrap_or(Path::new(".")).to_path_buf(),
            path.file_name().map(|f| f.to_string_lossy().into_owned()),
        )
    } else {
        (path.to_path_buf(), None)
    };
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let prefix = git(&dir, &["rev-parse", "--show-prefix"])?;
    let rel = format!("{}{}", prefix.trim(), file.unwrap_or_default());
    let rel = rel.trim_end_matches('/').to_string();
    let commit = git(
        &dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| format!("`{rev}` is not a git revision here"))?;
    let commit = commit.trim();
    let top = git(&dir, &["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(top.trim());
    let spec = if rel.is_empty() {
        ".".to_string()
    } else {
        rel.clone()
    };
    let listed = git(
        &top,
        &["ls-tree", "-r", "-z", "--name-only", commit, "--", &spec],
    )?;
    let shown = if rel.is_empty() { "." } else { rel.as_str() };
    let mut sources = Vec::new();
    for file in listed.split('\0').filter(|f| !f.is_empty()) {
        let below = file
            .strip_prefix(rel.as_str())
            .unwrap_or(file)
            .trim_start_matches('/');
        let hidden = below.split('/').any(|part| part.starts_with('.'));
        let is_yaml = file.ends_with(".yaml") || file.ends_with(".yml");
        if hidden || !(is_yaml || file == rel) {
            continue;
        }
        let text = git(&top, &["show", &format!("{commit}:{file}")])?;
        let name = if below.is_empty() {
            format!("{rev}:{shown}")
        } else {
            format!("{rev}:{shown}/{below}")
        };
        sources.push(Source::new(name, text));
    }
    sources.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(sources)
}

/// Runs git in `dir` and returns its standard output.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("`git {}` printed non-UTF-8", args.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(name: &str, file: &str) -> String {
        let path = crate::project_root()
            .join("codegen/tests/data/diff")
            .join(name)
            .join(file);
        std::fs::read_to_string(path).unwrap()
    }

    /// A temporary repository with two commits of a catalog folder: `--base HEAD~1` reads the
    /// first from git while the work tree holds the second (and an uncommitted third file that
    /// must count too).
    #[test]
    fn base_ref_reads_the_catalog_from_git() {
        let repo = crate::project_root()
            .join("target/tmp")
            .join(format!("diff-git-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&repo);
        let catalog = repo.join("api/catalog");
        std::fs::create_dir_all(&catalog).unwrap();
        let run = |args: &[&str]| {
            let mut all = vec![
                "-c",
                "user.name=test",
                "-c",
                "user.email=test@example.com",
                "-c",
                "commit.gpgsign=false",
            ];
            all.extend_from_slice(args);
            git(&repo, &all).unwrap();
        };
        run(&["init", "-q"]);
        std::fs::write(catalog.join("acme.yaml"), case("code_retired", "old.yaml")).unwrap();
        std::fs::write(catalog.join(".hidden.yaml"), "not: [yaml").unwrap();
        run(&["add", "-A"]);
        run(&["commit", "-q", "-m", "first"]);
        std::fs::write(catalog.join("acme.yaml"), case("code_retired", "new.yaml")).unwrap();
        run(&["commit", "-q", "-am", "second"]);

        let report = compare(&Base::Git("HEAD~1".into()), &catalog).unwrap();
        let expected = case("code_retired", "expected.txt");
        assert_eq!(report.text(), expected);
        assert!(report.verdict.ok);
        // The same from the catalog file itself, and from the repository root.
        let report = compare(&Base::Git("HEAD~1".into()), &catalog.join("acme.yaml")).unwrap();
        assert_eq!(report.text(), expected);
        // HEAD against the work tree: nothing changed.
        let same = compare(&Base::Git("HEAD".into()), &catalog).unwrap();
        assert!(same.changes.is_empty(), "{}", same.text());
        // An unknown revision is a clear error.
        let err = compare(&Base::Git("no-such-rev".into()), &catalog).unwrap_err();
        assert!(err.contains("not a git revision"), "{err}");
        // A catalog that did not exist at the base (the pull request that adds it): every code
        // is added, and its first version is fine.
        std::fs::create_dir_all(repo.join("later")).unwrap();
        let added = case("code_retired", "new.yaml");
        std::fs::write(repo.join("later/x.yaml"), &added).unwrap();
        let report = compare(&Base::Git("HEAD".into()), &repo.join("later")).unwrap();
        let catalog = codegen::load(&[Source::new("x.yaml", added)]).unwrap();
        assert_eq!(report.changes.len(), catalog.errors.len());
        assert!(report.changes.iter().all(|c| c.rule == "code_added"));
        assert!(report.verdict.ok, "{}", report.text());
        let _ = std::fs::remove_dir_all(&repo);
    }

    #[test]
    fn old_and_new_paths_compare_two_folders_or_files() {
        let dir =
            crate::project_root().join("codegen/tests/data/diff/semver_breaking_without_major");
        let report = compare(&Base::Path(dir.join("old.yaml")), &dir.join("new.yaml")).unwrap();
        assert!(!report.verdict.ok);
        assert_eq!(report.verdict.required.as_deref(), Some("2.0.0"));
    }
}
