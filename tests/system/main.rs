//! System tests: the real vsftpd, nft, iptables-restore, network namespaces. Each test starts with
//! `require(…)`: under `CI=true` a missing tool fails the test with the install command; elsewhere the
//! test prints `SKIPPED: <why>` and returns.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an integration test fails by panicking and may print; Cargo.toml's [lints] cover every target"
)]

mod apply;
mod ecosystem;
mod edit;
mod edit_outputs;
mod firewall;
mod fleet;
mod host_checks;
mod package;
mod probe;
mod progress;
mod rule_fixtures;
mod setting_notes;
mod support;
