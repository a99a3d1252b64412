//! Bad input to the built binary (issue 3): a directory, a missing file, a binary blob, an empty
//! file, a 100 MB file (sparse), a 1 MB single line, and 100 MB on standard input. Every command that
//! reads a config must either work or exit 2 with a clear message — never panic — and stay within a
//! bounded amount of memory (checked with `/usr/bin/time` where it exists).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an integration test fails by panicking and may print; Cargo.toml's [lints] cover every target"
)]

mod fuzz;
#[path = "../system/support.rs"]
mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The commands that read a config file.
const COMMANDS: &[&str] = &["show", "lint", "syntax"];

/// Peak resident memory allowed for one run: the binary reads at most 8 MiB of a file.
const MAX_RSS_KB: u64 = 160 * 1024;

struct Run {
    status: i32,
    stdout: Vec<u8>,
    stderr: String,
    peak_rss_kb: Option<u64>,
}

/// Runs `vsconf <args>`, through `/usr/bin/time` when it exists to measure peak memory.
fn run(args: &[&str], stdin: Option<Vec<u8>>) -> Run {
    let time = Path::new("/usr/bin/time");
    let mut command = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "peak-rss-kb=%M", env!("CARGO_BIN_EXE_vsconf")]);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_vsconf"))
    };
    // The build is detected from the host by default; pin it so runs are the same everywhere.
    command.env("VSCONF_DIALECT", "upstream-3.0.5");
    command.args(args).stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn vsconf");
    let writer = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().expect("stdin");
        // vsconf stops reading at its cap and closes the pipe: a broken pipe here is expected.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let output = child.wait_with_output().expect("wait vsconf");
    if let Some(writer) = writer {
        writer.join().expect("stdin writer");
    }
    let mut stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let mut peak_rss_kb = None;
    if let Some(at) = stderr.rfind("peak-rss-kb=") {
        peak_rss_kb = stderr[at + "peak-rss-kb=".len()..].trim().parse().ok();
        stderr.truncate(at);
        // `time` also reports a non-zero exit on its own line.
        if let Some(at) = stderr.rfind("Command exited with non-zero status") {
            stderr.truncate(at);
        }
    }
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: output.stdout,
        stderr,
        peak_rss_kb,
    }
}

/// The bad inputs, created in a scratch directory.
fn inputs(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let directory = dir.join("a-directory");
    std::fs::create_dir_all(&directory).expect("dir");
    let blob = dir.join("blob.bin");
    // A deterministic binary blob: every byte value, then a pseudo-random tail.
    let mut bytes: Vec<u8> = (0..=255u8).collect();
    let mut x: u32 = 0x1234_5678;
    bytes.extend((0..8192).map(|_| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x.to_le_bytes()[0]
    }));
    std::fs::write(&blob, bytes).expect("blob");
    let empty = dir.join("empty.conf");
    std::fs::write(&empty, b"").expect("empty");
    let big = dir.join("big.conf");
    let file = std::fs::File::create(&big).expect("big");
    file.set_len(100 * 1024 * 1024).expect("sparse 100 MB");
    let line = dir.join("line.conf");
    let mut one_line = b"listen=YES\nftpd_banner=".to_vec();
    one_line.resize(1024 * 1024, b'x');
    std::fs::write(&line, one_line).expect("line");
    vec![
        ("directory", directory),
        ("missing", dir.join("no-such-file.conf")),
        ("blob", blob),
        ("empty", empty),
        ("big", big),
        ("line", line),
    ]
}

fn check_common(what: &str, run: &Run) {
    assert!(
        !run.stderr.contains("panicked"),
        "{what}: panic: {}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("RUST_BACKTRACE"),
        "{what}: panic: {}",
        run.stderr
    );
    assert!(
        [0, 1, 2].contains(&run.status),
        "{what}: exit {} ({})",
        run.status,
        run.stderr
    );
    if let Some(kb) = run.peak_rss_kb {
        assert!(kb < MAX_RSS_KB, "{what}: peak RSS {kb} kB");
    }
}

#[test]
fn every_command_handles_bad_files_without_panicking() {
    let dir = support::scratch("bad_input");
    for (name, path) in inputs(&dir) {
        let shown = path.display().to_string();
        for command in COMMANDS {
            let what = format!("vsconf {command} <{name}>");
            let run = run(&[command, &shown], None);
            check_common(&what, &run);
            match name {
                "missing" => {
                    assert_eq!(run.status, 2, "{what}");
                    // `lint` reports an unreadable path as a finding in its report (stdout) and lints the
                    // rest; the other commands stop with the error on stderr.
                    let stdout = String::from_utf8_lossy(&run.stdout);
                    let report: &str = if *command == "lint" {
                        &stdout
                    } else {
                        &run.stderr
                    };
                    // The human report wraps long lines (a long scratch path moves the break): compare
                    // words, without the report's frame.
                    let unwrapped = report.replace('│', " ");
                    let unwrapped = unwrapped.split_whitespace().collect::<Vec<_>>().join(" ");
                    let report = unwrapped.as_str();
                    assert!(
                        report.contains(&format!("cannot read {shown}")),
                        "{what}: {report}"
                    );
                    assert!(
                        report.contains("No such file or directory"),
                        "{what}: {report}"
                    );
                }
                "directory" if *command == "lint" => {
                    // `lint` takes directories and lints the *.conf files inside; this one has none.
                    assert_eq!(run.status, 2, "{what}");
                    assert!(
                        run.stderr.contains("no config file found"),
                        "{what}: {}",
                        run.stderr
                    );
                }
                "directory" => {
                    assert_eq!(run.status, 2, "{what}");
                    assert!(
                        run.stderr.contains(&format!("{shown} is a directory")),
                        "{what}: {}",
                        run.stderr
                    );
                }
                _ => {
                    // A readable file is data, never an I/O error.
                    assert_ne!(run.status, 2, "{what}: {}", run.stderr);
                    if *command != "syntax" || name != "empty" {
                        assert!(!run.stdout.is_empty(), "{what}: no output");
                    }
                }
            }
        }
    }
    // What vsftpd makes of them, through `lint` (debian-3.0.3, the binary the differential test runs):
    let lint = |file: &str| {
        let path = dir.join(file).display().to_string();
        let run = run(&["lint", "--dialect", "debian-3.0.3", &path], None);
        String::from_utf8_lossy(&run.stdout).into_owned()
    };
    // 100 MB of NUL bytes: vsftpd reads the first 100,000 as one line, which ends at its first NUL.
    assert!(
        lint("big.conf").contains("500 OOPS: missing value in config file for: \n"),
        "{}",
        lint("big.conf")
    );
    // An empty file is inetd mode on Debian, which refuses when not started by inetd.
    assert!(
        lint("empty.conf").contains(
            "500 OOPS: vsftpd: not configured for standalone, must be started from inetd"
        )
    );
    // The 1 MB banner line is cut at 100,000 bytes of the file and still read: vsftpd starts.
    let line = lint("line.conf");
    assert!(
        line.contains("debian-3.0.3) starts"),
        "{}",
        &line[..line.len().min(300)]
    );
    std::fs::remove_file(dir.join("big.conf")).expect("delete the 100 MB file");
}

#[test]
fn standard_input_is_read_up_to_a_cap() {
    // 100 MB on stdin: `show -` reads its cap and answers; the rest is never held in memory.
    let mut bytes = b"listen_port=2121\n".to_vec();
    bytes.resize(100 * 1024 * 1024, b'#');
    let run = run(&["show", "-"], Some(bytes));
    check_common("vsconf show - <100 MB>", &run);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let table = String::from_utf8_lossy(&run.stdout);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("listen_port") && l.contains("2121")),
        "{table}"
    );
}
