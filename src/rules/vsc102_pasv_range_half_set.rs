use crate::dialect::Tunable;

use super::passive;
use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags passive mode with only one end of the port range set: `pasv_min_port` without
/// `pasv_max_port`, or the reverse.
///
/// ## Why is this bad?
/// The other end keeps its compiled-in value: a missing `pasv_max_port` means 65535, a missing
/// `pasv_min_port` means 5001. The range is much wider than the one bound suggests, so a firewall
/// opened for "port 50000 and up a bit" blocks most transfers.
///
/// ## Example
/// ```vsftpd
/// pasv_min_port=50000
/// ```
/// Use instead:
/// ```vsftpd
/// pasv_min_port=50000
/// pasv_max_port=50100
/// ```
///
/// ## Fix
/// None: the other bound must match your firewall.
///
/// ## References
/// - vsftpd.conf(5): `pasv_min_port`, `pasv_max_port`
/// - debian-3.0.3 binary: `pasv_min_port=50000` alone gave ports 50417…65020; `pasv_max_port=50000`
///   alone gave 9827…48578 (data-channel.md §1)
pub(crate) struct PasvRangeHalfSet;

impl Rule for PasvRangeHalfSet {
    const META: RuleMeta = RuleMeta::warning("VSC102", "pasv-range-half-set")
        .settings(&[&[Tunable::PasvMinPort, Tunable::PasvMaxPort]])
        .summary("only one end of the passive port range is set: the other stays at 5001 or 65535");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::PasvEnable) {
            return;
        }
        let (set, unset) = match (
            cfg.is_set(Tunable::PasvMinPort),
            cfg.is_set(Tunable::PasvMaxPort),
        ) {
            (true, false) => (Tunable::PasvMinPort, Tunable::PasvMaxPort),
            (false, true) => (Tunable::PasvMaxPort, Tunable::PasvMinPort),
            _ => return,
        };
        let range = cfg.passive_range();
        let shown = passive::text(range);
        out.push(
            cx.report(
                cx.span_or_file_start(set),
                format!(
                    "only {} is set, {} keeps its default: passive data ports come from {shown}",
                    set.name(),
                    unset.name()
                ),
            )
            .help(format!(
                "set {} too, so that the range is exactly what the firewall opens",
                unset.name()
            )),
        );
    }
}
