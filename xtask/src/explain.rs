//! `cargo xtask explain`. (Being built: see its issue.)

use std::process::ExitCode;

use crate::Paths;

pub fn command(_paths: &Paths, _args: &[String]) -> Result<ExitCode, String> {
    Err("not built yet".into())
}
