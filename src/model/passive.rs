//! The passive port range vsftpd really draws from, from `pasv_min_port` and `pasv_max_port`
//! (data-channel.md §1, measured on the debian-3.0.3 binary; the code is the same in 3.0.5).
//!
//! vsftpd starts from 1024–65535; `pasv_min_port` counts only when `1024 < min <= 65535`; then
//! `pasv_max_port` counts only when `lo <= max < 65535`, compared with the *new* low end. So an unset
//! range (compiled defaults 5001 / 0) is 5001–65535, and `min > max` silently becomes `min`–65535.
//!
//! Also the other data ports: where active-mode connections come from (data-channel.md §3). Rules,
//! the firewall plan, the server, verify and the semantic diff read these and compute none of them.

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

    /// vsftpd's pick from 16 random bits: `first + r × (last − first + 1) / 65536`.
    pub fn pick(self, random_16_bits: u16) -> u16 {
        let span = u32::from(self.last).saturating_sub(u32::from(self.first)) + 1;
        let offset = u32::from(random_16_bits) * span / 65536;
        u16::try_from(u32::from(self.first) + offset).unwrap_or(self.last)
    }

    /// The effective range for raw `pasv_min_port` / `pasv_max_port` values.
    pub fn from_bounds(min: u32, max: u32) -> PassiveRange {
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
}

/// Where active-mode (PORT/EPRT) data connections come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActiveSource {
    /// A fixed local port (`connect_from_port_20=YES`, `ftp_data_port` cast to 16 bits).
    Port(u16),
    /// A kernel-chosen ephemeral port.
    Ephemeral,
}

/// The data ports of one vsftpd process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DataPorts {
    /// The passive range, when `pasv_enable=YES`.
    pub passive: Option<PassiveRange>,
    /// The active-mode source, when `port_enable=YES`.
    pub active: Option<ActiveSource>,
}

impl EffectiveConfig {
    /// The passive range this config gives (whether or not passive mode is enabled).
    pub fn passive_range(&self) -> PassiveRange {
        PassiveRange::from_bounds(
            self.uint(Tunable::PasvMinPort),
            self.uint(Tunable::PasvMaxPort),
        )
    }

    /// Where active-mode connections come from (whether or not active mode is enabled).
    /// data-channel.md §3: with `connect_from_port_20=YES` the source is `ftp_data_port` cast to 16
    /// bits (70000 → 4464), and 0 means a kernel-chosen port; `run_as_launching_user=YES` forces it off
    /// (source: vsftpd cannot bind a privileged port without root).
    pub fn active_source(&self) -> ActiveSource {
        let fixed =
            self.bool(Tunable::ConnectFromPort20) && !self.bool(Tunable::RunAsLaunchingUser);
        match self.port(Tunable::FtpDataPort) {
            p if fixed && p != 0 => ActiveSource::Port(p),
            _ => ActiveSource::Ephemeral,
        }
    }

    /// The passive range and active source of the data modes the config enables.
    pub fn data_ports(&self) -> DataPorts {
        DataPorts {
            passive: self.bool(Tunable::PasvEnable).then(|| self.passive_range()),
            active: self.bool(Tunable::PortEnable).then(|| self.active_source()),
        }
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
            let r = PassiveRange::from_bounds(*min, *max);
            assert_eq!((r.first, r.last), (*first, *last), "{min}/{max}");
        }
    }

    #[test]
    fn pick_covers_both_ends() {
        let r = |first, last| PassiveRange {
            first,
            last,
            min_used: true,
            max_used: true,
        };
        assert_eq!(r(50000, 50009).pick(0), 50000);
        assert_eq!(r(50000, 50009).pick(u16::MAX), 50009);
        assert_eq!(r(1024, 65535).pick(0), 1024);
        assert_eq!(r(1024, 65535).pick(u16::MAX), 65535);
        assert_eq!(r(65535, 65535).pick(12345), 65535);
    }

    proptest::proptest! {
        /// Every pick lands in the range, whatever the bounds and the random bits.
        #[test]
        fn every_pick_lands_in_the_range(min in proptest::num::u32::ANY, max in proptest::num::u32::ANY, bits in proptest::num::u16::ANY) {
            let range = PassiveRange::from_bounds(min, max);
            proptest::prop_assert!(range.contains(range.pick(bits)));
        }
    }
}
