//! One module per target: checks of the generated output with that target's own tools
//! (compilers, linters, validators), run by `cargo xtask test`.

pub mod adopt;
pub mod catalog;
pub mod diff_clients;
pub mod diff_source;
pub mod docs;
pub mod fuzz;
pub mod grid;
pub mod openapi;
pub mod python;
pub mod rust;
pub mod typescript;

/// `(line, error code)` pairs: where a misuse file expects an error, or where a checker reported one.
pub type ErrorSet = std::collections::BTreeSet<(usize, String)>;

/// Passes when a misuse file failed its checker with exactly the errors its `expect:` comments
/// name (at least one), and prints how many; otherwise says what differed, with the output.
pub fn misuse_fails_as_expected(
    file: &str,
    expected: &ErrorSet,
    actual: &ErrorSet,
    output: &str,
) -> Result<(), String> {
    if expected.is_empty() || expected != actual {
        let show = |s: &ErrorSet| {
            s.iter()
                .map(|(l, c)| format!("{l}:{c}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        return Err(format!(
            "{file} failed for other reasons than expected\n  expected: {}\n  actual:   {}\n{output}",
            show(expected),
            show(actual)
        ));
    }
    println!("{file} fails as expected: {} errors", actual.len());
    Ok(())
}
