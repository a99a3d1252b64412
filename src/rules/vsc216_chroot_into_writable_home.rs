use crate::dialect::Tunable;
use crate::startup::oops;

use super::{head, Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags local users jailed in their home directories (`chroot_local_user=YES`, or
/// `chroot_list_enable=YES`) with neither a `local_root` nor `allow_writeable_chroot=YES`.
///
/// ## Why is this bad?
/// vsftpd refuses to chroot a user into a directory that user can write to. A normal home directory
/// is owned by its user and writable (mode 755 or 700), so every jailed login fails right after the
/// password with `500 OOPS: vsftpd: refusing to run with writable root inside chroot()`. It is the
/// best-known vsftpd error, and the server gives no hint at startup.
///
/// ## Example
/// ```vsftpd
/// local_enable=YES
/// chroot_local_user=YES
/// ```
/// Use instead — a root-owned jail per user, with a writable directory inside:
/// ```vsftpd
/// local_enable=YES
/// chroot_local_user=YES
/// user_sub_token=$USER
/// local_root=/srv/ftp/users/$USER
/// ```
/// or make each home directory non-writable (`chmod a-w /home/alice`) and give the user a writable
/// subdirectory.
///
/// ## Fix
/// None: the directory layout has to change (or, weaker, `allow_writeable_chroot=YES`, which lets a
/// user plant files such as `etc/passwd` inside the jail).
///
/// ## Known problems
/// The file alone cannot tell whether the home directories are writable; a site that already made
/// them read-only can suppress this finding. `vsconf lint --host-checks` checks a `local_root`
/// on the machine (VSC214).
///
/// ## References
/// - vsftpd.conf(5): `chroot_local_user`, `chroot_list_enable`, `allow_writeable_chroot`,
///   `local_root`, `user_sub_token`
/// - debian-3.0.3 binary: a login whose chroot directory is writable by the user gets
///   `500 OOPS: vsftpd: refusing to run with writable root inside chroot()` (checked with an
///   anonymous root owned by `ftp`; the check is the same for local users)
pub(crate) struct ChrootIntoWritableHome;

impl Rule for ChrootIntoWritableHome {
    const META: RuleMeta = RuleMeta::warning("VSC216", "chroot-into-writable-home")
        .settings(&[&[Tunable::ChrootLocalUser, Tunable::ChrootListEnable, Tunable::AllowWriteableChroot, Tunable::LocalRoot]])
        .summary("local users jailed in their (usually writable) home directories: vsftpd refuses those logins");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        let jailed = if cfg.bool(Tunable::ChrootLocalUser) {
            Tunable::ChrootLocalUser
        } else if cfg.bool(Tunable::ChrootListEnable) {
            Tunable::ChrootListEnable
        } else {
            return;
        };
        if !cfg.bool(Tunable::LocalEnable)
            || cfg.bool(Tunable::AllowWriteableChroot)
            || cfg.string(Tunable::LocalRoot).is_some()
        {
            return;
        }
        let who = if jailed == Tunable::ChrootLocalUser {
            "every local user is"
        } else {
            "the users in `chroot_list_file` are"
        };
        out.push(
            cx.report(
                head(cx.span_or_file_start(jailed)),
                format!(
                    "{who} jailed in their home directory, which they can usually write: those logins fail with `{}`",
                    oops::line(oops::WRITABLE_CHROOT)
                ),
            )
            .help("make the home directories non-writable (`chmod a-w`) with a writable subdirectory, or jail users in root-owned directories with `user_sub_token=$USER` and `local_root=/srv/ftp/users/$USER`"),
        );
    }
}
