use crate::dialect::Kind;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::model::Outcome;
use crate::model::value::is_c_space;
use crate::syntax::Span;

use super::{Scope, Context, Diagnostic, FixAvailability, Rule, RuleMeta, excerpt, offset};

/// ## What it does
/// Flags a string setting whose value holds what looks like a trailing comment: whitespace, `#`, then
/// whitespace or the end of the line (`ftpd_banner=Welcome # greeting`).
///
/// ## Why is this bad?
/// vsftpd has no trailing comments: everything after `=` is the value. The banner above greets every
/// client with `220 Welcome # greeting`; a path such as `anon_root=/srv/ftp # public` names a
/// directory that does not exist, and anonymous logins fail with `500 OOPS: cannot change
/// directory:/srv/ftp # public`. (Booleans with a comment are refused outright: VSC003.)
///
/// ## Example
/// ```vsftpd
/// ftpd_banner=Welcome # greeting shown to every client
/// ```
/// Use instead:
/// ```vsftpd
/// # greeting shown to every client
/// ftpd_banner=Welcome
/// ```
///
/// ## Fix
/// Unsafe: the comment moves to its own line above the setting (column 1), which changes the value
/// vsftpd uses. A `#` that belongs to the value (`ftpd_banner=Welcome to room #4`) is followed by
/// text, not by whitespace, and is not reported.
///
/// ## References
/// - vsftpd.conf(5): "the format of vsftpd.conf is … option=value"; no trailing comments
/// - debian-3.0.3 binary: `ftpd_banner=hi # not a comment` greets with `220 hi # not a comment`
///   (../shared/reference/parsing.md §2, row 21)
pub(crate) struct CommentInStringValue;

impl Rule for CommentInStringValue {
    const META: RuleMeta = RuleMeta::warning("VSC217", "comment-in-string-value")
        .scope(Scope::Kinds(&[Kind::Str]))
        .summary("a `# comment` after a string value is part of the value")
        .fixes(FixAvailability::Always(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for reading in cx.config().readings() {
            let Outcome::Applied { tunable, .. } = &reading.outcome else { continue };
            if tunable.spec().kind != Kind::Str {
                continue;
            }
            let Some(value) = reading.value else { continue };
            let text = cx.text(value);
            // A comment is whitespace, `#`, then whitespace or the end: `Room #4` keeps its `#`.
            let Some(hash) = (0..text.len()).find(|&i| {
                text.get(i).copied().is_some_and(is_c_space)
                    && text.get(i + 1) == Some(&b'#')
                    && text.get(i + 2).is_none_or(|b| is_c_space(*b))
            }) else {
                continue;
            };
            let crlf = text.last() == Some(&b'\r');
            let body = if crlf { text.get(..text.len() - 1).unwrap_or_default() } else { text };
            let kept = body.get(..hash).unwrap_or_default().trim_ascii_end();
            let comment = body.get(hash..).unwrap_or_default().trim_ascii();
            let name = tunable.name();
            let newline: &[u8] = if crlf { b"\r\n" } else { b"\n" };
            let line_start = cx
                .cst
                .lines()
                .iter()
                .find(|l| l.content == reading.line)
                .map_or(reading.line.start, |l| l.span.start);
            let cut = value.start.saturating_add(offset(kept.len()));
            let body_end = value.start.saturating_add(offset(body.len()));
            let hash_at = value.start.saturating_add(offset(hash + 1));
            out.push(
                cx.report(
                    Span::new(hash_at, body_end.min(hash_at.saturating_add(200))),
                    format!(
                        "`{name}` takes `{}` as part of its value: vsftpd has no trailing comments",
                        excerpt(comment)
                    ),
                )
                .help(format!(
                    "put the comment on its own line above, with `#` in the first column, so that the value is `{}`",
                    excerpt(kept)
                ))
                .fix(Fix::new(
                    "move the comment to its own line above the setting",
                    Applicability::Unsafe,
                    vec![Edit::insert(line_start, [comment, newline].concat()), Edit::delete(Span::new(cut, body_end))],
                )),
            );
        }
    }
}
