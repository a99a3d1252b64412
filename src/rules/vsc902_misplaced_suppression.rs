use super::{Context, Diagnostic, DirectiveOutcome, Rule, RuleMeta};

/// ## What it does
/// Flags a `# vsconf: allow …` comment that is followed by a blank line or the end of the file
/// instead of a setting.
///
/// ## Why is this bad?
/// A suppression covers the setting directly below it (other comment lines may stand between). One
/// separated from its setting by a blank line covers nothing, so the finding it was written for is
/// still reported, and a reader believes it was accepted.
///
/// ## Example
/// ```vsftpd
/// # vsconf: allow pasv-range-unset -- the NAT gateway maps the range
///
/// pasv_enable=YES
/// ```
/// Use instead:
/// ```vsftpd
/// # vsconf: allow pasv-range-unset -- the NAT gateway maps the range
/// pasv_enable=YES
/// ```
///
/// ## Fix
/// None: move the comment to the setting it is about, or remove it.
///
/// ## References
/// - vsconf README, "Suppressing a finding"
pub(crate) struct MisplacedSuppression;

impl Rule for MisplacedSuppression {
    const META: RuleMeta = RuleMeta::warning("VSC902", "misplaced-suppression")
        .summary("a suppression comment that is not directly above a setting");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for d in cx.directives {
            if d.outcome == DirectiveOutcome::Misplaced {
                out.push(
                    cx.report(
                        d.span,
                        format!(
                            "this suppression of `{}` is not directly above a setting",
                            d.rule
                        ),
                    )
                    .help("put the comment on the line right above the setting it is about"),
                );
            }
        }
    }
}
