use crate::dialect::Tunable;
use crate::startup::oops;

use super::{head, Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags `listen=YES` together with `listen_ipv6=YES`, whether set in the file or inherited from the
/// dialect's default (`listen` defaults to YES upstream and on RHEL).
///
/// ## Why is this bad?
/// One vsftpd process runs one listener. With both on it refuses to start:
/// `500 OOPS: run two copies of vsftpd for IPv4 and IPv6`. A config copied from Debian or RHEL
/// (`listen=NO`, `listen_ipv6=YES`) that loses its `listen=NO` line hits this on upstream vsftpd.
///
/// ## Example
/// ```vsftpd
/// listen=YES
/// listen_ipv6=YES
/// ```
/// Use instead (one dual-stack listener: IPv4 clients arrive as v4-mapped addresses):
/// ```vsftpd
/// listen=NO
/// listen_ipv6=YES
/// ```
/// or, for IPv4 only (needed for `pasv_address` behind NAT, see VSC212):
/// ```vsftpd
/// listen=YES
/// listen_ipv6=NO
/// ```
///
/// ## Fix
/// None: choose between the dual-stack IPv6 listener and the IPv4 one.
///
/// ## References
/// - vsftpd.conf(5): `listen`, `listen_ipv6` ("This option and the listen option are mutually
///   exclusive")
/// - debian-3.0.3 binary: `listen=YES` + `listen_ipv6=YES` gives
///   `500 OOPS: run two copies of vsftpd for IPv4 and IPv6`
pub(crate) struct TwoListeners;

impl Rule for TwoListeners {
    const META: RuleMeta = RuleMeta::error("VSC007", "two-listeners")
        .settings(&[&[Tunable::Listen, Tunable::ListenIpv6]])
        .summary("`listen` and `listen_ipv6` both on: vsftpd refuses to start");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        // A refused line naming a listener states it: vsftpd stops there, and it is that line's
        // finding, not "listen is not set".
        if !(cfg.bool(Tunable::Listen) && cfg.bool(Tunable::ListenIpv6))
            || cx.refused_line_names(&[Tunable::Listen, Tunable::ListenIpv6])
        {
            return;
        }
        let v6 = cfg.origin(Tunable::ListenIpv6).line();
        let v4 = cfg.origin(Tunable::Listen).line();
        let span = v6.or(v4).unwrap_or_else(|| cx.span_or_file_start(Tunable::Listen));
        let mut d = cx
            .report(
                head(span),
                format!(
                    "`listen=YES` and `listen_ipv6=YES` are both on: vsftpd prints `{}` and refuses to start",
                    oops::line(oops::TWO_LISTENERS)
                ),
            )
            .fatal();
        match (v4, v6) {
            (Some(v4), Some(_)) => d = d.label(head(v4), "`listen=YES` is set here"),
            (None, _) => {
                d = d.help(format!(
                    "`listen` is not set and defaults to YES in {}: add `listen=NO` to keep the dual-stack IPv6 listener, or set `listen_ipv6=NO` for IPv4 only",
                    cx.dialect()
                ));
                return out.push(d);
            }
            _ => {}
        }
        out.push(d.help(
            "keep one: `listen=NO` with `listen_ipv6=YES` serves IPv4 and IPv6 on one dual-stack socket; `listen=YES` with `listen_ipv6=NO` serves IPv4 only",
        ));
    }
}
