//! `rust/`: the Rust crate servers and clients depend on (named by `api.packages.rust`).
//!
//! Every `.rs` file is built as tokens (`quote!`), parsed with `syn` and printed with
//! `prettyplease`; catalog text reaches the code only as string literals (`Literal`) and doc
//! attributes (through `doc::escape`). Layout of the crate:
//! - `src/lib.rs`: crate docs, re-exports; `src/code.rs`: `ErrorCode`, `Category`;
//! - `src/retry.rs`: `RetryPolicy`, `RetryConfig`, `RetryDecision` (the shared retry semantics);
//! - `src/details.rs`: typed details (and response headers) per code, with message rendering;
//! - `src/error.rs`: the envelope (`ErrorBody`), the typed error and `ErrorKind`, constructors;
//! - `src/server.rs` (feature `axum`): `IntoResponse`; `tests/examples.rs`: tests from examples.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::{Artifact, Options, Sink};
use crate::model::{Catalog, ErrorDef};
use crate::naming;

mod code;
mod details;
pub mod doc;
mod error;
mod tests;

/// Dependency versions of the generated crate (current releases; see `cargo info`).
const SERDE: &str = "1.0.228";
const SERDE_JSON: &str = "1.0.145";
const HTTP: &str = "1.3.1";
const AXUM: &str = "0.8.4";
const TOKIO: &str = "1.46.1";
const TOWER: &str = "0.5.2";

/// Edition and minimum Rust version of the generated crate.
const EDITION: &str = "2024";
const RUST_VERSION: &str = "1.85";

/// Builds one file: pushes its top-level items, in order, in chunks (see [`Items`]).
type FileBuilder = fn(&Cx, &mut Items);

/// The crate's Rust files and the function that builds each one.
const FILES: &[(&str, FileBuilder)] = &[
    ("src/code.rs", code::code),
    ("src/details.rs", details::details),
    ("src/error.rs", error::error),
    ("src/lib.rs", lib),
    ("src/retry.rs", code::retry),
    ("src/server.rs", error::server),
    ("tests/examples.rs", tests::tests),
];

/// The items of the files being rendered, in chunks of one or more top-level items: each
/// chunk's tokens are built, parsed and printed on their own and dropped, so no token stream
/// or syntax tree larger than one chunk is ever held. prettyplease prints a file's items one
/// after the other from column 0, so printing chunk by chunk gives the same text as printing
/// the whole file.
///
/// Every worker runs every file builder and so walks the same sequence of chunks; a worker
/// builds the chunk it reaches only if no other worker claimed it first, which spreads the work
/// over the workers whatever the chunks' sizes. A large chunk (one item over every code, such
/// as the `ErrorKind` enum) takes far more memory than the others, so only one is in flight
/// at a time: in the first walk a worker skips a large chunk while another is being printed
/// and goes on with the small ones, and a second walk prints the large chunks left over.
/// Printed chunks are kept by number in [`Printed`]; a file goes to the sink, assembled in
/// chunk order, as soon as its last chunk is printed, so the output does not depend on who
/// printed what, and only the files still being printed are held.
pub struct Items<'a> {
    shared: &'a Shared<'a>,
    /// The number of the next chunk in the whole sequence.
    next: usize,
    file: usize,
    /// The second walk: only large chunks are left, and they wait for each other.
    second_walk: bool,
}

/// Entries per block of [`Items::push_list`].
const LIST_BLOCK: usize = 256;

#[cfg(test)]
mod chunking_tests;

/// What the workers share: which chunks are claimed, the lock of large chunks, and the printed
/// chunks of files not yet complete.
struct Shared<'a> {
    claimed: Mutex<Vec<bool>>,
    large: Mutex<()>,
    printed: Mutex<Printed>,
    /// Entries per block of a long list ([`LIST_BLOCK`]; tests vary it).
    list_block: usize,
    header: String,
    sink: &'a Sink<'a>,
}

/// Printed chunks waiting for the rest of their file.
#[derive(Default)]
struct Printed {
    /// Chunk number to text.
    chunks: HashMap<usize, String>,
    /// Where each file stands, by file number.
    files: Vec<FileState>,
}

#[derive(Clone, Default)]
enum FileState {
    /// No worker has walked the file yet, so its chunk numbers are not known.
    #[default]
    NotWalked,
    /// The file's chunk numbers, and how many of them are not printed yet.
    Printing {
        chunks: Range<usize>,
        missing: usize,
    },
    /// Assembled and handed to the sink.
    Sent,
}

impl Shared<'_> {
    /// Keeps chunk `i` of `file`, and sends the file if that was its last missing chunk.
    fn keep(&self, file: usize, i: usize, text: String) {
        let mut printed = lock(&self.printed);
        printed.chunks.insert(i, text);
        if let Some(FileState::Printing { missing, .. }) = printed.files.get_mut(file) {
            *missing -= 1;
        }
        self.send_if_complete(printed, file);
    }

    /// Records that `file` has the chunks `range` (every worker walks the same files, in both
    /// walks, so only the first to finish one records it).
    fn walked(&self, file: usize, range: Range<usize>) {
        let mut printed = lock(&self.printed);
        if printed.files.len() <= file {
            printed.files.resize(file + 1, FileState::NotWalked);
        }
        if !matches!(printed.files[file], FileState::NotWalked) {
            return;
        }
        let missing = range
            .clone()
            .filter(|i| !printed.chunks.contains_key(i))
            .count();
        printed.files[file] = FileState::Printing {
            chunks: range,
            missing,
        };
        self.send_if_complete(printed, file);
    }

    fn send_if_complete(&self, mut printed: MutexGuard<Printed>, file: usize) {
        let Some(FileState::Printing { chunks, missing: 0 }) = printed.files.get(file).cloned()
        else {
            return;
        };
        printed.files[file] = FileState::Sent;
        let chunks: Vec<String> = chunks
            .map(|i| {
                printed
                    .chunks
                    .remove(&i)
                    .expect("every chunk of the file is printed")
            })
            .collect();
        drop(printed);
        let prefix = format!("// {}\n\n", self.header);
        let mut text =
            String::with_capacity(prefix.len() + chunks.iter().map(String::len).sum::<usize>());
        text.push_str(&prefix);
        for chunk in chunks {
            text.push_str(&chunk);
        }
        (self.sink)(Artifact::new(format!("rust/{}", FILES[file].0), text));
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Items<'_> {
    /// One chunk: `build` runs only on the worker that claims it. A chunk may start with inner
    /// attributes (`//!` docs) only if it is the file's first.
    pub fn push(&mut self, build: impl FnOnce() -> TokenStream) {
        if let Some(i) = self.claim() {
            self.print(i, build);
        }
    }

    /// A chunk whose size grows with the catalog as a whole (see [`Items`]).
    pub fn push_large(&mut self, build: impl FnOnce() -> TokenStream) {
        let i = self.next;
        self.next += 1;
        let large = &self.shared.large;
        let guard = if self.second_walk {
            lock(large)
        } else {
            match large.try_lock() {
                Ok(guard) => guard,
                Err(TryLockError::Poisoned(p)) => p.into_inner(),
                Err(TryLockError::WouldBlock) => return,
            }
        };
        if self.claim_number(i) {
            self.print(i, build);
        }
        drop(guard);
    }

    /// One item that is a long list, one entry per code: an enum's variants, or an array's
    /// elements. It is printed in blocks of [`LIST_BLOCK`] entries, each block a chunk of its
    /// own: `build(range)` gives the whole item with only those entries. prettyplease lays a
    /// broken list out one entry after another, each from the same indentation, so the blocks'
    /// entry lines joined, after the first block's opening and before the last block's
    /// closing, are the text of the whole item. `open` and `close` are the item's opening and
    /// closing lines as printed (`pub enum ErrorCode {`, `}`). Arrays need at least two
    /// entries per block (one element can lay out differently), so a lone last entry joins the
    /// block before it; a list of one entry is one block.
    pub fn push_list(
        &mut self,
        len: usize,
        open: &str,
        close: &str,
        build: impl Fn(std::ops::Range<usize>) -> TokenStream,
    ) {
        let block = self.shared.list_block;
        let mut starts: Vec<usize> = (0..len).step_by(block).collect();
        if len > 1 && len % block == 1 {
            starts.pop();
        }
        if starts.is_empty() {
            starts.push(0);
        }
        for (b, &start) in starts.iter().enumerate() {
            let end = starts.get(b + 1).copied().unwrap_or(len);
            let Some(i) = self.claim() else {
                continue;
            };
            let mut text = self.printed_text(build(start..end));
            if b + 1 < starts.len() {
                let cut = text
                    .strip_suffix(&format!("{close}\n"))
                    .unwrap_or_else(|| panic!("a list block does not end with `{close}`"))
                    .len();
                text.truncate(cut);
            }
            if b > 0 {
                let at = text
                    .find(&format!("\n{open}\n"))
                    .map(|at| at + open.len() + 2)
                    .or_else(|| {
                        text.starts_with(&format!("{open}\n"))
                            .then(|| open.len() + 1)
                    })
                    .unwrap_or_else(|| panic!("a list block does not open with `{open}`"));
                text.drain(..at);
            }
            self.shared.keep(self.file, i, text);
        }
    }

    /// A chunk of fixed Rust source, kept beside the emitter in `fixed/` (no catalog text;
    /// rustfmt-clean as written, which the generated crate's `cargo fmt --check` confirms).
    /// For code prettyplease cannot lay out as rustfmt does, such as `macro_rules!` bodies.
    pub fn push_fixed(&mut self, source: &'static str) {
        if let Some(i) = self.claim() {
            self.shared.keep(self.file, i, source.to_string());
        }
    }

    fn print(&mut self, i: usize, build: impl FnOnce() -> TokenStream) {
        let text = self.printed_text(build());
        self.shared.keep(self.file, i, text);
    }

    fn printed_text(&self, tokens: TokenStream) -> String {
        let path = FILES[self.file].0;
        let file: syn::File =
            syn::parse2(tokens).unwrap_or_else(|e| panic!("generated {path} does not parse: {e}"));
        prettyplease::unparse(&file)
    }

    /// The number of the chunk this worker has reached, if no other worker claimed it first.
    fn claim(&mut self) -> Option<usize> {
        let i = self.next;
        self.next += 1;
        self.claim_number(i).then_some(i)
    }

    fn claim_number(&self, i: usize) -> bool {
        let mut claimed = lock(&self.shared.claimed);
        if claimed.len() <= i {
            claimed.resize(i + 1, false);
        }
        !std::mem::replace(&mut claimed[i], true)
    }
}

pub fn emit(catalog: &Catalog, options: &Options, sink: &Sink) {
    emit_in_blocks(catalog, options, sink, LIST_BLOCK);
}

/// [`emit`], with long lists printed in blocks of `list_block` entries.
fn emit_in_blocks(catalog: &Catalog, options: &Options, sink: &Sink, list_block: usize) {
    let header = options.header();
    sink(Artifact::new("rust/Cargo.toml", manifest(catalog, &header)));
    // Parsing and printing dominate the generator's run time on large catalogs, so chunks are
    // printed by one worker per core. Token streams cannot cross threads, so each worker
    // builds its own (cheap) naming context.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let shared = Shared {
        claimed: Mutex::default(),
        large: Mutex::default(),
        printed: Mutex::default(),
        list_block,
        header,
        sink,
    };
    std::thread::scope(|scope| {
        let running: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let cx = Cx::new(catalog);
                    let mut items = Items {
                        shared: &shared,
                        next: 0,
                        file: 0,
                        second_walk: false,
                    };
                    for second_walk in [false, true] {
                        items.next = 0;
                        items.second_walk = second_walk;
                        for (file, (_, build)) in FILES.iter().enumerate() {
                            items.file = file;
                            let first = items.next;
                            build(&cx, &mut items);
                            shared.walked(file, first..items.next);
                        }
                    }
                })
            })
            .collect();
        for worker in running {
            worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
    });
    let printed = lock(&shared.printed);
    debug_assert!(
        printed.chunks.is_empty() && printed.files.iter().all(|f| matches!(f, FileState::Sent)),
        "every file went out with all its chunks"
    );
}

/// A TOML basic string (JSON string escapes are valid TOML).
fn toml_str(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

fn manifest(catalog: &Catalog, header: &str) -> String {
    let api = &catalog.api;
    let description = format!(
        "Typed error codes of the {} API (error catalog {}): codes, details, envelope, retry policy.",
        api.name, api.version
    );
    format!(
        r#"# {header}

[package]
name = {name}
version = {version}
description = {description}
edition = "{EDITION}"
rust-version = "{RUST_VERSION}"
license = "MIT OR Apache-2.0"
homepage = {homepage}
keywords = ["errors", "api", "error-codes"]
categories = ["api-bindings"]

[features]
## `ErrorCode::status_code` and `status_code()` as `http::StatusCode`.
http = ["dep:http"]
## `IntoResponse` for the error type (status, JSON body, the catalog's headers).
axum = ["dep:axum", "http"]

[dependencies]
serde = {{ version = "{SERDE}", features = ["derive"] }}
serde_json = "{SERDE_JSON}"
http = {{ version = "{HTTP}", optional = true }}
axum = {{ version = "{AXUM}", optional = true, default-features = false }}

[dev-dependencies]
tokio = {{ version = "{TOKIO}", features = ["rt"] }}
tower = {{ version = "{TOWER}", default-features = false, features = ["util"] }}
"#,
        name = toml_str(&api.packages.rust),
        version = toml_str(&api.version),
        description = toml_str(&description),
        homepage = toml_str(&api.docs_url),
    )
}

fn lib(cx: &Cx, items: &mut Items) {
    items.push_large(|| lib_tokens(cx));
}

fn lib_tokens(cx: &Cx) -> TokenStream {
    let api = &cx.catalog.api;
    let ty = &cx.error_type;
    let mut doc = doc::Doc::new()
        .raw(format!(
            "Error codes of the {} API, generated from its error catalog (version {}).",
            doc::inline(&api.name),
            doc::inline(&api.version)
        ))
        .para();
    if let Some(d) = &api.description {
        doc = doc.text(d).para();
    }
    let doc = doc
        .raw(format!(
            "- [`ErrorCode`]: every code ([`ErrorCode::ALL`]) with its wire string, HTTP status, category, retry policy and docs link.\n\
             - [`{ty}`]: an error body, typed. Parse one with [`{ty}::from_json`] and `match` on its [`ErrorKind`] to get the code and its typed details at once; codes this version does not know parse as [`ErrorKind::Unknown`].\n\
             - [`details`]: the typed details (and response headers) of each code.\n\
             - [`{ty}::retry_decision`]: whether and when to retry, following the catalog's policy. It decides; the caller sleeps.\n\
             - Servers: one constructor per code on [`{ty}`] fills the message and status from the catalog."
        ))
        .para()
        .raw(
            "Cargo features: `http` adds `status_code()` (an `http::StatusCode`); `axum` implements \
             `axum::response::IntoResponse` for the error type (status, JSON body and the code's headers).",
        )
        .para()
        .raw(format!("Docs: <{}>", api.docs_url));
    let inner = doc.inner_tokens();
    // `use` items as rustfmt orders them (by path; names in a list sorted the same way), the
    // details types one per item so that no list needs wrapping.
    let mut structs: Vec<&Ident> = cx
        .errors
        .iter()
        .flat_map(|e| e.details.iter().chain(e.headers.iter()))
        .collect();
    structs.sort_by(|a, b| version_cmp(&a.to_string(), &b.to_string()));
    let mut error_names: Vec<Ident> = ["ErrorBody", "ErrorKind", "ParseError"]
        .map(|n| format_ident!("{n}"))
        .to_vec();
    error_names.push(ty.clone());
    error_names.sort_by(|a, b| version_cmp(&a.to_string(), &b.to_string()));
    quote! {
        #inner
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]

        mod code;
        pub mod details;
        mod error;
        mod retry;
        #[cfg(feature = "axum")]
        mod server;

        pub use code::{Category, ErrorCode, RETIRED_CODES, RetiredCode, UnknownCode};
        #( pub use details::#structs; )*
        pub use error::{ #(#error_names),* };
        pub use retry::{RETRY, RetryConfig, RetryDecision, RetryPolicy};
    }
}

/// prettyplease's line width; rustfmt's is 100 (`max_width`).
pub const PRETTYPLEASE_WIDTH: usize = 89;
/// rustfmt's `array_width`: the widest array literal it keeps on one line (elements and `, `).
pub const RUSTFMT_ARRAY_WIDTH: usize = 60;

/// Whether prettyplease and rustfmt disagree on keeping an array literal on one line:
/// `line` is the width of its line without the elements (indent, `[`, `];` and the rest),
/// `elements` the width of its elements joined with `, `. When they do, the caller spells
/// the elements longer (a longer path) so that both break it, one element per line.
pub fn array_layouts_differ(line: usize, elements: usize) -> bool {
    (line + elements <= PRETTYPLEASE_WIDTH) != (elements <= RUSTFMT_ARRAY_WIDTH)
}

/// Whether a match arm `pat => body,` of this width on one line is one prettyplease breaks into
/// `pat => {` + body + `}` and rustfmt (up to 100 columns) keeps: the emitter then spells a path
/// in the arm longer (`crate::error::ErrorKind`), so that both break it.
pub fn arm_breaks_differ(width: usize) -> bool {
    width > PRETTYPLEASE_WIDTH && width <= 100
}

/// The width of a string literal as printed.
pub fn lit_width(s: &str) -> usize {
    format!("{s:?}").chars().count()
}

/// The width of elements joined with `, `.
pub fn joined_width<'a>(elements: impl IntoIterator<Item = &'a str>) -> usize {
    let (mut width, mut n) = (0usize, 0usize);
    for e in elements {
        width += e.chars().count();
        n += 1;
    }
    width + 2 * n.saturating_sub(1)
}

/// rustfmt's order of names in `use` items (style edition 2024): by character, with runs of
/// digits compared as numbers.
pub fn version_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let (si, sj) = (i, j);
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let (x, y): (String, String) = (a[si..i].iter().collect(), b[sj..j].iter().collect());
            let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
            let ord = x.len().cmp(&y.len()).then_with(|| x.cmp(y));
            if ord.is_ne() {
                return ord;
            }
        } else {
            let ord = a[i].cmp(&b[j]);
            if ord.is_ne() {
                return ord;
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).cmp(&(b.len() - j))
}

/// An identifier from a `naming` string, raw (`r#type`) when it says so.
pub fn ident(s: &str) -> Ident {
    match s.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(s, Span::call_site()),
    }
}

/// Type names that must stay unique within one module and not shadow the prelude names the
/// generated code uses.
pub struct Namer {
    taken: HashSet<String>,
}

impl Namer {
    pub fn new(reserved: &[&str]) -> Self {
        let mut taken: HashSet<String> = [
            "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        taken.extend(reserved.iter().map(|s| s.to_string()));
        Self { taken }
    }

    /// `base` (already an identifier, or empty), or `baseValue`, `baseValue2`, ... when taken.
    pub fn take(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "Value" } else { base };
        let mut name = base.to_string();
        let mut n = 1;
        while self.taken.contains(&name) {
            name = if n == 1 {
                format!("{base}Value")
            } else {
                format!("{base}Value{n}")
            };
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// Names and facts about one code, computed once.
pub struct Code<'a> {
    pub def: &'a ErrorDef,
    /// `ErrorCode` and `ErrorKind` variant.
    pub variant: Ident,
    /// The details struct, when the code has details.
    pub details: Option<Ident>,
    /// The response headers struct, when the code declares headers.
    pub headers: Option<Ident>,
    /// The constructor on the error type.
    pub ctor: Ident,
    /// The module of nested details types (enums, objects).
    pub module: Ident,
}

/// What every part of the emitter shares.
pub struct Cx<'a> {
    pub catalog: &'a Catalog,
    pub error_type: Ident,
    pub errors: Vec<Code<'a>>,
    /// The `ErrorKind` variant for codes this version does not know.
    pub unknown: Ident,
    /// Whether `request_id` / `timestamp` are required envelope fields.
    pub request_id_required: bool,
    pub timestamp_required: bool,
}

impl<'a> Cx<'a> {
    fn new(catalog: &'a Catalog) -> Self {
        use crate::model::EnvelopeFieldName as F;
        let errors: Vec<Code> = catalog
            .errors
            .iter()
            .map(|def| {
                let snake = naming::rust_snake(&def.code);
                let ctor = naming::rust_constructor(&def.code);
                Code {
                    def,
                    variant: ident(&naming::pascal(&def.code)),
                    details: def
                        .details
                        .as_ref()
                        .map(|_| ident(&naming::pascal(&format!("{}_details", def.code)))),
                    headers: (!def.headers.is_empty())
                        .then(|| ident(&naming::pascal(&format!("{}_headers", def.code)))),
                    ctor: ident(&ctor),
                    module: ident(&snake),
                }
            })
            .collect();
        let mut kinds = Namer::new(&[]);
        for e in &errors {
            kinds.take(&e.variant.to_string());
        }
        Self {
            catalog,
            error_type: format_ident!("{}", catalog.api.packages.error_type),
            unknown: ident(&kinds.take("Unknown")),
            request_id_required: catalog.envelope.field(F::RequestId).required,
            timestamp_required: catalog.envelope.field(F::Timestamp).required,
            errors,
        }
    }

    /// `Option<String>` or `String`, by the envelope field's `required`.
    pub fn envelope_string(required: bool) -> TokenStream {
        if required {
            quote!(String)
        } else {
            quote!(Option<String>)
        }
    }
}
