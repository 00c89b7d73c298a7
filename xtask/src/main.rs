//! `cargo xtask`: the project's command line. Parses arguments and hands off; the work is in
//! `codegen` (generation) and in one module per command here.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// mimalloc: generation allocates and frees millions of small token and AST nodes, where
/// glibc's allocator spent about a third of the run time (`cargo xtask bench`). On Linux, large
/// blocks are mappings that grow in place (`alloc`).
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: alloc::Allocator = alloc::Allocator;
#[cfg(not(target_os = "linux"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(target_os = "linux")]
mod alloc;
mod bench;
mod checks;
mod docs_site;
mod test;
mod tools;

// `gen`, `diff` and `explain` are the `errcat` library's, which other repositories use from
// their own xtask: this command hands them over whole, arguments included.
pub use errcat::Paths;

const HELP: &str = "\
cargo xtask <COMMAND> [OPTIONS]

Commands:
  gen       Generate every output from the catalog into the output folder
  test      Run every test and check (installs pinned tools on first use)
  docs      Build the HTML docs site with mdBook and print where it is
  explain   Print one error code's entry, like `rustc --explain`
  diff      Compare the catalog with another version: every change, breaking or not, and
            whether `api.version` went up enough
  bench     Benchmark generation at 100, 1,000 and 10,000 codes [--quick] [--rust-check] [--no-gates]
            [huechat|sizes|diff|users: run only the stages named]
  fuzz      Compare the generated Rust, TypeScript and Python packages' verdicts on mutated
            bodies [--bodies N (default 100000)] [--seed S]
  help      Print this help

__ERRCAT__
`test [STEP...]` runs the named steps only (a step runs when its name contains an argument):
  __STEPS__

Options of `docs`:
  docs [--catalog PATH]    Build another catalog's site (into target/docs/)

Diagnostics are coloured on a terminal; set NO_COLOR to turn colour off.

Exit status: 0 on success, 1 when `gen --check` finds drift, `diff` finds too small a version
bump or a test fails, 2 when the catalog has errors or the command is misused.
";

/// The repository root (this crate's parent), so `cargo xtask` works from any folder.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository root")
        .to_path_buf()
}

/// This repository's layout for `errcat`: `catalog/` generated into `generated/`.
fn layout() -> errcat::Layout {
    errcat::Layout::new(&project_root(), "catalog", "generated")
}

/// The help text, with `test`'s steps as they are and `errcat`'s options of `gen`, `diff` and
/// `explain`.
fn help() -> String {
    HELP.replace("__STEPS__", &test::step_names().join(", "))
        .replace("__ERRCAT__", &errcat::options(&layout()))
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            errcat::errln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let command = match parser.next().map_err(|e| e.to_string())? {
        Some(Value(v)) => v.string().map_err(|e| e.to_string())?,
        Some(Long("help") | Short('h')) | None => {
            errcat::out(&help());
            return Ok(ExitCode::SUCCESS);
        }
        Some(other) => return Err(other.unexpected().to_string()),
    };
    let root = project_root();
    if matches!(command.as_str(), "gen" | "diff" | "explain") {
        // `gen` starts no other process, which would inherit the setting.
        #[cfg(target_os = "linux")]
        if command == "gen" {
            alloc::small_pages_until_large();
        }
        return Ok(errcat::run(&layout(), std::env::args_os().skip(1)));
    }
    let mut paths = Paths {
        catalog: root.join("catalog"),
        out: root.join("generated"),
        command: "cargo xtask gen".into(),
        header_command: "cargo xtask gen".into(),
        root: root.clone(),
    };
    let mut positional: Vec<String> = Vec::new();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("catalog") => {
                let v: PathBuf = parser.value().map_err(|e| e.to_string())?.into();
                paths
                    .command
                    .push_str(&format!(" --catalog {}", v.display()));
                paths.header_command.push_str(" --catalog <catalog>");
                paths.catalog = v;
            }
            Long("out") if command == "bench" => {
                let v: PathBuf = parser.value().map_err(|e| e.to_string())?.into();
                paths.command.push_str(&format!(" --out {}", v.display()));
                paths.header_command.push_str(" --out <this folder>");
                paths.out = v;
            }
            Long("help") | Short('h') => {
                errcat::out(&help());
                return Ok(ExitCode::SUCCESS);
            }
            Long(flag) if command == "bench" => positional.push(format!("--{flag}")),
            Long(flag @ ("bodies" | "seed")) if command == "fuzz" => {
                let flag = format!("--{flag}");
                let v = parser.value().map_err(|e| e.to_string())?;
                positional.push(flag);
                positional.push(v.string().map_err(|e| e.to_string())?);
            }
            Value(v) => positional.push(v.string().map_err(|e| e.to_string())?),
            other => return Err(format!("{} (see `cargo xtask help`)", other.unexpected())),
        }
    }
    match command.as_str() {
        "test" => test::test_command(&positional),
        "docs" => docs_site::command(&paths, &positional),
        "bench" => bench::command(&paths, &positional),
        "fuzz" => checks::fuzz::command(&positional),
        "help" => {
            errcat::out(&help());
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!(
            "unknown command `{other}` (see `cargo xtask help`)"
        )),
    }
}

/// Colours for the test command's summary on stdout (`errcat::style_for`).
pub fn stdout_style() -> codegen::diagnostic::Style {
    errcat::style_for(std::io::stdout().is_terminal())
}

/// Reads and validates a catalog; on problems, prints every diagnostic and returns `Err`.
pub fn load_sources(catalog: &Path) -> Result<Vec<codegen::Source>, String> {
    errcat::load_sources(catalog, &project_root())
}

/// A path as diagnostics show it: relative to the repository root when inside it.
pub fn display_path(path: &Path) -> String {
    errcat::display_path(path, &project_root())
}
