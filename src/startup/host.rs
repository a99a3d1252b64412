//! Checks that depend on the machine vsftpd runs on: the config file's owner, TLS files, DNS, users and
//! directories. They run only when asked (`--host-checks`), through the [`Host`] trait, so that this
//! module does no I/O itself; the binary supplies the real machine.

use crate::dialect::Tunable;
use crate::model::EffectiveConfig;

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
}

/// Runs the host checks in vsftpd's order and returns every problem found.
pub fn check(config: &EffectiveConfig, host: &dyn Host) -> Vec<HostFinding> {
    let mut out = Vec::new();
    let line = |t: Tunable| config.origin(t).line();
    let mut push = |message: Vec<u8>, tunable: Option<Tunable>, at_startup: bool| {
        let span = tunable.and_then(line);
        out.push(HostFinding {
            oops: Oops {
                message,
                check: Check::Host,
                span,
                tunable: tunable.map(Tunable::name),
                delivery: super::Delivery::Printed {
                    fd: config.dialect().oops_destination().fd(),
                },
            },
            at_startup,
        });
    };
    match host.config_file() {
        Some((uid, true)) if uid == host.vsftpd_uid() => {}
        _ => push(oops::NOT_OWNED.as_bytes().to_vec(), None, true),
    }
    if config.bool(Tunable::PasvAddrResolve) {
        if let Some(name) = config.string(Tunable::PasvAddress) {
            if !host.resolves(name) {
                push(oops::cannot_resolve(name), Some(Tunable::PasvAddress), true);
            }
        }
    }
    if config.bool(Tunable::SslEnable) {
        let cert_path = config.string(Tunable::RsaCertFile);
        let cert = cert_path.and_then(|p| host.read(p));
        let has_cert = cert
            .as_deref()
            .is_some_and(|c| contains(c, b"-----BEGIN CERTIFICATE-----"));
        if !has_cert {
            push(
                oops::SSL_CERT.as_bytes().to_vec(),
                Some(Tunable::RsaCertFile),
                true,
            );
        } else {
            let key = match config.string(Tunable::RsaPrivateKeyFile) {
                Some(p) => host.read(p),
                None => cert,
            };
            if !key
                .as_deref()
                .is_some_and(|k| contains(k, b"PRIVATE KEY-----"))
            {
                push(
                    oops::SSL_KEY.as_bytes().to_vec(),
                    Some(Tunable::RsaPrivateKeyFile),
                    true,
                );
            }
        }
    }
    let standalone = config.bool(Tunable::Listen) || config.bool(Tunable::ListenIpv6);
    if config.bool(Tunable::AnonymousEnable) {
        let name = config.string(Tunable::FtpUsername).unwrap_or(b"(null)");
        if !host.user_exists(name) {
            push(
                oops::cannot_locate_user("ftp_username", name),
                Some(Tunable::FtpUsername),
                !standalone,
            );
        }
    }
    if config.bool(Tunable::GuestEnable) {
        let name = config.string(Tunable::GuestUsername).unwrap_or(b"(null)");
        if !host.user_exists(name) {
            push(
                oops::cannot_locate_user("guest_username", name),
                Some(Tunable::GuestUsername),
                !standalone,
            );
        }
    }
    if config.bool(Tunable::ChownUploads) {
        let name = config.string(Tunable::ChownUsername).unwrap_or(b"(null)");
        if !host.user_exists(name) {
            push(
                oops::cannot_locate_user("chown_username", name),
                Some(Tunable::ChownUsername),
                !standalone,
            );
        }
    }
    // startup-checks.md B7: the banned e-mail list is read when deny_email_enable=YES.
    if config.bool(Tunable::DenyEmailEnable) {
        let path = config.string(Tunable::BannedEmailFile).unwrap_or(b"(null)");
        if host.read(path).is_none() {
            push(
                [&b"cannot read anon e-mail list file:"[..], path].concat(),
                Some(Tunable::BannedEmailFile),
                !standalone,
            );
        }
    }
    if let Some(path) = config.string(Tunable::BannerFile) {
        if host.read(path).is_none() {
            push(
                oops::cannot_read_banner(path),
                Some(Tunable::BannerFile),
                !standalone,
            );
        }
    }
    // B9: the e-mail password list, when secure_email_list_enable=YES.
    if config.bool(Tunable::SecureEmailListEnable) {
        let path = config
            .string(Tunable::EmailPasswordFile)
            .unwrap_or(b"(null)");
        if host.read(path).is_none() {
            push(
                [&b"cannot read email passwords file:"[..], path].concat(),
                Some(Tunable::EmailPasswordFile),
                !standalone,
            );
        }
    }
    // B10 (debian-3.0.3 binary, seen by the probe on rhel-stock.conf): with local logins and
    // userlist_enable=YES the list must be readable, else every session gets
    // `500 OOPS: cannot read user list file:<path>` (followed by a `priv_sock_get_cmd` line).
    if config.bool(Tunable::LocalEnable) && config.bool(Tunable::UserlistEnable) {
        let path = config.string(Tunable::UserlistFile).unwrap_or(b"(null)");
        if host.read(path).is_none() {
            push(
                [&b"cannot read user list file:"[..], path].concat(),
                Some(Tunable::UserlistFile),
                !standalone,
            );
        }
    }
    let chroot = config.string(Tunable::SecureChrootDir).unwrap_or(b"(null)");
    if !host.is_dir(chroot) {
        push(
            oops::secure_chroot_missing(chroot),
            Some(Tunable::SecureChrootDir),
            !standalone,
        );
    }
    let nopriv = config.string(Tunable::NoprivUser).unwrap_or(b"(null)");
    if !host.user_exists(nopriv) {
        push(
            oops::cannot_locate_user_entry(nopriv),
            Some(Tunable::NoprivUser),
            !standalone,
        );
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
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

    #[test]
    fn missing_certificate_is_found_before_anything_else() {
        let cst = parse(b"listen=YES\nssl_enable=YES\nrsa_cert_file=/c.pem\n").cst;
        let config = EffectiveConfig::read(&cst, Dialect::Debian303, None);
        let findings = check(&config, &FakeHost { files: vec![] });
        assert_eq!(
            findings[0].oops.message,
            b"SSL: cannot load RSA certificate"
        );
        let with_cert = FakeHost {
            files: vec![(
                b"/c.pem",
                b"-----BEGIN CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n",
            )],
        };
        assert!(check(&config, &with_cert).is_empty());
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
