//! Hover: on a setting name, what the setting is — description, type, default in the current build,
//! where the effective value comes from and which lines it overrides; on a value, how vsftpd reads it
//! (`21abc` is 21, `022` is octal, `YES ` is refused). Every fact comes from the model and the dialect
//! table; this module only puts them into words.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use crate::dialect::{Kind, TUNABLES, TunableSpec};
use crate::model::value::{NumberReading, Radix};
use crate::model::{Origin, Outcome, Reading, Value, default_value};
use crate::startup::oops;
use crate::syntax::{Setting, Span, escape_bytes};

use super::analysis::{Analysis, excerpt};

/// What a setting does, in one paragraph (the dialect table's line for now; the per-setting docs of
/// `vsconf explain` replace it once they are a library table).
pub fn description(spec: &TunableSpec) -> String {
    let mut text = spec.meaning.to_owned();
    if let Some(first) = text.get(..1) {
        let upper = first.to_ascii_uppercase();
        text.replace_range(..1, &upper);
    }
    text
}

/// The hover at a byte offset of the analysed text.
pub fn hover(a: &Analysis, offset: u32) -> Option<Hover> {
    let (_, setting, reading) = a.setting_at(offset)?;
    let on_value = setting
        .value
        .is_some_and(|v| offset >= v.start && offset <= v.end);
    let on_name = offset >= setting.name.start && offset <= setting.name.end;
    let (text, span) = if on_value && !on_name {
        let value = setting.value?;
        (value_text(a, setting, reading), value)
    } else if on_name || setting.equals.is_some_and(|e| e.contains(offset)) {
        (name_text(a, reading), setting.name)
    } else {
        return None;
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(a.range(span)),
    })
}

fn code(bytes: &[u8]) -> String {
    let shown = excerpt(bytes, 80);
    if shown.contains('`') {
        format!("`` {shown} ``")
    } else {
        format!("`{shown}`")
    }
}

/// 1-based line of a span, as the editor numbers lines.
fn line_number(a: &Analysis, span: Span) -> u32 {
    a.map.line_of(span.start).saturating_add(1)
}

fn kind_word(spec: &TunableSpec) -> &'static str {
    match spec.kind {
        Kind::Bool => "boolean",
        Kind::Uint if spec.octal => "number (octal)",
        Kind::Uint => "number",
        Kind::Str => "string",
    }
}

fn name_text(a: &Analysis, reading: &Reading) -> String {
    let config = &a.lint.config;
    let dialect = config.dialect();
    let name = a.cst.slice(reading.name);
    let Some(spec) = dialect.lookup(name) else {
        return unknown_name_text(a, name, reading.name);
    };
    let mut out = format!(
        "**{}** — {}\n\n{}\n\n",
        spec.name,
        kind_word(spec),
        description(spec)
    );
    if let Some(d) = spec.default_in(dialect) {
        out.push_str(&format!(
            "Default in {dialect}: `{}`",
            default_value(d).display(spec.octal)
        ));
        let others: Vec<String> = spec
            .dialects()
            .filter(|o| *o != dialect && spec.default_in(*o) != Some(d))
            .filter_map(|o| {
                spec.default_in(o)
                    .map(|od| format!("`{}` in {o}", default_value(od).display(spec.octal)))
            })
            .collect();
        if !others.is_empty() {
            out.push_str(&format!(" ({})", others.join(", ")));
        }
        out.push_str("\n\n");
    }
    if let Some(effective) = config.get(spec.tunable) {
        match &effective.origin {
            Origin::File {
                line, overridden, ..
            } if *line == reading.line => {
                out.push_str(&format!(
                    "Effective value: `{}`, set on this line",
                    effective.value.display(spec.octal)
                ));
                if !overridden.is_empty() {
                    let lines: Vec<String> = overridden
                        .iter()
                        .map(|s| line_number(a, *s).to_string())
                        .collect();
                    out.push_str(&format!(
                        "; it overrides line{} {}",
                        if lines.len() == 1 { "" } else { "s" },
                        lines.join(", ")
                    ));
                }
                out.push('\n');
            }
            Origin::File { line, .. } if reading.outcome.is_fatal() => {
                out.push_str(&format!(
                    "vsftpd stops at this line; line {} sets the value `{}` the model keeps",
                    line_number(a, *line),
                    effective.value.display(spec.octal)
                ));
                out.push('\n');
            }
            Origin::File { line, .. } => {
                out.push_str(&format!(
                    "**Overridden** by line {}: the effective value is `{}`, this line is ignored\n",
                    line_number(a, *line),
                    effective.value.display(spec.octal)
                ));
            }
            Origin::Default => {
                out.push_str(&format!(
                    "Effective value: `{}` (the default)\n",
                    effective.value.display(spec.octal)
                ));
            }
            // The editor has no command line: no override reaches this reading.
            Origin::Override { .. } => {}
        }
    }
    match &reading.outcome {
        Outcome::MissingValue => out.push_str(&format!(
            "\nvsftpd refuses to start: `{}{}`\n",
            oops::PREFIX,
            escape_bytes(&oops::missing_value(name))
        )),
        Outcome::BadBool(_) => out.push_str(&format!(
            "\nvsftpd refuses to start: `{}{}`\n",
            oops::PREFIX,
            escape_bytes(&oops::bad_bool(name))
        )),
        _ => {}
    }
    let known: Vec<&str> = spec.dialects().map(|d| d.id()).collect();
    out.push_str(&format!("\nKnown to: {}", known.join(", ")));
    out
}

fn unknown_name_text(a: &Analysis, name: &[u8], span: Span) -> String {
    let dialect = a.lint.config.dialect();
    let mut out = format!(
        "{} is not a setting {dialect} knows: vsftpd refuses to start (`{}{}`)\n\n",
        code(name),
        oops::PREFIX,
        escape_bytes(&oops::unrecognised(name))
    );
    if let Some(spec) = TUNABLES.iter().find(|s| s.name.as_bytes() == name) {
        let known: Vec<&str> = spec.dialects().map(|d| d.id()).collect();
        out.push_str(&format!(
            "`{}` exists only in {}: {}\n",
            spec.name,
            known.join(", "),
            description(spec)
        ));
    }
    // The finding's own help (its did-you-mean) says what to write instead.
    let help = a
        .lint
        .diagnostics
        .iter()
        .filter(|d| d.span.start == span.start)
        .find_map(|d| d.help.as_deref());
    if let Some(help) = help {
        out.push_str(&format!(
            "\n{}{}\n",
            help.get(..1).unwrap_or_default().to_ascii_uppercase(),
            help.get(1..).unwrap_or_default()
        ));
    }
    out
}

fn value_text(a: &Analysis, setting: &Setting, reading: &Reading) -> String {
    let dialect = a.lint.config.dialect();
    let text = reading.value.map(|v| a.cst.slice(v)).unwrap_or_default();
    let name = a.cst.slice(reading.name);
    let shown = code(text);
    match &reading.outcome {
        Outcome::Applied {
            tunable,
            value,
            number,
        } => {
            let spec = tunable.spec();
            match (value, number) {
                (Value::Uint(_), Some(n)) => number_text(a, spec, text, n, reading),
                (Value::Bool(b), _) => format!(
                    "vsftpd reads {shown} as **{}** (it accepts YES/NO, TRUE/FALSE and 1/0, in any case, with nothing around them)",
                    if *b { "YES" } else { "NO" }
                ),
                (Value::Str(None), _) => {
                    "Empty: the setting stays unset (its default applies)".to_owned()
                }
                (Value::Str(Some(kept)), _) => {
                    let mut out = if kept.as_ref() == text {
                        format!("vsftpd uses {shown} byte for byte")
                    } else {
                        format!("vsftpd ({dialect}) trims the value: it uses {}", code(kept))
                    };
                    if kept.first().is_some_and(u8::is_ascii_whitespace)
                        || kept.last().is_some_and(u8::is_ascii_whitespace)
                    {
                        out.push_str(", surrounding whitespace included");
                    }
                    if kept.windows(2).any(|w| w == b" #") || kept.first() == Some(&b'#') {
                        out.push_str(
                            "\n\n`#` starts no comment after a value: it is part of the string",
                        );
                    }
                    out
                }
                (Value::Uint(n), None) => format!("vsftpd reads **{n}**"),
            }
        }
        Outcome::BadBool(_) => {
            let why = if text.last() == Some(&b'\r') {
                "the `\\r` of a Windows (CRLF) line ending is part of the value"
            } else if text.last().is_some_and(u8::is_ascii_whitespace) {
                "the trailing whitespace is part of the value: vsftpd never trims"
            } else if text.first().is_some_and(u8::is_ascii_whitespace) {
                "the leading whitespace is part of the value: vsftpd never trims"
            } else {
                "vsftpd accepts only YES, NO, TRUE, FALSE, 1 and 0 (in any case)"
            };
            format!(
                "{shown} is **refused**: {why}\n\nvsftpd refuses to start: `{}{}`",
                oops::PREFIX,
                escape_bytes(&oops::bad_bool(name))
            )
        }
        Outcome::Crash(t) => format!(
            "A value of only whitespace: vsftpd ({dialect}) **crashes** (SIGSEGV) reading `{}`, without a message",
            t.name()
        ),
        Outcome::MissingValue => format!(
            "No value: vsftpd refuses to start: `{}{}`",
            oops::PREFIX,
            escape_bytes(&oops::missing_value(name))
        ),
        Outcome::Unrecognised => {
            let _ = setting;
            format!(
                "vsftpd never reads this value: it refuses the name first (`{}{}`)",
                oops::PREFIX,
                escape_bytes(&oops::unrecognised(name))
            )
        }
    }
}

fn number_text(
    a: &Analysis,
    spec: &TunableSpec,
    text: &[u8],
    n: &NumberReading,
    reading: &Reading,
) -> String {
    let value = n.value;
    let mut notes: Vec<String> = Vec::new();
    let used_len = n.consumed as usize;
    let used = text.get(..used_len).unwrap_or(text);
    let rest = text.get(used_len..).unwrap_or_default();
    match n.radix {
        Radix::Octal if spec.octal => notes.push(format!(
            "the leading 0 makes it octal, as a mode or umask should be: 0{value:o} (decimal {value})"
        )),
        Radix::Octal if n.digits > 1 => notes.push(format!(
            "the leading 0 makes vsftpd read it as **octal**: {} is {value} in decimal",
            code(used)
        )),
        Radix::Decimal if spec.octal && n.digits > 0 => notes.push(format!(
            "no leading 0, so vsftpd reads it as **decimal** {value}, which is octal 0{value:o} — write 0{value} if you meant octal"
        )),
        _ => {}
    }
    if n.digits == 0 {
        notes.push("it holds no digits: vsftpd reads 0".to_owned());
    } else if !rest.is_empty() {
        notes.push(format!(
            "vsftpd reads {} and ignores {} without a word",
            code(used),
            code(rest)
        ));
    }
    if n.negative {
        notes.push(format!("the minus sign wraps it around to {value}"));
    }
    if n.overflowed {
        notes.push(format!(
            "it does not fit 32 bits: vsftpd keeps the low 32 bits, {value}"
        ));
    }
    let config = &a.lint.config;
    let is_effective = config.origin(spec.tunable).line() == Some(reading.line);
    let port = config.port(spec.tunable);
    if is_effective && spec.name.ends_with("_port") && u32::from(port) != value {
        notes.push(format!(
            "as a port it is cut to 16 bits: vsftpd uses port {port}"
        ));
    }
    let shown = if spec.octal {
        format!("0{value:o} (decimal {value})")
    } else {
        value.to_string()
    };
    let mut out = format!("vsftpd reads {} as **{shown}**", code(text));
    for note in notes {
        out.push_str("\n\n- ");
        out.push_str(&note);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::lsp::position::Encoding;
    use crate::settings::Settings;

    fn hover_at(text: &str, needle: &str) -> String {
        let choose = |_: &Settings, _: Option<&std::path::Path>| Dialect::Debian303;
        let a = Analysis::new(text.as_bytes(), None, Encoding::Utf16, &choose);
        let at = text.find(needle).expect("needle") as u32;
        let h = hover(&a, at).expect("a hover");
        let HoverContents::Markup(m) = h.contents else {
            panic!("markdown")
        };
        m.value
    }

    #[test]
    fn values_explain_vsftpd_reading() {
        let text = "listen=YES \nlisten_port=21abc\nlocal_umask=022\nftp_data_port=020\n";
        let bad = hover_at(text, "YES ");
        assert!(
            bad.contains("**refused**") && bad.contains("trailing whitespace"),
            "{bad}"
        );
        let junk = hover_at(text, "21abc");
        assert!(
            junk.contains("**21**") && junk.contains("ignores `abc`"),
            "{junk}"
        );
        let umask = hover_at(text, "022");
        assert!(umask.contains("**022 (decimal 18)**"), "{umask}");
        let octal = hover_at(text, "020");
        assert!(
            octal.contains("**16**") && octal.contains("**octal**"),
            "{octal}"
        );
    }

    #[test]
    fn names_say_default_and_overrides() {
        let text = "pasv_min_port=40000\npasv_min_port=50000\n";
        let first = hover_at(text, "pasv_min_port");
        assert!(first.contains("**Overridden** by line 2"), "{first}");
        assert!(first.contains("Default in debian-3.0.3: `5001`"), "{first}");
        let second = hover_at(text, "pasv_min_port=50000");
        assert!(second.contains("it overrides line 1"), "{second}");
        let unknown = hover_at("PASV_min_port=1\n", "PASV");
        assert!(
            unknown.contains("Did you mean `pasv_min_port`"),
            "{unknown}"
        );
    }
}
