//! The switches every config-reading subcommand shares, rule selection, per-file ignores, and the
//! CI formats (concise, gitlab, junit, SARIF fingerprints) — issue 13.

use super::{fixture, run, scratch, stderr, stdout, vsconf};

/// Subcommands that read a config, with the arguments that make `--help` parse.
const READERS: &[&str] = &[
    "lint", "show", "diff", "firewall", "serve", "verify", "set", "unset", "fix", "new", "syntax",
];

#[test]
fn every_config_reader_takes_the_same_switches() {
    for sub in READERS {
        let o = run(&[sub, "--help"]);
        let help = stdout(&o);
        for flag in [
            "--config <PATH>",
            "--no-config",
            "--dialect",
            "--color <WHEN>",
            "-q, --quiet",
        ] {
            assert!(help.contains(flag), "`vsconf {sub}` lacks {flag}:\n{help}");
        }
    }
    for sub in ["lint", "show", "diff", "verify", "probe"] {
        let help = stdout(&run(&[sub, "--help"]));
        assert!(
            help.contains("[default: human]"),
            "`vsconf {sub} --format` must default to human:\n{help}"
        );
    }
    // The old name of show's table still works.
    let o = run(&[
        "show",
        "--no-config",
        "--format",
        "table",
        &fixture("clean.conf"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn select_and_ignore_take_codes_names_and_categories() {
    let bad = fixture("unknown.conf");
    let all = stdout(&run(&["lint", "--no-config", "--format", "concise", &bad]));
    assert!(
        all.contains("[VSC001]") && all.contains("warning[VSC3"),
        "{all}"
    );
    // Only security: startup rules still run, consistency/pitfall ones do not.
    let only = stdout(&run(&[
        "lint",
        "--no-config",
        "--format",
        "concise",
        "--select",
        "security",
        &bad,
    ]));
    assert!(
        only.contains("[VSC001]") && only.contains("[VSC3"),
        "{only}"
    );
    assert!(!only.contains("[VSC1") && !only.contains("[VSC4"), "{only}");
    let named = stdout(&run(&[
        "lint",
        "--no-config",
        "--format",
        "concise",
        "--select",
        "VSC101,transfer-log-disabled",
        &bad,
    ]));
    assert!(
        named.contains("[VSC101]") && named.contains("[VSC311]"),
        "{named}"
    );
    assert!(!named.contains("[VSC3 0"), "{named}");
    let ignored = stdout(&run(&[
        "lint",
        "--no-config",
        "--format",
        "concise",
        "--ignore",
        "security",
        "--ignore",
        "VSC101",
        &bad,
    ]));
    assert!(
        !ignored.contains("[VSC3") && !ignored.contains("[VSC101]"),
        "{ignored}"
    );
    let o = run(&["lint", "--no-config", "--select", "no-such-thing", &bad]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no rule or category"), "{}", stderr(&o));
}

#[test]
fn per_file_ignores_exit_zero_statistics_and_stdin_filename() {
    let dir = scratch("ecosystem-flags");
    std::fs::create_dir_all(dir.join("legacy")).expect("mkdir");
    let text = std::fs::read(fixture("unknown.conf")).expect("fixture");
    std::fs::write(dir.join("legacy/old.conf"), &text).expect("write");
    std::fs::write(dir.join("new.conf"), &text).expect("write");
    std::fs::write(
        dir.join("vsconf.toml"),
        "[rules.per-file-ignores]\n\"legacy/*.conf\" = [\"pasv-range-unset\"]\n",
    )
    .expect("write");
    let lint = |args: &[&str]| {
        vsconf()
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .expect("vsconf runs")
    };
    let o = lint(&["lint", "--format", "concise", "legacy/old.conf", "new.conf"]);
    let out = stdout(&o);
    assert!(out.contains("new.conf:1:1: warning[VSC101]"), "{out}");
    assert!(
        !out.contains("legacy/old.conf:1:1: warning[VSC101]"),
        "{out}"
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        lint(&["lint", "--exit-zero", "new.conf"]).status.code(),
        Some(0)
    );
    let stats = stdout(&lint(&[
        "lint",
        "--statistics",
        "legacy/old.conf",
        "new.conf",
    ]));
    assert!(
        stats.lines().any(|l| l
            .trim_start()
            .starts_with("2  VSC001  unrecognised-variable")),
        "{stats}"
    );
    assert!(
        stats
            .lines()
            .any(|l| l.trim_start().starts_with("1  VSC101  pasv-range-unset")),
        "{stats}"
    );
    let json: serde_json::Value = serde_json::from_slice(
        &lint(&["lint", "--statistics", "--format", "json", "new.conf"]).stdout,
    )
    .expect("json");
    assert!(
        json["statistics"]
            .as_array()
            .is_some_and(|s| s.iter().any(|r| r["code"] == "VSC001" && r["count"] == 1))
    );
    // Standard input named as a legacy file gets the legacy file's ignores and name.
    let mut child = vsconf()
        .current_dir(&dir)
        .args([
            "lint",
            "--format",
            "concise",
            "--stdin-filename",
            "legacy/x.conf",
            "-",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(&text)
            .expect("write stdin");
    }
    let o = child.wait_with_output().expect("wait");
    let out = stdout(&o);
    assert!(out.contains("legacy/x.conf:3:1: error[VSC001]"), "{out}");
    assert!(!out.contains("[VSC101]"), "{out}");
}

#[test]
fn lint_fix_writes_the_safe_fixes_then_reports_what_is_left() {
    let dir = scratch("ecosystem-fix");
    let file = dir.join("vsftpd.conf");
    // A trailing space after a boolean is a safe fix (VSC2xx), the capital letter is not fixable here.
    std::fs::write(
        &file,
        "listen=YES\nanonymous_enable=NO \nlocal_enable=YES\n",
    )
    .expect("write");
    let preview = stdout(&run(&["fix", "--no-config", file.to_str().expect("utf-8")]));
    let o = run(&[
        "lint",
        "--no-config",
        "--fix",
        "--format",
        "concise",
        file.to_str().expect("utf-8"),
    ]);
    let after = std::fs::read_to_string(&file).expect("read");
    if preview.contains("(proposed)") {
        assert_ne!(
            after,
            "listen=YES\nanonymous_enable=NO \nlocal_enable=YES\n",
            "{}",
            stderr(&o)
        );
        assert!(stderr(&o).contains("fixed"), "{}", stderr(&o));
        // Same bytes as `vsconf fix --write` would give.
        let again = run(&[
            "fix",
            "--no-config",
            "--check",
            file.to_str().expect("utf-8"),
        ]);
        assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    } else {
        panic!("the fixture must have a safe fix: {preview}");
    }
}

#[test]
fn concise_gitlab_and_junit_formats() {
    let bad = fixture("unknown.conf");
    let clean = fixture("clean.conf");
    let concise = stdout(&run(&["lint", "--no-config", "--format", "concise", &bad]));
    let first = concise.lines().next().unwrap_or("");
    assert!(first.ends_with("error[startup] vsftpd refuses to start: 500 OOPS: unrecognised variable in config file: Listen_port"), "{concise}");
    assert!(
        concise.lines().any(|l| l == format!(
            "{bad}:3:1: error[VSC001] unrecognised setting `Listen_port`: vsftpd refuses to start"
        )
        .as_str()
            || l.starts_with(&format!("{bad}:3:1: error[VSC001] "))),
        "{concise}"
    );

    let o = run(&["lint", "--no-config", "--format", "gitlab", &bad, &clean]);
    assert_eq!(o.status.code(), Some(1));
    let issues: serde_json::Value = serde_json::from_slice(&o.stdout).expect("gitlab json");
    let issues = issues.as_array().expect("array");
    assert!(!issues.is_empty());
    let mut prints: Vec<&str> = issues
        .iter()
        .filter_map(|i| i["fingerprint"].as_str())
        .collect();
    assert_eq!(prints.len(), issues.len());
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), issues.len(), "fingerprints are unique");
    for i in issues {
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&i["severity"].as_str().unwrap_or(""))
        );
        assert!(
            i["location"]["lines"]["begin"]
                .as_u64()
                .is_some_and(|l| l >= 1)
        );
        assert!(
            i["check_name"]
                .as_str()
                .is_some_and(|c| c.starts_with("VSC"))
        );
    }
    let vsc001 = issues
        .iter()
        .find(|i| i["check_name"] == "VSC001")
        .expect("VSC001");
    assert_eq!(vsc001["severity"], "blocker");
    assert_eq!(vsc001["location"]["lines"]["begin"], 3);

    let junit = stdout(&run(&[
        "lint",
        "--no-config",
        "--format",
        "junit",
        &bad,
        &clean,
    ]));
    assert!(
        junit.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "),
        "{junit}"
    );
    assert_eq!(junit.matches("<testsuite ").count(), 2, "{junit}");
    assert!(
        junit.contains("name=\"VSC001 unrecognised-variable\""),
        "{junit}"
    );
    assert!(junit.contains("<failure type=\"startup\""), "{junit}");
    assert!(junit.trim_end().ends_with("</testsuites>"), "{junit}");
}

#[test]
fn sarif_fingerprints_are_stable_when_lines_move_and_help_works_outside_the_repo() {
    let dir = scratch("ecosystem-sarif-prints");
    let a = dir.join("a.conf");
    let b = dir.join("b.conf");
    std::fs::write(&a, "listen=YES\nListen_port=2121\n").expect("write");
    std::fs::write(&b, "# moved down\n\nlisten=YES\nListen_port=2121\n").expect("write");
    let print = |path: &std::path::Path| {
        let o = run(&[
            "lint",
            "--no-config",
            "--format",
            "sarif",
            path.to_str().expect("utf-8"),
        ]);
        let log: serde_json::Value = serde_json::from_slice(&o.stdout).expect("sarif");
        let r = log["runs"][0]["results"]
            .as_array()
            .and_then(|rs| rs.iter().find(|r| r["ruleId"] == "VSC001").cloned())
            .expect("VSC001");
        assert!(
            r["message"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("vsconf rules VSC001"))
        );
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .cloned()
            .expect("rules");
        // Cargo.toml sets no homepage, so no rule links to an unchecked web address; the help text
        // names the command that prints the page instead.
        assert!(!rules.is_empty());
        assert!(rules.iter().all(|r| {
            r.get("helpUri").is_none()
                && r["help"]["text"].as_str().is_some_and(|t| {
                    t.ends_with(&format!(
                        "Run `vsconf rules {}` for this page.",
                        r["id"].as_str().unwrap_or("?")
                    ))
                })
        }));
        assert!(
            log["runs"][0]["tool"]["driver"]
                .get("informationUri")
                .is_none()
        );
        assert!(!o.stdout.windows(11).any(|w| w == b"(docs/rules"));
        r["partialFingerprints"]["primaryLocationLineHash"].clone()
    };
    assert_eq!(print(&a), print(&b));
}

#[test]
fn explain_documents_a_setting_and_rules_points_there() {
    let o = run(&["explain", "pasv_min_port"]);
    assert_eq!(o.status.code(), Some(0));
    let page = stdout(&o);
    assert!(page.starts_with("# pasv_min_port\n"), "{page}");
    assert!(
        page.contains("**Type**: uint") && page.contains("VSC101 pasv-range-unset"),
        "{page}"
    );
    let o = run(&["explain", "utf8_filesystem"]);
    assert!(
        stdout(&o).contains("**Exists only in**: debian-3.0.3"),
        "{}",
        stdout(&o)
    );
    let o = run(&["rules", "pasv_min_port"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("vsconf explain pasv_min_port"),
        "{}",
        stdout(&o)
    );
    let o = run(&["explain", "pasv_min_prot"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("pasv_min_port"), "{}", stderr(&o));
    let o = run(&["explain", "--json", "ssl_enable"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(doc["type"], "bool");
    assert!(doc["pitfalls"].as_array().is_some_and(|p| !p.is_empty()));
    let human = stdout(&run(&["lint", "--no-config", &fixture("unknown.conf")]));
    assert!(
        human.contains("vsconf rules VSC001") && !human.contains("docs/rules/"),
        "{human}"
    );
}
