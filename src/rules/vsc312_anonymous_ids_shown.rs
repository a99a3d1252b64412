use crate::diagnostic::Applicability;
use crate::dialect::Tunable;

use super::fix::{add_after, set_value};
use super::{Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags anonymous logins (`anonymous_enable=YES`) with `hide_ids=NO` (the default).
///
/// ## Why is this bad?
/// Directory listings then show each file's real owner and group (as numbers, or as names with
/// `text_userdb_names=YES`). To an anonymous visitor that reveals which accounts own the served
/// files and which of them can write where — a small but free start for guessing logins or
/// finding writable places. With `hide_ids=YES` every owner and group is shown as `ftp`.
///
/// ## Example
/// ```vsftpd
/// anonymous_enable=YES
/// ```
/// Use instead:
/// ```vsftpd
/// anonymous_enable=YES
/// hide_ids=YES
/// ```
///
/// ## Fix
/// Unsafe: sets `hide_ids=YES` (or adds it after `anonymous_enable=YES`). Local users see `ftp` as
/// every owner too.
///
/// ## References
/// - vsftpd.conf(5): `hide_ids`, `text_userdb_names`
/// - CWE-200 (exposure of sensitive information)
/// - debian-3.0.3 binary: with `hide_ids=NO` an anonymous `LIST` showed owners and groups as
///   numbers (`102 0` for a directory owned by the `ftp` user), with `text_userdb_names=YES` partly as
///   names
pub(crate) struct AnonymousIdsShown;

impl Rule for AnonymousIdsShown {
    const META: RuleMeta = RuleMeta::info("VSC312", "anonymous-ids-shown")
        .settings(&[&[Tunable::HideIds, Tunable::AnonymousEnable]])
        .summary("anonymous listings show the real owner and group of every file")
        .fixes(FixAvailability::Sometimes(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::AnonymousEnable) || cfg.bool(Tunable::HideIds) {
            return;
        }
        let span = if cfg.is_set(Tunable::HideIds) {
            cx.span_or_file_start(Tunable::HideIds)
        } else {
            cx.span_or_file_start(Tunable::AnonymousEnable)
        };
        let mut d = cx
            .report(
                span,
                format!(
                    "anonymous users see the real owner and group of every file ({})",
                    cx.stated(Tunable::HideIds)
                ),
            )
            .help("set hide_ids=YES so that listings show `ftp` as every owner and group");
        let fix = set_value(cx, Tunable::HideIds, "YES")
            .or_else(|| add_after(cx, Tunable::AnonymousEnable, Tunable::HideIds, "YES"));
        if let Some(fix) = fix {
            d = d.fix(fix);
        }
        out.push(d);
    }
}
