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
