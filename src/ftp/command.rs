//! Command lines: how vsftpd splits and bounds what a client sends.

/// vsftpd's command line buffer: a line that does not end within this many bytes is answered with
/// `500 Input line too long.` and the session ends (debian-3.0.3 binary: a 5000-byte `USER` line).
pub const MAX_COMMAND_LINE_BYTES: usize = 4096;

/// One command as vsftpd sees it: the verb (upper-cased, up to the first space) and the argument (the
/// rest of the line after that space, possibly empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The verb, upper-cased (`"noop"` is `NOOP`); empty when the line starts with a space.
    pub verb: String,
    /// The argument bytes after the first space (not trimmed further).
    pub arg: Vec<u8>,
}

impl Command {
    /// Splits one line (without its line ending) the way vsftpd does.
    pub fn parse(line: &[u8]) -> Command {
        let (verb, arg) = match line.iter().position(|&b| b == b' ') {
            Some(i) => (
                line.get(..i).unwrap_or_default(),
                line.get(i + 1..).unwrap_or_default(),
            ),
            None => (line, &[][..]),
        };
        Command {
            verb: String::from_utf8_lossy(verb).to_ascii_uppercase(),
            arg: arg.to_vec(),
        }
    }

    /// The command this verb names.
    pub fn kind(&self) -> Verb {
        Verb::parse(&self.verb)
    }

    /// The argument as text (lossy for non-UTF-8 bytes).
    pub fn arg_text(&self) -> String {
        String::from_utf8_lossy(&self.arg).into_owned()
    }

    /// Formats a command line for sending: `VERB arg\r\n` (or `VERB\r\n`).
    pub fn line(verb: &str, arg: Option<&str>) -> Vec<u8> {
        let mut out = verb.as_bytes().to_vec();
        if let Some(a) = arg {
            out.push(b' ');
            out.extend_from_slice(a.as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out
    }
}

/// The commands vsftpd answers, by verb. The old `X…` forms (`XPWD`, `XCWD`, `XCUP`, `XMKD`, `XRMD`,
/// RFC 775) are the command they stand for; every other verb is [`Verb::Unknown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs, reason = "each variant is the FTP command of its name")]
pub enum Verb {
    Abor,
    Acct,
    Allo,
    Appe,
    Auth,
    Cdup,
    Cwd,
    Dele,
    Eprt,
    Epsv,
    Feat,
    Help,
    List,
    Mdtm,
    Mkd,
    Mode,
    Nlst,
    Noop,
    Opts,
    Pass,
    Pasv,
    Pbsz,
    Port,
    Prot,
    Pwd,
    Quit,
    Rein,
    Rest,
    Retr,
    Rmd,
    Rnfr,
    Rnto,
    Site,
    Size,
    Smnt,
    Stat,
    Stor,
    Stou,
    Stru,
    Syst,
    Type,
    User,
    /// A verb vsftpd does not know: `500 Unknown command.`.
    Unknown,
}

impl Verb {
    /// The command an upper-case verb names.
    pub fn parse(verb: &str) -> Verb {
        match verb {
            "ABOR" => Verb::Abor,
            "ACCT" => Verb::Acct,
            "ALLO" => Verb::Allo,
            "APPE" => Verb::Appe,
            "AUTH" => Verb::Auth,
            "CDUP" | "XCUP" => Verb::Cdup,
            "CWD" | "XCWD" => Verb::Cwd,
            "DELE" => Verb::Dele,
            "EPRT" => Verb::Eprt,
            "EPSV" => Verb::Epsv,
            "FEAT" => Verb::Feat,
            "HELP" => Verb::Help,
            "LIST" => Verb::List,
            "MDTM" => Verb::Mdtm,
            "MKD" | "XMKD" => Verb::Mkd,
            "MODE" => Verb::Mode,
            "NLST" => Verb::Nlst,
            "NOOP" => Verb::Noop,
            "OPTS" => Verb::Opts,
            "PASS" => Verb::Pass,
            "PASV" => Verb::Pasv,
            "PBSZ" => Verb::Pbsz,
            "PORT" => Verb::Port,
            "PROT" => Verb::Prot,
            "PWD" | "XPWD" => Verb::Pwd,
            "QUIT" => Verb::Quit,
            "REIN" => Verb::Rein,
            "REST" => Verb::Rest,
            "RETR" => Verb::Retr,
            "RMD" | "XRMD" => Verb::Rmd,
            "RNFR" => Verb::Rnfr,
            "RNTO" => Verb::Rnto,
            "SITE" => Verb::Site,
            "SIZE" => Verb::Size,
            "SMNT" => Verb::Smnt,
            "STAT" => Verb::Stat,
            "STOR" => Verb::Stor,
            "STOU" => Verb::Stou,
            "STRU" => Verb::Stru,
            "SYST" => Verb::Syst,
            "TYPE" => Verb::Type,
            "USER" => Verb::User,
            _ => Verb::Unknown,
        }
    }
}

/// A line that could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    /// No line end within `MAX_COMMAND_LINE_BYTES`.
    #[error("command line longer than {MAX_COMMAND_LINE_BYTES} bytes")]
    TooLong,
}

/// Splits a byte stream into command lines, bounded: feed bytes with `push`, take lines with
/// `next_line`. A line ends at `\n`; one `\r` before it is dropped; NUL bytes are kept.
#[derive(Debug, Default)]
pub struct CommandReader {
    buf: Vec<u8>,
}

impl CommandReader {
    /// An empty reader.
    pub fn new() -> CommandReader {
        CommandReader::default()
    }

    /// Adds bytes read from the connection.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next complete line, `Ok(None)` when more bytes are needed, or an error when the buffered
    /// line is already too long.
    pub fn next_line(&mut self) -> Result<Option<Vec<u8>>, LineError> {
        match self.buf.iter().position(|&b| b == b'\n') {
            Some(i) if i < MAX_COMMAND_LINE_BYTES => {
                let mut line: Vec<u8> = self.buf.drain(..=i).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                Ok(Some(line))
            }
            Some(_) => Err(LineError::TooLong),
            None if self.buf.len() >= MAX_COMMAND_LINE_BYTES => Err(LineError::TooLong),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_x_verbs_are_their_commands() {
        assert_eq!(Command::parse(b"xpwd").kind(), Verb::Pwd);
        assert_eq!(Command::parse(b"XRMD dir").kind(), Verb::Rmd);
        assert_eq!(Command::parse(b"CLNT x").kind(), Verb::Unknown);
    }

    #[test]
    fn verb_is_upper_cased_and_split_at_first_space() {
        let c = Command::parse(b"retr my file.txt");
        assert_eq!(c.verb, "RETR");
        assert_eq!(c.arg, b"my file.txt");
    }

    #[test]
    fn leading_space_gives_empty_verb() {
        let c = Command::parse(b" NOOP");
        assert_eq!(c.verb, "");
        assert_eq!(c.arg, b"NOOP");
    }

    #[test]
    fn reader_splits_crlf_and_lf_lines() {
        let mut r = CommandReader::new();
        r.push(b"NOOP\r\nSYST\nPW");
        assert_eq!(r.next_line(), Ok(Some(b"NOOP".to_vec())));
        assert_eq!(r.next_line(), Ok(Some(b"SYST".to_vec())));
        assert_eq!(r.next_line(), Ok(None));
        r.push(b"D\r\n");
        assert_eq!(r.next_line(), Ok(Some(b"PWD".to_vec())));
    }

    #[test]
    fn reader_refuses_a_line_without_end_at_the_cap() {
        let mut r = CommandReader::new();
        r.push(&vec![b'a'; MAX_COMMAND_LINE_BYTES]);
        assert_eq!(r.next_line(), Err(LineError::TooLong));
    }
}
