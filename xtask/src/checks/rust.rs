//! Checks of the generated Rust crate with Rust's own tools: for `generated/rust` (a workspace
//! member) clippy, rustdoc, rustfmt and `cargo package`; then the same for a crate generated from
//! the gated test catalogs (`tools::gated_catalogs`: hostile text, every code style, every schema keyword) into a folder outside the repository (a standalone crate), whose
//! generated tests also run there; and `rustfmt --check` on the Rust output of every
//! `codegen/tests/data/ok/*` catalog.

use std::path::Path;
use std::process::Command;

use crate::{project_root, tools};

/// clippy (all targets, `-D warnings`) with every feature, with none (as most users depend on
/// the crate) and with `http` alone (`axum` turns on `http`), rustdoc (`-D warnings`) and rustfmt.
fn lint(dir: &Path, target: &Path) -> Result<(), String> {
    for features in [
        &["--all-features"][..],
        &["--no-default-features"],
        &["--no-default-features", "--features", "http"],
    ] {
        tools::run(
            tools::cargo(dir, target)
                .arg("clippy")
                .args(features)
                .args(["--all-targets", "--", "-D", "warnings"]),
        )?;
    }
    tools::run(
        tools::cargo(dir, target)
            .args(["doc", "--no-deps", "--all-features"])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    tools::run(tools::cargo(dir, target).args(["fmt", "--check"]))
}

pub fn run() -> Result<(), String> {
    let root = project_root();
    let target = root.join("target/xtask/rust-target");
    let crate_dir = root.join("generated/rust");
    lint(&crate_dir, &target)?;
    tools::run(tools::cargo(&crate_dir, &target).args(["package", "--allow-dirty", "--quiet"]))?;

    // The gated test catalogs, generated under target/ (outside the workspace) so each builds
    // as its own crate, with the workspace's lockfile: the same pinned versions as generated/rust.
    for (name, catalog) in tools::gated_catalogs()? {
        let out = tools::scratch(&format!("rust-{name}"))?;
        tools::generate_into(&root.join(&catalog), &out)?;
        let krate = out.join("rust");
        std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock"))
            .map_err(|e| format!("Cargo.lock: {e}"))?;
        lint(&krate, &target)?;
        tools::run(tools::cargo(&krate, &target).args(["test", "--all-features", "--quiet"]))?;
    }
    rustfmt_test_catalogs(&root)
}

/// `rustfmt --edition 2024 --check` on the Rust output of every `codegen/tests/data/ok/*` case
/// (a `catalog.yaml` or a `catalog/` folder), each generated into a folder outside the
/// repository. All cases are checked before failing, so one run lists every drift.
fn rustfmt_test_catalogs(root: &Path) -> Result<(), String> {
    let cases = root.join("codegen/tests/data/ok");
    let mut names: Vec<String> = std::fs::read_dir(&cases)
        .map_err(|e| format!("{}: {e}", cases.display()))?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut failed = Vec::new();
    for name in &names {
        let dir = cases.join(name);
        let catalog = [dir.join("catalog.yaml"), dir.join("catalog")]
            .into_iter()
            .find(|p| p.exists())
            .ok_or_else(|| format!("{}: no catalog.yaml or catalog/", dir.display()))?;
        let out = tools::scratch(&format!("rust-fmt/{name}"))?;
        tools::generate_into(&catalog, &out)?;
        let krate = out.join("rust");
        // `lib.rs` reaches every module of `src/`; the integration tests are a root of their own.
        let status = tools::run(
            Command::new("rustfmt")
                .args([
                    "--edition",
                    "2024",
                    "--check",
                    "src/lib.rs",
                    "tests/examples.rs",
                ])
                .current_dir(&krate),
        );
        if status.is_err() {
            failed.push(name.as_str());
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the generated Rust is not rustfmt-clean for: {}",
            failed.join(", ")
        ))
    }
}
