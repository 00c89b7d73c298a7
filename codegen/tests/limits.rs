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

/// The minimal catalog's header with `codes` codes, of which those in `bad` have the status given
/// there instead of 404.
fn catalog_with_bad_statuses(codes: usize, bad: &[(usize, u16)]) -> Source {
    let mut text = String::from(
        "api: { name: Acme, version: 0.1.0, docs_url: https://docs.acme.test/errors }\n\
         envelope:\n  fields:\n    \
         error: { type: string, required: true, description: The code }\n    \
         message: { type: string, required: true, description: The message }\n    \
         code: { type: integer, required: true, description: The status }\n    \
         details: { type: object, required: false, description: The details }\n    \
         request_id: { type: string, required: false, description: The request }\n    \
         timestamp: { type: string, required: false, description: When }\n\
         statuses:\n  404: Not found\n\
         categories:\n  - id: resource\n    title: Resource Errors\n\
         errors:\n",
    );
    for i in 0..codes {
        let status = bad
            .iter()
            .find_map(|&(at, status)| (at == i).then_some(status))
            .unwrap_or(404);
        text.push_str(&format!(
            "  - code: code_{i}\n    status: {status}\n    category: resource\n    \
             description: Code {i}.\n    message: Not found\n    examples:\n      \
             - body: {{ error: code_{i}, message: Not found, code: {status} }}\n"
        ));
    }
    Source::new("catalog.yaml", text)
}

#[test]
fn a_large_catalog_reports_every_bad_code_as_a_small_one_does() {
    // Past the size at which codes are read and checked on every core (1,000): every problem is
    // reported, in the same order, with the same words, as when the codes are taken one by one.
    // 418 is not in the catalog's statuses (found when checking), 700 not an error status (found
    // when reading).
    let messages = |codes: usize, bad: &[(usize, u16)]| -> Vec<(String, u32)> {
        let failure = codegen::load(&[catalog_with_bad_statuses(codes, bad)])
            .expect_err("the catalog must be rejected");
        let lines: Vec<(String, u32)> = failure
            .diagnostics
            .items
            .iter()
            .map(|d| (d.message.clone(), d.span.map_or(0, |s| s.offset)))
            .collect();
        lines
    };
    let bad = [(3, 418), (700, 700), (1501, 418), (2400, 700), (2999, 418)];
    let large = messages(3000, &bad);
    assert_eq!(large.len(), bad.len(), "{large:?}");
    assert!(large.windows(2).all(|w| w[0].1 < w[1].1), "{large:?}");
    for (&(i, status), (message, _)) in bad.iter().zip(&large) {
        let small = messages(i + 1, &[(i, status)]);
        assert_eq!(small.len(), 1, "{small:?}");
        assert_eq!(&small[0].0, message);
    }
}
