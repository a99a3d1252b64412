use crate::dialect::Tunable;

use super::{head, Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags `pasv_address` together with the IPv6 listener (`listen_ipv6=YES`), as in Debian's and
/// RHEL's stock files.
///
/// ## Why is this bad?
/// With the IPv6 (dual-stack) listener, vsftpd ignores `pasv_address` when it builds the PASV reply:
/// IPv4 clients are told `227 Entering Passive Mode (0,0,0,0,…)` instead of the address you set.
/// The NAT setup the line was written for does not work; clients that fall back to the control
/// connection's address may hide it, others hang or fail. EPSV carries no address at all and is
/// unaffected.
///
/// ## Example
/// ```vsftpd
/// listen=NO
/// listen_ipv6=YES
/// pasv_address=203.0.113.10
/// ```
/// Use instead:
/// ```vsftpd
/// listen=YES
/// listen_ipv6=NO
/// pasv_address=203.0.113.10
/// ```
///
/// ## Fix
/// None: switching to the IPv4 listener drops IPv6 service.
///
/// ## References
/// - vsftpd.conf(5): `pasv_address`, `listen_ipv6`
/// - debian-3.0.3 binary: with `listen_ipv6=YES` and `pasv_address=1.2.3.4`, PASV from an IPv4 client
///   answers `227 Entering Passive Mode (0,0,0,0,…)`; with `listen=YES` it answers `(1,2,3,4,…)`
pub(crate) struct PasvAddressIgnoredWithIpv6Listener;

impl Rule for PasvAddressIgnoredWithIpv6Listener {
    const META: RuleMeta = RuleMeta::warning("VSC212", "pasv-address-ignored-with-ipv6-listener")
        .settings(&[&[Tunable::PasvAddress, Tunable::ListenIpv6]])
        .summary("`pasv_address` has no effect with `listen_ipv6=YES`: PASV replies carry 0,0,0,0");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if cfg.bool(Tunable::Listen)
            || !cfg.bool(Tunable::ListenIpv6)
            || !cfg.bool(Tunable::PasvEnable)
            || cfg.string(Tunable::PasvAddress).is_none()
        {
            return;
        }
        let mut d = cx.report(
            head(cx.span_or_file_start(Tunable::PasvAddress)),
            "`pasv_address` is ignored with the IPv6 listener: PASV replies tell IPv4 clients to connect to 0.0.0.0",
        );
        if let Some(line) = cfg.origin(Tunable::ListenIpv6).line() {
            d = d.label(head(line), "the IPv6 listener is chosen here");
        }
        out.push(d.help(
            "for NAT with `pasv_address`, use the IPv4 listener (`listen=YES`, `listen_ipv6=NO`), or run a second vsftpd for IPv6",
        ));
    }
}
