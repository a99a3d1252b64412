//! `new --profile`: sane, commented configs for common setups, with the values given on the command
//! line. Every value goes through the same type checks as `set`; every generated file starts under the
//! real vsftpd (system test `edit::new_profiles_start_the_real_vsftpd`) and lints without warnings.
//!
//! All profiles listen on IPv4 only (`listen=YES`, `listen_ipv6=NO`): with the IPv6 listener vsftpd
//! ignores `pasv_address` in its PASV reply (data-channel.md §2), which breaks NAT setups. All pin the
//! passive range so a firewall can open exactly it, and switch active mode off: the data channel is then
//! just that range.

use crate::dialect::{Dialect, Tunable};

use super::set::{SetError, check_value};

/// A setup `new` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Anonymous, read-only downloads from one directory; no local logins, no uploads.
    AnonymousDownload,
    /// Local users only, chrooted to their homes, TLS required for logins and data.
    LocalTls,
    /// Both: anonymous read-only downloads and local TLS users, behind NAT (`pasv_address` required).
    BehindNat,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 3] = [
        Profile::AnonymousDownload,
        Profile::LocalTls,
        Profile::BehindNat,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Profile::AnonymousDownload => "anonymous-download",
            Profile::LocalTls => "local-tls",
            Profile::BehindNat => "behind-nat",
        }
    }
}

/// The values a profile is filled with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileOptions {
    /// The vsftpd build the file is for.
    pub dialect: Dialect,
    /// Control port.
    pub listen_port: u16,
    /// First and last passive port.
    pub pasv_range: (u16, u16),
    /// The public IPv4 address to advertise in PASV replies (behind NAT).
    pub pasv_address: Option<String>,
    /// TLS certificate (PEM), `local-tls` only.
    pub tls_cert: Option<String>,
    /// TLS private key (PEM), `local-tls` only. Without it, `tls_cert` must be a PEM file that holds
    /// the key too (`tls_cert_holds_key`).
    pub tls_key: Option<String>,
    /// Whether the `tls_cert` file also holds a private key (the binary reads the file to tell).
    pub tls_cert_holds_key: bool,
    /// Directory served to anonymous users, `anonymous-download` only.
    pub anon_root: String,
}

impl ProfileOptions {
    /// Defaults for a dialect: port 21, passive 50000–50100, `/srv/ftp`, the distribution's usual
    /// certificate paths.
    pub fn new(dialect: Dialect) -> ProfileOptions {
        ProfileOptions {
            dialect,
            listen_port: 21,
            pasv_range: (50000, 50100),
            pasv_address: None,
            tls_cert: None,
            tls_key: None,
            tls_cert_holds_key: false,
            anon_root: "/srv/ftp".to_owned(),
        }
    }
}

/// Why a profile cannot be filled in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum ProfileError {
    /// A value fails the setting's type check.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Value(#[from] SetError),
    /// `behind-nat` without the public address.
    #[error("the behind-nat profile needs the public address clients reach the server at")]
    #[diagnostic(
        code(vsconf::edit::pasv_address),
        help(
            "give --pasv-address with the NAT's public IPv4 address, e.g. --pasv-address 203.0.113.10"
        )
    )]
    NeedsPasvAddress,
    /// The passive range is not one vsftpd honours.
    #[error("passive range {min}-{max} is not one vsftpd uses as given")]
    #[diagnostic(
        code(vsconf::edit::pasv_range),
        help(
            "vsftpd ignores pasv_min_port ≤ 1024 and a pasv_max_port below the minimum: give MIN-MAX with 1024 < MIN ≤ MAX ≤ 65535"
        )
    )]
    PasvRange {
        /// First port.
        min: u16,
        /// Last port.
        max: u16,
    },
    /// A certificate without its key: the default key belongs to another certificate, and vsftpd
    /// refuses the pair (`500 OOPS: SSL: cannot load RSA private key`).
    #[error(
        "--tls-cert {cert} without --tls-key: the key would be the default one, which does not belong to this certificate"
    )]
    #[diagnostic(
        code(vsconf::edit::tls_key),
        help(
            "give the certificate's key with --tls-key PATH, or one PEM file that holds both the certificate and the key as --tls-cert (vsftpd then reads the key from it)"
        )
    )]
    CertWithoutKey {
        /// The certificate path.
        cert: String,
    },
    /// A key without its certificate.
    #[error(
        "--tls-key {key} without --tls-cert: the certificate would be the default one, which does not belong to this key"
    )]
    #[diagnostic(
        code(vsconf::edit::tls_cert),
        help("give the key's certificate with --tls-cert PATH")
    )]
    KeyWithoutCert {
        /// The key path.
        key: String,
    },
}

fn default_cert(dialect: Dialect) -> (&'static str, &'static str) {
    match dialect {
        // Debian's stock file uses the snakeoil pair from ssl-cert.
        Dialect::Debian303 | Dialect::Debian305 => (
            "/etc/ssl/certs/ssl-cert-snakeoil.pem",
            "/etc/ssl/private/ssl-cert-snakeoil.key",
        ),
        Dialect::Rhel303 | Dialect::Rhel305 => (
            "/etc/pki/tls/certs/vsftpd.pem",
            "/etc/pki/tls/private/vsftpd.key",
        ),
        Dialect::Upstream305 => ("/etc/ssl/certs/vsftpd.pem", "/etc/ssl/private/vsftpd.key"),
    }
}

/// Lines of a config: comments and checked settings.
struct Writer {
    dialect: Dialect,
    out: String,
}

impl Writer {
    fn comment(&mut self, text: &str) {
        for line in text.lines() {
            if line.is_empty() {
                self.out.push_str("#\n");
            } else {
                self.out.push_str(&format!("# {line}\n"));
            }
        }
    }

    fn blank(&mut self) {
        self.out.push('\n');
    }

    fn set(&mut self, tunable: Tunable, value: &str) -> Result<(), SetError> {
        let spec = super::set::resolve_name(tunable.name(), self.dialect)?;
        check_value(spec, value, self.dialect, None)?;
        self.out.push_str(&format!("{}={value}\n", spec.name));
        Ok(())
    }

    /// Sets the tunable only when the dialect has it.
    fn set_if_known(&mut self, tunable: Tunable, value: &str) -> Result<(), SetError> {
        if self.dialect.lookup(tunable.name().as_bytes()).is_some() {
            self.set(tunable, value)
        } else {
            Ok(())
        }
    }
}

/// The certificate and key files a TLS profile names: both given, the default pair, or one PEM that holds
/// both. Any other mix pairs a certificate with a key that is not its own.
fn tls_files(options: &ProfileOptions) -> Result<(String, String), ProfileError> {
    let (default_cert, default_key) = default_cert(options.dialect);
    match (&options.tls_cert, &options.tls_key) {
        (None, None) => Ok((default_cert.to_owned(), default_key.to_owned())),
        (Some(cert), Some(key)) => Ok((cert.clone(), key.clone())),
        (Some(cert), None) if options.tls_cert_holds_key => Ok((cert.clone(), cert.clone())),
        (Some(cert), None) => Err(ProfileError::CertWithoutKey { cert: cert.clone() }),
        (None, Some(key)) => Err(ProfileError::KeyWithoutCert { key: key.clone() }),
    }
}

/// Writes the config for a profile.
pub fn generate(profile: Profile, options: &ProfileOptions) -> Result<Vec<u8>, ProfileError> {
    let (min, max) = options.pasv_range;
    if min <= 1024 || max < min {
        return Err(ProfileError::PasvRange { min, max });
    }
    if profile == Profile::BehindNat && options.pasv_address.is_none() {
        return Err(ProfileError::NeedsPasvAddress);
    }
    let mut w = Writer {
        dialect: options.dialect,
        out: String::new(),
    };
    w.comment(&format!(
        "vsftpd configuration: profile {} for {}, written by `vsconf new`.\n\
         Change it with `vsconf set FILE NAME=VALUE` to preview every edit as a diff first.\n",
        profile.name(),
        options.dialect
    ));
    w.blank();
    w.comment(
        "Standalone, IPv4 only: with listen_ipv6=YES vsftpd ignores pasv_address in PASV replies.",
    );
    w.set(Tunable::Listen, "YES")?;
    w.set(Tunable::ListenIpv6, "NO")?;
    w.set(Tunable::ListenPort, &options.listen_port.to_string())?;
    w.blank();
    let anonymous = matches!(profile, Profile::AnonymousDownload | Profile::BehindNat);
    let local = matches!(profile, Profile::LocalTls | Profile::BehindNat);
    if anonymous {
        w.comment("Anonymous, read-only downloads. The root must exist, be owned by root and not be\nwritable by the ftp user.");
        w.set(Tunable::AnonymousEnable, "YES")?;
        w.set(Tunable::NoAnonPassword, "YES")?;
        w.set(Tunable::AnonRoot, &options.anon_root)?;
        w.set(Tunable::AnonUploadEnable, "NO")?;
        w.set(Tunable::AnonMkdirWriteEnable, "NO")?;
        w.set(Tunable::AnonOtherWriteEnable, "NO")?;
        w.set(Tunable::AnonWorldReadableOnly, "YES")?;
        w.set(Tunable::HideIds, "YES")?;
    } else {
        w.comment("No anonymous logins.");
        w.set(Tunable::AnonymousEnable, "NO")?;
    }
    w.blank();
    if local {
        w.comment("Local users, locked into their home directory (which must not be writable by them:\nput uploads in a subdirectory).");
        w.set(Tunable::LocalEnable, "YES")?;
        w.set(Tunable::WriteEnable, "YES")?;
        w.set(Tunable::LocalUmask, "022")?;
        w.set(Tunable::ChrootLocalUser, "YES")?;
        w.comment("Each user is jailed in a root-owned directory (vsftpd refuses a jail the user can\nwrite to): create /srv/ftp/users/NAME owned by root, with a writable subdirectory inside.");
        w.set(Tunable::UserSubToken, "$USER")?;
        w.set(Tunable::LocalRoot, "/srv/ftp/users/$USER")?;
        w.blank();
        w.comment("TLS for local users' logins and data. vsftpd loads the certificate at startup and\nrefuses to start when it cannot.");
        let (cert, key) = tls_files(options)?;
        w.set(Tunable::SslEnable, "YES")?;
        w.set(Tunable::RsaCertFile, &cert)?;
        w.set(Tunable::RsaPrivateKeyFile, &key)?;
        w.set(Tunable::ForceLocalLoginsSsl, "YES")?;
        w.set(Tunable::ForceLocalDataSsl, "YES")?;
        w.set(Tunable::AllowAnonSsl, "NO")?;
        w.set(Tunable::SslSslv2, "NO")?;
        w.set(Tunable::SslSslv3, "NO")?;
        w.set(Tunable::SslTlsv1, "NO")?;
        w.set_if_known(Tunable::SslTlsv11, "NO")?;
        w.set_if_known(Tunable::SslTlsv12, "YES")?;
        w.set_if_known(Tunable::SslTlsv13, "YES")?;
        w.comment("Upstream's seccomp sandbox kills TLS sessions on current systems (Debian and RHEL\ndefault to NO).");
        w.set(Tunable::SeccompSandbox, "NO")?;
    } else {
        w.comment("No local logins, no writes.");
        w.set(Tunable::LocalEnable, "NO")?;
        w.set(Tunable::WriteEnable, "NO")?;
    }
    w.blank();
    w.comment(&format!(
        "Passive mode only, on a pinned range: open tcp {} and {min}-{max} in the firewall\n\
         (`vsconf diff` shows the ports any later change opens or closes).",
        options.listen_port
    ));
    w.set(Tunable::PortEnable, "NO")?;
    w.set(Tunable::PasvEnable, "YES")?;
    w.set(Tunable::PasvMinPort, &min.to_string())?;
    w.set(Tunable::PasvMaxPort, &max.to_string())?;
    match &options.pasv_address {
        Some(address) => {
            w.comment("Behind NAT: the public address PASV replies advertise.");
            w.set(Tunable::PasvAddress, address)?;
        }
        None => {
            w.comment("Behind NAT, advertise the public address in PASV replies:");
            w.out.push_str("#pasv_address=203.0.113.10\n");
        }
    }
    w.blank();
    w.comment("Log transfers to /var/log/vsftpd.log.");
    w.set(Tunable::XferlogEnable, "YES")?;
    Ok(w.out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_pasv_address_is_a_commented_setting() {
        let text = generate(
            Profile::AnonymousDownload,
            &ProfileOptions::new(Dialect::Debian303),
        )
        .unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(text.contains("\n#pasv_address=203.0.113.10\n"), "{text}");
    }

    #[test]
    fn issue_12_a_certificate_is_never_paired_with_another_key() {
        let mut o = ProfileOptions::new(Dialect::Debian303);
        o.tls_cert = Some("/etc/ftp/cert.pem".into());
        for p in [Profile::LocalTls, Profile::BehindNat] {
            o.pasv_address = Some("203.0.113.10".into());
            assert_eq!(
                generate(p, &o),
                Err(ProfileError::CertWithoutKey {
                    cert: "/etc/ftp/cert.pem".into()
                })
            );
        }
        // The anonymous profile has no TLS: a stray --tls-cert does not matter.
        assert!(generate(Profile::AnonymousDownload, &o).is_ok());
        o.tls_cert_holds_key = true;
        let text = String::from_utf8(generate(Profile::LocalTls, &o).unwrap()).unwrap();
        assert!(
            text.contains(
                "\nrsa_cert_file=/etc/ftp/cert.pem\nrsa_private_key_file=/etc/ftp/cert.pem\n"
            ),
            "{text}"
        );
        let mut o = ProfileOptions::new(Dialect::Debian303);
        o.tls_key = Some("/etc/ftp/key.pem".into());
        assert!(matches!(
            generate(Profile::LocalTls, &o),
            Err(ProfileError::KeyWithoutCert { .. })
        ));
    }

    #[test]
    fn bad_values_are_refused() {
        let mut o = ProfileOptions::new(Dialect::Debian303);
        o.pasv_range = (1000, 2000);
        assert!(matches!(
            generate(Profile::AnonymousDownload, &o),
            Err(ProfileError::PasvRange { .. })
        ));
        let mut o = ProfileOptions::new(Dialect::Debian303);
        o.pasv_address = Some("ftp.example.com".into());
        assert!(matches!(
            generate(Profile::LocalTls, &o),
            Err(ProfileError::Value(_))
        ));
    }
}
