//! A made-up machine for fixtures of `host_checks` rules, described in the fixture itself.
//!
//! A fixture with at least one `# host: …` line is linted as with `--host-checks` against this
//! machine; fixtures without one are linted without host checks. The machine always has the users
//! `root` (0), `nobody` (65534) and `ftp` (uid 107, gid 114, home `/srv/ftp`), and the directories
//! `/usr/share/empty` and `/var/run/vsftpd/empty` (root, 0755); the config file is owned by root.
//! Lines add to it:
//!
//! ```text
//! # host: dir /srv/ftp uid=107 gid=114 mode=755
//! # host: file /etc/ssl/certs/server.pem cert+key
//! # host: file /etc/ssl/certs/old.pem cert+key not_before=2020-01-01 not_after=2021-01-01
//! # host: file /etc/ssl/certs/cert-only.pem cert
//! # host: file /etc/ssl/private/server.key key
//! # host: file /etc/ssl/private/other.key other-key
//! # host: file /etc/ssl/private/ed25519.key ed25519-key
//! # host: file /etc/ssl/private/locked.key encrypted-key
//! # host: user alice uid=1000 gid=1000 home=/home/alice
//! # host: resolves ftp.example.com
//! ```
//!
//! `cert`, `key` and `cert+key` are a real P-256 certificate and its key (tests/fixtures/tls/);
//! `other-key` is the key of another P-256 certificate, `ed25519-key` an Ed25519 key, `encrypted-key`
//! a key block protected by a pass phrase. A `cert+key` file with dates holds a structurally valid
//! (unsigned, self-issued) DER certificate with those validity dates and the real certificate's
//! public key, then its key; the machine's clock reads 2026-06-01 00:00:00 UTC.

use base64::Engine;
use vsconf::startup::host::{Host, PathMeta, UserEntry};

#[derive(Default)]
pub struct FixtureHost {
    dirs: Vec<(Vec<u8>, PathMeta)>,
    files: Vec<(Vec<u8>, Vec<u8>)>,
    users: Vec<(Vec<u8>, UserEntry)>,
    names: Vec<Vec<u8>>,
}

fn field(words: &[&str], key: &str) -> Option<u32> {
    words.iter().find_map(|w| {
        let v = w.strip_prefix(key)?.strip_prefix('=')?;
        if key == "mode" {
            u32::from_str_radix(v, 8).ok()
        } else {
            v.parse().ok()
        }
    })
}

/// The machine a fixture describes, or `None` when it has no `# host:` line.
pub fn for_fixture(text: &[u8]) -> Option<FixtureHost> {
    let text = String::from_utf8_lossy(text);
    let lines: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# host: "))
        .collect();
    if lines.is_empty() {
        return None;
    }
    let dir = |uid, gid, mode| PathMeta {
        uid,
        gid,
        mode,
        is_dir: true,
    };
    let user = |uid, gid, home: &str| UserEntry {
        uid,
        gid,
        home: home.as_bytes().to_vec(),
    };
    let mut host = FixtureHost {
        dirs: vec![
            (b"/usr/share/empty".to_vec(), dir(0, 0, 0o755)),
            (b"/var/run/vsftpd/empty".to_vec(), dir(0, 0, 0o755)),
        ],
        users: vec![
            (b"root".to_vec(), user(0, 0, "/root")),
            (b"nobody".to_vec(), user(65534, 65534, "/nonexistent")),
            (b"ftp".to_vec(), user(107, 114, "/srv/ftp")),
        ],
        ..FixtureHost::default()
    };
    for line in lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["dir", path, rest @ ..] => host.dirs.insert(
                0,
                (
                    path.as_bytes().to_vec(),
                    dir(
                        field(rest, "uid").unwrap_or(0),
                        field(rest, "gid").unwrap_or(0),
                        field(rest, "mode").unwrap_or(0o755),
                    ),
                ),
            ),
            ["file", path, kind] => host.files.push((
                path.as_bytes().to_vec(),
                match *kind {
                    "cert+key" => [CERT, KEY].concat(),
                    "cert" => CERT.to_vec(),
                    "key" => KEY.to_vec(),
                    "other-key" => OTHER_KEY.to_vec(),
                    "ed25519-key" => ED25519_KEY.to_vec(),
                    "encrypted-key" => ENCRYPTED_KEY.to_vec(),
                    other => panic!("unknown file kind in `# host:` line: {other}"),
                },
            )),
            ["file", path, "cert+key", not_before, not_after] => host.files.push((
                path.as_bytes().to_vec(),
                dated_certificate(
                    not_before
                        .strip_prefix("not_before=")
                        .expect("not_before=YYYY-MM-DD"),
                    not_after
                        .strip_prefix("not_after=")
                        .expect("not_after=YYYY-MM-DD"),
                ),
            )),
            ["user", name, rest @ ..] => host.users.insert(
                0,
                (
                    name.as_bytes().to_vec(),
                    user(
                        field(rest, "uid").unwrap_or(1000),
                        field(rest, "gid").unwrap_or(1000),
                        rest.iter()
                            .find_map(|w| w.strip_prefix("home="))
                            .unwrap_or("/nonexistent"),
                    ),
                ),
            ),
            ["resolves", name] => host.names.push(name.as_bytes().to_vec()),
            other => panic!("unknown `# host:` line: {other:?}"),
        }
    }
    Some(host)
}

const CERT: &[u8] = include_bytes!("../fixtures/tls/p256-a.crt");
const KEY: &[u8] = include_bytes!("../fixtures/tls/p256-a.key");
const OTHER_KEY: &[u8] = include_bytes!("../fixtures/tls/p256-b-sec1.key");
const ED25519_KEY: &[u8] = include_bytes!("../fixtures/tls/ed25519.key");
const ENCRYPTED_KEY: &[u8] =
    b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";

/// The DER SubjectPublicKeyInfo of `CERT` (a P-256 key: 91 bytes from its `SEQUENCE` header).
fn certificate_spki() -> Vec<u8> {
    let body: String = String::from_utf8_lossy(CERT)
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("fixture certificate");
    let start = der
        .windows(4)
        .position(|w| w == [0x30, 0x59, 0x30, 0x13])
        .expect("P-256 SubjectPublicKeyInfo");
    der[start..start + 91].to_vec()
}

/// 2026-06-01 00:00:00 UTC.
const FIXTURE_NOW: i64 = 1_780_272_000;

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}

/// A PEM certificate (valid DER structure, the fixture's public key, no real signature) with these
/// validity dates, followed by the fixture's private key.
fn dated_certificate(not_before: &str, not_after: &str) -> Vec<u8> {
    let time = |d: &str| der(0x18, format!("{}000000Z", d.replace('-', "")).as_bytes());
    let ecdsa_sha256 = der(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]);
    let tbs = der(
        0x30,
        &[
            der(0xa0, &der(0x02, &[2])),
            der(0x02, &[1]),
            der(0x30, &ecdsa_sha256),
            der(0x30, &[]),
            der(0x30, &[time(not_before), time(not_after)].concat()),
            der(0x30, &[]),
            certificate_spki(),
        ]
        .concat(),
    );
    let certificate = der(
        0x30,
        &[tbs, der(0x30, &ecdsa_sha256), der(0x03, &[0])].concat(),
    );
    let body = base64::engine::general_purpose::STANDARD.encode(certificate);
    [
        format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n").as_bytes(),
        KEY,
    ]
    .concat()
}

impl Host for FixtureHost {
    fn config_file(&self) -> Option<(u32, bool)> {
        Some((0, true))
    }

    fn read(&self, path: &[u8]) -> Option<Vec<u8>> {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, c)| c.clone())
    }

    fn is_dir(&self, path: &[u8]) -> bool {
        self.metadata(path).is_some_and(|m| m.is_dir)
    }

    fn user_exists(&self, name: &[u8]) -> bool {
        self.user(name).is_some()
    }

    fn resolves(&self, name: &[u8]) -> bool {
        self.names.iter().any(|n| n == name)
    }

    fn metadata(&self, path: &[u8]) -> Option<PathMeta> {
        self.dirs.iter().find(|(p, _)| p == path).map(|(_, m)| *m)
    }

    fn now_unix_seconds(&self) -> Option<i64> {
        Some(FIXTURE_NOW)
    }

    fn user(&self, name: &[u8]) -> Option<UserEntry> {
        self.users
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, u)| u.clone())
    }
}
