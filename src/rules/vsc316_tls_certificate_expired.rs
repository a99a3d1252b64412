use base64::Engine;

use crate::diagnostic::Severity;
use crate::dialect::Tunable;
use crate::startup::tls_files::der_element as element;
use crate::syntax::escape_bytes;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// With `--host-checks` and `ssl_enable=YES`, reads the first certificate in `rsa_cert_file` and
/// flags it when it has expired or is not valid yet (warning), or expires within 30 days
/// (information).
///
/// ## Why is this bad?
/// vsftpd never looks at the dates: it starts and completes TLS handshakes with an expired
/// certificate. Clients that verify certificates (curl, lftp, FileZilla with a trusted CA, any
/// library with default settings) then refuse to connect, while the server looks healthy. A missing
/// or unloadable certificate is a different problem, reported by VSC012.
///
/// ## Example
/// `rsa_cert_file` holds a certificate whose `notAfter` is in the past:
/// ```vsftpd
/// ssl_enable=YES
/// rsa_cert_file=/etc/ssl/certs/ftp.pem
/// ```
/// Use instead: the same lines, with a renewed certificate in the file.
///
/// ## Fix
/// None: the certificate must be renewed.
///
/// ## Known problems
/// Only the validity dates of the first certificate in the file are read; the chain, the key match
/// and the host name are not checked (use `vsconf probe` against the running server for those).
///
/// ## References
/// - vsftpd.conf(5): `rsa_cert_file`, `ssl_enable`
/// - RFC 5280 §4.1.2.5 (validity)
/// - debian-3.0.3 binary: with a certificate valid 2020-01-01 to 2021-01-01, vsftpd started and a
///   client completed `AUTH TLS` (TLS 1.3) without verification; a verifying client refused it.
///   After replacing the file with a valid certificate and sending SIGHUP, the listener still
///   served the expired one: only a restart loads a new certificate
pub(crate) struct TlsCertificateExpired;

const SECONDS_PER_DAY: i64 = 86_400;
const WARN_DAYS: i64 = 30;

impl Rule for TlsCertificateExpired {
    const META: RuleMeta = RuleMeta::warning("VSC316", "tls-certificate-expired")
        .settings(&[&[Tunable::RsaCertFile]])
        .summary("the TLS certificate has expired, is not valid yet, or expires within 30 days")
        .needs_host();

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        let Some(host) = cx.host else { return };
        if !cfg.bool(Tunable::SslEnable) {
            return;
        }
        let (Some(path), Some(now)) = (cfg.string(Tunable::RsaCertFile), host.now_unix_seconds())
        else {
            return;
        };
        let Some(validity) = host.read(path).and_then(|pem| certificate_validity(&pem)) else {
            return;
        };
        let span = cx.span_or_file_start(Tunable::RsaCertFile);
        let file = escape_bytes(path);
        let diagnostic = if now > validity.not_after.unix {
            cx.report(
                span,
                format!(
                    "the certificate in {file} expired on {}: vsftpd still serves it, and clients that verify certificates refuse to connect",
                    validity.not_after
                ),
            )
        } else if now < validity.not_before.unix {
            cx.report(
                span,
                format!(
                    "the certificate in {file} is not valid before {}: clients that verify certificates refuse to connect until then",
                    validity.not_before
                ),
            )
        } else if validity.not_after.unix - now < WARN_DAYS * SECONDS_PER_DAY {
            let days = (validity.not_after.unix - now) / SECONDS_PER_DAY;
            cx.report_with(
                Severity::Info,
                span,
                format!(
                    "the certificate in {file} expires on {} (in {days} days)",
                    validity.not_after
                ),
            )
        } else {
            return;
        };
        out.push(diagnostic.help(
            "renew the certificate (and key) in that file, then restart vsftpd: a reload (SIGHUP) does not rebuild the TLS context",
        ));
    }
}

/// A certificate date: seconds since the Unix epoch, and the calendar date for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Date {
    unix: i64,
    year: i64,
    month: u32,
    day: u32,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Validity {
    not_before: Date,
    not_after: Date,
}

/// The validity of the first `CERTIFICATE` block of a PEM file, or `None` when there is none or it
/// cannot be read.
fn certificate_validity(pem: &[u8]) -> Option<Validity> {
    const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
    const END: &[u8] = b"-----END CERTIFICATE-----";
    let start = find(pem, BEGIN)?.checked_add(BEGIN.len())?;
    let body = pem.get(start..)?;
    let body = body.get(..find(body, END)?)?;
    let base64: Vec<u8> = body
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(base64)
        .ok()?;
    validity_of_der(&der)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber,
/// signature, issuer, validity SEQUENCE { notBefore, notAfter }, … }, … }` (RFC 5280 §4.1).
fn validity_of_der(der: &[u8]) -> Option<Validity> {
    const SEQUENCE: u8 = 0x30;
    let (SEQUENCE, certificate, _) = element(der)? else {
        return None;
    };
    let (SEQUENCE, mut tbs, _) = element(certificate)? else {
        return None;
    };
    // Skip the optional explicit version, then serialNumber, signature and issuer.
    if tbs.first() == Some(&0xa0) {
        tbs = element(tbs)?.2;
    }
    for _ in 0..3 {
        tbs = element(tbs)?.2;
    }
    let (SEQUENCE, validity, _) = element(tbs)? else {
        return None;
    };
    let (tag_before, before, rest) = element(validity)?;
    let (tag_after, after, _) = element(rest)?;
    Some(Validity {
        not_before: time(tag_before, before)?,
        not_after: time(tag_after, after)?,
    })
}

/// UTCTime (`YYMMDDHHMMSSZ`, tag 0x17) or GeneralizedTime (`YYYYMMDDHHMMSSZ`, tag 0x18).
fn time(tag: u8, text: &[u8]) -> Option<Date> {
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        text.get(range)?.iter().try_fold(0i64, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
        })
    };
    let (year, at) = match tag {
        0x17 => {
            let yy = digits(0..2)?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, 2)
        }
        0x18 => (digits(0..4)?, 4),
        _ => return None,
    };
    let month = digits(at..at + 2)?;
    let day = digits(at + 2..at + 4)?;
    let hour = digits(at + 4..at + 6)?;
    let minute = digits(at + 6..at + 8)?;
    let second = digits(at + 8..at + 10)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let unix = days_from_civil(year, month, day) * SECONDS_PER_DAY
        + hour * 3600
        + minute * 60
        + second.min(60);
    Some(Date {
        unix,
        year,
        month: u32::try_from(month).ok()?,
        day: u32::try_from(day).ok()?,
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real certificate (P-256, made with Python's `cryptography`): notBefore 2020-01-01 12:00:00
    /// as UTCTime, notAfter 2051-03-04 05:06:07 as GeneralizedTime.
    const REAL: &[u8] = b"junk before
-----BEGIN CERTIFICATE-----
MIIBJjCBzKADAgECAgIQkjAKBggqhkjOPQQDAjAbMRkwFwYDVQQDDBBmdHAuZXhh
bXBsZS50ZXN0MCAXDTIwMDEwMTEyMDAwMFoYDzIwNTEwMzA0MDUwNjA3WjAbMRkw
FwYDVQQDDBBmdHAuZXhhbXBsZS50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD
QgAE8k5kT+sWGfyhBqyTgqIDjat/OSwdTi8/3DDML7JfGktrdtLZEQA5lo/bES97
ge4fXG2kfLlSjHEiIe3AvNdVnTAKBggqhkjOPQQDAgNJADBGAiEAsSh4GmWB5Nns
FPGOxcDzM9/RqpwG1deMuz2SPmEKjMICIQDLASXeqhetcHdH5RBbJk6HM4G9HZJW
4d7JlRpMEGPPyA==
-----END CERTIFICATE-----
";

    #[test]
    fn reads_both_time_forms_of_a_real_certificate() {
        let v = certificate_validity(REAL).expect("validity");
        assert_eq!(v.not_before.to_string(), "2020-01-01");
        assert_eq!(v.not_before.unix, 1_577_880_000);
        assert_eq!(v.not_after.to_string(), "2051-03-04");
        assert_eq!(v.not_after.unix, 2_561_519_167);
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        assert_eq!(certificate_validity(b""), None);
        assert_eq!(certificate_validity(b"-----BEGIN CERTIFICATE-----\n"), None);
        assert_eq!(
            certificate_validity(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"),
            None
        );
        let truncated = &REAL[..300];
        assert_eq!(certificate_validity(truncated), None);
    }
}
