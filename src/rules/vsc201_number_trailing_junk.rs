use crate::dialect::Kind;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::model::value::{Radix, is_c_space};
use crate::syntax::Span;

use super::{Scope, head, excerpt, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a number followed by other text: `listen_port=21abc`, `max_clients=1e3`,
/// `idle_session_timeout=600 # ten minutes`, `max_per_ip=5 10`.
///
/// ## Why is this bad?
/// vsftpd's number conversion never fails: it reads the leading digits and silently drops the rest.
/// `listen_port=21abc` listens on 21, `max_clients=1e3` allows 1 client, and a trailing comment is
/// simply ignored. No message tells you the value was not what you wrote.
///
/// ## Example
/// ```vsftpd
/// max_clients=1e3
/// ```
/// Use instead:
/// ```vsftpd
/// max_clients=1000
/// ```
///
/// ## Fix
/// Unsafe: the value is cut to the digits vsftpd reads, which keeps today's behaviour but may not be
/// what was meant (`1e3` becomes `1`). A trailing comment is better moved to its own line by hand.
///
/// ## References
/// - vsftpd.conf(5): numeric options
/// - debian-3.0.3 binary: `listen_port=21abc` listens on port 21; `listen_port=1e3` on port 1;
///   `listen_port=2121#c` on 2121
pub(crate) struct NumberTrailingJunk;

impl Rule for NumberTrailingJunk {
    const META: RuleMeta = RuleMeta::warning("VSC201", "number-trailing-junk")
        .scope(Scope::Kinds(&[Kind::Uint]))
        .summary("text after a number is silently ignored (`listen_port=21abc` is 21)")
        .fixes(FixAvailability::Always(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (tunable, n, value) in cx.numbers() {
            let text = cx.text(value);
            if n.digits == 0 {
                continue; // VSC202
            }
            let rest = text.get(n.consumed as usize..).unwrap_or_default();
            if rest.iter().all(|b| is_c_space(*b)) {
                continue;
            }
            // `021`-style octal that stops at 8, 9 or `x` belongs to VSC205 (leading-zero-is-octal).
            if n.radix == Radix::Octal
                && !tunable.spec().octal
                && rest.first().is_some_and(|b| b.is_ascii_digit() || *b == b'x' || *b == b'X')
            {
                continue;
            }
            let kept = text.get(..n.consumed as usize).unwrap_or_default();
            let name = tunable.name();
            let shown_rest = excerpt(rest.trim_ascii());
            let message = format!(
                "`{name}={}` is read as {}: vsftpd ignores `{shown_rest}` after the number",
                excerpt(text.trim_ascii_end()),
                crate::model::Value::Uint(n.value).display(tunable.spec().octal),
            );
            let help = if rest.trim_ascii_start().first() == Some(&b'#') {
                "vsftpd has no trailing comments: put the comment on its own line, with `#` in the first column".to_owned()
            } else {
                format!("write the whole value as digits only, e.g. `{name}={}`", excerpt(kept.trim_ascii_start()))
            };
            let cut = Span::new(value.start.saturating_add(n.consumed), value.end);
            // Keep a final `\r` of a CRLF line: VSC013 converts the whole file.
            let cut = if text.last() == Some(&b'\r') {
                Span::new(cut.start, cut.end.saturating_sub(1).max(cut.start))
            } else {
                cut
            };
            out.push(
                cx.report(head(value), message).help(help).fix(Fix::new(
                    format!("keep only `{}`", excerpt(kept.trim_ascii_start())),
                    Applicability::Unsafe,
                    vec![Edit::delete(cut)],
                )),
            );
        }
    }
}
