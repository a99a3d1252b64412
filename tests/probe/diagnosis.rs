//! `diagnose` on synthetic observations: one scenario per operator story.

use std::net::SocketAddr;

use vsconf::probe::diagnosis::{Status, exit_status};
use vsconf::probe::observation::{
    DataCheck, DataMode, Failure, FailureKind, Fallback, Login, Observations, PassiveReply, Reply,
    Session, SessionKind, Target, TlsInfo, TlsMode,
};
use vsconf::probe::{Report, diagnose, report};

const SERVER: &str = "203.0.113.7:21";

fn reply(line: &str) -> Reply {
    Reply {
        code: line.get(..3).unwrap().parse().unwrap(),
        lines: vec![line.to_string()],
    }
}

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

fn timeout() -> Failure {
    Failure {
        kind: FailureKind::Timeout,
        message: "no answer within 5s: connecting timed out".into(),
    }
}

fn obs(sessions: Vec<Session>) -> Observations {
    Observations {
        target: Target {
            host: "203.0.113.7".into(),
            port: 21,
            implicit_tls: false,
        },
        user: "anonymous".into(),
        tls_mode: TlsMode::Try,
        active: false,
        timeout_ms: 5000,
        sessions,
        steps: Vec::new(),
    }
}

/// A greeted, logged-in session; `features` lists AUTH TLS when `tls_offered`.
fn session(kind: SessionKind, tls_offered: bool) -> Session {
    let mut s = Session::new(kind);
    s.peer = Some(addr(SERVER));
    s.local = Some(addr("198.51.100.2:40000"));
    s.banner = Some(reply("220 (vsFTPd 3.0.3)"));
    let mut features = vec!["EPRT".to_string(), "EPSV".into(), "PASV".into()];
    if tls_offered {
        features.insert(0, "AUTH TLS".into());
    }
    s.features = Some(features);
    if kind.is_tls() {
        s.tls = Some(TlsInfo {
            auth_reply: Some(reply("234 Proceed with negotiation.")),
            failure: None,
            protocol: Some("TLSv1_3".into()),
            certificate_problem: None,
        });
    }
    s.login = Some(Login {
        user: "anonymous".into(),
        reply: Some(reply("230 Login successful.")),
        ok: true,
    });
    s
}

/// Passive replies on ports `ports` announcing `ip`, the last one used for a data check.
fn passive(s: &mut Session, mode: DataMode, ip: &str, ports: &[u16], connect: Option<Failure>) {
    let mut last = None;
    for &p in ports {
        let (line, address) = match mode {
            DataMode::Pasv => {
                let o: Vec<&str> = ip.split('.').collect();
                (
                    format!(
                        "227 Entering Passive Mode ({},{},{},{},{},{}).",
                        o[0],
                        o[1],
                        o[2],
                        o[3],
                        p >> 8,
                        p & 0xff
                    ),
                    addr(&format!("{ip}:{p}")),
                )
            }
            _ => (
                format!("229 Entering Extended Passive Mode (|||{p}|)"),
                SocketAddr::new(s.peer.unwrap().ip(), p),
            ),
        };
        s.passive_replies.push(PassiveReply {
            command: mode.command().into(),
            reply: reply(&line),
            address: Some(address),
        });
        last = Some((line, address));
    }
    let (line, address) = last.unwrap();
    let mut c = DataCheck::new(mode);
    c.tls = s.kind.is_tls();
    c.mode_reply = Some(reply(&line));
    c.address = Some(address);
    match connect {
        Some(f) => c.connect_failure = Some(f),
        None => listed(&mut c),
    }
    s.data.push(c);
}

fn listed(c: &mut DataCheck) {
    c.transfer_reply = Some(reply("150 Here comes the directory listing."));
    c.done_reply = Some(reply("226 Directory send OK."));
    c.listing_bytes = 130;
    c.listing_lines = 2;
}

fn active(s: &mut Session, from: Option<&str>) {
    let mut c = DataCheck::new(DataMode::Port);
    c.mode_reply = Some(reply("200 PORT command successful. Consider using PASV."));
    c.address = Some(addr("198.51.100.2:40001"));
    match from {
        Some(src) => {
            c.source = Some(addr(src));
            listed(&mut c);
        }
        None => {
            c.connect_failure = Some(timeout());
            s.aborted = Some(Failure {
                kind: FailureKind::Timeout,
                message: "session abandoned after a failed active data connection".into(),
            });
        }
    }
    s.data.push(c);
}

const PINNED: &[u16] = &[40003, 40001, 40009, 40000, 40004];

fn render(o: Observations) -> String {
    let findings = diagnose(&o);
    report::render_human(&Report::new(o, findings), false)
}

#[test]
fn everything_works_with_a_pinned_range() {
    let mut s = session(SessionKind::Plain, false);
    passive(&mut s, DataMode::Pasv, "203.0.113.7", PINNED, None);
    passive(
        &mut s,
        DataMode::Epsv,
        "203.0.113.7",
        &[40002, 40005, 40007, 40006, 40008],
        None,
    );
    let o = obs(vec![s]);
    let f = diagnose(&o);
    assert_eq!(exit_status(&f), 0);
    assert!(f.iter().any(|f| f.message
        == "passive ports seen 40000–40009 (10 replies, 10 distinct), matching a pinned range"));
    insta::assert_snapshot!(render(o));
}

/// Issue 14: `--quiet` prints the diagnosis and the result only, and colour wraps the status words
/// without moving the columns.
#[test]
fn quiet_prints_the_diagnosis_only_and_colour_keeps_the_columns() {
    let mut s = session(SessionKind::Plain, false);
    let blocked = Some(timeout());
    passive(&mut s, DataMode::Epsv, "198.51.100.9", &[50200], blocked);
    let o = obs(vec![s]);
    let findings = diagnose(&o);
    let rep = Report::new(o, findings);
    let render = |colour| {
        report::render_human_with(
            &rep,
            report::HumanOptions {
                timings: false,
                diagnosis_only: true,
                colour,
            },
        )
    };
    let quiet = render(false);
    assert!(!quiet.contains("steps:"), "{quiet}");
    assert!(!quiet.contains("probe ftp://"), "{quiet}");
    assert!(quiet.contains("  FAIL  "), "{quiet}");
    assert!(
        quiet.ends_with("result: some checks failed (exit status 1)\n"),
        "{quiet}"
    );
    let coloured = render(true);
    assert!(coloured.contains("\x1b[1;31mFAIL\x1b[0m  "), "{coloured}");
    assert!(coloured.contains("\x1b[32mok\x1b[0m    "), "{coloured}");
    let stripped = coloured
        .replace("\x1b[1;31m", "")
        .replace("\x1b[32m", "")
        .replace("\x1b[36m", "")
        .replace("\x1b[0m", "");
    assert_eq!(stripped, quiet);
    insta::assert_snapshot!(quiet);
}

#[test]
fn firewall_open_only_on_21_blocks_passive() {
    let mut s = session(SessionKind::Plain, false);
    passive(
        &mut s,
        DataMode::Pasv,
        "203.0.113.7",
        &[50123],
        Some(timeout()),
    );
    passive(
        &mut s,
        DataMode::Epsv,
        "203.0.113.7",
        &[50124],
        Some(timeout()),
    );
    let mut o = obs(vec![s]);
    let step = |action: &str, sent: Option<&str>, result: &str, code: Option<u16>, ok: bool| {
        vsconf::probe::observation::Step {
            session: SessionKind::Plain,
            action: action.into(),
            sent: sent.map(Into::into),
            result: result.into(),
            code,
            ok,
            elapsed_ms: 1.0,
        }
    };
    o.steps = vec![
        step("connect", None, "connected to 203.0.113.7:21", None, true),
        step("banner", None, "220 (vsFTPd 3.0.3)", Some(220), true),
        step(
            "PASS",
            Some("PASS ****"),
            "230 Login successful.",
            Some(230),
            true,
        ),
        step(
            "PASV",
            Some("PASV"),
            "227 Entering Passive Mode (203,0,113,7,195,203).",
            Some(227),
            true,
        ),
        step(
            "PASV data",
            None,
            "no answer within 5s: connecting to 203.0.113.7:50123 timed out",
            None,
            false,
        ),
    ];
    let f = diagnose(&o);
    assert_eq!(exit_status(&f), 1);
    let blocked: Vec<_> = f.iter().filter(|f| f.code == "passive-blocked").collect();
    assert_eq!(blocked.len(), 2);
    assert_eq!(
        blocked[0].message,
        "control connection works, the data connection to 203.0.113.7:50123 timed out — the firewall in front of the server does not open the passive range"
    );
    insta::assert_snapshot!(render(o));
}

#[test]
fn active_works_when_passive_is_blocked() {
    let mut s = session(SessionKind::Plain, false);
    passive(
        &mut s,
        DataMode::Pasv,
        "203.0.113.7",
        &[50123],
        Some(timeout()),
    );
    active(&mut s, Some("203.0.113.7:20"));
    let mut o = obs(vec![s]);
    o.active = true;
    let f = diagnose(&o);
    let act = f.iter().find(|f| f.code == "active").unwrap();
    assert_eq!(act.status, Status::Pass);
    assert_eq!(
        act.message,
        "PORT works: the server connected from 203.0.113.7:20 (port 20: connect_from_port_20=YES), listing 2 lines"
    );
}

#[test]
fn active_blocked_says_outgoing_connections() {
    let mut s = session(SessionKind::Plain, false);
    active(&mut s, None);
    let mut o = obs(vec![s]);
    o.active = true;
    let f = diagnose(&o);
    assert_eq!(
        f.iter()
            .find(|f| f.code == "active-failed")
            .unwrap()
            .message,
        "active mode (PORT): the server did not connect back to 198.51.100.2:40001 within 5s — a firewall blocks the server's outgoing data connections, or yours (or NAT) blocks incoming ones"
    );
}

#[test]
fn pasv_address_differs_from_the_connected_address() {
    let mut s = session(SessionKind::Plain, false);
    passive(
        &mut s,
        DataMode::Pasv,
        "10.0.0.5",
        &[40003],
        Some(timeout()),
    );
    s.data[0].fallback = Some(Fallback {
        address: addr("203.0.113.7:40003"),
        failure: None,
    });
    listed(&mut s.data[0]);
    s.data[0].connect_failure = Some(timeout());
    passive(&mut s, DataMode::Epsv, "203.0.113.7", &[40004], None);
    let o = obs(vec![s]);
    let f = diagnose(&o);
    assert_eq!(exit_status(&f), 1);
    let m = &f.iter().find(|f| f.code == "pasv-address").unwrap().message;
    assert!(
        m.starts_with("PASV answered 10.0.0.5 but you connected to 203.0.113.7 — set pasv_address"),
        "{m}"
    );
    insta::assert_snapshot!(render(o));
}

#[test]
fn pasv_zero_address_blames_listen_ipv6() {
    let mut s = session(SessionKind::Plain, false);
    passive(
        &mut s,
        DataMode::Pasv,
        "0.0.0.0",
        &[40003],
        Some(Failure {
            kind: FailureKind::Refused,
            message: "refused".into(),
        }),
    );
    s.data[0].fallback = Some(Fallback {
        address: addr("203.0.113.7:40003"),
        failure: None,
    });
    let f = diagnose(&obs(vec![s]));
    let m = &f.iter().find(|f| f.code == "pasv-address").unwrap().message;
    assert!(m.starts_with("PASV answered 0.0.0.0 — vsftpd does this with listen_ipv6=YES, which ignores pasv_address"), "{m}");
}

#[test]
fn data_fails_only_under_tls_blames_the_conntrack_helper() {
    let mut plain = session(SessionKind::Plain, true);
    passive(&mut plain, DataMode::Pasv, "203.0.113.7", PINNED, None);
    passive(&mut plain, DataMode::Epsv, "203.0.113.7", &[40002], None);
    let mut tls = session(SessionKind::ExplicitTls, true);
    passive(
        &mut tls,
        DataMode::Pasv,
        "203.0.113.7",
        &[40006],
        Some(timeout()),
    );
    passive(
        &mut tls,
        DataMode::Epsv,
        "203.0.113.7",
        &[40007],
        Some(timeout()),
    );
    let o = obs(vec![plain, tls]);
    let f = diagnose(&o);
    assert_eq!(exit_status(&f), 1);
    let tls_only: Vec<_> = f.iter().filter(|f| f.code == "tls-data-blocked").collect();
    assert_eq!(tls_only.len(), 1, "said once per session");
    assert!(
        tls_only[0]
            .message
            .starts_with("data connections fail only under TLS")
    );
    assert!(tls_only[0].message.ends_with(
        "the firewall relies on the FTP conntrack helper, which cannot read the encrypted PASV/EPSV replies: open the passive range (pasv_min_port-pasv_max_port) explicitly; `vsconf firewall CONF` writes those rules"
    ));
    assert!(!f.iter().any(|f| f.code == "passive-blocked"));
    insta::assert_snapshot!(render(o));
}

#[test]
fn unpinned_ports_are_called_out() {
    let mut s = session(SessionKind::Plain, false);
    passive(
        &mut s,
        DataMode::Pasv,
        "203.0.113.7",
        &[5378, 62626, 31000, 17000, 45000],
        None,
    );
    let f = diagnose(&obs(vec![s]));
    let m = &f
        .iter()
        .find(|f| f.code == "passive-ports")
        .unwrap()
        .message;
    assert_eq!(
        m,
        "passive ports seen 5378–62626 (5 replies, 5 distinct): no narrow range seems pinned (vsftpd's default is 5001–65535) — set pasv_min_port and pasv_max_port and open exactly that range"
    );
}

#[test]
fn one_port_range_is_called_out() {
    let mut s = session(SessionKind::Plain, false);
    passive(
        &mut s,
        DataMode::Pasv,
        "203.0.113.7",
        &[50000, 50000, 50000],
        None,
    );
    let f = diagnose(&obs(vec![s]));
    assert_eq!(
        f.iter()
            .find(|f| f.code == "passive-ports")
            .unwrap()
            .message,
        "passive port 50000 every time (3 replies): a one-port range serves one client at a time"
    );
}

#[test]
fn oops_banner_is_an_error() {
    let mut s = Session::new(SessionKind::Plain);
    s.peer = Some(addr(SERVER));
    s.banner = Some(reply(
        "500 OOPS: vsftpd: both local and anonymous access disabled!",
    ));
    let o = obs(vec![s]);
    let f = diagnose(&o);
    assert_eq!(exit_status(&f), 2);
    assert_eq!(
        f[0].message,
        "vsftpd refuses every session: \"500 OOPS: vsftpd: both local and anonymous access disabled!\""
    );
    insta::assert_snapshot!(render(o));
}

#[test]
fn refused_connection_is_an_error() {
    let mut s = Session::new(SessionKind::Plain);
    s.peer = Some(addr(SERVER));
    s.connect_failure = Some(Failure {
        kind: FailureKind::Refused,
        message: "connection refused".into(),
    });
    let f = diagnose(&obs(vec![s]));
    assert_eq!(exit_status(&f), 2);
    assert_eq!(
        f[0].message,
        "203.0.113.7:21 refused the connection — nothing listens on port 21: is vsftpd running, and are listen_port and listen_address what you think?"
    );
}

#[test]
fn pasv_disabled_is_information() {
    let mut s = session(SessionKind::Plain, false);
    let mut c = DataCheck::new(DataMode::Pasv);
    c.mode_reply = Some(reply("550 Permission denied."));
    s.data.push(c);
    let f = diagnose(&obs(vec![s]));
    assert_eq!(exit_status(&f), 0);
    assert_eq!(
        f.iter()
            .find(|f| f.code == "mode-disabled")
            .unwrap()
            .message,
        "PASV is disabled: \"550 Permission denied.\" (pasv_enable=NO)"
    );
}

#[test]
fn anonymous_refused_under_tls_is_information_unless_required() {
    let plain = session(SessionKind::Plain, true);
    let mut tls = session(SessionKind::ExplicitTls, true);
    tls.login = Some(Login {
        user: "anonymous".into(),
        reply: Some(reply("530 Anonymous sessions may not use encryption.")),
        ok: false,
    });
    let mut o = obs(vec![plain, tls]);
    assert_eq!(exit_status(&diagnose(&o)), 0);
    o.tls_mode = TlsMode::Require;
    let f = diagnose(&o);
    assert_eq!(exit_status(&f), 1);
    assert_eq!(
        f.iter().find(|f| f.code == "login-failed").unwrap().message,
        "login as anonymous under TLS failed: \"530 Anonymous sessions may not use encryption.\""
    );
}

/// Issue 12: a server that hides AUTH TLS from FEAT (vsftpd with ssl_tlsv1=NO) and refuses plaintext
/// logins with a 530 that demands encryption passes when the TLS session works.
#[test]
fn issue_12_auth_tls_hidden_from_feat_and_plaintext_refused_passes() {
    let mut plain = session(SessionKind::Plain, false);
    plain.login = Some(Login {
        user: "alice".into(),
        reply: Some(reply("530 Non-anonymous sessions must use encryption.")),
        ok: false,
    });
    let mut tls = session(SessionKind::ExplicitTls, false);
    tls.login.as_mut().unwrap().user = "alice".into();
    passive(&mut tls, DataMode::Pasv, "203.0.113.7", &[40006], None);
    passive(&mut tls, DataMode::Epsv, "203.0.113.7", &[40007], None);
    let f = diagnose(&obs(vec![plain.clone(), tls.clone()]));
    assert_eq!(exit_status(&f), 0, "{f:#?}");
    assert!(f.iter().any(|f| f.code == "tls-unlisted"), "{f:#?}");
    assert!(f.iter().any(|f| f.code == "login-needs-tls"), "{f:#?}");
    // The same server behind a helper-only firewall: TLS data times out and plaintext cannot be
    // compared; the helper is named all the same.
    let mut blocked = session(SessionKind::ExplicitTls, false);
    blocked.login.as_mut().unwrap().user = "alice".into();
    passive(
        &mut blocked,
        DataMode::Pasv,
        "203.0.113.7",
        &[40006],
        Some(timeout()),
    );
    passive(
        &mut blocked,
        DataMode::Epsv,
        "203.0.113.7",
        &[40007],
        Some(timeout()),
    );
    let f = diagnose(&obs(vec![plain, blocked]));
    assert_eq!(exit_status(&f), 1);
    let m = message(&f, "tls-data-blocked");
    assert!(m.contains("refuses plaintext logins"), "{m}");
    assert!(
        m.contains("FTP conntrack helper") && m.contains("pasv_min_port-pasv_max_port"),
        "{m}"
    );
    assert!(!f.iter().any(|f| f.code == "passive-blocked"), "{f:#?}");
}

/// A server without TLS: AUTH TLS is still tried, and its refusal is information, not a failure.
#[test]
fn issue_12_auth_tls_refused_without_feat_is_information() {
    let plain = session(SessionKind::Plain, false);
    let mut tls = Session::new(SessionKind::ExplicitTls);
    tls.peer = plain.peer;
    tls.banner = plain.banner.clone();
    tls.features = plain.features.clone();
    tls.tls = Some(TlsInfo {
        auth_reply: Some(reply("530 Please login with USER and PASS.")),
        failure: Some(Failure {
            kind: FailureKind::Tls,
            message: "AUTH TLS refused".into(),
        }),
        protocol: None,
        certificate_problem: None,
    });
    let f = diagnose(&obs(vec![plain, tls]));
    assert_eq!(exit_status(&f), 0, "{f:#?}");
    assert!(message(&f, "tls-not-offered").starts_with("the server does not offer TLS"));
}

#[test]
fn untrusted_certificate_is_reported_but_accepted() {
    let plain = session(SessionKind::Plain, true);
    let mut tls = session(SessionKind::ExplicitTls, true);
    tls.tls.as_mut().unwrap().certificate_problem =
        Some("invalid peer certificate: UnknownIssuer".into());
    let f = diagnose(&obs(vec![plain, tls]));
    assert_eq!(exit_status(&f), 0);
    assert!(
        f.iter().any(|f| f.code == "certificate-untrusted"
            && f.message.contains("the probe accepted it anyway"))
    );
}

#[test]
fn tls_required_but_not_offered_fails() {
    let plain = session(SessionKind::Plain, false);
    let mut o = obs(vec![plain]);
    o.tls_mode = TlsMode::Require;
    let f = diagnose(&o);
    assert_eq!(exit_status(&f), 1);
    assert!(f.iter().any(|f| f.code == "tls-unavailable"));
}

#[test]
fn json_report_has_version_1_and_round_trips() {
    let mut s = session(SessionKind::Plain, false);
    passive(&mut s, DataMode::Pasv, "203.0.113.7", PINNED, None);
    let o = obs(vec![s]);
    let rep = Report::new(o.clone(), diagnose(&o));
    let text = report::render_json(&rep);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["exit_status"], 0);
    assert_eq!(v["target"], "ftp://203.0.113.7:21");
    let back: Report = serde_json::from_str(&text).unwrap();
    assert_eq!(back, rep);
}

fn message(f: &[vsconf::probe::Finding], code: &str) -> String {
    f.iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {f:#?}"))
        .message
        .clone()
}

#[test]
fn refused_data_connection_says_rejected() {
    let mut s = session(SessionKind::Plain, false);
    passive(
        &mut s,
        DataMode::Pasv,
        "203.0.113.7",
        &[50123],
        Some(Failure {
            kind: FailureKind::Refused,
            message: "refused".into(),
        }),
    );
    assert_eq!(
        message(&diagnose(&obs(vec![s])), "passive-blocked"),
        "control connection works, the data connection to 203.0.113.7:50123 was refused — a firewall rejects the passive range, or a NAT forwards it nowhere"
    );
}

#[test]
fn illegal_port_blames_nat() {
    let mut s = session(SessionKind::Plain, false);
    let mut c = DataCheck::new(DataMode::Port);
    c.mode_reply = Some(reply("500 Illegal PORT command."));
    s.data.push(c);
    let f = diagnose(&obs(vec![s]));
    assert_eq!(exit_status(&f), 1);
    assert_eq!(
        message(&f, "active-refused"),
        "PORT refused: \"500 Illegal PORT command.\" — the server sees you at another address than the one you announced (NAT between you); use passive mode"
    );
}

#[test]
fn local_login_needing_tls_is_information_when_tls_login_works() {
    let mut plain = session(SessionKind::Plain, true);
    plain.login = Some(Login {
        user: "alice".into(),
        reply: Some(reply("530 Non-anonymous sessions must use encryption.")),
        ok: false,
    });
    let mut tls = session(SessionKind::ExplicitTls, true);
    tls.login.as_mut().unwrap().user = "alice".into();
    let f = diagnose(&obs(vec![plain, tls]));
    assert_eq!(exit_status(&f), 0);
    assert_eq!(
        message(&f, "login-needs-tls"),
        "login as alice needs TLS: without it the server says \"530 Non-anonymous sessions must use encryption.\" (force_local_logins_ssl)"
    );
}

#[test]
fn data_tls_failure_names_session_reuse() {
    let plain = session(SessionKind::Plain, true);
    let mut tls = session(SessionKind::ExplicitTls, true);
    let mut c = DataCheck::new(DataMode::Pasv);
    c.tls = true;
    c.mode_reply = Some(reply("227 Entering Passive Mode (203,0,113,7,156,64)."));
    c.address = Some(addr("203.0.113.7:40000"));
    c.tls_failure = Some(Failure {
        kind: FailureKind::Tls,
        message: "TLS handshake failed: connection reset".into(),
    });
    c.transfer_reply = Some(reply("522 SSL connection failed: session reuse required"));
    tls.data.push(c);
    let f = diagnose(&obs(vec![plain, tls]));
    assert_eq!(
        message(&f, "data-tls-failed"),
        "PASV: the data connection opened but its TLS handshake failed: TLS handshake failed: connection reset — the server says \"522 SSL connection failed: session reuse required\" (require_ssl_reuse=YES: the client must resume the control connection's TLS session)"
    );
}

#[test]
fn data_needing_tls_is_information() {
    let mut s = session(SessionKind::Plain, true);
    passive(&mut s, DataMode::Pasv, "203.0.113.7", &[40000], None);
    s.data[0].transfer_reply = Some(reply("522 Data connections must be encrypted."));
    s.data[0].done_reply = None;
    let f = diagnose(&obs(vec![s]));
    assert_eq!(exit_status(&f), 0);
    assert_eq!(
        message(&f, "data-needs-tls"),
        "PASV: data connections need TLS: \"522 Data connections must be encrypted.\" (force_anon_data_ssl / force_local_data_ssl)"
    );
}

#[test]
fn stalled_listing_fails() {
    let mut s = session(SessionKind::Plain, false);
    passive(&mut s, DataMode::Epsv, "203.0.113.7", &[40000], None);
    s.data[0].done_reply = None;
    s.data[0].transfer_failure = Some(Failure {
        kind: FailureKind::Timeout,
        message: "no answer within 5s: reading the listing timed out".into(),
    });
    let f = diagnose(&obs(vec![s]));
    assert_eq!(exit_status(&f), 1);
    assert_eq!(
        message(&f, "listing-stalled"),
        "EPSV: the listing did not complete: no answer within 5s: reading the listing timed out"
    );
}

#[test]
fn session_ending_before_login_fails() {
    let mut s = Session::new(SessionKind::Plain);
    s.peer = Some(addr(SERVER));
    s.banner = Some(reply("220 hi"));
    s.aborted = Some(Failure {
        kind: FailureKind::Timeout,
        message: "no answer within 5s: the reply to FEAT timed out".into(),
    });
    let f = diagnose(&obs(vec![s]));
    assert_eq!(exit_status(&f), 1);
    assert_eq!(
        message(&f, "session-ended"),
        "the plain session ended before login: no answer within 5s: the reply to FEAT timed out"
    );
}

#[test]
fn permissions_are_read_from_vsftpd_texts() {
    let mut s = session(SessionKind::Plain, false);
    s.retr_reply = Some(reply("550 Failed to open file."));
    s.stor_reply = Some(reply("550 Permission denied."));
    let f = diagnose(&obs(vec![s]));
    assert_eq!(
        message(&f, "download"),
        "downloads are allowed (RETR of a missing file: \"550 Failed to open file.\")"
    );
    assert_eq!(
        message(&f, "upload"),
        "uploads are not allowed (STOR into a missing directory: \"550 Permission denied.\")"
    );
}

#[test]
fn greeting_421_is_an_error() {
    let mut s = Session::new(SessionKind::Plain);
    s.peer = Some(addr(SERVER));
    s.banner = Some(reply(
        "421 There are too many connections from your internet address.",
    ));
    let f = diagnose(&obs(vec![s]));
    assert_eq!(exit_status(&f), 2);
    assert_eq!(
        f[0].message,
        "the server turned the session away: \"421 There are too many connections from your internet address.\""
    );
}

#[test]
fn unreadable_pasv_reply_fails() {
    let mut s = session(SessionKind::Plain, false);
    let mut c = DataCheck::new(DataMode::Pasv);
    c.mode_reply = Some(reply("227 Entering Passive Mode (garbage)."));
    s.data.push(c);
    let f = diagnose(&obs(vec![s]));
    assert_eq!(exit_status(&f), 1);
    assert_eq!(
        message(&f, "passive-reply-unreadable"),
        "PASV: the reply names no address and port a client can use: \"227 Entering Passive Mode (garbage).\""
    );
}
