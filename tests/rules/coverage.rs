//! Every way vsftpd can refuse or crash is explained by at least one fatal error finding, so that
//! `lint` never says "refuses to start" with nothing to point at.

use proptest::prelude::*;
use vsconf::diagnostic::Severity;
use vsconf::dialect::{Dialect, TUNABLES};
use vsconf::rules::{LintOptions, lint};
use vsconf::syntax::parse;

fn line() -> impl Strategy<Value = Vec<u8>> {
    let names: Vec<&'static str> = TUNABLES.iter().map(|t| t.name).collect();
    let name = prop::sample::select(names);
    let value = prop::sample::select(vec![
        "YES",
        "NO",
        "yes",
        "on",
        "0",
        "1",
        "21abc",
        "",
        " ",
        "\t",
        "::1",
        "127.0.0.1",
        "zz",
        "022",
        "-1",
        "YES\r",
        "YES ",
    ]);
    let shape = 0u8..8;
    (name, value, shape).prop_map(|(name, value, shape)| {
        let text = match shape {
            0 => format!("{name}={value}"),
            1 => format!("{}={value}", name.to_uppercase()),
            2 => format!("  {name}={value}"),
            3 => format!("{name} ={value}"),
            4 => format!("  # {name}"),
            5 => name.to_owned(),
            6 => format!("listen={value}"),
            _ => format!("listen_ipv6={value}"),
        };
        text.into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn every_refusal_has_a_fatal_error_finding(lines in prop::collection::vec(line(), 0..8), dialect in prop::sample::select(Dialect::ALL.to_vec())) {
        let text = lines.join(&b"\n"[..]);
        let cst = parse(&text).cst;
        let result = lint(&cst, None, &LintOptions { dialect, ..LintOptions::default() }, None);
        if !result.prediction.verdict.starts() {
            prop_assert!(
                result.diagnostics.iter().any(|d| d.fatal && d.severity == Severity::Error),
                "{:?} under {dialect}: verdict {:?} but no fatal finding",
                String::from_utf8_lossy(&text),
                result.prediction.verdict
            );
        }
        // The converse: a finding that says vsftpd refuses to start is never beside a verdict that
        // says it starts.
        if result.prediction.verdict.starts() {
            prop_assert!(
                !result.diagnostics.iter().any(|d| d.fatal),
                "{:?} under {dialect}: vsftpd starts but a finding is fatal: {:?}",
                String::from_utf8_lossy(&text),
                result.diagnostics.iter().filter(|d| d.fatal).map(|d| d.code).collect::<Vec<_>>()
            );
        }
        if result.prediction.session.is_some() {
            prop_assert!(result.diagnostics.iter().any(|d| d.severity == Severity::Error), "session refusal without an error finding");
        }
    }
}
