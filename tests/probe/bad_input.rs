//! The probe against misbehaving servers on 127.0.0.1: every case ends with a clear finding within
//! the probe's timeout (1 s here), never a hang or a panic.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use vsconf::probe::diagnosis::{Finding, Status, exit_status};
use vsconf::probe::{ProbeOptions, Target, TlsMode, diagnose, probe};

fn options(port: u16, implicit_tls: bool) -> ProbeOptions {
    ProbeOptions {
        target: Target {
            host: "127.0.0.1".into(),
            port,
            implicit_tls,
        },
        user: None,
        password: None,
        tls: TlsMode::Try,
        active: false,
        passive_samples: 2,
        timeout: Duration::from_secs(1),
        permissions: false,
    }
}

fn run(opts: ProbeOptions) -> Vec<Finding> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let obs = rt.block_on(probe(&opts, &|_| {})).unwrap();
    diagnose(&obs)
}

/// A server that runs `serve` on each accepted connection (in its own thread).
fn server(serve: fn(TcpStream)) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || serve(conn));
        }
    });
    port
}

#[test]
fn refused_connection_is_a_clear_error() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let f = run(options(port, false));
    assert_eq!(exit_status(&f), 2);
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].message,
        format!(
            "127.0.0.1:{port} refused the connection — nothing listens on port {port}: is vsftpd running, and are listen_port and listen_address what you think?"
        )
    );
}

#[test]
fn silent_server_times_out_on_the_greeting() {
    // The kernel completes the handshake on the backlog; nobody ever writes.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let f = run(options(port, false));
    drop(listener);
    assert_eq!(exit_status(&f), 2);
    assert_eq!(
        f[0].message,
        format!(
            "connected to 127.0.0.1:{port}, but no greeting arrived within 1s — the server accepts connections and never answers (a stuck server, tcp_wrappers, implicit FTPS (try ftps://), or not FTP)"
        )
    );
}

#[test]
fn garbage_greeting_is_not_ftp() {
    let port = server(|mut c| {
        let _ = c.write_all(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
        std::thread::sleep(Duration::from_secs(2));
    });
    let f = run(options(port, false));
    assert_eq!(exit_status(&f), 2);
    assert_eq!(
        f[0].message,
        format!(
            "127.0.0.1:{port} does not speak FTP: the server sent something that is not an FTP reply: \"SSH-2.0-OpenSSH_9.2p1 Debian-2\""
        )
    );
}

#[test]
fn ten_megabyte_line_is_cut_off() {
    let port = server(|mut c| {
        let _ = c.write_all(b"220 ");
        let chunk = vec![b'a'; 64 * 1024];
        for _ in 0..160 {
            if c.write_all(&chunk).is_err() {
                return;
            }
        }
    });
    let f = run(options(port, false));
    assert_eq!(exit_status(&f), 2);
    assert_eq!(
        f[0].message,
        format!(
            "127.0.0.1:{port} does not speak FTP: the server sent a line longer than 8192 bytes without a line end"
        )
    );
}

#[test]
fn endless_multiline_reply_is_cut_off() {
    let port = server(|mut c| {
        let _ = c.write_all(b"220-welcome\r\n");
        for _ in 0..100_000 {
            if c.write_all(b"220-more\r\n").is_err() {
                return;
            }
        }
    });
    let f = run(options(port, false));
    assert_eq!(exit_status(&f), 2);
    assert_eq!(
        f[0].message,
        format!(
            "127.0.0.1:{port} does not speak FTP: the server sent a reply of more than 512 lines"
        )
    );
}

/// Offers AUTH TLS, refuses logins, and answers the handshake with plain text.
fn fake_tls_server(mut c: TcpStream) {
    let _ = c.write_all(b"220 fake\r\n");
    let mut reader = BufReader::new(c.try_clone().unwrap());
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
        let reply: &[u8] = match line.trim_end() {
            "FEAT" => b"211-Features:\r\n AUTH TLS\r\n PASV\r\n211 End\r\n",
            "AUTH TLS" => b"234 Proceed with negotiation.\r\n",
            l if l.starts_with("USER") => b"530 This FTP server is anonymous only.\r\n",
            "QUIT" => b"221 Goodbye.\r\n",
            _ => b"500 Unknown command.\r\n",
        };
        if c.write_all(reply).is_err() {
            return;
        }
        if line.trim_end() == "AUTH TLS" {
            // Whatever the client's ClientHello says, answer with something that is not TLS.
            let _ = c.write_all(b"HTTP/1.0 400 Bad Request\r\n\r\n");
            std::thread::sleep(Duration::from_millis(200));
            return;
        }
        line.clear();
    }
}

#[test]
fn tls_handshake_failure_is_reported() {
    let port = server(fake_tls_server);
    let f = run(options(port, false));
    assert_eq!(exit_status(&f), 1);
    let tls = f.iter().find(|f| f.code == "tls-failed").unwrap();
    assert_eq!(tls.status, Status::Fail);
    assert!(
        tls.message
            .starts_with("TLS on the control connection failed: TLS handshake failed: "),
        "{}",
        tls.message
    );
    assert!(f.iter().any(|f| f.message
        == "login as anonymous without TLS failed: \"530 This FTP server is anonymous only.\""));
}

#[test]
fn implicit_tls_to_a_plain_server_is_a_clear_error() {
    let port = server(|mut c| {
        let _ = c.write_all(b"220 plain server\r\n");
        std::thread::sleep(Duration::from_millis(500));
    });
    let f = run(options(port, true));
    assert_eq!(exit_status(&f), 2);
    assert!(
        f[0].message.starts_with(&format!(
            "the TLS handshake with 127.0.0.1:{port} failed (TLS handshake failed: "
        )),
        "{}",
        f[0].message
    );
    assert!(f[0].message.ends_with(
        "is this implicit FTPS (implicit_ssl=YES)? for explicit FTPS use ftp:// (AUTH TLS)"
    ));
}

#[test]
fn binary_exit_status_and_stdout_json_on_refusal() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vsconf"))
        .args([
            "probe",
            &format!("ftp://127.0.0.1:{port}"),
            "--format",
            "json",
            "--timeout",
            "1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["findings"][0]["status"], "error");
    // Issue 14: progress is drawn only on a terminal; a pipe gets the report alone.
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("connecting to 127.0.0.1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bad_url_is_a_usage_error() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vsconf"))
        .args(["probe", "http://x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the scheme must be ftp:// or ftps://"));
}

#[test]
fn garbage_after_the_greeting_ends_the_session_with_a_message() {
    let port = server(|mut c| {
        let _ = c.write_all(b"220 ok\r\n");
        let mut reader = BufReader::new(c.try_clone().unwrap());
        let mut line = String::new();
        if reader.read_line(&mut line).is_ok() {
            let _ = c.write_all(b"HELLO\r\n");
        }
        std::thread::sleep(Duration::from_millis(300));
    });
    let f = run(options(port, false));
    assert_eq!(exit_status(&f), 1);
    assert!(
        f.iter().any(|f| f.message
            == "the plain session ended before login: the server sent something that is not an FTP reply: \"HELLO\""),
        "{f:#?}"
    );
}
