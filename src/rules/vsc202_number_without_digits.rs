use crate::dialect::Kind;

use super::{Scope, head, excerpt, Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags a numeric setting whose value holds no number at all: `pasv_min_port=abc`,
/// `listen_port=auto`, `max_clients=unlimited`, or digits vsftpd does not know (`２１`).
///
/// ## Why is this bad?
/// vsftpd's number conversion never fails: without digits the value is 0, silently. What 0 means
/// depends on the setting — `listen_port=0` binds a random port, `max_clients=0` means unlimited,
/// `idle_session_timeout=0` disables the timeout, `pasv_min_port=0` is ignored and passive ports
/// start at 1024.
///
/// ## Example
/// ```vsftpd
/// max_clients=unlimited
/// ```
/// Use instead:
/// ```vsftpd
/// max_clients=0
/// ```
///
/// ## Fix
/// None: the number that was meant cannot be guessed.
///
/// ## References
/// - vsftpd.conf(5): numeric options
/// - debian-3.0.3 binary: `listen_port=abc` binds a random port (read as 0)
pub(crate) struct NumberWithoutDigits;

impl Rule for NumberWithoutDigits {
    const META: RuleMeta = RuleMeta::warning("VSC202", "number-without-digits")
        .scope(Scope::Kinds(&[Kind::Uint]))
        .summary("a numeric value without digits is silently 0 (`pasv_min_port=abc`)");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (tunable, n, value) in cx.numbers() {
            if n.digits != 0 {
                continue;
            }
            let name = tunable.name();
            let text = excerpt(cx.text(value).trim_ascii_end());
            out.push(
                cx.report(
                    head(value),
                    format!("`{name}={text}` holds no number: vsftpd silently reads it as 0"),
                )
                .help(format!(
                    "write a plain decimal number (ASCII digits), or delete the line to keep the default {}",
                    cx.config()
                        .get(*tunable)
                        .map(|_| default_text(cx, *tunable))
                        .unwrap_or_default()
                )),
            );
        }
    }
}

fn default_text(cx: &Context<'_>, tunable: crate::dialect::Tunable) -> String {
    tunable
        .spec()
        .default_in(cx.dialect())
        .map(|d| crate::model::default_value(d).display(tunable.spec().octal))
        .unwrap_or_default()
}
