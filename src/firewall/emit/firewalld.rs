//! A firewalld service definition (`/etc/firewalld/services/vsftpd-vsconf.xml`): the control port, the
//! passive range, the `ftp` helper only where the plan relies on it, and a destination where every
//! listener is bound to one address.

use std::fmt::Write as _;
use std::net::IpAddr;

use super::{EmitError, Header};
use crate::firewall::plan::{FirewallPlan, HelperUse, PassiveOpening};

/// The service name the docs and the install hint use.
pub const SERVICE: &str = "vsftpd-vsconf";

/// Renders the service XML.
pub fn emit(plan: &FirewallPlan, header: &Header) -> Result<String, EmitError> {
    let mut ports: Vec<String> = Vec::new();
    let mut helper = false;
    for s in &plan.servers {
        let mut add = |p: String| {
            if !ports.contains(&p) {
                ports.push(p);
            }
        };
        add(s.control_port.to_string());
        if let Some(p) = s.passive.filter(|p| p.opening == PassiveOpening::Range) {
            add(p.range.dashed());
        }
        if s.helper == HelperUse::Required {
            // firewalld's stock `ftp` helper (helpers/ftp.xml) is bound to port 21; another control port
            // would need a custom helper definition, which a service file cannot carry.
            if s.control_port != 21 {
                return Err(EmitError::HelperOffPort21 {
                    format: "firewalld",
                    port: s.control_port,
                });
            }
            helper = true;
        }
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    for line in header.lines() {
        let _ = writeln!(out, "<!-- {} -->", xml(&line).replace("--", "- -"));
    }
    let _ = writeln!(
        out,
        "<!-- Install: cp FILE /etc/firewalld/services/{SERVICE}.xml && firewall-cmd --reload -->"
    );
    let _ = writeln!(
        out,
        "<!--          firewall-cmd --permanent --add-service={SERVICE} && firewall-cmd --reload -->"
    );
    out.push_str("<service>\n  <short>vsftpd (vsconf)</short>\n");
    let _ = writeln!(
        out,
        "  <description>{}</description>",
        xml(&describe(&ports, helper))
    );
    for p in &ports {
        let _ = writeln!(out, "  <port protocol=\"tcp\" port=\"{p}\"/>");
    }
    if helper {
        out.push_str("  <helper name=\"ftp\"/>\n");
    }
    if let Some(d) = destination(plan) {
        let _ = writeln!(out, "  {d}");
    }
    out.push_str("</service>\n");
    Ok(out)
}

fn describe(ports: &[String], helper: bool) -> String {
    let mut d = format!("FTP (vsftpd): TCP {}", ports.join(", "));
    if helper {
        d.push_str("; the ftp conntrack helper opens passive data ports as related connections");
    }
    d
}

/// `<destination ipv4=… ipv6=…/>` when every listener is bound to an address, at most one per family.
fn destination(plan: &FirewallPlan) -> Option<String> {
    let mut v4: Option<IpAddr> = None;
    let mut v6: Option<IpAddr> = None;
    for l in plan.servers.iter().flat_map(|s| s.listeners.iter()) {
        let a = l.address?;
        let slot = if a.is_ipv4() { &mut v4 } else { &mut v6 };
        if slot.is_some_and(|b| b != a) {
            return None;
        }
        *slot = Some(a);
    }
    let mut attrs = String::new();
    if let Some(a) = v4 {
        let _ = write!(attrs, " ipv4=\"{a}\"");
    }
    if let Some(a) = v6 {
        let _ = write!(attrs, " ipv6=\"{a}\"");
    }
    (!attrs.is_empty()).then(|| format!("<destination{attrs}/>"))
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
