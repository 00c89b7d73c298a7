//! The claim behind `compatible` and `patch`: for every golden diff case whose changes are no
//! more than compatible (patch-level ones included), the
//! Rust crate, the TypeScript package and the Python package generated from the OLD catalog
//! parse every example of the NEW catalog as its server sends it (through its wire format): as
//! a known code when the old catalog has it, as an unknown one otherwise. Also, the packages
//! generated from a NEW catalog recognise its retired codes.
//!
//! Cheap by construction: all old crates are path dependencies of one runner crate (one cargo
//! build, the rust step's target dir), all packages compile in one `tsc` run, and one Python
//! process imports every Python package (each named after its case) from its sources.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Catalog;
use codegen::diff::{Level, Report};

use crate::{project_root, tools};

pub struct Case {
    pub name: String,
    pub old: Catalog,
    pub new: Catalog,
}

fn load(path: &Path) -> Result<Catalog, String> {
    let sources = crate::load_sources(path)?;
    codegen::load(&sources).map_err(|f| f.to_string())
}

/// The golden diff cases (`codegen/tests/data/diff/<case>/{old,new}.yaml`), by name.
pub fn cases() -> Result<Vec<Case>, String> {
    let dir = project_root().join("codegen/tests/data/diff");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let old = load(&dir.join(&name).join("old.yaml"))?;
        let new = load(&dir.join(&name).join("new.yaml"))?;
        out.push(Case { name, old, new });
    }
    Ok(out)
}

/// The cases whose verdict is compatible or patch, with their reports.
pub fn compatible(all: &[Case]) -> Vec<(&Case, Report)> {
    all.iter()
        .map(|c| (c, codegen::diff::compare(&c.old, &c.new)))
        .filter(|(_, r)| matches!(r.verdict.level, Some(Level::Compatible | Level::Patch)))
        .collect()
}

/// Writes `contents` to `path`, creating its folder.
pub fn write(path: &Path, contents: &str) -> Result<(), String> {
    std::fs::create_dir_all(path.parent().expect("artifact paths have a parent"))
        .map_err(|e| e.to_string())?;
    std::fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes the Rust, TypeScript and Python outputs of `catalog` into `out`.
fn generate(catalog: &Catalog, out: &Path) -> Result<(), String> {
    for a in codegen::emit::all(catalog, &codegen::Options::default()) {
        if ["rust/", "typescript/", "python/src/"]
            .iter()
            .any(|p| a.path.starts_with(p))
        {
            write(&out.join(&a.path), &a.contents)?;
        }
    }
    Ok(())
}

pub fn run() -> Result<(), String> {
    let root = tools::scratch("diff-clients")?;
    let all = cases()?;
    let compatible: Vec<&Case> = compatible(&all).into_iter().map(|(c, _)| c).collect();
    let retiring: Vec<&Case> = all.iter().filter(|c| !c.new.retired.is_empty()).collect();
    if compatible.len() < 10 || retiring.is_empty() {
        return Err(format!(
            "expected at least 10 compatible or patch cases and one with retired codes, found {} and {}",
            compatible.len(),
            retiring.len()
        ));
    }

    let mut deps = String::new();
    let mut rust = String::new();
    let mut ts_imports = String::new();
    let mut ts_checks = String::new();
    // Python: what the runner checks, as JSON (`PY_RUNNER` reads it), and its import path.
    let mut py_checks = Vec::new();
    let mut py_path = Vec::new();
    let mut examples = 0;
    for case in &compatible {
        let ident = format!("old_{}", case.name);
        let mut old = case.old.clone();
        old.api.packages.rust = ident.replace('_', "-");
        old.api.packages.python = ident.clone();
        let dir = root.join("cases").join(&ident);
        generate(&old, &dir)?;
        py_path.push(dir.join("python/src"));
        let _ = writeln!(
            deps,
            "{ident} = {{ package = \"{}\", path = \"cases/{ident}/rust\" }}",
            old.api.packages.rust
        );
        let ty = &old.api.packages.error_type;
        let _ = writeln!(
            ts_imports,
            "import {{ isKnownErrorBody as known_{0}, parseErrorBody as parse_{0} }} from \"../cases/{0}/typescript/src/index.js\";",
            ident
        );
        for e in &case.new.errors {
            let known = case.old.errors.iter().any(|o| o.code == e.code);
            for x in &e.examples {
                examples += 1;
                let what = format!("{}: {}/{}", case.name, e.code, x.name);
                // As the new server sends it: through its wire format, when it has its own.
                let sent = x.wire.as_ref().map_or(&x.body, |r| &r.body);
                let body = sent.to_string();
                let _ = writeln!(
                    rust,
                    "    check(&mut failures, {what:?}, {known}, {ident}::{ty}::from_json({body:?}).map(|e| e.code().is_some()).map_err(|e| e.to_string()));"
                );
                let _ = writeln!(
                    ts_checks,
                    "check({what:?}, {known}, () => known_{ident}(parse_{ident}({body})));"
                );
                py_checks.push(serde_json::json!({
                    "kind": "parse",
                    "what": what,
                    "module": ident,
                    "error_type": ty,
                    "known": known,
                    "body": sent,
                }));
            }
        }
    }
    for case in &retiring {
        let ident = format!("new_{}", case.name);
        let mut new = case.new.clone();
        new.api.packages.rust = ident.replace('_', "-");
        new.api.packages.python = ident.clone();
        generate(&new, &root.join("cases").join(&ident))?;
        py_path.push(root.join("cases").join(&ident).join("python/src"));
        let _ = writeln!(
            deps,
            "{ident} = {{ package = \"{}\", path = \"cases/{ident}/rust\" }}",
            new.api.packages.rust
        );
        for r in &case.new.retired {
            let what = format!("{}: retired {}", case.name, r.code);
            let _ = writeln!(
                rust,
                "    retired(&mut failures, {what:?}, {ident}::RetiredCode::find({code:?}).map(|r| r.version) == Some({version:?}) && {code:?}.parse::<{ident}::ErrorCode>().is_err());",
                code = r.code,
                version = r.version
            );
        }
        let _ = writeln!(
            ts_imports,
            "import {{ isErrorCode as live_{0}, retiredCode as retired_{0} }} from \"../cases/{0}/typescript/src/index.js\";",
            ident
        );
        for r in &case.new.retired {
            let what = format!("{}: retired {}", case.name, r.code);
            py_checks.push(serde_json::json!({
                "kind": "retired",
                "what": what,
                "module": ident,
                "code": r.code,
                "version": r.version,
            }));
            let _ = writeln!(
                ts_checks,
                "retired({what:?}, retired_{ident}({code:?})?.version === {version:?} && !live_{ident}({code:?}));",
                code = r.code,
                version = r.version
            );
        }
    }

    // Rust: one runner crate, every old crate a path dependency, one build.
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[package]\nname = \"diff-clients\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n[dependencies]\n{deps}"
        ),
    )
    .map_err(|e| e.to_string())?;
    std::fs::create_dir_all(root.join("src")).map_err(|e| e.to_string())?;
    std::fs::write(
        root.join("src/main.rs"),
        format!(
            "//! Old generated crates parse the new catalogs' examples (generated by `cargo xtask test diff-clients`).\n\n\
             fn check(failures: &mut Vec<String>, what: &str, known: bool, parsed: Result<bool, String>) {{\n    \
             match parsed {{\n        \
             Ok(k) if k == known => {{}}\n        \
             Ok(k) => failures.push(format!(\"{{what}}: parsed as {{}} code\", if k {{ \"a known\" }} else {{ \"an unknown\" }})),\n        \
             Err(e) => failures.push(format!(\"{{what}}: {{e}}\")),\n    \
             }}\n}}\n\n\
             fn retired(failures: &mut Vec<String>, what: &str, ok: bool) {{\n    \
             if !ok {{\n        failures.push(format!(\"{{what}}: not recognised as retired\"));\n    }}\n}}\n\n\
             fn main() {{\n    let mut failures = Vec::new();\n{rust}    \
             if !failures.is_empty() {{\n        eprintln!(\"old Rust clients failed on new examples:\\n{{}}\", failures.join(\"\\n\"));\n        std::process::exit(1);\n    }}\n    \
             println!(\"old Rust clients parsed {examples} new examples of {} compatible or patch cases; new ones know their retired codes\");\n}}\n",
            compatible.len()
        ),
    )
    .map_err(|e| e.to_string())?;
    tools::run(
        tools::cargo(&root, &project_root().join("target/xtask/rust-target"))
            .args(["run", "--quiet"]),
    )?;

    // TypeScript: every package and the runner in one `tsc` run.
    let ts = root.join("ts");
    std::fs::create_dir_all(&ts).map_err(|e| e.to_string())?;
    std::fs::write(
        root.join("package.json"),
        "{ \"type\": \"module\", \"private\": true }\n",
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(
        root.join("tsconfig.json"),
        r#"{
  "compilerOptions": {
    "target": "ES2022", "lib": ["ES2022"], "module": "NodeNext", "moduleResolution": "NodeNext",
    "types": [], "strict": true, "exactOptionalPropertyTypes": true,
    "noUncheckedIndexedAccess": true, "skipLibCheck": true, "rootDir": ".", "outDir": "dist"
  },
  "include": ["ts/*.ts", "cases/*/typescript/src/**/*.ts"]
}
"#,
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(
        ts.join("check.ts"),
        format!(
            "// Old generated packages parse the new catalogs' examples; new ones know their retired codes.\n\
             {ts_imports}\n\
             declare const console: {{ log(...args: unknown[]): void; error(...args: unknown[]): void }};\n\
             declare const process: {{ exitCode?: number }};\n\
             const failures: string[] = [];\n\
             function check(what: string, known: boolean, parse: () => boolean): void {{\n  \
             try {{\n    const k = parse();\n    if (k !== known) failures.push(`${{what}}: parsed as ${{k ? \"a known\" : \"an unknown\"}} code`);\n  \
             }} catch (e) {{\n    failures.push(`${{what}}: ${{String(e)}}`);\n  }}\n}}\n\
             function retired(what: string, ok: boolean): void {{\n  if (!ok) failures.push(`${{what}}: not recognised as retired`);\n}}\n\n\
             {ts_checks}\n\
             if (failures.length > 0) {{\n  console.error(`TypeScript clients failed:\\n${{failures.join(\"\\n\")}}`);\n  process.exitCode = 1;\n}} else {{\n  \
             console.log(\"old TypeScript clients parsed {examples} new examples of {} compatible or patch cases; new ones know their retired codes\");\n}}\n",
            compatible.len()
        ),
    )
    .map_err(|e| e.to_string())?;
    let tsc = tools::node_bin("tsc")?;
    tools::run(Command::new(tsc).arg("-p").arg(&root))?;
    tools::run(
        Command::new("node")
            .arg(PathBuf::from("dist/ts/check.js"))
            .current_dir(&root),
    )?;

    // Python: one process imports every package from its sources and runs the checks.
    let checks = root.join("python_checks.json");
    let json = serde_json::to_string_pretty(&py_checks).map_err(|e| e.to_string())?;
    std::fs::write(&checks, json).map_err(|e| format!("{}: {e}", checks.display()))?;
    let path = std::env::join_paths(&py_path).map_err(|e| e.to_string())?;
    tools::run(
        Command::new(tools::python()?)
            .arg("-c")
            .arg(PY_RUNNER)
            .arg(&checks)
            .arg(format!(
                "{examples} new examples of {} compatible or patch cases",
                compatible.len()
            ))
            .env("PYTHONPATH", path)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .current_dir(&root),
    )
}

/// Runs the Python checks of `argv[1]` (a JSON list): `parse` takes the old package's error type
/// and parses a new example with `from_dict` (a known code must come back as one, any other code
/// as `Unknown{ErrorType}`); `retired` asks a new package for a retired code.
const PY_RUNNER: &str = r#"
import importlib
import json
import sys

failures = []
for check in json.load(open(sys.argv[1], encoding="utf-8")):
    what = check["what"]
    module = importlib.import_module(check["module"])
    try:
        if check["kind"] == "parse":
            error_type = getattr(module, check["error_type"])
            err = error_type.from_dict(check["body"])
            known = err.error_code is not None
            if known != check["known"]:
                failures.append(f"{what}: parsed as {'a known' if known else 'an unknown'} code")
        else:
            retired = module.retired_code(check["code"])
            live = module.ErrorCode.lookup(check["code"])
            if retired is None or retired.version != check["version"] or live is not None:
                failures.append(f"{what}: not recognised as retired")
    except Exception as e:
        failures.append(f"{what}: {type(e).__name__}: {e}")
if failures:
    print("Python clients failed:", *failures, sep="\n", file=sys.stderr)
    sys.exit(1)
print(f"old Python clients parsed {sys.argv[2]}; new ones know their retired codes")
"#;
