//! `vsconf lint` on every config in `examples/`, as an operator runs it: the human report is
//! snapshotted (so the README can show it), and the sane examples are checked to raise nothing but
//! what can be defended to an operator.
//!
//! Regenerate: `INSTA_UPDATE=always cargo test --test rules examples`, then read the snapshots.

use std::path::PathBuf;
use std::process::Command;

/// Each example and the dialect it is written for (the README shows the same commands).
const EXAMPLES: &[(&str, &str)] = &[
    ("anonymous-readonly.conf", "debian-3.0.3"),
    ("article-passive-mode.conf", "debian-3.0.3"),
    ("crlf-windows.conf", "debian-3.0.3"),
    ("debian-stock.conf", "debian-3.0.3"),
    ("local-chroot-tls.conf", "debian-3.0.3"),
    ("rhel-stock.conf", "rhel-3.0.5"),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `vsconf lint --no-config --dialect D examples/NAME` from the crate root.
fn lint(name: &str, dialect: &str, extra: &[&str]) -> (Option<i32>, String) {
    let path = format!("examples/{name}");
    let out = Command::new(env!("CARGO_BIN_EXE_vsconf"))
        .current_dir(root())
        .args([
            "lint",
            "--no-config",
            "--color",
            "never",
            "--dialect",
            dialect,
        ])
        .args(extra)
        .arg(&path)
        .env("NO_COLOR", "1")
        .output()
        .expect("vsconf runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn every_example_is_listed_with_its_dialect() {
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".conf"))
        .collect();
    on_disk.sort();
    let listed: Vec<String> = EXAMPLES.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(on_disk, listed);
}

#[test]
fn lint_reports_on_examples_match_snapshots() {
    for (name, dialect) in EXAMPLES {
        let (code, stdout) = lint(name, dialect, &[]);
        let report = format!(
            "$ vsconf lint --dialect {dialect} examples/{name}\nexit status: {}\n{stdout}",
            code.map_or("signal".to_owned(), |c| c.to_string())
        );
        insta::with_settings!({
            snapshot_path => root().join("tests/rules/snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("example-{}", name.trim_end_matches(".conf")), report);
        });
    }
}

#[test]
fn sane_examples_raise_no_warnings_or_errors() {
    for name in ["anonymous-readonly.conf", "local-chroot-tls.conf"] {
        let (code, stdout) = lint(name, "debian-3.0.3", &["--deny", "warnings"]);
        assert_eq!(code, Some(0), "{name}:\n{stdout}");
    }
}

#[test]
fn broken_examples_fail_the_run() {
    for name in ["article-passive-mode.conf", "crlf-windows.conf"] {
        let (code, stdout) = lint(name, "debian-3.0.3", &[]);
        assert_eq!(code, Some(1), "{name}:\n{stdout}");
        assert!(stdout.contains("refuses to start"), "{name}:\n{stdout}");
    }
}

#[test]
fn every_line_of_the_article_snippet_is_explained() {
    let (_, stdout) = lint("article-passive-mode.conf", "debian-3.0.3", &[]);
    for (name, suggestion) in [
        ("Port_enable", "port_enable"),
        ("Connect_from_port_20", "connect_from_port_20"),
        ("Ftp_date_port", "ftp_data_port"),
        ("PASV_enable", "pasv_enable"),
        ("PASV_min_port", "pasv_min_port"),
        ("PASV_max_port", "pasv_max_port"),
    ] {
        assert!(
            stdout.contains(&format!("unrecognised setting `{name}`"))
                && stdout.contains(&format!("`{suggestion}`")),
            "{name} is not explained:\n{stdout}"
        );
    }
}

mod mutated {
    //! Lint never panics, and every fix it offers applies cleanly, on the examples with random
    //! bytes spliced in (CR, NUL, BOM, `#`, `=`, spaces, digits, high bytes) and on arbitrary bytes.

    use proptest::prelude::*;
    use vsconf::diagnostic::apply_edits;
    use vsconf::dialect::Dialect;
    use vsconf::rules::{LintOptions, lint};
    use vsconf::syntax::parse;

    use super::{EXAMPLES, root};

    fn check(text: &[u8]) {
        for dialect in Dialect::ALL {
            let cst = parse(text).cst;
            let options = LintOptions {
                dialect,
                ..LintOptions::default()
            };
            let result = lint(&cst, None, &options, None);
            for d in &result.diagnostics {
                assert!(d.span.end as usize <= text.len(), "{} span outside", d.code);
                if let Some(fix) = &d.fix {
                    let fixed = apply_edits(text, &fix.edits);
                    assert!(fixed.is_some(), "{} fix does not apply", d.code);
                    if let Some(fixed) = fixed {
                        assert_eq!(parse(&fixed).cst.print(), fixed);
                    }
                }
            }
        }
    }

    fn piece() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            Just(b"\r".to_vec()),
            Just(b"\0".to_vec()),
            Just(b"\xEF\xBB\xBF".to_vec()),
            Just(b"#".to_vec()),
            Just(b"=".to_vec()),
            Just(b" ".to_vec()),
            Just(b"\t".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"0".to_vec()),
            Just(b"99999".to_vec()),
            Just(b"-".to_vec()),
            Just(b"\xff".to_vec()),
            proptest::collection::vec(any::<u8>(), 1..4),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn lint_and_fixes_survive_mutated_examples(
            which in 0..EXAMPLES.len(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), piece()), 1..6),
        ) {
            let (name, _) = EXAMPLES[which];
            let mut text = std::fs::read(root().join("examples").join(name)).expect("example");
            for (at, bytes) in edits {
                let at = at.index(text.len() + 1);
                text.splice(at..at, bytes);
            }
            check(&text);
        }

        #[test]
        fn lint_and_fixes_survive_arbitrary_bytes(text in proptest::collection::vec(any::<u8>(), 0..400)) {
            check(&text);
        }
    }
}
