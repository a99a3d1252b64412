//! JSON-RPC framing over a byte stream (`Content-Length: N\r\n\r\n` + N bytes of JSON), bounded and
//! forgiving.
//!
//! `lsp-server`'s own stdio transport reads whatever length a header announces, stops for good on a
//! body that is not UTF-8 or not JSON, and panics when joined after a failure. A language server must
//! outlive all of that, so vsconf keeps `lsp-server`'s message types and writer and reads with this
//! reader instead:
//! - a header line longer than [`MAX_HEADER_LINE`] or a body longer than [`MAX_MESSAGE_BYTES`] is
//!   skipped in small chunks, never buffered, and reported as [`Incoming::Dropped`];
//! - a body that is not UTF-8 (an editor sending a non-UTF-8 buffer verbatim) is decoded with U+FFFD in
//!   place of each invalid sequence, which is what the position mapping counts;
//! - a body that is not a JSON-RPC message is reported as [`Incoming::Malformed`] and reading goes on;
//! - the channel to the server loop has no room (a rendezvous): a client flooding the server waits for
//!   it instead of filling memory.
//!
//! End of input (the client closed the pipe or died) closes the channel.

use std::io::{BufRead, BufReader, Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use lsp_server::Message;

/// The longest header line read; longer ones are skipped.
pub const MAX_HEADER_LINE: u64 = 1024;

/// The largest message body accepted: a 100 MB buffer, JSON-escaped, with room to spare. Larger ones
/// are skipped without being held in memory.
pub const MAX_MESSAGE_BYTES: u64 = 160 * 1024 * 1024;

/// Outgoing messages that may wait for a slow client before the server loop blocks.
const OUTGOING_QUEUE: usize = 64;

/// What the reader hands the server loop.
#[derive(Debug)]
pub enum Incoming {
    /// A JSON-RPC message.
    Message(Message),
    /// A message that was skipped unread.
    Dropped {
        /// Its announced length in bytes.
        bytes: u64,
    },
    /// A body that is no JSON-RPC message, or a broken header.
    Malformed(String),
}

/// Starts the reader thread. The receiver yields one item at a time and ends with the input.
pub fn spawn_reader(input: impl Read + Send + 'static) -> Receiver<Incoming> {
    let (sender, receiver) = sync_channel(0);
    let spawned = std::thread::Builder::new()
        .name("vsconf-lsp-reader".to_owned())
        .spawn(move || {
            let mut reader = BufReader::with_capacity(64 * 1024, input);
            while let Some(item) = read_one(&mut reader) {
                if sender.send(item).is_err() {
                    break;
                }
            }
        });
    // Without a reader thread the channel is closed at once and the server ends as on end of input.
    drop(spawned);
    receiver
}

/// Starts the writer thread. Sending fails once the output is gone (the client died).
pub fn spawn_writer(
    output: impl Write + Send + 'static,
) -> (SyncSender<Message>, Option<JoinHandle<()>>) {
    let (sender, receiver) = sync_channel::<Message>(OUTGOING_QUEUE);
    let handle = std::thread::Builder::new()
        .name("vsconf-lsp-writer".to_owned())
        .spawn(move || {
            let mut output = output;
            for message in receiver {
                if message.write(&mut output).is_err() {
                    // The client is gone: dropping the receiver makes the server's next send fail.
                    break;
                }
            }
        })
        .ok();
    (sender, handle)
}

/// Reads one framed message; `None` at the end of input.
pub fn read_one(reader: &mut impl BufRead) -> Option<Incoming> {
    let mut length: Option<u64> = None;
    let mut bad_header = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        let n = reader
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)
            .ok()?;
        if n == 0 {
            return None;
        }
        if !line.ends_with(b"\n") {
            // Over-long header line: skip the rest of it.
            skip_line(reader)?;
            bad_header = Some(format!("header line longer than {MAX_HEADER_LINE} bytes"));
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if saw_header {
                break;
            }
            // Blank lines between messages are tolerated.
            continue;
        }
        saw_header = true;
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<u64>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("bad Content-Length `{}`", value.trim())),
                }
            }
            Some(_) => {}
            None => bad_header = Some(format!("malformed header `{}`", excerpt(text))),
        }
    }
    let Some(length) = length else {
        return Some(Incoming::Malformed(
            bad_header.unwrap_or_else(|| "a message without Content-Length".to_owned()),
        ));
    };
    if length > MAX_MESSAGE_BYTES {
        let skipped =
            std::io::copy(&mut reader.by_ref().take(length), &mut std::io::sink()).ok()?;
        if skipped < length {
            return None;
        }
        return Some(Incoming::Dropped { bytes: length });
    }
    let mut body = Vec::new();
    let read = reader.by_ref().take(length).read_to_end(&mut body).ok()?;
    if (read as u64) < length {
        // The client died in the middle of a message.
        return None;
    }
    let text = match String::from_utf8(body) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Some(match serde_json::from_str::<Message>(&text) {
        Ok(message) => Incoming::Message(message),
        Err(e) => Incoming::Malformed(format!("not a JSON-RPC message ({e}): {}", excerpt(&text))),
    })
}

fn skip_line(reader: &mut impl BufRead) -> Option<()> {
    loop {
        let buffer = reader.fill_buf().ok()?;
        if buffer.is_empty() {
            return None;
        }
        match buffer.iter().position(|b| *b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Some(());
            }
            None => {
                let n = buffer.len();
                reader.consume(n);
            }
        }
    }
}

fn excerpt(text: &str) -> String {
    text.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &[u8]) -> Vec<u8> {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn invalid_utf8_in_a_body_becomes_replacement_characters() {
        let body = b"{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"text\":\"a\xffb\"}}";
        let mut input = std::io::Cursor::new(frame(body));
        let Some(Incoming::Message(Message::Notification(n))) = read_one(&mut input) else {
            panic!("a notification")
        };
        assert_eq!(n.params["text"], "a\u{FFFD}b");
        assert!(read_one(&mut input).is_none());
    }

    #[test]
    fn garbage_is_reported_and_reading_goes_on() {
        let mut stream = frame(b"not json");
        stream.extend_from_slice(b"X-Nonsense\r\n\r\n");
        stream.extend_from_slice(&frame(b"{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}"));
        let mut input = std::io::Cursor::new(stream);
        assert!(matches!(read_one(&mut input), Some(Incoming::Malformed(_))));
        assert!(matches!(read_one(&mut input), Some(Incoming::Malformed(_))));
        assert!(matches!(
            read_one(&mut input),
            Some(Incoming::Message(Message::Notification(_)))
        ));
    }

    #[test]
    fn an_announced_length_over_the_cap_is_skipped_without_buffering() {
        // The header promises more than the cap; the input ends before: nothing is allocated for it.
        let header = format!("Content-Length: {}\r\n\r\n", MAX_MESSAGE_BYTES + 1);
        let mut input = std::io::Cursor::new(header.into_bytes());
        assert!(read_one(&mut input).is_none());
        let long_header = vec![b'a'; 5000];
        let mut stream = long_header;
        stream.extend_from_slice(b"\r\n");
        stream.extend_from_slice(&frame(b"{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}"));
        let mut input = std::io::Cursor::new(stream);
        assert!(matches!(
            read_one(&mut input),
            Some(Incoming::Message(Message::Notification(_)))
        ));
    }

    #[test]
    fn a_message_cut_by_a_dying_client_ends_the_input() {
        let mut input = std::io::Cursor::new(b"Content-Length: 50\r\n\r\n{\"jsonrpc\"".to_vec());
        assert!(read_one(&mut input).is_none());
    }
}
