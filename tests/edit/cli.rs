//! The built binary: preview, `--check`, `--write`, `--backup`, `--force`, exit codes.

use std::os::unix::fs::PermissionsExt;

use crate::support::{code, file, fixture, scratch, stderr, stdout, vsconf};

const DEBIAN: &str = "--dialect=debian-3.0.3";
const BASE: &[u8] = b"listen=YES\nanonymous_enable=NO\nlocal_enable=YES\n#write_enable=YES\n";

#[test]
fn set_previews_and_changes_nothing() {
    let dir = scratch("set_preview");
    let path = file(&dir, "vsftpd.conf", BASE);
    let p = path.to_str().unwrap();
    let o = vsconf(&["set", p, "write_enable=YES", DEBIAN]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        format!(
            "--- {p} (current)\n+++ {p} (proposed)\n@@ -2,3 +2,4 @@\n anonymous_enable=NO\n local_enable=YES\n #write_enable=YES\n+write_enable=YES\n"
        )
    );
    assert!(stderr(&o).contains("preview only: nothing written (add --write to apply)"));
    assert_eq!(std::fs::read(&path).unwrap(), BASE);
}

#[test]
fn check_exits_one_only_when_the_file_would_change() {
    let dir = scratch("check");
    let path = file(&dir, "vsftpd.conf", BASE);
    let p = path.to_str().unwrap();
    assert_eq!(
        code(&vsconf(&[
            "set",
            p,
            "local_enable=NO",
            "anonymous_enable=YES",
            "--check",
            DEBIAN
        ])),
        1
    );
    assert_eq!(
        code(&vsconf(&["set", p, "local_enable=YES", "--check", DEBIAN])),
        0
    );
    assert_eq!(code(&vsconf(&["fix", p, "--check", DEBIAN])), 0);
    assert_eq!(std::fs::read(&path).unwrap(), BASE);
}

#[test]
fn write_applies_and_keeps_the_mode() {
    let dir = scratch("write");
    let path = file(&dir, "vsftpd.conf", BASE);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let p = path.to_str().unwrap();
    let o = vsconf(&[
        "set",
        p,
        "pasv_min_port=50000",
        "pasv_max_port=50100",
        "--write",
        "--backup",
        DEBIAN,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let mut expected = BASE.to_vec();
    expected.extend_from_slice(b"pasv_min_port=50000\npasv_max_port=50100\n");
    assert_eq!(std::fs::read(&path).unwrap(), expected);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o7777,
        0o640
    );
    assert_eq!(std::fs::read(dir.join("vsftpd.conf.~1~")).unwrap(), BASE);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        2,
        "only the file and its backup"
    );
    assert!(stderr(&o).contains(&format!("wrote {p} (old file kept as {p}.~1~)")));
    // A second backup gets the next number; the first is never overwritten.
    let o = vsconf(&[
        "set",
        p,
        "pasv_max_port=50200",
        "--write",
        "--backup",
        DEBIAN,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(std::fs::read(dir.join("vsftpd.conf.~1~")).unwrap(), BASE);
    assert_eq!(
        std::fs::read(dir.join("vsftpd.conf.~2~")).unwrap(),
        expected
    );
    assert!(stderr(&o).contains(&format!("wrote {p} (old file kept as {p}.~2~)")));
}

#[test]
fn issue_12_read_only_config_is_refused_unless_forced() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = scratch("read-only");
    let path = file(&dir, "vsftpd.conf", BASE);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let p = path.to_str().unwrap();
    let o = vsconf(&[
        "set",
        p,
        "pasv_min_port=50000",
        "pasv_max_port=50100",
        "--write",
        DEBIAN,
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("vsconf::edit::read_only"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("0444"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&path).unwrap(), BASE);
    let o = vsconf(&[
        "set",
        p,
        "pasv_min_port=50000",
        "pasv_max_port=50100",
        "--write",
        "--force",
        DEBIAN,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_ne!(std::fs::read(&path).unwrap(), BASE);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o7777,
        0o444
    );
}

#[test]
fn a_change_that_stops_vsftpd_is_refused_unless_forced() {
    let dir = scratch("refuse");
    let path = file(&dir, "vsftpd.conf", BASE);
    let p = path.to_str().unwrap();
    let o = vsconf(&["set", p, "listen_ipv6=YES", "--write", DEBIAN]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("vsftpd before: starts (standalone, IPv4)"),
        "{err}"
    );
    assert!(
        err.contains(
            "vsftpd after:  refuses to start: 500 OOPS: run two copies of vsftpd for IPv4 and IPv6"
        ),
        "{err}"
    );
    assert!(err.contains("vsconf::edit::would_refuse"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), BASE);
    let o = vsconf(&["set", p, "listen_ipv6=YES", "--write", "--force", DEBIAN]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        std::fs::read(&path)
            .unwrap()
            .ends_with(b"listen_ipv6=YES\n")
    );
}

#[test]
fn bad_values_and_names_exit_two_with_help() {
    let dir = scratch("bad");
    let path = file(&dir, "vsftpd.conf", BASE);
    let p = path.to_str().unwrap();
    let o = vsconf(&["set", p, "Ftp_date_port=20", DEBIAN]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("did you mean `ftp_data_port`?"),
        "{}",
        stderr(&o)
    );
    let o = vsconf(&["set", p, "local_umask=22", DEBIAN]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("write `022`"), "{}", stderr(&o));
    let o = vsconf(&["set", p, "listen", DEBIAN]);
    assert_eq!(code(&o), 2, "clap refuses an argument without `=`");
    assert_eq!(std::fs::read(&path).unwrap(), BASE);
}

#[test]
fn unset_removes_every_line_of_the_setting() {
    let dir = scratch("unset");
    let path = file(
        &dir,
        "vsftpd.conf",
        b"listen=YES\nlocal_enable=YES\nwrite_enable=NO\nwrite_enable=YES\n",
    );
    let p = path.to_str().unwrap();
    let o = vsconf(&["unset", p, "write_enable", "--write", DEBIAN]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("note: write_enable: removed lines 3, 4"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"listen=YES\nlocal_enable=YES\n"
    );
}

#[test]
fn fix_writes_the_article_snippet_into_a_starting_config() {
    let dir = scratch("fix_article");
    let path = file(
        &dir,
        "vsftpd.conf",
        &std::fs::read(fixture("article.conf")).unwrap(),
    );
    let p = path.to_str().unwrap();
    let o = vsconf(&["fix", p, "--write", DEBIAN]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("note: line 7: rename to `ftp_data_port` [VSC001 unrecognised-variable]"),
        "{err}"
    );
    assert!(
        err.contains("vsftpd after:  starts (standalone, IPv4)"),
        "{err}"
    );
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert!(fixed.contains(
        "\nport_enable=YES\nconnect_from_port_20=YES\nftp_data_port=20\npasv_enable=YES\n"
    ));
    // A second run finds nothing: fix is idempotent on the file system too.
    let o = vsconf(&["fix", p, "--check", DEBIAN]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing to change"));
}

#[test]
fn diff_exit_code_says_whether_the_effective_config_changed() {
    let dir = scratch("diff_exit");
    let a = file(&dir, "a.conf", b"listen=YES\n# comment\n");
    let b = file(&dir, "b.conf", b"listen=yes\n");
    let c = file(&dir, "c.conf", b"listen=YES\nlisten_port=2121\n");
    let (a, b, c) = (
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        c.to_str().unwrap(),
    );
    assert_eq!(code(&vsconf(&["diff", a, b, DEBIAN])), 0);
    let o = vsconf(&["diff", a, c, DEBIAN]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("  ports    changed   control port 21 → 2121\n"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("  opened: 2121\n  closed: 21\n"),
        "{}",
        stdout(&o)
    );
    let o = vsconf(&["diff", a, c, DEBIAN, "--format=json", "--text"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["changes"][0]["name"], "listen_port");
    assert_eq!(json["firewall"]["opened"][0]["first"], 2121);
    assert_eq!(json["firewall_rules"]["changed"], true);
    assert!(
        json["firewall_rules"]["nft_diff"]
            .as_str()
            .unwrap()
            .contains("+\t\tmeta nfproto ipv4 tcp dport 2121 accept"),
        "{}",
        json["firewall_rules"]
    );
    assert!(
        json["text_diff"]
            .as_str()
            .unwrap()
            .contains("+listen_port=2121\n")
    );
}

#[test]
fn new_prints_to_stdout_without_a_file_and_creates_one_with_write() {
    let o = vsconf(&["new", "--profile=anonymous-download", DEBIAN]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o)
            .starts_with("# vsftpd configuration: profile anonymous-download for debian-3.0.3")
    );
    let dir = scratch("new_write");
    let path = dir.join("vsftpd.conf");
    let p = path.to_str().unwrap();
    let o = vsconf(&["new", "--profile=local-tls", p, "--write", DEBIAN]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).starts_with("--- /dev/null\n"));
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let o = vsconf(&["new", "--profile=local-tls", p, "--check", DEBIAN]);
    assert_eq!(
        code(&o),
        0,
        "the file now matches the profile: {}",
        stderr(&o)
    );
    let o = vsconf(&["new", "--profile=local-tls", "--write", DEBIAN]);
    assert_eq!(code(&o), 2, "--write needs a file");
}

#[test]
fn write_into_a_missing_directory_fails_cleanly() {
    let o = vsconf(&[
        "new",
        "--profile=local-tls",
        "/nonexistent-vsconf-dir/vsftpd.conf",
        "--write",
        DEBIAN,
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("vsconf::edit::temp_file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn edits_honour_vsconf_toml() {
    let dir = scratch("settings");
    let settings = file(
        &dir,
        "vsconf.toml",
        b"dialect = \"debian-3.0.3\"\n[rules]\nignore = [\"VSC207\", \"VSC001\"]\n",
    );
    let path = file(
        &dir,
        "vsftpd.conf",
        b"listen=YES\nlocal_enable=YES\nlisten=YES\n",
    );
    let (p, s) = (path.to_str().unwrap(), settings.to_str().unwrap());
    let o = vsconf(&["fix", p, "--config", s]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("nothing to change"),
        "VSC207 is off: {}",
        stderr(&o)
    );
    // A line vsftpd refuses cannot be switched off (issue 11): its safe fix is still offered.
    std::fs::write(&path, b"listen=YES\nlocal_enable=YES\nListen=YES\n").unwrap();
    let o = vsconf(&["fix", p, "--config", s]);
    assert!(
        stderr(&o).contains("rename to `listen`"),
        "VSC001 is fatal here: {}",
        stderr(&o)
    );
    // The dialect comes from the settings: utf8_filesystem exists only in debian-3.0.3.
    let o = vsconf(&["set", p, "utf8_filesystem=YES", "--config", s]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = vsconf(&["set", p, "utf8_filesystem=YES", "--no-config"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn fix_cleans_a_messy_crlf_file_safe_fixes_first() {
    let dir = scratch("fix_messy");
    let path = file(
        &dir,
        "vsftpd.conf",
        &std::fs::read(fixture("messy.conf")).unwrap(),
    );
    let p = path.to_str().unwrap();
    let o = vsconf(&["fix", p, "--write", DEBIAN]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("vsftpd after:  starts (standalone, IPv4)"),
        "{}",
        stderr(&o)
    );
    let safe = "listen=YES\n# indented comment\n# on\nlocal_enable=YES\nanonymous_enable=NO\nlocal_umask=22\npasv_min_port=040000\n";
    assert_eq!(std::fs::read_to_string(&path).unwrap(), safe);
    let o = vsconf(&["fix", p, "--write", "--unsafe", DEBIAN]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // The unsafe fixes see the file after the safe ones: `listen=YES` stays where it was.
    let all = "listen=YES\n# indented comment\n# on\nlocal_enable=YES\nanonymous_enable=NO\nlocal_umask=022\npasv_min_port=40000\n";
    assert_eq!(std::fs::read_to_string(&path).unwrap(), all);
}
