use crate::diagnostic::{Applicability, Edit, Fix};
use crate::dialect::Tunable;

use super::fix::value_text;
use super::passive;
use super::{Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags `pasv_max_port` lower than `pasv_min_port`.
///
/// ## Why is this bad?
/// vsftpd does not complain: it ignores `pasv_max_port` and uses `pasv_min_port`–65535. With
/// `pasv_min_port=60000` and `pasv_max_port=50000` the server hands out 60000–65535 while the
/// firewall (written from the file) probably opens 50000–60000, so almost every transfer hangs.
///
/// ## Example
/// ```vsftpd
/// pasv_min_port=60000
/// pasv_max_port=50000
/// ```
/// Use instead:
/// ```vsftpd
/// pasv_min_port=50000
/// pasv_max_port=60000
/// ```
///
/// ## Fix
/// Unsafe: swaps the two values. This changes the ports vsftpd uses, so the firewall must follow.
///
/// ## References
/// - vsftpd.conf(5): `pasv_min_port`, `pasv_max_port`
/// - debian-3.0.3 binary: `pasv_min_port=60000`, `pasv_max_port=50000` gave ports 60154…65512, no
///   warning (data-channel.md §1)
pub(crate) struct PasvRangeInverted;

impl Rule for PasvRangeInverted {
    const META: RuleMeta = RuleMeta::warning("VSC103", "pasv-range-inverted")
        .settings(&[&[Tunable::PasvMinPort, Tunable::PasvMaxPort]])
        .summary("pasv_max_port below pasv_min_port: vsftpd silently uses pasv_min_port–65535")
        .fixes(FixAvailability::Always(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        let range = cfg.passive_range();
        let shown = passive::text(range);
        let (min, max) = (cfg.uint(Tunable::PasvMinPort), cfg.uint(Tunable::PasvMaxPort));
        // Only a honoured minimum makes an inversion; an ignored one is VSC104's business.
        if !cfg.bool(Tunable::PasvEnable)
            || !range.min_used
            || !cfg.is_set(Tunable::PasvMinPort)
            || !cfg.is_set(Tunable::PasvMaxPort)
            || max >= min
        {
            return;
        }
        let mut d = cx
            .report(
                cx.span_or_file_start(Tunable::PasvMaxPort),
                format!(
                    "pasv_max_port={max} is below pasv_min_port={min}: vsftpd ignores it and uses {shown}"
                ),
            )
            .help("swap the two values, or correct the one that is wrong, then open that range in the firewall");
        d = d.label(cx.span_or_file_start(Tunable::PasvMinPort), "the minimum");
        if let (Some(a), Some(b)) = (
            value_text(cx, Tunable::PasvMinPort),
            value_text(cx, Tunable::PasvMaxPort),
        ) {
            d = d.fix(Fix::new(
                "swap the values of pasv_min_port and pasv_max_port",
                Applicability::Unsafe,
                vec![
                    Edit::replace(a, cx.text(b).to_vec()),
                    Edit::replace(b, cx.text(a).to_vec()),
                ],
            ));
        }
        out.push(d);
    }
}

