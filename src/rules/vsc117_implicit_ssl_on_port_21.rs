use crate::dialect::Tunable;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags `implicit_ssl=YES` (with `ssl_enable=YES`) on a standalone listener whose `listen_port`
/// is 21.
///
/// ## Why is this bad?
/// With implicit TLS the server expects a TLS handshake as the very first bytes. Clients connecting
/// to port 21 speak plain FTP first (and upgrade with `AUTH TLS`, explicit FTPS): they wait for a
/// `220` greeting that never comes while the server waits for a `ClientHello`, and the connection
/// hangs or fails with an obscure TLS error. Implicit FTPS conventionally uses port 990.
///
/// ## Example
/// ```vsftpd
/// listen=YES
/// ssl_enable=YES
/// implicit_ssl=YES
/// ```
/// Use instead:
/// ```vsftpd
/// listen=YES
/// ssl_enable=YES
/// implicit_ssl=YES
/// listen_port=990
/// ```
/// or keep port 21 with explicit FTPS (`implicit_ssl=NO`).
///
/// ## Fix
/// None: moving the port or the TLS mode changes what clients must do.
///
/// ## References
/// - vsftpd.conf(5): `implicit_ssl`, `listen_port`
/// - RFC 4217 (explicit FTPS with `AUTH TLS`); IANA port 990 `ftps`
/// - debian-3.0.3 binary: with `implicit_ssl=YES` a plain FTP client got no `220` and timed out
pub(crate) struct ImplicitSslOnPort21;

impl Rule for ImplicitSslOnPort21 {
    const META: RuleMeta = RuleMeta::warning("VSC117", "implicit-ssl-on-port-21")
        .settings(&[&[Tunable::ImplicitSsl, Tunable::ListenPort]])
        .summary("implicit TLS on port 21, where clients expect plain FTP and AUTH TLS");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        let standalone = cfg.bool(Tunable::Listen) || cfg.bool(Tunable::ListenIpv6);
        // listen_port is cast to 16 bits (data-channel.md §4).
        if !standalone
            || !cfg.bool(Tunable::SslEnable)
            || !cfg.bool(Tunable::ImplicitSsl)
            || cfg.uint(Tunable::ListenPort) % 65536 != 21
        {
            return;
        }
        let mut d = cx
            .report(
                cx.span_or_file_start(Tunable::ImplicitSsl),
                format!(
                    "implicit TLS on {}: clients connecting to port 21 expect plain FTP and AUTH TLS, not a TLS handshake first",
                    cx.describe(Tunable::ListenPort)
                ),
            )
            .help("listen on port 990 for implicit FTPS (listen_port=990), or use explicit FTPS on port 21 (implicit_ssl=NO)");
        if cfg.is_set(Tunable::ListenPort) {
            d = d.label(cx.span_or_file_start(Tunable::ListenPort), "port 21");
        }
        out.push(d);
    }
}
