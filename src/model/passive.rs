//! The passive port range vsftpd really draws from, from `pasv_min_port` and `pasv_max_port`
//! (data-channel.md §1, measured on the debian-3.0.3 binary; the code is the same in 3.0.5).
//!
//! vsftpd starts from 1024–65535; `pasv_min_port` counts only when `1024 < min <= 65535`; then
//! `pasv_max_port` counts only when `lo <= max < 65535`, compared with the *new* low end. So an unset
//! range (compiled defaults 5001 / 0) is 5001–65535, and `min > max` silently becomes `min`–65535.

use serde::Serialize;

use super::EffectiveConfig;
use crate::dialect::Tunable;

/// The ports PASV and EPSV hand out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PassiveRange {
    /// Lowest port.
    pub first: u16,
    /// Highest port (`>= first`).
    pub last: u16,
    /// Whether `pasv_min_port` was used (otherwise the low end is 1024).
    pub min_used: bool,
    /// Whether `pasv_max_port` was used (otherwise the high end is 65535).
    pub max_used: bool,
}

impl PassiveRange {
    /// Number of ports in the range.
    pub fn len(self) -> u32 {
        u32::from(self.last) - u32::from(self.first) + 1
    }

    /// Never empty; present for API symmetry with `len`.
    pub fn is_empty(self) -> bool {
        false
    }

    /// Whether the port is in the range.
    pub fn contains(self, port: u16) -> bool {
        self.first <= port && port <= self.last
    }
}

/// The effective range for raw `pasv_min_port` / `pasv_max_port` values.
pub fn effective_range(min: u32, max: u32) -> PassiveRange {
    let min_used = min > 1024 && min <= 65535;
    let lo = if min_used { min } else { 1024 };
    let max_used = max >= lo && max < 65535;
    let hi = if max_used { max } else { 65535 };
    PassiveRange {
        first: u16::try_from(lo).unwrap_or(u16::MAX),
        last: u16::try_from(hi).unwrap_or(u16::MAX),
        min_used,
        max_used,
    }
}

impl EffectiveConfig {
    /// The passive range this config gives (whether or not passive mode is enabled).
    pub fn passive_range(&self) -> PassiveRange {
        effective_range(
            self.uint(Tunable::PasvMinPort),
            self.uint(Tunable::PasvMaxPort),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_the_measured_table() {
        // data-channel.md §1, observed with the debian-3.0.3 binary.
        let rows: &[(u32, u32, u16, u16)] = &[
            (5001, 0, 5001, 65535),
            (0, 0, 1024, 65535),
            (50000, 50009, 50000, 50009),
            (50000, 0, 50000, 65535),
            (5001, 50000, 5001, 50000),
            (5001, 5000, 5001, 65535),
            (0, 2000, 1024, 2000),
            (0, 1000, 1024, 65535),
            (60000, 50000, 60000, 65535),
            (50000, 50000, 50000, 50000),
            (65535, 0, 65535, 65535),
            (1024, 1030, 1024, 1030),
            (1000, 1030, 1024, 1030),
            (70000, 80000, 1024, 65535),
            (u32::MAX, u32::MAX, 1024, 65535),
            (0, 65534, 1024, 65534),
        ];
        for (min, max, first, last) in rows {
            let r = effective_range(*min, *max);
            assert_eq!((r.first, r.last), (*first, *last), "{min}/{max}");
        }
    }
}
