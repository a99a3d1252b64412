//! `vsconf verify CONF`: start a server for the config on loopback, probe it, and compare what the
//! model predicts with what the server does.
//!
//! What is expected and how a row compares is library code (`vsconf::verify`: typed
//! `Expectation`s from the model, `Observation`s from the probe's report). This file holds only the
//! plumbing (the engines, the probe run) and the two output formats.
//!
//! Engines sit behind [`Engine`]: the real vsftpd, run in a network namespace of its own (needs root
//! and /usr/sbin/vsftpd), and the embedded server (`vsconf::server`, in this process). For vsftpd the probe runs as a child process (`vsconf probe … --format json`) under
//! `ip netns exec`, so nothing here needs `setns` or unsafe code.

use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::ops::RangeInclusive;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;
use vsconf::dialect::{Dialect, Tunable};
use vsconf::model::{EffectiveConfig, ListenMode, TlsMode};
use vsconf::probe::Report;
use vsconf::startup::{self, Verdict as Startup, oops};
use vsconf::syntax::parse;
use vsconf::verify::{
    Check, Expectations, HostScope, Observation, Remap, Row, Verdict, compare, probe_address,
};

use super::host::{SystemHost, is_root, resolve_v4, user_entry};
use super::input::load;
use super::progress::Progress;

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

/// One row as both formats show it.
#[derive(Debug, Clone, Serialize)]
struct RowWords {
    check: &'static str,
    predicted: String,
    observed: String,
    status: Verdict,
}

impl From<&Row> for RowWords {
    fn from(row: &Row) -> RowWords {
        RowWords {
            check: row.check.name(),
            predicted: row.predicted_words(),
            observed: row.observed_words(),
            status: row.verdict(),
        }
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
    let mut engine = engine(engine_kind, vsftpd_ok, is_root, &overrides)?;
    // Two long steps, starting the server and probing it (seconds each): a bar on a terminal says
    // which one is running and for how long.
    let progress = Progress::new(2, "vsconf: verifying", args.common.quiet);
    progress.step(&format!("starting {}", engine.name()));
    let started = engine.start(&loaded.bytes, &config)?;
    progress.advance(1);
    let remap = match &started {
        Started::Listening { remap, .. } => *remap,
        Started::Refused(_) => Remap::default(),
    };
    let expected = expect(&config, cst.text(), engine_kind, remap);
    let mut rows = vec![Row {
        check: Check::Starts,
        expected: expected.starts(),
        observed: Observation::Text(match &started {
            Started::Listening { .. } => "yes".to_owned(),
            Started::Refused(t) => format!("no: {t}"),
        }),
    }];
    if let Started::Listening { url, .. } = &started
        && matches!(expected.startup, Startup::Starts { .. })
    {
        progress.step(&format!("probing {url}"));
        let report = engine.probe(url, args.timeout)?;
        rows.extend(compare(&expected, &report, ephemeral_ports()));
    }
    progress.advance(1);
    progress.finish();
    let rows: Vec<RowWords> = rows.iter().map(RowWords::from).collect();
    let mismatch = rows.iter().any(|r| r.status == Verdict::Mismatch);
    let text = match args.format {
        Format::Json => json(&loaded.path, engine.name(), dialect, remap, &rows),
        Format::Human => {
            let mut t = table(&loaded.path, engine.name(), dialect, &rows);
            t.push_str(&remap_note(remap));
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

/// The engine `--engine` chose (after `auto` is resolved).
fn engine(
    kind: EngineArg,
    vsftpd_ok: bool,
    is_root: bool,
    overrides: &[vsconf::model::Override],
) -> miette::Result<Box<dyn Engine>> {
    Ok(match kind {
        EngineArg::Vsftpd => {
            if !vsftpd_ok {
                return Err(miette::miette!(
                    code = "vsconf::verify::no_vsftpd",
                    help = "install vsftpd (apt-get install vsftpd) and run as root, or use --engine embedded",
                    "the vsftpd engine needs {VSFTPD} and root"
                ));
            }
            Box::new(Vsftpd::new(overrides.to_vec())?)
        }
        _ => Box::new(Embedded {
            running: None,
            root_user: is_root,
        }),
    })
}

/// The model's expectations, with the host findings that apply to the engine: all of them for the
/// real vsftpd, only the files it reads for the embedded server.
fn expect(config: &EffectiveConfig, text: &[u8], kind: EngineArg, remap: Remap) -> Expectations {
    let scope = if kind == EngineArg::Vsftpd {
        HostScope::Machine
    } else {
        HostScope::Files
    };
    let host_findings: Vec<_> = startup::host::check(config, &SystemHost::own_copy())
        .into_iter()
        .filter(|f| scope.keeps(f))
        .collect();
    Expectations::new(config, text, &host_findings, remap, &resolve_v4)
}

/// `{"version": 1, …, "rows": […], "exit_status": 0|1}`.
fn json(path: &str, engine: &str, dialect: Dialect, remap: Remap, rows: &[RowWords]) -> String {
    let mismatch = rows.iter().any(|r| r.status == Verdict::Mismatch);
    let doc = serde_json::json!({
        "version": 1,
        "path": path,
        "dialect": dialect.id(),
        "engine": engine,
        "port_offset": remap.port_offset,
        "listen_address": remap.address.map(|a| a.to_string()),
        "rows": rows,
        "exit_status": u8::from(mismatch),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// What the engine changed to run the config here, as a closing line (empty when nothing).
fn remap_note(remap: Remap) -> String {
    if remap.port_offset == 0 && remap.address.is_none() {
        return String::new();
    }
    let mut note = String::from("remapped to run here:");
    if remap.port_offset != 0 {
        note.push_str(&format!(" every port +{}", remap.port_offset));
    }
    if let Some(a) = remap.address {
        note.push_str(&format!(" listening on {a}"));
    }
    note.push('\n');
    note
}

fn table(path: &str, engine: &str, dialect: Dialect, rows: &[RowWords]) -> String {
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
            Verdict::Match => "",
            Verdict::Mismatch => "   <- MISMATCH",
            Verdict::Unchecked => "   (not compared)",
        };
        out.push_str(&format!(
            "{:cw$}  {:pw$}  {}{mark}\n",
            r.check, r.predicted, r.observed
        ));
    }
    let n = rows
        .iter()
        .filter(|r| r.status == Verdict::Mismatch)
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

/// The URL the probe connects to: `ftps://` for implicit TLS, IPv6 addresses in brackets.
fn probe_url(config: &EffectiveConfig, control: SocketAddr) -> String {
    let scheme = if config.tls().mode == TlsMode::Implicit {
        "ftps"
    } else {
        "ftp"
    };
    format!("{scheme}://{control}")
}

/// This machine's ephemeral port range, where unbound active connections get their source port.
fn ephemeral_ports() -> RangeInclusive<u16> {
    let (lo, hi) = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|t| {
            let mut it = t.split_whitespace().filter_map(|n| n.parse::<u16>().ok());
            Some((it.next()?, it.next()?))
        })
        .unwrap_or((32768, 60999));
    lo..=hi
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

    /// Puts the config's listen address on the namespace's loopback, unless it is a loopback one.
    fn add_address(&self, address: IpAddr) -> miette::Result<()> {
        match address {
            IpAddr::V4(a) if !a.is_loopback() => ip(&[
                "-n",
                &self.ns,
                "addr",
                "add",
                &format!("{a}/32"),
                "dev",
                "lo",
            ]),
            IpAddr::V6(a) if !a.is_loopback() => ip(&[
                "-n",
                &self.ns,
                "addr",
                "add",
                &format!("{a}/128"),
                "dev",
                "lo",
                "nodad",
            ]),
            _ => Ok(()),
        }
    }

    /// Starts vsftpd on the config inside the namespace, with the `-o` overrides in place around it.
    fn spawn(&mut self, conf_path: &Path) -> miette::Result<()> {
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
            .arg(conf_path)
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
        Ok(())
    }

    /// The line vsftpd printed when it gave up: its `500 OOPS` line, else its first non-blank one.
    fn refusal_line(&self) -> Option<String> {
        let mut text = String::new();
        for name in ["oops.out", "stdout", "stderr"] {
            let mut s = String::new();
            if let Ok(mut f) = std::fs::File::open(self.dir.path().join(name)) {
                let _ = f.read_to_string(&mut s);
            }
            text.push_str(&s);
        }
        text.lines()
            .find(|l| l.contains(oops::PREFIX))
            .or_else(|| text.lines().find(|l| !l.trim().is_empty()))
            .map(|l| l.trim_end_matches('\r').to_string())
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
        self.add_address(address)?;
        self.spawn(&conf_path)?;
        let deadline = Instant::now() + Duration::from_secs(3);
        let mut exited = None;
        while Instant::now() < deadline {
            if let Some(port) = self.listening_port() {
                return Ok(Started::Listening {
                    url: probe_url(config, SocketAddr::new(address, port)),
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
        Ok(Started::Refused(match (self.refusal_line(), exited) {
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
            Startup::Refuses(o) => return Ok(Started::Refused(lossy(&o.full_text()))),
            Startup::Crashes(c) => return Ok(Started::Refused(format!("crash ({})", c.signal))),
            Startup::Starts { .. } => {}
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
                    let configured = probe_address(config);
                    return Ok(Started::Listening {
                        url: probe_url(config, control),
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
