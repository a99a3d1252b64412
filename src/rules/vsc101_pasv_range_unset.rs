use crate::dialect::Tunable;

use super::{passive, Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags passive mode (`pasv_enable=YES`, the default) when neither `pasv_min_port` nor
/// `pasv_max_port` is set.
///
/// ## Why is this bad?
/// vsftpd then picks each data port at random anywhere in 5001–65535 (the compiled-in
/// `pasv_min_port` is 5001, not 0 as the manual says). No firewall can open that sensibly: either
/// 60,000 ports are open, or logins work and every `LIST`, `RETR` and `STOR` hangs until the client
/// times out. Under TLS the kernel's FTP helper cannot see the `227` reply, so a pinned range is the
/// only way through a firewall.
///
/// ## Example
/// ```vsftpd
/// listen=YES
/// pasv_enable=YES
/// ```
/// Use instead:
/// ```vsftpd
/// listen=YES
/// pasv_enable=YES
/// pasv_min_port=50000
/// pasv_max_port=50100
/// ```
///
/// ## Fix
/// None: the range must match your firewall (`vsconf set FILE pasv_min_port=50000
/// pasv_max_port=50100`, then `vsconf firewall FILE`).
///
/// ## References
/// - vsftpd.conf(5): `pasv_enable`, `pasv_min_port`, `pasv_max_port`
/// - debian-3.0.3 binary: with no range set, 400 PASV replies gave ports 5076…65523, none below 5001
///   (data-channel.md §1)
pub(crate) struct PasvRangeUnset;

impl Rule for PasvRangeUnset {
    const META: RuleMeta = RuleMeta::warning("VSC101", "pasv-range-unset")
        .settings(&[&[Tunable::PasvEnable, Tunable::PasvMinPort, Tunable::PasvMaxPort]])
        .summary("passive mode without a pinned port range: data ports anywhere in 5001–65535");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::PasvEnable)
            || cfg.is_set(Tunable::PasvMinPort)
            || cfg.is_set(Tunable::PasvMaxPort)
        {
            return;
        }
        let range = cfg.passive_range();
        let shown = passive::text(range);
        out.push(
            cx.report(
                cx.span_or_file_start(Tunable::PasvEnable),
                format!(
                    "passive mode is on but no passive port range is set: vsftpd picks data ports anywhere in {shown}"
                ),
            )
            .help("set pasv_min_port and pasv_max_port (e.g. 50000 and 50100) and open exactly that range in the firewall"),
        );
    }
}

#[cfg(test)]
mod tests {
    

    #[test]
    fn a_sane_server_raises_no_consistency_or_security_finding() {
        use crate::rules::{LintOptions, lint};
        let text = b"listen=YES
anonymous_enable=NO
local_enable=YES
write_enable=YES
chroot_local_user=YES
user_sub_token=$USER
local_root=/srv/ftp/users/$USER
ssl_enable=YES
rsa_cert_file=/etc/ssl/certs/ftp.pem
rsa_private_key_file=/etc/ssl/private/ftp.key
force_local_logins_ssl=YES
force_local_data_ssl=YES
ssl_tlsv1=NO
seccomp_sandbox=NO
pasv_min_port=50000
pasv_max_port=50100
xferlog_enable=YES
";
        for dialect in crate::dialect::Dialect::ALL {
            let cst = crate::syntax::parse(text).cst;
            let options = LintOptions {
                dialect,
                ..LintOptions::default()
            };
            let found: Vec<&str> = lint(&cst, None, &options, None)
                .diagnostics
                .iter()
                .map(|d| d.code)
                .filter(|c| c.starts_with("VSC1") || c.starts_with("VSC3"))
                .collect();
            assert_eq!(found, Vec::<&str>::new(), "{dialect}");
        }
    }
}
