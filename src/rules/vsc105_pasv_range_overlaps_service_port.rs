use crate::dialect::Tunable;
use crate::model::{ActiveSource, ListenMode};

use super::passive;
use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags a control port (`listen_port`, standalone mode) or an active-mode source port
/// (`ftp_data_port`, with `connect_from_port_20=YES` and `port_enable=YES`) that lies inside the
/// effective passive port range.
///
/// ## Why is this bad?
/// vsftpd draws passive ports at random from the range; when it draws a port already in use, the
/// bind fails and it draws again, at most nine times before the session is killed with
/// `500 OOPS: vsf_sysutil_bind`. A service port inside the range is a port the range can never
/// serve, and a firewall rule for the range and one for the service now describe the same port
/// two ways. Ports are compared as vsftpd uses them, modulo 65536.
///
/// ## Example
/// ```vsftpd
/// listen=YES
/// listen_port=50000
/// pasv_min_port=50000
/// pasv_max_port=50100
/// ```
/// Use instead:
/// ```vsftpd
/// listen=YES
/// listen_port=2121
/// pasv_min_port=50000
/// pasv_max_port=50100
/// ```
///
/// ## Fix
/// None: either the service port or the range must move, and the firewall with it.
///
/// ## References
/// - vsftpd.conf(5): `listen_port`, `ftp_data_port`, `pasv_min_port`, `pasv_max_port`
/// - data-channel.md §1 (port choice and retries), §3 (`ftp_data_port` is used only with
///   `connect_from_port_20=YES`), §4 (`listen_port` is cast to 16 bits, ignored in inetd mode)
/// - debian-3.0.3 binary: `listen_port=50000` with the range 50000–50000: an anonymous PASV got
///   `500 OOPS: vsf_sysutil_bind` and the session ended (private netns, 2026-11-24)
pub(crate) struct PasvRangeOverlapsServicePort;

impl Rule for PasvRangeOverlapsServicePort {
    const META: RuleMeta = RuleMeta::warning("VSC105", "pasv-range-overlaps-service-port")
        .settings(&[&[Tunable::PasvMinPort, Tunable::PasvMaxPort, Tunable::ListenPort, Tunable::FtpDataPort]])
        .summary("listen_port or ftp_data_port lies inside the passive port range");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        let Some(range) = passive::in_use(cfg) else {
            return;
        };
        let shown = passive::text(range);
        // The model's listener and active source (both cast to 16 bits, data-channel.md §3, §4).
        let standalone = cfg.listen_mode() != Ok(ListenMode::Inetd);
        let control = standalone.then(|| cfg.port(Tunable::ListenPort));
        let active = match cfg.data_ports().active {
            Some(ActiveSource::Port(port)) => Some(port),
            _ => None,
        };
        let candidates = [
            (Tunable::ListenPort, control, "the control port"),
            (
                Tunable::FtpDataPort,
                active,
                "the source port of active-mode data connections",
            ),
        ];
        for (tunable, port, what) in candidates {
            let Some(port) = port.filter(|p| passive::holds(range, u32::from(*p))) else {
                continue;
            };
            let mut d = cx
                .report(
                    cx.span_or_file_start(tunable),
                    format!(
                        "{}={port} ({what}) lies inside the passive port range {shown}",
                        tunable.name()
                    ),
                )
                .help(format!(
                    "move {} or the passive range so that they do not overlap",
                    tunable.name()
                ));
            for bound in [Tunable::PasvMinPort, Tunable::PasvMaxPort] {
                if cfg.is_set(bound) {
                    d = d.label(cx.span_or_file_start(bound), "the passive range");
                }
            }
            out.push(d);
        }
    }
}
