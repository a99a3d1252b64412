//! The client side of the FTP control connection: a bounded reply reader and a command writer over a
//! plain or TLS stream. Every read is capped (line length, lines per reply) so a hostile or broken
//! server can make the probe fail with a message, never grow memory or hang; timeouts are the
//! caller's (every call here is awaited under `tokio::time::timeout` in `checks`).
//!
//! Kept inside `probe` until the shared `ftp` module lands; it knows nothing of vsftpd's settings.

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

/// The longest reply line accepted, in bytes. vsftpd's longest lines (a long banner, a 500 OOPS with a
/// path) are well below this.
pub const MAX_LINE_BYTES: usize = 8 * 1024;

/// The most lines one multi-line reply (FEAT, a `banner_file`) may have.
pub const MAX_REPLY_LINES: usize = 512;

/// One FTP reply: its code and its lines (CR LF removed; the code prefix of each line kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// The three-digit code.
    pub code: u16,
    /// The lines as sent, without line endings, lossily decoded (non-UTF-8 bytes become U+FFFD).
    pub lines: Vec<String>,
}

impl Reply {
    /// The text after the code on the last line (`"(vsFTPd 3.0.3)"` for `220 (vsFTPd 3.0.3)`).
    pub fn text(&self) -> &str {
        let last = self.lines.last().map(String::as_str).unwrap_or("");
        last.get(4..).unwrap_or("")
    }

    /// The whole last line (`220 (vsFTPd 3.0.3)`).
    pub fn last_line(&self) -> &str {
        self.lines.last().map(String::as_str).unwrap_or("")
    }

    /// 1yz, 2yz or 3yz.
    pub fn is_positive(&self) -> bool {
        (100..400).contains(&self.code)
    }
}

/// Why a reply could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The server closed the connection.
    #[error("the server closed the connection")]
    Closed,
    /// A line longer than [`MAX_LINE_BYTES`].
    #[error("the server sent a line longer than {MAX_LINE_BYTES} bytes without a line end")]
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

/// A control connection: a stream plus the bytes read but not yet consumed.
pub struct Control {
    stream: Stream,
    pending: Vec<u8>,
}

impl Control {
    /// Wraps a stream.
    pub fn new(stream: Stream) -> Control {
        Control {
            stream,
            pending: Vec::new(),
        }
    }

    /// The stream, e.g. to upgrade it to TLS. Fails when the server already sent bytes beyond the
    /// last reply (they would be lost, and a server that does that is misbehaving).
    pub fn into_stream(self) -> Result<Stream, WireError> {
        if self.pending.is_empty() {
            Ok(self.stream)
        } else {
            Err(WireError::Garbage(escape(&self.pending)))
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

    /// Reads one line (without its line end), at most [`MAX_LINE_BYTES`].
    async fn read_line(&mut self) -> Result<Vec<u8>, WireError> {
        loop {
            if let Some(pos) = self.pending.iter().position(|&b| b == b'\n') {
                let mut line: Vec<u8> = self.pending.drain(..=pos).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            if self.pending.len() > MAX_LINE_BYTES {
                return Err(WireError::LineTooLong);
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
            self.pending
                .extend_from_slice(chunk.get(..n).unwrap_or(&[]));
        }
    }

    /// Reads one complete reply, single- or multi-line (RFC 959 §4.2).
    pub async fn read_reply(&mut self) -> Result<Reply, WireError> {
        let first = self.read_line().await?;
        let code = reply_code(&first).ok_or_else(|| WireError::Garbage(escape(&first)))?;
        let multi = first.get(3) == Some(&b'-');
        let mut lines = vec![String::from_utf8_lossy(&first).into_owned()];
        if multi {
            let end = format!("{code:03} ");
            loop {
                if lines.len() >= MAX_REPLY_LINES {
                    return Err(WireError::TooManyLines);
                }
                let line = self.read_line().await?;
                let done = line.starts_with(end.as_bytes()) || line == end.trim_end().as_bytes();
                lines.push(String::from_utf8_lossy(&line).into_owned());
                if done {
                    break;
                }
            }
        }
        Ok(Reply { code, lines })
    }
}

/// The code of a reply's first line: three digits followed by a space, a hyphen or the line end.
pub fn reply_code(line: &[u8]) -> Option<u16> {
    let digits = line.get(..3)?;
    if !digits.iter().all(u8::is_ascii_digit)
        || !matches!(line.get(3), None | Some(b' ') | Some(b'-'))
    {
        return None;
    }
    let mut n: u16 = 0;
    for d in digits {
        n = n * 10 + u16::from(d - b'0');
    }
    (100..600).contains(&n).then_some(n)
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

/// The address and port of a `227 Entering Passive Mode (h1,h2,h3,h4,p1,p2).` reply.
pub fn parse_pasv(text: &str) -> Option<(std::net::Ipv4Addr, u16)> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let rest = text.get(start..)?;
    let nums: Vec<u8> = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(6)
        .map(str::parse::<u8>)
        .collect::<Result<_, _>>()
        .ok()?;
    match nums.as_slice() {
        [a, b, c, d, p1, p2] => Some((
            std::net::Ipv4Addr::new(*a, *b, *c, *d),
            u16::from(*p1) << 8 | u16::from(*p2),
        )),
        _ => None,
    }
}

/// The port of a `229 Entering Extended Passive Mode (|||port|)` reply.
pub fn parse_epsv(text: &str) -> Option<u16> {
    let open = text.find('(')?;
    let inner = text.get(open + 1..)?;
    let close = inner.find(')')?;
    let inner = inner.get(..close)?;
    let delim = inner.chars().next()?;
    let parts: Vec<&str> = inner.split(delim).collect();
    match parts.as_slice() {
        ["", "", "", port, ""] => port.parse().ok(),
        _ => None,
    }
}

/// The `PORT` argument for an IPv4 address and port.
pub fn port_argument(addr: std::net::Ipv4Addr, port: u16) -> String {
    let [a, b, c, d] = addr.octets();
    format!("{a},{b},{c},{d},{},{}", port >> 8, port & 0xff)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reply_code_needs_three_digits_and_a_separator() {
        assert_eq!(reply_code(b"220 (vsFTPd 3.0.3)"), Some(220));
        assert_eq!(reply_code(b"211-Features:"), Some(211));
        assert_eq!(reply_code(b"230"), Some(230));
        assert_eq!(reply_code(b"SSH-2.0-OpenSSH"), None);
        assert_eq!(reply_code(b"2200 x"), None);
        assert_eq!(reply_code(b"099 x"), None);
    }

    #[test]
    fn pasv_reply_gives_address_and_port() {
        assert_eq!(
            parse_pasv("Entering Passive Mode (10,0,0,5,195,80)."),
            Some((std::net::Ipv4Addr::new(10, 0, 0, 5), 50000))
        );
        assert_eq!(parse_pasv("Entering Passive Mode (10,0,0,5,300,80)."), None);
        assert_eq!(parse_pasv("Entering Passive Mode"), None);
    }

    #[test]
    fn epsv_reply_gives_port() {
        assert_eq!(
            parse_epsv("Entering Extended Passive Mode (|||50009|)"),
            Some(50009)
        );
        assert_eq!(parse_epsv("Entering Extended Passive Mode (|||x|)"), None);
        assert_eq!(parse_epsv("no"), None);
    }

    #[test]
    fn port_argument_splits_port() {
        assert_eq!(
            port_argument(std::net::Ipv4Addr::new(127, 0, 0, 1), 50000),
            "127,0,0,1,195,80"
        );
    }

    #[test]
    fn escape_shows_control_bytes() {
        assert_eq!(escape(b"a\r\n\x00"), "a\\r\\n\\x00");
    }
}
