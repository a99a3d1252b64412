//! `--dialect auto` (the default): the build is chosen from what the host says — the package manager,
//! `vsftpd -v`, `/etc/os-release` — and the choice is explained. Fake hosts are a directory of scripts
//! on `PATH` plus `VSCONF_DETECT_ROOT` for the files; the real one is this machine.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A fake host: `bin/` holds the commands it answers with, `etc/os-release` its distribution.
struct FakeHost {
    root: PathBuf,
}

impl FakeHost {
    fn new(name: &str, os_release: &str) -> FakeHost {
        let root = super::scratch(&format!("detect-{name}"));
        std::fs::create_dir_all(root.join("bin")).unwrap();
        std::fs::create_dir_all(root.join("etc")).unwrap();
        std::fs::write(root.join("etc/os-release"), os_release).unwrap();
        FakeHost { root }
    }

    fn command(&self, name: &str, script: &str) -> &FakeHost {
        let path = self.root.join("bin").join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        self
    }

    /// `vsconf` as this host runs it: its commands on `PATH`, its files under `VSCONF_DETECT_ROOT`, and
    /// no dialect pinned by the environment.
    fn vsconf(&self) -> Command {
        let mut c = super::vsconf();
        c.env_remove("VSCONF_DIALECT")
            .env("PATH", self.root.join("bin"))
            .env("VSCONF_DETECT_ROOT", &self.root);
        c
    }

    /// `vsconf lint --format json` of a minimal config on this host, as JSON.
    fn lint(&self) -> (Value, String) {
        let config = self.root.join("vsftpd.conf");
        std::fs::write(&config, "listen=YES\n").unwrap();
        let out = self
            .vsconf()
            .args(["lint", "--no-config", "--format", "json"])
            .arg(&config)
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", super::stdout(&out)));
        (json, super::stderr(&out))
    }
}

fn dialect_and_source(json: &Value) -> (String, String) {
    let file = &json["files"][0];
    (
        file["dialect"].as_str().unwrap_or_default().to_owned(),
        file["dialect_source"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

const DEBIAN_13: &str =
    "PRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\nID=debian\nVERSION_ID=\"13\"\n";
const RHEL_8: &str = "NAME=\"Red Hat Enterprise Linux\"\nID=\"rhel\"\nVERSION_ID=\"8.10\"\nPRETTY_NAME=\"Red Hat Enterprise Linux 8.10 (Ootpa)\"\n";
const RHEL_9: &str =
    "ID=\"rocky\"\nVERSION_ID=\"9.4\"\nPRETTY_NAME=\"Rocky Linux 9.4 (Blue Onyx)\"\n";
const UBUNTU: &str = "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nID=ubuntu\nVERSION_ID=\"24.04\"\n";

#[test]
fn each_build_is_detected_from_a_faked_host_and_the_reason_is_given() {
    let dpkg = |v: &str| format!("[ \"$1\" = -W ] && printf 'ii  {v}' && exit 0; exit 1");
    let rpm = |v: &str| format!("printf '{v}'");
    // vsftpd -v writes its banner on file descriptor 0, as the real one does.
    let vsftpd = |v: &str| format!("echo 'vsftpd: version {v}' >&0");
    // name, os-release, package command and script, `vsftpd -v` version, expected build, reason.
    type Case<'a> = (
        &'a str,
        &'a str,
        Option<(&'a str, String)>,
        Option<&'a str>,
        &'a str,
        &'a str,
    );
    let cases: [Case; 5] = [
        (
            "debian13",
            DEBIAN_13,
            Some(("dpkg-query", dpkg("3.0.5-0.2"))),
            Some("3.0.5"),
            "debian-3.0.5",
            "installed vsftpd 3.0.5-0.2 (dpkg) on Debian GNU/Linux 13 (trixie)",
        ),
        (
            "rhel8",
            RHEL_8,
            Some(("rpm", rpm("3.0.3-49.el8_10"))),
            None,
            "rhel-3.0.3",
            "installed vsftpd 3.0.3-49.el8_10 (rpm) on Red Hat Enterprise Linux 8.10 (Ootpa)",
        ),
        (
            "rocky9",
            RHEL_9,
            Some(("rpm", rpm("3.0.5-6.el9"))),
            Some("3.0.5"),
            "rhel-3.0.5",
            "installed vsftpd 3.0.5-6.el9 (rpm) on Rocky Linux 9.4 (Blue Onyx)",
        ),
        (
            "ubuntu",
            UBUNTU,
            Some(("dpkg-query", dpkg("3.0.5-0ubuntu3.1"))),
            None,
            "debian-3.0.5",
            "installed vsftpd 3.0.5-0ubuntu3.1 (dpkg) on Ubuntu 24.04.1 LTS",
        ),
        (
            "source-build",
            DEBIAN_13,
            None,
            Some("3.0.5"),
            "upstream-3.0.5",
            "vsftpd 3.0.5 not installed by a package manager (`vsftpd -v`) on Debian GNU/Linux 13 (trixie)",
        ),
    ];
    for (name, os, package, binary, want, why) in cases {
        let host = FakeHost::new(name, os);
        if let Some((command, script)) = &package {
            host.command(command, script);
        }
        if let Some(version) = binary {
            host.command("vsftpd", &vsftpd(version));
        }
        let (json, stderr) = host.lint();
        assert_eq!(
            dialect_and_source(&json),
            (want.to_owned(), why.to_owned()),
            "{name}: {stderr}"
        );
        if name == "ubuntu" {
            assert!(
                stderr.contains("not checked against an Ubuntu binary"),
                "{stderr}"
            );
        }
        if name == "rocky9" {
            assert!(
                json["files"][0]["startup"]["unverified"].is_string(),
                "rhel-3.0.5 verdicts are flagged as unverified"
            );
        }
    }
}

#[test]
fn no_vsftpd_means_upstream_with_the_reason_and_an_unknown_build_is_a_warning() {
    let host = FakeHost::new("nothing", DEBIAN_13);
    let (json, _) = host.lint();
    assert_eq!(
        dialect_and_source(&json),
        (
            "upstream-3.0.5".to_owned(),
            "assuming upstream-3.0.5: no vsftpd on this machine; pin it in vsconf.toml".to_owned()
        )
    );
    let host = FakeHost::new("centos7", RHEL_8);
    host.command("rpm", "printf '3.0.2-29.el7_9'");
    let (json, stderr) = host.lint();
    let (dialect, source) = dialect_and_source(&json);
    assert_eq!(dialect, "upstream-3.0.5");
    assert!(source.contains("3.0.2-29.el7_9"), "{source}");
    assert!(
        stderr.contains("warning:") && stderr.contains("no build vsconf models"),
        "{stderr}"
    );
}

#[test]
fn vsconf_toml_and_the_flag_win_over_detection() {
    let host = FakeHost::new("pinned", DEBIAN_13);
    host.command("dpkg-query", "printf 'ii  3.0.5-0.2'");
    let config = host.root.join("vsftpd.conf");
    std::fs::write(&config, "listen=YES\n").unwrap();
    std::fs::write(host.root.join("vsconf.toml"), "dialect = \"rhel-8\"\n").unwrap();
    let run = |args: &[&str]| {
        let out = host
            .vsconf()
            .args(args)
            .arg(&config)
            .current_dir(&host.root)
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        dialect_and_source(&json)
    };
    assert_eq!(
        run(&["lint", "--format", "json"]).0,
        "rhel-3.0.3",
        "vsconf.toml pins the build (aliases allowed)"
    );
    assert_eq!(
        run(&["lint", "--format", "json", "--dialect", "auto"]).0,
        "debian-3.0.5"
    );
    assert_eq!(
        run(&["lint", "--format", "json", "--dialect", "debian-12"]),
        ("debian-3.0.3".to_owned(), "--dialect debian-12".to_owned())
    );
}

/// The real machine: on the Debian 12 CI machine (vsftpd installed by `.ci/setup.d`), no flag and no
/// vsconf.toml model Debian 12's build and say why.
#[test]
fn this_machine_is_detected_as_what_it_runs() {
    let dpkg = Command::new("dpkg-query")
        .args(["-W", "-f", "${db:Status-Abbrev} ${Version}", "vsftpd"])
        .output();
    let installed = dpkg
        .as_ref()
        .ok()
        .map(super::stdout)
        .filter(|s| s.starts_with("ii"));
    let Some(installed) = installed else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "vsftpd is not installed: apt-get install vsftpd (.ci/setup.d/10-system-packages.sh)"
        );
        eprintln!("SKIPPED: vsftpd is not installed here");
        return;
    };
    let version = installed
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    let config = Path::new("/etc/vsftpd.conf");
    let out = super::vsconf()
        .args(["lint", "--no-config", "--format", "json"])
        .arg(config)
        .env_remove("VSCONF_DIALECT")
        .env_remove("VSCONF_DETECT_ROOT")
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (dialect, source) = dialect_and_source(&json);
    let want = if version.starts_with("3.0.3") {
        "debian-3.0.3"
    } else {
        "debian-3.0.5"
    };
    assert_eq!(dialect, want, "{source}");
    assert!(
        source.starts_with(&format!("installed vsftpd {version} (dpkg)")),
        "{source}"
    );
}

/// Lints bytes as JSON under one build and returns the file's object.
fn lint_json(name: &str, bytes: &[u8], extra: &[&str]) -> (Value, Option<i32>) {
    let dir = super::scratch(&format!("json-{name}"));
    let path = dir.join("vsftpd.conf");
    std::fs::write(&path, bytes).unwrap();
    let out = super::vsconf()
        .args(["lint", "--no-config", "--format", "json"])
        .args(extra)
        .arg(&path)
        .env("VSCONF_DIALECT", "debian-3.0.3")
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    (json["files"][0].clone(), out.status.code())
}

#[test]
fn dialect_all_gives_one_verdict_per_build_and_says_where_they_disagree() {
    let (file, code) = lint_json(
        "all",
        b"listen=YES\nutf8_filesystem=YES\nanonymous_enable=YES\n",
        &["--dialect", "all"],
    );
    assert_eq!(code, Some(1));
    let verdicts: Vec<(String, bool)> = file["builds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["dialect"].as_str().unwrap().to_owned(),
                b["starts"].as_bool().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, bool)> = [
        ("upstream-3.0.5", false),
        ("debian-3.0.3", true),
        ("debian-3.0.5", true),
        ("rhel-3.0.3", false),
        ("rhel-3.0.5", false),
    ]
    .iter()
    .map(|(d, s)| ((*d).to_owned(), *s))
    .collect();
    assert_eq!(verdicts, want);
    let disagree = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "BUILDS")
        .expect("a builds-disagree finding");
    assert_eq!(
        disagree["message"],
        "starts on debian-3.0.3, debian-3.0.5, refused by upstream-3.0.5, rhel-3.0.3, rhel-3.0.5"
    );
    assert!(
        disagree["help"]
            .as_str()
            .unwrap()
            .starts_with("`utf8_filesystem` exists only in debian-3.0.3, debian-3.0.5"),
        "{disagree}"
    );
    assert_eq!(disagree["line"], 2);
}

#[test]
fn startup_message_is_the_exact_text_with_bytes_when_not_utf8() {
    // A BOM stays U+FEFF, a CR stays \r, a TAB stays \t: JSON escapes them, nothing else does.
    let (file, _) = lint_json("bom", b"\xef\xbb\xbflisten=YES\n", &[]);
    assert_eq!(
        file["startup"]["message"],
        "500 OOPS: unrecognised variable in config file: \u{feff}listen"
    );
    assert!(file["startup"]["message_bytes"].is_null());
    assert_eq!(file["startup"]["starts"], false);
    let (file, _) = lint_json("cr", b"listen=YES\nfoo\r\n", &[]);
    assert_eq!(
        file["startup"]["message"],
        "500 OOPS: missing value in config file for: foo\r"
    );
    let (file, _) = lint_json("tab", b"listen=YES\nfoo\tbar=1\n", &[]);
    assert_eq!(
        file["startup"]["message"],
        "500 OOPS: unrecognised variable in config file: foo\tbar"
    );
    let (file, _) = lint_json("latin1", b"listen=YES\nf\xffoo=1\n", &[]);
    assert_eq!(
        file["startup"]["message"],
        "500 OOPS: unrecognised variable in config file: f\u{fffd}oo"
    );
    // base64 of the exact bytes.
    assert_eq!(
        file["startup"]["message_bytes"],
        "NTAwIE9PUFM6IHVucmVjb2duaXNlZCB2YXJpYWJsZSBpbiBjb25maWcgZmlsZTogZv9vbw=="
    );
    let (file, _) = lint_json("starts", b"listen=YES\n", &[]);
    assert_eq!(file["startup"]["starts"], true);
    assert!(file["startup"]["message"].is_null());
}

#[test]
fn rhel_background_refusal_after_the_fork_is_silent() {
    let (file, code) = lint_json(
        "silent",
        b"listen=YES\nlisten_address=1.2.3.4.5\n",
        &["--dialect", "rhel-8"],
    );
    assert_eq!(code, Some(1));
    assert_eq!(file["startup"]["refused"], true);
    assert!(file["startup"]["message"].is_null(), "{file}");
    assert_eq!(
        file["startup"]["silent_refusal"],
        "500 OOPS: bad listen_address: 1.2.3.4.5"
    );
}
