//! The documented size limits: far above any real catalog, low enough that a hostile one is
//! rejected in milliseconds instead of exhausting memory, time or disk (catalog/README.md).

/// Bytes in one catalog file. The 10,000-code benchmark catalog is 6.7 MB.
pub const FILE_BYTES: u64 = 32 * MIB;

/// Bytes in all catalog files together.
pub const TOTAL_BYTES: u64 = 128 * MIB;

/// Bytes in one YAML scalar (a description, a template, a guidance section, a key).
pub const SCALAR_BYTES: usize = 64 * 1024;

/// Error codes in one catalog (the benchmarks go to 10,000).
pub const CODES: usize = 50_000;

/// Steps in one JSON pointer of a custom wire (`/error/details` has two). Each step nests the
/// bodies one level deeper; with details schemas 8 levels deep, 16 steps stay far below the
/// 128 levels the generated Rust crate's JSON reader allows.
pub const POINTER_STEPS: usize = 16;

/// Bytes of generated output in one run (10,000 codes generate about 150 MB).
pub const OUTPUT_BYTES: u64 = 1024 * MIB;

const MIB: u64 = 1024 * 1024;

/// `n` bytes as the limits are written: whole MiB or KiB, else exact bytes.
pub fn size(n: u64) -> String {
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= 1024 && n.is_multiple_of(1024) {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}
