//! The lossless syntax tree: the config buffer plus one `Line` per `\n`-terminated line, each made of
//! byte spans. Every byte of the input belongs to exactly one line, so printing the lines in order
//! gives back the input byte for byte.

use super::span::{LineNumber, Span};

/// A parsed config file: its bytes and its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cst {
    pub(super) text: Vec<u8>,
    pub(super) lines: Vec<Line>,
}

impl Cst {
    /// The bytes the tree was parsed from.
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    /// The bytes the tree was parsed from, without copying them, once the tree is no longer needed.
    pub fn into_text(self) -> Vec<u8> {
        self.text
    }

    /// The lines, in file order.
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// The 1-based number of the line holding byte `offset` (an offset inside the text): the lines
    /// are already split, so no [`LineIndex`](super::LineIndex) needs building for it.
    pub fn line_number(&self, offset: u32) -> LineNumber {
        let line = self
            .lines
            .partition_point(|l| l.span.start <= offset)
            .max(1);
        LineNumber(u32::try_from(line).unwrap_or(u32::MAX))
    }

    /// The bytes a span covers.
    pub fn slice(&self, span: Span) -> &[u8] {
        span.slice(&self.text)
    }

    /// Prints the tree: the concatenation of every line's bytes, equal to the input.
    pub fn print(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.text.len());
        for line in &self.lines {
            out.extend_from_slice(self.slice(line.span));
        }
        out
    }

    /// The settings, in file order, with the line each belongs to.
    pub fn settings(&self) -> impl Iterator<Item = (&Line, &Setting)> {
        self.lines.iter().filter_map(|line| match &line.kind {
            LineKind::Setting(setting) => Some((line, setting)),
            _ => None,
        })
    }

    /// Whether the buffer starts with a UTF-8 byte order mark (which vsftpd reads as part of the first
    /// name).
    pub fn has_bom(&self) -> bool {
        self.text.starts_with(b"\xEF\xBB\xBF")
    }
}

/// One line: everything up to and including its `\n` (the last line may lack one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The whole line, newline included.
    pub span: Span,
    /// The line without its `\n` (a `\r` before it stays here: vsftpd keeps it).
    pub content: Span,
    /// The `\n`, when present.
    pub newline: Option<Span>,
    /// What vsftpd makes of the line's shape.
    pub kind: LineKind,
}

impl Line {
    /// Whether the content ends with `\r` (a CRLF line ending).
    pub fn ends_with_carriage_return(&self, text: &[u8]) -> bool {
        self.content.slice(text).last() == Some(&b'\r')
    }
}

/// The shape of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKind {
    /// Empty or only whitespace: skipped by vsftpd.
    Blank,
    /// `#` in the first column: skipped by vsftpd.
    Comment,
    /// Anything else: vsftpd reads it as `name=value`.
    Setting(Setting),
}

/// The parts of a setting line, as vsftpd splits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// Leading whitespace (skipped by vsftpd), possibly empty.
    pub indent: Span,
    /// Everything up to the first `=` or NUL, spaces included: vsftpd does not trim names.
    pub name: Span,
    /// The first `=`, if any.
    pub equals: Option<Span>,
    /// Everything after the first `=` up to a NUL or the end of the line, `\r` included.
    pub value: Option<Span>,
    /// A NUL byte and everything after it: invisible to vsftpd.
    pub nul_tail: Option<Span>,
}

impl Setting {
    /// The value without a final `\r`, i.e. what an editor shows between `=` and the line ending.
    pub fn value_without_carriage_return(&self, text: &[u8]) -> Option<Span> {
        let value = self.value?;
        if self.nul_tail.is_none() && value.slice(text).last() == Some(&b'\r') {
            Some(Span::new(value.start, value.end - 1))
        } else {
            Some(value)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::syntax::{LineIndex, parse};

    #[test]
    fn line_numbers_agree_with_a_line_index_inside_the_text() {
        let texts: [&[u8]; 5] = [
            b"",
            b"listen=YES",
            b"listen=YES\n\n# c\r\nanonymous_enable=NO\n",
            b"\n\n\n",
            b"a=1\nb",
        ];
        for text in texts {
            let cst = parse(text).cst;
            let index = LineIndex::new(text);
            for offset in 0..u32::try_from(text.len()).unwrap() {
                assert_eq!(
                    cst.line_number(offset),
                    index.line_column(offset).line,
                    "{text:?} at {offset}"
                );
            }
        }
    }
}
