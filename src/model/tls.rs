//! The TLS vsftpd offers and requires on the control and data channels, from `ssl_enable`,
//! `implicit_ssl`, `allow_anon_ssl` and the four `force_*_ssl` switches.
//!
//! With `ssl_enable=NO` none of the others has an effect: every requirement here is then false. The
//! protocol switches differ per build (`ssl_tlsv1` alone decides `AUTH TLS` in `FEAT` except on RHEL).

use serde::Serialize;

use super::EffectiveConfig;
use crate::dialect::{Dialect, Tunable};

/// Whether, and how, the control channel is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    /// Plaintext only.
    Off,
    /// `ssl_enable=YES`: `AUTH TLS` after connecting.
    Explicit,
    /// `ssl_enable=YES` and `implicit_ssl=YES`: TLS from the first byte.
    Implicit,
}

/// What one kind of login must encrypt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TlsRequired {
    /// The login (`force_local_logins_ssl`, `force_anon_logins_ssl`).
    pub login: bool,
    /// Every data connection (`force_local_data_ssl`, `force_anon_data_ssl`).
    pub data: bool,
}

/// The control and data TLS requirements of one vsftpd process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TlsRequirements {
    /// The control channel.
    pub mode: TlsMode,
    /// Whether anonymous sessions may use TLS at all (`allow_anon_ssl`).
    pub anon_allowed: bool,
    /// What anonymous sessions must encrypt.
    pub anon: TlsRequired,
    /// What local users must encrypt.
    pub local: TlsRequired,
    /// Whether `FEAT` lists `AUTH TLS` (the build's reading of the protocol switches).
    pub feat_auth_tls: bool,
    /// Whether TLS 1.2 is offered.
    pub tls12: bool,
    /// Whether TLS 1.3 is offered.
    pub tls13: bool,
}

impl TlsRequirements {
    /// Whether TLS is on at all.
    pub fn enabled(&self) -> bool {
        self.mode != TlsMode::Off
    }
}

impl EffectiveConfig {
    /// The TLS vsftpd offers and requires.
    pub fn tls(&self) -> TlsRequirements {
        let on = self.bool(Tunable::SslEnable);
        let flag = |t: Tunable| on && self.bool(t);
        let (tls12, tls13, feat_auth_tls) = match self.dialect() {
            // Debian 3.0.3 knows no TLS 1.2/1.3 switches: both are always allowed by its OpenSSL.
            Dialect::Debian303 => (true, true, self.bool(Tunable::SslTlsv1)),
            Dialect::Upstream305 | Dialect::Debian305 => (
                self.bool(Tunable::SslTlsv12),
                self.bool(Tunable::SslTlsv13),
                self.bool(Tunable::SslTlsv1),
            ),
            // Fedora's 3.0.3 patch spells the switches ssl_tlsv1_2 and ssl_tlsv1_3.
            Dialect::Rhel303 => (
                self.bool(Tunable::SslTlsv12Fedora),
                self.bool(Tunable::SslTlsv13Fedora),
                self.bool(Tunable::SslTlsv1)
                    || self.bool(Tunable::SslTlsv11Fedora)
                    || self.bool(Tunable::SslTlsv12Fedora),
            ),
            Dialect::Rhel305 => (
                self.bool(Tunable::SslTlsv12),
                self.bool(Tunable::SslTlsv13),
                self.bool(Tunable::SslTlsv1)
                    || self.bool(Tunable::SslTlsv11)
                    || self.bool(Tunable::SslTlsv12),
            ),
        };
        TlsRequirements {
            mode: match (on, self.bool(Tunable::ImplicitSsl)) {
                (false, _) => TlsMode::Off,
                (true, false) => TlsMode::Explicit,
                (true, true) => TlsMode::Implicit,
            },
            anon_allowed: flag(Tunable::AllowAnonSsl),
            anon: TlsRequired {
                login: flag(Tunable::ForceAnonLoginsSsl),
                data: flag(Tunable::ForceAnonDataSsl),
            },
            local: TlsRequired {
                login: flag(Tunable::ForceLocalLoginsSsl),
                data: flag(Tunable::ForceLocalDataSsl),
            },
            feat_auth_tls: on && feat_auth_tls,
            tls12: on && tls12,
            tls13: on && tls13,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::syntax::parse;

    #[test]
    fn requirements_count_only_with_ssl_enable() {
        let tls = |t: &[u8]| EffectiveConfig::read(&parse(t).cst, Dialect::Debian303, None).tls();
        let off = tls(b"force_local_data_ssl=YES\n");
        assert_eq!(off.mode, TlsMode::Off);
        assert!(!off.local.data);
        let on = tls(b"ssl_enable=YES\nimplicit_ssl=YES\nforce_anon_data_ssl=YES\n");
        assert_eq!(on.mode, TlsMode::Implicit);
        assert!(on.anon.data && !on.anon.login);
        // Compiled-in defaults: local logins and data are forced once TLS is on.
        assert!(on.local.login && on.local.data);
    }
}
