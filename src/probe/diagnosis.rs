//! Observations → findings in the operator's words. Pure: no I/O, no clock; the tests feed it
//! synthetic observations.
//!
//! The words carry vsftpd's facts (../shared/reference/data-channel.md): PASV's address is the
//! control connection's local address unless `pasv_address` is set; `listen_ipv6=YES` answers
//! `0,0,0,0` and ignores `pasv_address`; the kernel's FTP helper reads the plaintext control
//! connection and is blind under TLS.

use std::net::{IpAddr, SocketAddr};

use serde::{Deserialize, Serialize};

use crate::startup::oops;

use super::observation::{
    DataCheck, DataMode, Failure, FailureKind, Observations, Session, SessionKind, TlsMode,
};

/// How a finding counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A check passed.
    Pass,
    /// Worth knowing; not a failure.
    Info,
    /// A check failed (exit status 1).
    Fail,
    /// The server could not be reached or is not an FTP server (exit status 2).
    Error,
}

impl Status {
    /// The word shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "ok",
            Status::Info => "info",
            Status::Fail => "FAIL",
            Status::Error => "ERROR",
        }
    }
}

/// One conclusion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// How it counts.
    pub status: Status,
    /// A stable kebab-case identifier (`passive-blocked`).
    pub code: String,
    /// The conclusion in the operator's words.
    pub message: String,
}

fn finding(status: Status, code: &str, message: String) -> Finding {
    Finding {
        status,
        code: code.to_string(),
        message,
    }
}

/// The exit status for a list of findings: 2 on an error, 1 on a failure, else 0.
pub fn exit_status(findings: &[Finding]) -> u8 {
    if findings.iter().any(|f| f.status == Status::Error) {
        2
    } else if findings.iter().any(|f| f.status == Status::Fail) {
        1
    } else {
        0
    }
}

/// Why a data connection fails under TLS only, and the fix.
const HELPER_CAUSE: &str = "the firewall relies on the FTP conntrack helper, which cannot read the encrypted PASV/EPSV replies: open the passive range (pasv_min_port-pasv_max_port) explicitly; `vsconf firewall CONF` writes those rules";

/// Judges what a probe saw.
pub fn diagnose(obs: &Observations) -> Vec<Finding> {
    let mut out = Vec::new();
    let timeout = secs(obs.timeout_ms);
    let Some(first) = obs.sessions.first() else {
        out.push(finding(
            Status::Error,
            "nothing-probed",
            "nothing was probed".to_string(),
        ));
        return out;
    };
    if !control(first, &timeout, &mut out) {
        return out;
    }
    let plain = obs.sessions.iter().find(|s| s.kind == SessionKind::Plain);
    let tls = obs.sessions.iter().find(|s| s.kind.is_tls());
    tls_findings(obs, first, tls, &mut out);
    let plain_passive_ok = plain.is_some_and(|s| s.passive_checks().any(DataCheck::listed));
    // Plaintext cannot be compared when the server refuses a plaintext login that works under TLS
    // (force_local_logins_ssl): then a TLS-only data failure has no witness, but the same cause.
    let plain_refused =
        plain.is_some_and(|p| !p.logged_in()) && tls.is_some_and(Session::logged_in);
    for s in &obs.sessions {
        if s.kind != first.kind && !control(s, &timeout, &mut Vec::new()) {
            continue;
        }
        if !login(obs, s, plain, tls, &mut out) {
            continue;
        }
        data(obs, s, plain_passive_ok, plain_refused, &timeout, &mut out);
        permissions(s, &mut out);
    }
    ports(obs, &mut out);
    out
}

/// The control connection and the greeting; false when nothing more can be said.
fn control(s: &Session, timeout: &str, out: &mut Vec<Finding>) -> bool {
    let addr = s
        .peer
        .map(|a| a.to_string())
        .unwrap_or_else(|| "the server".to_string());
    let port = s.peer.map(|a| a.port()).unwrap_or(21);
    if let Some(f) = &s.connect_failure {
        let message = match f.kind {
            FailureKind::Refused => format!(
                "{addr} refused the connection — nothing listens on port {port}: is vsftpd running, and are listen_port and listen_address what you think?"
            ),
            FailureKind::Timeout => format!(
                "no answer from {addr} within {timeout} — a firewall drops packets to port {port}, or the host is down"
            ),
            FailureKind::Unreachable => format!(
                "{addr} is unreachable — check the address and the routing ({})",
                f.message
            ),
            FailureKind::Resolve => f.message.clone(),
            FailureKind::Tls => format!(
                "the TLS handshake with {addr} failed ({}) — is this implicit FTPS (implicit_ssl=YES)? for explicit FTPS use ftp:// (AUTH TLS)",
                f.message
            ),
            _ => format!("cannot connect to {addr}: {}", f.message),
        };
        out.push(finding(Status::Error, "control-unreachable", message));
        return false;
    }
    if let Some(f) = &s.banner_failure {
        let message = match f.kind {
            FailureKind::Timeout => format!(
                "connected to {addr}, but no greeting arrived within {timeout} — the server accepts connections and never answers (a stuck server, tcp_wrappers, implicit FTPS (try ftps://), or not FTP)"
            ),
            FailureKind::Closed => format!(
                "connected to {addr}, but the server closed the connection before greeting — max_clients, max_per_ip, tcp_wrappers or a crash"
            ),
            FailureKind::Protocol => format!("{addr} does not speak FTP: {}", f.message),
            _ => format!(
                "connected to {addr}, but reading the greeting failed: {}",
                f.message
            ),
        };
        out.push(finding(Status::Error, "no-greeting", message));
        return false;
    }
    match &s.banner {
        Some(b) if b.code == 220 => {
            out.push(finding(
                Status::Pass,
                "control",
                format!("control connection to {addr} works: \"{}\"", b.last_line()),
            ));
            true
        }
        Some(b) if b.lines.iter().any(|l| l.starts_with(oops::PREFIX)) => {
            let line = b
                .lines
                .iter()
                .find(|l| l.starts_with(oops::PREFIX))
                .map(String::as_str)
                .unwrap_or("");
            out.push(finding(
                Status::Error,
                "session-refused",
                format!("vsftpd refuses every session: \"{line}\""),
            ));
            false
        }
        Some(b) => {
            out.push(finding(
                Status::Error,
                "session-refused",
                format!("the server turned the session away: \"{}\"", b.last_line()),
            ));
            false
        }
        None => false,
    }
}

fn tls_findings(
    obs: &Observations,
    first: &Session,
    tls: Option<&Session>,
    out: &mut Vec<Finding>,
) {
    let required = obs.tls_mode == TlsMode::Require || obs.target.implicit_tls;
    let Some(t) = tls else {
        match obs.tls_mode {
            TlsMode::Require => out.push(finding(Status::Fail, "tls-unavailable", "TLS is required (--tls require) but the server was not probed with it".to_string())),
            TlsMode::Try if first.features.is_some() && !first.offers_auth_tls() => out.push(finding(
                Status::Info,
                "tls-not-offered",
                "FEAT does not list AUTH TLS: probed without TLS (ssl_enable=NO, or ssl_tlsv1=NO on upstream 3.0.5)".to_string(),
            )),
            _ => {}
        }
        return;
    };
    let Some(info) = &t.tls else { return };
    let unlisted = first.features.is_some() && !first.offers_auth_tls();
    if let Some(f) = &info.failure {
        let refused = info.auth_reply.as_ref().is_some_and(|r| r.code != 234);
        let status = if required || !refused {
            Status::Fail
        } else {
            Status::Info
        };
        let (code, message) = match &info.auth_reply {
            Some(r) if r.code != 234 && unlisted && !required => (
                "tls-not-offered",
                format!(
                    "the server does not offer TLS: FEAT does not list AUTH TLS and AUTH TLS was refused (\"{}\"); probed without TLS",
                    r.last_line()
                ),
            ),
            Some(r) if r.code != 234 => (
                "tls-failed",
                format!("AUTH TLS refused: \"{}\"", r.last_line()),
            ),
            _ => (
                "tls-failed",
                format!("TLS on the control connection failed: {}", f.message),
            ),
        };
        out.push(finding(status, code, message));
        return;
    }
    let proto = info.protocol.clone().unwrap_or_else(|| "TLS".to_string());
    out.push(finding(
        Status::Pass,
        "tls",
        format!("TLS on the control connection works ({proto})"),
    ));
    if unlisted && !obs.target.implicit_tls {
        out.push(finding(
            Status::Info,
            "tls-unlisted",
            "FEAT does not list AUTH TLS, yet the server accepts it (vsftpd leaves it out with ssl_tlsv1=NO): clients that trust FEAT will not try TLS".to_string(),
        ));
    }
    if let Some(p) = &info.certificate_problem {
        out.push(finding(
            Status::Info,
            "certificate-untrusted",
            format!("the server's certificate would fail verification ({p}); the probe accepted it anyway, as probing test servers needs — clients that verify will refuse it"),
        ));
    }
}

/// The login; false when the session cannot go further.
fn login(
    obs: &Observations,
    s: &Session,
    plain: Option<&Session>,
    tls: Option<&Session>,
    out: &mut Vec<Finding>,
) -> bool {
    if s.kind.is_tls() && s.tls.as_ref().is_some_and(|t| t.failure.is_some()) {
        return false;
    }
    let Some(l) = &s.login else {
        if let Some(f) = &s.aborted {
            out.push(finding(
                Status::Fail,
                "session-ended",
                format!(
                    "the {} session ended before login: {}",
                    s.kind.label(),
                    f.message
                ),
            ));
        }
        return false;
    };
    let under = if s.kind.is_tls() {
        "under TLS"
    } else {
        "without TLS"
    };
    if l.ok {
        out.push(finding(
            Status::Pass,
            "login",
            format!("login as {} works {under}", l.user),
        ));
        return true;
    }
    let line = l.reply.as_ref().map(|r| r.last_line().to_string());
    let text = line.clone().unwrap_or_else(|| {
        s.aborted
            .as_ref()
            .map(|f| f.message.clone())
            .unwrap_or_default()
    });
    let other_ok = if s.kind.is_tls() {
        plain.is_some_and(Session::logged_in)
    } else {
        tls.is_some_and(Session::logged_in)
    };
    if s.kind == SessionKind::Plain && text.contains("must use encryption") && other_ok {
        out.push(finding(Status::Info, "login-needs-tls", format!("login as {} needs TLS: without it the server says \"{text}\" (force_local_logins_ssl)", l.user)));
    } else if s.kind.is_tls()
        && text.contains("may not use encryption")
        && obs.tls_mode != TlsMode::Require
        && !obs.target.implicit_tls
    {
        out.push(finding(
            Status::Info,
            "anonymous-tls-refused",
            format!("anonymous logins are refused under TLS: \"{text}\" (allow_anon_ssl=NO), so data under TLS was not checked"),
        ));
    } else {
        out.push(finding(
            Status::Fail,
            "login-failed",
            format!("login as {} {under} failed: \"{text}\"", l.user),
        ));
    }
    false
}

fn data(
    obs: &Observations,
    s: &Session,
    plain_passive_ok: bool,
    plain_refused: bool,
    timeout: &str,
    out: &mut Vec<Finding>,
) {
    let ctx = DataContext {
        s,
        plain_passive_ok,
        plain_refused,
        timeout,
        under: if s.kind.is_tls() { " under TLS" } else { "" },
    };
    // The conntrack-helper diagnosis is said once per session, not once per data command.
    let mut said_tls_only = false;
    for c in &s.data {
        out.extend(data_channel(&ctx, c, &mut said_tls_only));
    }
    if obs.active
        && !s.data.iter().any(|c| c.mode.is_active())
        && let Some(f) = &s.aborted
    {
        out.push(finding(
            Status::Info,
            "active-not-checked",
            format!(
                "active mode was not checked{}: the session ended first ({})",
                ctx.under, f.message
            ),
        ));
    }
}

/// What one data connection is judged against: its session and what the plaintext session saw.
struct DataContext<'a> {
    s: &'a Session,
    /// A passive listing worked in the plaintext session.
    plain_passive_ok: bool,
    /// The server refused the plaintext login.
    plain_refused: bool,
    /// The data timeout, as people read it.
    timeout: &'a str,
    /// `" under TLS"` or nothing.
    under: &'static str,
}

/// The finding for one data connection, in the order its steps happened: mode command, connection,
/// TLS handshake, transfer.
fn data_channel(ctx: &DataContext<'_>, c: &DataCheck, said_tls_only: &mut bool) -> Option<Finding> {
    let cmd = c.mode.command();
    let under = ctx.under;
    let Some(reply) = &c.mode_reply else {
        return c.connect_failure.as_ref().map(|f| {
            finding(
                Status::Fail,
                "active-failed",
                format!("{cmd}: {}", f.message),
            )
        });
    };
    if !matches!(reply.code, 200 | 227 | 229) {
        return Some(refusal(c.mode, reply.last_line()));
    }
    if !c.mode.is_active() && c.address.is_none() {
        return Some(finding(
            Status::Fail,
            "passive-reply-unreadable",
            format!(
                "{cmd}{under}: the reply names no address and port a client can use: \"{}\"",
                reply.last_line()
            ),
        ));
    }
    if c.listed() {
        return Some(listed(ctx, c));
    }
    if let Some(f) = &c.connect_failure {
        return connect_failed(ctx, c, f, said_tls_only);
    }
    if let Some(f) = &c.tls_failure {
        let said = c
            .transfer_reply
            .as_ref()
            .map(|r| format!(" — the server says \"{}\"", r.last_line()))
            .unwrap_or_default();
        let hint = if said.contains("session reuse required") {
            " (require_ssl_reuse=YES: the client must resume the control connection's TLS session)"
        } else {
            ""
        };
        return Some(finding(
            Status::Fail,
            "data-tls-failed",
            format!(
                "{cmd}: the data connection opened but its TLS handshake failed: {}{said}{hint}",
                f.message
            ),
        ));
    }
    if let Some(r) = &c.transfer_reply
        && r.code / 100 != 1
    {
        let line = r.last_line();
        return Some(if line.contains("must be encrypted") {
            finding(
                Status::Info,
                "data-needs-tls",
                format!(
                    "{cmd}{under}: data connections need TLS: \"{line}\" (force_anon_data_ssl / force_local_data_ssl)"
                ),
            )
        } else if line.starts_with("550") {
            finding(
                Status::Info,
                "listing-disabled",
                format!(
                    "{cmd}{under}: LIST refused: \"{line}\" (dirlist_enable=NO?), so no data went through"
                ),
            )
        } else {
            finding(
                Status::Fail,
                "listing-refused",
                format!("{cmd}{under}: LIST was answered \"{line}\""),
            )
        });
    }
    if let Some(f) = &c.transfer_failure {
        return Some(finding(
            Status::Fail,
            "listing-stalled",
            format!("{cmd}{under}: the listing did not complete: {}", f.message),
        ));
    }
    c.done_reply.as_ref().map(|r| {
        finding(
            Status::Fail,
            "listing-failed",
            format!(
                "{cmd}{under}: the transfer ended with \"{}\"",
                r.last_line()
            ),
        )
    })
}

/// A data connection that carried the listing.
fn listed(ctx: &DataContext<'_>, c: &DataCheck) -> Finding {
    if c.fallback.is_some() {
        return pasv_address_finding(ctx.s, c, true);
    }
    let how = match (c.mode.is_active(), c.source) {
        (true, Some(src)) => format!(
            "the server connected from {src}{}",
            source_port_words(src.port())
        ),
        _ => c
            .address
            .map(|a| format!("data connection to {a}"))
            .unwrap_or_default(),
    };
    finding(
        Status::Pass,
        if c.mode.is_active() {
            "active"
        } else {
            "passive"
        },
        format!(
            "{}{} works: {how}, listing {} lines",
            c.mode.command(),
            ctx.under,
            c.listing_lines
        ),
    )
}

/// A data connection that could not be opened: whose firewall, or the conntrack helper under TLS.
fn connect_failed(
    ctx: &DataContext<'_>,
    c: &DataCheck,
    f: &Failure,
    said_tls_only: &mut bool,
) -> Option<Finding> {
    let cmd = c.mode.command();
    let under = ctx.under;
    let at = c.address.map(|a| a.to_string()).unwrap_or_default();
    if c.mode.is_active() {
        let message = if f.kind == FailureKind::Timeout {
            format!(
                "active mode ({cmd}){under}: the server did not connect back to {at} within {} — a firewall blocks the server's outgoing data connections, or yours (or NAT) blocks incoming ones",
                ctx.timeout
            )
        } else {
            format!("active mode ({cmd}){under}: {}", f.message)
        };
        return Some(finding(Status::Fail, "active-failed", message));
    }
    if c.fallback.is_some() {
        return Some(pasv_address_finding(ctx.s, c, false));
    }
    let tls_timeout = ctx.s.kind.is_tls() && f.kind == FailureKind::Timeout;
    if tls_timeout && (ctx.plain_passive_ok || ctx.plain_refused) {
        if std::mem::replace(said_tls_only, true) {
            return None;
        }
        let message = if ctx.plain_passive_ok {
            format!(
                "data connections fail only under TLS ({cmd} to {at} timed out; without TLS it works) — {HELPER_CAUSE}"
            )
        } else {
            format!(
                "the data connection under TLS timed out ({cmd} to {at}) and the server refuses plaintext logins, so nothing can be compared — most likely {HELPER_CAUSE}"
            )
        };
        return Some(finding(Status::Fail, "tls-data-blocked", message));
    }
    let message = match f.kind {
        FailureKind::Timeout => format!(
            "control connection works, the data connection to {at} timed out{under} — the firewall in front of the server does not open the passive range"
        ),
        FailureKind::Refused => format!(
            "control connection works, the data connection to {at} was refused{under} — a firewall rejects the passive range, or a NAT forwards it nowhere"
        ),
        FailureKind::Unreachable => format!(
            "the data connection to {at} failed: unreachable{under} — {}",
            f.message
        ),
        _ => format!("the data connection to {at} failed{under}: {}", f.message),
    };
    Some(finding(Status::Fail, "passive-blocked", message))
}

/// What `--permissions` learnt (reported once, from the first session that asked).
fn permissions(s: &Session, out: &mut Vec<Finding>) {
    if out
        .iter()
        .any(|f| f.code == "download" || f.code == "upload")
    {
        return;
    }
    if let Some(r) = &s.retr_reply {
        let words = match permission_of(r) {
            Some(true) => "downloads are allowed",
            Some(false) => "downloads are not allowed",
            None => "whether downloads are allowed is unclear",
        };
        out.push(finding(
            Status::Info,
            "download",
            format!("{words} (RETR of a missing file: \"{}\")", r.last_line()),
        ));
    }
    if let Some(r) = &s.stor_reply {
        let words = match permission_of(r) {
            Some(true) => "uploads are allowed",
            Some(false) => "uploads are not allowed",
            None => "whether uploads are allowed is unclear",
        };
        out.push(finding(
            Status::Info,
            "upload",
            format!(
                "{words} (STOR into a missing directory: \"{}\")",
                r.last_line()
            ),
        ));
    }
}

/// `Some(true)` when a RETR/STOR reply shows the command is allowed (it failed on the missing
/// path), `Some(false)` when it is refused outright.
pub fn permission_of(r: &super::observation::Reply) -> Option<bool> {
    let text = r.text();
    if text.starts_with("Permission denied") {
        Some(false)
    } else if text.starts_with("Failed to open file") || text.starts_with("Could not create file") {
        Some(true)
    } else {
        None
    }
}

fn refusal(mode: DataMode, line: &str) -> Finding {
    let cmd = mode.command();
    if line.starts_with("550") {
        let setting = if mode.is_active() {
            "port_enable=NO"
        } else {
            "pasv_enable=NO"
        };
        return finding(
            Status::Info,
            "mode-disabled",
            format!("{cmd} is disabled: \"{line}\" ({setting})"),
        );
    }
    if line.contains("Illegal PORT") || line.contains("Illegal EPRT") {
        return finding(
            Status::Fail,
            "active-refused",
            format!(
                "{cmd} refused: \"{line}\" — the server sees you at another address than the one you announced (NAT between you); use passive mode"
            ),
        );
    }
    if line.contains(oops::INVALID_PASV_ADDRESS) {
        return finding(
            Status::Fail,
            "pasv-address-invalid",
            format!(
                "{cmd} killed the session: \"{line}\" — pasv_address must be a dotted IPv4 address (or set pasv_addr_resolve=YES for a name)"
            ),
        );
    }
    finding(
        Status::Fail,
        "mode-refused",
        format!("{cmd} refused: \"{line}\""),
    )
}

fn pasv_address_finding(s: &Session, c: &DataCheck, works_on_control: bool) -> Finding {
    let announced = c.address.map(|a| a.ip().to_string()).unwrap_or_default();
    let peer = s.peer_ip().map(|a| a.to_string()).unwrap_or_default();
    let tail = if works_on_control {
        " (the data connection works on the address you connected to, so clients that ignore PASV's address, like curl, and EPSV clients still work)"
    } else {
        " (the data connection to the address you connected to failed as well)"
    };
    if c.address
        .is_some_and(|a| a.ip() == IpAddr::from([0, 0, 0, 0]))
    {
        return finding(
            Status::Fail,
            "pasv-address",
            format!(
                "PASV answered 0.0.0.0 — vsftpd does this with listen_ipv6=YES, which ignores pasv_address: use listen=YES (with pasv_address={peer} behind NAT){tail}"
            ),
        );
    }
    finding(
        Status::Fail,
        "pasv-address",
        format!("PASV answered {announced} but you connected to {peer} — set pasv_address{tail}"),
    )
}

fn source_port_words(port: u16) -> &'static str {
    if port == 20 {
        " (port 20: connect_from_port_20=YES)"
    } else {
        ""
    }
}

fn ports(obs: &Observations, out: &mut Vec<Finding>) {
    let mut seen: Vec<u16> = obs
        .sessions
        .iter()
        .flat_map(|s| s.passive_replies.iter())
        .filter_map(|r| r.address.map(|a: SocketAddr| a.port()))
        .collect();
    let samples = seen.len();
    if samples < 2 {
        return;
    }
    seen.sort_unstable();
    let (lo, hi) = (
        seen.first().copied().unwrap_or(0),
        seen.last().copied().unwrap_or(0),
    );
    seen.dedup();
    let distinct = seen.len();
    let message = if lo == hi {
        format!(
            "passive port {lo} every time ({samples} replies): a one-port range serves one client at a time"
        )
    } else if samples < 4 {
        format!(
            "passive ports seen {lo}–{hi} ({samples} replies): too few to tell whether a range is pinned"
        )
    } else if u32::from(hi) - u32::from(lo) < 1000 {
        format!(
            "passive ports seen {lo}–{hi} ({samples} replies, {distinct} distinct), matching a pinned range"
        )
    } else {
        format!(
            "passive ports seen {lo}–{hi} ({samples} replies, {distinct} distinct): no narrow range seems pinned (vsftpd's default is 5001–65535) — set pasv_min_port and pasv_max_port and open exactly that range"
        )
    };
    out.push(finding(Status::Info, "passive-ports", message));
}

fn secs(ms: u64) -> String {
    if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{:.1}s", ms as f64 / 1000.0)
    }
}
