//! Replies: `NNN text` and multi-line `NNN-…` / `NNN text` blocks, read under caps.

/// The longest reply line accepted (without its line end).
pub const MAX_REPLY_LINE_BYTES: usize = 8 * 1024;
/// The most lines one multi-line reply may have.
pub const MAX_REPLY_LINES: usize = 1000;

/// One complete reply.
#[derive(Debug, Clone, PartialEq, Eq)]
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

    /// The text of a one-line reply (after `NNN `), or of the last line.
    pub fn text(&self) -> &str {
        self.lines.last().and_then(|l| l.get(4..)).unwrap_or("")
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
    /// A first line that does not start with three digits.
    #[error("not an FTP reply: {0:?}")]
    Malformed(String),
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
            let head = line_code(&line);
            match self.code {
                None => {
                    let Some(code) = head else {
                        return Err(ReplyError::Malformed(line));
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

fn line_code(line: &str) -> Option<u16> {
    let digits = line.get(..3)?;
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
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
    fn wire_form_round_trips() {
        let reply = Reply::multi(211, "Features:", &[" PASV".to_owned()], "End");
        let mut r = ReplyReader::new();
        r.push(&reply.to_bytes());
        assert_eq!(r.next_reply().unwrap().unwrap(), reply);
    }
}
