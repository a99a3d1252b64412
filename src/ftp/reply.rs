//! Replies: `NNN text` and multi-line `NNN-…` / `NNN text` blocks, read under caps.
//!
//! The server writes replies with [`Reply::to_bytes`]; the probe reads them with [`ReplyReader`], so a
//! hostile or broken server makes the probe fail with a message, never grow memory.

use serde::{Deserialize, Serialize};

/// The longest reply line accepted (without its line end). vsftpd's longest lines (a long banner, a
/// `500 OOPS` with a path) are well below this.
pub const MAX_REPLY_LINE_BYTES: usize = 8 * 1024;
/// The most lines one multi-line reply (FEAT, a `banner_file`) may have, first and last included.
pub const MAX_REPLY_LINES: usize = 512;

/// One complete reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// The three-digit code.
    pub code: u16,
    /// Every line as received, without `\r\n` (non-UTF-8 bytes replaced).
    pub lines: Vec<String>,
}

impl Reply {
    /// A one-line reply `code text`.
    pub fn new(code: u16, text: impl Into<String>) -> Reply {
        let text = text.into();
        Reply {
            code,
            lines: vec![format!("{code} {text}")],
        }
    }

    /// A multi-line reply: `code-first`, the middle lines as given, `code last`.
    pub fn multi(code: u16, first: &str, middle: &[String], last: &str) -> Reply {
        let mut lines = Vec::with_capacity(middle.len() + 2);
        lines.push(format!("{code}-{first}"));
        lines.extend(middle.iter().cloned());
        lines.push(format!("{code} {last}"));
        Reply { code, lines }
    }

    /// The text of a one-line reply (after `NNN `), or of the last line: `"(vsFTPd 3.0.3)"` for
    /// `220 (vsFTPd 3.0.3)`.
    pub fn text(&self) -> &str {
        self.lines.last().and_then(|l| l.get(4..)).unwrap_or("")
    }

    /// The whole last line (`220 (vsFTPd 3.0.3)`).
    pub fn last_line(&self) -> &str {
        self.lines.last().map(String::as_str).unwrap_or("")
    }

    /// 1yz, 2yz or 3yz.
    pub fn is_positive(&self) -> bool {
        (100..400).contains(&self.code)
    }

    /// The wire form: every line followed by `\r\n`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for line in &self.lines {
            out.extend_from_slice(line.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out
    }

    /// 1xx: preliminary.
    pub fn is_preliminary(&self) -> bool {
        (100..200).contains(&self.code)
    }
}

/// A reply that breaks the protocol or a cap.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplyError {
    /// A line longer than `MAX_REPLY_LINE_BYTES`.
    #[error("reply line longer than {MAX_REPLY_LINE_BYTES} bytes")]
    LineTooLong,
    /// More than `MAX_REPLY_LINES` lines in one reply.
    #[error("reply with more than {MAX_REPLY_LINES} lines")]
    TooManyLines,
    /// A first line that is not three digits (100–599) followed by a space, a hyphen or the line end;
    /// the line's bytes as received.
    #[error("not an FTP reply: {:?}", String::from_utf8_lossy(.0))]
    Malformed(Vec<u8>),
}

/// Incremental, bounded reply parser: `push` bytes as they arrive, take replies with `next_reply`.
#[derive(Debug, Default)]
pub struct ReplyReader {
    buf: Vec<u8>,
    pending: Vec<String>,
    code: Option<u16>,
}

impl ReplyReader {
    /// An empty reader.
    pub fn new() -> ReplyReader {
        ReplyReader::default()
    }

    /// Adds received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Whether bytes of an unfinished reply are buffered.
    pub fn has_partial(&self) -> bool {
        !self.buf.is_empty() || !self.pending.is_empty()
    }

    /// The next complete reply, `Ok(None)` when more bytes are needed.
    pub fn next_reply(&mut self) -> Result<Option<Reply>, ReplyError> {
        loop {
            let Some(end) = self.buf.iter().position(|&b| b == b'\n') else {
                if self.buf.len() > MAX_REPLY_LINE_BYTES {
                    return Err(ReplyError::LineTooLong);
                }
                return Ok(None);
            };
            if end > MAX_REPLY_LINE_BYTES {
                return Err(ReplyError::LineTooLong);
            }
            let mut raw: Vec<u8> = self.buf.drain(..=end).collect();
            raw.pop();
            if raw.last() == Some(&b'\r') {
                raw.pop();
            }
            let line = String::from_utf8_lossy(&raw).into_owned();
            let head = line_code(&raw);
            match self.code {
                None => {
                    let Some(code) = head else {
                        return Err(ReplyError::Malformed(raw));
                    };
                    if line.as_bytes().get(3) == Some(&b'-') {
                        self.code = Some(code);
                        self.pending.push(line);
                    } else {
                        return Ok(Some(Reply {
                            code,
                            lines: vec![line],
                        }));
                    }
                }
                Some(code) => {
                    if self.pending.len() >= MAX_REPLY_LINES {
                        return Err(ReplyError::TooManyLines);
                    }
                    let last =
                        head == Some(code) && matches!(line.as_bytes().get(3), Some(b' ') | None);
                    self.pending.push(line);
                    if last {
                        self.code = None;
                        return Ok(Some(Reply {
                            code,
                            lines: std::mem::take(&mut self.pending),
                        }));
                    }
                }
            }
        }
    }
}

/// The code of a reply line: three digits 100–599 followed by a space, a hyphen or the line end
/// (RFC 959 §4.2). A middle line of a multi-line reply may be anything; only a line whose code
/// matches and is followed by a space or the line end closes the reply.
fn line_code(line: &[u8]) -> Option<u16> {
    let digits = line.get(..3)?;
    if !digits.iter().all(u8::is_ascii_digit)
        || !matches!(line.get(3), None | Some(b' ') | Some(b'-'))
    {
        return None;
    }
    let n = digits
        .iter()
        .fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
    (100..600).contains(&n).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_reply() {
        let mut r = ReplyReader::new();
        r.push(b"220 (vsFTPd 3.0.3)\r\n");
        let reply = r.next_reply().unwrap().unwrap();
        assert_eq!(reply.code, 220);
        assert_eq!(reply.text(), "(vsFTPd 3.0.3)");
    }

    #[test]
    fn multi_line_reply_waits_for_its_last_line() {
        let mut r = ReplyReader::new();
        r.push(b"220-line one\r\n220-line two\r\n");
        assert_eq!(r.next_reply(), Ok(None));
        r.push(b"220 \r\n");
        let reply = r.next_reply().unwrap().unwrap();
        assert_eq!(reply.lines, ["220-line one", "220-line two", "220 "]);
    }

    #[test]
    fn overlong_line_is_an_error_not_a_hang() {
        let mut r = ReplyReader::new();
        r.push(&vec![b'2'; MAX_REPLY_LINE_BYTES + 2]);
        assert_eq!(r.next_reply(), Err(ReplyError::LineTooLong));
    }

    #[test]
    fn garbage_is_malformed() {
        let mut r = ReplyReader::new();
        r.push(b"hello\r\n");
        assert!(matches!(r.next_reply(), Err(ReplyError::Malformed(_))));
    }

    #[test]
    fn line_code_needs_three_digits_and_a_separator() {
        assert_eq!(line_code(b"220 (vsFTPd 3.0.3)"), Some(220));
        assert_eq!(line_code(b"211-Features:"), Some(211));
        assert_eq!(line_code(b"230"), Some(230));
        assert_eq!(line_code(b"SSH-2.0-OpenSSH"), None);
        assert_eq!(line_code(b"2200 x"), None);
        assert_eq!(line_code(b"099 x"), None);
    }

    #[test]
    fn too_many_lines_is_an_error() {
        let mut r = ReplyReader::new();
        r.push(b"220-welcome\r\n");
        for _ in 0..MAX_REPLY_LINES {
            r.push(b"220-more\r\n");
        }
        assert_eq!(r.next_reply(), Err(ReplyError::TooManyLines));
    }

    #[test]
    fn wire_form_round_trips() {
        let reply = Reply::multi(211, "Features:", &[" PASV".to_owned()], "End");
        let mut r = ReplyReader::new();
        r.push(&reply.to_bytes());
        assert_eq!(r.next_reply().unwrap().unwrap(), reply);
    }
}
