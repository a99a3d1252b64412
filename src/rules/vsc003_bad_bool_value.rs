use crate::dialect::Kind;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::model::Outcome;
use crate::model::value::{is_c_space, parse_bool};
use crate::syntax::Span;

use super::{Scope, head, excerpt, offset, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a boolean setting whose value is not exactly one of `YES`, `NO`, `TRUE`, `FALSE`, `1`, `0`
/// (any case): `listen=on`, `listen= YES`, `listen=YES ` or `listen=YES # start standalone`.
///
/// ## Why is this bad?
/// vsftpd refuses to start: `500 OOPS: bad bool value in config file for: <name>`. Boolean values
/// are never trimmed, in any dialect, and vsftpd has no trailing comments: everything after `=` is
/// the value, so a space, a tab or a `# note` after `YES` makes it invalid. Common words from other
/// daemons (`on`, `off`, `y`, `n`, `enabled`) are not accepted either.
///
/// ## Example
/// ```vsftpd
/// listen=YES # standalone
/// anonymous_enable=off
/// ```
/// Use instead:
/// ```vsftpd
/// # standalone
/// listen=YES
/// anonymous_enable=NO
/// ```
///
/// ## Fix
/// Safe when the value is a valid boolean plus surrounding whitespace (the whitespace is removed), or
/// plus a trailing `# comment` (the comment moves to its own line above, in column 1). None for
/// words such as `on`/`off`/`y`/`n`/`enabled`/`disabled`: the help names the `YES`/`NO` they
/// evidently mean, but the change makes the setting take effect, which is not a safe edit (and a
/// rule declares one applicability for all its fixes). None for anything else.
///
/// A value that is valid except for the `\r` of a Windows (CRLF) line ending is reported once for the
/// whole file by VSC013 (crlf-line-endings), not here on every line.
///
/// ## References
/// - vsftpd.conf(5), "FORMAT"
/// - debian-3.0.3 binary: `listen=on`, `listen= YES`, `listen=YES `, `listen=YES\t` and
///   `listen=YES # c` all give `500 OOPS: bad bool value in config file for: listen`
pub(crate) struct BadBoolValue;

/// Words other software uses for booleans, and what they evidently mean.
const WORDS: &[(&[u8], bool)] = &[
    (b"ON", true),
    (b"OFF", false),
    (b"Y", true),
    (b"N", false),
    (b"ENABLE", true),
    (b"ENABLED", true),
    (b"DISABLE", false),
    (b"DISABLED", false),
    (b"T", true),
    (b"F", false),
];

impl Rule for BadBoolValue {
    const META: RuleMeta = RuleMeta::error("VSC003", "bad-bool-value")
        .scope(Scope::Kinds(&[Kind::Bool]))
        .summary("a boolean value other than YES/NO/TRUE/FALSE/1/0: vsftpd refuses to start")
        .fixes(FixAvailability::Sometimes(Applicability::Safe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for reading in cx.config().readings() {
            let Outcome::BadBool(tunable) = reading.outcome else {
                continue;
            };
            let Some(value) = reading.value else { continue };
            let text = cx.text(value);
            let name = tunable.name();
            let shown = excerpt(text);
            // A valid value spoilt only by the CR of a CRLF line ending belongs to VSC013.
            if text.strip_suffix(b"\r").and_then(parse_bool).is_some() {
                continue;
            }
            let base = cx
                .report(head(value), format!("`{name}` has the value `{shown}`, which is not a boolean: vsftpd refuses to start"))
                .fatal();
            out.push(diagnose(cx, reading.line, value, text, name, base));
        }
    }
}

fn diagnose(
    cx: &Context<'_>,
    line: Span,
    value: Span,
    text: &[u8],
    name: &str,
    base: Diagnostic,
) -> Diagnostic {
    let crlf = text.last() == Some(&b'\r');
    // The `\r` of a CRLF line stays: converting line endings is VSC013's fix, for the whole file.
    let body_end = value.start.saturating_add(offset(text.len() - usize::from(crlf)));
    let body = if crlf { text.get(..text.len() - 1).unwrap_or_default() } else { text };
    let trimmed = body.trim_ascii();
    // Valid once the surrounding whitespace is gone.
    if let Some(b) = parse_bool(trimmed) {
        let lead = body.len() - body.trim_ascii_start().len();
        let start = value.start.saturating_add(offset(lead));
        let end = start.saturating_add(offset(trimmed.len()));
        let mut edits = vec![];
        if lead > 0 {
            edits.push(Edit::delete(Span::new(value.start, start)));
        }
        edits.push(Edit::delete(Span::new(end, body_end)));
        let word = if b { "YES" } else { "NO" };
        return Diagnostic {
            message: format!(
                "`{name}` has whitespace around its value `{}`: vsftpd never trims booleans and refuses to start",
                excerpt(trimmed)
            ),
            ..base
        }
        .help(format!("write `{name}={word}` with nothing before or after the value"))
        .fix(Fix::new(
            "remove the whitespace around the value",
            Applicability::Safe,
            edits,
        ));
    }
    // A valid value followed by a comment.
    let token_len = body.iter().take_while(|b| !is_c_space(**b) && **b != b'#').count();
    let token = body.get(..token_len).unwrap_or_default();
    let rest = body.get(token_len..).unwrap_or_default();
    if parse_bool(token).is_some() && rest.trim_ascii_start().first() == Some(&b'#') {
        let comment = rest.trim_ascii();
        let newline: &[u8] = if crlf { b"\r\n" } else { b"\n" };
        let full_line = cx
            .cst
            .lines()
            .iter()
            .find(|l| l.content == line)
            .map_or(line.start, |l| l.span.start);
        let comment_line = [comment, newline].concat();
        let cut = value.start.saturating_add(offset(token_len));
        return Diagnostic {
            message: format!(
                "`{name}` has a comment after its value: vsftpd has no trailing comments, reads `{}` as the value and refuses to start",
                excerpt(text)
            ),
            ..base
        }
        .help("put comments on their own line, with `#` in the first column")
        .fix(Fix::new(
            "move the comment to its own line above the setting",
            Applicability::Safe,
            vec![
                Edit::insert(full_line, comment_line),
                Edit::delete(Span::new(cut, body_end)),
            ],
        ));
    }
    let upper = trimmed.to_ascii_uppercase();
    if let Some((_, b)) = WORDS.iter().find(|(w, _)| *w == upper.as_slice()) {
        let word = if *b { "YES" } else { "NO" };
        return base.help(format!(
            "vsftpd accepts only YES/NO, TRUE/FALSE or 1/0 (any case): write `{name}={word}` (check that `{word}` is what you want: the setting takes effect once vsftpd starts)"
        ));
    }
    base.help(format!(
        "vsftpd accepts only YES/NO, TRUE/FALSE or 1/0 (any case): write `{name}=YES` or `{name}=NO`"
    ))
}
