//! Tests of the edit commands: `set`, `unset`, `fix`, `diff`, `new`, the preview/`--write`/`--check`
//! flow and the atomic write. Library-level properties (proptest), golden output (insta) and the
//! built binary.

mod cli;
mod golden;
mod properties;
mod support;
