//! The open buffers: their text as the editor has it, kept in step with `didChange` edits, bounded in
//! size.
//!
//! A buffer larger than [`MAX_DOCUMENT_BYTES`], or one that would take the open buffers past
//! [`MAX_STORED_BYTES`], is not kept: the server remembers only its length and says so on the buffer
//! (see `server.rs`) until the editor replaces its whole text with something smaller or reopens it.

use std::collections::BTreeMap;
use std::time::Instant;

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::position::{Encoding, LineMap};

/// The largest buffer kept: a 100 MB buffer fits, and is analysed as vsftpd reads it (its first
/// 100,000 bytes; the rest is reported as ignored).
pub const MAX_DOCUMENT_BYTES: usize = 128 * 1024 * 1024;

/// The most text all open buffers may hold together.
pub const MAX_STORED_BYTES: usize = 256 * 1024 * 1024;

/// What the server holds of a buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// The whole text.
    Kept(String),
    /// Too large to keep: only its length.
    TooLarge {
        /// The buffer's length in bytes.
        len: u64,
    },
}

impl Text {
    fn stored(&self) -> usize {
        match self {
            Text::Kept(s) => s.len(),
            Text::TooLarge { .. } => 0,
        }
    }
}

/// One open buffer.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its URI.
    pub uri: Uri,
    /// The editor's version number.
    pub version: i32,
    /// Its text.
    pub text: Text,
    /// When the text changed without diagnostics being published since (for debouncing).
    pub changed_at: Option<Instant>,
    /// The first such change (a flood of edits still publishes now and then).
    pub first_change_at: Option<Instant>,
}

/// The open buffers by URI.
#[derive(Debug, Default)]
pub struct Documents {
    open: BTreeMap<String, Document>,
    stored: usize,
}

impl Documents {
    /// Opens (or reopens) a buffer.
    pub fn open(&mut self, uri: Uri, version: i32, text: String) {
        self.close(&uri);
        let text = self.admit(text);
        self.stored += text.stored();
        self.open.insert(
            uri.as_str().to_owned(),
            Document {
                uri,
                version,
                text,
                changed_at: None,
                first_change_at: None,
            },
        );
    }

    /// Closes a buffer.
    pub fn close(&mut self, uri: &Uri) -> Option<Document> {
        let doc = self.open.remove(uri.as_str())?;
        self.stored = self.stored.saturating_sub(doc.text.stored());
        Some(doc)
    }

    /// The buffer at `uri`.
    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri.as_str())
    }

    /// Every open buffer.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Document> {
        self.open.values_mut()
    }

    /// Applies `didChange` edits in order. Returns false when the buffer is unknown.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
        now: Instant,
    ) -> bool {
        let Some(mut doc) = self.close(uri) else {
            return false;
        };
        for change in changes {
            doc.text = match (doc.text, change.range) {
                // A whole new text: kept if it fits, whatever came before.
                (_, None) => Text::Kept(change.text),
                (Text::Kept(mut text), Some(range)) => {
                    let map = LineMap::new(text.as_bytes(), encoding);
                    let span = map.span(text.as_bytes(), range);
                    let (start, end) = (span.start as usize, span.end as usize);
                    let grown = text
                        .len()
                        .saturating_sub(end - start)
                        .saturating_add(change.text.len());
                    if grown > MAX_DOCUMENT_BYTES {
                        Text::TooLarge { len: grown as u64 }
                    } else if text.is_char_boundary(start) && text.is_char_boundary(end) {
                        text.replace_range(start..end, &change.text);
                        Text::Kept(text)
                    } else {
                        // `LineMap` only yields character boundaries; keep the text unchanged if not.
                        Text::Kept(text)
                    }
                }
                // A partial edit of a buffer not kept cannot be applied: it stays not kept.
                (Text::TooLarge { len }, Some(_)) => Text::TooLarge {
                    len: len.saturating_add(change.text.len() as u64),
                },
            };
        }
        let text = match doc.text {
            Text::Kept(text) => self.admit(text),
            other => other,
        };
        self.stored += text.stored();
        doc.text = text;
        doc.version = version;
        doc.changed_at = Some(now);
        doc.first_change_at.get_or_insert(now);
        self.open.insert(uri.as_str().to_owned(), doc);
        true
    }

    /// Marks a buffer's diagnostics as published.
    pub fn published(&mut self, uri: &Uri) {
        if let Some(doc) = self.open.get_mut(uri.as_str()) {
            doc.changed_at = None;
            doc.first_change_at = None;
        }
    }

    fn admit(&self, text: String) -> Text {
        if text.len() > MAX_DOCUMENT_BYTES
            || self.stored.saturating_add(text.len()) > MAX_STORED_BYTES
        {
            Text::TooLarge {
                len: text.len() as u64,
            }
        } else {
            Text::Kept(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn uri() -> Uri {
        "file:///tmp/a.conf".parse().unwrap()
    }

    fn edit(l0: u32, c0: u32, l1: u32, c1: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l0, c0), Position::new(l1, c1))),
            range_length: None,
            text: text.to_owned(),
        }
    }

    #[test]
    fn incremental_edits_apply_in_utf16_units() {
        let mut docs = Documents::default();
        docs.open(uri(), 1, "ftpd_banner=😀x\nlisten=YES\n".to_owned());
        let now = Instant::now();
        // Replace the x after the emoji (UTF-16 column 14..15), then a word on line 2.
        assert!(docs.change(
            &uri(),
            2,
            vec![edit(0, 14, 0, 15, "y"), edit(1, 7, 1, 10, "NO")],
            Encoding::Utf16,
            now
        ));
        let doc = docs.get(&uri()).unwrap();
        assert_eq!(
            doc.text,
            Text::Kept("ftpd_banner=😀y\nlisten=NO\n".to_owned())
        );
        assert_eq!(doc.version, 2);
    }

    #[test]
    fn a_buffer_over_the_cap_is_not_kept_until_replaced() {
        let mut docs = Documents::default();
        docs.open(uri(), 1, "x".repeat(MAX_DOCUMENT_BYTES + 1));
        assert!(matches!(
            docs.get(&uri()).unwrap().text,
            Text::TooLarge { .. }
        ));
        assert_eq!(docs.stored, 0);
        let now = Instant::now();
        docs.change(&uri(), 2, vec![edit(0, 0, 0, 0, "y")], Encoding::Utf16, now);
        assert!(matches!(
            docs.get(&uri()).unwrap().text,
            Text::TooLarge { .. }
        ));
        let whole = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "listen=YES\n".to_owned(),
        };
        docs.change(&uri(), 3, vec![whole], Encoding::Utf16, now);
        assert_eq!(
            docs.get(&uri()).unwrap().text,
            Text::Kept("listen=YES\n".to_owned())
        );
        assert_eq!(docs.stored, 11);
        docs.close(&uri());
        assert_eq!(docs.stored, 0);
    }
}
