//! Identifiers per target language: case conversion, keywords, and the prefixes that make any
//! valid catalog name a valid identifier. `validate` uses the same functions to reject names that
//! would collide, so emitters never have to.

use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};

use crate::model::CodeStyle;

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

/// `name` with every character that is not an ASCII letter or digit as `_` (a word break);
/// borrowed when there is none, as in most codes and property names.
fn word_chars(name: &str) -> std::borrow::Cow<'_, str> {
    if let std::borrow::Cow::Owned(signed) = signed(name) {
        return std::borrow::Cow::Owned(word_chars(&signed).into_owned());
    }
    if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return std::borrow::Cow::Borrowed(name);
    }
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A negative integer code (`form: integer`, JSON-RPC's `-32602`) with its sign as a word
/// (`minus_32602`), so that every identifier says it; any other name as it is.
fn signed(name: &str) -> std::borrow::Cow<'_, str> {
    match name.strip_prefix('-') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => {
            std::borrow::Cow::Owned(text!("minus_{rest}"))
        }
        _ => std::borrow::Cow::Borrowed(name),
    }
}

fn prefix_digit(s: String) -> String {
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        text!("{DIGIT_PREFIX}{s}")
    } else {
        s
    }
}

/// UpperCamelCase of a name, made a valid identifier in Rust and TypeScript
/// (`rate_limited` -> `RateLimited`, `2fa_required` -> `E2faRequired`). Non-alphanumeric
/// characters separate words; the result is empty only when the name has no letter or digit.
pub fn pascal(name: &str) -> String {
    let words = word_chars(name);
    let s = prefix_digit(upper_camel(&words));
    if RUST_RESERVED_TYPES.contains(&s.as_str()) {
        text!("{s}_")
    } else {
        s
    }
}

/// lowerCamelCase, valid as a TypeScript binding (`rate_limited` -> `rateLimited`).
pub fn camel(name: &str) -> String {
    let words = word_chars(name);
    let s = lower_camel(&words);
    let s = if s.starts_with(|c: char| c.is_ascii_digit()) {
        text!("{}{s}", DIGIT_PREFIX.to_lowercase())
    } else {
        s
    };
    if TS_RESERVED.contains(&s.as_str()) {
        text!("{s}_")
    } else {
        s
    }
}

/// snake_case as a Rust identifier *string*: keywords become raw (`r#type`) or, where Rust forbids
/// raw identifiers, get a trailing underscore (`self_`). Digit-leading names get a prefix.
pub fn rust_snake(name: &str) -> String {
    let s = snake(name);
    let s = if s.starts_with(|c: char| c.is_ascii_digit()) {
        text!("{}{s}", DIGIT_PREFIX.to_lowercase())
    } else {
        s
    };
    if RUST_NOT_RAW.contains(&s.as_str()) {
        text!("{s}_")
    } else if RUST_KEYWORDS.contains(&s.as_str()) {
        text!("r#{s}")
    } else {
        s
    }
}

/// The snake_case word a code's response header is named by in generated code, before each
/// target's keyword rules: `X-RateLimit-Limit` -> `x_rate_limit_limit`, and `header` for a name
/// with no letter or digit (`-`, `_`).
pub fn header_word(name: &str) -> String {
    let word = rust_snake_plain(name);
    if word.trim_matches('_').is_empty() {
        "header".to_string()
    } else {
        word
    }
}

/// The snake_case name without any raw prefix, for building longer names (`type` -> `type`).
pub fn rust_snake_plain(name: &str) -> String {
    rust_snake(name).trim_start_matches("r#").to_string()
}

/// Inherent methods of the generated Rust error type (and standard trait methods a
/// constructor could be taken for); a code whose constructor would have one of these names
/// gets the constructor `<code>_error` instead.
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
    // Methods of the error type on a wire other than `flat`.
    "field",
    "with_field",
    "from_response",
    "from_value",
    "to_json",
    "response_headers",
    // Names of standard trait methods whose signature a constructor would have (clippy's
    // `should_implement_trait`): `default()`, `from_str(x)`, `from_iter(x)`.
    "default",
    "from_str",
    "from_iter",
    // Every other function of the fixed sources that implement the error type (its trait
    // methods, which it calls as `Self::try_from(..)`, and its private helpers):
    // `tests::error_type_functions_are_reserved` keeps the list whole.
    "deserialize",
    "fmt",
    "from",
    "into_response",
    "neutral",
    "object",
    "problems",
    "serde",
    "serialize",
    "try_from",
    "try_into",
    "typed",
];

/// The words of a name, lower-cased, in order. Characters other than ASCII letters and digits
/// separate words, and so does a change of case: a lower-case letter or digit followed by an
/// upper-case one (`rateLimited`), and the last capital of a run before a lower-case letter
/// (`EFSIOException` -> `efsio`, `exception`: without a dictionary, `EFSIO` stays one word, as
/// in `heck` and smithy-rs's `splitOnWordBoundaries`). Digits stay with the letters around them
/// (`oauth2`, `22p02`), so `oauth2_token` keeps today's identifiers.
pub fn words(name: &str) -> Vec<String> {
    let name = &*signed(name);
    if plain_snake(name) {
        return name
            .split('_')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
    }
    let spaced: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    spaced
        .to_snake_case()
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// `name` rewritten in `style`, for a diagnostic's did-you-mean: its words (see `words`) joined
/// as the style joins them (`EFSIOException` -> `efsio_exception`, `EFSIO_EXCEPTION`,
/// `EfsioException`). Styles whose pattern needs a leading letter get an `E`/`e` before a
/// leading digit. `my_error`, in the style, when the name has no letter or digit.
pub fn spell_code(name: &str, style: CodeStyle) -> String {
    let mut words = words(name);
    if words.is_empty() {
        words = vec!["my".into(), "error".into()];
    }
    let capitalized = || {
        words
            .iter()
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect::<String>()
    };
    let s = match style {
        CodeStyle::SnakeCase | CodeStyle::Any => words.join("_"),
        CodeStyle::ScreamingSnakeCase => words.join("_").to_ascii_uppercase(),
        CodeStyle::KebabCase => words.join("-"),
        CodeStyle::PascalCase => prefix_digit(capitalized()),
        CodeStyle::CamelCase => {
            let p = capitalized();
            let mut c = p.chars();
            let lower = c
                .next()
                .map(|f| f.to_ascii_lowercase().to_string() + c.as_str())
                .unwrap_or_default();
            if lower.starts_with(|c: char| c.is_ascii_digit()) {
                text!("{}{lower}", DIGIT_PREFIX.to_lowercase())
            } else {
                lower
            }
        }
    };
    // Keep whole words within the length limit.
    let mut out = String::new();
    for ch in s.chars() {
        if out.len() >= crate::validate::MAX_CODE_LEN {
            break;
        }
        out.push(ch);
    }
    out.trim_end_matches(['_', '-']).to_string()
}

/// The name of the generated Rust constructor for a code (`rate_limited`, `code_error`).
pub fn rust_constructor(code: &str) -> String {
    let snake = rust_snake(code);
    if RUST_ERROR_METHODS.contains(&snake.as_str()) {
        text!("{}_error", rust_snake_plain(code))
    } else {
        snake
    }
}

/// Crates the generated Rust refers to by relative path. A code becomes a module of the same
/// snake_case name (for its nested types and tests), which would shadow the crate.
pub const RUST_CRATES_USED: &[&str] = &[
    "std",
    "serde",
    "serde_json",
    "regex",
    "http",
    "axum",
    "tokio",
    "tower",
];

/// Python keywords (hard ones; soft keywords such as `match` and `type` are valid names).
const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Names a generated Python class must not take: builtins the generated code or its users rely
/// on (a class `TimeoutError` would shadow the builtin), the `typing` and standard-library names
/// the package imports, and the package's own fixed names. Such a class gets a trailing `_`.
pub const PYTHON_RESERVED_CLASSES: &[&str] = &[
    // builtins
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BaseException",
    "BaseExceptionGroup",
    "BlockingIOError",
    "BrokenPipeError",
    "BufferError",
    "BytesWarning",
    "ChildProcessError",
    "ConnectionAbortedError",
    "ConnectionError",
    "ConnectionRefusedError",
    "ConnectionResetError",
    "DeprecationWarning",
    "EOFError",
    "Ellipsis",
    "EncodingWarning",
    "EnvironmentError",
    "Exception",
    "ExceptionGroup",
    "FileExistsError",
    "FileNotFoundError",
    "FloatingPointError",
    "FutureWarning",
    "GeneratorExit",
    "IOError",
    "ImportError",
    "ImportWarning",
    "IndentationError",
    "IndexError",
    "InterruptedError",
    "IsADirectoryError",
    "KeyError",
    "KeyboardInterrupt",
    "LookupError",
    "MemoryError",
    "ModuleNotFoundError",
    "NameError",
    "NotADirectoryError",
    "NotImplemented",
    "NotImplementedError",
    "OSError",
    "OverflowError",
    "PendingDeprecationWarning",
    "PermissionError",
    "ProcessLookupError",
    "RecursionError",
    "ReferenceError",
    "ResourceWarning",
    "RuntimeError",
    "RuntimeWarning",
    "StopAsyncIteration",
    "StopIteration",
    "SyntaxError",
    "SyntaxWarning",
    "SystemError",
    "SystemExit",
    "TabError",
    "TimeoutError",
    "TypeError",
    "UnboundLocalError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "UnicodeError",
    "UnicodeTranslateError",
    "UnicodeWarning",
    "UserWarning",
    "ValueError",
    "Warning",
    "ZeroDivisionError",
    // typing, collections.abc, dataclasses, enum
    "Any",
    "Awaitable",
    "Callable",
    "ClassVar",
    "Enum",
    "Final",
    "Generic",
    "Iterable",
    "Literal",
    "Mapping",
    "NoReturn",
    "Optional",
    "Protocol",
    "Self",
    "Sequence",
    "TypeAlias",
    "TypeVar",
    "Union",
    // pathlib, which the package's tests import beside the codes' classes
    "Path",
    // the package's fixed names
    "Envelope",
    "ErrorBodyParseError",
    "ErrorCode",
    "ErrorInfo",
    "KNOWN",
    "Known",
    "Parser",
    "RetiredCode",
    // the runtime's type variables
    "D",
    "E",
    "RetryConfig",
    "RetryDecision",
    "RetryPolicy",
    "T",
];

/// Names a Python attribute must not take: keywords, `self` (the methods' first parameter), the
/// builtin types the generated annotations name (a field `str` would shadow the type `str`
/// inside its class), and `l`, which ruff refuses as ambiguous (E741; `I` and `O` are upper case,
/// which takes a `_` anyway).
const PYTHON_RESERVED_ATTRIBUTES: &[&str] = &[
    "self", "str", "int", "float", "bool", "object", "tuple", "dict", "list", "Literal", "l",
];

/// The Python exception class of a code (`rate_limited` -> `RateLimited`,
/// `timeout_error` -> `TimeoutError_`, `2fa_required` -> `E2faRequired`).
pub fn python_class(code: &str) -> String {
    let words = word_chars(code);
    let s = prefix_digit(upper_camel(&words));
    if PYTHON_RESERVED_CLASSES.contains(&s.as_str())
        || PYTHON_KEYWORDS.contains(&s.as_str())
        || PYTHON_AMBIGUOUS.contains(&s.as_str())
    {
        text!("{s}_")
    } else {
        s
    }
}

/// The Python class of a category: every code of the category derives from it
/// (`rate_limit` -> `RateLimitErrors`). The `Errors` suffix keeps it apart from builtins.
pub fn python_category_class(id: &str) -> String {
    let words = word_chars(id);
    text!("{}Errors", prefix_digit(upper_camel(&words)))
}

/// The `ErrorCode` enum member of a code: its words in upper case (`rate_limited` ->
/// `RATE_LIMITED`, `ResourceNotFound` -> `RESOURCE_NOT_FOUND`, `2fa_required` ->
/// `E2FA_REQUIRED`). Upper case never meets a keyword or an enum method.
pub fn python_member(code: &str) -> String {
    let s = prefix_digit(words(code).join("_").to_ascii_uppercase());
    if PYTHON_AMBIGUOUS.contains(&s.as_str()) {
        text!("{s}_")
    } else {
        s
    }
}

/// Class and enum member names ruff refuses as too like `1` and `0` (E741, E742; the third,
/// `l`, is lower case, which these never are).
const PYTHON_AMBIGUOUS: &[&str] = &["I", "O"];

/// The Python attribute of a details property: the wire name, with a trailing `_` when it is a
/// keyword, `self`, a builtin type the annotations use, or starts with an upper-case letter
/// (which could shadow a generated class); `class` -> `class_`.
pub fn python_attr(name: &str) -> String {
    if PYTHON_KEYWORDS.contains(&name)
        || PYTHON_RESERVED_ATTRIBUTES.contains(&name)
        || name.starts_with(|c: char| c.is_ascii_uppercase())
    {
        text!("{name}_")
    } else {
        name.to_string()
    }
}

/// Names a code constructor's keyword argument must not take besides an attribute's: the
/// builtin its body calls (`super`), the local it gathers the wire's fields in (`fields`) and
/// its own argument for the code's response headers (`headers`).
const PYTHON_RESERVED_PARAMETERS: &[&str] = &["super", "fields", "headers"];

/// The keyword argument of a wire field in each code's constructor: its attribute name, with a
/// trailing `_` also for the names the constructor's body uses (`super` -> `super_`).
pub fn python_param(name: &str) -> String {
    if PYTHON_RESERVED_PARAMETERS.contains(&name) {
        text!("{name}_")
    } else {
        python_attr(name)
    }
}

/// The import name of a Python distribution (`huechat-errors` -> `huechat_errors`).
pub fn python_import_name(distribution: &str) -> String {
    distribution
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Whether a Python import name is usable: an ASCII identifier, not a keyword, not a module of
/// the standard library the package imports, and none of the names the package's own layout
/// and tools give a meaning (`PYTHON_TAKEN_MODULES`).
pub fn python_import_name_problem(name: &str) -> Option<String> {
    let ident = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ident || PYTHON_KEYWORDS.contains(&name) {
        return Some(text!(
            "`{name}` cannot be imported: it must be an ASCII identifier, not a Python keyword"
        ));
    }
    if PYTHON_STDLIB_MODULES.contains(&name) {
        return Some(text!(
            "`{name}` cannot be the Python package's import name: a module of the standard library has it"
        ));
    }
    if let Some((_, why)) = PYTHON_TAKEN_MODULES.iter().find(|(n, _)| *n == name) {
        return Some(text!(
            "`{name}` cannot be the Python package's import name: {why}"
        ));
    }
    if name.starts_with("test_") {
        return Some(text!(
            "`{name}` cannot be the Python package's import name: the generated tests are modules named `test_*` (`test_package`, `test_types`), which mypy would take for the package"
        ));
    }
    None
}

/// Import names outside the standard library that the Python package cannot take, and why:
/// the tests run it inside pytest, so pytest's dependencies (its `Requires-Dist` on every
/// platform and Python the package supports) are imported first and are what the tests get
/// (mypy, which reads `src` first, checks the package instead: only the run fails); mypy
/// refuses to check a module named like one of its typeshed's own; flit and ruff read the
/// package's folders. Each kind failed the Python gates (`pluggy`, `py`, `typing_extensions`,
/// `tests`, `src`, `dist`, `test_package`) on a catalog of that name.
const PYTHON_TAKEN_MODULES: &[(&str, &str)] = &[
    ("pkg", "the generated tests import the package as `pkg`"),
    (
        "pytest",
        "the generated tests run with pytest and import it",
    ),
    ("pluggy", PYTEST_IMPORTS),
    ("iniconfig", PYTEST_IMPORTS),
    ("pygments", PYTEST_IMPORTS),
    ("py", PYTEST_IMPORTS),
    ("packaging", PYTEST_IMPORTS),
    ("exceptiongroup", PYTEST_IMPORTS),
    ("tomli", PYTEST_IMPORTS),
    ("colorama", PYTEST_IMPORTS),
    ("typing_extensions", TYPESHED),
    ("mypy_extensions", TYPESHED),
    ("tests", PACKAGE_FOLDERS),
    ("src", PACKAGE_FOLDERS),
    ("dist", PACKAGE_FOLDERS),
];
const PYTEST_IMPORTS: &str =
    "pytest, which runs the generated tests, imports its own module of that name before them";
const TYPESHED: &str = "mypy refuses a module named like one of its typeshed's own";
const PACKAGE_FOLDERS: &str = "the package has a folder of that name (`tests`, `src`, the build's `dist`), which flit (`tests`, `src`) or ruff (`dist`) would take for it";

/// CPython 3.11's `sys.stdlib_module_names`: a package named like one would shadow the
/// standard module (or be shadowed by it), and ruff sorts its imports as the standard library's.
pub const PYTHON_STDLIB_MODULES: &[&str] = &[
    "__future__",
    "_abc",
    "_aix_support",
    "_ast",
    "_asyncio",
    "_bisect",
    "_blake2",
    "_bootsubprocess",
    "_bz2",
    "_codecs",
    "_codecs_cn",
    "_codecs_hk",
    "_codecs_iso2022",
    "_codecs_jp",
    "_codecs_kr",
    "_codecs_tw",
    "_collections",
    "_collections_abc",
    "_compat_pickle",
    "_compression",
    "_contextvars",
    "_crypt",
    "_csv",
    "_ctypes",
    "_curses",
    "_curses_panel",
    "_datetime",
    "_dbm",
    "_decimal",
    "_elementtree",
    "_frozen_importlib",
    "_frozen_importlib_external",
    "_functools",
    "_gdbm",
    "_hashlib",
    "_heapq",
    "_imp",
    "_io",
    "_json",
    "_locale",
    "_lsprof",
    "_lzma",
    "_markupbase",
    "_md5",
    "_msi",
    "_multibytecodec",
    "_multiprocessing",
    "_opcode",
    "_operator",
    "_osx_support",
    "_overlapped",
    "_pickle",
    "_posixshmem",
    "_posixsubprocess",
    "_py_abc",
    "_pydecimal",
    "_pyio",
    "_queue",
    "_random",
    "_scproxy",
    "_sha1",
    "_sha256",
    "_sha3",
    "_sha512",
    "_signal",
    "_sitebuiltins",
    "_socket",
    "_sqlite3",
    "_sre",
    "_ssl",
    "_stat",
    "_statistics",
    "_string",
    "_strptime",
    "_struct",
    "_symtable",
    "_thread",
    "_threading_local",
    "_tkinter",
    "_tokenize",
    "_tracemalloc",
    "_typing",
    "_uuid",
    "_warnings",
    "_weakref",
    "_weakrefset",
    "_winapi",
    "_zoneinfo",
    "abc",
    "aifc",
    "antigravity",
    "argparse",
    "array",
    "ast",
    "asynchat",
    "asyncio",
    "asyncore",
    "atexit",
    "audioop",
    "base64",
    "bdb",
    "binascii",
    "bisect",
    "builtins",
    "bz2",
    "cProfile",
    "calendar",
    "cgi",
    "cgitb",
    "chunk",
    "cmath",
    "cmd",
    "code",
    "codecs",
    "codeop",
    "collections",
    "colorsys",
    "compileall",
    "concurrent",
    "configparser",
    "contextlib",
    "contextvars",
    "copy",
    "copyreg",
    "crypt",
    "csv",
    "ctypes",
    "curses",
    "dataclasses",
    "datetime",
    "dbm",
    "decimal",
    "difflib",
    "dis",
    "distutils",
    "doctest",
    "email",
    "encodings",
    "ensurepip",
    "enum",
    "errno",
    "faulthandler",
    "fcntl",
    "filecmp",
    "fileinput",
    "fnmatch",
    "fractions",
    "ftplib",
    "functools",
    "gc",
    "genericpath",
    "getopt",
    "getpass",
    "gettext",
    "glob",
    "graphlib",
    "grp",
    "gzip",
    "hashlib",
    "heapq",
    "hmac",
    "html",
    "http",
    "idlelib",
    "imaplib",
    "imghdr",
    "imp",
    "importlib",
    "inspect",
    "io",
    "ipaddress",
    "itertools",
    "json",
    "keyword",
    "lib2to3",
    "linecache",
    "locale",
    "logging",
    "lzma",
    "mailbox",
    "mailcap",
    "marshal",
    "math",
    "mimetypes",
    "mmap",
    "modulefinder",
    "msilib",
    "msvcrt",
    "multiprocessing",
    "netrc",
    "nis",
    "nntplib",
    "nt",
    "ntpath",
    "nturl2path",
    "numbers",
    "opcode",
    "operator",
    "optparse",
    "os",
    "ossaudiodev",
    "pathlib",
    "pdb",
    "pickle",
    "pickletools",
    "pipes",
    "pkgutil",
    "platform",
    "plistlib",
    "poplib",
    "posix",
    "posixpath",
    "pprint",
    "profile",
    "pstats",
    "pty",
    "pwd",
    "py_compile",
    "pyclbr",
    "pydoc",
    "pydoc_data",
    "pyexpat",
    "queue",
    "quopri",
    "random",
    "re",
    "readline",
    "reprlib",
    "resource",
    "rlcompleter",
    "runpy",
    "sched",
    "secrets",
    "select",
    "selectors",
    "shelve",
    "shlex",
    "shutil",
    "signal",
    "site",
    "smtpd",
    "smtplib",
    "sndhdr",
    "socket",
    "socketserver",
    "spwd",
    "sqlite3",
    "sre_compile",
    "sre_constants",
    "sre_parse",
    "ssl",
    "stat",
    "statistics",
    "string",
    "stringprep",
    "struct",
    "subprocess",
    "sunau",
    "symtable",
    "sys",
    "sysconfig",
    "syslog",
    "tabnanny",
    "tarfile",
    "telnetlib",
    "tempfile",
    "termios",
    "textwrap",
    "this",
    "threading",
    "time",
    "timeit",
    "tkinter",
    "token",
    "tokenize",
    "tomllib",
    "trace",
    "traceback",
    "tracemalloc",
    "tty",
    "turtle",
    "turtledemo",
    "types",
    "typing",
    "unicodedata",
    "unittest",
    "urllib",
    "uu",
    "uuid",
    "venv",
    "warnings",
    "wave",
    "weakref",
    "webbrowser",
    "winreg",
    "winsound",
    "wsgiref",
    "xdrlib",
    "xml",
    "xmlrpc",
    "zipapp",
    "zipfile",
    "zipimport",
    "zlib",
    "zoneinfo",
];

/// Node.js 20's `require("module").builtinModules` without subpaths: Node resolves a bare
/// `import ... from "fs"` to the builtin before any package.
pub const NODE_BUILTIN_MODULES: &[&str] = &[
    "_http_agent",
    "_http_client",
    "_http_common",
    "_http_incoming",
    "_http_outgoing",
    "_http_server",
    "_stream_duplex",
    "_stream_passthrough",
    "_stream_readable",
    "_stream_transform",
    "_stream_wrap",
    "_stream_writable",
    "_tls_common",
    "_tls_wrap",
    "assert",
    "async_hooks",
    "buffer",
    "child_process",
    "cluster",
    "console",
    "constants",
    "crypto",
    "dgram",
    "diagnostics_channel",
    "dns",
    "domain",
    "events",
    "fs",
    "http",
    "http2",
    "https",
    "inspector",
    "module",
    "net",
    "os",
    "path",
    "perf_hooks",
    "process",
    "punycode",
    "querystring",
    "readline",
    "repl",
    "stream",
    "string_decoder",
    "sys",
    "timers",
    "tls",
    "trace_events",
    "tty",
    "url",
    "util",
    "v8",
    "vm",
    "wasi",
    "worker_threads",
    "zlib",
];

/// A package-name rule: why a name cannot be used, if it cannot.
pub type NamingRule = fn(&str) -> Option<String>;

/// Why a crate name cannot be used, if it cannot: Cargo's rules, and the generated tests
/// `use` the crate by its identifier, which must not be a keyword.
pub fn crate_name_problem(v: &str) -> Option<String> {
    let shape = v.len() <= 64
        && v.starts_with(|c: char| c.is_ascii_alphabetic())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !shape {
        return Some(text!(
            "`{v}` is not a valid crate name (letters, digits, `-`, `_`; starting with a letter; at most 64)"
        ));
    }
    let ident = v.replace('-', "_");
    if rust_snake(&ident) != ident
        || ["test", "std", "core", "alloc", "proc_macro"].contains(&ident.as_str())
        || RUST_CRATES_USED.contains(&ident.as_str())
    {
        return Some(text!(
            "`{v}` cannot name a crate: `{ident}` is a Rust keyword, a reserved crate name or a crate the generated crate depends on"
        ));
    }
    None
}

/// Why a name cannot be the npm package, if it cannot.
pub fn npm_name_problem(v: &str) -> Option<String> {
    if !is_npm_name(v) {
        return Some(text!(
            "`{v}` is not a valid npm package name (lowercase; optional `@scope/`; letters, digits, `-`, `.`, `_`, `~`)"
        ));
    }
    if let Some(name) = v.strip_prefix("@types/") {
        return Some(text!(
            "`{v}` cannot name the npm package: TypeScript refuses `import ... from \"{v}\"` (TS6137), reading the `@types` scope as declarations of `{name}`"
        ));
    }
    NODE_BUILTIN_MODULES.contains(&v).then(|| {
        text!("`{v}` cannot name the npm package: Node.js reads `import ... from \"{v}\"` as its builtin module")
    })
}

fn is_npm_name(v: &str) -> bool {
    let ok_part = |p: &str| {
        !p.is_empty()
            && !p.starts_with('.')
            && !p.starts_with('_')
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._~".contains(c))
    };
    if v.len() > 214 {
        return false;
    }
    match v.strip_prefix('@') {
        Some(rest) => rest
            .split_once('/')
            .is_some_and(|(s, n)| ok_part(s) && ok_part(n)),
        None => ok_part(v),
    }
}

/// Why a name cannot be the Python distribution, if it cannot: PEP 508's name rule, and its
/// import name (`-` and `.` as `_`) must be importable.
pub fn python_name_problem(v: &str) -> Option<String> {
    let shape = !v.is_empty()
        && v.len() <= 64
        && v.starts_with(|c: char| c.is_ascii_alphabetic())
        && v.ends_with(|c: char| c.is_ascii_alphanumeric())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !shape {
        return Some(text!(
            "`{v}` is not a valid Python distribution name (letters, digits, `-`, `_`, `.`; starting with a letter, ending with a letter or digit; at most 64)"
        ));
    }
    python_import_name_problem(&python_import_name(v))
}

/// The mdBook page (without `.html`) of a category.
pub fn docs_page(category_id: &str) -> String {
    category_id.replace('_', "-")
}

/// The anchor of a code's section: the code itself, as the API spells it. Every code style
/// allows only ASCII letters, digits, `_`, `-`, `.` and `/`, so it is a valid HTML id, a URL
/// fragment as it is, and an mdBook heading id (`{#ResourceNotFound}`, `{#22P02}`). HTML ids are case-sensitive, so it cannot
/// meet mdBook's lower-case ids; `validate` rejects the one id a category page already uses
/// (`category-<page>`, reachable by a kebab-case code).
pub fn docs_anchor(code: &str) -> String {
    code.to_string()
}

/// The id of a category page's title (`category-<page>`), which no code's anchor may take.
pub fn docs_category_anchor(category_id: &str) -> String {
    text!("category-{}", docs_page(category_id))
}

/// The identifiers a code becomes in Rust, for collision checks across codes (the type names
/// are TypeScript's too).
pub fn rust_code_identifiers(code: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Rust and TypeScript type names", pascal(code)),
        ("Rust module names", rust_snake(code)),
        ("Rust constructor names", rust_constructor(code)),
    ]
}

pub fn typescript_code_identifiers(code: &str) -> Vec<(&'static str, String)> {
    vec![("TypeScript bindings", camel(code))]
}

/// Python classes share a module with the category classes and the error type; `validate`
/// checks those together.
pub fn python_code_identifiers(code: &str) -> Vec<(&'static str, String)> {
    vec![("Python `ErrorCode` members", python_member(code))]
}

/// The identifiers a details property becomes, for collision checks within one object.
pub fn rust_property_identifiers(name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Rust field names", rust_snake(name)),
        ("Rust and TypeScript type names", pascal(name)),
    ]
}

pub fn python_property_identifiers(name: &str) -> Vec<(&'static str, String)> {
    vec![("Python attribute names", python_attr(name))]
}

/// The identifiers a wire field (`api.wire.fields`) becomes, for collision checks among them.
pub fn python_wire_field_identifiers(name: &str) -> Vec<(&'static str, String)> {
    vec![("Python constructor keyword arguments", python_param(name))]
}

/// For targets that derive no identifier from the catalog.
pub fn no_identifiers(_: &str) -> Vec<(&'static str, String)> {
    Vec::new()
}

/// Whether heck's case conversions reduce to splitting at `_` (lower-case ASCII letters,
/// digits and `_` only: the usual code and property names), which the functions below then do
/// without heck's character-by-character formatting (most of loading time at 10,000 codes).
fn plain_snake(name: &str) -> bool {
    name.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// heck's `to_upper_camel_case` (`rate_limited` -> `RateLimited`).
fn upper_camel(name: &str) -> String {
    if !plain_snake(name) {
        return name.to_upper_camel_case();
    }
    let mut out = String::with_capacity(name.len());
    for word in name.split('_').filter(|w| !w.is_empty()) {
        out.push(char::from(word.as_bytes()[0].to_ascii_uppercase()));
        out.push_str(&word[1..]);
    }
    out
}

/// heck's `to_lower_camel_case` (`rate_limited` -> `rateLimited`).
fn lower_camel(name: &str) -> String {
    if !plain_snake(name) {
        return name.to_lower_camel_case();
    }
    let mut out = String::with_capacity(name.len());
    for word in name.split('_').filter(|w| !w.is_empty()) {
        if out.is_empty() {
            out.push_str(word);
        } else {
            out.push(char::from(word.as_bytes()[0].to_ascii_uppercase()));
            out.push_str(&word[1..]);
        }
    }
    out
}

/// heck's `to_snake_case` (`rateLimited` -> `rate_limited`), quicker on the names the emitters
/// convert most: snake case already, and class names (`ErrorNumber7Details`).
pub fn snake(name: &str) -> String {
    let name = &*signed(name);
    // Letters and digits where no capital follows a capital (digits between them aside): a word
    // starts at each capital that follows a small letter.
    if name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let mut out = String::with_capacity(name.len() + 4);
        let mut last_letter_upper = None;
        for b in name.bytes() {
            if b.is_ascii_uppercase() {
                match last_letter_upper {
                    Some(true) => return name.to_snake_case(),
                    Some(false) => out.push('_'),
                    None => {}
                }
            }
            if b.is_ascii_alphabetic() {
                last_letter_upper = Some(b.is_ascii_uppercase());
            }
            out.push(char::from(b.to_ascii_lowercase()));
        }
        return out;
    }
    if !plain_snake(name) {
        return name.to_snake_case();
    }
    let mut out = String::with_capacity(name.len());
    for word in name.split('_').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    /// A constructor is an inherent function of the error type, so no code may take the name of
    /// a function that the fixed sources implementing the error type define.
    #[test]
    fn error_type_functions_are_reserved() {
        let fixed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/emit/rust/fixed");
        for file in [
            "error.rs",
            "error_wire.rs",
            "error_details.rs",
            "server.rs",
            "server_wire.rs",
        ] {
            let text = std::fs::read_to_string(fixed.join(file)).expect("a fixed source");
            for (i, _) in text.match_indices("fn ") {
                let name: String = text[i + 3..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                assert!(
                    name.is_empty() || super::RUST_ERROR_METHODS.contains(&name.as_str()),
                    "{file}: `{name}` is not in RUST_ERROR_METHODS"
                );
            }
        }
    }

    #[test]
    fn case_conversions_match_heck() {
        use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};
        // Every name of up to 6 characters over `a`, `1`, `_`, `b`, `A` and `B`, and a few others.
        let mut names = vec![String::new()];
        for len in 1..=6 {
            let mut n = vec![0usize; len];
            loop {
                names.push(
                    n.iter()
                        .map(|&i| ['a', '1', '_', 'b', 'A', 'B'][i])
                        .collect(),
                );
                let Some(k) = n.iter().rposition(|&i| i < 5) else {
                    break;
                };
                n[k] += 1;
                n[k + 1..].iter_mut().for_each(|i| *i = 0);
            }
        }
        names.extend(
            [
                "rateLimited",
                "EFSIOException",
                "ErrorNumber3330Details",
                "HttpStatus2xxV2",
                "a-b",
                "é_x",
                "x__9_",
                "22p02",
            ]
            .map(String::from),
        );
        for name in &names {
            assert_eq!(upper_camel(name), name.to_upper_camel_case(), "{name:?}");
            assert_eq!(lower_camel(name), name.to_lower_camel_case(), "{name:?}");
            assert_eq!(snake(name), name.to_snake_case(), "{name:?}");
            let spaced = name.replace(|c: char| !c.is_ascii_alphanumeric(), " ");
            let heck_words: Vec<String> = spaced
                .to_snake_case()
                .split('_')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect();
            assert_eq!(words(name), heck_words, "{name:?}");
        }
    }
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
    fn python_names_avoid_keywords_builtins_and_fixed_names() {
        assert_eq!(python_class("rate_limited"), "RateLimited");
        assert_eq!(python_class("timeout_error"), "TimeoutError_");
        assert_eq!(python_class("enum"), "Enum_");
        assert_eq!(python_class("error_code"), "ErrorCode_");
        assert_eq!(python_class("2fa_required"), "E2faRequired");
        assert_eq!(python_class("none"), "None_");
        assert_eq!(python_category_class("rate_limit"), "RateLimitErrors");
        assert_eq!(python_category_class("self"), "SelfErrors");
        assert_eq!(python_member("2fa_required"), "E2FA_REQUIRED");
        // ruff's E741 and E742: `I` and `O` look like `1` and `0`.
        assert_eq!(python_member("i"), "I_");
        assert_eq!(python_class("o"), "O_");
        assert_eq!(python_class("l"), "L");
        assert_eq!(python_attr("class"), "class_");
        assert_eq!(python_attr("self"), "self_");
        assert_eq!(python_attr("None"), "None_");
        assert_eq!(python_attr("type"), "type");
        assert_eq!(python_attr("match"), "match");
        assert_eq!(python_attr("Window"), "Window_");
        assert_eq!(python_attr("super"), "super");
        assert_eq!(python_param("super"), "super_");
        assert_eq!(python_param("fields"), "fields_");
        assert_eq!(python_param("class"), "class_");
        assert_eq!(python_param("attempt"), "attempt");
        assert_eq!(python_import_name("huechat-errors"), "huechat_errors");
        assert!(python_import_name_problem("json").is_some());
        assert!(python_import_name_problem("class").is_some());
        assert!(python_import_name_problem("huechat_errors").is_none());
        for taken in [
            "pkg",
            "pytest",
            "pluggy",
            "py",
            "typing_extensions",
            "mypy_extensions",
            "tests",
            "src",
            "dist",
            "test_package",
            "test_types",
            "test_types_2",
        ] {
            assert!(python_import_name_problem(taken).is_some(), "{taken}");
        }
        for free in [
            "conftest",
            "build",
            "flit_core",
            "match",
            "type",
            "testing",
            "a",
        ] {
            assert_eq!(python_import_name_problem(free), None, "{free}");
        }
        // TS6137: the `@types` scope is declarations only; other scopes and names are fine.
        assert!(npm_name_problem("@types/random").is_some());
        for free in [
            "@typesx/random",
            "types",
            "@a/types",
            "@x.y~z/p_q.r~s-1",
            "a..b",
            "-x",
        ] {
            assert_eq!(npm_name_problem(free), None, "{free}");
        }
    }

    #[test]
    fn words_split_case_changes_and_acronyms() {
        let w = |s: &str| words(s).join(" ");
        assert_eq!(w("rate_limited"), "rate limited");
        assert_eq!(
            w("ResourceNotFoundException"),
            "resource not found exception"
        );
        assert_eq!(w("EFSIOException"), "efsio exception");
        assert_eq!(w("API_KEY_INVALID"), "api key invalid");
        assert_eq!(w("invalid-argument"), "invalid argument");
        assert_eq!(w("22P02"), "22p02");
        assert_eq!(w("oauth2_token"), "oauth2 token");
        assert_eq!(w("resourceNotFound"), "resource not found");
        assert_eq!(w("HTTPError"), "http error");
        assert_eq!(w("-32602"), "minus 32602");
    }

    #[test]
    fn identifiers_of_every_style() {
        for (code, pas, snake, cam, member) in [
            (
                "ResourceNotFoundException",
                "ResourceNotFoundException",
                "resource_not_found_exception",
                "resourceNotFoundException",
                "RESOURCE_NOT_FOUND_EXCEPTION",
            ),
            (
                "EFSIOException",
                "EfsioException",
                "efsio_exception",
                "efsioException",
                "EFSIO_EXCEPTION",
            ),
            (
                "API_KEY_INVALID",
                "ApiKeyInvalid",
                "api_key_invalid",
                "apiKeyInvalid",
                "API_KEY_INVALID",
            ),
            ("22P02", "E22p02", "e22p02", "e22p02", "E22P02"),
            (
                "invalid-argument",
                "InvalidArgument",
                "invalid_argument",
                "invalidArgument",
                "INVALID_ARGUMENT",
            ),
            (
                "resourceNotFound",
                "ResourceNotFound",
                "resource_not_found",
                "resourceNotFound",
                "RESOURCE_NOT_FOUND",
            ),
        ] {
            assert_eq!(pascal(code), pas, "{code}");
            assert_eq!(rust_snake(code), snake, "{code}");
            assert_eq!(camel(code), cam, "{code}");
            assert_eq!(python_member(code), member, "{code}");
        }
        // Two spellings of one name meet in every target; `validate` rejects the second.
        assert_eq!(
            crate::emit::code_identifiers("ApiKeyInvalid"),
            crate::emit::code_identifiers("API_KEY_INVALID")
        );
    }

    #[test]
    fn suggestions_are_spelled_in_the_style() {
        use CodeStyle::*;
        assert_eq!(spell_code("EFSIOException", SnakeCase), "efsio_exception");
        assert_eq!(
            spell_code("EFSIOException", ScreamingSnakeCase),
            "EFSIO_EXCEPTION"
        );
        assert_eq!(spell_code("not-found", PascalCase), "NotFound");
        assert_eq!(spell_code("not_found", CamelCase), "notFound");
        assert_eq!(spell_code("NotFound", KebabCase), "not-found");
        assert_eq!(spell_code("22p02", ScreamingSnakeCase), "22P02");
        assert_eq!(spell_code("22p02", PascalCase), "E22p02");
        assert_eq!(spell_code("not found!", Any), "not_found");
        assert_eq!(spell_code("!!", PascalCase), "MyError");
        for (style, _) in CodeStyle::ALL {
            for bad in [
                "EFSIOException",
                "a--b",
                "x y",
                "__",
                "9lives",
                "Already_Mixed-up",
            ] {
                let s = spell_code(bad, style);
                assert!(style.matches(&s), "{bad} -> {s} in {style:?}");
            }
        }
    }

    #[test]
    fn collisions_are_visible() {
        assert_eq!(pascal("oauth2_token"), pascal("oauth_2_token"));
    }
}
