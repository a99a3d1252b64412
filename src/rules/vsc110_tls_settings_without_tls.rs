use crate::diagnostic::Severity;
use crate::dialect::Tunable;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags TLS settings (`ssl_*`, `rsa_*`, `dsa_*`, `force_*_ssl`, `implicit_ssl`, `allow_anon_ssl`,
/// `require_ssl_reuse`, `require_cert`, `validate_cert`, `ca_certs_file`, `debug_ssl`,
/// `strict_ssl_*`) in a file where `ssl_enable` is `NO`. A line that only restates the default is
/// not reported, except `force_*_ssl=YES`.
///
/// ## Why is this bad?
/// Without `ssl_enable=YES` vsftpd ignores all of them: it does not even open the certificate. A
/// line such as `force_local_logins_ssl=YES` reads like a guarantee that passwords travel
/// encrypted, while every login is in clear text. Certificate and key paths alone (as in Debian's
/// stock file) are only reported as information.
///
/// ## Example
/// ```vsftpd
/// ssl_enable=NO
/// force_local_logins_ssl=YES
/// ```
/// Use instead:
/// ```vsftpd
/// ssl_enable=YES
/// force_local_logins_ssl=YES
/// ```
///
/// ## Fix
/// None: turning TLS on needs a certificate and changes what clients must do.
///
/// ## References
/// - vsftpd.conf(5): `ssl_enable` and the settings it governs
/// - debian-3.0.3 binary: `ssl_ciphers=BOGUS` with `rsa_cert_file=/nonexist` starts while
///   `ssl_enable=NO`, and is refused with `500 OOPS: SSL: cannot load RSA certificate` once
///   `ssl_enable=YES` (startup-checks.md "Things that are not checked")
pub(crate) struct TlsSettingsWithoutTls;

/// The settings that only matter with `ssl_enable=YES`.
pub(super) const TLS_SETTINGS: &[Tunable] = &[
    Tunable::AllowAnonSsl,
    Tunable::CaCertsFile,
    Tunable::DebugSsl,
    Tunable::DsaCertFile,
    Tunable::DsaPrivateKeyFile,
    Tunable::ForceAnonDataSsl,
    Tunable::ForceAnonLoginsSsl,
    Tunable::ForceLocalDataSsl,
    Tunable::ForceLocalLoginsSsl,
    Tunable::ImplicitSsl,
    Tunable::RequireCert,
    Tunable::RequireSslReuse,
    Tunable::RsaCertFile,
    Tunable::RsaPrivateKeyFile,
    Tunable::SslCiphers,
    Tunable::SslRequestCert,
    Tunable::SslSniHostname,
    Tunable::SslSslv2,
    Tunable::SslSslv3,
    Tunable::SslTlsv1,
    Tunable::SslTlsv11,
    Tunable::SslTlsv12,
    Tunable::SslTlsv13,
    Tunable::StrictSslReadEof,
    Tunable::StrictSslWriteShutdown,
    Tunable::ValidateCert,
];

impl Rule for TlsSettingsWithoutTls {
    const META: RuleMeta = RuleMeta::warning("VSC110", "tls-settings-without-tls")
        .settings(&[TLS_SETTINGS, &[Tunable::SslEnable]])
        .summary("TLS settings while ssl_enable=NO: all of them are ignored");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if cfg.bool(Tunable::SslEnable) {
            return;
        }
        for &tunable in TLS_SETTINGS {
            // A line restating the default changes nothing, except a `force_*_ssl=YES`, which
            // promises a protection that does not exist without TLS.
            let promise = matches!(
                tunable,
                Tunable::ForceLocalLoginsSsl
                    | Tunable::ForceLocalDataSsl
                    | Tunable::ForceAnonLoginsSsl
                    | Tunable::ForceAnonDataSsl
            ) && cfg.bool(tunable);
            if !cfg.is_set(tunable) || !(cfg.differs_from_default(tunable) || promise) {
                continue;
            }
            let file = matches!(
                tunable,
                Tunable::RsaCertFile
                    | Tunable::RsaPrivateKeyFile
                    | Tunable::DsaCertFile
                    | Tunable::DsaPrivateKeyFile
            );
            // Written per finding: most files with TLS off set none of these settings.
            let off = cx.stated(Tunable::SslEnable);
            let message = if file {
                format!("{} is not used: TLS is off ({off})", tunable.name())
            } else {
                format!(
                    "{} has no effect: TLS is off ({off}), so every connection is in clear text",
                    cx.describe(tunable)
                )
            };
            let severity = if file {
                Severity::Info
            } else {
                Severity::Warning
            };
            let mut d = cx
                .report_with(severity, cx.span_or_file_start(tunable), message)
                .help("set ssl_enable=YES (with a certificate) for TLS, or remove the TLS settings");
            if cfg.is_set(Tunable::SslEnable) {
                d = d.label(cx.span_or_file_start(Tunable::SslEnable), "TLS off");
            }
            out.push(d);
        }
    }
}
