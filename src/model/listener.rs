//! The control listener vsftpd opens: its mode (standalone IPv4, standalone IPv6, inetd), family, bind
//! address and port, read exactly as the model's dialect reads them.
//!
//! Startup, rules, the firewall plan, the server, verify and edit read this one answer; none of them
//! reads `listen`, `listen_ipv6`, `listen_address`, `listen_address6` or `listen_port` for this again.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::Serialize;

use super::EffectiveConfig;
use super::value::{inet_aton, read_listen_address6};
use crate::dialect::Tunable;

/// How vsftpd takes control connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListenMode {
    /// `listen=YES`: one IPv4 socket of its own.
    StandaloneIpv4,
    /// `listen_ipv6=YES`: one IPv6 socket, which on Linux also takes IPv4 unless an address pins it.
    StandaloneIpv6,
    /// Both `listen` and `listen_ipv6` are NO: inetd or systemd owns the socket and its port.
    Inetd,
}

/// An IP version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// IPv4.
    Ipv4,
    /// IPv6.
    Ipv6,
}

impl Family {
    /// `IPv4` / `IPv6`.
    pub fn label(self) -> &'static str {
        match self {
            Family::Ipv4 => "IPv4",
            Family::Ipv6 => "IPv6",
        }
    }
}

/// The address a standalone listener binds, as the file decides it (whether the bind then works is a
/// host matter: `could not bind listening IPv4 socket`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindAddress {
    /// No address set: 0.0.0.0 or ::.
    Any,
    /// `listen_address`, as C `inet_aton` read it.
    V4(Ipv4Addr),
    /// `listen_address6`, as vsftpd's own parser read it.
    V6 {
        /// The address, unparsed bytes taken as zero.
        addr: Ipv6Addr,
        /// Whether all 16 bytes come from the text; when not, vsftpd binds to an address completed
        /// from uninitialised memory (usually zeros, but not always: the bind may fail).
        complete: bool,
        /// The interface name after `%` (debian-3.0.3 only), given to `if_nametoindex`; an unknown
        /// name gives scope 0 and no error.
        scope: Option<Vec<u8>>,
    },
}

impl BindAddress {
    /// The address bound, `None` for any address.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            BindAddress::Any => None,
            BindAddress::V4(a) => Some(IpAddr::V4(*a)),
            BindAddress::V6 { addr, .. } => Some(IpAddr::V6(*addr)),
        }
    }
}

/// The control listener of one vsftpd process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    /// How vsftpd listens.
    pub mode: ListenMode,
    /// The address a standalone listener binds (`Any` in inetd mode, where the file's addresses are
    /// never read).
    pub address: BindAddress,
    /// `listen_port` cast to 16 bits as vsftpd uses it (in inetd mode: the port the file names, which
    /// the socket's owner may not use).
    pub port: u16,
}

impl Listener {
    /// The socket's IP version, `None` in inetd mode (the socket's owner decides).
    pub fn family(&self) -> Option<Family> {
        match self.mode {
            ListenMode::StandaloneIpv4 => Some(Family::Ipv4),
            ListenMode::StandaloneIpv6 => Some(Family::Ipv6),
            ListenMode::Inetd => None,
        }
    }

    /// Whether vsftpd opens the socket itself.
    pub fn is_standalone(&self) -> bool {
        self.mode != ListenMode::Inetd
    }
}

/// Why the file gives vsftpd no listener: it refuses to start (the texts are the startup module's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListenerError {
    /// `listen=YES` and `listen_ipv6=YES` together.
    BothListeners,
    /// The active listener's address does not parse.
    BadAddress {
        /// `listen_address` or `listen_address6`.
        tunable: Tunable,
        /// The value as vsftpd read it.
        text: Vec<u8>,
    },
}

impl EffectiveConfig {
    /// How vsftpd listens, or [`ListenerError::BothListeners`].
    pub fn listen_mode(&self) -> Result<ListenMode, ListenerError> {
        match (self.bool(Tunable::Listen), self.bool(Tunable::ListenIpv6)) {
            (true, true) => Err(ListenerError::BothListeners),
            (true, false) => Ok(ListenMode::StandaloneIpv4),
            (false, true) => Ok(ListenMode::StandaloneIpv6),
            (false, false) => Ok(ListenMode::Inetd),
        }
    }

    /// The address a standalone listener of `family` binds: `listen_address` read by C `inet_aton`,
    /// `listen_address6` by vsftpd's own parser after the dialect's `%scope` split. vsftpd reads only
    /// the active listener's address (`listen_address6` is ignored with `listen=YES`, and the other
    /// way round): [`EffectiveConfig::listener`] asks for that one.
    pub fn bind_address(&self, family: Family) -> Result<BindAddress, ListenerError> {
        let tunable = match family {
            Family::Ipv4 => Tunable::ListenAddress,
            Family::Ipv6 => Tunable::ListenAddress6,
        };
        let Some(text) = self.string(tunable) else {
            return Ok(BindAddress::Any);
        };
        let read = match family {
            Family::Ipv4 => inet_aton(text).map(|a| BindAddress::V4(Ipv4Addr::from(a))),
            Family::Ipv6 => {
                read_listen_address6(text, self.dialect()).map(|(r, scope)| BindAddress::V6 {
                    addr: r.addr(),
                    complete: r.is_complete(),
                    scope,
                })
            }
        };
        read.ok_or_else(|| ListenerError::BadAddress {
            tunable,
            text: text.to_vec(),
        })
    }

    /// The control listener, or why vsftpd refuses to start for it.
    pub fn listener(&self) -> Result<Listener, ListenerError> {
        let mode = self.listen_mode()?;
        let address = match mode {
            ListenMode::StandaloneIpv4 => self.bind_address(Family::Ipv4)?,
            ListenMode::StandaloneIpv6 => self.bind_address(Family::Ipv6)?,
            ListenMode::Inetd => BindAddress::Any,
        };
        Ok(Listener {
            mode,
            address,
            port: self.port(Tunable::ListenPort),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::syntax::parse;

    fn listener(text: &[u8], dialect: Dialect) -> Result<Listener, ListenerError> {
        EffectiveConfig::read(&parse(text).cst, dialect, None).listener()
    }

    #[test]
    fn mode_follows_the_two_switches_and_the_dialect_defaults() {
        let mode = |t: &[u8], d| listener(t, d).map(|l| l.mode);
        assert_eq!(mode(b"", Dialect::Debian303), Ok(ListenMode::Inetd));
        assert_eq!(
            mode(b"", Dialect::Upstream305),
            Ok(ListenMode::StandaloneIpv4)
        );
        assert_eq!(
            mode(b"listen=NO\nlisten_ipv6=YES\n", Dialect::Upstream305),
            Ok(ListenMode::StandaloneIpv6)
        );
        assert_eq!(
            mode(b"listen=YES\nlisten_ipv6=YES\n", Dialect::Debian303),
            Err(ListenerError::BothListeners)
        );
    }

    #[test]
    fn only_the_active_listeners_address_is_read() {
        let l = listener(
            b"listen=YES\nlisten_address=127.1\nlisten_address6=zz\nlisten_port=65557\n",
            Dialect::Debian303,
        );
        assert_eq!(
            l,
            Ok(Listener {
                mode: ListenMode::StandaloneIpv4,
                address: BindAddress::V4(Ipv4Addr::LOCALHOST),
                port: 21,
            })
        );
        assert_eq!(
            listener(b"listen_ipv6=YES\nlisten_address6=zz\n", Dialect::Debian303),
            Err(ListenerError::BadAddress {
                tunable: Tunable::ListenAddress6,
                text: b"zz".to_vec()
            })
        );
        // debian-3.0.3 binary: `::1%lo` binds ::1 on scope lo; upstream has no scope syntax.
        let scoped = b"listen=NO\nlisten_ipv6=YES\nlisten_address6=::1%lo\n";
        assert_eq!(
            listener(scoped, Dialect::Debian303).map(|l| l.address.ip()),
            Ok(Some(IpAddr::V6(Ipv6Addr::LOCALHOST)))
        );
        assert!(listener(scoped, Dialect::Upstream305).is_err());
    }
}
