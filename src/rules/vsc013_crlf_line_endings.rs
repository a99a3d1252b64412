use crate::diagnostic::{Applicability, Edit, Fix, Severity};
use crate::dialect::{Dialect, StringTrim};
use crate::model::{Outcome, Reading};
use crate::syntax::Span;

use super::{head, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a file with Windows (CRLF) line endings, once for the whole file, at the first line where
/// the carriage return changes what vsftpd reads.
///
/// ## Why is this bad?
/// vsftpd splits lines on `\n` only, so every line keeps its `\r`, inside the value:
/// - booleans: `listen=YES\r` is not a boolean, and vsftpd refuses to start with
///   `500 OOPS: bad bool value in config file for: listen` — a message that does not mention the
///   invisible byte;
/// - strings in upstream vsftpd: the `\r` stays in the value (`anon_root=/srv/ftp\r` fails at login
///   with `500 OOPS: cannot change directory:/srv/ftp\r`); Debian and RHEL trim it;
/// - numbers read fine (`listen_port=2121\r` is 2121).
///
/// So a file edited on Windows fails on its first boolean. This rule is the single owner of those
/// failures: VSC003 (bad-bool-value) does not repeat them line by line.
///
/// ## Example
/// ```vsftpd
/// listen=YES\r
/// anonymous_enable=YES\r
/// ```
/// Use instead:
/// ```vsftpd
/// listen=YES
/// anonymous_enable=YES
/// ```
///
/// ## Fix
/// Safe: every `\r` at the end of a line is deleted (as `dos2unix` does); nothing else changes.
///
/// ## References
/// - vsftpd.conf(5), "FORMAT"
/// - debian-3.0.3 binary: `listen=YES\r\n` gives `500 OOPS: bad bool value in config file for: listen`;
///   `listen_port=2121\r` listens on 2121; upstream-3.0.5 build: `ftpd_banner=crlf\r` greets with
///   `220 crlf\r`
pub(crate) struct CrlfLineEndings;

/// How much a line's `\r` matters.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Effect {
    /// Read the same as without it.
    Harmless,
    /// A string value keeps it.
    KeptInString,
    /// A boolean fails: vsftpd refuses to start.
    BadBool,
}

fn effect(cx: &Context<'_>, reading: &Reading, dialect: Dialect) -> Effect {
    let value = reading.value.map(|v| cx.text(v)).unwrap_or_default();
    if value.last() != Some(&b'\r') {
        return Effect::Harmless;
    }
    match reading.outcome {
        // Also when the line has a second problem (VSC003): once that is fixed, the `\r` remains.
        Outcome::BadBool(_) => Effect::BadBool,
        Outcome::Applied {
            value: crate::model::Value::Str(Some(_)),
            ..
        } if dialect.string_trim() == StringTrim::Keep => Effect::KeptInString,
        _ => Effect::Harmless,
    }
}

impl Rule for CrlfLineEndings {
    const META: RuleMeta = RuleMeta::error("VSC013", "crlf-line-endings")
        .summary("Windows (CRLF) line endings: the `\\r` is part of every value, so booleans fail")
        .fixes(FixAvailability::Always(Applicability::Safe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let text = cx.cst.text();
        let returns: Vec<Span> = cx
            .cst
            .lines()
            .iter()
            .filter(|l| l.ends_with_carriage_return(text))
            .map(|l| Span::new(l.content.end - 1, l.content.end))
            .collect();
        let Some(first) = returns.first() else { return };
        let affected: Vec<(Effect, &Reading)> = cx
            .config()
            .readings()
            .iter()
            .map(|r| (effect(cx, r, cx.dialect()), r))
            .filter(|(e, _)| *e != Effect::Harmless)
            .collect();
        let worst = affected.iter().map(|(e, _)| *e).max().unwrap_or(Effect::Harmless);
        let lines = returns.len();
        let fix = Fix::new(
            "delete the `\\r` at the end of every line",
            Applicability::Safe,
            returns.iter().map(|s| Edit::delete(*s)).collect(),
        );
        let help = "convert the file to Unix line endings (`dos2unix`, or your editor's LF setting)";
        let d = match worst {
            Effect::BadBool => {
                let bools: Vec<&Reading> = affected
                    .iter()
                    .filter(|(e, _)| *e == Effect::BadBool)
                    .map(|(_, r)| *r)
                    .collect();
                let primary = bools.first().map_or(*first, |r| r.line);
                let mut d = cx
                    .report(
                        head(primary),
                        format!(
                            "this file has Windows (CRLF) line endings: the `\\r` is part of every value, so {} boolean setting{} fail{} and vsftpd refuses to start",
                            bools.len(),
                            if bools.len() == 1 { "" } else { "s" },
                            if bools.len() == 1 { "s" } else { "" },
                        ),
                    )
                    .fatal();
                for r in bools.iter().skip(1).take(5) {
                    d = d.label(head(r.line), "also fails: bad bool value");
                }
                d
            }
            Effect::KeptInString => {
                let first_string = affected.first().map_or(*first, |(_, r)| r.line);
                cx.report_with(
                    Severity::Warning,
                    head(first_string),
                    format!(
                        "this file has Windows (CRLF) line endings: {} keeps the `\\r` at the end of string values such as this one",
                        cx.dialect()
                    ),
                )
            }
            Effect::Harmless => cx.report_with(
                Severity::Info,
                head(*first),
                format!(
                    "this file has Windows (CRLF) line endings on {lines} line{}: harmless for the settings it has now, but any boolean added later will fail",
                    if lines == 1 { "" } else { "s" }
                ),
            ),
        };
        out.push(d.help(help).fix(fix));
    }
}
