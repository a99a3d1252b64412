//! The edit commands against the real world: the real vsftpd starts with every `new` profile and with
//! the article snippet after `vsconf fix`; writes that fail on a real read-only mount or a real full
//! file system leave the original byte-identical; `--write` keeps a file's owner.
//!
//! vsftpd runs isolated (`unshare --net --pid`) under `timeout -s KILL 2`: status 137 means it was still
//! running when killed, i.e. it started.

use std::os::unix::fs::MetadataExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{require, run_build, run_vsftpd, scratch, vsconf};

const VSFTPD: &str = "/usr/sbin/vsftpd";

fn vsconf_ok(args: &[&str]) {
    let o = vsconf().args(args).output().expect("run vsconf");
    assert_eq!(
        o.status.code(),
        Some(0),
        "vsconf {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn self_signed(dir: &Path) -> (PathBuf, PathBuf) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let status = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
        ])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run openssl");
    assert!(status.success(), "openssl req failed");
    (cert, key)
}

/// The live builds and the dialects whose output each must start with: Debian 12's 3.0.3 knows no
/// `ssl_tlsv1x` tunables, so only debian-3.0.3 output is for it; the 3.0.5 builds take their own
/// dialects' output and the 3.0.3 output too.
const BUILDS: [(&str, &[&str]); 3] = [
    ("/usr/sbin/vsftpd", &["debian-3.0.3"]),
    (
        "/opt/vsconf-ci/vsftpd-debian-3.0.5/vsftpd",
        &["debian-3.0.3", "debian-3.0.5", "upstream-3.0.5"],
    ),
    (
        "/opt/vsconf-ci/vsftpd-upstream-3.0.5/vsftpd",
        &["debian-3.0.3", "upstream-3.0.5", "rhel-3.0.5"],
    ),
];

/// Debian's default certificate pair (package ssl-cert), which `new` names for the Debian dialects when no
/// --tls-cert is given.
const SNAKEOIL: [&str; 2] = [
    "/etc/ssl/certs/ssl-cert-snakeoil.pem",
    "/etc/ssl/private/ssl-cert-snakeoil.key",
];

/// Issue 12: every `new` profile, with every combination of its options, starts every live build.
/// The TLS choices are: the default pair (the distribution's paths; only Debian's exist on a Debian
/// host), a certificate and its key, and one PEM holding both. The values that do not decide startup
/// (port, range, anon_root) rotate through the combinations so that each value is started at least once.
#[test]
fn new_profiles_with_every_option_start_every_live_build() {
    if !require("unshare", "util-linux", true) || !require("openssl", "openssl", false) {
        return;
    }
    for (build, _) in BUILDS {
        if !require(build, "vsftpd (and .ci/setup.d/20-vsftpd-builds.sh)", true) {
            return;
        }
    }
    if !require(SNAKEOIL[0], "ssl-cert", true) {
        return;
    }
    let dir = scratch("edit_new_profiles");
    let (cert, key) = self_signed(&dir);
    let both = dir.join("both.pem");
    let mut pem = std::fs::read(&cert).expect("cert");
    pem.extend(std::fs::read(&key).expect("key"));
    std::fs::write(&both, pem).expect("both.pem");
    let (cert, key, both) = (
        cert.display().to_string(),
        key.display().to_string(),
        both.display().to_string(),
    );
    let anon_root = dir.display().to_string();
    let mut cases: Vec<(String, PathBuf)> = Vec::new();
    let mut n = 0usize;
    for (build, dialects) in BUILDS {
        for &dialect in dialects {
            for profile in ["anonymous-download", "local-tls", "behind-nat"] {
                for tls in ["default", "pair", "both"] {
                    // Only Debian's default pair exists on this host.
                    if tls == "default"
                        && !dialect.starts_with("debian-")
                        && profile != "anonymous-download"
                    {
                        continue;
                    }
                    for nat in [false, true] {
                        if profile == "behind-nat" && !nat {
                            continue;
                        }
                        n += 1;
                        let path = dir.join(format!("case-{n}.conf"));
                        let p = path.display().to_string();
                        let mut args = vec!["new", "--profile", profile, &p, "--write"];
                        let dialect_flag = format!("--dialect={dialect}");
                        args.push(&dialect_flag);
                        match tls {
                            "pair" => args.extend(["--tls-cert", &cert, "--tls-key", &key]),
                            "both" => args.extend(["--tls-cert", &both]),
                            _ => {}
                        }
                        if nat {
                            args.extend(["--pasv-address", "203.0.113.10"]);
                        }
                        if n % 2 == 0 {
                            args.extend(["--listen-port", "2121", "--pasv-range", "60000-60099"]);
                        }
                        if n % 3 == 0 {
                            args.extend(["--anon-root", &anon_root]);
                        }
                        vsconf_ok(&args);
                        cases.push((format!("{build} {args:?}"), path));
                    }
                }
            }
        }
    }
    // All at once: each run waits out its 2-second timeout.
    let runs: Vec<_> = cases
        .into_iter()
        .map(|(label, path)| {
            let build = label.split(' ').next().unwrap_or_default().to_owned();
            std::thread::spawn(move || (label, run_build(&build, &path)))
        })
        .collect();
    let mut failed = Vec::new();
    let total = runs.len();
    for run in runs {
        let (label, (status, out)) = run.join().expect("thread");
        if status != 137 {
            failed.push(format!("{label}: exit {status}: {out:?}"));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {total} did not start:\n{}",
        failed.len(),
        failed.join("\n")
    );
    assert!(total >= 60, "only {total} combinations ran");
}

#[test]
fn fix_turns_the_article_snippet_into_a_config_the_real_vsftpd_starts() {
    if !require(VSFTPD, "vsftpd", true) || !require("unshare", "util-linux", true) {
        return;
    }
    let dir = scratch("edit_article");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/edit/fixtures/article.conf");
    let path = dir.join("article.conf");
    std::fs::copy(&fixture, &path).expect("copy fixture");
    let (status, out) = run_vsftpd(&path);
    assert_eq!(
        (status, out.as_str()),
        (
            2,
            "500 OOPS: unrecognised variable in config file: Port_enable\r\n"
        )
    );
    vsconf_ok(&[
        "fix",
        path.to_str().expect("utf-8"),
        "--write",
        "--dialect=debian-3.0.3",
    ]);
    let (status, out) = run_vsftpd(&path);
    assert_eq!(status, 137, "fixed article did not start: {out:?}");
}

/// Runs `script` in a private mount namespace with `$D` the directory and `$V` vsconf; returns stdout.
fn in_mount_namespace(dir: &Path, script: &str) -> String {
    let o = Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", script])
        .env("D", dir)
        .env("V", env!("CARGO_BIN_EXE_vsconf"))
        .output()
        .expect("unshare");
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[test]
fn writes_that_fail_for_real_leave_the_original_identical() {
    if !require("unshare", "util-linux", true) || !require("mount", "mount", true) {
        return;
    }
    let dir = scratch("edit_failed_writes");
    // A read-only bind mount: creating the temporary file fails with EROFS.
    let out = in_mount_namespace(
        &dir,
        r#"printf 'listen=YES\nlocal_enable=YES\n' > "$D/vsftpd.conf" && cp "$D/vsftpd.conf" "$D/orig" &&
           mount --bind "$D" "$D" && mount -o remount,bind,ro "$D" &&
           "$V" set "$D/vsftpd.conf" write_enable=YES --write --dialect=debian-3.0.3 >/dev/null 2>"$D.err"; echo "rc=$?";
           cmp "$D/vsftpd.conf" "$D/orig" && echo identical; ls -A "$D" | tr '\n' ' '; grep -o 'vsconf::edit::[a-z_]*' "$D.err""#,
    );
    assert_eq!(
        out,
        "rc=2\nidentical\norig vsftpd.conf vsconf::edit::temp_file\n"
    );
    // A full tmpfs: writing the temporary file fails with ENOSPC.
    let out = in_mount_namespace(
        &dir,
        r#"mount -t tmpfs -o size=64k tmpfs "$D" && printf 'listen=YES\nlocal_enable=YES\n' > "$D/vsftpd.conf" &&
           cp "$D/vsftpd.conf" "$D/orig" && { dd if=/dev/zero of="$D/fill" bs=4k 2>/dev/null; true; } &&
           "$V" set "$D/vsftpd.conf" write_enable=YES --write --dialect=debian-3.0.3 >/dev/null 2>"$D.err"; echo "rc=$?";
           cmp "$D/vsftpd.conf" "$D/orig" && echo identical; ls -A "$D" | tr '\n' ' '; grep -o 'vsconf::edit::[a-z_]*' "$D.err""#,
    );
    assert_eq!(
        out,
        "rc=2\nidentical\nfill orig vsftpd.conf vsconf::edit::write\n"
    );
}

#[test]
fn write_keeps_the_owner_of_the_file() {
    if !require("id", "coreutils", true) {
        return;
    }
    let dir = scratch("edit_owner");
    let path = dir.join("vsftpd.conf");
    std::fs::write(&path, b"listen=YES\nlocal_enable=YES\n").expect("write");
    std::os::unix::fs::chown(&path, Some(65534), Some(65534)).expect("chown");
    vsconf_ok(&[
        "set",
        path.to_str().expect("utf-8"),
        "write_enable=YES",
        "--write",
        "--dialect=debian-3.0.3",
    ]);
    let meta = std::fs::metadata(&path).expect("metadata");
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
    assert_eq!(
        std::fs::read(&path).expect("read"),
        b"listen=YES\nlocal_enable=YES\nwrite_enable=YES\n"
    );
}

/// Runs `vsconf set … --write` under strace with a fault injected into `syscalls`; returns the exit
/// status, whether the config is unchanged, and the directory's entries.
fn write_under_fault(dir: &Path, syscalls: &str, action: &str) -> (i32, bool, Vec<String>) {
    let original = b"listen=YES\nlocal_enable=YES\n";
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("dir");
    let path = dir.join("vsftpd.conf");
    std::fs::write(&path, original).expect("write");
    let status = Command::new("strace")
        .args([
            "-f",
            "-o",
            "/dev/null",
            "-e",
            &format!("inject={syscalls}:{action}:when=1"),
        ])
        .arg(env!("CARGO_BIN_EXE_vsconf"))
        .args([
            "set",
            path.to_str().expect("utf-8"),
            "write_enable=YES",
            "--write",
            "--dialect=debian-3.0.3",
        ])
        .output()
        .expect("strace");
    let mut entries: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    let unchanged = std::fs::read(&path).expect("read") == original;
    // strace re-raises the tracee's fatal signal on itself: a kill shows as 128 + 9.
    let code = status
        .status
        .code()
        .or(status.status.signal().map(|s| 128 + s))
        .unwrap_or(-1);
    (code, unchanged, entries)
}

#[test]
fn killed_or_failing_syscalls_during_write_leave_the_original_identical() {
    if !require("strace", "strace", true) {
        return;
    }
    let dir = scratch("edit_strace");
    // Killed (SIGKILL, as by the OOM killer or kill -9) after the temporary file is written, before
    // and at the rename: the original stays, a stray temporary file is all that is left.
    for syscalls in ["fchmod", "fsync", "rename,renameat,renameat2"] {
        let (status, unchanged, entries) =
            write_under_fault(&dir.join("kill"), syscalls, "signal=SIGKILL");
        assert_eq!(status, 137, "{syscalls}");
        assert!(unchanged, "{syscalls}");
        assert_eq!(entries.len(), 2, "{syscalls}: {entries:?}");
        assert!(
            entries[0].starts_with(".vsftpd.conf.vsconf-") && entries[0].ends_with(".tmp"),
            "{entries:?}"
        );
    }
    // A failing syscall: vsconf reports it (exit 2) and removes its temporary file.
    // (A failing write(2) is the full-tmpfs case above: strace cannot single out the temporary file's
    // write, the first write is the diff on standard output.)
    for (syscalls, error) in [
        ("fsync", "EIO"),
        ("fchmod", "EPERM"),
        ("rename,renameat,renameat2", "EXDEV"),
    ] {
        let (status, unchanged, entries) =
            write_under_fault(&dir.join("fail"), syscalls, &format!("error={error}"));
        assert!(unchanged, "{syscalls} {error}");
        assert_eq!(
            entries,
            vec!["vsftpd.conf".to_owned()],
            "{syscalls} {error}"
        );
        assert_eq!(status, 2, "{syscalls} {error}");
    }
}
