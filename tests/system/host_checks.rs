//! Differential test for the TLS host checks (docs/host-checks.md): certificates and keys made here
//! with `openssl` go through every live vsftpd build and through `vsconf lint --host-checks`, which
//! must predict each build's verdict and exact `500 OOPS` text. Each case also states what the
//! builds were seen to do, so that a test file that does not hold what its name says fails too.
//!
//! vsftpd runs as in ../shared/reference/oracle/README.md (config owned by root, mode 600, private
//! network and PID namespace, killed after 700 ms = it started) and under `setsid`, without a
//! controlling terminal: as under a service manager, OpenSSL then cannot ask for a pass phrase.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use vsconf::dialect::Dialect;

use super::support::{require, scratch, vsconf};

/// The live builds and the dialect that models each.
const BUILDS: [(&str, &str); 3] = [
    ("/usr/sbin/vsftpd", "debian-3.0.3"),
    ("/opt/vsconf-ci/vsftpd-debian-3.0.5/vsftpd", "debian-3.0.5"),
    (
        "/opt/vsconf-ci/vsftpd-upstream-3.0.5/vsftpd",
        "upstream-3.0.5",
    ),
];

/// No controlling terminal, a private network and PID namespace.
const ISOLATED: [&str; 6] = ["-w", "unshare", "--net", "--pid", "--fork", "--kill-child"];

const CERT: &str = "SSL: cannot load RSA certificate";
const KEY: &str = "SSL: cannot load RSA private key";
const DSA_CERT: &str = "SSL: cannot load DSA certificate";

/// What all three builds did with a case (docs/host-checks.md).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    Starts,
    Refuses(String),
    Other(String),
}

/// `(name, TLS lines, what the builds do)`; `{d}` stands for the scratch directory.
const CASES: &[(&str, &str, Option<&str>)] = &[
    (
        "rsa pair",
        "rsa_cert_file={d}/a.crt\nrsa_private_key_file={d}/a.key",
        None,
    ),
    (
        "traditional rsa key",
        "rsa_cert_file={d}/a.crt\nrsa_private_key_file={d}/a-trad.key",
        None,
    ),
    (
        "key of another certificate",
        "rsa_cert_file={d}/a.crt\nrsa_private_key_file={d}/b.key",
        Some(KEY),
    ),
    (
        "key missing",
        "rsa_cert_file={d}/a.crt\nrsa_private_key_file={d}/none.key",
        Some(KEY),
    ),
    (
        "key is a directory",
        "rsa_cert_file={d}/a.crt\nrsa_private_key_file={d}",
        Some(KEY),
    ),
    (
        "key encrypted (pkcs8)",
        "rsa_cert_file={d}/a.crt\nrsa_private_key_file={d}/a-enc.key",
        Some(KEY),
    ),
    (
        "key encrypted (Proc-Type)",
        "rsa_cert_file={d}/a.crt\nrsa_private_key_file={d}/a-enctrad.key",
        Some(KEY),
    ),
    (
        "key file holds a certificate",
        "rsa_cert_file={d}/a.crt\nrsa_private_key_file={d}/b.crt",
        Some(KEY),
    ),
    (
        "cert missing",
        "rsa_cert_file={d}/none.crt\nrsa_private_key_file={d}/a.key",
        Some(CERT),
    ),
    (
        "cert file holds only a key",
        "rsa_cert_file={d}/a.key\nrsa_private_key_file={d}/a.key",
        Some(CERT),
    ),
    (
        "cert file is garbage",
        "rsa_cert_file={d}/garbage.pem\nrsa_private_key_file={d}/a.key",
        Some(CERT),
    ),
    (
        "cert then a broken certificate",
        "rsa_cert_file={d}/a-broken-chain.pem\nrsa_private_key_file={d}/a.key",
        Some(CERT),
    ),
    (
        "cert and key in one file",
        "rsa_cert_file={d}/a-both.pem",
        None,
    ),
    (
        "cert alone, no key setting",
        "rsa_cert_file={d}/a.crt",
        Some(KEY),
    ),
    (
        "rsa 1024",
        "rsa_cert_file={d}/small.crt\nrsa_private_key_file={d}/small.key",
        Some(CERT),
    ),
    (
        "ec pair (sec1 key)",
        "rsa_cert_file={d}/e.crt\nrsa_private_key_file={d}/e.key",
        None,
    ),
    (
        "ec key of another certificate",
        "rsa_cert_file={d}/e.crt\nrsa_private_key_file={d}/f.key",
        Some(KEY),
    ),
    (
        "rsa cert, ec key",
        "rsa_cert_file={d}/a.crt\nrsa_private_key_file={d}/e.key",
        None,
    ),
    (
        "ed25519 pair",
        "rsa_cert_file={d}/ed.crt\nrsa_private_key_file={d}/ed.key",
        None,
    ),
    (
        "dsa cert missing",
        "rsa_cert_file={d}/a.crt\nrsa_private_key_file={d}/a.key\ndsa_cert_file={d}/none.crt",
        Some(DSA_CERT),
    ),
];

fn openssl(dir: &Path, args: &str) {
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("openssl {args} 2>/dev/null"))
        .current_dir(dir)
        .status()
        .expect("openssl runs");
    assert!(status.success(), "openssl {args}");
}

/// The certificates and keys every case names.
fn make_material(dir: &Path) {
    let pair = |name: &str, algorithm: &str| {
        openssl(
            dir,
            &format!(
                "req -x509 {algorithm} -nodes -keyout {name}.key -out {name}.crt -days 3650 -subj /CN={name}"
            ),
        );
    };
    pair("a", "-newkey rsa:2048");
    pair("b", "-newkey rsa:2048");
    pair("small", "-newkey rsa:1024");
    pair("ed", "-newkey ed25519");
    openssl(dir, "rsa -in a.key -traditional -out a-trad.key");
    openssl(
        dir,
        "pkcs8 -topk8 -in a.key -passout pass:secret -out a-enc.key",
    );
    openssl(
        dir,
        "rsa -in a.key -traditional -aes256 -passout pass:secret -out a-enctrad.key",
    );
    for ec in ["e", "f"] {
        openssl(
            dir,
            &format!("ecparam -name prime256v1 -genkey -noout -out {ec}.key"),
        );
        openssl(
            dir,
            &format!("req -x509 -key {ec}.key -out {ec}.crt -days 3650 -subj /CN={ec}"),
        );
    }
    let read = |name: &str| std::fs::read(dir.join(name)).expect("material");
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).expect("write");
    write("a-both.pem", &[read("a.crt"), read("a.key")].concat());
    write(
        "a-broken-chain.pem",
        &[
            read("a.crt"),
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".to_vec(),
        ]
        .concat(),
    );
    write("garbage.pem", b"not a certificate\n");
}

fn config_text(dir: &Path, lines: &str) -> String {
    format!(
        "listen=YES\nssl_enable=YES\n{}\n",
        lines.replace("{d}", &dir.display().to_string())
    )
}

fn run_vsftpd(binary: &str, conf: &Path) -> Seen {
    let out = conf.with_extension("out");
    std::fs::write(&out, b"").expect("output file");
    let script = format!(
        "exec timeout -s KILL 0.7 {binary} {} 0<>{} >>{} 2>/dev/null",
        conf.display(),
        out.display(),
        out.display()
    );
    let status = Command::new("setsid")
        .args(ISOLATED)
        .args(["sh", "-c", &script])
        .status()
        .expect("setsid and unshare run");
    let output = String::from_utf8_lossy(&std::fs::read(&out).unwrap_or_default()).into_owned();
    // OpenSSL's `Enter PEM pass phrase:` prompt may precede the message on the same line.
    let message = output
        .find("500 OOPS: ")
        .map(|at| output[at + "500 OOPS: ".len()..].trim_end().to_owned());
    match (status.code(), message) {
        (Some(137), None) => Seen::Starts,
        (Some(2), Some(m)) => Seen::Refuses(m),
        (code, m) => Seen::Other(format!("exit {code:?}, {m:?}, output {output:?}")),
    }
}

/// Whether a TLS handshake after `AUTH TLS` succeeds against the build started with `conf`'s TLS
/// lines (plus what a session needs on this machine: an existing `secure_chroot_dir`, no seccomp
/// sandbox, which kills upstream's sessions during the handshake).
fn handshake_succeeds(binary: &str, dir: &Path, name: &str, lines: &str) -> bool {
    let conf = dir.join(format!("session-{}.conf", name.replace(' ', "-")));
    let text = format!(
        "{}secure_chroot_dir=/var/run/vsftpd/empty\nseccomp_sandbox=NO\n",
        config_text(dir, lines)
    );
    std::fs::write(&conf, text).expect("config");
    std::fs::set_permissions(&conf, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let script = format!(
        "ip link set lo up; {binary} {} 0</dev/null >/dev/null 2>&1 & sleep 0.3; \
         exec timeout 3 openssl s_client -starttls ftp -connect 127.0.0.1:21 </dev/null >/dev/null 2>&1",
        conf.display()
    );
    Command::new("setsid")
        .args(ISOLATED)
        .args(["sh", "-c", &script])
        .status()
        .expect("setsid and unshare run")
        .success()
}

struct Predicted {
    seen: Seen,
    handshakes_fail: bool,
}

fn predict(dialect: &str, conf: &Path) -> Predicted {
    let output = vsconf()
        .args([
            "lint",
            "--host-checks",
            "--format",
            "json",
            "--dialect",
            dialect,
        ])
        .arg(conf)
        .output()
        .expect("vsconf runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "vsconf's JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    let file = &json["files"][0];
    let startup = &file["startup"];
    let seen = if startup["refused"] == true {
        let message = startup["message"].as_str().unwrap_or_default();
        Seen::Refuses(
            message
                .strip_prefix("500 OOPS: ")
                .unwrap_or(message)
                .to_owned(),
        )
    } else if startup["crashed"] == true {
        Seen::Other("crash".to_owned())
    } else {
        Seen::Starts
    };
    let handshakes_fail = file["diagnostics"].as_array().is_some_and(|ds| {
        ds.iter().any(|d| {
            d["code"] == "VSC012"
                && d["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("every TLS handshake fails"))
        })
    });
    Predicted {
        seen,
        handshakes_fail,
    }
}

/// The dialect that models a build; Debian 13's binary is modelled by debian-3.0.3 until the
/// debian-3.0.5 dialect exists (its TLS loading is the same code and the same OpenSSL).
fn dialect_for(id: &str) -> &'static str {
    Dialect::ALL
        .into_iter()
        .find(|d| d.id() == id)
        .or_else(|| (id == "debian-3.0.5").then_some(Dialect::Debian303))
        .map_or("upstream-3.0.5", Dialect::id)
}

#[test]
fn every_live_build_loads_tls_files_as_predicted() {
    if !require("openssl", "openssl", false)
        || !require("setsid", "util-linux", true)
        || !require("unshare", "util-linux", true)
        || !BUILDS
            .iter()
            .all(|(binary, _)| require(binary, "vsftpd (see .ci/setup.d/)", true))
    {
        return;
    }
    let dir = scratch("system-host-checks");
    make_material(&dir);
    let mut runs: Vec<(usize, &str, &str, PathBuf)> = Vec::new();
    for (index, (_, lines, _)) in CASES.iter().enumerate() {
        let conf = dir.join(format!("case{index}.conf"));
        std::fs::write(&conf, config_text(&dir, lines)).expect("config");
        std::fs::set_permissions(&conf, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        for (binary, dialect) in BUILDS {
            let build_conf = dir.join(format!("case{index}-{dialect}.conf"));
            std::fs::copy(&conf, &build_conf).expect("copy config");
            runs.push((index, binary, dialect, build_conf));
        }
    }
    let mut failures = Vec::new();
    // Most runs wait for the 700 ms timeout: run a few at once.
    for chunk in runs.chunks(8) {
        let results: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|(index, binary, dialect, conf)| {
                    s.spawn(move || {
                        let seen = run_vsftpd(binary, conf);
                        let predicted = predict(dialect_for(dialect), conf);
                        (*index, *dialect, seen, predicted)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        for (index, dialect, seen, predicted) in results {
            let (name, lines, expected) = CASES[index];
            let expected = expected.map_or(Seen::Starts, |m| Seen::Refuses(m.to_owned()));
            if seen != expected {
                failures.push(format!(
                    "{name} ({dialect}): the build gives {seen:?}, the table says {expected:?}"
                ));
            }
            if predicted.seen != seen {
                failures.push(format!(
                    "{name} ({dialect}): vsftpd {seen:?}, vsconf predicts {:?}\n{lines}",
                    predicted.seen
                ));
            }
            let mixed_types = name == "rsa cert, ec key";
            if predicted.handshakes_fail != mixed_types {
                failures.push(format!(
                    "{name} ({dialect}): vsconf {} that every handshake fails",
                    if mixed_types { "does not say" } else { "says" }
                ));
            }
        }
    }
    // Mixed key types start, as predicted; prove that the handshake then fails, and works with the pair.
    std::fs::create_dir_all("/var/run/vsftpd/empty").expect("secure_chroot_dir");
    for (name, works) in [("rsa pair", true), ("rsa cert, ec key", false)] {
        let Some((_, lines, _)) = CASES.iter().find(|(n, _, _)| *n == name) else {
            panic!("no case {name}");
        };
        for (binary, dialect) in BUILDS {
            if handshake_succeeds(binary, &dir, name, lines) != works {
                failures.push(format!(
                    "{name} ({dialect}): the TLS handshake {}",
                    if works { "fails" } else { "succeeds" }
                ));
            }
        }
    }
    println!(
        "compared {} runs ({} cases × {} builds)",
        runs.len(),
        CASES.len(),
        BUILDS.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
