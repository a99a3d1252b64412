use crate::diagnostic::{Applicability, Edit, Fix};
use crate::dialect::{Dialect, Kind};
use crate::model::value::is_c_space;
use crate::syntax::Span;

use super::{Scope, head, excerpt, offset, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags spaces or tabs before or after a string value in upstream vsftpd:
/// `anon_root=/srv/ftp `, `ftpd_banner=  Welcome`.
///
/// ## Why is this bad?
/// Upstream vsftpd keeps string values byte for byte, invisible whitespace included.
/// `anon_root=/srv/ftp ` names a directory ending in a space, and every anonymous login fails with
/// `500 OOPS: cannot change directory:/srv/ftp `; a user name, file path or cipher list with a
/// trailing space fails the same way. Debian and RHEL trim string values, so the same line works
/// there — and breaks when the file moves to a build from source.
///
/// ## Example
/// ```vsftpd
/// anon_root=/srv/ftp 
/// ```
/// Use instead:
/// ```vsftpd
/// anon_root=/srv/ftp
/// ```
///
/// ## Fix
/// Safe: the surrounding whitespace is removed (what Debian and RHEL do when they read it). A final
/// `\r` from a CRLF line ending is left to VSC013 (crlf-line-endings).
///
/// ## Dialects
/// upstream-3.0.5 only: the other dialects trim.
///
/// ## References
/// - upstream-3.0.5 build: `anon_root=/srv/ftp ` fails anonymous logins with
///   `500 OOPS: cannot change directory:/srv/ftp `; `ftpd_banner=  hi there  ` greets with
///   `220   hi there  `; debian-3.0.3 binary trims both
pub(crate) struct StringWhitespaceKept;

impl Rule for StringWhitespaceKept {
    const META: RuleMeta = RuleMeta::warning("VSC206", "string-whitespace-kept")
        .scope(Scope::Kinds(&[Kind::Str]))
        .summary("whitespace around a string value is kept by upstream vsftpd (`anon_root=/srv/ftp `)")
        .fixes(FixAvailability::Always(Applicability::Safe))
        .only_in(&[Dialect::Upstream305]);

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for reading in cx.config().readings() {
            let Some(spec) = cx.dialect().lookup(cx.text(reading.name)) else {
                continue;
            };
            if spec.kind != Kind::Str {
                continue;
            }
            let Some(value) = reading.value else { continue };
            let text = cx.text(value);
            let body = text.strip_suffix(b"\r").unwrap_or(text);
            let lead = body.iter().take_while(|b| is_c_space(**b)).count();
            let trail = body.iter().rev().take_while(|b| is_c_space(**b)).count();
            if lead == 0 && trail == 0 {
                continue;
            }
            let name = spec.name;
            let core = body.trim_ascii();
            let (where_, what) = match (lead > 0, trail > 0) {
                (true, true) => ("before and after", "whitespace"),
                (true, false) => ("before", "leading whitespace"),
                _ => ("after", "trailing whitespace"),
            };
            let mut edits = Vec::new();
            if lead > 0 && !core.is_empty() {
                edits.push(Edit::delete(Span::new(value.start, value.start.saturating_add(offset(lead)))));
            }
            let body_end = value.start.saturating_add(offset(body.len()));
            if core.is_empty() {
                edits = vec![Edit::delete(Span::new(value.start, body_end))];
            } else if trail > 0 {
                edits.push(Edit::delete(Span::new(body_end.saturating_sub(offset(trail)), body_end)));
            }
            let message = if core.is_empty() {
                format!("`{name}` is only whitespace, and {} keeps it as the value", cx.dialect())
            } else {
                format!(
                    "`{name}` has {what} {where_} `{}`, and {} keeps it as part of the value",
                    excerpt(core),
                    cx.dialect()
                )
            };
            out.push(
                cx.report(head(value), message)
                    .help("remove the spaces and tabs around the value; only Debian and RHEL builds trim them")
                    .fix(Fix::new("trim the value", Applicability::Safe, edits)),
            );
        }
    }
}
