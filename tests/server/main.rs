//! The embedded server (`vsconf serve`) against real clients (curl, lftp, Python's ftplib) and, as root,
//! against the real vsftpd in network namespaces (the differential suite).
//!
//! Tests that need a tool start with `require(…)`: under `CI=true` a missing tool fails the test with the
//! install command; elsewhere the test prints `SKIPPED: <why>` and returns.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an integration test fails by panicking and may print; Cargo.toml's [lints] cover every target"
)]

mod bad_input;
mod clients;
mod differential;
mod load;
mod refusals;
mod support;
#[path = "../system/support.rs"]
mod system_support;
