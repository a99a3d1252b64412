//! A ufw application profile (`/etc/ufw/applications.d/vsftpd-vsconf`): the control port and the passive
//! range. ufw profiles cannot attach a conntrack helper, so a plan that relies on one is refused.

use std::fmt::Write as _;

use super::{EmitError, Header};
use crate::firewall::lower::sanitize;
use crate::firewall::plan::{FirewallPlan, HelperUse, PassiveOpening};

/// The profile name.
pub const PROFILE: &str = "vsftpd-vsconf";

/// Renders the profile.
pub fn emit(plan: &FirewallPlan, header: &Header) -> Result<String, EmitError> {
    let mut ports: Vec<String> = Vec::new();
    for s in &plan.servers {
        if s.helper == HelperUse::Required {
            return Err(EmitError::HelperInexpressible { format: "ufw" });
        }
        let mut add = |p: String| {
            if !ports.contains(&p) {
                ports.push(p);
            }
        };
        add(s.control_port.to_string());
        if let Some(p) = s.passive.filter(|p| p.opening == PassiveOpening::Range) {
            add(if p.range.is_single() {
                p.range.first.to_string()
            } else {
                format!("{}:{}", p.range.first, p.range.last)
            });
        }
    }
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(
        out,
        "# Install: cp FILE /etc/ufw/applications.d/{PROFILE} && ufw app update {PROFILE} && ufw allow {PROFILE}"
    );
    let _ = writeln!(out, "[{PROFILE}]");
    out.push_str("title=vsftpd FTP server (vsconf)\n");
    let _ = writeln!(
        out,
        "description={}",
        sanitize(&format!(
            "FTP control and passive data ports: TCP {}",
            ports.join(", ")
        ))
    );
    let _ = writeln!(
        out,
        "ports={}",
        ports
            .iter()
            .map(|p| format!("{p}/tcp"))
            .collect::<Vec<_>>()
            .join("|")
    );
    Ok(out)
}
