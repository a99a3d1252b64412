//! The FTP protocol as both sides of vsconf speak it: command lines, reply codes and lines, a bounded
//! reply reader, the PASV/EPSV/PORT/EPRT wire forms, vsftpd's passive port range rule and vsftpd's exact
//! reply texts.
//!
//! No I/O and no policy lives here: the server (`server`) and the probe (`probe`) feed bytes in and
//! decide what to do with what comes out. This module knows nothing else in the crate.
//!
//! ```
//! use vsconf::ftp::{ReplyReader, Reply};
//! let mut reader = ReplyReader::new();
//! reader.push(b"211-Features:\r\n PASV\r\n211 End\r\n");
//! let reply: Reply = reader.next_reply().unwrap().unwrap();
//! assert_eq!(reply.code, 211);
//! assert_eq!(reply.lines, ["211-Features:", " PASV", "211 End"]);
//! ```

mod address;
mod command;
mod reply;
pub mod texts;

pub use address::{
    EprtError, PortError, format_227, format_229, format_port, parse_227, parse_229, parse_eprt,
    parse_port,
};
pub use command::{Command, CommandReader, LineError, MAX_COMMAND_LINE_BYTES, Verb};
pub use reply::{MAX_REPLY_LINE_BYTES, MAX_REPLY_LINES, Reply, ReplyError, ReplyReader};

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Nothing a peer sends makes the protocol layer panic, and every cap holds.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..6000), split in 0usize..6000) {
            let (a, b) = bytes.split_at(split.min(bytes.len()));
            let mut commands = CommandReader::new();
            commands.push(a);
            commands.push(b);
            while let Ok(Some(line)) = commands.next_line() {
                prop_assert!(line.len() <= MAX_COMMAND_LINE_BYTES);
                let _ = Command::parse(&line);
            }
            let mut replies = ReplyReader::new();
            replies.push(a);
            replies.push(b);
            while let Ok(Some(reply)) = replies.next_reply() {
                prop_assert!(reply.lines.len() <= MAX_REPLY_LINES);
            }
            let _ = parse_port(&bytes);
            let _ = parse_eprt(&bytes);
            let text = String::from_utf8_lossy(&bytes);
            let _ = parse_227(&text);
            let _ = parse_229(&text);
        }
    }
}
