//! Golden output: the semantic diff (human and JSON), the fix preview of the article snippet, and every
//! `new` profile. Paths are redacted to file names.

use vsconf::dialect::Dialect;
use vsconf::edit::profile::{Profile, ProfileOptions, generate};
use vsconf::edit::severity_rank;
use vsconf::rules::{LintOptions, lint};
use vsconf::syntax::parse;

use crate::support::{code, file, fixture, scratch, stderr, stdout, vsconf};

fn redact(text: &str) -> String {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/edit/fixtures");
    let scratch_root = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("edit");
    text.replace(&format!("{}/", fixtures.display()), "")
        .replace(&format!("{}/", scratch_root.display()), "")
}

fn fixed_article() -> std::path::PathBuf {
    let dir = scratch("golden_fixed_article");
    let path = file(
        &dir,
        "article.conf",
        &std::fs::read(fixture("article.conf")).unwrap(),
    );
    let o = vsconf(&[
        "fix",
        path.to_str().unwrap(),
        "--write",
        "--dialect=debian-3.0.3",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    path
}

#[test]
fn fix_preview_of_the_article_snippet() {
    let o = vsconf(&[
        "fix",
        fixture("article.conf").to_str().unwrap(),
        "--dialect=debian-3.0.3",
    ]);
    assert_eq!(code(&o), 0);
    // Exactly the six mistyped names change, nothing else.
    let out = stdout(&o);
    let removed: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .collect();
    let added: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .collect();
    assert_eq!(removed.len(), 6);
    let lowered: Vec<String> = removed
        .iter()
        .map(|l| {
            let (name, value) = l[1..].split_once('=').unwrap();
            format!(
                "+{}={value}",
                name.to_ascii_lowercase().replace("date", "data")
            )
        })
        .collect();
    assert_eq!(added, lowered);
    insta::assert_snapshot!("fix_article_stdout", redact(&stdout(&o)));
    insta::assert_snapshot!("fix_article_stderr", redact(&stderr(&o)));
}

#[test]
fn diff_of_the_article_snippet_and_its_fix() {
    let fixed = fixed_article();
    let article = fixture("article.conf");
    let args = [
        "diff",
        article.to_str().unwrap(),
        fixed.to_str().unwrap(),
        "--dialect=debian-3.0.3",
        "--text",
    ];
    let o = vsconf(&args);
    assert_eq!(code(&o), 1);
    insta::assert_snapshot!("diff_article_human", redact(&stdout(&o)));
}

#[test]
fn diff_of_a_hardened_debian_config() {
    let (old, new) = (
        fixture("debian-stock.conf"),
        fixture("debian-hardened.conf"),
    );
    let o = vsconf(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--dialect=debian-3.0.3",
    ]);
    assert_eq!(code(&o), 1);
    insta::assert_snapshot!("diff_debian_hardened_human", redact(&stdout(&o)));
    let o = vsconf(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--dialect=debian-3.0.3",
        "--format=json",
    ]);
    insta::assert_snapshot!("diff_debian_hardened_json", redact(&stdout(&o)));
}

#[test]
fn diff_of_a_dialect_switch() {
    let path = fixture("debian-hardened.conf");
    let p = path.to_str().unwrap();
    let o = vsconf(&[
        "diff",
        p,
        p,
        "--old-dialect=debian-3.0.3",
        "--new-dialect=upstream-3.0.5",
    ]);
    assert_eq!(code(&o), 1);
    insta::assert_snapshot!("diff_dialect_switch_human", redact(&stdout(&o)));
}

fn options(dialect: Dialect, nat: bool) -> ProfileOptions {
    let mut o = ProfileOptions::new(dialect);
    if nat {
        o.pasv_address = Some("203.0.113.10".to_owned());
    }
    o
}

#[test]
fn profiles_match_their_snapshots() {
    for (profile, dialect, nat) in [
        (Profile::AnonymousDownload, Dialect::Debian303, false),
        (Profile::LocalTls, Dialect::Debian303, false),
        (Profile::AnonymousDownload, Dialect::Rhel305, true),
        (Profile::LocalTls, Dialect::Upstream305, true),
        (Profile::BehindNat, Dialect::Debian303, true),
    ] {
        let text = String::from_utf8(generate(profile, &options(dialect, nat)).unwrap()).unwrap();
        let name = format!(
            "new_{}_{}{}",
            profile.name(),
            dialect.id(),
            if nat { "_nat" } else { "" }
        );
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn every_profile_lints_clean_and_starts_in_every_dialect() {
    for profile in Profile::ALL {
        for dialect in Dialect::ALL {
            for nat in [false, true] {
                if profile == Profile::BehindNat && !nat {
                    let refused = generate(profile, &options(dialect, nat));
                    assert!(matches!(
                        refused,
                        Err(vsconf::edit::profile::ProfileError::NeedsPasvAddress)
                    ));
                    continue;
                }
                let text = generate(profile, &options(dialect, nat)).unwrap();
                let result = lint(
                    &parse(&text).cst,
                    None,
                    &LintOptions {
                        dialect,
                        ..LintOptions::default()
                    },
                    None,
                );
                let loud: Vec<_> = result
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity <= vsconf::diagnostic::Severity::Warning)
                    .collect();
                assert!(
                    loud.is_empty(),
                    "{} {dialect} nat={nat}: {loud:?}",
                    profile.name()
                );
                assert_eq!(
                    severity_rank(&result.prediction),
                    0,
                    "{} {dialect}: {:?}",
                    profile.name(),
                    result.prediction
                );
            }
        }
    }
}

#[test]
fn set_on_a_profile_lands_under_the_commented_example() {
    let dir = scratch("golden_profile_set");
    let text = generate(Profile::LocalTls, &options(Dialect::Debian303, false)).unwrap();
    let path = file(&dir, "vsftpd.conf", &text);
    let o = vsconf(&[
        "set",
        path.to_str().unwrap(),
        "pasv_address=198.51.100.7",
        "--dialect=debian-3.0.3",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    insta::assert_snapshot!("set_pasv_address_on_profile", redact(&stdout(&o)));
}
