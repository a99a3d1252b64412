use crate::dialect::Tunable;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags local logins (`local_enable=YES`) with neither `chroot_local_user=YES` nor
/// `chroot_list_enable=YES`.
///
/// ## Why is this bad?
/// Local users are then not confined to their home directory: after login they can `CWD /` and
/// list and download everything their account can read — `/etc`, other users' world-readable
/// files, application configuration with database passwords. FTP accounts are often meant to
/// reach one directory only.
///
/// ## Example
/// ```vsftpd
/// local_enable=YES
/// ```
/// Use instead:
/// ```vsftpd
/// local_enable=YES
/// chroot_local_user=YES
/// ```
///
/// ## Fix
/// None: with `chroot_local_user=YES`, vsftpd refuses users whose home directory they can write
/// (`500 OOPS: vsftpd: refusing to run with writable root inside chroot()`), so home directories
/// (or `local_root`) may need to change first.
///
/// ## References
/// - vsftpd.conf(5): `chroot_local_user`, `chroot_list_enable`, `local_root`,
///   `allow_writeable_chroot`
pub(crate) struct LocalUsersNotChrooted;

impl Rule for LocalUsersNotChrooted {
    const META: RuleMeta = RuleMeta::warning("VSC308", "local-users-not-chrooted")
        .settings(&[&[Tunable::ChrootLocalUser, Tunable::ChrootListEnable, Tunable::LocalEnable]])
        .summary("local users are not chrooted: they can browse the whole file system");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::LocalEnable)
            || cfg.bool(Tunable::ChrootLocalUser)
            || cfg.bool(Tunable::ChrootListEnable)
        {
            return;
        }
        let mut d = cx
            .report(
                cx.span_or_file_start(Tunable::LocalEnable),
                "local users are not chrooted: after login they can browse and download everything their account can read, /etc included",
            )
            .help("set chroot_local_user=YES (home directories must not be writable by their user, or set a read-only local_root)");
        if cfg.is_set(Tunable::ChrootLocalUser) {
            d = d.label(cx.span_or_file_start(Tunable::ChrootLocalUser), "chroot off");
        }
        out.push(d);
    }
}
