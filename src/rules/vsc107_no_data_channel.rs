use crate::dialect::Tunable;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags `pasv_enable=NO` together with `port_enable=NO`.
///
/// ## Why is this bad?
/// Every FTP listing and transfer needs a data connection, opened either passively (PASV, EPSV) or
/// actively (PORT, EPRT). With both off, vsftpd answers all four with `550 Permission denied.`:
/// users can log in and change directories, but no `LIST`, `RETR` or `STOR` can ever succeed.
///
/// ## Example
/// ```vsftpd
/// pasv_enable=NO
/// port_enable=NO
/// ```
/// Use instead:
/// ```vsftpd
/// pasv_enable=YES
/// port_enable=NO
/// pasv_min_port=50000
/// pasv_max_port=50100
/// ```
///
/// ## Fix
/// None: choose the mode your clients and firewall use (passive is the usual one).
///
/// ## References
/// - vsftpd.conf(5): `pasv_enable`, `port_enable`
/// - debian-3.0.3 binary: with both off, PASV, EPSV, PORT and EPRT answer `550 Permission denied.`
///   and FEAT lists only MDTM, REST STREAM, SIZE, TVFS (data-channel.md §1, §3)
pub(crate) struct NoDataChannel;

impl Rule for NoDataChannel {
    const META: RuleMeta = RuleMeta::error("VSC107", "no-data-channel")
        .settings(&[&[Tunable::PasvEnable, Tunable::PortEnable]])
        .summary("passive and active mode both off: no listing or transfer can work");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if cfg.bool(Tunable::PasvEnable) || cfg.bool(Tunable::PortEnable) {
            return;
        }
        let mut d = cx
            .report(
                cx.span_or_file_start(Tunable::PasvEnable),
                "passive and active mode are both off: PASV, EPSV, PORT and EPRT get `550 Permission denied.`, so no LIST, RETR or STOR can work",
            )
            .help("set pasv_enable=YES (with a pinned pasv_min_port/pasv_max_port range) or port_enable=YES");
        if cfg.is_set(Tunable::PortEnable) {
            d = d.label(cx.span_or_file_start(Tunable::PortEnable), "active mode off");
        }
        out.push(d);
    }
}
