//! What a probe saw: plain data, serialisable, filled in by `checks` and read by `diagnosis` (which
//! never does I/O). Synthetic observations drive the diagnosis tests.

use std::net::{IpAddr, SocketAddr};

use serde::{Deserialize, Serialize};

pub use crate::ftp::Reply;

/// Where to probe: `ftp://HOST[:PORT]` or `ftps://HOST[:PORT]` (implicit FTPS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The host as given (name or address; IPv6 without brackets).
    pub host: String,
    /// The control port.
    pub port: u16,
    /// `ftps://`: TLS from the first byte.
    pub implicit_tls: bool,
}

impl Target {
    /// The URL form, for output.
    pub fn url(&self) -> String {
        let scheme = if self.implicit_tls { "ftps" } else { "ftp" };
        if self.host.contains(':') {
            format!("{scheme}://[{}]:{}", self.host, self.port)
        } else {
            format!("{scheme}://{}:{}", self.host, self.port)
        }
    }
}

/// `--tls`: whether to use explicit FTPS (`AUTH TLS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    /// TLS must work; a server without it fails the probe.
    Require,
    /// Use TLS when FEAT offers `AUTH TLS`, and compare with a plain session.
    #[default]
    Try,
    /// Never send `AUTH TLS`.
    Off,
}

impl TlsMode {
    /// The `--tls` value.
    pub fn label(self) -> &'static str {
        match self {
            TlsMode::Require => "require",
            TlsMode::Try => "try",
            TlsMode::Off => "off",
        }
    }
}

/// Which kind of control connection a session used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    /// No TLS.
    Plain,
    /// `AUTH TLS` after the banner.
    ExplicitTls,
    /// TLS from the first byte (`ftps://`).
    ImplicitTls,
}

impl SessionKind {
    /// Whether the control connection is (meant to be) encrypted.
    pub fn is_tls(self) -> bool {
        !matches!(self, SessionKind::Plain)
    }

    /// A short name for output.
    pub fn label(self) -> &'static str {
        match self {
            SessionKind::Plain => "plain",
            SessionKind::ExplicitTls => "tls",
            SessionKind::ImplicitTls => "implicit-tls",
        }
    }
}

/// How a network operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// No answer within the timeout.
    Timeout,
    /// Connection refused (RST).
    Refused,
    /// No route, network unreachable, host unreachable.
    Unreachable,
    /// The peer closed the connection.
    Closed,
    /// The peer sent something that is not FTP, or a line or reply over the limits.
    Protocol,
    /// The TLS handshake failed.
    Tls,
    /// Name resolution failed.
    Resolve,
    /// Anything else.
    Io,
}

/// A failed operation: its kind and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// What kind of failure.
    pub kind: FailureKind,
    /// What happened, in words.
    pub message: String,
}

/// One line of the step log: a command and its reply, or a connection, with its duration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The session it belongs to.
    pub session: SessionKind,
    /// What was done (`connect`, `banner`, `FEAT`, `PASV`, `data`, `LIST`, …).
    pub action: String,
    /// The command line sent, with the password masked.
    pub sent: Option<String>,
    /// The reply's last line, or what happened (`connected to 127.0.0.1:21`).
    pub result: String,
    /// The reply code, when there was a reply.
    pub code: Option<u16>,
    /// Whether this step went as hoped.
    pub ok: bool,
    /// How long it took, in milliseconds.
    pub elapsed_ms: f64,
}

/// What the TLS handshake gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsInfo {
    /// The `AUTH TLS` reply (explicit FTPS only).
    pub auth_reply: Option<Reply>,
    /// Handshake failure, if any.
    pub failure: Option<Failure>,
    /// `TLSv1_3`, `TLSv1_2`, when established.
    pub protocol: Option<String>,
    /// Why the certificate would not pass normal verification (self-signed, wrong name, expired);
    /// `None` when it would. The probe accepts it anyway, to be able to probe test servers.
    pub certificate_problem: Option<String>,
}

/// A passive-mode reply (`227` or `229`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassiveReply {
    /// `PASV` or `EPSV`.
    pub command: String,
    /// The reply.
    pub reply: Reply,
    /// The address and port it announced (EPSV: the control peer's address and the port).
    pub address: Option<SocketAddr>,
}

/// Which data-connection mode a check used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataMode {
    /// `PASV` (IPv4, address in the reply).
    Pasv,
    /// `EPSV` (port only).
    Epsv,
    /// `PORT` (active, IPv4).
    Port,
    /// `EPRT` (active).
    Eprt,
}

impl DataMode {
    /// The command's name.
    pub fn command(self) -> &'static str {
        match self {
            DataMode::Pasv => "PASV",
            DataMode::Epsv => "EPSV",
            DataMode::Port => "PORT",
            DataMode::Eprt => "EPRT",
        }
    }

    /// Whether the server connects to the client.
    pub fn is_active(self) -> bool {
        matches!(self, DataMode::Port | DataMode::Eprt)
    }
}

/// One data-connection check: open the data connection, list, read the transfer's replies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataCheck {
    /// The mode.
    pub mode: DataMode,
    /// The reply to the mode command (`227`, `229`, `200`, or a refusal).
    pub mode_reply: Option<Reply>,
    /// Passive: where the data connection went. Active: where the probe listened.
    pub address: Option<SocketAddr>,
    /// Whether the data connection opened; the failure otherwise.
    pub connect_failure: Option<Failure>,
    /// Passive only: when connecting to the announced address failed and it differs from the
    /// control connection's peer, what trying the control peer's address instead gave.
    pub fallback: Option<Fallback>,
    /// Active only: the server's source address of the data connection.
    pub source: Option<SocketAddr>,
    /// Whether the data connection was TLS (PROT P).
    pub tls: bool,
    /// The data connection's TLS handshake failure, if any.
    pub tls_failure: Option<Failure>,
    /// The first transfer reply (`150`, or a refusal such as `522`, `425`).
    pub transfer_reply: Option<Reply>,
    /// The final transfer reply (`226`).
    pub done_reply: Option<Reply>,
    /// Bytes of listing received.
    pub listing_bytes: u64,
    /// Lines of listing received.
    pub listing_lines: u64,
    /// Anything that stopped the check after the connection opened (timeout reading, closed).
    pub transfer_failure: Option<Failure>,
}

impl DataCheck {
    /// A check that has not run yet.
    pub fn new(mode: DataMode) -> DataCheck {
        DataCheck {
            mode,
            mode_reply: None,
            address: None,
            connect_failure: None,
            fallback: None,
            source: None,
            tls: false,
            tls_failure: None,
            transfer_reply: None,
            done_reply: None,
            listing_bytes: 0,
            listing_lines: 0,
            transfer_failure: None,
        }
    }

    /// Whether the listing arrived completely (`226` after the data).
    pub fn listed(&self) -> bool {
        let connected = self.connect_failure.is_none()
            || self.fallback.as_ref().is_some_and(Fallback::connected);
        connected
            && self.tls_failure.is_none()
            && self.transfer_failure.is_none()
            && self.done_reply.as_ref().is_some_and(|r| r.code == 226)
    }
}

/// A second try of a passive data connection, on the control connection's address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fallback {
    /// Where.
    pub address: SocketAddr,
    /// Why it failed too; `None` when it worked.
    pub failure: Option<Failure>,
}

impl Fallback {
    /// Whether the second try connected.
    pub fn connected(&self) -> bool {
        self.failure.is_none()
    }
}

/// Login result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Login {
    /// The user name sent.
    pub user: String,
    /// The last reply of the exchange (`230` on success).
    pub reply: Option<Reply>,
    /// Whether login succeeded.
    pub ok: bool,
}

/// One control connection and everything done on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Plain or TLS.
    pub kind: SessionKind,
    /// The address connected to.
    pub peer: Option<SocketAddr>,
    /// The probe's own address on the control connection.
    pub local: Option<SocketAddr>,
    /// Why the control connection could not be made.
    pub connect_failure: Option<Failure>,
    /// The greeting.
    pub banner: Option<Reply>,
    /// Why no usable greeting arrived.
    pub banner_failure: Option<Failure>,
    /// FEAT's feature lines (trimmed), when FEAT answered 211.
    pub features: Option<Vec<String>>,
    /// TLS, for TLS sessions.
    pub tls: Option<TlsInfo>,
    /// The login.
    pub login: Option<Login>,
    /// `PROT P`'s reply (TLS sessions).
    pub prot_reply: Option<Reply>,
    /// Every PASV/EPSV reply, in order.
    pub passive_replies: Vec<PassiveReply>,
    /// The data checks.
    pub data: Vec<DataCheck>,
    /// `--permissions`: the reply to `RETR` of a file that does not exist (after a PASV):
    /// `550 Failed to open file.` means downloads are allowed, `550 Permission denied.` not.
    pub retr_reply: Option<Reply>,
    /// `--permissions`: the reply to `STOR` into a directory that does not exist (nothing is
    /// created): `553 Could not create file.` means uploads are allowed, `550 Permission denied.` not.
    pub stor_reply: Option<Reply>,
    /// What stopped the session early (a timeout mid-transfer, a closed connection), if anything.
    pub aborted: Option<Failure>,
}

impl Session {
    /// A session that has not started.
    pub fn new(kind: SessionKind) -> Session {
        Session {
            kind,
            peer: None,
            local: None,
            connect_failure: None,
            banner: None,
            banner_failure: None,
            features: None,
            tls: None,
            login: None,
            prot_reply: None,
            passive_replies: Vec::new(),
            data: Vec::new(),
            retr_reply: None,
            stor_reply: None,
            aborted: None,
        }
    }

    /// Whether the login succeeded.
    pub fn logged_in(&self) -> bool {
        self.login.as_ref().is_some_and(|l| l.ok)
    }

    /// Whether FEAT listed `AUTH TLS`.
    pub fn offers_auth_tls(&self) -> bool {
        self.features
            .as_ref()
            .is_some_and(|f| f.iter().any(|l| l.eq_ignore_ascii_case("AUTH TLS")))
    }

    /// The passive data checks.
    pub fn passive_checks(&self) -> impl Iterator<Item = &DataCheck> {
        self.data.iter().filter(|d| !d.mode.is_active())
    }

    /// The peer's IP.
    pub fn peer_ip(&self) -> Option<IpAddr> {
        self.peer.map(|p| p.ip())
    }
}

/// Everything a probe saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observations {
    /// Where.
    pub target: Target,
    /// The login name used (`anonymous` by default).
    pub user: String,
    /// `--tls`.
    pub tls_mode: TlsMode,
    /// `--active`.
    pub active: bool,
    /// The per-step timeout, in milliseconds.
    pub timeout_ms: u64,
    /// The sessions, plain first.
    pub sessions: Vec<Session>,
    /// The step log.
    pub steps: Vec<Step>,
}
