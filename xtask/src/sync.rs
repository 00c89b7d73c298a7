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

pub fn gen_command(paths: &Paths, check: bool, timings: bool) -> Result<ExitCode, String> {
    let start = std::time::Instant::now();
    guard_overlap(&paths.catalog, &paths.out)?;
    let sources = crate::load_sources(&paths.catalog)?;
    let read = start.elapsed();
    let options = Options {
        command: paths.header_command.clone(),
    };
    let out_name = crate::display_path(&paths.out);
    // Each file is compared with the folder, and staged when it changed, as soon as it is
    // generated, so the generator never holds every output at once.
    let staging = Staging::new(&paths.out, !check);
    let style = crate::stderr_style();
    let took = match codegen::generate_each(&sources, &options, &|a| staging.offer(a)) {
        Ok(took) => took,
        Err(failure) => {
            eprint!(
                "{}",
                failure.diagnostics.render_styled(&failure.sources, &style)
            );
            return Ok(ExitCode::from(2));
        }
    };
    if !took.warnings.is_empty() {
        eprint!(
            "{}",
            took.warnings
                .render_styled(&codegen::sorted(&sources), &style)
        );
    }
    let staged = staging
        .finish()
        .map_err(|e| format!("{out_name}: {e}; nothing was changed"))?;
    if timings {
        let ms = |d: std::time::Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
        eprintln!("timings (wall):");
        eprintln!("  {:<24}{}", "read the catalog", ms(read));
        eprintln!("  {:<24}{}", "parse and validate", ms(took.load));
        for (name, d) in &took.emitters {
            let name = name.split([':', ',']).next().unwrap_or(name);
            eprintln!("  {:<24}{}", format!("emit {name}"), ms(*d));
        }
        eprintln!("  {:<24}{}", "total so far", ms(start.elapsed()));
    }
    let changes = &staged.changes;
    if check {
        if changes.is_empty() {
            println!("{out_name}/ is up to date ({} files)", staged.files);
            return Ok(ExitCode::SUCCESS);
        }
        print!("{}", staged.report(&out_name));
        println!("run `{}` to update", paths.command);
        return Ok(ExitCode::from(1));
    }
    let (files, changes) = (staged.files, staged.changes.clone());
    staged
        .commit()
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
        files
            - changes
                .iter()
                .filter(|c| !matches!(c, Change::Extra(_)))
                .count()
    );
    Ok(ExitCode::SUCCESS)
}

/// Generated files offered one at a time (from any thread): each is compared with the file on
/// disk and, when writing, a changed one is written to a temporary file beside its target.
/// Nothing in the folder changes until [`Staged::commit`].
pub struct Staging<'a> {
    out: &'a Path,
    write: bool,
    state: std::sync::Mutex<Staged>,
}

/// Every generated file compared with the folder: what differs, and (when writing) the
/// temporary files that hold the new contents. Dropping it without `commit` deletes them.
#[derive(Debug, Default)]
pub struct Staged {
    out: PathBuf,
    /// Every change, sorted by path.
    pub changes: Vec<Change>,
    /// How many files were generated.
    pub files: usize,
    /// Whether `catalog.json` was generated (the mark of a folder this tool writes).
    marker: bool,
    /// The new contents of stale files, for the `--check` diff (not kept when writing).
    new_text: BTreeMap<String, String>,
    /// Temporary file and target, per changed file.
    staged: Vec<(PathBuf, PathBuf)>,
    /// Folders created for new files, removed again on failure.
    created_dirs: Vec<PathBuf>,
    /// Paths of generated files identical to the folder's.
    unchanged: Vec<String>,
    error: Option<io::Error>,
}

impl<'a> Staging<'a> {
    pub fn new(out: &'a Path, write: bool) -> Self {
        Self {
            out,
            write,
            state: std::sync::Mutex::new(Staged::new(out)),
        }
    }

    /// Compares one generated file with the folder and stages it if it changed. The first
    /// error is kept for `finish`; later files are then ignored.
    pub fn offer(&self, artifact: Artifact) {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if state.error.is_some() {
            return;
        }
        if let Err(e) = state.offer(self.out, self.write, artifact) {
            state.error = Some(e);
        }
    }

    /// Adds the files on disk that were not generated (extras), and returns the comparison.
    pub fn finish(self) -> io::Result<Staged> {
        let mut staged = self
            .state
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(e) = staged.error.take() {
            return Err(e);
        }
        let generated: std::collections::HashSet<String> = staged
            .changes
            .iter()
            .map(|c| c.path().to_string())
            .chain(staged.unchanged_paths())
            .collect();
        for path in existing_files(self.out)? {
            if !generated.contains(&path) {
                staged.changes.push(Change::Extra(path));
            }
        }
        staged.changes.sort_by(|a, b| a.path().cmp(b.path()));
        Ok(staged)
    }
}

impl Staged {
    fn new(out: &Path) -> Self {
        let mut staged = Self::default();
        staged.out = out.to_path_buf();
        staged
    }

    fn offer(&mut self, out: &Path, write: bool, artifact: Artifact) -> io::Result<()> {
        let Artifact { path, contents } = artifact;
        self.files += 1;
        self.marker |= path == "catalog.json";
        let target = out.join(&path);
        let change = match std::fs::read(&target) {
            Ok(bytes) if bytes == contents.as_bytes() => {
                self.unchanged.push(path);
                return Ok(());
            }
            Ok(bytes) => Change::Stale {
                path: path.clone(),
                old: if write {
                    String::new()
                } else {
                    String::from_utf8_lossy(&bytes).into_owned()
                },
            },
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                Change::Missing(path.clone())
            }
            Err(e) => return Err(io::Error::new(e.kind(), format!("{path}: {e}"))),
        };
        self.changes.push(change);
        if !write {
            self.new_text.insert(path, contents);
            return Ok(());
        }
        if let Some(parent) = target.parent()
            && !parent.exists()
        {
            let mut first_new = parent.to_path_buf();
            while let Some(p) = first_new.parent().filter(|p| !p.exists()) {
                first_new = p.to_path_buf();
            }
            std::fs::create_dir_all(parent)?;
            self.created_dirs.push(first_new);
        }
        let tmp = tmp_path(&target);
        std::fs::write(&tmp, contents)?;
        self.staged.push((tmp, target));
        Ok(())
    }

    fn unchanged_paths(&self) -> impl Iterator<Item = String> + '_ {
        self.unchanged.iter().cloned()
    }

    /// Moves every staged file into place, then removes the extras. Refuses (and changes
    /// nothing) when extras would be removed from a folder this tool did not write.
    pub fn commit(mut self) -> io::Result<()> {
        guard_foreign_folder(&self.out, &self.changes, self.marker)?;
        for (tmp, target) in std::mem::take(&mut self.staged) {
            std::fs::rename(tmp, target)?;
        }
        self.created_dirs.clear();
        for change in &self.changes {
            if let Change::Extra(path) = change {
                std::fs::remove_file(self.out.join(path))?;
                // Prune folders the removal emptied, up to the output root.
                let mut dir = self.out.join(path).parent().map(Path::to_path_buf);
                while let Some(d) = dir {
                    if d == self.out || std::fs::remove_dir(&d).is_err() {
                        break;
                    }
                    dir = d.parent().map(Path::to_path_buf);
                }
            }
        }
        Ok(())
    }

    /// The `--check` report: every change, with a short diff for stale files.
    pub fn report(&self, out_name: &str) -> String {
        report(out_name, &self.changes, &self.new_text)
    }
}

impl Drop for Staged {
    /// Deletes the temporary files and created folders of a comparison that was not committed.
    fn drop(&mut self) {
        for (tmp, _) in &self.staged {
            let _ = std::fs::remove_file(tmp);
        }
        for dir in &self.created_dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
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
/// place must lose nothing. `marker`: whether this run generates `catalog.json`.
fn guard_foreign_folder(out: &Path, changes: &[Change], marker: bool) -> io::Result<()> {
    let removes = changes.iter().any(|c| matches!(c, Change::Extra(_)));
    if !removes {
        return Ok(());
    }
    let ours = marker
        && std::fs::read_to_string(out.join("catalog.json"))
            .is_ok_and(|text| text.contains("\"$comment\": \"@generated by"));
    if ours {
        Ok(())
    } else {
        Err(io::Error::other(
            "the folder has files this generator did not write (no generated catalog.json); refusing to remove them. Use an empty folder for --out",
        ))
    }
}

const TMP_SUFFIX: &str = ".xtask-tmp";

fn tmp_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(TMP_SUFFIX);
    target.with_file_name(name)
}

/// The `--check` report: every change, with a short diff for stale files.
fn report(out_name: &str, changes: &[Change], new_text: &BTreeMap<String, String>) -> String {
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
                let new = new_text.get(path).map_or("", String::as_str);
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
        // Under target/ (ignored), one folder per test and process: never a shared system folder.
        let dir = crate::project_root()
            .join("target/xtask/test")
            .join(format!("sync-{name}-{}", std::process::id()));
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

    /// Offers the artifacts one by one, as `gen` does, and returns the comparison.
    fn stage(dir: &Path, artifacts: &[Artifact], write: bool) -> io::Result<Staged> {
        let staging = Staging::new(dir, write);
        for a in artifacts {
            staging.offer(a.clone());
        }
        staging.finish()
    }

    /// `gen`: writes what changed; returns the changes.
    fn sync(dir: &Path, artifacts: &[Artifact]) -> Vec<Change> {
        let staged = stage(dir, artifacts, true).unwrap();
        let changes = staged.changes.clone();
        staged.commit().unwrap();
        changes
    }

    /// `gen --check`: the changes; writes nothing.
    fn check(dir: &Path, artifacts: &[Artifact]) -> Staged {
        stage(dir, artifacts, false).unwrap()
    }

    #[test]
    fn writes_only_changes_and_removes_extras() {
        let dir = tmpdir("changes");
        let first = vec![
            marker(),
            Artifact::new("a/x.txt", "x"),
            Artifact::new("b/y.txt", "y"),
        ];
        assert_eq!(sync(&dir, &first).len(), 3);
        assert!(check(&dir, &first).changes.is_empty());

        std::fs::create_dir_all(dir.join("a/node_modules")).unwrap();
        std::fs::write(dir.join("a/node_modules/keep.js"), "kept").unwrap();
        let second = vec![marker(), Artifact::new("a/x.txt", "x2")];
        let checked = check(&dir, &second);
        assert_eq!(
            checked.changes,
            vec![
                Change::Stale {
                    path: "a/x.txt".into(),
                    old: "x".into()
                },
                Change::Extra("b/y.txt".into())
            ]
        );
        let report = checked.report("out");
        assert!(report.contains("stale:   out/a/x.txt"), "{report}");
        assert!(
            report.contains("-x\n") && report.contains("+x2"),
            "{report}"
        );
        assert!(report.contains("extra:   out/b/y.txt"), "{report}");
        drop(checked);
        assert_eq!(std::fs::read_to_string(dir.join("a/x.txt")).unwrap(), "x");
        sync(&dir, &second);
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
        sync(&dir, &arts);
        let before = std::fs::metadata(dir.join("x.txt"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(sync(&dir, &arts).is_empty());
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
        let checked = check(
            &crate::project_root().join("generated"),
            &huechat_artifacts(),
        );
        assert!(
            checked.changes.is_empty(),
            "{}run `cargo xtask gen`",
            checked.report("generated")
        );
    }

    /// A second `gen` over an unchanged catalog rewrites nothing: every file keeps its
    /// modification time, so nothing downstream (cargo, tsc, mdBook) rebuilds.
    #[test]
    fn a_no_op_gen_keeps_every_modification_time() {
        let dir = tmpdir("noop");
        let arts = huechat_artifacts();
        sync(&dir, &arts);
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
        let changes = sync(&dir, &huechat_artifacts());
        assert!(changes.is_empty(), "{changes:?}");
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
        let staged = stage(&dir, &[marker()], true).unwrap();
        assert!(staged.commit().is_err());
        assert_eq!(
            std::fs::read_to_string(dir.join("precious.txt")).unwrap(),
            "mine"
        );
        let left: Vec<String> = existing_files(&dir).unwrap();
        assert_eq!(
            left,
            vec!["precious.txt".to_string()],
            "nothing staged is left"
        );
        assert!(!dir.join("catalog.json.xtask-tmp").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_folder_as_it_was() {
        let dir = tmpdir("atomic");
        sync(&dir, &[marker(), Artifact::new("a.txt", "old")]);
        // `b` exists as a file, so writing `b/c.txt` must fail after `a.txt` was staged.
        std::fs::write(dir.join("b"), "a file in the way").unwrap();
        let second = vec![
            marker(),
            Artifact::new("a.txt", "new"),
            Artifact::new("d/e.txt", "e"),
            Artifact::new("b/c.txt", "c"),
        ];
        assert!(stage(&dir, &second, true).is_err());
        assert_eq!(std::fs::read_to_string(dir.join("a.txt")).unwrap(), "old");
        assert!(!dir.join("a.txt.xtask-tmp").exists());
        assert!(
            !dir.join("d").exists(),
            "the folder made for d/e.txt is gone"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
