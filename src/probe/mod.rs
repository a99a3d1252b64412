//! The probe: connect to a live FTP server, log in, check the data channel in every mode, and say in
//! the operator's words what works and what does not.
//!
//! - [`checks`]: the steps against the server (I/O, each wait bounded by a timeout).
//! - [`observation`]: what was seen, as plain data.
//! - [`diagnosis`]: observations → findings, a pure function.
//! - [`report`]: human text and JSON.
//! - [`wire`]: the control stream (plain or TLS) feeding `crate::ftp`'s bounded reply reader; [`client`]: TLS.
//!
//! It knows nothing of config files: `vsconf verify` compares its observations with the model.

pub mod checks;
pub mod client;
pub mod diagnosis;
pub mod observation;
pub mod report;
pub mod wire;

pub use checks::{ProbeError, ProbeOptions, probe};
pub use diagnosis::{Finding, Status, diagnose};
pub use observation::{Observations, Target, TlsMode};
pub use report::Report;

/// Why a probe URL is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error("bad probe target {given:?}: {why}")]
#[diagnostic(
    code(vsconf::probe::bad_target),
    help(
        "write ftp://HOST[:PORT] or ftps://HOST[:PORT] (implicit FTPS), e.g. ftp://203.0.113.7 or ftp://[2001:db8::1]:2121"
    )
)]
pub struct TargetError {
    /// The argument.
    pub given: String,
    /// What is wrong.
    pub why: String,
}

/// Parses `ftp://HOST[:PORT]` or `ftps://HOST[:PORT]` (default ports 21 and 990). A trailing `/` is
/// accepted; a path or user info is not.
pub fn parse_target(given: &str) -> Result<Target, TargetError> {
    let bad = |why: &str| TargetError {
        given: given.to_string(),
        why: why.to_string(),
    };
    let (implicit_tls, rest) = if let Some(r) = given.strip_prefix("ftp://") {
        (false, r)
    } else if let Some(r) = given.strip_prefix("ftps://") {
        (true, r)
    } else {
        return Err(bad("the scheme must be ftp:// or ftps://"));
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains('/') || rest.contains('@') {
        return Err(bad("no path or user name in the URL (use --user)"));
    }
    let default_port = if implicit_tls { 990 } else { 21 };
    let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
        let (h, after) = v6
            .split_once(']')
            .ok_or_else(|| bad("unclosed [ in an IPv6 address"))?;
        match after {
            "" => (h, None),
            p => (
                h,
                Some(
                    p.strip_prefix(':')
                        .ok_or_else(|| bad("expected :PORT after ]"))?,
                ),
            ),
        }
    } else {
        match rest.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (rest, None),
        }
    };
    if host.is_empty() {
        return Err(bad("no host"));
    }
    let port = match port {
        None => default_port,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => n,
            _ => return Err(bad("the port must be 1–65535")),
        },
    };
    Ok(Target {
        host: host.to_string(),
        port,
        implicit_tls,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn target_defaults_port_by_scheme() {
        assert_eq!(
            parse_target("ftp://203.0.113.7").unwrap(),
            Target {
                host: "203.0.113.7".into(),
                port: 21,
                implicit_tls: false
            }
        );
        assert_eq!(parse_target("ftps://h/").unwrap().port, 990);
        assert_eq!(
            parse_target("ftp://[::1]:2121").unwrap(),
            Target {
                host: "::1".into(),
                port: 2121,
                implicit_tls: false
            }
        );
    }

    #[test]
    fn target_rejects_bad_forms() {
        assert!(parse_target("http://x").unwrap_err().why.contains("scheme"));
        assert!(parse_target("ftp://x:0").unwrap_err().why.contains("port"));
        assert!(parse_target("ftp://x:99999").is_err());
        assert!(parse_target("ftp://u@x").is_err());
        assert!(parse_target("ftp://").is_err());
    }
}
