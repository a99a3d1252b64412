use crate::dialect::{Dialect, TUNABLES, suggest};
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::model::Outcome;
use crate::syntax::escape_bytes;

use super::{Scope, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a setting name that this dialect's vsftpd does not know: a case variant (`Listen`), a typo
/// (`Ftp_date_port`), a name with a space before `=` (`listen =YES`), or a setting that exists only in
/// another dialect (`reverse_lookup_enable` outside RHEL).
///
/// ## Why is this bad?
/// vsftpd refuses to start: `500 OOPS: unrecognised variable in config file: <name>`. Names are
/// case-sensitive and never trimmed. Under systemd on Debian the message goes to standard input and is
/// lost: the service just fails.
///
/// ## Example
/// ```vsftpd
/// Port_enable=YES
/// listen =YES
/// ```
/// Use instead:
/// ```vsftpd
/// port_enable=YES
/// listen=YES
/// ```
///
/// ## Fix
/// Safe when the name differs from a known one only by case, surrounding spaces or one clear typo:
/// the name is replaced by the known one. None when several names are equally close.
///
/// ## References
/// - vsftpd.conf(5)
/// - vsftpd's parseconf.c reading order: strings, empty value, booleans, numbers, then "unrecognised"
pub(crate) struct UnrecognisedVariable;

impl Rule for UnrecognisedVariable {
    const META: RuleMeta = RuleMeta::error("VSC001", "unrecognised-variable")
        .scope(Scope::NotEverywhere)
        .summary("a setting name vsftpd does not know: it refuses to start")
        .fixes(FixAvailability::Sometimes(Applicability::Safe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for reading in cx.config().readings() {
            if reading.outcome != Outcome::Unrecognised {
                continue;
            }
            let name = cx.text(reading.name);
            // An indented comment (VSC005), a byte order mark (VSC006) and the TLS version names of
            // the 3.0.5 manual (VSC402) have rules of their own.
            if name.first() == Some(&b'#')
                || name.starts_with(b"\xEF\xBB\xBF")
                || super::vsc402_tls_version_name_not_parsed::NAMES
                    .iter()
                    .any(|(n, _)| *n == name)
            {
                continue;
            }
            let shown = escape_bytes(name);
            let mut d = cx
                .report(reading.name, format!("unrecognised setting `{shown}`: vsftpd refuses to start"))
                .fatal();
            let other: Vec<Dialect> = TUNABLES
                .iter()
                .find(|s| s.name.as_bytes() == name)
                .map(|s| s.dialects().collect())
                .unwrap_or_default();
            if !other.is_empty() {
                let list: Vec<&str> = other.iter().map(|d| d.id()).collect();
                d = d.help(format!(
                    "`{shown}` exists only in {} ({}); this file is read as {} (set the dialect with --dialect or vsconf.toml, or remove the line)",
                    list.join(", "),
                    other.iter().map(|d| d.shipped_by()).collect::<Vec<_>>().join("; "),
                    cx.dialect()
                ));
            } else if name.ends_with(b" ") || name.ends_with(b"\t") {
                let trimmed = name.trim_ascii_end();
                if cx.dialect().lookup(trimmed).is_some() {
                    d = d
                        .help("vsftpd keeps spaces before `=` in the name: write `name=value` with no spaces around `=`")
                        .fix(Fix::new(
                            "remove the spaces before `=`",
                            Applicability::Safe,
                            vec![Edit::replace(reading.name, trimmed.to_vec())],
                        ));
                } else {
                    d = d.help("remove the line or correct the name (see `vsconf rules` and vsftpd.conf(5))");
                }
            } else {
                // Only a name without a better explanation needs the did-you-mean search, and a name
                // that differs from a known one only by case (the usual finding) not even that: the
                // search would rank that name first, alone at distance 0, and only the first counts
                // then.
                let suggestions = match cx.dialect().lookup(&name.to_ascii_lowercase()) {
                    Some(spec) => vec![spec.name],
                    None => suggest(name, cx.dialect()),
                };
                if let Some(best) = suggestions.first() {
                    let folded_equal = best.as_bytes().eq_ignore_ascii_case(name);
                    let unambiguous = suggestions.len() == 1 || folded_equal;
                    d = d.help(if folded_equal {
                        format!("did you mean `{best}`? setting names are case-sensitive")
                    } else if unambiguous {
                        format!("did you mean `{best}`?")
                    } else {
                        format!("did you mean one of: {}?", suggestions.join(", "))
                    });
                    if unambiguous {
                        d = d.fix(Fix::new(
                            format!("rename to `{best}`"),
                            Applicability::Safe,
                            vec![Edit::replace(reading.name, best.as_bytes().to_vec())],
                        ));
                    }
                } else {
                    d = d.help("remove the line or correct the name (see vsftpd.conf(5))");
                }
            }
            out.push(d);
        }
    }
}
