//! `cargo xtask test fuzz` (and `cargo xtask fuzz [--bodies N] [--seed S]` for longer runs):
//! seeded, bounded differential fuzzing of the generated Rust, TypeScript and Python packages.
//! Bodies are derived from the conformance table and the catalog's examples by mutation (values
//! swapped for JSON traps, keys removed or duplicated, text edits, byte-order marks, deep
//! nesting) and from random JSON; each package's small runner reads them all from one JSONL file
//! and prints one verdict per body (valid as which code, known or not, with the retry delay of a
//! first attempt; or invalid). Any disagreement, or any exception other than the package's
//! parse error, fails the step, which prints the seed and the smallest disagreeing bodies.
//!
//! HueChat's catalog (the flat envelope) gets the full count; the shipped catalog of each other
//! wire preset (`FUZZED`) gets a share, with bodies mutated from wire-rendered ones and sent
//! with headers (a header-borne code) and a response status where the wire reads them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use serde_json::{Value, json};

use crate::checks::grid;
use crate::{project_root, tools};

/// What the test step runs: enough to meet every rule many times, in about a minute on 2 cores.
pub const DEFAULT_BODIES: usize = 100_000;
pub const DEFAULT_SEED: u64 = 20_261_202;

/// How many disagreeing bodies a failure shows, smallest first.
const SHOWN: usize = 8;

pub fn run() -> Result<(), String> {
    fuzz(DEFAULT_BODIES, DEFAULT_SEED)
}

/// `cargo xtask fuzz [--bodies N] [--seed S]`.
pub fn command(args: &[String]) -> Result<ExitCode, String> {
    let (mut bodies, mut seed) = (DEFAULT_BODIES, DEFAULT_SEED);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--bodies" => bodies = value?.parse().map_err(|e| format!("--bodies: {e}"))?,
            "--seed" => seed = value?.parse().map_err(|e| format!("--seed: {e}"))?,
            other => {
                return Err(format!(
                    "unexpected argument `{other}` (see `cargo xtask help`)"
                ));
            }
        }
    }
    match fuzz(bodies, seed) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            println!("{e}");
            Ok(ExitCode::from(1))
        }
    }
}

/// The catalogs the step fuzzes, by short name: the catalog, and the share of the body count
/// each gets in quarters (HueChat's whole count; a quarter for each other wire format: the
/// shipped catalog of each preset and of each custom wire in `examples/`, and the golden custom
/// wire, whose fields include an integer).
const FUZZED: &[(&str, &str, usize)] = &[
    ("huechat", "catalog", 4),
    ("rfc9457", "examples/rfc9457/catalog.yaml", 1),
    ("aip193", "examples/aip193/catalog.yaml", 1),
    ("aws-json", "examples/aws_json/catalog.yaml", 1),
    ("jsonapi", "examples/jsonapi/catalog.yaml", 1),
    ("oauth2", "examples/oauth2/catalog.yaml", 1),
    ("twilio", "examples/twilio/catalog.yaml", 1),
    ("jsonrpc", "examples/jsonrpc/catalog.yaml", 1),
    ("discord", "examples/discord/catalog.yaml", 1),
    ("stripe", "examples/stripe/catalog.yaml", 1),
    ("msgraph", "examples/msgraph/catalog.yaml", 1),
    (
        "custom",
        "codegen/tests/data/ok/wire_custom/catalog.yaml",
        1,
    ),
    (
        "type-uri-and-header",
        "codegen/tests/data/gated/type_uri_and_header.yaml",
        1,
    ),
    (
        "integer-code-and-header",
        "codegen/tests/data/gated/integer_code_and_header.yaml",
        1,
    ),
];

/// The grid's random catalogs the step fuzzes too (`grid::random`), by seed: RFC 9457, the
/// custom wire whose code may come in a header, and a custom wire drawn whole.
const RANDOM_SEEDS: [u64; 3] = [1, 5, 6];

fn fuzz(count: usize, seed: u64) -> Result<(), String> {
    let mut failures = Vec::new();
    let huechat = || ("huechat".to_owned(), "catalog".to_owned(), 4);
    // `XTASK_CATALOGS` (see `tools::gated_catalogs`) and `XTASK_GRID_SEEDS` (see
    // `grid::seeds`) replace the list but HueChat's, each with the whole count.
    let catalogs: Vec<(String, String, usize)> = if let Ok(text) = std::env::var("XTASK_GRID_SEEDS")
    {
        let seeds = grid::seeds(&text)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| format!("XTASK_GRID_SEEDS={text:?}: {}", grid::SEEDS_HELP))?;
        let mut all = vec![huechat()];
        all.extend(random_catalogs(&seeds, 4)?);
        all
    } else if std::env::var_os("XTASK_CATALOGS").is_some() {
        let chosen = tools::gated_catalogs()?.into_iter();
        std::iter::once(huechat())
            .chain(chosen.map(|(name, path)| (name, path, 4)))
            .collect()
    } else {
        let fixed = FUZZED.iter();
        let mut all: Vec<(String, String, usize)> = fixed
            .map(|&(name, path, share)| (name.to_owned(), path.to_owned(), share))
            .collect();
        // Schemas and wires nobody wrote.
        all.extend(random_catalogs(&RANDOM_SEEDS, 1)?);
        all
    };
    for (name, path, share) in catalogs {
        let n = count * share / 4;
        println!("{name}:");
        if let Err(e) = fuzz_catalog(&name, &path, n, seed, count) {
            println!("{e}");
            failures.push(name);
        }
    }
    match failures.as_slice() {
        [] => Ok(()),
        names => Err(format!("the packages disagree for {}", names.join(", "))),
    }
}

/// The grid's random catalogs of `seeds`, written to files: name, path and share of the count.
fn random_catalogs(seeds: &[u64], share: usize) -> Result<Vec<(String, String, usize)>, String> {
    let dir = tools::scratch("fuzz-catalogs")?;
    let mut all = Vec::new();
    for &seed in seeds {
        let (yaml, _) = grid::random::catalog(seed, grid::random::size(seed));
        let path = dir.join(format!("random-{seed}.yaml"));
        std::fs::write(&path, yaml).map_err(|e| format!("{}: {e}", path.display()))?;
        all.push((
            format!("random-{seed}"),
            path.to_string_lossy().into_owned(),
            share,
        ));
    }
    Ok(all)
}

/// One body as the runners get it: its text, the response's headers and status (`None` where
/// the wire reads neither).
struct Body {
    text: String,
    headers: Option<Vec<(String, String)>>,
    status: Option<u16>,
}

impl Body {
    fn line(&self) -> String {
        json!([self.text, self.headers, self.status]).to_string()
    }
}

/// Fuzzes one catalog with `count` bodies (`total`: the run's `--bodies`, for the rerun hint).
fn fuzz_catalog(
    name: &str,
    path: &str,
    count: usize,
    seed: u64,
    total: usize,
) -> Result<(), String> {
    let root = project_root();
    let sources = crate::load_sources(&root.join(path))?;
    let catalog = codegen::load(&sources).map_err(|f| f.to_string())?;
    let dir = tools::scratch(&format!("fuzz-{name}"))?;
    // HueChat's packages are the checked-in ones; the others are generated for the step.
    let packages = if path == "catalog" {
        root.join("generated")
    } else {
        let out = dir.join("out");
        tools::generate_into(&root.join(path), &out)?;
        out
    };

    let start = std::time::Instant::now();
    let bodies = bodies(&catalog, count, seed);
    let jsonl: String = bodies.iter().map(|b| b.line() + "\n").collect();
    let input = dir.join("bodies.jsonl");
    std::fs::write(&input, jsonl).map_err(|e| format!("{}: {e}", input.display()))?;
    println!(
        "{} bodies from seed {seed} in {:.1?}",
        bodies.len(),
        start.elapsed()
    );

    // The runners are built one after the other, then read the bodies side by side.
    let commands = [
        ("rust", rust(&root, &catalog, &packages, &dir, &input)?),
        (
            "typescript",
            typescript(&packages, &catalog.api.packages.error_type, &dir, &input)?,
        ),
        ("python", python(&catalog, &packages, &dir, &input)?),
    ];
    let start = std::time::Instant::now();
    let mut children = Vec::new();
    for (name, mut command) in commands {
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let child = command
            .spawn()
            .map_err(|e| format!("the {name} runner: {e}"))?;
        children.push((name, child));
    }
    let mut runners: Vec<(&str, Vec<String>)> = Vec::new();
    for (name, child) in children {
        let out = child
            .wait_with_output()
            .map_err(|e| format!("the {name} runner: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "the {name} runner failed ({}):\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        // Kept beside the bodies, line for line, for a closer look.
        let verdicts = dir.join(format!("verdicts-{name}.jsonl"));
        std::fs::write(&verdicts, &out.stdout)
            .map_err(|e| format!("{}: {e}", verdicts.display()))?;
        runners.push((name, lines(&String::from_utf8_lossy(&out.stdout))));
    }
    println!("three runners, side by side: {:.1?}", start.elapsed());
    for (name, verdicts) in &runners {
        if verdicts.len() != bodies.len() {
            return Err(format!(
                "the {name} runner gave {} verdicts for {} bodies",
                verdicts.len(),
                bodies.len()
            ));
        }
    }
    let mut bad: Vec<usize> = (0..bodies.len())
        .filter(|&i| {
            let v = &runners[0].1[i];
            runners
                .iter()
                .any(|(_, r)| &r[i] != v || r[i].starts_with("[\"crash\""))
        })
        .collect();
    let valid = runners[0]
        .1
        .iter()
        .filter(|v| v.starts_with("[\"valid\""))
        .count();
    println!(
        "{} bodies: {valid} valid, {} invalid; {} disagreements",
        bodies.len(),
        bodies.len() - valid,
        bad.len()
    );
    if bad.is_empty() {
        return Ok(());
    }
    bad.sort_by_key(|&i| (bodies[i].text.len(), i));
    let mut report = format!(
        "the packages disagree on {} of {} bodies (seed {seed}; rerun with `cargo xtask fuzz --bodies {} --seed {seed}`); the smallest:\n",
        bad.len(),
        bodies.len(),
        total
    );
    for &i in bad.iter().take(SHOWN) {
        let _ = writeln!(report, "  body {}", bodies[i].line());
        for (name, verdicts) in &runners {
            let _ = writeln!(report, "    {name:<10} {}", verdicts[i]);
        }
    }
    Err(report)
}

/// A small, fast generator (SplitMix64): the same seed gives the same bodies (and the grid's
/// random catalogs) everywhere.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Raw JSON tokens that parsers of different languages read differently.
fn traps() -> Vec<String> {
    let nested = |n: usize| format!("{}0{}", "[".repeat(n), "]".repeat(n));
    let mut t: Vec<String> = [
        "null",
        "true",
        "false",
        "0",
        "-0",
        "-0.0",
        "2.0",
        "1e2",
        "1E+2",
        "1.5",
        "-1",
        "99",
        "100",
        "599",
        "600",
        "65536",
        "4.29e2",
        "9007199254740991",
        "9007199254740992",
        "-9007199254740993",
        "18446744073709551616",
        "1e308",
        "1.7976931348623157e308",
        "1e400",
        "-1e400",
        "1e-400",
        "NaN",
        "Infinity",
        "-Infinity",
        "\"\"",
        "\"x\"",
        "\"\\ud800\"",
        "\"\\udc00\\ud800\"",
        "\"\\ud83d\\ude00\"",
        "\"\\u0000\"",
        "\"60\"",
        "[]",
        "{}",
        "[null]",
        "{\"\":null}",
        "{\"__proto__\":{\"error\":1}}",
        "{\"constructor\":1}",
        "[1,\"two\",{\"three\":[]}]",
    ]
    .map(String::from)
    .to_vec();
    t.push("9".repeat(400));
    t.push(format!("\"{}\"", "a".repeat(5000)));
    for n in [50, 97, 98, 99, 100, 101, 126, 127, 128, 129, 1000] {
        t.push(nested(n));
    }
    t
}

/// Keys a mutation may add or remove.
const KEYS: &[&str] = &[
    "error",
    "message",
    "code",
    "details",
    "request_id",
    "timestamp",
    "__proto__",
    "constructor",
    "toString",
    "retry_after",
    "limit",
    "zz_extra",
];

/// A body to start from: JSON (mutated as a value) or text that is not JSON, with the
/// response's headers and status.
struct Seed {
    body: SeedBody,
    headers: Option<Vec<(String, String)>>,
    status: Option<u16>,
}

enum SeedBody {
    Json(Value),
    Text(String),
}

/// What mutations draw from: the catalog's codes, details and (for a wire other than the flat
/// envelope) wire bodies and the keys of its members.
struct Pool {
    codes: Vec<String>,
    details: Vec<Value>,
    /// Rendered example bodies to take members from.
    wire_bodies: Vec<Value>,
    keys: Vec<String>,
    /// The status member's pointer tokens, where the body carries one.
    status_at: Option<Vec<String>>,
    /// The header that may carry the code.
    code_header: Option<String>,
    flat: bool,
}

fn pairs(headers: &Value) -> Option<Vec<(String, String)>> {
    let o = headers.as_object()?;
    Some(
        o.iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect(),
    )
}

fn bodies(catalog: &codegen::model::Catalog, count: usize, seed: u64) -> Vec<Body> {
    use codegen::wire::{Place, Role};
    let mut rng = Rng(seed);
    let flat = codegen::emit::wire_data::of(catalog).is_flat();
    let wire = &catalog.wire;
    let mut start: Vec<Body> = codegen::conformance::body_cases(catalog)
        .into_iter()
        .map(|c| Body {
            text: c.json,
            headers: c.headers.as_ref().and_then(pairs),
            status: c.status,
        })
        .collect();
    let mut wire_bodies = Vec::new();
    for e in &catalog.errors {
        for ex in &e.examples {
            match &ex.wire {
                Some(r) => {
                    wire_bodies.push(r.body.clone());
                    start.push(Body {
                        text: r.body.to_string(),
                        headers: Some(r.headers.clone()),
                        status: (!wire.has_status()).then_some(e.status),
                    });
                }
                None => start.push(Body {
                    text: ex.body.to_string(),
                    headers: None,
                    status: None,
                }),
            }
        }
    }
    let seeds: Vec<Seed> = start
        .iter()
        .map(|b| Seed {
            body: match serde_json::from_str(&b.text) {
                Ok(v) => SeedBody::Json(v),
                Err(_) => SeedBody::Text(b.text.clone()),
            },
            headers: b.headers.clone(),
            status: b.status,
        })
        .collect();
    let mut keys: Vec<String> = KEYS.iter().map(|k| k.to_string()).collect();
    for m in &wire.members {
        if let Place::Body { pointer, entry } = &m.at {
            let mut t = codegen::wire::tokens(pointer);
            if let Some(e) = entry {
                t.push(e.key.clone());
                t.extend(codegen::wire::tokens(&e.pointer));
            }
            for k in t {
                if !keys.contains(&k) && k.parse::<usize>().is_err() {
                    keys.push(k);
                }
            }
        }
    }
    let pool = Pool {
        codes: catalog
            .errors
            .iter()
            .map(|e| e.code.clone())
            .chain(["zz_unknown".to_string(), String::new(), "__proto__".into()])
            .collect(),
        details: catalog
            .errors
            .iter()
            .flat_map(|e| {
                e.examples
                    .iter()
                    .filter_map(|ex| ex.body.get("details").cloned())
            })
            .collect(),
        wire_bodies,
        keys,
        status_at: wire
            .with_role(|r| matches!(r, Role::Status))
            .find_map(|m| match &m.at {
                Place::Body {
                    pointer,
                    entry: None,
                } => Some(codegen::wire::tokens(pointer)),
                _ => None,
            }),
        code_header: wire.code_header().map(str::to_owned),
        flat,
    };
    let traps = traps();
    // Every seed once as it is, then mutations.
    let mut out: Vec<Body> = start.into_iter().take(count).collect();
    while out.len() < count {
        let from = rng.pick(&seeds);
        let (mut headers, mut status) = (from.headers.clone(), from.status);
        let seed = if rng.chance(5) {
            SeedBody::Json(random_json(&mut rng, 4, &pool.keys))
        } else {
            match &from.body {
                SeedBody::Json(v) => SeedBody::Json(v.clone()),
                SeedBody::Text(t) => SeedBody::Text(t.clone()),
            }
        };
        let mut text = match seed {
            SeedBody::Json(mut v) => {
                let mut tokens = Vec::new();
                let n = match rng.below(10) {
                    0..=6 => 1,
                    7 | 8 => 2,
                    _ => 3,
                };
                for _ in 0..n {
                    mutate(&mut rng, &mut v, &mut tokens, &traps, &pool);
                }
                let mut text = v.to_string();
                for (i, token) in tokens.iter().enumerate() {
                    text = text.replacen(&hole(i), token, 1);
                }
                text
            }
            SeedBody::Text(t) => text_edit(&mut rng, &t, &pool.keys),
        };
        if rng.chance(20) {
            text = text_edit(&mut rng, &text, &pool.keys);
        }
        if !pool.flat {
            // The response around the body: the code's header and the status change too.
            if let Some(h) = &pool.code_header
                && rng.chance(30)
            {
                let code = rng.pick(&pool.codes).clone();
                let value = match rng.below(4) {
                    0 => format!("ns.example#{code}"),
                    1 => format!("{code}:http://internal.example/"),
                    2 => rng.pick(&["", " ", "#", ":", "\u{0}"]).to_string(),
                    _ => code,
                };
                let name = if rng.chance(50) {
                    h.clone()
                } else {
                    h.to_ascii_lowercase()
                };
                headers = if rng.chance(20) {
                    None
                } else {
                    Some(vec![(name, value)])
                };
            }
            if rng.chance(15) {
                status = if rng.chance(20) {
                    None
                } else {
                    Some(*rng.pick(&[200, 400, 401, 404, 418, 429, 500, 503, 599]))
                };
            }
        }
        out.push(Body {
            text,
            headers,
            status,
        });
    }
    out
}

/// The `i`th placeholder of a body, as serialized: replaced by a raw token afterwards.
fn hole(i: usize) -> String {
    format!("\"@@fuzz-hole-{i}@@\"")
}

fn random_json(rng: &mut Rng, depth: usize, keys: &[String]) -> Value {
    match rng.below(if depth == 0 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(50)),
        2 => json!(rng.below(1000) as i64 - 100),
        3 => json!(rng.below(1000) as f64 / 7.0),
        4 => Value::from(rng.pick(keys).as_str()),
        5 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_json(rng, depth - 1, keys))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(5))
                .map(|_| (rng.pick(keys).clone(), random_json(rng, depth - 1, keys)))
                .collect(),
        ),
    }
}

/// One mutation of a body's value: a part replaced by a trap (a raw token, put in `tokens`
/// and marked by a hole), a key removed or added, or the code, the status or the details
/// swapped (for a wire other than the flat envelope: a member taken from another code's body).
fn mutate(rng: &mut Rng, v: &mut Value, tokens: &mut Vec<String>, traps: &[String], pool: &Pool) {
    let mut trap = |rng: &mut Rng| {
        tokens.push(rng.pick(traps).clone());
        let text = hole(tokens.len() - 1);
        Value::from(&text[1..text.len() - 1])
    };
    match rng.below(6) {
        0 | 1 => {
            if let Some(slot) = random_slot(rng, v) {
                *slot = trap(rng);
            }
        }
        2 => {
            if let Some(Value::Object(o)) = random_container(rng, v) {
                let key = rng.pick(&pool.keys).clone();
                if rng.chance(50) {
                    o.remove(&key);
                } else {
                    o.insert(key, trap(rng));
                }
            }
        }
        4 => {
            let status = json!(*rng.pick(&[400, 401, 403, 404, 409, 418, 422, 429, 500, 503]));
            match &pool.status_at {
                Some(at) if !pool.flat => {
                    let mut target = Some(&mut *v);
                    for t in at {
                        target = target.and_then(|x| x.get_mut(t.as_str()));
                    }
                    if let Some(slot) = target {
                        *slot = status;
                    }
                }
                _ => {
                    if let Value::Object(o) = v {
                        o.insert("code".into(), status);
                    }
                }
            }
        }
        n if !pool.flat && !pool.wire_bodies.is_empty() => {
            // A member of another code's body, at the same key, somewhere in this one.
            let other = rng.pick(&pool.wire_bodies).clone();
            if let (Value::Object(o), Value::Object(from)) = (v, other) {
                let keys: Vec<&String> = from.keys().collect();
                if keys.is_empty() {
                    return;
                }
                let key = (*rng.pick(&keys)).clone();
                let value = from[&key].clone();
                if n == 3 || !value.is_object() {
                    o.insert(key, value);
                } else if let (Some(Value::Object(to)), Value::Object(from)) =
                    (o.get_mut(&key), value)
                {
                    let inner: Vec<&String> = from.keys().collect();
                    if !inner.is_empty() {
                        let k = (*rng.pick(&inner)).clone();
                        to.insert(k.clone(), from[&k].clone());
                    }
                }
            }
        }
        3 => {
            if let Value::Object(o) = v {
                o.insert("error".into(), Value::from(rng.pick(&pool.codes).as_str()));
            }
        }
        _ => {
            if let (Value::Object(o), false) = (v, pool.details.is_empty()) {
                o.insert("details".into(), rng.pick(&pool.details).clone());
            }
        }
    }
}

/// A random value inside `v` (the body itself only when it holds nothing).
fn random_slot<'a>(rng: &mut Rng, v: &'a mut Value) -> Option<&'a mut Value> {
    let mut at = v;
    let mut top = true;
    loop {
        let len = match &*at {
            Value::Array(a) => a.len(),
            Value::Object(o) => o.len(),
            _ => 0,
        };
        let stop = len == 0 || (!top && rng.chance(50));
        top = false;
        if stop {
            return Some(at);
        }
        let i = rng.below(len);
        at = match at {
            Value::Array(a) => &mut a[i],
            Value::Object(o) => o.values_mut().nth(i)?,
            _ => return None,
        };
    }
}

/// A random array or object inside `v`.
fn random_container<'a>(rng: &mut Rng, v: &'a mut Value) -> Option<&'a mut Value> {
    let mut at = v;
    loop {
        let children: Vec<usize> = match &*at {
            Value::Array(a) => (0..a.len())
                .filter(|&i| a[i].is_array() || a[i].is_object())
                .collect(),
            Value::Object(o) => o
                .values()
                .enumerate()
                .filter(|(_, c)| c.is_array() || c.is_object())
                .map(|(i, _)| i)
                .collect(),
            _ => return None,
        };
        if children.is_empty() || rng.chance(50) {
            return Some(at);
        }
        let i = *rng.pick(&children);
        at = match at {
            Value::Array(a) => &mut a[i],
            Value::Object(o) => o.values_mut().nth(i)?,
            _ => return None,
        };
    }
}

/// An edit of the text: a cut, a copied span, an inserted character or token, a duplicated
/// key, a byte-order mark, or truncation.
fn text_edit(rng: &mut Rng, body: &str, keys: &[String]) -> String {
    let chars: Vec<char> = body.chars().collect();
    let at = rng.below(chars.len() + 1);
    let (head, tail): (String, String) =
        (chars[..at].iter().collect(), chars[at..].iter().collect());
    match rng.below(7) {
        0 => {
            let end = (at + 1 + rng.below(8)).min(chars.len());
            let rest: String = chars[end.max(at)..].iter().collect();
            format!("{head}{rest}")
        }
        1 => {
            let end = (at + 1 + rng.below(16)).min(chars.len());
            let span: String = chars[at..end.max(at)].iter().collect();
            format!("{head}{span}{span}{tail}")
        }
        2 => {
            let c = *rng.pick(&[
                '{', '}', '[', ']', '"', ',', ':', '0', '9', '-', '.', 'e', ' ', '\t', '\n', '\\',
                'u', '\u{feff}', '\u{0}', 'é', '😀',
            ]);
            format!("{head}{c}{tail}")
        }
        3 => format!("\u{feff}{body}"),
        4 => head,
        5 => {
            let key = if rng.chance(50) {
                "error"
            } else {
                rng.pick(keys).as_str()
            };
            let quoted = format!("{}:", Value::from(key));
            match body.find(&quoted) {
                // A duplicate key: the first or the last one decides, if a parser is lenient.
                Some(i) if rng.chance(50) => format!("{}{quoted}42,{}", &body[..i], &body[i..]),
                Some(i) => format!("{}{quoted}\"zz_dup\",{}", &body[..i], &body[i..]),
                None => format!("{head} {tail}"),
            }
        }
        _ => format!(
            "{head}{}{tail}",
            rng.pick(&["null", "true", "1e400", "NaN", "\\ud800"])
        ),
    }
}

fn lines(out: &str) -> Vec<String> {
    out.lines().map(str::to_owned).collect()
}

/// The Rust runner: a scratch crate that depends on the package's `rust/`.
fn rust(
    root: &Path,
    catalog: &codegen::model::Catalog,
    packages: &Path,
    dir: &Path,
    input: &Path,
) -> Result<Command, String> {
    let krate = dir.join("rust-runner");
    std::fs::create_dir_all(krate.join("src")).map_err(|e| e.to_string())?;
    let package = &catalog.api.packages.rust;
    let manifest = format!(
        "[package]\nname = \"fuzz-runner\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n{package} = {{ path = {} }}\nserde_json = \"1\"\n\n[workspace]\n",
        Value::from(packages.join("rust").display().to_string())
    );
    let mut main = include_str!("fuzz/runner.rs").to_string();
    if !codegen::emit::wire_data::of(catalog).is_flat() {
        main = main.replace(
            "HueChatError::from_json(text)",
            "HueChatError::from_response(status, headers, text)",
        );
    }
    let main = main
        .replace("huechat_errors", &package.replace('-', "_"))
        .replace("HueChatError", &catalog.api.packages.error_type);
    for (path, text) in [("Cargo.toml", manifest), ("src/main.rs", main)] {
        std::fs::write(krate.join(path), text).map_err(|e| format!("{path}: {e}"))?;
    }
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let target = root.join("target/xtask/rust-target");
    tools::run(tools::cargo(&krate, &target).args(["build", "--quiet"]))?;
    let mut command = Command::new(target.join("debug/fuzz-runner"));
    command.arg(input);
    Ok(command)
}

/// The TypeScript runner: the package compiled with its own `tsconfig.json` into the scratch
/// folder, and a plain ES module that imports it.
fn typescript(
    packages: &Path,
    error_type: &str,
    dir: &Path,
    input: &Path,
) -> Result<Command, String> {
    let tsc = tools::node_bin("tsc")?;
    let dist = dir.join("ts-dist");
    let package = packages.join("typescript");
    tools::run(
        Command::new(tsc)
            .arg("-p")
            .arg(package.join("tsconfig.json"))
            .arg("--outDir")
            .arg(&dist)
            // JavaScript only (`isolatedDeclarations` is a check of the declarations).
            .args([
                "--declaration",
                "false",
                "--isolatedDeclarations",
                "false",
                "--declarationMap",
                "false",
                "--sourceMap",
                "false",
            ]),
    )?;
    std::fs::write(dist.join("package.json"), "{\"type\": \"module\"}\n")
        .map_err(|e| e.to_string())?;
    let runner = dist.join("fuzz-runner.js");
    let text = include_str!("fuzz/runner.mjs").replace("HueChatError", error_type);
    std::fs::write(&runner, text).map_err(|e| e.to_string())?;
    let mut command = Command::new("node");
    command.arg(&runner).arg(input);
    Ok(command)
}

/// The Python runner, with the package's `python/src` on its path (it needs nothing else).
fn python(
    catalog: &codegen::model::Catalog,
    packages: &Path,
    dir: &Path,
    input: &Path,
) -> Result<Command, String> {
    let runner = dir.join("fuzz_runner.py");
    let module = codegen::naming::python_import_name(&catalog.api.packages.python);
    let text = include_str!("fuzz/runner.py")
        .replace("huechat_errors", &module)
        .replace("HueChatError", &catalog.api.packages.error_type);
    std::fs::write(&runner, text).map_err(|e| e.to_string())?;
    let src: PathBuf = packages.join("python/src");
    let mut command = Command::new(tools::python()?);
    command
        .arg("-X")
        .arg("utf8")
        .arg(&runner)
        .arg(input)
        .env("PYTHONPATH", src)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    Ok(command)
}
