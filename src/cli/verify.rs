//! `vsconf verify CONF`: start a server for the config on loopback, probe it, and compare what the
//! model predicts with what the server does.
//!
//! Engines sit behind [`Engine`]: the real vsftpd, run in a network namespace of its own (needs root
//! and /usr/sbin/vsftpd), and the embedded server (`vsconf::server`, pending: the arm reports that it
//! is not in this build yet). The probe runs as a child process (`vsconf probe … --format json`) under
//! `ip netns exec`, so nothing here needs `setns` or unsafe code.

use std::io::Read;
use std::net::{IpAddr, Ipv4Addr};
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;
use vsconf::dialect::{Dialect, Tunable};
use vsconf::model::value::inet_aton;
use vsconf::model::{ActiveSource, EffectiveConfig, ListenMode, TlsMode};
use vsconf::probe::Report;
use vsconf::probe::diagnosis::permission_of;
use vsconf::probe::observation::{DataCheck, DataMode, Session, SessionKind};
use vsconf::startup::{self, Verdict, oops};
use vsconf::syntax::parse;

use super::host::{SystemHost, is_root, resolve_v4, user_entry};
use super::input::load;

const VSFTPD: &str = "/usr/sbin/vsftpd";

/// Arguments of `vsconf verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The vsftpd config file.
    pub file: PathBuf,
    #[command(flatten)]
    pub common: super::ConfigArgs,
    #[command(flatten)]
    pub overrides: super::overrides::OverrideArgs,
    /// Which server to run: the real vsftpd (root, in a network namespace), the embedded server, or
    /// vsftpd when possible and embedded otherwise.
    #[arg(long, value_enum, default_value = "auto")]
    pub engine: EngineArg,
    /// Seconds each probe step may wait.
    #[arg(long, default_value = "2", value_name = "SECONDS")]
    pub timeout: f64,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

/// `--engine`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EngineArg {
    /// vsftpd when installed and running as root, else embedded.
    Auto,
    /// /usr/sbin/vsftpd in a private network namespace.
    Vsftpd,
    /// vsconf's own server.
    Embedded,
}

/// Output formats of `vsconf verify`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// An aligned table for people (`table` is accepted too).
    #[value(alias = "table")]
    Human,
    /// `{"version": 1, "rows": […]}`.
    Json,
}

/// How a row compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum RowStatus {
    Match,
    Mismatch,
    /// Not predicted or not observable here; never an error.
    Unchecked,
}

#[derive(Debug, Clone, Serialize)]
struct Row {
    check: &'static str,
    predicted: String,
    observed: String,
    status: RowStatus,
}

fn row(check: &'static str, predicted: String, observed: String) -> Row {
    let status = if predicted.starts_with('(') || observed.starts_with('(') {
        RowStatus::Unchecked
    } else if predicted == observed {
        RowStatus::Match
    } else {
        RowStatus::Mismatch
    };
    Row {
        check,
        predicted,
        observed,
        status,
    }
}

/// What starting a server gave.
enum Started {
    /// Listening; probe this URL from inside the engine's network.
    Listening {
        /// Where.
        url: String,
        /// What the engine had to change to run the config here.
        remap: Remap,
    },
    /// It exited with this text (a `500 OOPS` line, or what it printed).
    Refused(String),
}

/// What an engine changed to run a config on loopback: added to every port (listen, passive range,
/// `ftp_data_port`), and the address listened on when it is not the config's.
#[derive(Debug, Clone, Copy, Default)]
struct Remap {
    port_offset: u16,
    address: Option<IpAddr>,
}

/// A server to verify against.
trait Engine {
    fn name(&self) -> &'static str;
    fn start(&mut self, conf: &[u8], config: &EffectiveConfig) -> miette::Result<Started>;
    fn probe(&self, url: &str, timeout: f64) -> miette::Result<Report>;
}

/// Runs `vsconf verify`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    let loaded = load(&args.file)?;
    let cst = parse(&loaded.bytes).cst;
    let is_root = is_root();
    let vsftpd_ok = Path::new(VSFTPD).exists() && is_root;
    let engine_kind = match args.engine {
        EngineArg::Auto if vsftpd_ok => EngineArg::Vsftpd,
        EngineArg::Auto => EngineArg::Embedded,
        e => e,
    };
    // With no --dialect the build installed here is detected: the vsftpd engine runs that very build.
    // The vsftpd engine runs the installed binary: unless --dialect names one, model that very build
    // (vsconf.toml and VSCONF_DIALECT describe the fleet, not this binary).
    let dialect = match (engine_kind, &args.common.dialect.dialect) {
        (EngineArg::Vsftpd, None) => {
            let chosen = super::dialect::installed();
            super::warn_about(&chosen);
            chosen.primary()
        }
        _ => args.common.dialect()?,
    };
    let overrides = args.overrides.resolve(&args.file);
    let config =
        EffectiveConfig::read_with_overrides(&cst, dialect, Some(loaded.file_len), &overrides);
    let mut engine: Box<dyn Engine> = match engine_kind {
        EngineArg::Vsftpd => {
            if !vsftpd_ok {
                return Err(miette::miette!(
                    code = "vsconf::verify::no_vsftpd",
                    help = "install vsftpd (apt-get install vsftpd) and run as root, or use --engine embedded",
                    "the vsftpd engine needs {VSFTPD} and root"
                ));
            }
            Box::new(Vsftpd::new(overrides.clone())?)
        }
        _ => Box::new(Embedded {
            running: None,
            root_user: is_root,
        }),
    };
    let started = engine.start(&loaded.bytes, &config)?;
    let remap = match &started {
        Started::Listening { remap, .. } => *remap,
        Started::Refused(_) => Remap::default(),
    };
    let scope = if engine_kind == EngineArg::Vsftpd {
        HostScope::Machine
    } else {
        HostScope::Files
    };
    let predicted = Predicted::new(&config, cst.text(), dialect, &remap, scope);
    let mut rows = vec![row(
        "starts",
        predicted.starts.clone(),
        match &started {
            Started::Listening { .. } => "yes".to_string(),
            Started::Refused(t) => format!("no: {t}"),
        },
    )];
    if let Started::Listening { url, .. } = &started
        && predicted.starts == "yes"
    {
        let report = engine.probe(url, args.timeout)?;
        rows.extend(compare(&predicted, &report));
    }
    let mismatch = rows.iter().any(|r| r.status == RowStatus::Mismatch);
    let text = match args.format {
        Format::Json => {
            let doc = serde_json::json!({
                "version": 1,
                "path": loaded.path,
                "dialect": dialect.id(),
                "engine": engine.name(),
                "port_offset": remap.port_offset,
                "listen_address": remap.address.map(|a| a.to_string()),
                "rows": rows,
                "exit_status": u8::from(mismatch),
            });
            let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Human => {
            let mut t = table(&loaded.path, engine.name(), dialect, &rows);
            if remap.port_offset != 0 || remap.address.is_some() {
                let mut note = String::from("remapped to run here:");
                if remap.port_offset != 0 {
                    note.push_str(&format!(" every port +{}", remap.port_offset));
                }
                if let Some(a) = remap.address {
                    note.push_str(&format!(" listening on {a}"));
                }
                t.push_str(&note);
                t.push('\n');
            }
            t
        }
    };
    super::write_stdout(text.as_bytes())?;
    Ok(if mismatch {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn table(path: &str, engine: &str, dialect: Dialect, rows: &[Row]) -> String {
    let cw = rows.iter().map(|r| r.check.len()).max().unwrap_or(5).max(5);
    let pw = rows
        .iter()
        .map(|r| r.predicted.chars().count())
        .max()
        .unwrap_or(9)
        .clamp(9, 60);
    let mut out = format!("verify {path} with {engine} ({dialect})\n\n");
    out.push_str(&format!(
        "{:cw$}  {:pw$}  {}\n",
        "CHECK", "PREDICTED", "OBSERVED"
    ));
    for r in rows {
        let mark = match r.status {
            RowStatus::Match => "",
            RowStatus::Mismatch => "   <- MISMATCH",
            RowStatus::Unchecked => "   (not compared)",
        };
        out.push_str(&format!(
            "{:cw$}  {:pw$}  {}{mark}\n",
            r.check, r.predicted, r.observed
        ));
    }
    let n = rows
        .iter()
        .filter(|r| r.status == RowStatus::Mismatch)
        .count();
    if n == 0 {
        out.push_str("\npredicted = observed\n");
    } else {
        out.push_str(&format!(
            "\n{n} mismatch{}: the model and the server disagree\n",
            if n == 1 { "" } else { "es" }
        ));
    }
    out
}

/// Which host checks shape the prediction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HostScope {
    /// All of them: the real vsftpd runs on this machine (users, directories, certificates, DNS).
    Machine,
    /// Only the files the embedded server itself reads ([`FILE_TUNABLES`]): it neither chroots nor
    /// switches users, so secure_chroot_dir, nopriv_user and the like do not apply to it.
    Files,
}

/// The settings naming files or names the embedded server reads as vsftpd does.
const FILE_TUNABLES: &[&str] = &[
    "rsa_cert_file",
    "rsa_private_key_file",
    "pasv_address",
    "banner_file",
    "userlist_file",
];

/// What the model says the server will do for an anonymous client on IPv4 loopback.
struct Predicted {
    starts: String,
    banner: String,
    auth_tls: String,
    anon_plain: String,
    anon_tls: String,
    /// Data without TLS (plain session).
    plain_data: String,
    /// The session whose data checks count: plain if anonymous logs in without TLS, else TLS.
    data_session: Option<SessionKind>,
    passive: String,
    pasv_address: String,
    listing: String,
    active_source: String,
    download: String,
    upload: String,
}

impl Predicted {
    fn new(
        config: &EffectiveConfig,
        text: &[u8],
        dialect: Dialect,
        remap: &Remap,
        scope: HostScope,
    ) -> Predicted {
        let offset = u32::from(remap.port_offset);
        let control = remap.address.unwrap_or_else(|| probe_address(config));
        let prediction = startup::predict(config, text);
        let host_findings: Vec<_> = startup::host::check(config, &SystemHost::own_copy())
            .into_iter()
            .filter(|f| {
                scope == HostScope::Machine
                    || f.oops.tunable.is_some_and(|t| FILE_TUNABLES.contains(&t))
            })
            .collect();
        let starts = match &prediction.verdict {
            Verdict::Starts { .. } => match host_findings.iter().find(|f| f.at_startup) {
                Some(f) => format!("no: {}", lossy(&f.oops.full_text())),
                None => "yes".to_string(),
            },
            Verdict::Refuses(o) => format!("no: {}", lossy(&o.full_text())),
            Verdict::Crashes(c) => format!("no: crash ({})", c.signal),
        };
        let session_oops = prediction
            .session
            .as_ref()
            .map(|o| lossy(&o.full_text()))
            .or_else(|| {
                host_findings
                    .iter()
                    .find(|f| !f.at_startup)
                    .map(|f| lossy(&f.oops.full_text()))
            });
        let version = if dialect == Dialect::Debian303 {
            "3.0.3"
        } else {
            "3.0.5"
        };
        let banner = match (
            &session_oops,
            config.string(Tunable::BannerFile),
            config.string(Tunable::FtpdBanner),
        ) {
            (Some(o), _, _) => o.clone(),
            (None, Some(_), _) => "(banner_file: not predicted)".to_string(),
            (None, None, Some(b)) => format!("220 {}", lossy(b)),
            (None, None, None) => format!("220 (vsFTPd {version})"),
        };
        // The model's TLS requirements (all false unless ssl_enable=YES).
        let tls = config.tls();
        let ssl = tls.enabled();
        let tls_listed = tls.feat_auth_tls;
        let greeted = session_oops.is_none();
        let anon = config.bool(Tunable::AnonymousEnable);
        let auth_tls = yes_no(ssl && tls_listed && greeted);
        let anon_plain_ok = greeted && anon && !tls.anon.login;
        let anon_tls_ok = greeted && anon && tls.anon_allowed;
        let anon_plain = works(anon_plain_ok);
        let anon_tls = if ssl && tls_listed && greeted {
            works(anon_tls_ok)
        } else {
            "(no TLS session)".to_string()
        };
        let plain_data_refused = tls.anon.data;
        let data_session = if anon_plain_ok && !plain_data_refused {
            Some(SessionKind::Plain)
        } else if anon_tls_ok && tls_listed {
            Some(SessionKind::ExplicitTls)
        } else if anon_plain_ok {
            Some(SessionKind::Plain)
        } else {
            None
        };
        let plain_data = if !anon_plain_ok {
            "(no plain login)".to_string()
        } else if plain_data_refused {
            "refused: 522 Data connections must be encrypted.".to_string()
        } else {
            "allowed".to_string()
        };
        let data = config.data_ports();
        let pasv_on = data.passive.is_some();
        let range = config.passive_range();
        let listen_ipv6 = config.listen_mode() == Ok(ListenMode::StandaloneIpv6);
        let passive = if data_session.is_none() {
            "(no login)".to_string()
        } else if pasv_on && pasv_killed_early(config, data_session.is_some()) {
            format!("killed: {}{}", oops::PREFIX, oops::INVALID_PASV_ADDRESS)
        } else if pasv_on {
            format!(
                "within {}–{}",
                u32::from(range.first) + offset,
                u32::from(range.last) + offset
            )
        } else {
            "disabled: 550 Permission denied.".to_string()
        };
        // data-channel.md §2: a pasv_address inet_aton cannot read kills the session at the first PASV.
        let pasv_killed = pasv_on && pasv_killed_early(config, data_session.is_some());
        let killed = || "(session killed by PASV)".to_string();
        let pasv_address = if data_session.is_none() || !pasv_on {
            "(no PASV)".to_string()
        } else if control.is_ipv6() {
            "(IPv6 control connection: the probe uses EPSV)".to_string()
        } else {
            match config.string(Tunable::PasvAddress) {
                Some(_) if listen_ipv6 => "0.0.0.0".to_string(),
                Some(a) if config.bool(Tunable::PasvAddrResolve) => resolve_v4(a)
                    .map(|i| i.to_string())
                    .unwrap_or_else(|| "(unresolvable)".into()),
                Some(a) => match inet_aton(a) {
                    Some(o) => Ipv4Addr::from(o).to_string(),
                    None => format!("{}{}", oops::PREFIX, oops::INVALID_PASV_ADDRESS),
                },
                None => control.to_string(),
            }
        };
        let listing = match data_session {
            None => "(no login)".to_string(),
            Some(_) if pasv_killed => killed(),
            Some(_) if !pasv_on && !config.bool(Tunable::PortEnable) => {
                "(no data mode)".to_string()
            }
            Some(_) if !config.bool(Tunable::DirlistEnable) => "550 Permission denied.".to_string(),
            Some(SessionKind::Plain) if tls.anon.data => {
                "522 Data connections must be encrypted.".to_string()
            }
            Some(_) => "226 Directory send OK.".to_string(),
        };
        // The data session is plain but the server wants TLS for data: every transfer gets 522.
        let data_needs_tls = data_session == Some(SessionKind::Plain) && plain_data_refused;
        let active_source = if data_session.is_none() {
            "(no login)".to_string()
        } else if pasv_killed {
            killed()
        } else {
            match data.active {
                None => "disabled: 550 Permission denied.".to_string(),
                Some(_) if data_needs_tls => {
                    "refused: 522 Data connections must be encrypted.".to_string()
                }
                Some(ActiveSource::Port(p)) => (u32::from(p) + offset).to_string(),
                Some(ActiveSource::Ephemeral) => "ephemeral".to_string(),
            }
        };
        let (download, upload) = if data_session.is_none() || !pasv_on {
            ("(no login)".to_string(), "(no login)".to_string())
        } else if pasv_killed {
            (killed(), killed())
        } else if data_needs_tls {
            // Permission is checked when the command is dispatched, before the 522.
            let tls_first = |ok: bool| {
                if ok {
                    "(data needs TLS)".to_string()
                } else {
                    allowed(false)
                }
            };
            (
                tls_first(config.bool(Tunable::DownloadEnable)),
                tls_first(
                    config.bool(Tunable::WriteEnable) && config.bool(Tunable::AnonUploadEnable),
                ),
            )
        } else {
            (
                allowed(config.bool(Tunable::DownloadEnable)),
                allowed(
                    config.bool(Tunable::WriteEnable) && config.bool(Tunable::AnonUploadEnable),
                ),
            )
        };
        Predicted {
            starts,
            banner,
            auth_tls,
            anon_plain,
            anon_tls,
            plain_data,
            data_session,
            passive,
            pasv_address,
            listing,
            active_source,
            download,
            upload,
        }
    }
}

/// Whether the first PASV kills the session (`500 OOPS: invalid pasv_address`).
fn pasv_killed_early(config: &EffectiveConfig, logged_in: bool) -> bool {
    logged_in
        && config.listen_mode() != Ok(ListenMode::StandaloneIpv6)
        && !config.bool(Tunable::PasvAddrResolve)
        && config
            .string(Tunable::PasvAddress)
            .is_some_and(|a| inet_aton(a).is_none())
}

/// The address the probe connects to: the model's bind address, 127.0.0.1 when vsftpd binds any.
fn probe_address(config: &EffectiveConfig) -> IpAddr {
    config
        .listener()
        .ok()
        .and_then(|l| l.address.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

fn compare(p: &Predicted, report: &Report) -> Vec<Row> {
    let sessions = &report.observations.sessions;
    let plain = sessions.iter().find(|s| !s.kind.is_tls());
    let tls = sessions.iter().find(|s| s.kind.is_tls());
    let first = sessions.first();
    let banner = match first {
        Some(s) => match (&s.banner, &s.banner_failure, &s.connect_failure) {
            (Some(b), _, _) => b
                .lines
                .iter()
                .find(|l| l.starts_with(oops::PREFIX))
                .cloned()
                .unwrap_or_else(|| b.last_line().to_string()),
            (None, Some(f), _) | (None, None, Some(f)) => format!("no greeting: {}", f.message),
            _ => "no greeting".to_string(),
        },
        None => "no session".to_string(),
    };
    // A 530 is a refusal; anything else (a timeout, a dropped session) is shown as it was.
    let login = |s: Option<&Session>| match s.and_then(|s| s.login.as_ref()) {
        Some(l) if l.ok => "works".to_string(),
        Some(l) => match &l.reply {
            Some(r) if r.code == 530 => "refused".to_string(),
            Some(r) => format!("failed: {}", r.last_line()),
            None => format!(
                "failed: {}",
                s.and_then(|s| s.aborted.as_ref())
                    .map(|f| f.message.clone())
                    .unwrap_or_default()
            ),
        },
        None => "(no login attempt)".to_string(),
    };
    let mut rows = vec![
        row("banner", p.banner.clone(), banner),
        row(
            "AUTH TLS offered",
            p.auth_tls.clone(),
            yes_no(plain.is_some_and(Session::offers_auth_tls)),
        ),
        row("anonymous login", p.anon_plain.clone(), login(plain)),
        row(
            "anonymous login under TLS",
            p.anon_tls.clone(),
            if tls.is_some() {
                login(tls)
            } else {
                "(no TLS session)".to_string()
            },
        ),
    ];
    if p.plain_data != "allowed" || p.auth_tls == "yes" {
        let observed = match plain.and_then(|s| {
            s.data.iter().find(|d| {
                !d.mode.is_active() && d.mode_reply.as_ref().is_some_and(|r| r.code / 100 == 2)
            })
        }) {
            Some(c) => match &c.transfer_reply {
                Some(r) if r.code / 100 != 1 => format!("refused: {}", r.last_line()),
                Some(_) => "allowed".to_string(),
                None => "(not observed)".to_string(),
            },
            None => "(no plain login)".to_string(),
        };
        rows.push(row("data without TLS", p.plain_data.clone(), observed));
    }
    let data_session = p
        .data_session
        .and_then(|k| sessions.iter().find(|s| s.kind == k));
    let pasv = data_session.and_then(|s| s.data.iter().find(|d| d.mode == DataMode::Pasv));
    let ports: Vec<u16> = data_session
        .map(|s| {
            s.passive_replies
                .iter()
                .filter_map(|r| r.address.map(|a| a.port()))
                .collect()
        })
        .unwrap_or_default();
    let observed_passive = match (
        pasv.or_else(|| data_session.and_then(|s| s.passive_checks().next())),
        ports.is_empty(),
    ) {
        (None, _) => "(not observed)".to_string(),
        (Some(c), true) => match &c.mode_reply {
            Some(r) if r.last_line().starts_with(oops::PREFIX) => {
                format!("killed: {}", r.last_line())
            }
            Some(r) => format!("disabled: {}", r.last_line()),
            None => String::new(),
        },
        (Some(_), false) => {
            let (lo, hi) = (
                ports.iter().min().copied().unwrap_or(0),
                ports.iter().max().copied().unwrap_or(0),
            );
            // Same words as the prediction when every port seen is inside the predicted range.
            match p
                .passive
                .strip_prefix("within ")
                .and_then(|r| r.split_once('–'))
            {
                Some((a, b))
                    if a.parse::<u16>().is_ok_and(|a| a <= lo)
                        && b.parse::<u16>().is_ok_and(|b| hi <= b) =>
                {
                    p.passive.clone()
                }
                _ => format!("seen {lo}–{hi}"),
            }
        }
    };
    rows.push(row("passive ports", p.passive.clone(), observed_passive));
    let pasv_address = match pasv.and_then(|c| c.mode_reply.as_ref()) {
        Some(r) if r.code == 227 => vsconf::ftp::parse_227(r.text())
            .map(|(ip, _)| ip.to_string())
            .unwrap_or_default(),
        Some(r) => r.last_line().to_string(),
        None => "(not observed)".to_string(),
    };
    rows.push(row("PASV address", p.pasv_address.clone(), pasv_address));
    // The listing through the first passive mode that got a data connection (EPSV works where a
    // wrong PASV address does not; that is the PASV address row's business).
    let passive_checks: Vec<&DataCheck> = data_session
        .map(|s| {
            s.data
                .iter()
                .filter(|d| {
                    !d.mode.is_active() && d.mode_reply.as_ref().is_some_and(|r| r.code / 100 == 2)
                })
                .collect()
        })
        .unwrap_or_default();
    let listing_check = passive_checks
        .iter()
        .find(|d| d.listed() || d.connect_failure.is_none())
        .or(passive_checks.first())
        .copied();
    rows.push(row(
        "listing",
        p.listing.clone(),
        listing_check
            .map(listing_words)
            .unwrap_or_else(|| "(not observed)".to_string()),
    ));
    let port = data_session.and_then(|s| s.data.iter().find(|d| d.mode.is_active()));
    let active = match port {
        Some(c) => match (&c.mode_reply, c.source) {
            (Some(r), _) if r.code != 200 => format!("disabled: {}", r.last_line()),
            (_, Some(src)) => source_words(src.port()),
            (_, None) if c.transfer_reply.as_ref().is_some_and(|r| r.code / 100 != 1) => {
                format!(
                    "refused: {}",
                    c.transfer_reply
                        .as_ref()
                        .map(|r| r.last_line())
                        .unwrap_or("")
                )
            }
            (_, None) => c
                .connect_failure
                .as_ref()
                .map(|f| format!("no connection: {}", f.message))
                .unwrap_or_default(),
        },
        None => "(not observed)".to_string(),
    };
    rows.push(row("active source port", p.active_source.clone(), active));
    let perm = |r: Option<&vsconf::probe::observation::Reply>| match r
        .map(|r| (permission_of(r), r.last_line().to_string()))
    {
        Some((Some(b), _)) => allowed(b),
        Some((None, line)) => format!("unclear: {line}"),
        None => "(not observed)".to_string(),
    };
    rows.push(row(
        "download",
        p.download.clone(),
        perm(data_session.and_then(|s| s.retr_reply.as_ref())),
    ));
    rows.push(row(
        "upload",
        p.upload.clone(),
        perm(data_session.and_then(|s| s.stor_reply.as_ref())),
    ));
    rows
}

fn listing_words(c: &DataCheck) -> String {
    if let Some(f) = &c.connect_failure
        && !c.fallback.as_ref().is_some_and(|f| f.connected())
    {
        return format!("data connection failed: {}", f.message);
    }
    if let Some(r) = &c.transfer_reply
        && r.code / 100 != 1
    {
        return r.last_line().to_string();
    }
    if let Some(f) = c.tls_failure.as_ref().or(c.transfer_failure.as_ref()) {
        return format!("failed: {}", f.message);
    }
    c.done_reply
        .as_ref()
        .map(|r| r.last_line().to_string())
        .unwrap_or_else(|| "no reply".to_string())
}

/// A source port in the kernel's ephemeral range is "ephemeral"; anything else is shown as is.
fn source_words(port: u16) -> String {
    let (lo, hi) = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|t| {
            let mut it = t.split_whitespace().filter_map(|n| n.parse::<u16>().ok());
            Some((it.next()?, it.next()?))
        })
        .unwrap_or((32768, 60999));
    if (lo..=hi).contains(&port) {
        "ephemeral".to_string()
    } else {
        port.to_string()
    }
}

fn works(b: bool) -> String {
    if b {
        "works".to_string()
    } else {
        "refused".to_string()
    }
}

fn allowed(b: bool) -> String {
    if b {
        "allowed".to_string()
    } else {
        "denied".to_string()
    }
}

fn yes_no(b: bool) -> String {
    if b {
        "yes".to_string()
    } else {
        "no".to_string()
    }
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The real vsftpd in a network namespace of its own. Dropping it kills everything in the namespace,
/// deletes it and removes the temporary directory.
struct Vsftpd {
    ns: String,
    dir: tempfile::TempDir,
    child: Option<Child>,
    /// `-o` overrides given to the real vsftpd, in place around the config file.
    overrides: Vec<vsconf::model::Override>,
}

impl Vsftpd {
    fn new(overrides: Vec<vsconf::model::Override>) -> miette::Result<Vsftpd> {
        let ns = format!("vscvfy-{}", std::process::id());
        let dir = tempfile::Builder::new()
            .prefix("vsconf-verify-")
            .tempdir()
            .map_err(|e| miette::miette!("cannot create a temporary directory: {e}"))?;
        let engine = Vsftpd {
            ns,
            dir,
            child: None,
            overrides,
        };
        ip(&["netns", "add", &engine.ns])?;
        ip(&["-n", &engine.ns, "link", "set", "lo", "up"])?;
        Ok(engine)
    }

    fn listening_port(&self) -> Option<u16> {
        let out = Command::new("ip")
            .args(["netns", "exec", &self.ns, "ss", "-Hltn"])
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&out.stdout);
        text.lines().find_map(|l| {
            l.split_whitespace()
                .nth(3)?
                .rsplit(':')
                .next()?
                .parse()
                .ok()
        })
    }
}

impl Drop for Vsftpd {
    fn drop(&mut self) {
        if let Some(c) = &mut self.child {
            let _ = c.kill();
            let _ = c.wait();
        }
        if let Ok(out) = Command::new("ip")
            .args(["netns", "pids", &self.ns])
            .output()
        {
            for pid in String::from_utf8_lossy(&out.stdout).split_whitespace() {
                let _ = Command::new("kill").args(["-9", pid]).status();
            }
        }
        let _ = Command::new("ip").args(["netns", "del", &self.ns]).status();
    }
}

fn ip(args: &[&str]) -> miette::Result<()> {
    let out = Command::new("ip")
        .args(args)
        .output()
        .map_err(|e| miette::miette!("cannot run ip: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(miette::miette!(
            code = "vsconf::verify::netns",
            "ip {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

impl Engine for Vsftpd {
    fn name(&self) -> &'static str {
        "vsftpd"
    }

    fn start(&mut self, conf: &[u8], config: &EffectiveConfig) -> miette::Result<Started> {
        let conf_path = self.dir.path().join("vsftpd.conf");
        std::fs::write(&conf_path, conf)
            .map_err(|e| miette::miette!("cannot write {}: {e}", conf_path.display()))?;
        let address = probe_address(config);
        match address {
            IpAddr::V4(a) if !a.is_loopback() => ip(&[
                "-n",
                &self.ns,
                "addr",
                "add",
                &format!("{a}/32"),
                "dev",
                "lo",
            ])?,
            IpAddr::V6(a) if !a.is_loopback() => ip(&[
                "-n",
                &self.ns,
                "addr",
                "add",
                &format!("{a}/128"),
                "dev",
                "lo",
                "nodad",
            ])?,
            _ => {}
        }
        // debian-3.0.3 writes 500 OOPS to fd 0: give it a read-write file there, and read it after.
        let out_path = self.dir.path().join("oops.out");
        let open = |p: &Path| {
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(true)
                .open(p)
        };
        let fd0 = open(&out_path)
            .map_err(|e| miette::miette!("cannot create {}: {e}", out_path.display()))?;
        let fd1 = open(&self.dir.path().join("stdout")).map_err(|e| miette::miette!("{e}"))?;
        let fd2 = open(&self.dir.path().join("stderr")).map_err(|e| miette::miette!("{e}"))?;
        let argument = |o: &vsconf::model::Override| {
            use std::os::unix::ffi::OsStringExt;
            std::ffi::OsString::from_vec([b"-o".as_slice(), &o.text].concat())
        };
        let child = Command::new("ip")
            .args(["netns", "exec", &self.ns, VSFTPD])
            .args(
                self.overrides
                    .iter()
                    .filter(|o| o.before_file)
                    .map(argument),
            )
            .arg(&conf_path)
            .args(
                self.overrides
                    .iter()
                    .filter(|o| !o.before_file)
                    .map(argument),
            )
            .stdin(Stdio::from(fd0))
            .stdout(Stdio::from(fd1))
            .stderr(Stdio::from(fd2))
            .spawn()
            .map_err(|e| miette::miette!("cannot start {VSFTPD}: {e}"))?;
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(3);
        let mut exited = None;
        while Instant::now() < deadline {
            if let Some(port) = self.listening_port() {
                let host = match address {
                    IpAddr::V4(a) => a.to_string(),
                    IpAddr::V6(a) => format!("[{a}]"),
                };
                let scheme = if config.tls().mode == TlsMode::Implicit {
                    "ftps"
                } else {
                    "ftp"
                };
                return Ok(Started::Listening {
                    url: format!("{scheme}://{host}:{port}"),
                    remap: Remap::default(),
                });
            }
            if exited.is_none()
                && let Some(c) = &mut self.child
                && let Ok(Some(status)) = c.try_wait()
            {
                exited = Some(status);
                // background=YES: the parent exits 0 before binding; keep waiting for the listener.
                if !status.success() {
                    break;
                }
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        let mut text = String::new();
        for name in ["oops.out", "stdout", "stderr"] {
            let mut s = String::new();
            if let Ok(mut f) = std::fs::File::open(self.dir.path().join(name)) {
                let _ = f.read_to_string(&mut s);
            }
            text.push_str(&s);
        }
        let line = text
            .lines()
            .find(|l| l.contains(oops::PREFIX))
            .or_else(|| text.lines().find(|l| !l.trim().is_empty()))
            .map(|l| l.trim_end_matches('\r').to_string());
        Ok(Started::Refused(match (line, exited) {
            (Some(l), _) => l,
            (None, Some(s)) => format!("exited with {s} and no message"),
            (None, None) => "still running after 3s but not listening".to_string(),
        }))
    }

    fn probe(&self, url: &str, timeout: f64) -> miette::Result<Report> {
        let exe = std::env::current_exe()
            .map_err(|e| miette::miette!("cannot find the vsconf binary: {e}"))?;
        let out = Command::new("ip")
            .args(["netns", "exec", &self.ns])
            .arg(exe)
            .args([
                "probe",
                url,
                "--format",
                "json",
                "--quiet",
                "--active",
                "--permissions",
                "--timeout",
                &timeout.to_string(),
            ])
            .output()
            .map_err(|e| miette::miette!("cannot run the probe: {e}"))?;
        serde_json::from_slice(&out.stdout).map_err(|e| {
            miette::miette!(
                "the probe gave no report ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
            )
        })
    }
}

/// The embedded server (`vsconf::server`), in this process, on loopback; the probe runs in-process.
struct Embedded {
    running: Option<vsconf::server::RunningServer>,
    root_user: bool,
}

impl Engine for Embedded {
    fn name(&self) -> &'static str {
        "embedded"
    }

    fn start(&mut self, conf: &[u8], config: &EffectiveConfig) -> miette::Result<Started> {
        use vsconf::server::{ServeError, ServeOptions, start};
        // The embedded server is driven by the model, so it refuses exactly the files the model says
        // vsftpd refuses, with vsftpd's text. This row is therefore the prediction itself, not an
        // independent observation: only the vsftpd engine can check it (docs/probe.md says so).
        match vsconf::startup::predict(config, conf).verdict {
            Verdict::Refuses(o) => return Ok(Started::Refused(lossy(&o.full_text()))),
            Verdict::Crashes(c) => return Ok(Started::Refused(format!("crash ({})", c.signal))),
            Verdict::Starts { .. } => {}
        }
        // Loopback of the listener's family: an IPv6 listener on :: would also take IPv4 clients, but
        // binding :: would expose the test server beyond loopback.
        let address = if config.listen_mode() == Ok(ListenMode::StandaloneIpv6) {
            IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)
        } else {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        };
        // vsftpd serves anonymous users from anon_root, else the ftp user's home directory.
        let root = match config.string(Tunable::AnonRoot) {
            Some(r) => Some(PathBuf::from(lossy(r))),
            None => config
                .string(Tunable::FtpUsername)
                .and_then(user_entry)
                .map(|u| PathBuf::from(std::ffi::OsString::from_vec(u.home))),
        };
        // Ports are remapped only when needed: below 1024 without root, or when the port is taken.
        let low = config.port(Tunable::ListenPort) < 1024
            || (config.bool(Tunable::ConnectFromPort20)
                && config.port(Tunable::FtpDataPort) < 1024);
        let offsets: &[u16] = if low && !self.root_user {
            &[10000, 20000, 1000]
        } else {
            &[0, 10000, 20000, 1000]
        };
        let mut last = None;
        for &port_offset in offsets {
            let options = ServeOptions {
                root: root.clone(),
                bind: Some(address),
                port_offset,
                users: None,
            };
            match start(config, options) {
                Ok(running) => {
                    let control = running.control_addr();
                    self.running = Some(running);
                    let host = match control.ip() {
                        IpAddr::V4(a) => a.to_string(),
                        IpAddr::V6(a) => format!("[{a}]"),
                    };
                    let scheme = if config.tls().mode == TlsMode::Implicit {
                        "ftps"
                    } else {
                        "ftp"
                    };
                    let configured = probe_address(config);
                    return Ok(Started::Listening {
                        url: format!("{scheme}://{host}:{}", control.port()),
                        remap: Remap {
                            port_offset,
                            address: (configured != address).then_some(address),
                        },
                    });
                }
                Err(ServeError::Oops { text }) => {
                    return Ok(Started::Refused(format!("{}{text}", oops::PREFIX)));
                }
                Err(
                    e @ (ServeError::Bind { .. }
                    | ServeError::DataPort { .. }
                    | ServeError::PortOffset { .. }),
                ) => last = Some(e),
                Err(e) => return Err(e.into()),
            }
        }
        match last {
            Some(e) => Err(e.into()),
            None => Err(miette::miette!("the embedded server did not start")),
        }
    }

    fn probe(&self, url: &str, timeout: f64) -> miette::Result<Report> {
        let target = vsconf::probe::parse_target(url)?;
        let options = vsconf::probe::ProbeOptions {
            target,
            user: None,
            password: None,
            tls: vsconf::probe::TlsMode::Try,
            active: true,
            passive_samples: 5,
            timeout: Duration::from_secs_f64(timeout),
            permissions: true,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| miette::miette!("cannot start the async runtime: {e}"))?;
        let observations = runtime.block_on(vsconf::probe::probe(&options, &|_| {}))?;
        let findings = vsconf::probe::diagnose(&observations);
        Ok(Report::new(observations, findings))
    }
}
