//! Checks of the generated OpenAPI document with real validators, for `generated/openapi/` (plus
//! the example API document that `$ref`s it, `examples/openapi/api.yaml`) and for the gated test
//! catalogs (`tools::gated_catalogs`) and `retired` (its `RetiredErrorCode`) generated into
//! scratch folders:
//! - `openapi-spec-validator` (pinned, PyPI) on the YAML and the JSON;
//! - `redocly lint` (pinned, npm) with `examples/openapi/redocly.yaml` (`recommended-strict`:
//!   warnings fail too);
//! - `spectral lint` (pinned, npm) with `examples/openapi/spectral.yaml` (every rule of
//!   `spectral:oas`; hints fail too), once over every document of the step (its start-up is
//!   most of a run, about 3 s), so not in `check_document`, which the grid and the bench share;
//! - `examples/openapi/check_examples.py` (pinned `jsonschema`, Draft 2020-12): every example
//!   against its schema, then, with `--break`, that deliberately broken examples are rejected;
//! - `openapi-typescript` (pinned) to TypeScript that `tsc --strict` (pinned) compiles, with
//!   `examples/openapi/usage.ts` as a type-level test of the HueChat types.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{project_root, tools};

pub fn run() -> Result<(), String> {
    let root = project_root();
    let examples = root.join("examples/openapi");
    let mut failures = Vec::new();
    let mut step = |name: &str, result: Result<(), String>| {
        if let Err(e) = result {
            failures.push(format!("{name}: {e}"));
        }
    };

    let generated = root.join("generated/openapi");
    step(
        "generated/openapi",
        check_document(&generated, &[examples.join("api.yaml")]),
    );
    let mut documents = vec![
        generated.join("openapi.yaml"),
        generated.join("openapi.json"),
        examples.join("api.yaml"),
    ];
    step(
        "generated/openapi types",
        typescript(
            &generated.join("openapi.yaml"),
            "openapi-ts",
            Some(&examples.join("usage.ts")),
        ),
    );
    step(
        "examples/openapi/api.yaml types",
        typescript(&examples.join("api.yaml"), "openapi-ts-api", None),
    );

    // `retired` too: HueChat retires no code, so only it has `RetiredErrorCode`.
    let retired = ("retired", "codegen/tests/data/ok/retired/catalog.yaml");
    for (name, catalog) in tools::gated_catalogs_and(&[retired]) {
        let document = test_document(&name, &catalog);
        step(
            &format!("{name} catalog"),
            document
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|dir| check_document(dir, &[])),
        );
        if let Ok(dir) = &document {
            documents.extend(["openapi.yaml", "openapi.json"].map(|f| dir.join(f)));
            step(
                &format!("{name} catalog types"),
                typescript(
                    &dir.join("openapi.yaml"),
                    &format!("openapi-ts-{name}"),
                    None,
                ),
            );
        }
    }

    step("spectral", spectral(&documents));

    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// `spectral lint` on `documents` in one run, with `examples/openapi/spectral.yaml`: any result
/// fails, hints included. The ruleset turns off the rules that cannot apply to a components
/// library for files named `openapi.yaml` and `openapi.json` under the repository (the
/// generated documents, here and in `target/xtask/`), not for `api.yaml`.
fn spectral(documents: &[PathBuf]) -> Result<(), String> {
    let ruleset = project_root().join("examples/openapi/spectral.yaml");
    tools::run(
        Command::new(tools::node_bin("spectral")?)
            .arg("lint")
            .arg("--ruleset")
            .arg(&ruleset)
            .args(["--fail-severity", "hint"])
            .args(documents),
    )
}

/// A gated test catalog's `openapi/` folder, generated into a scratch folder.
fn test_document(name: &str, catalog: &str) -> Result<PathBuf, String> {
    let out = tools::scratch(&format!("openapi-{name}"))?;
    tools::generate_into(&project_root().join(catalog), &out)?;
    Ok(out.join("openapi"))
}

/// Every validator on `dir/openapi.{yaml,json}`; `also` are more API documents to validate.
pub fn check_document(dir: &Path, also: &[PathBuf]) -> Result<(), String> {
    let yaml = dir.join("openapi.yaml");
    let json = dir.join("openapi.json");
    for file in [&yaml, &json] {
        if !file.is_file() {
            return Err(format!(
                "{} is missing (run `cargo xtask gen`)",
                file.display()
            ));
        }
    }
    let documents: Vec<&Path> = [yaml.as_path(), json.as_path()]
        .into_iter()
        .chain(also.iter().map(PathBuf::as_path))
        .collect();
    let python = tools::python()?;
    tools::run(
        Command::new(&python)
            .args(["-m", "openapi_spec_validator", "--validation-errors", "all"])
            .args(&documents),
    )?;
    let examples = project_root().join("examples/openapi");
    tools::run(
        Command::new(tools::node_bin("redocly")?)
            .arg("lint")
            .arg("--config")
            .arg(examples.join("redocly.yaml"))
            .args(&documents)
            .env("REDOCLY_TELEMETRY", "off")
            .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true"),
    )?;
    let script = examples.join("check_examples.py");
    tools::run(Command::new(&python).arg(&script).arg(&json))?;
    // The example check must reject deliberately broken examples (it exits 0 when it does).
    tools::run(Command::new(&python).arg(&script).arg("--break").arg(&json))
}

/// `openapi-typescript` on `document`, then `tsc --strict` on the result (and `usage`, a file
/// that imports it as `./huechat`), in a scratch folder.
fn typescript(document: &Path, scratch: &str, usage: Option<&Path>) -> Result<(), String> {
    let dir = tools::scratch(scratch)?;
    let types = dir.join("huechat.ts");
    tools::run(
        Command::new(tools::node_bin("openapi-typescript")?)
            .arg(document)
            .arg("-o")
            .arg(&types),
    )?;
    let mut files = vec![types];
    if let Some(usage) = usage {
        let copy = dir.join("usage.ts");
        std::fs::copy(usage, &copy).map_err(|e| format!("{}: {e}", usage.display()))?;
        files.push(copy);
    }
    tools::run(
        Command::new(tools::node_bin("tsc")?)
            .args([
                "--strict", "--noEmit", "--target", "es2022", "--module", "esnext",
            ])
            .args([
                "--moduleResolution",
                "bundler",
                "--noUnusedLocals",
                "--exactOptionalPropertyTypes",
            ])
            .args(&files)
            .current_dir(&dir),
    )
}
