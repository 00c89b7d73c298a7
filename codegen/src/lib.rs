//! The error-catalog generator: catalog sources in, generated files out. Pure: no file is read
//! or written here except by `source::read_catalog`, which the CLI calls.
//!
//! Data flows one way: `yaml` (parse, with spans) -> `validate` (the only stage that reports
//! problems) -> `model` (the validated catalog) -> `emit` (one module per target) -> artifacts.

/// `format!` for the short texts emitters build by the hundred thousand (a line, a type, a
/// name): the same `String`, made with room for a line up front. `format!` sizes its buffer by
/// the literal text alone (nothing when an argument comes first), so such a text grew two or
/// three times, each a copy: a tenth of the instructions at 1,000 codes (callgrind).
macro_rules! text {
    ($($arg:tt)*) => {{
        let mut s = String::with_capacity(96);
        // Writing to a `String` cannot fail.
        let _ = std::fmt::Write::write_fmt(&mut s, format_args!($($arg)*));
        s
    }};
}

pub mod conformance;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod limits;
pub mod model;
pub mod naming;
mod parallel;
pub mod pattern;
pub mod schema;
pub mod source;
pub mod template;
pub mod validate;
pub mod wire;
pub mod yaml;

pub use diagnostic::{Diagnostic, Diagnostics};
pub use emit::{Artifact, Options};
pub use model::Catalog;
pub use source::Source;

/// Validates the sources and builds every output, sorted by path. Sources are merged in name
/// order whatever order they are given in, so the output depends only on their names and
/// contents.
pub fn generate(sources: &[Source], options: &Options) -> Result<Vec<Artifact>, Failure> {
    let catalog = load(sources)?;
    Ok(emit::all(&catalog, options))
}

/// Like [`generate`], but hands each file to `sink` as soon as it is complete (from the
/// emitters' threads, in no fixed order), so that no caller has to hold every output at once.
/// Nothing reaches `sink` when the catalog has problems. Returns how long each stage took.
pub fn generate_each(
    sources: &[Source],
    options: &Options,
    sink: &emit::Sink,
) -> Result<Timings, Failure> {
    let start = std::time::Instant::now();
    let mut catalog = load(sources)?;
    let load = start.elapsed();
    let emitters = emit::each(&catalog, options, sink);
    let warnings = std::mem::take(&mut catalog.warnings);
    Ok(Timings {
        load,
        emitters,
        warnings,
    })
}

/// Wall time per stage of [`generate_each`]: loading (parse and validate) and each emitter;
/// and the catalog's warnings, which did not stop generation (render them with the sources
/// sorted by name).
#[derive(Debug, Clone)]
pub struct Timings {
    pub load: std::time::Duration,
    pub emitters: Vec<(&'static str, std::time::Duration)>,
    pub warnings: Diagnostics,
}

/// Validates the sources into a catalog.
pub fn load(sources: &[Source]) -> Result<Catalog, Failure> {
    let sorted = sorted(sources);
    validate::validate(&sorted).map_err(|diagnostics| Failure {
        diagnostics,
        sources: sorted,
    })
}

/// The sources in name order: the order diagnostics' spans refer to.
pub fn sorted(sources: &[Source]) -> Vec<Source> {
    let mut sorted = sources.to_vec();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    sorted
}

/// A catalog with problems: every diagnostic, with the sources needed to render them.
#[derive(Debug)]
pub struct Failure {
    pub diagnostics: Diagnostics,
    pub sources: Vec<Source>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostics.render(&self.sources))
    }
}

impl std::error::Error for Failure {}
