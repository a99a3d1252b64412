use crate::diagnostic::Applicability;
use crate::dialect::Tunable;

use super::fix::set_value;
use super::{Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags `port_promiscuous=YES` and `pasv_promiscuous=YES`.
///
/// ## Why is this bad?
/// - `port_promiscuous=YES` lets a client's `PORT`/`EPRT` name any address and port, not just its
///   own address and ports above 1023. The server then connects wherever it is told: the FTP
///   bounce attack, which scans internal networks and sends crafted data to other services from
///   the server's address.
/// - `pasv_promiscuous=YES` turns off the check that a passive data connection comes from the
///   client's own address. Anyone who guesses the port (vsftpd's picks are not secret) can connect
///   first and steal a download or inject an upload.
///
/// ## Example
/// ```vsftpd
/// port_promiscuous=YES
/// ```
/// Use instead:
/// ```vsftpd
/// port_promiscuous=NO
/// ```
///
/// ## Fix
/// Unsafe: sets the value to `NO` (the default). Setups that relied on it (FXP server-to-server
/// transfers, some NAT or proxy layouts) stop working.
///
/// ## References
/// - vsftpd.conf(5): `port_promiscuous`, `pasv_promiscuous`
/// - RFC 2577 §3 (protecting against the bounce attack) and §7 (port stealing); CERT advisory
///   CA-1997-27 (FTP bounce)
/// - debian-3.0.3 binary: with `pasv_promiscuous=NO` a data connection from another address gets
///   `425 Security: Bad IP connecting.`; with YES it is accepted; with `port_promiscuous=YES` any
///   PORT address is accepted (data-channel.md §1, §3)
pub(crate) struct PromiscuousDataConnections;

impl Rule for PromiscuousDataConnections {
    const META: RuleMeta = RuleMeta::error("VSC307", "promiscuous-data-connections")
        .settings(&[&[Tunable::PortPromiscuous, Tunable::PasvPromiscuous]])
        .summary("port_promiscuous (FTP bounce) or pasv_promiscuous (data hijacking) is on")
        .fixes(FixAvailability::Always(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        let cases = [
            (
                Tunable::PortPromiscuous,
                Tunable::PortEnable,
                "PORT and EPRT may name any address and port: the server can be used for FTP bounce attacks against other hosts",
            ),
            (
                Tunable::PasvPromiscuous,
                Tunable::PasvEnable,
                "passive data connections are accepted from any address: whoever connects to the port first can steal a download or inject an upload",
            ),
        ];
        for (tunable, mode, message) in cases {
            if !cfg.bool(tunable) || !cfg.bool(mode) {
                continue;
            }
            let mut d = cx
                .report(cx.span_or_file_start(tunable), message)
                .help(format!("set {}=NO (the default)", tunable.name()));
            if let Some(fix) = set_value(cx, tunable, "NO") {
                d = d.fix(fix);
            }
            out.push(d);
        }
    }
}
