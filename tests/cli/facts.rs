//! Issue 10: every reader of a vsftpd fact gives the model's one answer. For the listener, the passive
//! range, the data ports and the startup verdict, `lint` (its prediction and its listener rules),
//! `show --format json` (its `facts`), `set` (its address validation), the firewall plan and `serve`
//! (its refusal before binding) agree — over every rule fixture and example, and generated configs, in
//! every dialect of `Dialect::ALL`.
//!
//! `verify`'s expectations (`vsconf::verify::Expectations`, library code since issue 10) join them:
//! its startup verdict, the address and port its probe connects to, the passive range it expects
//! PASV to hand out and the active source port it expects are the model's and the firewall plan's.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use vsconf::dialect::{Dialect, Tunable};
use vsconf::edit::set::check_value;
use vsconf::firewall::plan::{PlanError, ServerPlan};
use vsconf::firewall::plan_server;
use vsconf::model::{
    ActiveSource, EffectiveConfig, Family, ListenMode, ListenerError, PassiveRange,
};
use vsconf::rules::{LintOptions, lint};
use vsconf::server::{ServeError, ServeOptions};
use vsconf::startup::{self, Verdict, oops};
use vsconf::syntax::parse;
use vsconf::verify::{Expectation, Expectations, Remap};

use super::{run, scratch};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `rules/*/*.conf` and `examples/*.conf`, sorted.
fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("rules"))
        .expect("rules/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.push(root().join("examples"));
    for dir in dirs {
        for entry in std::fs::read_dir(&dir).expect("fixture folder").flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "conf") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `show --format json`'s `facts` object for the file.
fn show_facts(path: &Path, dialect: Dialect) -> serde_json::Value {
    let shown = path.display().to_string();
    let o = run(&[
        "show",
        "--format",
        "json",
        "--dialect",
        dialect.id(),
        &shown,
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "show {shown}: {}",
        lossy(&o.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("show's JSON");
    doc["facts"].clone()
}

fn json<T: serde::Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).expect("serialisable")
}

/// Checks every reader against the model for one file in one dialect.
fn agree(path: &Path, text: &[u8], dialect: Dialect) {
    let what = format!("{} ({dialect})", path.display());
    let cst = parse(text).cst;
    let config = EffectiveConfig::read(&cst, dialect, None);
    let prediction = startup::predict(&config, cst.text());
    let listener = config.listener();
    let data = config.data_ports();
    // verify, as the embedded engine runs it with no host findings and no DNS.
    let expected = Expectations::new(&config, cst.text(), &[], Remap::default(), &|_| None);
    check_verify(&what, &expected, &prediction.verdict, &config);

    // lint: its prediction is the startup verdict, and its listener rules fire where the model fails.
    let linted = lint(
        &cst,
        None,
        &LintOptions {
            dialect,
            ..LintOptions::default()
        },
        None,
    );
    assert_eq!(linted.prediction, prediction, "{what}: lint's prediction");
    let codes: Vec<&str> = linted.diagnostics.iter().map(|d| d.code).collect();

    // show: the facts in its JSON are the model's.
    let facts = show_facts(path, dialect);
    assert_eq!(
        facts["passive_range"],
        json(config.passive_range()),
        "{what}: show's range"
    );
    assert_eq!(facts["data_ports"], json(data), "{what}: show's data ports");
    assert_eq!(facts["tls"], json(config.tls()), "{what}: show's TLS");
    match &listener {
        Ok(l) => {
            assert_eq!(
                facts["listener"]["mode"],
                json(l.mode),
                "{what}: show's mode"
            );
            assert_eq!(
                facts["listener"]["port"],
                json(l.port),
                "{what}: show's port"
            );
            assert_eq!(
                facts["listener"]["address"],
                json(l.address.ip().map(|a| a.to_string())),
                "{what}: show's address"
            );
        }
        Err(ListenerError::BothListeners) => {
            assert_eq!(facts["listener"]["error"], "both_listeners", "{what}");
        }
        Err(ListenerError::BadAddress { tunable, .. }) => {
            assert_eq!(facts["listener"]["error"], "bad_address", "{what}");
            assert_eq!(facts["listener"]["setting"], tunable.name(), "{what}");
        }
    }

    // set: an address value is accepted exactly when the model reads it.
    for (tunable, family) in [
        (Tunable::ListenAddress, Family::Ipv4),
        (Tunable::ListenAddress6, Family::Ipv6),
    ] {
        let Some(value) = config
            .string(tunable)
            .and_then(|v| std::str::from_utf8(v).ok())
        else {
            continue;
        };
        if value.trim() != value || value.contains(['\r', '\n', '\0']) {
            continue;
        }
        assert_eq!(
            check_value(tunable.spec(), value, dialect, Some(&config)).is_ok(),
            config.bind_address(family).is_ok(),
            "{what}: set's validation of {}={value}",
            tunable.name()
        );
    }

    // The rest reads a file vsftpd gets past the line-by-line reading of.
    if config.first_fatal_reading().is_some() {
        return;
    }
    let plan = plan_server("t.conf", &config);
    let serve_options = ServeOptions {
        root: Some(scratch_root()),
        ..ServeOptions::default()
    };
    // A pasv_address host name would be resolved: no DNS in tests.
    let resolves =
        config.bool(Tunable::PasvAddrResolve) && config.string(Tunable::PasvAddress).is_some();
    let serve = (!resolves).then(|| vsconf::server::check(&config, &serve_options));
    match &listener {
        Err(e) => {
            let refusal = startup::listener_oops(&config, e);
            // The same text and check; how it is delivered (fd, silently after the fork) is the
            // build's business.
            match &prediction.verdict {
                Verdict::Refuses(o) => assert_eq!(
                    (&o.message, o.check),
                    (&refusal.message, refusal.check),
                    "{what}: the verdict is the listener's refusal"
                ),
                other => panic!("{what}: {other:?} where the listener fails"),
            }
            let full = lossy(&refusal.full_text()).escape_debug().to_string();
            match (&plan, e) {
                (Err(PlanError::BothListeners { oops, .. }), ListenerError::BothListeners) => {
                    assert_eq!(*oops, full, "{what}: firewall's text");
                }
                (
                    Err(PlanError::BadListenAddress { oops, setting, .. }),
                    ListenerError::BadAddress { tunable, .. },
                ) => {
                    assert_eq!(*oops, full, "{what}: firewall's text");
                    assert_eq!(*setting, tunable.name(), "{what}");
                }
                (other, _) => panic!("{what}: the firewall plans {other:?} where vsftpd refuses"),
            }
            let code = match e {
                ListenerError::BothListeners => "VSC007",
                ListenerError::BadAddress { .. } => "VSC008",
            };
            assert!(
                codes.contains(&code),
                "{what}: lint lacks {code}: {codes:?}"
            );
            match serve {
                Some(Ok(())) => panic!("{what}: serve starts where vsftpd refuses"),
                Some(Err(ServeError::Oops { text })) => {
                    assert_eq!(text, lossy(&refusal.message), "{what}: serve's text");
                }
                // A setting the embedded server cannot reproduce is named first.
                Some(Err(_)) | None => {}
            }
        }
        Ok(l) => {
            match &prediction.verdict {
                Verdict::Starts { mode } => assert_eq!(*mode, l.mode, "{what}: verdict's mode"),
                Verdict::Refuses(o) => assert!(
                    l.mode == ListenMode::Inetd
                        && (o.message == oops::NOT_STANDALONE.as_bytes()
                            || o.message == oops::NO_TCP_WRAPPERS.as_bytes()),
                    "{what}: refused with a listener: {o:?}"
                ),
                Verdict::Crashes(c) => panic!("{what}: crash past the reading: {c:?}"),
            }
            if let Ok(plan) = &plan {
                check_plan(&what, plan, l.mode, l.port, &config);
                check_verify_against_plan(&what, &expected, plan);
            } else if let Err(e) = &plan {
                assert!(
                    matches!(e, PlanError::TlsUnpinnedRange { .. }),
                    "{what}: the firewall refuses a listener the model reads: {e:?}"
                );
            }
            if let Some(Err(ServeError::Oops { text })) = &serve {
                assert!(
                    text != oops::TWO_LISTENERS && !text.starts_with("bad listen_address"),
                    "{what}: serve refuses a listener the model reads: {text}"
                );
            }
        }
    }
}

fn check_plan(
    what: &str,
    plan: &ServerPlan,
    mode: ListenMode,
    port: u16,
    config: &EffectiveConfig,
) {
    let data = config.data_ports();
    assert_eq!(plan.mode, mode, "{what}: firewall's mode");
    assert_eq!(plan.control_port, port, "{what}: firewall's control port");
    assert_eq!(plan.tls, config.tls().mode, "{what}: firewall's TLS");
    assert_eq!(
        plan.passive.map(|p| (p.range.first, p.range.last)),
        data.passive.map(|r: PassiveRange| (r.first, r.last)),
        "{what}: firewall's passive range"
    );
    assert_eq!(
        plan.active.map(|a| a.source),
        data.active,
        "{what}: firewall's active source"
    );
    if let Some(ActiveSource::Port(p)) = data.active {
        assert_ne!(p, 0, "{what}: a fixed source port is never 0");
    }
}

/// verify's expectations are the model's verdict, listener, passive range and active source.
fn check_verify(what: &str, expected: &Expectations, verdict: &Verdict, config: &EffectiveConfig) {
    assert_eq!(
        expected.startup, *verdict,
        "{what}: verify's startup verdict"
    );
    let control = config.listener().ok().map(|l| {
        SocketAddr::new(
            l.address.ip().unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            l.port,
        )
    });
    assert_eq!(
        expected.control, control,
        "{what}: verify's control address"
    );
    let data = config.data_ports();
    match &expected.passive {
        Expectation::Within { range, offset } => {
            assert_eq!(Some(*range), data.passive, "{what}: verify's passive range");
            assert_eq!(*offset, 0, "{what}");
        }
        Expectation::Text(t) if t.starts_with("disabled") => {
            assert_eq!(data.passive, None, "{what}: verify expects PASV off");
        }
        _ => {}
    }
    match &expected.active_source {
        Expectation::SourcePort { source, .. } => {
            assert_eq!(Some(*source), data.active, "{what}: verify's active source");
        }
        Expectation::Text(t) if t.starts_with("disabled") => {
            assert_eq!(data.active, None, "{what}: verify expects PORT off");
        }
        _ => {}
    }
}

/// verify expects the ports the firewall opens.
fn check_verify_against_plan(what: &str, expected: &Expectations, plan: &ServerPlan) {
    assert_eq!(
        expected.control.map(|c| c.port()),
        Some(plan.control_port),
        "{what}: verify's and the firewall's control port"
    );
    if let Expectation::Within { range, .. } = &expected.passive {
        assert_eq!(
            plan.passive.map(|p| (p.range.first, p.range.last)),
            Some((range.first, range.last)),
            "{what}: verify's and the firewall's passive range"
        );
    }
    if let Expectation::SourcePort { source, .. } = &expected.active_source {
        assert_eq!(
            plan.active.map(|a| a.source),
            Some(*source),
            "{what}: verify's and the firewall's active source"
        );
    }
}

fn scratch_root() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-facts-root");
    std::fs::create_dir_all(&dir).expect("serve root");
    dir
}

#[test]
fn every_fixture_reads_one_listener_range_and_verdict_in_every_dialect() {
    let files = fixtures();
    assert!(files.len() > 100, "fixtures found: {}", files.len());
    for path in &files {
        let text = std::fs::read(path).expect("fixture");
        for dialect in Dialect::ALL {
            agree(path, &text, dialect);
        }
    }
}

/// One generated line: a listener, address, port, data or TLS setting with a value vsftpd reads in
/// some surprising way, or an unknown name.
fn line() -> impl Strategy<Value = String> {
    let bools = ["YES", "NO", "yes", "1", "0", "maybe"];
    let addr4 = [
        "127.0.0.1",
        "127.1",
        "0x7f.1",
        "0.0.0.0",
        "::1",
        "bogus",
        "1.2.3.4 junk",
    ];
    let addr6 = [
        "::1",
        "::1%lo",
        "00000::1",
        "::",
        "::1x",
        "127.0.0.1",
        "fe80::1%eth0",
        "::ffff:127.0.0.1",
        "zz",
        "1::",
        "::12345",
    ];
    let ports = [
        "21", "0", "2121", "65557", "70000", "-1", "021", "50000", "50100", "1000", "1024",
        "65535", "5000",
    ];
    let bool_names = [
        "listen",
        "listen_ipv6",
        "pasv_enable",
        "port_enable",
        "connect_from_port_20",
        "run_as_launching_user",
        "ssl_enable",
        "implicit_ssl",
        "allow_anon_ssl",
        "force_anon_logins_ssl",
        "force_anon_data_ssl",
        "force_local_logins_ssl",
        "force_local_data_ssl",
        "ssl_tlsv1",
        "ssl_tlsv12",
        "ssl_tlsv13",
    ];
    let port_names = [
        "listen_port",
        "pasv_min_port",
        "pasv_max_port",
        "ftp_data_port",
    ];
    prop_oneof![
        4 => (proptest::sample::select(bool_names.to_vec()), proptest::sample::select(bools.to_vec()))
            .prop_map(|(n, v)| format!("{n}={v}")),
        4 => (proptest::sample::select(port_names.to_vec()), proptest::sample::select(ports.to_vec()))
            .prop_map(|(n, v)| format!("{n}={v}")),
        2 => proptest::sample::select(addr4.to_vec()).prop_map(|v| format!("listen_address={v}")),
        2 => proptest::sample::select(addr6.to_vec()).prop_map(|v| format!("listen_address6={v}")),
        1 => Just("pasv_address=bogus".to_owned()),
        1 => Just("no_such_setting=YES".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn generated_configs_read_one_listener_range_and_verdict_in_every_dialect(
        lines in proptest::collection::vec(line(), 0..12),
    ) {
        let mut text = lines.join("\n");
        text.push('\n');
        let path = scratch("facts-generated").join("generated.conf");
        std::fs::write(&path, &text).expect("scratch config");
        for dialect in Dialect::ALL {
            agree(&path, text.as_bytes(), dialect);
        }
    }
}
