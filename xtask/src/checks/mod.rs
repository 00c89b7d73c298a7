//! One module per target: checks of the generated output with that target's own tools
//! (compilers, linters, validators), run by `cargo xtask test`.

pub mod catalog;
pub mod diff_clients;
pub mod docs;
pub mod grid;
pub mod openapi;
pub mod python;
pub mod rust;
pub mod typescript;
