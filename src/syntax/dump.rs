//! A readable dump of the tree for tests and `vsconf parse --dump`: one token per line,
//! `KIND@start..end "text"`, with non-printable bytes escaped.

use std::fmt::Write;

use super::cst::{Cst, LineKind};
use super::span::Span;

/// Renders every token of the tree.
pub fn dump(cst: &Cst) -> String {
    let mut out = String::new();
    for line in cst.lines() {
        let kind = match &line.kind {
            LineKind::Blank => "BLANK",
            LineKind::Comment => "COMMENT",
            LineKind::Setting(_) => "SETTING",
        };
        token(&mut out, cst, kind, line.content, 0);
        if let LineKind::Setting(s) = &line.kind {
            if !s.indent.is_empty() {
                token(&mut out, cst, "INDENT", s.indent, 2);
            }
            token(&mut out, cst, "NAME", s.name, 2);
            if let Some(eq) = s.equals {
                token(&mut out, cst, "EQUALS", eq, 2);
            }
            if let Some(v) = s.value {
                token(&mut out, cst, "VALUE", v, 2);
            }
            if let Some(t) = s.nul_tail {
                token(&mut out, cst, "NUL_TAIL", t, 2);
            }
        }
        if let Some(nl) = line.newline {
            token(&mut out, cst, "NEWLINE", nl, 0);
        }
    }
    out
}

fn token(out: &mut String, cst: &Cst, kind: &str, span: Span, indent: usize) {
    let _ = writeln!(
        out,
        "{:indent$}{kind}@{}..{} \"{}\"",
        "",
        span.start,
        span.end,
        escape_bytes(cst.slice(span))
    );
}

/// Escapes bytes for people: printable ASCII as is, `\r`, `\t`, `\n`, `\0` and `\xNN` otherwise.
/// Valid UTF-8 outside ASCII is kept.
pub fn escape_bytes(bytes: &[u8]) -> String {
    // Most values are printable ASCII with nothing to escape: one pass without early exit (vector
    // code) says so, and they are copied whole (the loop below was 2% of a bulk lint, callgrind).
    let plain = !bytes.iter().fold(false, |any, b| {
        any | (*b < 0x20) | (*b >= 0x7f) | (*b == b'\\') | (*b == b'"')
    });
    if let Some(text) = plain.then(|| std::str::from_utf8(bytes).ok()).flatten() {
        return text.to_owned();
    }
    escape_each(bytes)
}

/// [`escape_bytes`] character by character.
fn escape_each(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\r' => out.push_str("\\r"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\0' => out.push_str("\\0"),
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                c if c.is_control() || c == '\u{FEFF}' => {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        let _ = write!(out, "\\x{b:02x}");
                    }
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// A config line's bytes for people, the same in every command (`lint`'s source lines, the diffs of
/// `set`, `fix`, `fmt` and `diff`): printable text, quotes and backslashes as they are; `\t`, `\r`,
/// `\0`, other control bytes, a byte order mark and bytes that are not UTF-8 escaped as
/// [`escape_bytes`] does, so that nothing invisible reaches the terminal unmarked.
pub fn visible(bytes: &[u8]) -> String {
    visible_columns(bytes).0
}

/// [`visible`], plus the display column (in characters, from 0) at which each byte of `bytes` starts:
/// `columns[i]` for byte `i` (the bytes of one character share its column), `columns[bytes.len()]` the
/// width of the whole text.
pub fn visible_columns(bytes: &[u8]) -> (String, Vec<u32>) {
    // Printable ASCII (most config lines) shows as itself, one column per byte.
    if bytes.iter().all(|b| (0x20..0x7f).contains(b))
        && let Ok(text) = std::str::from_utf8(bytes)
    {
        let end = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        return (text.to_owned(), (0..=end).collect());
    }
    let mut out = String::with_capacity(bytes.len());
    let mut columns = Vec::with_capacity(bytes.len() + 1);
    let mut column: u32 = 0;
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            let width = if c.is_control() || c == '\u{FEFF}' {
                let mut buf = [0u8; 4];
                let escaped = escape_bytes(c.encode_utf8(&mut buf).as_bytes());
                out.push_str(&escaped);
                escaped.chars().count()
            } else {
                out.push(c);
                1
            };
            columns.extend(std::iter::repeat_n(column, c.len_utf8()));
            column = column.saturating_add(u32::try_from(width).unwrap_or(u32::MAX));
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
            columns.push(column);
            column = column.saturating_add(4);
        }
    }
    columns.push(column);
    (out, columns)
}

#[cfg(test)]
mod tests {
    use super::{escape_bytes, escape_each, visible_columns};

    proptest::proptest! {
        #[test]
        fn the_plain_text_shortcut_escapes_as_the_full_path_does(
            bytes in proptest::collection::vec(proptest::sample::select(
                b"ab =\\\"\r\n\t\0\x7f\x1b\xc3\xa9\xef\xbb\xbf\xff".to_vec()), 0..16),
        ) {
            proptest::prop_assert_eq!(escape_bytes(&bytes), escape_each(&bytes));
        }
    }

    #[test]
    fn printable_ascii_shows_one_column_per_byte_as_other_text_does() {
        // The fast path (all printable ASCII) and the general one (a tab sends the text there)
        // agree on the columns of the bytes they share.
        let (plain, plain_columns) = visible_columns(b"listen=YES");
        assert_eq!(plain, "listen=YES");
        assert_eq!(plain_columns, (0..=10).collect::<Vec<u32>>());
        let (mixed, mixed_columns) = visible_columns(b"listen=YES\t");
        assert_eq!(mixed, "listen=YES\\t");
        assert_eq!(mixed_columns.get(..11), Some(&plain_columns[..]));
        assert_eq!(mixed_columns.last(), Some(&12));
    }
}
