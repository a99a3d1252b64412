//! `docs/settings/README.md` (the index) and `docs/settings/NAME.md` are generated from `vsconf::setting_docs` (the tunable
//! table, the notes, and the rules that name each setting), so a new rule or tunable regenerates them with
//! the rule docs: `UPDATE_DOCS=1 cargo test --test rules`.

use std::path::PathBuf;

use vsconf::setting_docs;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn generated_setting_docs_are_current() {
    let mut expected = vec![(
        root().join("docs/settings/README.md"),
        setting_docs::index(),
    )];
    for d in setting_docs::all() {
        expected.push((
            root().join(format!("docs/settings/{}.md", d.name)),
            setting_docs::page(&d),
        ));
    }
    super::check_generated(&expected, "setting docs");
    // No page is left over from a setting that is gone.
    let listed: Vec<PathBuf> = expected.iter().map(|(p, _)| p.clone()).collect();
    let extra: Vec<String> = std::fs::read_dir(root().join("docs/settings"))
        .expect("docs/settings")
        .flatten()
        .map(|e| e.path())
        .filter(|p| !listed.contains(p))
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        extra.is_empty(),
        "pages for no setting: {}",
        extra.join(", ")
    );
}

#[test]
fn every_setting_has_a_page_with_type_default_and_rules() {
    let page = setting_docs::page(&setting_docs::lookup("pasv_enable").expect("known"));
    assert!(page.contains("**Type**: bool"), "{page}");
    assert!(page.contains("**Default**"), "{page}");
    assert!(page.contains("VSC101 pasv-range-unset"), "{page}");
    let only = setting_docs::page(&setting_docs::lookup("ssl_tlsv13").expect("known"));
    assert!(
        only.contains("**Exists only in**: upstream-3.0.5, debian-3.0.5, rhel-3.0.5"),
        "{only}"
    );
    assert_eq!(setting_docs::all().count(), vsconf::dialect::TUNABLES.len());
}

#[test]
fn every_setting_in_every_build_has_a_note() {
    let bare: Vec<&str> = setting_docs::all()
        .filter(|d| d.details.is_none_or(str::is_empty) || d.value_pitfalls.is_empty())
        .map(|d| d.name)
        .collect();
    assert!(
        bare.is_empty(),
        "settings without a note in src/setting_docs/notes.rs: {}",
        bare.join(", ")
    );
}

/// A `500 OOPS` text quoted in a setting note is one of the texts in `startup::oops` (the one home of
/// vsftpd's texts), so a note cannot drift from what vsconf predicts and prints.
#[test]
fn quoted_oops_texts_are_the_one_home_texts() {
    let known: Vec<String> = vsconf::startup::oops::every_text()
        .iter()
        .map(|t| String::from_utf8_lossy(t).trim_end().to_owned())
        .collect();
    let mut quoted = 0;
    let mut unknown = Vec::new();
    for d in setting_docs::all() {
        let texts = d.details.into_iter().chain(d.pitfalls.iter().copied());
        for text in texts {
            for piece in text.split("`500 OOPS: ").skip(1) {
                let Some((oops, _)) = piece.split_once('`') else {
                    unknown.push(format!("{}: unclosed quote in {text:?}", d.name));
                    continue;
                };
                quoted += 1;
                if !known.iter().any(|k| k == oops) {
                    unknown.push(format!("{}: {oops:?}", d.name));
                }
            }
        }
    }
    assert!(
        quoted > 20,
        "only {quoted} quoted OOPS texts: the test no longer sees them"
    );
    assert!(
        unknown.is_empty(),
        "texts quoted in setting notes but not in src/startup/oops.rs:\n{}",
        unknown.join("\n")
    );
}
