//! Firewall rules from the effective config: [`fn@plan`] reads what vsftpd will do with its data
//! connections into a [`FirewallPlan`] (plain data), [`lower`] turns it into format-neutral rules, and
//! [`fn@emit`] renders nft, libnftables JSON, iptables-restore, firewalld and ufw. [`fn@explain`] says in
//! words what is opened and why.
//!
//! Uses `crate::model` for the effective values and `crate::dialect::Tunable` to name them (the
//! tunable enum is the model's vocabulary). Knows no files, processes or sockets.

pub mod apply;
pub mod emit;
pub mod explain;
pub mod lower;
pub mod plan;

pub use emit::{EmitError, Format, Header, emit};
pub use explain::explain;
pub use lower::{Shape, TableFamily, Target};
pub use plan::{Allow, Cidr, FirewallPlan, PlanError, ServerPlan, plan_server};

/// Builds the plan for several vsftpd processes (one config each), plus the user's openings.
pub fn plan(
    configs: &[(String, &crate::model::EffectiveConfig)],
    allow: Vec<Allow>,
    sources: Vec<Cidr>,
) -> Result<FirewallPlan, PlanError> {
    let servers = configs
        .iter()
        .map(|(label, c)| plan_server(label, c))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(FirewallPlan {
        servers,
        allow,
        sources,
    })
}
