use crate::diagnostic::{Applicability, Edit, Fix};
use crate::dialect::Tunable;
use crate::startup::{Check, Verdict};

use super::{head, offset, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a config with neither listener on (`listen=NO` and `listen_ipv6=NO`, set or by default):
/// vsftpd then runs in inetd mode. On Debian an empty file, or one without `listen=YES`, is in
/// inetd mode, because Debian's compiled-in default for `listen` is NO.
///
/// ## Why is this bad?
/// In inetd mode vsftpd expects a client connection on its standard input, as inetd, xinetd or a
/// systemd socket unit with `Accept=yes` provide. Started any other way — by hand, or by the
/// usual `vsftpd.service` — it refuses:
/// `500 OOPS: vsftpd: not configured for standalone, must be started from inetd`. Under systemd on
/// Debian that message goes to standard input (`/dev/null`) and is lost; the service simply fails
/// with status 2. Debian's own SysV script refuses to start vsftpd for the same reason.
///
/// ## Example
/// ```vsftpd
/// anonymous_enable=YES
/// ```
/// Use instead:
/// ```vsftpd
/// listen=YES
/// anonymous_enable=YES
/// ```
///
/// ## Fix
/// Unsafe: `listen=NO` becomes `listen=YES`, or `listen=YES` is added at the end of the file. This
/// changes how vsftpd must be started; keep inetd mode (and suppress this finding) if vsftpd really
/// runs under inetd, xinetd or a socket unit.
///
/// ## References
/// - vsftpd.conf(5): `listen`, `listen_ipv6`
/// - debian-3.0.3 binary: an empty file and `listen=NO` both give
///   `500 OOPS: vsftpd: not configured for standalone, must be started from inetd` when run by hand
pub(crate) struct InetdMode;

impl Rule for InetdMode {
    const META: RuleMeta = RuleMeta::error("VSC009", "inetd-mode")
        .settings(&[&[Tunable::Listen, Tunable::ListenIpv6]])
        .summary("neither `listen` nor `listen_ipv6` is on: vsftpd refuses to start unless run by inetd")
        .fixes(FixAvailability::Always(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if cfg.bool(Tunable::Listen) || cfg.bool(Tunable::ListenIpv6) {
            return;
        }
        // A `listen` line vsftpd rejects (`listen=YES\r`, `listen=on`, `LISTEN=YES`) is reported by the rule for
        // that line; saying "listen is not set" next to it would mislead.
        let rejected = cx.refused_line_names(&[Tunable::Listen, Tunable::ListenIpv6]);
        if rejected {
            return;
        }
        let span = cx.span_or_file_start(Tunable::Listen);
        let message = if cfg.is_set(Tunable::Listen) {
            "`listen=NO` and no IPv6 listener: vsftpd runs in inetd mode and refuses to start unless inetd starts it".to_owned()
        } else {
            format!(
                "`listen` is not set and defaults to NO in {}: vsftpd runs in inetd mode and refuses to start unless inetd starts it",
                cx.dialect()
            )
        };
        let mut d = cx.report(head(span), message).help(
            "set `listen=YES` (IPv4) or `listen_ipv6=YES` (dual-stack) to run standalone, as systemd's vsftpd.service expects; keep inetd mode only if inetd, xinetd or a socket unit with Accept=yes starts vsftpd",
        );
        if matches!(&cx.prediction.verdict, Verdict::Refuses(o) if o.check == Check::InetdMode) {
            d = d.fatal();
        }
        let edit = match cx.value_span(Tunable::Listen) {
            Some(value) => Edit::replace(value, b"YES".to_vec()),
            None => {
                let text = cx.cst.text();
                let at = offset(text.len());
                if text.is_empty() || text.ends_with(b"\n") {
                    Edit::insert(at, b"listen=YES\n".to_vec())
                } else {
                    Edit::insert(at, b"\nlisten=YES\n".to_vec())
                }
            }
        };
        out.push(d.fix(Fix::new("set `listen=YES`", Applicability::Unsafe, vec![edit])));
    }
}
