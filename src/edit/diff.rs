//! The textual unified diff shown before anything is written, built with `similar` over lines of raw
//! bytes (a config need not be UTF-8).
//!
//! Lines are compared with their line endings, so a removed `\r` or a missing final newline is a
//! change. For people, control bytes are made visible as in every command ([`crate::syntax::visible`]):
//! `\t`, `\r`, `\0`, a byte order mark (`\xef\xbb\xbf`) and bytes that are not UTF-8 are escaped;
//! everything else is printed as is. The output is meant to be read, not fed to `patch`.

use std::fmt::Write;

use similar::{Algorithm, DiffTag, capture_diff_slices, group_diff_ops};

/// Lines of context around each change.
pub const CONTEXT_LINES: usize = 3;

/// ANSI colours for a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Color {
    /// Plain text.
    #[default]
    Never,
    /// Red removals, green additions, cyan hunk headers.
    Always,
}

/// Splits after every `\n`; the last line may lack one.
pub fn split_lines(text: &[u8]) -> Vec<&[u8]> {
    text.split_inclusive(|b| *b == b'\n').collect()
}

/// A unified diff of `old` and `new` with `---`/`+++` headers naming them, or an empty string when the
/// bytes are equal.
pub fn unified(old: &[u8], new: &[u8], old_label: &str, new_label: &str, color: Color) -> String {
    if old == new {
        return String::new();
    }
    let old_lines = split_lines(old);
    let new_lines = split_lines(new);
    let ops = capture_diff_slices(Algorithm::Myers, &old_lines, &new_lines);
    let paint = |code: &str, text: &str| match color {
        Color::Always => format!("\x1b[{code}m{text}\x1b[0m"),
        Color::Never => text.to_owned(),
    };
    let mut out = String::new();
    out.push_str(&paint("1", &format!("--- {old_label}")));
    out.push('\n');
    out.push_str(&paint("1", &format!("+++ {new_label}")));
    out.push('\n');
    for group in group_diff_ops(ops, CONTEXT_LINES) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let old_range = first.old_range().start..last.old_range().end;
        let new_range = first.new_range().start..last.new_range().end;
        let header = format!(
            "@@ -{} +{} @@",
            hunk_range(&old_range),
            hunk_range(&new_range)
        );
        out.push_str(&paint("36", &header));
        out.push('\n');
        for op in &group {
            let (tag, old_r, new_r) = op.as_tag_tuple();
            match tag {
                DiffTag::Equal => {
                    for line in old_lines.get(old_r).unwrap_or_default() {
                        push_line(&mut out, ' ', line, None);
                    }
                }
                DiffTag::Delete | DiffTag::Insert | DiffTag::Replace => {
                    for line in old_lines.get(old_r).unwrap_or_default() {
                        push_line(
                            &mut out,
                            '-',
                            line,
                            (color == Color::Always).then_some("31"),
                        );
                    }
                    for line in new_lines.get(new_r).unwrap_or_default() {
                        push_line(
                            &mut out,
                            '+',
                            line,
                            (color == Color::Always).then_some("32"),
                        );
                    }
                }
            }
        }
    }
    out
}

/// `start,len` in unified-diff numbering (1-based; an empty range names the line before it).
fn hunk_range(range: &std::ops::Range<usize>) -> String {
    let len = range.end - range.start;
    let start = if len == 0 {
        range.start
    } else {
        range.start + 1
    };
    if len == 1 {
        start.to_string()
    } else {
        format!("{start},{len}")
    }
}

fn push_line(out: &mut String, sign: char, line: &[u8], color: Option<&str>) {
    let (body, has_newline) = match line.strip_suffix(b"\n") {
        Some(b) => (b, true),
        None => (line, false),
    };
    let text = format!("{sign}{}", visible(body));
    match color {
        Some(code) => {
            let _ = write!(out, "\x1b[{code}m{text}\x1b[0m");
        }
        None => out.push_str(&text),
    }
    out.push('\n');
    if !has_newline {
        out.push_str("\\ No newline at end of file\n");
    }
}

/// A line's bytes for people: [`crate::syntax::visible`], the escaping every command shares.
pub fn visible(bytes: &[u8]) -> String {
    crate::syntax::visible(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_input_gives_no_diff() {
        assert_eq!(unified(b"a\n", b"a\n", "a", "b", Color::Never), "");
    }

    #[test]
    fn one_changed_line_with_context() {
        let diff = unified(b"a\nb\nc\n", b"a\nB\nc\n", "old", "new", Color::Never);
        assert_eq!(diff, "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
    }

    #[test]
    fn carriage_return_and_missing_newline_are_visible() {
        let diff = unified(
            b"listen=YES\r\nx",
            b"listen=YES\nx\n",
            "old",
            "new",
            Color::Never,
        );
        assert_eq!(
            diff,
            "--- old\n+++ new\n@@ -1,2 +1,2 @@\n-listen=YES\\r\n-x\n\\ No newline at end of file\n+listen=YES\n+x\n"
        );
    }

    #[test]
    fn visible_keeps_quotes_and_backslashes_and_marks_tabs() {
        assert_eq!(
            visible(b"\tftpd_banner=\"a\\b\"\r\0\xff\xef\xbb\xbf"),
            "\\tftpd_banner=\"a\\b\"\\r\\0\\xff\\xef\\xbb\\xbf"
        );
    }

    #[test]
    fn colour_marks_headers_hunks_and_changed_lines() {
        let diff = unified(b"a\n", b"b\n", "old", "new", Color::Always);
        assert_eq!(
            diff,
            "\x1b[1m--- old\x1b[0m\n\x1b[1m+++ new\x1b[0m\n\x1b[36m@@ -1 +1 @@\x1b[0m\n\x1b[31m-a\x1b[0m\n\x1b[32m+b\x1b[0m\n"
        );
    }

    #[test]
    fn insertion_into_empty_file() {
        assert_eq!(
            unified(b"", b"a\n", "old", "new", Color::Never),
            "--- old\n+++ new\n@@ -0,0 +1 @@\n+a\n"
        );
    }
}
