use crate::dialect::Kind;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::model::value::{Radix, parse_uint};
use crate::syntax::Span;

use super::{Scope, head, excerpt, offset, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a number with a leading `0` in a setting that is not a mode or umask:
/// `listen_port=021`, `pasv_min_port=050000`, `max_clients=08`, `listen_port=0x2121`.
///
/// ## Why is this bad?
/// vsftpd reads every number that starts with `0` as octal — not only modes — and stops at the
/// first byte that is not an octal digit, without error. `listen_port=021` listens on 17,
/// `pasv_min_port=040000` is 16384, `max_clients=08` is 0 (unlimited), and hexadecimal
/// `0x2121` is 0. Zero-padding a number to line it up changes its value.
///
/// ## Example
/// ```vsftpd
/// listen_port=0021
/// ```
/// Use instead:
/// ```vsftpd
/// listen_port=21
/// ```
///
/// ## Fix
/// Unsafe: the leading zeros are removed, so the digits are read as the decimal number they look
/// like. This changes the value vsftpd uses. None for hexadecimal.
///
/// ## References
/// - vsftpd.conf(5) documents octal only for the umask and mode options
/// - debian-3.0.3 binary: `listen_port=021` and `0021` listen on 17, `019` on 1, `0778` on 63;
///   `08` and `0x10` are 0 (a random port)
pub(crate) struct LeadingZeroIsOctal;

impl Rule for LeadingZeroIsOctal {
    const META: RuleMeta = RuleMeta::warning("VSC205", "leading-zero-is-octal")
        .scope(Scope::Kinds(&[Kind::Uint]))
        .summary("a number with a leading 0 is read as octal (`listen_port=021` is 17)")
        .fixes(FixAvailability::Sometimes(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (tunable, n, value) in cx.numbers() {
            if tunable.spec().octal || n.radix != Radix::Octal {
                continue;
            }
            let text = cx.text(value);
            let body = text.trim_ascii_end();
            let zeros = body.iter().take_while(|b| **b == b'0').count();
            let after = body.get(zeros..).unwrap_or_default();
            let hex = after.first().is_some_and(|b| *b == b'x' || *b == b'X');
            let decimal = parse_uint(after);
            // `0` or `00` mean 0 either way.
            if after.is_empty() || (!hex && decimal.value == n.value && decimal.digits as usize == after.len()) {
                continue;
            }
            let name = tunable.name();
            let shown = excerpt(body);
            let mut d = cx.report(
                head(value),
                format!(
                    "`{name}={shown}` starts with 0, so vsftpd reads it as octal: the value is {}{}",
                    n.value,
                    if hex { " (hexadecimal is not understood)" } else { "" }
                ),
            );
            if !hex && !after.is_empty() && after.iter().all(u8::is_ascii_digit) {
                d = d
                    .help(format!("write decimal numbers without leading zeros: `{name}={}`", excerpt(after)))
                    .fix(Fix::new(
                        format!("remove the leading zeros (`{}`)", excerpt(after)),
                        Applicability::Unsafe,
                        vec![Edit::delete(Span::new(value.start, value.start.saturating_add(offset(zeros))))],
                    ));
            } else {
                d = d.help("write the number in decimal, without leading zeros");
            }
            out.push(d);
        }
    }
}
