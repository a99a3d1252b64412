use crate::dialect::Tunable;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags settings that only concern anonymous logins (`anon_*`, `no_anon_password`,
/// `allow_anon_ssl`, `force_anon_*_ssl`, the e-mail password lists, `chown_uploads`…) in a file
/// with `anonymous_enable=NO`. A line that only restates the default (`allow_anon_ssl=NO`) is not
/// reported.
///
/// ## Why is this bad?
/// They do nothing, yet a reader (or an auditor) takes them for policy: `anon_upload_enable=YES`
/// suggests an upload area that does not exist, `anon_root` a directory that is never served. Often
/// the file was copied from an anonymous setup, or `anonymous_enable=NO` was added later and the
/// rest forgotten.
///
/// With `guest_enable=YES` (and `virtual_use_local_privs=NO`) guest users get the anonymous
/// permissions, so the permission and rate settings are not reported then.
///
/// ## Example
/// ```vsftpd
/// anonymous_enable=NO
/// anon_upload_enable=YES
/// ```
/// Use instead:
/// ```vsftpd
/// anonymous_enable=NO
/// ```
///
/// ## Fix
/// None: either the line is stale or anonymous access was meant to be on.
///
/// ## References
/// - vsftpd.conf(5): `anonymous_enable` and the `anon_*` settings
pub(crate) struct AnonymousSettingsWhileAnonymousDisabled;

/// Settings read only for anonymous logins.
const ANONYMOUS_ONLY: &[Tunable] = &[
    Tunable::AllowAnonSsl,
    Tunable::AnonRoot,
    Tunable::BannedEmailFile,
    Tunable::DenyEmailEnable,
    Tunable::EmailPasswordFile,
    Tunable::ForceAnonDataSsl,
    Tunable::ForceAnonLoginsSsl,
    Tunable::FtpUsername,
    Tunable::NoAnonPassword,
    Tunable::SecureEmailListEnable,
];

/// Settings read for anonymous logins and for guest logins without `virtual_use_local_privs`.
const ANONYMOUS_AND_GUEST: &[Tunable] = &[
    Tunable::AnonMaxRate,
    Tunable::AnonMkdirWriteEnable,
    Tunable::AnonOtherWriteEnable,
    Tunable::AnonUmask,
    Tunable::AnonUploadEnable,
    Tunable::AnonWorldReadableOnly,
    Tunable::ChownUploadMode,
    Tunable::ChownUploads,
    Tunable::ChownUsername,
];

impl Rule for AnonymousSettingsWhileAnonymousDisabled {
    const META: RuleMeta = RuleMeta::warning("VSC114", "anonymous-settings-while-anonymous-disabled")
        .settings(&[ANONYMOUS_ONLY, ANONYMOUS_AND_GUEST, &[Tunable::AnonymousEnable]])
        .summary("anonymous-only settings while anonymous_enable=NO: they are ignored");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if cfg.bool(Tunable::AnonymousEnable) {
            return;
        }
        let guests = cfg.bool(Tunable::GuestEnable) && !cfg.bool(Tunable::VirtualUseLocalPrivs);
        let mut settings: Vec<Tunable> = ANONYMOUS_ONLY.to_vec();
        if !guests {
            settings.extend_from_slice(ANONYMOUS_AND_GUEST);
        }
        cx.report_ineffective(settings, Tunable::AnonymousEnable, "anonymous logins", "remove the line, or set anonymous_enable=YES if anonymous access is meant", out);
    }
}
