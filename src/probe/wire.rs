//! The probe's side of the control connection: a plain or TLS stream, a command writer and the async
//! loop that feeds [`crate::ftp::ReplyReader`]. The protocol itself (reply syntax, the caps on line length
//! and lines per reply, the PASV/EPSV/PORT forms) is `crate::ftp`'s; what stays here is the I/O and the
//! probe's wording of what went wrong. Timeouts are the caller's (every call here is awaited under
//! `tokio::time::timeout` in `checks`).

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use crate::ftp::{MAX_REPLY_LINE_BYTES, MAX_REPLY_LINES, Reply, ReplyError, ReplyReader};

/// Why a reply could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The server closed the connection.
    #[error("the server closed the connection")]
    Closed,
    /// A line longer than [`MAX_REPLY_LINE_BYTES`].
    #[error("the server sent a line longer than {MAX_REPLY_LINE_BYTES} bytes without a line end")]
    LineTooLong,
    /// A reply with more than [`MAX_REPLY_LINES`] lines.
    #[error("the server sent a reply of more than {MAX_REPLY_LINES} lines")]
    TooManyLines,
    /// Something that is not an FTP reply.
    #[error("the server sent something that is not an FTP reply: \"{0}\"")]
    Garbage(String),
    /// An I/O error.
    #[error("{0}")]
    Io(String),
}

impl From<ReplyError> for WireError {
    fn from(e: ReplyError) -> WireError {
        match e {
            ReplyError::LineTooLong => WireError::LineTooLong,
            ReplyError::TooManyLines => WireError::TooManyLines,
            ReplyError::Malformed(line) => WireError::Garbage(escape(&line)),
        }
    }
}

/// A control stream, plain or TLS.
pub enum Stream {
    /// Before `AUTH TLS` (or without it).
    Plain(TcpStream),
    /// After `AUTH TLS`, or implicit FTPS.
    Tls(Box<TlsStream<TcpStream>>),
}

impl Stream {
    async fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf).await,
            Stream::Tls(s) => s.read(buf).await,
        }
    }

    async fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => {
                s.write_all(bytes).await?;
                s.flush().await
            }
            Stream::Tls(s) => {
                s.write_all(bytes).await?;
                s.flush().await
            }
        }
    }

    /// The underlying TCP stream.
    pub fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(s) => s,
            Stream::Tls(s) => s.get_ref().0,
        }
    }
}

/// A control connection: a stream plus the reply reader holding bytes read but not yet consumed.
/// Reading a reply is cancel-safe: a partial reply stays in the reader when the future is dropped.
pub struct Control {
    stream: Stream,
    replies: ReplyReader,
}

impl Control {
    /// Wraps a stream.
    pub fn new(stream: Stream) -> Control {
        Control {
            stream,
            replies: ReplyReader::new(),
        }
    }

    /// The stream, e.g. to upgrade it to TLS. Fails when the server already sent bytes beyond the
    /// last reply (they would be lost, and a server that does that is misbehaving).
    pub fn into_stream(self) -> Result<Stream, WireError> {
        if self.replies.has_partial() {
            Err(WireError::Garbage(String::from(
                "bytes after the last reply",
            )))
        } else {
            Ok(self.stream)
        }
    }

    /// The underlying TCP stream.
    pub fn tcp(&self) -> &TcpStream {
        self.stream.tcp()
    }

    /// Whether the stream is TLS.
    pub fn is_tls(&self) -> bool {
        matches!(self.stream, Stream::Tls(_))
    }

    /// Sends one command line (CR LF appended).
    pub async fn send(&mut self, command: &str) -> Result<(), WireError> {
        let mut line = Vec::with_capacity(command.len() + 2);
        line.extend_from_slice(command.as_bytes());
        line.extend_from_slice(b"\r\n");
        self.stream
            .write_all(&line)
            .await
            .map_err(|e| WireError::Io(e.to_string()))
    }

    /// Reads one complete reply, single- or multi-line (RFC 959 §4.2), under `crate::ftp`'s caps.
    pub async fn read_reply(&mut self) -> Result<Reply, WireError> {
        loop {
            if let Some(reply) = self.replies.next_reply()? {
                return Ok(reply);
            }
            let mut chunk = [0u8; 4096];
            let n = self
                .stream
                .read(&mut chunk)
                .await
                .map_err(|e| WireError::Io(e.to_string()))?;
            if n == 0 {
                return Err(WireError::Closed);
            }
            self.replies.push(chunk.get(..n).unwrap_or(&[]));
        }
    }
}

/// At most 60 bytes of `bytes`, printable, for messages.
pub fn escape(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes.iter().take(60) {
        match b {
            b' '..=b'~' => out.push(char::from(b)),
            b'\r' => out.push_str("\\r"),
            b'\n' => out.push_str("\\n"),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    if bytes.len() > 60 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_shows_control_bytes() {
        assert_eq!(escape(b"a\r\n\x00"), "a\\r\\n\\x00");
    }

    #[test]
    fn garbage_is_shown_escaped() {
        let e = WireError::from(ReplyError::Malformed(b"SSH-2.0\xff".to_vec()));
        assert_eq!(
            e.to_string(),
            "the server sent something that is not an FTP reply: \"SSH-2.0\\xff\""
        );
    }
}
