//! vsconf: the vsftpd configuration manager and linter.
//!
//! Data flows one way: bytes → [`syntax::Cst`] → [`model::EffectiveConfig`] → startup verdict,
//! diagnostics, firewall plan, edits, server.
//!
//! Lints (`unsafe_code` forbidden, `missing_docs`, no `unwrap`/`expect`/`panic`/printing outside
//! tests) are set once for every target in Cargo.toml's `[lints]` table; `unsafe_code` is forbidden here
//! once more, so that no `allow` in the library can lift it.

#![forbid(unsafe_code)]

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
pub mod verify;
