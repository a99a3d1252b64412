use crate::diagnostic::{Applicability, Edit, Fix, Severity};
use crate::dialect::Tunable;

use super::vsc103_pasv_range_inverted::value_text;
use super::{ALL_DIALECTS, Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

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

static META: RuleMeta = RuleMeta {
    code: "VSC301",
    name: "anonymous-upload",
    category: Category::Security,
    severity: Severity::Warning,
    fix: FixAvailability::Always(Applicability::Unsafe),
    dialects: ALL_DIALECTS,
    host_checks: false,
    summary: "anonymous users can upload files",
};

impl Rule for AnonymousUpload {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

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
                &META,
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

/// An unsafe fix that replaces the value of the line setting `tunable`, if a line sets it.
pub(super) fn set_value(cx: &Context<'_>, tunable: Tunable, value: &str) -> Option<Fix> {
    let span = value_text(cx, tunable)?;
    Some(Fix::new(
        format!("set {}={value}", tunable.name()),
        Applicability::Unsafe,
        vec![Edit::replace(span, value.as_bytes().to_vec())],
    ))
}

/// An unsafe fix that adds `tunable=value` on a new line right after the line setting `after`.
pub(super) fn add_after(
    cx: &Context<'_>,
    after: Tunable,
    tunable: Tunable,
    value: &str,
) -> Option<Fix> {
    let content = cx.config().origin(after).line()?;
    let line = cx.cst.lines().iter().find(|l| l.content == content)?;
    let text = cx.cst.text();
    let edit = match line.newline {
        Some(newline) => {
            let ending: &[u8] = if line.ends_with_carriage_return(text) {
                b"\r\n"
            } else {
                b"\n"
            };
            let mut new = format!("{}={value}", tunable.name()).into_bytes();
            new.extend_from_slice(ending);
            Edit::insert(newline.end, new)
        }
        None => Edit::insert(content.end, format!("\n{}={value}", tunable.name())),
    };
    Some(Fix::new(
        format!("add {}={value}", tunable.name()),
        Applicability::Unsafe,
        vec![edit],
    ))
}
