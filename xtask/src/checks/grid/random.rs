//! Random catalogs for the grid: `catalog(seed, codes)` draws a catalog from a seed, so a seed
//! names the same catalog on every machine. Each code is drawn whole (a name in the catalog's
//! style, made of words that are keywords or runtime names in some target; a details schema of
//! every kind the subset has, nested up to the depth limit, nullable and optional, with bounds
//! (as floats or integers), lengths, item counts, patterns, formats, enums with labels and
//! constants, and these keywords together, and a valid value for it; a template over its fields
//! (numbers and lists of any scalar too, with either filter, a field twice); response headers; a
//! retry policy with any number field as its delay; webhook delivery; `since`; deprecation;
//! remediation in parts; per-code wire keys (type URIs of every form, titles, AIP-193 statuses,
//! docs links); text written to break out of every output's syntax, over several lines, with
//! control characters and separators) on one of the wire presets (with their options) or custom
//! wires (one of them drawn whole for each catalog, `Draw::drawn_wire`), and kept only if the
//! catalog with it still validates. The shared sections vary too: names derived from `api.name`,
//! docs URLs, status and envelope descriptions, an empty category, retired codes with their
//! category and replacement. The grid then holds every output to "clean for every catalog that
//! validation accepts" on catalogs nobody wrote by hand. The catalog is drawn as JSON, which
//! is YAML too; `super::written` then writes it as the seed says (YAML forms, a folder).

use serde_json::{Map, Value, json};

use crate::checks::fuzz::Rng;

/// The wire presets, two custom wires (JSON:API's list, with the request id in `meta`; the
/// code in the body and, optionally, a header, with header and integer fields) and a custom
/// wire drawn whole (`Draw::wire`), one per catalog in turn.
pub(crate) const WIRES: &[&str] = &[
    "flat",
    "rfc9457",
    "aip193",
    "aws_json",
    "custom_list",
    "custom_header",
    "drawn",
];

/// Steps of a drawn wire's pointers, as written in a pointer (`~1` is `/`, `~0` is `~`).
const STEPS: &[&str] = &[
    "code",
    "message",
    "status",
    "title",
    "doc_url",
    "retry_in",
    "details",
    "type",
    "reason",
    "msg",
    "httpStatus",
    "with space",
    "a~1b",
    "t~0x",
    "@kind",
    "__type",
    "ünï",
    "help",
    "$ref",
    "Error",
];

/// The free fields a drawn wire may have: name, type, format.
const WIRE_FIELDS: &[(&str, &str, Option<&str>)] = &[
    ("request_id", "string", None),
    ("trace_id", "string", None),
    ("attempt", "integer", None),
    ("instance", "string", Some("uri")),
    ("class", "string", None),
    ("self", "string", None),
    ("retryAfterMs", "integer", None),
    ("when", "string", Some("date-time")),
    ("id", "string", Some("uuid")),
    ("Type", "string", None),
];

/// What the catalog's codes must know of a drawn wire.
#[derive(Default)]
struct Drawn {
    /// Codes are integers (`form: integer`).
    integer: bool,
    /// The wire has a place for details.
    details: bool,
    title: bool,
    docs_url: bool,
    type_uri: bool,
    retry_delay: bool,
    /// Free fields: name, type, format, whether a header carries it, and whether every body
    /// has it.
    fields: Vec<(&'static str, &'static str, Option<&'static str>, bool, bool)>,
}

const STYLES: &[&str] = &[
    "snake_case",
    "screaming_snake_case",
    "pascal_case",
    "camel_case",
    "kebab-case",
    "any",
];

/// Words of names: keywords, builtins and the generated code's own names in some target, short
/// words and words that start with a digit.
const WORDS: &[&str] = &[
    "type",
    "self",
    "class",
    "async",
    "await",
    "none",
    "true",
    "false",
    "null",
    "undefined",
    "constructor",
    "prototype",
    "default",
    "new",
    "delete",
    "import",
    "from",
    "yield",
    "match",
    "enum",
    "struct",
    "impl",
    "fn",
    "let",
    "mut",
    "ref",
    "box",
    "crate",
    "super",
    "static",
    "const",
    "interface",
    "any",
    "never",
    "unknown",
    "string",
    "number",
    "object",
    "symbol",
    "error",
    "message",
    "code",
    "details",
    "status",
    "headers",
    "retry",
    "name",
    "value",
    "key",
    "kind",
    "data",
    "json",
    "str",
    "int",
    "float",
    "list",
    "dict",
    "option",
    "result",
    "vec",
    "is",
    "in",
    "not",
    "and",
    "or",
    "as",
    "with",
    "pass",
    "lambda",
    "global",
    "del",
    "print",
    "eval",
    "arguments",
    "then",
    "catch",
    "finally",
    "pairs",
    "parse",
    "info",
    "infos",
    "body",
    "wire",
    "check",
    "schema",
    "field",
    "fields",
    "pattern",
    "text",
    "http",
    "axum",
    "serde",
    "regex",
    "std",
    "core",
    "typing",
    "literal",
    "dataclass",
    "ok",
    "some",
    "test",
    "tests",
    "mod",
    "use",
    "pub",
    "where",
    "loop",
    "while",
    "for",
    "if",
    "else",
    "return",
    "break",
    "2fa",
    "404",
    "3d",
    "x",
    "a",
    "i",
    "l",
    "o",
    "e",
    "api",
    "io",
    "url",
    "id",
    "oauth2",
    "v2",
    "utf8",
    "efsio",
    "abc123",
    "order",
    "payment",
    "quota",
    "limit",
    "exceeded",
    "invalid",
    "has",
    "own",
    "property",
    "to",
    "try",
    "neutral",
    "proto",
];

/// One-line text that tries to end a comment, a string or a docstring, inject HTML, Markdown,
/// templates or mdBook directives, or confuse a terminal.
const TEXTS: &[&str] = &[
    "Plain text.",
    "Quotes \" and ' and `backticks`.",
    "Ends a comment */ and starts /* one",
    "Triple \"\"\" quotes and ''' too",
    "<script>alert(1)</script> & <b>bold</b>",
    "[link](javascript:alert(1)) and <!-- comment -->",
    "{{#include /etc/passwd}} and ${template} and #{ruby}",
    "Back\\slash \\n \\u{1F600} \\",
    "Unicode: héllo wörld — ✓ 😀 中文 עברית",
    "| a | b | and a trailing pipe |",
    "# Heading? * bullet _em_ **strong** ~~gone~~",
    "#[doc = \"x\"] r#\"raw\"# //! inner",
    "%s %d {0} {} $1 \\1",
    "@decorator # comment -- dash",
    "\u{202e}reversed and \u{200b}zero width",
    "Ends with a backslash \\",
    "x",
    "Two lines:\nthe second one.",
    "Windows lines\r\nand a bare\rreturn",
    "\tTabbed\tand trailing  ",
    "    Indented like code",
    "Ends with a quote \"",
    "Ends with an apostrophe'",
    "Controls: \u{1b}[31mred\u{1b}[0m \u{7} \u{7f} \u{85}next",
    "Separators\u{2028}line\u{2029}paragraph \u{feff}bom",
    "---\n===\n1. item\n- item\n> quote",
    "&amp; &lt;tag&gt; &#x27; \\u0041",
    "}} {{ } { {}",
    "trailing newline\n",
];

/// Guidance bodies: Markdown that tries to break out of its page (open fences, raw HTML,
/// script links, heading attributes, mdBook directives, tables, footnotes, math).
const MARKDOWN: &[&str] = &[
    "```rust\nfn main() { unclosed_fence(); }\n",
    "<details><summary>x</summary>raw <script>alert(1)</script></details>\n\n[js](javascript:alert(1)) ![img](data:image/png;base64,AAAA)",
    "# Top heading {#custom-id .class}\n\nText {{#include ../../Cargo.toml}} and {{#playground x.rs}}",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [ ] task\n- [x] done\n\nFootnote[^1].\n\n[^1]: The note.",
    "Line with a trailing backslash\\\nand <!-- an unclosed comment",
    "$$ x^2 $$ and \\( y \\) and ~~strike~~ and <https://example.test/a_b>",
    "Plain paragraph.\n\n    indented code\n\n> quote\n> > nested",
    "Links: [a page](other.md), [an anchor](#nowhere), [a section](#x-0), [up](../x.html), []().",
];

const PATTERNS: &[(&str, &str)] = &[
    ("^[a-z]+$", "abc"),
    ("^[A-Z]{2}-[0-9]{3}$", "AB-123"),
    ("^(foo|bar)+$", "foobar"),
    ("x\\.y", "ax.yb"),
    ("^\\u00e9t\\u00e9$", "été"),
    ("^[^/]+/[^/]+$", "a/b"),
    ("^a.c$", "a-c"),
    ("^(?:ab){1,3}$", "abab"),
    ("^[a-z0-9_-]{3,8}$", "a_b-1"),
    ("\\$\\{x\\}", "${x}"),
    ("^\\(1\\)\\*?$", "(1)"),
    ("^\"[^\"]*\"$", "\"q\""),
];

const FORMATS: &[(&str, &str)] = &[
    ("date-time", "2024-02-29T12:00:00Z"),
    ("date", "2024-02-29"),
    ("uri", "https://example.test/a?b=c#d"),
    ("email", "a.b+c@example.test"),
    ("uuid", "123e4567-e89b-12d3-a456-426614174000"),
    ("phone", "+14155550123"),
];

const ENUM_VALUES: &[&str] = &[
    "a",
    "B",
    "snake_value",
    "kebab-value",
    "Camel",
    "x1",
    "1x",
    "über",
    "none",
    "null",
    "true",
    "type",
    "self",
    "dot.value",
    "space value",
    "UPPER",
    "0",
    "constructor",
];

const HEADERS: &[(&str, &str)] = &[
    ("Retry-After", "integer"),
    ("X-Request-Id", "string"),
    ("X-RateLimit-Remaining", "integer"),
    ("X-Trace_Id", "string"),
    ("x-lower-case", "string"),
    (
        "X-A-Very-Long-Header-Name-That-Goes-On-And-On-For-Quite-A-While",
        "string",
    ),
    ("Link", "string"),
];

const STATUSES: &[u16] = &[
    400, 401, 402, 403, 404, 405, 409, 410, 413, 418, 422, 429, 451, 499, 500, 501, 503, 504, 599,
];

/// Seeds below this never draw a large catalog (`size`): they are CI's (`super::RANDOM_SEEDS`,
/// 0 to 6), whose grid must stay about as fast as it was.
pub(crate) const LARGE_FROM: u64 = 7;

/// How many codes the random catalog of `seed` asks for, drawn from the seed on a stream of its
/// own (the catalog's other draws do not depend on it): one code in a tenth of seeds (enums
/// and unions of one member, tables of one row), 2 to 5 in a fifth, 6 to 48 in most, and 100
/// to 500 in the rest, past the sizes where the TypeScript union and clippy's large arrays
/// change layout, and in about half of them where the Python package's codes spread over
/// several modules (about 330 codes of this kind, at some 37 of `MODULE_BUDGET`'s nodes a
/// code; the size series in `super` has them too, but written by hand). A seed below
/// `LARGE_FROM` draws 24 instead of a large size.
pub(crate) fn size(seed: u64) -> usize {
    let mut rng = Rng(seed ^ 0x5A1E_C0DE_0F5E_ED00);
    match rng.below(100) {
        0..10 => 1,
        10..30 => 2 + rng.below(4),
        30..85 => 6 + rng.below(43),
        _ if seed < LARGE_FROM => 24,
        _ => 100 + rng.below(401),
    }
}

/// A catalog of up to `codes` codes drawn from `seed`, as YAML, and how many codes it has.
pub fn catalog(seed: u64, codes: usize) -> (String, usize) {
    catalog_kept_by(seed, codes, Draw::codes)
}

/// How a catalog's codes are drawn and kept: `Draw::codes`, or in the tests the plain loop it
/// must agree with.
type Keep = fn(&mut Draw, &mut Value, &str, usize) -> (Vec<Value>, Vec<(String, bool)>);

fn catalog_kept_by(seed: u64, codes: usize, keep: Keep) -> (String, usize) {
    let mut draw = Draw {
        rng: Rng(seed),
        wire: WIRES[(seed % WIRES.len() as u64) as usize],
        drawn: Drawn::default(),
        categories: vec!["first".into(), "second_group".into()],
    };
    let style = *draw.rng.pick(STYLES);
    let mut doc = draw.head(seed, style);
    if draw.wire == "drawn" {
        draw.drawn_wire(&mut doc);
    }
    draw.categories(&mut doc, style);
    draw.shared_sections(&mut doc, seed, style);
    let (accepted, names) = keep(&mut draw, &mut doc, style, codes);
    // Retired codes replaced by a live one, once there are live codes.
    if let Some(retired) = doc["retired"].as_array().cloned() {
        for i in 0..retired.len() {
            if names.is_empty() || !draw.rng.chance(50) {
                continue;
            }
            let (live, _) = draw.rng.pick(&names).clone();
            let mut tried = doc.clone();
            tried["retired"][i]["replaced_by"] = json!(live);
            if valid(&text(&tried)) {
                doc = tried;
            }
        }
    }
    (text(&doc), accepted.len())
}

/// Points each deprecated code at the last code before it that is not deprecated, if any, as
/// `Draw::code` does with the codes kept before it.
fn replacements(codes: &mut [Value]) {
    let mut live: Option<Value> = None;
    for code in codes.iter_mut() {
        match code.get_mut("deprecated") {
            Some(deprecated) => {
                if let Some(live) = &live {
                    deprecated["replaced_by"] = live.clone();
                }
            }
            None => live = Some(code["code"].clone()),
        }
    }
}

fn text(doc: &Value) -> String {
    let s = serde_json::to_string_pretty(doc).expect("a JSON value serializes");
    // YAML reads only printable characters raw; JSON writes DEL raw (it can only be in a string).
    let mut s = s.replace('\u{7f}', "\\u007f");
    s.push('\n');
    s
}

/// Whether `doc` validates with one plain code (in `style`, or an integer; with details where
/// `details`).
fn accepts(doc: &Value, style: &str, integer: bool, details: bool) -> bool {
    let name = if integer {
        "1001".to_owned()
    } else {
        let words = ["probe", "code"];
        match style {
            "screaming_snake_case" => "PROBE_CODE".to_owned(),
            "pascal_case" => "ProbeCode".to_owned(),
            "camel_case" => "probeCode".to_owned(),
            "kebab-case" => words.join("-"),
            _ => words.join("_"),
        }
    };
    let mut code = json!({
        "code": name,
        "status": 400,
        "category": doc["categories"][0]["id"],
        "description": "A probe.",
        "message": "A probe.",
        "examples": [{ "body": { "error": name, "message": "A probe.", "code": 400 } }],
    });
    if details {
        code["details"] = json!({
            "type": "object",
            "properties": { "n": { "type": "string" } },
        });
    }
    let mut probe = doc.clone();
    probe["errors"] = json!([code]);
    valid(&text(&probe))
}

fn valid(yaml: &str) -> bool {
    codegen::load(&[codegen::Source::new("random.yaml", yaml)]).is_ok()
}

struct Draw {
    rng: Rng,
    wire: &'static str,
    /// The drawn wire's facts (on the other wires, none).
    drawn: Drawn,
    /// The ids of the catalog's categories that codes are in (two, now and then up to six).
    categories: Vec<String>,
}

/// How many codes `Draw::codes` tries together: a catalog is validated once for a batch that
/// holds, not once a code.
const BATCH: usize = 32;

impl Draw {
    /// Up to `codes` codes, drawn one after another and each kept if the catalog (`doc`) still
    /// validates with it, as if each were checked in turn, with their names and whether each is
    /// deprecated. Checking the whole catalog for each code made drawing quadratic (a 289-code
    /// catalog took 100 s in the debug xtask), so a code is first checked alone (what is wrong
    /// with a code alone is wrong in any catalog, and so is a code already kept), then codes are
    /// kept a batch at a time, and a batch the catalog refuses is cut, by bisection, before its
    /// first code the catalog refuses.
    /// Two things make that the same as checking each code in turn: a draw does not depend on
    /// which earlier codes were kept (but for its `replaced_by`, filled in as each is kept), and
    /// adding a code to a catalog never takes an error away. The draws stop where the
    /// code-by-code loop would have stopped, so what is drawn after the codes is the same too.
    fn codes(
        &mut self,
        doc: &mut Value,
        style: &str,
        codes: usize,
    ) -> (Vec<Value>, Vec<(String, bool)>) {
        // A few more tries than four a code: one refused draw would leave a catalog of one code
        // empty.
        let tries = codes * 4 + 8;
        let start = Rng(self.rng.0);
        // Each draw, whether it validates alone, and the generator's state after it.
        let mut drawn: Vec<(Value, bool, u64)> = Vec::new();
        let mut accepted: Vec<Value> = Vec::new();
        let mut next = 0;
        while accepted.len() < codes && next < tries {
            let mut batch = Vec::new();
            let mut i = next;
            while batch.len() < BATCH.min(codes - accepted.len()) && i < tries {
                if drawn.len() == i {
                    let code = self.code(style, i, &[]);
                    let mut alone = doc.clone();
                    alone["errors"] = json!([code]);
                    let ok = valid(&text(&alone));
                    drawn.push((code, ok, self.rng.0));
                }
                // A code the catalog already has is refused whatever else it holds.
                if drawn[i].1 && !accepted.iter().any(|a| a["code"] == drawn[i].0["code"]) {
                    batch.push(i);
                }
                i += 1;
            }
            let with = |n: usize| -> Vec<Value> {
                let mut codes = accepted.clone();
                codes.extend(batch[..n].iter().map(|&b| drawn[b].0.clone()));
                replacements(&mut codes);
                codes
            };
            let holds = |n: usize| -> bool {
                let mut tried = doc.clone();
                tried["errors"] = Value::Array(with(n));
                valid(&text(&tried))
            };
            if holds(batch.len()) {
                accepted = with(batch.len());
                next = i;
                continue;
            }
            // The longest prefix that holds: `kept` holds (none of the batch, at worst), `refused`
            // does not.
            let (mut kept, mut refused) = (0, batch.len());
            while refused - kept > 1 {
                let mid = (kept + refused) / 2;
                if holds(mid) {
                    kept = mid;
                } else {
                    refused = mid;
                }
            }
            accepted = with(kept);
            next = batch[kept] + 1;
        }
        self.rng = if next == 0 {
            start
        } else {
            Rng(drawn[next - 1].2)
        };
        doc["errors"] = Value::Array(accepted.clone());
        let names = accepted
            .iter()
            .map(|c| {
                let name = c["code"].as_str().unwrap_or_default().to_owned();
                (name, c.get("deprecated").is_some())
            })
            .collect();
        (accepted, names)
    }

    fn text(&mut self) -> String {
        // Now and then a long one: a few kilobytes on one line.
        if self.rng.chance(2) {
            return "A long line of words that goes on. ".repeat(120);
        }
        (*self.rng.pick(TEXTS)).to_owned()
    }

    /// Text for a key: never the long line (YAML reads a key of at most 1,024 characters in
    /// the flow style the catalog is written in).
    fn key(&mut self) -> String {
        (*self.rng.pick(TEXTS)).to_owned()
    }

    fn head(&mut self, seed: u64, style: &str) -> Value {
        let error_type = *self.rng.pick(&[
            "RandomError",
            "ApiError",
            "Err2",
            "AVeryLongErrorTypeNameOf32Bytes0",
            "Problem",
            "ServiceFault",
            "Catalog",
            "Status",
            "Message",
        ]);
        let mut api = json!({
            "name": format!("Random {seed}"),
            "version": "1.0.0",
            "description": self.text(),
            "docs_url": "https://docs.random.test/errors",
            "code_style": style,
            "packages": {
                "rust": format!("random-{seed}-errors"),
                "typescript": format!("@random/errors-{seed}"),
                "python": format!("random-{seed}-errors"),
                "error_type": error_type,
            },
        });
        let mut doc = json!({});
        match self.wire {
            "flat" => {
                if self.rng.chance(30) {
                    let content_type = *self.rng.pick(&[
                        "application/vnd.random.error+json",
                        "application/json; charset=utf-8",
                    ]);
                    api["wire"] = json!({ "preset": "flat", "content_type": content_type });
                }
                doc["envelope"] = json!({ "fields": {
                    "error": { "type": "string", "required": true, "description": "Code" },
                    "message": { "type": "string", "required": true, "description": "Message" },
                    "code": { "type": "integer", "required": true, "description": "Status" },
                    "details": { "type": "object", "required": false, "description": "Details" },
                    "request_id": { "type": "string", "required": self.rng.chance(30), "description": "Request" },
                    "timestamp": { "type": "string", "required": false, "description": "Time" },
                }});
            }
            "rfc9457" => api["wire"] = json!("rfc9457"),
            "custom_list" => {
                api["wire"] = json!({
                    "content_type": "application/vnd.api+json",
                    "code": "/errors/0/code",
                    "message": "/errors/0/detail",
                    "title": "/errors/0/title",
                    "details": "/errors/0/meta",
                    "fields": {
                        "request_id": { "at": "/meta/requestId", "description": self.text() },
                    },
                });
            }
            "custom_header" => {
                api["wire"] = json!({
                    "content_type": "application/json",
                    "code": ["/error/code", { "header": "X-Error-Code", "required": false }],
                    "message": "/error/message",
                    "status": { "at": "/error/status", "required": false },
                    "docs_url": "/error/doc_url",
                    "details": "/error/details",
                    "fields": {
                        "attempt": { "at": "/error/attempt", "type": "integer", "description": self.text() },
                        "trace": { "header": "X-Trace", "description": "A trace id." },
                        "class": { "at": "/error/class" },
                    },
                });
            }
            "aip193" => {
                api["wire"] = json!({ "preset": "aip193" });
                if self.rng.chance(40) {
                    api["wire"]["domain"] =
                        json!(
                            *self
                                .rng
                                .pick(&["pubsub.random-test.example", "x", "a-b.c-d.e",])
                        );
                }
            }
            "aws_json" => {
                api["wire"] = json!({ "preset": "aws_json" });
                if self.rng.chance(40) {
                    api["wire"]["content_type"] = json!(*self.rng.pick(&[
                        "application/x-amz-json-1.0",
                        "application/json",
                        "application/vnd.random+json; charset=utf-8",
                    ]));
                }
            }
            preset => api["wire"] = json!({ "preset": preset }),
        }
        doc["api"] = api;
        let statuses: Map<String, Value> = STATUSES
            .iter()
            .map(|s| (s.to_string(), json!(format!("Status {s}"))))
            .collect();
        doc["statuses"] = Value::Object(statuses);
        doc["categories"] = json!([
            { "id": "first", "title": "First Errors", "description": self.text() },
            { "id": "second_group", "title": self.text() },
        ]);
        doc
    }

    /// Replaces the head's wire with a custom wire drawn whole: the code at a body pointer (in
    /// any `form`), in a typed list entry, or in a header beside one; the message, status,
    /// title, docs link, retry delay and details (inline, beside the others, or in an object of
    /// their own), each present or not and required or not; free fields of either type, with
    /// formats, in the body or a header; pointers through lists and with escaped steps. A draw
    /// is kept once a catalog of one plain code validates with it (validation refuses the
    /// impossible combinations), so the codes then drawn meet a wire nobody wrote.
    fn drawn_wire(&mut self, doc: &mut Value) {
        let style = doc["api"]["code_style"]
            .as_str()
            .unwrap_or("any")
            .to_owned();
        for _ in 0..64 {
            let (wire, drawn) = self.wire_draw();
            let mut probe = doc.clone();
            probe["api"]["wire"] = wire.clone();
            if drawn.integer {
                probe["api"]
                    .as_object_mut()
                    .map(|api| api.remove("code_style"));
            }
            if accepts(&probe, &style, drawn.integer, drawn.details) {
                *doc = probe;
                self.drawn = drawn;
                return;
            }
        }
        // Every draw refused (no seed so far): JSON:API's list, which always validates.
        self.wire = "custom_list";
        let fallback = self.head(0, &style);
        doc["api"]["wire"] = fallback["api"]["wire"].clone();
    }

    /// Category ids drawn from words that are keywords or the packages' own names (each becomes
    /// a Python class `{Id}Errors`), kept if the catalog validates with them.
    fn categories(&mut self, doc: &mut Value, style: &str) {
        const IDS: &[&str] = &[
            "first",
            "second_group",
            "2fa",
            "type",
            "class",
            "errors",
            "base",
            "x",
            "retry",
            "oauth2_v2",
            "none",
            "self",
            "http",
            "wire",
            "error",
            "known",
            "unknown",
        ];
        let first = *self.rng.pick(IDS);
        let second = *self.rng.pick(IDS);
        let mut tried = doc.clone();
        tried["categories"][0]["id"] = json!(first);
        tried["categories"][1]["id"] = json!(second);
        let details = self.wire != "drawn" || self.drawn.details;
        if first != second && accepts(&tried, style, self.drawn.integer, details) {
            *doc = tried;
            self.categories = vec![first.into(), second.into()];
        }
        // Now and then more categories (more docs pages and Python category classes), codes
        // spread over all of them; the longest id of the limit among them.
        if self.rng.chance(30) {
            for _ in 0..1 + self.rng.below(4) {
                let id = if self.rng.chance(20) {
                    let mut id = format!("c{}_", self.categories.len());
                    while id.len() < 64 {
                        id.push_str("long_");
                    }
                    id.truncate(63);
                    id + "x"
                } else {
                    (*self.rng.pick(IDS)).to_owned()
                };
                if self.categories.contains(&id) {
                    continue;
                }
                let mut tried = doc.clone();
                if let Some(list) = tried["categories"].as_array_mut() {
                    list.push(json!({ "id": id, "title": self.text() }));
                }
                if accepts(&tried, style, self.drawn.integer, details) {
                    *doc = tried;
                    self.categories.push(id);
                }
            }
        }
    }

    /// The catalog-wide sections, each kept only if the catalog still validates with it: a
    /// retry configuration at and between its bounds, a version with pre-release and build
    /// parts, a license, guidance pages in hostile Markdown, and retired codes.
    fn shared_sections(&mut self, doc: &mut Value, seed: u64, style: &str) {
        let integer = self.drawn.integer;
        let details = self.wire != "drawn" || self.drawn.details;
        let keep = |doc: &mut Value, path: &[&str], value: Value| {
            let mut tried = doc.clone();
            let mut at = &mut tried;
            for step in &path[..path.len() - 1] {
                at = &mut at[*step];
            }
            at[path[path.len() - 1]] = value;
            if accepts(&tried, style, integer, details) {
                *doc = tried;
            }
        };
        if self.rng.chance(50) {
            let mut retry = Map::new();
            for (key, values) in [
                ("max_attempts", &[1_u64, 2, 3, 7, 100][..]),
                ("initial_delay_ms", &[1, 250, 1000, 3_600_000]),
                ("multiplier", &[1, 2, 3, 10]),
                ("max_delay_ms", &[1, 999, 30_000, 86_400_000]),
                ("default_delay_seconds", &[0, 1, 60, 86_400]),
            ] {
                if self.rng.chance(70) {
                    retry.insert(key.into(), json!(*self.rng.pick(values)));
                }
            }
            keep(doc, &["retry"], Value::Object(retry));
        }
        if self.rng.chance(50) {
            let version = *self.rng.pick(&[
                "0.0.1",
                "2.0.0-beta.1",
                "1.0.0+build.5",
                "10.20.30-rc.1+b.2",
                "1.2.3-alpha",
                "3.0.0-0.3.7",
                "9007199254740991.0.0",
            ]);
            keep(doc, &["api", "version"], json!(version));
        }
        if self.rng.chance(40) {
            let license = *self.rng.pick(&[
                "MIT",
                "MIT OR Apache-2.0",
                "Apache-2.0 WITH LLVM-exception",
                "(MIT OR Apache-2.0) AND BSD-3-Clause",
                "LicenseRef-Proprietary",
            ]);
            keep(doc, &["api", "license"], json!(license));
        }
        if self.rng.chance(50) {
            let guidance: Vec<Value> = (0..1 + self.rng.below(3))
                .map(|i| {
                    let id = *self
                        .rng
                        .pick(&["retry-logic", "x", "2fa", "a-b-c", "errors"]);
                    json!({
                        "id": format!("{id}-{i}"),
                        "title": self.text(),
                        "body": *self.rng.pick(MARKDOWN),
                    })
                })
                .collect();
            keep(doc, &["guidance"], Value::Array(guidance));
        }
        if !integer && self.rng.chance(25) {
            // A pattern beside the style: some drawn codes then fail it and are not kept.
            let pattern = *self.rng.pick(&["^[^0-9]", "^.{1,40}$", "[a-z]", "^(?!x)"]);
            keep(doc, &["api", "code_pattern"], json!(pattern));
        }
        if self.wire == "flat" && self.rng.chance(30) {
            let example = json!({
                "error": "some_code",
                "message": self.text(),
                "code": 400,
                "details": { "field": self.text() },
                "request_id": "req_1",
            });
            keep(doc, &["envelope", "example"], example);
        }
        if self.rng.chance(60) {
            self.packages(doc, seed, style);
        }
        if self.rng.chance(30) {
            // No `packages`: every name derives from `api.name`.
            let mut tried = doc.clone();
            let name = *self.rng.pick(&[
                "Ünï Café's \"API\" 2",
                "2fa Service",
                "the-api",
                "ACME Corp. (EU)",
                "x",
                "Errors",
                "Type Script",
            ]);
            // With the seed: the grid's crates share one workspace, where two of one name clash.
            tried["api"]["name"] = json!(format!("{name} {seed}"));
            tried["api"].as_object_mut().map(|a| a.remove("packages"));
            if accepts(&tried, style, integer, details) {
                *doc = tried;
            }
        }
        if self.rng.chance(30) {
            let url = *self.rng.pick(&[
                "https://docs.random.test/errors/",
                "http://localhost:8080/a/b",
                "https://random.test",
                "https://docs.random.test/a%20b/(v2)/",
            ]);
            keep(doc, &["api", "docs_url"], json!(url));
        }
        if self.rng.chance(40) {
            for status in STATUSES {
                if self.rng.chance(30) {
                    let text = self.text();
                    keep(doc, &["statuses", &status.to_string()], json!(text));
                }
            }
        }
        if self.wire == "flat" && self.rng.chance(40) {
            for field in [
                "error",
                "message",
                "code",
                "details",
                "request_id",
                "timestamp",
            ] {
                let text = self.text();
                keep(
                    doc,
                    &["envelope", "fields", field, "description"],
                    json!(text),
                );
            }
            keep(
                doc,
                &["envelope", "fields", "timestamp", "format"],
                json!("date-time"),
            );
        }
        if self.rng.chance(20) {
            // A category no code is in.
            let mut categories = doc["categories"].as_array().cloned().unwrap_or_default();
            categories.push(
                json!({ "id": "empty_one", "title": self.text(), "description": self.text() }),
            );
            keep(doc, &["categories"], Value::Array(categories));
        }
        if self.rng.chance(40) {
            let retired: Vec<Value> = (0..1 + self.rng.below(3))
                .map(|i| {
                    let code = if integer {
                        self.integer_code()
                    } else {
                        self.name(style, 1 + i)
                    };
                    let mut r = json!({ "code": code, "version": "0.1.0", "reason": self.text() });
                    if self.rng.chance(40) {
                        r["category"] = json!(self.categories[i % self.categories.len()]);
                    }
                    r
                })
                .collect();
            keep(doc, &["retired"], Value::Array(retired));
        }
    }

    /// Package names at the edges of what validation accepts, each kept only if the catalog
    /// still validates with it (or left out: that name then derives from `api.name`). Crate
    /// names always hold the seed, before a separator, so no two seeds' crates clash in the
    /// grid's one workspace: the longest (64 bytes), the shortest the seed allows, underscores
    /// or hyphens or both, digits, words that are keywords or crates in some target. npm and
    /// Python names need not be unique: scoped and not, the longest (214 bytes; 64 for
    /// Python), one letter, `.`, `_`, `~` and leading `-` or digits, keywords and builtins,
    /// names of tools, Python names in capitals and with dots that differ from their import
    /// name.
    fn packages(&mut self, doc: &mut Value, seed: u64, style: &str) {
        let integer = self.drawn.integer;
        let details = self.wire != "drawn" || self.drawn.details;
        let filled = |head: String, filler: &str, len: usize, last: char| {
            let mut name = head;
            while name.len() < len {
                name.push_str(filler);
            }
            name.truncate(len - 1);
            name.push(last);
            name
        };
        let word = *self.rng.pick(&[
            "type", "self", "crate", "async", "super", "serde", "tokio", "http", "core", "test",
            "errors", "r", "x",
        ]);
        let rust = match self.rng.below(8) {
            0 => format!("rnd_{seed}_errors"),
            1 => format!("r{seed}"),
            2 => filled(format!("l{seed}-"), "a_b-c9-", 64, 'z'),
            3 => format!("{word}-{seed}"),
            4 => format!("{word}_{seed}_x"),
            5 => format!("v2-api{seed}-e2e"),
            6 => format!("Mixed_{seed}-Case"),
            _ => format!("random-{seed}-errors"),
        };
        let typescript = match self.rng.below(14) {
            0 => format!("random-errors-{seed}"),
            1 => "@a/b".to_owned(),
            2 => "a".to_owned(),
            3 => filled(format!("@s{seed}/"), "n.a_m~e-", 214, '9'),
            4 => filled(format!("long-{seed}-"), "x.y_z-", 214, 'q'),
            5 => "@x.y~z/p_q.r~s-1".to_owned(),
            6 => (*self.rng.pick(&[
                "class",
                "constructor",
                "prototype",
                "default",
                "typeof",
                "node",
                "typescript",
                "tslib",
                "undefined",
            ]))
            .to_owned(),
            7 => (*self.rng.pick(&["2fa", "0", "404-errors"])).to_owned(),
            8 => "@a/types".to_owned(),
            9 => (*self
                .rng
                .pick(&["errors.js", "a..b", "-leading", "~tilde", "x~"]))
            .to_owned(),
            10 => format!("@{seed}/{seed}"),
            _ => format!("@random/errors-{seed}"),
        };
        let python = match self.rng.below(12) {
            0 => format!("Random.Errors_{seed}"),
            1 => (*self.rng.pick(&["a", "Z", "x1"])).to_owned(),
            2 => filled(format!("P{seed}."), "Long-name_", 64, '0'),
            3 => (*self.rng.pick(&[
                "match", "type", "case", "print", "object", "list", "self", "cls", "None-x", "True",
            ]))
            .to_owned(),
            4 => format!("a-_-b.{seed}"),
            5 => format!("v2.api{seed}"),
            6 => (*self
                .rng
                .pick(&["conftest", "build", "setup", "six", "testing", "flit_core"]))
            .to_owned(),
            7 => format!("Foo-Bar.baz{seed}"),
            _ => format!("random-{seed}-errors"),
        };
        let error_type = *self.rng.pick(&[
            "Eh", "E2e9", "Api", "Json", "Errors", "Http", "Python", "Node", "Crate", "Abc",
        ]);
        let packages = [
            ("rust", rust),
            ("typescript", typescript),
            ("python", python),
            ("error_type", error_type.to_owned()),
        ];
        for (key, name) in packages {
            let mut tried = doc.clone();
            if self.rng.chance(15) {
                // Left out: it derives from `api.name` (`Random <seed>`).
                tried["api"]["packages"]
                    .as_object_mut()
                    .map(|p| p.remove(key));
            } else if self.rng.chance(70) {
                tried["api"]["packages"][key] = json!(name);
            } else {
                continue;
            }
            if accepts(&tried, style, integer, details) {
                *doc = tried;
            }
        }
    }

    /// One draw of a custom wire (which may not validate), and what codes must know of it.
    fn wire_draw(&mut self) -> (Value, Drawn) {
        let mut drawn = Drawn::default();
        let prefix = *self.rng.pick(&[
            "",
            "/error",
            "/errors/0",
            "/response/error",
            "/e~1rr",
            "/Fehler/ünï",
            "/error/0",
        ]);
        let mut steps: Vec<&str> = STEPS.to_vec();
        let mut at = |rng: &mut Rng, root: &str| {
            let step = steps.swap_remove(rng.below(steps.len()));
            format!("{root}/{step}")
        };
        let list_at = at(&mut self.rng, prefix);
        let mut wire = Map::new();
        if self.rng.chance(30) {
            wire.insert(
                "content_type".into(),
                json!(*self.rng.pick(&[
                    "application/json; charset=utf-8",
                    "application/vnd.random+json",
                    "application/problem+json",
                    "text/json",
                ])),
            );
        }
        let form = match self.rng.below(10) {
            0 | 1 => Some("integer"),
            2 => Some("type_uri"),
            3 => Some("aws_shape"),
            _ => None,
        };
        drawn.integer = form == Some("integer");
        drawn.type_uri = form == Some("type_uri");
        let body = |pointer: String, required: Option<bool>| {
            let mut p = json!({ "at": pointer });
            if let Some(f) = form {
                p["form"] = json!(f);
            }
            if let Some(r) = required {
                p["required"] = json!(r);
            }
            p
        };
        let header = json!({ "header": *self.rng.pick(&["X-Error-Code", "x-code", "Error-Type"]), "required": false });
        let list = self.rng.below(10) == 3;
        let code = match if list { 3 } else { self.rng.below(10) } {
            0 => json!([body(at(&mut self.rng, prefix), None), header]),
            1 => json!([header, body(at(&mut self.rng, prefix), None)]),
            2 => json!([
                body(at(&mut self.rng, prefix), None),
                body(at(&mut self.rng, ""), Some(false))
            ]),
            3 => {
                let mut entry = json!({
                    "list": list_at.clone(),
                    "where": { "@type": "type.random.test/ErrorInfo" },
                    "at": "/reason",
                });
                if let Some(f) = form {
                    entry["form"] = json!(f);
                }
                entry
            }
            _ => body(at(&mut self.rng, prefix), None),
        };
        let mut code = code;
        if self.rng.chance(20)
            && let Some(place) = code.as_object_mut()
        {
            place.insert("description".into(), json!(self.text()));
        }
        wire.insert("code".into(), code);
        let message = at(&mut self.rng, prefix);
        let message = match self.rng.below(20) {
            0..=2 => json!({ "at": message, "required": false }),
            // Alternatives: the first present is read, the first is written.
            3 | 4 => {
                let other = at(&mut self.rng, "");
                json!([message, { "at": other, "required": false }])
            }
            // In the typed list entry the code is in.
            5 | 6 if list => json!({
                "list": list_at.clone(),
                "where": { "@type": "type.random.test/ErrorInfo" },
                "at": "/message",
            }),
            7 => json!({ "at": message, "description": self.text() }),
            _ => json!(message),
        };
        wire.insert("message".into(), message);
        if self.rng.chance(60) {
            let status = at(&mut self.rng, prefix);
            wire.insert(
                "status".into(),
                if self.rng.chance(30) {
                    json!({ "at": status, "required": false, "description": self.text() })
                } else {
                    json!(status)
                },
            );
        }
        for (key, chance) in [("title", 25), ("docs_url", 25), ("retry_delay", 20)] {
            if self.rng.chance(chance) {
                let pointer = at(&mut self.rng, prefix);
                wire.insert(key.into(), json!({ "at": pointer }));
                match key {
                    "title" => drawn.title = true,
                    "docs_url" => drawn.docs_url = true,
                    _ => drawn.retry_delay = true,
                }
            }
        }
        if self.rng.chance(75) {
            drawn.details = true;
            let details = match self.rng.below(3) {
                0 => json!("inline"),
                1 if !prefix.is_empty() && !prefix.ends_with("/0") => json!(prefix),
                _ => json!(at(&mut self.rng, prefix)),
            };
            wire.insert("details".into(), details);
        }
        let mut fields = Map::new();
        for _ in 0..self.rng.below(4) {
            let (name, kind, format) = *self.rng.pick(WIRE_FIELDS);
            if fields.contains_key(name) {
                continue;
            }
            let in_header = kind == "string" && format.is_none() && self.rng.chance(25);
            let mut field = if in_header {
                json!({ "header": format!("X-Field-{}", name.replace('_', "-")) })
            } else {
                let root = if self.rng.chance(30) { "/meta" } else { prefix };
                let mut f = json!({ "at": at(&mut self.rng, root) });
                // A body field every body carries (examples then give it).
                if self.rng.chance(20) {
                    f["required"] = json!(true);
                }
                if kind != "string" {
                    f["type"] = json!(kind);
                }
                if let Some(format) = format {
                    f["format"] = json!(format);
                }
                f
            };
            if self.rng.chance(50) {
                field["description"] = json!(self.text());
            }
            let required = field["required"] == true;
            fields.insert(name.into(), field);
            drawn.fields.push((name, kind, format, in_header, required));
        }
        if !fields.is_empty() {
            wire.insert("fields".into(), Value::Object(fields));
        }
        if self.rng.chance(50) {
            let mut constants = Map::new();
            for name in ["version", "kind"] {
                if self.rng.chance(60) {
                    let root = if self.rng.chance(50) { "" } else { prefix };
                    let value = *self
                        .rng
                        .pick(&["2.0", "Status", "a \"quoted\" `value`", "ünï"]);
                    constants.insert(
                        name.into(),
                        json!({ "at": at(&mut self.rng, root), "value": value }),
                    );
                }
            }
            if !constants.is_empty() {
                wire.insert("constants".into(), Value::Object(constants));
            }
        }
        (Value::Object(wire), drawn)
    }

    /// A name of `words` words in `style`.
    fn name(&mut self, style: &str, words: usize) -> String {
        let mut parts: Vec<String> = (0..words.max(1))
            .map(|_| (*self.rng.pick(WORDS)).to_owned())
            .collect();
        // Now and then, as long as the limit allows.
        if self.rng.chance(15) {
            while parts.iter().map(|p| p.len() + 1).sum::<usize>() < 70 {
                parts.push((*self.rng.pick(WORDS)).to_owned());
            }
            while parts.iter().map(|p| p.len() + 1).sum::<usize>() > 65 && parts.len() > 1 {
                parts.pop();
            }
        }
        let cap = |w: &str| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        };
        match style {
            "screaming_snake_case" => parts.join("_").to_ascii_uppercase(),
            "pascal_case" => parts.iter().map(|w| cap(w)).collect(),
            "camel_case" => {
                let rest: String = parts[1..].iter().map(|w| cap(w)).collect();
                parts[0].clone() + &rest
            }
            "kebab-case" => parts.join("-"),
            "any" => {
                let mut s = String::new();
                for (i, w) in parts.iter().enumerate() {
                    if i > 0 {
                        s.push(*self.rng.pick(&['_', '.', '/', '-']));
                    }
                    s.push_str(&match self.rng.below(3) {
                        0 => w.to_ascii_uppercase(),
                        1 => cap(w),
                        _ => w.clone(),
                    });
                }
                s
            }
            _ => parts.join("_"),
        }
    }

    /// A code of a wire whose codes are integers: small, negative or as large as JavaScript
    /// reads exactly.
    fn integer_code(&mut self) -> String {
        match self.rng.below(4) {
            0 => (1 + self.rng.below(999)).to_string(),
            1 => (10_000 + self.rng.below(90_000)).to_string(),
            2 => format!("-{}", 32_000 + self.rng.below(800)),
            _ => (9_007_199_254_740_991 - self.rng.below(1000) as u64).to_string(),
        }
    }

    /// A property name (`^[A-Za-z][A-Za-z0-9_]*$`), now and then up to 100 bytes.
    fn property(&mut self) -> String {
        let words = 1 + self.rng.below(3);
        let style = if self.rng.chance(50) {
            "snake_case"
        } else {
            "camel_case"
        };
        let mut name = self.name(style, words);
        if self.rng.chance(8) {
            while name.len() < 100 {
                name.push_str("_long");
            }
            name.truncate(100);
        }
        name
    }

    fn code(&mut self, style: &str, index: usize, earlier: &[(String, bool)]) -> Value {
        let words = 1 + self.rng.below(4);
        let name = if self.drawn.integer {
            self.integer_code()
        } else {
            self.name(style, words)
        };
        // On AIP-193, a status without a canonical code needs `wire.status`; now and then a
        // code names its canonical code itself.
        let grpc_status = self.wire == "aip193" && self.rng.chance(25);
        let statuses: &[u16] = if self.wire == "aip193" && !grpc_status {
            &[400, 401, 403, 404, 409, 429, 500, 503]
        } else {
            STATUSES
        };
        let status = *self.rng.pick(statuses);
        let webhook = self.rng.chance(10);
        let mut code = json!({
            "code": name,
            "status": status,
            "category": self.categories[index % self.categories.len()],
            "description": self.text(),
        });
        if webhook {
            code["delivery"] = json!("webhook");
        }

        let details = (self.rng.chance(75) && (self.wire != "drawn" || self.drawn.details))
            .then(|| self.object(0, self.wire == "aip193"));
        let values: Vec<Option<Value>> = (0..1 + self.rng.below(2))
            .map(|_| details.as_ref().map(|d| self.value(d, true)))
            .collect();

        // The message: run-time text, or a template over required scalar fields.
        let mut template = String::new();
        let mut placeholders: Vec<(String, &'static str)> = Vec::new();
        let runtime = self.rng.chance(12);
        if runtime {
            code["message"] = json!({ "runtime": self.text() });
        } else {
            let literal = self.text().replace('{', "{{").replace('}', "}}");
            template.push_str(&literal);
            if let Some(d) = &details {
                for (prop, schema) in d["properties"].as_object().into_iter().flatten() {
                    let required = d["required"]
                        .as_array()
                        .is_some_and(|r| r.iter().any(|x| x == prop.as_str()));
                    if !required || placeholder_kind(schema).is_none() || !self.rng.chance(50) {
                        continue;
                    }
                    // Now and then the same field twice, with another filter.
                    for _ in 0..1 + usize::from(self.rng.chance(15)) {
                        let filter = match placeholder_kind(schema) {
                            Some("label") if self.rng.chance(60) => "label",
                            Some("label" | "string") if self.rng.chance(30) => "capitalize",
                            Some("string") if self.rng.chance(10) => "label",
                            _ => "",
                        };
                        // Sometimes right after the text, with no space.
                        template.push_str(if self.rng.chance(20) { "{" } else { " {" });
                        template.push_str(prop);
                        if !filter.is_empty() {
                            template.push('|');
                            template.push_str(filter);
                        }
                        template.push('}');
                        placeholders.push((prop.clone(), filter));
                    }
                }
            }
            code["message"] = json!(template);
        }
        if let Some(d) = &details {
            code["details"] = d.clone();
            // `type: object` is optional at the top.
            if self.rng.chance(20) {
                code["details"].as_object_mut().map(|o| o.remove("type"));
            }
        }
        if self.rng.chance(15) {
            let since = *self.rng.pick(&["0.1.0", "1.0.0-beta.2", "1.0.0"]);
            code["since"] = json!(since);
        }

        let headers: Vec<(String, String, bool)> = if !webhook && self.rng.chance(30) {
            let mut hs: Vec<(String, String, bool)> = Vec::new();
            for _ in 0..1 + self.rng.below(3) {
                let (h, t) = *self.rng.pick(HEADERS);
                if !hs.iter().any(|(n, _, _)| n.eq_ignore_ascii_case(h)) {
                    hs.push((h.to_owned(), t.to_owned(), self.rng.chance(50)));
                }
            }
            code["headers"] = Value::Array(
                hs.iter()
                    .map(|(n, t, r)| {
                        let mut h = json!({ "name": n, "type": t, "required": r, "description": self.text() });
                        // `string` is the default type.
                        if t == "string" && self.rng.chance(50) {
                            h.as_object_mut().map(|o| o.remove("type"));
                        }
                        h
                    })
                    .collect(),
            );
            hs
        } else {
            Vec::new()
        };

        if self.rng.chance(30) {
            let strategy = *self.rng.pick(&["never", "after_delay", "backoff"]);
            let mut retry = json!({ "strategy": strategy });
            if strategy != "never"
                && let Some(d) = &details
            {
                // Any number field: optional or required, nullable or not.
                let numbers: Vec<String> = d["properties"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(_, s)| {
                        let t = match &s["type"] {
                            Value::Array(t) => t[0].clone(),
                            t => t.clone(),
                        };
                        t == "integer" || t == "number"
                    })
                    .map(|(n, _)| n.clone())
                    .collect();
                if !numbers.is_empty() && self.rng.chance(80) {
                    retry["delay_field"] = json!(*self.rng.pick(&numbers));
                }
            }
            code["retry"] = retry;
        }
        if self.rng.chance(25) {
            // Any of the three parts, or all.
            let mut remediation = json!({
                "solutions": [self.text(), self.text()],
                "common_causes": [self.text()],
                "action": self.text(),
            });
            for part in ["solutions", "common_causes", "action"] {
                if self.rng.chance(30) {
                    remediation.as_object_mut().map(|o| o.remove(part));
                }
            }
            code["remediation"] = remediation;
        }
        if self.rng.chance(10) {
            let mut deprecated = json!({ "reason": self.text() });
            if self.rng.chance(60) {
                deprecated["since"] = json!("0.9.0");
            }
            if let Some((other, _)) = earlier.iter().rev().find(|(_, d)| !d) {
                deprecated["replaced_by"] = json!(other);
            }
            code["deprecated"] = deprecated;
        }
        // The per-code wire keys each wire has a place for: a type URI in each form RFC 9457
        // allows, a title, a canonical AIP-193 status, a docs link.
        let mut wire = Map::new();
        if self.wire == "rfc9457" && self.rng.chance(40) {
            let uri = match self.rng.below(5) {
                0 => format!("https://errors.random.test/p/{index}?v=1#x"),
                1 => format!("urn:random:problem:{index}"),
                2 => format!("/problems/{index}/a%20b"),
                3 => format!("about:random-{index}"),
                _ => format!("tag:random.test,2024:{index}"),
            };
            wire.insert("type".into(), json!(uri));
        }
        if matches!(self.wire, "rfc9457" | "aip193" | "custom_list") && self.rng.chance(30) {
            wire.insert("title".into(), json!(self.text()));
        }
        if matches!(self.wire, "aip193" | "custom_header") && self.rng.chance(30) {
            let url = format!("https://help.random.test/e/{index}?lang=en#top");
            wire.insert("docs_url".into(), json!(url));
        }
        if grpc_status {
            let name = *self.rng.pick(&[
                "FAILED_PRECONDITION",
                "ABORTED",
                "OUT_OF_RANGE",
                "DATA_LOSS",
                "UNKNOWN",
                "INTERNAL",
                "CANCELLED",
                "INVALID_ARGUMENT",
            ]);
            wire.insert("status".into(), json!(name));
        }
        if !wire.is_empty() {
            code["wire"] = Value::Object(wire);
        }
        if self.wire == "drawn" {
            let mut wire = Map::new();
            if self.drawn.type_uri && self.rng.chance(30) {
                wire.insert("type".into(), json!(format!("urn:random:{index}")));
            }
            if self.drawn.title && self.rng.chance(30) {
                wire.insert("title".into(), json!(self.text()));
            }
            if self.drawn.docs_url && self.rng.chance(30) {
                let url = format!("https://docs.random.test/c/{index}?a=b#x");
                wire.insert("docs_url".into(), json!(url));
            }
            if !wire.is_empty() {
                code["wire"] = Value::Object(wire);
            }
        }

        let mut examples = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let message = if runtime {
                self.text()
            } else {
                render(&template, &placeholders, v.as_ref(), details.as_ref())
            };
            let mut body = json!({ "error": name, "message": message, "code": status });
            if let Some(v) = v
                && v.as_object().is_some_and(|o| !o.is_empty())
            {
                body["details"] = v.clone();
            }
            if matches!(self.wire, "flat" | "custom_list") && self.rng.chance(50) {
                body["request_id"] = json!("req_1");
            }
            if self.wire == "custom_header" {
                if self.rng.chance(50) {
                    body["attempt"] = json!(2);
                }
                if self.rng.chance(50) && !webhook {
                    body["trace"] = json!("t-1, t-2");
                }
                if self.rng.chance(30) {
                    body["class"] = json!(self.text());
                }
            }
            if self.wire == "rfc9457" && self.rng.chance(40) {
                let instance = *self.rng.pick(&[
                    "/account/12345/msgs/abc",
                    "https://api.random.test/r/1?x=y",
                    "urn:uuid:123e4567-e89b-12d3-a456-426614174000",
                ]);
                body["instance"] = json!(instance);
            }
            if self.wire == "aip193" {
                if self.rng.chance(30) {
                    body["retry_delay"] = json!(*self.rng.pick(&["30s", "0.5s", "86400s"]));
                }
                if self.rng.chance(30) {
                    body["locale"] = json!(*self.rng.pick(&["en-US", "de", "zh-Hant-TW"]));
                    body["localized_message"] = json!(self.text());
                }
            }
            if self.wire == "drawn" {
                let fields = self.drawn.fields.clone();
                for (field, kind, format, in_header, required) in fields {
                    if (in_header && webhook) || (!required && self.rng.chance(50)) {
                        continue;
                    }
                    body[field] = match (kind, format) {
                        ("integer", _) => {
                            json!(*self.rng.pick(&[0, 3, -1, 9_007_199_254_740_991_i64]))
                        }
                        (_, Some(f)) => {
                            json!(FORMATS.iter().find(|(q, _)| *q == f).map_or("", |x| x.1))
                        }
                        _ if in_header => json!(*self.rng.pick(&["abc-123", "a b", "t=1; u=2"])),
                        _ => json!(self.text()),
                    };
                }
                if self.drawn.retry_delay && self.rng.chance(30) {
                    body["retry_delay"] = json!(*self.rng.pick(&["30s", "1.5s", "0s"]));
                }
            }
            let mut example = json!({ "body": body });
            if i > 0 {
                example["name"] = json!(format!("another_{i}"));
                example["summary"] = json!(self.text());
            } else if self.rng.chance(15) {
                // The first example named, and summed up.
                example["name"] = json!(*self.rng.pick(&["first", "x", "default_2", "0"]));
                example["summary"] = json!(self.text());
            }
            let given: Map<String, Value> = headers
                .iter()
                .filter(|(_, _, required)| *required || self.rng.chance(50))
                .map(|(n, t, _)| {
                    let v = if t == "integer" { "5" } else { "abc-123" };
                    (n.clone(), json!(v))
                })
                .collect();
            if !given.is_empty() {
                example["headers"] = Value::Object(given);
            }
            examples.push(example);
        }
        code["examples"] = Value::Array(examples);
        code
    }

    /// An object schema with properties (`flat_strings`: string fields only, as AIP-193's
    /// metadata).
    fn object(&mut self, depth: usize, flat_strings: bool) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        // A nested object may have no properties at all.
        let count = if depth > 0 && self.rng.chance(8) {
            0
        } else {
            1 + self.rng.below(5)
        };
        for _ in 0..count {
            // `retry_after` is the delay field a retry policy defaults to.
            let name = if depth == 0 && self.rng.chance(10) {
                "retry_after".to_owned()
            } else {
                self.property()
            };
            let schema = if flat_strings {
                self.string_schema(false)
            } else {
                self.schema(depth + 1, true)
            };
            if self.rng.chance(60) {
                required.push(json!(name));
            }
            properties.insert(name, schema);
        }
        required.retain(|r| properties.contains_key(r.as_str().unwrap_or_default()));
        let mut seen = std::collections::BTreeSet::new();
        required.retain(|r| seen.insert(r.to_string()));
        let mut object = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            object["required"] = Value::Array(required);
        }
        if self.rng.chance(40) {
            object["description"] = json!(self.text());
        }
        object
    }

    /// A schema of any kind (`nullable`: it may allow `null`).
    fn schema(&mut self, depth: usize, nullable: bool) -> Value {
        // Mostly shallow, now and then as deep as a schema may nest.
        let kinds = if depth >= 6 || (depth >= 3 && self.rng.chance(60)) {
            4
        } else {
            7
        };
        let mut schema = match self.rng.below(kinds) {
            0 => self.string_schema(true),
            1 => {
                let mut s = json!({ "type": "integer" });
                let low = *self.rng.pick(&[
                    None,
                    Some(-9_007_199_254_740_991_i64),
                    Some(-10),
                    Some(0),
                    Some(1),
                ]);
                let high =
                    *self
                        .rng
                        .pick(&[None, Some(10_i64), Some(1000), Some(9_007_199_254_740_991)]);
                if let Some(l) = low {
                    s["minimum"] = json!(l);
                }
                if let Some(h) = high.filter(|h| low.is_none_or(|l| l <= *h)) {
                    s["maximum"] = json!(h);
                }
                s
            }
            2 => {
                // Bounds written as floats or as integers, down to -1e300 and up to 1e300.
                let mut s = json!({ "type": "number" });
                if self.rng.chance(50) {
                    s["minimum"] = match self.rng.below(5) {
                        0 => json!(0),
                        1 => json!(-1e300),
                        i => json!([-1.5, 0.0, 0.25][i - 2]),
                    };
                }
                if self.rng.chance(50) {
                    s["maximum"] = match self.rng.below(4) {
                        0 => json!(100),
                        1 => json!(1e300),
                        i => json!([2.5, 1e6][i - 2]),
                    };
                }
                s
            }
            3 => json!({ "type": "boolean" }),
            4 => {
                let items = self.schema(depth + 1, false);
                let mut s = json!({ "type": "array", "items": items });
                if self.rng.chance(40) {
                    let min = self.rng.below(3);
                    s["minItems"] = json!(min);
                    if self.rng.chance(50) {
                        s["maxItems"] = json!(min + self.rng.below(4));
                    }
                }
                s
            }
            5 => {
                let values = self.schema(depth + 1, false);
                json!({ "type": "object", "additionalProperties": values })
            }
            _ => self.object(depth, false),
        };
        if self.rng.chance(30) {
            schema["description"] = json!(self.text());
        }
        if nullable && self.rng.chance(20) {
            let t = schema["type"].clone();
            schema["type"] = json!([t, "null"]);
        }
        schema
    }

    fn string_schema(&mut self, any: bool) -> Value {
        let mut s = json!({ "type": "string" });
        // Bounds on the length around a sample's, so that the sample still fits.
        let around = |rng: &mut Rng, s: &mut Value, shortest: usize, longest: usize| {
            if rng.chance(70) {
                s["minLength"] = json!(rng.below(shortest + 1));
            }
            if rng.chance(70) {
                s["maxLength"] = json!(longest + rng.below(3));
            }
        };
        let chars = |t: &str| t.chars().count();
        match self.rng.below(if any { 12 } else { 3 }) {
            0 => {}
            1 => {
                let mut values: Vec<&str> = (0..1 + self.rng.below(4))
                    .map(|_| *self.rng.pick(ENUM_VALUES))
                    .collect();
                values.sort_unstable();
                values.dedup();
                if self.rng.chance(50) {
                    s["labels"] = json!({ values[0]: self.text() });
                }
                s["enum"] = json!(values);
            }
            2 => {
                let min = self.rng.below(3);
                s["minLength"] = json!(min);
                if self.rng.chance(70) {
                    s["maxLength"] = json!(min + 2 + self.rng.below(30));
                }
            }
            3 => s["const"] = json!(*self.rng.pick(ENUM_VALUES)),
            4 => s["pattern"] = json!(self.rng.pick(PATTERNS).0),
            // Keywords together: a format or a pattern with bounds on the length (and a
            // format with a pattern), an enum with bounds, a constant that meets a format or
            // pattern, labels on a free string.
            7 => {
                let (format, sample) = *self.rng.pick(FORMATS);
                s["format"] = json!(format);
                around(&mut self.rng, &mut s, chars(sample), chars(sample));
                if format != "phone" && self.rng.chance(40) {
                    s["pattern"] = json!("^[^ ]+$");
                }
            }
            8 => {
                let (pattern, sample) = *self.rng.pick(PATTERNS);
                s["pattern"] = json!(pattern);
                around(&mut self.rng, &mut s, chars(sample), chars(sample));
            }
            9 => {
                let mut values: Vec<&str> = (0..1 + self.rng.below(4))
                    .map(|_| *self.rng.pick(ENUM_VALUES))
                    .collect();
                values.sort_unstable();
                values.dedup();
                let shortest = values.iter().map(|v| chars(v)).min().unwrap_or(0);
                let longest = values.iter().map(|v| chars(v)).max().unwrap_or(0);
                around(&mut self.rng, &mut s, shortest, longest);
                if self.rng.chance(50) {
                    let labels: Map<String, Value> = values
                        .iter()
                        .map(|v| ((*v).to_owned(), json!(self.text())))
                        .collect();
                    s["labels"] = Value::Object(labels);
                }
                s["enum"] = json!(values);
            }
            10 => {
                let (key, sample) = if self.rng.chance(50) {
                    let (f, sample) = *self.rng.pick(FORMATS);
                    ("format", (f, sample))
                } else {
                    ("pattern", *self.rng.pick(PATTERNS))
                };
                s[key] = json!(sample.0);
                s["const"] = json!(sample.1);
                around(&mut self.rng, &mut s, chars(sample.1), chars(sample.1));
            }
            11 => {
                let labels: Map<String, Value> = (0..1 + self.rng.below(3))
                    .map(|_| (self.key(), json!(self.text())))
                    .collect();
                s["labels"] = Value::Object(labels);
            }
            _ => s["format"] = json!(self.rng.pick(FORMATS).0),
        }
        s
    }

    /// A valid value of `schema` (`null` only where `may_be_null`, for a required field).
    fn value(&mut self, schema: &Value, may_be_null: bool) -> Value {
        let (ty, nullable) = match &schema["type"] {
            Value::Array(t) => (t[0].as_str().unwrap_or_default(), true),
            t => (t.as_str().unwrap_or_default(), false),
        };
        if nullable && may_be_null && self.rng.chance(25) {
            return Value::Null;
        }
        match ty {
            "string" => {
                if let Some(c) = schema.get("const") {
                    return c.clone();
                }
                if let Some(values) = schema["enum"].as_array() {
                    return self.rng.pick(values).clone();
                }
                if let Some(f) = schema["format"].as_str() {
                    let sample = FORMATS.iter().find(|(q, _)| *q == f).map_or("", |x| x.1);
                    return json!(sample);
                }
                if let Some(p) = schema["pattern"].as_str() {
                    let sample = PATTERNS.iter().find(|(q, _)| *q == p).map_or("", |x| x.1);
                    return json!(sample);
                }
                let mut text: Vec<char> = self.text().chars().collect();
                let min = schema["minLength"].as_u64().unwrap_or(0) as usize;
                let max = schema["maxLength"]
                    .as_u64()
                    .map_or(usize::MAX, |m| m as usize);
                text.truncate(max);
                while text.len() < min {
                    text.push('a');
                }
                json!(text.into_iter().collect::<String>())
            }
            "integer" => {
                let low = schema["minimum"].as_i64();
                let high = schema["maximum"].as_i64();
                let choices = [low, high, Some(0), Some(7)];
                let fits = |v: i64| low.is_none_or(|l| v >= l) && high.is_none_or(|h| v <= h);
                let v = choices
                    .iter()
                    .flatten()
                    .copied()
                    .filter(|v| fits(*v))
                    .nth(self.rng.below(2))
                    .or(low)
                    .unwrap_or(0);
                json!(v)
            }
            "number" => {
                let low = schema["minimum"].as_f64();
                let high = schema["maximum"].as_f64();
                let fits = |v: f64| low.is_none_or(|l| v >= l) && high.is_none_or(|h| v <= h);
                // Whole numbers too (`30`, written as an integer), and values each runtime
                // might show differently: exponents, the smallest and largest, `-0.0`.
                if self.rng.chance(20) {
                    let whole = *self.rng.pick(&[0_i64, 2, 30, -7, 1_000_000]);
                    if fits(whole as f64) {
                        return json!(whole);
                    }
                }
                let choices: Vec<f64> = [
                    low,
                    high,
                    Some(0.5),
                    Some(1.25),
                    Some(0.1),
                    Some(64.57),
                    Some(-3.5),
                    Some(-0.0),
                    Some(1e-6),
                    Some(0.00001),
                    Some(1e15),
                    Some(1e16),
                    Some(1e21),
                    Some(12345.678),
                    Some(5e-324),
                    Some(1.7976931348623157e308),
                ]
                .iter()
                .flatten()
                .copied()
                .filter(|v| fits(*v))
                .collect();
                let v = if choices.is_empty() {
                    low.unwrap_or(0.5)
                } else {
                    *self.rng.pick(&choices)
                };
                json!(v)
            }
            "boolean" => json!(self.rng.chance(50)),
            "array" => {
                let min = schema["minItems"].as_u64().unwrap_or(0) as usize;
                let max = schema["maxItems"].as_u64().map_or(min + 2, |m| m as usize);
                let n = min + self.rng.below(max - min + 1);
                Value::Array(
                    (0..n)
                        .map(|_| self.value(&schema["items"], false))
                        .collect(),
                )
            }
            "object" => {
                let mut object = Map::new();
                if let Some(values) = schema.get("additionalProperties") {
                    for _ in 0..self.rng.below(3) {
                        let key = self.key();
                        let value = self.value(values, false);
                        object.insert(key, value);
                    }
                    return Value::Object(object);
                }
                let required = schema["required"].as_array();
                for (prop, s) in schema["properties"].as_object().into_iter().flatten() {
                    let is_required =
                        required.is_some_and(|r| r.iter().any(|x| x == prop.as_str()));
                    if is_required || self.rng.chance(50) {
                        let value = self.value(s, is_required);
                        object.insert(prop.clone(), value);
                    }
                }
                Value::Object(object)
            }
            _ => Value::Null,
        }
    }
}

/// What a template may do with a field of this schema: `label` (a string with labels: an
/// enum's, or a free string's), `string` (capitalize, or label with no labels), `scalar` (a
/// number, boolean or list of scalars); `None` where no placeholder may name it.
fn placeholder_kind(schema: &Value) -> Option<&'static str> {
    match &schema["type"] {
        Value::String(t) if t == "string" && schema.get("labels").is_some() => Some("label"),
        Value::String(t) if t == "string" && schema.get("enum").is_some() => Some("label"),
        Value::String(t) if t == "string" => Some("string"),
        Value::String(t) if t == "integer" || t == "boolean" || t == "number" => Some("scalar"),
        Value::String(t) if t == "array" => match schema["items"]["type"].as_str() {
            Some("string" | "integer" | "number" | "boolean") => Some("scalar"),
            _ => None,
        },
        _ => None,
    }
}

/// `value` as a `number` schema's packages hold it: integers become floats (`7` shows as
/// `7.0`), a list's items too.
fn as_floats(value: &Value, schema: &Value) -> Value {
    match (schema["type"].as_str(), value) {
        (Some("number"), Value::Number(n)) => n.as_f64().map_or(value.clone(), Value::from),
        (Some("array"), Value::Array(items)) => Value::Array(
            items
                .iter()
                .map(|i| as_floats(i, &schema["items"]))
                .collect(),
        ),
        _ => value.clone(),
    }
}

/// The message `template` renders to with these details (the catalog's rules: text as it is,
/// numbers and booleans in JSON form, lists joined with `, `, `capitalize`, `label`).
fn render(
    template: &str,
    placeholders: &[(String, &str)],
    details: Option<&Value>,
    schema: Option<&Value>,
) -> String {
    let mut out = template.replace("{{", "\u{0}").replace("}}", "\u{1}");
    for (prop, filter) in placeholders {
        let value = details.map_or(&Value::Null, |d| &d[prop.as_str()]);
        let property = schema.map_or(&Value::Null, |s| &s["properties"][prop.as_str()]);
        // Numbers as the catalog shows them (`float_text`), the rest as JSON does.
        let text = codegen::template::apply(None, &as_floats(value, property), &[]);
        let text = match *filter {
            "label" => schema
                .and_then(|s| s["properties"][prop.as_str()]["labels"][text.as_str()].as_str())
                .map_or(text.clone(), str::to_owned),
            "capitalize" => {
                let mut c = text.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            }
            _ => text,
        };
        let placeholder = if filter.is_empty() {
            format!("{{{prop}}}")
        } else {
            format!("{{{prop}|{filter}}}")
        };
        out = out.replacen(
            &placeholder,
            &text.replace('{', "\u{2}").replace('}', "\u{3}"),
            1,
        );
    }
    out.replace(['\u{0}', '\u{2}'], "{")
        .replace(['\u{1}', '\u{3}'], "}")
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    #[test]
    fn random_catalogs_are_valid_and_not_empty() {
        for seed in 0..8 {
            let (yaml, codes) = super::catalog(seed, 12);
            assert!(codes >= 6, "seed {seed}: only {codes} codes");
            let sources = [codegen::Source::new("random.yaml", yaml)];
            if let Err(f) = codegen::load(&sources) {
                panic!("seed {seed}: {f}");
            }
        }
    }

    /// Seeds draw every kind of size, and CI's seeds none of the large ones.
    #[test]
    fn sizes_reach_one_code_and_hundreds() {
        let sizes: Vec<usize> = (0..200).map(super::size).collect();
        println!("sizes: {sizes:?}");
        assert!(sizes.contains(&1));
        assert!(sizes.iter().any(|s| (2..=5).contains(s)));
        assert!(sizes.iter().any(|s| (150..=300).contains(s)));
        assert!(sizes.iter().any(|s| (400..=500).contains(s)));
        assert!(sizes[..super::LARGE_FROM as usize].iter().all(|&s| s <= 48));
    }

    /// The codes kept a batch at a time (`Draw::codes`) are the codes kept by checking the
    /// catalog once a code, in catalogs of every wire, and the draws after them are the same.
    #[test]
    fn batches_keep_what_one_by_one_keeps() {
        fn one_by_one(
            draw: &mut super::Draw,
            doc: &mut Value,
            style: &str,
            codes: usize,
        ) -> (Vec<Value>, Vec<(String, bool)>) {
            let mut accepted: Vec<Value> = Vec::new();
            let mut names: Vec<(String, bool)> = Vec::new();
            for attempt in 0..codes * 4 + 8 {
                if accepted.len() == codes {
                    break;
                }
                accepted.push(draw.code(style, attempt, &names));
                doc["errors"] = Value::Array(accepted.clone());
                if super::valid(&super::text(doc)) {
                    let last = &accepted[accepted.len() - 1];
                    let name = last["code"].as_str().unwrap_or_default().to_owned();
                    names.push((name, last.get("deprecated").is_some()));
                } else {
                    accepted.pop();
                }
            }
            doc["errors"] = Value::Array(accepted.clone());
            (accepted, names)
        }
        for seed in 0..14 {
            let codes = super::size(seed).min(20);
            assert_eq!(
                super::catalog(seed, codes),
                super::catalog_kept_by(seed, codes, one_by_one),
                "seed {seed}"
            );
        }
    }

    /// One-code catalogs keep their code.
    #[test]
    fn a_catalog_of_one_code_has_it() {
        for seed in 0..8 {
            assert_eq!(super::catalog(seed, 1).1, 1, "seed {seed}");
        }
    }

    /// Drawn wires differ from seed to seed (a draw validation refuses falls back to one fixed
    /// wire, which must stay rare).
    #[test]
    fn drawn_wires_differ() {
        let drawn = super::WIRES.iter().position(|w| *w == "drawn").unwrap() as u64;
        let step = super::WIRES.len() as u64;
        let wires: std::collections::BTreeSet<String> = (0..16)
            .map(|k| {
                let (yaml, _) = super::catalog(drawn + step * k, 4);
                let doc: serde_json::Value = serde_json::from_str(&yaml).unwrap();
                doc["api"]["wire"].to_string()
            })
            .collect();
        assert!(wires.len() >= 14, "{} distinct wires of 16", wires.len());
    }
}
