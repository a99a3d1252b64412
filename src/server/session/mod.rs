//! One FTP session: the greeting, the command loop and the replies every command shares. Each concern
//! has its own file: [`dispatch`] (typed verbs → handlers), [`login`] (USER/PASS, TLS on the control
//! connection, FEAT, STAT), [`data`] (PASV/EPSV/PORT/EPRT and opening the data connection),
//! [`transfer`] (LIST, RETR, STOR and the rate limit) and [`files`] (directories, sizes, deletes,
//! renames, SITE); the permission checks they make are `super::fs::Access`'s.
//!
//! Every wait is under a timeout; any error ends this session only. File-system calls run on tokio's
//! blocking threads ([`Session::on_disk`]), never on the async workers.

mod data;
mod dispatch;
mod files;
mod login;
mod transfer;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;

use crate::ftp::texts::{self, Text};
use crate::ftp::{Command, CommandReader, LineError, Reply};

use crate::startup::oops;

use super::Shared;
use super::fs::{Access, Identity, join_virtual, read_capped};
use super::stream::Stream;

/// Waits used where the config gives no bound (idle_session_timeout=0, data_connection_timeout=0): a day.
const UNBOUNDED: Duration = Duration::from_secs(24 * 60 * 60);
/// Sending a reply may not take longer than this (a client that stops reading).
const WRITE_TIMEOUT: Duration = Duration::from_secs(60);
/// TLS handshakes.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);
/// The most of a banner file that is read.
const MAX_BANNER_BYTES: u64 = 64 * 1024;

/// Whether the session goes on.
enum Flow {
    Continue,
    Close,
}

/// The prepared data connection.
enum DataSetup {
    None,
    Passive(TcpListener),
    Active(SocketAddr),
}

struct Login {
    anonymous: bool,
    name: String,
    /// A local user's uid and gid from the users file: file access is then decided as for that user.
    ids: Option<(u32, u32)>,
}

/// Counts at the moment the session was accepted.
pub struct Admission {
    pub clients: u32,
    pub from_ip: u32,
}

struct Session {
    shared: Arc<Shared>,
    control: Stream,
    reader: CommandReader,
    peer: SocketAddr,
    local: SocketAddr,
    tls: Option<Arc<rustls::ServerConfig>>,
    pending_user: Option<Vec<u8>>,
    login: Option<Login>,
    login_fails: u32,
    cwd: String,
    data: DataSetup,
    epsv_all: bool,
    prot_private: bool,
    rest: u64,
    rnfr: Option<String>,
    binary: bool,
    umask: u32,
    admission: Admission,
    /// The user list read at session start (`userlist_enable`): one name per line.
    userlist: Vec<Vec<u8>>,
    /// Directories whose `message_file` was already shown (vsftpd shows each once per session).
    visited: std::collections::BTreeSet<String>,
}

/// Runs one session to its end. Errors are the client's problem: they end this session only.
pub async fn run(shared: Arc<Shared>, tcp: TcpStream, peer: SocketAddr, admission: Admission) {
    let local = tcp.local_addr().unwrap_or(peer);
    let _ = tcp.set_nodelay(true);
    let tls = shared.tls.as_ref().map(super::tls::per_session);
    let umask = shared.behaviour.local_umask;
    let mut session = Session {
        shared,
        control: Stream::Plain(tcp),
        reader: CommandReader::new(),
        peer,
        local,
        tls,
        pending_user: None,
        login: None,
        login_fails: 0,
        cwd: "/".to_owned(),
        data: DataSetup::None,
        epsv_all: false,
        prot_private: false,
        rest: 0,
        rnfr: None,
        binary: false,
        umask,
        admission,
        visited: std::collections::BTreeSet::new(),
        userlist: Vec::new(),
    };
    let _ = session.serve().await;
    let _ = timeout(Duration::from_secs(2), session.control.shutdown()).await;
}

/// The IPv4 form of an address (v4-mapped IPv6 included).
fn as_v4(ip: IpAddr) -> Option<Ipv4Addr> {
    match ip {
        IpAddr::V4(v4) => Some(v4),
        IpAddr::V6(v6) => v6.to_ipv4_mapped(),
    }
}

/// The permission checks of `who` in this server.
fn access(shared: &Shared, who: Identity) -> Access<'_> {
    Access {
        who,
        root: &shared.behaviour.root,
        anon_owned: &shared.anon_owned,
    }
}

impl Session {
    fn idle(&self) -> Duration {
        self.shared.behaviour.idle_timeout.unwrap_or(UNBOUNDED)
    }

    fn data_timeout(&self) -> Duration {
        self.shared.behaviour.data_timeout.unwrap_or(UNBOUNDED)
    }

    /// Whom the session acts as on the file system.
    fn identity(&self) -> Identity {
        match &self.login {
            Some(Login {
                anonymous: true, ..
            }) => Identity::Anonymous,
            Some(Login {
                ids: Some((uid, gid)),
                ..
            }) => Identity::User {
                uid: *uid,
                gid: *gid,
            },
            _ => Identity::Server,
        }
    }

    /// Runs blocking file-system work on tokio's blocking threads, with the server's shared state and
    /// the session's permission checks. A panic there ends this session only.
    async fn on_disk<T, F>(&self, job: F) -> io::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Shared, &Access<'_>) -> T + Send + 'static,
    {
        let shared = Arc::clone(&self.shared);
        let who = self.identity();
        tokio::task::spawn_blocking(move || job(&shared, &access(&shared, who)))
            .await
            .map_err(io::Error::other)
    }

    async fn send(&mut self, reply: &Reply) -> io::Result<()> {
        let bytes = reply.to_bytes();
        match timeout(WRITE_TIMEOUT, async {
            self.control.write_all(&bytes).await?;
            self.control.flush().await
        })
        .await
        {
            Ok(r) => r,
            Err(_) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "client stopped reading replies",
            )),
        }
    }

    async fn say(&mut self, text: Text) -> io::Result<Flow> {
        self.send(&text.reply()).await?;
        Ok(Flow::Continue)
    }

    /// Sends `text`, preceded by the current directory's `message_file` the first time the session
    /// enters that directory (`dirmessage_enable=YES`). debian-3.0.3 binary: `230-line` lines before
    /// `230 Login successful.`, `250-line` before `250 Directory successfully changed.`, each directory
    /// once per session, at most the first 4000 bytes of the file.
    async fn say_with_dir_message(&mut self, text: Text) -> io::Result<Flow> {
        let reply = text.reply();
        let lines = self.dir_message().await?;
        if lines.is_empty() {
            return self.say(text).await;
        }
        let code = reply.code;
        let mut all: Vec<String> = lines.iter().map(|l| format!("{code}-{l}")).collect();
        all.extend(reply.lines);
        self.send(&Reply { code, lines: all }).await?;
        Ok(Flow::Continue)
    }

    /// The lines of the current directory's `message_file`, the first time the session enters it.
    async fn dir_message(&mut self) -> io::Result<Vec<String>> {
        const MAX_MESSAGE_BYTES: u64 = 4000;
        let Some(name) = self.shared.behaviour.dir_message_file.clone() else {
            return Ok(Vec::new());
        };
        if !self.visited.insert(self.cwd.clone()) {
            return Ok(Vec::new());
        }
        let target = join_virtual(&self.cwd, &name);
        let bytes = self
            .on_disk(move |shared, access| {
                let path = shared
                    .root
                    .existing(&target)
                    .filter(|p| access.reachable(p))?;
                read_capped(&path, MAX_MESSAGE_BYTES)
            })
            .await?;
        let Some(bytes) = bytes else {
            return Ok(Vec::new());
        };
        let text = String::from_utf8_lossy(&bytes);
        let text = text.strip_suffix('\n').unwrap_or(&text);
        if text.is_empty() {
            return Ok(Vec::new());
        }
        Ok(text.split('\n').map(str::to_owned).collect())
    }

    /// Sends a reply that ends the session.
    async fn fatal(&mut self, reply: Reply) -> io::Result<Flow> {
        self.send(&reply).await?;
        Ok(Flow::Close)
    }

    async fn oops(&mut self, text: &str) -> io::Result<Flow> {
        self.fatal(texts::oops(text)).await
    }

    /// An OOPS raised by vsftpd's unprivileged session process: its privileged parent then fails to
    /// read the next request and adds its own line (debian-3.0.3 binary: `PASV` with
    /// `pasv_address=bogus` gives `500 OOPS: invalid pasv_address` and `500 OOPS: priv_sock_get_cmd`).
    async fn oops_in_child(&mut self, text: &str) -> io::Result<Flow> {
        self.send(&texts::oops(text)).await?;
        self.fatal(texts::oops(oops::PRIV_SOCK_GET_CMD)).await
    }

    /// Refusals before the greeting, the greeting, then the command loop.
    async fn serve(&mut self) -> io::Result<()> {
        let b = self.shared.behaviour.clone();
        if b.ssl.as_ref().is_some_and(|s| s.implicit)
            && matches!(self.upgrade_control().await?, Flow::Close)
        {
            return Ok(());
        }
        if !b.anonymous_enable && !b.local_enable {
            self.oops(oops::NO_LOGINS).await?;
            return Ok(());
        }
        let Some(greeting) = self.greeting().await? else {
            return Ok(());
        };
        if b.max_clients > 0 && self.admission.clients > b.max_clients {
            self.fatal(texts::TOO_MANY_USERS.reply()).await?;
            return Ok(());
        }
        if b.max_per_ip > 0 && self.admission.from_ip > b.max_per_ip {
            self.fatal(texts::TOO_MANY_FROM_IP.reply()).await?;
            return Ok(());
        }
        self.send(&greeting).await?;
        loop {
            let line = match self.next_line().await? {
                Some(line) => line,
                None => return Ok(()),
            };
            if line.is_empty() {
                // debian-3.0.3 binary: an empty line gets no reply.
                continue;
            }
            let command = Command::parse(&line);
            let flow = if self.login.is_some() {
                self.postlogin(command).await?
            } else {
                self.prelogin(command).await?
            };
            if matches!(flow, Flow::Close) {
                return Ok(());
            }
        }
    }

    /// The greeting, after reading the banner file and the user list; `None` when the session was
    /// refused instead (the OOPS is sent).
    async fn greeting(&mut self) -> io::Result<Option<Reply>> {
        let b = self.shared.behaviour.clone();
        let greeting = match &b.banner {
            super::config::Banner::File(path) => {
                let read = path.clone();
                match self.on_disk(move |_, _| read_banner(&read)).await? {
                    Some(lines) => lines,
                    None => {
                        self.oops(&lossy(&oops::cannot_read_banner(
                            path.display().to_string().as_bytes(),
                        )))
                        .await?;
                        return Ok(None);
                    }
                }
            }
            super::config::Banner::Text(t) => Reply::new(220, t.clone()),
            super::config::Banner::Default => Reply::new(220, texts::default_banner(b.version)),
        };
        // startup-checks.md B10, debian-3.0.3 binary: with local logins the list is read when the
        // session starts, and an unreadable list refuses the session before the greeting. Without local
        // logins it is never read, so it is empty (and userlist_deny=NO then refuses everyone).
        if let (Some((path, _)), true) = (&b.userlist, b.local_enable) {
            let read = path.clone();
            match self.on_disk(move |_, _| read_user_list(&read)).await? {
                Some(names) => self.userlist = names,
                None => {
                    self.oops_in_child(&lossy(&oops::cannot_read_user_list(
                        path.display().to_string().as_bytes(),
                    )))
                    .await?;
                    return Ok(None);
                }
            }
        }
        Ok(Some(greeting))
    }

    /// The next command line; `None` when the session must end (closed, idle timeout, overlong line).
    ///
    /// `idle_session_timeout` bounds the whole line, not each read: debian-3.0.3 binary, with
    /// `idle_session_timeout=2`, a client sending `NOOP` one byte every 0.9 s gets `421 Timeout.` at
    /// 2 s (vsftpd arms its alarm once per command), so a client trickling bytes cannot hold a session.
    async fn next_line(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut buf = [0u8; 4096];
        let deadline = tokio::time::Instant::now() + self.idle();
        loop {
            match self.reader.next_line() {
                Ok(Some(line)) => return Ok(Some(line)),
                Ok(None) => {}
                Err(LineError::TooLong) => {
                    self.send(&texts::INPUT_TOO_LONG.reply()).await?;
                    return Ok(None);
                }
            }
            match tokio::time::timeout_at(deadline, self.control.read(&mut buf)).await {
                Err(_) => {
                    self.send(&texts::IDLE_TIMEOUT.reply()).await?;
                    return Ok(None);
                }
                Ok(Ok(0)) => return Ok(None),
                Ok(Ok(n)) => self.reader.push(buf.get(..n).unwrap_or_default()),
                Ok(Err(e)) => return Err(e),
            }
        }
    }

    fn anonymous(&self) -> bool {
        self.login.as_ref().is_some_and(|l| l.anonymous)
    }
}

/// The greeting from `banner_file`: each line `220-…`, then a final empty `220 ` line, whether or not the
/// file ends in a newline (debian-3.0.3 binary: "line one\nline two" and "line one\nline two\n" both
/// give `220-line one`, `220-line two`, `220 `).
fn read_banner(path: &std::path::Path) -> Option<Reply> {
    let bytes = read_capped(path, MAX_BANNER_BYTES)?;
    let text = String::from_utf8_lossy(&bytes);
    let mut parts: Vec<&str> = text.split('\n').collect();
    if parts.last().is_some_and(|l| l.is_empty()) {
        parts.pop();
    }
    let mut lines: Vec<String> = parts.iter().map(|l| format!("220-{l}")).collect();
    lines.push("220 ".to_owned());
    Some(Reply { code: 220, lines })
}

/// The names in a user list file, one per line (`None` when it cannot be read). At most 1 MiB is read.
fn read_user_list(path: &std::path::Path) -> Option<Vec<Vec<u8>>> {
    let bytes = read_capped(path, 1 << 20)?;
    Some(
        bytes
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(<[u8]>::to_vec)
            .collect(),
    )
}

/// An OOPS text built from bytes (a path in it), as the reply line carries it.
fn lossy(text: &[u8]) -> String {
    String::from_utf8_lossy(text).into_owned()
}
