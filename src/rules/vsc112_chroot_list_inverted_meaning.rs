use crate::dialect::Tunable;
use crate::syntax::escape_bytes;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags `chroot_list_enable=YES` together with `chroot_local_user=YES` (local logins on).
///
/// ## Why is this bad?
/// The meaning of the list flips with `chroot_local_user`. With `chroot_local_user=NO` the users in
/// `chroot_list_file` are the ones jailed in their home directory. With `chroot_local_user=YES`
/// every local user is jailed **except** those listed: the list becomes an exemption list. Adding a
/// user to "the chroot list" then frees exactly the user meant to be confined.
///
/// ## Example
/// ```vsftpd
/// local_enable=YES
/// chroot_local_user=YES
/// chroot_list_enable=YES
/// ```
/// Use instead, when the list names the users to confine:
/// ```vsftpd
/// local_enable=YES
/// chroot_local_user=NO
/// chroot_list_enable=YES
/// ```
/// If the exemption is intended, keep the file and suppress the finding with a reason.
///
/// ## Fix
/// None: only you know which meaning the list has.
///
/// ## References
/// - vsftpd.conf(5): `chroot_list_enable` ("If the option chroot_local_user is set to YES, then
///   this list becomes a list of users to NOT chroot()"), `chroot_local_user`, `chroot_list_file`
pub(crate) struct ChrootListInvertedMeaning;

impl Rule for ChrootListInvertedMeaning {
    const META: RuleMeta = RuleMeta::warning("VSC112", "chroot-list-inverted-meaning")
        .settings(&[&[Tunable::ChrootListEnable, Tunable::ChrootListFile, Tunable::ChrootLocalUser]])
        .summary("with chroot_local_user=YES the chroot list names the users NOT chrooted");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::LocalEnable)
            || !cfg.bool(Tunable::ChrootListEnable)
            || !cfg.bool(Tunable::ChrootLocalUser)
        {
            return;
        }
        let file = escape_bytes(cfg.string(Tunable::ChrootListFile).unwrap_or_default());
        let mut d = cx
            .report(
                cx.span_or_file_start(Tunable::ChrootListEnable),
                format!(
                    "with chroot_local_user=YES the users listed in {file} are the ones NOT chrooted: every other local user is jailed, the listed ones can browse the whole filesystem"
                ),
            )
            .help("if the list names users to confine, set chroot_local_user=NO; if it names exempt users, suppress this finding with a reason");
        d = d.label(
            cx.span_or_file_start(Tunable::ChrootLocalUser),
            "inverts the list",
        );
        out.push(d);
    }
}
