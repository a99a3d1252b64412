//! Runs the real vsftpd on one config, isolated, and reports what it did: started (with the sockets it
//! listens on), refused (with its `500 OOPS` text), crashed, or something else.
//!
//! Each worker thread owns a [`Sandbox`]: a network namespace of its own with only `lo` up (so the local
//! addresses are 127.0.0.0/8 and ::1, whatever the host has), held open by a sleeping process. A config
//! runs as `nsenter --net=<sandbox> unshare --pid --fork --kill-child /usr/sbin/vsftpd FILE`, with fd 0
//! opened read-write on an output file (Debian's vsftpd writes `500 OOPS` there). "Started" is
//! observed, not inferred from a timeout: the harness watches the sandbox's /proc/PID/net/tcp{,6} until
//! a listening socket appears, then kills the PID namespace and waits until the socket is gone. Reusing
//! a namespace per worker instead of creating one per config keeps the kernel's namespace set-up and
//! tear-down out of the loop (it cost most of the run time).

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The live builds: each dialect with the binary that runs it (`.ci/setup.d/` installs all three).
pub const BUILDS: [(vsconf::dialect::Dialect, &str); 3] = [
    (vsconf::dialect::Dialect::Debian303, "/usr/sbin/vsftpd"),
    (
        vsconf::dialect::Dialect::Debian305,
        "/opt/vsconf-ci/vsftpd-debian-3.0.5/vsftpd",
    ),
    (
        vsconf::dialect::Dialect::Upstream305,
        "/opt/vsconf-ci/vsftpd-upstream-3.0.5/vsftpd",
    ),
];

/// What the real vsftpd did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observation {
    /// Listening: the sockets in LISTEN state in its namespace.
    Started(Vec<Listener>),
    /// Exit status 2 with this text on fd 0 (without the final CR LF).
    Refused(Vec<u8>),
    /// Killed by this signal on its own (11: SIGSEGV).
    Crashed(i32),
    /// Anything else: still running without a listener at the deadline, another exit status, or
    /// unexpected output.
    Other(String),
}

/// A listening TCP socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listener {
    pub addr: IpAddr,
    pub port: u16,
}

/// How long a vsftpd may take to either exit or listen.
const DEADLINE: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(2);

/// A private network namespace with `lo` up, alive as long as this value.
pub struct Sandbox {
    holder: Child,
    proc_dir: String,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let mut holder = Command::new("unshare")
            .args([
                "--net",
                "sh",
                "-c",
                "ip link set lo up && echo ready && exec sleep 86400",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn namespace holder");
        let mut ready = String::new();
        BufReader::new(holder.stdout.take().expect("holder stdout"))
            .read_line(&mut ready)
            .expect("holder ready");
        assert_eq!(
            ready.trim(),
            "ready",
            "could not bring lo up in a new network namespace"
        );
        let proc_dir = format!("/proc/{}", holder.id());
        Sandbox { holder, proc_dir }
    }

    /// Runs the vsftpd binary at `vsftpd` on `config` (a root-owned file) followed by `args`, writing
    /// its fd 0 to `out`.
    pub fn observe(
        &self,
        vsftpd: &str,
        config: &Path,
        args_before_file: bool,
        args: &[&[u8]],
        out: &Path,
    ) -> Observation {
        let fd0 = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(out)
            .expect("output file");
        let mut command = Command::new("nsenter");
        command
            .arg(format!("--net={}/ns/net", self.proc_dir))
            .args(["unshare", "--pid", "--fork", "--kill-child", vsftpd]);
        let args = args.iter().map(|a| std::ffi::OsStr::from_bytes(a));
        if args_before_file {
            command.args(args).arg(config);
        } else {
            command.arg(config).args(args);
        }
        let mut child = command
            .stdin(Stdio::from(fd0))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn nsenter");
        let start = Instant::now();
        let mut listeners = Vec::new();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break Some(status);
            }
            // Reading /proc/net/tcp walks the kernel's whole socket hash (milliseconds of system time);
            // the per-namespace counters in sockstat are cheap, so they gate it.
            if tcp_in_use(&self.proc_dir) {
                listeners = listening(&self.proc_dir);
                if !listeners.is_empty() {
                    break None;
                }
            }
            if start.elapsed() > DEADLINE {
                break None;
            }
            std::thread::sleep(POLL);
        };
        if status.is_none() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        child
            .stdout
            .take()
            .expect("stdout")
            .read_to_end(&mut stdout)
            .expect("read stdout");
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_end(&mut stderr)
            .expect("read stderr");
        // The killed vsftpd's socket closes as the namespace's processes die; wait for it.
        let start = Instant::now();
        while tcp_in_use(&self.proc_dir) {
            assert!(start.elapsed() < DEADLINE, "a killed vsftpd still listens");
            std::thread::sleep(POLL);
        }
        let mut text = Vec::new();
        File::open(out)
            .expect("output")
            .read_to_end(&mut text)
            .expect("read output");
        let extra = |what: &str| {
            format!(
                "{what}; fd0={:?} stdout={:?} stderr={:?}",
                String::from_utf8_lossy(&text),
                String::from_utf8_lossy(&stdout),
                String::from_utf8_lossy(&stderr)
            )
        };
        if !stdout.is_empty() || !stderr.is_empty() {
            return Observation::Other(extra("unexpected output"));
        }
        match status {
            None if listeners.is_empty() => {
                Observation::Other(extra("neither exited nor listened"))
            }
            None if !text.is_empty() => Observation::Other(extra("listened after writing")),
            None => Observation::Started(listeners),
            Some(s) if s.code() == Some(2) => match text.strip_suffix(b"\r\n") {
                Some(message)
                    if message.starts_with(b"500 OOPS: ") && !message.contains(&b'\n') =>
                {
                    Observation::Refused(message.to_vec())
                }
                _ => Observation::Other(extra("status 2 without one 500 OOPS line")),
            },
            Some(s) if s.signal().is_some() && text.is_empty() => {
                Observation::Crashed(s.signal().unwrap_or_default())
            }
            Some(s) => Observation::Other(extra(&format!("exit {s}"))),
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.holder.kill();
        let _ = self.holder.wait();
    }
}

/// Whether the namespace has any TCP socket in use (a listening socket counts; a merely bound one
/// does not).
fn tcp_in_use(proc_dir: &str) -> bool {
    ["sockstat", "sockstat6"].iter().any(|table| {
        std::fs::read_to_string(format!("{proc_dir}/net/{table}")).is_ok_and(|text| {
            text.lines().any(|line| {
                let mut words = line.split_whitespace();
                matches!(words.next(), Some("TCP:" | "TCP6:"))
                    && words.next() == Some("inuse")
                    && words.next().is_some_and(|n| n != "0")
            })
        })
    })
}

/// The TCP sockets in LISTEN state in the namespace of the process at `proc_dir`.
fn listening(proc_dir: &str) -> Vec<Listener> {
    let mut out = Vec::new();
    for table in ["tcp", "tcp6"] {
        let Ok(text) = std::fs::read_to_string(format!("{proc_dir}/net/{table}")) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.get(3) != Some(&"0A") {
                continue;
            }
            if let Some(listener) = fields.get(1).and_then(|f| parse_proc_addr(f)) {
                out.push(listener);
            }
        }
    }
    out
}

/// `0100007F:0849` (IPv4) or 32 hex digits `:PORT` (IPv6), each 32-bit word in host (little-endian)
/// order, as /proc/net/tcp{,6} print them.
fn parse_proc_addr(field: &str) -> Option<Listener> {
    let (addr, port) = field.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let words: Vec<u32> = (0..addr.len() / 8)
        .map(|i| u32::from_str_radix(&addr[i * 8..i * 8 + 8], 16).map(u32::swap_bytes))
        .collect::<Result<_, _>>()
        .ok()?;
    let addr = match words.as_slice() {
        [a] => IpAddr::V4(Ipv4Addr::from(*a)),
        [a, b, c, d] => {
            let bytes: Vec<u8> = [a, b, c, d].iter().flat_map(|w| w.to_be_bytes()).collect();
            IpAddr::V6(Ipv6Addr::from(<[u8; 16]>::try_from(bytes).ok()?))
        }
        _ => return None,
    };
    Some(Listener { addr, port })
}

#[test]
fn proc_addresses_decode() {
    assert_eq!(
        parse_proc_addr("0100007F:0849"),
        Some(Listener {
            addr: IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1)),
            port: 2121
        })
    );
    assert_eq!(
        parse_proc_addr("00000000000000000000000001000000:0015"),
        Some(Listener {
            addr: IpAddr::V6(Ipv6Addr::LOCALHOST),
            port: 21
        })
    );
}
