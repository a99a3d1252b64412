//! Shared helpers: running the binary, scratch files.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The fixtures folder.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/edit/fixtures")
        .join(name)
}

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("edit")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Writes `text` to `dir/name` and returns the path.
pub fn file(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write fixture");
    path
}

/// Runs vsconf with arguments (no colour, no vsconf.toml discovery surprises).
pub fn vsconf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vsconf"))
        .args(args)
        .env("NO_COLOR", "1")
        // The build is detected from the host by default; these snapshots were written for upstream-3.0.5.
        .env("VSCONF_DIALECT", "upstream-3.0.5")
        .current_dir(env!("CARGO_TARGET_TMPDIR"))
        .output()
        .expect("run vsconf")
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The exit code.
pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}
