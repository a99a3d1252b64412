use crate::startup::oops;
use crate::dialect::Tunable;
use crate::startup::host::{Host, PathMeta, UserEntry};

use super::{head, excerpt, Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// With `--host-checks`, flags a chroot directory that the logged-in user can write to:
/// - for anonymous logins, `anon_root` (or the `ftp_username` user's home directory when
///   `anon_root` is unset), checked always;
/// - for local users chrooted by `chroot_local_user=YES`, a fixed `local_root` that every user can
///   write (mode `o+w`), unless `allow_writeable_chroot=YES`.
///
/// ## Why is this bad?
/// Since 2.3.5 vsftpd refuses to chroot into a directory the user can write, because a writable
/// root lets the user plant files such as `/etc/passwd` inside the jail. The server starts, and
/// every affected login fails with `500 OOPS: vsftpd: refusing to run with writable root inside
/// chroot()`. `allow_writeable_chroot=YES` lifts this for local users only: anonymous logins are
/// refused regardless.
///
/// ## Example
/// An `anon_root` owned by the `ftp` user, or mode 0777:
/// ```vsftpd
/// anonymous_enable=YES
/// anon_root=/srv/ftp
/// ```
/// Use instead: make the root owned by root and not writable (`chown root:root /srv/ftp; chmod 755
/// /srv/ftp`), and give uploads a writable subdirectory (`/srv/ftp/incoming`).
///
/// ## Fix
/// None: the directory's owner or mode must change, not the file.
///
/// ## Known problems
/// Write access is judged from the owner, the primary group and the mode bits; supplementary groups
/// and ACLs are not examined. Local users' own home directories (no `local_root`) are not checked.
///
/// ## References
/// - vsftpd.conf(5): `chroot_local_user`, `allow_writeable_chroot`, `anon_root`
/// - debian-3.0.3 binary: an anonymous login with a writable root gets
///   `500 OOPS: vsftpd: refusing to run with writable root inside chroot()`, also with
///   `allow_writeable_chroot=YES`
pub(crate) struct WritableChrootRoot;

/// `500 OOPS: vsftpd: refusing to run with writable root inside chroot()`, from `startup::oops`.
fn writable_chroot_oops() -> String {
    format!("{}{}", oops::PREFIX, oops::WRITABLE_CHROOT)
}

fn writable_by(meta: &PathMeta, user: &UserEntry) -> bool {
    meta.mode & 0o002 != 0
        || (meta.uid == user.uid && meta.mode & 0o200 != 0)
        || (meta.gid == user.gid && meta.mode & 0o020 != 0)
}

impl Rule for WritableChrootRoot {
    const META: RuleMeta = RuleMeta::error("VSC214", "writable-chroot-root")
        .settings(&[&[Tunable::AllowWriteableChroot, Tunable::AnonRoot, Tunable::ChrootLocalUser, Tunable::ChrootListEnable, Tunable::LocalRoot]])
        .summary("the chroot directory is writable by the user: vsftpd refuses those logins")
        .needs_host();

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(host) = cx.host else { return };
        let cfg = cx.config();
        if cfg.bool(Tunable::AnonymousEnable) {
            anonymous(cx, host, out);
        }
        if cfg.bool(Tunable::LocalEnable)
            && cfg.bool(Tunable::ChrootLocalUser)
            && !cfg.bool(Tunable::AllowWriteableChroot)
        {
            let Some(root) = cfg.string(Tunable::LocalRoot) else {
                return;
            };
            if cfg
                .string(Tunable::UserSubToken)
                .is_some_and(|t| !t.is_empty() && root.windows(t.len()).any(|w| w == t))
            {
                return;
            }
            let Some(meta) = host.metadata(root) else { return };
            if meta.is_dir && meta.mode & 0o002 != 0 {
                out.push(
                    cx.report(
                        head(cx.span_or_file_start(Tunable::LocalRoot)),
                        format!(
                            "`local_root={}` is writable by every user (mode {:04o}): every chrooted local login gets `{}`",
                            excerpt(root),
                            meta.mode,
                            writable_chroot_oops()
                        ),
                    )
                    .help("remove write permission for others (`chmod o-w`) and give users a writable subdirectory, or set `allow_writeable_chroot=YES`"),
                );
            }
        }
    }
}

fn anonymous(cx: &Context<'_>, host: &dyn Host, out: &mut Vec<Diagnostic>) {
    let cfg = cx.config();
    let name = cfg.string(Tunable::FtpUsername).unwrap_or(b"ftp");
    let Some(user) = host.user(name) else { return };
    let (root, span, what) = match cfg.string(Tunable::AnonRoot) {
        Some(root) => (
            root.to_vec(),
            cx.span_or_file_start(Tunable::AnonRoot),
            format!("`anon_root={}`", excerpt(root)),
        ),
        None => (
            user.home.clone(),
            cx.span_or_file_start(Tunable::AnonymousEnable),
            format!(
                "the anonymous root (`{}`, home of the `{}` user)",
                excerpt(&user.home),
                excerpt(name)
            ),
        ),
    };
    let Some(meta) = host.metadata(&root) else { return };
    if !meta.is_dir || !writable_by(&meta, &user) {
        return;
    }
    let mut d = cx.report(
        head(span),
        format!(
            "{what} is writable by the `{}` user (owner {}, mode {:04o}): every anonymous login gets `{}`",
            excerpt(name),
            meta.uid,
            meta.mode,
            writable_chroot_oops()
        ),
    );
    if cfg.bool(Tunable::AllowWriteableChroot) {
        d = d.label(head(cx.span_or_file_start(Tunable::AllowWriteableChroot)),
            "does not apply to anonymous logins",
        );
    }
    out.push(d.help(format!(
        "make it owned by root and not writable by `{}` (`chown root:root`, `chmod 755`), with a writable subdirectory for uploads",
        excerpt(name)
    )));
}
