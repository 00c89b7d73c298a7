//! Command-line text never reaches generated files: `gen` with a `--catalog` and an `--out`
//! path holding a newline and an HTML comment breakout writes the same bytes as from plain
//! paths, and none of that text.

use std::path::{Path, PathBuf};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn generate(catalog: &Path, out: &Path) {
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("gen")
        .arg("--catalog")
        .arg(catalog)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn hostile_paths_do_not_reach_generated_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let base: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-paths");
    let _ = std::fs::remove_dir_all(&base);
    let evil = "x\nfn injected() {}\n--><img src=x onerror=alert(1)><!--";
    let plain = base.join("plain");
    let hostile = base.join(evil);
    copy_dir(&root.join("catalog"), &plain.join("catalog"));
    copy_dir(&root.join("catalog"), &hostile.join("catalog"));
    generate(&plain.join("catalog"), &plain.join("out"));
    generate(
        &hostile.join("catalog"),
        &hostile.join(format!("out{evil}")),
    );
    let generated = files(&hostile.join(format!("out{evil}")));
    for (path, bytes) in &generated {
        let text = String::from_utf8_lossy(bytes);
        for needle in ["onerror", "injected", "<img"] {
            assert!(!text.contains(needle), "{path} holds `{needle}`");
        }
    }
    assert!(
        generated == files(&plain.join("out")),
        "the bytes depend on the paths"
    );
    std::fs::remove_dir_all(&base).unwrap();
}
