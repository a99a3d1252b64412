use super::{Context, Diagnostic, DirectiveOutcome, Rule, RuleMeta};

/// ## What it does
/// Flags a `# vsconf: allow X` comment whose X is neither a rule code nor a rule name.
///
/// ## Why is this bad?
/// A suppression is a promise that someone looked at a finding and accepted it. One that names no
/// rule silences nothing, and the finding it was meant for still fails the run, or is mistyped in a
/// way that a reader takes for a real code.
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
/// None: decide which rule was meant.
///
/// ## References
/// - vsconf README, "Suppressing a finding"
pub(crate) struct UnknownSuppression;

impl Rule for UnknownSuppression {
    const META: RuleMeta = RuleMeta::warning("VSC901", "unknown-suppression")
        .summary("a suppression comment names no rule");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for d in cx.directives {
            if d.outcome == DirectiveOutcome::Unknown {
                out.push(
                    cx.report(d.span, format!("`{}` names no vsconf rule", d.rule))
                        .help("use a code or name listed by `vsconf rules`"),
                );
            }
        }
    }
}
