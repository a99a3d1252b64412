//! Probe tests: the diagnosis on synthetic observations (snapshots of what an operator reads), and
//! the client against misbehaving servers written here on 127.0.0.1 (refuses, never answers,
//! garbage, a 10 MB line, a failed TLS handshake) — each must end with a clear message.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an integration test fails by panicking and may print; Cargo.toml's [lints] cover every target"
)]

mod bad_input;
mod diagnosis;
