use crate::diagnostic::Severity;

use super::{ALL_DIALECTS, Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a `# vsconf: allow X` comment when rule X reports nothing on the setting below it.
///
/// ## Why is this bad?
/// A suppression is a promise that someone looked at a finding and accepted it. One that silences
/// nothing hides the next real finding on that line, or says the reviewer believed something that is
/// not so; strict CI can also forbid them all with `--no-suppressions`.
///
/// ## Example
/// ```vsftpd
/// # vsconf: allow VSC999 -- typo in the code
/// pasv_enable=YES
/// ```
/// Use instead:
/// ```vsftpd
/// # vsconf: allow pasv-range-unset -- the NAT gateway maps the range
/// pasv_enable=YES
/// ```
///
/// ## Fix
/// None: decide whether the suppression is still wanted.
///
/// ## References
/// - vsconf README, "Suppressing a finding"
pub(crate) struct UnusedSuppression;

static META: RuleMeta = RuleMeta {
    code: "VSC903",
    name: "unused-suppression",
    category: Category::Vsconf,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    dialects: ALL_DIALECTS,
    host_checks: false,
    summary: "a suppression comment that silences nothing",
};

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Reported by the engine, which alone sees which suppressions silenced something.
    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
