use crate::diagnostic::{Applicability, Edit, Fix, Severity};
use crate::startup::oops;
use crate::syntax::{LineKind, Span};

use super::{excerpt, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a NUL byte inside a setting line.
///
/// ## Why is this bad?
/// vsftpd handles each line as a C string, which ends at the first NUL: everything after it is
/// invisible. `listen=YES\0junk` is `listen=YES`; a value pasted from a binary source or a file
/// written by a buggy tool loses its tail without any message. A NUL as the first byte of a line
/// leaves an empty name, and vsftpd refuses to start with `500 OOPS: missing value in config file
/// for: ` (nothing after the colon).
///
/// ## Example
/// ```vsftpd
/// ftpd_banner=Welcome\0 to the archive
/// ```
/// Use instead:
/// ```vsftpd
/// ftpd_banner=Welcome to the archive
/// ```
///
/// ## Fix
/// Safe: the NUL and the invisible bytes after it are deleted, so the line shows exactly what vsftpd
/// reads. If the tail was meant, remove only the NUL by hand.
///
/// ## References
/// - debian-3.0.3 binary: `listen=YES\0junk` starts; a line starting with NUL gives
///   `500 OOPS: missing value in config file for: `
pub(crate) struct NulByteInLine;

impl Rule for NulByteInLine {
    const META: RuleMeta = RuleMeta::warning("VSC209", "nul-byte-in-line")
        .summary("a NUL byte ends the line for vsftpd: the rest is invisible")
        .fixes(FixAvailability::Always(Applicability::Safe))
        .can_refuse();

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for line in cx.cst.lines() {
            let LineKind::Setting(setting) = &line.kind else {
                continue;
            };
            let Some(tail) = setting.nul_tail else { continue };
            // Point at the NUL byte itself.
            let nul = Span::new(tail.start, tail.start.saturating_add(1).min(tail.end));
            let hidden = cx.text(tail);
            let hidden = hidden.strip_suffix(b"\r").unwrap_or(hidden);
            let shown = excerpt(hidden.get(1..).unwrap_or_default());
            let empty_name = setting.name.is_empty();
            let edit = if empty_name {
                // Nothing visible remains: delete the indentation too, leaving a blank line.
                Edit::delete(setting.indent.cover(tail))
            } else {
                Edit::delete(tail)
            };
            let edit = if cx.text(tail).last() == Some(&b'\r') {
                Edit::delete(Span::new(edit.span.start, edit.span.end - 1))
            } else {
                edit
            };
            let d = if empty_name {
                cx.report_with(
                    Severity::Error,
                    nul,
                    format!(
                        "this line starts with a NUL byte: vsftpd reads an empty name and refuses to start with `{}`",
                        oops::line(oops::missing_value(b""))
                    ),
                )
                .fatal()
            } else {
                cx.report(
                    nul,
                    format!("a NUL byte ends this line for vsftpd: it never sees `{shown}`"),
                )
            };
            out.push(
                d.help("remove the NUL byte (and the text after it, unless it belongs to the value)")
                    .fix(Fix::new(
                        "delete the NUL byte and the text vsftpd does not read",
                        Applicability::Safe,
                        vec![edit],
                    )),
            );
        }
    }
}
