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
    ("guide", guide),
    ("drift", drift),
    ("catalog-schema", checks::catalog::run),
    ("rust", checks::rust::run),
    ("typescript", checks::typescript::run),
    ("diff-clients", checks::diff_clients::run),
    ("diff-source", checks::diff_source::run),
    ("python", checks::python::run),
    ("fuzz", checks::fuzz::run),
    ("openapi", checks::openapi::run),
    ("docs", checks::docs::run),
    ("adopt", checks::adopt::run),
    ("grid", checks::grid::run),
];

/// The steps' names, in order.
pub fn step_names() -> Vec<&'static str> {
    STEPS.iter().map(|(n, _)| *n).collect()
}

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
    let style = crate::stdout_style();
    let (bold, red, reset) = (style.bold, style.error, style.reset);
    let green = if style.reset.is_empty() {
        ""
    } else {
        "\x1b[1;32m"
    };
    for (name, step) in &selected {
        println!("\n{bold}==> {name}{reset}");
        let start = Instant::now();
        match step() {
            Ok(()) => println!(
                "{bold}<== {name}: {green}ok{reset} ({:.1?})",
                start.elapsed()
            ),
            Err(e) => {
                println!(
                    "{bold}<== {name}: {red}FAILED{reset} ({:.1?})\n{e}",
                    start.elapsed()
                );
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

/// `catalog/README.md`'s "Add an error code" example, pasted as its guide says into a copy of
/// the catalog under `target/`: the codegen tests run on that copy (`HUECHAT_CATALOG`), and it
/// generates with no error and no warning. So following the guide can never break CI.
fn guide() -> Result<(), String> {
    let root = project_root();
    let dir = tools::scratch("guide")?;
    let copy = dir.join("catalog");
    copy_dir(&root.join("catalog"), &copy)?;
    let readme = std::fs::read_to_string(root.join("catalog/README.md"))
        .map_err(|e| format!("catalog/README.md: {e}"))?;
    let entry = guide_entry(&readme)?;
    let code = entry
        .lines()
        .find_map(|l| l.trim().strip_prefix("- code:"))
        .and_then(|rest| rest.split('#').next())
        .map(str::trim)
        .ok_or("the guide's entry has no `- code:` line")?;
    let before = codegen::load(&crate::load_sources(&copy)?).map_err(|f| f.to_string())?;
    // Once someone has followed the guide, the catalog holds the code already.
    if !before.errors.iter().any(|e| e.code == code) {
        let file = copy.join("errors/rate_limit.yaml");
        let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        std::fs::write(&file, format!("{}\n{entry}\n", text.trim_end()))
            .map_err(|e| e.to_string())?;
    }

    let sources = crate::load_sources(&copy)?;
    let catalog = codegen::load(&sources).map_err(|f| f.to_string())?;
    if !catalog.warnings.is_empty() {
        return Err(catalog.warnings.render(&codegen::sorted(&sources)));
    }
    tools::generate_into(&copy, &dir.join("generated"))?;
    tools::run(
        cargo()
            .args(["test", "--package", "codegen", "--quiet"])
            .env("HUECHAT_CATALOG", &copy),
    )
}

/// The yaml block of the guide's step 2, without the list's three-space indentation.
fn guide_entry(readme: &str) -> Result<String, String> {
    let start = readme
        .find("## Add an error code")
        .ok_or("catalog/README.md has no \"## Add an error code\" section")?;
    let block: Vec<&str> = readme[start..]
        .lines()
        .skip_while(|l| l.trim() != "```yaml")
        .skip(1)
        .take_while(|l| l.trim() != "```")
        .collect();
    if block.is_empty() {
        return Err("the guide has no ```yaml block".into());
    }
    Ok(block
        .iter()
        .map(|l| l.strip_prefix("   ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n"))
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each target of `codegen::emit::TARGETS` names the step that checks it; the step exists.
    #[test]
    fn every_target_has_its_test_step() {
        for target in codegen::emit::TARGETS {
            let step = target
                .test_step
                .unwrap_or_else(|| panic!("{} has no test step", target.output));
            assert!(
                step_names().contains(&step),
                "{}: no step {step}",
                target.output
            );
        }
    }
}
