use crate::dialect::Tunable;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::dialect::Dialect;
use crate::model::Outcome;

use super::{head, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags `ssl_tlsv1_1`, `ssl_tlsv1_2` and `ssl_tlsv1_3`: the names vsftpd 3.0.5's manual page
/// documents, and RHEL's 3.0.3 accepted, but that no modelled parser knows.
///
/// ## Why is this bad?
/// vsftpd refuses to start: `500 OOPS: unrecognised variable in config file: ssl_tlsv1_2`. The
/// upstream 3.0.5 parser spells them `ssl_tlsv11`, `ssl_tlsv12`, `ssl_tlsv13`; Debian's 3.0.3 has no
/// per-version switch beyond `ssl_tlsv1` at all. Following the manual, or keeping a config from
/// RHEL 8's vsftpd 3.0.3, stops the server. (This rule owns these names; VSC001 does not repeat
/// them.)
///
/// ## Example
/// ```vsftpd
/// ssl_tlsv1_2=YES
/// ```
/// Use instead:
/// ```vsftpd
/// ssl_tlsv12=YES
/// ```
///
/// ## Fix
/// Safe on upstream-3.0.5 and rhel-3.0.5: the name is replaced by the one the parser knows
/// (`ssl_tlsv12`). None on debian-3.0.3, where TLS 1.1–1.3 can be narrowed only through
/// `ssl_ciphers`.
///
/// ## References
/// - vsftpd.conf(5) of 3.0.5: `ssl_tlsv1_1`, `ssl_tlsv1_2`, `ssl_tlsv1_3` (the manual is wrong)
/// - upstream-3.0.5 and rhel-3.0.5 builds: `ssl_tlsv1_2=YES` gives
///   `500 OOPS: unrecognised variable in config file: ssl_tlsv1_2`; debian-3.0.3 binary: the same
pub(crate) struct TlsVersionNameNotParsed;

/// The documented spelling and the parsed one.
pub(super) const NAMES: &[(&[u8], &str)] = &[
    (b"ssl_tlsv1_1", "ssl_tlsv11"),
    (b"ssl_tlsv1_2", "ssl_tlsv12"),
    (b"ssl_tlsv1_3", "ssl_tlsv13"),
];

impl Rule for TlsVersionNameNotParsed {
    const META: RuleMeta = RuleMeta::error("VSC402", "tls-version-name-not-parsed")
        .settings(&[&[Tunable::SslTlsv11, Tunable::SslTlsv12, Tunable::SslTlsv13, Tunable::SslTlsv11Fedora, Tunable::SslTlsv12Fedora, Tunable::SslTlsv13Fedora]])
        .summary("`ssl_tlsv1_2` and friends, as the 3.0.5 manual spells them, are rejected by the parser")
        .fixes(FixAvailability::Sometimes(Applicability::Safe))
        .can_refuse();

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for reading in cx.config().readings() {
            if reading.outcome != Outcome::Unrecognised {
                continue;
            }
            let name = cx.text(reading.name);
            let Some((written, parsed)) = NAMES.iter().find(|(w, _)| *w == name) else {
                continue;
            };
            let written = String::from_utf8_lossy(written);
            let d = cx
                .report(
                    head(reading.name),
                    format!("`{written}` is spelt as in the 3.0.5 manual, but vsftpd's parser does not know it: vsftpd refuses to start"),
                )
                .fatal();
            if cx.dialect() == Dialect::Debian303 {
                out.push(d.help(
                    "vsftpd 3.0.3 has no switch for TLS 1.1, 1.2 or 1.3 (only `ssl_tlsv1` for TLS 1.0): delete the line, and narrow the versions with `ssl_ciphers` if needed",
                ));
            } else {
                out.push(
                    d.help(format!("the parser spells it `{parsed}`"))
                        .fix(Fix::new(
                            format!("rename to `{parsed}`"),
                            Applicability::Safe,
                            vec![Edit::replace(reading.name, parsed.as_bytes().to_vec())],
                        )),
                );
            }
        }
    }
}
