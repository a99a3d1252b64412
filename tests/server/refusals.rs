//! `vsconf serve` refuses to start, naming the setting, where it cannot reproduce vsftpd, and with
//! vsftpd's own text where vsftpd itself refuses; it never approximates.

use std::process::Command;

use crate::support::Fixture;

fn serve_fails(fx: &Fixture, text: &str) -> (Option<i32>, String) {
    let conf = fx.config("r.conf", text);
    let out = Command::new("timeout")
        .args([
            "-s",
            "KILL",
            "20",
            env!("CARGO_BIN_EXE_vsconf"),
            "serve",
            "--dialect",
            "debian-3.0.3",
            "--root",
        ])
        .arg(fx.root())
        .arg(&conf)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    // miette wraps long messages: compare with whitespace runs (and its frame characters) collapsed.
    let words: Vec<&str> = std::str::from_utf8(&out.stderr)
        .unwrap_or("")
        .split_whitespace()
        .filter(|w| !matches!(*w, "│" | "×"))
        .collect();
    (out.status.code(), words.join(" "))
}

#[test]
fn unsupported_settings_are_refused_by_name() {
    let fx = Fixture::new("refuse");
    for (setting, line) in [
        ("userlist_enable", "userlist_enable=YES"),
        ("guest_enable", "guest_enable=YES"),
        ("deny_file", "deny_file={*.mp3}"),
        ("anon_max_rate", "anon_max_rate=1000"),
        ("listen", "listen=NO"),
    ] {
        let (code, stderr) = serve_fails(
            &fx,
            &format!("listen=YES\nlisten_port=0\nanonymous_enable=YES\n{line}\n"),
        );
        assert_ne!(code, Some(0), "{line}: {stderr}");
        assert!(!stderr.contains("listening on"), "{line}: {stderr}");
        assert!(stderr.contains(&format!("{setting}:")), "{line}: {stderr}");
    }
}

#[test]
fn vsftpd_startup_refusals_keep_vsftpd_text() {
    let fx = Fixture::new("oops");
    for (line, text) in [
        (
            "listen_ipv6=YES",
            "500 OOPS: run two copies of vsftpd for IPv4 and IPv6",
        ),
        (
            "listen_address=localhost",
            "500 OOPS: bad listen_address: localhost",
        ),
        (
            "ssl_enable=YES\nrsa_cert_file=/nonexistent.pem",
            "500 OOPS: SSL: cannot load RSA certificate",
        ),
    ] {
        let (code, stderr) = serve_fails(
            &fx,
            &format!("listen=YES\nlisten_port=0\nanonymous_enable=YES\n{line}\n"),
        );
        assert_ne!(code, Some(0), "{line}: {stderr}");
        assert!(stderr.contains(text), "{line}: {stderr}");
    }
}
