//! Tests of the edit commands: `set`, `unset`, `fix`, `diff`, `new`, the preview/`--write`/`--check`
//! flow and the atomic write. Library-level properties (proptest), golden output (insta) and the
//! built binary.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an integration test fails by panicking and may print; Cargo.toml's [lints] cover every target"
)]

mod cli;
mod golden;
mod properties;
mod support;
