use crate::dialect::{Dialect, TcpWrappersSupport, Tunable};
use crate::startup::{Check, Verdict, oops};

use super::{head, Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags `tcp_wrappers=YES` for a vsftpd built without TCP wrappers support: upstream's default
/// build and RHEL/Fedora's package.
///
/// ## Why is this bad?
/// The setting is accepted, and a standalone vsftpd starts, but every session is refused after the
/// client connects: `500 OOPS: tcp_wrappers is set to YES but no tcp wrapper support compiled in`.
/// In inetd mode the same check stops vsftpd at startup. Configs carried over from Debian (built
/// with libwrap) or from old RHEL releases hit this.
///
/// ## Example
/// ```vsftpd
/// tcp_wrappers=YES
/// ```
/// Use instead (and restrict clients with the firewall or PAM's `pam_access`):
/// ```vsftpd
/// tcp_wrappers=NO
/// ```
///
/// ## Fix
/// None: dropping the line also drops whatever `/etc/hosts.allow` rules you relied on; replace them
/// first.
///
/// ## Dialects
/// upstream-3.0.5 and rhel-3.0.5; Debian's build supports TCP wrappers.
///
/// ## References
/// - vsftpd.conf(5): `tcp_wrappers`
/// - rhel-3.0.5 build (Fedora's spec builds without libwrap): every session gets
///   `500 OOPS: tcp_wrappers is set to YES but no tcp wrapper support compiled in`;
///   debian-3.0.3 binary: `tcp_wrappers=YES` starts and serves
pub(crate) struct TcpWrappersUnsupported;

impl Rule for TcpWrappersUnsupported {
    const META: RuleMeta = RuleMeta::error("VSC010", "tcp-wrappers-unsupported")
        .settings(&[&[Tunable::TcpWrappers]])
        .summary("`tcp_wrappers=YES` on a build without TCP wrappers: every session is refused")
        .only_in(&[Dialect::Upstream305, Dialect::Rhel303, Dialect::Rhel305]);

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::TcpWrappers) || cx.dialect().tcp_wrappers() != TcpWrappersSupport::Missing
        {
            return;
        }
        let span = cx.span_or_file_start(Tunable::TcpWrappers);
        let fatal = matches!(&cx.prediction.verdict, Verdict::Refuses(o) if o.check == Check::TcpWrappersUnsupported);
        let when = if fatal {
            "vsftpd refuses to start"
        } else {
            "vsftpd starts, then refuses every session"
        };
        let mut d = cx
            .report(
                head(span),
                format!("{} has no TCP wrappers support: {when} with `{}`", cx.dialect(), oops::line(oops::NO_TCP_WRAPPERS)),
            )
            .help("set `tcp_wrappers=NO` and move the `/etc/hosts.allow` rules to the firewall or to PAM (`pam_access`)");
        if fatal {
            d = d.fatal();
        }
        out.push(d);
    }
}
