use crate::diagnostic::{Applicability, Edit, Fix};
use crate::model::value::Radix;

use super::{Scope, head, excerpt, offset, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a mode or umask written without a leading `0`: `local_umask=22`, `anon_umask=77`,
/// `file_open_mode=666`, `chown_upload_mode=600`.
///
/// ## Why is this bad?
/// vsftpd reads a number as octal only when it starts with `0`; otherwise it is decimal. So
/// `local_umask=22` is decimal 22 = octal 026, not 022: uploaded files become mode 0640 instead of
/// 0644, and `file_open_mode=600` (decimal 600 = octal 1130) gives files mode 0130. Nothing warns;
/// the permissions are simply not what the line says.
///
/// ## Example
/// ```vsftpd
/// local_umask=22
/// ```
/// Use instead:
/// ```vsftpd
/// local_umask=022
/// ```
///
/// ## Fix
/// Unsafe: a `0` is put in front, so the digits are read as the octal mode they look like. This
/// changes the permissions of every file uploaded from now on.
///
/// ## References
/// - vsftpd.conf(5): `local_umask`, `anon_umask`, `file_open_mode`, `chown_upload_mode`
///   ("specified in octal")
/// - debian-3.0.3 binary, anonymous upload with `file_open_mode=0666`: `anon_umask=022` gives a file
///   of mode 0644, `anon_umask=22` gives 0640; `file_open_mode=600` gives 0130
pub(crate) struct DecimalUmask;

impl Rule for DecimalUmask {
    const META: RuleMeta = RuleMeta::warning("VSC204", "decimal-umask")
        .scope(Scope::Octal)
        .summary("a mode or umask without a leading 0 is read as decimal (`local_umask=22` is 026)")
        .fixes(FixAvailability::Sometimes(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (tunable, n, value) in cx.numbers() {
            if !tunable.spec().octal || n.radix != Radix::Decimal || n.value == 0 {
                continue;
            }
            let text = cx.text(value);
            let digits = text.trim_ascii();
            let name = tunable.name();
            let mut d = cx.report(
                head(value),
                format!(
                    "`{name}={}` has no leading 0, so vsftpd reads it as decimal {}, which is octal {:04o}",
                    excerpt(digits),
                    n.value,
                    n.value
                ),
            );
            if !digits.is_empty() && digits.iter().all(|b| (b'0'..=b'7').contains(b)) {
                let lead = text.len() - text.trim_ascii_start().len();
                d = d
                    .help(format!(
                        "write modes and umasks in octal with a leading 0: `{name}=0{}`",
                        excerpt(digits)
                    ))
                    .fix(Fix::new(
                        format!("write `0{}`", excerpt(digits)),
                        Applicability::Unsafe,
                        vec![Edit::insert(value.start.saturating_add(offset(lead)), b"0".to_vec())],
                    ));
            } else {
                d = d.help(format!(
                    "write modes and umasks in octal with a leading 0, e.g. `{name}=022`"
                ));
            }
            out.push(d);
        }
    }
}
