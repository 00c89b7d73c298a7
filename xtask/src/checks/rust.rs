//! Checks of the generated Rust crate with Rust's own tools: for `generated/rust` (a workspace
//! member) clippy, rustdoc, rustfmt and `cargo package`; then the same for a crate generated from
//! the hostile test catalog into a folder outside the repository (a standalone crate), whose
//! generated tests also run there.

use std::path::Path;
use std::process::Command;

use crate::{project_root, tools};

fn cargo(dir: &Path, target: &Path) -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(dir).env("CARGO_TARGET_DIR", target);
    c
}

/// clippy (all features and targets, `-D warnings`), rustdoc (`-D warnings`) and rustfmt.
fn lint(dir: &Path, target: &Path) -> Result<(), String> {
    tools::run(cargo(dir, target).args(["clippy", "--all-features", "--all-targets", "--", "-D", "warnings"]))?;
    tools::run(cargo(dir, target).args(["doc", "--no-deps", "--all-features"]).env("RUSTDOCFLAGS", "-D warnings"))?;
    tools::run(cargo(dir, target).args(["fmt", "--check"]))
}

pub fn run() -> Result<(), String> {
    let root = project_root();
    let target = root.join("target/xtask/rust-target");
    let crate_dir = root.join("generated/rust");
    lint(&crate_dir, &target)?;
    tools::run(cargo(&crate_dir, &target).args(["package", "--allow-dirty", "--no-verify", "--quiet"]))?;

    // The hostile catalog, generated outside the repository so it builds as its own crate.
    let out = std::env::temp_dir().join("xtask-rust-hostile");
    let _ = std::fs::remove_dir_all(&out);
    tools::generate_into(&root.join("codegen/tests/data/ok/hostile/catalog.yaml"), &out)?;
    let hostile = out.join("rust");
    lint(&hostile, &target)?;
    tools::run(cargo(&hostile, &target).args(["test", "--all-features", "--quiet"]))
}
