//! System tests: the real vsftpd, nft, iptables-restore, network namespaces. Each test starts with
//! `require(…)`: under `CI=true` a missing tool fails the test with the install command; elsewhere the
//! test prints `SKIPPED: <why>` and returns.

mod apply;
mod ecosystem;
mod edit;
mod edit_outputs;
mod firewall;
mod host_checks;
mod probe;
mod rule_fixtures;
mod support;
