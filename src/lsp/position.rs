//! Byte offsets ↔ LSP positions.
//!
//! vsconf's spans are byte offsets; an editor speaks in (line, character) where the character counts
//! code units of the negotiated encoding — UTF-16 unless client and server agree on UTF-8 or UTF-32.
//! Two things make this easy to get wrong, and both are handled here once:
//! - **Line breaks are the editor's, not vsftpd's.** LSP ends a line at `\n`, `\r\n` *or a lone `\r`*;
//!   vsftpd splits only at `\n`, so a config line holding a stray `\r` is two lines in the editor.
//! - **The bytes need not be UTF-8.** A maximal invalid sequence (what `from_utf8_lossy` turns into one
//!   U+FFFD) counts as one replacement character: one UTF-16 or UTF-32 unit, three UTF-8 units. An offset
//!   inside a character (a span cut at a byte limit) is moved back to the character's start, and a
//!   position past the end of its line is clamped to the line end, so no input maps out of range.

use lsp_types::{Position, Range};

use crate::syntax::Span;

/// What an LSP `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 code units (bytes of the UTF-8 text).
    Utf8,
    /// UTF-16 code units: the protocol's default, which every server must support.
    #[default]
    Utf16,
    /// Unicode scalar values.
    Utf32,
}

impl Encoding {
    /// The encoding's name in the protocol (`positionEncoding`).
    pub fn kind(self) -> lsp_types::PositionEncodingKind {
        match self {
            Encoding::Utf8 => lsp_types::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp_types::PositionEncodingKind::UTF16,
            Encoding::Utf32 => lsp_types::PositionEncodingKind::UTF32,
        }
    }

    /// The first encoding of the client's list (its order of preference) that vsconf speaks; UTF-16
    /// when the client names none.
    pub fn negotiate(offered: Option<&[lsp_types::PositionEncodingKind]>) -> Encoding {
        offered
            .unwrap_or_default()
            .iter()
            .find_map(|k| match k.as_str() {
                "utf-8" => Some(Encoding::Utf8),
                "utf-16" => Some(Encoding::Utf16),
                "utf-32" => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or_default()
    }

    fn units(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// Line starts of a buffer, by the editor's idea of a line.
#[derive(Debug, Clone)]
pub struct LineMap {
    /// Byte offset where each line starts (the first is 0).
    starts: Vec<u32>,
    /// The buffer's length.
    len: u32,
    encoding: Encoding,
}

impl LineMap {
    /// Indexes `text` (any bytes; at most 4 GiB are addressed).
    pub fn new(text: &[u8], encoding: Encoding) -> LineMap {
        let mut starts = vec![0u32];
        let mut i = 0usize;
        while let Some(b) = text.get(i) {
            match b {
                b'\n' => starts.push(offset(i + 1)),
                b'\r' if text.get(i + 1) == Some(&b'\n') => {
                    starts.push(offset(i + 2));
                    i += 1;
                }
                b'\r' => starts.push(offset(i + 1)),
                _ => {}
            }
            i += 1;
        }
        LineMap {
            starts,
            len: offset(text.len()),
            encoding,
        }
    }

    /// The encoding positions are counted in.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Number of lines (a final line break starts one more, empty line).
    pub fn line_count(&self) -> u32 {
        offset(self.starts.len())
    }

    /// The byte range of a line's content, without its line break (`None` past the last line).
    pub fn line_span(&self, text: &[u8], line: u32) -> Option<Span> {
        let start = *self.starts.get(line as usize)?;
        let next = self
            .starts
            .get(line as usize + 1)
            .copied()
            .unwrap_or(self.len);
        let mut end = next;
        let bytes = Span::new(start, next).slice(text);
        if bytes.ends_with(b"\r\n") {
            end -= 2;
        } else if bytes.ends_with(b"\n") || bytes.ends_with(b"\r") {
            end -= 1;
        }
        Some(Span::new(start, end))
    }

    /// The 0-based line holding a byte offset.
    pub fn line_of(&self, byte_offset: u32) -> u32 {
        let after = self.starts.partition_point(|s| *s <= byte_offset);
        offset(after.saturating_sub(1))
    }

    /// The position of a byte offset. An offset inside a character or a line break moves back to its
    /// start; one past the end is the end.
    pub fn position(&self, text: &[u8], byte_offset: u32) -> Position {
        let byte_offset = byte_offset.min(self.len);
        let line = self.line_of(byte_offset);
        let Some(span) = self.line_span(text, line) else {
            return Position::new(line, 0);
        };
        let target = byte_offset.min(span.end);
        let mut character = 0u32;
        walk(span.slice(text), self.encoding, |at, (bytes, units)| {
            // A character that ends past the target is not counted: an offset inside it moves to its start.
            if span.start.saturating_add(at).saturating_add(bytes) > target {
                return false;
            }
            character = character.saturating_add(units);
            true
        });
        Position::new(line, character)
    }

    /// The byte offset of a position; past the end of its line is the line end, past the last line is
    /// the buffer's end. A position inside a character (half a surrogate pair) is that character's start.
    pub fn offset(&self, text: &[u8], position: Position) -> u32 {
        let Some(span) = self.line_span(text, position.line) else {
            return self.len;
        };
        let mut character = 0u32;
        let mut at = span.end;
        if position.character == 0 {
            return span.start;
        }
        walk(span.slice(text), self.encoding, |byte, (bytes, units)| {
            if character.saturating_add(units) > position.character {
                // The position falls inside this character: its start.
                at = span.start.saturating_add(byte);
                return false;
            }
            character = character.saturating_add(units);
            if character == position.character {
                at = span.start.saturating_add(byte).saturating_add(bytes);
                return false;
            }
            true
        });
        at
    }

    /// The range of a byte span.
    pub fn range(&self, text: &[u8], span: Span) -> Range {
        Range::new(
            self.position(text, span.start),
            self.position(text, span.end),
        )
    }

    /// The byte span of a range (start and end ordered).
    pub fn span(&self, text: &[u8], range: Range) -> Span {
        let a = self.offset(text, range.start);
        let b = self.offset(text, range.end);
        Span::new(a.min(b), a.max(b))
    }
}

/// Calls `step(byte_offset_in_line, (bytes, units))` for each character of a line: a valid character,
/// or a maximal invalid UTF-8 sequence standing for one U+FFFD. Stops when `step` returns false.
fn walk(line: &[u8], encoding: Encoding, mut step: impl FnMut(u32, (u32, u32)) -> bool) {
    let mut at = 0u32;
    for chunk in line.utf8_chunks() {
        for c in chunk.valid().chars() {
            let bytes = c.len_utf8() as u32;
            if !step(at, (bytes, encoding.units(c))) {
                return;
            }
            at = at.saturating_add(bytes);
        }
        let invalid = offset(chunk.invalid().len());
        if invalid > 0 {
            if !step(at, (invalid, encoding.units(char::REPLACEMENT_CHARACTER))) {
                return;
            }
            at = at.saturating_add(invalid);
        }
    }
}

fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn utf16_counts_surrogate_pairs_as_two_units() {
        // é is 2 bytes / 1 unit, 😀 is 4 bytes / 2 units.
        let text = "a=é😀x\n".as_bytes();
        let map = LineMap::new(text, Encoding::Utf16);
        assert_eq!(map.position(text, 2), pos(0, 2));
        assert_eq!(map.position(text, 4), pos(0, 3));
        assert_eq!(map.position(text, 8), pos(0, 5));
        assert_eq!(map.offset(text, pos(0, 5)), 8);
        assert_eq!(map.offset(text, pos(0, 3)), 4);
        // Half a surrogate pair is the character's start.
        assert_eq!(map.offset(text, pos(0, 4)), 4);
        let utf8 = LineMap::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(text, 8), pos(0, 8));
        let utf32 = LineMap::new(text, Encoding::Utf32);
        assert_eq!(utf32.position(text, 8), pos(0, 4));
        assert_eq!(utf32.offset(text, pos(0, 4)), 8);
    }

    #[test]
    fn an_offset_inside_a_character_moves_to_its_start() {
        let text = "x=😀\n".as_bytes();
        let map = LineMap::new(text, Encoding::Utf16);
        for inside in 3..6 {
            assert_eq!(map.position(text, inside), pos(0, 2), "byte {inside}");
        }
        assert_eq!(map.position(text, 6), pos(0, 4));
    }

    #[test]
    fn invalid_utf8_counts_one_replacement_character_per_maximal_sequence() {
        // \xff is one invalid byte; \xe2\x82 is a truncated 3-byte sequence (one U+FFFD).
        let text = b"ftpd_banner=\xff\xe2\x82z\n";
        let map = LineMap::new(text, Encoding::Utf16);
        assert_eq!(map.position(text, 13), pos(0, 13));
        assert_eq!(map.position(text, 14), pos(0, 13));
        assert_eq!(map.position(text, 15), pos(0, 14));
        assert_eq!(map.offset(text, pos(0, 14)), 15);
        assert_eq!(map.offset(text, pos(0, 15)), 16);
        let utf8 = LineMap::new(text, Encoding::Utf8);
        // U+FFFD is three UTF-8 units.
        assert_eq!(utf8.position(text, 13), pos(0, 15));
        assert_eq!(utf8.position(text, 15), pos(0, 18));
    }

    #[test]
    fn lone_carriage_return_ends_a_line_for_the_editor() {
        let text = b"a=1\rb=2\r\nc=3\nd";
        let map = LineMap::new(text, Encoding::Utf16);
        assert_eq!(map.line_count(), 4);
        assert_eq!(map.position(text, 4), pos(1, 0));
        assert_eq!(map.position(text, 9), pos(2, 0));
        assert_eq!(map.position(text, 13), pos(3, 0));
        assert_eq!(map.line_span(text, 1), Some(Span::new(4, 7)));
        // The \r of a CRLF belongs to the line break: offset 7 (the \r) maps to the line end.
        assert_eq!(map.position(text, 8), pos(1, 3));
    }

    #[test]
    fn positions_past_the_line_or_the_buffer_clamp() {
        let text = b"ab\ncd";
        let map = LineMap::new(text, Encoding::Utf16);
        assert_eq!(map.offset(text, pos(0, 99)), 2);
        assert_eq!(map.offset(text, pos(9, 0)), 5);
        assert_eq!(map.position(text, 99), pos(1, 2));
        assert_eq!(
            map.span(text, Range::new(pos(1, 1), pos(0, 1))),
            Span::new(1, 4)
        );
    }

    #[test]
    fn every_offset_round_trips_through_its_position() {
        let mut bytes = "é\r\n😀a\rb".as_bytes().to_vec();
        bytes.extend_from_slice(b"\xc3\xff");
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let map = LineMap::new(&bytes, encoding);
            for o in 0..=bytes.len() as u32 {
                let p = map.position(&bytes, o);
                let back = map.offset(&bytes, p);
                assert!(back <= o, "{encoding:?} {o} -> {p:?} -> {back}");
                assert_eq!(map.position(&bytes, back), p, "{encoding:?} {o}");
            }
        }
    }

    #[test]
    fn the_client_preference_decides_the_encoding() {
        use lsp_types::PositionEncodingKind as K;
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(Some(&[K::new("utf-7"), K::UTF32, K::UTF8])),
            Encoding::Utf32
        );
    }
}
