//! vsconf: the vsftpd configuration manager and linter.
//!
//! Data flows one way: bytes → [`syntax::Cst`] → [`model::EffectiveConfig`] → startup verdict,
//! diagnostics, firewall plan, edits, server.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

pub mod diagnostic;
pub mod dialect;
pub mod edit;
pub mod firewall;
pub mod ftp;
pub mod lsp;
pub mod model;
pub mod probe;
pub mod render;
pub mod rules;
pub mod server;
pub mod setting_docs;
pub mod settings;
pub mod startup;
pub mod syntax;
