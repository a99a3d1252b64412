use crate::dialect::Tunable;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags `no_anon_password=YES` with anonymous logins on.
///
/// ## Why is this bad?
/// vsftpd then logs anonymous users in right after `USER anonymous`, without asking for the
/// customary e-mail address as password. `deny_email_enable` and `secure_email_list_enable` can
/// no longer filter anything, and the logs lose the one hint of who connected. It also makes the
/// server trivially scriptable for scanners and mirroring bots.
///
/// ## Example
/// ```vsftpd
/// anonymous_enable=YES
/// no_anon_password=YES
/// ```
/// Use instead:
/// ```vsftpd
/// anonymous_enable=YES
/// no_anon_password=NO
/// ```
///
/// ## Fix
/// None: low risk, and some automated clients rely on it.
///
/// ## References
/// - vsftpd.conf(5): `no_anon_password`, `deny_email_enable`, `secure_email_list_enable`
/// - debian-3.0.3 binary: with `no_anon_password=YES`, `USER anonymous` is answered with
///   `230 Login successful.` at once
pub(crate) struct AnonymousPasswordNotAsked;

impl Rule for AnonymousPasswordNotAsked {
    const META: RuleMeta = RuleMeta::info("VSC315", "anonymous-password-not-asked")
        .settings(&[&[Tunable::NoAnonPassword]])
        .summary("anonymous logins without the customary password prompt");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::AnonymousEnable) || !cfg.bool(Tunable::NoAnonPassword) {
            return;
        }
        let mut d = cx
            .report(
                cx.span_or_file_start(Tunable::NoAnonPassword),
                "anonymous users are logged in without a password prompt: e-mail filters (deny_email_enable, secure_email_list_enable) cannot apply",
            )
            .help("set no_anon_password=NO unless automated clients depend on it");
        if cfg.bool(Tunable::DenyEmailEnable) || cfg.bool(Tunable::SecureEmailListEnable) {
            for t in [Tunable::DenyEmailEnable, Tunable::SecureEmailListEnable] {
                if cfg.bool(t) {
                    d = d.label(cx.span_or_file_start(t), "has nothing to check");
                }
            }
        }
        out.push(d);
    }
}
