//! nftables text (`nft -f`): a commented `table inet vsconf` for an FTP host, or `add rule` lines for an
//! existing chain.

use std::fmt::Write as _;

use super::Header;
use crate::firewall::lower::{
    Hook, Match, Rule, Ruleset, Shape, TableFamily, Verdict, helper_name,
};
use crate::firewall::plan::{Family, PortRange};

/// The table a standalone ruleset owns.
pub const TABLE: &str = "vsconf";

/// Renders the ruleset as an nft script.
pub fn emit(set: &Ruleset, header: &Header) -> String {
    let mut out = String::new();
    out.push_str("#!/usr/sbin/nft -f\n");
    for line in header.lines() {
        let _ = writeln!(out, "# {line}");
    }
    match &set.shape {
        Shape::Standalone => standalone(set, &mut out),
        Shape::Into(target) => {
            out.push_str("# Rules to append to an existing chain: load with `nft -f FILE`.\n");
            out.push_str("# The chain must already accept `ct state established,related`.\n");
            for port in &set.helper_ports {
                let _ = writeln!(
                    out,
                    "add ct helper {} {} {} {{ type \"ftp\" protocol tcp; }}",
                    target.family.name(),
                    target.table,
                    helper_name(*port)
                );
            }
            for r in set
                .rules_in(Hook::Input)
                .filter(|r| target.family.admits(r.family))
            {
                let _ = writeln!(
                    out,
                    "add rule {} {} {} {}",
                    target.family.name(),
                    target.table,
                    target.chain,
                    rule_text(r, target.family)
                );
            }
            let output: Vec<&Rule> = set.rules_in(Hook::Output).collect();
            if !output.is_empty() {
                out.push_str("# If your output chain drops by default, active mode also needs:\n");
                for r in output {
                    let _ = writeln!(out, "#   {}", rule_text(r, target.family));
                }
            }
        }
    }
    out
}

fn standalone(set: &Ruleset, out: &mut String) {
    out.push_str("# Standalone ruleset: `nft -f FILE` (re)creates table inet vsconf and touches nothing else.\n\n");
    let _ = writeln!(out, "table inet {TABLE}");
    let _ = writeln!(out, "delete table inet {TABLE}\n");
    let _ = writeln!(out, "table inet {TABLE} {{");
    for port in &set.helper_ports {
        let _ = writeln!(
            out,
            "\t# The kernel's FTP conntrack helper reads PASV/EPSV replies on port {port}"
        );
        let _ = writeln!(
            out,
            "\t# and lets the announced data connection in as related."
        );
        let _ = writeln!(
            out,
            "\tct helper {} {{\n\t\ttype \"ftp\" protocol tcp\n\t}}\n",
            helper_name(*port)
        );
    }
    out.push_str("\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n");
    for r in set.rules_in(Hook::Input) {
        let _ = writeln!(out, "\t\t{}", rule_text(r, TableFamily::Inet));
    }
    out.push_str("\t}\n");
    let output: Vec<&Rule> = set.rules_in(Hook::Output).collect();
    if !output.is_empty() {
        out.push_str("\n\t# The policy already accepts; the rule says what active mode needs if you tighten it.\n");
        out.push_str(
            "\tchain output {\n\t\ttype filter hook output priority filter; policy accept;\n",
        );
        for r in output {
            let _ = writeln!(out, "\t\t{}", rule_text(r, TableFamily::Inet));
        }
        out.push_str("\t}\n");
    }
    out.push_str("}\n");
}

fn ports(r: PortRange) -> String {
    r.dashed()
}

/// One rule in nft syntax, without a trailing newline.
pub fn rule_text(r: &Rule, table: TableFamily) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let (Some(f), TableFamily::Inet) = (r.family, table) {
        if !r.family_implied() {
            parts.push(format!("meta nfproto {}", nfproto(f)));
        }
    }
    for m in &r.matches {
        parts.push(match m {
            Match::Loopback => "iif \"lo\"".to_owned(),
            Match::CtState(states) => {
                format!(
                    "ct state {}",
                    states
                        .iter()
                        .map(|s| s.name())
                        .collect::<Vec<_>>()
                        .join(",")
                )
            }
            Match::Saddr(c) => format!("{} saddr {c}", ip_word(c.family())),
            Match::Daddr(a) => format!(
                "{} daddr {a}",
                ip_word(if a.is_ipv4() {
                    Family::Ipv4
                } else {
                    Family::Ipv6
                })
            ),
            Match::Icmpv6Types(t) => format!("icmpv6 type {{ {} }}", t.join(", ")),
            Match::Sport(p, r) => format!("{} sport {}", p.name(), ports(*r)),
            Match::Dport(p, r) => format!("{} dport {}", p.name(), ports(*r)),
        });
    }
    parts.push(match r.verdict {
        Verdict::Accept => "accept".to_owned(),
        Verdict::Drop => "drop".to_owned(),
        Verdict::FtpHelper => format!(
            "ct helper set \"{}\"",
            helper_name(r.helper_port().unwrap_or(21))
        ),
    });
    format!("{} comment \"{}\"", parts.join(" "), r.comment)
}

/// `ipv4` / `ipv6` for `meta nfproto`.
pub fn nfproto(f: Family) -> &'static str {
    match f {
        Family::Ipv4 => "ipv4",
        Family::Ipv6 => "ipv6",
    }
}

/// `ip` / `ip6` for address payloads.
pub fn ip_word(f: Family) -> &'static str {
    match f {
        Family::Ipv4 => "ip",
        Family::Ipv6 => "ip6",
    }
}
