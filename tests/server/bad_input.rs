//! Bad input never hangs or stops the server: malformed commands and arguments, over-long lines,
//! control bytes, broken TLS handshakes and abrupt disconnects end at most the one session, and the next
//! client is served as usual.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::support::{Fixture, Served, require, run_session, serve};

const CONF: &str = "listen=YES\nlisten_port=0\nanonymous_enable=YES\nssl_enable=YES\nallow_anon_ssl=YES\nrsa_cert_file=@DIR@/cert.pem\nrsa_private_key_file=@DIR@/key.pem\nidle_session_timeout=5\n";

fn greeted(s: &Served) -> bool {
    let o = run_session(
        None,
        "127.0.0.1",
        s.addr.port(),
        r#"[["read"],["cmd","QUIT"]]"#,
    );
    o.replies
        == [
            vec!["220 (vsFTPd 3.0.3)".to_owned()],
            vec!["221 Goodbye.".to_owned()],
        ]
}

#[test]
fn malformed_commands_get_replies_and_the_server_keeps_serving() {
    if !require("python3", "python3", false) || !require("openssl", "openssl", false) {
        return;
    }
    let fx = Fixture::new("badcmd");
    // Links that lead out of the root must behave as missing (vsftpd's chroot makes them dangle).
    std::os::unix::fs::symlink("/etc/passwd", fx.root().join("escape")).unwrap();
    std::os::unix::fs::symlink("/etc", fx.root().join("etcdir")).unwrap();
    let conf = fx.config("b.conf", CONF);
    let s = serve(&fx, &conf, None, &[]).unwrap();
    let steps = serde_json::json!([
        ["read"],
        ["cmd", " "],
        ["cmd", "\u{0}\u{1}\u{7f}"],
        ["cmd", "USER"],
        ["cmd", "PASS x"],
        ["cmd", "USER anonymous"],
        ["cmd", "PASS"],
        ["cmd", "PORT 1,2,3"],
        ["cmd", "PORT 999,0,0,1,1,1"],
        ["cmd", "PORT 127,0,0,1,0,21"],
        ["cmd", "EPRT"],
        ["cmd", "EPRT |9|x|y|"],
        ["cmd", "EPRT |1|127.0.0.1|99999|"],
        ["cmd", "EPSV 7"],
        ["cmd", "REST -1"],
        ["cmd", "REST 99999999999999999999999"],
        ["cmd", "SIZE"],
        ["cmd", "SIZE ../../../../etc/passwd"],
        ["cmd", "CWD ../../../../../.."],
        ["cmd", "PWD"],
        ["cmd", "RETR /../../etc/passwd"],
        ["cmd", "MDTM /etc/passwd"],
        ["cmd", "TYPE Z"],
        ["cmd", "MODE Z"],
        ["cmd", "STRU Z"],
        ["cmd", "OPTS UTF8 ON"],
        ["cmd", "SITE CHMOD 777 file.txt"],
        ["cmd", "LIST"],
        ["cmd", "PBSZ x"],
        ["cmd", "PROT Z"],
        ["cmd", "ABOR"],
        ["cmd", "NOOP é ü"],
        ["cmd", "SIZE escape"],
        ["cmd", "CWD etcdir"],
        ["cmd", "MDTM escape"],
        ["cmd", "QUIT"],
    ]);
    let o = run_session(None, "127.0.0.1", s.addr.port(), &steps.to_string());
    assert_eq!(o.replies.len(), 36, "{o:?}");
    for r in &o.replies {
        let first = &r[0];
        assert!(
            first.len() >= 4 && first.as_bytes()[..3].iter().all(u8::is_ascii_digit),
            "not a reply: {r:?}"
        );
    }
    // Nothing outside the root: the path stays `/` and /etc/passwd is unknown.
    assert!(
        o.replies
            .iter()
            .any(|r| r[0] == "257 \"/\" is the current directory"),
        "{o:?}"
    );
    assert!(!o.replies.iter().any(|r| r[0].starts_with("213 ")), "{o:?}");
    // SIZE escape, CWD etcdir, MDTM escape: the links out of the root are missing.
    assert_eq!(
        o.replies[32..35],
        [
            vec!["550 Could not get file size.".to_owned()],
            vec!["550 Failed to change directory.".to_owned()],
            vec!["550 Could not get file modification time.".to_owned()],
        ],
        "{o:?}"
    );
    assert_eq!(o.replies.last().unwrap(), &["221 Goodbye."]);
    assert!(greeted(&s));
}

#[test]
fn overlong_lines_broken_tls_and_abrupt_disconnects_end_only_their_session() {
    if !require("python3", "python3", false) || !require("openssl", "openssl", false) {
        return;
    }
    let fx = Fixture::new("badconn");
    let conf = fx.config("b.conf", CONF);
    let s = serve(&fx, &conf, None, &[]).unwrap();
    // A line far over vsftpd's 4096-byte limit, without a newline for a while.
    let long = format!("NOOP {}", "a".repeat(100_000));
    let o = run_session(
        None,
        "127.0.0.1",
        s.addr.port(),
        &serde_json::json!([["read"], ["cmd", long], ["cmd", "NOOP"]]).to_string(),
    );
    assert!(o.replies.len() >= 2, "{o:?}");
    // AUTH TLS followed by plain text instead of a ClientHello.
    let mut c = TcpStream::connect(s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut buf = [0u8; 512];
    let _ = c.read(&mut buf).unwrap();
    c.write_all(b"AUTH TLS\r\n").unwrap();
    let n = c.read(&mut buf).unwrap();
    assert!(
        buf[..n].starts_with(b"234 "),
        "{:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    c.write_all(b"this is not a TLS record\r\n\r\n").unwrap();
    // The server ends this session (after at most a TLS alert): EOF or an error, never a hang.
    let mut ended = false;
    for _ in 0..10 {
        match c.read(&mut buf) {
            Ok(0) | Err(_) => {
                ended = true;
                break;
            }
            Ok(_) => {}
        }
    }
    assert!(ended);
    // Many connections closed at once, some mid-command.
    for i in 0..50 {
        let mut c = TcpStream::connect(s.addr).unwrap();
        if i % 2 == 0 {
            let _ = c.write_all(b"USER anonym");
        }
    }
    assert!(greeted(&s));
}

/// A deterministic random walk through commands and odd arguments (xorshift, fixed seed): every line
/// gets a reply, no session outlives its step timeout, and the server still greets afterwards.
#[test]
fn random_command_sequences_always_get_replies() {
    if !require("python3", "python3", false) || !require("openssl", "openssl", false) {
        return;
    }
    let fx = Fixture::new("random");
    let conf = fx.config(
        "r.conf",
        "listen=YES\nlisten_port=0\nanonymous_enable=YES\nlocal_enable=YES\nchroot_local_user=YES\nwrite_enable=YES\nanon_upload_enable=YES\naccept_timeout=1\ndelay_failed_login=0\nmax_login_fails=1000\n",
    );
    let s = serve(&fx, &conf, None, &[]).unwrap();
    let verbs = [
        "USER", "PASS", "PWD", "CWD", "CDUP", "SYST", "NOOP", "TYPE", "MODE", "STRU", "PASV",
        "EPSV", "PORT", "EPRT", "LIST", "NLST", "RETR", "STOR", "APPE", "STOU", "MKD", "RMD",
        "DELE", "RNFR", "RNTO", "SITE", "SIZE", "MDTM", "REST", "ABOR", "STAT", "HELP", "FEAT",
        "OPTS", "PBSZ", "PROT", "ALLO", "ACCT", "SMNT", "XPWD", "XYZ",
    ];
    let args = [
        "",
        "anonymous",
        "bob",
        "secret",
        "/",
        "..",
        "../../..",
        "sub",
        "up/x",
        "file.txt",
        "*",
        "{a,",
        "?",
        "-la",
        "A",
        "I",
        "L 8",
        "127,0,0,1,200,1",
        "1,2,3",
        "|1|127.0.0.1|51200|",
        "|2|::1|1|",
        "ALL",
        "1",
        "2",
        "-1",
        "99999999999999999999",
        "CHMOD 777 up",
        "UMASK 0",
        "HELP",
        "UTF8 ON",
        "P",
        "C",
        "0",
        "é",
        "\u{1}\u{7f}",
    ];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        usize::try_from(x % u64::try_from(n).unwrap()).unwrap()
    };
    for round in 0..4 {
        let mut steps = vec![
            serde_json::json!(["read"]),
            serde_json::json!(["cmd", "USER anonymous"]),
            serde_json::json!(["cmd", "PASS x"]),
        ];
        for _ in 0..80 {
            let verb = verbs[next(verbs.len())];
            let arg = args[next(args.len())];
            let line = if arg.is_empty() {
                verb.to_owned()
            } else {
                format!("{verb} {arg}")
            };
            steps.push(serde_json::json!(["cmd", line]));
        }
        let o = run_session(
            None,
            "127.0.0.1",
            s.addr.port(),
            &serde_json::Value::Array(steps).to_string(),
        );
        for r in &o.replies {
            let first = &r[0];
            let ok = first.len() >= 4 && first.as_bytes()[..3].iter().all(u8::is_ascii_digit);
            assert!(
                ok || first == "<closed>",
                "round {round}: not a reply: {r:?}\n{o:?}"
            );
        }
        assert!(
            !o.replies.iter().flatten().any(|l| l == "<timeout>"),
            "round {round}: {o:?}"
        );
        // Nothing in the walk ends a session: every step got its reply.
        assert_eq!(o.replies.len(), 83, "round {round}: {o:?}");
    }
    assert!(greeted(&s));
}
