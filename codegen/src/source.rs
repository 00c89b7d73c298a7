//! Catalog sources: the only file IO in the library.

use std::io;
use std::path::Path;

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

/// Reads a catalog: a single YAML file, or every `*.yaml` / `*.yml` file below a folder
/// (recursively, skipping hidden entries). Names are `display_root` joined with the path relative
/// to `path`, with `/` separators, so they read the same on every machine.
/// The HueChat catalog folder the tests read: `catalog/` of this repository, or the folder in
/// `HUECHAT_CATALOG` (the guide check runs the tests on a copy with the guide's example added).
/// Tests about HueChat derive their expectations from it rather than hard-coding its facts.
pub fn huechat_catalog_dir() -> std::path::PathBuf {
    match std::env::var_os("HUECHAT_CATALOG") {
        Some(dir) => dir.into(),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog"),
    }
}

pub fn read_catalog(path: &Path, display_root: &str) -> io::Result<Vec<Source>> {
    let mut sources = Vec::new();
    if path.is_file() {
        sources.push(Source::new(display_root, read_text(path)?));
        return Ok(sources);
    }
    let mut stack = vec![(
        path.to_path_buf(),
        display_root.trim_end_matches('/').to_string(),
    )];
    while let Some((dir, name)) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
        for entry in entries {
            let entry = entry?;
            let file_name = entry.file_name().to_string_lossy().into_owned();
            if file_name.starts_with('.') {
                continue;
            }
            let child = format!("{name}/{file_name}");
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push((entry.path(), child));
            } else if file_name.ends_with(".yaml") || file_name.ends_with(".yml") {
                sources.push(Source::new(child, read_text(&entry.path())?));
            }
        }
    }
    if sources.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{}: no .yaml files in the catalog folder", path.display()),
        ));
    }
    sources.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(sources)
}

fn read_text(path: &Path) -> io::Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{}: not UTF-8 (invalid byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
        )
    })
}
