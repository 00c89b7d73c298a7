//! Identifiers per target language: case conversion, keywords, and the prefixes that make any
//! valid catalog name a valid identifier. `validate` uses the same functions to reject names that
//! would collide, so emitters never have to.

use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};

/// Prefix for identifiers that would otherwise start with a digit (`2fa_required` -> `E2faRequired`).
const DIGIT_PREFIX: &str = "E";

/// Rust keywords (strict and reserved, all editions) that snake_case names can hit.
const RUST_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either; these get a trailing underscore.
const RUST_NOT_RAW: &[&str] = &["crate", "self", "super", "Self"];

/// Names the generated Rust crate defines at its root or imports; UpperCamel names that equal
/// one of these get a trailing underscore.
const RUST_RESERVED_TYPES: &[&str] = &["Self"];

/// JavaScript/TypeScript reserved words (ES2015+ strict mode plus TS contextual type names)
/// that cannot name a binding.
const TS_RESERVED: &[&str] = &[
    "arguments",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "eval",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "let",
    "new",
    "null",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
    "any",
    "boolean",
    "never",
    "number",
    "object",
    "string",
    "symbol",
    "undefined",
    "unknown",
    "bigint",
];

fn prefix_digit(s: String) -> String {
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{DIGIT_PREFIX}{s}")
    } else {
        s
    }
}

/// UpperCamelCase of a name, made a valid identifier in Rust and TypeScript
/// (`rate_limited` -> `RateLimited`, `2fa_required` -> `E2faRequired`). Non-alphanumeric
/// characters separate words; the result is empty only when the name has no letter or digit.
pub fn pascal(name: &str) -> String {
    let words: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let s = prefix_digit(words.to_upper_camel_case());
    if RUST_RESERVED_TYPES.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// lowerCamelCase, valid as a TypeScript binding (`rate_limited` -> `rateLimited`).
pub fn camel(name: &str) -> String {
    let words: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let s = words.to_lower_camel_case();
    let s = if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{}{s}", DIGIT_PREFIX.to_lowercase())
    } else {
        s
    };
    if TS_RESERVED.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// snake_case as a Rust identifier *string*: keywords become raw (`r#type`) or, where Rust forbids
/// raw identifiers, get a trailing underscore (`self_`). Digit-leading names get a prefix.
pub fn rust_snake(name: &str) -> String {
    let s = name.to_snake_case();
    let s = if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{}{s}", DIGIT_PREFIX.to_lowercase())
    } else {
        s
    };
    if RUST_NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if RUST_KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// The snake_case name without any raw prefix, for building longer names (`type` -> `type`).
pub fn rust_snake_plain(name: &str) -> String {
    rust_snake(name).trim_start_matches("r#").to_string()
}

/// Inherent methods of the generated Rust error type; a code whose constructor would have one
/// of these names gets the constructor `<code>_error` instead.
pub const RUST_ERROR_METHODS: &[&str] = &[
    "from_json",
    "from_body",
    "code",
    "code_str",
    "details_json",
    "is_retryable",
    "retry_policy",
    "retry_decision",
    "with_request_id",
    "with_timestamp",
    "with_header",
    "status_code",
    "new",
];

/// The name of the generated Rust constructor for a code (`rate_limited`, `code_error`).
pub fn rust_constructor(code: &str) -> String {
    let snake = rust_snake(code);
    if RUST_ERROR_METHODS.contains(&snake.as_str()) {
        format!("{}_error", rust_snake_plain(code))
    } else {
        snake
    }
}

/// Crates the generated Rust refers to by relative path. A code becomes a module of the same
/// snake_case name (for its nested types and tests), which would shadow the crate.
pub const RUST_CRATES_USED: &[&str] = &["serde", "serde_json", "http", "axum", "tokio", "tower"];

/// The mdBook page (without `.html`) of a category.
pub fn docs_page(category_id: &str) -> String {
    category_id.replace('_', "-")
}

/// The anchor of a code's section: the code itself, which is already URL- and id-safe.
pub fn docs_anchor(code: &str) -> String {
    code.to_string()
}

/// Every identifier a code becomes, per target, for collision checks.
pub fn code_identifiers(code: &str) -> [(&'static str, String); 4] {
    [
        ("Rust and TypeScript type names", pascal(code)),
        ("Rust module names", rust_snake(code)),
        ("Rust constructor names", rust_constructor(code)),
        ("TypeScript bindings", camel(code)),
    ]
}

/// Every identifier a details property becomes, for collision checks within one object.
pub fn property_identifiers(name: &str) -> [(&'static str, String); 2] {
    [
        ("Rust field names", rust_snake(name)),
        ("Rust and TypeScript type names", pascal(name)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_handles_digits_and_keywords() {
        assert_eq!(pascal("rate_limited"), "RateLimited");
        assert_eq!(pascal("2fa_required"), "E2faRequired");
        assert_eq!(pascal("oauth2_token_expired"), "Oauth2TokenExpired");
        assert_eq!(pascal("self"), "Self_");
        assert_eq!(pascal("type"), "Type");
        assert_eq!(pascal("contacts:read"), "ContactsRead");
        assert_eq!(pascal("1 minute"), "E1Minute");
        assert_eq!(pascal("!!"), "");
    }

    #[test]
    fn rust_snake_handles_keywords() {
        assert_eq!(rust_snake("type"), "r#type");
        assert_eq!(rust_snake("self"), "self_");
        assert_eq!(rust_snake("crate"), "crate_");
        assert_eq!(rust_snake("retryAfter"), "retry_after");
        assert_eq!(rust_snake("2fa_required"), "e2fa_required");
        assert_eq!(rust_snake_plain("type"), "type");
    }

    #[test]
    fn camel_handles_reserved_words() {
        assert_eq!(camel("rate_limited"), "rateLimited");
        assert_eq!(camel("delete"), "delete_");
        assert_eq!(camel("2fa_required"), "e2faRequired");
    }

    #[test]
    fn constructors_avoid_the_error_type_methods() {
        assert_eq!(rust_constructor("rate_limited"), "rate_limited");
        assert_eq!(rust_constructor("from_json"), "from_json_error");
        assert_eq!(rust_constructor("type"), "r#type");
    }

    #[test]
    fn collisions_are_visible() {
        assert_eq!(pascal("oauth2_token"), pascal("oauth_2_token"));
    }
}
