use crate::diagnostic::{Applicability, Edit, Fix};
use crate::syntax::{LineKind, Span};

use super::{head, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// ## What it does
/// Flags a UTF-8 byte order mark (the bytes `EF BB BF`) at the start of the file, as Windows editors
/// such as Notepad write it.
///
/// ## Why is this bad?
/// vsftpd knows nothing of encodings: the three bytes become part of the first line. A first setting
/// gets an invisible prefix in its name (`500 OOPS: unrecognised variable in config file:
/// \xef\xbb\xbflisten`), and a first comment no longer starts with `#`
/// (`500 OOPS: missing value in config file for: \xef\xbb\xbf# ...`). Either way vsftpd refuses to
/// start, and the message looks as if the name were right.
///
/// ## Example
/// ```vsftpd
/// <BOM>listen=YES
/// ```
/// Use instead:
/// ```vsftpd
/// listen=YES
/// ```
///
/// ## Fix
/// Safe: the three bytes are deleted; nothing else changes.
///
/// ## References
/// - debian-3.0.3 binary: `\xEF\xBB\xBFlisten=YES` gives
///   `500 OOPS: unrecognised variable in config file: \xef\xbb\xbflisten`
pub(crate) struct ByteOrderMark;

impl Rule for ByteOrderMark {
    const META: RuleMeta = RuleMeta::error("VSC006", "byte-order-mark")
        .summary("a UTF-8 byte order mark glued to the first line: vsftpd refuses to start")
        .fixes(FixAvailability::Always(Applicability::Safe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if !cx.cst.has_bom() {
            return;
        }
        let span = Span::new(0, BOM.len() as u32);
        let what = match cx.cst.lines().first().map(|l| &l.kind) {
            Some(LineKind::Setting(s)) if cx.text(s.name).get(BOM.len()..).and_then(|n| n.first()) == Some(&b'#') => {
                "the first line is no longer a comment"
            }
            _ => "it becomes part of the first setting's name",
        };
        out.push(
            cx.report(
                head(span),
                format!("the file starts with a UTF-8 byte order mark: {what} and vsftpd refuses to start"),
            )
            .fatal()
            .help("save the file as UTF-8 without BOM (or plain ASCII)")
            .fix(Fix::new(
                "delete the byte order mark",
                Applicability::Safe,
                vec![Edit::delete(span)],
            )),
        );
    }
}
