//! One FTP session: the greeting, the command loop, logins, TLS upgrades and every command vsftpd
//! answers, with vsftpd's reply texts. Every wait is under a timeout; any error ends this session only.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::time::timeout;

use crate::ftp::texts::{self, FeatSwitches, Text};
use crate::ftp::{
    Command, CommandReader, EprtError, LineError, Reply, format_227, format_229, parse_eprt,
    parse_port,
};

use super::Shared;
use super::config::PasvAddress;
use super::fs::{self, ListStyle, join_virtual, list_args};
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

/// What an upload command does with the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Upload {
    /// STOR: create or overwrite (anonymous: create only, unless anon_other_write_enable).
    Store,
    /// APPE: append.
    Append,
    /// STOU: create under a name not yet taken.
    Unique,
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

/// vsftpd's octal reading for SITE CHMOD and SITE UMASK: leading octal digits, the rest ignored
/// (debian-3.0.3 binary: `SITE CHMOD 999 file` answers `200 SITE CHMOD command ok.`).
fn octal_prefix(text: &str) -> u32 {
    text.bytes()
        .take_while(|b| (b'0'..=b'7').contains(b))
        .fold(0u32, |acc, b| {
            acc.wrapping_mul(8).wrapping_add(u32::from(b - b'0'))
        })
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

fn is_anonymous_name(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"ftp") || name.eq_ignore_ascii_case(b"anonymous")
}

/// The IPv4 form of an address (v4-mapped IPv6 included).
fn as_v4(ip: IpAddr) -> Option<Ipv4Addr> {
    match ip {
        IpAddr::V4(v4) => Some(v4),
        IpAddr::V6(v6) => v6.to_ipv4_mapped(),
    }
}

fn random_u16() -> u16 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    (h.finish() & 0xffff) as u16
}

impl Session {
    fn idle(&self) -> Duration {
        self.shared.behaviour.idle_timeout.unwrap_or(UNBOUNDED)
    }

    fn data_timeout(&self) -> Duration {
        self.shared.behaviour.data_timeout.unwrap_or(UNBOUNDED)
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
        let lines = self.dir_message();
        if lines.is_empty() {
            return self.say(text).await;
        }
        let code = reply.code;
        let mut all: Vec<String> = lines.iter().map(|l| format!("{code}-{l}")).collect();
        all.extend(reply.lines);
        self.send(&Reply { code, lines: all }).await?;
        Ok(Flow::Continue)
    }

    fn dir_message(&mut self) -> Vec<String> {
        const MAX_MESSAGE_BYTES: u64 = 4000;
        let Some(name) = self.shared.behaviour.dir_message_file.clone() else {
            return Vec::new();
        };
        if !self.visited.insert(self.cwd.clone()) {
            return Vec::new();
        }
        let target = join_virtual(&self.cwd, &name);
        let Some(path) = self
            .shared
            .root
            .existing(&target)
            .filter(|p| self.reachable(p))
        else {
            return Vec::new();
        };
        let mut bytes = Vec::new();
        let read = std::fs::File::open(path).and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_MESSAGE_BYTES), &mut bytes)
        });
        if read.is_err() {
            return Vec::new();
        }
        let text = String::from_utf8_lossy(&bytes);
        let text = text.strip_suffix('\n').unwrap_or(&text);
        if text.is_empty() {
            return Vec::new();
        }
        text.split('\n').map(str::to_owned).collect()
    }

    /// The session's transfer rate limit: `anon_max_rate` or `local_max_rate` by login kind.
    fn throttle(&self) -> Throttle {
        let b = &self.shared.behaviour;
        let rate = match &self.login {
            Some(l) if l.anonymous => b.anon_max_rate,
            Some(_) => b.local_max_rate,
            None => 0,
        };
        Throttle {
            bytes_per_second: rate,
            started: tokio::time::Instant::now(),
            sent: 0,
        }
    }

    /// The reply that ends a transfer: `done`, the failure, or — for a data timeout — the reply that
    /// also ends the session.
    async fn finish_transfer(&mut self, failed: Option<Text>, done: Text) -> io::Result<Flow> {
        match failed {
            Some(t) if t == texts::DATA_TIMEOUT => self.fatal(t.reply()).await,
            Some(t) => self.say(t).await,
            None => self.say(done).await,
        }
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
        self.fatal(texts::oops("priv_sock_get_cmd")).await
    }

    async fn serve(&mut self) -> io::Result<()> {
        let b = self.shared.behaviour.clone();
        if b.ssl.as_ref().is_some_and(|s| s.implicit)
            && matches!(self.upgrade_control().await?, Flow::Close)
        {
            return Ok(());
        }
        if !b.anonymous_enable && !b.local_enable {
            self.oops("vsftpd: both local and anonymous access disabled!")
                .await?;
            return Ok(());
        }
        let greeting = match &b.banner {
            super::config::Banner::File(path) => match read_banner(path) {
                Some(lines) => lines,
                None => {
                    self.oops(&format!("cannot read banner file:{}", path.display()))
                        .await?;
                    return Ok(());
                }
            },
            super::config::Banner::Text(t) => Reply::new(220, t.clone()),
            super::config::Banner::Default => Reply::new(220, texts::default_banner(b.version)),
        };
        // startup-checks.md B10, debian-3.0.3 binary: with local logins the list is read when the
        // session starts, and an unreadable list refuses the session before the greeting. Without local
        // logins it is never read, so it is empty (and userlist_deny=NO then refuses everyone).
        if let (Some((path, _)), true) = (&b.userlist, b.local_enable) {
            match read_user_list(path) {
                Some(names) => self.userlist = names,
                None => {
                    self.oops_in_child(&format!("cannot read user list file:{}", path.display()))
                        .await?;
                    return Ok(());
                }
            }
        }
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

    /// The next command line; `None` when the session must end (closed, idle timeout, overlong line).
    async fn next_line(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut buf = [0u8; 4096];
        loop {
            match self.reader.next_line() {
                Ok(Some(line)) => return Ok(Some(line)),
                Ok(None) => {}
                Err(LineError::TooLong) => {
                    self.send(&texts::INPUT_TOO_LONG.reply()).await?;
                    return Ok(None);
                }
            }
            let idle = self.idle();
            match timeout(idle, self.control.read(&mut buf)).await {
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

    async fn upgrade_control(&mut self) -> io::Result<Flow> {
        let Some(config) = self.tls.clone() else {
            return Ok(Flow::Close);
        };
        let Stream::Plain(tcp) = std::mem::replace(&mut self.control, Stream::Gone) else {
            return Ok(Flow::Close);
        };
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        match timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
            Ok(Ok(tls)) => {
                self.control = Stream::Tls(Box::new(tls));
                Ok(Flow::Continue)
            }
            _ => Ok(Flow::Close),
        }
    }

    fn feat(&self) -> Reply {
        let b = &self.shared.behaviour;
        texts::feat(FeatSwitches {
            auth_tls: b.ssl.as_ref().is_some_and(|s| s.feat_auth_tls),
            auth_ssl: false,
            ssl: b.ssl.is_some(),
            port: b.port_enable,
            pasv: b.pasv_enable,
        })
    }

    async fn prelogin(&mut self, c: Command) -> io::Result<Flow> {
        let ssl = self.shared.behaviour.ssl.is_some();
        match c.verb.as_str() {
            "USER" => self.user(c.arg).await,
            "PASS" => self.pass(c.arg).await,
            "QUIT" => self.fatal(texts::GOODBYE.reply()).await,
            "FEAT" => {
                let feat = self.feat();
                self.send(&feat).await?;
                Ok(Flow::Continue)
            }
            "OPTS" => self.opts(&c.arg).await,
            "AUTH" if ssl && !self.control.is_tls() => self.auth(&c.arg).await,
            "PBSZ" if ssl => self.pbsz().await,
            "PROT" if ssl => self.prot(&c.arg).await,
            _ => self.say(texts::LOGIN_FIRST).await,
        }
    }

    async fn user(&mut self, name: Vec<u8>) -> io::Result<Flow> {
        let b = self.shared.behaviour.clone();
        let anon = is_anonymous_name(&name);
        self.pending_user = None;
        if !b.local_enable && !anon {
            return self.say(texts::ANONYMOUS_ONLY).await;
        }
        // debian-3.0.3 binary: a name on the list with userlist_deny=YES, or missing from it with
        // userlist_deny=NO, gets `530 Permission denied.` at USER, before any password.
        if let Some((_, deny)) = &b.userlist {
            let listed = self.userlist.contains(&name);
            if listed == *deny {
                return self.say(texts::PERMISSION_DENIED_LOGIN).await;
            }
        }
        if let Some(ssl) = &b.ssl {
            let tls = self.control.is_tls();
            if anon && tls && !ssl.allow_anon_ssl && !ssl.force_anon_logins_ssl {
                return self.say(texts::ANON_NO_ENCRYPTION).await;
            }
            if !anon && !tls && ssl.force_local_logins_ssl {
                return self.fatal(texts::NON_ANON_MUST_ENCRYPT.reply()).await;
            }
            if anon && !tls && ssl.force_anon_logins_ssl {
                return self.fatal(texts::ANON_MUST_ENCRYPT.reply()).await;
            }
        }
        self.pending_user = Some(name);
        if anon && b.no_anon_password {
            return self.pass(b"<no password>".to_vec()).await;
        }
        self.say(texts::SPECIFY_PASSWORD).await
    }

    async fn pass(&mut self, password: Vec<u8>) -> io::Result<Flow> {
        let b = self.shared.behaviour.clone();
        // An empty USER is answered 331 but remembered as no user at all (debian-3.0.3 binary:
        // "USER" then "PASS x" gives 503).
        let Some(user) = self.pending_user.take().filter(|u| !u.is_empty()) else {
            return self.say(texts::LOGIN_WITH_USER_FIRST).await;
        };
        if is_anonymous_name(&user) && b.anonymous_enable {
            // vsftpd always chroots anonymous users and refuses a root the ftp user can write
            // (startup-checks.md, Phase C, debian-3.0.3 binary); "other" write is the ftp user's.
            let writable =
                std::fs::metadata(&b.root).is_ok_and(|m| m.permissions().mode() & 0o002 != 0);
            if writable {
                return self
                    .oops_in_child("vsftpd: refusing to run with writable root inside chroot()")
                    .await;
            }
            tokio::time::sleep(b.delay_successful_login).await;
            self.login = Some(Login {
                anonymous: true,
                name: b.ftp_username.clone(),
                ids: None,
            });
            self.umask = b.anon_umask;
            return self.say_with_dir_message(texts::LOGIN_OK).await;
        }
        if let Some(ids) = self
            .shared
            .users
            .login(&user, &password)
            .filter(|_| b.local_enable)
        {
            // Local users are chrooted (config.rs refuses anything else): vsftpd refuses a chroot
            // root the user can write unless allow_writeable_chroot=YES (startup-checks.md, Phase C).
            // A user without ids counts as "other" here.
            if !b.allow_writeable_chroot {
                let writable = std::fs::metadata(&b.root).is_ok_and(|m| {
                    let mode = m.permissions().mode();
                    match ids {
                        Some((uid, gid)) => {
                            use std::os::unix::fs::MetadataExt;
                            uid == 0
                                || (m.uid() == uid && mode & 0o200 != 0)
                                || (m.uid() != uid && m.gid() == gid && mode & 0o020 != 0)
                                || (m.uid() != uid && m.gid() != gid && mode & 0o002 != 0)
                        }
                        None => mode & 0o002 != 0,
                    }
                });
                if writable {
                    return self
                        .oops_in_child("vsftpd: refusing to run with writable root inside chroot()")
                        .await;
                }
            }
            tokio::time::sleep(b.delay_successful_login).await;
            self.login = Some(Login {
                anonymous: false,
                name: String::from_utf8_lossy(&user).into_owned(),
                ids,
            });
            self.umask = b.local_umask;
            return self.say_with_dir_message(texts::LOGIN_OK).await;
        }
        tokio::time::sleep(b.delay_failed_login).await;
        self.send(&texts::LOGIN_INCORRECT.reply()).await?;
        self.login_fails = self.login_fails.saturating_add(1);
        if self.login_fails >= b.max_login_fails {
            return Ok(Flow::Close);
        }
        Ok(Flow::Continue)
    }

    async fn auth(&mut self, arg: &[u8]) -> io::Result<Flow> {
        let arg = String::from_utf8_lossy(arg).to_ascii_uppercase();
        if !matches!(arg.as_str(), "TLS" | "TLS-C" | "SSL" | "TLS-P") {
            return self.say(texts::UNKNOWN_AUTH).await;
        }
        self.send(&texts::PROCEED_WITH_NEGOTIATION.reply()).await?;
        self.upgrade_control().await
    }

    async fn pbsz(&mut self) -> io::Result<Flow> {
        if !self.control.is_tls() {
            return self.say(texts::PBSZ_NEEDS_SECURE).await;
        }
        self.say(texts::PBSZ_OK).await
    }

    async fn prot(&mut self, arg: &[u8]) -> io::Result<Flow> {
        if !self.control.is_tls() {
            return self.say(texts::PROT_NEEDS_SECURE).await;
        }
        match String::from_utf8_lossy(arg).to_ascii_uppercase().as_str() {
            "C" => {
                self.prot_private = false;
                self.say(texts::PROT_CLEAR).await
            }
            "P" => {
                self.prot_private = true;
                self.say(texts::PROT_PRIVATE).await
            }
            "S" | "E" => self.say(texts::PROT_UNSUPPORTED).await,
            _ => self.say(texts::PROT_BAD).await,
        }
    }

    async fn opts(&mut self, arg: &[u8]) -> io::Result<Flow> {
        if String::from_utf8_lossy(arg).to_ascii_uppercase() == "UTF8 ON" {
            self.say(texts::UTF8_ALWAYS).await
        } else {
            self.say(texts::OPTS_BAD).await
        }
    }

    fn anonymous(&self) -> bool {
        self.login.as_ref().is_some_and(|l| l.anonymous)
    }

    async fn postlogin(&mut self, c: Command) -> io::Result<Flow> {
        let b = self.shared.behaviour.clone();
        let anon = self.anonymous();
        let write = b.write_enable;
        let ssl = b.ssl.is_some();
        let arg = c.arg_text();
        match c.verb.as_str() {
            "QUIT" => self.fatal(texts::GOODBYE.reply()).await,
            "PWD" | "XPWD" => {
                let reply = texts::pwd(&self.cwd);
                self.send(&reply).await?;
                Ok(Flow::Continue)
            }
            "CWD" | "XCWD" => self.cwd(&arg).await,
            "CDUP" | "XCUP" => self.cwd("..").await,
            "SYST" => self.say(texts::SYST).await,
            "NOOP" => self.say(texts::NOOP).await,
            "TYPE" => {
                let t = arg.to_ascii_uppercase();
                match t.as_str() {
                    "I" | "L 8" => {
                        self.binary = true;
                        self.say(texts::TYPE_BINARY).await
                    }
                    "A" | "A N" => {
                        self.binary = false;
                        self.say(texts::TYPE_ASCII).await
                    }
                    _ => self.say(texts::TYPE_BAD).await,
                }
            }
            "MODE" => {
                self.say(if arg.eq_ignore_ascii_case("S") {
                    texts::MODE_S
                } else {
                    texts::MODE_BAD
                })
                .await
            }
            "STRU" => {
                self.say(if arg.eq_ignore_ascii_case("F") {
                    texts::STRU_F
                } else {
                    texts::STRU_BAD
                })
                .await
            }
            "FEAT" => {
                let feat = self.feat();
                self.send(&feat).await?;
                Ok(Flow::Continue)
            }
            "OPTS" => self.opts(&c.arg).await,
            "HELP" => {
                let lines: Vec<String> = texts::HELP_LINES
                    .iter()
                    .map(|s| (*s).to_owned())
                    .chain([texts::HELP_OK.line()])
                    .collect();
                self.send(&Reply { code: 214, lines }).await?;
                Ok(Flow::Continue)
            }
            "STAT" if arg.is_empty() => self.stat().await,
            "STAT" if b.dirlist_enable => self.stat_path(&arg).await,
            "AUTH" if ssl && !self.control.is_tls() => self.auth(&c.arg).await,
            "PBSZ" if ssl => self.pbsz().await,
            "PROT" if ssl => self.prot(&c.arg).await,
            "USER" => {
                if anon {
                    self.say(texts::CANT_CHANGE_FROM_GUEST).await
                } else if self
                    .login
                    .as_ref()
                    .is_some_and(|l| l.name.as_bytes() == c.arg.as_slice())
                {
                    self.say(texts::ANY_PASSWORD).await
                } else {
                    self.say(texts::CANT_CHANGE_USER).await
                }
            }
            "PASS" => self.say(texts::ALREADY_LOGGED_IN).await,
            "PASV" if b.pasv_enable && !self.epsv_all => self.pasv(false, &arg).await,
            "EPSV" if b.pasv_enable => self.pasv(true, &arg).await,
            "PORT" if b.port_enable && !self.epsv_all => self.port(&c.arg).await,
            "EPRT" if b.port_enable => self.eprt(&c.arg).await,
            "RETR" if b.download_enable => self.retr(&arg).await,
            "LIST" if b.dirlist_enable => self.list(&arg, true).await,
            "NLST" if b.dirlist_enable => self.list(&arg, false).await,
            "STOR" if write && (!anon || b.anon_upload_enable) => {
                self.store(&arg, Upload::Store).await
            }
            "STOU" if write && (!anon || b.anon_upload_enable) => {
                self.store(&arg, Upload::Unique).await
            }
            "APPE" if write && (!anon || b.anon_other_write_enable) => {
                self.store(&arg, Upload::Append).await
            }
            "MKD" | "XMKD" if write && (!anon || b.anon_mkdir_write_enable) => self.mkd(&arg).await,
            "RMD" | "XRMD" if write && (!anon || b.anon_other_write_enable) => self.rmd(&arg).await,
            "DELE" if write && (!anon || b.anon_other_write_enable) => self.dele(&arg).await,
            "RNFR" if write && (!anon || b.anon_other_write_enable) => self.rnfr(&arg).await,
            "RNTO" if write && (!anon || b.anon_other_write_enable) => self.rnto(&arg).await,
            "SITE" if !anon => self.site(&arg).await,
            "SIZE" => self.size(&arg).await,
            "MDTM" => self.mdtm(&arg).await,
            "REST" => {
                let digits: String = arg.chars().take_while(char::is_ascii_digit).collect();
                self.rest = digits.parse().unwrap_or(0);
                let reply = texts::rest_accepted(self.rest);
                self.send(&reply).await?;
                Ok(Flow::Continue)
            }
            "ABOR" => self.say(texts::NO_TRANSFER_TO_ABOR).await,
            "ALLO" => self.say(texts::ALLO_IGNORED).await,
            "ACCT" => self.say(texts::ACCT_NOT_IMPLEMENTED).await,
            "REIN" => self.say(texts::REIN_NOT_IMPLEMENTED).await,
            "SMNT" => self.say(texts::SMNT_NOT_IMPLEMENTED).await,
            "PASV" | "PORT" | "STOR" | "MKD" | "XMKD" | "RMD" | "XRMD" | "DELE" | "RNFR"
            | "RNTO" | "SITE" | "APPE" | "EPSV" | "EPRT" | "RETR" | "LIST" | "NLST" | "STOU"
            | "STAT" | "PBSZ" | "PROT" | "AUTH" => self.say(texts::PERMISSION_DENIED).await,
            _ => self.say(texts::UNKNOWN_COMMAND).await,
        }
    }

    async fn stat(&mut self) -> io::Result<Flow> {
        let b = self.shared.behaviour.clone();
        let peer =
            as_v4(self.peer.ip()).map_or_else(|| self.peer.ip().to_string(), |v4| v4.to_string());
        let name = self
            .login
            .as_ref()
            .map(|l| l.name.clone())
            .unwrap_or_default();
        let idle = b.idle_timeout.map_or(0, |d| d.as_secs());
        let middle = vec![
            format!("     Connected to {peer}"),
            format!("     Logged in as {name}"),
            format!(
                "     TYPE: {}",
                if self.binary { "BINARY" } else { "ASCII" }
            ),
            "     No session bandwidth limit".to_owned(),
            format!("     Session timeout in seconds is {idle}"),
            format!(
                "     Control connection is {}",
                if self.control.is_tls() {
                    "encrypted"
                } else {
                    "plain text"
                }
            ),
            format!(
                "     Data connections will be {}",
                if self.prot_private {
                    "encrypted"
                } else {
                    "plain text"
                }
            ),
            format!(
                "     At session startup, client count was {}",
                self.admission.clients
            ),
            format!("     vsFTPd {} - secure, fast, stable", b.version),
        ];
        self.send(&Reply::multi(
            211,
            "FTP server status:",
            &middle,
            "End of status",
        ))
        .await?;
        Ok(Flow::Continue)
    }

    fn list_style(&self) -> ListStyle {
        let b = &self.shared.behaviour;
        ListStyle {
            hide_ids: b.hide_ids,
            force_dot_files: b.force_dot_files,
        }
    }

    async fn stat_path(&mut self, arg: &str) -> io::Result<Flow> {
        let args = list_args(arg);
        let lines = fs::listing(
            &self.shared.root,
            &self.cwd,
            &args,
            true,
            self.list_style(),
            SystemTime::now(),
            &|m| self.permits(m, 0o5),
        )
        .unwrap_or_default();
        self.send(&Reply::multi(
            213,
            "Status follows:",
            &lines,
            "End of status",
        ))
        .await?;
        Ok(Flow::Continue)
    }

    async fn cwd(&mut self, arg: &str) -> io::Result<Flow> {
        let target = join_virtual(&self.cwd, arg);
        if !arg.is_empty()
            && self
                .shared
                .root
                .existing(&target)
                .filter(|p| self.reachable(p))
                .and_then(|p| std::fs::metadata(p).ok())
                .is_some_and(|m| m.is_dir() && self.permits(&m, 0o1))
        {
            self.cwd = target;
            self.say_with_dir_message(texts::DIRECTORY_CHANGED).await
        } else {
            self.say(texts::FAILED_TO_CHANGE_DIRECTORY).await
        }
    }

    async fn size(&mut self, arg: &str) -> io::Result<Flow> {
        let target = join_virtual(&self.cwd, arg);
        let meta = self
            .shared
            .root
            .existing(&target)
            .filter(|p| self.reachable(p))
            .and_then(|p| std::fs::metadata(p).ok())
            .filter(std::fs::Metadata::is_file);
        match meta {
            Some(m) if !arg.is_empty() => {
                self.send(&Reply::new(213, m.len().to_string())).await?;
                Ok(Flow::Continue)
            }
            _ => self.say(texts::COULD_NOT_GET_SIZE).await,
        }
    }

    async fn mdtm(&mut self, arg: &str) -> io::Result<Flow> {
        use std::os::unix::fs::MetadataExt;
        let target = join_virtual(&self.cwd, arg);
        let meta = self
            .shared
            .root
            .existing(&target)
            .filter(|p| self.reachable(p))
            .and_then(|p| std::fs::metadata(p).ok())
            .filter(std::fs::Metadata::is_file);
        match meta {
            Some(m) if !arg.is_empty() => {
                self.send(&Reply::new(213, fs::mdtm(m.mtime()))).await?;
                Ok(Flow::Continue)
            }
            _ => self.say(texts::COULD_NOT_GET_MTIME).await,
        }
    }

    /// Whether the logged-in user may `want` (4 read, 2 write, 1 search/execute, or a sum) on an
    /// entry: anonymous users by the "other" bits (vsftpd runs them as the ftp user, who owns nothing
    /// served), local users with ids by owner, group or other bits, local users without ids with the
    /// server's own rights.
    fn permits(&self, meta: &std::fs::Metadata, want: u32) -> bool {
        use std::os::unix::fs::MetadataExt;
        let mode = meta.permissions().mode();
        let bits = match self.login.as_ref() {
            Some(Login {
                anonymous: true, ..
            }) => {
                let owned = self
                    .shared
                    .anon_owned
                    .lock()
                    .is_ok_and(|set| set.contains(&(meta.dev(), meta.ino())));
                if owned { (mode >> 6) & 0o7 } else { mode & 0o7 }
            }
            Some(Login {
                ids: Some((uid, gid)),
                ..
            }) => {
                if *uid == 0 {
                    return true;
                }
                if meta.uid() == *uid {
                    (mode >> 6) & 0o7
                } else if meta.gid() == *gid {
                    (mode >> 3) & 0o7
                } else {
                    mode & 0o7
                }
            }
            _ => return true,
        };
        bits & want == want
    }

    /// Whether an entry may be created, removed or renamed at `host`: write and search permission on
    /// its directory, and search permission on the directories above.
    fn may_write_in(&self, host: &std::path::Path) -> bool {
        self.reachable(host)
            && host
                .parent()
                .and_then(|p| std::fs::metadata(p).ok())
                .is_some_and(|m| self.permits(&m, 0o3))
    }

    /// Whether the user may reach `host`: search permission on every directory from the root down to
    /// its parent (debian-3.0.3 binary: a file in a 0700 directory of another owner is
    /// `550 Failed to open file.`).
    fn reachable(&self, host: &std::path::Path) -> bool {
        let root = &self.shared.behaviour.root;
        host.ancestors()
            .skip(1)
            .take_while(|dir| dir.starts_with(root))
            .all(|dir| std::fs::metadata(dir).is_ok_and(|m| self.permits(&m, 0o1)))
    }

    /// Gives a new file or directory to the user who created it: a local user with ids gets it by
    /// chown (only possible when running as root); for anonymous users it is remembered as the ftp
    /// user's.
    fn give_to_user(&self, host: &std::path::Path) {
        use std::os::unix::fs::MetadataExt;
        match self.login.as_ref() {
            Some(Login {
                ids: Some((uid, gid)),
                ..
            }) => {
                let _ = std::os::unix::fs::chown(host, Some(*uid), Some(*gid));
            }
            Some(Login {
                anonymous: true, ..
            }) => {
                if let (Ok(meta), Ok(mut set)) = (
                    std::fs::symlink_metadata(host),
                    self.shared.anon_owned.lock(),
                ) {
                    set.insert((meta.dev(), meta.ino()));
                }
            }
            _ => {}
        }
    }

    async fn mkd(&mut self, arg: &str) -> io::Result<Flow> {
        let target = join_virtual(&self.cwd, arg);
        let mode = 0o777 & !self.umask;
        let ok = match self.shared.root.entry(&target) {
            Some(host) if !arg.is_empty() && self.may_write_in(&host) => {
                let made = std::fs::create_dir(&host).and_then(|()| {
                    std::fs::set_permissions(&host, std::fs::Permissions::from_mode(mode))
                });
                if made.is_ok() {
                    self.give_to_user(&host);
                }
                made.is_ok()
            }
            _ => false,
        };
        if ok {
            let reply = texts::mkd_created(&target);
            self.send(&reply).await?;
            Ok(Flow::Continue)
        } else {
            self.say(texts::CREATE_DIRECTORY_FAILED).await
        }
    }

    async fn rmd(&mut self, arg: &str) -> io::Result<Flow> {
        let target = join_virtual(&self.cwd, arg);
        let ok = match self.shared.root.entry(&target) {
            Some(host) if target != "/" && self.may_write_in(&host) => {
                std::fs::remove_dir(&host).is_ok()
            }
            _ => false,
        };
        self.say(if ok {
            texts::REMOVE_DIRECTORY_OK
        } else {
            texts::REMOVE_DIRECTORY_FAILED
        })
        .await
    }

    async fn dele(&mut self, arg: &str) -> io::Result<Flow> {
        let target = join_virtual(&self.cwd, arg);
        let ok = match self.shared.root.entry(&target) {
            Some(host) if target != "/" && self.may_write_in(&host) => {
                std::fs::symlink_metadata(&host).is_ok_and(|m| !m.is_dir())
                    && std::fs::remove_file(&host).is_ok()
            }
            _ => false,
        };
        self.say(if ok {
            texts::DELETE_OK
        } else {
            texts::DELETE_FAILED
        })
        .await
    }

    async fn rnfr(&mut self, arg: &str) -> io::Result<Flow> {
        let target = join_virtual(&self.cwd, arg);
        let exists = target != "/"
            && self
                .shared
                .root
                .entry(&target)
                .is_some_and(|h| std::fs::symlink_metadata(h).is_ok());
        if exists {
            self.rnfr = Some(target);
            self.say(texts::READY_FOR_RNTO).await
        } else {
            self.rnfr = None;
            self.say(texts::RNFR_FAILED).await
        }
    }

    async fn rnto(&mut self, arg: &str) -> io::Result<Flow> {
        let Some(from) = self.rnfr.take() else {
            return self.say(texts::RNFR_FIRST).await;
        };
        let to = join_virtual(&self.cwd, arg);
        let ok = match (self.shared.root.entry(&from), self.shared.root.entry(&to)) {
            (Some(a), Some(b)) if to != "/" && self.may_write_in(&a) && self.may_write_in(&b) => {
                std::fs::rename(a, b).is_ok()
            }
            _ => false,
        };
        self.say(if ok {
            texts::RENAME_OK
        } else {
            texts::RENAME_FAILED
        })
        .await
    }

    async fn site(&mut self, arg: &str) -> io::Result<Flow> {
        let b = self.shared.behaviour.clone();
        let (word, rest) = arg.split_once(' ').unwrap_or((arg, ""));
        match word.to_ascii_uppercase().as_str() {
            "CHMOD" if b.write_enable && b.chmod_enable => {
                let (mode, path) = rest.split_once(' ').unwrap_or((rest, ""));
                let target = join_virtual(&self.cwd, path);
                // chmod(2) needs the owner (or root).
                let owner = |host: &std::path::Path| match self.login.as_ref() {
                    Some(Login {
                        ids: Some((uid, _)),
                        ..
                    }) if *uid != 0 => std::fs::symlink_metadata(host).is_ok_and(|m| {
                        use std::os::unix::fs::MetadataExt;
                        m.uid() == *uid
                    }),
                    _ => true,
                };
                let ok = match self.shared.root.existing(&target) {
                    Some(host) if !path.is_empty() && owner(&host) => std::fs::set_permissions(
                        host,
                        std::fs::Permissions::from_mode(octal_prefix(mode) & 0o7777),
                    )
                    .is_ok(),
                    _ => false,
                };
                let reply = if ok {
                    Reply::new(200, "SITE CHMOD command ok.")
                } else {
                    Reply::new(550, "SITE CHMOD command failed.")
                };
                self.send(&reply).await?;
                Ok(Flow::Continue)
            }
            "UMASK" => {
                let reply = if rest.is_empty() {
                    Reply::new(200, format!("Your current UMASK is 0{:o}", self.umask))
                } else {
                    self.umask = octal_prefix(rest) & 0o777;
                    Reply::new(200, format!("UMASK set to 0{:o}", self.umask))
                };
                self.send(&reply).await?;
                Ok(Flow::Continue)
            }
            // debian-3.0.3 binary: without write_enable and chmod_enable, CHMOD is an unknown SITE
            // command and HELP no longer lists it.
            "HELP" => {
                let text = if b.write_enable && b.chmod_enable {
                    "CHMOD UMASK HELP"
                } else {
                    "UMASK HELP"
                };
                self.send(&Reply::new(214, text)).await?;
                Ok(Flow::Continue)
            }
            _ => {
                self.send(&Reply::new(500, "Unknown SITE command.")).await?;
                Ok(Flow::Continue)
            }
        }
    }

    // ----- data channel -----

    async fn pasv(&mut self, extended: bool, arg: &str) -> io::Result<Flow> {
        let b = self.shared.behaviour.clone();
        let control_v4 = as_v4(self.local.ip()).is_some();
        if extended && !arg.is_empty() {
            if arg.eq_ignore_ascii_case("ALL") {
                self.epsv_all = true;
                return self.say(texts::EPSV_ALL_OK).await;
            }
            let family_ok = if control_v4 { arg == "1" } else { arg == "2" };
            if !family_ok {
                return self.say(texts::BAD_NETWORK_PROTOCOL).await;
            }
        }
        self.data = DataSetup::None;
        // data-channel.md §2: the 227 address.
        let shown: Option<Ipv4Addr> = if extended {
            None
        } else {
            match (self.local.ip(), &b.pasv_address) {
                (IpAddr::V4(_), PasvAddress::Invalid) => {
                    return self.oops_in_child("invalid pasv_address").await;
                }
                (IpAddr::V4(_), PasvAddress::Fixed(ip)) => Some(*ip),
                (IpAddr::V4(ip), PasvAddress::ControlLocal) => Some(ip),
                (IpAddr::V6(v6), PasvAddress::ControlLocal) => {
                    Some(v6.to_ipv4_mapped().unwrap_or(Ipv4Addr::UNSPECIFIED))
                }
                (IpAddr::V6(_), _) => Some(Ipv4Addr::UNSPECIFIED),
            }
        };
        let mut listener = None;
        for _ in 0..b.bind_attempts {
            let port = b.pasv_range.pick(random_u16());
            match bind_listener(SocketAddr::new(self.local.ip(), port)) {
                Ok(l) => {
                    listener = Some((l, port));
                    break;
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::AddrInUse | io::ErrorKind::PermissionDenied
                    ) => {}
                Err(_) => return self.oops("vsf_sysutil_bind").await,
            }
        }
        let Some((listener, port)) = listener else {
            let text = if b.rhel_bind_text {
                "vsf_sysutil_bind, maximum number of attempts to find a listening port exceeded"
            } else {
                "vsf_sysutil_bind"
            };
            return self.oops(text).await;
        };
        self.data = DataSetup::Passive(listener);
        let reply = match shown {
            Some(ip) => Reply::new(227, format_227(ip, port)),
            None => Reply::new(229, format_229(port)),
        };
        self.send(&reply).await?;
        Ok(Flow::Continue)
    }

    /// Whether an active-mode target passes vsftpd's check (the client's own IP, port ≥ 1024).
    fn active_target_ok(&self, ip: IpAddr, port: u16) -> bool {
        if self.shared.behaviour.port_promiscuous {
            return true;
        }
        let same = match (as_v4(ip), as_v4(self.peer.ip())) {
            (Some(a), Some(b)) => a == b,
            _ => ip == self.peer.ip(),
        };
        same && port >= 1024
    }

    async fn port(&mut self, arg: &[u8]) -> io::Result<Flow> {
        self.data = DataSetup::None;
        let Ok((ip, port)) = parse_port(arg) else {
            return self.say(texts::ILLEGAL_PORT).await;
        };
        if !self.active_target_ok(IpAddr::V4(ip), port) {
            return self.say(texts::ILLEGAL_PORT).await;
        }
        self.data = DataSetup::Active(SocketAddr::new(IpAddr::V4(ip), port));
        self.say(texts::PORT_OK).await
    }

    async fn eprt(&mut self, arg: &[u8]) -> io::Result<Flow> {
        self.data = DataSetup::None;
        let (ip, port) = match parse_eprt(arg) {
            Ok(v) => v,
            Err(EprtError::BadProtocol) => return self.say(texts::BAD_EPRT_PROTOCOL).await,
            Err(EprtError::BadCommand) => return self.say(texts::BAD_EPRT_COMMAND).await,
        };
        let control_v4 = as_v4(self.local.ip()).is_some();
        if control_v4 && ip.is_ipv6() {
            return self.say(texts::BAD_EPRT_PROTOCOL).await;
        }
        if !self.active_target_ok(ip, port) {
            return self.say(texts::ILLEGAL_EPRT).await;
        }
        let ip = match (ip, self.local.ip()) {
            (IpAddr::V4(v4), IpAddr::V6(_)) => IpAddr::V6(v4.to_ipv6_mapped()),
            (ip, _) => ip,
        };
        self.data = DataSetup::Active(SocketAddr::new(ip, port));
        self.say(texts::EPRT_OK).await
    }

    /// vsftpd's `data_transfer_checks_ok`: a PASV/PORT first, and TLS when the config forces it.
    async fn data_checks(&mut self) -> io::Result<bool> {
        if matches!(self.data, DataSetup::None) {
            self.say(texts::USE_PORT_OR_PASV).await?;
            return Ok(false);
        }
        if let Some(ssl) = &self.shared.behaviour.ssl {
            let anon = self.anonymous();
            let forced = (ssl.force_local_data_ssl && !anon) || (ssl.force_anon_data_ssl && anon);
            if forced && !self.prot_private {
                self.say(texts::DATA_MUST_ENCRYPT).await?;
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Establishes the data connection prepared by PASV/PORT, sends the 150 reply and wraps TLS.
    /// `Ok(None)` after a refusal has been sent; `Err` ends the session (the flow says so).
    async fn open_data(&mut self, preliminary: Reply) -> io::Result<Result<Stream, Flow>> {
        let b = self.shared.behaviour.clone();
        let setup = std::mem::replace(&mut self.data, DataSetup::None);
        let tcp = match setup {
            DataSetup::None => {
                self.say(texts::USE_PORT_OR_PASV).await?;
                return Ok(Err(Flow::Continue));
            }
            DataSetup::Passive(listener) => {
                match timeout(b.accept_timeout, listener.accept()).await {
                    Ok(Ok((tcp, from))) => {
                        let same = match (as_v4(from.ip()), as_v4(self.peer.ip())) {
                            (Some(a), Some(c)) => a == c,
                            _ => from.ip() == self.peer.ip(),
                        };
                        if !same && !b.pasv_promiscuous {
                            drop(tcp);
                            self.say(texts::BAD_IP_CONNECTING).await?;
                            return Ok(Err(Flow::Continue));
                        }
                        tcp
                    }
                    _ => {
                        self.say(texts::FAILED_TO_ESTABLISH).await?;
                        return Ok(Err(Flow::Continue));
                    }
                }
            }
            DataSetup::Active(target) => {
                // Only port_promiscuous=YES lets a port below 1024 through PORT/EPRT; the transfer
                // then ends the session (debian-3.0.3 binary, data-channel.md §3).
                if target.port() < 1024 {
                    let _ = self.oops_in_child("Illegal port request").await?;
                    return Ok(Err(Flow::Close));
                }
                // An IPv4 client of an IPv6 listener has a v4-mapped local address; the data
                // connection to its IPv4 PORT address goes out from the plain IPv4 form.
                let local_ip = match (target.ip(), self.local.ip()) {
                    (IpAddr::V4(_), ip) => as_v4(ip).map_or(ip, IpAddr::V4),
                    (IpAddr::V6(_), ip) => ip,
                };
                let source = SocketAddr::new(local_ip, b.active_source_port.unwrap_or(0));
                let connect = async {
                    let socket = if source.is_ipv4() {
                        TcpSocket::new_v4()?
                    } else {
                        TcpSocket::new_v6()?
                    };
                    socket.set_reuseaddr(true)?;
                    socket.bind(source)?;
                    socket.connect(target).await
                };
                match timeout(b.connect_timeout, connect).await {
                    Ok(Ok(tcp)) => tcp,
                    _ => {
                        self.say(texts::FAILED_TO_ESTABLISH).await?;
                        return Ok(Err(Flow::Continue));
                    }
                }
            }
        };
        self.send(&preliminary).await?;
        if !self.prot_private {
            return Ok(Ok(Stream::Plain(tcp)));
        }
        let Some(config) = self.tls.clone() else {
            return Ok(Ok(Stream::Plain(tcp)));
        };
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        let data = match timeout(
            HANDSHAKE_TIMEOUT.min(self.data_timeout()),
            acceptor.accept(tcp),
        )
        .await
        {
            Ok(Ok(tls)) => Stream::Tls(Box::new(tls)),
            _ => {
                let _ = self.fatal(texts::SSL_REUSE_REQUIRED.reply()).await?;
                return Ok(Err(Flow::Close));
            }
        };
        let reuse_required = b.ssl.as_ref().is_some_and(|s| s.require_ssl_reuse);
        let resumed = data.tls_state().and_then(|c| c.handshake_kind())
            == Some(rustls::HandshakeKind::Resumed);
        if reuse_required && !resumed {
            // debian-3.0.3 binary: the reply follows the 150 and the session ends.
            let _ = self.fatal(texts::SSL_REUSE_REQUIRED.reply()).await?;
            return Ok(Err(Flow::Close));
        }
        Ok(Ok(data))
    }

    /// Sends bytes on the data connection, then closes it; the final reply follows.
    async fn send_data(&mut self, mut data: Stream, bytes: &[u8], done: Text) -> io::Result<Flow> {
        let limit = self.data_timeout();
        let mut failed = None;
        for chunk in bytes.chunks(64 * 1024) {
            failed = write_failure(timeout(limit, data.write_all(chunk)).await);
            if failed.is_some() {
                break;
            }
        }
        let _ = timeout(limit.min(Duration::from_secs(10)), data.shutdown()).await;
        drop(data);
        self.finish_transfer(failed, done).await
    }

    async fn list(&mut self, arg: &str, long: bool) -> io::Result<Flow> {
        if !self.data_checks().await? {
            return Ok(Flow::Continue);
        }
        let args = list_args(arg);
        let lines = fs::listing(
            &self.shared.root,
            &self.cwd,
            &args,
            long,
            self.list_style(),
            SystemTime::now(),
            &|m| self.permits(m, 0o5),
        );
        let data = match self.open_data(texts::DIRECTORY_LISTING.reply()).await? {
            Ok(d) => d,
            Err(flow) => return Ok(flow),
        };
        let mut bytes = Vec::new();
        let done = match lines {
            Some(lines) => {
                for line in lines {
                    bytes.extend_from_slice(line.as_bytes());
                    bytes.extend_from_slice(b"\r\n");
                }
                texts::DIRECTORY_SEND_OK
            }
            None => texts::DIRECTORY_OPEN_FAILED,
        };
        self.send_data(data, &bytes, done).await
    }

    async fn retr(&mut self, arg: &str) -> io::Result<Flow> {
        if !self.data_checks().await? {
            return Ok(Flow::Continue);
        }
        if self.rest != 0 && !self.binary {
            // debian-3.0.3 binary: REST then RETR in ASCII mode (the default TYPE).
            self.rest = 0;
            self.data = DataSetup::None;
            return self.say(texts::NO_ASCII_RESUME).await;
        }
        let target = join_virtual(&self.cwd, arg);
        let host = self.shared.root.existing(&target).filter(|p| {
            self.reachable(p)
                && std::fs::metadata(p).is_ok_and(|m| {
                    // anon_world_readable_only=YES: anonymous downloads need the "other" read bit,
                    // whoever owns the file (debian-3.0.3 binary: an anonymous upload with
                    // anon_umask=077 cannot be downloaded again).
                    let world = m.permissions().mode() & 0o004 != 0;
                    m.is_file()
                        && self.permits(&m, 0o4)
                        && !(self.anonymous()
                            && self.shared.behaviour.anon_world_readable_only
                            && !world)
                })
        });
        let opened = match host {
            Some(p) if !arg.is_empty() => tokio::fs::File::open(p).await.ok(),
            _ => None,
        };
        let Some(mut file) = opened else {
            self.data = DataSetup::None;
            return self.say(texts::FAILED_TO_OPEN).await;
        };
        let size = file.metadata().await.map_or(0, |m| m.len());
        let offset = std::mem::take(&mut self.rest);
        if offset > 0 && file.seek(io::SeekFrom::Start(offset)).await.is_err() {
            return self.say(texts::FAILED_TO_OPEN).await;
        }
        let mut data = match self.open_data(texts::opening_binary(arg, size)).await? {
            Ok(d) => d,
            Err(flow) => return Ok(flow),
        };
        let limit = self.data_timeout();
        let mut throttle = self.throttle();
        let mut buf = vec![0u8; 64 * 1024];
        let mut failed = None;
        loop {
            let n = match file.read(&mut buf).await {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => {
                    failed = Some(Text {
                        code: 451,
                        text: "Failure reading local file.",
                    });
                    break;
                }
            };
            failed = write_failure(
                timeout(limit, data.write_all(buf.get(..n).unwrap_or_default())).await,
            );
            if failed.is_some() {
                break;
            }
            throttle.after(n).await;
        }
        let _ = timeout(limit.min(Duration::from_secs(10)), data.shutdown()).await;
        drop(data);
        self.finish_transfer(failed, texts::TRANSFER_COMPLETE).await
    }

    /// The first free name for STOU. debian-3.0.3 binary: `STOU` alone creates `STOU.1`, `STOU.2`, …;
    /// `STOU name` creates `name`, then `name.1`, `name.2`, …
    fn unique_name(&self, arg: &str) -> Option<String> {
        let (base, first) = if arg.is_empty() {
            ("STOU", 1)
        } else {
            (arg, 0)
        };
        (first..1000u32)
            .map(|n| {
                if n == 0 {
                    base.to_owned()
                } else {
                    format!("{base}.{n}")
                }
            })
            .find(|name| {
                self.shared
                    .root
                    .entry(&join_virtual(&self.cwd, name))
                    .is_some_and(|p| std::fs::symlink_metadata(p).is_err())
            })
    }

    async fn store(&mut self, arg: &str, how: Upload) -> io::Result<Flow> {
        if !self.data_checks().await? {
            return Ok(Flow::Continue);
        }
        let b = self.shared.behaviour.clone();
        let append = how == Upload::Append;
        let unique = match how {
            Upload::Unique => match self.unique_name(arg) {
                Some(name) => Some(name),
                None => {
                    self.data = DataSetup::None;
                    return self.say(texts::COULD_NOT_CREATE).await;
                }
            },
            _ => None,
        };
        let arg = unique.as_deref().unwrap_or(arg);
        let target = join_virtual(&self.cwd, arg);
        let anon = self.anonymous();
        let offset = std::mem::take(&mut self.rest);
        let mode = b.file_open_mode & !self.umask;
        let file = match self.shared.root.entry(&target) {
            Some(host) if !arg.is_empty() && target != "/" && self.may_write_in(&host) => {
                // An existing file keeps its owner and mode and needs write permission itself.
                let existed = std::fs::metadata(&host).ok();
                if existed.as_ref().is_some_and(|m| !self.permits(m, 0o2)) {
                    self.data = DataSetup::None;
                    return self.say(texts::COULD_NOT_CREATE).await;
                }
                let mut options = tokio::fs::OpenOptions::new();
                options.write(true).mode(mode);
                if append {
                    options.append(true).create(true);
                } else if unique.is_some() || (anon && !b.anon_other_write_enable) {
                    // vsftpd: anonymous uploads may not overwrite.
                    options.create_new(true);
                } else {
                    options.create(true).truncate(offset == 0);
                }
                // Bounded: opening a FIFO someone left in the root would block.
                match timeout(Duration::from_secs(10), options.open(&host))
                    .await
                    .unwrap_or_else(|_| Err(io::ErrorKind::TimedOut.into()))
                {
                    Ok(mut f) => {
                        if existed.is_none() {
                            let _ = std::fs::set_permissions(
                                &host,
                                std::fs::Permissions::from_mode(mode),
                            );
                            self.give_to_user(&host);
                        }
                        if offset > 0
                            && !append
                            && f.seek(io::SeekFrom::Start(offset)).await.is_err()
                        {
                            None
                        } else {
                            Some(f)
                        }
                    }
                    Err(_) => None,
                }
            }
            _ => None,
        };
        let Some(mut file) = file else {
            self.data = DataSetup::None;
            return self.say(texts::COULD_NOT_CREATE).await;
        };
        let preliminary = match &unique {
            Some(name) => Reply::new(150, format!("FILE: {name}")),
            None => texts::OK_TO_SEND.reply(),
        };
        let mut data = match self.open_data(preliminary).await? {
            Ok(d) => d,
            Err(flow) => return Ok(flow),
        };
        let limit = self.data_timeout();
        let mut throttle = self.throttle();
        let mut buf = vec![0u8; 64 * 1024];
        let mut failed = None;
        loop {
            let n = match timeout(limit, data.read(&mut buf)).await {
                Ok(Ok(0)) => break,
                Ok(Ok(n)) => n,
                // A TLS peer that closes without close_notify: the bytes so far are kept (see docs).
                Ok(Err(e)) if e.kind() == io::ErrorKind::UnexpectedEof => break,
                Ok(Err(_)) => {
                    failed = Some(texts::FAILURE_READING_NETWORK);
                    break;
                }
                Err(_) => {
                    failed = Some(texts::DATA_TIMEOUT);
                    break;
                }
            };
            if file
                .write_all(buf.get(..n).unwrap_or_default())
                .await
                .is_err()
            {
                failed = Some(texts::FAILURE_WRITING_FILE);
                break;
            }
            throttle.after(n).await;
        }
        let _ = file.flush().await;
        drop(data);
        self.finish_transfer(failed, texts::TRANSFER_COMPLETE).await
    }
}

/// What a write on the data connection means for the transfer: nothing, a network failure, or a
/// data timeout.
fn write_failure(outcome: Result<io::Result<()>, tokio::time::error::Elapsed>) -> Option<Text> {
    match outcome {
        Ok(Ok(())) => None,
        Ok(Err(_)) => Some(texts::FAILURE_WRITING_NETWORK),
        Err(_) => Some(texts::DATA_TIMEOUT),
    }
}

fn bind_listener(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1)
}

/// The greeting from `banner_file`: each line `220-…`, then a final empty `220 ` line, whether or not the
/// file ends in a newline (debian-3.0.3 binary: "line one\nline two" and "line one\nline two\n" both
/// give `220-line one`, `220-line two`, `220 `).
fn read_banner(path: &std::path::Path) -> Option<Reply> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(MAX_BANNER_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let mut parts: Vec<&str> = text.split('\n').collect();
    if parts.last().is_some_and(|l| l.is_empty()) {
        parts.pop();
    }
    let mut lines: Vec<String> = parts.iter().map(|l| format!("220-{l}")).collect();
    lines.push("220 ".to_owned());
    Some(Reply { code: 220, lines })
}

/// Keeps a transfer's average rate at or below a limit by sleeping after each chunk, as vsftpd does
/// for `anon_max_rate` / `local_max_rate` (0 means unlimited).
struct Throttle {
    bytes_per_second: u32,
    started: tokio::time::Instant,
    sent: u64,
}

impl Throttle {
    async fn after(&mut self, bytes: usize) {
        if self.bytes_per_second == 0 {
            return;
        }
        self.sent = self.sent.saturating_add(bytes as u64);
        let due = Duration::from_secs_f64(self.sent as f64 / f64::from(self.bytes_per_second));
        let elapsed = self.started.elapsed();
        if due > elapsed {
            tokio::time::sleep(due - elapsed).await;
        }
    }
}

/// The names in a user list file, one per line (`None` when it cannot be read). At most 1 MiB is read.
fn read_user_list(path: &std::path::Path) -> Option<Vec<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(1 << 20)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(
        bytes
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(<[u8]>::to_vec)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn throttle_keeps_the_average_at_the_limit() {
        let start = tokio::time::Instant::now();
        let mut t = Throttle {
            bytes_per_second: 1000,
            started: start,
            sent: 0,
        };
        for _ in 0..4 {
            t.after(500).await;
        }
        // 2000 bytes at 1000 bytes/s: two seconds of virtual time, not less.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        let start = tokio::time::Instant::now();
        let mut unlimited = Throttle {
            bytes_per_second: 0,
            started: start,
            sent: 0,
        };
        unlimited.after(1 << 30).await;
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}
