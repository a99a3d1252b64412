use crate::dialect::Tunable;

use super::passive;
use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags a passive port bound that vsftpd silently ignores:
/// - `pasv_min_port` below 1024 (including `0`, which the manual calls "any port") or above 65535;
/// - `pasv_max_port` above 65535, or below the effective minimum when that minimum is not itself
///   the file's `pasv_min_port` (a maximum under the default minimum 5001, or under 1024).
///
/// An inverted pair of honoured bounds is VSC103's.
///
/// ## Why is this bad?
/// vsftpd replaces an ignored minimum by 1024 and an ignored maximum by 65535, without a word. The
/// range is then far wider than the file suggests: `pasv_min_port=0` and `pasv_max_port=0` give
/// 1024–65535, and `pasv_max_port=5000` alone gives 5001–65535. A firewall written from the file
/// blocks most transfers.
///
/// ## Example
/// ```vsftpd
/// pasv_min_port=1000
/// pasv_max_port=1010
/// ```
/// Use instead:
/// ```vsftpd
/// pasv_min_port=50000
/// pasv_max_port=50010
/// ```
///
/// ## Fix
/// None: only you know which range the firewall should open.
///
/// ## References
/// - vsftpd.conf(5): `pasv_min_port`, `pasv_max_port`
/// - debian-3.0.3 binary (data-channel.md §1): `0/1000` gave 1641…63628; `(unset)/5000` gave
///   5114…65533; `70000/80000` gave 1484…65345; `1000/1030` gave 1024…1030
pub(crate) struct PasvRangeIgnored;

impl Rule for PasvRangeIgnored {
    const META: RuleMeta = RuleMeta::warning("VSC104", "pasv-range-ignored")
        .settings(&[&[Tunable::PasvMinPort, Tunable::PasvMaxPort]])
        .summary("a passive port bound vsftpd ignores: the range silently widens");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        let Some(range) = passive::in_use(cfg) else {
            return;
        };
        let shown = passive::text(range);
        let (min, max) = (cfg.uint(Tunable::PasvMinPort), cfg.uint(Tunable::PasvMaxPort));
        // 1024 is ignored too, but the range starts at 1024 anyway: nothing changes.
        if cfg.is_set(Tunable::PasvMinPort) && !range.min_used && min != 1024 {
            let why = if min > 65535 {
                "above 65535"
            } else {
                "not above 1024"
            };
            out.push(
                cx.report(
                    cx.span_or_file_start(Tunable::PasvMinPort),
                    format!(
                        "pasv_min_port={min} is ignored ({why}): the range starts at 1024 and passive data ports come from {shown}"
                    ),
                )
                .help("use a pasv_min_port between 1025 and 65535, matching the firewall"),
            );
        }
        let inverted = range.min_used && cfg.is_set(Tunable::PasvMinPort) && max < min;
        // 65535 is ignored too, but the range ends at 65535 anyway: nothing changes.
        if cfg.is_set(Tunable::PasvMaxPort) && !range.max_used && max != 65535 && !inverted {
            let why = if max > 65535 {
                "above 65535".to_owned()
            } else if cfg.is_set(Tunable::PasvMinPort) {
                format!("below {}, where the range starts", range.first)
            } else {
                format!("below the default pasv_min_port={}", range.first)
            };
            out.push(
                cx.report(
                    cx.span_or_file_start(Tunable::PasvMaxPort),
                    format!(
                        "pasv_max_port={max} is ignored ({why}): the range ends at 65535 and passive data ports come from {shown}"
                    ),
                )
                .help("set pasv_min_port and pasv_max_port to the range the firewall opens, with min <= max < 65535"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::dialect::Dialect;
    use crate::rules::{LintOptions, lint};
    use crate::syntax::parse;

    fn range_codes(text: &str) -> Vec<(&'static str, String)> {
        let cst = parse(text.as_bytes()).cst;
        let options = LintOptions {
            dialect: Dialect::Debian303,
            ..LintOptions::default()
        };
        lint(&cst, None, &options, None)
            .diagnostics
            .into_iter()
            .filter(|d| matches!(d.code, "VSC101" | "VSC102" | "VSC103" | "VSC104"))
            .map(|d| (d.code, d.message))
            .collect()
    }

    #[test]
    fn an_inverted_pair_is_vsc103_only_and_an_ignored_minimum_is_vsc104_only() {
        let inverted = range_codes("listen=YES\npasv_min_port=60000\npasv_max_port=50000\n");
        assert_eq!(inverted.len(), 1);
        assert_eq!(inverted[0].0, "VSC103");
        let ignored = range_codes("listen=YES\npasv_min_port=70000\npasv_max_port=50000\n");
        assert_eq!(ignored.len(), 1, "{ignored:?}");
        assert_eq!(ignored[0].0, "VSC104");
        assert!(ignored[0].1.contains("1024–50000"), "{}", ignored[0].1);
    }

    proptest! {
        #[test]
        fn every_range_finding_states_the_effective_range(min in 0u32..80_000, max in 0u32..80_000, which in 0u8..3) {
            let text = match which {
                0 => format!("listen=YES\npasv_min_port={min}\npasv_max_port={max}\n"),
                1 => format!("listen=YES\npasv_min_port={min}\n"),
                _ => format!("listen=YES\npasv_max_port={max}\n"),
            };
            let (min, max) = match which {
                0 => (min, max),
                1 => (min, 0),
                _ => (5001, max),
            };
            let cst = parse(format!("pasv_min_port={min}\npasv_max_port={max}\n").as_bytes()).cst;
            let range = crate::rules::passive::text(
                crate::model::EffectiveConfig::read(&cst, Dialect::Debian303, None).passive_range(),
            )
            .to_string();
            for (code, message) in range_codes(&text) {
                prop_assert!(message.contains(&range), "{code}: {message} lacks {range}");
            }
            // A fully honoured pair raises nothing.
            if which == 0 && 1024 < min && min <= max && max < 65535 {
                prop_assert!(range_codes(&text).is_empty());
            }
        }
    }
}
