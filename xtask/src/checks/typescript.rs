//! Checks of the generated TypeScript package with the pinned TypeScript (`tools/`) and Node:
//! for `generated/typescript/` and for the gated test catalogs (`tools::gated_catalogs`: hostile text, every code style, every schema keyword) (generated into a scratch folder),
//! compile with the package's strict `tsconfig.json`, compile and run its own tests
//! (`node --test`), and `npm pack` it. For HueChat, the packed tarball is then installed into a
//! scratch consumer that must compile and run `codegen/tests/typescript/consumer.ts`, and must
//! fail to compile `misuse.ts` with exactly the errors its `// expect: TSnnnn` comments name.
//! Projects with other compiler settings than the package's (`SETTINGS`: module systems,
//! CommonJS consumers, older targets and libs, loose type-checking, the shipped `src/` compiled
//! by the project) must compile `consumer.ts` (HueChat) or `any_catalog.ts` (HueChat and
//! `SETTINGS_CATALOGS`), and run it where they emit.
//! Finally, a copy of `generated/typescript/` is installed and packed the way a user on a clean
//! machine would: `npm install` from the registry, then `npm pack` with its `prepack` script.
//! What runs JavaScript (the package's tests, the consumers that emit) runs under the PATH's
//! `node` and again under each Node.js `tools/package.json` pins (`tools::pinned_nodes`: 22 and
//! 24 on linux-x64), with `NODE_FLAGS`; tsc runs once.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{project_root, tools};

/// The package's runtime and type tests, as compiled by `test/tsconfig.json`.
const TEST_FILES: &[&str] = &["dist/test/runtime.test.js", "dist/test/types.test.js"];

/// Flags of every `node` run of the packages and their consumers: a deprecated Node.js API
/// the code uses fails the run, and so does one whose deprecation is still pending (a warning
/// in the next major). `--test` passes them to the processes it runs the files in.
const NODE_FLAGS: &[&str] = &["--throw-deprecation", "--pending-deprecation"];

/// Files `package.json`'s `exports`/`types` point to; the tarball must contain them.
const PACKED_ENTRY_POINTS: &[&str] = &[
    "package/package.json",
    "package/dist/index.js",
    "package/dist/index.d.ts",
];

/// A project's compiler settings: `options` (names and JSON values) over `SETTINGS_BASE`, in a
/// folder whose `package.json` has `"type": "<package_type>"`.
struct Setting {
    name: &'static str,
    package_type: &'static str,
    options: &'static [(&'static str, &'static str)],
    /// What the project compiles: the consumer files, or the package's shipped `src/` itself.
    sources: bool,
    /// Whether node runs what it emits (else `noEmit`).
    run: bool,
}

/// Options every setting shares: `skipLibCheck` off, so that the package's declarations are
/// checked under each setting too.
const SETTINGS_BASE: &[(&str, &str)] = &[
    ("strict", "true"),
    ("skipLibCheck", "false"),
    ("types", "[]"),
];

/// The settings a project using the package may have besides the package's own (which
/// `consumer` uses). What the package does not support is left out, and README.md says so:
/// a CommonJS file under `"module": "node16"` cannot `require` an ES module (TS1479; tsc's
/// `node16` is Node.js 16 to 20.18, which had no `require(esm)`), and the sources need a `lib`
/// of ES2020 or later (`Array.prototype.flatMap`, `Object.fromEntries`).
const SETTINGS: &[Setting] = &[
    Setting {
        name: "node16",
        package_type: "module",
        options: &[
            ("module", "\"node16\""),
            ("moduleResolution", "\"node16\""),
            ("target", "\"ES2022\""),
            ("lib", "[\"ES2022\"]"),
        ],
        sources: false,
        run: false,
    },
    // Vite's template before 2025: a bundler, ES2020 and the DOM, no emit.
    Setting {
        name: "bundler-es2020",
        package_type: "module",
        options: &[
            ("module", "\"esnext\""),
            ("moduleResolution", "\"bundler\""),
            ("target", "\"ES2020\""),
            ("lib", "[\"ES2020\", \"DOM\", \"DOM.Iterable\"]"),
            ("isolatedModules", "true"),
            ("moduleDetection", "\"force\""),
            ("allowImportingTsExtensions", "true"),
        ],
        sources: false,
        run: false,
    },
    Setting {
        name: "preserve",
        package_type: "module",
        options: &[
            ("module", "\"preserve\""),
            ("target", "\"ESNext\""),
            ("lib", "[\"ESNext\"]"),
            ("verbatimModuleSyntax", "true"),
        ],
        sources: false,
        run: false,
    },
    // A CommonJS project of the old style: `node10` resolution reads `types`, not `exports`,
    // and Node.js 20.19+ and 22.12+ `require` an ES module without top-level `await`.
    Setting {
        name: "commonjs-node10",
        package_type: "commonjs",
        options: &[
            ("module", "\"commonjs\""),
            ("moduleResolution", "\"node10\""),
            ("target", "\"ES2020\""),
            ("lib", "[\"ES2022\"]"),
            ("esModuleInterop", "true"),
        ],
        sources: false,
        run: true,
    },
    // tsc 5.8+ lets a CommonJS file `require` an ES module under `nodenext` (and `node20`).
    Setting {
        name: "nodenext-commonjs",
        package_type: "commonjs",
        options: &[
            ("module", "\"nodenext\""),
            ("moduleResolution", "\"nodenext\""),
            ("target", "\"ES2022\""),
            ("lib", "[\"ES2022\"]"),
        ],
        sources: false,
        run: false,
    },
    Setting {
        name: "loose",
        package_type: "module",
        options: &[
            ("strict", "false"),
            ("module", "\"nodenext\""),
            ("moduleResolution", "\"nodenext\""),
            ("target", "\"ES2022\""),
            ("lib", "[\"ES2022\"]"),
        ],
        sources: false,
        run: false,
    },
    // A project that compiles the shipped sources itself (a monorepo's path to `src/`).
    Setting {
        name: "src-bundler-es2020",
        package_type: "module",
        options: &[
            ("module", "\"esnext\""),
            ("moduleResolution", "\"bundler\""),
            ("target", "\"ES2020\""),
            ("lib", "[\"ES2020\"]"),
        ],
        sources: true,
        run: false,
    },
    Setting {
        name: "src-commonjs-loose",
        package_type: "commonjs",
        options: &[
            ("strict", "false"),
            ("module", "\"commonjs\""),
            ("moduleResolution", "\"node10\""),
            ("target", "\"ES2020\""),
            ("lib", "[\"ES2020\", \"DOM\"]"),
        ],
        sources: true,
        run: false,
    },
];

/// The gated catalogs whose packages go through `SETTINGS` besides HueChat's (all of them when
/// `XTASK_CATALOGS` or `XTASK_GRID_SEEDS` chooses the catalogs): hostile names and text, and a
/// custom wire's nested body types.
const SETTINGS_CATALOGS: &[&str] = &["hostile", "msgraph"];

pub fn run() -> Result<(), String> {
    let tsc = tools::node_bin("tsc")?;
    let root = project_root();
    let nodes = nodes()?;

    let package = root.join("generated/typescript");
    let tarball = build_test_pack(&tsc, &package, "ts-pack", &nodes)?;
    let names = package_names(&root.join("catalog"))?;
    consumer(&tsc, &tarball, &names.package, &nodes)?;
    settings(&tsc, &tarball, &names, "huechat", true, &nodes)?;

    let chosen = tools::catalogs_chosen();
    for (name, catalog) in tools::gated_catalogs()? {
        let out = tools::scratch(&format!("ts-{name}"))?;
        tools::generate_into(&root.join(&catalog), &out)?;
        let pack = format!("ts-{name}-pack");
        let tarball = build_test_pack(&tsc, &out.join("typescript"), &pack, &nodes)?;
        if chosen || SETTINGS_CATALOGS.contains(&name.as_str()) {
            let names = package_names(&root.join(&catalog))?;
            settings(&tsc, &tarball, &names, &name, false, &nodes)?;
        }
    }
    clean_pack(&package)?;
    println!("JavaScript ran under {}", shown_nodes(&nodes));
    Ok(())
}

/// A Node.js the step runs JavaScript under: the PATH's `node`, then the pinned ones.
struct Node {
    program: PathBuf,
    /// `v22.23.5 (tools/node_modules/node22)`, for the summary.
    shown: String,
}

/// The PATH's `node` and each of `tools::pinned_nodes`, printed.
fn nodes() -> Result<Vec<Node>, String> {
    let version = tools::output(Command::new("node").arg("--version"))?;
    let mut nodes = vec![Node {
        program: "node".into(),
        shown: format!("{} (PATH)", version.trim()),
    }];
    for pinned in tools::pinned_nodes()? {
        nodes.push(Node {
            shown: format!("{} (tools/node_modules/{})", pinned.version, pinned.name),
            program: pinned.path,
        });
    }
    println!("JavaScript runs under {}", shown_nodes(&nodes));
    Ok(nodes)
}

fn shown_nodes(nodes: &[Node]) -> String {
    let shown: Vec<&str> = nodes.iter().map(|n| n.shown.as_str()).collect();
    shown.join(", ")
}

/// `node` with `NODE_FLAGS` and `args` in `dir`, under each of `nodes`.
fn run_js(nodes: &[Node], args: &[&str], dir: &Path) -> Result<(), String> {
    for node in nodes {
        tools::run(
            Command::new(&node.program)
                .args(NODE_FLAGS)
                .args(args)
                .current_dir(dir),
        )?;
    }
    Ok(())
}

/// Installs the tarball into a scratch folder with a project per `SETTINGS` entry, compiles
/// them all in one `tsc -b`, and runs what those that emit emitted. Each compiles
/// `any_catalog.ts`, and HueChat's (`huechat`) `consumer.ts` too; a `sources` one compiles the
/// package's `src/` as the tarball ships it.
fn settings(
    tsc: &Path,
    tarball: &Path,
    names: &PackageNames,
    catalog: &str,
    huechat: bool,
    nodes: &[Node],
) -> Result<(), String> {
    let fixtures = project_root().join("codegen/tests/typescript");
    let read = |name: &str| {
        std::fs::read_to_string(fixtures.join(name)).map_err(|e| format!("{name}: {e}"))
    };
    let any_catalog = read("any_catalog.ts")?
        .replace("__PACKAGE__", &names.package)
        .replace("__ERROR_TYPE__", &names.error_type);
    let mut consumers = vec![("any_catalog.ts", any_catalog)];
    if huechat {
        consumers.push(("consumer.ts", read("consumer.ts")?));
    }
    let dir = tools::scratch(&format!("ts-settings-{catalog}"))?;
    let installed = dir.join("node_modules").join(&names.package);
    extract(tarball, &installed)?;
    let write = |path: &Path, contents: &str| {
        std::fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
    };
    for s in SETTINGS {
        let project = dir.join(s.name);
        std::fs::create_dir_all(&project).map_err(|e| e.to_string())?;
        let package_json = format!(
            "{{ \"private\": true, \"type\": \"{}\" }}\n",
            s.package_type
        );
        write(&project.join("package.json"), &package_json)?;
        let files: Vec<&str> = if s.sources {
            copy_package(&installed.join("src"), &project.join("src"))?;
            Vec::new()
        } else {
            for (name, text) in &consumers {
                write(&project.join(name), text)?;
            }
            consumers.iter().map(|(name, _)| *name).collect()
        };
        let config = tsconfig(s, &files)?;
        write(&project.join("tsconfig.json"), &config)?;
    }
    let projects: Vec<&str> = SETTINGS.iter().map(|s| s.name).collect();
    tools::run(
        Command::new(tsc)
            .args(["-b", "--pretty", "false"])
            .args(&projects)
            .current_dir(&dir),
    )?;
    for s in SETTINGS.iter().filter(|s| s.run) {
        for (name, _) in &consumers {
            let js = format!("out/{}", Path::new(name).with_extension("js").display());
            run_js(nodes, &[&js], &dir.join(s.name))?;
        }
    }
    println!(
        "{catalog}: its package compiles under {} other settings",
        SETTINGS.len()
    );
    Ok(())
}

/// The `tsconfig.json` of a setting's project: its options over `SETTINGS_BASE`, compiling
/// `files`, or `src/` when there are none.
fn tsconfig(setting: &Setting, files: &[&str]) -> Result<String, String> {
    let output = if setting.run {
        ("outDir", "\"out\"")
    } else {
        ("noEmit", "true")
    };
    let mut options = serde_json::Map::new();
    for &(name, value) in SETTINGS_BASE.iter().chain(setting.options).chain([&output]) {
        let value = serde_json::from_str(value)
            .map_err(|e| format!("{}: {name}: {value}: {e}", setting.name))?;
        options.insert(name.to_owned(), value);
    }
    let mut config = serde_json::Map::new();
    config.insert("compilerOptions".into(), options.into());
    if files.is_empty() {
        config.insert("include".into(), serde_json::json!(["src/**/*.ts"]));
    } else {
        config.insert("files".into(), serde_json::json!(files));
    }
    serde_json::to_string_pretty(&config).map_err(|e| e.to_string())
}

/// Unpacks an `npm pack` tarball into `into` (a `node_modules/<name>` folder).
fn extract(tarball: &Path, into: &Path) -> Result<(), String> {
    std::fs::create_dir_all(into).map_err(|e| format!("{}: {e}", into.display()))?;
    tools::run(
        Command::new("tar")
            .arg("-xzf")
            .arg(tarball)
            .arg("-C")
            .arg(into)
            .arg("--strip-components=1"),
    )
}

/// `npm install` (from the npm registry) and `npm pack` in a copy of the package without
/// `dist/` or `node_modules/`, with a `PATH` of Node's folder and the system's only: the
/// package must build and pack with what its own `package.json` declares (its pinned
/// `typescript`), as it must when copied into someone's monorepo.
fn clean_pack(package: &Path) -> Result<(), String> {
    let dir = tools::scratch("ts-clean-pack")?;
    let copy = dir.join("package");
    copy_package(package, &copy)?;
    let node = tools::output(Command::new("node").args(["-p", "process.execPath"]))?;
    let node_dir = Path::new(node.trim())
        .parent()
        .ok_or("node's folder")?
        .to_path_buf();
    let path = std::env::join_paths([node_dir, "/usr/bin".into(), "/bin".into()])
        .map_err(|e| e.to_string())?;
    let npm = |args: &[&str]| {
        let mut c = Command::new("npm");
        c.args(args)
            .args(["--no-audit", "--no-fund", "--loglevel=error"])
            .env("PATH", &path)
            .current_dir(&copy);
        c
    };
    tools::run(&mut npm(&["install"]))?;
    let out = tools::output(&mut npm(&["pack", "--pack-destination", ".."]))?;
    let name = out.lines().last().map(str::trim).unwrap_or_default();
    if name.is_empty() || !dir.join(name).is_file() {
        return Err(format!(
            "npm pack on a clean copy printed {out:?} but left no tarball"
        ));
    }
    println!(
        "a clean copy installs and packs: {}",
        dir.join(name).display()
    );
    Ok(())
}

/// The package's sources, without what a build or an install added.
fn copy_package(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name();
        if name == "dist" || name == "node_modules" {
            continue;
        }
        let target = to.join(&name);
        if entry.path().is_dir() {
            copy_package(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}

/// The npm package name and the error class a catalog declares.
struct PackageNames {
    package: String,
    error_type: String,
}

fn package_names(catalog: &Path) -> Result<PackageNames, String> {
    let sources = crate::load_sources(catalog)?;
    let catalog = codegen::load(&sources).map_err(|f| f.to_string())?;
    let packages = catalog.api.packages;
    Ok(PackageNames {
        package: packages.typescript,
        error_type: packages.error_type,
    })
}

/// Compiles the package and its tests with their strict `tsconfig.json`, and runs the tests
/// under the PATH's `node`.
pub fn compile_and_test(tsc: &Path, package: &Path) -> Result<(), String> {
    compile(tsc, package)?;
    run_tests(&nodes_on_path(), package)
}

/// Compiles the package and its tests with their strict `tsconfig.json`, into `dist/`.
fn compile(tsc: &Path, package: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(package.join("dist"));
    tools::run(Command::new(tsc).arg("-p").arg(package))?;
    tools::run(Command::new(tsc).arg("-p").arg(package.join("test")))
}

/// The package's compiled tests (`node --test`), under each of `nodes`.
fn run_tests(nodes: &[Node], package: &Path) -> Result<(), String> {
    let args: Vec<&str> = std::iter::once("--test")
        .chain(TEST_FILES.iter().copied())
        .collect();
    run_js(nodes, &args, package)
}

/// The PATH's `node` alone (the grid's).
fn nodes_on_path() -> [Node; 1] {
    [Node {
        program: "node".into(),
        shown: "PATH".into(),
    }]
}

/// Compiles the package and its tests, runs them, packs it; returns the tarball.
fn build_test_pack(
    tsc: &Path,
    package: &Path,
    scratch: &str,
    nodes: &[Node],
) -> Result<PathBuf, String> {
    compile(tsc, package)?;
    run_tests(nodes, package)?;

    let dest = tools::scratch(scratch)?;
    let out = tools::output(
        Command::new("npm")
            .args(["pack", "--ignore-scripts", "--silent", "--pack-destination"])
            .arg(&dest)
            .current_dir(package),
    )?;
    let name = out.lines().last().map(str::trim).unwrap_or_default();
    let tarball = dest.join(name);
    if name.is_empty() || !tarball.is_file() {
        return Err(format!(
            "npm pack printed {out:?}, but no tarball is in {}",
            dest.display()
        ));
    }
    let listing = tools::output(Command::new("tar").arg("-tzf").arg(&tarball))?;
    let files: BTreeSet<&str> = listing.lines().map(str::trim).collect();
    for entry in PACKED_ENTRY_POINTS {
        if !files.contains(entry) {
            return Err(format!(
                "{} lacks {entry}; it has:\n{listing}",
                tarball.display()
            ));
        }
    }
    if let Some(test) = files.iter().find(|f| f.starts_with("package/dist/test/")) {
        return Err(format!(
            "{} contains the package's tests ({test})",
            tarball.display()
        ));
    }
    println!("packed {} ({} files)", tarball.display(), files.len());
    Ok(tarball)
}

/// Installs the tarball into a scratch project; `consumer.ts` must compile and run, `misuse.ts`
/// must fail with exactly its expected errors.
fn consumer(tsc: &Path, tarball: &Path, package_name: &str, nodes: &[Node]) -> Result<(), String> {
    let fixtures = project_root().join("codegen/tests/typescript");
    let dir = tools::scratch("ts-consumer")?;
    extract(tarball, &dir.join("node_modules").join(package_name))?;
    let write = |name: &str, contents: &str| {
        std::fs::write(dir.join(name), contents).map_err(|e| format!("{name}: {e}"))
    };
    write(
        "package.json",
        "{ \"private\": true, \"type\": \"module\" }\n",
    )?;
    // The same strict options the package uses (from its generated tsconfig).
    let package_tsconfig =
        std::fs::read_to_string(project_root().join("generated/typescript/tsconfig.json"))
            .map_err(|e| e.to_string())?;
    for name in ["consumer.ts", "misuse.ts"] {
        let text =
            std::fs::read_to_string(fixtures.join(name)).map_err(|e| format!("{name}: {e}"))?;
        write(name, &text)?;
        let config = package_tsconfig
            // An application exports nothing others build on (declarations are the package's).
            .replace("    \"isolatedDeclarations\": true,\n", "")
            .replace("\"rootDir\": \"src\"", "\"rootDir\": \".\"")
            .replace("\"outDir\": \"dist\"", "\"outDir\": \"out\"")
            .replace(
                "\"include\": [\"src/**/*.ts\"]",
                &format!("\"files\": [\"{name}\"]"),
            );
        if !config.contains(&format!("\"files\": [\"{name}\"]")) {
            return Err(
                "generated/typescript/tsconfig.json no longer has the expected layout".into(),
            );
        }
        write(&format!("tsconfig.{name}.json"), &config)?;
    }

    tools::run(
        Command::new(tsc)
            .arg("-p")
            .arg(dir.join("tsconfig.consumer.ts.json")),
    )?;
    run_js(nodes, &["out/consumer.js"], &dir)?;

    let shown = "tsc -p tsconfig.misuse.ts.json (must fail)";
    println!("$ {shown}");
    let out = Command::new(tsc)
        .args(["--pretty", "false", "-p", "tsconfig.misuse.ts.json"])
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("could not start tsc: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.success() {
        return Err("misuse.ts compiled, but it must not".into());
    }
    let source = std::fs::read_to_string(fixtures.join("misuse.ts")).map_err(|e| e.to_string())?;
    let expected = expected_errors(&source);
    let actual = actual_errors(&stdout, "misuse.ts");
    super::misuse_fails_as_expected("misuse.ts", &expected, &actual, &stdout)
}

/// `(line, TSnnnn)` for each `// expect: TSnnnn` comment (1-based lines).
fn expected_errors(source: &str) -> BTreeSet<(usize, String)> {
    source
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let (_, code) = line.rsplit_once("// expect: ")?;
            let code = code.trim();
            let is_code = code
                .strip_prefix("TS")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            is_code.then(|| (i + 1, code.to_string()))
        })
        .collect()
}

/// `(line, TSnnnn)` for each `file(line,col): error TSnnnn:` line of tsc's output.
fn actual_errors(output: &str, file: &str) -> BTreeSet<(usize, String)> {
    output
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix(file)?.strip_prefix('(')?;
            let (pos, rest) = rest.split_once(')')?;
            let line_no = pos.split(',').next()?.parse().ok()?;
            let code = rest.strip_prefix(": error ")?.split(':').next()?;
            Some((line_no, code.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_tsconfigs() {
        let mut names = BTreeSet::new();
        for s in SETTINGS {
            assert!(names.insert(s.name), "{} twice", s.name);
            let config: serde_json::Value =
                serde_json::from_str(&tsconfig(s, &["a.ts"]).unwrap()).unwrap();
            let options = &config["compilerOptions"];
            assert_eq!(options["skipLibCheck"], false, "{}", s.name);
            assert_eq!(options["noEmit"].as_bool(), (!s.run).then_some(true));
            assert!(["module", "commonjs"].contains(&s.package_type));
        }
        let loose = SETTINGS.iter().find(|s| s.name == "loose").unwrap();
        let config: serde_json::Value =
            serde_json::from_str(&tsconfig(loose, &[]).unwrap()).unwrap();
        assert_eq!(config["compilerOptions"]["strict"], false);
        assert_eq!(config["include"][0], "src/**/*.ts");
    }

    #[test]
    fn reads_expectations_and_tsc_errors() {
        let src = "// lines marked `// expect: TSnnnn`\nbad(); // expect: TS2339\n";
        assert_eq!(
            expected_errors(src),
            BTreeSet::from([(2, "TS2339".to_string())])
        );
        let out = "misuse.ts(2,5): error TS2339: Property 'x' does not exist.\n  detail\nother.ts(1,1): error TS1: x\n";
        assert_eq!(
            actual_errors(out, "misuse.ts"),
            BTreeSet::from([(2, "TS2339".to_string())])
        );
    }
}
