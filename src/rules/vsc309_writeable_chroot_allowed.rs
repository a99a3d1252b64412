use crate::dialect::Tunable;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags `allow_writeable_chroot=YES` when local users are chrooted (`chroot_local_user=YES` or
/// `chroot_list_enable=YES`).
///
/// ## Why is this bad?
/// Since 2.3.5 vsftpd refuses to chroot a user into a directory that user can write. A writable
/// jail root lets the user create the files the C library reads inside the jail —
/// `/etc/nsswitch.conf`, `/etc/passwd`, the libraries `nsswitch.conf` names — and so get code of
/// their choosing loaded by a process in the jail when it looks up names: the classic way chroot
/// jails of FTP servers have been escaped. This option turns that protection off for local and
/// guest users (anonymous logins stay protected). The usual reason is a home directory owned by
/// its user; the safe way out is a read-only jail root with a writable subdirectory.
///
/// ## Example
/// ```vsftpd
/// local_enable=YES
/// chroot_local_user=YES
/// allow_writeable_chroot=YES
/// ```
/// Use instead (root-owned, non-writable `/srv/ftp/<user>`, with a writable `upload/` inside):
/// ```vsftpd
/// local_enable=YES
/// chroot_local_user=YES
/// user_sub_token=$USER
/// local_root=/srv/ftp/$USER
/// ```
///
/// ## Fix
/// None: removing the option makes vsftpd refuse every user whose jail root is writable, so the
/// directories must change first.
///
/// ## References
/// - vsftpd.conf(5): `allow_writeable_chroot`, `chroot_local_user`
/// - vsftpd 2.3.5 changelog (writable chroot root refused); startup-checks.md phase C (bin:
///   `500 OOPS: vsftpd: refusing to run with writable root inside chroot()`, lifted for local
///   users by this option, never for anonymous)
pub(crate) struct WriteableChrootAllowed;

impl Rule for WriteableChrootAllowed {
    const META: RuleMeta = RuleMeta::warning("VSC309", "writeable-chroot-allowed")
        .settings(&[&[Tunable::AllowWriteableChroot]])
        .summary("allow_writeable_chroot=YES: users may write to their jail's root");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::AllowWriteableChroot)
            || !cfg.bool(Tunable::LocalEnable)
            || !(cfg.bool(Tunable::ChrootLocalUser) || cfg.bool(Tunable::ChrootListEnable))
        {
            return;
        }
        out.push(
            cx.report(
                cx.span_or_file_start(Tunable::AllowWriteableChroot),
                "allow_writeable_chroot=YES lets chrooted users write to their jail's root, where they can plant files the C library reads inside the jail (/etc/nsswitch.conf, /etc/passwd, libraries)",
            )
            .help("make each jail root owned by root and not writable (chmod a-w), give users a writable subdirectory, and remove allow_writeable_chroot"),
        );
    }
}
