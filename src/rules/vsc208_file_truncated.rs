use crate::diagnostic::Severity;
use crate::model::READ_LIMIT_BYTES;
use crate::syntax::{LineKind, Span};

use super::{head, offset, Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags a config file longer than 100,000 bytes, the most vsftpd reads.
///
/// ## Why is this bad?
/// vsftpd reads the first 100,000 bytes and silently ignores the rest: settings after the limit do
/// not exist for it, and a line cut by the limit is read cut (`listen=YES` cut to `listen=YE` makes
/// vsftpd refuse to start with `bad bool value`). Generated configs and files with huge comment
/// blocks reach the limit without anyone noticing.
///
/// ## Example
/// ```vsftpd
/// # ... 100,000 bytes of comments ...
/// anonymous_enable=NO
/// ```
/// Use instead: keep the file well under 100,000 bytes (move long notes elsewhere).
///
/// ## Fix
/// None: decide what to cut.
///
/// ## References
/// - debian-3.0.3 binary: a file longer than 100000 bytes is read up to byte 100000; `listen=YES`
///   cut after `listen=YE` gives `500 OOPS: bad bool value in config file for: listen`
pub(crate) struct FileTruncated;

impl Rule for FileTruncated {
    const META: RuleMeta = RuleMeta::error("VSC208", "file-truncated")
        .summary("the file is longer than 100,000 bytes: vsftpd ignores the rest");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(t) = cx.config().truncation() else {
            return;
        };
        let limit = READ_LIMIT_BYTES as u32;
        let ignored_settings = cx
            .cst
            .lines()
            .iter()
            .filter(|l| l.span.start >= limit && matches!(l.kind, LineKind::Setting(_)))
            .count();
        // Point at the start of the cut line (a column 100000 characters into a huge line costs the
        // renderer dearly), or at the limit when it falls between lines.
        let span = t
            .cut_line
            .map(head)
            .unwrap_or_else(|| Span::empty(t.at.min(offset(cx.cst.text().len()))));
        let cut = if t.cut_line.is_some() {
            ", and this line is cut in two by the limit"
        } else {
            ""
        };
        let message = format!(
            "the file is {} bytes long and vsftpd reads only the first 100000: {}{ignored_settings} setting line{} after the limit {} never read{cut}",
            t.file_len,
            // vsconf itself may have read only a prefix of a huge file.
            if t.file_len > cx.cst.text().len() as u64 { "at least " } else { "" },
            if ignored_settings == 1 { "" } else { "s" },
            if ignored_settings == 1 { "is" } else { "are" },
        );
        let severity = if ignored_settings == 0 && t.cut_line.is_none() {
            Severity::Warning
        } else {
            Severity::Error
        };
        out.push(
            cx.report_with(severity, head(span), message)
                .help("shorten the file below 100000 bytes: remove long comment blocks or unused lines"),
        );
    }
}
