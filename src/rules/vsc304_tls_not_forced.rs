use crate::diagnostic::Applicability;
use crate::dialect::Tunable;

use super::fix::set_value;
use super::{Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags `force_local_logins_ssl=NO` or `force_local_data_ssl=NO` on a TLS server
/// (`ssl_enable=YES`) with local logins.
///
/// ## Why is this bad?
/// TLS is then optional: a client that does not send `AUTH TLS` (or `PROT P`) logs in, or
/// transfers, in clear text, and an attacker in the middle can strip the `AUTH TLS` offer. The
/// server looks encrypted in a scan while real users' passwords (or files) still travel in clear.
/// Both settings default to `YES`.
///
/// ## Example
/// ```vsftpd
/// local_enable=YES
/// ssl_enable=YES
/// force_local_logins_ssl=NO
/// ```
/// Use instead:
/// ```vsftpd
/// local_enable=YES
/// ssl_enable=YES
/// force_local_logins_ssl=YES
/// ```
///
/// ## Fix
/// Unsafe: sets the value to `YES`; clients that do not use TLS can then no longer log in
/// (`530 Non-anonymous sessions must use encryption.`) or transfer (`522 Data connections must be
/// encrypted.`).
///
/// ## References
/// - vsftpd.conf(5): `force_local_logins_ssl`, `force_local_data_ssl`
/// - RFC 4217 §5 and §9 (the server may require protection); CWE-319
pub(crate) struct TlsNotForced;

impl Rule for TlsNotForced {
    const META: RuleMeta = RuleMeta::warning("VSC304", "tls-not-forced")
        .settings(&[&[Tunable::ForceLocalDataSsl, Tunable::ForceLocalLoginsSsl]])
        .summary("TLS is optional for local logins or data: clear text is still accepted")
        .fixes(FixAvailability::Always(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::SslEnable) || !cfg.bool(Tunable::LocalEnable) {
            return;
        }
        for (tunable, what) in [
            (
                Tunable::ForceLocalLoginsSsl,
                "lets local users log in without TLS, so their passwords can cross the network in clear text",
            ),
            (
                Tunable::ForceLocalDataSsl,
                "lets local users' listings and files travel without TLS",
            ),
        ] {
            if cfg.bool(tunable) {
                continue;
            }
            let mut d = cx
                .report(
                    cx.span_or_file_start(tunable),
                    format!("{}=NO {what}", tunable.name()),
                )
                .help(format!(
                    "set {}=YES (the default) so that clear text is refused",
                    tunable.name()
                ));
            if let Some(fix) = set_value(cx, tunable, "YES") {
                d = d.fix(fix);
            }
            out.push(d);
        }
    }
}
