use crate::diagnostic::{Applicability, Edit, Fix};
use crate::model::Origin;
use crate::syntax::Span;

use super::{Scope, head, excerpt, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a setting that appears more than once. The report points at the line vsftpd uses (the
/// last one) and labels the earlier lines it ignores.
///
/// ## Why is this bad?
/// The last occurrence wins, silently. Long configs collect duplicates — a stock `listen=NO` near
/// the top and a `listen=YES` added at the bottom — and whoever edits the first one later changes
/// nothing. With different values, the file says two things and only one is true.
///
/// ## Example
/// ```vsftpd
/// anonymous_enable=YES
/// local_enable=YES
/// anonymous_enable=NO
/// ```
/// Use instead:
/// ```vsftpd
/// local_enable=YES
/// anonymous_enable=NO
/// ```
///
/// ## Fix
/// Safe: the earlier lines are deleted. vsftpd ignores them, so nothing it reads changes.
///
/// ## References
/// - vsftpd.conf(5)
/// - debian-3.0.3 binary: `listen=NO` followed by `listen=YES` starts standalone (the last one wins)
pub(crate) struct DuplicateSetting;

impl Rule for DuplicateSetting {
    const META: RuleMeta = RuleMeta::warning("VSC207", "duplicate-setting")
        .scope(Scope::Every)
        .summary("a setting appears more than once: only the last one counts")
        .fixes(FixAvailability::Always(Applicability::Safe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (spec, effective) in cx.config().iter() {
            let Origin::File {
                line, overridden, ..
            } = &effective.origin
            else {
                continue;
            };
            if overridden.is_empty() {
                continue;
            }
            let name = spec.name;
            let current = excerpt(cx.text(*line).trim_ascii());
            let same = overridden
                .iter()
                .all(|o| cx.text(*o).trim_ascii() == cx.text(*line).trim_ascii());
            // A file pasted into itself repeats every line dozens of times: name the first few.
            let mut earlier: Vec<String> = overridden
                .iter()
                .take(8)
                .map(|o| cx.cst.line_number(o.start).0.to_string())
                .collect();
            if overridden.len() > 8 {
                earlier.push(format!("{} more", overridden.len() - 8));
            }
            let message = if same {
                format!(
                    "`{name}` is set to the same value on line {}: only this last occurrence counts",
                    earlier.join(", "),
                )
            } else {
                format!(
                    "`{current}` overrides line {}: vsftpd uses only this last occurrence of `{name}`",
                    earlier.join(", ")
                )
            };
            let mut d = cx.report(head(*line), message);
            let mut edits = Vec::new();
            for o in overridden {
                d = d.label(head(*o), "ignored: overridden below");
                if let Some(full) = cx.cst.lines().iter().find(|l| l.content == *o) {
                    edits.push(Edit::delete(full.span));
                } else {
                    edits.push(Edit::delete(Span::new(o.start, o.end)));
                }
            }
            out.push(
                d.help(format!("keep one `{name}` line: delete the earlier ones, or merge them into this one"))
                    .fix(Fix::new(
                        format!("delete the earlier `{name}` line{}", if overridden.len() == 1 { "" } else { "s" }),
                        Applicability::Safe,
                        edits,
                    )),
            );
        }
    }
}
