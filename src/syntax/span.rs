//! Byte ranges into the config buffer, and the conversion to 1-based lines and columns that only
//! renderers need.

use serde::Serialize;

/// A half-open byte range `start..end` into the buffer a `Cst` was parsed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from two offsets; `end` is raised to `start` if smaller.
    pub fn new(start: u32, end: u32) -> Span {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// An empty span at `offset`.
    pub fn empty(offset: u32) -> Span {
        Span {
            start: offset,
            end: offset,
        }
    }

    /// Length in bytes.
    pub fn len(self) -> u32 {
        self.end - self.start
    }

    /// Whether the span covers no byte.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The bytes the span covers, or an empty slice when it lies outside `text` (never panics).
    pub fn slice(self, text: &[u8]) -> &[u8] {
        text.get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Whether `offset` lies inside the span.
    pub fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }
}

/// A 1-based line number, only for output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct LineNumber(pub u32);

/// A 1-based line and column (column counted in bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineColumn {
    /// Line, from 1.
    pub line: LineNumber,
    /// Column in bytes, from 1.
    pub column: u32,
}

/// Start offsets of every line, to turn byte offsets into line and column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    /// Indexes `text` by its `\n` bytes.
    pub fn new(text: &[u8]) -> LineIndex {
        // memchr's search for `\n` is several times cheaper than a byte loop: every JSON, SARIF and
        // GitHub report of a bulk run builds one index per file.
        // Sized exactly (memchr counts newlines at a fraction of an instruction per byte), so that
        // it never grows.
        let mut starts = Vec::with_capacity(memchr::memchr_iter(b'\n', text).count() + 1);
        starts.push(0);
        starts.extend(
            memchr::memchr_iter(b'\n', text).map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        LineIndex { starts }
    }

    /// The 1-based line and column of a byte offset.
    pub fn line_column(&self, offset: u32) -> LineColumn {
        let line = self.starts.partition_point(|s| *s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        LineColumn {
            line: LineNumber(u32::try_from(line).unwrap_or(u32::MAX)),
            column: offset - start + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_one_based_lines_and_columns() {
        let index = LineIndex::new(b"ab\ncd\n");
        assert_eq!(
            index.line_column(0),
            LineColumn {
                line: LineNumber(1),
                column: 1
            }
        );
        assert_eq!(
            index.line_column(4),
            LineColumn {
                line: LineNumber(2),
                column: 2
            }
        );
        assert_eq!(
            index.line_column(6),
            LineColumn {
                line: LineNumber(3),
                column: 1
            }
        );
    }

    #[test]
    fn slicing_outside_the_text_is_empty() {
        assert_eq!(Span::new(5, 9).slice(b"abc"), b"");
        assert_eq!(Span::new(1, 2).slice(b"abc"), b"b");
    }
}
