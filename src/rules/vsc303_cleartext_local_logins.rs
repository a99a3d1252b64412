use crate::dialect::Tunable;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags local logins (`local_enable=YES`) on a server without TLS (`ssl_enable=NO`, the default).
///
/// ## Why is this bad?
/// Local users log in with their system account. Plain FTP sends `USER` and `PASS` in clear text,
/// so anyone on the path — the same Wi-Fi, a compromised router, a mirrored switch port — reads the
/// password of a real account, often one that also works for SSH or mail. Every file transferred is
/// readable too.
///
/// ## Example
/// ```vsftpd
/// local_enable=YES
/// ```
/// Use instead:
/// ```vsftpd
/// local_enable=YES
/// ssl_enable=YES
/// rsa_cert_file=/etc/ssl/certs/ftp.pem
/// rsa_private_key_file=/etc/ssl/private/ftp.key
/// ```
///
/// ## Fix
/// None: TLS needs a certificate, and clients must be told to use FTPS (or switch to SFTP).
///
/// ## References
/// - vsftpd.conf(5): `ssl_enable`, `force_local_logins_ssl`, `force_local_data_ssl`
/// - RFC 4217 (securing FTP with TLS); CWE-319 (cleartext transmission of sensitive information)
pub(crate) struct CleartextLocalLogins;

impl Rule for CleartextLocalLogins {
    const META: RuleMeta = RuleMeta::warning("VSC303", "cleartext-local-logins")
        .settings(&[&[Tunable::LocalEnable, Tunable::SslEnable, Tunable::ForceLocalLoginsSsl]])
        .summary("local users log in without TLS: passwords cross the network in clear text");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::LocalEnable) || cfg.bool(Tunable::SslEnable) {
            return;
        }
        let mut d = cx
            .report(
                cx.span_or_file_start(Tunable::LocalEnable),
                format!(
                    "local users log in without TLS ({}): their system passwords cross the network in clear text",
                    cx.stated(Tunable::SslEnable)
                ),
            )
            .help("set ssl_enable=YES with rsa_cert_file and rsa_private_key_file (logins and data are then forced to TLS by default)");
        if cfg.is_set(Tunable::SslEnable) {
            d = d.label(cx.span_or_file_start(Tunable::SslEnable), "TLS off");
        }
        out.push(d);
    }
}
