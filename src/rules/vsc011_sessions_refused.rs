use crate::dialect::Tunable;
use crate::startup::{Check, session_check};
use crate::syntax::{Span, escape_bytes};

use super::{head, Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags settings that vsftpd accepts at startup but that make it refuse every client session:
/// - `anonymous_enable=NO` and `local_enable=NO`: `vsftpd: both local and anonymous access disabled!`
/// - `one_process_model=YES` with `local_enable=YES`: `vsftpd: security: 'one_process_model' is anonymous only`
/// - `ftp_enable=NO` and `http_enable=NO`: `vsftpd: both FTP and HTTP disabled!`
/// - `http_enable=YES` without `one_process_model=YES`: `vsftpd: HTTP needs 'one_process_model' for now`
///
/// ## Why is this bad?
/// A standalone vsftpd runs these checks in each session, after a client connects, so the service
/// starts, `systemctl status` is green, the port is open — and every client is greeted with
/// `500 OOPS: …` and disconnected. (In inetd mode the same checks stop vsftpd at startup.)
///
/// ## Example
/// ```vsftpd
/// listen=YES
/// anonymous_enable=NO
/// local_enable=NO
/// ```
/// Use instead:
/// ```vsftpd
/// listen=YES
/// anonymous_enable=NO
/// local_enable=YES
/// ```
///
/// ## Fix
/// None: decide which logins the server is for.
///
/// ## References
/// - vsftpd.conf(5): `anonymous_enable`, `local_enable`, `one_process_model`
/// - debian-3.0.3 binary: `listen=YES`, `anonymous_enable=NO`, `local_enable=NO` starts (still running
///   after 1 s), and a client then receives `500 OOPS: vsftpd: both local and anonymous access disabled!`
pub(crate) struct SessionsRefused;

impl Rule for SessionsRefused {
    const META: RuleMeta = RuleMeta::error("VSC011", "sessions-refused")
        .settings(&[&[Tunable::AnonymousEnable, Tunable::LocalEnable, Tunable::FtpEnable, Tunable::HttpEnable, Tunable::OneProcessModel]])
        .summary("vsftpd starts, then refuses every session (no logins, or an impossible process model)");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(oops) = session_check(cx.config()) else {
            return;
        };
        let help = match oops.check {
            // VSC010 explains TCP wrappers.
            Check::TcpWrappersUnsupported => return,
            Check::NoLogins => "enable the logins the server is for: `local_enable=YES` (system users) or `anonymous_enable=YES`",
            Check::OneProcessModelLocal => "`one_process_model=YES` is for anonymous-only servers: set `one_process_model=NO` (the default) or `local_enable=NO`",
            Check::NoProtocols => "set `ftp_enable=YES` (the default)",
            Check::HttpNeedsOneProcess => "vsftpd's HTTP mode is experimental: set `http_enable=NO` (the default)",
            _ => "",
        };
        let span = oops.span.unwrap_or(Span::empty(0));
        let cfg = cx.config();
        let text = escape_bytes(&oops.full_text());
        // In inetd mode the session checks run at startup, for each connection inetd hands over.
        let message = if cfg.bool(Tunable::Listen) || cfg.bool(Tunable::ListenIpv6) {
            format!("vsftpd starts, then refuses everyone: every session gets `{text}`")
        } else {
            format!("every connection inetd starts vsftpd for is refused at once with `{text}`")
        };
        out.push(cx.report(head(span), message).help(help));
    }
}
