//! One harness for every rule: iterates the registry (not a hand-kept list) and checks each rule's
//! folder `rules/VSCnnn/` of fixtures, their snapshots, the rule's documentation and its fixes.
//!
//! A fixture is a minimal config whose first line is a column-1 `#` comment saying what it shows; a
//! `# dialect: debian-3.0.3` line selects the dialect (default upstream-3.0.5). `bad*.conf` must raise
//! the rule, `good*.conf` must not. The rendered diagnostics (human text, no colour) and each fix as a
//! unified diff are snapshotted in `rules/VSCnnn/snapshots/`.
//!
//! Regenerate: `INSTA_UPDATE=always cargo test --test rules` (then read the snapshots), and
//! `UPDATE_DOCS=1 cargo test --test rules` for docs/rules.md and docs/rules/*.md.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an integration test fails by panicking and may print; Cargo.toml's [lints] cover every target"
)]

mod coverage;
mod evident;
mod examples;
mod host;
mod setting_docs;

use std::path::{Path, PathBuf};

use vsconf::diagnostic::{Applicability, Diagnostic, apply_edits};
use vsconf::dialect::Dialect;
use vsconf::render::{FileReport, StartupSummary, human};
use vsconf::rules::{FixAvailability, LintOptions, LintResult, REGISTRY, docs, lint};
use vsconf::startup::Verdict;
use vsconf::syntax::{escape_bytes, parse};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures(code: &str) -> Vec<PathBuf> {
    let dir = root().join("rules").join(code);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "conf"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn dialect_of(text: &[u8]) -> Dialect {
    text.split(|b| *b == b'\n')
        .filter_map(|l| l.strip_prefix(b"# dialect: "))
        .find_map(|d| {
            std::str::from_utf8(d)
                .ok()
                .and_then(|d| d.trim().parse().ok())
        })
        .unwrap_or_default()
}

fn options(dialect: Dialect) -> LintOptions {
    LintOptions {
        dialect,
        ..LintOptions::default()
    }
}

/// Lints a fixture, against the machine its `# host:` lines describe, if any.
fn lint_fixture(text: &[u8], dialect: Dialect) -> LintResult {
    let cst = parse(text).cst;
    let machine = host::for_fixture(text);
    lint(
        &cst,
        None,
        &options(dialect),
        machine.as_ref().map(|h| h as _),
    )
}

fn run(text: &[u8], dialect: Dialect) -> (Vec<Diagnostic>, Verdict) {
    let result = lint_fixture(text, dialect);
    (result.diagnostics, result.prediction.verdict)
}

fn render(path: &str, text: &[u8], dialect: Dialect) -> String {
    let result = lint_fixture(text, dialect);
    let mut startup = StartupSummary::default();
    match &result.prediction.verdict {
        Verdict::Refuses(o) => {
            startup.refused = true;
            startup.message = Some(escape_bytes(&o.full_text()));
        }
        Verdict::Crashes(_) => startup.crashed = true,
        Verdict::Starts { .. } => {
            startup.session_message = result
                .prediction
                .session
                .as_ref()
                .map(|o| escape_bytes(&o.full_text()))
        }
    }
    let report = FileReport {
        path: path.to_owned(),
        dialect: dialect.id(),
        dialect_source: None,
        builds: Vec::new(),
        source: text.to_vec(),
        startup,
        diagnostics: result.diagnostics,
    };
    human::render(&[report], human::Colour::Never)
}

fn unified(old: &[u8], new: &[u8]) -> String {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .header("before", "after")
        .to_string()
}

#[test]
fn every_rule_has_a_folder_with_good_and_bad_fixtures_and_every_folder_a_rule() {
    let mut problems = Vec::new();
    for r in REGISTRY {
        let code = r.meta().code;
        let files = fixtures(code);
        if !r.meta().is_active() {
            // A removed rule reports nothing, so it has nothing to show.
            if root().join("rules").join(code).exists() {
                problems.push(format!("{code}: removed, but rules/{code}/ still exists"));
            }
            continue;
        }
        let name = |p: &Path| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        if !files.iter().any(|f| name(f).starts_with("bad")) {
            problems.push(format!("{code}: no rules/{code}/bad*.conf"));
        }
        if !files.iter().any(|f| name(f).starts_with("good")) {
            problems.push(format!("{code}: no rules/{code}/good*.conf"));
        }
        for f in &files {
            let text = std::fs::read(f).unwrap_or_default();
            // A byte order mark may precede it (VSC006 is about exactly that).
            if !text
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap_or(&text)
                .starts_with(b"#")
            {
                problems.push(format!(
                    "{}: must start with a column-1 `#` line saying what it shows",
                    f.display()
                ));
            }
        }
    }
    for entry in std::fs::read_dir(root().join("rules")).expect("rules/ exists") {
        let entry = entry.expect("entry");
        let folder = entry.file_name().to_string_lossy().into_owned();
        if !REGISTRY
            .iter()
            .any(|r| r.meta().code == folder && r.meta().is_active())
        {
            problems.push(format!("rules/{folder}: matches no registered rule"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_rule_documents_the_required_headings() {
    let headings = [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Fix",
        "## References",
    ];
    let mut problems = Vec::new();
    for r in REGISTRY {
        let doc = r.doc();
        let mut last = 0;
        for h in headings {
            match doc.find(h) {
                Some(at) if at >= last => last = at,
                Some(_) => problems.push(format!("{}: `{h}` out of order", r.meta().code)),
                None => problems.push(format!(
                    "{}: missing `{h}` in the doc comment of {}",
                    r.meta().code,
                    r.file
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn generated_rule_docs_are_current() {
    let mut expected = vec![(root().join("docs/rules.md"), docs::index())];
    for r in REGISTRY {
        expected.push((
            root().join(format!("docs/rules/{}.md", r.meta().code)),
            docs::page(r),
        ));
    }
    check_generated(&expected, "rule docs");
}

/// Fails when a generated file differs from what its generator writes now; `UPDATE_DOCS=1` rewrites them.
fn check_generated(expected: &[(PathBuf, String)], what: &str) {
    if std::env::var_os("UPDATE_DOCS").is_some() {
        for (path, text) in expected {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write docs");
        }
    }
    let stale: Vec<String> = expected
        .iter()
        .filter(|(path, text)| std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()))
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "stale {what} (regenerate with `UPDATE_DOCS=1 cargo test --test rules`):\n{}",
        stale.join("\n")
    );
}

#[test]
fn fixtures_raise_their_rule_exactly_where_expected_and_match_snapshots() {
    let mut problems = Vec::new();
    for r in REGISTRY {
        let code = r.meta().code;
        for file in fixtures(code) {
            let text = std::fs::read(&file).expect("fixture");
            let dialect = dialect_of(&text);
            let stem = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (diagnostics, _) = run(&text, dialect);
            let raised = diagnostics.iter().filter(|d| d.code == code).count();
            if stem.starts_with("bad") && raised == 0 {
                problems.push(format!("{}: does not raise {code}", file.display()));
            }
            if stem.starts_with("good") && raised > 0 {
                problems.push(format!("{}: raises {code}", file.display()));
            }
            let shown = format!("rules/{code}/{stem}.conf");
            let mut snapshot = render(&shown, &text, dialect);
            for d in diagnostics.iter().filter(|d| d.code == code) {
                if let Some(fix) = &d.fix {
                    let fixed = apply_edits(&text, &fix.edits).unwrap_or_default();
                    snapshot.push_str(&format!(
                        "\nfix ({:?}): {}\n{}",
                        fix.applicability,
                        fix.title,
                        unified(&text, &fixed)
                    ));
                }
            }
            insta::with_settings!({
                snapshot_path => root().join("rules").join(code).join("snapshots"),
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(stem.clone(), snapshot);
            });
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn fixes_converge_parse_and_match_declared_availability() {
    let mut problems = Vec::new();
    for r in REGISTRY {
        let meta = r.meta();
        let mut saw_fix = false;
        for file in fixtures(meta.code) {
            let text = std::fs::read(&file).expect("fixture");
            let dialect = dialect_of(&text);
            let (diagnostics, verdict) = run(&text, dialect);
            for d in diagnostics.iter().filter(|d| d.code == meta.code) {
                let Some(fix) = &d.fix else {
                    if matches!(meta.fix, FixAvailability::Always(_)) {
                        problems.push(format!(
                            "{}: {} declares a fix for every finding but gave none",
                            file.display(),
                            meta.code
                        ));
                    }
                    continue;
                };
                saw_fix = true;
                let declared = match meta.fix {
                    FixAvailability::None => None,
                    FixAvailability::Sometimes(a) | FixAvailability::Always(a) => Some(a),
                };
                if declared != Some(fix.applicability) {
                    problems.push(format!(
                        "{}: fix applicability {:?} differs from declared {:?}",
                        file.display(),
                        fix.applicability,
                        meta.fix
                    ));
                }
                let Some(fixed) = apply_edits(&text, &fix.edits) else {
                    problems.push(format!(
                        "{}: fix edits overlap or fall outside the file",
                        file.display()
                    ));
                    continue;
                };
                if parse(&fixed).cst.print() != fixed {
                    problems.push(format!("{}: fixed bytes do not round-trip", file.display()));
                }
                let (after, verdict_after) = run(&fixed, dialect);
                if after.iter().any(|a| {
                    a.code == meta.code && a.span.start == d.span.start && a.message == d.message
                }) {
                    problems.push(format!(
                        "{}: the fix does not remove the finding `{}`",
                        file.display(),
                        d.message
                    ));
                }
                if verdict.starts() && !verdict_after.starts() {
                    problems.push(format!(
                        "{}: the fix makes vsftpd refuse to start",
                        file.display()
                    ));
                }
                if fix.applicability == Applicability::Safe {
                    // A safe fix touches only the line it is about.
                    let line_of = |off: u32| {
                        text.iter()
                            .take(off as usize)
                            .filter(|b| **b == b'\n')
                            .count()
                    };
                    if fix.edits.iter().any(|e| {
                        line_of(e.span.start) != line_of(d.span.start)
                            && line_of(e.span.end) != line_of(d.span.start)
                    }) {
                        let is_duplicate_removal =
                            fix.edits.iter().all(|e| e.replacement.is_empty());
                        if !is_duplicate_removal {
                            problems.push(format!(
                                "{}: safe fix edits lines other than the finding's",
                                file.display()
                            ));
                        }
                    }
                }
            }
        }
        if saw_fix && meta.fix == FixAvailability::None {
            problems.push(format!("{}: declares no fix but emits one", meta.code));
        }
        if !saw_fix && meta.fix != FixAvailability::None {
            problems.push(format!(
                "{}: declares fixes but no bad fixture shows one",
                meta.code
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_removed_code_stays_registered_explains_itself_and_reports_nothing() {
    let removed = vsconf::rules::find("VSC313").expect("VSC313 stays registered");
    assert!(!removed.meta().is_active());
    let page = docs::page(removed);
    assert!(page.contains("Removed in vsconf 0.1.0"), "{page}");
    assert!(page.contains("[VSC214](VSC214.md)"), "{page}");
    // A suppression naming it silences nothing, and says what to name instead.
    let text = b"# shows a suppression of a removed rule\n# vsconf: allow VSC313\nlisten=YES\n";
    let (diagnostics, _) = run(text, Dialect::default());
    assert!(diagnostics.iter().all(|d| d.code != "VSC313"));
    let unused: Vec<_> = diagnostics.iter().filter(|d| d.code == "VSC903").collect();
    assert_eq!(unused.len(), 1, "{diagnostics:?}");
    assert!(
        unused[0].message.contains("removed in vsconf 0.1.0"),
        "{}",
        unused[0].message
    );
    assert_eq!(
        unused[0].help.as_deref(),
        Some("allow VSC214 instead, or remove the suppression")
    );
}
