//! `typescript/`: an npm package (ESM, strict TypeScript sources) with the catalog's types and
//! runtime guards, an error class, a retry helper, and its own tests.
//!
//! Layout of the package:
//! - `src/catalog.ts`, `src/types.ts`: generated from the catalog (`declarations`);
//! - `src/schema.ts`, `guards.ts`, `error.ts`, `retry.ts`, `index.ts`: fixed runtime code kept in
//!   `typescript/runtime/` beside this file, with the error class name filled in;
//! - `test/*.test.ts`: runtime and type tests generated from the catalog's examples (`package_tests`),
//!   compiled against the package through its own name, run with `node --test`.
//!
//! Catalog text reaches TypeScript only through `syntax::string_literal` (code) and
//! `syntax::comment_lines` (comments).

mod declarations;
mod package_tests;
pub(super) mod syntax;
mod wire_types;

use serde_json::{Map, Value, json};

use super::catalog_json::pretty;
use super::{Artifact, Options, Sink};
use crate::model::Catalog;
use syntax::CodeWriter;

/// The placeholder for the error class name in the runtime sources (a valid identifier, so the
/// sources stay valid TypeScript).
const ERROR_TYPE_PLACEHOLDER: &str = "__ERROR_TYPE__";

/// Fixed runtime modules: path in the package and source.
const RUNTIME: &[(&str, &str)] = &[
    (
        "src/schema.ts",
        include_str!("typescript/runtime/schema.ts"),
    ),
    (
        "src/guards.ts",
        include_str!("typescript/runtime/guards.ts"),
    ),
    ("src/wire.ts", include_str!("typescript/runtime/wire.ts")),
    ("src/error.ts", include_str!("typescript/runtime/error.ts")),
    ("src/retry.ts", include_str!("typescript/runtime/retry.ts")),
    ("src/index.ts", include_str!("typescript/runtime/index.ts")),
];

/// The compiler options the package is checked with: every strictness option tsc has (so a
/// project that compiles the package's sources with any of them on compiles it cleanly).
const COMPILER_OPTIONS: &[(&str, &str)] = &[
    ("target", "\"ES2022\""),
    ("lib", "[\"ES2022\"]"),
    ("module", "\"NodeNext\""),
    ("moduleResolution", "\"NodeNext\""),
    ("types", "[]"),
    ("strict", "true"),
    ("exactOptionalPropertyTypes", "true"),
    ("noUncheckedIndexedAccess", "true"),
    ("noImplicitOverride", "true"),
    ("noPropertyAccessFromIndexSignature", "true"),
    ("noUnusedLocals", "true"),
    ("noUnusedParameters", "true"),
    ("noImplicitReturns", "true"),
    ("noFallthroughCasesInSwitch", "true"),
    ("allowUnreachableCode", "false"),
    ("allowUnusedLabels", "false"),
    ("verbatimModuleSyntax", "true"),
    ("erasableSyntaxOnly", "true"),
    ("isolatedModules", "true"),
    ("noUncheckedSideEffectImports", "true"),
    ("forceConsistentCasingInFileNames", "true"),
    ("declaration", "true"),
    ("declarationMap", "true"),
    ("sourceMap", "true"),
];

pub fn emit(catalog: &Catalog, options: &Options, sink: &Sink) {
    let header = options.header();
    let file =
        |path: &str, contents: String| sink(Artifact::new(text!("typescript/{path}"), contents));
    file("package.json", package_json(catalog, &header));
    file(
        "tsconfig.json",
        tsconfig(&header, "src", "dist", "src/**/*.ts"),
    );
    // The tests import the package by its name (through `exports`), so build `src` first.
    file(
        "test/tsconfig.json",
        tsconfig(&header, ".", "../dist/test", "*.ts"),
    );
    file("README.md", readme(catalog, &header));
    file("src/catalog.ts", declarations::catalog_ts(catalog, &header));
    file("src/types.ts", declarations::types_ts(catalog, &header));
    for (path, source) in RUNTIME {
        let mut w = CodeWriter::with_header(&header);
        w.blank();
        let body = source.replace(ERROR_TYPE_PLACEHOLDER, &catalog.api.packages.error_type);
        file(path, w.finish() + &body);
    }
    package_tests::emit(catalog, &header, &file);
}

fn package_json(catalog: &Catalog, header: &str) -> String {
    let api = &catalog.api;
    let mut p = Map::new();
    p.insert("//".into(), json!(header));
    p.insert("name".into(), json!(api.packages.typescript));
    p.insert("version".into(), json!(api.version));
    p.insert(
        "description".into(),
        json!(api.description.clone().unwrap_or_else(|| text!(
            "{} API error codes: types, guards and retry helper.",
            api.name
        ))),
    );
    if let Some(license) = &api.license {
        p.insert("license".into(), json!(license));
    }
    p.insert("type".into(), json!("module"));
    p.insert(
        "exports".into(),
        json!({
            ".": { "types": "./dist/index.d.ts", "default": "./dist/index.js" },
            "./package.json": "./package.json"
        }),
    );
    p.insert("main".into(), json!("./dist/index.js"));
    p.insert("types".into(), json!("./dist/index.d.ts"));
    p.insert("files".into(), json!(["dist", "!dist/test", "src"]));
    p.insert("sideEffects".into(), json!(false));
    p.insert(
        "scripts".into(),
        json!({
            "build": "tsc -p .",
            "prepack": "tsc -p .",
            "test": "tsc -p . && tsc -p test && node --test dist/test/*.test.js"
        }),
    );
    p.insert("engines".into(), json!({ "node": ">=18" }));
    p.insert("devDependencies".into(), json!({ "typescript": "5.9.3" }));
    pretty(&Value::Object(p))
}

/// `tsconfig.json` (tsc accepts comments there).
fn tsconfig(header: &str, root: &str, out_dir: &str, include: &str) -> String {
    let mut w = CodeWriter::with_header(header);
    w.block("{", "}", |w| {
        w.block("\"compilerOptions\": {", "},", |w| {
            let mut options: Vec<(&str, String)> = COMPILER_OPTIONS
                .iter()
                .map(|(k, v)| (*k, v.to_string()))
                .collect();
            // The package's declarations can be emitted file by file (by tools other than tsc);
            // the tests export nothing anyone builds on.
            if root == "src" {
                options.push(("isolatedDeclarations", "true".into()));
            }
            options.push(("rootDir", syntax::string_literal(root)));
            options.push(("outDir", syntax::string_literal(out_dir)));
            let last = options.len() - 1;
            for (i, (k, v)) in options.iter().enumerate() {
                let comma = if i == last { "" } else { "," };
                w.line(text!("{}: {v}{comma}", syntax::string_literal(k)));
            }
        });
        w.line(text!("\"include\": [{}]", syntax::string_literal(include)));
    });
    w.finish()
}

fn readme(catalog: &Catalog, header: &str) -> String {
    let api = &catalog.api;
    let name = &api.packages.typescript;
    let class = &api.packages.error_type;
    // Markdown: catalog text appears only inside an HTML comment (escaped) and as the package name,
    // which validation restricts to npm name characters.
    // HTML5 comments end at `-->` (or `--!>`); nothing else in them needs escaping.
    let header_comment = header.replace("-->", "--&gt;").replace("--!>", "--!&gt;");
    let example = README_EXAMPLE
        .replace("__ERROR_TYPE__", class)
        .replace("__PACKAGE__", name);
    text!(
        "<!-- {header_comment} -->\n\n# {name}\n\nTypes, runtime guards, an error class and a retry helper for the error codes of the API.\n\n```ts\n{example}```\n\nCodes this version does not know still parse, as `UnknownErrorBody`; `err.is(code)` narrows an error's `details`.\n"
    )
}

/// The README's example, with the error class and the package name to fill in.
const README_EXAMPLE: &str = r#"import { __ERROR_TYPE__, isKnownErrorBody, parseErrorBody, withRetry } from "__PACKAGE__";

export async function describe(response: Response): Promise<string> {
  const body = parseErrorBody(await response.json()); // throws ErrorBodyParseError if malformed
  if (isKnownErrorBody(body)) {
    // `switch (body.error)` narrows `body.details` to each code's type.
    return `known code ${body.error}`;
  }
  return `newer code ${body.error}`;
}

export async function getJson(url: string): Promise<unknown> {
  // Retries what the catalog says is retryable, waiting as long as the server asks.
  return withRetry(async () => {
    const res = await fetch(url);
    if (!res.ok) throw await __ERROR_TYPE__.fromResponse(res);
    return res.json();
  });
}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;

    fn hostile() -> Catalog {
        let text = include_str!("../../tests/data/ok/hostile/catalog.yaml");
        crate::load(&[Source {
            name: "catalog.yaml".into(),
            text: text.into(),
        }])
        .expect("the hostile catalog is valid")
    }

    #[test]
    fn every_file_starts_with_the_header_and_hides_hostile_characters() {
        let options = Options::default();
        let files = crate::emit::Emitter::Streams(emit).files(&hostile(), &options);
        assert!(files.len() > 10);
        for f in &files {
            // package.json cannot have comments: its header is the first key, `"//"`.
            let first: String = f.contents.lines().take(2).collect();
            assert!(
                first.contains(&options.header()),
                "{} starts with {first:?}",
                f.path
            );
            for c in ['\r', '\u{2028}', '\u{2029}', '\u{202E}'] {
                assert!(
                    !f.contents.contains(c),
                    "{} contains {c:?} unescaped",
                    f.path
                );
            }
        }
        let types = files
            .iter()
            .find(|f| f.path == "typescript/src/types.ts")
            .expect("types.ts");
        assert!(
            types
                .contents
                .contains("Description ending a doc comment *\\/ and starting")
        );
        let catalog = files
            .iter()
            .find(|f| f.path == "typescript/src/catalog.ts")
            .expect("catalog.ts");
        assert!(
            catalog
                .contents
                .contains(r#", "Deprecated code with \r\n CRLF in text", "#)
        );
        assert!(
            catalog
                .contents
                .contains(r#""2fa_required": info("2fa_required", "#)
        );
    }
}
