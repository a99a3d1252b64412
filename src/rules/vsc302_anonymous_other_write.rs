use crate::diagnostic::Applicability;
use crate::dialect::Tunable;

use super::fix::set_value;
use super::{Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags `anon_other_write_enable=YES` when it takes effect: `anonymous_enable=YES` and
/// `write_enable=YES`.
///
/// ## Why is this bad?
/// Anonymous users may then delete and rename files and directories (`DELE`, `RNFR`/`RNTO`, `RMD`),
/// not just upload. Anyone can destroy or replace everything the `ftp` user can write, including
/// what other people uploaded.
///
/// ## Example
/// ```vsftpd
/// anonymous_enable=YES
/// write_enable=YES
/// anon_other_write_enable=YES
/// ```
/// Use instead:
/// ```vsftpd
/// anonymous_enable=YES
/// write_enable=YES
/// anon_other_write_enable=NO
/// ```
///
/// ## Fix
/// Unsafe: sets `anon_other_write_enable=NO`, which stops anonymous deletes and renames.
///
/// ## References
/// - vsftpd.conf(5): `anon_other_write_enable`, `write_enable`
/// - CWE-732 (incorrect permission assignment for critical resource)
pub(crate) struct AnonymousOtherWrite;

impl Rule for AnonymousOtherWrite {
    const META: RuleMeta = RuleMeta::error("VSC302", "anonymous-other-write")
        .settings(&[&[Tunable::AnonOtherWriteEnable, Tunable::WriteEnable]])
        .summary("anonymous users can delete and rename files")
        .fixes(FixAvailability::Always(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::AnonymousEnable)
            || !cfg.bool(Tunable::WriteEnable)
            || !cfg.bool(Tunable::AnonOtherWriteEnable)
        {
            return;
        }
        let mut d = cx
            .report(
                cx.span_or_file_start(Tunable::AnonOtherWriteEnable),
                "anonymous users can delete and rename files: anyone can destroy or replace what the ftp user can write",
            )
            .help("set anon_other_write_enable=NO");
        d = d.label(cx.span_or_file_start(Tunable::WriteEnable), "writes on");
        if let Some(fix) = set_value(cx, Tunable::AnonOtherWriteEnable, "NO") {
            d = d.fix(fix);
        }
        out.push(d);
    }
}
