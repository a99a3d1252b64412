//! The binary, driven as users and CI drive it: exit codes, output formats, inputs, settings discovery.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an integration test fails by panicking and may print; Cargo.toml's [lints] cover every target"
)]

mod detect;
mod ecosystem;
mod explain;
mod facts;

use std::path::PathBuf;
use std::process::{Command, Output};

mod readable;

fn vsconf() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vsconf"));
    // The build is detected from the host by default; these snapshots were written for upstream-3.0.5.
    c.env("VSCONF_DIALECT", "upstream-3.0.5");
    c
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cli/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn run(args: &[&str]) -> Output {
    vsconf()
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("vsconf runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    dir
}

#[test]
fn clean_file_exits_zero_and_refused_file_exits_one() {
    let clean = run(&["lint", "--no-config", &fixture("clean.conf")]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    let bad = run(&["lint", "--no-config", &fixture("unknown.conf")]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stdout(&bad).contains(
            "refuses to start: 500 OOPS: unrecognised variable in config file: Listen_port"
        ),
        "{}",
        stdout(&bad)
    );
}

/// The binary starts without std's runtime start-up (src/main.rs): what that start-up did must still hold.
#[test]
fn a_closed_pipe_ends_quietly_and_output_to_a_file_is_complete() {
    use std::io::Read;
    use std::process::Stdio;
    // A reader that goes away after the first bytes: no death by SIGPIPE, the findings' exit code.
    let dir = scratch("closed-pipe");
    for i in 0..300 {
        std::fs::copy(fixture("flood-120.conf"), dir.join(format!("{i:03}.conf"))).unwrap();
    }
    // Last in the run, after the reader has gone: vsftpd refuses it, so the exit code is 1.
    std::fs::copy(fixture("unknown.conf"), dir.join("999.conf")).unwrap();
    let mut child = vsconf()
        .args(["lint", "--no-config", "--color", "never"])
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = [0; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "{status:?}");
    // Standard output is flushed at exit: the file holds the whole report, summary line included.
    let out = dir.join("report.json");
    let file = std::fs::File::create(&out).unwrap();
    let status = vsconf()
        .args([
            "lint",
            "--no-config",
            "--format",
            "json",
            &fixture("unknown.conf"),
        ])
        .stdout(file)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(report["summary"]["files"], 1);
}

#[test]
fn missing_file_and_bad_arguments_exit_two_with_a_message() {
    let o = run(&["lint", "--no-config", "/nonexistent/vsftpd.conf"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("cannot read /nonexistent/vsftpd.conf"),
        "{}",
        stdout(&o)
    );
    let o = run(&[
        "lint",
        "--no-config",
        "--dialect",
        "debian",
        &fixture("clean.conf"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown dialect `debian`"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn json_has_the_documented_shape() {
    let o = run(&[
        "lint",
        "--no-config",
        "--format",
        "json",
        "--dialect",
        "debian-3.0.3",
        &fixture("unknown.conf"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(doc["version"], 1);
    let file = &doc["files"][0];
    assert_eq!(file["dialect"], "debian-3.0.3");
    assert_eq!(file["startup"]["refused"], true);
    assert_eq!(
        file["startup"]["message"],
        "500 OOPS: unrecognised variable in config file: Listen_port"
    );
    // Other rules report too (at the file start, so first): pick the unknown name's finding.
    let d = file["diagnostics"]
        .as_array()
        .and_then(|all| all.iter().find(|d| d["code"] == "VSC001"))
        .expect("a VSC001 finding");
    assert_eq!(d["rule"], "unrecognised-variable");
    assert_eq!(d["code"], "VSC001");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["fatal"], true);
    assert_eq!(
        (
            d["line"].as_u64(),
            d["column"].as_u64(),
            d["end_line"].as_u64(),
            d["end_column"].as_u64()
        ),
        (Some(3), Some(1), Some(3), Some(12))
    );
    assert_eq!(
        d["help"],
        "did you mean `listen_port`? setting names are case-sensitive"
    );
    assert_eq!(doc["summary"]["files"], 1);
    assert!(doc["summary"]["errors"].as_u64() >= Some(1));
}

#[test]
fn json_reports_a_starting_file_with_null_message() {
    let o = run(&[
        "lint",
        "--no-config",
        "--format",
        "json",
        &fixture("clean.conf"),
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(doc["files"][0]["startup"]["refused"], false);
    assert!(doc["files"][0]["startup"]["message"].is_null());
}

#[test]
fn sarif_describes_every_rule_and_points_results_at_them() {
    let o = run(&[
        "lint",
        "--no-config",
        "--format",
        "sarif",
        &fixture("unknown.conf"),
    ]);
    let log: serde_json::Value = serde_json::from_slice(&o.stdout).expect("sarif is json");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), vsconf::rules::REGISTRY.len());
    assert!(rules.iter().all(|r| {
        r["help"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("## What it does"))
    }));
    let result = run["results"]
        .as_array()
        .and_then(|all| all.iter().find(|r| r["ruleId"] == "VSC001"))
        .expect("a VSC001 result");
    let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
    assert_eq!(rules[index]["id"], result["ruleId"]);
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
}

#[test]
fn github_annotations_are_workflow_commands() {
    let o = run(&[
        "lint",
        "--no-config",
        "--format",
        "github",
        &fixture("unknown.conf"),
    ]);
    let text = stdout(&o);
    assert!(
        text.lines().any(|l| l.starts_with("::error file=")
            && l.contains(",line=3,col=1,")
            && l.contains("title=VSC001 unrecognised-variable::")),
        "{text}"
    );
}

#[test]
fn stdin_and_directories_are_accepted() {
    let o = vsconf()
        .args(["lint", "--no-config", "--format", "json", "-"])
        .stdin(std::fs::File::open(fixture("unknown.conf")).expect("fixture"))
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(doc["files"][0]["path"], "-");
    let dir = scratch("dir");
    std::fs::copy(fixture("clean.conf"), dir.join("a.conf")).expect("copy");
    std::fs::copy(fixture("unknown.conf"), dir.join("b.conf")).expect("copy");
    std::fs::write(dir.join("notes.txt"), "not a config").expect("write");
    let o = run(&[
        "lint",
        "--no-config",
        "--format",
        "json",
        &dir.display().to_string(),
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(doc["summary"]["files"], 2);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn settings_file_is_discovered_from_a_parent_directory() {
    let dir = scratch("settings");
    std::fs::write(
        dir.join("vsconf.toml"),
        "dialect = \"debian-3.0.3\"\n[rules]\nignore = [\"unrecognised-variable\"]\n",
    )
    .expect("write");
    let sub = dir.join("sub");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let o = vsconf()
        .current_dir(&sub)
        .args(["lint", "--format", "json", &fixture("unknown.conf")])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(doc["files"][0]["dialect"], "debian-3.0.3");
    // The ignore is read, but the unknown name is why vsftpd refuses to start: issue 11 keeps such a
    // finding as an error and says that the selection was overruled.
    let vsc001: Vec<&serde_json::Value> = doc["files"][0]["diagnostics"]
        .as_array()
        .map(|a| a.iter().filter(|d| d["code"] == "VSC001").collect())
        .unwrap_or_default();
    assert_eq!(vsc001.len(), 1);
    assert_eq!(vsc001[0]["severity"], "error");
    assert!(
        vsc001[0]["help"]
            .as_str()
            .is_some_and(|h| h.contains("switches this rule off")),
        "{}",
        vsc001[0]
    );
    assert_eq!(o.status.code(), Some(1));
    let o = vsconf()
        .current_dir(&sub)
        .args([
            "lint",
            "--no-config",
            "--format",
            "json",
            &fixture("unknown.conf"),
        ])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(doc["files"][0]["dialect"], "upstream-3.0.5");
    std::fs::write(dir.join("vsconf.toml"), "dialect = 3\n").expect("write");
    let o = vsconf()
        .current_dir(&sub)
        .args(["lint", &fixture("clean.conf")])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("vsconf.toml"), "{}", stderr(&o));
}

#[test]
fn issue_11_a_refusal_downgraded_in_settings_still_counts_as_an_error() {
    let dir = scratch("fatal-override");
    std::fs::write(
        dir.join("vsconf.toml"),
        "[rules.severity]\nVSC001 = \"info\"\n",
    )
    .expect("write");
    let o = vsconf()
        .current_dir(&dir)
        .args(["lint", "--format", "json", &fixture("unknown.conf")])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(doc["files"][0]["startup"]["refused"], true, "{doc}");
    assert_eq!(doc["summary"]["errors"], 1, "{doc}");
    assert_eq!(o.status.code(), Some(1));
    let o = vsconf()
        .current_dir(&dir)
        .args(["lint", "--ignore", "VSC001", &fixture("unknown.conf")])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert!(stdout(&o).contains("1 error"), "{}", stdout(&o));
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn rules_command_lists_and_documents_rules() {
    let o = run(&["rules"]);
    assert!(
        stdout(&o)
            .lines()
            .any(|l| l.starts_with("VSC001  unrecognised-variable")),
        "{}",
        stdout(&o)
    );
    let o = run(&["rules", "unrecognised-variable"]);
    assert!(stdout(&o).starts_with("# VSC001 unrecognised-variable"));
    assert!(stdout(&o).contains("## Why is this bad?"));
    let o = run(&["rules", "VSC999"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn show_prints_values_with_origins() {
    let o = run(&["show", "--no-config-placeholder"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&[
        "show",
        "--changed",
        "--dialect",
        "debian-3.0.3",
        &fixture("clean.conf"),
    ]);
    let text = stdout(&o).replace(&fixture("clean.conf"), "clean.conf");
    insta::assert_snapshot!(text);
    let o = run(&["show", "--format", "json", &fixture("unknown.conf")]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let listen = doc["settings"]
        .as_array()
        .expect("settings")
        .iter()
        .find(|s| s["name"] == "listen")
        .expect("listen")
        .clone();
    assert_eq!(listen["value"], true);
    assert_eq!(listen["line"], 2);
}

#[test]
fn human_output_is_a_stable_report() {
    let o = run(&[
        "lint",
        "--no-config",
        "--color",
        "never",
        &fixture("unknown.conf"),
    ]);
    let text = stdout(&o).replace(&fixture("unknown.conf"), "unknown.conf");
    insta::assert_snapshot!(text);
}

/// Issue 12: one unreadable path does not abort the run; it is a finding, the rest is linted, and the
/// exit status is the worst (2).
#[test]
fn unreadable_paths_become_findings_and_the_rest_is_linted() {
    let o = run(&[
        "lint",
        "--no-config",
        "/nonexistent/missing.conf",
        &fixture("unknown.conf"),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("/nonexistent/missing.conf: cannot be read, not linted"),
        "{out}"
    );
    assert!(out.contains("IO io-error"), "{out}");
    assert!(
        out.contains(
            "refuses to start: 500 OOPS: unrecognised variable in config file: Listen_port"
        ),
        "{out}"
    );
    assert!(out.contains("2 files checked: 2 errors"), "{out}");

    // A directory with a dangling *.conf link, a FIFO, a README and a .git folder.
    let dir = scratch("unreadable-walk");
    std::fs::copy(fixture("clean.conf"), dir.join("a.conf")).expect("copy");
    std::os::unix::fs::symlink(dir.join("gone"), dir.join("b.conf")).expect("symlink");
    std::fs::write(dir.join("README"), "not a config").expect("write");
    std::fs::create_dir(dir.join(".git")).expect("mkdir");
    std::fs::write(dir.join(".git/x.conf"), "junk=1\n").expect("write");
    let fifo = dir.join("pipe.conf");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let d = dir.display().to_string();
    for format in ["human", "json", "sarif", "github"] {
        let o = run(&["lint", "--no-config", "--format", format, &d]);
        assert_eq!(o.status.code(), Some(2), "{format}: {}", stdout(&o));
        let out = stdout(&o);
        assert!(out.contains("b.conf"), "{format}: {out}");
        assert!(out.contains("cannot read"), "{format}: {out}");
        assert!(out.contains("a.conf"), "{format}: {out}");
        assert!(!out.contains("x.conf"), "{format}: {out}");
    }
    let o = run(&["lint", "--no-config", "--format", "json", &d]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(doc["summary"]["files"], 2, "{doc}");
    let skipped = 2 + u64::from(made);
    assert_eq!(doc["summary"]["skipped"], skipped, "{doc}");
    assert_eq!(doc["files"][1]["startup"]["unreadable"], true, "{doc}");
    assert_eq!(doc["files"][1]["diagnostics"][0]["code"], "IO", "{doc}");
    assert!(
        doc["files"][0]["startup"].get("unreadable").is_none(),
        "{doc}"
    );
    let o = run(&["lint", "--no-config", &d]);
    assert!(
        stdout(&o).contains(&format!("({skipped} directory entries skipped")),
        "{}",
        stdout(&o)
    );
}
