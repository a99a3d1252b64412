//! The passive port range as findings word it. The range itself (which bounds vsftpd honours) is
//! the model's [`PassiveRange`]; the rules only say it.

use crate::dialect::Tunable;
use crate::model::EffectiveConfig;
use crate::model::passive::PassiveRange;

/// The range PASV and EPSV draw from, when passive mode is on (`pasv_enable`).
pub(super) fn in_use(cfg: &EffectiveConfig) -> Option<PassiveRange> {
    cfg.bool(Tunable::PasvEnable).then(|| cfg.passive_range())
}

/// The `pasv_address` text vsftpd reads with `inet_aton` for every PASV reply (data-channel.md §2):
/// set, passive mode on and `pasv_addr_resolve=NO` (a resolved name is checked at startup instead).
pub(super) fn literal_address(cfg: &EffectiveConfig) -> Option<&[u8]> {
    if cfg.bool(Tunable::PasvAddrResolve) || !cfg.bool(Tunable::PasvEnable) {
        return None;
    }
    cfg.string(Tunable::PasvAddress)
}

/// `50000–50100`, or `port 50000 only` for a one-port range. Written only where a message uses it:
/// the passive rules name the range in every file where passive mode is on, but report rarely.
pub(super) fn text(range: PassiveRange) -> RangeText {
    RangeText(range)
}

/// A passive range as [`text`] writes it.
pub(super) struct RangeText(PassiveRange);

impl std::fmt::Display for RangeText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let RangeText(range) = self;
        if range.first == range.last {
            write!(f, "port {} only", range.first)
        } else {
            write!(f, "{}–{}", range.first, range.last)
        }
    }
}

/// Whether a port as vsftpd stores it (before any cast) lies inside the range once cast to 16 bits,
/// as vsftpd casts `listen_port` and `ftp_data_port` where it uses them (data-channel.md §3, §4).
pub(super) fn holds(range: PassiveRange, stored: u32) -> bool {
    u16::try_from(stored % 65536).is_ok_and(|port| range.contains(port))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn range(text: &str) -> PassiveRange {
        let cst = parse(text.as_bytes()).cst;
        EffectiveConfig::read(&cst, crate::dialect::Dialect::default(), None).passive_range()
    }

    #[test]
    fn ranges_read_as_people_write_them() {
        // The table itself is tested in model::passive.
        assert_eq!(
            text(range("pasv_min_port=65535\n")).to_string(),
            "port 65535 only"
        );
        assert_eq!(text(range("")).to_string(), "5001–65535");
        assert_eq!(
            range("pasv_min_port=50000\npasv_max_port=50009\n").len(),
            10
        );
        assert!(holds(range("pasv_min_port=50000\n"), 50000 + 65536));
    }
}
