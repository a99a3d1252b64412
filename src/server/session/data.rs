//! The data channel: PASV/EPSV (vsftpd's port draw and 227 address), PORT/EPRT (vsftpd's target
//! checks), and opening the prepared connection, with TLS when PROT P asked for it.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::SystemTime;

use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::time::timeout;

use crate::ftp::texts;
use crate::ftp::{EprtError, Reply, format_227, format_229, parse_eprt, parse_port};
use crate::startup::oops;

use super::super::config::PasvAddress;
use super::{DataSetup, Flow, HANDSHAKE_TIMEOUT, Session, Stream, as_v4};

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
    pub(super) async fn pasv(&mut self, extended: bool, arg: &str) -> io::Result<Flow> {
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
                    return self.oops_in_child(oops::INVALID_PASV_ADDRESS).await;
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
                Err(_) => return self.oops(oops::PASV_BIND).await,
            }
        }
        let Some((listener, port)) = listener else {
            let text = if b.rhel_bind_text {
                oops::PASV_BIND_RETRIES
            } else {
                oops::PASV_BIND
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
    pub(super) fn active_target_ok(&self, ip: IpAddr, port: u16) -> bool {
        if self.shared.behaviour.port_promiscuous {
            return true;
        }
        let same = match (as_v4(ip), as_v4(self.peer.ip())) {
            (Some(a), Some(b)) => a == b,
            _ => ip == self.peer.ip(),
        };
        same && port >= 1024
    }

    pub(super) async fn port(&mut self, arg: &[u8]) -> io::Result<Flow> {
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

    pub(super) async fn eprt(&mut self, arg: &[u8]) -> io::Result<Flow> {
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
    pub(super) async fn data_checks(&mut self) -> io::Result<bool> {
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

    /// Establishes the data connection prepared by PASV/PORT, sends the preliminary reply and wraps
    /// TLS. `Ok(Err(flow))` after a refusal has been sent (the flow says whether the session goes on).
    pub(super) async fn open_data(
        &mut self,
        preliminary: Reply,
    ) -> io::Result<Result<Stream, Flow>> {
        let setup = std::mem::replace(&mut self.data, DataSetup::None);
        let tcp = match setup {
            DataSetup::None => {
                self.say(texts::USE_PORT_OR_PASV).await?;
                return Ok(Err(Flow::Continue));
            }
            DataSetup::Passive(listener) => self.accept_passive(listener).await?,
            DataSetup::Active(target) => self.connect_active(target).await?,
        };
        let tcp = match tcp {
            Ok(tcp) => tcp,
            Err(flow) => return Ok(Err(flow)),
        };
        self.send(&preliminary).await?;
        self.secure_data(tcp).await
    }

    /// The client's connection to the PASV/EPSV listener, from the client's own address unless
    /// `pasv_promiscuous=YES`.
    async fn accept_passive(
        &mut self,
        listener: TcpListener,
    ) -> io::Result<Result<TcpStream, Flow>> {
        let b = self.shared.behaviour.clone();
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
                Ok(Ok(tcp))
            }
            _ => {
                self.say(texts::FAILED_TO_ESTABLISH).await?;
                Ok(Err(Flow::Continue))
            }
        }
    }

    /// The server's connection to the PORT/EPRT target, from `ftp_data_port` when
    /// `connect_from_port_20=YES`.
    async fn connect_active(&mut self, target: SocketAddr) -> io::Result<Result<TcpStream, Flow>> {
        let b = self.shared.behaviour.clone();
        // Only port_promiscuous=YES lets a port below 1024 through PORT/EPRT; the transfer then ends
        // the session (debian-3.0.3 binary, data-channel.md §3).
        if target.port() < 1024 {
            let _ = self.oops_in_child(oops::ILLEGAL_PORT_REQUEST).await?;
            return Ok(Err(Flow::Close));
        }
        // An IPv4 client of an IPv6 listener has a v4-mapped local address; the data connection to
        // its IPv4 PORT address goes out from the plain IPv4 form.
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
            Ok(Ok(tcp)) => Ok(Ok(tcp)),
            _ => {
                self.say(texts::FAILED_TO_ESTABLISH).await?;
                Ok(Err(Flow::Continue))
            }
        }
    }

    /// TLS on the data connection after PROT P, with vsftpd's session-reuse requirement.
    async fn secure_data(&mut self, tcp: TcpStream) -> io::Result<Result<Stream, Flow>> {
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
        let reuse_required = self
            .shared
            .behaviour
            .ssl
            .as_ref()
            .is_some_and(|s| s.require_ssl_reuse);
        let resumed = data.tls_state().and_then(|c| c.handshake_kind())
            == Some(rustls::HandshakeKind::Resumed);
        if reuse_required && !resumed {
            // debian-3.0.3 binary: the reply follows the 150 and the session ends.
            let _ = self.fatal(texts::SSL_REUSE_REQUIRED.reply()).await?;
            return Ok(Err(Flow::Close));
        }
        Ok(Ok(data))
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
