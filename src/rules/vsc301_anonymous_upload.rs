use crate::diagnostic::Applicability;
use crate::dialect::Tunable;

use super::fix::set_value;
use super::{Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags `anon_upload_enable=YES` when it takes effect: `anonymous_enable=YES` and
/// `write_enable=YES`.
///
/// ## Why is this bad?
/// Anyone on the network can store files on the server without a password. Open upload areas are
/// found by scanners within hours and used to distribute malware and pirated content, or simply to
/// fill the disk. If uploads are a business need, confine them: a write-only `incoming` directory
/// (`anon_world_readable_only=YES`, `chown_uploads=YES`), a quota on the file system, and no
/// download of what was uploaded.
///
/// ## Example
/// ```vsftpd
/// anonymous_enable=YES
/// write_enable=YES
/// anon_upload_enable=YES
/// ```
/// Use instead:
/// ```vsftpd
/// anonymous_enable=YES
/// write_enable=YES
/// anon_upload_enable=NO
/// ```
///
/// ## Fix
/// Unsafe: sets `anon_upload_enable=NO`, which stops anonymous uploads.
///
/// ## References
/// - vsftpd.conf(5): `anon_upload_enable`, `write_enable`, `chown_uploads`
/// - CWE-434 (unrestricted upload of file with dangerous type)
pub(crate) struct AnonymousUpload;

impl Rule for AnonymousUpload {
    const META: RuleMeta = RuleMeta::warning("VSC301", "anonymous-upload")
        .settings(&[&[Tunable::AnonUploadEnable, Tunable::WriteEnable, Tunable::AnonymousEnable]])
        .summary("anonymous users can upload files")
        .fixes(FixAvailability::Always(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::AnonymousEnable)
            || !cfg.bool(Tunable::WriteEnable)
            || !cfg.bool(Tunable::AnonUploadEnable)
        {
            return;
        }
        let mut d = cx
            .report(
                cx.span_or_file_start(Tunable::AnonUploadEnable),
                "anonymous users can upload files: anyone on the network can store data on this server without a password",
            )
            .help("set anon_upload_enable=NO, or confine uploads to a write-only directory (chown_uploads=YES, anon_world_readable_only=YES) on a file system with a quota");
        d = d.label(cx.span_or_file_start(Tunable::WriteEnable), "writes on");
        if let Some(fix) = set_value(cx, Tunable::AnonUploadEnable, "NO") {
            d = d.fix(fix);
        }
        out.push(d);
    }
}

