use super::{Context, Diagnostic, DirectiveOutcome, Rule, RuleMeta, Status};

/// ## What it does
/// Flags a `# vsconf: allow X` comment when rule X reports nothing on the setting below it: the
/// finding was fixed, the comment names a removed rule, or the finding is one that no comment can
/// silence because vsftpd refuses to start with the line.
///
/// ## Why is this bad?
/// A suppression is a promise that someone looked at a finding and accepted it. One that silences
/// nothing outlives the reason it was written for, and later hides a new finding of that rule on
/// that setting without anyone having looked at it.
///
/// ## Example
/// ```vsftpd
/// # vsconf: allow pasv-range-unset -- the NAT gateway maps the range
/// pasv_min_port=50000
/// ```
/// Use instead:
/// ```vsftpd
/// pasv_min_port=50000
/// ```
///
/// ## Fix
/// None: decide whether the suppression is still wanted.
///
/// ## References
/// - vsconf README, "Suppressing a finding"
pub(crate) struct UnusedSuppression;

impl Rule for UnusedSuppression {
    const META: RuleMeta = RuleMeta::warning("VSC903", "unused-suppression")
        .summary("a suppression comment that silences nothing");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for d in cx.directives {
            let (message, help) = match d.outcome {
                DirectiveOutcome::Unused(RuleMeta {
                    code,
                    status: Status::Removed { since, replaced_by },
                    ..
                }) => (
                    format!(
                        "`{}` names {code}, which was removed in vsconf {since} and reports nothing: the suppression silences nothing",
                        d.rule
                    ),
                    match replaced_by {
                        Some(by) => format!("allow {by} instead, or remove the suppression"),
                        None => "remove the suppression".to_owned(),
                    },
                ),
                DirectiveOutcome::Unused(_) => (
                    format!(
                        "`{}` reports nothing on the next setting: the suppression silences nothing",
                        d.rule
                    ),
                    "remove the suppression".to_owned(),
                ),
                DirectiveOutcome::Fatal(_) => (
                    format!(
                        "`{}` cannot be silenced on the next setting: vsftpd does not start with that line",
                        d.rule
                    ),
                    "correct the line; a comment never hides why vsftpd does not start".to_owned(),
                ),
                _ => continue,
            };
            out.push(cx.report(d.span, message).help(help));
        }
    }
}
