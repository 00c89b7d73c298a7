//! `cargo xtask gen|diff|explain`: this repository's error catalog (`errors/`) generated into
//! `generated/errors/` (`gen [--check]`, with the generator's atomic swap and drift check), its
//! changes checked against a git revision (`diff --base REF`, exit 1 when `api.version` did not
//! go up enough), and one code explained (`explain CODE`, `explain --list`).

fn main() -> std::process::ExitCode {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let layout = errcat::Layout::new(&root, "errors", "generated/errors");
    errcat::run(&layout, std::env::args_os().skip(1))
}
