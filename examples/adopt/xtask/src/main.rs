//! `cargo xtask gen [--check] [--catalog PATH] [--out DIR]`: this repository's error catalog
//! (`errors/`) generated into `generated/errors/`, with the generator's atomic swap and drift check.

fn main() -> std::process::ExitCode {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let layout = errcat::Layout::new(&root, "errors", "generated/errors");
    errcat::run(&layout, std::env::args_os().skip(1))
}
