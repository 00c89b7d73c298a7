//! `cargo xtask test`: every test and check, in one command. Each step runs even if an earlier
//! one failed; the summary line counts them.

use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::{checks, project_root, tools};

type Step = fn() -> Result<(), String>;

/// The steps, in order. Names are what `cargo xtask test <filter>` matches.
const STEPS: &[(&str, Step)] = &[
    ("lint", lint),
    ("cargo-test", cargo_test),
    ("drift", drift),
    ("catalog-schema", checks::catalog::run),
    ("rust", checks::rust::run),
    ("typescript", checks::typescript::run),
    ("diff-clients", checks::diff_clients::run),
    ("openapi", checks::openapi::run),
    ("docs", checks::docs::run),
];

pub fn test_command(filter: &[String]) -> Result<ExitCode, String> {
    let selected: Vec<&(&str, Step)> = STEPS
        .iter()
        .filter(|(name, _)| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str())))
        .collect();
    if selected.is_empty() {
        let names: Vec<&str> = STEPS.iter().map(|(n, _)| *n).collect();
        return Err(format!(
            "no step matches {filter:?}; steps: {}",
            names.join(", ")
        ));
    }
    let mut failed = Vec::new();
    for (name, step) in &selected {
        println!("\n==> {name}");
        let start = Instant::now();
        match step() {
            Ok(()) => println!("<== {name}: ok ({:.1?})", start.elapsed()),
            Err(e) => {
                println!("<== {name}: FAILED ({:.1?})\n{e}", start.elapsed());
                failed.push(*name);
            }
        }
    }
    println!();
    if !failed.is_empty() {
        println!("failed steps: {}", failed.join(", "));
    }
    println!(
        "{} passed, {} failed",
        selected.len() - failed.len(),
        failed.len()
    );
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(project_root());
    c
}

/// The generator's own code: formatted, and clippy-clean.
fn lint() -> Result<(), String> {
    tools::run(cargo().args(["fmt", "--all", "--check"]))?;
    tools::run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]))
}

/// Every Rust test in the workspace: the generator's unit, golden and diagnostic tests, and the
/// generated crate's own tests.
fn cargo_test() -> Result<(), String> {
    tools::run(cargo().args(["test", "--workspace", "--all-features"]))
}

/// `generated/` matches the catalog.
fn drift() -> Result<(), String> {
    tools::run(cargo().args([
        "run",
        "--quiet",
        "--package",
        "xtask",
        "--",
        "gen",
        "--check",
    ]))
}
