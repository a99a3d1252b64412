use crate::dialect::Tunable;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags `max_per_ip` larger than `max_clients` (standalone mode, both limits on).
///
/// ## Why is this bad?
/// The total limit is reached first, so the per-address limit never applies: one client address
/// can take every slot the server has. Usually one of the two numbers is a typo, or `max_per_ip`
/// was raised without `max_clients` (default 2000; 0 means unlimited).
///
/// ## Example
/// ```vsftpd
/// listen=YES
/// max_clients=20
/// max_per_ip=50
/// ```
/// Use instead:
/// ```vsftpd
/// listen=YES
/// max_clients=200
/// max_per_ip=5
/// ```
///
/// ## Fix
/// None: only you know the intended limits.
///
/// ## References
/// - vsftpd.conf(5): `max_clients`, `max_per_ip`
/// - debian-3.0.3 binary: defaults are `max_clients=2000`, `max_per_ip=50` (the manual's "0" is
///   wrong); the 51st connection from one address gets `421 There are too many connections from
///   your internet address.` (startup-checks.md B13)
pub(crate) struct MaxPerIpAboveMaxClients;

impl Rule for MaxPerIpAboveMaxClients {
    const META: RuleMeta = RuleMeta::warning("VSC111", "max-per-ip-above-max-clients")
        .settings(&[&[Tunable::MaxClients, Tunable::MaxPerIp]])
        .summary("max_per_ip above max_clients: the per-address limit never applies");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        let standalone = cfg.bool(Tunable::Listen) || cfg.bool(Tunable::ListenIpv6);
        let clients = cfg.uint(Tunable::MaxClients);
        let per_ip = cfg.uint(Tunable::MaxPerIp);
        if !standalone
            || !(cfg.is_set(Tunable::MaxClients) || cfg.is_set(Tunable::MaxPerIp))
            || clients == 0
            || per_ip <= clients
        {
            return;
        }
        let span = if cfg.is_set(Tunable::MaxPerIp) {
            cx.span_or_file_start(Tunable::MaxPerIp)
        } else {
            cx.span_or_file_start(Tunable::MaxClients)
        };
        let mut d = cx
            .report(
                span,
                format!(
                    "{} is above {}: the per-address limit never applies, one address can take all {clients} sessions",
                    cx.describe(Tunable::MaxPerIp),
                    cx.describe(Tunable::MaxClients)
                ),
            )
            .help("make max_per_ip smaller than max_clients");
        if cfg.is_set(Tunable::MaxPerIp) && cfg.is_set(Tunable::MaxClients) {
            d = d.label(cx.span_or_file_start(Tunable::MaxClients), "the total limit");
        }
        out.push(d);
    }
}
