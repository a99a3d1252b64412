//! Checks that depend on the machine vsftpd runs on: the config file's owner, TLS files, DNS, users and
//! directories. They run only when asked (`--host-checks`), through the [`Host`] trait, so that this
//! module does no I/O itself; the binary supplies the real machine.

use crate::dialect::Tunable;
use crate::model::EffectiveConfig;

use super::tls_files::{self, CertificateProblem, KeyProblem, Load, Material, Pair, PairFiles};
use super::{Check, Oops, oops};

/// What vsconf may ask about the machine.
pub trait Host {
    /// The owner uid of the config file, and whether it is a regular file (after following links).
    fn config_file(&self) -> Option<(u32, bool)>;
    /// The uid vsftpd will run as (0 for a service).
    fn vsftpd_uid(&self) -> u32 {
        0
    }
    /// The file's bytes, or `None` when it cannot be read.
    fn read(&self, path: &[u8]) -> Option<Vec<u8>>;
    /// Whether a directory exists at the path.
    fn is_dir(&self, path: &[u8]) -> bool;
    /// Whether a user of that name exists.
    fn user_exists(&self, name: &[u8]) -> bool;
    /// Whether the name resolves to an IPv4 address: vsftpd resolves `pasv_address` with
    /// `gethostbyname` (debian-3.0.3 binary: `pasv_addr_resolve=YES` with `pasv_address=::1` is
    /// refused with `cannot resolve host:::1`).
    fn resolves(&self, name: &[u8]) -> bool;
    /// Owner, group, permission bits and type of a path (links followed), or `None` when it does not
    /// exist or cannot be examined.
    fn metadata(&self, _path: &[u8]) -> Option<PathMeta> {
        None
    }
    /// The user database entry for a name, or `None` when there is none.
    fn user(&self, _name: &[u8]) -> Option<UserEntry> {
        None
    }
    /// The current time in seconds since the Unix epoch, or `None` when unknown (certificate dates
    /// are then not judged).
    fn now_unix_seconds(&self) -> Option<i64> {
        None
    }
    /// A file as vsftpd, running as root, finds it (the TLS files). By default [`Host::read`], which
    /// cannot tell a file vsconf may not read from a missing one.
    fn read_as_root(&self, path: &[u8]) -> FileRead {
        match self.read(path) {
            Some(bytes) => FileRead::Bytes(bytes),
            None => FileRead::Missing,
        }
    }
}

/// A file as vsftpd, running as root, finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRead {
    /// Its bytes.
    Bytes(Vec<u8>),
    /// Missing, not a regular file, or unreadable for root too.
    Missing,
    /// vsconf may not read it (it does not run as root); vsftpd may.
    DeniedToVsconf,
}

/// What `stat` says about a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathMeta {
    /// Owner uid.
    pub uid: u32,
    /// Group gid.
    pub gid: u32,
    /// Permission bits (`st_mode & 0o7777`).
    pub mode: u32,
    /// Whether it is a directory.
    pub is_dir: bool,
}

/// A user database entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserEntry {
    /// The uid.
    pub uid: u32,
    /// The primary gid.
    pub gid: u32,
    /// The home directory.
    pub home: Vec<u8>,
}

/// A host problem at startup or in each session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostFinding {
    /// vsftpd's message.
    pub oops: Oops,
    /// Whether it stops vsftpd from starting (otherwise every session is refused).
    pub at_startup: bool,
    /// Why, in vsconf's words, when vsftpd's text does not say (which file, which key).
    pub detail: Option<String>,
}

/// Runs the host checks in vsftpd's order and returns every problem found.
pub fn check(config: &EffectiveConfig, host: &dyn Host) -> Vec<HostFinding> {
    let report = Report { config };
    let mut out = Vec::new();
    match host.config_file() {
        Some((uid, true)) if uid == host.vsftpd_uid() => {}
        _ => out.push(report.finding(oops::NOT_OWNED.as_bytes().to_vec(), None, true)),
    }
    if config.bool(Tunable::PasvAddrResolve) {
        if let Some(name) = config.string(Tunable::PasvAddress) {
            if !host.resolves(name) {
                out.push(report.finding(
                    oops::cannot_resolve(name),
                    Some(Tunable::PasvAddress),
                    true,
                ));
            }
        }
    }
    if let Some(mut refusal) = tls(config, host).and_then(|t| t.refusal()) {
        refusal.oops.span = refusal
            .oops
            .tunable
            .and_then(Tunable::from_name)
            .and_then(|t| report.line(t));
        out.push(refusal);
    }
    // In a standalone server these are checked in each session, after vsftpd has started; under
    // inetd the session is the only process, so they stop it.
    let standalone = config.bool(Tunable::Listen) || config.bool(Tunable::ListenIpv6);
    out.extend(named_users(&report, host, !standalone));
    out.extend(listed_files(&report, host, !standalone));
    let chroot = config.string(Tunable::SecureChrootDir).unwrap_or(b"(null)");
    if !host.is_dir(chroot) {
        out.push(report.finding(
            oops::secure_chroot_missing(chroot),
            Some(Tunable::SecureChrootDir),
            !standalone,
        ));
    }
    let nopriv = config.string(Tunable::NoprivUser).unwrap_or(b"(null)");
    if !host.user_exists(nopriv) {
        out.push(report.finding(
            oops::cannot_locate_user_entry(nopriv),
            Some(Tunable::NoprivUser),
            !standalone,
        ));
    }
    out
}

/// Builds host findings for one config: the line of the tunable and the build's OOPS destination.
struct Report<'a> {
    config: &'a EffectiveConfig,
}

impl Report<'_> {
    fn line(&self, tunable: Tunable) -> Option<crate::syntax::Span> {
        self.config.origin(tunable).line()
    }

    fn finding(&self, message: Vec<u8>, tunable: Option<Tunable>, at_startup: bool) -> HostFinding {
        HostFinding {
            oops: Oops {
                message,
                check: Check::Host,
                span: tunable.and_then(|t| self.line(t)),
                tunable: tunable.map(Tunable::name),
                delivery: super::Delivery::Printed {
                    fd: self.config.dialect().oops_destination().fd(),
                },
            },
            at_startup,
            detail: None,
        }
    }
}

/// The users vsftpd looks up when a switch is on (switch, the setting naming the user), in its order.
const NAMED_USERS: [(Tunable, Tunable); 3] = [
    (Tunable::AnonymousEnable, Tunable::FtpUsername),
    (Tunable::GuestEnable, Tunable::GuestUsername),
    (Tunable::ChownUploads, Tunable::ChownUsername),
];

fn named_users(report: &Report<'_>, host: &dyn Host, at_startup: bool) -> Vec<HostFinding> {
    let config = report.config;
    NAMED_USERS
        .into_iter()
        .filter(|(switch, _)| config.bool(*switch))
        .filter_map(|(_, setting)| {
            let name = config.string(setting).unwrap_or(b"(null)");
            (!host.user_exists(name)).then(|| {
                report.finding(
                    oops::cannot_locate_user(setting.name(), name),
                    Some(setting),
                    at_startup,
                )
            })
        })
        .collect()
}

/// vsftpd's text for a file it cannot read, given the path.
type TextFor = fn(&[u8]) -> Vec<u8>;

/// The files vsftpd reads before a session starts, in its order, each with the text it refuses with
/// when the file cannot be read (startup-checks.md B7–B10).
fn listed_files(report: &Report<'_>, host: &dyn Host, at_startup: bool) -> Vec<HostFinding> {
    let config = report.config;
    let on = |t: Tunable| config.bool(t);
    let files: [(bool, Tunable, TextFor); 4] = [
        // B7: the banned e-mail list.
        (
            on(Tunable::DenyEmailEnable),
            Tunable::BannedEmailFile,
            oops::cannot_read_deny_email,
        ),
        // The banner, whenever one is named.
        (
            config.string(Tunable::BannerFile).is_some(),
            Tunable::BannerFile,
            oops::cannot_read_banner,
        ),
        // B9: the e-mail password list.
        (
            on(Tunable::SecureEmailListEnable),
            Tunable::EmailPasswordFile,
            oops::cannot_read_secure_email,
        ),
        // B10 (debian-3.0.3 binary, seen by the probe on rhel-stock.conf): with local logins the user
        // list must be readable, else every session gets this text, then a `priv_sock_get_cmd` line.
        (
            on(Tunable::LocalEnable) && on(Tunable::UserlistEnable),
            Tunable::UserlistFile,
            oops::cannot_read_user_list,
        ),
    ];
    files
        .into_iter()
        .filter(|(read, _, _)| *read)
        .filter_map(|(_, setting, text_for)| {
            let path = config.string(setting).unwrap_or(b"(null)");
            host.read(path)
                .is_none()
                .then(|| report.finding(text_for(path), Some(setting), at_startup))
        })
        .collect()
}

/// The TLS files vsftpd loads at startup with `ssl_enable=YES`, and what loading them gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The outcome, as OpenSSL would have it.
    pub load: Load,
    pairs: Vec<PairPaths>,
    /// The build's descriptor for `500 OOPS` (the TLS context is built before any fork).
    oops_fd: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PairPaths {
    pair: Pair,
    cert: Vec<u8>,
    cert_setting: Tunable,
    /// The key file: the key setting's, else the cert file.
    key: Vec<u8>,
    key_setting: Option<Tunable>,
}

/// A TLS fact that does not stop vsftpd: every handshake will fail, or vsconf could not tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsNote {
    /// What, in vsconf's words.
    pub message: String,
    /// Whether every TLS handshake fails (otherwise vsconf could not check something).
    pub handshakes_fail: bool,
    /// The setting it concerns.
    pub tunable: Tunable,
}

/// Reads the TLS files the way vsftpd does (docs/host-checks.md: the RSA pair always, its key from
/// `rsa_private_key_file` or else the cert file; the DSA pair only when `dsa_cert_file` is set; an
/// empty value is the same as unset), or `None` when `ssl_enable=NO`.
pub fn tls(config: &EffectiveConfig, host: &dyn Host) -> Option<TlsFiles> {
    if !config.bool(Tunable::SslEnable) {
        return None;
    }
    let set = |t: Tunable| config.string(t).filter(|v| !v.is_empty());
    let mut pairs = vec![(Pair::Rsa, Tunable::RsaCertFile, Tunable::RsaPrivateKeyFile)];
    if set(Tunable::DsaCertFile).is_some() {
        pairs.push((Pair::Dsa, Tunable::DsaCertFile, Tunable::DsaPrivateKeyFile));
    }
    let pairs: Vec<PairPaths> = pairs
        .into_iter()
        .map(|(pair, cert_setting, key_setting)| {
            let cert = set(cert_setting).unwrap_or_default().to_vec();
            let key_set = set(key_setting);
            PairPaths {
                pair,
                key: key_set.map_or_else(|| cert.clone(), <[u8]>::to_vec),
                key_setting: key_set.map(|_| key_setting),
                cert,
                cert_setting,
            }
        })
        .collect();
    let read = |path: &[u8]| {
        if path.is_empty() {
            FileRead::Missing
        } else {
            host.read_as_root(path)
        }
    };
    let contents: Vec<(FileRead, FileRead)> = pairs
        .iter()
        .map(|p| (read(&p.cert), read(&p.key)))
        .collect();
    fn material(f: &FileRead) -> Material<'_> {
        match f {
            FileRead::Bytes(b) => Material::Bytes(b),
            FileRead::Missing => Material::Missing,
            FileRead::DeniedToVsconf => Material::NotReadableByVsconf,
        }
    }
    let files: Vec<PairFiles<'_>> = pairs
        .iter()
        .zip(&contents)
        .map(|(p, (cert, key))| PairFiles {
            pair: p.pair,
            cert_path: &p.cert,
            cert: material(cert),
            key_path: &p.key,
            key: material(key),
        })
        .collect();
    let load = tls_files::load(&files);
    Some(TlsFiles {
        load,
        pairs,
        oops_fd: config.dialect().oops_destination().fd(),
    })
}

impl TlsFiles {
    fn paths(&self, pair: Pair) -> Option<&PairPaths> {
        self.pairs.iter().find(|p| p.pair == pair)
    }

    /// vsftpd's refusal to start, with which file and why, when a file does not load.
    pub fn refusal(&self) -> Option<HostFinding> {
        let (text, tunable, detail) = match &self.load {
            Load::Certificate(pair, problem) => {
                let paths = self.paths(*pair)?;
                let text = match pair {
                    Pair::Rsa => oops::SSL_CERT,
                    Pair::Dsa => oops::SSL_DSA_CERT,
                };
                (text, paths.cert_setting, certificate_detail(paths, problem))
            }
            Load::Key(pair, problem) => {
                let paths = self.paths(*pair)?;
                let text = match pair {
                    Pair::Rsa => oops::SSL_KEY,
                    Pair::Dsa => oops::SSL_DSA_KEY,
                };
                let tunable = paths.key_setting.unwrap_or(paths.cert_setting);
                (text, tunable, key_detail(paths, problem))
            }
            Load::Loads { .. } | Load::Unknown(_) => return None,
        };
        Some(HostFinding {
            oops: Oops {
                message: text.as_bytes().to_vec(),
                check: Check::Host,
                span: None,
                tunable: Some(tunable.name()),
                delivery: super::Delivery::Printed { fd: self.oops_fd },
            },
            at_startup: true,
            detail: Some(detail),
        })
    }

    /// What loads but will not work, and what vsconf could not check.
    pub fn notes(&self) -> Vec<TlsNote> {
        let Some(rsa) = self.paths(Pair::Rsa) else {
            return Vec::new();
        };
        let key_setting = rsa.key_setting.unwrap_or(rsa.cert_setting);
        match &self.load {
            Load::Loads {
                unusable_key,
                unchecked,
            } => {
                let mut notes: Vec<TlsNote> = unchecked
                    .iter()
                    .map(|message| TlsNote {
                        message: message.clone(),
                        handshakes_fail: false,
                        tunable: key_setting,
                    })
                    .collect();
                if let Some((cert, key)) = unusable_key {
                    notes.push(TlsNote {
                        message: format!(
                            "vsftpd starts, but every TLS handshake fails: the certificate in {} has an {} key and the key in {} is {}, and OpenSSL pairs a key only with a certificate of its type",
                            shown(&rsa.cert),
                            cert.name(),
                            shown(&rsa.key),
                            key.name()
                        ),
                        handshakes_fail: true,
                        tunable: key_setting,
                    });
                }
                notes
            }
            Load::Unknown(message) => vec![TlsNote {
                message: message.clone(),
                handshakes_fail: false,
                tunable: key_setting,
            }],
            Load::Certificate(..) | Load::Key(..) => Vec::new(),
        }
    }
}

fn shown(path: &[u8]) -> String {
    crate::syntax::escape_bytes(path)
}

fn certificate_detail(paths: &PairPaths, problem: &CertificateProblem) -> String {
    let file = shown(&paths.cert);
    let setting = paths.cert_setting.name();
    match problem {
        CertificateProblem::Unreadable if paths.cert.is_empty() => {
            format!("`{setting}` is empty: vsftpd loads the RSA certificate even so, and fails")
        }
        CertificateProblem::Unreadable => format!("{file} is missing, not a file, or empty"),
        CertificateProblem::NoCertificate => {
            format!("{file} holds no certificate (no `-----BEGIN CERTIFICATE-----` block)")
        }
        CertificateProblem::Malformed(index) => {
            format!("certificate {index} in {file} is not a certificate (bad base64 or DER)")
        }
        CertificateProblem::WeakKey { index, kind, bits } => format!(
            "certificate {index} in {file} has a {bits}-bit {} key: OpenSSL's default security level 2 needs 2048 bits for RSA and DSA, 224 for EC",
            kind.name()
        ),
        CertificateProblem::WeakSignature(index) => format!(
            "certificate {index} in {file} is signed with SHA-1 or MD5, which OpenSSL's default security level 2 refuses"
        ),
    }
}

fn key_detail(paths: &PairPaths, problem: &KeyProblem) -> String {
    let file = shown(&paths.key);
    let from_cert = match (paths.key_setting, paths.pair) {
        (Some(_), _) => String::new(),
        (None, Pair::Rsa) => {
            " (no `rsa_private_key_file`: vsftpd reads the key from the cert file)".to_owned()
        }
        (None, Pair::Dsa) => {
            " (no `dsa_private_key_file`: vsftpd reads the key from the cert file)".to_owned()
        }
    };
    match problem {
        KeyProblem::Unreadable => format!("{file} is missing, not a file, or empty{from_cert}"),
        KeyProblem::NoKey => format!("{file} holds no private key{from_cert}"),
        KeyProblem::Encrypted => format!(
            "the key in {file} is protected by a pass phrase{from_cert}: vsftpd asks for it (`Enter PEM pass phrase:`) only when started from a terminal, never under a service manager"
        ),
        KeyProblem::Malformed => {
            format!("the key in {file} is not a private key (bad base64 or DER){from_cert}")
        }
        KeyProblem::Mismatch(kind) => format!(
            "the {} key in {file} does not belong to the certificate in {}{from_cert}",
            kind.name(),
            shown(&paths.cert)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::syntax::parse;

    struct FakeHost {
        files: Vec<(&'static [u8], &'static [u8])>,
    }

    impl Host for FakeHost {
        fn config_file(&self) -> Option<(u32, bool)> {
            Some((0, true))
        }
        fn read(&self, path: &[u8]) -> Option<Vec<u8>> {
            self.files
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, c)| c.to_vec())
        }
        fn is_dir(&self, path: &[u8]) -> bool {
            path == b"/var/run/vsftpd/empty"
        }
        fn user_exists(&self, name: &[u8]) -> bool {
            name == b"ftp" || name == b"nobody"
        }
        fn resolves(&self, _: &[u8]) -> bool {
            false
        }
    }

    const CERT: &[u8] = include_bytes!("../../tests/fixtures/tls/p256-a.crt");
    const KEY: &[u8] = include_bytes!("../../tests/fixtures/tls/p256-a.key");
    const OTHER_KEY: &[u8] = include_bytes!("../../tests/fixtures/tls/p256-b-sec1.key");

    fn tls_findings(text: &[u8], files: Vec<(&'static [u8], &'static [u8])>) -> Vec<HostFinding> {
        let cst = parse(text).cst;
        let config = EffectiveConfig::read(&cst, Dialect::Debian303, None);
        check(&config, &FakeHost { files })
    }

    #[test]
    fn missing_certificate_is_found_before_anything_else() {
        let text =
            b"listen=YES\nssl_enable=YES\nrsa_cert_file=/c.pem\nrsa_private_key_file=/k.pem\n";
        let findings = tls_findings(text, vec![]);
        assert_eq!(
            findings[0].oops.message,
            b"SSL: cannot load RSA certificate"
        );
        assert_eq!(findings[0].oops.tunable, Some("rsa_cert_file"));
        assert!(tls_findings(text, vec![(b"/c.pem", CERT), (b"/k.pem", KEY)]).is_empty());
    }

    #[test]
    fn a_key_of_another_certificate_points_at_the_key_setting() {
        let text =
            b"listen=YES\nssl_enable=YES\nrsa_cert_file=/c.pem\nrsa_private_key_file=/k.pem\n";
        let findings = tls_findings(text, vec![(b"/c.pem", CERT), (b"/k.pem", OTHER_KEY)]);
        assert_eq!(findings.len(), 1);
        let finding = &findings[0];
        assert_eq!(finding.oops.message, b"SSL: cannot load RSA private key");
        assert_eq!(finding.oops.tunable, Some("rsa_private_key_file"));
        assert_eq!(
            finding.oops.span.map(|s| s.start),
            Some(47),
            "the line `rsa_private_key_file=/k.pem`"
        );
        assert_eq!(
            finding.detail.as_deref(),
            Some("the EC key in /k.pem does not belong to the certificate in /c.pem")
        );
    }

    #[test]
    fn the_dsa_pair_loads_only_when_set_and_after_the_rsa_pair() {
        let rsa = "listen=YES\nssl_enable=YES\nrsa_cert_file=/c.pem\nrsa_private_key_file=/k.pem\n";
        let files = || vec![(&b"/c.pem"[..], CERT), (&b"/k.pem"[..], KEY)];
        assert!(tls_findings(format!("{rsa}dsa_cert_file=\n").as_bytes(), files()).is_empty());
        let missing = tls_findings(format!("{rsa}dsa_cert_file=/d.pem\n").as_bytes(), files());
        assert_eq!(missing[0].oops.message, b"SSL: cannot load DSA certificate");
        // The DSA cert file holds no key and no dsa_private_key_file is set.
        let mut with_dsa = files();
        with_dsa.push((b"/d.pem", CERT));
        let no_key = tls_findings(format!("{rsa}dsa_cert_file=/d.pem\n").as_bytes(), with_dsa);
        assert_eq!(no_key[0].oops.message, b"SSL: cannot load DSA private key");
        assert_eq!(no_key[0].oops.tunable, Some("dsa_cert_file"));
        // Both missing: the RSA pair is loaded first.
        let both = tls_findings(
            b"listen=YES\nssl_enable=YES\nrsa_cert_file=/x\ndsa_cert_file=/y\n",
            vec![],
        );
        assert_eq!(both.len(), 1);
        assert_eq!(both[0].oops.message, b"SSL: cannot load RSA certificate");
    }

    struct RootOnly;

    impl Host for RootOnly {
        fn config_file(&self) -> Option<(u32, bool)> {
            Some((0, true))
        }
        fn read(&self, _: &[u8]) -> Option<Vec<u8>> {
            None
        }
        fn read_as_root(&self, path: &[u8]) -> FileRead {
            if path == b"/c.pem" {
                FileRead::Bytes(CERT.to_vec())
            } else {
                FileRead::DeniedToVsconf
            }
        }
        fn is_dir(&self, _: &[u8]) -> bool {
            true
        }
        fn user_exists(&self, _: &[u8]) -> bool {
            true
        }
        fn resolves(&self, _: &[u8]) -> bool {
            true
        }
    }

    #[test]
    fn a_key_only_root_may_read_is_not_guessed_at() {
        let text =
            b"listen=YES\nssl_enable=YES\nrsa_cert_file=/c.pem\nrsa_private_key_file=/k.pem\n";
        let cst = parse(text).cst;
        let config = EffectiveConfig::read(&cst, Dialect::Debian303, None);
        assert!(check(&config, &RootOnly).is_empty());
        let notes = tls(&config, &RootOnly)
            .map(|t| t.notes())
            .unwrap_or_default();
        assert_eq!(notes.len(), 1);
        assert!(!notes[0].handshakes_fail);
        assert_eq!(notes[0].tunable, Tunable::RsaPrivateKeyFile);
        assert_eq!(
            notes[0].message,
            "vsconf may not read /k.pem (vsftpd reads it as root): run the host checks as root"
        );
    }

    #[test]
    fn tls_files_are_not_read_with_ssl_off() {
        assert!(tls_findings(b"listen=YES\nrsa_cert_file=/nope\n", vec![]).is_empty());
    }

    #[test]
    fn an_unreadable_user_list_refuses_every_local_session() {
        let cst =
            parse(b"listen=YES\nlocal_enable=YES\nuserlist_enable=YES\nuserlist_file=/nope\n").cst;
        let config = EffectiveConfig::read(&cst, Dialect::Debian303, None);
        let findings = check(&config, &FakeHost { files: vec![] });
        let messages: Vec<String> = findings
            .iter()
            .map(|f| String::from_utf8_lossy(&f.oops.message).into_owned())
            .collect();
        assert!(
            messages.contains(&"cannot read user list file:/nope".to_owned()),
            "{messages:?}"
        );
        assert!(
            findings.iter().all(|f| !f.at_startup),
            "standalone: per session"
        );
    }
}
