//! Effective config → [`FirewallPlan`]: what a firewall in front of one or more vsftpd processes must let
//! through, in vsftpd's own terms (listeners, control port, passive range, active mode, TLS, helper).
//!
//! Every fact comes from `/work/shared/reference/data-channel.md` (measured on the Debian 3.0.3 binary).
//! Nothing here knows an output format.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::Serialize;

use crate::dialect::Tunable;
use crate::model::{BindAddress, EffectiveConfig, ListenerError, PassiveRange};
use crate::startup::listener_oops;
// The facts the plan reads are the model's types (one home each, STYLE.md §1).
pub use crate::model::{ActiveSource, Family, ListenMode, TlsMode};

/// An inclusive TCP or UDP port range (`first == last` for one port).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PortRange {
    /// First port.
    pub first: u16,
    /// Last port (`>= first`).
    pub last: u16,
}

impl PortRange {
    /// One port.
    pub fn single(port: u16) -> PortRange {
        PortRange {
            first: port,
            last: port,
        }
    }

    /// How many ports the range holds.
    pub fn count(self) -> u32 {
        u32::from(self.last)
            .saturating_sub(u32::from(self.first))
            .saturating_add(1)
    }

    /// Whether the range holds one port.
    pub fn is_single(self) -> bool {
        self.first == self.last
    }

    /// `21` or `50000-50100`.
    pub fn dashed(self) -> String {
        if self.is_single() {
            self.first.to_string()
        } else {
            format!("{}-{}", self.first, self.last)
        }
    }
}

/// A transport protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Proto {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
}

impl Proto {
    /// `tcp` / `udp`.
    pub fn name(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
        }
    }
}

/// An address prefix (`198.51.100.0/24`), host bits cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Cidr {
    /// The network address.
    pub addr: IpAddr,
    /// The prefix length (at most 32 or 128).
    pub len: u8,
}

impl Cidr {
    /// Parses `ADDR` or `ADDR/LEN`, clearing host bits.
    pub fn parse(text: &str) -> Option<Cidr> {
        let (addr, len) = match text.split_once('/') {
            Some((a, l)) => (a, Some(l)),
            None => (text, None),
        };
        let addr: IpAddr = addr.parse().ok()?;
        let max: u8 = if addr.is_ipv4() { 32 } else { 128 };
        let len = match len {
            Some(l) if !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()) => {
                l.parse::<u8>().ok()?
            }
            Some(_) => return None,
            None => max,
        };
        if len > max {
            return None;
        }
        let addr = match addr {
            IpAddr::V4(a) => {
                let mask = u32::MAX.checked_shl(u32::from(32 - len)).unwrap_or(0);
                IpAddr::V4(Ipv4Addr::from(u32::from(a) & mask))
            }
            IpAddr::V6(a) => {
                let mask = u128::MAX.checked_shl(u32::from(128 - len)).unwrap_or(0);
                IpAddr::V6(Ipv6Addr::from(u128::from(a) & mask))
            }
        };
        Some(Cidr { addr, len })
    }

    /// The prefix's IP version.
    pub fn family(self) -> Family {
        if self.addr.is_ipv4() {
            Family::Ipv4
        } else {
            Family::Ipv6
        }
    }

    /// Whether the prefix is a single host.
    pub fn is_host(self) -> bool {
        self.len == if self.addr.is_ipv4() { 32 } else { 128 }
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_host() {
            write!(f, "{}", self.addr)
        } else {
            write!(f, "{}/{}", self.addr, self.len)
        }
    }
}

/// One socket family vsftpd accepts control connections on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Listener {
    /// The IP version clients connect with.
    pub family: Family,
    /// The local address, when vsftpd binds one (`listen_address`, `listen_address6`); `None` for any.
    pub address: Option<IpAddr>,
}

/// The passive (PASV/EPSV) data ports, as vsftpd draws them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Passive {
    /// The effective range (data-channel.md §1).
    pub range: PortRange,
    /// Whether the file sets `pasv_min_port` to a value vsftpd honours.
    pub min_honoured: bool,
    /// Whether the file sets `pasv_max_port` to a value vsftpd honours.
    pub max_honoured: bool,
    /// How the firewall lets the data connections in.
    pub opening: PassiveOpening,
}

impl Passive {
    /// Whether the config pins the range (the firewall opens it rather than relying on the helper).
    pub fn is_pinned(&self) -> bool {
        self.opening == PassiveOpening::Range
    }
}

/// How passive data connections get through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PassiveOpening {
    /// The effective range is opened.
    Range,
    /// The range is unpinned and the control channel is plaintext: the kernel's FTP conntrack helper on
    /// the control port classifies each data connection as related, so nothing else is opened.
    Helper,
}

/// Active mode: the server connects out to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Active {
    /// The server's source port.
    pub source: ActiveSource,
    /// The client ports vsftpd connects to: 1024–65535 (PORT/EPRT below 1024 are refused or kill the
    /// session).
    pub client_ports: PortRange,
}

/// Whether the kernel's FTP conntrack helper (`nf_conntrack_ftp`) can see the data ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HelperUse {
    /// Plaintext: the helper would work, but the plan does not rely on it.
    NotNeeded,
    /// Plaintext and an unpinned passive range: the plan relies on the helper.
    Required,
    /// TLS: the helper reads only ciphertext and never creates an expectation.
    Useless,
}

/// Something the reader of the plan should know: an ignored setting, a wide range, a NAT caveat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The setting concerned, if one.
    pub setting: Option<&'static str>,
    /// The sentence.
    pub text: String,
}

/// What the firewall must allow for one vsftpd process (one config file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerPlan {
    /// The config file's name as the user gave it.
    pub label: String,
    /// How vsftpd listens.
    pub mode: ListenMode,
    /// The families and addresses control (and passive data) connections arrive on.
    pub listeners: Vec<Listener>,
    /// The control port (`listen_port`, cast to 16 bits).
    pub control_port: u16,
    /// Passive mode, when `pasv_enable=YES`.
    pub passive: Option<Passive>,
    /// Active mode, when `port_enable=YES`.
    pub active: Option<Active>,
    /// TLS on the control channel.
    pub tls: TlsMode,
    /// The conntrack helper's role.
    pub helper: HelperUse,
    /// `pasv_address`, as written (for the NAT explanation).
    pub pasv_address: Option<String>,
    /// Facts worth telling the user.
    pub notes: Vec<Note>,
}

impl ServerPlan {
    /// The families this process listens on, in order, without repeats.
    pub fn families(&self) -> Vec<Family> {
        let mut f: Vec<Family> = self.listeners.iter().map(|l| l.family).collect();
        f.sort();
        f.dedup();
        f
    }
}

/// Another service the standalone ruleset keeps reachable (`--allow 22/tcp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Allow {
    /// The ports.
    pub ports: PortRange,
    /// The protocol.
    pub proto: Proto,
}

impl Allow {
    /// Parses `PORT/PROTO` or `FIRST-LAST/PROTO` (protocol `tcp` or `udp`; `/tcp` may be left out).
    pub fn parse(text: &str) -> Option<Allow> {
        let (ports, proto) = match text.split_once('/') {
            Some((p, "tcp")) => (p, Proto::Tcp),
            Some((p, "udp")) => (p, Proto::Udp),
            Some(_) => return None,
            None => (text, Proto::Tcp),
        };
        let port = |s: &str| -> Option<u16> {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse::<u16>().ok().filter(|p| *p > 0)
        };
        let range = match ports.split_once('-') {
            Some((a, b)) => PortRange {
                first: port(a)?,
                last: port(b)?,
            },
            None => PortRange::single(port(ports)?),
        };
        (range.first <= range.last).then_some(Allow {
            ports: range,
            proto,
        })
    }
}

/// The whole plan: every vsftpd process behind the firewall, plus the user's extra openings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirewallPlan {
    /// One entry per config file.
    pub servers: Vec<ServerPlan>,
    /// Other services to keep reachable.
    pub allow: Vec<Allow>,
    /// Who may connect to FTP; empty for everyone.
    pub sources: Vec<Cidr>,
}

impl FirewallPlan {
    /// The union of the servers' families, in order.
    pub fn families(&self) -> Vec<Family> {
        let mut f: Vec<Family> = self.servers.iter().flat_map(ServerPlan::families).collect();
        f.sort();
        f.dedup();
        f
    }

    /// Whether any server relies on the FTP conntrack helper.
    pub fn needs_helper(&self) -> bool {
        self.servers.iter().any(|s| s.helper == HelperUse::Required)
    }
}

/// A config from which no working firewall can be derived.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum PlanError {
    /// TLS with an unpinned passive range.
    #[error(
        "{label}: TLS is on (ssl_enable=YES) but no passive port range is pinned: ports {first}-{last} would have to be opened"
    )]
    #[diagnostic(
        code(vsconf::firewall::tls_unpinned_range),
        help(
            "the kernel's FTP conntrack helper cannot read the encrypted PASV/EPSV replies, so it cannot open \
             the data ports for you; pin a small range and open exactly that, e.g.\n  \
             vsconf set {label} pasv_min_port=50000 pasv_max_port=50100"
        )
    )]
    TlsUnpinnedRange {
        /// The config file.
        label: String,
        /// First port of the effective range.
        first: u16,
        /// Last port of the effective range.
        last: u16,
    },
    /// `listen=YES` and `listen_ipv6=YES`: vsftpd refuses to start.
    #[error(
        "{label}: listen=YES and listen_ipv6=YES together: vsftpd refuses to start (\"{oops}\")"
    )]
    #[diagnostic(
        code(vsconf::firewall::both_listeners),
        help(
            "keep one of them; listen_ipv6=YES alone also takes IPv4 clients on Linux, or run two processes with two configs and pass both files"
        )
    )]
    BothListeners {
        /// The config file.
        label: String,
        /// vsftpd's refusal (`startup::oops`).
        oops: String,
    },
    /// `listen_address` or `listen_address6` that vsftpd refuses.
    #[error(
        "{label}: {setting}={value} is not a numeric address: vsftpd refuses to start (\"{oops}\")"
    )]
    #[diagnostic(
        code(vsconf::firewall::bad_listen_address),
        help(
            "write the address as digits (listen_address=198.51.100.1, listen_address6=2001:db8::1)"
        )
    )]
    BadListenAddress {
        /// The config file.
        label: String,
        /// `listen_address` or `listen_address6`.
        setting: &'static str,
        /// The value, escaped.
        value: String,
        /// vsftpd's refusal (`startup::oops`), escaped.
        oops: String,
    },
}

/// Reads one vsftpd process's needs from its effective config. `label` names the config in messages.
/// Refuses TLS with an unpinned passive range: no firewall can let those data connections through.
pub fn plan_server(label: &str, config: &EffectiveConfig) -> Result<ServerPlan, PlanError> {
    let plan = read_server(label, config)?;
    match plan.passive {
        Some(passive) if !passive.is_pinned() && plan.tls != TlsMode::Off => {
            Err(PlanError::TlsUnpinnedRange {
                label: label.to_owned(),
                first: passive.range.first,
                last: passive.range.last,
            })
        }
        _ => Ok(plan),
    }
}

/// [`plan_server`] without its TLS check: the ports one vsftpd process uses, whatever a firewall can
/// make of them (the semantic diff reads these). Fails only where vsftpd refuses the listener.
pub fn read_server(label: &str, config: &EffectiveConfig) -> Result<ServerPlan, PlanError> {
    let mut notes = Vec::new();
    let listener = config
        .listener()
        .map_err(|e| listener_error(label, config, e))?;
    let mode = listener.mode;
    let listeners = listeners(mode, &listener.address, &mut notes);

    // data-channel.md §4: listen_port is cast to 16 bits (65557 → 21).
    let raw_port = config.uint(Tunable::ListenPort);
    let control_port = listener.port;
    if raw_port > 0xFFFF {
        notes.push(Note {
            setting: Some("listen_port"),
            text: format!(
                "listen_port={raw_port} wraps to {control_port} (vsftpd keeps the low 16 bits)"
            ),
        });
    }

    let tls = config.tls().mode;
    let data = config.data_ports();
    let passive = data
        .passive
        .map(|effective| passive(config, effective, &mut notes));
    let active = data.active.map(|source| Active {
        source,
        client_ports: PortRange {
            first: 1024,
            last: 65535,
        },
    });

    let helper = match (tls, passive.map(|p| p.opening)) {
        (TlsMode::Off, Some(PassiveOpening::Helper)) => HelperUse::Required,
        (TlsMode::Off, _) => HelperUse::NotNeeded,
        _ => HelperUse::Useless,
    };

    if passive.is_none() && active.is_none() {
        notes.push(Note {
            setting: Some("pasv_enable"),
            text:
                "pasv_enable=NO and port_enable=NO: no data connection is possible, so no listing or transfer can work"
                    .to_owned(),
        });
    }

    let pasv_address = config
        .string(Tunable::PasvAddress)
        .map(|v| String::from_utf8_lossy(v).into_owned());

    Ok(ServerPlan {
        label: label.to_owned(),
        mode,
        listeners,
        control_port,
        passive,
        active,
        tls,
        helper,
        pasv_address,
        notes,
    })
}

/// The listener vsftpd refuses, with its text (`startup::listener_oops`).
fn listener_error(label: &str, config: &EffectiveConfig, e: ListenerError) -> PlanError {
    let oops = String::from_utf8_lossy(&listener_oops(config, &e).full_text())
        .escape_debug()
        .to_string();
    match e {
        ListenerError::BothListeners => PlanError::BothListeners {
            label: label.to_owned(),
            oops,
        },
        ListenerError::BadAddress { tunable, text } => PlanError::BadListenAddress {
            label: label.to_owned(),
            setting: tunable.name(),
            value: String::from_utf8_lossy(&text).escape_debug().to_string(),
            oops,
        },
    }
}

/// The sockets clients reach: the model's listen mode and bind address.
fn listeners(mode: ListenMode, address: &BindAddress, notes: &mut Vec<Note>) -> Vec<Listener> {
    match (mode, address) {
        (ListenMode::StandaloneIpv4, address) => vec![Listener {
            family: Family::Ipv4,
            address: address.ip().filter(|a| !a.is_unspecified()),
        }],
        (ListenMode::StandaloneIpv6, BindAddress::V6 { addr, .. }) if !addr.is_unspecified() => {
            // An IPv4-mapped address binds the IPv6 socket to one IPv4 address: only IPv4 clients can
            // reach it.
            match addr.to_ipv4_mapped() {
                Some(v4) => vec![Listener {
                    family: Family::Ipv4,
                    address: Some(IpAddr::V4(v4)),
                }],
                None => vec![Listener {
                    family: Family::Ipv6,
                    address: Some(IpAddr::V6(*addr)),
                }],
            }
        }
        (ListenMode::StandaloneIpv6, _) => dual_stack(notes),
        (ListenMode::Inetd, _) => {
            notes.push(Note {
                setting: Some("listen"),
                text: "listen=NO and listen_ipv6=NO: inetd or systemd owns the control socket and its port; the rules assume \
                       listen_port and both IP versions, so check them against your socket unit"
                    .to_owned(),
            });
            any_address_both_families()
        }
    }
}

/// The model's passive range, whether the file pins it, and the notes on bounds vsftpd ignores.
fn passive(config: &EffectiveConfig, effective: PassiveRange, notes: &mut Vec<Note>) -> Passive {
    let min = config.uint(Tunable::PasvMinPort);
    let max = config.uint(Tunable::PasvMaxPort);
    let range = PortRange {
        first: effective.first,
        last: effective.last,
    };
    let (min_counted, max_counted) = (effective.min_used, effective.max_used);
    // The compiled-in 5001 "counts" too; a bound pins the range only when the file set it.
    let min_honoured = min_counted && config.is_set(Tunable::PasvMinPort);
    let max_honoured = max_counted && config.is_set(Tunable::PasvMaxPort);
    if config.is_set(Tunable::PasvMinPort) && !min_counted {
        notes.push(Note {
            setting: Some("pasv_min_port"),
            text: format!(
                "pasv_min_port={min} is ignored by vsftpd (it counts only from 1025 to 65535)"
            ),
        });
    }
    if config.is_set(Tunable::PasvMaxPort) && !max_counted {
        notes.push(Note {
            setting: Some("pasv_max_port"),
            text: format!(
                "pasv_max_port={max} is ignored by vsftpd (it counts only from the effective minimum {} to 65534), so passive ports go up to 65535",
                range.first
            ),
        });
    }
    // A range that still spans everything vsftpd could draw from is not pinned, however it was set.
    let whole = range.last == 65535 && (range.first == 1024 || range.first == 5001);
    let pinned = (min_honoured || max_honoured) && !whole;
    let opening = if pinned {
        PassiveOpening::Range
    } else {
        PassiveOpening::Helper
    };
    if pinned && range.count() > 10_000 {
        notes.push(Note {
            setting: Some("pasv_min_port"),
            text: format!(
                "the passive range {} holds {} ports; a range of a few hundred is usually enough",
                range.dashed(),
                range.count()
            ),
        });
    }
    Passive {
        range,
        min_honoured,
        max_honoured,
        opening,
    }
}

fn dual_stack(notes: &mut Vec<Note>) -> Vec<Listener> {
    notes.push(Note {
        setting: Some("listen_ipv6"),
        text: "listen_ipv6=YES without an address takes IPv4 clients too (Linux, net.ipv6.bindv6only=0), so both IPv4 and IPv6 are opened"
            .to_owned(),
    });
    any_address_both_families()
}

/// Any address, IPv4 and IPv6.
fn any_address_both_families() -> Vec<Listener> {
    [Family::Ipv4, Family::Ipv6]
        .map(|family| Listener {
            family,
            address: None,
        })
        .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::syntax::parse;

    fn plan(text: &str) -> Result<ServerPlan, PlanError> {
        let cst = parse(text.as_bytes()).cst;
        plan_server(
            "t.conf",
            &EffectiveConfig::read(&cst, Dialect::Upstream305, None),
        )
    }

    fn range(first: u16, last: u16) -> PortRange {
        PortRange { first, last }
    }

    #[test]
    fn unset_range_under_tls_is_an_error_naming_the_ports() {
        let e = plan("listen=YES\nssl_enable=YES\n").unwrap_err();
        assert_eq!(
            e,
            PlanError::TlsUnpinnedRange {
                label: "t.conf".into(),
                first: 5001,
                last: 65535
            }
        );
        assert!(e.to_string().contains("5001-65535 would have to be opened"));
    }

    #[test]
    fn unset_range_in_plaintext_relies_on_the_helper() {
        let p = plan("listen=YES\n").unwrap();
        assert_eq!(p.helper, HelperUse::Required);
        assert_eq!(p.passive.unwrap().opening, PassiveOpening::Helper);
        assert_eq!(p.passive.unwrap().range, range(5001, 65535));
    }

    #[test]
    fn min_above_max_opens_min_to_65535_and_says_why() {
        let p = plan("listen=YES\npasv_min_port=60000\npasv_max_port=50000\n").unwrap();
        assert_eq!(p.passive.unwrap().range, range(60000, 65535));
        assert_eq!(p.helper, HelperUse::NotNeeded);
        assert!(p.notes.iter().any(|n| n.setting == Some("pasv_max_port")));
    }

    #[test]
    fn octal_range_is_read_like_vsftpd() {
        let p = plan("listen=YES\npasv_min_port=0141520\npasv_max_port=0141524\n").unwrap();
        assert_eq!(p.passive.unwrap().range, range(50000, 50004));
    }

    #[test]
    fn listen_ipv6_without_address_is_dual_stack() {
        let p =
            plan("listen=NO\nlisten_ipv6=YES\npasv_min_port=50000\npasv_max_port=50010\n").unwrap();
        assert_eq!(p.families(), vec![Family::Ipv4, Family::Ipv6]);
        let p = plan("listen=NO\nlisten_ipv6=YES\nlisten_address6=2001:db8::1\n").unwrap();
        assert_eq!(
            p.listeners,
            vec![Listener {
                family: Family::Ipv6,
                address: Some("2001:db8::1".parse().unwrap())
            }]
        );
        let p = plan("listen=NO\nlisten_ipv6=YES\nlisten_address6=::ffff:198.51.100.1\n").unwrap();
        assert_eq!(
            p.listeners,
            vec![Listener {
                family: Family::Ipv4,
                address: Some("198.51.100.1".parse().unwrap())
            }]
        );
    }

    #[test]
    fn both_listeners_and_bad_addresses_are_refused_like_vsftpd() {
        assert!(matches!(
            plan("listen=YES\nlisten_ipv6=YES\n"),
            Err(PlanError::BothListeners { .. })
        ));
        assert!(matches!(
            plan("listen=YES\nlisten_address=localhost\n"),
            Err(PlanError::BadListenAddress { .. })
        ));
        // inet_aton accepts the short form.
        let p = plan("listen=YES\nlisten_address=127.1\n").unwrap();
        assert_eq!(p.listeners[0].address, Some("127.0.0.1".parse().unwrap()));
    }

    #[test]
    fn active_source_port_follows_connect_from_port_20() {
        let src = |t: &str| plan(t).unwrap().active.unwrap().source;
        assert_eq!(src("listen=YES\n"), ActiveSource::Ephemeral);
        assert_eq!(
            src("listen=YES\nconnect_from_port_20=YES\n"),
            ActiveSource::Port(20)
        );
        assert_eq!(
            src("listen=YES\nconnect_from_port_20=YES\nftp_data_port=70000\n"),
            ActiveSource::Port(4464)
        );
        assert_eq!(
            src("listen=YES\nconnect_from_port_20=YES\nftp_data_port=0\n"),
            ActiveSource::Ephemeral
        );
        assert!(
            plan("listen=YES\nport_enable=NO\n")
                .unwrap()
                .active
                .is_none()
        );
    }

    #[test]
    fn listen_port_wraps_to_16_bits() {
        assert_eq!(
            plan("listen=YES\nlisten_port=65557\n")
                .unwrap()
                .control_port,
            21
        );
    }

    #[test]
    fn cidr_and_allow_parse_strictly() {
        assert_eq!(
            Cidr::parse("198.51.100.7/24").unwrap().to_string(),
            "198.51.100.0/24"
        );
        assert_eq!(
            Cidr::parse("2001:db8::1/64").unwrap().to_string(),
            "2001:db8::/64"
        );
        assert_eq!(
            Cidr::parse("198.51.100.7").unwrap().to_string(),
            "198.51.100.7"
        );
        assert!(Cidr::parse("198.51.100.7/33").is_none());
        assert!(Cidr::parse("host/24").is_none());
        assert_eq!(
            Allow::parse("22/tcp"),
            Some(Allow {
                ports: PortRange::single(22),
                proto: Proto::Tcp
            })
        );
        assert_eq!(
            Allow::parse("60000-61000/udp"),
            Some(Allow {
                ports: range(60000, 61000),
                proto: Proto::Udp
            })
        );
        assert!(Allow::parse("22/icmp").is_none());
        assert!(Allow::parse("0/tcp").is_none());
        assert!(Allow::parse("9-8/tcp").is_none());
    }
}
