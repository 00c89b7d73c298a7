//! Checks of the generated Python package with the pinned tools (`tools/requirements.txt`,
//! pyright from `tools/package.json`): for `generated/python/` and for the gated test catalogs (`tools::gated_catalogs`: hostile text, every code style, every schema keyword), `retired` and `wire_custom`,
//! in a scratch copy (so no cache lands in `generated/`), `ruff format --check`, `ruff check`,
//! `mypy --strict` (and with `--python-version` of the newest other interpreter), pyright in
//! strict mode and the package's own pytest tests (any warning an error, `EncodingWarning`
//! included), under `tools/venv`'s Python and each other CPython 3.10+ of the machine
//! (`tools::other_pythons`); then a wheel and an
//! sdist are built. For HueChat, the wheel is installed into a fresh venv, where
//! `codegen/tests/python/consumer.py` must type-check (mypy and pyright, strict) and run, and
//! `misuse.py` must fail both checkers with exactly the errors its `# expect:` comments name.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{project_root, tools};

pub fn run() -> Result<(), String> {
    let py = tools::python()?;
    let pyright = tools::node_bin("pyright")?;
    let root = project_root();
    let others = tools::other_pythons(&py)?;
    let used: Vec<String> = others
        .iter()
        .map(|o| format!("CPython {} ({})", o.version, o.found.display()))
        .collect();
    let announce = || {
        if used.is_empty() {
            println!("python: no CPython 3.10+ found besides tools/venv's: pytest under it only");
        } else {
            println!("python: pytest also under {}", used.join(", "));
        }
    };
    announce();
    let check =
        |package: &Path, scratch: &str| check_package(&py, &pyright, &others, package, scratch);

    let wheel = check(&root.join("generated/python"), "py-huechat")?;
    consumer(&py, &pyright, &wheel)?;

    // `retired` too: HueChat retires no code, so only it exercises `RETIRED_CODES` and `.retired`;
    // and the golden custom wire, whose constructors take an integer wire field.
    let retired = ("retired", "codegen/tests/data/ok/retired/catalog.yaml");
    let custom = (
        "wire-custom",
        "codegen/tests/data/ok/wire_custom/catalog.yaml",
    );
    for (name, catalog) in tools::gated_catalogs_and(&[retired, custom])? {
        let out = tools::scratch(&format!("py-{name}-gen"))?;
        tools::generate_into(&root.join(&catalog), &out)?;
        check(&out.join("python"), &format!("py-{name}"))?;
    }
    announce();
    Ok(())
}

/// A tool of `tools/venv`.
fn venv_bin(py: &Path, name: &str) -> PathBuf {
    py.with_file_name(name)
}

/// Copies the package into a scratch folder (`target/xtask/<scratch>`) and runs every check
/// there; the package's tests run under `tools/venv`'s interpreter and each of `others`, and
/// mypy checks it again for the newest of `others` (`--python-version`, as a project on that
/// version that vendors the package would). Returns the wheel.
pub fn check_package(
    py: &Path,
    pyright: &Path,
    others: &[tools::OtherPython],
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
    // The package says 3.10 (`pyproject.toml`); a newer version's stubs deprecate more. The
    // newest interpreter's venv has pytest, which the tests import.
    if let Some(newest) = others.last().filter(|o| o.minor != "3.10") {
        in_dir(
            Command::new(venv_bin(py, "mypy"))
                .args(["--strict", "--no-incremental", "--python-version"])
                .arg(&newest.minor)
                .arg("--python-executable")
                .arg(&newest.python),
        )?;
    }
    in_dir(
        Command::new(pyright)
            .arg("--pythonpath")
            .arg(py)
            .arg("--warnings"),
    )?;
    // `-X warn_default_encoding`: a file read in the locale's encoding is an `EncodingWarning`,
    // so an error (`examples.json` holds the catalog's text, UTF-8 whatever the locale).
    for python in std::iter::once(py).chain(others.iter().map(|o| o.python.as_path())) {
        in_dir(Command::new(python).args([
            "-X",
            "warn_default_encoding",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-W",
            "error",
        ]))?;
    }

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
fn consumer(py: &Path, pyright: &Path, wheel: &Path) -> Result<(), String> {
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

    let source = std::fs::read_to_string(fixtures.join("misuse.py")).map_err(|e| e.to_string())?;
    let (expected_mypy, expected_pyright) = expected_errors(&source);

    println!("$ mypy --strict misuse.py (must fail)");
    let out = mypy("misuse.py")
        .output()
        .map_err(|e| format!("could not start mypy: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.success() {
        return Err("misuse.py type-checked with mypy, but it must not".into());
    }
    let actual = actual_errors(&stdout, "misuse.py");
    super::misuse_fails_as_expected("misuse.py (mypy)", &expected_mypy, &actual, &stdout)?;

    // pyright in strict mode, on both files at once: the consumer must be clean, the misuse
    // must fail with exactly its expected rules.
    std::fs::write(
        dir.join("pyrightconfig.json"),
        "{\"typeCheckingMode\": \"strict\", \"pythonVersion\": \"3.10\"}\n",
    )
    .map_err(|e| format!("pyrightconfig.json: {e}"))?;
    let mut cmd = Command::new(pyright);
    cmd.arg("--outputjson")
        .arg("--pythonpath")
        .arg(&venv_py)
        .args(["consumer.py", "misuse.py"])
        .current_dir(&dir);
    println!(
        "$ pyright --outputjson consumer.py misuse.py (strict; misuse.py must fail, consumer.py must not)"
    );
    let out = cmd
        .output()
        .map_err(|e| format!("could not start pyright: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = pyright_errors(&stdout)?;
    let in_file = |file: &str| -> super::ErrorSet {
        report
            .iter()
            .filter(|(f, ..)| f == file)
            .map(|(_, line, rule)| (*line, rule.clone()))
            .collect()
    };
    let consumer = in_file("consumer.py");
    if !consumer.is_empty() {
        return Err(format!(
            "consumer.py fails pyright's strict mode: {consumer:?}\n{stdout}"
        ));
    }
    super::misuse_fails_as_expected(
        "misuse.py (pyright)",
        &expected_pyright,
        &in_file("misuse.py"),
        &stdout,
    )
}

/// The errors each checker must report, from the `# expect: ...` comments (1-based lines): each
/// lists mypy's error codes (`attr-defined`) and pyright's rules (`reportAttributeAccessIssue`),
/// told apart by their spelling. Returns `(mypy, pyright)`.
fn expected_errors(source: &str) -> (super::ErrorSet, super::ErrorSet) {
    let mut mypy = BTreeSet::new();
    let mut pyright = BTreeSet::new();
    for (i, line) in source.lines().enumerate() {
        let Some((_, codes)) = line.rsplit_once("# expect: ") else {
            continue;
        };
        let is_pyright =
            |c: &str| c.starts_with("report") && c.bytes().all(|b| b.is_ascii_alphabetic());
        let is_mypy = |c: &str| c.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
        let codes: Vec<&str> = codes.split_whitespace().collect();
        // Prose that mentions the marker (a docstring) is not an expectation.
        if codes.is_empty() || !codes.iter().all(|c| is_pyright(c) || is_mypy(c)) {
            continue;
        }
        for code in codes {
            let entry = (i + 1, code.to_string());
            if is_pyright(code) {
                pyright.insert(entry);
            } else {
                mypy.insert(entry);
            }
        }
    }
    (mypy, pyright)
}

/// `(file name, line, rule)` for each error or warning in pyright's `--outputjson` report (a
/// diagnostic without a rule, such as a syntax error, gets `unruled`).
fn pyright_errors(json: &str) -> Result<Vec<(String, usize, String)>, String> {
    let report: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| format!("pyright did not print a JSON report ({e}):\n{json}"))?;
    let Some(diagnostics) = report["generalDiagnostics"].as_array() else {
        return Err(format!("pyright's report has no diagnostics list:\n{json}"));
    };
    Ok(diagnostics
        .iter()
        .filter(|d| matches!(d["severity"].as_str(), Some("error" | "warning")))
        .map(|d| {
            let file = d["file"].as_str().unwrap_or_default();
            let name = Path::new(file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let line = d["range"]["start"]["line"].as_u64().unwrap_or_default() as usize + 1;
            let rule = d["rule"].as_str().unwrap_or("unruled").to_string();
            (name, line, rule)
        })
        .collect())
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
        let src = "ok()  # expect: <codes> in prose\nbad()  # expect: attr-defined reportAttributeAccessIssue\n";
        assert_eq!(
            expected_errors(src),
            (
                BTreeSet::from([(2, "attr-defined".to_string())]),
                BTreeSet::from([(2, "reportAttributeAccessIssue".to_string())])
            )
        );
        let out = "misuse.py:2: error: Module has no attribute \"x\"  [attr-defined]\nmisuse.py:2: note: see\nother.py:1: error: y  [misc]\n";
        assert_eq!(
            actual_errors(out, "misuse.py"),
            BTreeSet::from([(2, "attr-defined".to_string())])
        );
    }

    #[test]
    fn reads_pyright_json() {
        let json = r#"{"generalDiagnostics": [
            {"file": "/x/misuse.py", "severity": "error", "rule": "reportCallIssue",
             "range": {"start": {"line": 3, "character": 0}}},
            {"file": "/x/misuse.py", "severity": "information", "rule": "reportX",
             "range": {"start": {"line": 4, "character": 0}}},
            {"file": "/x/consumer.py", "severity": "warning",
             "range": {"start": {"line": 0, "character": 0}}}
        ]}"#;
        assert_eq!(
            pyright_errors(json).unwrap(),
            vec![
                ("misuse.py".into(), 4, "reportCallIssue".into()),
                ("consumer.py".into(), 1, "unruled".into()),
            ]
        );
        assert!(pyright_errors("not json").is_err());
    }
}
