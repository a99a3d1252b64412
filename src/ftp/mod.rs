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
    EprtError, PassiveRange, PortError, format_227, format_229, parse_227, parse_229, parse_eprt,
    parse_port,
};
pub use command::{Command, CommandReader, LineError, MAX_COMMAND_LINE_BYTES};
pub use reply::{MAX_REPLY_LINE_BYTES, MAX_REPLY_LINES, Reply, ReplyError, ReplyReader};
