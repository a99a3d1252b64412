use crate::dialect::Tunable;
use crate::model::value::{inet_aton, inet_pton6};
use crate::model::Family;
use crate::startup::oops;

use super::{head, excerpt, Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags a `listen_address` that is not an IPv4 address while `listen=YES`, and a `listen_address6`
/// that is not an IPv6 address while the IPv6 listener is the active one.
///
/// ## Why is this bad?
/// vsftpd refuses to start: `500 OOPS: bad listen_address: <value>` (or `bad listen_address6`).
/// The value must be a literal address: vsftpd does not resolve host names here, and an IPv6
/// address in `listen_address` (or the reverse) is refused. The IPv4 form is read by C
/// `inet_aton`, which also accepts odd forms such as `127.1` and ignores text after a space.
///
/// ## Example
/// ```vsftpd
/// listen=YES
/// listen_address=ftp.example.com
/// ```
/// Use instead:
/// ```vsftpd
/// listen=YES
/// listen_address=192.0.2.10
/// ```
///
/// ## Fix
/// None: the address to bind is yours to choose.
///
/// ## References
/// - vsftpd.conf(5): `listen_address`, `listen_address6`
/// - debian-3.0.3 binary: `listen_address=localhost` gives `500 OOPS: bad listen_address: localhost`;
///   `listen_address=127.0.0.1 ` starts (the value is trimmed on Debian)
pub(crate) struct BadListenAddress;

impl Rule for BadListenAddress {
    const META: RuleMeta = RuleMeta::error("VSC008", "bad-listen-address")
        .settings(&[&[Tunable::ListenAddress, Tunable::ListenAddress6]])
        .summary("`listen_address`/`listen_address6` is not an address literal: vsftpd refuses to start");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        let listen = cfg.bool(Tunable::Listen);
        let listen_ipv6 = cfg.bool(Tunable::ListenIpv6);
        // The address is read as vsftpd reads it (the model's `bind_address`: inet_aton for IPv4, vsftpd's
        // own parser and Debian's `%scope` split for IPv6), so this rule and the verdict agree.
        if listen {
            if let Some(addr) = cfg.string(Tunable::ListenAddress) {
                if cfg.bind_address(Family::Ipv4).is_err() {
                    let shown = excerpt(addr);
                    let help = if inet_pton6(addr).is_some() {
                        "this is an IPv6 address: use `listen_ipv6=YES`, `listen=NO` and `listen_address6=` instead".to_owned()
                    } else {
                        "write the IPv4 address to bind (e.g. `192.0.2.10`); host names are not resolved here, and leaving it unset binds every address".to_owned()
                    };
                    out.push(
                        cx.report(
                            head(cx.value_span(Tunable::ListenAddress)
                                .unwrap_or_else(|| cx.span_or_file_start(Tunable::ListenAddress))),
                            format!("`listen_address={shown}` is not an IPv4 address: vsftpd prints `{}` and refuses to start", oops::line(oops::bad_listen_address(shown.as_bytes()))),
                        )
                        .fatal()
                        .help(help),
                    );
                }
            }
        } else if listen_ipv6 {
            if let Some(addr) = cfg.string(Tunable::ListenAddress6) {
                if cfg.bind_address(Family::Ipv6).is_err() {
                    let shown = excerpt(addr);
                    let help = if inet_aton(addr).is_some() {
                        "this is an IPv4 address: write it as `::ffff:<address>`, or use `listen=YES`, `listen_ipv6=NO` and `listen_address=`".to_owned()
                    } else {
                        "write the IPv6 address to bind (e.g. `2001:db8::10`, no brackets); host names are not resolved here, and leaving it unset binds every address".to_owned()
                    };
                    out.push(
                        cx.report(
                            head(cx.value_span(Tunable::ListenAddress6)
                                .unwrap_or_else(|| cx.span_or_file_start(Tunable::ListenAddress6))),
                            format!("`listen_address6={shown}` is not an IPv6 address: vsftpd prints `{}` and refuses to start", oops::line(oops::bad_listen_address6(shown.as_bytes()))),
                        )
                        .fatal()
                        .help(help),
                    );
                }
            }
        }
    }
}
