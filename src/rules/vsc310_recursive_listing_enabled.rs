use crate::diagnostic::Applicability;
use crate::dialect::Tunable;

use super::fix::set_value;
use super::{Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags `ls_recurse_enable=YES`.
///
/// ## Why is this bad?
/// It allows `LIST -R` (and `ls -R`). One such command at the top of a large tree makes the server
/// walk and format every file below it, holding CPU, disk I/O and memory for the whole listing; a
/// few clients repeating it are an easy denial of service, and on an anonymous server anyone can
/// send it. The manual itself warns that it can consume a lot of resources.
///
/// ## Example
/// ```vsftpd
/// ls_recurse_enable=YES
/// ```
/// Use instead:
/// ```vsftpd
/// ls_recurse_enable=NO
/// ```
///
/// ## Fix
/// Unsafe: sets `ls_recurse_enable=NO`; clients that mirror with `ls -R` must walk the tree
/// directory by directory.
///
/// ## References
/// - vsftpd.conf(5): `ls_recurse_enable`
/// - CWE-400 (uncontrolled resource consumption)
/// - debian-3.0.3 binary: `LIST -R` lists every subdirectory with `ls_recurse_enable=YES`; with the
///   default `NO` the `-R` is ignored and only the directory itself is listed
pub(crate) struct RecursiveListingEnabled;

impl Rule for RecursiveListingEnabled {
    const META: RuleMeta = RuleMeta::warning("VSC310", "recursive-listing-enabled")
        .settings(&[&[Tunable::LsRecurseEnable]])
        .summary("ls_recurse_enable=YES: one LIST -R can tie up the server")
        .fixes(FixAvailability::Always(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::LsRecurseEnable) {
            return;
        }
        let who = if cfg.bool(Tunable::AnonymousEnable) {
            "any anonymous user"
        } else {
            "any logged-in user"
        };
        let mut d = cx
            .report(
                cx.span_or_file_start(Tunable::LsRecurseEnable),
                format!("recursive listings are allowed: {who} can send `LIST -R /` and make the server walk the whole tree"),
            )
            .help("set ls_recurse_enable=NO (the default)");
        if let Some(fix) = set_value(cx, Tunable::LsRecurseEnable, "NO") {
            d = d.fix(fix);
        }
        out.push(d);
    }
}
