//! Checks of the generated Python package with the pinned tools (`tools/requirements.txt`,
//! pyright from `tools/package.json`): for `generated/python/` and for the gated test catalogs (`tools::GATED_CATALOGS`: hostile text, every code style, every schema keyword) and `retired`,
//! in a scratch copy (so no cache lands in `generated/`), `ruff format --check`, `ruff check`,
//! `mypy --strict`, pyright in strict mode and the package's own pytest tests; then a wheel and an
//! sdist are built. For HueChat, the wheel is installed into a fresh venv, where
//! `codegen/tests/python/consumer.py` must type-check and run, and `misuse.py` must fail mypy with
//! exactly the errors its `# expect: <code>` comments name.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{project_root, tools};

pub fn run() -> Result<(), String> {
    let py = tools::python()?;
    let pyright = tools::node_bin("pyright")?;
    let root = project_root();

    let wheel = check_package(&py, &pyright, &root.join("generated/python"), "py-huechat")?;
    consumer(&py, &wheel)?;

    // `retired` too: HueChat retires no code, so only it exercises `RETIRED_CODES` and `.retired`.
    let retired = ("retired", "codegen/tests/data/ok/retired/catalog.yaml");
    for (name, catalog) in tools::GATED_CATALOGS.iter().chain([&retired]) {
        let out = tools::scratch(&format!("py-{name}-gen"))?;
        tools::generate_into(&root.join(catalog), &out)?;
        check_package(&py, &pyright, &out.join("python"), &format!("py-{name}"))?;
    }
    Ok(())
}

/// A tool of `tools/venv`.
fn venv_bin(py: &Path, name: &str) -> PathBuf {
    py.with_file_name(name)
}

/// Copies the package into a scratch folder and runs every check there; returns the wheel.
fn check_package(
    py: &Path,
    pyright: &Path,
    package: &Path,
    scratch: &str,
) -> Result<PathBuf, String> {
    let dir = tools::scratch(scratch)?;
    copy_dir(package, &dir)?;
    let ruff = venv_bin(py, "ruff");
    let in_dir = |cmd: &mut Command| -> Result<(), String> {
        tools::run(cmd.current_dir(&dir).env("PYTHONDONTWRITEBYTECODE", "1"))
    };
    in_dir(Command::new(&ruff).args(["format", "--check", "--no-cache", "."]))?;
    in_dir(Command::new(&ruff).args(["check", "--no-cache", "."]))?;
    // `pyproject.toml` sets `strict = true` and the files; `--strict` says it where it is read.
    in_dir(Command::new(venv_bin(py, "mypy")).args(["--strict", "--no-incremental"]))?;
    in_dir(
        Command::new(pyright)
            .arg("--pythonpath")
            .arg(py)
            .arg("--warnings"),
    )?;
    in_dir(Command::new(py).args(["-m", "pytest", "-q", "-p", "no:cacheprovider"]))?;

    let dist = dir.join("dist");
    in_dir(
        Command::new(py)
            .args([
                "-m",
                "build",
                "--no-isolation",
                "--sdist",
                "--wheel",
                "--outdir",
            ])
            .arg(&dist)
            .arg("."),
    )?;
    let mut wheels = Vec::new();
    let mut sdists = 0;
    for entry in std::fs::read_dir(&dist).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("whl") => wheels.push(path),
            Some("gz") => sdists += 1,
            _ => {}
        }
    }
    let [wheel] = wheels.as_slice() else {
        return Err(format!(
            "expected one wheel in {}, found {wheels:?}",
            dist.display()
        ));
    };
    if sdists != 1 {
        return Err(format!("expected one sdist in {}", dist.display()));
    }
    let listing = tools::output(
        Command::new(py)
            .args([
                "-c",
                "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
            ])
            .arg(wheel),
    )?;
    let files: BTreeSet<&str> = listing.lines().map(str::trim).collect();
    if !files.iter().any(|f| f.ends_with("/py.typed")) {
        return Err(format!("{} lacks py.typed:\n{listing}", wheel.display()));
    }
    if let Some(test) = files
        .iter()
        .find(|f| f.starts_with("tests/") || f.contains("/tests/"))
    {
        return Err(format!(
            "{} contains the package's tests ({test})",
            wheel.display()
        ));
    }
    println!("built {} ({} files)", wheel.display(), files.len());
    Ok(wheel.clone())
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') || name == "__pycache__" || name == "dist" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(&name))?;
        } else {
            std::fs::copy(&path, to.join(&name)).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Installs the wheel into a fresh venv (no index: the package needs nothing else); the
/// consumer must type-check and run there, `misuse.py` must fail with its expected errors.
fn consumer(py: &Path, wheel: &Path) -> Result<(), String> {
    let fixtures = project_root().join("codegen/tests/python");
    let dir = tools::scratch("py-consumer")?;
    let venv = dir.join("venv");
    tools::run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    let venv_py = venv.join("bin/python");
    tools::run(
        Command::new(&venv_py)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-index",
                "--no-deps",
                "--disable-pip-version-check",
            ])
            .arg(wheel),
    )?;
    for name in ["consumer.py", "misuse.py"] {
        std::fs::copy(fixtures.join(name), dir.join(name)).map_err(|e| format!("{name}: {e}"))?;
    }
    let mypy = |file: &str| {
        let mut c = Command::new(venv_bin(py, "mypy"));
        c.args(["--strict", "--no-incremental", "--python-executable"])
            .arg(&venv_py)
            .arg(file)
            .current_dir(&dir);
        c
    };
    tools::run(&mut mypy("consumer.py"))?;
    tools::run(
        Command::new(&venv_py)
            .arg("consumer.py")
            .current_dir(&dir)
            .env("PYTHONDONTWRITEBYTECODE", "1"),
    )?;

    println!("$ mypy --strict misuse.py (must fail)");
    let out = mypy("misuse.py")
        .output()
        .map_err(|e| format!("could not start mypy: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.success() {
        return Err("misuse.py type-checked, but it must not".into());
    }
    let source = std::fs::read_to_string(fixtures.join("misuse.py")).map_err(|e| e.to_string())?;
    let expected = expected_errors(&source);
    let actual = actual_errors(&stdout, "misuse.py");
    super::misuse_fails_as_expected("misuse.py", &expected, &actual, &stdout)
}

/// `(line, code)` for each `# expect: code` comment (1-based lines).
fn expected_errors(source: &str) -> BTreeSet<(usize, String)> {
    source
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let (_, code) = line.rsplit_once("# expect: ")?;
            let code = code.trim();
            let is_code =
                !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
            is_code.then(|| (i + 1, code.to_string()))
        })
        .collect()
}

/// `(line, code)` for each `file:line: error: ... [code]` line of mypy's output.
fn actual_errors(output: &str, file: &str) -> BTreeSet<(usize, String)> {
    output
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix(file)?.strip_prefix(':')?;
            let (line_no, rest) = rest.split_once(':')?;
            let line_no = line_no.parse().ok()?;
            rest.trim_start().strip_prefix("error:")?;
            let code = rest.trim_end().strip_suffix(']')?.rsplit_once('[')?.1;
            Some((line_no, code.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_expectations_and_mypy_errors() {
        let src = "ok()\nbad()  # expect: attr-defined\n";
        assert_eq!(
            expected_errors(src),
            BTreeSet::from([(2, "attr-defined".to_string())])
        );
        let out = "misuse.py:2: error: Module has no attribute \"x\"  [attr-defined]\nmisuse.py:2: note: see\nother.py:1: error: y  [misc]\n";
        assert_eq!(
            actual_errors(out, "misuse.py"),
            BTreeSet::from([(2, "attr-defined".to_string())])
        );
    }
}
