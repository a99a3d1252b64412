use crate::dialect::Tunable;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags listener settings that the chosen listening mode ignores:
/// - `listen_address` unless `listen=YES` (the IPv4 listener);
/// - `listen_address6` unless `listen_ipv6=YES`;
/// - in inetd mode (`listen=NO` and `listen_ipv6=NO`), `listen_port`, `max_clients` and
///   `max_per_ip`, which only the standalone listener uses.
///
/// ## Why is this bad?
/// The setting looks as if it restricted the server, but it does nothing. With `listen_ipv6=YES`,
/// `listen_address=127.0.0.1` does not stop vsftpd from listening on every address, IPv4 included
/// (dual-stack `::`). vsftpd does not even check the ignored value: `listen_address=bogus` starts.
///
/// ## Example
/// ```vsftpd
/// listen_ipv6=YES
/// listen_address=192.0.2.10
/// ```
/// Use instead:
/// ```vsftpd
/// listen=YES
/// listen_address=192.0.2.10
/// ```
///
/// ## Fix
/// None: either the mode or the address is wrong, and switching modes changes who can connect.
///
/// ## References
/// - vsftpd.conf(5): `listen`, `listen_ipv6`, `listen_address`, `listen_address6`, `listen_port`
/// - debian-3.0.3 binary: `listen_ipv6=YES` with `listen_address=bogus` starts, and `listen=YES`
///   with `listen_address6=bogus` starts, while `listen=YES` with `listen_address=bogus` is refused
///   with `500 OOPS: bad listen_address: bogus` — the value is never read in the other mode
/// - data-channel.md §4: `listen_port` is ignored in inetd mode
pub(crate) struct ListenerSettingIgnored;

impl Rule for ListenerSettingIgnored {
    const META: RuleMeta = RuleMeta::warning("VSC109", "listener-setting-ignored")
        .settings(&[&[Tunable::Listen, Tunable::ListenIpv6, Tunable::ListenAddress, Tunable::ListenAddress6, Tunable::ListenPort, Tunable::MaxClients, Tunable::MaxPerIp]])
        .summary("a listen address, port or limit that the listening mode ignores");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        let listen = cfg.bool(Tunable::Listen);
        let listen_ipv6 = cfg.bool(Tunable::ListenIpv6);
        if listen && listen_ipv6 {
            // vsftpd refuses to start: VSC007.
            return;
        }
        let mode = if listen {
            "the IPv4 listener (listen=YES) is used"
        } else if listen_ipv6 {
            "the IPv6 listener (listen_ipv6=YES) is used"
        } else {
            "vsftpd runs in inetd mode (listen=NO and listen_ipv6=NO)"
        };
        let mode_line = if listen_ipv6 {
            Tunable::ListenIpv6
        } else {
            Tunable::Listen
        };
        let mut ignored: Vec<(Tunable, &str)> = Vec::new();
        if !listen && cfg.is_set(Tunable::ListenAddress) {
            ignored.push((Tunable::ListenAddress, "it applies only to listen=YES"));
        }
        if !listen_ipv6 && cfg.is_set(Tunable::ListenAddress6) {
            ignored.push((Tunable::ListenAddress6, "it applies only to listen_ipv6=YES"));
        }
        if !listen && !listen_ipv6 {
            for t in [Tunable::ListenPort, Tunable::MaxClients, Tunable::MaxPerIp] {
                if cfg.is_set(t) {
                    ignored.push((t, "inetd chooses the port and starts one vsftpd per connection"));
                }
            }
        }
        for (tunable, why) in ignored {
            let mut d = cx
                .report(
                    cx.span_or_file_start(tunable),
                    format!("{} is ignored: {mode}, and {why}", tunable.name()),
                )
                .help(if tunable == Tunable::ListenAddress || tunable == Tunable::ListenAddress6 {
                    "use the listener the address belongs to (listen=YES for IPv4, listen_ipv6=YES for IPv6), or remove the line"
                } else {
                    "configure the port and limits in the inetd or systemd socket unit, or set listen=YES; otherwise remove the line"
                });
            if cfg.is_set(mode_line) {
                d = d.label(cx.span_or_file_start(mode_line), "the listening mode");
            }
            out.push(d);
        }
    }
}
