//! Shared helpers for system tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Whether the suite runs in CI, where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Checks that a tool is runnable and that we are root when `root` is set. Returns false (after
/// printing `SKIPPED`) when the test cannot run outside CI; panics with the install command in CI.
pub fn require(tool: &str, package: &str, root: bool) -> bool {
    let found = Path::new(tool).is_absolute() && Path::new(tool).exists()
        || Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {tool}"))
            .output()
            .is_ok_and(|o| o.status.success());
    let is_root = !root
        || Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0"));
    let why = if !found {
        Some(format!("{tool} not found: apt-get install -y {package}"))
    } else if !is_root {
        Some(format!("needs root for {tool}"))
    } else {
        None
    };
    match why {
        None => true,
        Some(why) if in_ci() => panic!("system test cannot run under CI=true: {why}"),
        Some(why) => {
            println!("SKIPPED: {why}");
            false
        }
    }
}

/// The built vsconf binary.
pub fn vsconf() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vsconf"));
    // The build is detected from the host by default; tests name theirs or expect upstream-3.0.5.
    c.env("VSCONF_DIALECT", "upstream-3.0.5");
    c
}

/// A fresh scratch directory under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Runs Debian's /usr/sbin/vsftpd on `config`, isolated (`unshare --net --pid`) and killed after 2 s;
/// returns its exit status (137: still running when killed, i.e. it started) and what it wrote to fd 0.
pub fn run_vsftpd(config: &Path) -> (i32, String) {
    run_build("/usr/sbin/vsftpd", config)
}

/// Like [`run_vsftpd`], with the vsftpd binary `build` (the Debian 13 and upstream builds under
/// /opt/vsconf-ci).
pub fn run_build(build: &str, config: &Path) -> (i32, String) {
    std::fs::create_dir_all("/var/run/vsftpd/empty").expect("secure_chroot_dir");
    let out = config.with_extension("out");
    std::fs::write(&out, b"").expect("output file");
    let status = Command::new("sh")
        .arg("-c")
        .arg(r#"timeout -s KILL 2 unshare --net --pid --fork --kill-child "$0" "$1" 0<>"$2" >>"$2" 2>&1"#)
        .arg(build)
        .arg(config)
        .arg(&out)
        .status()
        .expect("run vsftpd");
    (
        status.code().unwrap_or(-1),
        std::fs::read_to_string(&out).unwrap_or_default(),
    )
}

/// man's output without overstrike (`N\bN` bold, `_\bx` underline).
pub fn plain(s: &str) -> String {
    let mut out: Vec<char> = Vec::new();
    for c in s.chars() {
        if c == '\u{8}' {
            out.pop();
        } else {
            out.push(c);
        }
    }
    out.into_iter().collect()
}

/// A finished command's status, standard output and standard error, for assertion messages.
pub fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
