//! The file as it evidently means, where vsftpd stops at a line.
//!
//! vsftpd reads its config top to bottom and stops at the first line it refuses (a CR at the end of a
//! boolean, an indented comment, a byte order mark…). It never reaches the lines below, and the lines it
//! refuses set nothing, so the effective values there are compiled-in defaults that the text plainly
//! contradicts: a CRLF file with `anonymous_enable=NO\r` would be reported as "anonymous logins are
//! on although the file never says so". The rules other than the startup ones are about the
//! configuration the operator wrote, so they read the file as it evidently means instead.
//!
//! "Evidently means" is what the fatal findings' safe fixes say, by their definition: a `Safe` fix
//! makes a line what it evidently meant and moves nothing else. The fixes are laid over the bytes
//! **without moving any byte**: a shorter replacement is padded with line feeds (empty lines, which
//! vsftpd skips) at the end or the start of its line, so every span of the evident file is the same
//! byte range in the real one and findings point at the real text. A fix that would have to move
//! bytes, or grow a line, is left out and its line stays as vsftpd reads it.

use crate::diagnostic::{Applicability, Diagnostic, Edit};

/// The bytes of `text` with the safe fixes of `fatal` findings laid over them, or `None` when there is
/// nothing to lay (no fatal finding has a safe fix that can be laid without moving bytes).
pub(super) fn text(text: &[u8], fatal: &[&Diagnostic]) -> Option<Vec<u8>> {
    let mut edits: Vec<&Edit> = fatal
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.applicability == Applicability::Safe)
        .flat_map(|f| f.edits.iter())
        .collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = text.to_vec();
    let mut laid = false;
    let mut end_of_last = 0u32;
    for edit in edits {
        if edit.span.start < end_of_last {
            // Two findings fix the same bytes (VSC013 and VSC003 both remove a CR): the first wins.
            continue;
        }
        let (start, end) = (edit.span.start as usize, edit.span.end as usize);
        if let Some(slot) = out.get_mut(start..end)
            && lay_in_place(text, edit, slot)
        {
            laid = true;
            end_of_last = edit.span.end;
        }
    }
    laid.then_some(out)
}

/// Writes the replacement over `slot` (the edited bytes) without moving anything: itself when it has
/// the edited length, or padded with line feeds where that only adds empty lines (after it when the
/// edit reaches the end of its line, before it when the edit starts its line). False, with `slot`
/// untouched, when it cannot be laid so.
fn lay_in_place(text: &[u8], edit: &Edit, slot: &mut [u8]) -> bool {
    let (start, end) = (edit.span.start as usize, edit.span.end as usize);
    let replacement = edit.replacement.as_slice();
    let Some(pad) = slot.len().checked_sub(replacement.len()) else {
        return false;
    };
    if pad > 0 && replacement.contains(&b'\n') {
        return false;
    }
    let ends_line = matches!(text.get(end), None | Some(b'\n'));
    let starts_line = start == 0 || text.get(start.wrapping_sub(1)) == Some(&b'\n');
    if pad == 0 || ends_line {
        let (head, feeds) = slot.split_at_mut(replacement.len());
        head.copy_from_slice(replacement);
        feeds.fill(b'\n');
    } else if starts_line {
        let (feeds, tail) = slot.split_at_mut(pad);
        feeds.fill(b'\n');
        tail.copy_from_slice(replacement);
    } else {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Fix, Severity};
    use crate::syntax::Span;

    fn fatal_with(edits: Vec<Edit>) -> Diagnostic {
        Diagnostic::new(
            "VSC013",
            "crlf-line-endings",
            Severity::Error,
            Span::empty(0),
            "m",
        )
        .fatal()
        .fix(Fix::new("f", Applicability::Safe, edits))
    }

    #[test]
    fn a_removed_carriage_return_becomes_an_empty_line_and_nothing_moves() {
        let text = b"listen=YES\r\nanonymous_enable=NO\r\n";
        let d = fatal_with(vec![
            Edit::delete(Span::new(10, 11)),
            Edit::delete(Span::new(31, 32)),
        ]);
        let evident = super::text(text, &[&d]).expect("laid");
        assert_eq!(evident, b"listen=YES\n\nanonymous_enable=NO\n\n");
        assert_eq!(evident.len(), text.len());
    }

    #[test]
    fn a_removed_byte_order_mark_becomes_empty_lines_before_the_setting() {
        let text = b"\xEF\xBB\xBFlisten=YES\n";
        let d = fatal_with(vec![Edit::delete(Span::new(0, 3))]);
        assert_eq!(
            super::text(text, &[&d]).expect("laid"),
            b"\n\n\nlisten=YES\n"
        );
    }

    #[test]
    fn an_edit_that_would_move_bytes_is_left_out() {
        let text = b"a=bc\n";
        let shrink_mid_line = fatal_with(vec![Edit::delete(Span::new(2, 3))]);
        assert_eq!(super::text(text, &[&shrink_mid_line]), None);
        let grow = fatal_with(vec![Edit::replace(Span::new(2, 4), "bcd")]);
        assert_eq!(super::text(text, &[&grow]), None);
        let unsafe_fix = Diagnostic::new("VSC009", "n", Severity::Error, Span::empty(0), "m")
            .fatal()
            .fix(Fix::new(
                "f",
                Applicability::Unsafe,
                vec![Edit::replace(Span::new(2, 4), "xy")],
            ));
        assert_eq!(super::text(text, &[&unsafe_fix]), None);
    }
}
