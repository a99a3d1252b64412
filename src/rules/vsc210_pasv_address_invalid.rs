use crate::dialect::Tunable;
use crate::model::value::{inet_aton, inet_pton6};
use crate::startup::oops;

use super::{head, excerpt, passive, Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags a `pasv_address` that is not an IPv4 address while `pasv_addr_resolve=NO` (the default):
/// a host name, an IPv6 address, or a typo.
///
/// ## Why is this bad?
/// vsftpd does not check the value at startup. It parses it at each PASV command, and when that
/// fails it kills the session: `500 OOPS: invalid pasv_address`. The server starts, logins work, and
/// every directory listing or transfer in passive mode — the mode almost every client uses — ends
/// the connection.
///
/// ## Example
/// ```vsftpd
/// pasv_address=ftp.example.com
/// ```
/// Use instead:
/// ```vsftpd
/// pasv_address=ftp.example.com
/// pasv_addr_resolve=YES
/// ```
///
/// ## Fix
/// None. For a host name, `pasv_addr_resolve=YES` makes vsftpd resolve it once at startup (a DNS
/// change then needs a restart, and a `SIGHUP` reload loses the resolved address); otherwise write
/// the public IPv4 address.
///
/// ## References
/// - vsftpd.conf(5): `pasv_address`, `pasv_addr_resolve`
/// - debian-3.0.3 binary: `pasv_address=bogus` starts, and the first PASV gets
///   `500 OOPS: invalid pasv_address` and the session closes
pub(crate) struct PasvAddressInvalid;

impl Rule for PasvAddressInvalid {
    const META: RuleMeta = RuleMeta::error("VSC210", "pasv-address-invalid")
        .settings(&[&[Tunable::PasvAddress, Tunable::PasvAddrResolve]])
        .summary("`pasv_address` is not an IPv4 address: every PASV kills the session");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(addr) = passive::literal_address(cx.config()) else {
            return;
        };
        if inet_aton(addr).is_some() {
            return;
        }
        let shown = excerpt(addr);
        let help = if inet_pton6(addr).is_some() {
            "PASV replies carry an IPv4 address only; IPv6 clients use EPSV, which carries no address: write the public IPv4 address, or remove the line".to_owned()
        } else if addr.iter().any(u8::is_ascii_alphabetic) {
            "this looks like a host name: add `pasv_addr_resolve=YES` so vsftpd resolves it at startup, or write the IPv4 address".to_owned()
        } else {
            "write the IPv4 address clients should connect to for passive transfers (e.g. `203.0.113.10`)".to_owned()
        };
        let span = cx
            .value_span(Tunable::PasvAddress)
            .unwrap_or_else(|| cx.span_or_file_start(Tunable::PasvAddress));
        out.push(
            cx.report(
                head(span),
                format!("`pasv_address={shown}` is not an IPv4 address: every PASV kills the session with `{}`", oops::line(oops::INVALID_PASV_ADDRESS)),
            )
            .help(help),
        );
    }
}
