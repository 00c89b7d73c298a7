//! `gen [--check]` (`cargo xtask gen`, or an adopting repository's own command): compares the artifacts with the output folder, then either
//! reports the drift or replaces the folder's outputs all at once.
//!
//! Writing builds the complete new folder beside the output (`.<name>.xtask-swap`): changed
//! files written, unchanged ones hard-linked (so they keep their modification times), the
//! build folders (`IGNORED_DIRS`) moved over last; then one `renameat2(RENAME_EXCHANGE)` swaps
//! it with the output folder, and the old tree, now in the swap folder, is deleted. Whenever
//! the process dies, the output folder is the old tree or the new one; the next run (under the
//! same lock) moves back any build folder left in the swap folder and deletes the rest.
//! ARCHITECTURE.md, "Writing the outputs", has the steps and what a kill at each leaves.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::{Artifact, Options};

use crate::Paths;

/// Folders inside the output that hold build products, not generated sources; never compared
/// or removed, and carried over into the new tree.
pub const IGNORED_DIRS: &[&str] = &[
    "node_modules",
    "dist",
    "target",
    "book",
    ".git",
    // What running the Python package's tools in place leaves (pytest, mypy, ruff, a venv).
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".venv",
];

/// Lines of diff shown per stale file by `--check`.
const DIFF_LINES: usize = 40;

/// The environment variable that makes `gen` abort itself (like `kill -9`: no cleanup) at a
/// named step of the commit; the tests use it to stop at every step, not by timing luck.
const ABORT_AT: &str = "XTASK_SYNC_ABORT_AT";
/// The environment variable that makes a named step of the commit fail with an error.
const FAIL_AT: &str = "XTASK_SYNC_FAIL_AT";
/// The environment variable that makes `gen` use the two-rename fallback, as on a file system
/// without an atomic exchange (so that the tests cover it on every machine).
const NO_EXCHANGE: &str = "XTASK_SYNC_NO_EXCHANGE";

/// The steps `ABORT_AT` and `FAIL_AT` can name, in the order a commit passes them.
#[cfg(test)]
const STEPS: &[&str] = &[
    "staging", "staged", "carried", "swap", "swapped", "removing",
];
/// The step between the fallback's two renames.
#[cfg(test)]
const ASIDE: &str = "aside";

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
    let sources = crate::load_sources(&paths.catalog, &paths.root)?;
    let read = start.elapsed();
    let options = Options {
        command: paths.header_command.clone(),
    };
    let out_name = crate::display_path(&paths.out, &paths.root);
    let out = resolve(&paths.out);
    // Held until the end: a second `gen` on this folder waits, and `--check` never reads a
    // folder that a `gen` is changing.
    let _lock = lock(&out, !check).map_err(|e| format!("{out_name}: cannot lock: {e}"))?;
    if !check {
        for done in recover(&out).map_err(|e| {
            format!(
                "{out_name}: cannot clean up what an earlier run left: {e}; nothing was changed"
            )
        })? {
            crate::errln!("note: {done}");
        }
    }
    // Each file is compared with the folder, and staged, as soon as it is generated, so the
    // generator never holds every output at once.
    let staging = Staging::new(&out, !check);
    let style = crate::stderr_style();
    let took = match codegen::generate_each(&sources, &options, &|a| staging.offer(a)) {
        Ok(took) => took,
        Err(failure) => {
            crate::errs!(
                "{}",
                failure.diagnostics.render_styled(&failure.sources, &style)
            );
            return Ok(ExitCode::from(2));
        }
    };
    if !took.warnings.is_empty() {
        crate::errs!(
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
        crate::errln!("timings (wall):");
        crate::errln!("  {:<24}{}", "read the catalog", ms(read));
        crate::errln!("  {:<24}{}", "parse and validate", ms(took.load));
        for (name, d) in &took.emitters {
            let name = name.split([':', ',']).next().unwrap_or(name);
            crate::errln!("  {:<24}{}", format!("emit {name}"), ms(*d));
        }
        crate::errln!("  {:<24}{}", "total so far", ms(start.elapsed()));
    }
    let changes = &staged.changes;
    if check {
        if changes.is_empty() {
            crate::out(&format!(
                "{out_name}/ is up to date ({} files)\n",
                staged.files
            ));
            return Ok(ExitCode::SUCCESS);
        }
        crate::out(&format!(
            "{}run `{}` to update\n",
            staged.report(&out_name),
            paths.command
        ));
        return Ok(ExitCode::from(1));
    }
    let (files, changes) = (staged.files, staged.changes.clone());
    if let Some(warning) = staged.commit().map_err(|e| format!("{out_name}: {e}"))? {
        crate::errln!("warning: {out_name}: {warning}");
    }
    let mut listing = String::new();
    for c in &changes {
        let verb = match c {
            Change::Missing(_) => "created",
            Change::Stale { .. } => "updated",
            Change::Extra(_) => "removed",
        };
        listing.push_str(&format!("{verb:>8} {out_name}/{}\n", c.path()));
    }
    let unchanged = files
        - changes
            .iter()
            .filter(|c| !matches!(c, Change::Extra(_)))
            .count();
    listing.push_str(&format!(
        "{out_name}/: {} changed, {unchanged} unchanged\n",
        changes.len()
    ));
    crate::out(&listing);
    Ok(ExitCode::SUCCESS)
}

/// `gen --catalog OTHER` without `--out` writes the default output folder: refused when that
/// folder holds the outputs of the default catalog (its `catalog.json` was generated without
/// `--catalog`), which the run would replace with another catalog's. `--out` says where.
pub fn guard_default_out(paths: &Paths) -> Result<(), String> {
    let Ok(text) = std::fs::read_to_string(paths.out.join("catalog.json")) else {
        return Ok(());
    };
    let ours = text.contains("\"$comment\": \"@generated by");
    if ours && !text.contains("--catalog <catalog>") {
        let out = crate::display_path(&paths.out, &paths.root);
        return Err(format!(
            "{out}/ holds the outputs of the default catalog, which `--catalog {}` would replace; pass `--out DIR` for this catalog's outputs (`--out {out}` to replace them); nothing was changed",
            paths.catalog.display()
        ));
    }
    Ok(())
}

/// The output folder with symbolic links resolved (the swap replaces the folder itself, not a
/// link to it), or as given when it does not exist yet.
fn resolve(out: &Path) -> PathBuf {
    std::fs::canonicalize(out)
        .unwrap_or_else(|_| std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf()))
}

/// A path beside `out`, in its parent folder: `.<name>.xtask-<what>`.
fn beside(out: &Path, what: &str) -> PathBuf {
    let name = out.file_name().unwrap_or_default().to_string_lossy();
    out.with_file_name(format!(".{name}.xtask-{what}"))
}

/// The folder the new tree is built in, and where the old tree goes when swapped out.
fn swap_dir(out: &Path) -> PathBuf {
    beside(out, "swap")
}

/// An advisory lock on the output folder, released when dropped (or when the process dies).
/// The lock is taken on the output's parent folder, which outlives every swap and leaves no
/// lock file behind; writers take it exclusively, `--check` shared.
pub struct OutputLock(#[allow(dead_code)] std::fs::File);

pub fn lock(out: &Path, exclusive: bool) -> io::Result<OutputLock> {
    let parent = out.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let file = lock_file(parent, out)?;
    let taken = if exclusive {
        file.try_lock()
    } else {
        file.try_lock_shared()
    };
    match taken {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            crate::errln!(
                "note: waiting for another `cargo xtask gen` on {} to finish",
                out.display()
            );
            if exclusive {
                file.lock()?;
            } else {
                file.lock_shared()?;
            }
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(e),
    }
    Ok(OutputLock(file))
}

#[cfg(unix)]
fn lock_file(parent: &Path, _out: &Path) -> io::Result<std::fs::File> {
    std::fs::File::open(parent)
}

/// Elsewhere a folder cannot be opened as a file: a lock file beside the output.
#[cfg(not(unix))]
fn lock_file(_parent: &Path, out: &Path) -> io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(beside(out, "lock"))
}

/// Cleans up after a run that was killed (call it under the exclusive lock): build folders left
/// in the swap folder go back into the output, then the swap folder is deleted; a tree moved
/// aside by the two-rename fallback is moved back if the output is missing, else deleted;
/// `*.xtask-tmp` files of earlier versions are deleted. Returns what it did, for the user.
pub fn recover(out: &Path) -> io::Result<Vec<String>> {
    let mut done = Vec::new();
    remove_trash(out);
    let old = beside(out, "old");
    if old.exists() {
        if out.exists() {
            discard(out, &old, &mut done)?;
        } else {
            std::fs::rename(&old, out)?;
            done.push(format!(
                "restored {} from {} (an interrupted run had moved it aside)",
                out.display(),
                old.display()
            ));
        }
    }
    let swap = swap_dir(out);
    if swap.exists() {
        for dir in build_dirs(&swap)? {
            if out.exists() && !out.join(&dir).exists() {
                if let Some(parent) = out.join(&dir).parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::rename(swap.join(&dir), out.join(&dir))?;
            }
        }
        discard(out, &swap, &mut done)?;
    }
    for tmp in legacy_tmp_files(out)? {
        std::fs::remove_file(out.join(&tmp))?;
        done.push(format!("removed {} (left by an older version)", tmp));
    }
    Ok(done)
}

/// Deletes a tree an earlier run left beside the output. One that cannot be deleted (a file
/// made immutable, say) is renamed to a unique `.<out>.xtask-trash-*` name instead, so that it
/// never blocks a run; each later run tries to delete those again.
fn discard(out: &Path, dir: &Path, done: &mut Vec<String>) -> io::Result<()> {
    match step("discard").and_then(|()| std::fs::remove_dir_all(dir)) {
        Ok(()) => done.push(format!(
            "removed {} (left by an earlier run)",
            dir.display()
        )),
        Err(e) => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let trash = beside(out, &format!("trash-{}-{nanos}", std::process::id()));
            std::fs::rename(dir, &trash)?;
            done.push(format!(
                "could not delete {} ({e}), left by an earlier run; moved it to {}",
                dir.display(),
                trash.display()
            ));
        }
    }
    Ok(())
}

/// Tries to delete the trees that [`discard`] could not; what still fails stays.
fn remove_trash(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let prefix = format!(".{}.xtask-trash-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Aborts the process (no destructors, like `kill -9`) when `ABORT_AT` names `step`; fails
/// when `FAIL_AT` names it. The test hook of the commit.
fn step(name: &str) -> io::Result<()> {
    if std::env::var_os(ABORT_AT).is_some_and(|v| v == name) {
        std::process::abort();
    }
    if std::env::var_os(FAIL_AT).is_some_and(|v| v == name) {
        return Err(io::Error::other(format!(
            "injected failure at step `{name}`"
        )));
    }
    Ok(())
}

/// Generated files offered one at a time (from any thread): each is compared with the file on
/// disk and, when writing, put into the new tree (written if it changed, hard-linked if not).
/// Nothing in the output folder changes until [`Staged::commit`].
pub struct Staging<'a> {
    out: &'a Path,
    write: bool,
    state: std::sync::Mutex<Staged>,
    /// The new tree's folders made so far: most files share a folder, and `create_dir_all` on
    /// one that exists still costs a system call that fails.
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

/// Every generated file compared with the folder: what differs, and (when writing) the new
/// tree. Dropping it without `commit` deletes the new tree.
#[derive(Debug, Default)]
pub struct Staged {
    out: PathBuf,
    /// The new tree, when writing (created with the first file).
    swap: Option<PathBuf>,
    /// Every change, sorted by path.
    pub changes: Vec<Change>,
    /// How many files were generated.
    pub files: usize,
    /// Bytes generated, against `limit`.
    bytes: u64,
    /// `codegen::limits::OUTPUT_BYTES` (lower in a test).
    limit: u64,
    /// Whether `catalog.json` was generated (the mark of a folder this tool writes).
    marker: bool,
    /// The new contents of stale files, for the `--check` diff (not kept when writing).
    new_text: BTreeMap<String, String>,
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
            folders: std::sync::Mutex::default(),
        }
    }

    /// Compares one generated file with the folder and stages it. The first error is kept for
    /// `finish`; later files are then ignored. Only the bookkeeping holds the lock: files from
    /// two emitters are read, compared and written at the same time.
    pub fn offer(&self, artifact: Artifact) {
        let lock = || {
            self.state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        let swap = {
            let mut state = lock();
            if state.error.is_some() {
                return;
            }
            match state.admit(&artifact, self.write) {
                Ok(swap) => swap,
                Err(e) => {
                    state.error = Some(e);
                    return;
                }
            }
        };
        let change = compare_and_stage(self.out, swap.as_deref(), &artifact, &self.folders);
        let mut state = lock();
        match change {
            Ok(change) => state.record(artifact, change),
            Err(e) => {
                state.error.get_or_insert(e);
            }
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
        step("staged")?;
        let generated: std::collections::HashSet<String> = staged
            .changes
            .iter()
            .map(|c| c.path().to_string())
            .chain(staged.unchanged.iter().cloned())
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
        staged.limit = codegen::limits::OUTPUT_BYTES;
        staged
    }

    /// Counts a generated file against the limits; returns the new tree's folder when writing.
    fn admit(&mut self, artifact: &Artifact, write: bool) -> io::Result<Option<PathBuf>> {
        self.files += 1;
        self.bytes += artifact.contents.len() as u64;
        if self.bytes > self.limit {
            return Err(io::Error::other(format!(
                "the generated files exceed the limit of {} in total (catalog/README.md, \"Limits\")",
                codegen::limits::size(self.limit)
            )));
        }
        self.marker |= artifact.path == "catalog.json";
        if !write {
            return Ok(None);
        }
        let swap = self.swap_dir()?;
        if self.files == 1 {
            step("staging")?;
        }
        Ok(Some(swap))
    }

    /// Notes a staged file: its change, or that it is unchanged.
    fn record(&mut self, artifact: Artifact, change: Option<Change>) {
        match change {
            Some(change) => {
                // No new tree: a check, whose report shows the new text.
                if self.swap.is_none() {
                    self.new_text.insert(artifact.path, artifact.contents);
                }
                self.changes.push(change);
            }
            None => self.unchanged.push(artifact.path),
        }
    }

    /// The new tree's folder, created (empty, with the output's permissions) on first use.
    fn swap_dir(&mut self) -> io::Result<PathBuf> {
        if let Some(swap) = &self.swap {
            return Ok(swap.clone());
        }
        let swap = swap_dir(&self.out);
        if let Some(parent) = swap.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // `recover` ran under the same lock, so anything here is ours to replace.
        if swap.exists() {
            std::fs::remove_dir_all(&swap)?;
        }
        std::fs::create_dir(&swap)?;
        self.swap = Some(swap.clone());
        if let Ok(meta) = std::fs::metadata(&self.out) {
            std::fs::set_permissions(&swap, meta.permissions())?;
        }
        Ok(swap)
    }

    /// Swaps the new tree in. Refuses (and changes nothing) when extras would be removed from
    /// a folder this tool did not write. `Ok(Some(warning))` when the outputs are in place but
    /// the old tree could not be deleted (the next run deletes it).
    pub fn commit(mut self) -> Result<Option<String>, String> {
        let nothing = |e: &dyn std::fmt::Display| format!("{e}; nothing was changed");
        guard_foreign_folder(&self.out, &self.changes, self.marker).map_err(|e| nothing(&e))?;
        if self.out.exists() && !self.out.is_dir() {
            return Err(nothing(&"the output is a file, not a folder"));
        }
        if self.changes.is_empty() {
            return Ok(None);
        }
        let swap = self.swap_dir().map_err(|e| nothing(&e))?;
        let out = self.out.clone();
        // Build folders move into the new tree last, and back if the swap does not happen.
        let carried = match carry(&out, &swap) {
            Ok(carried) => carried,
            Err((carried, e)) => return Err(self.roll_back(&carried, &e)),
        };
        if let Err(e) = step("carried").and_then(|()| swap_in(&swap, &out)) {
            return Err(self.roll_back(&carried, &e));
        }
        // From here on the outputs are the new ones; `swap` holds the old tree.
        self.swap = None;
        let removed = step("swapped").and_then(|()| {
            if swap.exists() {
                remove_old_tree(&swap)
            } else {
                Ok(())
            }
        });
        Ok(removed.err().map(|e| {
            format!(
                "the new outputs are in place, but the old ones could not be deleted from {} ({e}); the next `gen` tries again",
                swap.display()
            )
        }))
    }

    /// After a failed commit: the build folders go back, the new tree is deleted (by `Drop`),
    /// and the message says truly what state the output folder is in.
    fn roll_back(&mut self, carried: &[String], e: &io::Error) -> String {
        let Some(swap) = self.swap.clone() else {
            return format!("{e}; nothing was changed");
        };
        let stuck: Vec<&String> = carried
            .iter()
            .filter(|dir| std::fs::rename(swap.join(dir), self.out.join(dir)).is_err())
            .collect();
        if stuck.is_empty() {
            return format!("{e}; nothing was changed");
        }
        // Keep the new tree: it holds build folders that could not be moved back.
        self.swap = None;
        format!(
            "{e}; the generated files were not changed, but these build folders are still in {} and the next `gen` moves them back: {}",
            swap.display(),
            stuck
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    /// The `--check` report: every change, with a short diff for stale files.
    pub fn report(&self, out_name: &str) -> String {
        report(out_name, &self.changes, &self.new_text)
    }
}

impl Drop for Staged {
    /// Deletes the new tree of a comparison that was not committed.
    fn drop(&mut self) {
        if let Some(swap) = &self.swap {
            let _ = std::fs::remove_dir_all(swap);
        }
    }
}

/// Compares a generated file with the one at its path in `out` and, when writing (`swap` is the
/// new tree), puts it into the new tree: written when it changed, hard-linked when not.
fn compare_and_stage(
    out: &Path,
    swap: Option<&Path>,
    artifact: &Artifact,
    folders: &std::sync::Mutex<std::collections::HashSet<PathBuf>>,
) -> io::Result<Option<Change>> {
    let Artifact { path, contents } = artifact;
    let target = out.join(path);
    let change = match std::fs::read(&target) {
        Ok(bytes) if bytes == contents.as_bytes() => None,
        Ok(bytes) => Some(Change::Stale {
            path: path.clone(),
            old: if swap.is_some() {
                String::new()
            } else {
                String::from_utf8_lossy(&bytes).into_owned()
            },
        }),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            Some(Change::Missing(path.clone()))
        }
        Err(e) => return Err(io::Error::new(e.kind(), format!("{path}: {e}"))),
    };
    let Some(swap) = swap else {
        return Ok(change);
    };
    let new = swap.join(path);
    if let Some(parent) = new.parent() {
        let folders = || {
            folders
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if !folders().contains(parent) {
            std::fs::create_dir_all(parent)?;
            folders().insert(parent.to_path_buf());
        }
    }
    match change {
        Some(_) => std::fs::write(&new, contents)?,
        None => link_or_copy(&target, &new)?,
    }
    Ok(change)
}

/// A hard link to an unchanged file (same inode, so the same modification time), or a copy
/// with its modification time where the file system has no hard links.
fn link_or_copy(from: &Path, to: &Path) -> io::Result<()> {
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to)?;
    let modified = std::fs::metadata(from)?.modified()?;
    std::fs::File::options()
        .write(true)
        .open(to)?
        .set_modified(modified)
}

/// Moves every build folder of the output into the new tree, at the same place. On error,
/// returns the ones already moved.
fn carry(out: &Path, swap: &Path) -> Result<Vec<String>, (Vec<String>, io::Error)> {
    let dirs = build_dirs(out).map_err(|e| (Vec::new(), e))?;
    let mut carried = Vec::new();
    for dir in dirs {
        let to = swap.join(&dir);
        let moved = to
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::rename(out.join(&dir), &to));
        if let Err(e) = moved {
            return Err((carried, e));
        }
        carried.push(dir);
    }
    Ok(carried)
}

/// Puts the new tree at `out` in one step: exchanged with the old tree, which lands in `swap`.
fn swap_in(swap: &Path, out: &Path) -> io::Result<()> {
    step("swap")?;
    if !out.exists() {
        // No old tree: a plain rename.
        return std::fs::rename(swap, out);
    }
    let exchanged = if std::env::var_os(NO_EXCHANGE).is_some() {
        Err(io::Error::from(io::ErrorKind::Unsupported))
    } else {
        exchange(swap, out)
    };
    match exchanged {
        Err(e) if exchange_unsupported(&e) => {
            // Two renames: a kill between them leaves `out` missing and the old tree beside it,
            // which `recover` moves back.
            let old = beside(out, "old");
            std::fs::rename(out, &old)?;
            if let Err(e) = step("aside").and_then(|()| std::fs::rename(swap, out)) {
                std::fs::rename(&old, out)?;
                return Err(e);
            }
            std::fs::rename(&old, swap)
        }
        result => result,
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt as _;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths for the duration of the call.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Whether the file system (or the OS) has no atomic exchange.
fn exchange_unsupported(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
    ) {
        return true;
    }
    e.kind() == io::ErrorKind::Unsupported
}

/// Deletes the old tree, after the swap. Nothing in it is an output any more.
fn remove_old_tree(swap: &Path) -> io::Result<()> {
    if std::env::var_os(ABORT_AT).is_some_and(|v| v == "removing") {
        // Delete about half first, so the kill lands inside the deletion.
        let mut entries: Vec<_> = std::fs::read_dir(swap)?.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries.iter().take(entries.len().div_ceil(2)) {
            let path = entry.path();
            if path.is_dir() {
                std::fs::remove_dir_all(path)?;
            } else {
                std::fs::remove_file(path)?;
            }
        }
    }
    step("removing")?;
    std::fs::remove_dir_all(swap)
}

/// The catalog and the output folder must not contain each other: `gen` would remove the
/// catalog as an extra file, or read its own YAML output back as catalog sources.
fn guard_overlap(catalog: &Path, out: &Path) -> Result<(), String> {
    let (catalog, out) = (resolved(catalog), resolved(out));
    if catalog.starts_with(&out) || out.starts_with(&catalog) {
        return Err(format!(
            "the catalog ({}) and the output folder ({}) overlap; choose an output folder outside the catalog, and vice versa",
            catalog.display(),
            out.display()
        ));
    }
    Ok(())
}

/// `path` as the system will resolve it, even where it does not exist yet (an output folder to
/// be made): each existing prefix is resolved (symbolic links, `..` after one), and the rest is
/// taken as written, `..` removing the part before it.
fn resolved(path: &Path) -> std::path::PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = std::path::PathBuf::new();
    for part in absolute.components() {
        if part == std::path::Component::ParentDir {
            out.pop();
        } else {
            out.push(part);
        }
        if let Ok(real) = std::fs::canonicalize(&out) {
            out = real;
        }
    }
    out
}

/// Walks `out` (not into `IGNORED_DIRS`): the files (relative, `/`-separated) and the build
/// folders met.
fn walk(out: &Path) -> io::Result<(Vec<String>, Vec<String>)> {
    let (mut files, mut dirs) = (Vec::new(), Vec::new());
    if !out.exists() {
        return Ok((files, dirs));
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
                if IGNORED_DIRS.contains(&name.as_str()) {
                    dirs.push(rel);
                } else {
                    stack.push((entry.path(), rel));
                }
            } else {
                files.push(rel);
            }
        }
    }
    files.sort();
    dirs.sort();
    Ok((files, dirs))
}

/// Every file below `out` (relative, `/`-separated), skipping `IGNORED_DIRS` and the
/// temporary files of earlier versions.
fn existing_files(out: &Path) -> io::Result<Vec<String>> {
    let (mut files, _) = walk(out)?;
    files.retain(|f| !f.ends_with(TMP_SUFFIX));
    Ok(files)
}

/// The build folders below `out` (`IGNORED_DIRS`, outermost only).
fn build_dirs(out: &Path) -> io::Result<Vec<String>> {
    walk(out).map(|(_, dirs)| dirs)
}

/// Temporary files that versions before the swap left in the output when killed.
fn legacy_tmp_files(out: &Path) -> io::Result<Vec<String>> {
    let (mut files, _) = walk(out)?;
    files.retain(|f| f.ends_with(TMP_SUFFIX));
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

/// The suffix of the temporary files that versions before the swap wrote beside each target.
const TMP_SUFFIX: &str = ".xtask-tmp";

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

    /// A fresh folder under `target/` for one test; tests write to `out` inside it, so that
    /// the lock (on the output's parent) and the swap folder stay inside it too.
    fn tmpdir(name: &str) -> PathBuf {
        // Under target/ (ignored), one folder per test and process: never a shared system folder.
        let dir = crate::project_root()
            .join("target/xtask/test")
            .join(format!("sync-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn another_catalog_does_not_replace_the_default_ones_outputs() {
        let dir = tmpdir("default-out");
        let paths = Paths {
            catalog: PathBuf::from("other.yaml"),
            out: dir.clone(),
            command: "gen --catalog other.yaml".into(),
            header_command: "gen --catalog <catalog>".into(),
            root: dir.clone(),
        };
        // An empty folder, or one without outputs, is fine.
        assert!(guard_default_out(&paths).is_ok());
        let comment = |command: &str| {
            format!(
                "{{\n  \"$comment\": \"@generated by `{command}` from the error catalog.\"\n}}\n"
            )
        };
        std::fs::write(dir.join("catalog.json"), comment("cargo xtask gen")).unwrap();
        let err = guard_default_out(&paths).unwrap_err();
        assert!(err.contains("pass `--out DIR`"), "{err}");
        // Outputs another `--catalog` run wrote are that kind of run's to replace.
        let other = comment("cargo xtask gen --catalog <catalog>");
        std::fs::write(dir.join("catalog.json"), other).unwrap();
        assert!(guard_default_out(&paths).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
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

    /// `gen`: locks, cleans up, stages and commits, as `gen_command` does; returns the
    /// changes, or the error message.
    fn try_sync(
        out: &Path,
        artifacts: &[Artifact],
    ) -> Result<(Vec<Change>, Option<String>), String> {
        let _lock = lock(out, true).map_err(|e| e.to_string())?;
        recover(out).map_err(|e| e.to_string())?;
        let staged =
            stage(out, artifacts, true).map_err(|e| format!("{e}; nothing was changed"))?;
        let changes = staged.changes.clone();
        let warning = staged.commit()?;
        Ok((changes, warning))
    }

    fn sync(out: &Path, artifacts: &[Artifact]) -> Vec<Change> {
        let (changes, warning) = try_sync(out, artifacts).unwrap();
        assert_eq!(warning, None);
        changes
    }

    /// `gen --check`: the changes; writes nothing.
    fn check(dir: &Path, artifacts: &[Artifact]) -> Staged {
        stage(dir, artifacts, false).unwrap()
    }

    #[test]
    fn writes_only_changes_and_removes_extras() {
        let base = tmpdir("changes");
        let dir = base.join("out");
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
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn unchanged_files_keep_their_modification_time() {
        let base = tmpdir("mtime");
        let dir = base.join("out");
        std::fs::create_dir_all(&dir).unwrap();
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
        std::fs::remove_dir_all(&base).unwrap();
    }

    fn huechat_artifacts() -> Vec<Artifact> {
        let sources = crate::load_sources(
            &crate::project_root().join("catalog"),
            &crate::project_root(),
        )
        .unwrap();
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
        let base = tmpdir("noop");
        let dir = base.join("out");
        std::fs::create_dir_all(&dir).unwrap();
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
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn refuses_overlapping_catalog_and_output() {
        let dir = tmpdir("overlap");
        std::fs::create_dir_all(dir.join("out/team")).unwrap();
        assert!(guard_overlap(&dir.join("out/team/errors.yaml"), &dir.join("out")).is_err());
        assert!(guard_overlap(&dir.join("out"), &dir.join("out/generated")).is_err());
        assert!(guard_overlap(&dir.join("catalog"), &dir.join("out")).is_ok());
        // An output folder that does not exist yet, reached through `..` or a link.
        let catalog = dir.join("out/team");
        assert!(guard_overlap(&catalog, &dir.join("none/../out/team/generated")).is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&catalog, dir.join("alias")).unwrap();
            assert!(guard_overlap(&catalog, &dir.join("alias/generated")).is_err());
            assert!(guard_overlap(&catalog, &dir.join("alias/../elsewhere")).is_ok());
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn refuses_to_clear_a_foreign_folder() {
        let base = tmpdir("foreign");
        let dir = base.join("out");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("precious.txt"), "mine").unwrap();
        let err = try_sync(&dir, &[marker()]).unwrap_err();
        assert!(
            err.ends_with(
                "refusing to remove them. Use an empty folder for --out; nothing was changed"
            ),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("precious.txt")).unwrap(),
            "mine"
        );
        assert_eq!(existing_files(&dir).unwrap(), ["precious.txt"]);
        assert_eq!(beside_out(&base), ["out"], "nothing staged is left");
        std::fs::remove_dir_all(&base).unwrap();
    }

    // The commit under kills, failures and concurrency. Each case runs `gen` in a child
    // process (this test binary, running `commit_child`), which the hooks stop at a named step.

    fn old_outputs() -> Vec<Artifact> {
        vec![
            marker(),
            Artifact::new("a.txt", "a1"),
            Artifact::new("keep.txt", "same"),
            Artifact::new("sub/b.txt", "b1"),
            Artifact::new("gone/x.txt", "x"),
        ]
    }

    fn new_outputs() -> Vec<Artifact> {
        vec![
            marker(),
            Artifact::new("a.txt", "a2"),
            Artifact::new("keep.txt", "same"),
            Artifact::new("sub/b.txt", "b2"),
            Artifact::new("d/e.txt", "e"),
        ]
    }

    fn contents(artifacts: &[Artifact]) -> BTreeMap<String, String> {
        artifacts
            .iter()
            .map(|a| (a.path.clone(), a.contents.clone()))
            .collect()
    }

    /// The files of the output folder (build folders aside) and their contents.
    fn outputs(out: &Path) -> BTreeMap<String, String> {
        existing_files(out)
            .unwrap()
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(out.join(&p)).unwrap();
                (p, text)
            })
            .collect()
    }

    /// What the folder holding `out` holds: nothing but `out` once a run has cleaned up.
    fn beside_out(base: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(base)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn mtime(path: &Path) -> std::time::SystemTime {
        std::fs::metadata(path).unwrap().modified().unwrap()
    }

    /// `out` holding the old outputs and a build folder, as a test starts from.
    fn old_folder(name: &str) -> (PathBuf, PathBuf) {
        let base = tmpdir(name);
        let out = base.join("out");
        sync(&out, &old_outputs());
        std::fs::create_dir_all(out.join("sub/node_modules/pkg")).unwrap();
        std::fs::write(out.join("sub/node_modules/pkg/m.js"), "m").unwrap();
        // Later writes must show in modification times.
        std::thread::sleep(std::time::Duration::from_millis(20));
        (base, out)
    }

    const CHILD_OUT: &str = "XTASK_SYNC_TEST_OUT";
    const CHILD_SET: &str = "XTASK_SYNC_TEST_SET";

    fn child(out: &Path, set: &str, hook: Option<(&str, &str)>) -> std::process::Command {
        let mut cmd = child_with(out, set, hook);
        cmd.env_remove(NO_EXCHANGE);
        cmd
    }

    fn child_with(out: &Path, set: &str, hook: Option<(&str, &str)>) -> std::process::Command {
        let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
        cmd.args([
            "--ignored",
            "--exact",
            "sync::tests::commit_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_OUT, out)
        .env(CHILD_SET, set)
        .env_remove(ABORT_AT)
        .env_remove(FAIL_AT);
        if let Some((key, step)) = hook {
            cmd.env(key, step);
        }
        cmd
    }

    /// `gen` of the old or the new outputs into `XTASK_SYNC_TEST_OUT`; prints `committed` or
    /// `failed: <message>` (exit 3). Does nothing unless run by the tests below.
    #[test]
    #[ignore = "the child process of the commit tests"]
    fn commit_child() {
        let Some(out) = std::env::var_os(CHILD_OUT) else {
            return;
        };
        let set = if std::env::var_os(CHILD_SET).is_some_and(|s| s == "new") {
            new_outputs()
        } else {
            old_outputs()
        };
        match try_sync(Path::new(&out), &set) {
            Ok((_, warning)) => println!("committed; warning: {warning:?}"),
            Err(e) => {
                println!("failed: {e}");
                std::process::exit(3);
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_kill_at_any_step_leaves_the_old_or_the_new_outputs_and_the_next_run_cleans_up() {
        use std::os::unix::process::ExitStatusExt as _;
        for &step in STEPS {
            let (base, out) = old_folder(&format!("kill-{step}"));
            let kept = mtime(&out.join("keep.txt"));
            let status = child(&out, "new", Some((ABORT_AT, step)))
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap();
            assert_eq!(status.signal(), Some(libc::SIGABRT), "{step}: {status}");
            let swapped = matches!(step, "swapped" | "removing");
            let expected = if swapped {
                new_outputs()
            } else {
                old_outputs()
            };
            assert_eq!(outputs(&out), contents(&expected), "killed at {step}");
            // The next run completes the work and removes every trace of the killed one.
            sync(&out, &new_outputs());
            assert_eq!(outputs(&out), contents(&new_outputs()), "after {step}");
            assert_eq!(beside_out(&base), ["out"], "after {step}");
            assert_eq!(
                std::fs::read_to_string(out.join("sub/node_modules/pkg/m.js")).unwrap(),
                "m",
                "the build folder survives a kill at {step}"
            );
            assert_eq!(mtime(&out.join("keep.txt")), kept, "after {step}");
            std::fs::remove_dir_all(&base).unwrap();
        }
    }

    /// Without an atomic exchange, a kill between the two renames leaves the output folder
    /// missing (the one state the exchange avoids) and the next run puts the old tree back
    /// before it commits; a kill at any other step behaves as with the exchange.
    #[cfg(unix)]
    #[test]
    fn the_two_rename_fallback_recovers_from_a_kill_at_any_step() {
        use std::os::unix::process::ExitStatusExt as _;
        for &step in STEPS.iter().chain([&ASIDE]) {
            let (base, out) = old_folder(&format!("fallback-{step}"));
            let status = child_with(&out, "new", Some((ABORT_AT, step)))
                .env(NO_EXCHANGE, "1")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap();
            assert_eq!(status.signal(), Some(libc::SIGABRT), "{step}: {status}");
            if step == ASIDE {
                assert!(!out.exists());
                assert_eq!(outputs(&beside(&out, "old")), contents(&old_outputs()));
                let done = recover(&out).unwrap();
                assert!(done[0].starts_with("restored"), "{done:?}");
                assert_eq!(outputs(&out), contents(&old_outputs()));
            } else {
                let swapped = matches!(step, "swapped" | "removing");
                let expected = if swapped {
                    new_outputs()
                } else {
                    old_outputs()
                };
                assert_eq!(outputs(&out), contents(&expected), "killed at {step}");
            }
            let run = child_with(&out, "new", None)
                .env(NO_EXCHANGE, "1")
                .output()
                .unwrap();
            assert!(run.status.success(), "after {step}");
            assert_eq!(outputs(&out), contents(&new_outputs()), "after {step}");
            assert_eq!(beside_out(&base), ["out"], "after {step}");
            assert!(
                out.join("sub/node_modules/pkg/m.js").exists(),
                "after {step}"
            );
            std::fs::remove_dir_all(&base).unwrap();
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_failure_before_the_swap_changes_nothing_and_says_so() {
        // `swap` fails the rename that would put the new tree in place.
        for step in ["staging", "staged", "carried", "swap"] {
            let (base, out) = old_folder(&format!("fail-{step}"));
            let kept = mtime(&out.join("a.txt"));
            let run = child(&out, "new", Some((FAIL_AT, step))).output().unwrap();
            let stdout = String::from_utf8_lossy(&run.stdout);
            assert_eq!(run.status.code(), Some(3), "{step}: {stdout}");
            assert!(
                stdout.contains(&format!(
                    "failed: injected failure at step `{step}`; nothing was changed\n"
                )),
                "{step}: {stdout}"
            );
            assert_eq!(outputs(&out), contents(&old_outputs()), "{step}");
            assert_eq!(mtime(&out.join("a.txt")), kept, "{step}");
            assert!(out.join("sub/node_modules/pkg/m.js").exists(), "{step}");
            assert_eq!(
                beside_out(&base),
                ["out"],
                "{step}: the new tree is deleted"
            );
            std::fs::remove_dir_all(&base).unwrap();
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_failure_after_the_swap_says_the_outputs_are_new() {
        let (base, out) = old_folder("fail-removing");
        let run = child(&out, "new", Some((FAIL_AT, "removing")))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert!(run.status.success(), "{stdout}");
        assert!(
            stdout.contains("the new outputs are in place, but the old ones could not be deleted"),
            "{stdout}"
        );
        assert_eq!(outputs(&out), contents(&new_outputs()));
        assert_eq!(beside_out(&base), [".out.xtask-swap", "out"]);
        // If the next run cannot delete it either, it moves it aside and goes on.
        let run = child(&out, "old", Some((FAIL_AT, "discard")))
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stdout)
        );
        assert_eq!(outputs(&out), contents(&old_outputs()));
        let left = beside_out(&base);
        assert_eq!(left.len(), 2, "{left:?}");
        assert!(left[0].starts_with(".out.xtask-trash-"), "{left:?}");
        // The run after that deletes it.
        sync(&out, &new_outputs());
        assert_eq!(beside_out(&base), ["out"]);
        assert!(out.join("sub/node_modules/pkg/m.js").exists());
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_second_gen_waits_for_the_first() {
        let (base, out) = old_folder("wait");
        let held = lock(&out, true).unwrap();
        let mut second = child(&out, "new", None)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The child reports that it waits; until the lock is released, nothing changes.
        let mut stderr = std::io::BufReader::new(second.stderr.take().unwrap());
        let mut line = String::new();
        std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
        assert!(
            line.starts_with("note: waiting for another `cargo xtask gen` on"),
            "{line}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(second.try_wait().unwrap().is_none());
        assert_eq!(outputs(&out), contents(&old_outputs()));
        drop(held);
        assert!(second.wait().unwrap().success());
        assert_eq!(outputs(&out), contents(&new_outputs()));
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn two_concurrent_gens_leave_one_complete_output() {
        for round in 0..3 {
            let (base, out) = old_folder(&format!("concurrent-{round}"));
            let runs: Vec<_> = ["new", "old", "new", "old"]
                .iter()
                .map(|set| {
                    child(&out, set, None)
                        .stdout(std::process::Stdio::null())
                        .stderr(std::process::Stdio::null())
                        .spawn()
                        .unwrap()
                })
                .collect();
            for mut run in runs {
                assert!(run.wait().unwrap().success());
            }
            let now = outputs(&out);
            assert!(
                now == contents(&old_outputs()) || now == contents(&new_outputs()),
                "{now:?}"
            );
            assert_eq!(beside_out(&base), ["out"]);
            assert!(out.join("sub/node_modules/pkg/m.js").exists());
            std::fs::remove_dir_all(&base).unwrap();
        }
    }

    #[test]
    fn output_over_the_limit_is_refused_and_nothing_changes() {
        let (base, out) = old_folder("limit");
        let staging = Staging::new(&out, true);
        staging.state.lock().unwrap().limit = 1024;
        staging.offer(marker());
        staging.offer(Artifact::new("a.txt", "a".repeat(1024)));
        let err = staging.finish().unwrap_err();
        assert_eq!(
            err.to_string(),
            "the generated files exceed the limit of 1 KiB in total (catalog/README.md, \"Limits\")"
        );
        assert_eq!(outputs(&out), contents(&old_outputs()));
        assert_eq!(beside_out(&base), ["out"]);
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn the_next_run_removes_temporary_files_of_older_versions() {
        let (base, out) = old_folder("legacy");
        std::fs::write(out.join("a.txt.xtask-tmp"), "half").unwrap();
        assert!(sync(&out, &old_outputs()).is_empty());
        assert!(!out.join("a.txt.xtask-tmp").exists());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
