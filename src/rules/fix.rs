//! Fix builders the rules share: replace a setting's value, add a setting after another. Each
//! returns `None` when the line it needs is not in the file, so a rule attaches a fix only where one
//! can be made.

use crate::diagnostic::{Applicability, Edit, Fix};
use crate::dialect::Tunable;
use crate::syntax::Span;

use super::Context;

/// The value span of the line setting `tunable`, without a final `\r`: what a fix replaces, so that
/// a CRLF line keeps its line ending.
pub(super) fn value_text(cx: &Context<'_>, tunable: Tunable) -> Option<Span> {
    let span = cx.value_span(tunable)?;
    if cx.text(span).last() == Some(&b'\r') {
        Some(Span::new(span.start, span.end.saturating_sub(1)))
    } else {
        Some(span)
    }
}

/// An unsafe fix that replaces the value of the line setting `tunable`, if a line sets it.
pub(super) fn set_value(cx: &Context<'_>, tunable: Tunable, value: &str) -> Option<Fix> {
    let span = value_text(cx, tunable)?;
    Some(Fix::new(
        format!("set {}={value}", tunable.name()),
        Applicability::Unsafe,
        vec![Edit::replace(span, value.as_bytes().to_vec())],
    ))
}

/// An unsafe fix that adds `tunable=value` on a new line right after the line setting `after`, with
/// that line's line ending.
pub(super) fn add_after(
    cx: &Context<'_>,
    after: Tunable,
    tunable: Tunable,
    value: &str,
) -> Option<Fix> {
    let content = cx.config().origin(after).line()?;
    let line = cx.cst.lines().iter().find(|l| l.content == content)?;
    let text = cx.cst.text();
    let edit = match line.newline {
        Some(newline) => {
            let ending: &[u8] = if line.ends_with_carriage_return(text) {
                b"\r\n"
            } else {
                b"\n"
            };
            let mut new = format!("{}={value}", tunable.name()).into_bytes();
            new.extend_from_slice(ending);
            Edit::insert(newline.end, new)
        }
        None => Edit::insert(content.end, format!("\n{}={value}", tunable.name())),
    };
    Some(Fix::new(
        format!("add {}={value}", tunable.name()),
        Applicability::Unsafe,
        vec![edit],
    ))
}
