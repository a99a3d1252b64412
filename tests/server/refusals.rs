//! How `vsconf serve` starts: it refuses, naming the setting, where it cannot reproduce vsftpd, and with
//! vsftpd's own text where vsftpd itself refuses (it never approximates); `--bind` and `--port-offset`
//! move the listener and the passive range.

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
        ("user_config_dir", "user_config_dir=/etc/vsftpd/users"),
        ("guest_enable", "guest_enable=YES"),
        ("deny_file", "deny_file={*.mp3}"),
        ("ls_recurse_enable", "ls_recurse_enable=YES"),
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
fn local_users_are_served_only_when_chrooted() {
    let fx = Fixture::new("chroot");
    let base = "listen=YES\nlisten_port=0\nanonymous_enable=YES\nlocal_enable=YES\n";
    let conf = fx.config("c.conf", base);
    let with_users = |conf: &std::path::Path| {
        Command::new("timeout")
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
            .arg("--users")
            .arg(fx.path("users"))
            .arg(conf)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let out = with_users(&conf);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("chroot_local_user:"),
        "{out:?}"
    );
    let conf = fx.config(
        "l.conf",
        &format!("{base}chroot_local_user=YES\nchroot_list_enable=YES\n"),
    );
    let out = with_users(&conf);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("chroot_list_enable:"),
        "{out:?}"
    );
    // Without --users there are no local logins, and nothing to refuse.
    let (code, stderr) = serve_fails(&fx, &format!("{base}listen_address=localhost\n"));
    assert_ne!(code, Some(0));
    assert!(stderr.contains("bad listen_address"), "{stderr}");
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

#[test]
fn bind_and_port_offset_move_the_listener_and_the_passive_range() {
    if !crate::support::require("python3", "python3", false) {
        return;
    }
    let fx = Fixture::new("offset");
    // listen_address is not local here: --bind replaces it. The offset varies by process so that
    // parallel runs do not collide.
    let offset = 20_000 + std::process::id() % 5_000;
    let conf = fx.config(
        "o.conf",
        "listen=YES\nlisten_address=192.0.2.1\nlisten_port=2000\nanonymous_enable=YES\npasv_min_port=30000\npasv_max_port=30009\n",
    );
    let served = crate::support::serve(
        &fx,
        &conf,
        None,
        &["--bind", "127.0.0.1", "--port-offset", &offset.to_string()],
    )
    .unwrap_or_else(|e| panic!("vsconf serve failed: {e}"));
    assert_eq!(
        served.addr.to_string(),
        format!("127.0.0.1:{}", 2000 + offset)
    );
    let o = crate::support::run_session(
        None,
        "127.0.0.1",
        served.addr.port(),
        r#"[["read"],["cmd","USER anonymous"],["cmd","PASS x"],["cmd","PASV"],["cmd","EPSV"],["cmd","PASV"],["cmd","EPSV"]]"#,
    );
    assert_eq!(o.ports.len(), 4, "{o:?}");
    let (lo, hi) = (
        u16::try_from(30_000 + offset).unwrap(),
        u16::try_from(30_009 + offset).unwrap(),
    );
    assert!(
        o.ports.iter().all(|p| (lo..=hi).contains(p)),
        "{:?} not in {lo}-{hi}",
        o.ports
    );
}
