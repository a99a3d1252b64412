//! The `vsconf firewall` command: exit codes, stdout/stderr split, --diff, --output, --apply refusal.

use std::process::Command;

fn vsconf() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vsconf"));
    // The build is detected from the host by default; these snapshots were written for upstream-3.0.5.
    c.env("VSCONF_DIALECT", "upstream-3.0.5");
    c
}

fn example(name: &str) -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/examples/firewall/").to_owned() + name + ".conf"
}

#[test]
fn rules_go_to_stdout_and_the_summary_to_stderr() {
    let out = vsconf()
        .args(["firewall", &example("plain-passive")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stdout.starts_with("#!/usr/sbin/nft -f\n"), "{stdout}");
    assert!(
        stderr.contains("passive: data ports 50000-50100/tcp opened (101 ports"),
        "{stderr}"
    );
    assert!(stderr.contains("client side of active mode"), "{stderr}");
    assert!(stderr.contains("NAT gateway in front"), "{stderr}");
    let quiet = vsconf()
        .args(["firewall", "-q", &example("plain-passive")])
        .output()
        .unwrap();
    assert!(quiet.stderr.is_empty());
    let explain = vsconf()
        .args(["firewall", "--explain", &example("plain-passive")])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(explain.stdout)
            .unwrap()
            .starts_with(&example("plain-passive"))
    );
}

#[test]
fn tls_without_range_exits_1_with_the_fix() {
    let out = vsconf()
        .args(["firewall", &example("tls-unpinned")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    // miette wraps long lines; compare with the wrapping undone.
    let stderr = String::from_utf8(out.stderr).unwrap().replace('│', " ");
    let stderr = stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        stderr.contains("vsconf::firewall::tls_unpinned_range"),
        "{stderr}"
    );
    assert!(
        stderr.contains("5001-65535 would have to be opened"),
        "{stderr}"
    );
}

#[test]
fn bad_allow_and_source_are_usage_errors() {
    let out = vsconf()
        .args(["firewall", &example("plain-passive"), "--allow", "22/icmp"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = vsconf()
        .args(["firewall", &example("plain-passive"), "--source", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = vsconf()
        .args([
            "firewall",
            &example("plain-passive"),
            "--format",
            "ufw",
            "--allow",
            "22/tcp",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("ufw allow 22/tcp")
    );
}

#[test]
fn diff_shows_changes_and_exits_1_then_0_when_equal() {
    let dir = crate::support::scratch("firewall-cli-diff");
    let file = dir.join("rules.nft");
    std::fs::write(&file, "old\n").unwrap();
    let out = vsconf()
        .args(["firewall", "-q", &example("plain-passive"), "--diff"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.contains("-old\n") && diff.contains("+table inet vsconf {\n"),
        "{diff}"
    );
    // --output writes the same bytes atomically; then --diff against it is empty.
    let out = vsconf()
        .args(["firewall", "-q", &example("plain-passive"), "--output"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let out = vsconf()
        .args(["firewall", "-q", &example("plain-passive"), "--diff"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "no temp file left"
    );
}

#[test]
fn issue_12_diff_compares_rules_not_the_path_as_typed() {
    let dir = crate::support::scratch("firewall-cli-diff-path");
    let file = dir.join("rules.nft");
    let out = vsconf()
        .args(["firewall", "-q", &example("plain-passive"), "--output"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // The same config, named by another path: the header differs, the rules do not.
    let out = vsconf()
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"))
        .args(["firewall", "-q", "./firewall/plain-passive.conf", "--diff"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());
    // A real change still shows.
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("tcp dport 21 accept", "tcp dport 2121 accept"),
    )
    .unwrap();
    let out = vsconf()
        .args(["firewall", "-q", &example("plain-passive"), "--diff"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("tcp dport 21 accept"));
}

#[test]
fn apply_refuses_when_not_root() {
    use std::os::unix::fs::PermissionsExt;
    if !crate::support::require("setpriv", "util-linux", true) {
        return;
    }
    // The unprivileged user must be able to run the binary: copy it out of a private checkout if
    // some ancestor directory is closed to others. The config comes on standard input.
    let built = std::path::PathBuf::from(env!("CARGO_BIN_EXE_vsconf"));
    let reachable = built
        .ancestors()
        .skip(1)
        .all(|d| std::fs::metadata(d).is_ok_and(|m| m.permissions().mode() & 0o001 != 0));
    let copy_dir = std::env::temp_dir().join(format!("vsconf-apply-test-{}", std::process::id()));
    let binary = if reachable {
        built
    } else {
        std::fs::create_dir_all(&copy_dir).unwrap();
        std::fs::set_permissions(&copy_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let b = copy_dir.join("vsconf");
        std::fs::copy(&built, &b).unwrap();
        b
    };
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&binary)
        .args(["firewall", "-q", "-", "--apply"])
        .stdin(std::fs::File::open(example("plain-passive")).unwrap())
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&copy_dir);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--apply needs root"), "{stderr}");
}

#[test]
fn apply_refuses_formats_without_a_loader() {
    let out = vsconf()
        .args([
            "firewall",
            "-q",
            &example("plain-passive"),
            "--format",
            "ufw",
            "--apply",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("--apply does not support --format ufw")
    );
}

#[test]
fn a_config_vsftpd_refuses_still_gets_rules_and_a_note() {
    let dir = crate::support::scratch("firewall-cli-refused");
    let conf = dir.join("bad.conf");
    std::fs::write(
        &conf,
        "listen=YES\nbogus_option=1\npasv_min_port=50000\npasv_max_port=50100\n",
    )
    .unwrap();
    let out = vsconf().args(["firewall"]).arg(&conf).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("tcp dport 50000-50100 accept")
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("vsftpd would not start with this config (\"500 OOPS: unrecognised variable in config file: bogus_option\")"),
        "{stderr}"
    );
}
