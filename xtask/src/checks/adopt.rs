//! `examples/adopt/` as another repository would use the generator: the folder is copied out
//! of this repository (its `errcat` dependency pointed at this checkout, as a team's would be
//! at a git revision), its own `xtask` is built (renamed `adopt-xtask`, to share this
//! workspace's target folder), and its subcommands run end to end with its layout's defaults:
//! `gen` / `gen --check` (first run, no-op run, drift found and fixed, a catalog error),
//! `explain` (a code, a typo, `--list`), and README's CI recipe for `diff` in a git repository
//! made of the copy (a branch with a compatible change and a version bump, exit 0; then a
//! breaking one without the bump it needs, exit 1).

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
    tools::run(tools::cargo(&repo, &target).args(["build", "--package", "adopt-xtask"]))?;
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

    let run = |args: &[&str]| -> Result<Output, String> {
        Command::new(&bin)
            .current_dir(&repo)
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .map_err(|e| format!("{}: {e}", bin.display()))
    };
    explain(&mut problems, &run, &edited)?;
    diff(&mut problems, &run, &repo, &catalog, &edited)?;

    if problems.is_empty() {
        println!(
            "adopt: examples/adopt builds on its own and its `gen`, `gen --check`, `explain` and `diff` behave"
        );
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// `explain` of the example's code as the catalog words it, of a typo, and `--list`.
fn explain(
    problems: &mut Vec<String>,
    run: &dyn Fn(&[&str]) -> Result<Output, String>,
    catalog: &str,
) -> Result<(), String> {
    // The first code's keys, by their indentation in the example's `errors:` list.
    let errors = catalog.split_once("\nerrors:\n").map_or("", |(_, e)| e);
    let field = |key: &str| {
        errors
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().trim_matches('"').to_string())
            .unwrap_or_default()
    };
    let (code, description, message) = (
        field("  - code:"),
        field("    description:"),
        field("    message:"),
    );
    expect(
        problems,
        "explain CODE",
        &run(&["explain", &code])?,
        0,
        &format!("{code}: {description}\n"),
    );
    expect(
        problems,
        "explain CODE shows the message",
        &run(&["explain", &code])?,
        0,
        &format!("Message:   {message}\n"),
    );
    let typo = &code[..code.len() - 1];
    let unknown = run(&["explain", typo])?;
    expect(
        problems,
        "explain of a typo",
        &unknown,
        2,
        &format!("did you mean `{code}`?"),
    );
    expect(
        problems,
        "explain of a typo names the layout's output",
        &unknown,
        2,
        "see `generated/errors/catalog.json`",
    );
    // A catalog named on the command line has no generated outputs to point at: the help
    // names the command that lists that catalog's codes.
    expect(
        problems,
        "explain of a typo in a named catalog names that catalog",
        &run(&["explain", typo, "--catalog", "errors/catalog.yaml"])?,
        2,
        "explain --list --catalog errors/catalog.yaml`",
    );
    expect(
        problems,
        "explain --list",
        &run(&["explain", "--list"])?,
        0,
        &format!("{code}  "),
    );
    Ok(())
}

/// README's CI recipe, `diff --base "$(git merge-base HEAD main)"`, in a git repository made
/// of the copy: the branch that adds the catalog exits 0 (every code added); once merged, on a
/// branch, an optional details field with a patch
/// bump (before 1.0, Cargo's rules make that enough) exits 0; once that is merged, the
/// next branch changes the field's type, breaking, with only a patch bump: exit 1, naming the
/// version it needs.
fn diff(
    problems: &mut Vec<String>,
    run: &dyn Fn(&[&str]) -> Result<Output, String>,
    repo: &Path,
    catalog: &Path,
    text: &str,
) -> Result<(), String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=adopt",
                "-c",
                "user.email=adopt@example.com",
            ])
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .arg("-C")
            .arg(repo)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "adopt: git {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let (version, next, after) = ("version: 0.1.0", "version: 0.1.1", "version: 0.1.2");
    let (field, added) = (
        "order_id: { type: string }\n",
        "order_id: { type: string }\n        warehouse: { type: string }\n",
    );
    for needle in [version, field] {
        if !text.contains(needle) {
            return Err(format!(
                "adopt: errors/catalog.yaml lacks `{}`",
                needle.trim()
            ));
        }
    }
    git(&["init", "-q"])?;
    // The pull request that adds the catalog: its base has none yet.
    git(&["commit", "-q", "--allow-empty", "-m", "before the catalog"])?;
    git(&["checkout", "-q", "-b", "adopt"])?;
    git(&["add", "errors"])?;
    git(&["commit", "-q", "-m", "the catalog"])?;
    let base = git(&["merge-base", "HEAD", "main"])?;
    expect(
        problems,
        "diff of the pull request that adds the catalog",
        &run(&["diff", "--base", &base])?,
        0,
        "the catalog is new: 0.1.0 is its first version",
    );
    git(&["checkout", "-q", "main"])?;
    git(&["merge", "-q", "--ff-only", "adopt"])?;
    git(&["checkout", "-q", "-b", "feature"])?;
    let compatible = text.replace(field, added).replace(version, next);
    write(catalog, &compatible)?;
    git(&["commit", "-q", "-am", "an optional details field"])?;
    let base = git(&["merge-base", "HEAD", "main"])?;
    expect(
        problems,
        "diff of a compatible change with a patch bump (before 1.0)",
        &run(&["diff", "--base", &base])?,
        0,
        "compatible OrderNotFound.details.warehouse: ",
    );
    let md = run(&["diff", "--base", &base, "--format", "markdown"])?;
    expect(problems, "diff --format markdown", &md, 0, "## 0.1.1");

    git(&["checkout", "-q", "main"])?;
    git(&["merge", "-q", "--ff-only", "feature"])?;
    git(&["checkout", "-q", "-b", "next"])?;
    let breaking = compatible
        .replace(
            "warehouse: { type: string }",
            "warehouse: { type: integer }",
        )
        .replace(next, after);
    write(catalog, &breaking)?;
    git(&["commit", "-q", "-am", "warehouse: an integer"])?;
    let base = git(&["merge-base", "HEAD", "main"])?;
    let out = run(&["diff", "--base", &base])?;
    expect(
        problems,
        "diff of a breaking change with a patch bump",
        &out,
        1,
        "breaking   OrderNotFound.details.warehouse: details field type changed (string -> integer)",
    );
    expect(
        problems,
        "diff names the version needed",
        &out,
        1,
        "(0.2.0 or later), but the version went from 0.1.1 to 0.1.2",
    );
    let missing = run(&["diff", "--base", "no-such-revision"])?;
    expect(
        problems,
        "diff against no revision",
        &missing,
        2,
        "not a git revision",
    );
    Ok(())
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
