//! `examples/adopt/` as another repository would use the generator: the folder is copied out
//! of this repository (its `errcat` dependency pointed at this checkout, as a team's would be
//! at a git revision), its own `xtask` is built (renamed `adopt-xtask`, to share this
//! workspace's target folder), and `gen` / `gen --check` run end to end with
//! its layout's defaults: first run, no-op run, drift found and fixed, a catalog error.

use std::path::Path;
use std::process::{Command, Output};

use crate::{project_root, tools};

pub fn run() -> Result<(), String> {
    let root = project_root();
    let repo = tools::scratch("adopt")?.join("repo");
    copy_tree(&root.join("examples/adopt"), &repo)?;
    let manifest = repo.join("xtask/Cargo.toml");
    let text = read(&manifest)?;
    let local = "errcat = { path = \"../../../errcat\" }";
    if !text.contains(local) {
        return Err(format!(
            "{}: no `{local}` to point at this checkout",
            manifest.display()
        ));
    }
    let errcat = root.join("errcat");
    // Renamed so that it builds in this workspace's target folder, reusing its build of
    // `codegen`, without replacing `target/debug/xtask`.
    write(
        &manifest,
        &text
            .replace(
                local,
                &format!("errcat = {{ path = {:?} }}", errcat.display().to_string()),
            )
            .replacen("name = \"xtask\"", "name = \"adopt-xtask\"", 1),
    )?;
    // The same pinned versions as this workspace.
    std::fs::copy(root.join("Cargo.lock"), repo.join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let target = root.join("target");
    tools::run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(&repo)
            .env("CARGO_TARGET_DIR", &target)
            .args(["build", "--package", "adopt-xtask"]),
    )?;
    let bin = target
        .join("debug")
        .join(format!("adopt-xtask{}", std::env::consts::EXE_SUFFIX));
    let gen_ = |args: &[&str]| -> Result<Output, String> {
        Command::new(&bin)
            .current_dir(&repo)
            .env("NO_COLOR", "1")
            .arg("gen")
            .args(args)
            .output()
            .map_err(|e| format!("{}: {e}", bin.display()))
    };
    let mut problems = Vec::new();
    let out = repo.join("generated/errors");
    expect(
        &mut problems,
        "first gen",
        &gen_(&[])?,
        0,
        "generated/errors/: ",
    );
    for file in [
        "rust/Cargo.toml",
        "typescript/package.json",
        "python/pyproject.toml",
        "openapi/openapi.yaml",
        "docs/src/orders.md",
        "catalog.json",
    ] {
        if !out.join(file).is_file() {
            problems.push(format!("adopt: first gen wrote no generated/errors/{file}"));
        }
    }
    let code_rs = read(&out.join("rust/src/code.rs")).unwrap_or_default();
    if !code_rs.contains("cargo xtask gen") || !code_rs.contains("OrderNotFound") {
        problems.push("adopt: rust/src/code.rs lacks the layout's command or the code".into());
    }
    expect(
        &mut problems,
        "gen --check after gen",
        &gen_(&["--check"])?,
        0,
        "is up to date",
    );
    expect(&mut problems, "second gen", &gen_(&[])?, 0, "0 changed");

    let catalog = repo.join("errors/catalog.yaml");
    let edited =
        read(&catalog)?.replace("No order has this id.", "No order has this id (any more).");
    write(&catalog, &edited)?;
    expect(
        &mut problems,
        "gen --check after a catalog edit",
        &gen_(&["--check"])?,
        1,
        "run `cargo xtask gen` to update",
    );
    expect(
        &mut problems,
        "gen after a catalog edit",
        &gen_(&[])?,
        0,
        "updated generated/errors/",
    );
    expect(
        &mut problems,
        "gen --check after regenerating",
        &gen_(&["--check"])?,
        0,
        "is up to date",
    );

    write(
        &catalog,
        &edited.replace("code: OrderNotFound", "code: order_not_found"),
    )?;
    expect(
        &mut problems,
        "a code in the wrong style",
        &gen_(&[])?,
        2,
        "try `OrderNotFound`",
    );
    write(&catalog, &edited)?;
    expect(
        &mut problems,
        "nothing written after an error",
        &gen_(&["--check"])?,
        0,
        "is up to date",
    );

    let other = repo.join("elsewhere");
    expect(
        &mut problems,
        "--out",
        &gen_(&["--out", "elsewhere"])?,
        0,
        "elsewhere/: ",
    );
    if !other.join("catalog.json").is_file() {
        problems.push("adopt: --out elsewhere wrote no catalog.json there".into());
    }

    if problems.is_empty() {
        println!("adopt: examples/adopt builds on its own and its `gen`/`gen --check` behave");
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Records a problem unless `out` exited with `code` and printed `needle`.
fn expect(problems: &mut Vec<String>, what: &str, out: &Output, code: i32, needle: &str) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.code() != Some(code) || !text.contains(needle) {
        problems.push(format!(
            "adopt: {what}: expected exit {code} and `{needle}`, got {}:\n{text}",
            out.status
        ));
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Copies a folder, leaving out `target/` (a build of the example in place).
fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&src, &dst)?;
            }
        } else {
            std::fs::copy(&src, &dst).map_err(|e| format!("{}: {e}", src.display()))?;
        }
    }
    Ok(())
}
