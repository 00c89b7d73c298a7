//! `cargo xtask bench`: times the release binary doing the whole job (every output written to
//! an empty folder) on the HueChat catalog and on synthetic catalogs of 100, 1,000 and 10,000
//! codes, with peak memory, beside `openapi-typescript` turning our OpenAPI document of the same
//! size into TypeScript types. Prints a Markdown table and writes it to `target/bench/report.md`.
//!
//! Medians of several runs; at each synthetic size our runs alternate with openapi-typescript's,
//! so that a drift in the machine's speed reaches both sides of the ratio, and each timed run of
//! either tool follows an untimed run of the same tool. Peak memory is GNU time's maximum
//! resident set size. Timings are wall-clock on whatever machine runs it: compare figures from
//! one machine only.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use crate::{Paths, project_root, tools};

/// (codes, runs of our generator, runs of openapi-typescript).
const SIZES: &[(usize, usize, usize)] = &[(100, 11, 5), (1_000, 7, 3), (10_000, 5, 5)];
const QUICK_SIZES: &[(usize, usize, usize)] = &[(100, 3, 1), (1_000, 3, 1)];

pub fn command(_paths: &Paths, args: &[String]) -> Result<ExitCode, String> {
    let mut quick = false;
    let mut rust_check = false;
    let mut gates = true;
    let mut only: Vec<&str> = Vec::new();
    for a in args {
        match a.as_str() {
            "--quick" => quick = true,
            "--rust-check" => rust_check = true,
            "--no-gates" => gates = false,
            stage @ ("huechat" | "sizes" | "diff" | "users") => only.push(stage),
            other => {
                return Err(format!(
                    "unknown bench option `{other}` (known: --quick, --rust-check, --no-gates, and the stages to run alone: huechat, sizes, diff, users)"
                ));
            }
        }
    }
    // Stages named on the command line run alone; none named: all of them.
    let wants = |stage: &str| only.is_empty() || only.contains(&stage);
    let root = project_root();
    let bench_dir = root.join("target/bench");
    std::fs::create_dir_all(&bench_dir).map_err(|e| e.to_string())?;

    println!("building the release binary...");
    tools::run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--release", "--quiet", "-p", "xtask"])
            .current_dir(&root),
    )?;
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let binary = target_dir.join("release/xtask");
    let openapi_ts = tools::node_bin("openapi-typescript")?;

    let mut report = String::new();
    let _ = writeln!(
        report,
        "| catalog | codes | files | our median | our peak RSS: median (largest) | openapi-typescript median | ratio (theirs / ours) |"
    );
    let _ = writeln!(report, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |");

    let huechat = if wants("huechat") {
        let huechat = measure(
            &binary,
            &root.join("catalog"),
            &bench_dir.join("out-huechat"),
            if quick { 5 } else { 21 },
            |_| Ok(false),
        )?;
        let _ = writeln!(
            report,
            "| HueChat | 17 | {} | {} | {} | — | — |",
            huechat.files,
            ms(huechat.median),
            mib(huechat.peak_kib)
        );
        println!(
            "HueChat: {} median, {}",
            ms(huechat.median),
            mib(huechat.peak_kib)
        );
        Some(huechat)
    } else {
        None
    };

    let mut per_size = Vec::new();
    let all_sizes = if quick { QUICK_SIZES } else { SIZES };
    let sizes: &[(usize, usize, usize)] = if wants("sizes") { all_sizes } else { &[] };
    for &(codes, runs, their_runs) in sizes {
        let catalog = bench_dir.join(format!("catalog-{codes}.yaml"));
        std::fs::write(&catalog, synthetic_catalog(codes)).map_err(|e| e.to_string())?;
        let out = bench_dir.join(format!("out-{codes}"));
        // Our runs alternate with openapi-typescript's, so that both see the same phases of a
        // machine whose speed drifts (a shared VM's can by 2x within minutes). Each timed run
        // of either tool follows an untimed run of the same tool, as back-to-back runs do: on
        // this VM, memory that another process has just freed is slow to touch again.
        let document = out.join("openapi/openapi.json");
        let types = bench_dir.join(format!("openapi-typescript-{codes}.ts"));
        let mut their_times = Vec::new();
        let ours = measure(&binary, &catalog, &out, runs, |run| {
            if run >= their_runs || !document.exists() {
                return Ok(false);
            }
            let time_once = || -> Result<Duration, String> {
                let start = Instant::now();
                tools::output(
                    Command::new(&openapi_ts)
                        .arg(&document)
                        .arg("-o")
                        .arg(&types),
                )?;
                Ok(start.elapsed())
            };
            time_once()?;
            their_times.push(time_once()?);
            Ok(true)
        })?;
        let theirs = (!their_times.is_empty()).then(|| median(&mut their_times));
        let ratio = theirs.map_or("—".to_string(), |t| {
            format!("{:.1}×", t.as_secs_f64() / ours.median.as_secs_f64())
        });
        let _ = writeln!(
            report,
            "| synthetic | {codes} | {} | {} | {} | {} | {ratio} |",
            ours.files,
            ms(ours.median),
            mib(ours.peak_kib),
            theirs.map_or("—".into(), ms)
        );
        println!(
            "{codes} codes: {} median, {}; openapi-typescript {}",
            ms(ours.median),
            mib(ours.peak_kib),
            theirs.map_or("—".into(), ms)
        );
        per_size.push((codes, ours, theirs));
    }
    // The largest size again, laid out as one file per category (as `catalog/` is), whose
    // files are parsed in parallel.
    if let Some(&(codes, runs, _)) = sizes.last() {
        let folder = bench_dir.join(format!("catalog-{codes}"));
        let _ = std::fs::remove_dir_all(&folder);
        for (name, text) in synthetic_catalog_files(codes) {
            let path = folder.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            std::fs::write(&path, text).map_err(|e| e.to_string())?;
        }
        let out = bench_dir.join(format!("out-{codes}-files"));
        let ours = measure(&binary, &folder, &out, runs, |_| Ok(false))?;
        let _ = writeln!(
            report,
            "| synthetic, {} files | {codes} | {} | {} | {} | — | — |",
            1 + CATEGORIES,
            ours.files,
            ms(ours.median),
            mib(ours.peak_kib)
        );
        println!(
            "{codes} codes in {} files: {} median, {}",
            1 + CATEGORIES,
            ms(ours.median),
            mib(ours.peak_kib)
        );
    }
    if let Some(huechat) = &huechat {
        report.push_str(&targets(huechat, &per_size));
    }
    // Where the time goes at the largest size: one run with `--timings`.
    if let Some(&(codes, ..)) = per_size.last() {
        let catalog = bench_dir.join(format!("catalog-{codes}.yaml"));
        let out = bench_dir.join(format!("out-{codes}"));
        let _ = std::fs::remove_dir_all(&out);
        let run = Command::new(&binary)
            .arg("gen")
            .arg("--timings")
            .arg("--catalog")
            .arg(&catalog)
            .arg("--out")
            .arg(&out)
            .output()
            .map_err(|e| e.to_string())?;
        // Only the timings: the synthetic catalog's warnings come before them on stderr.
        let stderr = String::from_utf8_lossy(&run.stderr);
        let stages = stderr
            .find("timings (wall):")
            .map_or(&stderr[..], |at| &stderr[at..]);
        let _ = writeln!(
            report,
            "\nStages at {codes} codes (one run of `xtask gen --timings`):\n\n```\n{}```",
            stages
        );
    }
    if let Some(&(codes, ..)) = all_sizes.last().filter(|_| wants("diff")) {
        let section = diff_stage(&binary, &bench_dir, codes, if quick { 3 } else { 7 })?;
        println!("{section}");
        report.push_str(&section);
    }
    // What the crate's and the package's users get at 1,000 codes, against the output of the
    // old main (5d599da, before issue 11), built from its sources under `target/bench/`.
    if (!quick || rust_check) && wants("users") {
        let section = users_cost(&bench_dir)?;
        println!("{section}");
        report.push_str(&section);
    }
    // Every gate on the largest outputs: a benchmark of outputs that fail a gate means nothing.
    // `--no-gates` skips them, for quick timings only.
    let gated: Vec<usize> = per_size
        .iter()
        .map(|(codes, ..)| *codes)
        .filter(|&codes| gates && codes >= 1_000)
        .collect();
    let _ = writeln!(
        report,
        "\n| gates on the benchmark's outputs | result |\n| --- | --- |"
    );
    let gate_tools = crate::checks::grid::GateTools::find()?;
    let mut failures = Vec::new();
    for codes in gated {
        let catalog = bench_dir.join(format!("catalog-{codes}.yaml"));
        let out = bench_dir.join(format!("out-{codes}"));
        println!("gates on the {codes}-code outputs...");
        // Every size's crate has the same name and version, in one target folder.
        let gates_target = bench_dir.join("gates-target");
        let rust = tools::forget_build(&out.join("rust"), &gates_target)
            .and_then(|()| crate::checks::grid::rust(&out.join("rust"), &gates_target, false));
        let mut results = vec![("rust", rust)];
        results.extend(crate::checks::grid::other_gates(
            &gate_tools,
            &catalog,
            &out,
        ));
        for (gate, result) in results {
            let shown = match &result {
                Ok(()) => "pass".to_string(),
                Err(e) => {
                    failures.push(format!("{codes} codes, {gate}: {e}"));
                    "**FAIL**".to_string()
                }
            };
            let _ = writeln!(report, "| {codes} codes: {gate} | {shown} |");
        }
    }
    let _ = writeln!(
        report,
        "\nMedians of {} runs per size (HueChat: {}), each writing every output into an empty folder, alternated with openapi-typescript's runs on the same size (each timed run of either tool after an untimed one of the same tool); peak RSS from GNU time over {MEMORY_RUNS} more runs. Command: `cargo xtask bench{}{}{}{}`.{}",
        if quick { "3" } else { "5 to 11" },
        if quick { 5 } else { 21 },
        if quick { " --quick" } else { "" },
        if rust_check { " --rust-check" } else { "" },
        if gates { "" } else { " --no-gates" },
        only.iter().map(|s| format!(" {s}")).collect::<String>(),
        if gates {
            ""
        } else {
            " The gates were skipped (`--no-gates`): these outputs are not checked."
        }
    );
    let path = bench_dir.join("report.md");
    std::fs::write(&path, &report).map_err(|e| e.to_string())?;
    println!("\n{report}\nwritten to {}", path.display());
    if !failures.is_empty() {
        return Err(format!(
            "gates failed on the benchmark's outputs:\n{}",
            failures.join("\n")
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask diff --old --new` on two synthetic catalogs of `codes` codes that differ in a
/// few codes, as a release does: the new one adds [`DIFF_ADDED`] codes, narrows a bound in the
/// first [`DIFF_NARROWED`] and bumps the minor version. Timed as the whole command (reading and
/// validating both catalogs, comparing, printing JSON).
fn diff_stage(
    binary: &Path,
    bench_dir: &Path,
    codes: usize,
    runs: usize,
) -> Result<String, String> {
    let old = bench_dir.join(format!("diff-old-{codes}.yaml"));
    let new = bench_dir.join(format!("diff-new-{codes}.yaml"));
    std::fs::write(&old, synthetic_catalog(codes)).map_err(|e| e.to_string())?;
    let changed = synthetic_catalog(codes + DIFF_ADDED)
        .replace("version: 1.0.0", "version: 1.1.0")
        .replacen("minimum: 0", "minimum: 1", DIFF_NARROWED);
    std::fs::write(&new, changed).map_err(|e| e.to_string())?;
    let mut times = Vec::new();
    let mut changes = 0;
    let mut stages = String::new();
    for _ in 0..runs {
        let start = Instant::now();
        let out = Command::new(binary)
            .args(["diff", "--timings", "--format", "json", "--old"])
            .arg(&old)
            .arg("--new")
            .arg(&new)
            .output()
            .map_err(|e| e.to_string())?;
        times.push(start.elapsed());
        stages = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if !out.status.success() {
            return Err(format!(
                "xtask diff failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        changes = String::from_utf8_lossy(&out.stdout)
            .matches("\"rule\":")
            .count();
    }
    let median = median(&mut times);
    println!(
        "diff of two {codes}-code catalogs ({changes} changes): {} median",
        ms(median)
    );
    Ok(format!(
        "\n`xtask diff --old --new --format json` of two {codes}-code catalogs that differ in {} codes ({changes} changes): {} median of {runs} runs (target: under 1 s: {}). Last run's {stages}.\n",
        DIFF_ADDED + DIFF_NARROWED,
        ms(median),
        if median < Duration::from_secs(1) {
            "met"
        } else {
            "not met"
        }
    ))
}

/// Codes the diff stage's new catalog adds, and codes whose bound it narrows.
const DIFF_ADDED: usize = 3;
const DIFF_NARROWED: usize = 3;

/// The targets of issue 11 for the generator, each with what was measured and whether it is met.
fn targets(huechat: &Measurement, sizes: &[(usize, Measurement, Option<Duration>)]) -> String {
    let mut out = String::from("\n| target | measured | met? |\n| --- | --- | --- |\n");
    let mut row = |target: &str, measured: String, met: bool| {
        let met = if met { "yes" } else { "**no**" };
        let _ = writeln!(out, "| {target} | {measured} | {met} |");
    };
    row(
        "HueChat, all outputs: 10 ms or less",
        ms(huechat.median),
        huechat.median <= Duration::from_millis(10),
    );
    let size = |n: usize| sizes.iter().find(|(codes, ..)| *codes == n);
    if let Some((_, big, theirs)) = size(10_000) {
        if let Some(theirs) = theirs {
            let ratio = big.median.as_secs_f64() / theirs.as_secs_f64();
            row(
                "10,000 codes, all outputs: at most 0.1× openapi-typescript's time for types alone",
                format!("{ratio:.3}× ({} against {})", ms(big.median), ms(*theirs)),
                ratio <= 0.1,
            );
        }
        if let Some((median, _)) = big.peak_kib {
            row(
                "10,000 codes: peak memory 300 MiB or less (median of runs)",
                mib(big.peak_kib),
                median <= 300 * 1024,
            );
        }
        if let Some((_, small, _)) = size(1_000) {
            let ratio = big.median.as_secs_f64() / small.median.as_secs_f64();
            row(
                "10,000 codes: at most 12× as long as 1,000",
                format!("{ratio:.1}× (linear: 10×)"),
                ratio <= 12.0,
            );
        }
    }
    out
}

/// The old main, before issue 11: what the users' costs are compared with.
const OLD_MAIN: &str = "5d599da";

/// The release binary of [`OLD_MAIN`], built from its sources under `target/bench/` once.
fn old_binary(bench_dir: &Path) -> Result<PathBuf, String> {
    let src = bench_dir.join(format!("main-{OLD_MAIN}"));
    if !src.join("Cargo.toml").is_file() {
        let _ = std::fs::remove_dir_all(&src);
        std::fs::create_dir_all(&src).map_err(|e| e.to_string())?;
        let archive = src.join("source.tar");
        tools::run(
            Command::new("git")
                .args(["archive", "--format=tar", "-o"])
                .arg(&archive)
                .arg(OLD_MAIN)
                .current_dir(project_root()),
        )?;
        tools::run(
            Command::new("tar")
                .arg("-xf")
                .arg(&archive)
                .arg("-C")
                .arg(&src),
        )?;
    }
    let target = bench_dir.join(format!("main-{OLD_MAIN}-target"));
    let binary = target.join("release/xtask");
    // Built once: its sources never change (and the folder may be another checkout's, linked).
    if binary.is_file() {
        return Ok(binary);
    }
    println!("building the release binary of {OLD_MAIN}...");
    tools::run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--release", "--quiet", "-p", "xtask"])
            .current_dir(&src)
            .env("CARGO_TARGET_DIR", &target),
    )?;
    Ok(binary)
}

/// Bytes of the files under `dir` whose names end with `ext` (build folders skipped).
fn source_bytes(dir: &Path, ext: &str) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if matches!(name.as_str(), "dist" | "node_modules" | "target") {
                    0
                } else {
                    source_bytes(&path, ext)
                }
            } else if name.ends_with(ext) {
                e.metadata().map_or(0, |m| m.len())
            } else {
                0
            }
        })
        .sum()
}

/// Strict `tsc` of the package and then of its tests, from clean. With `may_fail` (the old
/// main's package, whose tests fail with TS2590 from about 150 codes: issue 11) a failing run
/// is timed to its end, and its first error line comes back beside the time.
fn tsc_seconds(package: &Path, may_fail: bool) -> Result<(Seconds, Option<String>), String> {
    let tsc = tools::node_bin("tsc")?;
    let _ = std::fs::remove_dir_all(package.join("dist"));
    let mut total = Seconds::default();
    let mut failure = None;
    for project in [package.to_path_buf(), package.join("test")] {
        match timed(Command::new(&tsc).arg("-p").arg(&project)) {
            Ok(s) => total = total + s,
            Err((s, e)) if may_fail => {
                total = total + s;
                failure.get_or_insert_with(|| {
                    e.lines()
                        .find(|l| l.contains("error TS"))
                        .unwrap_or("failed")
                        .to_string()
                });
            }
            Err((_, e)) => return Err(e),
        }
    }
    Ok((total, failure))
}

/// A command's wall-clock and CPU seconds (user and system, its children's included). CPU
/// time depends much less on what else the machine runs than wall time does.
#[derive(Debug, Clone, Copy, Default)]
struct Seconds {
    wall: f64,
    cpu: f64,
}

impl std::ops::Add for Seconds {
    type Output = Seconds;
    fn add(self, other: Seconds) -> Seconds {
        Seconds {
            wall: self.wall + other.wall,
            cpu: self.cpu + other.cpu,
        }
    }
}

/// Runs `cmd` under GNU time for its `Seconds`; a failure comes back with its seconds and
/// output.
fn timed(cmd: &mut Command) -> Result<Seconds, (Seconds, String)> {
    let mut t = Command::new(GNU_TIME);
    t.args(["-f", "cpu-seconds=%U %S", "--"])
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => t.env(key, value),
            None => t.env_remove(key),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        t.current_dir(dir);
    }
    let start = Instant::now();
    let out = t.output().map_err(|e| {
        (
            Seconds::default(),
            format!("could not start {GNU_TIME}: {e}"),
        )
    })?;
    let wall = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let cpu = stderr
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("cpu-seconds="))
        .map_or(0.0, |s| {
            s.split(' ').filter_map(|n| n.parse::<f64>().ok()).sum()
        });
    let seconds = Seconds { wall, cpu };
    if out.status.success() {
        Ok(seconds)
    } else {
        Err((
            seconds,
            format!(
                "`{}` failed ({}):\n{}{stderr}",
                cmd.get_program().to_string_lossy(),
                out.status,
                String::from_utf8_lossy(&out.stdout)
            ),
        ))
    }
}

/// Generated Rust and TypeScript per code, `cargo check --all-targets` of the crate and strict
/// `tsc` of the package with its tests, at 1,000 codes, for this generator and the old main, as
/// a report table with issue 11's targets.
fn users_cost(bench_dir: &Path) -> Result<String, String> {
    let codes = 1_000;
    let catalog = bench_dir.join(format!("catalog-{codes}.yaml"));
    std::fs::write(&catalog, synthetic_catalog(codes)).map_err(|e| e.to_string())?;
    let new_out = bench_dir.join(format!("users-{codes}"));
    let old_out = bench_dir.join(format!("users-{codes}-{OLD_MAIN}"));
    let generate = |binary: &Path, out: &Path| {
        let _ = std::fs::remove_dir_all(out);
        tools::output(
            Command::new(binary)
                .arg("gen")
                .arg("--catalog")
                .arg(&catalog)
                .arg("--out")
                .arg(out),
        )
    };
    let root = project_root();
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    generate(&target_dir.join("release/xtask"), &new_out)?;
    generate(&old_binary(bench_dir)?, &old_out)?;
    let check_target = bench_dir.join("rust-check-target");
    let per_code = |bytes: u64| bytes as f64 / codes as f64 / 1000.0;
    let mut rows: Vec<(String, f64, f64, f64, &str)> = Vec::new();
    let (old_rs, new_rs) = (
        per_code(source_bytes(&old_out.join("rust"), ".rs")),
        per_code(source_bytes(&new_out.join("rust"), ".rs")),
    );
    rows.push(("Rust per code (KB)".into(), old_rs, new_rs, 0.5, "half"));
    let (old_ts, new_ts) = (
        per_code(source_bytes(&old_out.join("typescript"), ".ts")),
        per_code(source_bytes(&new_out.join("typescript"), ".ts")),
    );
    rows.push((
        "TypeScript per code (KB)".into(),
        old_ts,
        new_ts,
        0.5,
        "half",
    ));
    println!("cargo check --all-targets of the old and new 1,000-code crates...");
    let old_check = cargo_check_seconds(&old_out.join("rust"), &check_target)?;
    let new_check = cargo_check_seconds(&new_out.join("rust"), &check_target)?;
    rows.push((
        "`cargo check --all-targets` of the crate (s)".into(),
        old_check.wall,
        new_check.wall,
        1.0 / 3.0,
        "a third",
    ));
    rows.push((
        "the same, CPU seconds (user and system)".into(),
        old_check.cpu,
        new_check.cpu,
        1.0 / 3.0,
        "a third",
    ));
    println!("strict tsc of the old and new 1,000-code packages with their tests...");
    let (old_tsc, old_failure) = tsc_seconds(&old_out.join("typescript"), true)?;
    let (new_tsc, _) = tsc_seconds(&new_out.join("typescript"), false)?;
    rows.push((
        match old_failure {
            Some(error) => format!(
                "strict `tsc` of the package and its tests (s; {OLD_MAIN}'s fails, timed to its end: `{}`)",
                error.split(": error ").nth(1).unwrap_or(&error)
            ),
            None => "strict `tsc` of the package and its tests (s)".into(),
        },
        old_tsc.wall,
        new_tsc.wall,
        1.0 / 3.0,
        "a third",
    ));
    rows.push((
        "the same, CPU seconds (user and system)".into(),
        old_tsc.cpu,
        new_tsc.cpu,
        1.0 / 3.0,
        "a third",
    ));
    let mut out = format!(
        "\nFor the users, at {codes} codes, against the output of the old main ({OLD_MAIN}), same run:\n\n| measure | {OLD_MAIN} | this | ratio | target | met? |\n| --- | ---: | ---: | ---: | --- | --- |\n"
    );
    for (what, old, new, most, said) in rows {
        let ratio = new / old;
        let met = if ratio <= most { "yes" } else { "**no**" };
        let _ = writeln!(
            out,
            "| {what} | {old:.2} | {new:.2} | {ratio:.2}× | at most {said} | {met} |"
        );
    }
    Ok(out)
}

struct Measurement {
    median: Duration,
    /// Median and largest peak RSS (KiB) over the memory runs.
    peak_kib: Option<(u64, u64)>,
    files: usize,
}

/// Runs `xtask gen` on a catalog into a fresh folder: `runs` timed runs, each followed by
/// `after(run)` (where the bench times the peer tool on the same machine phase; it says whether
/// it ran anything) and each after an untimed run unless the run before it was ours, then a few
/// more under GNU time for peak memory (kept apart, so that GNU time's own start-up stays out of
/// the timings). Peak memory varies from run to run with how the threads interleave, so the median
/// and the largest are both reported.
fn measure(
    binary: &Path,
    catalog: &Path,
    out: &Path,
    runs: usize,
    mut after: impl FnMut(usize) -> Result<bool, String>,
) -> Result<Measurement, String> {
    let gen_once = |wrap_in_time: bool| -> Result<(Duration, Option<u64>), String> {
        let _ = std::fs::remove_dir_all(out);
        let mut cmd = if wrap_in_time {
            let mut c = Command::new(GNU_TIME);
            c.args(["-f", "peak-kib=%M"]).arg(binary);
            c
        } else {
            Command::new(binary)
        };
        cmd.arg("gen")
            .arg("--catalog")
            .arg(catalog)
            .arg("--out")
            .arg(out);
        let start = Instant::now();
        let output = cmd
            .output()
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        let elapsed = start.elapsed();
        if !output.status.success() {
            return Err(format!(
                "gen failed on {}:\n{}",
                catalog.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let peak = String::from_utf8_lossy(&output.stderr)
            .lines()
            .find_map(|l| l.strip_prefix("peak-kib="))
            .and_then(|v| v.trim().parse().ok());
        Ok((elapsed, peak))
    };
    let mut times = Vec::new();
    // The first timed run follows an untimed one too.
    let mut warm = false;
    for run in 0..runs.max(1) {
        if !warm {
            gen_once(false)?;
        }
        times.push(gen_once(false)?.0);
        warm = !after(run)?;
    }
    let mut peaks = Vec::new();
    if Path::new(GNU_TIME).exists() {
        for _ in 0..MEMORY_RUNS {
            peaks.extend(gen_once(true)?.1);
        }
    }
    peaks.sort_unstable();
    let files = count_files(out);
    Ok(Measurement {
        median: median(&mut times),
        peak_kib: peaks.last().map(|&max| (peaks[peaks.len() / 2], max)),
        files,
    })
}

/// GNU time, which reports a command's peak resident set size.
const GNU_TIME: &str = "/usr/bin/time";
/// Runs under GNU time per catalog.
const MEMORY_RUNS: usize = 5;

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| {
                    if e.path().is_dir() {
                        count_files(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn cargo_check_seconds(crate_dir: &Path, target: &Path) -> Result<Seconds, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = crate_dir.join("Cargo.toml");
    // The old and the new crate share a name, a version and `target`.
    let clean = || tools::forget_build(crate_dir, target);
    clean()?;
    // Warm the dependencies first, so the figure is the generated crate's own cost.
    let mut fetch = Command::new(&cargo);
    fetch
        .args([
            "check",
            "--quiet",
            "--all-features",
            "--all-targets",
            "--manifest-path",
        ])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", target);
    tools::run(&mut fetch)?;
    clean()?;
    timed(
        Command::new(&cargo)
            .args([
                "check",
                "--quiet",
                "--all-features",
                "--all-targets",
                "--manifest-path",
            ])
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", target),
    )
    .map_err(|(_, e)| e)
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// `median (largest)` peak RSS in MiB.
fn mib(kib: Option<(u64, u64)>) -> String {
    let mib = |k: u64| k as f64 / 1024.0;
    kib.map_or("n/a (no /usr/bin/time)".into(), |(median, max)| {
        format!("{:.1} MiB ({:.1})", mib(median), mib(max))
    })
}

/// Categories of the synthetic catalogs.
const CATEGORIES: usize = 10;

/// A catalog of `n` codes in 10 categories, in one file: each code with a three-field details
/// schema (string, integer, enum), a message template, an example, and a header on every tenth.
pub fn synthetic_catalog(n: usize) -> String {
    let mut s = synthetic_head();
    s.push_str("errors:\n");
    for i in 0..n {
        synthetic_code(&mut s, i);
    }
    s
}

/// The same catalog laid out as `catalog/` is: the head in `bench.yaml`, and each category's
/// codes in `errors/<category>.yaml`.
pub fn synthetic_catalog_files(n: usize) -> Vec<(String, String)> {
    let mut files = vec![("bench.yaml".to_string(), synthetic_head())];
    for c in 0..CATEGORIES {
        let mut s = String::from("errors:\n");
        for i in (c..n).step_by(CATEGORIES) {
            synthetic_code(&mut s, i);
        }
        files.push((format!("errors/group_{c}.yaml"), s));
    }
    files
}

fn synthetic_head() -> String {
    let mut s = String::from(
        "api:\n  name: Bench\n  version: 1.0.0\n  docs_url: https://docs.bench.test/errors\nenvelope:\n  fields:\n\
         \x20   error: { type: string, required: true, description: Code }\n\
         \x20   message: { type: string, required: true, description: Message }\n\
         \x20   code: { type: integer, required: true, description: Status }\n\
         \x20   details: { type: object, required: false, description: Details }\n\
         \x20   request_id: { type: string, required: false, description: Request }\n\
         \x20   timestamp: { type: string, required: false, description: Time }\n\
         statuses:\n  400: Bad request\n  404: Not found\n  409: Conflict\n  429: Too many requests\n  500: Internal error\n  503: Unavailable\ncategories:\n",
    );
    for c in 0..CATEGORIES {
        let _ = writeln!(s, "  - {{ id: group_{c}, title: Group {c} Errors }}");
    }
    s
}

/// Code number `i`, in category `i % 10`, as an item of an `errors:` list.
fn synthetic_code(s: &mut String, i: usize) {
    let statuses = [400, 404, 409, 429, 500, 503];
    let status = statuses[i % statuses.len()];
    let _ = write!(
        s,
        "  - code: error_number_{i}\n    status: {status}\n    category: group_{}\n    description: Synthetic error number {i}.\n    message: Resource {{resource}} failed with {{count}} attempts\n    details:\n      properties:\n        resource: {{ type: string, description: The resource. }}\n        count: {{ type: integer, minimum: 0, description: Attempts. }}\n        kind: {{ type: string, enum: [alpha, beta, gamma], description: The kind. }}\n      required: [resource, count]\n",
        i % CATEGORIES
    );
    if i.is_multiple_of(10) {
        s.push_str("    headers:\n      - { name: X-Bench-Trace, type: string, required: true, description: Trace id. }\n");
    }
    let _ = write!(
        s,
        "    examples:\n      - body:\n          error: error_number_{i}\n          message: Resource r{i} failed with 3 attempts\n          code: {status}\n          details: {{ resource: r{i}, count: 3, kind: beta }}\n"
    );
    if i.is_multiple_of(10) {
        s.push_str("        headers: { X-Bench-Trace: t-1 }\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_layout_holds_the_same_catalog() {
        let one = codegen::load(&[codegen::Source::new("bench.yaml", synthetic_catalog(25))])
            .unwrap_or_else(|f| panic!("{f}"));
        let files: Vec<codegen::Source> = synthetic_catalog_files(25)
            .into_iter()
            .map(|(name, text)| codegen::Source::new(name, text))
            .collect();
        assert_eq!(files.len(), 1 + CATEGORIES);
        let folder = codegen::load(&files).unwrap_or_else(|f| panic!("{f}"));
        let codes = |c: &codegen::Catalog| -> Vec<String> {
            let mut codes: Vec<String> = c.errors.iter().map(|e| e.code.clone()).collect();
            codes.sort();
            codes
        };
        assert_eq!(codes(&one), codes(&folder));
        assert_eq!(codes(&one).len(), 25);
    }

    #[test]
    fn synthetic_catalogs_are_valid() {
        let sources = vec![codegen::Source::new("bench.yaml", synthetic_catalog(25))];
        let catalog = codegen::load(&sources).unwrap_or_else(|f| panic!("{f}"));
        assert_eq!(catalog.errors.len(), 25);
        assert_eq!(
            catalog
                .errors
                .iter()
                .filter(|e| !e.headers.is_empty())
                .count(),
            3
        );
    }
}
