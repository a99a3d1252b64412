use crate::dialect::Tunable;
use crate::diagnostic::Severity;
use crate::startup::host::{check, tls};
use crate::syntax::{Span, escape_bytes};

use super::{head, Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// With `--host-checks`, asks the machine what vsftpd will ask it: whether the config file is owned
/// by the user running vsftpd, whether the TLS certificate and key load as OpenSSL loads them (a
/// certificate file without a certificate, a key that is missing, encrypted, not a key or another
/// certificate's, a key under OpenSSL's security level; docs/host-checks.md), whether `pasv_address`
/// resolves (with `pasv_addr_resolve=YES`), whether `ftp_username`, `guest_username` and `nopriv_user`
/// exist, whether `banner_file` is readable and `secure_chroot_dir` exists.
///
/// ## Why is this bad?
/// Each of these stops vsftpd with its own `500 OOPS` message, either at startup (owner,
/// certificate, DNS) or — for a standalone server — in every session after a client connects (users,
/// banner, secure_chroot_dir), so the service looks healthy and no one can log in. The message is
/// quoted exactly as vsftpd prints it.
///
/// ## Example
/// ```vsftpd
/// listen=YES
/// ssl_enable=YES
/// rsa_cert_file=/etc/ssl/certs/missing.pem
/// ```
/// Use instead:
/// ```vsftpd
/// listen=YES
/// ssl_enable=YES
/// rsa_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem
/// rsa_private_key_file=/etc/ssl/private/ssl-cert-snakeoil.key
/// ```
///
/// ## Fix
/// None: the machine, not the file, has to change (or the path in the file).
///
/// ## References
/// - vsftpd.conf(5): `rsa_cert_file`, `rsa_private_key_file`, `secure_chroot_dir`, `nopriv_user`,
///   `ftp_username`, `banner_file`, `pasv_addr_resolve`
/// - debian-3.0.3 binary: a missing `rsa_cert_file` gives `500 OOPS: SSL: cannot load RSA certificate`
///   at startup; a config file not owned by root gives
///   `500 OOPS: config file not owned by correct user, or not a file`
/// - debian-3.0.3, debian-3.0.5 and upstream-3.0.5 binaries: every TLS case in docs/host-checks.md
///   (the key of another certificate gives `500 OOPS: SSL: cannot load RSA private key` at startup)
///
/// ## Dialects
/// The TLS texts and OpenSSL limits were measured on Debian's OpenSSL 3.0 at security level 2; on the
/// rhel dialects they are assumed, not verified against a RHEL binary, and the finding says so.
pub(crate) struct HostRefusal;

impl Rule for HostRefusal {
    const META: RuleMeta = RuleMeta::error("VSC012", "host-refusal")
        .settings(&[&[Tunable::RsaCertFile, Tunable::RsaPrivateKeyFile, Tunable::PasvAddress, Tunable::PasvAddrResolve, Tunable::FtpUsername, Tunable::GuestUsername, Tunable::ChownUsername, Tunable::NoprivUser, Tunable::BannerFile, Tunable::BannedEmailFile, Tunable::EmailPasswordFile, Tunable::UserlistFile, Tunable::SecureChrootDir]])
        .summary("the machine lacks a file, user or name vsftpd needs: it refuses to start or refuses every session")
        .needs_host();

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(host) = cx.host else { return };
        let unverified = cx.dialect().id().starts_with("rhel");
        for finding in check(cx.config(), host) {
            let text = escape_bytes(&finding.oops.full_text());
            let (message, help) = if finding.at_startup {
                (
                    format!("vsftpd refuses to start on this machine: `{text}`"),
                    "fix the file, user or name the message points at, or the path in the setting",
                )
            } else {
                (
                    format!("vsftpd starts on this machine, then every session gets `{text}`"),
                    "vsftpd checks this after each client connects: fix the file, user or directory the message names",
                )
            };
            let help = match &finding.detail {
                Some(detail) => format!("{detail}; {help}"),
                None => help.to_owned(),
            };
            let help = if unverified && finding.oops.message.starts_with(b"SSL: ") {
                format!("{help} (unverified for {}: measured on Debian's builds and OpenSSL only)", cx.dialect().id())
            } else {
                help
            };
            let mut d = cx
                .report(head(finding.oops.span.unwrap_or(Span::empty(0))), message)
                .help(help);
            if finding.at_startup {
                d = d.fatal();
            }
            out.push(d);
        }
        for note in tls(cx.config(), host).map(|t| t.notes()).unwrap_or_default() {
            let span = head(cx.span_or_file_start(note.tunable));
            let d = if note.handshakes_fail {
                cx.report(span, note.message).help(
                    "point the key setting at the certificate's own key (or the certificate at the key's): OpenSSL never pairs keys of different types",
                )
            } else {
                cx.report_with(Severity::Warning, span, note.message)
                    .help("vsconf left this TLS check out; run `vsconf lint --host-checks` as root to make it")
            };
            out.push(d);
        }
    }
}
