use crate::dialect::{Kind, suggest};
use crate::model::Outcome;

use super::{Scope, head, excerpt, Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags a line that vsftpd reads as a setting but that has no value: a bare word (`listen`, `foo`),
/// or a boolean or number followed by `=` and nothing else (`listen=`, `listen_port=`).
///
/// ## Why is this bad?
/// vsftpd refuses to start: `500 OOPS: missing value in config file for: <name>`. Every line that
/// is not blank and does not start with `#` in column 1 is a setting, so a stray word, a note
/// written without `#`, or a value deleted by hand stops the server.
///
/// String settings are exempt: `ftpd_banner` or `anon_root=` with no value is accepted and makes the
/// string unset (its compiled-in default is not restored). An unknown name without `=` gets this
/// message rather than "unrecognised variable", because vsftpd checks for the value first.
///
/// ## Example
/// ```vsftpd
/// listen
/// listen_port=
/// ```
/// Use instead:
/// ```vsftpd
/// listen=YES
/// listen_port=21
/// ```
///
/// ## Fix
/// None: only you know the value that was meant.
///
/// ## References
/// - vsftpd.conf(5), "FORMAT": `option=value`, no whitespace around `=`
/// - debian-3.0.3 binary: `listen`, `listen=`, `foo` and `foo=` all give
///   `500 OOPS: missing value in config file for: <name>` (exit status 2)
pub(crate) struct MissingValue;

impl Rule for MissingValue {
    const META: RuleMeta = RuleMeta::error("VSC002", "missing-value")
        .scope(Scope::Kinds(&[Kind::Bool, Kind::Uint]))
        .summary("a boolean, number or unknown name without a value: vsftpd refuses to start");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (index, reading) in cx.config().readings().iter().enumerate() {
            if reading.outcome != Outcome::MissingValue {
                continue;
            }
            let name = cx.text(reading.name);
            // An indented comment (VSC005), a byte order mark on the first line (VSC006) and a NUL
            // byte at the start of a line (VSC209) have rules that explain them better.
            if name.first() == Some(&b'#')
                || (index == 0 && cx.cst.has_bom() && reading.line.start == 0)
                || name.is_empty() && has_nul(cx, reading.line_index)
            {
                continue;
            }
            let shown = excerpt(name);
            let spec = cx.dialect().lookup(name);
            let has_equals = reading.value.is_some();
            let message = match (spec.map(|s| s.kind), has_equals) {
                (Some(_), true) => format!("`{shown}=` has an empty value: vsftpd refuses to start"),
                (Some(_), false) => format!("`{shown}` has no `=` and no value: vsftpd refuses to start"),
                (None, _) if name.is_empty() => {
                    "a line with `=` but no name and no value: vsftpd refuses to start".to_owned()
                }
                (None, _) => format!(
                    "`{shown}` is read as a setting with no value: vsftpd refuses to start"
                ),
            };
            let help = match spec.map(|s| s.kind) {
                Some(Kind::Bool) => format!("write `{shown}=YES` or `{shown}=NO`, or delete the line"),
                Some(_) => format!("write a number, e.g. `{shown}={}`, or delete the line", example_number(cx, name)),
                None => {
                    let hint = suggest(name, cx.dialect())
                        .first()
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    format!(
                        "every line that is not blank and has no `#` in column 1 is a setting: write `name=value`{hint}, or start the line with `#` to make it a comment"
                    )
                }
            };
            out.push(cx.report(head(reading.line), message).fatal().help(help));
        }
    }
}

fn has_nul(cx: &Context<'_>, line_index: usize) -> bool {
    cx.cst.lines().get(line_index).is_some_and(|l| {
        matches!(&l.kind, crate::syntax::LineKind::Setting(s) if s.nul_tail.is_some())
    })
}

fn example_number(cx: &Context<'_>, name: &[u8]) -> String {
    cx.dialect()
        .lookup(name)
        .and_then(|s| cx.config().get(s.tunable).map(|e| e.value.display(s.octal)))
        .unwrap_or_else(|| "0".to_owned())
}
