//! `cargo xtask gen [--check]`: compares the artifacts with the output folder, then either
//! writes what changed (all or nothing) or reports the drift.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::{Artifact, Options};

use crate::Paths;

/// Folders inside the output that hold build products, not generated sources; never compared
/// or removed.
pub const IGNORED_DIRS: &[&str] = &["node_modules", "dist", "target", "book", ".git"];

/// Lines of diff shown per stale file by `--check`.
const DIFF_LINES: usize = 40;

/// One difference between the artifacts and the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Missing(String),
    Stale { path: String, old: String },
    Extra(String),
}

impl Change {
    pub fn path(&self) -> &str {
        match self {
            Change::Missing(p) | Change::Extra(p) | Change::Stale { path: p, .. } => p,
        }
    }
}

pub fn gen_command(paths: &Paths, check: bool) -> Result<ExitCode, String> {
    guard_overlap(&paths.catalog, &paths.out)?;
    let sources = crate::load_sources(&paths.catalog)?;
    let options = Options {
        command: paths.command.clone(),
    };
    let artifacts = match codegen::generate(&sources, &options) {
        Ok(a) => a,
        Err(failure) => {
            eprint!("{failure}");
            return Ok(ExitCode::from(2));
        }
    };
    let out_name = crate::display_path(&paths.out);
    let changes = plan(&paths.out, &artifacts).map_err(|e| format!("{out_name}: {e}"))?;
    if check {
        if changes.is_empty() {
            println!("{out_name}/ is up to date ({} files)", artifacts.len());
            return Ok(ExitCode::SUCCESS);
        }
        print!("{}", report(&out_name, &changes, &artifacts));
        println!("run `{}` to update", paths.command);
        return Ok(ExitCode::from(1));
    }
    guard_foreign_folder(&paths.out, &changes, &artifacts)
        .map_err(|e| format!("{out_name}: {e}"))?;
    apply(&paths.out, &artifacts, &changes)
        .map_err(|e| format!("{out_name}: {e}; nothing was changed"))?;
    for c in &changes {
        let verb = match c {
            Change::Missing(_) => "created",
            Change::Stale { .. } => "updated",
            Change::Extra(_) => "removed",
        };
        println!("{verb:>8} {out_name}/{}", c.path());
    }
    println!(
        "{out_name}/: {} changed, {} unchanged",
        changes.len(),
        artifacts.len()
            - changes
                .iter()
                .filter(|c| !matches!(c, Change::Extra(_)))
                .count()
    );
    Ok(ExitCode::SUCCESS)
}

/// The catalog and the output folder must not contain each other: `gen` would remove the
/// catalog as an extra file, or read its own YAML output back as catalog sources.
fn guard_overlap(catalog: &Path, out: &Path) -> Result<(), String> {
    let canonical = |p: &Path| {
        std::fs::canonicalize(p)
            .unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
    };
    let (catalog, out) = (canonical(catalog), canonical(out));
    if catalog.starts_with(&out) || out.starts_with(&catalog) {
        return Err(format!(
            "the catalog ({}) and the output folder ({}) overlap; choose an output folder outside the catalog, and vice versa",
            catalog.display(),
            out.display()
        ));
    }
    Ok(())
}

/// What differs, sorted by path. Reads the folder; writes nothing.
pub fn plan(out: &Path, artifacts: &[Artifact]) -> io::Result<Vec<Change>> {
    let existing = existing_files(out)?;
    let wanted: BTreeMap<&str, &Artifact> =
        artifacts.iter().map(|a| (a.path.as_str(), a)).collect();
    let mut changes = Vec::new();
    for (path, artifact) in &wanted {
        match std::fs::read(out.join(path)) {
            Ok(bytes) if bytes == artifact.contents.as_bytes() => {}
            Ok(bytes) => changes.push(Change::Stale {
                path: path.to_string(),
                old: String::from_utf8_lossy(&bytes).into_owned(),
            }),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                changes.push(Change::Missing(path.to_string()))
            }
            Err(e) => return Err(io::Error::new(e.kind(), format!("{path}: {e}"))),
        }
    }
    for path in existing {
        if !wanted.contains_key(path.as_str()) {
            changes.push(Change::Extra(path));
        }
    }
    changes.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(changes)
}

/// Every file below `out` (relative, `/`-separated), skipping `IGNORED_DIRS`.
fn existing_files(out: &Path) -> io::Result<Vec<String>> {
    let mut files = Vec::new();
    if !out.exists() {
        return Ok(files);
    }
    let mut stack = vec![(out.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            let kind = entry.file_type()?;
            if kind.is_dir() {
                if !IGNORED_DIRS.contains(&name.as_str()) {
                    stack.push((entry.path(), rel));
                }
            } else if !name.ends_with(TMP_SUFFIX) {
                files.push(rel);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Refuses to delete files from a folder this tool did not write: `--out` pointed at the wrong
/// place must lose nothing.
fn guard_foreign_folder(out: &Path, changes: &[Change], artifacts: &[Artifact]) -> io::Result<()> {
    let removes = changes.iter().any(|c| matches!(c, Change::Extra(_)));
    if !removes {
        return Ok(());
    }
    let marker = artifacts
        .iter()
        .find(|a| a.path == "catalog.json")
        .map(|_| out.join("catalog.json"));
    let ours = marker
        .and_then(|m| std::fs::read_to_string(m).ok())
        .is_some_and(|text| text.contains("\"$comment\": \"@generated by"));
    if ours {
        Ok(())
    } else {
        Err(io::Error::other(
            "the folder has files this generator did not write (no generated catalog.json); refusing to remove them. Use an empty folder for --out",
        ))
    }
}

const TMP_SUFFIX: &str = ".xtask-tmp";

/// Writes every changed file, then removes extras. New contents go to temporary files first;
/// if any of those writes fails, they are deleted and the folder is left as it was.
pub fn apply(out: &Path, artifacts: &[Artifact], changes: &[Change]) -> io::Result<()> {
    let contents: BTreeMap<&str, &str> = artifacts
        .iter()
        .map(|a| (a.path.as_str(), a.contents.as_str()))
        .collect();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let stage =
        |staged: &mut Vec<(PathBuf, PathBuf)>, created_dirs: &mut Vec<PathBuf>| -> io::Result<()> {
            for change in changes {
                let (Change::Missing(path) | Change::Stale { path, .. }) = change else {
                    continue;
                };
                let target = out.join(path);
                if let Some(parent) = target.parent()
                    && !parent.exists()
                {
                    let mut first_new = parent.to_path_buf();
                    while first_new.parent().is_some_and(|p| !p.exists()) {
                        first_new = first_new.parent().unwrap().to_path_buf();
                    }
                    std::fs::create_dir_all(parent)?;
                    created_dirs.push(first_new);
                }
                let tmp = tmp_path(&target);
                std::fs::write(&tmp, contents[path.as_str()])?;
                staged.push((tmp, target));
            }
            Ok(())
        };
    if let Err(e) = stage(&mut staged, &mut created_dirs) {
        for (tmp, _) in &staged {
            let _ = std::fs::remove_file(tmp);
        }
        for dir in &created_dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
        return Err(e);
    }
    for (tmp, target) in &staged {
        std::fs::rename(tmp, target)?;
    }
    for change in changes {
        if let Change::Extra(path) = change {
            std::fs::remove_file(out.join(path))?;
            // Prune folders the removal emptied, up to the output root.
            let mut dir = out.join(path).parent().map(Path::to_path_buf);
            while let Some(d) = dir {
                if d == out || std::fs::remove_dir(&d).is_err() {
                    break;
                }
                dir = d.parent().map(Path::to_path_buf);
            }
        }
    }
    Ok(())
}

fn tmp_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(TMP_SUFFIX);
    target.with_file_name(name)
}

/// The `--check` report: every change, with a short diff for stale files.
pub fn report(out_name: &str, changes: &[Change], artifacts: &[Artifact]) -> String {
    let mut s = format!(
        "{out_name}/ is out of date: {} file(s) differ from the catalog\n",
        changes.len()
    );
    for c in changes {
        match c {
            Change::Missing(p) => s.push_str(&format!("  missing: {out_name}/{p}\n")),
            Change::Extra(p) => s.push_str(&format!(
                "  extra:   {out_name}/{p} (no longer generated)\n"
            )),
            Change::Stale { path, old } => {
                s.push_str(&format!("  stale:   {out_name}/{path}\n"));
                let new = artifacts
                    .iter()
                    .find(|a| &a.path == path)
                    .map_or("", |a| a.contents.as_str());
                let diff = similar::TextDiff::from_lines(old.as_str(), new)
                    .unified_diff()
                    .context_radius(2)
                    .header(
                        &format!("{out_name}/{path} (on disk)"),
                        &format!("{out_name}/{path} (generated)"),
                    )
                    .to_string();
                let lines: Vec<&str> = diff.lines().collect();
                for line in lines.iter().take(DIFF_LINES) {
                    s.push_str(&format!("    {line}\n"));
                }
                if lines.len() > DIFF_LINES {
                    s.push_str(&format!(
                        "    ... {} more diff lines\n",
                        lines.len() - DIFF_LINES
                    ));
                }
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmpdir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-sync-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn marker() -> Artifact {
        Artifact::new(
            "catalog.json",
            "{\n  \"$comment\": \"@generated by test\"\n}\n",
        )
    }

    #[test]
    fn writes_only_changes_and_removes_extras() {
        let dir = tmpdir("changes");
        let first = vec![
            marker(),
            Artifact::new("a/x.txt", "x"),
            Artifact::new("b/y.txt", "y"),
        ];
        apply(&dir, &first, &plan(&dir, &first).unwrap()).unwrap();
        assert!(plan(&dir, &first).unwrap().is_empty());

        std::fs::create_dir_all(dir.join("a/node_modules")).unwrap();
        std::fs::write(dir.join("a/node_modules/keep.js"), "kept").unwrap();
        let second = vec![marker(), Artifact::new("a/x.txt", "x2")];
        let changes = plan(&dir, &second).unwrap();
        assert_eq!(
            changes,
            vec![
                Change::Stale {
                    path: "a/x.txt".into(),
                    old: "x".into()
                },
                Change::Extra("b/y.txt".into())
            ]
        );
        let report = report("out", &changes, &second);
        assert!(report.contains("stale:   out/a/x.txt"), "{report}");
        assert!(
            report.contains("-x\n") && report.contains("+x2"),
            "{report}"
        );
        assert!(report.contains("extra:   out/b/y.txt"), "{report}");
        guard_foreign_folder(&dir, &changes, &second).unwrap();
        apply(&dir, &second, &changes).unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("a/x.txt")).unwrap(), "x2");
        assert!(!dir.join("b").exists(), "emptied folder pruned");
        assert!(
            dir.join("a/node_modules/keep.js").exists(),
            "ignored folders untouched"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unchanged_files_keep_their_modification_time() {
        let dir = tmpdir("mtime");
        let arts = vec![marker(), Artifact::new("x.txt", "same")];
        apply(&dir, &arts, &plan(&dir, &arts).unwrap()).unwrap();
        let before = std::fs::metadata(dir.join("x.txt"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let changes = plan(&dir, &arts).unwrap();
        apply(&dir, &arts, &changes).unwrap();
        assert!(changes.is_empty());
        assert_eq!(
            std::fs::metadata(dir.join("x.txt"))
                .unwrap()
                .modified()
                .unwrap(),
            before
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn huechat_artifacts() -> Vec<Artifact> {
        let sources = crate::load_sources(&crate::project_root().join("catalog")).unwrap();
        codegen::generate(&sources, &Options::default()).unwrap()
    }

    /// The checked-in `generated/` is what the catalog produces: `cargo xtask gen --check` as a test.
    #[test]
    fn generated_folder_matches_the_catalog() {
        let changes = plan(
            &crate::project_root().join("generated"),
            &huechat_artifacts(),
        )
        .unwrap();
        assert!(
            changes.is_empty(),
            "{}run `cargo xtask gen`",
            report("generated", &changes, &huechat_artifacts())
        );
    }

    /// A second `gen` over an unchanged catalog rewrites nothing: every file keeps its
    /// modification time, so nothing downstream (cargo, tsc, mdBook) rebuilds.
    #[test]
    fn a_no_op_gen_keeps_every_modification_time() {
        let dir = tmpdir("noop");
        let arts = huechat_artifacts();
        apply(&dir, &arts, &plan(&dir, &arts).unwrap()).unwrap();
        let mtimes = |dir: &Path| -> Vec<(String, std::time::SystemTime)> {
            existing_files(dir)
                .unwrap()
                .into_iter()
                .map(|p| {
                    let m = std::fs::metadata(dir.join(&p)).unwrap().modified().unwrap();
                    (p, m)
                })
                .collect()
        };
        let before = mtimes(&dir);
        assert_eq!(before.len(), arts.len());
        std::thread::sleep(std::time::Duration::from_millis(20));
        let again = huechat_artifacts();
        let changes = plan(&dir, &again).unwrap();
        assert!(changes.is_empty(), "{changes:?}");
        apply(&dir, &again, &changes).unwrap();
        assert_eq!(mtimes(&dir), before);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn refuses_overlapping_catalog_and_output() {
        let dir = tmpdir("overlap");
        std::fs::create_dir_all(dir.join("out/team")).unwrap();
        assert!(guard_overlap(&dir.join("out/team/errors.yaml"), &dir.join("out")).is_err());
        assert!(guard_overlap(&dir.join("out"), &dir.join("out/generated")).is_err());
        assert!(guard_overlap(&dir.join("catalog"), &dir.join("out")).is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn refuses_to_clear_a_foreign_folder() {
        let dir = tmpdir("foreign");
        std::fs::write(dir.join("precious.txt"), "mine").unwrap();
        let arts = vec![marker()];
        let changes = plan(&dir, &arts).unwrap();
        assert!(guard_foreign_folder(&dir, &changes, &arts).is_err());
        assert_eq!(
            std::fs::read_to_string(dir.join("precious.txt")).unwrap(),
            "mine"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_folder_as_it_was() {
        let dir = tmpdir("atomic");
        let first = vec![marker(), Artifact::new("a.txt", "old")];
        apply(&dir, &first, &plan(&dir, &first).unwrap()).unwrap();
        // `b` exists as a file, so writing `b/c.txt` must fail after `a.txt` was staged.
        std::fs::write(dir.join("b"), "a file in the way").unwrap();
        let second = vec![
            marker(),
            Artifact::new("a.txt", "new"),
            Artifact::new("b/c.txt", "c"),
        ];
        let changes: Vec<Change> = plan(&dir, &second)
            .unwrap()
            .into_iter()
            .filter(|c| !matches!(c, Change::Extra(_)))
            .collect();
        assert!(apply(&dir, &second, &changes).is_err());
        assert_eq!(std::fs::read_to_string(dir.join("a.txt")).unwrap(), "old");
        assert!(!dir.join("a.txt.xtask-tmp").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
