use crate::diagnostic::{Applicability, Edit, Fix};
use crate::startup::oops;
use crate::syntax::LineKind;

use super::{head, excerpt, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a comment that does not start in column 1: `  # anonymous users`, `\t#listen=NO`.
///
/// ## Why is this bad?
/// vsftpd treats a line as a comment only when its very first byte is `#`. Otherwise it skips the
/// leading whitespace and reads the rest as `name=value`, so the indented comment stops the server:
/// `500 OOPS: missing value in config file for: # anonymous users` when the comment has no `=`,
/// `500 OOPS: unrecognised variable in config file: #listen` when it has one. Indenting comments to
/// line them up with surrounding text is natural in other formats, and an editor's "comment out"
/// command may insert the `#` after the indentation.
///
/// ## Example
/// ```vsftpd
///     # passive ports for the firewall
/// pasv_min_port=50000
/// ```
/// Use instead:
/// ```vsftpd
/// # passive ports for the firewall
/// pasv_min_port=50000
/// ```
///
/// ## Fix
/// Safe: the indentation is removed, so the line becomes the comment it was meant to be.
///
/// ## References
/// - vsftpd.conf(5), "FORMAT": "Lines beginning with a # are comments"
/// - debian-3.0.3 binary: `  # x` gives `500 OOPS: missing value in config file for: # x`;
///   `  #listen=NO` gives `500 OOPS: unrecognised variable in config file: #listen`
pub(crate) struct IndentedComment;

impl Rule for IndentedComment {
    const META: RuleMeta = RuleMeta::error("VSC005", "indented-comment")
        .summary("a `#` comment that is not in column 1: vsftpd reads it as a setting and refuses to start")
        .fixes(FixAvailability::Always(Applicability::Safe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for line in cx.cst.lines() {
            let LineKind::Setting(setting) = &line.kind else {
                continue;
            };
            if setting.indent.is_empty() || cx.text(setting.name).first() != Some(&b'#') {
                continue;
            }
            let name = excerpt(cx.text(setting.name));
            let oops = if setting.equals.is_some() {
                oops::line(oops::unrecognised(name.as_bytes()))
            } else {
                oops::line(oops::missing_value(name.as_bytes()))
            };
            out.push(
                cx.report(
                    head(setting.indent.cover(setting.name)),
                    "this comment is indented, so vsftpd reads it as a setting and refuses to start",
                )
                .fatal()
                .help(format!(
                    "vsftpd prints `{oops}`; a comment must have `#` in the first column"
                ))
                .fix(Fix::new(
                    "remove the indentation before `#`",
                    Applicability::Safe,
                    vec![Edit::delete(setting.indent)],
                )),
            );
        }
    }
}
