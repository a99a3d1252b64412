use crate::diagnostic::Applicability;
use crate::dialect::Tunable;

use super::fix::add_after;
use super::{Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a file that never mentions `anonymous_enable` nor any anonymous-only setting, so that
/// anonymous logins are on only because the compiled-in default is `YES` (in every dialect).
///
/// ## Why is this bad?
/// A file written for local users, or trimmed from a distribution's file that said
/// `anonymous_enable=NO`, silently becomes a public server: anyone can log in as `anonymous` or
/// `ftp` and read the `ftp` user's home directory. Nothing in the file shows it.
///
/// ## Example
/// ```vsftpd
/// local_enable=YES
/// ```
/// Use instead:
/// ```vsftpd
/// local_enable=YES
/// anonymous_enable=NO
/// ```
///
/// ## Fix
/// Unsafe, when local logins are on: adds `anonymous_enable=NO` after `local_enable`. Write
/// `anonymous_enable=YES` instead if anonymous access is wanted.
///
/// ## References
/// - vsftpd.conf(5): `anonymous_enable` (default YES)
/// - tunables.tsv: `anonymous_enable` defaults to YES in upstream-3.0.5, debian-3.0.3 and
///   rhel-3.0.5; Debian's and RHEL's stock files set it to NO explicitly
pub(crate) struct AnonymousEnabledImplicitly;

/// Settings whose presence shows that anonymous access was thought about.
const ANONYMOUS_INTENT: &[Tunable] = &[
    Tunable::AnonymousEnable,
    Tunable::AnonRoot,
    Tunable::AnonUploadEnable,
    Tunable::AnonMkdirWriteEnable,
    Tunable::AnonOtherWriteEnable,
    Tunable::AnonWorldReadableOnly,
    Tunable::AnonUmask,
    Tunable::AnonMaxRate,
    Tunable::NoAnonPassword,
    Tunable::FtpUsername,
    Tunable::AllowAnonSsl,
    Tunable::DenyEmailEnable,
    Tunable::SecureEmailListEnable,
];

impl Rule for AnonymousEnabledImplicitly {
    const META: RuleMeta = RuleMeta::warning("VSC314", "anonymous-enabled-implicitly")
        .settings(&[&[Tunable::AnonymousEnable]])
        .summary("anonymous logins are on only through the compiled-in default")
        .fixes(FixAvailability::Sometimes(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::AnonymousEnable) || ANONYMOUS_INTENT.iter().any(|t| cfg.is_set(*t)) {
            return;
        }
        let local = cfg.bool(Tunable::LocalEnable);
        let span = if local {
            cx.span_or_file_start(Tunable::LocalEnable)
        } else {
            cx.span_or_file_start(Tunable::AnonymousEnable)
        };
        let mut d = cx
            .report(
                span,
                "anonymous logins are on although the file never says so (anonymous_enable defaults to YES): anyone can log in as `anonymous`",
            )
            .help("write anonymous_enable=NO, or anonymous_enable=YES if a public server is intended");
        if local {
            if let Some(fix) = add_after(cx, Tunable::LocalEnable, Tunable::AnonymousEnable, "NO")
            {
                d = d.fix(fix);
            }
        }
        out.push(d);
    }
}
