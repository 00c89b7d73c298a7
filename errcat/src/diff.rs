//! `diff` (`cargo xtask diff`, or an adopting repository's own command): what a catalog change
//! does to its users. Compares the catalog at a git revision (`--base REF`, read with
//! `git ls-tree` and `git show`, no checkout) or another folder (`--old PATH --new PATH`) with
//! the working tree, prints `codegen::diff`'s report, and exits 1 when the version bump is too
//! small for the changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use codegen::diagnostic::escape;
use codegen::diff::{self, Report};
use codegen::source;
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
    // Every entry below the catalog, folders too (a link may lead through one).
    let listed = git(&top, &["ls-tree", "-r", "-t", "-z", commit, "--", &spec])?;
    let mut tree = Tree {
        top: &top,
        commit,
        rev,
        known: HashMap::new(),
    };
    let mut files = Vec::new();
    for record in listed.split('\0').filter(|r| !r.is_empty()) {
        let Some(entry) = Entry::parse(record) else {
            continue;
        };
        if entry.mode != TREE {
            files.push(entry.path.clone());
        }
        tree.known.insert(entry.path.clone(), entry);
    }
    let shown = if rel.is_empty() { "." } else { rel.as_str() };
    // Links from a folder are followed only to files inside it, as the work-tree reader does;
    // a catalog named as one file may be a link to anywhere in the tree.
    let root = if files.contains(&rel) {
        ""
    } else {
        rel.as_str()
    };
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        let below = file
            .strip_prefix(rel.as_str())
            .unwrap_or(&file)
            .trim_start_matches('/')
            .to_string();
        let hidden = below.split('/').any(source::is_hidden);
        let name_ok = below
            .rsplit('/')
            .next()
            .is_some_and(source::is_catalog_file);
        if hidden || !(name_ok || file == rel) {
            continue;
        }
        let name = if below.is_empty() {
            format!("{rev}:{shown}")
        } else {
            format!("{rev}:{shown}/{below}")
        };
        match tree.read(&file, root) {
            Ok(text) => sources.push(Source::new(name, text)),
            Err(problem) => problems.push(format!("{}: {}", escape(&name), escape(&problem))),
        }
    }
    if !problems.is_empty() {
        problems.sort();
        return Err(problems.join("\nerror: "));
    }
    sources.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(sources)
}

/// Git's mode of a folder, a symbolic link and the regular files.
const TREE: &str = "040000";
const LINK: &str = "120000";
const FILES: [&str; 2] = ["100644", "100755"];

/// One entry of `git ls-tree`: its mode, object and path from the top of the tree.
#[derive(Debug, Clone)]
struct Entry {
    mode: String,
    oid: String,
    path: String,
}

impl Entry {
    /// `<mode> <type> <object>\t<path>`.
    fn parse(record: &str) -> Option<Entry> {
        let (meta, path) = record.split_once('\t')?;
        let mut meta = meta.split(' ');
        let (mode, _, oid) = (meta.next()?, meta.next()?, meta.next()?);
        Some(Entry {
            mode: mode.to_string(),
            oid: oid.to_string(),
            path: path.to_string(),
        })
    }
}

/// The tree at a commit, read as `source::read_catalog` reads a folder: symbolic links (blobs
/// of mode 120000) are resolved inside the tree, component by component as the file system
/// would, and followed only to regular files inside the catalog folder.
struct Tree<'a> {
    top: &'a Path,
    commit: &'a str,
    rev: &'a str,
    known: HashMap<String, Entry>,
}

impl Tree<'_> {
    /// The entry at `path`, if the tree has one (the top is a folder).
    fn entry(&mut self, path: &str) -> Result<Option<Entry>, String> {
        if path.is_empty() {
            return Ok(Some(Entry {
                mode: TREE.into(),
                oid: String::new(),
                path: String::new(),
            }));
        }
        if let Some(e) = self.known.get(path) {
            return Ok(Some(e.clone()));
        }
        let listed = git(self.top, &["ls-tree", "-z", self.commit, "--", path])?;
        let found = listed
            .split('\0')
            .filter_map(Entry::parse)
            .find(|e| e.path == path);
        if let Some(e) = &found {
            self.known.insert(path.to_string(), e.clone());
        }
        Ok(found)
    }

    fn blob(&self, oid: &str) -> Result<String, String> {
        git(self.top, &["cat-file", "blob", oid])
    }

    /// The text of the catalog file at `path`, following links to files inside `root`.
    fn read(&mut self, path: &str, root: &str) -> Result<String, String> {
        let entry = self
            .entry(path)?
            .ok_or_else(|| format!("no such file at {}", self.rev))?;
        let entry = if entry.mode == LINK {
            let target = self.blob(&entry.oid)?;
            let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
            let resolved = self.resolve(dir, &target)?;
            let inside =
                root.is_empty() || resolved == root || resolved.starts_with(&format!("{root}/"));
            if !inside {
                return Err(format!(
                    "a symbolic link to {resolved}, outside the catalog folder; links are followed only to files inside it"
                ));
            }
            match self.entry(&resolved)? {
                Some(e) if e.mode == TREE => {
                    return Err(
                        "a symbolic link to a folder; links to folders are not followed".into(),
                    );
                }
                Some(e) if FILES.contains(&e.mode.as_str()) => e,
                _ => {
                    return Err(format!(
                        "a symbolic link to {resolved}, which is not a regular file at {}",
                        self.rev
                    ));
                }
            }
        } else if FILES.contains(&entry.mode.as_str()) {
            entry
        } else {
            return Err(format!(
                "not a regular file at {} (git mode {}); only regular files are read",
                self.rev, entry.mode
            ));
        };
        let text = self.blob(&entry.oid)?;
        if text.starts_with("version https://git-lfs.github.com/spec/") {
            return Err(format!(
                "a Git LFS pointer at {}, not the file: `diff --base` reads catalog files from git's objects, so keep them out of Git LFS",
                self.rev
            ));
        }
        Ok(text)
    }

    /// Where a link in folder `dir` to `target` leads, as `realpath` resolves it: every link on
    /// the way followed (at most 40), `..` taken after it.
    fn resolve(&mut self, dir: &str, target: &str) -> Result<String, String> {
        let unresolved = |why: String| format!("a symbolic link that cannot be resolved ({why})");
        let mut parts: Vec<String> = dir
            .split('/')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        let mut rest: std::collections::VecDeque<String> =
            target.split('/').map(str::to_string).collect();
        if target.starts_with('/') {
            return Err(format!(
                "a symbolic link to {target}, outside the catalog folder; links are followed only to files inside it"
            ));
        }
        let mut links = 0;
        while let Some(step) = rest.pop_front() {
            match step.as_str() {
                "" | "." => continue,
                ".." => {
                    if parts.pop().is_none() {
                        return Err(format!(
                            "a symbolic link to {target}, outside the repository; links are followed only to files inside the catalog folder"
                        ));
                    }
                    continue;
                }
                _ => {}
            }
            parts.push(step);
            let at = parts.join("/");
            match self.entry(&at)? {
                None => return Err(unresolved(format!("no {at} at {}", self.rev))),
                Some(e) if e.mode == LINK => {
                    links += 1;
                    if links > 40 {
                        return Err(unresolved("too many levels of symbolic links".into()));
                    }
                    let next = self.blob(&e.oid)?;
                    if next.starts_with('/') {
                        return Err(format!(
                            "a symbolic link to {next}, outside the catalog folder; links are followed only to files inside it"
                        ));
                    }
                    parts.pop();
                    for s in next.split('/').rev() {
                        rest.push_front(s.to_string());
                    }
                }
                Some(e) if e.mode != TREE && rest.iter().any(|s| !s.is_empty()) => {
                    return Err(unresolved(format!("{at} is not a folder")));
                }
                Some(_) => {}
            }
        }
        Ok(parts.join("/"))
    }
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
        #[cfg(unix)]
        {
            // The files `gen` reads, and only those: `*.YAML` in any case, and a link to a file
            // inside the folder (here a hidden one) read as its target, at the revision.
            let extra = "errors:\n  - code: gone_for_good\n    status: 410\n    category: resource\n    description: It is gone.\n    message: Gone\n    examples:\n      - body: { error: gone_for_good, message: Gone, code: 410 }\n";
            std::fs::create_dir_all(catalog.join(".src")).unwrap();
            std::fs::write(catalog.join(".src/gone.yaml"), extra).unwrap();
            std::os::unix::fs::symlink(".src/gone.yaml", catalog.join("Gone.YML")).unwrap();
            std::fs::write(catalog.join("Notes.TXT"), "not: [yaml").unwrap();
            run(&["add", "-A"]);
            run(&["commit", "-q", "-m", "third"]);
            let same = compare(&Base::Git("HEAD".into()), &catalog).unwrap();
            assert!(same.changes.is_empty(), "{}", same.text());
            std::fs::remove_file(catalog.join("Gone.YML")).unwrap();
            let removed = compare(&Base::Git("HEAD".into()), &catalog).unwrap();
            let rules: Vec<&str> = removed.changes.iter().map(|c| c.rule).collect();
            assert_eq!(rules, ["code_removed"], "{}", removed.text());
            // A link out of the folder, or to a folder, is refused as the work-tree reader does.
            std::os::unix::fs::symlink("../outside.yaml", catalog.join("out.yaml")).unwrap();
            std::fs::write(repo.join("api/outside.yaml"), extra).unwrap();
            std::os::unix::fs::symlink(".src", catalog.join("dir.yaml")).unwrap();
            run(&["add", "-A"]);
            run(&["commit", "-q", "-m", "fourth"]);
            let err = compare(&Base::Git("HEAD".into()), &catalog).unwrap_err();
            assert!(
                err.contains("HEAD:api/catalog/out.yaml: a symbolic link to api/outside.yaml, outside the catalog folder"),
                "{err}"
            );
            assert!(
                err.contains("HEAD:api/catalog/dir.yaml: a symbolic link to a folder"),
                "{err}"
            );
            let worktree = crate::load_sources(&catalog, &repo).unwrap_err();
            assert!(
                worktree.contains("outside the catalog folder"),
                "{worktree}"
            );
            // A Git LFS pointer is named, not parsed as a catalog.
            for link in ["out.yaml", "dir.yaml"] {
                std::fs::remove_file(catalog.join(link)).unwrap();
            }
            std::fs::write(
                catalog.join("lfs.yaml"),
                "version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 1\n",
            )
            .unwrap();
            run(&["add", "-A"]);
            run(&["commit", "-q", "-m", "fifth"]);
            let err = compare(&Base::Git("HEAD".into()), &catalog).unwrap_err();
            assert!(err.contains("a Git LFS pointer"), "{err}");
            std::fs::remove_file(catalog.join("lfs.yaml")).unwrap();
        }
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
