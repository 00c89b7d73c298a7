//! The CLI as a user runs it: the built `xtask` binary on copies of the catalog, in scratch
//! folders under `target/` (one per process, removed afterwards).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn scratch(name: &str) -> PathBuf {
    let dir = root()
        .join("target/xtask/test")
        .join(format!("cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn read_tree(dir: &Path, base: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            read_tree(&path, base, out);
        } else {
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.insert(rel, std::fs::read(&path).unwrap());
        }
    }
}

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// The same catalog in two folders, generated into two other folders, gives the same bytes:
/// no header or manifest names a machine path.
#[test]
fn output_does_not_depend_on_where_the_catalog_and_output_are() {
    let dir = scratch("paths");
    let mut trees = Vec::new();
    for (catalog, out) in [
        ("one/catalog", "one/out"),
        ("two/deeper/cat", "elsewhere/gen"),
    ] {
        let (catalog, out) = (dir.join(catalog), dir.join(out));
        copy_tree(&root().join("catalog"), &catalog);
        let run = xtask(&[
            "gen",
            "--catalog",
            catalog.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let mut tree = BTreeMap::new();
        read_tree(&out, &out, &mut tree);
        for (path, bytes) in &tree {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.contains(dir.to_str().unwrap()),
                "{path} names a machine path"
            );
        }
        trees.push(tree);
    }
    assert!(!trees[0].is_empty());
    assert_eq!(
        trees[0].keys().collect::<Vec<_>>(),
        trees[1].keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &trees[0] {
        assert!(
            &trees[1][path] == bytes,
            "{path} differs between the two folders"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn help_lists_test_steps_docs_catalog_and_explain_list() {
    let run = xtask(&["help"]);
    let help = String::from_utf8_lossy(&run.stdout);
    // The steps line comes from the step table itself; the README's command table must name
    // the same steps, in the same order.
    let steps: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.contains("runs the named steps only"))
        .nth(1)
        .unwrap_or_else(|| panic!("help lists no steps:\n{help}"))
        .split(", ")
        .map(str::trim)
        .collect();
    assert!(
        steps.contains(&"lint") && steps.contains(&"docs"),
        "{steps:?}"
    );
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let row = readme
        .lines()
        .find(|l| l.starts_with("| `cargo xtask test [STEP...]`"))
        .expect("README lists `cargo xtask test [STEP...]`");
    let listed: Vec<&str> = row.split('`').skip(3).step_by(2).collect();
    assert_eq!(
        listed, steps,
        "README's step list differs from the step table"
    );
    // The test command itself lists the same steps for an unknown step.
    let unknown = xtask(&["test", "no-such-step-at-all"]);
    let err = String::from_utf8_lossy(&unknown.stderr);
    let known = err
        .split("steps: ")
        .nth(1)
        .map(str::trim)
        .expect("an unknown step lists the steps");
    assert_eq!(known, steps.join(", "));
    for needle in ["docs [--catalog PATH]", "explain --list", "NO_COLOR"] {
        assert!(help.contains(needle), "help lacks `{needle}`:\n{help}");
    }
}

#[test]
fn explain_list_prints_every_code() {
    let run = xtask(&["explain", "--list"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let listed = String::from_utf8_lossy(&run.stdout);
    assert!(
        listed.lines().any(|l| l.starts_with("rate_limited ")),
        "{listed}"
    );
}

/// Diagnostics are plain when stderr is not a terminal (as here), whatever NO_COLOR says.
#[test]
fn diagnostics_are_plain_when_not_a_terminal() {
    let dir = scratch("plain");
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "api: 1\n").unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "gen",
            "--check",
            "--catalog",
            bad.to_str().unwrap(),
            "--out",
        ])
        .arg(dir.join("out"))
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("error"), "{err}");
    assert!(!err.contains('\u{1b}'), "escape codes in a pipe: {err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// README's CI recipe, run as written on a temporary repository: `main` holds a catalog, a
/// branch changes it, and `diff --base "$(git merge-base HEAD main)"` exits 0 for a compatible
/// change with a minor bump, 1 for a breaking one without a major bump (here uncommitted: the
/// work tree counts), and 2 for a revision that does not exist.
#[test]
fn diff_against_the_merge_base_exits_as_the_readme_says() {
    let repo = scratch("diff-ci");
    let case = |name: &str, file: &str| {
        std::fs::read_to_string(root().join("codegen/tests/data/diff").join(name).join(file))
            .unwrap()
    };
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
            .args(["-c", "commit.gpgsign=false", "-C"])
            .arg(&repo)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let catalog = repo.join("errors");
    std::fs::create_dir_all(&catalog).unwrap();
    let file = catalog.join("acme.yaml");
    git(&["init", "-q", "--initial-branch=main"]);
    std::fs::write(&file, case("code_added", "old.yaml")).unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "base"]);
    git(&["checkout", "-q", "-b", "feature"]);
    std::fs::write(&file, case("code_added", "new.yaml")).unwrap();
    git(&["commit", "-q", "-am", "add a code"]);
    let base = git(&["merge-base", "HEAD", "main"]);
    let diff = |base: &str, format: &str| {
        xtask(&[
            "diff",
            "--base",
            base,
            "--catalog",
            catalog.to_str().unwrap(),
            "--format",
            format,
        ])
    };

    let ok = diff(&base, "text");
    assert_eq!(ok.status.code(), Some(0), "{ok:?}");
    assert_eq!(
        String::from_utf8_lossy(&ok.stdout),
        case("code_added", "expected.txt")
    );
    let md = diff(&base, "markdown");
    assert_eq!(md.status.code(), Some(0), "{md:?}");
    assert!(
        String::from_utf8_lossy(&md.stdout).starts_with("## 1.1.0"),
        "{md:?}"
    );

    std::fs::write(&file, case("semver_breaking_without_major", "new.yaml")).unwrap();
    let breaking = diff(&base, "text");
    assert_eq!(breaking.status.code(), Some(1), "{breaking:?}");
    let text = String::from_utf8_lossy(&breaking.stdout);
    assert!(
        text.contains("version check failed") && text.contains("2.0.0"),
        "{text}"
    );

    let missing = diff("no-such-revision", "text");
    assert_eq!(missing.status.code(), Some(2), "{missing:?}");
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("not a git revision"),
        "{missing:?}"
    );
    std::fs::remove_dir_all(&repo).unwrap();
}

/// A reader that stops early (`gen --check | head -1`, `explain --list | head`) ends the output
/// quietly: no panic message, and the status the command would have had.
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    for args in [&["explain", "--list"][..], &["--help"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Closing the read end before the child writes makes every write fail with EPIPE.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
    }
}
