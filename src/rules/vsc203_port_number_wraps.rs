use crate::dialect::Tunable;

use super::{head, excerpt, Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags `listen_port` or `ftp_data_port` set above 65535 or to a negative number.
///
/// ## Why is this bad?
/// vsftpd stores numbers as 32-bit unsigned integers and casts these two to a 16-bit port when it
/// uses them, silently: `listen_port=99999` listens on 34463 (99999 − 65536), `listen_port=65557`
/// on 21, `listen_port=-1` on 65535, and `4294967296` becomes 0 — a random port. The server
/// starts, on a port nobody expects.
///
/// ## Example
/// ```vsftpd
/// listen_port=70021
/// ```
/// Use instead:
/// ```vsftpd
/// listen_port=2121
/// ```
///
/// ## Fix
/// None: the port that was meant cannot be guessed.
///
/// ## References
/// - vsftpd.conf(5): `listen_port`, `ftp_data_port`
/// - debian-3.0.3 binary: `listen_port=99999` listens on 34463, `65557` on 21, `-1` on 65535;
///   `connect_from_port_20=YES` with `ftp_data_port=70000` connects from port 4464
pub(crate) struct PortNumberWraps;

impl Rule for PortNumberWraps {
    const META: RuleMeta = RuleMeta::warning("VSC203", "port-number-wraps")
        .settings(&[&[Tunable::ListenPort, Tunable::FtpDataPort]])
        .summary("`listen_port`/`ftp_data_port` above 65535 or negative wraps around silently");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (tunable, n, value) in cx.numbers() {
            if !matches!(tunable, Tunable::ListenPort | Tunable::FtpDataPort) || n.value <= 65535 {
                continue;
            }
            let port = n.value & 0xFFFF;
            let name = tunable.name();
            let text = excerpt(cx.text(value).trim_ascii_end());
            let used = if port == 0 {
                "0, so the kernel picks a random port".to_owned()
            } else {
                format!("port {port}")
            };
            let why = if n.negative {
                "a negative number wraps around to a large unsigned one".to_owned()
            } else {
                format!("{} does not fit a 16-bit port", n.value)
            };
            out.push(
                cx.report(
                    head(value),
                    format!("`{name}={text}` is out of range: {why}, and vsftpd uses {used}"),
                )
                .help("use a port between 1 and 65535"),
            );
        }
    }
}
