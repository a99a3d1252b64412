//! Differential test: every rule fixture and every example goes through Debian's real vsftpd 3.0.3
//! and through vsconf's startup prediction for debian-3.0.3, which must agree on the verdict —
//! starts, refuses with this exact `500 OOPS` text, or crashes. The fixtures claim what vsftpd does
//! with them; this checks the claims against the binary.
//!
//! vsftpd runs as in ../shared/reference/README.md: config owned by root, in a private network
//! and PID namespace (`unshare --net --pid --fork --kill-child`, loopback up), standard input on a
//! file that receives the message, killed after 700 ms (still running = it started). Refusals that
//! depend on the machine rather than the file (a missing TLS certificate, a failed bind, DNS) are
//! not compared.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use vsconf::dialect::Dialect;
use vsconf::rules::{LintOptions, lint};
use vsconf::startup::Verdict;
use vsconf::syntax::parse;

use super::support::{require, scratch};

const VSFTPD: &str = "/usr/sbin/vsftpd";

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Seen {
    Starts,
    Refuses(Vec<u8>),
    Crashes,
    /// A refusal that depends on the machine (certificate, bind), not compared.
    Host(Vec<u8>),
}

pub(crate) fn configs() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut dirs = vec![root.join("examples")];
    if let Ok(rd) = std::fs::read_dir(root.join("rules")) {
        dirs.extend(rd.filter_map(|e| e.ok().map(|e| e.path())));
    }
    for dir in dirs {
        if let Ok(rd) = std::fs::read_dir(&dir) {
            out.extend(
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "conf")),
            );
        }
    }
    out.sort();
    out
}

pub(crate) fn run_vsftpd(dir: &Path, index: usize, text: &[u8]) -> Seen {
    let conf = dir.join(format!("{index}.conf"));
    let out = dir.join(format!("{index}.out"));
    std::fs::write(&conf, text).expect("write config");
    std::fs::set_permissions(&conf, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let script = format!(
        "ip link set lo up; exec timeout -s KILL 0.7 {VSFTPD} {} 0<>{} >>{} 2>/dev/null",
        conf.display(),
        out.display(),
        out.display()
    );
    std::fs::write(&out, b"").expect("output file");
    let status = Command::new("unshare")
        .args([
            "--net",
            "--pid",
            "--fork",
            "--kill-child",
            "sh",
            "-c",
            &script,
        ])
        .status()
        .expect("unshare runs");
    let message = std::fs::read(&out).unwrap_or_default();
    let message = message.strip_suffix(b"\r\n").unwrap_or(&message).to_vec();
    match status.code() {
        // Killed by the timeout (137 via sh) or background=YES (the parent exits 0): it started.
        Some(137) | Some(0) | None if message.is_empty() => Seen::Starts,
        Some(139) => Seen::Crashes,
        _ if message.starts_with(b"500 OOPS: SSL:")
            || message.starts_with(b"500 OOPS: could not bind")
            || message.starts_with(b"500 OOPS: cannot resolve host:") =>
        {
            Seen::Host(message)
        }
        _ => Seen::Refuses(message),
    }
}

pub(crate) fn predicted(text: &[u8]) -> Seen {
    let cst = parse(text).cst;
    let options = LintOptions {
        dialect: Dialect::Debian303,
        ..LintOptions::default()
    };
    match lint(&cst, None, &options, None).prediction.verdict {
        Verdict::Starts { .. } => Seen::Starts,
        Verdict::Refuses(o) => Seen::Refuses(o.full_text()),
        Verdict::Crashes(_) => Seen::Crashes,
    }
}

#[test]
fn debian_vsftpd_agrees_with_the_prediction_on_every_fixture_and_example() {
    if !require(VSFTPD, "vsftpd", true) || !require("unshare", "util-linux", true) {
        return;
    }
    std::fs::create_dir_all("/var/run/vsftpd/empty").expect("secure_chroot_dir");
    let dir = scratch("system-rule-fixtures");
    let files = configs();
    assert!(files.len() > 50, "found only {} configs", files.len());
    let mut mismatches = Vec::new();
    let mut compared = 0;
    // Most of the time is spent waiting for the timeout: run a few at once.
    for (chunk_index, chunk) in files.chunks(8).enumerate() {
        let results: Vec<(PathBuf, Seen, Seen)> = std::thread::scope(|s| {
            let handles: Vec<_> = chunk
                .iter()
                .enumerate()
                .map(|(i, path)| {
                    let dir = &dir;
                    s.spawn(move || {
                        let text = std::fs::read(path).expect("read config");
                        let seen = run_vsftpd(dir, chunk_index * 8 + i, &text);
                        (path.clone(), seen, predicted(&text))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        for (path, seen, want) in results {
            if matches!(seen, Seen::Host(_)) {
                continue;
            }
            compared += 1;
            if seen != want {
                let show = |s: &Seen| match s {
                    Seen::Refuses(m) | Seen::Host(m) => {
                        format!("refuses: {}", String::from_utf8_lossy(m))
                    }
                    other => format!("{other:?}"),
                };
                mismatches.push(format!(
                    "{}: vsftpd {} / predicted {}",
                    path.display(),
                    show(&seen),
                    show(&want)
                ));
            }
        }
    }
    println!(
        "compared {compared} of {} configs with the binary",
        files.len()
    );
    assert!(compared > 50, "compared only {compared}");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
