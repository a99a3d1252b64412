use crate::diagnostic::Severity;
use crate::dialect::Tunable;
use crate::model::value::inet_aton;

use super::{head, excerpt, passive, Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags a `pasv_address` in a range that clients on the internet cannot reach: private
/// (10/8, 172.16/12, 192.168/16), carrier-grade NAT (100.64/10), loopback (127/8), link-local
/// (169.254/16) or `0.0.0.0`.
///
/// ## Why is this bad?
/// `pasv_address` exists for one purpose: to tell clients behind or beyond a NAT which address to
/// connect to for passive transfers. Putting the server's private address there is what vsftpd does
/// anyway without the setting, so it is usually a copy-paste of the internal address where the public
/// one was meant: external clients log in, then every listing hangs. A loopback or `0.0.0.0`
/// address breaks every client that is not on the server itself.
///
/// ## Example
/// ```vsftpd
/// pasv_address=192.168.1.10
/// ```
/// Use instead (the address the NAT gateway exposes):
/// ```vsftpd
/// pasv_address=203.0.113.10
/// ```
///
/// ## Fix
/// None: only you know the public address. Suppress the finding when all clients really are inside
/// the same private network.
///
/// ## References
/// - vsftpd.conf(5): `pasv_address`
/// - RFC 1918 (private), RFC 6598 (shared address space), RFC 3927 (link-local)
/// - debian-3.0.3 binary: the 227 reply carries `pasv_address` verbatim when `listen=YES`
pub(crate) struct PasvAddressPrivate;

impl Rule for PasvAddressPrivate {
    const META: RuleMeta = RuleMeta::info("VSC211", "pasv-address-private")
        .settings(&[&[Tunable::PasvAddress]])
        .summary("`pasv_address` is a private, loopback or unspecified address that outside clients cannot reach");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(addr) = passive::literal_address(cx.config()) else {
            return;
        };
        let Some([a, b, _, _]) = inet_aton(addr) else {
            return;
        };
        let (kind, severity) = match (a, b) {
            (0, _) => ("an unspecified (0.0.0.0/8) address", Severity::Warning),
            (127, _) => ("a loopback address", Severity::Warning),
            (169, 254) => ("a link-local address", Severity::Warning),
            (10, _) => ("a private (RFC 1918) address", Severity::Info),
            (172, 16..=31) => ("a private (RFC 1918) address", Severity::Info),
            (192, 168) => ("a private (RFC 1918) address", Severity::Info),
            (100, 64..=127) => ("a carrier-grade NAT (RFC 6598) address", Severity::Info),
            _ => return,
        };
        let span = cx
            .value_span(Tunable::PasvAddress)
            .unwrap_or_else(|| cx.span_or_file_start(Tunable::PasvAddress));
        out.push(
            cx.report_with(
                severity,
                head(span),
                format!(
                    "`pasv_address={}` is {kind}: clients outside that network are told to connect there for every passive transfer, and hang",
                    excerpt(addr)
                ),
            )
            .help("set the public address clients reach the server by (the NAT gateway's), or remove the line if clients connect directly"),
        );
    }
}
