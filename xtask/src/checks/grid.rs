//! The grid (`cargo xtask test grid`): catalogs the generator was not tuned on, each generated and
//! put through every gate. Names from 1 byte to the 64-byte limit for codes, and up to 100
//! bytes for properties; nested details, enums with labels, headers, delay fields,
//! deprecations, a webhook-only catalog, `details: {}`, many string fields, a required
//! `request_id`, every schema keyword (maps of objects, nullable objects, `const`, `pattern`,
//! lengths, item counts, number bounds) and run-time messages; random catalogs drawn from a seed
//! (`random`), one per wire preset and custom wire, one of them drawn at random, each of the size
//! its seed draws (`random::size`: 1 code, 2 to 5, 6 to 48, or 100 to 500 for seeds from
//! `random::LARGE_FROM` on, which CI's seeds are below), each written as its seed says
//! (`written`: JSON or YAML forms, one file or a folder) and held to generate what its JSON form
//! generates; and a size series of 1, 150, 250 and 1,000 codes mixing long and short names. The
//! catalogs of the grid's own but the first are written in YAML forms or folders too
//! (`written::fixed`), held to generate what they generate as one file.
//!
//! The Rust crates share one Cargo workspace (one target folder, one `Cargo.lock` copied from
//! the repository's, so versions are pinned): `cargo fmt --check`, clippy with `-D warnings`,
//! rustdoc with `-D warnings` and `cargo test`, each once over all of them. Each TypeScript
//! package compiles with its strict `tsconfig.json` and runs its own tests; each OpenAPI document
//! goes through the validators; each docs book builds without warnings and its links resolve.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::{checks, docs_site, project_root, tools};

pub(crate) mod random;
pub(crate) mod written;

/// A grid catalog: its name (also its crate's) and its files (`written::Files`): one file is
/// the catalog itself, several are a folder's.
type GridCatalog = (String, written::Files);

/// A catalog of one file.
fn one(yaml: String) -> written::Files {
    vec![("catalog.yaml".to_owned(), yaml)]
}

/// The seeds of the random catalogs CI gates, one per wire (a seed's wire is `random::WIRES`
/// at the seed modulo its length). Each draws its size (`random::size`): none of them a large
/// one (`random::LARGE_FROM`), so CI's grid takes about the time it took when every random
/// catalog had 24 codes.
const RANDOM_SEEDS: &[u64] = &[0, 1, 2, 3, 4, 5, 6];

/// The catalogs of the grid, smallest first; with `XTASK_GRID_SEEDS` set (`7`, `1,5,9` or
/// `100-139`), only the random catalogs of those seeds, for a longer sweep than CI's.
pub fn catalogs() -> Vec<GridCatalog> {
    let random = |seeds: &[u64]| -> Vec<GridCatalog> {
        let drawn = seeds.iter().map(|&seed| {
            let wanted = random::size(seed);
            let (yaml, codes) = random::catalog(seed, wanted);
            // A generator that drew codes validation refuses would test less than it says (for
            // one code: that code).
            assert!(
                codes * 2 >= wanted,
                "random catalog {seed}: only {codes} of {wanted} codes validated"
            );
            // Written as the seed says (JSON or YAML forms, one file or a folder), it must mean
            // what its JSON form means.
            let files = written::files(seed, &yaml);
            if let Err(e) = written::same_outputs(&yaml, &files) {
                panic!(
                    "random catalog {seed}, written as {} file(s): {e}",
                    files.len()
                );
            }
            (format!("grid-random-{seed}"), files)
        });
        drawn.collect()
    };
    if let Ok(text) = std::env::var("XTASK_GRID_SEEDS") {
        // `run` refuses a value `seeds` cannot read before it gets here.
        return random(&seeds(&text).unwrap_or_default());
    }
    // The others written in YAML forms and folders too (`written::fixed`), by seed: form 1 is
    // one YAML file, 2 a folder of YAML files, 3 a folder of JSON and YAML files.
    let fixed =
        |name: &str, seed: u64, yaml: String| (name.to_owned(), written::fixed(name, seed, &yaml));
    let mut all = vec![
        ("grid-one".to_owned(), one(sized(1))),
        fixed("grid-names", 102, names()),
        fixed("grid-webhooks", 101, webhooks()),
        fixed("grid-widths", 103, widths()),
    ];
    all.extend(random(RANDOM_SEEDS));
    all.extend([
        fixed("grid-150", 105, sized(150)),
        fixed("grid-250", 106, sized(250)),
        fixed("grid-1000", 107, sized(1000)),
    ]);
    all
}

/// How `XTASK_GRID_SEEDS` is written, for its error.
pub(crate) const SEEDS_HELP: &str = "give seeds as `7`, `1,5,9` or `100-139`";

/// The seeds `XTASK_GRID_SEEDS` names (`7`, `1,5,9`, `100-139`), or `None` if it is not
/// written so.
pub(crate) fn seeds(text: &str) -> Option<Vec<u64>> {
    let mut seeds = Vec::new();
    for part in text.split(',') {
        match part.trim().split_once('-') {
            Some((a, b)) => {
                let (a, b) = (a.trim().parse::<u64>().ok()?, b.trim().parse().ok()?);
                if a > b {
                    return None;
                }
                seeds.extend(a..=b);
            }
            None => seeds.push(part.trim().parse().ok()?),
        }
    }
    Some(seeds)
}

pub fn run() -> Result<(), String> {
    if let Ok(text) = std::env::var("XTASK_GRID_SEEDS")
        && seeds(&text).is_none_or(|s| s.is_empty())
    {
        return Err(format!("XTASK_GRID_SEEDS={text:?}: {SEEDS_HELP}"));
    }
    let dir = tools::scratch("grid")?;
    let mut failures = Vec::new();
    let mut members = Vec::new();
    let mut names = Vec::new();
    let mut paths = Vec::new();
    for (name, files) in catalogs() {
        let catalog = write_catalog(&dir, &name, &files)?;
        tools::generate_into(&catalog, &dir.join(&name))?;
        members.push(format!("\"{name}/rust\""));
        names.push(name);
        paths.push(catalog);
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .map_err(|e| e.to_string())?;
    std::fs::copy(project_root().join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| e.to_string())?;
    // A team's workspace has its own style and lint settings; the crates must pass the gates
    // by their own (`rustfmt.toml`, `clippy.toml` in each crate), not by the workspace's.
    for (file, text) in [
        ("rustfmt.toml", WORKSPACE_RUSTFMT),
        ("clippy.toml", WORKSPACE_CLIPPY),
    ] {
        std::fs::write(dir.join(file), text).map_err(|e| format!("{file}: {e}"))?;
    }
    let mut step = |what: &str, result: Result<(), String>| {
        if let Err(e) = result {
            failures.push(format!("{what}: {e}"));
        }
    };
    step(
        "rust",
        rust(&dir, &project_root().join("target/xtask/grid-target"), true),
    );
    let gate_tools = GateTools::find()?;
    for (name, catalog) in names.iter().zip(&paths) {
        let out = dir.join(name);
        for (gate, result) in other_gates(&gate_tools, catalog, &out) {
            step(&format!("{name}: {gate}"), result);
        }
    }
    if failures.is_empty() {
        println!("grid: every gate passed for {} catalogs", names.len());
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// The grid workspace's `rustfmt.toml`: a team's style, far from rustfmt's defaults (stable
/// options only).
const WORKSPACE_RUSTFMT: &str = "\
max_width = 72
tab_spaces = 2
hard_tabs = true
newline_style = \"Windows\"
use_small_heuristics = \"Max\"
fn_params_layout = \"Vertical\"
reorder_imports = false
use_field_init_shorthand = true
use_try_shorthand = true
";

/// The grid workspace's `clippy.toml`: a team's stricter thresholds, names it forbids and an
/// older msrv than the crates'.
const WORKSPACE_CLIPPY: &str = "\
msrv = \"1.60\"
too-many-arguments-threshold = 1
type-complexity-threshold = 5
enum-variant-size-threshold = 8
large-error-threshold = 8
array-size-threshold = 16
disallowed-names = [\"code\", \"details\", \"status\", \"e\", \"x\"]
max-struct-bools = 0
max-fn-params-bools = 0
cognitive-complexity-threshold = 1
single-char-binding-names-threshold = 0
";

/// Writes a catalog's files into `dir`: one file as `<name>.yaml`, several into the folder
/// `<name>-catalog`; returns the catalog's path.
fn write_catalog(dir: &Path, name: &str, files: &written::Files) -> Result<PathBuf, String> {
    let catalog = match files.as_slice() {
        [_] => dir.join(format!("{name}.yaml")),
        _ => dir.join(format!("{name}-catalog")),
    };
    for (path, text) in files {
        let file = if files.len() == 1 {
            catalog.clone()
        } else {
            catalog.join(path)
        };
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&file, text).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    Ok(catalog)
}

/// Every Rust gate on the crate (or, with `workspace`, every crate of the workspace) in `dir`:
/// `cargo fmt --check`, clippy with every feature and with none (as most users depend on it)
/// and rustdoc with `-D warnings`, and the crate's tests.
pub fn rust(dir: &Path, target: &Path, workspace: bool) -> Result<(), String> {
    let cargo = |args: &[&str]| {
        let mut c = tools::cargo(dir, target);
        c.args(args);
        if workspace {
            c.arg(if args[0] == "fmt" {
                "--all"
            } else {
                "--workspace"
            });
        }
        c
    };
    tools::run(&mut cargo(&["fmt", "--check"]))?;
    for features in ["--all-features", "--no-default-features"] {
        tools::run(cargo(&["clippy", features, "--all-targets"]).args(["--", "-D", "warnings"]))?;
    }
    tools::run(cargo(&["doc", "--no-deps", "--all-features"]).env("RUSTDOCFLAGS", "-D warnings"))?;
    tools::run(&mut cargo(&["test", "--all-features", "--quiet"]))
}

/// The tools `other_gates` runs, installed and found once.
pub struct GateTools {
    tsc: PathBuf,
    python: PathBuf,
    pyright: PathBuf,
}

impl GateTools {
    pub fn find() -> Result<Self, String> {
        Ok(Self {
            tsc: tools::node_bin("tsc")?,
            python: tools::python()?,
            pyright: tools::node_bin("pyright")?,
        })
    }
}

/// The TypeScript, Python, OpenAPI and docs gates on the outputs in `out` of `catalog`, each
/// with its result.
pub fn other_gates(
    tools: &GateTools,
    catalog: &Path,
    out: &Path,
) -> Vec<(&'static str, Result<(), String>)> {
    let scratch = format!(
        "py-gate-{}",
        out.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    );
    vec![
        (
            "typescript",
            checks::typescript::compile_and_test(&tools.tsc, &out.join("typescript")),
        ),
        (
            "python",
            checks::python::check_package(
                &tools.python,
                &tools.pyright,
                // The other interpreters are the python step's: the grid's catalogs vary the
                // names and shapes that the pinned tools check, and the code that could meet
                // an interpreter's changes is the fixed runtime, which every catalog shares.
                &[],
                &out.join("python"),
                &scratch,
            )
            .map(drop),
        ),
        (
            "openapi",
            checks::openapi::check_document(&out.join("openapi"), &[]),
        ),
        ("docs", docs(catalog, out)),
    ]
}

/// The docs book builds (mdBook warnings fail) and its links, anchors and sections check out.
fn docs(catalog: &Path, out: &Path) -> Result<(), String> {
    let sources = crate::load_sources(catalog)?;
    let model = codegen::load(&sources).map_err(|f| f.to_string())?;
    let site = out.join("site");
    docs_site::build(&out.join("docs"), &site)?;
    let mut errors = Vec::new();
    checks::docs::check_site(&model, &site, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

/// The catalog's head: api (crate and error type named after `name`), envelope, statuses,
/// categories (`group_0`..`group_{categories-1}`).
fn head(name: &str, error_type: &str, categories: usize, request_id_required: bool) -> String {
    let mut s = format!(
        "api:\n  name: Grid\n  version: 1.0.0\n  docs_url: https://docs.grid.test/errors\n  packages:\n    rust: {name}-errors\n    typescript: \"@grid/{name}\"\n    error_type: {error_type}\n\
         envelope:\n  fields:\n\
         \x20   error: {{ type: string, required: true, description: Code }}\n\
         \x20   message: {{ type: string, required: true, description: Message }}\n\
         \x20   code: {{ type: integer, required: true, description: Status }}\n\
         \x20   details: {{ type: object, required: false, description: Details }}\n\
         \x20   request_id: {{ type: string, required: {request_id_required}, description: Request }}\n\
         \x20   timestamp: {{ type: string, required: false, description: Time }}\n\
         statuses:\n  400: Bad request\n  404: Not found\n  409: Conflict\n  429: Too many requests\n  500: Internal error\n  503: Unavailable\n\
         categories:\n"
    );
    for c in 0..categories {
        let _ = writeln!(s, "  - {{ id: group_{c}, title: Group {c} Errors }}");
    }
    s.push_str("errors:\n");
    s
}

/// A snake_case name of exactly `len` bytes that starts with `prefix`.
fn name_of(prefix: &str, len: usize) -> String {
    let mut s = prefix.to_string();
    let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];
    let mut i = 0;
    while s.len() < len {
        s.push('_');
        s.push_str(words[i % words.len()]);
        i += 1;
    }
    s.truncate(len);
    while s.ends_with('_') {
        s.pop();
        s.push('x');
    }
    s
}

/// Code `i` of a size series, with a name short or long (up to 64 bytes) and, by turns, no
/// details, flat details, an enum with labels, nested objects and arrays, and headers.
fn sized_code(s: &mut String, i: usize, categories: usize) {
    let lens = [6, 12, 24, 29, 36, 48, 64];
    let code = name_of(
        &format!("c{i}"),
        lens[i % lens.len()].max(format!("c{i}").len()),
    );
    let statuses = [400, 404, 409, 429, 500, 503];
    let status = statuses[i % statuses.len()];
    let _ = write!(
        s,
        "  - code: {code}\n    status: {status}\n    category: group_{}\n    description: Error {i} of the series.\n",
        i % categories
    );
    match i % 4 {
        0 if i % 8 == 4 => {
            let _ = write!(
                s,
                "    message:\n      runtime: What the upstream service said.\n    examples:\n      - body: {{ error: {code}, message: \"upstream {i}: reset\", code: {status} }}\n"
            );
        }
        0 => {
            let _ = write!(
                s,
                "    message: Error {i} happened\n    examples:\n      - body: {{ error: {code}, message: Error {i} happened, code: {status} }}\n"
            );
        }
        1 => {
            let prop = name_of("resource", 10 + i % 50);
            let _ = write!(
                s,
                "    message: Resource {{{prop}}} failed {{count}} times\n    details:\n      properties:\n        {prop}: {{ type: string, description: The resource. }}\n        count: {{ type: integer, minimum: 0, description: Attempts. }}\n        note: {{ type: string, pattern: \"^[a-z]+( [a-z]+)*$\", maxLength: 200, description: A note. }}\n        labels: {{ type: object, additionalProperties: {{ type: string }}, description: Labels. }}\n        owner: {{ type: [string, \"null\"], description: The owner. }}\n      required: [{prop}, count]\n    examples:\n      - body: {{ error: {code}, message: Resource r{i} failed 3 times, code: {status}, details: {{ {prop}: r{i}, count: 3 }} }}\n"
            );
        }
        2 => {
            let _ = write!(
                s,
                "    message: The {{kind|label}} kind failed\n    details:\n      properties:\n        kind: {{ type: string, enum: [alpha, beta], labels: {{ alpha: first letter }}, description: The kind. }}\n        parts:\n          type: array\n          description: The parts.\n          items:\n            type: object\n            properties:\n              {}: {{ type: integer, description: A deep field. }}\n              tags: {{ type: array, items: {{ type: string, enum: [x, y] }}, description: Tags. }}\n            required: [tags]\n      required: [kind]\n    examples:\n      - body: {{ error: {code}, message: The first letter kind failed, code: {status}, details: {{ kind: alpha, parts: [{{ tags: [x] }}] }} }}\n",
                name_of("deep", 40)
            );
        }
        _ => {
            let _ = write!(
                s,
                "    message: Slow down for {{wait_seconds}} seconds\n    details:\n      properties:\n        wait_seconds: {{ type: integer, minimum: 0, description: Seconds. }}\n      required: [wait_seconds]\n    headers:\n      - {{ name: Retry-After, type: integer, required: true, description: Seconds. }}\n      - {{ name: X-{long}, type: string, description: A long header name. }}\n    retry: {{ strategy: after_delay, delay_field: wait_seconds }}\n    examples:\n      - body: {{ error: {code}, message: Slow down for 5 seconds, code: {status}, details: {{ wait_seconds: 5 }} }}\n        headers: {{ Retry-After: \"5\", X-{long}: trace }}\n",
                long = "Trace-Identifier-Of-The-Request-Sent".repeat(2)
            );
        }
    }
}

/// `n` codes in up to 10 categories.
fn sized(n: usize) -> String {
    let categories = n.clamp(1, 10);
    let mut s = head(&format!("grid-{n}"), "GridError", categories, false);
    for i in 0..n {
        sized_code(&mut s, i, categories);
    }
    s
}

/// Codes and property names of every length that has broken a formatter: codes from 1 to 64
/// bytes, with and without details; properties up to 100 bytes in templates, `capitalize`,
/// nested objects; a deprecated code; the longest error type name and category id; a required
/// `request_id`.
fn names() -> String {
    let mut s = head("grid-names", &format!("G{}", "x".repeat(31)), 3, true);
    let lens = [1, 2, 8, 16, 23, 24, 25, 28, 29, 30, 31, 40, 50, 60, 63, 64];
    for (i, len) in lens.into_iter().enumerate() {
        let letter = (b'a' + i as u8) as char;
        let code = name_of(&letter.to_string(), len);
        let status = [400, 404, 409, 429, 500, 503][i % 6];
        let _ = write!(
            s,
            "  - code: {code}\n    status: {status}\n    category: group_{}\n    description: A code of {len} bytes.\n",
            i % 3
        );
        if i % 2 == 0 {
            let _ = write!(
                s,
                "    message: Plain\n    examples:\n      - body: {{ error: {code}, message: Plain, code: {status}, request_id: req_1 }}\n"
            );
            continue;
        }
        let long = name_of("p", 100 - i);
        let mid = name_of("q", 24 + i);
        let _ = write!(
            s,
            "    message: \"{{{long}|capitalize}} and {{{mid}}}\"\n    details:\n      properties:\n        {long}: {{ type: string, description: A long property. }}\n        {mid}: {{ type: integer, description: A signed number. }}\n        {}:\n          type: object\n          description: A nested object with long names.\n          properties:\n            {}: {{ type: string, enum: [{}, short], description: An enum with a long value. }}\n        {map}:\n          type: object\n          description: A map of objects with long names.\n          additionalProperties:\n            type: object\n            properties:\n              {}: {{ type: [string, \"null\"], pattern: \"^[a-z]+(_[a-z]+)*$\", minLength: 1, maxLength: 80 }}\n              {}: {{ type: object, additionalProperties: {{ type: array, items: {{ type: number, minimum: -1.5, maximum: 1e300 }}, minItems: 1 }} }}\n        {maybe}:\n          type: [object, \"null\"]\n          description: A nullable object.\n          properties:\n            {}: {{ type: string, const: {} }}\n        {list}: {{ type: array, items: {{ type: string, maxLength: 3 }}, minItems: 0, maxItems: 9 }}\n      required: [{long}, {mid}, {maybe}]\n    examples:\n      - body: {{ error: {code}, message: \"Value and -5\", code: {status}, request_id: req_2, details: {{ {long}: value, {mid}: -5, {maybe}: null }} }}\n",
            name_of("nested_object", 70),
            name_of("inner", 90),
            name_of("v", 60),
            name_of("inner_text", 95),
            name_of("inner_map", 99),
            name_of("constant", 88),
            name_of("fixed", 64),
            map = name_of("map_of_objects", 100 - i),
            maybe = name_of("maybe", 60 + i),
            list = name_of("short_texts", 40 + i),
        );
    }
    // A delay field of the longest property name: its retry policy splits in every package.
    let _ = write!(
        s,
        "  - code: long_delay\n    status: 429\n    category: group_0\n    description: Waits.\n    message: Wait\n    details:\n      properties:\n        {wait}: {{ type: integer, description: Seconds. }}\n      required: [{wait}]\n    retry: {{ strategy: after_delay, delay_field: {wait} }}\n    examples:\n      - body: {{ error: long_delay, message: Wait, code: 429, request_id: req_4, details: {{ {wait}: 3 }} }}\n",
        wait = name_of("wait_seconds", 100),
    );
    s.push_str(
        "  - code: old_code\n    status: 404\n    category: group_0\n    description: Replaced.\n    message: Old\n    deprecated: { since: 0.9.0, reason: Renamed., replaced_by: a }\n    examples:\n      - body: { error: old_code, message: Old, code: 404, request_id: req_3 }\n",
    );
    // One category id of the 64-byte limit, holding the longest codes: class headers that
    // name both (`class <Code>(<Category>Errors):`).
    s.replace("group_2", &name_of("group_2", 64))
}

/// Every width at which a formatter changes its mind: code `i` is `17 + i` bytes long (up to
/// the 64-byte limit) and its details have a property of each kind (optional and required,
/// nullable, enum, nested object, list and map of objects, number, list of strings) whose names
/// grow with it up to 100 bytes, so each generated line that holds them crosses the line
/// length one column at a time.
fn widths() -> String {
    let mut s = head("grid-widths", "WidthError", 1, false);
    for i in 0..48 {
        let code = name_of(&format!("w{i}"), 17 + i);
        let prop = |prefix: &str, extra: usize| name_of(prefix, (50 + i + extra).min(100));
        let (a, b, c, d, e, f, g, h) = (
            prop("a", 0),
            prop("b", 2),
            prop("c", 4),
            prop("d", 6),
            prop("e", 8),
            prop("f", 10),
            prop("g", 12),
            prop("h", 14),
        );
        let inner = name_of("inner", 30 + i);
        let _ = write!(
            s,
            "  - code: {code}\n    status: 400\n    category: group_0\n    description: Widths {i}.\n    message: \"Failed on {{{g}}}\"\n    details:\n      properties:\n\
             \x20       {a}: {{ type: string, description: Optional text. }}\n\
             \x20       {b}: {{ type: [string, \"null\"], description: Nullable text. }}\n\
             \x20       {c}: {{ type: string, enum: [one, two], description: An enum. }}\n\
             \x20       {d}:\n          type: array\n          description: Objects.\n          items: {{ type: object, properties: {{ {inner}: {{ type: integer }} }} }}\n\
             \x20       {e}:\n          type: object\n          description: A map of objects.\n          additionalProperties: {{ type: object, properties: {{ {inner}: {{ type: string }} }} }}\n\
             \x20       {f}:\n          type: object\n          description: A nested object.\n          properties: {{ {inner}: {{ type: boolean }} }}\n\
             \x20       {g}: {{ type: integer, description: A number. }}\n\
             \x20       {h}: {{ type: array, items: {{ type: string }}, description: Texts. }}\n\
             \x20     required: [{b}, {f}, {g}, {h}]\n    examples:\n      - body: {{ error: {code}, message: Failed on 3, code: 400, details: {{ {b}: null, {f}: {{ {inner}: true }}, {g}: 3, {h}: [x] }} }}\n"
        );
    }
    s
}

/// Every code delivered as a webhook; a code whose details are all optional and absent from
/// its example (validation rejects `details: {}`); a code with twelve string fields.
fn webhooks() -> String {
    let mut s = head("grid-webhooks", "HookError", 1, false);
    s.push_str(
        "  - code: delivery_failed\n    status: 500\n    delivery: webhook\n    category: group_0\n    description: Not delivered.\n    message: Not delivered\n    details:\n      properties:\n        endpoint: { type: string, description: The endpoint. }\n    examples:\n      - body: { error: delivery_failed, message: Not delivered, code: 500 }\n",
    );
    let fields: Vec<String> = (0..12).map(|i| format!("field_{i}")).collect();
    let _ = write!(
        s,
        "  - code: many_fields\n    status: 400\n    delivery: webhook\n    category: group_0\n    description: Twelve strings.\n    message: Many\n    details:\n      properties:\n{}      required: [{}]\n    examples:\n      - body: {{ error: many_fields, message: Many, code: 400, details: {{ {} }} }}\n",
        fields
            .iter()
            .map(|f| format!("        {f}: {{ type: string, description: A string. }}\n"))
            .collect::<String>(),
        fields.join(", "),
        fields
            .iter()
            .map(|f| format!("{f}: x"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_catalogs_are_valid() {
        for (name, files) in catalogs() {
            let sources: Vec<codegen::Source> = files
                .into_iter()
                .map(|(path, text)| codegen::Source::new(format!("{name}/{path}"), text))
                .collect();
            if let Err(f) = codegen::load(&sources) {
                panic!("{name}: {f}");
            }
        }
    }

    /// The size series reaches the Python package's split layout (codes over several
    /// `_errors_n.py` modules, `__init__.py` importing them with `*`), so CI gates it too.
    #[test]
    fn the_largest_catalog_spreads_the_python_package_over_modules() {
        let (name, files) = catalogs().pop().expect("a catalog");
        let sources: Vec<codegen::Source> = files
            .into_iter()
            .map(|(path, text)| codegen::Source::new(format!("{name}/{path}"), text))
            .collect();
        let outputs = codegen::generate(&sources, &codegen::Options::default())
            .unwrap_or_else(|f| panic!("{name}: {f}"));
        let has = |suffix: &str| outputs.iter().any(|a| a.path.ends_with(suffix));
        assert!(has("/_errors_2.py") && has("/_details_2.py") && has("/test_types_2.py"));
        let init = outputs.iter().find(|a| a.path.ends_with("/__init__.py"));
        assert!(init.is_some_and(|a| a.contents.contains("from ._errors_2 import *")));
    }

    #[test]
    fn names_have_the_asked_length() {
        for len in [1, 2, 29, 64, 100] {
            let name = name_of("a", len);
            assert_eq!(name.len(), len, "{name}");
            assert!(!name.ends_with('_'), "{name}");
        }
    }
}
