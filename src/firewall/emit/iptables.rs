//! iptables-restore / ip6tables-restore input (`iptables-restore < FILE`), or `iptables -A CHAIN …`
//! command lines for an existing chain. One IP version per output: `--format iptables` for IPv4,
//! `--format ip6tables` for IPv6.
//!
//! The FTP helper can only be attached in the `raw` table (`-j CT --helper ftp` in PREROUTING).

use std::fmt::Write as _;

use super::Header;
use crate::firewall::lower::{Hook, Match, Rule, Ruleset, Shape, Verdict};
use crate::firewall::plan::{Family, PortRange};

/// `iptables` or `ip6tables`.
pub fn command(family: Family) -> &'static str {
    match family {
        Family::Ipv4 => "iptables",
        Family::Ipv6 => "ip6tables",
    }
}

/// Renders the rules of one IP version.
pub fn emit(set: &Ruleset, family: Family, header: &Header) -> String {
    let mine = |r: &&Rule| r.family.is_none_or(|f| f == family);
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "# {line}");
    }
    let helper: Vec<&Rule> = set
        .rules
        .iter()
        .filter(mine)
        .filter(|r| r.verdict == Verdict::FtpHelper)
        .collect();
    match &set.shape {
        Shape::Standalone => {
            let _ = writeln!(
                out,
                "# Standalone ruleset: `{}-restore < FILE` replaces the tables below.",
                command(family)
            );
            raw_table(
                &helper,
                family,
                ":PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n",
                &mut out,
            );
            out.push_str(
                "*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n",
            );
            for (hook, chain) in [(Hook::Input, "INPUT"), (Hook::Output, "OUTPUT")] {
                for r in set
                    .rules_in(hook)
                    .filter(mine)
                    .filter(|r| r.verdict != Verdict::FtpHelper)
                {
                    for args in rule_args(r, family) {
                        let _ = writeln!(out, "-A {chain} {args}");
                    }
                }
            }
            out.push_str("COMMIT\n");
        }
        Shape::Into(target) => {
            out.push_str("# Rules to append to an existing chain (run as root). The chain must already accept\n");
            out.push_str("# ESTABLISHED,RELATED connections.\n");
            let cmd = command(family);
            for r in &helper {
                for args in rule_args(r, family) {
                    let _ = writeln!(out, "{cmd} -t raw -A PREROUTING {args}");
                }
            }
            let table = if target.table == "filter" {
                String::new()
            } else {
                format!("-t {} ", target.table)
            };
            for r in set
                .rules_in(Hook::Input)
                .filter(mine)
                .filter(|r| r.verdict != Verdict::FtpHelper)
            {
                for args in rule_args(r, family) {
                    let _ = writeln!(out, "{cmd} {table}-A {} {args}", target.chain);
                }
            }
            let output: Vec<&Rule> = set.rules_in(Hook::Output).filter(mine).collect();
            if !output.is_empty() {
                out.push_str("# If your OUTPUT chain drops by default, active mode also needs:\n");
                for r in output {
                    for args in rule_args(r, family) {
                        let _ = writeln!(out, "#   {cmd} -A OUTPUT {args}");
                    }
                }
            }
        }
    }
    out
}

/// The `--noflush` restore input equivalent to the `--into` command lines (used by `--apply`).
pub fn restore_into(set: &Ruleset, family: Family) -> Option<String> {
    let Shape::Into(target) = &set.shape else {
        return None;
    };
    let mine = |r: &&Rule| r.family.is_none_or(|f| f == family);
    let mut out = String::new();
    let helper: Vec<&Rule> = set
        .rules
        .iter()
        .filter(mine)
        .filter(|r| r.verdict == Verdict::FtpHelper)
        .collect();
    raw_table(&helper, family, "", &mut out);
    let _ = writeln!(out, "*{}", target.table);
    for r in set
        .rules_in(Hook::Input)
        .filter(mine)
        .filter(|r| r.verdict != Verdict::FtpHelper)
    {
        for args in rule_args(r, family) {
            let _ = writeln!(out, "-A {} {args}", target.chain);
        }
    }
    out.push_str("COMMIT\n");
    Some(out)
}

/// The `*raw` section attaching the FTP helper, if any rule does.
fn raw_table(helper: &[&Rule], family: Family, declarations: &str, out: &mut String) {
    if helper.is_empty() {
        return;
    }
    out.push_str("*raw\n");
    out.push_str(declarations);
    for r in helper {
        for args in rule_args(r, family) {
            let _ = writeln!(out, "-A PREROUTING {args}");
        }
    }
    out.push_str("COMMIT\n");
}

fn ports(r: PortRange) -> String {
    if r.is_single() {
        r.first.to_string()
    } else {
        format!("{}:{}", r.first, r.last)
    }
}

/// ip6tables' names for the nft ICMPv6 type names the rules use.
fn icmpv6_name(nft: &str) -> &str {
    match nft {
        "nd-neighbor-solicit" => "neighbour-solicitation",
        "nd-neighbor-advert" => "neighbour-advertisement",
        "nd-router-solicit" => "router-solicitation",
        "nd-router-advert" => "router-advertisement",
        other => other,
    }
}

/// The arguments after `-A CHAIN`, one string per line (an ICMPv6 type list becomes one line per type).
fn rule_args(r: &Rule, family: Family) -> Vec<String> {
    let mut head: Vec<String> = Vec::new();
    let mut icmp: Vec<&str> = Vec::new();
    let mut proto_done = false;
    for m in &r.matches {
        match m {
            Match::Loopback => head.push("-i lo".to_owned()),
            Match::CtState(states) => head.push(format!(
                "-m conntrack --ctstate {}",
                states
                    .iter()
                    .map(|s| s.name().to_ascii_uppercase())
                    .collect::<Vec<_>>()
                    .join(",")
            )),
            Match::Saddr(c) => head.push(format!("-s {}/{}", c.addr, c.len)),
            Match::Daddr(a) => head.push(format!("-d {a}")),
            Match::Icmpv6Types(t) => icmp.extend(t.iter().map(|n| icmpv6_name(n))),
            Match::Sport(p, r) | Match::Dport(p, r) => {
                if !proto_done {
                    head.push(format!("-p {0} -m {0}", p.name()));
                    proto_done = true;
                }
                let dir = if matches!(m, Match::Sport(..)) {
                    "--sport"
                } else {
                    "--dport"
                };
                head.push(format!("{dir} {}", ports(*r)));
            }
        }
    }
    let tail = format!(
        "-m comment --comment \"{}\" -j {}",
        r.comment,
        match r.verdict {
            Verdict::Accept => "ACCEPT",
            Verdict::Drop => "DROP",
            Verdict::FtpHelper => "CT --helper ftp",
        }
    );
    if icmp.is_empty() || family == Family::Ipv4 {
        head.push(tail);
        return vec![head.join(" ")];
    }
    icmp.iter()
        .map(|t| {
            let mut parts = head.clone();
            parts.push(format!("-p ipv6-icmp -m icmp6 --icmpv6-type {t}"));
            parts.push(tail.clone());
            parts.join(" ")
        })
        .collect()
}
