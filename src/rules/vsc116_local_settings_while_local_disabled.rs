use crate::dialect::Tunable;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags settings that only concern local (and guest) logins — `local_root`, `local_umask`,
/// `local_max_rate`, `chroot_local_user`, `chroot_list_*`, `passwd_chroot_enable`,
/// `allow_writeable_chroot`, `guest_*`, `virtual_use_local_privs`, `user_sub_token`, `chmod_enable`
/// and, with TLS on, `force_local_*_ssl` — in a file with `local_enable=NO`. A line that only
/// restates the default is not reported.
///
/// ## Why is this bad?
/// They do nothing. `chroot_local_user=YES` in an anonymous-only server suggests a confinement
/// policy that exists only because no local user can log in at all; when someone later turns
/// `local_enable` on, a stale `local_root` or `local_umask` suddenly applies.
///
/// ## Example
/// ```vsftpd
/// local_enable=NO
/// chroot_local_user=YES
/// ```
/// Use instead:
/// ```vsftpd
/// local_enable=NO
/// ```
///
/// ## Fix
/// None: either the line is stale or local logins were meant to be on.
///
/// ## References
/// - vsftpd.conf(5): `local_enable` and the settings listed above
pub(crate) struct LocalSettingsWhileLocalDisabled;

/// Settings read only for local (including guest) logins.
const LOCAL_ONLY: &[Tunable] = &[
    Tunable::AllowWriteableChroot,
    Tunable::ChmodEnable,
    Tunable::ChrootListEnable,
    Tunable::ChrootListFile,
    Tunable::ChrootLocalUser,
    Tunable::GuestEnable,
    Tunable::GuestUsername,
    Tunable::LocalMaxRate,
    Tunable::LocalRoot,
    Tunable::LocalUmask,
    Tunable::PasswdChrootEnable,
    Tunable::UserSubToken,
    Tunable::VirtualUseLocalPrivs,
];

impl Rule for LocalSettingsWhileLocalDisabled {
    const META: RuleMeta = RuleMeta::warning("VSC116", "local-settings-while-local-disabled")
        .settings(&[LOCAL_ONLY, &[Tunable::LocalEnable, Tunable::ForceLocalDataSsl, Tunable::ForceLocalLoginsSsl]])
        .summary("local-user settings while local_enable=NO: they are ignored");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if cfg.bool(Tunable::LocalEnable) {
            return;
        }
        let mut settings: Vec<Tunable> = LOCAL_ONLY.to_vec();
        // Without TLS, VSC110 reports these.
        if cfg.bool(Tunable::SslEnable) {
            settings.extend([Tunable::ForceLocalDataSsl, Tunable::ForceLocalLoginsSsl]);
        }
        cx.report_ineffective(settings, Tunable::LocalEnable, "local logins", "remove the line, or set local_enable=YES if local users are meant to log in", out);
    }
}
