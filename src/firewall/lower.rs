//! [`FirewallPlan`] + [`Shape`] → [`Ruleset`]: the plan as an ordered list of format-neutral packet
//! rules, shared by the nft, nft-json and iptables emitters so that they cannot disagree on what is
//! opened. The firewalld and ufw emitters read the plan directly (they describe services, not rules).

use std::net::IpAddr;

use super::plan::{
    ActiveSource, Cidr, Family, FirewallPlan, HelperUse, PassiveOpening, PortRange, Proto,
    ServerPlan,
};

/// The two kinds of output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A whole ruleset for an FTP host, loadable into an empty firewall.
    Standalone,
    /// Only the rules to append to an existing chain.
    Into(Target),
}

/// An existing chain (`--into FAMILY TABLE CHAIN`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The nftables family (`inet`, `ip`, `ip6`); for iptables `ip` or `ip6`.
    pub family: TableFamily,
    /// The table (`filter`).
    pub table: String,
    /// The chain (`input`, `INPUT`).
    pub chain: String,
}

/// An nftables table family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFamily {
    /// `inet`: both IP versions.
    Inet,
    /// `ip`: IPv4.
    Ip,
    /// `ip6`: IPv6.
    Ip6,
}

impl TableFamily {
    /// `inet` / `ip` / `ip6`.
    pub fn name(self) -> &'static str {
        match self {
            TableFamily::Inet => "inet",
            TableFamily::Ip => "ip",
            TableFamily::Ip6 => "ip6",
        }
    }

    /// Parses a family name.
    pub fn parse(text: &str) -> Option<TableFamily> {
        match text {
            "inet" => Some(TableFamily::Inet),
            "ip" | "ipv4" => Some(TableFamily::Ip),
            "ip6" | "ipv6" => Some(TableFamily::Ip6),
            _ => None,
        }
    }

    /// Whether a rule for `family` (`None`: both) belongs in a table of this family.
    pub fn admits(self, family: Option<Family>) -> bool {
        match (self, family) {
            (TableFamily::Inet, _) | (_, None) => true,
            (TableFamily::Ip, Some(f)) => f == Family::Ipv4,
            (TableFamily::Ip6, Some(f)) => f == Family::Ipv6,
        }
    }
}

/// Which base chain a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    /// Packets to this host.
    Input,
    /// Packets from this host.
    Output,
}

/// A conntrack state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CtState {
    /// Part of a known connection.
    Established,
    /// An expected connection (helper) or an ICMP error about a known one.
    Related,
    /// Matches no connection.
    Invalid,
}

impl CtState {
    /// The nft and iptables name (`established`).
    pub fn name(self) -> &'static str {
        match self {
            CtState::Established => "established",
            CtState::Related => "related",
            CtState::Invalid => "invalid",
        }
    }
}

/// One condition of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// Arrived on the loopback interface.
    Loopback,
    /// Conntrack state is one of these.
    CtState(Vec<CtState>),
    /// Source address within the prefix.
    Saddr(Cidr),
    /// Destination address.
    Daddr(IpAddr),
    /// ICMPv6 types (nft names).
    Icmpv6Types(Vec<&'static str>),
    /// Source port in range.
    Sport(Proto, PortRange),
    /// Destination port in range.
    Dport(Proto, PortRange),
}

/// What a matching rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Let the packet through.
    Accept,
    /// Discard it.
    Drop,
    /// Attach the FTP conntrack helper to the connection (continue evaluation).
    FtpHelper,
}

/// One rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The chain.
    pub hook: Hook,
    /// The IP version it applies to; `None` for both.
    pub family: Option<Family>,
    /// All must hold.
    pub matches: Vec<Match>,
    /// The action.
    pub verdict: Verdict,
    /// A short reason, safe to quote in any format (ASCII letters, digits, spaces and `._-=/:,()`).
    pub comment: String,
}

impl Rule {
    /// Whether a match already restricts the IP version; when not, and the rule is for one family in
    /// a dual-family table, the emitter must add a family match (`meta nfproto ipv4`).
    pub fn family_implied(&self) -> bool {
        self.matches
            .iter()
            .any(|m| matches!(m, Match::Saddr(_) | Match::Daddr(_) | Match::Icmpv6Types(_)))
    }

    /// The FTP helper's name for the control port this rule assigns it on.
    pub fn helper_port(&self) -> Option<u16> {
        if self.verdict != Verdict::FtpHelper {
            return None;
        }
        self.matches.iter().find_map(|m| match m {
            Match::Dport(_, r) => Some(r.first),
            _ => None,
        })
    }
}

/// The rules, in order, plus the FTP helper objects they use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ruleset {
    /// The shape asked for.
    pub shape: Shape,
    /// Control ports the FTP helper is attached on (one helper object each in nft).
    pub helper_ports: Vec<u16>,
    /// Rules in chain order.
    pub rules: Vec<Rule>,
    /// The plan's IP versions.
    pub families: Vec<Family>,
    /// Facts found while lowering (a family left closed by `--source`).
    pub notes: Vec<String>,
}

impl Ruleset {
    /// Rules of one chain.
    pub fn rules_in(&self, hook: Hook) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |r| r.hook == hook)
    }
}

/// The nft name of the helper object for a control port.
pub fn helper_name(port: u16) -> String {
    format!("ftp-{port}")
}

/// ICMPv6 messages without which IPv6 stops working behind a drop policy (neighbour discovery).
pub const ICMPV6_ND: [&str; 4] = [
    "nd-neighbor-solicit",
    "nd-neighbor-advert",
    "nd-router-solicit",
    "nd-router-advert",
];

/// Lowers the plan into rules.
pub fn lower(plan: &FirewallPlan, shape: &Shape) -> Ruleset {
    let mut rules = Vec::new();
    let mut notes = Vec::new();
    let families = plan.families();
    let standalone = *shape == Shape::Standalone;
    if standalone {
        rules.extend(standalone_base(&families));
    }
    let mut helper_ports = Vec::new();
    let many = plan.servers.len() > 1;
    for server in &plan.servers {
        rules.extend(server_rules(server, many, &plan.sources, &mut notes));
        if server.helper == HelperUse::Required && !helper_ports.contains(&server.control_port) {
            helper_ports.push(server.control_port);
        }
    }
    for a in &plan.allow {
        rules.push(rule(
            Hook::Input,
            None,
            vec![Match::Dport(a.proto, a.ports)],
            Verdict::Accept,
            &format!("--allow {}/{}", a.ports.dashed(), a.proto.name()),
        ));
    }
    if standalone {
        active_source_rules(plan, &mut rules);
    }
    dedup(&mut rules);
    Ruleset {
        shape: shape.clone(),
        helper_ports,
        rules,
        families,
        notes,
    }
}

/// What a standalone table needs before any service: loopback, replies and related connections,
/// dropping invalid packets, and IPv6 neighbour discovery.
fn standalone_base(families: &[Family]) -> Vec<Rule> {
    let mut rules = Vec::new();
    rules.push(rule(
        Hook::Input,
        None,
        vec![Match::Loopback],
        Verdict::Accept,
        "loopback",
    ));
    rules.push(rule(
        Hook::Input,
        None,
        vec![Match::CtState(vec![CtState::Established, CtState::Related])],
        Verdict::Accept,
        "replies, and data connections the FTP helper expects",
    ));
    rules.push(rule(
        Hook::Input,
        None,
        vec![Match::CtState(vec![CtState::Invalid])],
        Verdict::Drop,
        "invalid",
    ));
    if families.contains(&Family::Ipv6) {
        rules.push(rule(
            Hook::Input,
            Some(Family::Ipv6),
            vec![Match::Icmpv6Types(ICMPV6_ND.to_vec())],
            Verdict::Accept,
            "IPv6 neighbour discovery",
        ));
    }
    rules
}

/// One server's rules: the helper on the control port when the plan needs it, the control port, and
/// the passive range when it is opened as a range, for each source scope.
fn server_rules(
    server: &ServerPlan,
    many: bool,
    sources: &[Cidr],
    notes: &mut Vec<String>,
) -> Vec<Rule> {
    let mut rules = Vec::new();
    let suffix = if many {
        format!(", {}", short_label(&server.label))
    } else {
        String::new()
    };
    let scopes = scopes(server, sources, notes);
    let tcp = |r: PortRange| Match::Dport(Proto::Tcp, r);
    let control = PortRange::single(server.control_port);
    if server.helper == HelperUse::Required {
        for s in &scopes {
            rules.push(s.rule(
                tcp(control),
                Verdict::FtpHelper,
                format!("FTP helper on the control port: passive data is related{suffix}"),
            ));
        }
    }
    for s in &scopes {
        rules.push(s.rule(
            tcp(control),
            Verdict::Accept,
            format!("FTP control, listen_port={}{suffix}", server.control_port),
        ));
    }
    if let Some(p) = server
        .passive
        .filter(|p| p.opening == PassiveOpening::Range)
    {
        for s in &scopes {
            rules.push(s.rule(
                tcp(p.range),
                Verdict::Accept,
                format!("FTP passive data, pasv ports {}{suffix}", p.range.dashed()),
            ));
        }
    }
    rules
}

/// Output rules for active data from a fixed `ftp_data_port` (standalone tables only).
fn active_source_rules(plan: &FirewallPlan, rules: &mut Vec<Rule>) {
    for server in &plan.servers {
        let Some(active) = server.active else {
            continue;
        };
        let ActiveSource::Port(port) = active.source else {
            continue;
        };
        let r = rule(
            Hook::Output,
            None,
            vec![
                Match::Sport(Proto::Tcp, PortRange::single(port)),
                Match::Dport(Proto::Tcp, active.client_ports),
            ],
            Verdict::Accept,
            &format!("FTP active data from ftp_data_port={port} to the client"),
        );
        if !rules.contains(&r) {
            rules.push(r);
        }
    }
}

fn dedup(rules: &mut Vec<Rule>) {
    let mut seen: Vec<Rule> = Vec::with_capacity(rules.len());
    rules.retain(|r| {
        let key = Rule {
            comment: String::new(),
            ..r.clone()
        };
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
}

fn rule(
    hook: Hook,
    family: Option<Family>,
    matches: Vec<Match>,
    verdict: Verdict,
    comment: &str,
) -> Rule {
    Rule {
        hook,
        family,
        matches,
        verdict,
        comment: sanitize(comment),
    }
}

/// Where FTP clients come from and go to: one IP version, optionally a source prefix and a local address.
struct Scope {
    family: Option<Family>,
    source: Option<Cidr>,
    address: Option<IpAddr>,
}

impl Scope {
    fn rule(&self, port: Match, verdict: Verdict, comment: String) -> Rule {
        let mut matches = Vec::new();
        if let Some(s) = self.source {
            matches.push(Match::Saddr(s));
        }
        if let Some(a) = self.address {
            matches.push(Match::Daddr(a));
        }
        matches.push(port);
        rule(Hook::Input, self.family, matches, verdict, &comment)
    }
}

fn scopes(server: &ServerPlan, sources: &[Cidr], notes: &mut Vec<String>) -> Vec<Scope> {
    let everywhere =
        server.listeners.iter().all(|l| l.address.is_none()) && server.families().len() == 2;
    if sources.is_empty() {
        if everywhere {
            return vec![Scope {
                family: None,
                source: None,
                address: None,
            }];
        }
        return server
            .listeners
            .iter()
            .map(|l| Scope {
                family: Some(l.family),
                source: None,
                address: l.address,
            })
            .collect();
    }
    let mut out = Vec::new();
    for l in &server.listeners {
        let mine: Vec<Cidr> = sources
            .iter()
            .copied()
            .filter(|c| c.family() == l.family)
            .collect();
        if mine.is_empty() {
            notes.push(format!(
                "{}: no --source is an {} prefix, so FTP over {} stays closed",
                server.label,
                l.family.label(),
                l.family.label()
            ));
        }
        out.extend(mine.into_iter().map(|c| Scope {
            family: Some(l.family),
            source: Some(c),
            address: l.address,
        }));
    }
    out
}

/// The file name part of a config path, for comments.
fn short_label(label: &str) -> &str {
    label.rsplit('/').next().unwrap_or(label)
}

/// Keeps a comment quotable in nft, iptables-restore and shell: other bytes become `_`; at most 120.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " ._-=/:,()+".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(120)
        .collect()
}
