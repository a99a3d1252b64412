//! Differential test (issue 3): the real vsftpd 3.0.3 of Debian 12 against vsconf's
//! `startup::predict_with_host` under the `debian-3.0.3` dialect, on every config of a generated
//! corpus (see `corpus.rs`). vsconf must agree with the binary on every one: started ⇔
//! `Verdict::Starts` (and on the very address and port it listens on), refused ⇔ `Verdict::Refuses`
//! with the byte-identical `500 OOPS` text, crashed ⇔ `Verdict::Crashes`.
//!
//! Needs root, /usr/sbin/vsftpd, unshare, nsenter and ip (`require`: under CI=true a missing tool
//! fails). Results go to `target/tmp/differential/` (`summary.tsv`, `mismatches/`).
//! `VSCONF_DIFFERENTIAL_EXTRA=<dir>` adds every file of a directory to the corpus;
//! `VSCONF_DIFFERENTIAL_SEED` and `VSCONF_DIFFERENTIAL_RANDOM` change its random part.
//! docs/differential.md explains the whole harness.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an integration test fails by panicking and may print; Cargo.toml's [lints] cover every target"
)]

#[path = "../system/support.rs"]
mod support;

mod corpus;
mod oracle;
mod prng;
mod recorded;

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use vsconf::dialect::{Backgrounding, Dialect, Tunable};
use vsconf::model::{BindAddress, EffectiveConfig, ListenMode, Override};
use vsconf::startup::host::Host;
use vsconf::startup::{Verdict, predict_with_host};
use vsconf::syntax::{escape_bytes, parse};

use corpus::Case;
use oracle::{Listener, Observation};

/// How many vsftpd runs at once: each one mostly waits (namespace set-up, a few milliseconds of work).
const PARALLEL: usize = 16;

/// What vsconf says vsftpd will do, translated into what the test namespace lets us observe.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expectation {
    /// Listening on this address; `port: None` when `listen_port` is 0 (the kernel picks one).
    Starts { addr: IpAddr, port: Option<u16> },
    /// This exact line (without CR LF).
    Refuses(Vec<u8>),
    /// vsftpd binds an address partly read from uninitialised memory (a short `listen_address6`):
    /// it either listens somewhere or fails to bind with this line.
    StartsOrRefuses(Vec<u8>),
    /// SIGSEGV.
    Crashes,
}

/// The machine the sandboxed vsftpd sees, for `startup::host`: the real files and users, and a
/// resolver that, like one inside the sandbox (no route to any name server), knows only address
/// literals and /etc/hosts.
struct Machine<'a> {
    config: &'a Path,
}

impl Host for Machine<'_> {
    fn config_file(&self) -> Option<(u32, bool)> {
        std::fs::metadata(self.config)
            .ok()
            .map(|m| (m.uid(), m.is_file()))
    }
    fn vsftpd_uid(&self) -> u32 {
        // vsftpd runs as this process's user (root, in the real run): /proc/self belongs to it.
        std::fs::metadata("/proc/self").map_or(0, |m| m.uid())
    }
    fn read(&self, path: &[u8]) -> Option<Vec<u8>> {
        std::fs::read(OsStr::from_bytes(path)).ok()
    }
    fn is_dir(&self, path: &[u8]) -> bool {
        Path::new(OsStr::from_bytes(path)).is_dir()
    }
    fn user_exists(&self, name: &[u8]) -> bool {
        let passwd = std::fs::read("/etc/passwd").unwrap_or_default();
        passwd
            .split(|b| *b == b'\n')
            .any(|line| line.split(|b| *b == b':').next() == Some(name))
    }
    fn resolves(&self, name: &[u8]) -> bool {
        // IPv4 only: vsftpd resolves `pasv_address` with gethostbyname (debian-3.0.3 binary:
        // `pasv_address=::1` gives `cannot resolve host:::1`).
        let Ok(name) = std::str::from_utf8(name) else {
            return false;
        };
        let hosts = std::fs::read_to_string("/etc/hosts").unwrap_or_default();
        name.parse::<Ipv4Addr>().is_ok()
            || hosts
                .lines()
                .map(|l| l.split('#').next().unwrap_or_default())
                .any(|l| {
                    let mut fields = l.split_whitespace();
                    fields.next().is_some_and(|a| a.parse::<Ipv4Addr>().is_ok())
                        && fields.any(|alias| alias.eq_ignore_ascii_case(name))
                })
    }
}

/// vsconf's prediction for a config file under a build, with the host checks of `startup::host`;
/// `None` when the run cannot show it: `background=YES` on a build whose parent exits before the
/// child's checks (upstream, Debian), as the recorded oracle also leaves such rows out.
fn expect(config_path: &Path, case: &Case, dialect: Dialect) -> Option<Expectation> {
    let bytes = &case.bytes;
    let cst = parse(bytes).cst;
    let overrides: Vec<Override> = case
        .args
        .iter()
        .map(|a| Override {
            text: a.strip_prefix(b"-o").unwrap_or(a).to_vec(),
            before_file: case.args_before_file,
        })
        .collect();
    let config =
        EffectiveConfig::read_with_overrides(&cst, dialect, Some(bytes.len() as u64), &overrides);
    if config.first_fatal().is_none()
        && config.bool(Tunable::Background)
        && dialect.backgrounding() == Backgrounding::ParentExitsAtOnce
    {
        return None;
    }
    Some(expect_read(&config, &cst, config_path))
}

fn expect_read(
    config: &EffectiveConfig,
    cst: &vsconf::syntax::Cst,
    config_path: &Path,
) -> Expectation {
    let prediction = predict_with_host(
        config,
        cst.text(),
        &Machine {
            config: config_path,
        },
    );
    match prediction.verdict {
        Verdict::Starts { mode } => listener(config, mode),
        Verdict::Refuses(_) => {
            Expectation::Refuses(prediction.verdict.oops_text().unwrap_or_default())
        }
        Verdict::Crashes(_) => Expectation::Crashes,
    }
}

/// Where a starting vsftpd listens. The bind itself is a host matter (startup-checks.md A10): in the
/// test's namespace only 0.0.0.0, 255.255.255.255, 127.0.0.0/8, :: and ::1 (also v4-mapped) are
/// local, so any other valid address must fail to bind with vsftpd's message. This is the one host
/// fact the expectation adds to vsconf's prediction.
fn listener(config: &EffectiveConfig, mode: ListenMode) -> Expectation {
    let listener = config.listener().expect("predict said it starts");
    let port = (listener.port != 0).then_some(listener.port);
    let bind_failure =
        |family: &str| format!("500 OOPS: could not bind listening {family} socket").into_bytes();
    let local4 = |a: Ipv4Addr| a.is_unspecified() || a.is_loopback() || a.is_broadcast();
    let addr = match (mode, listener.address) {
        (ListenMode::StandaloneIpv4, BindAddress::Any) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        (ListenMode::StandaloneIpv6, BindAddress::Any) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        (ListenMode::Inetd, _) => unreachable!("predict said it starts standalone"),
        (_, BindAddress::V4(a)) if local4(a) => IpAddr::V4(a),
        (_, BindAddress::V4(_)) => return Expectation::Refuses(bind_failure("IPv4")),
        (
            _,
            BindAddress::V6 {
                complete: false, ..
            },
        ) => return Expectation::StartsOrRefuses(bind_failure("IPv6")),
        (_, BindAddress::V6 { addr, .. })
            if addr.is_unspecified()
                || addr.is_loopback()
                || addr.to_ipv4_mapped().is_some_and(local4) =>
        {
            IpAddr::V6(addr)
        }
        (_, BindAddress::V6 { .. }) => return Expectation::Refuses(bind_failure("IPv6")),
    };
    Expectation::Starts { addr, port }
}

fn agrees(expectation: &Expectation, observation: &Observation) -> bool {
    match (expectation, observation) {
        (Expectation::Starts { addr, port }, Observation::Started(listeners)) => {
            matches!(listeners.as_slice(), [Listener { addr: a, port: p }] if a == addr && port.is_none_or(|want| want == *p))
        }
        (Expectation::StartsOrRefuses(_), Observation::Started(listeners)) => listeners.len() == 1,
        (
            Expectation::Refuses(want) | Expectation::StartsOrRefuses(want),
            Observation::Refused(got),
        ) => want == got,
        (Expectation::Crashes, Observation::Crashed(signal)) => *signal == 11,
        _ => false,
    }
}

fn describe_expectation(e: &Expectation) -> String {
    match e {
        Expectation::Starts {
            addr,
            port: Some(port),
        } => format!("starts, listening on {addr} port {port}"),
        Expectation::Starts { addr, port: None } => {
            format!("starts, listening on {addr} (any port)")
        }
        Expectation::Refuses(text) => format!("refuses: {}", escape_bytes(text)),
        Expectation::StartsOrRefuses(text) => {
            format!("starts somewhere or refuses: {}", escape_bytes(text))
        }
        Expectation::Crashes => "crashes (SIGSEGV)".to_owned(),
    }
}

fn describe_observation(o: &Observation) -> String {
    match o {
        Observation::Started(listeners) => {
            let list: Vec<String> = listeners
                .iter()
                .map(|l| format!("{} port {}", l.addr, l.port))
                .collect();
            format!("starts, listening on {}", list.join(", "))
        }
        Observation::Refused(text) => format!("refuses: {}", escape_bytes(text)),
        Observation::Crashed(signal) => format!("crashes (signal {signal})"),
        Observation::Other(what) => format!("other: {what}"),
    }
}

/// Every file of `$VSCONF_DIFFERENTIAL_EXTRA`, sorted by name.
fn extra_cases() -> Vec<Case> {
    let Some(dir) = std::env::var_os("VSCONF_DIFFERENTIAL_EXTRA") else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("VSCONF_DIFFERENTIAL_EXTRA is a directory")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| Case {
            name: format!(
                "extra-{}",
                p.file_name().unwrap_or_default().to_string_lossy()
            ),
            bytes: std::fs::read(&p).expect("read extra config"),
            owner_uid: 0,
            args: Vec::new(),
            args_before_file: false,
        })
        .collect()
}

struct Outcome {
    /// `None`: not comparable (see [`expect`]).
    expectation: Option<Expectation>,
    observation: Observation,
}

fn run_all(cases: &[Case], dir: &Path, dialect: Dialect, binary: &str) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new((0..cases.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL {
            scope.spawn(|| {
                let sandbox = oracle::Sandbox::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { break };
                    let config = dir.join(format!("{}.conf", case.name));
                    std::fs::write(&config, &case.bytes).expect("write config");
                    std::os::unix::fs::chown(&config, Some(case.owner_uid), None)
                        .expect("chown config");
                    let args: Vec<&[u8]> = case.args.iter().map(Vec::as_slice).collect();
                    let observation = sandbox.observe(
                        binary,
                        &config,
                        case.args_before_file,
                        &args,
                        &dir.join(format!("{}.out", case.name)),
                    );
                    let expectation = expect(&config, case, dialect);
                    results.lock().expect("results")[i] = Some(Outcome {
                        expectation,
                        observation,
                    });
                }
            });
        }
    });
    results
        .into_inner()
        .expect("results")
        .into_iter()
        .map(|o| o.expect("every case ran"))
        .collect()
}

#[test]
fn every_live_build_and_vsconf_agree_on_every_generated_config() {
    if !support::require("unshare", "util-linux", true)
        || !support::require("nsenter", "util-linux", true)
        || !support::require("ip", "iproute2", true)
    {
        return;
    }
    // vsftpd checks `secure_chroot_dir` only per session, but keep the stock layout.
    std::fs::create_dir_all("/var/run/vsftpd/empty").expect("secure_chroot_dir");
    // Exploration: `VSCONF_DIFFERENTIAL_SEED=<n>` and `VSCONF_DIFFERENTIAL_RANDOM=<count>` change the
    // randomly mutated part of the corpus; CI runs the fixed one.
    let env_number = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let seed = env_number("VSCONF_DIFFERENTIAL_SEED").unwrap_or(corpus::SEED);
    let random = env_number("VSCONF_DIFFERENTIAL_RANDOM").map_or(corpus::RANDOM, |n| n as usize);
    let mut cases = corpus::generate(seed, random);
    cases.extend(extra_cases());
    // Exploration: `VSCONF_DIFFERENTIAL_ONLY=<family>` runs one family (the size checks are skipped).
    let only = std::env::var("VSCONF_DIFFERENTIAL_ONLY").ok();
    if let Some(family) = &only {
        cases.retain(|c| c.name.starts_with(&format!("{family}-")));
    }
    let mut report = String::new();
    let mut total_mismatches = 0;
    for (dialect, binary) in oracle::BUILDS {
        if !support::require(binary, "vsftpd (.ci/setup.d/20-vsftpd-builds.sh)", true) {
            continue;
        }
        let root = support::scratch(&format!("differential/{dialect}"));
        let run_dir = root.join("run");
        std::fs::create_dir_all(&run_dir).expect("run dir");
        let outcomes = run_all(&cases, &run_dir, dialect, binary);
        let mismatches = compare(&cases, &outcomes, &root, (dialect, binary), &mut report);
        if only.is_none() {
            assert_coverage(&outcomes, dialect, cases.len());
        }
        total_mismatches += mismatches;
    }
    assert!(
        total_mismatches == 0,
        "vsconf disagrees with the live builds on {total_mismatches} runs:\n{report}"
    );
}

/// Writes the summary and mismatches of one build's run under `root`, appends a report of each
/// mismatch, and returns how many there were. Also requires the corpus to exercise every outcome.
fn compare(
    cases: &[Case],
    outcomes: &[Outcome],
    root: &Path,
    (dialect, binary): (Dialect, &str),
    report: &mut String,
) -> usize {
    let mut summary = String::new();
    let mut mismatches = Vec::new();
    let (mut started, mut refused, mut crashed, mut skipped) = (0, 0, 0, 0);
    for (case, outcome) in cases.iter().zip(outcomes) {
        match outcome.observation {
            Observation::Started(_) => started += 1,
            Observation::Refused(_) => refused += 1,
            Observation::Crashed(_) => crashed += 1,
            Observation::Other(_) => {}
        }
        let ok = match &outcome.expectation {
            Some(expectation) => agrees(expectation, &outcome.observation),
            None => {
                skipped += 1;
                true
            }
        };
        let _ = writeln!(
            summary,
            "{}\t{}\t{}",
            case.name,
            if ok { "agree" } else { "DIFFER" },
            describe_observation(&outcome.observation)
        );
        if !ok {
            mismatches.push((case, outcome));
        }
    }
    std::fs::write(root.join("summary.tsv"), &summary).expect("summary");
    let mismatch_dir = root.join("mismatches");
    std::fs::create_dir_all(&mismatch_dir).expect("mismatch dir");
    for (case, outcome) in &mismatches {
        let explanation = format!(
            "{dialect} {} {}\n  vsftpd: {}\n  vsconf: {}\n",
            case.name,
            case.args
                .iter()
                .map(|a| escape_bytes(a))
                .collect::<Vec<_>>()
                .join(" "),
            describe_observation(&outcome.observation),
            outcome
                .expectation
                .as_ref()
                .map_or_else(|| "-".to_owned(), describe_expectation)
        );
        std::fs::write(
            mismatch_dir.join(format!("{}.conf", case.name)),
            &case.bytes,
        )
        .expect("write mismatch");
        std::fs::write(
            mismatch_dir.join(format!("{}.txt", case.name)),
            &explanation,
        )
        .expect("write mismatch");
        report.push_str(&explanation);
    }
    eprintln!(
        "differential {dialect} ({binary}): {} configs, started {started}, refused {refused}, crashed {crashed}, not comparable {skipped}; vsconf agrees on {}",
        cases.len(),
        cases.len() - mismatches.len() - skipped
    );
    mismatches.len()
}

/// The corpus must be large and exercise every outcome, or it proves little (upstream never crashes).
fn assert_coverage(outcomes: &[Outcome], dialect: Dialect, cases: usize) {
    let count = |f: fn(&Observation) -> bool| outcomes.iter().filter(|o| f(&o.observation)).count();
    let started = count(|o| matches!(o, Observation::Started(_)));
    let refused = count(|o| matches!(o, Observation::Refused(_)));
    let crashed = count(|o| matches!(o, Observation::Crashed(_)));
    let crashes_expected = dialect.string_trim() == vsconf::dialect::StringTrim::TrimCrashOnBlank;
    assert!(
        cases >= 2000 && started >= 100 && refused >= 200 && (!crashes_expected || crashed >= 5),
        "{dialect}: {cases} configs, started {started}, refused {refused}, crashed {crashed}"
    );
}

#[test]
fn expectations_follow_vsconf_and_the_sandbox() {
    let dir = support::scratch("differential-expect");
    let path = dir.join("t.conf");
    let expect_text = |text: &[u8]| {
        std::fs::write(&path, text).expect("write");
        let case = Case {
            name: "t".to_owned(),
            bytes: text.to_vec(),
            owner_uid: 0,
            args: Vec::new(),
            args_before_file: false,
        };
        expect(&path, &case, Dialect::Debian303).expect("comparable")
    };
    let v4 = |a: [u8; 4]| IpAddr::V4(Ipv4Addr::from(a));
    assert_eq!(
        expect_text(b"listen=YES\nlisten_port=2121\n"),
        Expectation::Starts {
            addr: v4([0, 0, 0, 0]),
            port: Some(2121)
        }
    );
    assert_eq!(
        expect_text(b"listen=YES\nlisten_port=0x10\n"),
        Expectation::Starts {
            addr: v4([0, 0, 0, 0]),
            port: None
        }
    );
    assert_eq!(
        expect_text(b"listen=YES\nlisten_address=127.1\n"),
        Expectation::Starts {
            addr: v4([127, 0, 0, 1]),
            port: Some(21)
        }
    );
    assert_eq!(
        expect_text(b"listen=YES\nlisten_address=192.0.2.1\n"),
        Expectation::Refuses(b"500 OOPS: could not bind listening IPv4 socket".to_vec())
    );
    assert_eq!(
        expect_text(b"listen_ipv6=YES\nlisten_address6=::\n"),
        Expectation::StartsOrRefuses(b"500 OOPS: could not bind listening IPv6 socket".to_vec())
    );
    assert_eq!(
        expect_text(b"listen=YES\nftpd_banner= \n"),
        Expectation::Crashes
    );
    assert_eq!(
        expect_text(b"LISTEN=YES\n"),
        Expectation::Refuses(b"500 OOPS: unrecognised variable in config file: LISTEN".to_vec())
    );
}

#[test]
fn any_difference_is_a_mismatch() {
    let any = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    let started = |port| Observation::Started(vec![Listener { addr: any, port }]);
    let starts = Expectation::Starts {
        addr: any,
        port: Some(21),
    };
    assert!(agrees(&starts, &started(21)));
    assert!(!agrees(&starts, &started(2121)));
    assert!(!agrees(&starts, &Observation::Started(vec![])));
    assert!(agrees(
        &Expectation::Starts {
            addr: any,
            port: None
        },
        &started(40000)
    ));
    let refuses = Expectation::Refuses(b"500 OOPS: x".to_vec());
    assert!(agrees(
        &refuses,
        &Observation::Refused(b"500 OOPS: x".to_vec())
    ));
    assert!(!agrees(
        &refuses,
        &Observation::Refused(b"500 OOPS: x ".to_vec())
    ));
    assert!(!agrees(&refuses, &started(21)));
    assert!(!agrees(&Expectation::Crashes, &Observation::Crashed(6)));
    assert!(!agrees(
        &Expectation::Crashes,
        &Observation::Other("exit 1".to_owned())
    ));
    let either = Expectation::StartsOrRefuses(b"500 OOPS: y".to_vec());
    assert!(
        agrees(&either, &started(21))
            && agrees(&either, &Observation::Refused(b"500 OOPS: y".to_vec()))
    );
    assert!(!agrees(
        &either,
        &Observation::Refused(b"500 OOPS: x".to_vec())
    ));
}
