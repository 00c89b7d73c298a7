//! The generator for a repository's own command: `run` reads the catalog, generates every
//! output and replaces the output folder in one atomic swap (`gen`), or reports its drift
//! (`gen --check`), with the same locking, recovery and messages as this repository's
//! `cargo xtask gen`, which is built on it.
//!
//! A team's `xtask/src/main.rs` is then a few lines (see `examples/adopt/`):
//!
//! ```no_run
//! fn main() -> std::process::ExitCode {
//!     let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
//!     errcat::run(&errcat::Layout::new(&root, "errors", "errors-generated"), std::env::args_os().skip(1))
//! }
//! ```

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub mod sync;

/// Where a repository keeps its catalog and outputs, relative to `root`, and how its users
/// run the command (shown in messages and in every generated file's header).
#[derive(Debug, Clone)]
pub struct Layout {
    /// The repository root: the default paths are relative to it, and messages show paths
    /// inside it relative to it.
    pub root: PathBuf,
    /// The catalog (a YAML file or a folder of them) when `--catalog` is not given.
    pub catalog: PathBuf,
    /// The output folder when `--out` is not given.
    pub out: PathBuf,
    /// The command as users type it (`cargo xtask gen`).
    pub command: String,
}

impl Layout {
    /// `catalog` and `out` relative to `root`; the command is `cargo xtask gen`.
    pub fn new(root: &Path, catalog: impl AsRef<Path>, out: impl AsRef<Path>) -> Layout {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        Layout {
            catalog: root.join(catalog),
            out: root.join(out),
            root,
            command: "cargo xtask gen".into(),
        }
    }
}

/// The paths one run uses.
#[derive(Debug, Clone)]
pub struct Paths {
    pub catalog: PathBuf,
    pub out: PathBuf,
    /// The `gen` command as the user typed it, for messages in the terminal.
    pub command: String,
    /// The same command with its paths left out (`--catalog <catalog>`), for the files'
    /// headers: the output depends on the catalog only, never on where it was generated.
    pub header_command: String,
    /// Paths inside this folder are shown relative to it.
    pub root: PathBuf,
}

/// `gen [--check] [--catalog PATH] [--out DIR] [--timings]` with `layout`'s defaults: exit 0
/// when done or up to date, 1 when `--check` finds drift, 2 when the catalog has errors or the
/// arguments are wrong (each printed on stderr).
pub fn run(layout: &Layout, args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let result = parse(layout, args).and_then(|parsed| match parsed {
        Some((paths, check, timings)) => sync::gen_command(&paths, check, timings),
        None => {
            print!("{}", help(layout));
            Ok(ExitCode::SUCCESS)
        }
    });
    result.unwrap_or_else(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })
}

fn help(layout: &Layout) -> String {
    format!(
        "{} [--check] [--catalog PATH] [--out DIR] [--timings]\n\n\
         Generate every output of the error catalog into the output folder.\n\n\
         \x20 --check           Write nothing; list stale, missing and extra files; exit 1 if any\n\
         \x20 --catalog PATH    The catalog: a YAML file or a folder of them [default: {}]\n\
         \x20 --out DIR         The output folder [default: {}]\n\
         \x20 --timings         Print how long each stage took (to stderr)\n",
        layout.command,
        display_path(&layout.catalog, &layout.root),
        display_path(&layout.out, &layout.root),
    )
}

/// The run's paths and flags, or `None` for `--help`.
fn parse(
    layout: &Layout,
    args: impl IntoIterator<Item = OsString>,
) -> Result<Option<(Paths, bool, bool)>, String> {
    use lexopt::prelude::*;
    let mut paths = Paths {
        catalog: layout.catalog.clone(),
        out: layout.out.clone(),
        command: layout.command.clone(),
        header_command: layout.command.clone(),
        root: layout.root.clone(),
    };
    let (mut check, mut timings) = (false, false);
    // `gen` may be written or not: `cargo xtask gen --check` and `cargo xtask --check`.
    let mut args = args.into_iter().peekable();
    if args.peek().is_some_and(|a| a == "gen") {
        args.next();
    }
    let mut parser = lexopt::Parser::from_args(args);
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("check") => check = true,
            Long("timings") => timings = true,
            Long("catalog") => {
                let v: PathBuf = parser.value().map_err(|e| e.to_string())?.into();
                paths
                    .command
                    .push_str(&format!(" --catalog {}", v.display()));
                paths.header_command.push_str(" --catalog <catalog>");
                paths.catalog = v;
            }
            Long("out") => {
                let v: PathBuf = parser.value().map_err(|e| e.to_string())?.into();
                paths.command.push_str(&format!(" --out {}", v.display()));
                paths.header_command.push_str(" --out <this folder>");
                paths.out = v;
            }
            Long("help") | Short('h') => return Ok(None),
            other => return Err(other.unexpected().to_string()),
        }
    }
    Ok(Some((paths, check, timings)))
}

/// Colours for diagnostics on stderr: only for a terminal, and never with `NO_COLOR` set
/// (<https://no-color.org>).
pub fn stderr_style() -> codegen::diagnostic::Style {
    use std::io::IsTerminal;
    style_for(std::io::stderr().is_terminal())
}

/// Colours for a stream that is a terminal or not, unless `NO_COLOR` is set.
pub fn style_for(terminal: bool) -> codegen::diagnostic::Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if terminal && !no_color {
        codegen::diagnostic::Style::COLOR
    } else {
        codegen::diagnostic::Style::PLAIN
    }
}

/// Reads a catalog, its file names shown relative to `root`; on problems, returns every one.
pub fn load_sources(catalog: &Path, root: &Path) -> Result<Vec<codegen::Source>, String> {
    let display = display_path(catalog, root);
    // One problem per line, each with the `error: ` that the caller puts before the first.
    codegen::source::read_catalog(catalog, &display).map_err(|e| e.problems.join("\nerror: "))
}

/// A path as messages show it: relative to `root` when inside it.
pub fn display_path(path: &Path, root: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let shown = abs.strip_prefix(&root).unwrap_or(&abs);
    shown.to_string_lossy().replace('\\', "/")
}

/// This repository's root, where the sync tests find the HueChat catalog.
#[cfg(test)]
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("errcat lives in the repository root")
        .to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_override_the_layout() {
        let layout = Layout::new(Path::new("/repo"), "errors", "gen/errors");
        let (paths, check, _) = parse(&layout, ["gen".into(), "--check".into()])
            .unwrap()
            .unwrap();
        assert!(check);
        assert_eq!(paths.catalog, Path::new("/repo/errors"));
        assert_eq!(paths.out, Path::new("/repo/gen/errors"));
        assert_eq!(paths.header_command, "cargo xtask gen");
        let (paths, check, _) = parse(&layout, ["--out".into(), "x".into()])
            .unwrap()
            .unwrap();
        assert!(!check);
        assert_eq!(paths.out, Path::new("x"));
        assert_eq!(paths.header_command, "cargo xtask gen --out <this folder>");
        assert!(parse(&layout, ["--nope".into()]).is_err());
        assert!(parse(&layout, ["--help".into()]).unwrap().is_none());
        assert!(help(&layout).contains("[default: gen/errors]"));
    }
}
