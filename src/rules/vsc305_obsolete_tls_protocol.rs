use crate::diagnostic::Applicability;
use crate::dialect::{Dialect, Tunable};
use crate::model::EffectiveConfig;

use super::fix::{add_after, set_value};
use super::{Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags SSL 2, SSL 3, TLS 1.0 or TLS 1.1 switched on in a TLS server's file: `ssl_sslv2`,
/// `ssl_sslv3`, `ssl_tlsv1` or `ssl_tlsv11` (3.0.5 only) set to `YES` with `ssl_enable=YES`. On
/// debian-3.0.3, `ssl_tlsv1` defaults to `YES`; that default is flagged only when `ssl_ciphers`
/// lowers OpenSSL's security level to 0, the one case where TLS 1.0 is really negotiated there.
///
/// ## Why is this bad?
/// These protocol versions are broken or deprecated (DROWN and POODLE for SSL, BEAST and weak
/// hash constructions for TLS 1.0/1.1) and every current client speaks TLS 1.2. Leaving them on
/// invites downgrade attacks and fails compliance scans.
///
/// ## Example
/// ```vsftpd
/// ssl_enable=YES
/// ssl_sslv3=YES
/// ```
/// Use instead:
/// ```vsftpd
/// ssl_enable=YES
/// ssl_sslv3=NO
/// ```
///
/// ## Fix
/// Unsafe: sets the value to `NO` (or adds `ssl_tlsv1=NO` after `ssl_enable` on Debian, where it
/// is the default). Very old clients can no longer connect. On debian-3.0.3, `ssl_tlsv1=NO` also
/// removes `AUTH TLS` from the `FEAT` reply, so clients that look for it there stop offering TLS.
///
/// ## Known problems
/// Whether an enabled version is really negotiated also depends on the TLS library. On
/// debian-3.0.3 (OpenSSL 3) the binary refused TLS 1.0 and 1.1 handshakes with `ssl_tlsv1=YES`
/// under the default `ssl_ciphers` (no TLS 1.0 cipher: alert 40) and under `ssl_ciphers=HIGH`
/// (alert 80), and accepted them only with `ssl_ciphers=DEFAULT@SECLEVEL=0`. An explicit `YES`
/// is flagged anyway: it states an intent that the next library update may honour.
///
/// ## References
/// - vsftpd.conf(5): `ssl_sslv2`, `ssl_sslv3`, `ssl_tlsv1` (and `ssl_tlsv11` in 3.0.5)
/// - RFC 6176 (prohibiting SSL 2.0), RFC 7568 (deprecating SSL 3.0), RFC 8996 (deprecating TLS 1.0
///   and TLS 1.1)
/// - data-channel.md §5: FEAT lists `AUTH TLS` only with `ssl_tlsv1=YES` on debian-3.0.3 (bin)
pub(crate) struct ObsoleteTlsProtocol;

impl Rule for ObsoleteTlsProtocol {
    const META: RuleMeta = RuleMeta::warning("VSC305", "obsolete-tls-protocol")
        .settings(&[&[Tunable::SslSslv2, Tunable::SslSslv3, Tunable::SslTlsv1, Tunable::SslTlsv11]])
        .summary("SSL 2/3 or TLS 1.0/1.1 enabled")
        .fixes(FixAvailability::Always(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::SslEnable) {
            return;
        }
        for (tunable, protocol) in [
            (Tunable::SslSslv2, "SSL 2"),
            (Tunable::SslSslv3, "SSL 3"),
            (Tunable::SslTlsv1, "TLS 1.0"),
            (Tunable::SslTlsv11, "TLS 1.1"),
        ] {
            if !cfg.bool(tunable) || (!cfg.is_set(tunable) && !security_level_zero(cfg)) {
                continue;
            }
            let message = if cfg.is_set(tunable) {
                format!("{} enables {protocol}, which is obsolete", tunable.name())
            } else {
                format!(
                    "{protocol} is enabled: {} is the {} default, and ssl_ciphers lowers OpenSSL's security level to 0",
                    cx.describe(tunable).trim_end_matches(" (default)"),
                    cx.dialect()
                )
            };
            let mut help = format!("set {}=NO", tunable.name());
            if tunable == Tunable::SslTlsv1 && cx.dialect() == Dialect::Debian303 {
                help.push_str(
                    "; on debian-3.0.3 this also drops AUTH TLS from the FEAT reply, so check that your clients send AUTH TLS without looking at FEAT",
                );
            }
            let span = if cfg.is_set(tunable) {
                cx.span_or_file_start(tunable)
            } else {
                cx.span_or_file_start(Tunable::SslEnable)
            };
            let mut d = cx.report(span, message).help(help);
            let fix = set_value(cx, tunable, "NO")
                .or_else(|| add_after(cx, Tunable::SslEnable, tunable, "NO"));
            if let Some(fix) = fix {
                d = d.fix(fix);
            }
            out.push(d);
        }
    }
}

/// Whether `ssl_ciphers` sets OpenSSL's security level 0, which re-enables TLS 1.0/1.1 signatures.
///
/// debian-3.0.3 binary with its OpenSSL 3 (checked with `openssl s_client -starttls ftp -tls1`): with
/// the default `ssl_tlsv1=YES`, TLS 1.0 failed under the default cipher list (handshake failure)
/// and under `HIGH` (internal error), and was negotiated under `DEFAULT@SECLEVEL=0`.
pub(super) fn security_level_zero(cfg: &EffectiveConfig) -> bool {
    cfg.string(Tunable::SslCiphers)
        .is_some_and(|c| c.windows(10).any(|w| w == b"SECLEVEL=0"))
}
