//! `EffectiveConfig` → `Prediction`: whether vsftpd of the model's dialect starts with the file, the
//! exact `500 OOPS` text when it refuses, a crash where it crashes, and what every session gets.
//!
//! The order of checks is vsftpd's own (../shared/reference/startup-checks.md, verified against the
//! debian-3.0.3 binary): the first fatal line of the file, then `pasv_addr_resolve` (host), TLS
//! context (host), both listeners, the listen address, then — in inetd mode, at startup — the session
//! checks. Checks that depend on the machine run only through [`host`] when asked.

pub mod host;
pub mod oops;
pub mod tls_files;

use serde::Serialize;

use crate::dialect::{Backgrounding, TcpWrappersSupport, Tunable};
use crate::model::{EffectiveConfig, FirstFatal, ListenMode, ListenerError, Outcome};
use crate::syntax::Span;

/// What vsftpd does when started with the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// It starts (as far as the file alone can tell, or the host checks that ran).
    Starts {
        /// How it listens.
        mode: ListenMode,
    },
    /// It prints `500 OOPS: …` and exits with status 2.
    Refuses(Oops),
    /// It crashes without a message.
    Crashes(Crash),
}

impl Verdict {
    /// The `500 OOPS` text (prefix included, no CR LF) when vsftpd refuses.
    pub fn oops_text(&self) -> Option<Vec<u8>> {
        match self {
            Verdict::Refuses(o) => Some(o.full_text()),
            _ => None,
        }
    }

    /// What vsftpd prints when it refuses (prefix included, no CR LF): `None` when it starts, crashes
    /// or refuses silently after the fork.
    pub fn printed_text(&self) -> Option<Vec<u8>> {
        match self {
            Verdict::Refuses(o) if o.delivery != Delivery::SilentAfterFork => Some(o.full_text()),
            _ => None,
        }
    }

    /// Whether vsftpd would run.
    pub fn starts(&self) -> bool {
        matches!(self, Verdict::Starts { .. })
    }
}

/// The check behind a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// A name no tunable has.
    UnrecognisedVariable,
    /// A name with no value (or an empty one) that is not a string tunable.
    MissingValue,
    /// A boolean that is not YES/NO/TRUE/FALSE/1/0.
    BadBoolValue,
    /// `listen` and `listen_ipv6` both on.
    TwoListeners,
    /// `listen_address` not an IPv4 literal.
    BadListenAddress,
    /// `listen_address6` not an IPv6 literal.
    BadListenAddress6,
    /// `tcp_wrappers=YES` on a build without TCP wrappers.
    TcpWrappersUnsupported,
    /// Neither listener on: inetd mode, which refuses when not started by inetd.
    InetdMode,
    /// `one_process_model=YES` with `local_enable=YES`.
    OneProcessModelLocal,
    /// `local_enable=NO` and `anonymous_enable=NO`.
    NoLogins,
    /// `ftp_enable=NO` and `http_enable=NO`.
    NoProtocols,
    /// `http_enable=YES` without `one_process_model=YES`.
    HttpNeedsOneProcess,
    /// A host check (file, user, certificate, DNS).
    Host,
}

impl Check {
    /// A line vsftpd cannot parse: it stops reading the file there, so later lines are never read.
    pub fn is_parse_error(self) -> bool {
        matches!(
            self,
            Check::UnrecognisedVariable | Check::MissingValue | Check::BadBoolValue
        )
    }
}

/// A `500 OOPS` refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Oops {
    /// The text after `500 OOPS: `, byte for byte.
    #[serde(serialize_with = "serialize_lossy")]
    pub message: Vec<u8>,
    /// The check that fails.
    pub check: Check,
    /// The line responsible, if one is.
    pub span: Option<Span>,
    /// The tunable responsible, if one is.
    pub tunable: Option<&'static str>,
    /// Whether the text reaches the operator, and how the process ends.
    pub delivery: Delivery,
}

/// How a refusal shows to whoever started vsftpd.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Delivery {
    /// `500 OOPS: <message>\r\n` on this file descriptor, then exit status 2.
    Printed {
        /// 0 (upstream, Debian) or 1 (RHEL).
        fd: u8,
    },
    /// The check fails in the background child after the fork: the waiting parent prints nothing and
    /// exits with status 1 after 3 seconds (RHEL builds with `background=YES`, their default).
    SilentAfterFork,
}

impl Oops {
    fn new(
        message: impl Into<Vec<u8>>,
        check: Check,
        span: Option<Span>,
        tunable: Option<Tunable>,
    ) -> Oops {
        Oops {
            message: message.into(),
            check,
            span,
            tunable: tunable.map(Tunable::name),
            delivery: Delivery::Printed { fd: 0 },
        }
    }

    /// `500 OOPS: <message>`.
    pub fn full_text(&self) -> Vec<u8> {
        [oops::PREFIX.as_bytes(), &self.message].concat()
    }
}

/// A crash instead of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Crash {
    /// The signal (`SIGSEGV`).
    pub signal: &'static str,
    /// The line that triggers it.
    pub span: Span,
    /// The tunable whose value triggers it.
    pub tunable: &'static str,
}

/// The full prediction for a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prediction {
    /// What happens at startup.
    pub verdict: Verdict,
    /// In standalone mode, the refusal every session meets after connecting (vsftpd starts, then
    /// refuses everyone), if any.
    pub session: Option<Oops>,
}

fn serialize_lossy<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::syntax::escape_bytes(bytes))
}

/// [`predict`] with the machine's answers merged in where vsftpd asks them: the config file's owner and
/// type before any line is read, then (after parsing) `pasv_addr_resolve` and the TLS context, before
/// the listener checks (startup-checks.md A2–A5, verified with the debian-3.0.3 binary: a file owned
/// by another user is refused even when its first line is bad; `ssl_enable=YES` without a
/// certificate is refused even with both listeners on). In standalone mode the first per-session host
/// problem becomes `session` when the file itself causes none. Checks vsconf cannot make (a missing
/// file, binding the address) are not included.
pub fn predict_with_host(
    config: &EffectiveConfig,
    text: &[u8],
    host: &dyn host::Host,
) -> Prediction {
    let findings = host::check(config, host);
    let (process_start, per_session): (Vec<_>, Vec<_>) = findings.into_iter().partition(|f| {
        let m = f.oops.message.as_slice();
        m == oops::NOT_OWNED.as_bytes()
            || m.starts_with(b"cannot resolve host:")
            || m.starts_with(b"SSL: ")
    });
    let mut process_start = process_start.into_iter().map(|f| f.oops).peekable();
    let not_owned = process_start.next_if(|o| o.message == oops::NOT_OWNED.as_bytes());
    if let Some(oops) = not_owned {
        return deliver(config, refuses(oops));
    }
    if config.first_fatal().is_some() {
        return predict(config, text);
    }
    if let Some(oops) = process_start.next() {
        return deliver(config, refuses(oops));
    }
    let mut prediction = predict(config, text);
    if prediction.verdict.starts() && prediction.session.is_none() {
        prediction.session = per_session.into_iter().map(|f| f.oops).next();
    }
    prediction
}

/// Predicts vsftpd's startup and session verdict from the file alone.
pub fn predict(config: &EffectiveConfig, text: &[u8]) -> Prediction {
    deliver(config, predict_in_process(config, text))
}

/// Where the refusal's text goes in this build: the dialect's file descriptor, or nowhere when the check
/// runs in the background child of a build whose parent waits for it (parsing.md §6; recorded on the
/// Fedora 3.0.3 binary: `listen_address=1.2.3.4.5` exits 1 with no message, while `listen=YES` plus
/// `listen_ipv6=YES` still prints before the fork).
fn deliver(config: &EffectiveConfig, mut prediction: Prediction) -> Prediction {
    let dialect = config.dialect();
    if let Verdict::Refuses(oops) = &mut prediction.verdict {
        let after_fork = matches!(
            oops.check,
            Check::BadListenAddress | Check::BadListenAddress6
        );
        oops.delivery = if after_fork
            && config.bool(Tunable::Background)
            && dialect.backgrounding() == Backgrounding::ParentWaitsForListener
        {
            Delivery::SilentAfterFork
        } else {
            Delivery::Printed {
                fd: dialect.oops_destination().fd(),
            }
        };
    }
    prediction
}

fn predict_in_process(config: &EffectiveConfig, text: &[u8]) -> Prediction {
    if let Some(fatal) = config.first_fatal() {
        let verdict = match parse_failure(fatal, text) {
            Ok(oops) => Verdict::Refuses(oops),
            Err(crash) => Verdict::Crashes(crash),
        };
        return Prediction {
            verdict,
            session: None,
        };
    }
    let mode = match config.listener() {
        Ok(listener) => listener.mode,
        Err(error) => return refuses(listener_oops(config, &error)),
    };
    if mode == ListenMode::Inetd {
        // inetd mode: the session checks run at startup, and the first of them that does not depend on
        // the file is "stdin is not a socket", which is what a service manager or a shell gives it.
        if let Some(oops) = tcp_wrappers_check(config) {
            return refuses(oops);
        }
        let span = config
            .origin(Tunable::Listen)
            .line()
            .or(config.origin(Tunable::ListenIpv6).line());
        return refuses(Oops::new(
            oops::NOT_STANDALONE,
            Check::InetdMode,
            span,
            Some(Tunable::Listen),
        ));
    }
    Prediction {
        verdict: Verdict::Starts { mode },
        session: session_check(config),
    }
}

/// vsftpd's refusal when the file gives it no listener (the model's [`ListenerError`]).
pub fn listener_oops(config: &EffectiveConfig, error: &ListenerError) -> Oops {
    match error {
        ListenerError::BothListeners => {
            let span = config
                .origin(Tunable::ListenIpv6)
                .line()
                .or(config.origin(Tunable::Listen).line());
            Oops::new(
                oops::TWO_LISTENERS,
                Check::TwoListeners,
                span,
                Some(Tunable::ListenIpv6),
            )
        }
        ListenerError::BadAddress { tunable, text } => {
            let span = config.origin(*tunable).line();
            let (message, check) = if *tunable == Tunable::ListenAddress6 {
                (oops::bad_listen_address6(text), Check::BadListenAddress6)
            } else {
                (oops::bad_listen_address(text), Check::BadListenAddress)
            };
            Oops::new(message, check, span, Some(*tunable))
        }
    }
}

fn refuses(oops: Oops) -> Prediction {
    Prediction {
        verdict: Verdict::Refuses(oops),
        session: None,
    }
}

/// The refusal (or crash) at the first fatal setting. A `-o` override has no line: its `Oops` has no
/// span (the caller finds the argument through `EffectiveConfig::first_fatal`).
fn parse_failure(fatal: FirstFatal<'_>, text: &[u8]) -> Result<Oops, Crash> {
    let (name, span, outcome) = match fatal {
        FirstFatal::Line(reading) => (
            reading.name.slice(text),
            Some(reading.line),
            &reading.outcome,
        ),
        FirstFatal::Override(o) => (o.name.as_slice(), None, &o.outcome),
    };
    let crash_span = span.unwrap_or(Span::empty(0));
    match outcome {
        Outcome::Unrecognised => Ok(Oops::new(
            oops::unrecognised(name),
            Check::UnrecognisedVariable,
            span,
            None,
        )),
        Outcome::MissingValue => Ok(Oops::new(
            oops::missing_value(name),
            Check::MissingValue,
            span,
            None,
        )),
        Outcome::BadBool(t) => Ok(Oops::new(
            oops::bad_bool(name),
            Check::BadBoolValue,
            span,
            Some(*t),
        )),
        Outcome::Crash(t) => Err(Crash {
            signal: "SIGSEGV",
            span: crash_span,
            tunable: t.name(),
        }),
        Outcome::Applied { .. } => Err(Crash {
            signal: "none",
            span: crash_span,
            tunable: "",
        }),
    }
}

fn tcp_wrappers_check(config: &EffectiveConfig) -> Option<Oops> {
    (config.bool(Tunable::TcpWrappers)
        && config.dialect().tcp_wrappers() == TcpWrappersSupport::Missing)
        .then(|| {
            Oops::new(
                oops::NO_TCP_WRAPPERS,
                Check::TcpWrappersUnsupported,
                config.origin(Tunable::TcpWrappers).line(),
                Some(Tunable::TcpWrappers),
            )
        })
}

/// The checks a standalone vsftpd makes in each session, after a client connects, in vsftpd's order.
pub fn session_check(config: &EffectiveConfig) -> Option<Oops> {
    if let Some(oops) = tcp_wrappers_check(config) {
        return Some(oops);
    }
    let line = |t: Tunable| config.origin(t).line();
    let local = config.bool(Tunable::LocalEnable);
    let one_process = config.bool(Tunable::OneProcessModel);
    if one_process && local {
        let span = line(Tunable::OneProcessModel);
        return Some(Oops::new(
            oops::ONE_PROCESS_LOCAL,
            Check::OneProcessModelLocal,
            span,
            Some(Tunable::OneProcessModel),
        ));
    }
    if !local && !config.bool(Tunable::AnonymousEnable) {
        let span = line(Tunable::AnonymousEnable).or(line(Tunable::LocalEnable));
        return Some(Oops::new(
            oops::NO_LOGINS,
            Check::NoLogins,
            span,
            Some(Tunable::AnonymousEnable),
        ));
    }
    let http = config.bool(Tunable::HttpEnable);
    if !config.bool(Tunable::FtpEnable) && !http {
        return Some(Oops::new(
            oops::NO_PROTOCOLS,
            Check::NoProtocols,
            line(Tunable::FtpEnable),
            Some(Tunable::FtpEnable),
        ));
    }
    if http && !one_process {
        let span = line(Tunable::HttpEnable);
        return Some(Oops::new(
            oops::HTTP_NEEDS_ONE_PROCESS,
            Check::HttpNeedsOneProcess,
            span,
            Some(Tunable::HttpEnable),
        ));
    }
    None
}

/// The line span a tunable's effective value comes from, if a line sets it.
pub fn origin_span(config: &EffectiveConfig, tunable: Tunable) -> Option<Span> {
    config.origin(tunable).line()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::model::{BindAddress, Family};
    use crate::syntax::parse;
    use std::net::Ipv6Addr;

    fn predict_text(text: &[u8], dialect: Dialect) -> Prediction {
        let cst = parse(text).cst;
        predict(&EffectiveConfig::read(&cst, dialect, None), cst.text())
    }

    fn oops(text: &[u8], dialect: Dialect) -> String {
        let p = predict_text(text, dialect);
        String::from_utf8_lossy(&p.verdict.oops_text().unwrap_or_default()).into_owned()
    }

    #[test]
    fn first_bad_line_wins() {
        assert_eq!(
            oops(
                b"listen=YES\nPort_enable=YES\nlisten=maybe\n",
                Dialect::Debian303
            ),
            "500 OOPS: unrecognised variable in config file: Port_enable"
        );
    }

    #[test]
    fn empty_file_is_inetd_mode_on_debian_only() {
        assert_eq!(
            oops(b"", Dialect::Debian303),
            "500 OOPS: vsftpd: not configured for standalone, must be started from inetd"
        );
        assert!(predict_text(b"", Dialect::Upstream305).verdict.starts());
    }

    #[test]
    fn whitespace_only_string_crashes_debian() {
        assert!(matches!(
            predict_text(b"ftpd_banner=  \n", Dialect::Debian303).verdict,
            Verdict::Crashes(_)
        ));
        assert!(
            predict_text(b"ftpd_banner=  \n", Dialect::Rhel305)
                .verdict
                .starts()
        );
    }

    #[test]
    fn listener_checks_follow_the_active_listener() {
        assert_eq!(
            oops(b"listen=YES\nlisten_ipv6=YES\n", Dialect::Debian303),
            "500 OOPS: run two copies of vsftpd for IPv4 and IPv6"
        );
        assert_eq!(
            oops(b"listen=YES\nlisten_address=::1\n", Dialect::Debian303),
            "500 OOPS: bad listen_address: ::1"
        );
        assert!(
            predict_text(b"listen=YES\nlisten_address6=zz\n", Dialect::Debian303)
                .verdict
                .starts()
        );
        assert_eq!(
            oops(
                b"listen_ipv6=YES\nlisten_address6=zz\nlisten_address=zz\n",
                Dialect::Debian303
            ),
            "500 OOPS: bad listen_address6: zz"
        );
    }

    #[test]
    fn listen_address6_follows_vsftpds_parser_not_inet_pton() {
        // debian-3.0.3 binary: each of these starts (or fails only at bind), none is a bad address.
        for addr in [
            "00000::1",
            "::1.2.3.04",
            "1:2:3:4:5:6:7:",
            "127.0.0.1",
            "::1%lo",
            "::1%",
            "%",
        ] {
            let text = format!("listen_ipv6=YES\nlisten_address6={addr}\n");
            assert!(
                predict_text(text.as_bytes(), Dialect::Debian303)
                    .verdict
                    .starts(),
                "{addr}"
            );
        }
        // debian-3.0.3 binary: `500 OOPS: bad listen_address6: ::1x` (and the same for `::12345`).
        assert_eq!(
            oops(
                b"listen_ipv6=YES\nlisten_address6=::1x\n",
                Dialect::Debian303
            ),
            "500 OOPS: bad listen_address6: ::1x"
        );
        assert_eq!(
            oops(
                b"listen_ipv6=YES\nlisten_address6=::12345\n",
                Dialect::Debian303
            ),
            "500 OOPS: bad listen_address6: ::12345"
        );
        // Upstream has no scope syntax (source: standalone.c hands the whole value to the parser).
        assert_eq!(
            oops(
                b"listen=NO\nlisten_ipv6=YES\nlisten_address6=::1%lo\n",
                Dialect::Upstream305
            ),
            "500 OOPS: bad listen_address6: ::1%lo"
        );
    }

    #[test]
    fn short_ipv6_addresses_are_flagged_incomplete() {
        // debian-3.0.3 binary: `listen_address6=::` bound :: in one run and failed with `could not bind
        // listening IPv6 socket` in another (a cut line in a 100 kB file): the parser leaves the
        // address bytes unwritten, and vsftpd binds whatever memory holds.
        let cst = parse(b"listen_ipv6=YES\nlisten_address6=::\n").cst;
        let config = EffectiveConfig::read(&cst, Dialect::Debian303, None);
        let bound = config.bind_address(Family::Ipv6);
        assert_eq!(
            bound,
            Ok(BindAddress::V6 {
                addr: Ipv6Addr::UNSPECIFIED,
                complete: false,
                scope: None
            })
        );
        let cst = parse(b"listen_ipv6=YES\nlisten_address6=::1%lo\n").cst;
        let config = EffectiveConfig::read(&cst, Dialect::Debian303, None);
        let bound = config.bind_address(Family::Ipv6);
        assert_eq!(
            bound,
            Ok(BindAddress::V6 {
                addr: Ipv6Addr::LOCALHOST,
                complete: true,
                scope: Some(b"lo".to_vec())
            })
        );
    }

    struct Machine {
        owner: u32,
        certificate: bool,
    }

    impl host::Host for Machine {
        fn config_file(&self) -> Option<(u32, bool)> {
            Some((self.owner, true))
        }
        fn read(&self, _: &[u8]) -> Option<Vec<u8>> {
            self.certificate.then(|| {
                [
                    &include_bytes!("../../tests/fixtures/tls/p256-a.crt")[..],
                    include_bytes!("../../tests/fixtures/tls/p256-a.key"),
                ]
                .concat()
            })
        }
        fn is_dir(&self, _: &[u8]) -> bool {
            true
        }
        fn user_exists(&self, name: &[u8]) -> bool {
            name != b"nosuchuser"
        }
        fn resolves(&self, name: &[u8]) -> bool {
            name == b"localhost"
        }
    }

    fn oops_on(text: &[u8], host: &Machine) -> String {
        let cst = parse(text).cst;
        let config = EffectiveConfig::read(&cst, Dialect::Debian303, None);
        let p = predict_with_host(&config, cst.text(), host);
        String::from_utf8_lossy(&p.verdict.oops_text().unwrap_or_default()).into_owned()
    }

    #[test]
    fn host_checks_run_where_vsftpd_runs_them() {
        let ok = Machine {
            owner: 0,
            certificate: true,
        };
        let not_owned = Machine {
            owner: 65534,
            certificate: true,
        };
        let no_cert = Machine {
            owner: 0,
            certificate: false,
        };
        // debian-3.0.3 binary: the owner check comes before the first line is read.
        assert_eq!(
            oops_on(b"bogus\n", &not_owned),
            "500 OOPS: config file not owned by correct user, or not a file"
        );
        assert_eq!(
            oops_on(b"bogus\n", &no_cert),
            "500 OOPS: missing value in config file for: bogus"
        );
        // debian-3.0.3 binary: the TLS context is built before the listener checks.
        assert_eq!(
            oops_on(b"listen=YES\nlisten_ipv6=YES\nssl_enable=YES\n", &no_cert),
            "500 OOPS: SSL: cannot load RSA certificate"
        );
        assert_eq!(
            oops_on(
                b"listen=YES\npasv_addr_resolve=YES\npasv_address=no.such.host.invalid\n",
                &ok
            ),
            "500 OOPS: cannot resolve host:no.such.host.invalid"
        );
        let cst = parse(b"listen=YES\nnopriv_user=nosuchuser\n").cst;
        let config = EffectiveConfig::read(&cst, Dialect::Debian303, None);
        let p = predict_with_host(&config, cst.text(), &ok);
        assert!(p.verdict.starts());
        assert_eq!(
            p.session.map(|o| o.message),
            Some(b"cannot locate user entry:nosuchuser".to_vec())
        );
    }

    #[test]
    fn session_refusals_are_separate_from_startup() {
        let p = predict_text(b"listen=YES\nanonymous_enable=NO\n", Dialect::Debian303);
        assert!(p.verdict.starts());
        assert_eq!(p.session.map(|o| o.check), Some(Check::NoLogins));
    }

    #[test]
    fn tcp_wrappers_depend_on_the_build() {
        let p = predict_text(
            b"listen=YES\ntcp_wrappers=YES\nlocal_enable=YES\n",
            Dialect::Debian303,
        );
        assert_eq!(p.session, None);
        let p = predict_text(b"listen=YES\ntcp_wrappers=YES\n", Dialect::Upstream305);
        assert_eq!(
            p.session.map(|o| o.check),
            Some(Check::TcpWrappersUnsupported)
        );
    }
}
