//! Checks of the generated OpenAPI document with real validators, for `generated/openapi/` (plus
//! the example API document that `$ref`s it, `examples/openapi/api.yaml`) and for the gated test
//! catalogs (`tools::gated_catalogs`) and `retired` (its `RetiredErrorCode`) generated into
//! scratch folders (plus `consumer.json`, an API document written beside each that `$ref`s its
//! responses, as `api.yaml` does HueChat's):
//! - `openapi-spec-validator` (pinned, PyPI) on the YAML and the JSON;
//! - `redocly lint` (pinned, npm) with `examples/openapi/redocly.yaml` (`recommended-strict`:
//!   warnings fail too);
//! - `spectral lint` (pinned, npm) with `examples/openapi/spectral.yaml` (every rule of
//!   `spectral:oas`; hints fail too), once over every document of the step (its start-up is
//!   most of a run on these, about 3 s). It is not in `check_document`, which the grid and the
//!   bench gates share: it grows much faster than the document (the bench's 1,000-code YAML and
//!   JSON took 24 s and 850 MB, and its 10,000-code YAML did not finish in 10 minutes);
//! - `examples/openapi/check_examples.py` (pinned `jsonschema`, Draft 2020-12): every example
//!   against its schema, then, with `--break`, that deliberately broken examples are rejected;
//! - `openapi-typescript` (pinned) to TypeScript that `tsc --strict` (pinned) compiles, with
//!   `examples/openapi/usage.ts` as a type-level test of the HueChat types.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value, json};

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
    for (name, catalog) in tools::gated_catalogs_and(&[retired])? {
        let document = test_document(&name, &catalog);
        let checked = document.as_ref().map_err(Clone::clone).and_then(|dir| {
            let consumer = consumer_document(&name, dir)?;
            documents.push(consumer.clone());
            check_document(dir, &[consumer])
        });
        step(&format!("{name} catalog"), checked);
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
/// generated documents, here and in `target/xtask/`), not for the API documents that use them
/// (`api.yaml`, each `consumer.json`).
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

/// An API description as users write one, `consumer.json` beside the catalog's `openapi/`
/// folder `dir`: one operation whose responses `$ref` each response of the document under its
/// status (`x-status`), with the envelope for any other status (and for `4XX` when no response
/// is a 4xx one: a catalog of webhook codes has none). The validators resolve the `$ref`s as in
/// a user's description, and it must pass every rule Spectral and Redocly have for an API.
fn consumer_document(name: &str, dir: &Path) -> Result<PathBuf, String> {
    let path = dir.join("openapi.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let document: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let components = "openapi/openapi.yaml#/components";
    let mut responses = Map::new();
    responses.insert(
        "200".into(),
        json!({
            "description": "The thing.",
            "content": { "application/json": { "schema": {
                "type": "object",
                "properties": { "id": { "type": "string", "description": "Its ID." } },
                "required": ["id"],
            } } },
        }),
    );
    let mut media = None;
    let empty = Map::new();
    let declared = document["components"]["responses"]
        .as_object()
        .unwrap_or(&empty);
    for (response_name, response) in declared {
        let Some(status) = response["x-status"].as_u64() else {
            return Err(format!(
                "{}: {response_name} has no x-status",
                path.display()
            ));
        };
        media = media.or_else(|| first_key(&response["content"]));
        responses.insert(
            status.to_string(),
            json!({ "$ref": format!("{components}/responses/{response_name}") }),
        );
    }
    // A catalog of webhook codes only: the media type of the bodies the API posts.
    let webhook = document["webhooks"]
        .as_object()
        .and_then(|w| w.values().next());
    let media = media
        .or_else(|| webhook.and_then(|w| first_key(&w["post"]["requestBody"]["content"])))
        .unwrap_or_else(|| "application/json".into());
    let envelope = json!({
        "description": "Any other error.",
        "content": { media: { "schema": {
            "$ref": format!("{components}/schemas/ErrorEnvelope"),
        } } },
    });
    if !declared
        .values()
        .any(|r| r["x-status"].as_u64().is_some_and(|s| s / 100 == 4))
    {
        responses.insert("4XX".into(), envelope.clone());
    }
    responses.insert("default".into(), envelope);
    let consumer = json!({
        "openapi": "3.1.0",
        "info": {
            "title": format!("An API that uses the {name} catalog's error components"),
            "version": "1.0.0",
            "description": "Written by `cargo xtask test openapi`: its errors are `$ref`s.",
            "contact": {
                "name": "API support",
                "url": "https://api.test/support",
                "email": "support@api.test",
            },
            "license": { "name": "MIT", "identifier": "MIT" },
        },
        "servers": [{ "url": "https://api.test/v1" }],
        "security": [{ "apiKey": [] }],
        "tags": [{ "name": "Things", "description": "What the API serves." }],
        "paths": { "/things/{id}": { "get": {
            "tags": ["Things"],
            "operationId": "getThing",
            "summary": "Get a thing",
            "description": "Returns one thing by ID.",
            "parameters": [{
                "name": "id",
                "in": "path",
                "required": true,
                "description": "Its ID.",
                "schema": { "type": "string" },
            }],
            "responses": responses,
        } } },
        "components": { "securitySchemes": {
            "apiKey": { "type": "apiKey", "in": "header", "name": "X-API-Key" },
        } },
    });
    let out = dir
        .parent()
        .ok_or_else(|| format!("{} has no parent", dir.display()))?
        .join("consumer.json");
    let text = serde_json::to_string_pretty(&consumer).map_err(|e| e.to_string())?;
    std::fs::write(&out, text + "\n").map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(out)
}

/// The first key of a JSON object (a media type of a `content` map).
fn first_key(value: &Value) -> Option<String> {
    value.as_object()?.keys().next().cloned()
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
