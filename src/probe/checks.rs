//! The probe's steps against a live server. Each network wait is bounded by the probe's timeout and
//! announced on the progress callback; a step that fails or times out becomes part of the
//! [`Observations`], never a hang or a panic. Judging what was seen is `diagnosis`'s job.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsConnector;

use super::client::{TlsClient, server_name, tls_client};
use super::observation::{
    DataCheck, DataMode, Failure, FailureKind, Fallback, Login, Observations, PassiveReply,
    Session, SessionKind, Step, Target, TlsInfo, TlsMode,
};
use super::wire::{Control, Stream, WireError};
use crate::ftp::{Reply, format_port, parse_227, parse_229};

/// The most listing bytes read per data check; the rest is ignored (the check is about the channel).
const MAX_LISTING_BYTES: u64 = 4 * 1024 * 1024;

/// The least time PASS is given (see the PASS step).
const LOGIN_TIMEOUT: Duration = Duration::from_secs(6);

/// What to probe and how.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// Where.
    pub target: Target,
    /// Login name; `None` means anonymous.
    pub user: Option<String>,
    /// Password (from `VSCONF_PASSWORD` or a prompt); anonymous logins send an e-mail-like string.
    pub password: Option<String>,
    /// `--tls`.
    pub tls: TlsMode,
    /// `--active`: also check PORT and EPRT.
    pub active: bool,
    /// How many PASV (and EPSV) replies to collect per session.
    pub passive_samples: u32,
    /// The bound on every network wait.
    pub timeout: Duration,
    /// Also ask whether downloads and uploads are allowed, without transferring anything: `RETR` of
    /// a missing file and `STOR` into a missing directory.
    pub permissions: bool,
}

/// The file `--permissions` asks for; it must not exist.
pub const MISSING_FILE: &str = "vsconf-probe-no-such-file";
/// Where `--permissions` tries to store; the directory must not exist, so nothing is created.
pub const MISSING_DIR_FILE: &str = "vsconf-probe-no-such-dir/vsconf-probe";

/// Progress lines for people, e.g. written to stderr by the CLI.
pub type Progress<'a> = &'a dyn Fn(&str);

/// Why a probe could not even start.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ProbeError {
    /// The TLS client could not be built.
    #[error("cannot set up TLS: {0}")]
    #[diagnostic(
        code(vsconf::probe::tls_setup),
        help("run with --tls off to probe without TLS")
    )]
    TlsSetup(String),
}

struct Recorder<'a> {
    steps: Vec<Step>,
    progress: Progress<'a>,
    timeout: Duration,
}

impl Recorder<'_> {
    fn step(
        &mut self,
        session: SessionKind,
        action: &str,
        sent: Option<&str>,
        (result, code, ok): (String, Option<u16>, bool),
        start: Instant,
    ) {
        self.steps.push(Step {
            session,
            action: action.to_string(),
            sent: sent.map(str::to_string),
            result,
            code,
            ok,
            elapsed_ms: (start.elapsed().as_secs_f64() * 1000.0 * 10.0).round() / 10.0,
        });
    }

    /// Logs a step from its result: `ok` words a success, a failure is logged by its message.
    fn record<T>(
        &mut self,
        session: SessionKind,
        action: &str,
        sent: Option<&str>,
        start: Instant,
        result: &Result<T, Failure>,
        ok: impl FnOnce(&T) -> (String, Option<u16>, bool),
    ) {
        let outcome = match result {
            Ok(v) => ok(v),
            Err(f) => (f.message.clone(), None, false),
        };
        self.step(session, action, sent, outcome, start);
    }

    fn say(&self, line: &str) {
        (self.progress)(line);
    }

    /// Sends a command and reads its reply, both under the timeout.
    async fn command(
        &mut self,
        session: SessionKind,
        ctl: &mut Control,
        line: &str,
    ) -> Result<Reply, Failure> {
        let timeout = self.timeout;
        self.command_within(session, ctl, line, timeout).await
    }

    /// Like `command`, with its own bound.
    async fn command_within(
        &mut self,
        session: SessionKind,
        ctl: &mut Control,
        line: &str,
        timeout: Duration,
    ) -> Result<Reply, Failure> {
        let shown = mask(line);
        let action = shown.split(' ').next().unwrap_or("").to_string();
        self.say(&format!(
            "{}: {shown} (waiting up to {})",
            session.label(),
            secs(timeout)
        ));
        let start = Instant::now();
        let result = match tokio::time::timeout(timeout, async {
            ctl.send(line).await?;
            ctl.read_reply().await
        })
        .await
        {
            Ok(Ok(r)) => Ok(r),
            Ok(Err(e)) => Err(wire_failure(e)),
            Err(_) => Err(timeout_failure(timeout, &format!("the reply to {action}"))),
        };
        self.record(session, &action, Some(&shown), start, &result, |r| {
            (r.last_line().to_string(), Some(r.code), r.is_positive())
        });
        result
    }

    async fn reply(
        &mut self,
        session: SessionKind,
        ctl: &mut Control,
        action: &str,
    ) -> Result<Reply, Failure> {
        self.say(&format!(
            "{}: waiting for the {action} (up to {})",
            session.label(),
            secs(self.timeout)
        ));
        let start = Instant::now();
        let result = match tokio::time::timeout(self.timeout, ctl.read_reply()).await {
            Ok(Ok(r)) => Ok(r),
            Ok(Err(e)) => Err(wire_failure(e)),
            Err(_) => Err(timeout_failure(self.timeout, &format!("the {action}"))),
        };
        self.record(session, action, None, start, &result, |r| {
            (r.last_line().to_string(), Some(r.code), r.is_positive())
        });
        result
    }

    async fn connect(
        &mut self,
        session: SessionKind,
        action: &str,
        addr: SocketAddr,
    ) -> Result<TcpStream, Failure> {
        self.say(&format!(
            "{}: {action}: connecting to {addr} (timeout {})",
            session.label(),
            secs(self.timeout)
        ));
        let start = Instant::now();
        let result = match tokio::time::timeout(self.timeout, TcpStream::connect(addr)).await {
            Ok(Ok(s)) => Ok(s),
            Ok(Err(e)) => Err(io_failure(&e, &format!("connecting to {addr}"))),
            Err(_) => Err(timeout_failure(
                self.timeout,
                &format!("connecting to {addr}"),
            )),
        };
        self.record(session, action, None, start, &result, |_| {
            (format!("connected to {addr}"), None, true)
        });
        result
    }

    async fn handshake(
        &mut self,
        session: SessionKind,
        action: &str,
        tls: &TlsClient,
        host: &str,
        tcp: TcpStream,
    ) -> Result<tokio_rustls::client::TlsStream<TcpStream>, Failure> {
        self.say(&format!(
            "{}: {action}: TLS handshake (timeout {})",
            session.label(),
            secs(self.timeout)
        ));
        let start = Instant::now();
        let name = server_name(host).map_err(|message| Failure {
            kind: FailureKind::Tls,
            message,
        })?;
        let connector = TlsConnector::from(tls.config.clone());
        let result = match tokio::time::timeout(self.timeout, connector.connect(name, tcp)).await {
            Ok(Ok(s)) => Ok(s),
            Ok(Err(e)) => Err(Failure {
                kind: FailureKind::Tls,
                message: format!("TLS handshake failed: {e}"),
            }),
            Err(_) => Err(timeout_failure(self.timeout, "the TLS handshake")),
        };
        self.record(session, action, None, start, &result, |s| {
            let version = s
                .get_ref()
                .1
                .protocol_version()
                .map(|v| format!("{v:?}"))
                .unwrap_or_default();
            (format!("TLS established ({version})"), None, true)
        });
        result
    }
}

/// Runs the probe: a plain session, then a TLS one when asked or offered (or a single implicit-TLS
/// session for `ftps://`).
pub async fn probe(
    options: &ProbeOptions,
    progress: Progress<'_>,
) -> Result<Observations, ProbeError> {
    let tls = tls_client().map_err(|e| ProbeError::TlsSetup(e.to_string()))?;
    let mut rec = Recorder {
        steps: Vec::new(),
        progress,
        timeout: options.timeout,
    };
    let mut sessions = Vec::new();
    let address = resolve(&mut rec, &options.target).await;
    match address {
        Err(f) => {
            let mut s = Session::new(if options.target.implicit_tls {
                SessionKind::ImplicitTls
            } else {
                SessionKind::Plain
            });
            s.connect_failure = Some(f);
            sessions.push(s);
        }
        Ok(addr) if options.target.implicit_tls => {
            sessions
                .push(run_session(&mut rec, options, &tls, addr, SessionKind::ImplicitTls).await);
        }
        Ok(addr) => {
            let plain = run_session(&mut rec, options, &tls, addr, SessionKind::Plain).await;
            let greeted = plain.banner.as_ref().is_some_and(|b| b.code == 220);
            let want_tls = match options.tls {
                TlsMode::Off => false,
                TlsMode::Require => greeted,
                // AUTH TLS is tried even when FEAT does not list it, as curl and lftp do: vsftpd leaves
                // it out with ssl_tlsv1=NO yet accepts it, and a 530 that demands encryption is only
                // answered by a login under TLS.
                TlsMode::Try => greeted,
            };
            sessions.push(plain);
            if want_tls {
                sessions.push(
                    run_session(&mut rec, options, &tls, addr, SessionKind::ExplicitTls).await,
                );
            }
        }
    }
    Ok(Observations {
        target: options.target.clone(),
        user: options
            .user
            .clone()
            .unwrap_or_else(|| "anonymous".to_string()),
        tls_mode: options.tls,
        active: options.active,
        timeout_ms: u64::try_from(options.timeout.as_millis()).unwrap_or(u64::MAX),
        sessions,
        steps: rec.steps,
    })
}

async fn resolve(rec: &mut Recorder<'_>, target: &Target) -> Result<SocketAddr, Failure> {
    if let Ok(ip) = target.host.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, target.port));
    }
    rec.say(&format!(
        "resolving {} (timeout {})",
        target.host,
        secs(rec.timeout)
    ));
    match tokio::time::timeout(
        rec.timeout,
        tokio::net::lookup_host((target.host.as_str(), target.port)),
    )
    .await
    {
        Ok(Ok(mut addrs)) => addrs.next().ok_or_else(|| Failure {
            kind: FailureKind::Resolve,
            message: format!("{} has no address", target.host),
        }),
        Ok(Err(e)) => Err(Failure {
            kind: FailureKind::Resolve,
            message: format!("cannot resolve {}: {e}", target.host),
        }),
        Err(_) => Err(timeout_failure(
            rec.timeout,
            &format!("resolving {}", target.host),
        )),
    }
}

async fn run_session(
    rec: &mut Recorder<'_>,
    options: &ProbeOptions,
    tls: &TlsClient,
    addr: SocketAddr,
    kind: SessionKind,
) -> Session {
    let mut s = Session::new(kind);
    s.peer = Some(addr);
    let Some(mut ctl) = greet(rec, options, tls, addr, &mut s).await else {
        return s;
    };
    if kind == SessionKind::ExplicitTls {
        match auth_tls(rec, options, tls, ctl, &mut s).await {
            Some(secured) => ctl = secured,
            None => return s,
        }
    }
    if !log_in(rec, options, &mut s, &mut ctl).await {
        quit(rec, kind, &mut ctl).await;
        return s;
    }
    let Some(protected) = protect_data(rec, &mut s, &mut ctl).await else {
        return s;
    };
    let data_tls = if protected { Some(tls) } else { None };
    data_checks(rec, options, &mut s, &mut ctl, addr, data_tls).await;
    if s.aborted.is_none() {
        quit(rec, kind, &mut ctl).await;
    }
    s
}

/// Connects (with the handshake first for implicit TLS), reads the banner and asks FEAT; the control
/// connection, or `None` when the session ended there (recorded in `s`).
async fn greet(
    rec: &mut Recorder<'_>,
    options: &ProbeOptions,
    tls: &TlsClient,
    addr: SocketAddr,
    s: &mut Session,
) -> Option<Control> {
    let kind = s.kind;
    let tcp = match rec.connect(kind, "connect", addr).await {
        Ok(t) => t,
        Err(f) => {
            s.connect_failure = Some(f);
            return None;
        }
    };
    s.local = tcp.local_addr().ok();
    let stream = if kind == SessionKind::ImplicitTls {
        match rec
            .handshake(kind, "TLS", tls, &options.target.host, tcp)
            .await
        {
            Ok(t) => {
                s.tls = Some(tls_info(None, None, &t, tls));
                Stream::Tls(Box::new(t))
            }
            Err(f) => {
                s.tls = Some(TlsInfo {
                    auth_reply: None,
                    failure: Some(f.clone()),
                    protocol: None,
                    certificate_problem: tls.verifier.last_problem(),
                });
                s.connect_failure = Some(f);
                return None;
            }
        }
    } else {
        Stream::Plain(tcp)
    };
    let mut ctl = Control::new(stream);
    match rec.reply(kind, &mut ctl, "banner").await {
        Ok(r) if r.code == 220 => s.banner = Some(r),
        Ok(r) => {
            s.banner = Some(r);
            return None;
        }
        Err(f) => {
            s.banner_failure = Some(f);
            return None;
        }
    }
    match rec.command(kind, &mut ctl, "FEAT").await {
        Ok(r) if r.code == 211 => {
            s.features = Some(
                r.lines
                    .iter()
                    .skip(1)
                    .take(r.lines.len().saturating_sub(2))
                    .map(|l| l.trim().to_string())
                    .collect(),
            );
        }
        Ok(_) => {}
        Err(f) => {
            s.aborted = Some(f);
            return None;
        }
    }
    Some(ctl)
}

/// AUTH TLS and the handshake on the control connection; the secured connection, or `None` when the
/// session ended there (recorded in `s.tls`).
async fn auth_tls(
    rec: &mut Recorder<'_>,
    options: &ProbeOptions,
    tls: &TlsClient,
    mut ctl: Control,
    s: &mut Session,
) -> Option<Control> {
    let kind = s.kind;
    let auth = match rec.command(kind, &mut ctl, "AUTH TLS").await {
        Ok(r) => r,
        Err(f) => {
            s.tls = Some(TlsInfo {
                auth_reply: None,
                failure: Some(f.clone()),
                protocol: None,
                certificate_problem: None,
            });
            s.aborted = Some(f);
            return None;
        }
    };
    if auth.code != 234 {
        let message = format!("AUTH TLS refused: {}", auth.last_line());
        s.tls = Some(TlsInfo {
            auth_reply: Some(auth),
            failure: Some(Failure {
                kind: FailureKind::Tls,
                message,
            }),
            protocol: None,
            certificate_problem: None,
        });
        return None;
    }
    let Ok(Stream::Plain(tcp)) = ctl.into_stream() else {
        s.aborted = Some(Failure {
            kind: FailureKind::Protocol,
            message: "the server sent data after its AUTH TLS reply".to_string(),
        });
        return None;
    };
    match rec
        .handshake(kind, "TLS", tls, &options.target.host, tcp)
        .await
    {
        Ok(t) => {
            s.tls = Some(tls_info(Some(auth), None, &t, tls));
            Some(Control::new(Stream::Tls(Box::new(t))))
        }
        Err(f) => {
            s.tls = Some(TlsInfo {
                auth_reply: Some(auth),
                failure: Some(f),
                protocol: None,
                certificate_problem: tls.verifier.last_problem(),
            });
            None
        }
    }
}

/// USER and PASS with the probe's credentials; whether the session is logged in and goes on.
async fn log_in(
    rec: &mut Recorder<'_>,
    options: &ProbeOptions,
    s: &mut Session,
    ctl: &mut Control,
) -> bool {
    let kind = s.kind;
    let user = options
        .user
        .clone()
        .unwrap_or_else(|| "anonymous".to_string());
    let password = options
        .password
        .clone()
        .unwrap_or_else(|| "vsconf@probe.invalid".to_string());
    let mut login = Login {
        user: user.clone(),
        reply: None,
        ok: false,
    };
    match rec.command(kind, ctl, &format!("USER {user}")).await {
        Ok(r) if r.code == 230 => {
            login.ok = true;
            login.reply = Some(r);
        }
        Ok(r) if r.code == 331 => match rec
            // A failed login is answered late: PAM's delay plus delay_failed_login (debian-3.0.3 with
            // pam_unix: 530 after 3.06 s), so PASS gets at least LOGIN_TIMEOUT.
            .command_within(
                kind,
                ctl,
                &format!("PASS {password}"),
                options.timeout.max(LOGIN_TIMEOUT),
            )
            .await
        {
            Ok(r) => {
                login.ok = r.code == 230;
                login.reply = Some(r);
            }
            Err(f) => s.aborted = Some(f),
        },
        Ok(r) => login.reply = Some(r),
        Err(f) => s.aborted = Some(f),
    }
    let logged_in = login.ok;
    s.login = Some(login);
    logged_in && s.aborted.is_none()
}

/// PBSZ and PROT P under TLS: whether data connections are protected too (always `false` without
/// TLS), or `None` when the session ended there.
async fn protect_data(rec: &mut Recorder<'_>, s: &mut Session, ctl: &mut Control) -> Option<bool> {
    let kind = s.kind;
    if !kind.is_tls() {
        return Some(false);
    }
    if let Err(f) = rec.command(kind, ctl, "PBSZ 0").await {
        s.aborted = Some(f);
        return None;
    }
    match rec.command(kind, ctl, "PROT P").await {
        Ok(r) => {
            let protected = r.code == 200;
            s.prot_reply = Some(r);
            Some(protected)
        }
        Err(f) => {
            s.aborted = Some(f);
            None
        }
    }
}

/// The passive checks, the permission checks and, when asked, the active checks, in that order;
/// each stops once the session has ended.
async fn data_checks(
    rec: &mut Recorder<'_>,
    options: &ProbeOptions,
    s: &mut Session,
    ctl: &mut Control,
    addr: SocketAddr,
    data_tls: Option<&TlsClient>,
) {
    for mode in [DataMode::Pasv, DataMode::Epsv] {
        if s.aborted.is_some() {
            break;
        }
        if mode == DataMode::Pasv && addr.is_ipv6() {
            continue;
        }
        passive_check(rec, options, s, ctl, mode, data_tls).await;
    }
    if options.permissions && s.aborted.is_none() {
        s.retr_reply = permission(rec, s, ctl, &format!("RETR {MISSING_FILE}")).await;
        s.stor_reply = permission(rec, s, ctl, &format!("STOR {MISSING_DIR_FILE}")).await;
    }
    if options.active {
        for mode in [DataMode::Port, DataMode::Eprt] {
            if s.aborted.is_some() {
                break;
            }
            if mode == DataMode::Port && addr.is_ipv6() {
                continue;
            }
            active_check(rec, options, s, ctl, mode, data_tls).await;
        }
    }
}

/// PASV (vsftpd wants a data channel set up before RETR/STOR) then the command; its reply.
async fn permission(
    rec: &mut Recorder<'_>,
    s: &mut Session,
    ctl: &mut Control,
    line: &str,
) -> Option<Reply> {
    if s.aborted.is_some() {
        return None;
    }
    let pre = if s.peer.is_some_and(|p| p.is_ipv6()) {
        "EPSV"
    } else {
        "PASV"
    };
    if let Err(f) = rec.command(s.kind, ctl, pre).await {
        s.aborted = Some(f);
        return None;
    }
    match rec.command(s.kind, ctl, line).await {
        Ok(r) if r.code / 100 == 1 => {
            // Never expected (the file or directory is missing); do not wait for a transfer.
            s.aborted = Some(Failure {
                kind: FailureKind::Protocol,
                message: format!("{line} started a transfer"),
            });
            Some(r)
        }
        Ok(r) => Some(r),
        Err(f) => {
            s.aborted = Some(f);
            None
        }
    }
}

async fn quit(rec: &mut Recorder<'_>, kind: SessionKind, ctl: &mut Control) {
    let _ = rec.command(kind, ctl, "QUIT").await;
}

fn tls_info(
    auth_reply: Option<Reply>,
    failure: Option<Failure>,
    t: &tokio_rustls::client::TlsStream<TcpStream>,
    tls: &TlsClient,
) -> TlsInfo {
    TlsInfo {
        auth_reply,
        failure,
        protocol: t.get_ref().1.protocol_version().map(|v| format!("{v:?}")),
        certificate_problem: tls.verifier.last_problem(),
    }
}

async fn passive_check(
    rec: &mut Recorder<'_>,
    options: &ProbeOptions,
    s: &mut Session,
    ctl: &mut Control,
    mode: DataMode,
    tls: Option<&TlsClient>,
) {
    let kind = s.kind;
    let peer = match s.peer {
        Some(p) => p,
        None => return,
    };
    let mut check = DataCheck::new(mode);
    check.tls = tls.is_some();
    let samples = options.passive_samples.max(1);
    for _ in 0..samples {
        match rec.command(kind, ctl, mode.command()).await {
            Ok(r) => {
                let address = match mode {
                    DataMode::Epsv => {
                        parse_229(r.text()).map(|port| SocketAddr::new(peer.ip(), port))
                    }
                    _ => {
                        parse_227(r.text()).map(|(ip, port)| SocketAddr::new(IpAddr::V4(ip), port))
                    }
                };
                let positive = address.is_some() && (r.code == 227 || r.code == 229);
                s.passive_replies.push(PassiveReply {
                    command: mode.command().to_string(),
                    reply: r.clone(),
                    address,
                });
                check.address = address;
                check.mode_reply = Some(r.clone());
                if !positive {
                    // A refusal (550 with pasv_enable=NO) or a dead session (500 OOPS).
                    if r.code == 421
                        || r.lines
                            .iter()
                            .any(|l| l.starts_with(crate::startup::oops::PREFIX))
                    {
                        s.aborted = Some(Failure {
                            kind: FailureKind::Closed,
                            message: format!("the server ended the session: {}", r.last_line()),
                        });
                    }
                    s.data.push(check);
                    return;
                }
            }
            Err(f) => {
                s.aborted = Some(f);
                s.data.push(check);
                return;
            }
        }
    }
    let Some(target) = check.address else {
        s.data.push(check);
        return;
    };
    let mut stream = match rec
        .connect(kind, &format!("{} data", mode.command()), target)
        .await
    {
        Ok(t) => Some(t),
        Err(f) => {
            check.connect_failure = Some(f);
            None
        }
    };
    if stream.is_none() && target.ip() != peer.ip() {
        let alt = SocketAddr::new(peer.ip(), target.port());
        match rec
            .connect(
                kind,
                &format!("{} data (control address)", mode.command()),
                alt,
            )
            .await
        {
            Ok(t) => {
                check.fallback = Some(Fallback {
                    address: alt,
                    failure: None,
                });
                stream = Some(t);
            }
            Err(f) => {
                check.fallback = Some(Fallback {
                    address: alt,
                    failure: Some(f),
                })
            }
        }
    }
    if let Some(tcp) = stream {
        transfer(rec, options, s, ctl, &mut check, tcp, tls).await;
    }
    s.data.push(check);
}

async fn active_check(
    rec: &mut Recorder<'_>,
    options: &ProbeOptions,
    s: &mut Session,
    ctl: &mut Control,
    mode: DataMode,
    tls: Option<&TlsClient>,
) {
    let kind = s.kind;
    let mut check = DataCheck::new(mode);
    check.tls = tls.is_some();
    let Some(local) = s.local else { return };
    let listener = match TcpListener::bind(SocketAddr::new(local.ip(), 0)).await {
        Ok(l) => l,
        Err(e) => {
            check.connect_failure =
                Some(io_failure(&e, "opening a local listener for active mode"));
            s.data.push(check);
            return;
        }
    };
    let Ok(listen_addr) = listener.local_addr() else {
        return;
    };
    check.address = Some(listen_addr);
    let line = match (mode, listen_addr.ip()) {
        (DataMode::Port, IpAddr::V4(ip)) => {
            format!("PORT {}", format_port(ip, listen_addr.port()))
        }
        (_, IpAddr::V4(ip)) => format!("EPRT |1|{ip}|{}|", listen_addr.port()),
        (_, IpAddr::V6(ip)) => format!("EPRT |2|{ip}|{}|", listen_addr.port()),
    };
    match rec.command(kind, ctl, &line).await {
        Ok(r) => {
            let ok = r.code == 200;
            check.mode_reply = Some(r);
            if !ok {
                s.data.push(check);
                return;
            }
        }
        Err(f) => {
            s.aborted = Some(f);
            s.data.push(check);
            return;
        }
    }
    if let Err(f) = send(rec, kind, ctl, "LIST").await {
        s.aborted = Some(f);
        s.data.push(check);
        return;
    }
    rec.say(&format!(
        "{}: {}: waiting for the server to connect to {listen_addr} (timeout {})",
        kind.label(),
        mode.command(),
        secs(rec.timeout)
    ));
    let start = Instant::now();
    let Some(accepted) = wait_for_server(rec, kind, ctl, &listener, &mut check, start).await else {
        s.data.push(check);
        return;
    };
    settle_active(rec, options, s, ctl, (check, start), accepted, tls).await;
}

/// How waiting for the server's active data connection ended: the connection (or the error of
/// accepting it), a failed read of the control connection, or `Err(None)` on the timeout.
type Accepted = Result<std::io::Result<(TcpStream, SocketAddr)>, Option<Failure>>;

/// Waits for the server to connect to the probe's listener after LIST. vsftpd connects before it
/// answers 150, but refuses some transfers (522 without PROT P, 550 with dirlist_enable=NO) without
/// connecting: whichever comes first wins, the connection preferred when both are ready. A 1yz reply
/// read first is kept for the transfer; `None` when the server refused the transfer (recorded in
/// `check`). Dropping read_reply mid-reply loses nothing: the partial reply stays in the control's
/// reader.
async fn wait_for_server(
    rec: &mut Recorder<'_>,
    kind: SessionKind,
    ctl: &mut Control,
    listener: &TcpListener,
    check: &mut DataCheck,
    start: Instant,
) -> Option<Accepted> {
    let deadline = tokio::time::Instant::now() + rec.timeout;
    let first = tokio::time::timeout_at(deadline, async {
        tokio::select! {
            biased;
            a = listener.accept() => Ok(a),
            r = ctl.read_reply() => Err(r),
        }
    })
    .await;
    Some(match first {
        Ok(Ok(a)) => Ok(a),
        Ok(Err(Ok(r))) if r.code / 100 == 1 => {
            rec.step(
                kind,
                "transfer reply",
                None,
                (r.last_line().to_string(), Some(r.code), true),
                start,
            );
            check.transfer_reply = Some(r);
            match tokio::time::timeout_at(deadline, listener.accept()).await {
                Ok(a) => Ok(a),
                Err(_) => Err(None),
            }
        }
        Ok(Err(Ok(r))) => {
            rec.step(
                kind,
                "transfer reply",
                None,
                (r.last_line().to_string(), Some(r.code), r.is_positive()),
                start,
            );
            check.transfer_reply = Some(r);
            return None;
        }
        Ok(Err(Err(e))) => Err(Some(wire_failure(e))),
        Err(_) => Err(None),
    })
}

/// Records how the active data connection ended and, when the server connected, runs the transfer;
/// a failed connection abandons the session (the server may still be trying).
async fn settle_active(
    rec: &mut Recorder<'_>,
    options: &ProbeOptions,
    s: &mut Session,
    ctl: &mut Control,
    (mut check, start): (DataCheck, Instant),
    accepted: Accepted,
    tls: Option<&TlsClient>,
) {
    let kind = s.kind;
    let action = format!("{} data", check.mode.command());
    let listen_addr = check.address.map(|a| a.to_string()).unwrap_or_default();
    match accepted {
        Ok(Ok((tcp, from))) => {
            rec.step(
                kind,
                &action,
                None,
                (format!("the server connected from {from}"), None, true),
                start,
            );
            check.source = Some(from);
            transfer_after_list(rec, options, s, ctl, &mut check, tcp, tls).await;
        }
        Ok(Err(e)) => {
            let f = io_failure(&e, "accepting the data connection");
            rec.step(kind, &action, None, (f.message.clone(), None, false), start);
            check.connect_failure = Some(f);
            // The server may still be trying: the control connection's state is unknown.
            s.aborted = Some(Failure {
                kind: FailureKind::Io,
                message: "session abandoned after a failed active data connection".to_string(),
            });
        }
        Err(Some(f)) => {
            rec.step(
                kind,
                "transfer reply",
                None,
                (f.message.clone(), None, false),
                start,
            );
            check.transfer_failure = Some(f.clone());
            s.aborted = Some(f);
        }
        Err(None) => {
            let f = timeout_failure(
                rec.timeout,
                &format!("waiting for the server to connect to {listen_addr}"),
            );
            rec.step(kind, &action, None, (f.message.clone(), None, false), start);
            check.connect_failure = Some(f);
            s.aborted = Some(Failure {
                kind: FailureKind::Timeout,
                message: "session abandoned after a failed active data connection".to_string(),
            });
        }
    }
    s.data.push(check);
}

async fn send(
    rec: &mut Recorder<'_>,
    kind: SessionKind,
    ctl: &mut Control,
    line: &str,
) -> Result<(), Failure> {
    let start = Instant::now();
    let r = match tokio::time::timeout(rec.timeout, ctl.send(line)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(wire_failure(e)),
        Err(_) => Err(timeout_failure(rec.timeout, &format!("sending {line}"))),
    };
    match &r {
        Ok(()) => rec.step(
            kind,
            line,
            Some(line),
            ("sent".to_string(), None, true),
            start,
        ),
        Err(f) => rec.step(
            kind,
            line,
            Some(line),
            (f.message.clone(), None, false),
            start,
        ),
    }
    r
}

/// Passive: the data connection is open; send LIST and read the transfer.
async fn transfer(
    rec: &mut Recorder<'_>,
    options: &ProbeOptions,
    s: &mut Session,
    ctl: &mut Control,
    check: &mut DataCheck,
    tcp: TcpStream,
    tls: Option<&TlsClient>,
) {
    if let Err(f) = send(rec, s.kind, ctl, "LIST").await {
        s.aborted = Some(f);
        return;
    }
    transfer_after_list(rec, options, s, ctl, check, tcp, tls).await;
}

/// The data connection is open and LIST was sent: TLS handshake when PROT P, the 150, the data, the
/// 226. vsftpd does the data TLS handshake before it writes 150.
async fn transfer_after_list(
    rec: &mut Recorder<'_>,
    options: &ProbeOptions,
    s: &mut Session,
    ctl: &mut Control,
    check: &mut DataCheck,
    tcp: TcpStream,
    tls: Option<&TlsClient>,
) {
    let kind = s.kind;
    let action = format!("{} LIST", check.mode.command());
    let data: Box<dyn AsyncRead + Unpin + Send> = match tls {
        Some(tls) => match rec
            .handshake(
                kind,
                &format!("{} data", check.mode.command()),
                tls,
                &options.target.host,
                tcp,
            )
            .await
        {
            Ok(t) => Box::new(t),
            Err(f) => {
                check.tls_failure = Some(f);
                // vsftpd says why (e.g. 522) on the control connection.
                if let Ok(r) = rec.reply(kind, ctl, "transfer reply").await {
                    check.transfer_reply = Some(r);
                } else {
                    s.aborted = Some(Failure {
                        kind: FailureKind::Tls,
                        message: "session abandoned after a failed data TLS handshake".to_string(),
                    });
                }
                return;
            }
        },
        None => Box::new(tcp),
    };
    // Active mode may have read the 150 already (see active_check).
    let preliminary = match check.transfer_reply.take() {
        Some(r) => Ok(r),
        None => rec.reply(kind, ctl, "transfer reply").await,
    };
    match preliminary {
        Ok(r) => {
            let started = r.code / 100 == 1;
            check.transfer_reply = Some(r);
            if !started {
                return;
            }
        }
        Err(f) => {
            check.transfer_failure = Some(f.clone());
            s.aborted = Some(f);
            return;
        }
    }
    rec.say(&format!(
        "{}: {action}: reading the listing (timeout {})",
        kind.label(),
        secs(rec.timeout)
    ));
    let start = Instant::now();
    match tokio::time::timeout(rec.timeout, read_listing(data)).await {
        Ok(Ok((bytes, lines))) => {
            check.listing_bytes = bytes;
            check.listing_lines = lines;
            rec.step(
                kind,
                &action,
                None,
                (format!("{bytes} bytes, {lines} lines"), None, true),
                start,
            );
        }
        Ok(Err(e)) => {
            let f = io_failure(&e, "reading the listing");
            rec.step(kind, &action, None, (f.message.clone(), None, false), start);
            check.transfer_failure = Some(f.clone());
            s.aborted = Some(f);
            return;
        }
        Err(_) => {
            let f = timeout_failure(rec.timeout, "reading the listing");
            rec.step(kind, &action, None, (f.message.clone(), None, false), start);
            check.transfer_failure = Some(f.clone());
            s.aborted = Some(f);
            return;
        }
    }
    match rec.reply(kind, ctl, "transfer end").await {
        Ok(r) => check.done_reply = Some(r),
        Err(f) => {
            check.transfer_failure = Some(f.clone());
            s.aborted = Some(f);
        }
    }
}

async fn read_listing(mut data: Box<dyn AsyncRead + Unpin + Send>) -> std::io::Result<(u64, u64)> {
    let mut bytes = 0u64;
    let mut lines = 0u64;
    let mut buf = [0u8; 8192];
    loop {
        let n = match data.read(&mut buf).await {
            Ok(n) => n,
            // vsftpd closes the TLS data connection without close_notify at times; the byte count
            // and the 226 tell whether the listing was complete.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => 0,
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok((bytes, lines));
        }
        let chunk = buf.get(..n).unwrap_or(&[]);
        lines = lines.saturating_add(chunk.iter().filter(|&&b| b == b'\n').count() as u64);
        bytes = bytes.saturating_add(n as u64);
        if bytes >= MAX_LISTING_BYTES {
            return Ok((bytes, lines));
        }
    }
}

/// `PASS secret` → `PASS ****`.
fn mask(line: &str) -> String {
    if line.len() >= 5
        && line
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("PASS "))
    {
        "PASS ****".to_string()
    } else {
        line.to_string()
    }
}

fn secs(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

fn timeout_failure(timeout: Duration, what: &str) -> Failure {
    Failure {
        kind: FailureKind::Timeout,
        message: format!("no answer within {}: {what} timed out", secs(timeout)),
    }
}

fn wire_failure(e: WireError) -> Failure {
    let kind = match e {
        WireError::Closed => FailureKind::Closed,
        WireError::Io(_) => FailureKind::Io,
        WireError::LineTooLong | WireError::TooManyLines | WireError::Garbage(_) => {
            FailureKind::Protocol
        }
    };
    Failure {
        kind,
        message: e.to_string(),
    }
}

fn io_failure(e: &std::io::Error, what: &str) -> Failure {
    use std::io::ErrorKind as K;
    let kind = match e.kind() {
        K::ConnectionRefused => FailureKind::Refused,
        K::NetworkUnreachable | K::HostUnreachable => FailureKind::Unreachable,
        K::ConnectionReset | K::ConnectionAborted | K::UnexpectedEof | K::BrokenPipe => {
            FailureKind::Closed
        }
        K::TimedOut => FailureKind::Timeout,
        _ => FailureKind::Io,
    };
    let reason = match kind {
        FailureKind::Refused => "connection refused".to_string(),
        FailureKind::Unreachable => format!("unreachable ({e})"),
        _ => e.to_string(),
    };
    Failure {
        kind,
        message: format!("{what}: {reason}"),
    }
}
