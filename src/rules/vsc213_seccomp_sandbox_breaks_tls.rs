use crate::diagnostic::{Applicability, Edit, Fix};
use crate::dialect::Tunable;

use super::{head, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags TLS (`ssl_enable=YES`) together with `seccomp_sandbox=YES`, which is upstream's default.
///
/// ## Why is this bad?
/// vsftpd's seccomp filter lists the system calls a session may make. Current C libraries and
/// OpenSSL make calls the 3.0.x list does not allow, so the session process is killed during the TLS
/// handshake: the client sees the connection drop right after `AUTH TLS`, and nothing is logged.
/// Debian and RHEL switch the sandbox off by default for this reason; builds from source keep it on.
///
/// ## Example
/// ```vsftpd
/// ssl_enable=YES
/// ```
/// Use instead:
/// ```vsftpd
/// ssl_enable=YES
/// seccomp_sandbox=NO
/// ```
///
/// ## Fix
/// Unsafe: `seccomp_sandbox=NO` is written (the existing line's value, or a new line after
/// `ssl_enable`). This removes a layer of sandboxing; vsftpd's privilege separation and chroot stay.
///
/// ## Known problems
/// Whether the handshake fails depends on the kernel, C library and OpenSSL versions; it did with an
/// upstream 3.0.5 build on Debian 12.
///
/// ## References
/// - vsftpd.conf(5): `seccomp_sandbox`
/// - upstream-3.0.5 build on Debian 12: the TLS session aborts during the handshake with
///   `seccomp_sandbox=YES` and works with `NO`; Debian's changelog for 3.0.2-20 turns it off by default
pub(crate) struct SeccompSandboxBreaksTls;

impl Rule for SeccompSandboxBreaksTls {
    const META: RuleMeta = RuleMeta::warning("VSC213", "seccomp-sandbox-breaks-tls")
        .settings(&[&[Tunable::SeccompSandbox, Tunable::SslEnable]])
        .summary("`seccomp_sandbox=YES` with TLS: sessions die during the TLS handshake on current systems")
        .fixes(FixAvailability::Always(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::SslEnable) || !cfg.bool(Tunable::SeccompSandbox) {
            return;
        }
        let (span, message, edit) = match cx.value_span(Tunable::SeccompSandbox) {
            Some(value) => (
                cx.span_or_file_start(Tunable::SeccompSandbox),
                "`seccomp_sandbox=YES` with TLS: on current systems the sandbox kills each session during the TLS handshake".to_owned(),
                Edit::replace(value, b"NO".to_vec()),
            ),
            None => {
                let ssl = cx.span_or_file_start(Tunable::SslEnable);
                let after = cx
                    .cst
                    .lines()
                    .iter()
                    .find(|l| l.content == ssl)
                    .map_or(ssl.end, |l| l.span.end);
                let text = if cx.cst.text().get(..after as usize).is_some_and(|t| t.ends_with(b"\n")) {
                    b"seccomp_sandbox=NO\n".to_vec()
                } else {
                    b"\nseccomp_sandbox=NO".to_vec()
                };
                (
                    ssl,
                    format!(
                        "TLS with `seccomp_sandbox` left at its {} default YES: on current systems the sandbox kills each session during the TLS handshake",
                        cx.dialect()
                    ),
                    Edit::insert(after, text),
                )
            }
        };
        out.push(
            cx.report(head(span), message)
                .help("set `seccomp_sandbox=NO`, as Debian and RHEL do by default")
                .fix(Fix::new("set `seccomp_sandbox=NO`", Applicability::Unsafe, vec![edit])),
        );
    }
}
