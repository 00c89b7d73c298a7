//! The documented limits (catalog/README.md, "Limits"), on catalogs generated here: each is
//! rejected with a positioned diagnostic, before the catalog is validated or emitted.

use codegen::{Source, limits};

fn rejected(sources: &[Source]) -> String {
    let failure = codegen::load(sources).expect_err("the catalog must be rejected");
    assert_eq!(failure.diagnostics.len(), 1, "{failure}");
    failure.to_string()
}

#[test]
fn more_codes_than_the_limit_are_rejected_at_the_first_one_over() {
    let half = limits::CODES / 2;
    let list = |n: usize| format!("errors:\n{}", "  - {}\n".repeat(n));
    let sources = [
        Source::new("catalog/a.yaml", list(half)),
        Source::new("catalog/b.yaml", list(limits::CODES - half + 1)),
    ];
    let out = rejected(&sources);
    let line = limits::CODES - half + 2;
    assert!(
        out.starts_with(&format!(
            "error: the catalog has more than {} error codes, the limit\n",
            limits::CODES
        )) && out.contains(&format!("--> catalog/b.yaml:{line}:5\n")),
        "{out}"
    );
}

#[test]
fn a_description_over_the_scalar_limit_is_rejected_where_it_is() {
    let description = "a".repeat(1024 * 1024);
    let sources = [Source::new(
        "catalog.yaml",
        format!("errors:\n  - code: big\n    description: {description}\n"),
    )];
    let out = rejected(&sources);
    assert!(
        out.starts_with(
            "error: this value is 1 MiB long, over the limit of 64 KiB per value\n --> catalog.yaml:3:18\n"
        ),
        "{}",
        &out[..200]
    );
}
