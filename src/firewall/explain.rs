//! A short summary for people of what a plan opens and why (printed on stderr, or alone with
//! `--explain`): per config, the listeners, control port, passive and active mode, TLS, what the client
//! side and a NAT gateway in front need, and every note.

use std::fmt::Write as _;

use super::lower::Shape;
use super::plan::{
    ActiveSource, FirewallPlan, HelperUse, ListenMode, PassiveOpening, ServerPlan, TlsMode,
};

/// Explains the plan.
pub fn explain(plan: &FirewallPlan, shape: &Shape) -> String {
    let mut out = String::new();
    for s in &plan.servers {
        server(s, *shape == Shape::Standalone, &mut out);
    }
    if !plan.allow.is_empty() {
        let list: Vec<String> = plan
            .allow
            .iter()
            .map(|a| format!("{}/{}", a.ports.dashed(), a.proto.name()))
            .collect();
        let _ = writeln!(out, "also open (--allow): {}", list.join(", "));
    }
    if !plan.sources.is_empty() {
        let list: Vec<String> = plan.sources.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "FTP only from (--source): {}", list.join(", "));
    }
    match shape {
        Shape::Standalone => {
            out.push_str("shape: standalone ruleset (input policy drop; loopback, established and related accepted)\n")
        }
        Shape::Into(t) => {
            let _ = writeln!(
                out,
                "shape: rules for the existing chain {} {} {}; it must already accept established,related traffic",
                t.family.name(),
                t.table,
                t.chain
            );
        }
    }
    out
}

fn server(s: &ServerPlan, standalone: bool, out: &mut String) {
    let families: Vec<&str> = s.families().iter().map(|f| f.label()).collect();
    let how = match s.mode {
        ListenMode::StandaloneIpv4 => "listen=YES",
        ListenMode::StandaloneIpv6 => "listen_ipv6=YES",
        ListenMode::Inetd => "inetd mode",
    };
    let addrs: Vec<String> = s
        .listeners
        .iter()
        .filter_map(|l| l.address.map(|a| a.to_string()))
        .collect();
    let at = if addrs.is_empty() {
        String::new()
    } else {
        format!(" on {}", addrs.join(", "))
    };
    let _ = writeln!(
        out,
        "{}: {} ({how}){at}, control port {}/tcp (listen_port)",
        s.label,
        families.join(" and "),
        s.control_port
    );
    match s.passive {
        None => out.push_str("  passive: off (pasv_enable=NO), nothing opened for it\n"),
        Some(p) if p.opening == PassiveOpening::Range => {
            let _ = writeln!(
                out,
                "  passive: data ports {}/tcp opened ({} ports, the effective pasv_min_port..pasv_max_port)",
                p.range.dashed(),
                p.range.count()
            );
        }
        Some(p) => {
            let _ = writeln!(
                out,
                "  passive: no range pinned, so vsftpd draws from {}; instead of opening all of it, the FTP conntrack helper on port {} lets in each data connection announced in a PASV/EPSV reply (plaintext only)",
                p.range.dashed(),
                s.control_port
            );
        }
    }
    match s.active {
        None => out.push_str("  active: off (port_enable=NO)\n"),
        Some(a) => {
            let from = match a.source {
                ActiveSource::Port(p) => {
                    format!("port {p} (connect_from_port_20=YES, ftp_data_port)")
                }
                ActiveSource::Ephemeral => {
                    "an ephemeral port (connect_from_port_20=NO or ftp_data_port=0)".to_owned()
                }
            };
            let output = match (standalone, a.source) {
                (true, _) => "the standalone output policy accepts",
                (false, ActiveSource::Port(_)) => {
                    "add the commented output rule if your output chain drops"
                }
                (false, ActiveSource::Ephemeral) => {
                    "if your output chain drops, accept new TCP to those ports"
                }
            };
            let _ = writeln!(
                out,
                "  active: the server connects out from {from} to the client's port {}; this host's output must allow it ({output})",
                a.client_ports.dashed()
            );
            let src = match a.source {
                ActiveSource::Port(p) => format!("from the server's port {p}"),
                ActiveSource::Ephemeral => "from the server".to_owned(),
            };
            let _ = writeln!(
                out,
                "  client side of active mode: the client's firewall must accept new TCP connections {src} to its ports {} (or run its own FTP helper); clients behind NAT usually cannot, so they should use passive mode",
                a.client_ports.dashed()
            );
        }
    }
    match (s.tls, s.helper) {
        (TlsMode::Off, HelperUse::Required) => {
            out.push_str("  TLS: off; the helper works only while the control channel stays plaintext: enabling ssl_enable later requires a pinned range\n")
        }
        (TlsMode::Off, _) => out.push_str("  TLS: off; no conntrack helper needed since the passive range is opened directly\n"),
        (TlsMode::Explicit | TlsMode::Implicit, _) => out.push_str(
            "  TLS: on (ssl_enable=YES): the FTP conntrack helper cannot read encrypted PASV/EPSV replies, so the passive range is opened directly and no helper is used\n",
        ),
    }
    let mut fwd = vec![format!("{}/tcp", s.control_port)];
    match s.passive {
        Some(p) if p.opening == PassiveOpening::Range => {
            fwd.push(format!("{}/tcp", p.range.dashed()))
        }
        Some(_) => {
            fwd.push("the data connections its own FTP helper (nf_nat_ftp) expects".to_owned())
        }
        None => {}
    }
    let pasv = match (&s.pasv_address, s.mode) {
        (Some(a), ListenMode::StandaloneIpv6) => format!(
            "pasv_address={a} is set, but with listen_ipv6=YES vsftpd ignores it in PASV replies (227 carries 0,0,0,0): use listen=YES for NAT, or clients that use EPSV"
        ),
        (Some(a), _) => format!("pasv_address={a} is what PASV replies announce: it must be the gateway's public address"),
        (None, ListenMode::StandaloneIpv6) => "set pasv_address to the public address, which works only with listen=YES (listen_ipv6=YES ignores it); EPSV clients need nothing".to_owned(),
        (None, _) => "set pasv_address to the public address, or PASV replies announce the private one; EPSV clients need nothing".to_owned(),
    };
    let _ = writeln!(
        out,
        "  NAT gateway in front: forward {} to this host; {pasv}",
        fwd.join(" and ")
    );
    for n in &s.notes {
        let _ = writeln!(out, "  note: {}", n.text);
    }
}
