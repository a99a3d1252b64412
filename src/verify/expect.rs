//! Model → [`Expectations`]: what a server started from the config does for an anonymous client on
//! loopback, read from the model's listener, passive range, data ports and TLS requirements, the
//! startup prediction and the host's findings. Every text is vsftpd's, from `startup/oops.rs` or
//! `ftp`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use crate::dialect::Tunable;
use crate::ftp::texts;
use crate::model::value::inet_aton;
use crate::model::{EffectiveConfig, ListenMode, TlsRequirements};
use crate::probe::observation::SessionKind;
use crate::startup::host::HostFinding;
use crate::startup::{self, Verdict as Startup, oops};

use super::{Expectation, Remap, Why};

/// What the model says the server does for an anonymous client on IPv4 loopback, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectations {
    /// The startup verdict, with the host's startup refusals (a missing certificate, …) folded in.
    pub startup: Startup,
    /// Where the probe connects: the model's listener (127.0.0.1 for "any"), its port shifted by the
    /// engine's offset; `None` when the model reads no listener (vsftpd refuses to start).
    pub control: Option<SocketAddr>,
    /// The greeting, or the `500 OOPS` every session meets.
    pub banner: Expectation,
    /// Whether FEAT lists AUTH TLS.
    pub auth_tls: Expectation,
    /// Anonymous login without TLS.
    pub anon_plain: Expectation,
    /// Anonymous login under TLS.
    pub anon_tls: Expectation,
    /// Data without TLS (plain session).
    pub plain_data: Expectation,
    /// The session whose data checks count: plain if anonymous logs in without TLS, else TLS.
    pub data_session: Option<SessionKind>,
    /// The passive ports.
    pub passive: Expectation,
    /// The 227 address.
    pub pasv_address: Expectation,
    /// A directory listing.
    pub listing: Expectation,
    /// The source port of active connections.
    pub active_source: Expectation,
    /// RETR.
    pub download: Expectation,
    /// STOR.
    pub upload: Expectation,
}

/// How far an anonymous client gets before any data connection.
struct Logins {
    /// AUTH TLS is offered.
    auth_tls: bool,
    anon_plain: bool,
    anon_tls: bool,
    /// Data connections of a plain session get 522.
    plain_data_refused: bool,
}

impl Logins {
    /// `greeted`: no session is refused at connect time.
    fn read(config: &EffectiveConfig, tls: &TlsRequirements, greeted: bool) -> Logins {
        let anon = config.bool(Tunable::AnonymousEnable);
        Logins {
            auth_tls: tls.enabled() && tls.feat_auth_tls && greeted,
            anon_plain: greeted && anon && !tls.anon.login,
            anon_tls: greeted && anon && tls.anon_allowed,
            plain_data_refused: tls.anon.data,
        }
    }

    /// The session whose data checks count.
    fn data_session(&self, tls: &TlsRequirements) -> Option<SessionKind> {
        if self.anon_plain && !self.plain_data_refused {
            Some(SessionKind::Plain)
        } else if self.anon_tls && tls.feat_auth_tls {
            Some(SessionKind::ExplicitTls)
        } else if self.anon_plain {
            Some(SessionKind::Plain)
        } else {
            None
        }
    }
}

/// How the data channel of the counted session behaves.
#[derive(Clone, Copy)]
struct Data {
    session: Option<SessionKind>,
    pasv_on: bool,
    /// The first PASV kills the session.
    pasv_killed: bool,
    /// The data session is plain but the server wants TLS for data: every transfer gets 522.
    needs_tls: bool,
}

impl Expectations {
    /// The expectations for `config` (whose bytes are `text`) run by an engine that applied `remap`.
    /// `host_findings` are the host's answers that apply to that engine (see
    /// [`HostScope::keeps`](super::HostScope::keeps)); `resolve` looks up a `pasv_address` host name
    /// when `pasv_addr_resolve=YES`.
    pub fn new(
        config: &EffectiveConfig,
        text: &[u8],
        host_findings: &[HostFinding],
        remap: Remap,
        resolve: &dyn Fn(&[u8]) -> Option<Ipv4Addr>,
    ) -> Expectations {
        let prediction = startup::predict(config, text);
        let session_oops = prediction
            .session
            .as_ref()
            .or_else(|| {
                host_findings
                    .iter()
                    .find(|f| !f.at_startup)
                    .map(|f| &f.oops)
            })
            .map(|o| lossy(&o.full_text()));
        let tls = config.tls();
        let logins = Logins::read(config, &tls, session_oops.is_none());
        let data_session = logins.data_session(&tls);
        let pasv_on = config.data_ports().passive.is_some();
        let data = Data {
            session: data_session,
            pasv_on,
            pasv_killed: pasv_on && pasv_killed_early(config, data_session.is_some()),
            needs_tls: data_session == Some(SessionKind::Plain) && logins.plain_data_refused,
        };
        let control = remap
            .address
            .unwrap_or_else(|| super::probe_address(config));
        let (download, upload) = transfers(config, data);
        Expectations {
            startup: startup_verdict(prediction.verdict, host_findings),
            control: config
                .listener()
                .ok()
                .map(|l| SocketAddr::new(control, l.port.wrapping_add(remap.port_offset))),
            banner: banner(config, session_oops),
            auth_tls: yes_no(logins.auth_tls),
            anon_plain: works(logins.anon_plain),
            anon_tls: if logins.auth_tls {
                works(logins.anon_tls)
            } else {
                Expectation::NotCompared(Why::NoTlsSession)
            },
            plain_data: plain_data(&logins),
            data_session,
            passive: passive(config, data, remap.port_offset),
            pasv_address: pasv_address(config, data, control, resolve),
            listing: listing(config, data, &tls),
            active_source: active_source(config, data, remap.port_offset),
            download,
            upload,
        }
    }

    /// The "starts" row's expectation: `yes`, or `no: ` and vsftpd's text.
    pub fn starts(&self) -> Expectation {
        Expectation::Text(match &self.startup {
            Startup::Starts { .. } => "yes".to_owned(),
            Startup::Refuses(o) => format!("no: {}", lossy(&o.full_text())),
            Startup::Crashes(c) => format!("no: crash ({})", c.signal),
        })
    }
}

/// The model's verdict, or the first host finding that stops vsftpd at startup.
fn startup_verdict(verdict: Startup, host_findings: &[HostFinding]) -> Startup {
    match verdict {
        Startup::Starts { .. } => match host_findings.iter().find(|f| f.at_startup) {
            Some(f) => Startup::Refuses(f.oops.clone()),
            None => verdict,
        },
        other => other,
    }
}

fn banner(config: &EffectiveConfig, session_oops: Option<String>) -> Expectation {
    match (
        session_oops,
        config.string(Tunable::BannerFile),
        config.string(Tunable::FtpdBanner),
    ) {
        (Some(o), _, _) => Expectation::Text(o),
        (None, Some(_), _) => Expectation::NotCompared(Why::BannerFile),
        (None, None, Some(b)) => Expectation::Text(format!("220 {}", lossy(b))),
        (None, None, None) => {
            Expectation::Text(format!("220 (vsFTPd {})", config.dialect().version()))
        }
    }
}

fn plain_data(logins: &Logins) -> Expectation {
    if !logins.anon_plain {
        Expectation::NotCompared(Why::NoPlainLogin)
    } else if logins.plain_data_refused {
        Expectation::Text(format!("refused: {}", texts::DATA_MUST_ENCRYPT.line()))
    } else {
        Expectation::Text("allowed".to_owned())
    }
}

fn passive(config: &EffectiveConfig, data: Data, offset: u16) -> Expectation {
    if data.session.is_none() {
        Expectation::NotCompared(Why::NoLogin)
    } else if data.pasv_killed {
        Expectation::Text(format!(
            "killed: {}{}",
            oops::PREFIX,
            oops::INVALID_PASV_ADDRESS
        ))
    } else if data.pasv_on {
        Expectation::Within {
            range: config.passive_range(),
            offset,
        }
    } else {
        Expectation::Text(format!("disabled: {}", texts::PERMISSION_DENIED.line()))
    }
}

/// The 227 address (data-channel.md §2): `pasv_address` as `inet_aton` or the resolver reads it,
/// else the control connection's local address.
fn pasv_address(
    config: &EffectiveConfig,
    data: Data,
    control: IpAddr,
    resolve: &dyn Fn(&[u8]) -> Option<Ipv4Addr>,
) -> Expectation {
    if data.session.is_none() || !data.pasv_on {
        return Expectation::NotCompared(Why::NoPasv);
    }
    if control.is_ipv6() {
        return Expectation::NotCompared(Why::Ipv6Control);
    }
    let listen_ipv6 = config.listen_mode() == Ok(ListenMode::StandaloneIpv6);
    Expectation::Text(match config.string(Tunable::PasvAddress) {
        Some(_) if listen_ipv6 => "0.0.0.0".to_owned(),
        Some(a) if config.bool(Tunable::PasvAddrResolve) => match resolve(a) {
            Some(ip) => ip.to_string(),
            None => return Expectation::NotCompared(Why::Unresolvable),
        },
        Some(a) => match inet_aton(a) {
            Some(o) => Ipv4Addr::from(o).to_string(),
            None => format!("{}{}", oops::PREFIX, oops::INVALID_PASV_ADDRESS),
        },
        None => control.to_string(),
    })
}

fn listing(config: &EffectiveConfig, data: Data, tls: &TlsRequirements) -> Expectation {
    match data.session {
        None => Expectation::NotCompared(Why::NoLogin),
        Some(_) if data.pasv_killed => Expectation::NotCompared(Why::KilledByPasv),
        Some(_) if !data.pasv_on && !config.bool(Tunable::PortEnable) => {
            Expectation::NotCompared(Why::NoDataMode)
        }
        Some(_) if !config.bool(Tunable::DirlistEnable) => {
            Expectation::Text(texts::PERMISSION_DENIED.line())
        }
        Some(SessionKind::Plain) if tls.anon.data => {
            Expectation::Text(texts::DATA_MUST_ENCRYPT.line())
        }
        Some(_) => Expectation::Text(texts::DIRECTORY_SEND_OK.line()),
    }
}

fn active_source(config: &EffectiveConfig, data: Data, offset: u16) -> Expectation {
    if data.session.is_none() {
        return Expectation::NotCompared(Why::NoLogin);
    }
    if data.pasv_killed {
        return Expectation::NotCompared(Why::KilledByPasv);
    }
    match config.data_ports().active {
        None => Expectation::Text(format!("disabled: {}", texts::PERMISSION_DENIED.line())),
        Some(_) if data.needs_tls => {
            Expectation::Text(format!("refused: {}", texts::DATA_MUST_ENCRYPT.line()))
        }
        Some(source) => Expectation::SourcePort { source, offset },
    }
}

/// RETR and STOR.
fn transfers(config: &EffectiveConfig, data: Data) -> (Expectation, Expectation) {
    let may_download = config.bool(Tunable::DownloadEnable);
    let may_upload = config.bool(Tunable::WriteEnable) && config.bool(Tunable::AnonUploadEnable);
    if data.session.is_none() || !data.pasv_on {
        let no = || Expectation::NotCompared(Why::NoLogin);
        return (no(), no());
    }
    if data.pasv_killed {
        let killed = || Expectation::NotCompared(Why::KilledByPasv);
        return (killed(), killed());
    }
    if data.needs_tls {
        // Permission is checked when the command is dispatched, before the 522.
        let tls_first = |ok: bool| {
            if ok {
                Expectation::NotCompared(Why::DataNeedsTls)
            } else {
                allowed(false)
            }
        };
        return (tls_first(may_download), tls_first(may_upload));
    }
    (allowed(may_download), allowed(may_upload))
}

/// Whether the first PASV kills the session (`500 OOPS: invalid pasv_address`).
fn pasv_killed_early(config: &EffectiveConfig, logged_in: bool) -> bool {
    logged_in
        && config.listen_mode() != Ok(ListenMode::StandaloneIpv6)
        && !config.bool(Tunable::PasvAddrResolve)
        && config
            .string(Tunable::PasvAddress)
            .is_some_and(|a| inet_aton(a).is_none())
}

fn works(b: bool) -> Expectation {
    Expectation::Text(if b { "works" } else { "refused" }.to_owned())
}

/// `allowed` or `denied`, as the probe words a permission.
pub(super) fn allowed(b: bool) -> Expectation {
    Expectation::Text(super::allowed_word(b).to_owned())
}

fn yes_no(b: bool) -> Expectation {
    Expectation::Text(super::yes_no_word(b).to_owned())
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
