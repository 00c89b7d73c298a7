//! Code the best-practices page shows, as askama templates (`templates/docs/snippets/`)
//! parameterized by the catalog's package and type names. The page shows each one verbatim
//! after a `<!-- snippet: NAME -->` marker; `cargo xtask test docs` extracts them by that marker
//! and compiles the Rust ones against `generated/rust`, type-checks the TypeScript ones
//! against `generated/typescript/src`, and type-checks (mypy --strict) and runs the Python ones
//! against `generated/python/src`, so the docs cannot show code that does not work.
//! Rust snippets are complete programs (`fn main`); TypeScript and Python snippets are modules.

use askama::Template;

use super::SnippetNames;
use super::markdown::fence;

/// Declares a snippet template: its struct, file and fence language.
macro_rules! snippet {
    ($name:ident, $file:literal) => {
        #[derive(Template)]
        #[template(path = $file, escape = "none")]
        struct $name<'a> {
            n: &'a SnippetNames,
        }
    };
}

snippet!(RustRetry, "docs/snippets/retry.rs");
snippet!(TsRetry, "docs/snippets/retry.ts");
snippet!(TsLogging, "docs/snippets/logging.ts");
snippet!(PyRetry, "docs/snippets/retry.py");
snippet!(PyLogging, "docs/snippets/log_errors.py");

fn block(t: &impl Template, lang: &str) -> String {
    let s = t.render().expect("snippet templates render infallibly");
    fence(&text!("{}\n", s.trim_end()), lang)
}

/// (snippet name, fenced block) of each Rust snippet, in page order.
pub fn rust(n: &SnippetNames) -> Vec<(String, String)> {
    vec![("retry.rs".into(), block(&RustRetry { n }, "rust"))]
}

/// (snippet name, fenced block) of each TypeScript snippet, in page order.
pub fn typescript(n: &SnippetNames) -> Vec<(String, String)> {
    vec![
        ("retry.ts".into(), block(&TsRetry { n }, "typescript")),
        ("logging.ts".into(), block(&TsLogging { n }, "typescript")),
    ]
}

/// (snippet name, fenced block) of each Python snippet, in page order.
pub fn python(n: &SnippetNames) -> Vec<(String, String)> {
    vec![
        ("retry.py".into(), block(&PyRetry { n }, "python")),
        ("log_errors.py".into(), block(&PyLogging { n }, "python")),
    ]
}
