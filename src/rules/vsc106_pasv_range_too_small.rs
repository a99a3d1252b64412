use crate::dialect::{Dialect, Tunable};

use crate::startup::oops;

use super::passive;
use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags a passive port range that is clearly too small for the sessions the server admits: a
/// one-port range (unless `max_clients=1`), or, with `max_clients` set explicitly (standalone
/// mode), no more ports than half of `max_clients`, so that half the permitted sessions in passive
/// transfers at once exhaust it. Not every session transfers at the same time, so a range somewhat
/// smaller than `max_clients` is not reported.
///
/// ## Why is this bad?
/// Every PASV or EPSV holds one port until the transfer connects or the next data command. vsftpd
/// picks ports at random and gives up after nine busy picks (RHEL: `bind_retries`), killing the
/// session with `500 OOPS: vsf_sysutil_bind`. With `N` ports and `k` of them held, a PASV fails
/// with probability about `(k/N)^9`: with 10 ports and 9 held, 39% of the time; with one port, a
/// second concurrent passive transfer always fails.
///
/// ## Example
/// ```vsftpd
/// listen=YES
/// max_clients=200
/// pasv_min_port=50000
/// pasv_max_port=50009
/// ```
/// Use instead:
/// ```vsftpd
/// listen=YES
/// max_clients=200
/// pasv_min_port=50000
/// pasv_max_port=50199
/// ```
///
/// ## Fix
/// None: the firewall must open the larger range too.
///
/// ## References
/// - vsftpd.conf(5): `max_clients`, `pasv_min_port`, `pasv_max_port`
/// - debian-3.0.3 binary: one-port range, two sessions in PASV: the second gets
///   `500 OOPS: vsf_sysutil_bind` at once (data-channel.md §1 notes)
pub(crate) struct PasvRangeTooSmall;

impl Rule for PasvRangeTooSmall {
    const META: RuleMeta = RuleMeta::warning("VSC106", "pasv-range-too-small")
        .settings(&[&[Tunable::PasvMinPort, Tunable::PasvMaxPort, Tunable::MaxClients, Tunable::BindRetries]])
        .summary("a passive port range far smaller than the sessions allowed: PASV fails with 500 OOPS under load");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        let Some(range) = passive::in_use(cfg) else {
            return;
        };
        let shown = passive::text(range);
        let ports = range.len();
        let standalone = cfg.bool(Tunable::Listen) || cfg.bool(Tunable::ListenIpv6);
        // max_clients counts only in standalone mode; 0 means unlimited.
        let clients = cfg.uint(Tunable::MaxClients);
        let limit = (standalone && clients != 0).then_some(clients);
        let too_small = if ports == 1 {
            limit != Some(1)
        } else {
            cfg.is_set(Tunable::MaxClients) && limit.is_some_and(|l| ports <= l / 2)
        };
        if !too_small {
            return;
        }
        let retries = if cx.dialect() == Dialect::Rhel305 {
            cfg.uint(Tunable::BindRetries).max(1)
        } else {
            9
        };
        // data-channel.md §1: RHEL's patch changes the text (src).
        let oops = format!(
            "{}{}",
            oops::PREFIX,
            if cx.dialect() == Dialect::Rhel305 {
                oops::PASV_BIND_RETRIES
            } else {
                oops::PASV_BIND
            }
        );
        let held = ports.saturating_sub(1);
        let percent = (f64::from(held) / f64::from(ports)).powf(f64::from(retries)) * 100.0;
        let sessions = match limit {
            Some(l) => format!("max_clients={l} sessions"),
            None => "every session".to_owned(),
        };
        let message = if ports == 1 {
            format!(
                "the passive range is {shown}, shared by {sessions}: while one transfer holds it, every other PASV fails with `{oops}`"
            )
        } else {
            format!(
                "the passive range {shown} has {ports} ports for {sessions}: once {ports} sessions are in passive transfers every further PASV fails (`{oops}`), and with {held} busy {percent:.0}% do"
            )
        };
        let span = if cfg.is_set(Tunable::PasvMaxPort) {
            cx.span_or_file_start(Tunable::PasvMaxPort)
        } else {
            cx.span_or_file_start(Tunable::PasvMinPort)
        };
        let mut d = cx.report(span, message).help(
            "widen the range to at least as many ports as concurrent transfers (e.g. max_clients), and open it in the firewall",
        );
        if cfg.is_set(Tunable::MaxClients) {
            d = d.label(cx.span_or_file_start(Tunable::MaxClients), "the session limit");
        }
        out.push(d);
    }
}
