//! The typed expectations of `vsconf verify`: what the model says a server started from a config does
//! for an anonymous client on loopback ([`Expectations`], built in `expect.rs` from the model's
//! listener, passive range, data ports, TLS requirements and startup verdict), what the probe saw
//! ([`Observation`]s read from a [`probe::Report`](crate::probe::Report) in `observe.rs`), and how the
//! two compare ([`Expectation::compare`] → [`Verdict`]).
//!
//! It owns no fact of its own: every expectation is read from the model, `startup` and `oops.rs`. It
//! knows nothing of engines, processes, network namespaces or output formats: `cli/verify.rs` starts
//! the real vsftpd or the embedded server, runs the probe and lays the [`Row`]s out.
//!
//! ```
//! use vsconf::verify::{Expectation, Observation, Verdict, Why};
//!
//! let banner = Expectation::Text("220 (vsFTPd 3.0.5)".to_owned());
//! assert_eq!(banner.compare(&Observation::Text("220 (vsFTPd 3.0.5)".to_owned())), Verdict::Match);
//! assert_eq!(banner.compare(&Observation::Missing(Why::NotObserved)), Verdict::Unchecked);
//! ```

mod expect;
mod observe;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

use serde::Serialize;

use crate::model::{ActiveSource, EffectiveConfig, PassiveRange};
use crate::startup::host::HostFinding;

pub use expect::Expectations;
pub use observe::compare;

/// What an engine changed to run a config on loopback: added to every port (listen, passive range,
/// `ftp_data_port`), and the address listened on when it is not the config's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Remap {
    /// Added to every port.
    pub port_offset: u16,
    /// The address listened on, when it is not the config's.
    pub address: Option<IpAddr>,
}

/// Which host checks shape the expectations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostScope {
    /// All of them: the real vsftpd runs on this machine (users, directories, certificates, DNS).
    Machine,
    /// Only the files the embedded server itself reads ([`FILE_TUNABLES`]): it neither chroots nor
    /// switches users, so `secure_chroot_dir`, `nopriv_user` and the like do not apply to it.
    Files,
}

/// The settings naming files or names the embedded server reads as vsftpd does.
pub const FILE_TUNABLES: &[&str] = &[
    "rsa_cert_file",
    "rsa_private_key_file",
    "pasv_address",
    "banner_file",
    "userlist_file",
];

impl HostScope {
    /// Whether a host finding applies to the engine this scope describes.
    pub fn keeps(self, finding: &HostFinding) -> bool {
        self == HostScope::Machine
            || finding
                .oops
                .tunable
                .is_some_and(|t| FILE_TUNABLES.contains(&t))
    }
}

/// The address the probe connects to: the model's bind address, 127.0.0.1 when vsftpd binds any.
pub fn probe_address(config: &EffectiveConfig) -> IpAddr {
    config
        .listener()
        .ok()
        .and_then(|l| l.address.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// `allowed` or `denied`: a permission in the words both sides use.
fn allowed_word(b: bool) -> &'static str {
    if b { "allowed" } else { "denied" }
}

/// `yes` or `no`.
fn yes_no_word(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// The rows of `vsconf verify`, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Check {
    /// Whether the server starts.
    Starts,
    /// The greeting (or the session's `500 OOPS`).
    Banner,
    /// Whether FEAT lists AUTH TLS.
    AuthTls,
    /// Anonymous login without TLS.
    AnonymousLogin,
    /// Anonymous login after AUTH TLS.
    AnonymousLoginTls,
    /// A data connection of a plain session.
    DataWithoutTls,
    /// The ports the server offers in passive mode.
    PassivePorts,
    /// The address in the 227 reply.
    PasvAddress,
    /// A directory listing.
    Listing,
    /// The source port of active data connections.
    ActiveSourcePort,
    /// RETR.
    Download,
    /// STOR.
    Upload,
}

impl Check {
    /// The row's name, as people and the JSON read it.
    pub fn name(self) -> &'static str {
        match self {
            Check::Starts => "starts",
            Check::Banner => "banner",
            Check::AuthTls => "AUTH TLS offered",
            Check::AnonymousLogin => "anonymous login",
            Check::AnonymousLoginTls => "anonymous login under TLS",
            Check::DataWithoutTls => "data without TLS",
            Check::PassivePorts => "passive ports",
            Check::PasvAddress => "PASV address",
            Check::Listing => "listing",
            Check::ActiveSourcePort => "active source port",
            Check::Download => "download",
            Check::Upload => "upload",
        }
    }
}

/// Why a row is not compared: shown in parentheses on either side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// The greeting comes from `banner_file`, which is not read.
    BannerFile,
    /// No TLS session is expected (or none was made).
    NoTlsSession,
    /// Anonymous users cannot log in without TLS.
    NoPlainLogin,
    /// Anonymous users cannot log in at all.
    NoLogin,
    /// PASV is off or no session gets that far.
    NoPasv,
    /// The control connection is IPv6: the probe uses EPSV, which carries no address.
    Ipv6Control,
    /// `pasv_address` names a host this machine cannot resolve.
    Unresolvable,
    /// The first PASV kills the session (`500 OOPS: invalid pasv_address`).
    KilledByPasv,
    /// Neither passive nor active mode is enabled.
    NoDataMode,
    /// Data connections need TLS in a plain session: every transfer gets 522 first.
    DataNeedsTls,
    /// The probe did not get to this step.
    NotObserved,
    /// The probe did not try to log in.
    NoLoginAttempt,
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Why::BannerFile => "banner_file: not predicted",
            Why::NoTlsSession => "no TLS session",
            Why::NoPlainLogin => "no plain login",
            Why::NoLogin => "no login",
            Why::NoPasv => "no PASV",
            Why::Ipv6Control => "IPv6 control connection: the probe uses EPSV",
            Why::Unresolvable => "unresolvable",
            Why::KilledByPasv => "session killed by PASV",
            Why::NoDataMode => "no data mode",
            Why::DataNeedsTls => "data needs TLS",
            Why::NotObserved => "not observed",
            Why::NoLoginAttempt => "no login attempt",
        })
    }
}

/// What one row expects, computed from the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expectation {
    /// Exactly this text: a reply line, vsftpd's `500 OOPS`, or a word (`yes`, `works`, `allowed`).
    Text(String),
    /// Every passive port offered lies in the model's range, shifted by the engine's offset.
    Within {
        /// The model's passive range.
        range: PassiveRange,
        /// The engine's port offset.
        offset: u16,
    },
    /// Active data connections come from the model's source, shifted by the engine's offset.
    SourcePort {
        /// The model's active source.
        source: ActiveSource,
        /// The engine's port offset.
        offset: u16,
    },
    /// Not compared, and why.
    NotCompared(Why),
}

/// What the probe saw for one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observation {
    /// What the server said or did, in the words an [`Expectation::Text`] uses.
    Text(String),
    /// The passive ports the server offered: the lowest and highest of at least one.
    PassivePorts {
        /// The lowest port seen.
        lowest: u16,
        /// The highest port seen.
        highest: u16,
    },
    /// The source port of an active data connection.
    SourcePort {
        /// The port.
        port: u16,
        /// Whether it lies in this machine's ephemeral range (`ip_local_port_range`).
        ephemeral: bool,
    },
    /// Nothing to compare with, and why.
    Missing(Why),
}

/// How a row compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The server did what the model says.
    Match,
    /// The model and the server disagree.
    Mismatch,
    /// Not predicted or not observable here; never an error.
    Unchecked,
}

impl Expectation {
    /// Compares what the probe saw with this expectation.
    pub fn compare(&self, observed: &Observation) -> Verdict {
        let agree = match (self, observed) {
            (Expectation::NotCompared(_), _) | (_, Observation::Missing(_)) => {
                return Verdict::Unchecked;
            }
            (Expectation::Text(e), Observation::Text(o)) => e == o,
            (Expectation::Within { .. }, Observation::PassivePorts { lowest, highest }) => {
                self.contains(*lowest) && self.contains(*highest)
            }
            (
                Expectation::SourcePort {
                    source: ActiveSource::Port(p),
                    offset,
                },
                Observation::SourcePort { port, .. },
            ) => u32::from(*port) == u32::from(*p) + u32::from(*offset),
            (
                Expectation::SourcePort {
                    source: ActiveSource::Ephemeral,
                    ..
                },
                Observation::SourcePort { ephemeral, .. },
            ) => *ephemeral,
            _ => false,
        };
        if agree {
            Verdict::Match
        } else {
            Verdict::Mismatch
        }
    }

    /// Whether a passive port lies in the expected (shifted) range.
    fn contains(&self, port: u16) -> bool {
        match self {
            Expectation::Within { range, offset } => {
                let port = u32::from(port);
                let offset = u32::from(*offset);
                u32::from(range.first) + offset <= port && port <= u32::from(range.last) + offset
            }
            _ => false,
        }
    }

    /// Whether this is exactly `text`.
    pub fn is_text(&self, text: &str) -> bool {
        matches!(self, Expectation::Text(t) if t == text)
    }
}

impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expectation::Text(t) => f.write_str(t),
            Expectation::Within { range, offset } => write!(
                f,
                "within {}–{}",
                u32::from(range.first) + u32::from(*offset),
                u32::from(range.last) + u32::from(*offset)
            ),
            Expectation::SourcePort {
                source: ActiveSource::Port(p),
                offset,
            } => write!(f, "{}", u32::from(*p) + u32::from(*offset)),
            Expectation::SourcePort {
                source: ActiveSource::Ephemeral,
                ..
            } => f.write_str("ephemeral"),
            Expectation::NotCompared(why) => write!(f, "({why})"),
        }
    }
}

/// One row: what was expected, what was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Which check.
    pub check: Check,
    /// The model's expectation.
    pub expected: Expectation,
    /// What the probe (or the engine) saw.
    pub observed: Observation,
}

impl Row {
    /// How the row compares.
    pub fn verdict(&self) -> Verdict {
        self.expected.compare(&self.observed)
    }

    /// The expectation in words.
    pub fn predicted_words(&self) -> String {
        self.expected.to_string()
    }

    /// The observation in words: passive ports all inside the expected range read as the
    /// expectation does.
    pub fn observed_words(&self) -> String {
        match &self.observed {
            Observation::Text(t) => t.clone(),
            Observation::PassivePorts { .. } if self.verdict() == Verdict::Match => {
                self.expected.to_string()
            }
            Observation::PassivePorts { lowest, highest } => format!("seen {lowest}–{highest}"),
            Observation::SourcePort { port, .. } if self.verdict() == Verdict::Match => {
                self.expected.to_string()
            }
            Observation::SourcePort {
                ephemeral: true, ..
            } => "ephemeral".to_owned(),
            Observation::SourcePort { port, .. } => port.to_string(),
            Observation::Missing(why) => format!("({why})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(first: u16, last: u16) -> PassiveRange {
        PassiveRange {
            first,
            last,
            min_used: true,
            max_used: true,
        }
    }

    #[test]
    fn passive_ports_compare_against_the_shifted_range() {
        let expected = Expectation::Within {
            range: range(30000, 30010),
            offset: 10000,
        };
        let inside = Observation::PassivePorts {
            lowest: 40000,
            highest: 40010,
        };
        let outside = Observation::PassivePorts {
            lowest: 30000,
            highest: 30001,
        };
        assert_eq!(expected.compare(&inside), Verdict::Match);
        assert_eq!(expected.compare(&outside), Verdict::Mismatch);
        let row = Row {
            check: Check::PassivePorts,
            expected: expected.clone(),
            observed: inside,
        };
        assert_eq!(row.predicted_words(), "within 40000–40010");
        assert_eq!(row.observed_words(), "within 40000–40010");
        let row = Row {
            observed: outside,
            ..row
        };
        assert_eq!(row.observed_words(), "seen 30000–30001");
    }

    #[test]
    fn a_fixed_source_port_matches_even_inside_the_ephemeral_range() {
        let expected = Expectation::SourcePort {
            source: ActiveSource::Port(40000),
            offset: 0,
        };
        let seen = Observation::SourcePort {
            port: 40000,
            ephemeral: true,
        };
        assert_eq!(expected.compare(&seen), Verdict::Match);
        let ephemeral = Expectation::SourcePort {
            source: ActiveSource::Ephemeral,
            offset: 0,
        };
        assert_eq!(ephemeral.compare(&seen), Verdict::Match);
        assert_eq!(
            ephemeral.compare(&Observation::SourcePort {
                port: 20,
                ephemeral: false
            }),
            Verdict::Mismatch
        );
    }

    #[test]
    fn not_compared_and_missing_rows_are_unchecked() {
        let not = Expectation::NotCompared(Why::NoLogin);
        assert_eq!(
            not.compare(&Observation::Text("works".into())),
            Verdict::Unchecked
        );
        assert_eq!(not.to_string(), "(no login)");
        let text = Expectation::Text("works".into());
        assert_eq!(
            text.compare(&Observation::Missing(Why::NoLoginAttempt)),
            Verdict::Unchecked
        );
        assert_eq!(
            text.compare(&Observation::Text("refused".into())),
            Verdict::Mismatch
        );
    }
}
