//! Load and faults: the embedded server (`vsconf serve`, a child process) under 1,000 concurrent
//! sessions, slow clients, clients that vanish mid-transfer, and `max_clients` / `max_per_ip` under
//! load. It keeps serving everyone else, its memory stays bounded, and every session's descriptors are
//! released when the session ends.
//!
//! The replies are vsftpd's texts from `vsconf::ftp::texts` (their one home), and the limits are
//! compared live with the real vsftpd (`limits_under_load_match_the_real_vsftpd`). Clients connect
//! from several loopback addresses (127.0.1.x, all local on Linux) because vsftpd's default
//! `max_per_ip=50` would refuse the 51st session from one address.

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use vsconf::ftp::texts;

use crate::support::{Fixture, Netns, require, run_session, serve};

/// The sessions the big test holds open at once.
const CONNECTIONS: usize = 1000;
/// Sessions per client address: vsftpd's default `max_per_ip`.
const PER_ADDRESS: usize = 50;
/// The bound on what the open sessions add to the server's resident memory, per session. Measured at
/// about 8.5 KiB (12 MiB idle, 20.6 MiB with 1,000 sessions, debug build; docs/server.md): the bound
/// leaves room for allocator slack and fails if a session ever costs three times that.
const MAX_KIB_PER_SESSION: u64 = 24;

/// Raises this process's soft limit on open files (the server child inherits it) so that both ends of
/// `CONNECTIONS` sessions fit; `prlimit` changes only the soft limit, up to the hard one.
fn raise_open_files(need: u64) {
    let soft = open_files_limit();
    if soft >= need {
        return;
    }
    let status = std::process::Command::new("prlimit")
        .args([
            "--pid",
            &std::process::id().to_string(),
            &format!("--nofile={need}:"),
        ])
        .status();
    assert!(
        status.is_ok_and(|s| s.success()) && open_files_limit() >= need,
        "the open-files limit is {soft} and cannot be raised to {need} (ulimit -n; the hard limit is too low)"
    );
}

fn open_files_limit() -> u64 {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
    limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX)
}

/// The server process's resident memory (`VmRSS`, KiB).
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap()
}

/// The server process's open descriptors.
fn fd_count(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count()
}

/// Waits (at most 20 s) until the server holds no more descriptors than `baseline`; returns the count.
fn settle_fds(pid: u32, baseline: usize) -> usize {
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        let n = fd_count(pid);
        if n <= baseline || Instant::now() > end {
            return n;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A blocking TCP connection from `from` (std cannot bind before connecting; tokio's socket can).
fn connect_from(from: IpAddr, to: SocketAddr) -> TcpStream {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    let stream = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(SocketAddr::new(from, 0)).unwrap();
        socket.connect(to).await.unwrap()
    });
    let stream = stream.into_std().unwrap();
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
}

/// A control connection from a chosen local address, read reply by reply.
struct Client {
    stream: TcpStream,
    pending: Vec<u8>,
}

impl Client {
    /// Connects from `from` (port chosen by the kernel) to `to`.
    fn connect(from: IpAddr, to: SocketAddr) -> Client {
        Client {
            stream: connect_from(from, to),
            pending: Vec::new(),
        }
    }

    /// The next reply's lines (without CRLF); `None` on end of stream or a reset.
    fn reply(&mut self) -> Option<Vec<String>> {
        let mut lines = Vec::new();
        loop {
            while let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.pending.drain(..=end).collect();
                let line = String::from_utf8_lossy(&line).trim_end().to_owned();
                // The last line of a reply is its code and a space (`230 Login successful.`).
                let code = lines.first().unwrap_or(&line).get(..3).map(str::to_owned);
                let last =
                    line.as_bytes().get(3) == Some(&b' ') && line.get(..3) == code.as_deref();
                lines.push(line);
                if last {
                    return Some(lines);
                }
            }
            let mut buf = [0u8; 4096];
            match self.stream.read(&mut buf) {
                Ok(0) => return None,
                Ok(n) => self.pending.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::ConnectionReset => return None,
                Err(e) => panic!("reading a reply: {e}"),
            }
        }
    }

    /// Whether the server closed the connection (end of stream or reset, nothing more to read).
    fn closed(&mut self) -> bool {
        self.pending.is_empty() && self.reply().is_none()
    }

    fn send(&mut self, line: &str) {
        self.stream
            .write_all(format!("{line}\r\n").as_bytes())
            .unwrap();
    }

    fn command(&mut self, line: &str) -> Vec<String> {
        self.send(line);
        self.reply()
            .unwrap_or_else(|| panic!("{line}: connection closed"))
    }
}

/// 127.0.1.1, 127.0.1.2, …: the client address of session `i`, `PER_ADDRESS` sessions each.
fn source(i: usize) -> IpAddr {
    let n = u8::try_from(i / PER_ADDRESS + 1).unwrap();
    IpAddr::from([127, 0, 1, n])
}

/// The greeting of debian-3.0.3 (`vsconf serve --dialect debian-3.0.3`, Debian 12's vsftpd).
fn greeting() -> Vec<String> {
    vec![format!("220 {}", texts::default_banner("3.0.3"))]
}

fn line(t: texts::Text) -> Vec<String> {
    vec![t.line()]
}

/// A complete anonymous session with a download still works.
fn serves_a_download(addr: SocketAddr) {
    let o = run_session(
        None,
        "127.0.0.1",
        addr.port(),
        r#"[["read"],["cmd","USER anonymous"],["cmd","PASS x"],["data","RETR file.txt","pasv",null],["cmd","QUIT"]]"#,
    );
    assert_eq!(o.data, vec!["hello\n".to_owned()], "{o:?}");
    assert_eq!(o.replies.last().unwrap(), &["221 Goodbye."], "{o:?}");
}

#[test]
fn a_thousand_sessions_at_once_are_served_in_bounded_memory() {
    if !require("python3", "python3", false) || !require("prlimit", "util-linux", false) {
        return;
    }
    raise_open_files(3 * CONNECTIONS as u64 + 200);
    let fx = Fixture::new("load");
    // vsftpd's defaults: max_clients=2000, max_per_ip=50.
    let conf = fx.config(
        "l.conf",
        "listen=YES\nlisten_port=0\nanonymous_enable=YES\n",
    );
    let s = serve(&fx, &conf, None, &[]).unwrap();
    let pid = s.child.0.id();
    let to = SocketAddr::new(IpAddr::from([127, 0, 0, 1]), s.addr.port());
    let fds_idle = fd_count(pid);
    let rss_idle = rss_kib(pid);

    let mut clients: Vec<Client> = (0..CONNECTIONS)
        .map(|i| Client::connect(source(i), to))
        .collect();
    for (i, c) in clients.iter_mut().enumerate() {
        assert_eq!(c.reply(), Some(greeting()), "session {i}");
    }
    // The 51st session from one address is refused before the greeting, and closed.
    let mut over = Client::connect(source(0), to);
    assert_eq!(over.reply(), Some(line(texts::TOO_MANY_FROM_IP)));
    assert!(over.closed());
    // Every session logs in while all are open: a command to each, then each reply.
    for (command, answer) in [
        ("USER anonymous", texts::SPECIFY_PASSWORD),
        ("PASS x", texts::LOGIN_OK),
        ("NOOP", texts::NOOP),
    ] {
        for c in &mut clients {
            c.send(command);
        }
        for (i, c) in clients.iter_mut().enumerate() {
            assert_eq!(c.reply(), Some(line(answer)), "session {i}: {command}");
        }
    }
    let rss_loaded = rss_kib(pid);
    let fds_loaded = fd_count(pid);
    serves_a_download(s.addr);
    eprintln!(
        "load: {CONNECTIONS} sessions: RSS {rss_idle} KiB idle, {rss_loaded} KiB loaded; fds {fds_idle} idle, {fds_loaded} loaded"
    );
    assert!(
        fds_loaded >= fds_idle + CONNECTIONS,
        "one descriptor per session: {fds_loaded}"
    );
    let bound = rss_idle + MAX_KIB_PER_SESSION * CONNECTIONS as u64;
    assert!(
        rss_loaded <= bound,
        "{rss_loaded} KiB resident with {CONNECTIONS} sessions, {rss_idle} KiB idle (bound {bound} KiB)"
    );
    // Half leave politely, half vanish: every descriptor comes back.
    for (i, c) in clients.iter_mut().enumerate() {
        if i % 2 == 0 {
            assert_eq!(c.command("QUIT"), line(texts::GOODBYE));
        }
    }
    drop(clients);
    let fds_after = settle_fds(pid, fds_idle);
    assert!(
        fds_after <= fds_idle,
        "{fds_after} descriptors left, {fds_idle} before the load"
    );
}

#[test]
fn max_clients_refuses_exactly_the_sessions_over_the_limit() {
    if !require("python3", "python3", false) || !require("prlimit", "util-linux", false) {
        return;
    }
    raise_open_files(3 * CONNECTIONS as u64 + 200);
    const MAX: usize = 600;
    let fx = Fixture::new("maxcl");
    let conf = fx.config(
        "m.conf",
        &format!(
            "listen=YES\nlisten_port=0\nanonymous_enable=YES\nmax_clients={MAX}\nmax_per_ip=0\n"
        ),
    );
    let s = serve(&fx, &conf, None, &[]).unwrap();
    let to = SocketAddr::new(IpAddr::from([127, 0, 0, 1]), s.addr.port());
    let mut greeted = Vec::new();
    let mut refused = 0;
    for i in 0..CONNECTIONS {
        let mut c = Client::connect(source(i), to);
        let first = c.reply();
        if i < MAX {
            assert_eq!(first, Some(greeting()), "session {i}");
            greeted.push(c);
        } else {
            // vsftpd sends this instead of the greeting and closes the connection.
            assert_eq!(first, Some(line(texts::TOO_MANY_USERS)), "session {i}");
            assert!(c.closed(), "session {i} stays open after the refusal");
            refused += 1;
        }
    }
    assert_eq!((greeted.len(), refused), (MAX, CONNECTIONS - MAX));
    // A session that ends makes room for exactly one more.
    assert_eq!(greeted.pop().unwrap().command("QUIT"), line(texts::GOODBYE));
    let end = Instant::now() + Duration::from_secs(10);
    let mut next = loop {
        let mut c = Client::connect(source(0), to);
        match c.reply() {
            Some(r) if r == greeting() => break c,
            r => {
                assert_eq!(r, Some(line(texts::TOO_MANY_USERS)));
                assert!(Instant::now() < end, "no room after a session ended");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    };
    assert_eq!(next.command("NOOP"), line(texts::LOGIN_FIRST));
    let mut over = Client::connect(source(1), to);
    assert_eq!(over.reply(), Some(line(texts::TOO_MANY_USERS)));
}

#[test]
fn slow_clients_time_out_per_command_and_hold_up_no_one() {
    if !require("python3", "python3", false) {
        return;
    }
    let fx = Fixture::new("slow");
    let conf = fx.config(
        "s.conf",
        "listen=YES\nlisten_port=0\nanonymous_enable=YES\nidle_session_timeout=2\n",
    );
    let s = serve(&fx, &conf, None, &[]).unwrap();
    let pid = s.child.0.id();
    let to = SocketAddr::new(IpAddr::from([127, 0, 0, 1]), s.addr.port());
    let fds_idle = fd_count(pid);
    // 100 send half a command and stop; 100 trickle a byte every 0.4 s and never end the line (an
    // idle timer reset by each read would keep them forever); 50 send 8 KiB with no newline.
    let mut halves: Vec<Client> = (0..100).map(|i| Client::connect(source(i), to)).collect();
    let mut tricklers: Vec<Client> = (100..200).map(|i| Client::connect(source(i), to)).collect();
    let mut floods: Vec<Client> = (200..250).map(|i| Client::connect(source(i), to)).collect();
    for c in halves.iter_mut().chain(&mut tricklers).chain(&mut floods) {
        assert_eq!(c.reply(), Some(greeting()));
    }
    for c in &mut halves {
        c.stream.write_all(b"NOO").unwrap();
    }
    for c in &mut floods {
        c.stream.write_all(&[b'a'; 8192]).unwrap();
    }
    for c in &mut floods {
        assert_eq!(c.reply(), Some(line(texts::INPUT_TOO_LONG)));
        assert!(c.closed());
    }
    // Trickle for at most three idle timeouts; the server must answer each trickler meanwhile.
    let mut answered = vec![false; tricklers.len()];
    for round in 0..15 {
        if answered.iter().all(|a| *a) {
            break;
        }
        for (c, a) in tricklers.iter_mut().zip(&mut answered) {
            // Stop writing once the server has answered, so that its reply is not lost to a reset.
            c.stream.set_nonblocking(true).unwrap();
            let mut peek = [0u8; 1];
            *a = !matches!(c.stream.peek(&mut peek), Err(e) if e.kind() == ErrorKind::WouldBlock);
            c.stream.set_nonblocking(false).unwrap();
            if !*a {
                c.stream.write_all(b"N").unwrap();
            }
        }
        // Everyone else is served meanwhile.
        if round == 0 {
            serves_a_download(s.addr);
        }
        std::thread::sleep(Duration::from_millis(400));
    }
    let held = answered.iter().filter(|a| !**a).count();
    assert_eq!(
        held, 0,
        "tricklers still held after 15 bytes each, 0.4 s apart"
    );
    for (i, c) in halves.iter_mut().chain(&mut tricklers).enumerate() {
        assert_eq!(
            c.reply(),
            Some(line(texts::IDLE_TIMEOUT)),
            "slow client {i}"
        );
        assert!(c.closed(), "slow client {i}");
    }
    serves_a_download(s.addr);
    drop((halves, tricklers, floods));
    let fds_after = settle_fds(pid, fds_idle);
    assert!(
        fds_after <= fds_idle,
        "{fds_after} descriptors left, {fds_idle} before"
    );
}

/// Logs in anonymously, switches to binary and opens a passive data connection.
fn passive(c: &mut Client, to: SocketAddr) -> TcpStream {
    assert_eq!(c.reply(), Some(greeting()));
    c.command("USER anonymous");
    assert_eq!(c.command("PASS x"), line(texts::LOGIN_OK));
    c.command("TYPE I");
    let pasv = c.command("PASV");
    let numbers: Vec<u16> = pasv[0]
        .split(['(', ')'])
        .nth(1)
        .unwrap()
        .split(',')
        .map(|n| n.parse().unwrap())
        .collect();
    let port = numbers[4] * 256 + numbers[5];
    // The data connection comes from the control connection's address (pasv_promiscuous=NO).
    connect_from(
        c.stream.local_addr().unwrap().ip(),
        SocketAddr::new(to.ip(), port),
    )
}

#[test]
fn clients_that_vanish_mid_transfer_leave_nothing_behind() {
    if !require("python3", "python3", false) {
        return;
    }
    let fx = Fixture::new("vanish");
    let big = vec![0x5au8; 16 << 20];
    std::fs::write(fx.root().join("big.bin"), &big).unwrap();
    let conf = fx.config(
        "v.conf",
        "listen=YES\nlisten_port=0\nanonymous_enable=YES\nwrite_enable=YES\nanon_upload_enable=YES\n",
    );
    let s = serve(&fx, &conf, None, &[]).unwrap();
    let pid = s.child.0.id();
    let to = SocketAddr::new(IpAddr::from([127, 0, 0, 1]), s.addr.port());
    let fds_idle = fd_count(pid);
    let mut gone = Vec::new();
    for i in 0..60 {
        let mut c = Client::connect(source(i), to);
        let mut data = passive(&mut c, to);
        if i % 3 == 2 {
            // An upload that stops after 64 KiB, then both connections vanish.
            c.send(&format!("STOR up/part{i}.bin"));
            assert_eq!(c.reply().unwrap()[0].get(..4), Some("150 "));
            data.write_all(&big[..64 << 10]).unwrap();
        } else {
            c.send("RETR big.bin");
            assert_eq!(c.reply().unwrap()[0].get(..4), Some("150 "));
            let mut got = vec![0u8; 64 << 10];
            data.read_exact(&mut got).unwrap();
        }
        // Some lose only the control connection first, some only the data connection first.
        if i % 2 == 0 {
            gone.push((Some(data), None));
            drop(c);
        } else {
            gone.push((None, Some(c)));
            drop(data);
        }
    }
    serves_a_download(s.addr);
    drop(gone);
    serves_a_download(s.addr);
    let fds_after = settle_fds(pid, fds_idle);
    assert!(
        fds_after <= fds_idle,
        "{fds_after} descriptors left, {fds_idle} before"
    );
    let stats = std::fs::read_dir(fx.root().join("up")).unwrap().count();
    assert_eq!(
        stats, 20,
        "each interrupted upload leaves its partial file, as vsftpd does"
    );
}

/// What each connection of `plan` got first, as `limits.py` prints it.
fn limits_run(ns: Option<&str>, port: u16) -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/server/limits.py");
    let mut cmd = match ns {
        Some(ns) => {
            let mut c = std::process::Command::new("ip");
            c.args([
                "netns", "exec", ns, "timeout", "-s", "KILL", "60", "python3",
            ]);
            c
        }
        None => {
            let mut c = std::process::Command::new("timeout");
            c.args(["-s", "KILL", "60", "python3"]);
            c
        }
    };
    let out = cmd.arg(script).arg(port.to_string()).output().unwrap();
    assert!(
        out.status.success(),
        "limits.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn limits_under_load_match_the_real_vsftpd() {
    if !require("python3", "python3", false)
        || !require("/usr/sbin/vsftpd", "vsftpd", true)
        || !require("ip", "iproute2", true)
    {
        return;
    }
    let fx = Fixture::new("limits");
    let text = "listen=YES\nanonymous_enable=YES\nmax_clients=40\nmax_per_ip=10\n";
    let ours = fx.config("ours.conf", &format!("{text}listen_port=0\n"));
    let theirs = fx.config(
        "real.conf",
        &format!("{text}listen_port=2121\nanon_root=@DIR@/root\n"),
    );
    let s = serve(&fx, &ours, None, &[]).unwrap();
    let embedded = limits_run(None, s.addr.port());
    let ns = Netns::new("vsclim");
    let _real = crate::support::real_vsftpd(&ns, &fx, &theirs);
    let real = limits_run(Some(&ns.0), 2121);
    // limits.py's plan: 12 from one address (10 greeted, 2 refused per address), 30 from three more
    // (the server is then full at 40), one from a fifth and one more from the first (max_clients is
    // checked before max_per_ip).
    let mut expected = vec![format!("220 {}", texts::default_banner("3.0.3")); 10];
    expected.extend([
        texts::TOO_MANY_FROM_IP.line(),
        texts::TOO_MANY_FROM_IP.line(),
    ]);
    expected.extend(vec![format!("220 {}", texts::default_banner("3.0.3")); 30]);
    expected.extend([texts::TOO_MANY_USERS.line(), texts::TOO_MANY_USERS.line()]);
    assert_eq!(real, expected, "the real vsftpd");
    assert_eq!(
        embedded, real,
        "the embedded server differs from the real vsftpd"
    );
}
