//! Probe report → [`Row`]s: what the probe saw for each expectation, in the expectation's words.

use std::ops::RangeInclusive;

use crate::ftp::parse_227;
use crate::probe::Report;
use crate::probe::diagnosis::permission_of;
use crate::probe::observation::{DataCheck, DataMode, Reply, Session};
use crate::startup::oops;

use super::{Check, Expectations, Observation, Row, Why};

/// Pairs each expectation after "starts" with what the probe saw. `ephemeral` is this machine's
/// ephemeral port range (`/proc/sys/net/ipv4/ip_local_port_range`), where unbound active
/// connections get their source port.
pub fn compare(
    expected: &Expectations,
    report: &Report,
    ephemeral: RangeInclusive<u16>,
) -> Vec<Row> {
    let sessions = &report.observations.sessions;
    let plain = sessions.iter().find(|s| !s.kind.is_tls());
    let tls = sessions.iter().find(|s| s.kind.is_tls());
    let row = |check, expected: &super::Expectation, observed| Row {
        check,
        expected: expected.clone(),
        observed,
    };
    let mut rows = vec![
        row(Check::Banner, &expected.banner, banner(sessions.first())),
        row(
            Check::AuthTls,
            &expected.auth_tls,
            Observation::Text(
                super::yes_no_word(plain.is_some_and(Session::offers_auth_tls)).to_owned(),
            ),
        ),
        row(Check::AnonymousLogin, &expected.anon_plain, login(plain)),
        row(
            Check::AnonymousLoginTls,
            &expected.anon_tls,
            match tls {
                Some(_) => login(tls),
                None => Observation::Missing(Why::NoTlsSession),
            },
        ),
    ];
    if !expected.plain_data.is_text("allowed") || expected.auth_tls.is_text("yes") {
        rows.push(row(
            Check::DataWithoutTls,
            &expected.plain_data,
            plain_data(plain),
        ));
    }
    let data_session = expected
        .data_session
        .and_then(|k| sessions.iter().find(|s| s.kind == k));
    let pasv = data_session.and_then(|s| s.data.iter().find(|d| d.mode == DataMode::Pasv));
    rows.push(row(
        Check::PassivePorts,
        &expected.passive,
        passive_ports(data_session, pasv),
    ));
    rows.push(row(
        Check::PasvAddress,
        &expected.pasv_address,
        pasv_address(pasv),
    ));
    rows.push(row(
        Check::Listing,
        &expected.listing,
        listing(data_session),
    ));
    rows.push(row(
        Check::ActiveSourcePort,
        &expected.active_source,
        active_source(data_session, ephemeral),
    ));
    rows.push(row(
        Check::Download,
        &expected.download,
        permission(data_session.and_then(|s| s.retr_reply.as_ref())),
    ));
    rows.push(row(
        Check::Upload,
        &expected.upload,
        permission(data_session.and_then(|s| s.stor_reply.as_ref())),
    ));
    rows
}

/// The first session's greeting: its `500 OOPS` line if any, else its last line.
fn banner(first: Option<&Session>) -> Observation {
    let Some(s) = first else {
        return Observation::Text("no session".to_owned());
    };
    Observation::Text(match (&s.banner, &s.banner_failure, &s.connect_failure) {
        (Some(b), _, _) => b
            .lines
            .iter()
            .find(|l| l.starts_with(oops::PREFIX))
            .cloned()
            .unwrap_or_else(|| b.last_line().to_owned()),
        (None, Some(f), _) | (None, None, Some(f)) => format!("no greeting: {}", f.message),
        _ => "no greeting".to_owned(),
    })
}

/// A 530 is a refusal; anything else (a timeout, a dropped session) is shown as it was.
fn login(s: Option<&Session>) -> Observation {
    let Some(l) = s.and_then(|s| s.login.as_ref()) else {
        return Observation::Missing(Why::NoLoginAttempt);
    };
    Observation::Text(match &l.reply {
        _ if l.ok => "works".to_owned(),
        Some(r) if r.code == 530 => "refused".to_owned(),
        Some(r) => format!("failed: {}", r.last_line()),
        None => format!(
            "failed: {}",
            s.and_then(|s| s.aborted.as_ref())
                .map(|f| f.message.clone())
                .unwrap_or_default()
        ),
    })
}

/// Whether a passive check's mode command was accepted.
fn entered(d: &DataCheck) -> bool {
    !d.mode.is_active() && d.mode_reply.as_ref().is_some_and(|r| r.code / 100 == 2)
}

/// The first passive data connection of the plain session.
fn plain_data(plain: Option<&Session>) -> Observation {
    let Some(c) = plain.and_then(|s| s.data.iter().find(|d| entered(d))) else {
        return Observation::Missing(Why::NoPlainLogin);
    };
    match &c.transfer_reply {
        Some(r) if r.code / 100 != 1 => Observation::Text(format!("refused: {}", r.last_line())),
        Some(_) => Observation::Text("allowed".to_owned()),
        None => Observation::Missing(Why::NotObserved),
    }
}

/// The ports of the data session's passive replies, or why it offered none.
fn passive_ports(data_session: Option<&Session>, pasv: Option<&DataCheck>) -> Observation {
    let ports: Vec<u16> = data_session
        .map(|s| {
            s.passive_replies
                .iter()
                .filter_map(|r| r.address.map(|a| a.port()))
                .collect()
        })
        .unwrap_or_default();
    let Some(c) = pasv.or_else(|| data_session.and_then(|s| s.passive_checks().next())) else {
        return Observation::Missing(Why::NotObserved);
    };
    if let (Some(&lowest), Some(&highest)) = (ports.iter().min(), ports.iter().max()) {
        return Observation::PassivePorts { lowest, highest };
    }
    Observation::Text(match &c.mode_reply {
        Some(r) if r.last_line().starts_with(oops::PREFIX) => format!("killed: {}", r.last_line()),
        Some(r) => format!("disabled: {}", r.last_line()),
        None => String::new(),
    })
}

fn pasv_address(pasv: Option<&DataCheck>) -> Observation {
    match pasv.and_then(|c| c.mode_reply.as_ref()) {
        Some(r) if r.code == 227 => Observation::Text(
            parse_227(r.text())
                .map(|(ip, _)| ip.to_string())
                .unwrap_or_default(),
        ),
        Some(r) => Observation::Text(r.last_line().to_owned()),
        None => Observation::Missing(Why::NotObserved),
    }
}

/// The listing through the first passive mode that got a data connection (EPSV works where a wrong
/// PASV address does not; that is the PASV address row's business).
fn listing(data_session: Option<&Session>) -> Observation {
    let passive: Vec<&DataCheck> = data_session
        .map(|s| s.data.iter().filter(|d| entered(d)).collect())
        .unwrap_or_default();
    let check = passive
        .iter()
        .find(|d| d.listed() || d.connect_failure.is_none())
        .or(passive.first());
    match check {
        Some(c) => Observation::Text(listing_words(c)),
        None => Observation::Missing(Why::NotObserved),
    }
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
        return r.last_line().to_owned();
    }
    if let Some(f) = c.tls_failure.as_ref().or(c.transfer_failure.as_ref()) {
        return format!("failed: {}", f.message);
    }
    c.done_reply
        .as_ref()
        .map(|r| r.last_line().to_owned())
        .unwrap_or_else(|| "no reply".to_owned())
}

/// The source port of the data session's active connection, or why there was none.
fn active_source(data_session: Option<&Session>, ephemeral: RangeInclusive<u16>) -> Observation {
    let Some(c) = data_session.and_then(|s| s.data.iter().find(|d| d.mode.is_active())) else {
        return Observation::Missing(Why::NotObserved);
    };
    match (&c.mode_reply, c.source) {
        (Some(r), _) if r.code != 200 => Observation::Text(format!("disabled: {}", r.last_line())),
        (_, Some(src)) => Observation::SourcePort {
            port: src.port(),
            ephemeral: ephemeral.contains(&src.port()),
        },
        (_, None) => Observation::Text(match &c.transfer_reply {
            Some(r) if r.code / 100 != 1 => format!("refused: {}", r.last_line()),
            _ => c
                .connect_failure
                .as_ref()
                .map(|f| format!("no connection: {}", f.message))
                .unwrap_or_default(),
        }),
    }
}

/// RETR or STOR: allowed, denied, or the reply when it says neither.
fn permission(reply: Option<&Reply>) -> Observation {
    match reply {
        Some(r) => Observation::Text(match permission_of(r) {
            Some(b) => super::allowed_word(b).to_owned(),
            None => format!("unclear: {}", r.last_line()),
        }),
        None => Observation::Missing(Why::NotObserved),
    }
}
