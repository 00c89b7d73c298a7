//! Catalog sources: the only file IO in the library, and the place that decides what may be read.
//!
//! A catalog arrives in pull requests from anyone, so reading is defensive: only regular files
//! are read; a symbolic link is followed only when its target, fully resolved, is a regular file
//! inside the catalog folder; FIFOs, sockets, devices and links to folders are refused before
//! anything is opened for reading, and the open itself is non-blocking and re-checked, so a file
//! swapped for a FIFO or a link in between is refused too. Sizes are capped ([`crate::limits`]).

use std::fmt;
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};

use crate::diagnostic::escape;
use crate::limits;

/// One catalog file, by the name diagnostics show for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Shown in diagnostics (`catalog/errors/auth.yaml`); also the sort key that fixes the merge
    /// order, so it must not depend on the machine (use `/` separators, relative paths).
    pub name: String,
    pub text: String,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// Every file of the catalog that could not be read, one line each (`name: problem`, or
/// `name:line:column: problem` for text that is not UTF-8), with catalog text escaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub problems: Vec<String>,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problems.join("\n"))
    }
}

impl std::error::Error for ReadError {}

/// The HueChat catalog folder the tests read: `catalog/` of this repository, or the folder in
/// `HUECHAT_CATALOG` (the guide check runs the tests on a copy with the guide's example added).
/// Tests about HueChat derive their expectations from it rather than hard-coding its facts.
pub fn huechat_catalog_dir() -> std::path::PathBuf {
    match std::env::var_os("HUECHAT_CATALOG") {
        Some(dir) => dir.into(),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog"),
    }
}

/// Whether a file in a catalog folder is one of its files: `*.yaml` or `*.yml` in any case
/// (`errors.YAML` too: a file skipped for its spelling would be lost without a word). Hidden
/// entries are skipped before this is asked. `diff --base` reads a revision's folder by the same
/// rule.
pub fn is_catalog_file(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// Whether an entry of a catalog folder is hidden (`.src`, `.draft.yaml`), and so skipped with
/// everything below it.
pub fn is_hidden(file_name: &str) -> bool {
    file_name.starts_with('.')
}

/// Reads a catalog: a single YAML file, or every `*.yaml` / `*.yml` file (any case) below a folder
/// (recursively, skipping hidden entries). Names are `display_root` joined with the path relative
/// to `path`, with `/` separators, so they read the same on every machine.
///
/// `path` itself is trusted (it is the command line's) and resolved; what lies below it is
/// not (see the module doc). Every file is checked, and every problem reported, before failing.
pub fn read_catalog(path: &Path, display_root: &str) -> Result<Vec<Source>, ReadError> {
    let mut reader = Reader::default();
    let root = match std::fs::canonicalize(path) {
        Ok(root) => root,
        Err(e) => return Err(reader.fail(display_root, e.to_string())),
    };
    if !root.is_dir() {
        reader.file(&root, display_root.to_string());
        return reader.finish();
    }
    let mut stack = vec![(root.clone(), display_root.trim_end_matches('/').to_string())];
    while let Some((dir, name)) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                reader.problem(&name, e.to_string());
                continue;
            }
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            if is_hidden(&file_name) {
                continue;
            }
            let child = format!("{name}/{file_name}");
            let Ok(kind) = entry.file_type() else {
                reader.problem(&child, "cannot read its file type".into());
                continue;
            };
            let yaml = is_catalog_file(&file_name);
            if kind.is_dir() {
                stack.push((entry.path(), child));
            } else if !yaml {
                continue;
            } else if kind.is_symlink() {
                match link_target(&root, &entry.path()) {
                    Ok(target) => reader.file(&target, child),
                    Err(problem) => reader.problem(&child, problem),
                }
            } else if kind.is_file() {
                reader.file(&entry.path(), child);
            } else {
                reader.problem(&child, not_regular(&entry.metadata().ok()));
            }
            if reader.over_total {
                return reader.finish();
            }
        }
    }
    if reader.sources.is_empty() && reader.problems.is_empty() {
        return Err(reader.fail(display_root, "no .yaml files in the catalog folder".into()));
    }
    reader.finish()
}

#[derive(Default)]
struct Reader {
    sources: Vec<Source>,
    problems: Vec<String>,
    total: u64,
    over_total: bool,
}

impl Reader {
    fn problem(&mut self, name: &str, problem: String) {
        self.problems
            .push(format!("{}: {}", escape(name), escape(&problem)));
    }

    fn fail(mut self, name: &str, problem: String) -> ReadError {
        self.problem(name, problem);
        ReadError {
            problems: self.problems,
        }
    }

    fn finish(mut self) -> Result<Vec<Source>, ReadError> {
        if !self.problems.is_empty() {
            self.problems.sort();
            return Err(ReadError {
                problems: self.problems,
            });
        }
        self.sources.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(self.sources)
    }

    /// Reads one file that the walk found to be regular (or a link to one inside the root).
    fn file(&mut self, path: &Path, name: String) {
        let bytes = match read_regular(path) {
            Ok(bytes) => bytes,
            Err(problem) => return self.problem(&name, problem),
        };
        self.total += bytes.len() as u64;
        if self.total > limits::TOTAL_BYTES {
            self.over_total = true;
            return self.problem(
                &name,
                format!(
                    "the catalog's files together exceed the limit of {} (catalog/README.md, \"Limits\"); reading stopped here",
                    limits::size(limits::TOTAL_BYTES)
                ),
            );
        }
        match String::from_utf8(bytes) {
            Ok(text) => self.sources.push(Source::new(name, text)),
            Err(e) => {
                let bytes = e.as_bytes();
                let valid = e.utf8_error().valid_up_to();
                let (line, column) = line_column(bytes, valid);
                self.problems.push(format!(
                    "{}:{line}:{column}: not UTF-8 (byte 0x{:02X}); catalog files must be UTF-8 text",
                    escape(&name),
                    bytes[valid]
                ));
            }
        }
    }
}

/// 1-based line and character column of byte `at`, which follows valid UTF-8 text. Lines end at
/// `\n`, `\r\n` or a lone `\r`, as in diagnostics.
fn line_column(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = std::str::from_utf8(&bytes[..at]).unwrap_or("");
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = 1 + before.matches('\n').count() + before.matches('\r').count()
        - before.matches("\r\n").count();
    (line, before[line_start..].chars().count() + 1)
}

/// The target of a symbolic link found in the catalog folder, if it may be read: a regular file
/// inside the (resolved) catalog root.
fn link_target(root: &Path, link: &Path) -> Result<PathBuf, String> {
    let target = std::fs::canonicalize(link)
        .map_err(|e| format!("a symbolic link that cannot be resolved ({e})"))?;
    if !target.starts_with(root) {
        return Err(format!(
            "a symbolic link to {}, outside the catalog folder; links are followed only to files inside it",
            target.display()
        ));
    }
    let meta = std::fs::metadata(&target).map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return Err("a symbolic link to a folder; links to folders are not followed".into());
    }
    if !meta.is_file() {
        return Err(format!("a symbolic link to {}", not_regular(&Some(meta))));
    }
    Ok(target)
}

/// Why a file that is not regular is refused, naming its kind.
fn not_regular(meta: &Option<std::fs::Metadata>) -> String {
    let kind = meta
        .as_ref()
        .map_or("special file", |m| kind_of(&m.file_type()));
    format!("not a regular file (a {kind}); only regular files are read")
}

#[cfg(unix)]
fn kind_of(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    if t.is_fifo() {
        "FIFO"
    } else if t.is_socket() {
        "socket"
    } else if t.is_char_device() || t.is_block_device() {
        "device"
    } else if t.is_symlink() {
        "symbolic link"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
fn kind_of(t: &std::fs::FileType) -> &'static str {
    if t.is_symlink() {
        "symbolic link"
    } else {
        "special file"
    }
}

/// Reads a file that must be regular and at most [`limits::FILE_BYTES`]. The open neither
/// follows a final symbolic link nor blocks (a FIFO swapped in after the walk's check), and the
/// opened file is checked again; the read stops one byte past the limit, whatever the size the
/// file claims (files in /proc claim 0).
fn read_regular(path: &Path) -> Result<Vec<u8>, String> {
    let file = open_no_follow(path).map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(not_regular(&Some(meta)));
    }
    let too_large = |n: u64| {
        format!(
            "{} is larger than the limit of {} per file (catalog/README.md, \"Limits\")",
            limits::size(n),
            limits::size(limits::FILE_BYTES)
        )
    };
    if meta.len() > limits::FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limits::FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limits::FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                io::Error::new(e.kind(), "became a symbolic link while being read; refused")
            } else {
                e
            }
        })
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> io::Result<std::fs::File> {
    std::fs::File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The open itself is safe: a file swapped for a FIFO or a link after the walk looked at it
    /// is refused without blocking and without following the link.
    #[cfg(unix)]
    #[test]
    fn the_open_neither_blocks_on_a_fifo_nor_follows_a_link() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target/tmp")
            .join(format!("source-open-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("pipe.yaml");
        let c_fifo = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c_fifo.as_ptr(), 0o644) }, 0);
        let link = dir.join("link.yaml");
        std::os::unix::fs::symlink("/proc/self/environ", &link).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send((read_regular(&fifo), read_regular(&link)));
        });
        let (fifo, link) = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("opening a FIFO does not block");
        assert_eq!(
            fifo.unwrap_err(),
            "not a regular file (a FIFO); only regular files are read"
        );
        assert!(link.unwrap_err().contains("symbolic link"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn yaml_files_are_found_in_any_case() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target/tmp")
            .join(format!("source-case-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["a.yaml", "b.YAML", "c.Yml", "notes.txt"] {
            std::fs::write(dir.join(name), "x: 1\n").unwrap();
        }
        let names: Vec<String> = read_catalog(&dir, "catalog")
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["catalog/a.yaml", "catalog/b.YAML", "catalog/c.Yml"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn line_column_counts_characters_and_every_line_ending() {
        assert_eq!(line_column(b"ab\xff", 2), (1, 3));
        assert_eq!(line_column(b"a\nb\r\nc\rd\xc3\xa9\xc3\xa9\xff", 12), (4, 4));
    }
}
