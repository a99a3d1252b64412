use crate::diagnostic::Applicability;
use crate::dialect::Tunable;

use super::fix::set_value;
use super::{Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a configuration that writes no transfer log: `xferlog_enable=NO` (the compiled-in default)
/// and `dual_log_enable=NO`.
///
/// ## Why is this bad?
/// Without it there is no record of who uploaded, downloaded or deleted what, and from which
/// address: an intrusion, a leak or an abuse of an upload area cannot be investigated, and audit
/// requirements for file transfer services are not met. Logins alone still go to the system log
/// through PAM, but transfers do not.
///
/// ## Example
/// ```vsftpd
/// xferlog_enable=NO
/// ```
/// Use instead:
/// ```vsftpd
/// xferlog_enable=YES
/// ```
///
/// ## Fix
/// Unsafe, when the file sets `xferlog_enable=NO`: sets it to `YES`. The log file
/// (`vsftpd_log_file`, or `xferlog_file` with `xferlog_std_format=YES`) must then be writable, or
/// every session is refused with `failed to open … log file`.
///
/// ## References
/// - vsftpd.conf(5): `xferlog_enable`, `xferlog_std_format`, `dual_log_enable`, `syslog_enable`
/// - startup-checks.md B6 (which log file is opened when)
pub(crate) struct TransferLogDisabled;

impl Rule for TransferLogDisabled {
    const META: RuleMeta = RuleMeta::warning("VSC311", "transfer-log-disabled")
        .settings(&[&[Tunable::XferlogEnable, Tunable::DualLogEnable]])
        .summary("no transfer log: uploads, downloads and deletions leave no trace")
        .fixes(FixAvailability::Sometimes(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if cfg.bool(Tunable::XferlogEnable) || cfg.bool(Tunable::DualLogEnable) {
            return;
        }
        let mut d = cx
            .report(
                cx.span_or_file_start(Tunable::XferlogEnable),
                format!(
                    "no transfer log is written ({}): uploads, downloads and deletions leave no trace",
                    cx.stated(Tunable::XferlogEnable)
                ),
            )
            .help("set xferlog_enable=YES (and xferlog_std_format=YES for the wu-ftpd format most tools read)");
        if let Some(fix) = set_value(cx, Tunable::XferlogEnable, "YES") {
            d = d.fix(fix);
        }
        out.push(d);
    }
}
