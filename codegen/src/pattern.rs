//! The `pattern` subset: regular expressions that ECMA-262 (with the `u` flag, as JSON Schema
//! validators and the TypeScript guard use them), Rust's `regex` and Python's `re` read the
//! same way, checked on `regex-syntax`'s syntax tree, with the spelling for Rust and Python.
//!
//! Allowed: literal characters, escaped syntax characters (`\.`, `\(` ...), `\n \r \t \f \v`,
//! `\xHH` and `\uHHHH`, `.`, bracketed classes of literals and ranges (negated or not), the
//! quantifiers `? * + {n} {n,} {n,m}` (greedy or lazy), groups `( )` and `(?: )`, `|`, and the
//! anchors `^` and `$`. Everything else is rejected by name: the shorthand classes `\d \w \s`
//! (ASCII in ECMA-262, Unicode in Rust and Python), word boundaries, named groups, flags,
//! look-around and back-references (not in Rust), Unicode classes, nested classes and set
//! operations (not in ECMA-262 without the `v` flag).
//!
//! Two constructs differ in meaning and are rewritten: `.` matches any code point but `\n`,
//! `\r`, U+2028 and U+2029 in ECMA-262, so it becomes that class in Rust and Python; `$` is the
//! end of the text in ECMA-262 and Rust but also matches before a final `\n` in Python, where it
//! becomes `\Z`.

use regex_syntax::ast::{
    self, AssertionKind, Ast, ClassSet, ClassSetItem, GroupKind, HexLiteralKind, LiteralKind,
    SpecialLiteralKind,
};

/// A pattern in the subset, spelled for each engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spellings {
    /// For Rust's `regex` (used to check examples).
    pub rust: String,
    /// For Python's `re` (used by the generated package).
    pub python: String,
}

/// Why a pattern is outside the subset: the construct, named, and where it starts (a byte
/// offset in the pattern).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub offset: usize,
}

/// Checks `source` against the subset and spells it for Rust and Python.
pub fn check(source: &str) -> Result<Spellings, Problem> {
    // JSON Schema's regex dialect has no comments or whitespace mode; the parser's
    // `ignore_whitespace` stays off.
    let ast = ast::parse::Parser::new()
        .parse(source)
        .map_err(|e| Problem {
            message: format!("not a regular expression: {}", e.kind()),
            offset: e.span().start.offset,
        })?;
    let mut edits = Vec::new();
    walk(&ast, &mut edits)?;
    let spell = |dot: &str, end: &str| {
        let mut out = String::new();
        let mut at = 0;
        for (offset, len, is_dot) in &edits {
            out.push_str(&source[at..*offset]);
            out.push_str(if *is_dot { dot } else { end });
            at = offset + len;
        }
        out.push_str(&source[at..]);
        out
    };
    let spellings = Spellings {
        rust: spell(r"[^\n\r\u{2028}\u{2029}]", "$"),
        python: spell(r"[^\n\r\u2028\u2029]", r"\Z"),
    };
    if let Err(e) = regex::Regex::new(&spellings.rust) {
        return Err(Problem {
            message: format!("cannot be compiled: {e}"),
            offset: 0,
        });
    }
    Ok(spellings)
}

/// A quantifier must quantify something each engine repeats alike: not an anchor, not
/// another quantifier, and not a group that is only an unbounded repetition itself.
fn repetition(r: &ast::Repetition) -> Result<(), Problem> {
    let unbounded = |r: &ast::Repetition| {
        matches!(
            &r.op.kind,
            ast::RepetitionKind::ZeroOrMore
                | ast::RepetitionKind::OneOrMore
                | ast::RepetitionKind::Range(ast::RepetitionRange::AtLeast(_))
        )
    };
    match &*r.ast {
        Ast::Assertion(_) => Err(reject(
            &r.op.span,
            "a quantifier on an anchor (`^*`, `$?`) is an error in ECMA-262 and Python",
        )),
        Ast::Repetition(_) => Err(reject(
            &r.op.span,
            "a quantifier right after another (`a*+`, `x{2}{3}`) is an error in ECMA-262 and possessive in Python: group the first, `(a*)+`",
        )),
        Ast::Group(g)
            if unbounded(r) && matches!(&*g.ast, Ast::Repetition(inner) if unbounded(inner)) =>
        {
            Err(reject(
                &r.op.span,
                "a repeated group that is itself only a repetition (`(a+)+`) takes exponential time in the ECMA-262 and Python engines on some strings: write `a+`",
            ))
        }
        _ => Ok(()),
    }
}

fn reject(span: &ast::Span, what: &str) -> Problem {
    Problem {
        message: what.to_string(),
        offset: span.start.offset,
    }
}

/// Syntax characters that ECMA-262 with the `u` flag lets one escape outside a class.
const ESCAPABLE: &str = r"^$\.*+?()[]{}|/";

/// Records `(offset, len, is_dot)` for each `.` and `$`, in order.
fn walk(node: &Ast, edits: &mut Vec<(usize, usize, bool)>) -> Result<(), Problem> {
    match node {
        Ast::Empty(_) => Ok(()),
        Ast::Flags(f) => Err(reject(
            &f.span,
            "inline flags such as `(?i)` are not in ECMA-262",
        )),
        Ast::Literal(l) => literal(l, false),
        Ast::Dot(span) => {
            edits.push((span.start.offset, 1, true));
            Ok(())
        }
        Ast::Assertion(a) => match a.kind {
            AssertionKind::StartLine => Ok(()),
            AssertionKind::EndLine => {
                edits.push((a.span.start.offset, 1, false));
                Ok(())
            }
            AssertionKind::StartText | AssertionKind::EndText => Err(reject(
                &a.span,
                "`\\A` and `\\z` are not in ECMA-262: use `^` and `$`",
            )),
            _ => Err(reject(
                &a.span,
                "word boundaries (`\\b`, `\\B`) mean ASCII words in ECMA-262 and Unicode words in Rust and Python",
            )),
        },
        Ast::ClassUnicode(c) => Err(reject(
            &c.span,
            "Unicode classes (`\\p{..}`) differ between the engines",
        )),
        Ast::ClassPerl(c) => Err(reject(
            &c.span,
            "`\\d`, `\\w` and `\\s` are ASCII in ECMA-262 but Unicode in Rust and Python: write the class, such as `[0-9]` or `[A-Za-z0-9_]`",
        )),
        Ast::ClassBracketed(c) => class_set(&c.kind),
        Ast::Repetition(r) => {
            repetition(r)?;
            walk(&r.ast, edits)
        }
        Ast::Group(g) => match &g.kind {
            GroupKind::CaptureIndex(_) => walk(&g.ast, edits),
            GroupKind::NonCapturing(flags) if flags.items.is_empty() => walk(&g.ast, edits),
            GroupKind::NonCapturing(_) => Err(reject(
                &g.span,
                "groups with flags such as `(?i:..)` are not in ECMA-262",
            )),
            GroupKind::CaptureName { .. } => Err(reject(
                &g.span,
                "named groups are spelled differently in ECMA-262 and Python: use `( )`",
            )),
        },
        Ast::Alternation(a) => a.asts.iter().try_for_each(|x| walk(x, edits)),
        Ast::Concat(c) => c.asts.iter().try_for_each(|x| walk(x, edits)),
    }
}

fn literal(l: &ast::Literal, in_class: bool) -> Result<(), Problem> {
    match &l.kind {
        LiteralKind::Verbatim => {
            let forbidden: &[char] = if in_class {
                &['[', ']']
            } else {
                &[']', '{', '}']
            };
            if forbidden.contains(&l.c) {
                return Err(reject(
                    &l.span,
                    &format!(
                        "an unescaped `{}` here is an error in ECMA-262 with the `u` flag: write `\\{}`",
                        l.c, l.c
                    ),
                ));
            }
            Ok(())
        }
        LiteralKind::Meta | LiteralKind::Superfluous => {
            if ESCAPABLE.contains(l.c) || (in_class && l.c == '-') {
                Ok(())
            } else {
                Err(reject(
                    &l.span,
                    &format!(
                        "the escape `\\{}` is an error in ECMA-262 with the `u` flag",
                        l.c
                    ),
                ))
            }
        }
        LiteralKind::Octal => Err(reject(&l.span, "octal escapes are not in the subset")),
        LiteralKind::HexFixed(HexLiteralKind::X | HexLiteralKind::UnicodeShort) => Ok(()),
        LiteralKind::HexFixed(HexLiteralKind::UnicodeLong) | LiteralKind::HexBrace(_) => {
            Err(reject(
                &l.span,
                "braced and `\\U` escapes differ between the engines: use `\\xHH` or `\\uHHHH`",
            ))
        }
        LiteralKind::Special(SpecialLiteralKind::Bell) => {
            Err(reject(&l.span, "`\\a` is not in ECMA-262"))
        }
        LiteralKind::Special(_) => Ok(()),
    }
}

fn class_set(set: &ClassSet) -> Result<(), Problem> {
    match set {
        ClassSet::BinaryOp(op) => Err(reject(
            &op.span,
            "class set operations (`&&`, `--`, `~~`) are not in ECMA-262",
        )),
        ClassSet::Item(item) => class_item(item),
    }
}

fn class_item(item: &ClassSetItem) -> Result<(), Problem> {
    match item {
        ClassSetItem::Empty(_) => Ok(()),
        ClassSetItem::Literal(l) => literal(l, true),
        ClassSetItem::Range(r) => {
            literal(&r.start, true)?;
            literal(&r.end, true)
        }
        ClassSetItem::Ascii(a) => Err(reject(
            &a.span,
            "POSIX classes (`[[:alpha:]]`) are not in ECMA-262",
        )),
        ClassSetItem::Unicode(c) => Err(reject(
            &c.span,
            "Unicode classes (`\\p{..}`) differ between the engines",
        )),
        ClassSetItem::Perl(c) => Err(reject(
            &c.span,
            "`\\d`, `\\w` and `\\s` are ASCII in ECMA-262 but Unicode in Rust and Python: write the class, such as `[0-9]` or `[A-Za-z0-9_]`",
        )),
        ClassSetItem::Bracketed(b) => Err(reject(
            &b.span,
            "nested classes are not in ECMA-262 (without the `v` flag)",
        )),
        ClassSetItem::Union(u) => {
            // `||` is a literal `|` twice to `regex-syntax` and ECMA-262 without `v`, a set
            // operation to come in Python's `re` (which warns, `FutureWarning`) and with `v`.
            let pipe = |i: &ClassSetItem| matches!(i, ClassSetItem::Literal(l) if l.c == '|' && l.kind == LiteralKind::Verbatim);
            if let Some(w) = u.items.windows(2).find(|w| pipe(&w[0]) && pipe(&w[1])) {
                return Err(reject(
                    w[1].span(),
                    "`||` in a class is a set operation to Python's `re` (it warns that it will be); write `|` once",
                ));
            }
            u.items.iter().try_for_each(class_item)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_accepted_and_spelled() {
        let s = check(r"^[A-Z][a-z0-9_\-]{2,8}(?:\.[a-z]+)*$").unwrap();
        assert_eq!(s.python, r"^[A-Z][a-z0-9_\-]{2,8}(?:\.[a-z]+)*\Z");
        assert_eq!(s.rust, r"^[A-Z][a-z0-9_\-]{2,8}(?:\.[a-z]+)*$");
        let s = check(r"a.b|c\$").unwrap();
        assert_eq!(s.python, r"a[^\n\r\u2028\u2029]b|c\$");
        assert!(check(r"^\x41\u00e9[^ab]+?\n$").is_ok());
    }

    #[test]
    fn constructs_rejected_by_name() {
        for (pattern, words) in [
            (r"\d+", "`\\d`"),
            (r"\bword", "word boundaries"),
            (r"(?i)abc", "inline flags"),
            (r"(?P<x>a)", "named groups"),
            (r"\p{L}", "Unicode classes"),
            (r"[[:alpha:]]", "POSIX"),
            (r"[a-z&&[^q]]", "set operations"),
            (r"^[a||b]+$", "set operation"),
            (r"a{,3}", "not a regular expression"),
            (r"a]", "unescaped `]`"),
            (r"\#", "the escape `\\#`"),
            (r"\Aabc", "`\\A`"),
            (r"(a", "not a regular expression"),
            (r"\x{41}", "braced"),
            (r"^*a", "on an anchor"),
            (r"a$?", "on an anchor"),
            (r"^x{2}{3}$", "right after another"),
            (r"^a*+$", "right after another"),
            (r"^(a+)+$", "exponential time"),
            (r"^(?:a*){2,}$", "exponential time"),
        ] {
            let p = check(pattern).unwrap_err();
            assert!(p.message.contains(words), "{pattern}: {}", p.message);
        }
    }
}
