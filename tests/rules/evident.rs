//! Issue 11, part 7: findings never contradict the file. Where vsftpd stops at a line, the other
//! findings read the file as it evidently means, so none of them describes a setting the file states
//! as left at its default.

use proptest::prelude::*;
use vsconf::diagnostic::Diagnostic;
use vsconf::dialect::{Dialect, TUNABLES};
use vsconf::rules::{LintOptions, lint};
use vsconf::syntax::parse;

/// The tunables a setting line names (after leading whitespace, up to `=`, without a final CR or
/// blanks, in any case): what a reader takes the file to state.
pub(crate) fn stated(text: &[u8]) -> Vec<&'static str> {
    let mut names = Vec::new();
    // A byte order mark is invisible only at the start of the file (VSC006); elsewhere it is junk
    // glued to the name, which no reader takes for the setting.
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    for line in text.split(|b| *b == b'\n') {
        let trimmed = line.trim_ascii_start();
        if trimmed.starts_with(b"#") || trimmed.is_empty() {
            continue;
        }
        let name = trimmed
            .split(|b| *b == b'=')
            .next()
            .unwrap_or_default()
            .trim_ascii();
        if let Some(t) = TUNABLES
            .iter()
            .find(|t| t.name.as_bytes().eq_ignore_ascii_case(name))
        {
            names.push(t.name);
        }
    }
    names
}

/// The first claim in `d` that `name` is left at its default, if any.
pub(crate) fn claims_default(d: &Diagnostic, name: &str) -> Option<String> {
    let texts = std::iter::once(d.message.as_str())
        .chain(d.help.as_deref())
        .chain(d.labels.iter().map(|l| l.message.as_str()));
    for text in texts {
        let mut from = 0;
        while let Some(at) = text
            .get(from..)
            .and_then(|t| t.find(name))
            .map(|i| i + from)
        {
            from = at + name.len();
            let before = text[..at].chars().next_back();
            let after = text[from..].chars().next();
            // `name=VALUE` is advice to write a value, not a claim about the file.
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                || after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '=')
            {
                continue;
            }
            // The clause about this name: up to the next `:`, `;`, `,` or closing parenthesis.
            let rest = &text[from..];
            let end = rest
                .char_indices()
                .find(|(_, c)| matches!(c, ':' | ';' | ',' | ')'))
                .map_or(rest.len(), |(i, c)| i + c.len_utf8());
            let clause = &rest[..end];
            if [
                "(default)",
                "by default",
                "defaults to",
                "is not set",
                "keeps its default",
            ]
            .iter()
            .any(|claim| clause.contains(claim))
            {
                return Some(text.to_owned());
            }
        }
    }
    None
}

fn line() -> impl Strategy<Value = Vec<u8>> {
    let names = prop::sample::select(vec![
        "listen",
        "listen_ipv6",
        "anonymous_enable",
        "local_enable",
        "write_enable",
        "anon_upload_enable",
        "hide_ids",
        "xferlog_enable",
        "ssl_enable",
        "pasv_enable",
        "pasv_min_port",
        "pasv_max_port",
        "chroot_local_user",
        "max_clients",
        "local_umask",
        "seccomp_sandbox",
    ]);
    let value = prop::sample::select(vec![
        "YES", "NO", "yes", "1", "0", "50000", "022", "maybe", "", " YES",
    ]);
    let ending = prop::sample::select(vec!["", "\r", " ", "\t"]);
    let shape = 0u8..6;
    (names, value, ending, shape).prop_map(|(name, value, ending, shape)| {
        match shape {
            0 | 1 => format!("{name}={value}{ending}"),
            2 => format!("{}={value}{ending}", name.to_uppercase()),
            3 => format!("  # {name}{ending}"),
            4 => format!("{name}{ending}"),
            _ => format!("\u{feff}{name}={value}{ending}"),
        }
        .into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn no_finding_claims_a_default_for_a_setting_the_file_states(
        lines in prop::collection::vec(line(), 1..8),
        dialect in prop::sample::select(Dialect::ALL.to_vec()),
    ) {
        let text = lines.join(&b"\n"[..]);
        let cst = parse(&text).cst;
        let result = lint(&cst, None, &LintOptions { dialect, ..LintOptions::default() }, None);
        for name in stated(&text) {
            for d in &result.diagnostics {
                prop_assert!(
                    claims_default(d, name).is_none(),
                    "{:?} under {dialect}: {} says {name} is at its default: {:?}",
                    String::from_utf8_lossy(&text),
                    d.code,
                    claims_default(d, name)
                );
            }
        }
    }
}
