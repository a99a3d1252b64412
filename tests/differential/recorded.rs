//! The recorded oracle (`../shared/reference/oracle/`): 600 configs and what four real vsftpd builds did
//! with each (one TSV per build). vsconf's file-only prediction must agree with every comparable row of
//! every build — the only evidence there is for RHEL 8's build (Fedora 3.0.3-50), and a second,
//! independent check for the three builds the live test runs.
//!
//! Comparable rows (the oracle README's rules): a start; a crash; a refusal whose message comes from the
//! file alone (unrecognised variable, bad bool value, missing value, run two copies, not configured for
//! standalone, bad listen_address, bad listen_address6); and Fedora's silent refusal after the fork
//! (exit 1, no message). Rows whose text depends on the host (binding, users, certificates) and upstream
//! or Debian rows with `background=YES` (the parent exited before the child's checks) are skipped, and
//! counted.

use std::path::{Path, PathBuf};

use vsconf::dialect::Dialect;
use vsconf::model::EffectiveConfig;
use vsconf::startup::{Delivery, Verdict, predict};
use vsconf::syntax::{escape_bytes, parse};

/// Where the recorded oracle lives: `$VSCONF_ORACLE_DIR`, else `../shared/reference/oracle` beside the
/// checkout (where CI puts `shared/`).
fn oracle_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("VSCONF_ORACLE_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/oracle"),
        PathBuf::from,
    );
    dir.join("cases").is_dir().then_some(dir)
}

/// One build's recorded table and the dialect that models it.
const BUILDS: [(&str, Dialect); 4] = [
    ("upstream-3.0.5.tsv", Dialect::Upstream305),
    ("debian-3.0.3.tsv", Dialect::Debian303),
    ("debian-3.0.5.tsv", Dialect::Debian305),
    ("fedora-3.0.3.tsv", Dialect::Rhel303),
];

/// What the recorded build did, in the terms vsconf predicts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Recorded {
    Starts,
    /// The printed line without CR LF (tabs were turned into spaces by the recorder).
    Refuses(String),
    /// Exit status 1 from the waiting parent, no text.
    RefusesSilently,
    Crashes,
}

/// The parse-time and listener messages that depend on the file alone.
const FILE_MESSAGES: [&str; 7] = [
    "500 OOPS: unrecognised variable in config file: ",
    "500 OOPS: bad bool value in config file for: ",
    "500 OOPS: missing value in config file for: ",
    "500 OOPS: run two copies of vsftpd for IPv4 and IPv6",
    "500 OOPS: vsftpd: not configured for standalone, must be started from inetd",
    "500 OOPS: bad listen_address: ",
    "500 OOPS: bad listen_address6: ",
];

fn recorded(verdict: &str, message: &str, note: &str) -> Option<Recorded> {
    match (verdict, note) {
        ("accepted", _) => Some(Recorded::Starts),
        ("crashed", _) => Some(Recorded::Crashes),
        ("refused", "bg-exited") if message.is_empty() => Some(Recorded::RefusesSilently),
        ("refused", _) if FILE_MESSAGES.iter().any(|m| message.starts_with(m)) => {
            Some(Recorded::Refuses(message.to_owned()))
        }
        _ => None,
    }
}

/// vsconf's prediction, written the way the recorder wrote the binary's.
fn predicted(bytes: &[u8], dialect: Dialect) -> Recorded {
    let cst = parse(bytes).cst;
    let config = EffectiveConfig::read(&cst, dialect, Some(bytes.len() as u64));
    match predict(&config, cst.text()).verdict {
        Verdict::Starts { .. } => Recorded::Starts,
        Verdict::Crashes(_) => Recorded::Crashes,
        Verdict::Refuses(oops) if oops.delivery == Delivery::SilentAfterFork => {
            Recorded::RefusesSilently
        }
        Verdict::Refuses(oops) => {
            let text = String::from_utf8_lossy(&oops.full_text()).replace(['\r'], "");
            Recorded::Refuses(text.replace('\t', " "))
        }
    }
}

#[test]
fn every_recorded_build_agrees_with_vsconf_on_every_comparable_config() {
    let Some(dir) = oracle_dir() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the recorded oracle is missing: expected ../shared/reference/oracle beside the checkout or VSCONF_ORACLE_DIR"
        );
        eprintln!("SKIPPED: no recorded oracle (../shared/reference/oracle)");
        return;
    };
    let mut report = String::new();
    let mut compared_total = 0;
    for (table, dialect) in BUILDS {
        let text = std::fs::read_to_string(dir.join(table)).expect("recorded table");
        let (mut compared, mut skipped, mut differ) = (0, 0, 0);
        for row in text.lines().skip(1) {
            let cols: Vec<&str> = row.split('\t').collect();
            let [file, _rc, verdict, message, note] = cols.as_slice() else {
                panic!("{table}: bad row {row:?}");
            };
            let Some(want) = recorded(verdict, message, note) else {
                skipped += 1;
                continue;
            };
            let bytes = std::fs::read(dir.join("cases").join(file)).expect("case");
            let got = predicted(&bytes, dialect);
            compared += 1;
            if got != want {
                differ += 1;
                report.push_str(&format!(
                    "{dialect} {file}: recorded {want:?}, vsconf {got:?}\n    {}\n",
                    escape_bytes(bytes.get(..bytes.len().min(300)).unwrap_or_default())
                ));
            }
        }
        eprintln!(
            "recorded {table} as {dialect}: {compared} compared, {skipped} skipped (host or background), {differ} differ"
        );
        compared_total += compared;
        assert!(compared >= 450, "{table}: only {compared} comparable rows");
    }
    assert!(
        report.is_empty(),
        "vsconf disagrees with recorded builds:\n{report}"
    );
    assert!(compared_total >= 1800);
}

#[test]
fn recorded_rows_are_classified_as_the_readme_says() {
    assert_eq!(
        recorded("accepted", "", "listening"),
        Some(Recorded::Starts)
    );
    assert_eq!(
        recorded("refused", "", "bg-exited"),
        Some(Recorded::RefusesSilently)
    );
    assert_eq!(
        recorded(
            "refused",
            "(background=YES: the parent exited 0; whether the child started is not observed)",
            "exited"
        ),
        None
    );
    assert_eq!(
        recorded(
            "refused",
            "500 OOPS: could not bind listening IPv4 socket",
            "exited"
        ),
        None
    );
    assert_eq!(
        predicted(b"listen=YES\nlisten_address=1.2.3.4.5\n", Dialect::Rhel303),
        Recorded::RefusesSilently
    );
    assert_eq!(
        predicted(
            b"background=NO\nlisten=YES\nlisten_address=1.2.3.4.5\n",
            Dialect::Rhel303
        ),
        Recorded::Refuses("500 OOPS: bad listen_address: 1.2.3.4.5".to_owned())
    );
}
