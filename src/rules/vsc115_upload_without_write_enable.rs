use crate::dialect::Tunable;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags `anon_upload_enable=YES`, `anon_mkdir_write_enable=YES` or `anon_other_write_enable=YES`
/// while `write_enable=NO` (the compiled-in default), with anonymous or guest logins on.
///
/// ## Why is this bad?
/// `write_enable` is the master switch for every command that changes the filesystem. Without it
/// the anonymous write permissions are ignored: uploads are refused with `550 Permission denied.`
/// although the file plainly allows them.
///
/// ## Example
/// ```vsftpd
/// anonymous_enable=YES
/// anon_upload_enable=YES
/// ```
/// Use instead (if anonymous uploads are really wanted; see VSC301):
/// ```vsftpd
/// anonymous_enable=YES
/// write_enable=YES
/// anon_upload_enable=YES
/// ```
///
/// ## Fix
/// None: turning on `write_enable` also lets local users write, so it is a decision.
///
/// ## References
/// - vsftpd.conf(5): `write_enable`, `anon_upload_enable` ("the write_enable must be activated"),
///   `anon_mkdir_write_enable`, `anon_other_write_enable`
/// - debian-3.0.3 binary: `anon_upload_enable=YES` without `write_enable`: an anonymous `STOR` into
///   a directory the `ftp` user owns got `550 Permission denied.`
pub(crate) struct UploadWithoutWriteEnable;

impl Rule for UploadWithoutWriteEnable {
    const META: RuleMeta = RuleMeta::warning("VSC115", "upload-without-write-enable")
        .settings(&[&[Tunable::AnonUploadEnable, Tunable::AnonMkdirWriteEnable, Tunable::AnonOtherWriteEnable, Tunable::WriteEnable]])
        .summary("anonymous write permissions while write_enable=NO: they are ignored");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        // With anonymous and guest logins off, VSC114 reports these lines instead.
        if cfg.bool(Tunable::WriteEnable)
            || !(cfg.bool(Tunable::AnonymousEnable) || cfg.bool(Tunable::GuestEnable))
        {
            return;
        }
        for tunable in [
            Tunable::AnonUploadEnable,
            Tunable::AnonMkdirWriteEnable,
            Tunable::AnonOtherWriteEnable,
        ] {
            if !cfg.bool(tunable) {
                continue;
            }
            let mut d = cx
                .report(
                    cx.span_or_file_start(tunable),
                    format!(
                        "{}=YES has no effect: {} turns off every write command, so these requests get `550 Permission denied.`",
                        tunable.name(),
                        cx.describe(Tunable::WriteEnable)
                    ),
                )
                .help("set write_enable=YES if anonymous writes are really wanted, or remove the line");
            if cfg.is_set(Tunable::WriteEnable) {
                d = d.label(cx.span_or_file_start(Tunable::WriteEnable), "writes off");
            }
            out.push(d);
        }
    }
}
