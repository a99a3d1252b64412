use crate::diagnostic::Severity;
use crate::dialect::Tunable;
use crate::syntax::escape_bytes;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Explains `userlist_deny`, whose name hides its effect:
/// - with `userlist_enable=YES` and `userlist_deny=NO`, `userlist_file` is an allow list: only the
///   users listed may log in (information);
/// - `userlist_deny` set while `userlist_enable=NO`: the list is not read at all (warning).
///
/// ## Why is this bad?
/// `userlist_deny=NO` reads like "deny nobody", but it makes vsftpd refuse, at `USER` time, every
/// name not in the file — including `anonymous` and `ftp` when anonymous logins are meant to work.
/// Without `userlist_enable=YES`, `userlist_deny` and `userlist_file` do nothing, so the intended
/// restriction does not exist.
///
/// ## Example
/// ```vsftpd
/// userlist_deny=NO
/// ```
/// Use instead:
/// ```vsftpd
/// userlist_enable=YES
/// userlist_deny=NO
/// userlist_file=/etc/vsftpd.allowed_users
/// ```
///
/// ## Fix
/// None.
///
/// ## References
/// - vsftpd.conf(5): `userlist_enable`, `userlist_deny`, `userlist_file`
/// - debian-3.0.3 binary: `userlist_enable=YES`, `userlist_deny=NO`, a list without `anonymous`:
///   `USER anonymous` got `530 Permission denied.`, also with `local_enable=NO`; with the list file
///   missing, every user got the same and vsftpd printed nothing
pub(crate) struct UserlistAllowSemantics;

impl Rule for UserlistAllowSemantics {
    const META: RuleMeta = RuleMeta::warning("VSC113", "userlist-allow-semantics")
        .settings(&[&[Tunable::UserlistDeny, Tunable::UserlistEnable, Tunable::UserlistFile]])
        .summary("userlist_deny=NO makes the user list an allow list; without userlist_enable it is ignored");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.is_set(Tunable::UserlistDeny) {
            return;
        }
        let file = escape_bytes(cfg.string(Tunable::UserlistFile).unwrap_or_default());
        let span = cx.span_or_file_start(Tunable::UserlistDeny);
        if !cfg.bool(Tunable::UserlistEnable) {
            out.push(
                cx.report(
                    span,
                    format!(
                        "userlist_deny is ignored because {}: {file} is never read",
                        cx.describe(Tunable::UserlistEnable)
                    ),
                )
                .help("set userlist_enable=YES for the list to take effect, or remove the line"),
            );
        } else if !cfg.bool(Tunable::UserlistDeny) {
            let anonymous = if cfg.bool(Tunable::AnonymousEnable) {
                " (anonymous logins too: list `anonymous` and `ftp` if they should work)"
            } else {
                ""
            };
            let mut d = cx
                .report_with(
                    Severity::Info,
                    span,
                    format!(
                        "userlist_deny=NO makes {file} an allow list: only the users listed there may log in{anonymous}"
                    ),
                )
                .help("make sure every user who should log in is listed; with userlist_deny=YES the file lists users to refuse instead");
            if cfg.is_set(Tunable::UserlistEnable) {
                d = d.label(cx.span_or_file_start(Tunable::UserlistEnable), "the list is on");
            }
            out.push(d);
        }
    }
}
