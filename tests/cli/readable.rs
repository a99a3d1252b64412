//! Issue 14: human output stays readable whatever the file looks like — a few context lines per
//! label, duplicates as one line plus their line numbers, one finding per rule past the point vsftpd
//! stops reading, long lines cut, invisible bytes escaped as in every command, binary input said once.

use super::{fixture, run, scratch, stdout};

/// Human output lines and the number of findings (from the JSON of the same run).
fn lines_and_findings(path: &str) -> (String, usize) {
    let human = stdout(&run(&["lint", "--no-config", "--color", "never", path]));
    let json = run(&["lint", "--no-config", "--format", "json", path]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let findings = doc["files"][0]["diagnostics"]
        .as_array()
        .map_or(0, Vec::len);
    (human, findings)
}

/// The flood bound: about a dozen lines per finding, plus the verdict and the totals.
fn assert_bounded(human: &str, findings: usize) {
    let lines = human.lines().count();
    assert!(findings > 0, "{human}");
    assert!(
        lines <= 12 * findings + 2,
        "{lines} lines for {findings} findings:\n{human}"
    );
}

#[test]
fn issue_14_a_120_line_file_with_far_duplicates_stays_short() {
    let path = fixture("flood-120.conf");
    let (human, findings) = lines_and_findings(&path);
    assert!(findings >= 10, "{findings}");
    assert_bounded(&human, findings);
    // A duplicate is its winning line plus where the others are.
    assert!(
        human.contains("also on lines 4, 27, 46: ignored: overridden below"),
        "{human}"
    );
    insta::assert_snapshot!(human.replace(&path, "flood-120.conf"));
}

#[test]
fn issue_14_an_86_kb_file_stays_short() {
    let dir = scratch("flood-86k");
    let stock = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/debian-stock.conf"),
    )
    .expect("example");
    // A config pasted into itself 32 times, as long-lived files end up: every setting repeated.
    let mut text = Vec::new();
    while text.len() < 86 * 1024 {
        text.extend_from_slice(&stock);
    }
    let path = dir.join("pasted.conf");
    std::fs::write(&path, &text).expect("write");
    let path = path.display().to_string();
    let (human, findings) = lines_and_findings(&path);
    assert_bounded(&human, findings);
    assert!(human.contains(" and "), "line lists are capped: {human}");
    insta::assert_snapshot!(human.replace(&path, "pasted.conf"));
}

#[test]
fn issue_14_a_binary_blob_is_reported_once() {
    let dir = scratch("flood-blob");
    // A deterministic blob (a linear congruential sequence), with a few newlines like real binaries.
    let mut x: u32 = 14;
    let blob: Vec<u8> = (0..8192)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) as u8
        })
        .collect();
    let path = dir.join("blob.conf");
    std::fs::write(&path, &blob).expect("write");
    let path = path.display().to_string();
    let (human, findings) = lines_and_findings(&path);
    assert_bounded(&human, findings);
    assert_eq!(human.matches("not a text config").count(), 1, "{human}");
    assert!(!human.contains(" │ "), "no source lines: {human}");
    insta::assert_snapshot!(human.replace(&path, "blob.conf"));
}

#[test]
fn issue_14_invisible_bytes_and_long_lines_are_shown_escaped_and_cut() {
    let path = fixture("invisible.conf");
    let (human, findings) = lines_and_findings(&path);
    assert_bounded(&human, findings);
    for escaped in ["\\xef\\xbb\\xbf", "\\tanonymous_enable", "\\r"] {
        assert!(human.contains(escaped), "{escaped}: {human}");
    }
    assert!(!human.contains('\t') && !human.contains('\r') && !human.contains('\0'));
    assert!(
        human
            .lines()
            .filter(|l| l.contains(" │ "))
            .all(|l| l.chars().count() <= 130),
        "long source lines are cut: {human}"
    );
    assert!(
        human
            .lines()
            .any(|l| l.contains("banned_email_file=/etc/") && l.ends_with('…')),
        "{human}"
    );
    // The same escapes as the diff `vsconf fix` shows.
    let diff = stdout(&run(&["fix", "--unsafe", &path]));
    assert!(diff.contains("\\xef\\xbb\\xbf"), "{diff}");
    insta::assert_snapshot!(human.replace(&path, "invisible.conf"));
}

#[test]
fn issue_14_findings_past_the_line_vsftpd_stops_on_are_shown_once_per_rule() {
    let dir = scratch("flood-ignored");
    let mut text = b"# vsftpd stops at the first bad line\nlisten=on\n".to_vec();
    for i in 0..40 {
        text.extend_from_slice(format!("anon_mkdir_write_enable=maybe{i}\n").as_bytes());
    }
    let path = dir.join("ignored.conf");
    std::fs::write(&path, &text).expect("write");
    let path = path.display().to_string();
    let (human, findings) = lines_and_findings(&path);
    assert_bounded(&human, findings);
    insta::assert_snapshot!(human.replace(&path, "ignored.conf"));
}
