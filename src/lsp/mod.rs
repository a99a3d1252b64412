//! `vsconf lsp`: a Language Server Protocol server for vsftpd configs, over any byte stream (the
//! command line gives it standard input and output).
//!
//! An I/O edge like `cli/`: it owns the editor's buffers and the protocol, and takes every answer from
//! the library — diagnostics from the same lint engine as `vsconf lint` (same codes, severities,
//! `vsconf.toml` discovered from the file's folder, the build chosen by the caller exactly as `lint`
//! chooses it), hover and completion from the dialect table and the model, code actions and
//! formatting from the rules' fixes and `edit::fix`. It never recomputes a vsftpd fact.
//!
//! Protocol types come from `lsp-types` and messages from `lsp-server` (ruff's choice), with vsconf's
//! own bounded reader (see [`transport`]). Positions are mapped once, in [`position`].
//!
//! Map: [`server`] (loop, debounce, lifecycle) · [`document`] (buffers, incremental edits, size caps) ·
//! [`analysis`] (lint a buffer, diagnostics, the verdict) · [`hover`] · [`completion`] · [`actions`]
//! (quick fixes, fix all, formatting) · [`symbols`] (symbols, definition) · [`position`] ·
//! [`transport`].

pub mod actions;
pub mod analysis;
pub mod completion;
pub mod document;
pub mod hover;
pub mod position;
pub mod server;
pub mod symbols;
pub mod transport;

pub use analysis::DialectChooser;
pub use server::{Exit, Options, serve};
