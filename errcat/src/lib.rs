//! The generator for a repository's own command. `run` takes the subcommands a team needs in
//! its CI, with its own layout's defaults and the same messages as this repository's
//! `cargo xtask`, which is built on it:
//!
//! - `gen` reads the catalog, generates every output and replaces the output folder in one
//!   atomic swap (`gen --check` reports its drift instead; `sync`);
//! - `diff` compares the catalog with another version, from git or a folder, and checks the
//!   `api.version` bump (`diff`);
//! - `explain CODE` prints one code's entry, `explain --list` every code (`explain`).
//!
//! A team's `xtask/src/main.rs` is then a few lines (see `examples/adopt/`):
//!
//! ```no_run
//! fn main() -> std::process::ExitCode {
//!     let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
//!     errcat::run(&errcat::Layout::new(&root, "errors", "errors-generated"), std::env::args_os().skip(1))
//! }
//! ```

/// `eprintln!` that ends quietly on a closed stderr (`gen 2>&1 | head`) instead of panicking.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that ends quietly on a closed stderr, as [`errln!`].
#[macro_export]
macro_rules! errs {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub mod diff;
pub mod explain;
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

/// The subcommands `run` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Gen,
    Diff,
    Explain,
}

/// `gen`, `diff` or `explain` with `layout`'s defaults (no subcommand is `gen`, so
/// `cargo xtask --check` works); `help` or `--help` prints the usage. Exit status: 0 when done,
/// 1 when `gen --check` finds drift or `diff` finds the version bump too small, 2 when a
/// catalog has errors, `explain` knows no such code, or the arguments are wrong (each printed
/// on stderr).
pub fn run(layout: &Layout, args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let result = parse(layout, args).and_then(|parsed| match parsed {
        Some(Parsed {
            help: true,
            command,
            ..
        }) => {
            out(&help_of(layout, command));
            Ok(ExitCode::SUCCESS)
        }
        Some(Parsed {
            command: Command::Gen,
            paths,
            check,
            timings,
            default_out_for_another_catalog,
            ..
        }) => {
            if default_out_for_another_catalog && !check {
                sync::guard_default_out(&paths)?;
            }
            sync::gen_command(&paths, check, timings)
        }
        Some(Parsed {
            command: Command::Diff,
            paths,
            rest,
            ..
        }) => diff::command(&paths, &rest),
        Some(Parsed {
            command: Command::Explain,
            paths,
            rest,
            catalog_given,
            ..
        }) => explain::command(&paths, &rest, catalog_given),
        None => {
            out(&help(layout));
            Ok(ExitCode::SUCCESS)
        }
    });
    result.unwrap_or_else(|e| {
        crate::errln!("error: {e}");
        ExitCode::from(2)
    })
}

/// Writes `text` to stdout. A closed pipe (`gen --check | head`) or another write error ends
/// the output quietly instead of panicking as `print!` does; the exit status still tells.
pub fn out(text: &str) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

impl Layout {
    /// The command without its `gen` (`cargo xtask`), for the other subcommands' messages.
    pub fn program(&self) -> &str {
        self.command.strip_suffix(" gen").unwrap_or(&self.command)
    }
}

/// The program as `paths` were made for (`cargo xtask`): `header_command` up to its options,
/// without `gen`.
pub fn program(paths: &Paths) -> &str {
    let command = paths
        .header_command
        .split(" --")
        .next()
        .unwrap_or(&paths.header_command);
    command.strip_suffix(" gen").unwrap_or(command)
}

fn help(layout: &Layout) -> String {
    let program = layout.program();
    format!(
        "{program} [gen] [--check] [--catalog PATH] [--out DIR] [--timings]\n\
         {program} diff (--base REF | --old PATH --new PATH) [--catalog PATH] [--format FORMAT]\n\
         {program} explain (CODE | --list) [--catalog PATH]\n\n\
         {}\n\
         Diagnostics are coloured on a terminal; set NO_COLOR to turn colour off.\n\n\
         Exit status: 0 on success, 1 when `gen --check` finds drift or `diff` needs a bigger\n\
         version bump, 2 when a catalog has errors, the code is unknown or the command is misused.\n",
        options(layout)
    )
}

/// The options of `gen`, `diff` and `explain` with `layout`'s defaults, as `help` lists them
/// (and this repository's `cargo xtask help`).
pub fn options(layout: &Layout) -> String {
    [Command::Gen, Command::Diff, Command::Explain]
        .map(|c| options_of(layout, c))
        .join("\n")
}

/// One subcommand's options, as `options` and `<command> --help` list them.
fn options_of(layout: &Layout, command: Command) -> String {
    let catalog = display_path(&layout.catalog, &layout.root);
    let out = display_path(&layout.out, &layout.root);
    match command {
        Command::Gen => format!(
            "Options of `gen` (generate every output of the catalog into the output folder):\n\
             \x20 --check           Write nothing; list stale, missing and extra files with a diff; exit 1 if any\n\
             \x20 --catalog PATH    The catalog: a YAML file or a folder of them [default: {catalog}]\n\
             \x20 --out DIR         The output folder [default: {out}]\n\
             \x20 --timings         Print how long each stage took (to stderr)\n"
        ),
        Command::Diff => format!(
            "Options of `diff` (every change since another version of the catalog, breaking or not):\n\
             \x20 --base REF        Compare with the catalog at this git revision (no checkout), such as\n\
             \x20                   `origin/main` or `$(git merge-base HEAD origin/main)`\n\
             \x20 --old PATH --new PATH\n\
             \x20                   Compare two catalog files or folders instead\n\
             \x20 --catalog PATH    The new catalog with `--base` [default: {catalog}]\n\
             \x20 --format FORMAT   text (default), json, or markdown (a changelog section)\n\
             \x20 --timings         Print how long reading, comparing and printing took (to stderr)\n\
             \x20 Exit status 1 when the changes need a bigger version bump than `api.version` made.\n"
        ),
        Command::Explain => "Options of `explain` (one code's entry, like `rustc --explain`):\n\
             \x20 explain <CODE> [--catalog PATH]\n\
             \x20 explain --list [--catalog PATH]   Every code with its status and description\n"
            .to_string(),
    }
}

/// `<command> --help`: the command's usage line and options.
fn help_of(layout: &Layout, command: Command) -> String {
    let program = layout.program();
    let usage = match command {
        Command::Gen => "[gen] [--check] [--catalog PATH] [--out DIR] [--timings]",
        Command::Diff => {
            "diff (--base REF | --old PATH --new PATH) [--catalog PATH] [--format FORMAT]"
        }
        Command::Explain => "explain (CODE | --list) [--catalog PATH]",
    };
    format!(
        "{program} {usage}\n\n{}\nSee `{program} help` for every command.\n",
        options_of(layout, command)
    )
}

/// One run's subcommand, paths and options.
#[derive(Debug)]
struct Parsed {
    command: Command,
    paths: Paths,
    /// `gen --check`.
    check: bool,
    /// `gen --timings`.
    timings: bool,
    /// `--catalog` was given: not the layout's catalog.
    catalog_given: bool,
    /// `gen --catalog` without `--out`: another catalog into the default folder.
    default_out_for_another_catalog: bool,
    /// `diff`'s options and values, `explain`'s code or `--list`, in order.
    rest: Vec<String>,
    /// `<command> --help`: print the command's help instead.
    help: bool,
}

/// The run's subcommand, paths and flags, or `None` for `help`.
fn parse(
    layout: &Layout,
    args: impl IntoIterator<Item = OsString>,
) -> Result<Option<Parsed>, String> {
    use lexopt::prelude::*;
    let mut paths = Paths {
        catalog: layout.catalog.clone(),
        out: layout.out.clone(),
        command: layout.command.clone(),
        header_command: layout.command.clone(),
        root: layout.root.clone(),
    };
    let mut args = args.into_iter().peekable();
    // `gen` may be written or not: `cargo xtask gen --check` and `cargo xtask --check`.
    let command = match args.peek().and_then(|a| a.to_str()) {
        Some("gen") => Command::Gen,
        Some("diff") => Command::Diff,
        Some("explain") => Command::Explain,
        Some("help") => return Ok(None),
        Some(other) if !other.starts_with('-') => {
            return Err(format!(
                "unknown command `{other}`; `{}` knows gen, diff and explain (see `{} help`)",
                layout.program(),
                layout.program()
            ));
        }
        _ => Command::Gen,
    };
    let named = args
        .peek()
        .is_some_and(|a| !a.to_string_lossy().starts_with('-'));
    if named {
        args.next();
    }
    let (mut check, mut timings, mut rest) = (false, false, Vec::new());
    let (mut catalog_given, mut out_given) = (false, false);
    let mut parser = lexopt::Parser::from_args(args);
    let string = |v: OsString| v.into_string().map_err(|v| format!("not UTF-8: {v:?}"));
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("check") if command == Command::Gen => check = true,
            Long("timings") if command == Command::Gen => timings = true,
            Long("catalog") => {
                let v: PathBuf = parser.value().map_err(|e| e.to_string())?.into();
                paths
                    .command
                    .push_str(&format!(" --catalog {}", v.display()));
                paths.header_command.push_str(" --catalog <catalog>");
                paths.catalog = v;
                catalog_given = true;
            }
            Long("out") if command == Command::Gen => {
                let v: PathBuf = parser.value().map_err(|e| e.to_string())?.into();
                out_given = true;
                paths.command.push_str(&format!(" --out {}", v.display()));
                paths.header_command.push_str(" --out <this folder>");
                paths.out = v;
            }
            Long("help") | Short('h') if named => {
                return Ok(Some(Parsed {
                    command,
                    paths,
                    check: false,
                    timings: false,
                    catalog_given: false,
                    default_out_for_another_catalog: false,
                    rest: Vec::new(),
                    help: true,
                }));
            }
            Long("help") | Short('h') => return Ok(None),
            Long("timings") if command == Command::Diff => rest.push("--timings".into()),
            Long(flag @ ("base" | "old" | "new" | "format")) if command == Command::Diff => {
                let flag = format!("--{flag}");
                let v = parser.value().map_err(|e| e.to_string())?;
                rest.push(flag);
                rest.push(string(v)?);
            }
            Long("list") if command == Command::Explain => rest.push("--list".into()),
            Value(v) if command == Command::Explain => rest.push(string(v)?),
            other => {
                return Err(format!(
                    "{} (see `{} help`)",
                    other.unexpected(),
                    layout.program()
                ));
            }
        }
    }
    Ok(Some(Parsed {
        command,
        paths,
        check,
        timings,
        catalog_given,
        default_out_for_another_catalog: catalog_given && !out_given,
        rest,
        help: false,
    }))
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
    // Absolute, with `.` and `..` steps resolved by their text (a layout's root is often
    // `<crate>/..`), so that a path inside the root is shown relative to it.
    let lexical = |p: &Path| {
        let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let mut out = PathBuf::new();
        for part in abs.components() {
            match part {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                other => out.push(other),
            }
        }
        out
    };
    let (abs, root) = (lexical(path), lexical(root));
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
        let parsed = parse(&layout, ["gen".into(), "--check".into()])
            .unwrap()
            .unwrap();
        assert_eq!(parsed.command, Command::Gen);
        assert!(parsed.check);
        assert_eq!(parsed.paths.catalog, Path::new("/repo/errors"));
        assert_eq!(parsed.paths.out, Path::new("/repo/gen/errors"));
        assert_eq!(parsed.paths.header_command, "cargo xtask gen");
        let parsed = parse(&layout, ["--out".into(), "x".into()])
            .unwrap()
            .unwrap();
        assert!(!parsed.check);
        assert_eq!(parsed.paths.out, Path::new("x"));
        assert_eq!(
            parsed.paths.header_command,
            "cargo xtask gen --out <this folder>"
        );
        assert_eq!(program(&parsed.paths), "cargo xtask");
        assert!(parse(&layout, ["--nope".into()]).is_err());
        assert!(parse(&layout, ["--help".into()]).unwrap().is_none());
        assert!(parse(&layout, ["help".into()]).unwrap().is_none());
        // A named command's `--help` is its own help.
        let parsed = parse(&layout, ["diff".into(), "--help".into()])
            .unwrap()
            .unwrap();
        assert!(parsed.help && parsed.command == Command::Diff);
        assert!(help_of(&layout, Command::Diff).contains("--base REF"));
        assert!(
            !help_of(&layout, Command::Diff)
                .contains("--timings         Print how long each stage")
        );
        assert!(help(&layout).contains("[default: gen/errors]"));
    }

    #[test]
    fn diff_and_explain_take_their_options_and_the_layout_catalog() {
        let layout = Layout::new(Path::new("/repo"), "errors", "gen/errors");
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        let parsed = parse(
            &layout,
            args(&["diff", "--base", "HEAD~1", "--format", "json"]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(parsed.command, Command::Diff);
        assert_eq!(parsed.rest, ["--base", "HEAD~1", "--format", "json"]);
        assert_eq!(parsed.paths.catalog, Path::new("/repo/errors"));
        let parsed = parse(
            &layout,
            args(&["explain", "OrderNotFound", "--catalog", "c.yaml"]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(parsed.command, Command::Explain);
        assert_eq!(parsed.rest, ["OrderNotFound"]);
        assert_eq!(parsed.paths.catalog, Path::new("c.yaml"));
        // Each subcommand refuses the others' options, and unknown subcommands are named.
        assert!(parse(&layout, args(&["diff", "--check"])).is_err());
        assert!(parse(&layout, args(&["explain", "--out", "x"])).is_err());
        assert!(parse(&layout, args(&["gen", "stray"])).is_err());
        let err = parse(&layout, args(&["bench"])).unwrap_err();
        assert!(err.contains("unknown command `bench`"), "{err}");
    }
}
