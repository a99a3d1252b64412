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
        "write [ftp://][USER@]HOST[:PORT] or ftps://[USER@]HOST[:PORT] (implicit FTPS), e.g. 203.0.113.7, ftp://alice@203.0.113.7 or ftp://[2001:db8::1]:2121"
    )
)]
pub struct TargetError {
    /// The argument.
    pub given: String,
    /// What is wrong.
    pub why: String,
}

/// A probe URL: where to connect, and the user named in it (`ftp://alice@host`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeUrl {
    /// Host, port and whether TLS is implicit.
    pub target: Target,
    /// The user before `@`, percent-decoded; `None` when the URL names none.
    pub user: Option<String>,
}

/// Parses `ftp://HOST[:PORT]` or `ftps://HOST[:PORT]` (default ports 21 and 990). A trailing `/` is
/// accepted; a path is not. A user (`ftp://alice@host`) is accepted and dropped: see [`parse_url`].
pub fn parse_target(given: &str) -> Result<Target, TargetError> {
    parse_url(given).map(|u| u.target)
}

/// Parses `[ftp://][USER@]HOST[:PORT]` or `ftps://[USER@]HOST[:PORT]`: a bare host means `ftp://`, as
/// curl and lftp read it. A password in the URL is refused (it would sit in the shell history and
/// in `ps`): vsconf takes it from `VSCONF_PASSWORD` or a prompt.
pub fn parse_url(given: &str) -> Result<ProbeUrl, TargetError> {
    let bad = |why: &str| TargetError {
        given: given.to_string(),
        why: why.to_string(),
    };
    let (implicit_tls, rest) = if let Some(r) = given.strip_prefix("ftp://") {
        (false, r)
    } else if let Some(r) = given.strip_prefix("ftps://") {
        (true, r)
    } else if given.contains("://") {
        return Err(bad("the scheme must be ftp:// or ftps://"));
    } else {
        (false, given)
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains('/') {
        return Err(bad("no path in the URL"));
    }
    let (user, rest) = match rest.rsplit_once('@') {
        Some((user, _)) if user.contains(':') => {
            return Err(bad(
                "no password in the URL: set VSCONF_PASSWORD or answer the prompt",
            ));
        }
        Some(("", _)) => return Err(bad("an empty user name before @")),
        Some((user, host)) => (
            Some(percent_decode(user).ok_or_else(|| bad("a bad %-escape in the user name"))?),
            host,
        ),
        None => (None, rest),
    };
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
    Ok(ProbeUrl {
        target: Target {
            host: host.to_string(),
            port,
            implicit_tls,
        },
        user,
    })
}

/// Decodes `%XX` escapes (an `@` in a user name is written `%40`); `None` on a bad escape or bytes
/// that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
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
        assert!(
            parse_target("ftp://u:secret@x")
                .unwrap_err()
                .why
                .contains("password")
        );
        assert!(parse_target("ftp://@x").is_err());
        assert!(parse_target("ftp://x/pub").is_err());
        assert!(parse_target("ftp://").is_err());
    }

    #[test]
    fn issue_12_user_in_the_url_and_bare_hosts() {
        let u = parse_url("ftp://alice@203.0.113.7").unwrap();
        assert_eq!(u.user.as_deref(), Some("alice"));
        assert_eq!(u.target.host, "203.0.113.7");
        assert_eq!(u.target.port, 21);
        let u = parse_url("ftps://bob%40example.org@[2001:db8::1]:2990/").unwrap();
        assert_eq!(u.user.as_deref(), Some("bob@example.org"));
        assert_eq!(
            (u.target.host.as_str(), u.target.port, u.target.implicit_tls),
            ("2001:db8::1", 2990, true)
        );
        let bare = parse_url("203.0.113.7").unwrap();
        assert_eq!(
            bare,
            ProbeUrl {
                target: parse_target("ftp://203.0.113.7").unwrap(),
                user: None
            }
        );
        assert_eq!(parse_url("ftp.example.org:2121").unwrap().target.port, 2121);
        assert_eq!(
            parse_url("carol@[::1]").unwrap().user.as_deref(),
            Some("carol")
        );
    }
}
