use std::fmt;

use crate::diagnostic::Severity;
use crate::dialect::Tunable;
use crate::model::EffectiveConfig;

use super::{ALL_DIALECTS, Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

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

static META: RuleMeta = RuleMeta {
    code: "VSC101",
    name: "pasv-range-unset",
    category: Category::Consistency,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    dialects: ALL_DIALECTS,
    host_checks: false,
    summary: "passive mode without a pinned port range: data ports anywhere in 5001–65535",
};

impl Rule for PasvRangeUnset {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::PasvEnable)
            || cfg.is_set(Tunable::PasvMinPort)
            || cfg.is_set(Tunable::PasvMaxPort)
        {
            return;
        }
        let range = PassiveRange::of(cfg);
        out.push(
            cx.report(
                &META,
                cx.span_or_file_start(Tunable::PasvEnable),
                format!(
                    "passive mode is on but no passive port range is set: vsftpd picks data ports anywhere in {range}"
                ),
            )
            .help("set pasv_min_port and pasv_max_port (e.g. 50000 and 50100) and open exactly that range in the firewall"),
        );
    }
}

/// The passive port range vsftpd really uses for PASV and EPSV, with which bounds it honoured.
///
/// The algorithm is data-channel.md §1, measured on the debian-3.0.3 binary (identical in 3.0.5):
/// start from 1024–65535; `pasv_min_port` counts only when `1024 < min <= 65535`; then
/// `pasv_max_port` counts only when `lo <= max < 65535`, compared with the new `lo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PassiveRange {
    /// Lowest port.
    pub lo: u32,
    /// Highest port (always `>= lo`).
    pub hi: u32,
    /// Whether `pasv_min_port` was honoured.
    pub min_used: bool,
    /// Whether `pasv_max_port` was honoured.
    pub max_used: bool,
}

impl PassiveRange {
    /// The effective range of a configuration.
    pub(super) fn of(cfg: &EffectiveConfig) -> PassiveRange {
        PassiveRange::from_bounds(cfg.uint(Tunable::PasvMinPort), cfg.uint(Tunable::PasvMaxPort))
    }

    /// The effective range for these stored values (the model's rule, data-channel.md §1).
    pub(super) fn from_bounds(min: u32, max: u32) -> PassiveRange {
        let r = crate::model::passive::effective_range(min, max);
        PassiveRange {
            lo: u32::from(r.first),
            hi: u32::from(r.last),
            min_used: r.min_used,
            max_used: r.max_used,
        }
    }

    /// How many ports the range holds.
    pub(super) fn ports(self) -> u32 {
        self.hi.saturating_sub(self.lo).saturating_add(1)
    }

    /// Whether the port is in the range.
    pub(super) fn contains(self, port: u32) -> bool {
        self.lo <= port && port <= self.hi
    }
}

impl fmt::Display for PassiveRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.lo == self.hi {
            write!(f, "port {} only", self.lo)
        } else {
            write!(f, "{}–{}", self.lo, self.hi)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_counts_and_reads_as_people_write_it() {
        // The table itself is tested in model::passive.
        assert_eq!(PassiveRange::from_bounds(50000, 50009).ports(), 10);
        assert_eq!(PassiveRange::from_bounds(65535, 0).to_string(), "port 65535 only");
        assert_eq!(PassiveRange::from_bounds(5001, 0).to_string(), "5001–65535");
    }

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
