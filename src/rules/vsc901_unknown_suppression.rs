use crate::diagnostic::Severity;

use super::{ALL_DIALECTS, Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a `# vsconf: allow X` comment whose X is neither a rule code nor a rule name.
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
pub(crate) struct UnknownSuppression;

static META: RuleMeta = RuleMeta {
    code: "VSC901",
    name: "unknown-suppression",
    category: Category::Vsconf,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    dialects: ALL_DIALECTS,
    host_checks: false,
    summary: "a suppression comment names no rule",
};

impl Rule for UnknownSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Reported by the engine, which alone sees which suppressions silenced something.
    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
