use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Removed: VSC313 flagged, under `--host-checks`, an anonymous root directory the anonymous user
/// can write to, as a security problem.
///
/// ## Why is this bad?
/// The finding was real but filed in the wrong place: vsftpd does not merely allow a risk there, it
/// refuses every anonymous login with `500 OOPS: vsftpd: refusing to run with writable root inside
/// chroot()`. VSC214 writable-chroot-root reports the same directory, for anonymous and chrooted
/// local users alike, as the error it is; two findings for one directory said the same thing twice.
///
/// ## Example
/// ```vsftpd
/// anonymous_enable=YES
/// anon_root=/srv/ftp
/// ```
/// With `/srv/ftp` owned by `ftp` or mode 0777 this is now reported by VSC214.
///
/// ## Fix
/// None: this code reports nothing. Suppressions and `vsconf.toml` entries that name it can go, or
/// name VSC214 instead.
///
/// ## References
/// - [VSC214](VSC214.md) writable-chroot-root
pub(crate) struct AnonRootWritable;

impl Rule for AnonRootWritable {
    const META: RuleMeta = RuleMeta::warning("VSC313", "anon-root-writable")
        .summary("removed: a writable anonymous root is VSC214 writable-chroot-root")
        .needs_host()
        .removed("0.1.0", Some("VSC214"));

    /// A removed rule never runs.
    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
