//! The pure half of `vsconf firewall --apply`, a trial like iptables-apply: what a standalone ruleset
//! would cut on this host, read from texts the binary collects (`nft list ruleset`, `iptables-save`,
//! `/proc/net/tcp{,6}`, `/proc/net/udp{,6}`, `SSH_CONNECTION`), and the trial's small vocabulary
//! (durations, decisions).
//!
//! Why a standalone table cuts anything: in nftables a packet must be accepted by *every* base chain
//! on its hook, so `table inet vsconf`'s `policy drop` input chain drops whatever another table's
//! input chain accepts unless vsconf's table accepts it too; `iptables-restore` replaces the whole
//! `filter` table, so every `-A INPUT … -j ACCEPT` before it is gone. Appending to an existing chain
//! (`--into`) adds accepts only and cuts nothing, which is why it is the recommended path.
//!
//! Knows no files, processes or sockets: the binary (`cli/firewall/trial.rs`) reads and loads.

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use super::lower::{Hook, Match, Ruleset, Shape, Verdict};
use super::plan::{Cidr, PortRange, Proto};

/// A socket that waits for peers: TCP in the LISTEN state (`/proc/net/tcp`, `/proc/net/tcp6`), or UDP
/// bound and unconnected (`/proc/net/udp`, `/proc/net/udp6`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    /// TCP or UDP.
    pub proto: Proto,
    /// The local address (`0.0.0.0` / `::` for every address).
    pub address: IpAddr,
    /// The local port.
    pub port: u16,
    /// The socket inode, to find the process that owns it.
    pub inode: u64,
    /// The owning process's name (`sshd`), when the binary could find it.
    pub process: Option<String>,
}

/// Reads the listening sockets from the text of `/proc/net/tcp` or `/proc/net/tcp6`. Lines that do not
/// parse are skipped (the kernel's format is fixed; anything else is not a socket line).
pub fn listeners(proc_net_tcp: &str) -> Vec<Listener> {
    // 0A is TCP_LISTEN in the kernel's tcp_states.h.
    sockets(proc_net_tcp, Proto::Tcp, |state, _| state == "0A")
}

/// Reads the UDP sockets that receive from anyone from the text of `/proc/net/udp` or
/// `/proc/net/udp6`: state 07 (TCP_CLOSE, the kernel's word for an unconnected datagram socket) with
/// no remote address. A connected UDP socket (state 01) talks to one peer only and is left out.
pub fn udp_listeners(proc_net_udp: &str) -> Vec<Listener> {
    sockets(proc_net_udp, Proto::Udp, |state, remote| {
        state == "07"
            && remote
                .split_once(':')
                .is_some_and(|(a, p)| p == "0000" && a.bytes().all(|b| b == b'0'))
    })
}

fn sockets(text: &str, proto: Proto, waiting: impl Fn(&str, &str) -> bool) -> Vec<Listener> {
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (Some(local), Some(remote), Some(state), Some(inode)) =
            (fields.get(1), fields.get(2), fields.get(3), fields.get(9))
        else {
            continue;
        };
        if !waiting(state, remote) {
            continue;
        }
        let Some((addr, port)) = local.split_once(':') else {
            continue;
        };
        let (Some(address), Ok(port), Ok(inode)) = (
            proc_address(addr),
            u16::from_str_radix(port, 16),
            inode.parse::<u64>(),
        ) else {
            continue;
        };
        out.push(Listener {
            proto,
            address,
            port,
            inode,
            process: None,
        });
    }
    out
}

/// `/proc/net/tcp` prints an address as 32-bit words in host byte order (little-endian here).
fn proc_address(hex: &str) -> Option<IpAddr> {
    let word = |i: usize| -> Option<[u8; 4]> {
        let w = u32::from_str_radix(hex.get(i * 8..i * 8 + 8)?, 16).ok()?;
        Some(w.to_le_bytes())
    };
    match hex.len() {
        8 => Some(IpAddr::V4(Ipv4Addr::from(word(0)?))),
        32 => {
            let mut bytes = [0u8; 16];
            for i in 0..4 {
                let w = word(i)?;
                bytes.get_mut(i * 4..i * 4 + 4)?.copy_from_slice(&w);
            }
            let v6 = Ipv6Addr::from(bytes);
            Some(IpAddr::V6(v6))
        }
        _ => None,
    }
}

/// Whether a listener only answers on this host (a loopback address, IPv4-mapped or not); the
/// standalone ruleset accepts loopback traffic, so such a service is never cut.
fn is_local_only(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(a) => a.is_loopback(),
        IpAddr::V6(a) => a.is_loopback() || a.to_ipv4_mapped().is_some_and(|m| m.is_loopback()),
    }
}

/// The SSH session vsconf runs in, from `SSH_CONNECTION` (`CLIENT_IP CLIENT_PORT SERVER_IP SERVER_PORT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SshSession {
    /// Where the operator connects from.
    pub client: IpAddr,
    /// The address of this host they connected to.
    pub server: IpAddr,
    /// The SSH port they connected to.
    pub port: u16,
}

/// Parses `SSH_CONNECTION`; `None` when it is not four fields of addresses and ports.
pub fn ssh_session(value: &str) -> Option<SshSession> {
    let fields: Vec<&str> = value.split_whitespace().collect();
    let [client, _client_port, server, port] = fields.as_slice() else {
        return None;
    };
    // OpenSSH prints IPv6 addresses without brackets and may keep a %scope.
    let addr = |s: &str| -> Option<IpAddr> { s.split('%').next()?.parse().ok() };
    Some(SshSession {
        client: addr(client)?,
        server: addr(server)?,
        port: port.parse().ok()?,
    })
}

/// One thing a base chain lets in: new connections to these ports (all ports when `ports` is `None`),
/// optionally only from a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    /// The protocol, `None` for any.
    pub proto: Option<Proto>,
    /// The destination ports, `None` for all.
    pub ports: Option<Vec<PortRange>>,
    /// The source prefix, `None` for any.
    pub source: Option<Cidr>,
    /// The chain that holds the accepting rule when the base chain reaches it by `jump` or `goto`
    /// (`-j CHAIN` / `-g CHAIN` in iptables).
    pub via: Option<String>,
}

impl Opening {
    fn any() -> Opening {
        Opening {
            proto: None,
            ports: None,
            source: None,
            via: None,
        }
    }

    /// What a rule reached through a jump accepts: the jumping rule's matches and the accepting
    /// rule's together. `None` when nothing satisfies both (other protocols, disjoint ports or
    /// prefixes).
    fn within(&self, inner: &Opening, chain: &str) -> Option<Opening> {
        let proto = match (self.proto, inner.proto) {
            (Some(a), Some(b)) if a != b => return None,
            (a, b) => a.or(b),
        };
        let ports = match (&self.ports, &inner.ports) {
            (Some(a), Some(b)) => {
                let both: Vec<PortRange> = a
                    .iter()
                    .flat_map(|x| {
                        b.iter().filter_map(move |y| {
                            let (first, last) = (x.first.max(y.first), x.last.min(y.last));
                            (first <= last).then_some(PortRange { first, last })
                        })
                    })
                    .collect();
                if both.is_empty() {
                    return None;
                }
                Some(both)
            }
            (a, b) => a.clone().or_else(|| b.clone()),
        };
        let source = match (self.source, inner.source) {
            (Some(a), Some(b)) if b.len >= a.len && contains(a, b.addr) => Some(b),
            (Some(a), Some(b)) if a.len >= b.len && contains(b, a.addr) => Some(a),
            (Some(_), Some(_)) => return None,
            (a, b) => a.or(b),
        };
        Some(Opening {
            proto,
            ports,
            source,
            via: inner.via.clone().or_else(|| Some(chain.to_owned())),
        })
    }
}

/// What a rule does with a packet it matches, as far as the cut detection cares.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Action {
    Accept,
    /// `jump` / `goto` (nft), `-j` / `-g` to a user chain (iptables): the chain's accepts count too.
    Enter(String),
}

/// One table's chains: name and rule lines, in listing order.
type Chains = Vec<(String, Vec<String>)>;

/// Chains followed from a base chain, at most: a deeper (or cyclic) chain of jumps is not read further.
const MAX_JUMP_DEPTH: usize = 16;

/// A base chain on the input hook that is not vsconf's own, with what it accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseChain {
    /// How to name it: `inet filter input`, or `iptables filter INPUT`.
    pub name: String,
    /// `accept` or `drop`.
    pub policy: String,
    /// What it accepts as new connections, in rule order, including what the chains it jumps to
    /// accept.
    pub accepts: Vec<Opening>,
}

/// The openings of the rules `lines` of one chain, following jumps into `chains` (one table's chains
/// by name). `path` holds the chains being read, so that a cycle ends.
fn openings<F>(
    lines: &[String],
    chains: &[(String, Vec<String>)],
    rule: &F,
    path: &mut Vec<String>,
) -> Vec<Opening>
where
    F: Fn(&str) -> Option<(Opening, Action)>,
{
    let mut out = Vec::new();
    for line in lines {
        match rule(line) {
            Some((o, Action::Accept)) => out.push(o),
            Some((outer, Action::Enter(name))) => {
                if path.contains(&name) || path.len() >= MAX_JUMP_DEPTH {
                    continue;
                }
                let Some((_, inner_lines)) = chains.iter().find(|(n, _)| *n == name) else {
                    continue;
                };
                path.push(name.clone());
                let inner = openings(inner_lines, chains, rule, path);
                path.pop();
                out.extend(inner.iter().filter_map(|i| outer.within(i, &name)));
            }
            None => {}
        }
    }
    out
}

/// The input-hook base chains of an `nft list ruleset` listing, except `table inet vsconf`'s.
pub fn nft_input_chains(listing: &str) -> Vec<BaseChain> {
    // Each table's chains, with their lines, in listing order.
    let mut tables: Vec<(String, Chains)> = Vec::new();
    let mut current: Option<(String, Vec<String>)> = None;
    // Depth inside blocks that are neither tables nor chains (sets, maps, ct helpers, flowtables).
    let mut other = 0usize;
    for line in listing.lines() {
        let t = line.trim();
        if other > 0 {
            if t.ends_with('{') {
                other += 1;
            } else if t == "}" {
                other -= 1;
            }
            continue;
        }
        if t.ends_with(" {") && !t.starts_with("table ") && !t.starts_with("chain ") {
            other = 1;
            continue;
        }
        if let Some(rest) = t.strip_prefix("table ") {
            let name = rest.strip_suffix(" {").unwrap_or(rest);
            tables.push((name.to_owned(), Vec::new()));
            continue;
        }
        if let Some(rest) = t.strip_prefix("chain ") {
            let name = rest.strip_suffix(" {").unwrap_or(rest);
            current = Some((name.to_owned(), Vec::new()));
            continue;
        }
        if t == "}" {
            if let (Some(chain), Some((_, chains))) = (current.take(), tables.last_mut()) {
                chains.push(chain);
            }
            continue;
        }
        if let Some((_, lines)) = current.as_mut() {
            lines.push(t.to_owned());
        }
    }
    let mut out = Vec::new();
    for (table, chains) in &tables {
        for (chain, lines) in chains {
            out.extend(base_chain(table, chain, lines, chains));
        }
    }
    out
}

fn base_chain(
    table: &str,
    chain: &str,
    lines: &[String],
    chains: &[(String, Vec<String>)],
) -> Option<BaseChain> {
    if table == format!("inet {}", super::emit::nft::TABLE) {
        return None;
    }
    let head = lines.iter().find(|l| l.starts_with("type "))?;
    if !head.contains(" hook input ") {
        return None;
    }
    let family = table.split_whitespace().next().unwrap_or("");
    if !matches!(family, "inet" | "ip" | "ip6") {
        return None;
    }
    let policy = head
        .split(';')
        .find_map(|p| p.trim().strip_prefix("policy "))
        .unwrap_or("accept")
        .to_owned();
    let rules: Vec<String> = lines
        .iter()
        .filter(|l| !l.starts_with("type "))
        .cloned()
        .collect();
    let accepts = openings(
        &rules,
        chains,
        &|l: &str| nft_rule(l),
        &mut vec![chain.to_owned()],
    );
    Some(BaseChain {
        name: format!("{table} {chain}"),
        policy,
        accepts,
    })
}

/// What one nft rule line matches among new connections, and whether it accepts them or enters
/// another chain. `None` for other verdicts and for rules no new connection matches.
fn nft_rule(line: &str) -> Option<(Opening, Action)> {
    // A comment may hold any word; cut it before reading tokens.
    let line = line.split(" comment \"").next().unwrap_or(line);
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let action = match tokens.as_slice() {
        [.., "accept"] => Action::Accept,
        [.., "jump" | "goto", chain] => Action::Enter((*chain).to_owned()),
        _ => return None,
    };
    let mut opening = Opening::any();
    let mut i = 0;
    while let Some(tok) = tokens.get(i) {
        let next = tokens.get(i + 1).copied();
        match (*tok, next) {
            ("iif" | "iifname", Some("\"lo\"")) => return None,
            ("ct", Some("state")) => {
                let states = tokens.get(i + 2).copied().unwrap_or("");
                if !states.split(',').any(|s| s == "new") {
                    return None;
                }
            }
            ("ip" | "ip6", Some("saddr")) => {
                opening.source = tokens.get(i + 2).and_then(|s| Cidr::parse(s));
            }
            ("tcp" | "udp", Some("dport")) => {
                opening.proto = Some(if *tok == "tcp" {
                    Proto::Tcp
                } else {
                    Proto::Udp
                });
                let (ports, used) = nft_ports(tokens.get(i + 2..).unwrap_or(&[]));
                // A set reference (`@ports`) or a map names no port here: read as every port, so that
                // the cut is reported rather than missed.
                opening.ports = (!ports.is_empty()).then_some(ports);
                i += 2 + used;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Some((opening, action))
}

/// Reads `22`, `8000-8080` or `{ 22, 80 }`; returns the ranges and how many tokens they took.
fn nft_ports(tokens: &[&str]) -> (Vec<PortRange>, usize) {
    let mut out = Vec::new();
    match tokens.first() {
        Some(&"{") => {
            let mut used = 1;
            for tok in tokens.iter().skip(1) {
                used += 1;
                if *tok == "}" {
                    break;
                }
                if let Some(r) = port_range(tok.trim_end_matches(','), '-') {
                    out.push(r);
                }
            }
            (out, used)
        }
        Some(tok) => {
            out.extend(port_range(tok, '-'));
            (out, 1)
        }
        None => (out, 0),
    }
}

fn port_range(text: &str, sep: char) -> Option<PortRange> {
    let port = |s: &str| s.parse::<u16>().ok();
    match text.split_once(sep) {
        Some((a, b)) => Some(PortRange {
            first: port(a)?,
            last: port(b)?,
        }),
        None => Some(PortRange::single(port(text)?)),
    }
}

/// The `filter` table's INPUT chain of an `iptables-save` / `ip6tables-save` listing, with what the
/// user chains it jumps to accept.
pub fn iptables_input_chain(save: &str, command: &str) -> Option<BaseChain> {
    let mut in_filter = false;
    let mut policy = None;
    // Every chain's rules by name (INPUT's included), in listing order.
    let mut chains: Chains = Vec::new();
    for line in save.lines() {
        if let Some(table) = line.strip_prefix('*') {
            in_filter = table == "filter";
            continue;
        }
        if !in_filter {
            continue;
        }
        if let Some(rest) = line.strip_prefix(":INPUT ") {
            policy = rest.split_whitespace().next().map(str::to_lowercase);
        } else if let Some(rest) = line.strip_prefix(':') {
            if let Some(name) = rest.split_whitespace().next() {
                chains.push((name.to_owned(), Vec::new()));
            }
        } else if let Some(rest) = line.strip_prefix("-A ") {
            let Some((chain, rule)) = rest.split_once(' ') else {
                continue;
            };
            match chains.iter_mut().find(|(n, _)| n == chain) {
                Some((_, rules)) => rules.push(rule.to_owned()),
                None => chains.push((chain.to_owned(), vec![rule.to_owned()])),
            }
        }
    }
    let input: Vec<String> = chains
        .iter()
        .find(|(n, _)| n == "INPUT")
        .map(|(_, r)| r.clone())
        .unwrap_or_default();
    let user: Vec<&str> = chains.iter().map(|(n, _)| n.as_str()).collect();
    let rule = |r: &str| iptables_rule(r, &user);
    let accepts = openings(&input, &chains, &rule, &mut vec!["INPUT".to_owned()]);
    Some(BaseChain {
        name: format!("{command} filter INPUT"),
        policy: policy?,
        accepts,
    })
}

/// What one `-A CHAIN` rule (without that prefix) matches among new connections, and whether it
/// accepts them or enters one of `chains`.
fn iptables_rule(rule: &str, chains: &[&str]) -> Option<(Opening, Action)> {
    let tokens: Vec<&str> = rule.split_whitespace().collect();
    let target = tokens
        .windows(2)
        .find(|w| matches!(w.first(), Some(&"-j" | &"-g")))
        .and_then(|w| w.get(1))?;
    let action = match *target {
        "ACCEPT" => Action::Accept,
        chain if chains.contains(&chain) && chain != "INPUT" => Action::Enter(chain.to_owned()),
        _ => return None,
    };
    let mut opening = Opening::any();
    for w in tokens.windows(2) {
        let (Some(flag), Some(value)) = (w.first(), w.get(1)) else {
            continue;
        };
        match *flag {
            "-i" if *value == "lo" => return None,
            "--ctstate" | "--state" if !value.split(',').any(|s| s == "NEW") => return None,
            "-s" => opening.source = Cidr::parse(value),
            "-p" => {
                opening.proto = match *value {
                    "tcp" => Some(Proto::Tcp),
                    "udp" => Some(Proto::Udp),
                    _ => None,
                }
            }
            "--dport" | "--dports" => {
                let ports: Vec<PortRange> = value
                    .split(',')
                    .filter_map(|p| port_range(p, ':'))
                    .collect();
                opening.ports = (!ports.is_empty()).then_some(ports);
            }
            _ => {}
        }
    }
    Some((opening, action))
}

/// What the host looks like before the new rules are loaded.
#[derive(Debug, Clone, Default)]
pub struct Host {
    /// Listening TCP sockets.
    pub listeners: Vec<Listener>,
    /// The SSH session vsconf runs in.
    pub ssh: Option<SshSession>,
    /// Other input base chains (nft) or the filter INPUT chain the load replaces (iptables).
    pub chains: Vec<BaseChain>,
}

/// Something the new rules would stop, with the `--allow` that keeps it when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// What is cut, in words.
    pub what: String,
    /// The `--allow` value that keeps it (`22/tcp`), when ports say it.
    pub allow: Option<String>,
}

/// Whether the ruleset accepts a new TCP/UDP connection to `port` from `from` (any source when `None`).
pub fn opens(set: &Ruleset, proto: Proto, port: u16, from: Option<IpAddr>) -> bool {
    set.rules_in(Hook::Input)
        .filter(|r| r.verdict == Verdict::Accept)
        .any(|r| {
            let mut port_ok = false;
            for m in &r.matches {
                match m {
                    Match::Loopback | Match::CtState(_) | Match::Icmpv6Types(_) => return false,
                    Match::Saddr(c) => {
                        if let Some(from) = from {
                            if !contains(*c, from) {
                                return false;
                            }
                        }
                    }
                    Match::Dport(p, range) => {
                        port_ok = *p == proto && range.first <= port && port <= range.last;
                    }
                    Match::Daddr(_) | Match::Sport(..) => {}
                }
            }
            port_ok
        })
}

/// Whether `addr` lies within the prefix (IPv4-mapped IPv6 addresses count as IPv4).
pub fn contains(prefix: Cidr, addr: IpAddr) -> bool {
    let addr = match addr {
        IpAddr::V6(a) => a.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        v4 => v4,
    };
    match (prefix.addr, addr) {
        (IpAddr::V4(p), IpAddr::V4(a)) => {
            let len = u32::from(prefix.len.min(32));
            let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
            u32::from(p) & mask == u32::from(a) & mask
        }
        (IpAddr::V6(p), IpAddr::V6(a)) => {
            let len = u32::from(prefix.len.min(128));
            let mask = u128::MAX.checked_shl(128 - len).unwrap_or(0);
            u128::from(p) & mask == u128::from(a) & mask
        }
        _ => false,
    }
}

/// What loading `set` would cut on `host`. Empty for `--into` (appended accepts cut nothing).
pub fn cuts(set: &Ruleset, host: &Host) -> Vec<Cut> {
    let mut out: Vec<Cut> = Vec::new();
    if set.shape != Shape::Standalone {
        return out;
    }
    let mut push = |cut: Cut| {
        if !out.contains(&cut) {
            out.push(cut);
        }
    };
    if let Some(ssh) = host.ssh {
        if !opens(set, Proto::Tcp, ssh.port, Some(ssh.client)) {
            push(Cut {
                what: format!(
                    "your SSH session: new connections from {} to port {} would be dropped (this one \
                     survives only as long as its connection does)",
                    ssh.client, ssh.port
                ),
                allow: Some(format!("{}/tcp", ssh.port)),
            });
        }
    }
    let mut listeners: Vec<&Listener> = host
        .listeners
        .iter()
        .filter(|l| !is_local_only(l.address))
        .filter(|l| !opens(set, l.proto, l.port, None))
        .collect();
    listeners.sort_by_key(|l| (l.proto == Proto::Udp, l.port, l.address));
    listeners.dedup_by_key(|l| (l.proto, l.port));
    for l in listeners {
        let who = l
            .process
            .as_deref()
            .map_or_else(String::new, |p| format!("{p} "));
        let proto = l.proto.name();
        push(Cut {
            what: format!(
                "{who}listening on {proto} port {} ({}) would be unreachable",
                l.port, l.address
            ),
            allow: Some(format!("{}/{proto}", l.port)),
        });
    }
    for chain in &host.chains {
        for o in &chain.accepts {
            let source = o.source.map_or_else(String::new, |s| format!(" from {s}"));
            let chain_name = match &o.via {
                Some(via) => format!("{} (through chain {via})", chain.name),
                None => chain.name.clone(),
            };
            match (&o.ports, o.proto) {
                (Some(ports), Some(proto)) => {
                    for r in ports {
                        let open = (r.first..=r.last).all(|p| opens(set, proto, p, None));
                        if !open {
                            push(Cut {
                                what: format!(
                                    "{} port {}{source}, accepted by chain {} (every base chain on \
                                     the input hook must accept a packet)",
                                    proto.name(),
                                    r.dashed(),
                                    chain_name
                                ),
                                allow: Some(format!("{}/{}", r.dashed(), proto.name())),
                            });
                        }
                    }
                }
                _ => push(Cut {
                    what: format!(
                        "everything{source} that chain {chain_name} accepts with a rule that names no port",
                    ),
                    allow: None,
                }),
            }
        }
    }
    out
}

/// The refusal text: one line per cut, then the flags that would keep them.
pub fn describe(cuts: &[Cut]) -> String {
    let mut out = String::new();
    for c in cuts {
        let _ = writeln!(out, "  - {}", c.what);
    }
    let mut allows: Vec<&str> = cuts.iter().filter_map(|c| c.allow.as_deref()).collect();
    allows.sort_unstable();
    allows.dedup();
    if !allows.is_empty() {
        let flags: Vec<String> = allows.iter().map(|a| format!("--allow {a}")).collect();
        let _ = writeln!(out, "to keep them: {}", flags.join(" "));
    }
    out
}

/// Parses `30s`, `2m`, `1m30s`-free simple forms: `N`, `Ns`, `Nm`, `Nms`. At most one hour.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let (digits, unit) = text
        .find(|c: char| !c.is_ascii_digit())
        .map_or((text, ""), |i| {
            (text.get(..i).unwrap_or(""), text.get(i..).unwrap_or(""))
        });
    let n: u64 = digits.parse().ok()?;
    let d = match unit {
        "" | "s" => Duration::from_secs(n),
        "m" | "min" => Duration::from_secs(n.checked_mul(60)?),
        "ms" => Duration::from_millis(n),
        _ => return None,
    };
    (d > Duration::ZERO && d <= Duration::from_secs(3600)).then_some(d)
}

/// Who decided a trial's end; written once, by whoever comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Confirmed in time: the new rules stay.
    Keep,
    /// Not confirmed, or declined: the saved ruleset comes back.
    RollBack,
}

impl Decision {
    /// The word stored in the decision file.
    pub fn word(self) -> &'static str {
        match self {
            Decision::Keep => "keep",
            Decision::RollBack => "roll-back",
        }
    }

    /// Reads a stored word.
    pub fn parse(text: &str) -> Option<Decision> {
        match text.trim() {
            "keep" => Some(Decision::Keep),
            "roll-back" => Some(Decision::RollBack),
            _ => None,
        }
    }
}

/// The script that puts a saved `nft list ruleset` back exactly: one atomic transaction that empties
/// the ruleset and loads the listing.
pub fn nft_restore_script(saved: &str) -> String {
    format!("flush ruleset\n{saved}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::firewall::lower::{Rule, Shape};
    use crate::firewall::plan::Family;

    const PROC: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1211 1 0 100 0 0 10 0
   1: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1212 1 0 100 0 0 10 0
   2: 020200C0:8740 507100CB:01BB 01 00000000:00000000 00:00000000 00000000     0        0 15657 2 0 21 4 32 32 -1
";

    const PROC6: &str = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 999 1 0 100 0 0 10 0
   1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 998 1 0 100 0 0 10 0
";

    const RULESET: &str = "table inet filter {
	set admins {
		type ipv4_addr
		elements = { 198.51.100.2 }
	}

	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iif \"lo\" accept
		tcp dport { 22, 80 } accept
		ip saddr 10.0.0.0/8 tcp dport 8000-8080 counter packets 0 bytes 0 accept comment \"tcp dport 9 accept\"
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		tcp dport 25 accept
	}
}
table inet vsconf {
	chain input {
		type filter hook input priority filter; policy drop;
		tcp dport 21 accept
	}
}
";

    fn ftp_only() -> Ruleset {
        let tcp = |p| Match::Dport(Proto::Tcp, PortRange::single(p));
        Ruleset {
            shape: Shape::Standalone,
            helper_ports: vec![],
            rules: vec![
                Rule {
                    hook: Hook::Input,
                    family: None,
                    matches: vec![Match::Loopback],
                    verdict: Verdict::Accept,
                    comment: String::new(),
                },
                Rule {
                    hook: Hook::Input,
                    family: Some(Family::Ipv4),
                    matches: vec![tcp(21)],
                    verdict: Verdict::Accept,
                    comment: String::new(),
                },
            ],
            families: vec![Family::Ipv4],
            notes: vec![],
        }
    }

    #[test]
    fn listeners_read_listen_sockets_only() {
        let l = listeners(PROC);
        assert_eq!(l.len(), 2);
        assert_eq!(
            (l[0].address.to_string(), l[0].port, l[0].inode),
            ("0.0.0.0".into(), 22, 1211)
        );
        assert_eq!(l[1].address.to_string(), "127.0.0.1");
        let l6 = listeners(PROC6);
        assert_eq!(l6[0].address.to_string(), "::");
        assert_eq!(l6[0].port, 80);
        assert_eq!(l6[1].address.to_string(), "::1");
        assert_eq!(l6[1].port, 8080);
    }

    #[test]
    fn ssh_connection_parses_both_families() {
        let s = ssh_session("198.51.100.2 51000 198.51.100.1 22").unwrap();
        assert_eq!((s.client.to_string(), s.port), ("198.51.100.2".into(), 22));
        let s6 = ssh_session("2001:db8::2 51000 fe80::1%eth0 2222").unwrap();
        assert_eq!(s6.port, 2222);
        assert!(ssh_session("garbage").is_none());
    }

    #[test]
    fn nft_chains_on_the_input_hook_except_vsconfs_own() {
        let chains = nft_input_chains(RULESET);
        assert_eq!(chains.len(), 1);
        let c = &chains[0];
        assert_eq!(c.name, "inet filter input");
        assert_eq!(c.policy, "drop");
        assert_eq!(c.accepts.len(), 2);
        assert_eq!(
            c.accepts[0].ports,
            Some(vec![PortRange::single(22), PortRange::single(80)])
        );
        assert_eq!(
            c.accepts[1].ports,
            Some(vec![PortRange {
                first: 8000,
                last: 8080
            }])
        );
        assert_eq!(
            c.accepts[1].source.map(|s| s.to_string()),
            Some("10.0.0.0/8".into())
        );
    }

    #[test]
    fn iptables_input_accepts() {
        let save = "# Generated\n*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 1 -j ACCEPT\nCOMMIT\n\
*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n\
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n\
-A INPUT -p tcp -m multiport --dports 80,8000:8080 -j ACCEPT\n-A INPUT -p tcp --dport 23 -j DROP\nCOMMIT\n";
        let c = iptables_input_chain(save, "iptables").unwrap();
        assert_eq!(c.policy, "drop");
        assert_eq!(c.accepts.len(), 2);
        assert_eq!(
            c.accepts[1].ports,
            Some(vec![
                PortRange::single(80),
                PortRange {
                    first: 8000,
                    last: 8080
                }
            ])
        );
    }

    #[test]
    fn cuts_name_ssh_listeners_and_other_chains() {
        let host = Host {
            listeners: listeners(PROC),
            ssh: ssh_session("198.51.100.2 51000 198.51.100.1 22"),
            chains: nft_input_chains(RULESET),
        };
        let cuts = cuts(&ftp_only(), &host);
        let text = describe(&cuts);
        assert!(text.contains("your SSH session"), "{text}");
        assert!(
            text.contains("listening on tcp port 22 (0.0.0.0)"),
            "{text}"
        );
        assert!(
            !text.contains("port 3306"),
            "loopback listener is never cut: {text}"
        );
        assert!(
            text.contains("tcp port 80, accepted by chain inet filter input"),
            "{text}"
        );
        assert!(
            text.contains("to keep them: --allow 22/tcp --allow 80/tcp --allow 8000-8080/tcp"),
            "{text}"
        );
    }

    #[test]
    fn allowed_ports_are_not_cut_and_into_cuts_nothing() {
        let mut set = ftp_only();
        for p in [22, 80] {
            set.rules.push(Rule {
                hook: Hook::Input,
                family: None,
                matches: vec![Match::Dport(Proto::Tcp, PortRange::single(p))],
                verdict: Verdict::Accept,
                comment: String::new(),
            });
        }
        let host = Host {
            listeners: listeners(PROC),
            ssh: ssh_session("198.51.100.2 51000 198.51.100.1 22"),
            chains: vec![],
        };
        assert_eq!(cuts(&set, &host), vec![]);
        let mut into = ftp_only();
        into.shape = Shape::Into(crate::firewall::lower::Target {
            family: crate::firewall::lower::TableFamily::Inet,
            table: "filter".into(),
            chain: "input".into(),
        });
        assert_eq!(cuts(&into, &host), vec![]);
    }

    const UDP: &str = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  100: 00000000:14E9 00000000:0000 07 00000000:00000000 00:00000000 00000000   104        0 2201 2 0000000000000000 0
  101: 0100007F:0143 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 2202 2 0000000000000000 0
  102: 020200C0:D431 08080808:0035 01 00000000:00000000 00:00000000 00000000     0        0 2203 2 0000000000000000 0
";

    #[test]
    fn udp_listeners_are_unconnected_sockets_and_are_cut_by_port() {
        let l = udp_listeners(UDP);
        assert_eq!(
            l.len(),
            2,
            "the connected socket (state 01) is no listener: {l:?}"
        );
        assert_eq!((l[0].proto, l[0].port), (Proto::Udp, 5353));
        let host = Host {
            listeners: l,
            ssh: None,
            chains: vec![],
        };
        let text = describe(&cuts(&ftp_only(), &host));
        assert!(
            text.contains("listening on udp port 5353 (0.0.0.0)"),
            "{text}"
        );
        assert!(!text.contains("323"), "loopback-only: {text}");
        assert!(text.contains("--allow 5353/udp"), "{text}");
    }

    #[test]
    fn nft_jumps_and_gotos_are_followed_with_the_jumping_rules_matches() {
        let listing = "table ip filter {
	chain services {
		tcp dport 2222 accept
		udp dport 5000-5010 accept
		ip saddr 198.51.100.0/24 accept
		return
	}
	chain admin {
		tcp dport { 9000, 9100 } accept
		jump services
	}
	chain input {
		type filter hook input priority filter; policy drop;
		jump services
		ip saddr 198.51.100.128/25 tcp dport 9000-9050 goto admin
		tcp dport 7000 jump loop
	}
	chain loop {
		jump loop
		tcp dport 7000 accept
	}
}
";
        let chains = nft_input_chains(listing);
        assert_eq!(chains.len(), 1);
        type Seen = (
            Option<Proto>,
            Option<Vec<PortRange>>,
            Option<String>,
            Option<String>,
        );
        let ports: Vec<Seen> = chains[0]
            .accepts
            .iter()
            .map(|o| {
                (
                    o.proto,
                    o.ports.clone(),
                    o.source.map(|s| s.to_string()),
                    o.via.clone(),
                )
            })
            .collect();
        let via = |c: &str| Some(c.to_owned());
        let range = |a, b| PortRange { first: a, last: b };
        assert_eq!(
            ports,
            vec![
                (
                    Some(Proto::Tcp),
                    Some(vec![PortRange::single(2222)]),
                    None,
                    via("services")
                ),
                (
                    Some(Proto::Udp),
                    Some(vec![range(5000, 5010)]),
                    None,
                    via("services")
                ),
                (None, None, Some("198.51.100.0/24".into()), via("services")),
                // Through the goto: only 9000 of {9000, 9100} lies in 9000-9050, and only from the /25.
                (
                    Some(Proto::Tcp),
                    Some(vec![PortRange::single(9000)]),
                    Some("198.51.100.128/25".into()),
                    via("admin")
                ),
                // admin jumps on to services: 2222 lies outside 9000-9050, udp is not tcp.
                (
                    Some(Proto::Tcp),
                    Some(vec![range(9000, 9050)]),
                    Some("198.51.100.128/25".into()),
                    via("services")
                ),
                // A cycle ends; what the chain accepts after it still counts.
                (
                    Some(Proto::Tcp),
                    Some(vec![PortRange::single(7000)]),
                    None,
                    via("loop")
                ),
            ]
        );
        let host = Host {
            listeners: vec![],
            ssh: None,
            chains,
        };
        let text = describe(&cuts(&ftp_only(), &host));
        assert!(
            text.contains(
                "tcp port 2222, accepted by chain ip filter input (through chain services)"
            ),
            "{text}"
        );
        assert!(
            text.contains("everything from 198.51.100.0/24 that chain ip filter input (through chain services) accepts"),
            "{text}"
        );
    }

    #[test]
    fn iptables_user_chains_are_followed() {
        let save = "*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:SERVICES - [0:0]\n\
-A INPUT -p tcp -j SERVICES\n-A INPUT -p udp -g SERVICES\n-A INPUT -j LOG\n\
-A SERVICES -p tcp -m tcp --dport 2222 -j ACCEPT\n-A SERVICES -p udp -m udp --dport 53 -j ACCEPT\nCOMMIT\n";
        let c = iptables_input_chain(save, "iptables").unwrap();
        let got: Vec<(Option<Proto>, Option<Vec<PortRange>>)> = c
            .accepts
            .iter()
            .map(|o| (o.proto, o.ports.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some(Proto::Tcp), Some(vec![PortRange::single(2222)])),
                (Some(Proto::Udp), Some(vec![PortRange::single(53)])),
            ]
        );
        assert!(
            c.accepts
                .iter()
                .all(|o| o.via.as_deref() == Some("SERVICES"))
        );
    }

    #[test]
    fn prefixes_contain_addresses() {
        let c = Cidr::parse("198.51.100.0/24").unwrap();
        assert!(contains(c, "198.51.100.7".parse().unwrap()));
        assert!(contains(c, "::ffff:198.51.100.7".parse().unwrap()));
        assert!(!contains(c, "198.51.101.7".parse().unwrap()));
        assert!(contains(
            Cidr::parse("0.0.0.0/0").unwrap(),
            "203.0.113.1".parse().unwrap()
        ));
        assert!(contains(
            Cidr::parse("2001:db8::/32").unwrap(),
            "2001:db8::2".parse().unwrap()
        ));
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("45"), Some(Duration::from_secs(45)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("0s"), None);
        assert_eq!(parse_duration("2h"), None);
        assert_eq!(parse_duration("s"), None);
    }
}
