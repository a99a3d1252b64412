use crate::dialect::Tunable;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags `ftp_data_port` set while `connect_from_port_20=NO` (the compiled-in default) or
/// `port_enable=NO`.
///
/// ## Why is this bad?
/// `ftp_data_port` is the source port of active-mode (PORT/EPRT) data connections, and vsftpd uses
/// it only with `connect_from_port_20=YES`; otherwise the connection comes from an ephemeral port.
/// With `port_enable=NO` there are no active-mode connections at all. An outbound firewall rule
/// written for that source port matches nothing.
///
/// ## Example
/// ```vsftpd
/// ftp_data_port=2020
/// ```
/// Use instead:
/// ```vsftpd
/// connect_from_port_20=YES
/// ftp_data_port=2020
/// ```
///
/// ## Fix
/// None: either turn `connect_from_port_20` on or remove the line; only you know which was meant.
///
/// ## References
/// - vsftpd.conf(5): `ftp_data_port`, `connect_from_port_20`, `port_enable`
/// - debian-3.0.3 binary: with `connect_from_port_20=NO` the data connection came from an ephemeral
///   port whatever `ftp_data_port` said; with YES and `ftp_data_port=2020`, from port 2020
///   (data-channel.md §3)
pub(crate) struct FtpDataPortIgnored;

impl Rule for FtpDataPortIgnored {
    const META: RuleMeta = RuleMeta::warning("VSC108", "ftp-data-port-ignored")
        .settings(&[&[Tunable::FtpDataPort, Tunable::ConnectFromPort20, Tunable::PortEnable]])
        .summary("ftp_data_port set but unused (connect_from_port_20=NO or port_enable=NO)");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.is_set(Tunable::FtpDataPort) {
            return;
        }
        let (cause, help) = if !cfg.bool(Tunable::PortEnable) {
            (
                Tunable::PortEnable,
                "active mode is off (port_enable=NO): remove the line, or set port_enable=YES if active mode is wanted",
            )
        } else if !cfg.bool(Tunable::ConnectFromPort20) {
            (
                Tunable::ConnectFromPort20,
                "set connect_from_port_20=YES for active-mode data to come from this port, or remove the line",
            )
        } else {
            return;
        };
        let mut d = cx
            .report(
                cx.span_or_file_start(Tunable::FtpDataPort),
                format!(
                    "ftp_data_port is ignored because {}: active-mode data connections {}",
                    cx.describe(cause),
                    if cause == Tunable::PortEnable {
                        "are refused"
                    } else {
                        "come from an ephemeral port"
                    }
                ),
            )
            .help(help);
        if cfg.is_set(cause) {
            d = d.label(cx.span_or_file_start(cause), "turns it off");
        }
        out.push(d);
    }
}
