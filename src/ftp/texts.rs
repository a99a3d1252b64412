//! vsftpd's reply codes and texts, byte for byte as the debian-3.0.3 binary sends them (recorded with a
//! raw socket against `/usr/sbin/vsftpd` in a private network namespace; the 3.0.5 sources carry the same
//! strings). Each constant is one reply line without its code: `Text { code, text }`.

use super::Reply;

/// A reply code with vsftpd's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    /// The code.
    pub code: u16,
    /// The text after `NNN `.
    pub text: &'static str,
}

impl Text {
    /// The one-line reply.
    pub fn reply(self) -> Reply {
        Reply::new(self.code, self.text)
    }

    /// The reply line as sent, without `\r\n`.
    pub fn line(self) -> String {
        format!("{} {}", self.code, self.text)
    }
}

macro_rules! texts {
    ($($(#[$doc:meta])* $name:ident = $code:literal $text:literal;)*) => {
        $($(#[$doc])* pub const $name: Text = Text { code: $code, text: $text };)*
    };
}

texts! {
    /// After USER (anonymous or local).
    SPECIFY_PASSWORD = 331 "Please specify the password.";
    /// Login accepted.
    LOGIN_OK = 230 "Login successful.";
    /// Bad user or password.
    LOGIN_INCORRECT = 530 "Login incorrect.";
    /// Any command but USER/PASS/QUIT/FEAT/OPTS/AUTH/PBSZ/PROT before login (including NOOP and SYST).
    LOGIN_FIRST = 530 "Please login with USER and PASS.";
    /// PASS without a pending USER.
    LOGIN_WITH_USER_FIRST = 503 "Login with USER first.";
    /// USER refused by the user list (`userlist_enable`, debian-3.0.3 binary).
    PERMISSION_DENIED_LOGIN = 530 "Permission denied.";
    /// A non-anonymous USER while `local_enable=NO`.
    ANONYMOUS_ONLY = 530 "This FTP server is anonymous only.";
    /// USER after an anonymous login.
    CANT_CHANGE_FROM_GUEST = 530 "Can't change from guest user.";
    /// PASS after login.
    ALREADY_LOGGED_IN = 230 "Already logged in.";
    /// USER after a local login, naming another user.
    CANT_CHANGE_USER = 530 "Can't change to another user.";
    /// USER after a local login, naming the same user.
    ANY_PASSWORD = 331 "Any password will do.";
    /// `force_local_logins_ssl=YES` without AUTH TLS (the session ends).
    NON_ANON_MUST_ENCRYPT = 530 "Non-anonymous sessions must use encryption.";
    /// `force_anon_logins_ssl=YES` without AUTH TLS (the session ends).
    ANON_MUST_ENCRYPT = 530 "Anonymous sessions must use encryption.";
    /// `allow_anon_ssl=NO` and anonymous USER after AUTH TLS.
    ANON_NO_ENCRYPTION = 530 "Anonymous sessions may not use encryption.";
    /// SYST.
    SYST = 215 "UNIX Type: L8";
    /// NOOP.
    NOOP = 200 "NOOP ok.";
    /// QUIT.
    GOODBYE = 221 "Goodbye.";
    /// Unknown verb.
    UNKNOWN_COMMAND = 500 "Unknown command.";
    /// A line longer than the command buffer (the session ends).
    INPUT_TOO_LONG = 500 "Input line too long.";
    /// A known command that the config does not allow.
    PERMISSION_DENIED = 550 "Permission denied.";
    /// TYPE I.
    TYPE_BINARY = 200 "Switching to Binary mode.";
    /// TYPE A.
    TYPE_ASCII = 200 "Switching to ASCII mode.";
    /// Any other TYPE.
    TYPE_BAD = 500 "Unrecognised TYPE command.";
    /// MODE S.
    MODE_S = 200 "Mode set to S.";
    /// Other MODE.
    MODE_BAD = 504 "Bad MODE command.";
    /// STRU F.
    STRU_F = 200 "Structure set to F.";
    /// Other STRU.
    STRU_BAD = 504 "Bad STRU command.";
    /// OPTS UTF8 ON.
    UTF8_ALWAYS = 200 "Always in UTF8 mode.";
    /// Other OPTS.
    OPTS_BAD = 501 "Option not understood.";
    /// ALLO.
    ALLO_IGNORED = 202 "ALLO command ignored.";
    /// ACCT.
    ACCT_NOT_IMPLEMENTED = 502 "ACCT not implemented.";
    /// REIN.
    REIN_NOT_IMPLEMENTED = 502 "REIN not implemented.";
    /// SMNT.
    SMNT_NOT_IMPLEMENTED = 502 "SMNT not implemented.";
    /// ABOR without a transfer.
    NO_TRANSFER_TO_ABOR = 225 "No transfer to ABOR.";
    /// ABOR after an aborted transfer.
    ABOR_OK = 226 "ABOR successful.";
    /// PASV/EPSV: the control connection's family does not match EPSV's argument.
    BAD_NETWORK_PROTOCOL = 522 "Bad network protocol.";
    /// EPSV ALL.
    EPSV_ALL_OK = 200 "EPSV ALL ok.";
    /// PORT accepted.
    PORT_OK = 200 "PORT command successful. Consider using PASV.";
    /// EPRT accepted.
    EPRT_OK = 200 "EPRT command successful. Consider using EPSV.";
    /// PORT refused.
    ILLEGAL_PORT = 500 "Illegal PORT command.";
    /// EPRT to a foreign address or low port.
    ILLEGAL_EPRT = 500 "Illegal EPRT command.";
    /// EPRT with a bad protocol field.
    BAD_EPRT_PROTOCOL = 500 "Bad EPRT protocol.";
    /// EPRT with a bad address or port.
    BAD_EPRT_COMMAND = 500 "Bad EPRT command.";
    /// A transfer command without PASV/PORT first.
    USE_PORT_OR_PASV = 425 "Use PORT or PASV first.";
    /// No data connection within accept_timeout / connect_timeout.
    FAILED_TO_ESTABLISH = 425 "Failed to establish connection.";
    /// A PASV data connection from another IP (`pasv_promiscuous=NO`).
    BAD_IP_CONNECTING = 425 "Security: Bad IP connecting.";
    /// LIST/NLST start.
    DIRECTORY_LISTING = 150 "Here comes the directory listing.";
    /// LIST/NLST end.
    DIRECTORY_SEND_OK = 226 "Directory send OK.";
    /// LIST/NLST end when the directory cannot be opened.
    DIRECTORY_OPEN_FAILED = 226 "Transfer done (but failed to open directory).";
    /// STOR/APPE start.
    OK_TO_SEND = 150 "Ok to send data.";
    /// RETR/STOR end.
    TRANSFER_COMPLETE = 226 "Transfer complete.";
    /// RETR of a missing, unreadable or non-regular file.
    FAILED_TO_OPEN = 550 "Failed to open file.";
    /// REST then RETR in ASCII mode.
    NO_ASCII_RESUME = 550 "No support for resume of ASCII transfer.";
    /// STOR that cannot create the file.
    COULD_NOT_CREATE = 553 "Could not create file.";
    /// A data transfer stalled for data_connection_timeout (the session ends).
    DATA_TIMEOUT = 421 "Data timeout. Reconnect. Sorry.";
    /// Reading the data connection failed.
    FAILURE_READING_NETWORK = 426 "Failure reading network stream.";
    /// Writing the data connection failed.
    FAILURE_WRITING_NETWORK = 426 "Failure writing network stream.";
    /// Writing the local file failed.
    FAILURE_WRITING_FILE = 451 "Failure writing to local file.";
    /// No command for idle_session_timeout (the session ends).
    IDLE_TIMEOUT = 421 "Timeout.";
    /// max_clients reached (before the greeting; the session ends).
    TOO_MANY_USERS = 421 "There are too many connected users, please try later.";
    /// max_per_ip reached (before the greeting; the session ends).
    TOO_MANY_FROM_IP = 421 "There are too many connections from your internet address.";
    /// CWD/CDUP success.
    DIRECTORY_CHANGED = 250 "Directory successfully changed.";
    /// CWD failure.
    FAILED_TO_CHANGE_DIRECTORY = 550 "Failed to change directory.";
    /// SIZE failure.
    COULD_NOT_GET_SIZE = 550 "Could not get file size.";
    /// MDTM failure.
    COULD_NOT_GET_MTIME = 550 "Could not get file modification time.";
    /// MKD failure.
    CREATE_DIRECTORY_FAILED = 550 "Create directory operation failed.";
    /// RMD success.
    REMOVE_DIRECTORY_OK = 250 "Remove directory operation successful.";
    /// RMD failure.
    REMOVE_DIRECTORY_FAILED = 550 "Remove directory operation failed.";
    /// DELE success.
    DELETE_OK = 250 "Delete operation successful.";
    /// DELE failure.
    DELETE_FAILED = 550 "Delete operation failed.";
    /// RNFR success.
    READY_FOR_RNTO = 350 "Ready for RNTO.";
    /// RNFR failure.
    RNFR_FAILED = 550 "RNFR command failed.";
    /// RNTO without RNFR.
    RNFR_FIRST = 503 "RNFR required first.";
    /// RNTO success.
    RENAME_OK = 250 "Rename successful.";
    /// RNTO failure.
    RENAME_FAILED = 550 "Rename failed.";
    /// AUTH TLS / AUTH SSL accepted.
    PROCEED_WITH_NEGOTIATION = 234 "Proceed with negotiation.";
    /// AUTH with anything else.
    UNKNOWN_AUTH = 504 "Unknown AUTH type.";
    /// PBSZ before AUTH.
    PBSZ_NEEDS_SECURE = 503 "PBSZ needs a secure connection.";
    /// PROT before AUTH.
    PROT_NEEDS_SECURE = 503 "PROT needs a secure connection.";
    /// PBSZ (any value becomes 0).
    PBSZ_OK = 200 "PBSZ set to 0.";
    /// PROT P.
    PROT_PRIVATE = 200 "PROT now Private.";
    /// PROT C.
    PROT_CLEAR = 200 "PROT now Clear.";
    /// PROT S / E.
    PROT_UNSUPPORTED = 536 "PROT not supported.";
    /// Other PROT.
    PROT_BAD = 504 "PROT not recognized.";
    /// Data without PROT P under force_*_data_ssl.
    DATA_MUST_ENCRYPT = 522 "Data connections must be encrypted.";
    /// A TLS data connection that did not resume the control session (`require_ssl_reuse=YES`; the
    /// session ends).
    SSL_REUSE_REQUIRED = 522 "SSL connection failed: session reuse required";
    /// A TLS data connection whose handshake failed.
    SSL_CONNECTION_FAILED = 522 "SSL connection failed; session reuse required?";
    /// HELP end.
    HELP_OK = 214 "Help OK.";
}

/// `220 (vsFTPd <version>)` when neither `banner_file` nor `ftpd_banner` is set.
pub fn default_banner(version: &str) -> String {
    format!("(vsFTPd {version})")
}

/// `257 "<path>" is the current directory`.
pub fn pwd(path: &str) -> Reply {
    Reply::new(257, format!("\"{path}\" is the current directory"))
}

/// `257 "<path>" created`.
pub fn mkd_created(path: &str) -> Reply {
    Reply::new(257, format!("\"{path}\" created"))
}

/// `350 Restart position accepted (<n>).`
pub fn rest_accepted(offset: u64) -> Reply {
    Reply::new(350, format!("Restart position accepted ({offset})."))
}

/// `150 Opening BINARY mode data connection for <name> (<n> bytes).` (vsftpd says BINARY in both
/// types unless ascii_download_enable is on).
pub fn opening_binary(name: &str, size: u64) -> Reply {
    Reply::new(
        150,
        format!("Opening BINARY mode data connection for {name} ({size} bytes)."),
    )
}

/// `500 OOPS: <text>`: vsftpd's fatal session message.
pub fn oops(text: &str) -> Reply {
    Reply::new(500, format!("OOPS: {text}"))
}

/// HELP's body lines (identical whatever the config).
pub const HELP_LINES: [&str; 5] = [
    "214-The following commands are recognized.",
    " ABOR ACCT ALLO APPE CDUP CWD  DELE EPRT EPSV FEAT HELP LIST MDTM MKD",
    " MODE NLST NOOP OPTS PASS PASV PORT PWD  QUIT REIN REST RETR RMD  RNFR",
    " RNTO SITE SIZE SMNT STAT STOR STOU STRU SYST TYPE USER XCUP XCWD XMKD",
    " XPWD XRMD",
];

/// What FEAT lists, in vsftpd's order, given the switches that change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatSwitches {
    /// `ssl_enable` and the dialect's TLS-version rule for listing `AUTH TLS`.
    pub auth_tls: bool,
    /// `ssl_enable` and (`ssl_sslv2` or `ssl_sslv3`): `AUTH SSL`.
    pub auth_ssl: bool,
    /// `ssl_enable`: `PBSZ`, `PROT`.
    pub ssl: bool,
    /// `port_enable`: `EPRT`.
    pub port: bool,
    /// `pasv_enable`: `EPSV`, `PASV`.
    pub pasv: bool,
}

/// The FEAT reply (debian-3.0.3 binary: no `UTF8` line; `AUTH TLS` first when listed).
pub fn feat(s: FeatSwitches) -> Reply {
    let mut lines = vec!["211-Features:".to_owned()];
    let mut add = |on: bool, item: &str| {
        if on {
            lines.push(format!(" {item}"));
        }
    };
    add(s.auth_ssl, "AUTH SSL");
    add(s.auth_tls, "AUTH TLS");
    add(s.port, "EPRT");
    add(s.pasv, "EPSV");
    add(true, "MDTM");
    add(s.pasv, "PASV");
    add(s.ssl, "PBSZ");
    add(s.ssl, "PROT");
    add(true, "REST STREAM");
    add(true, "SIZE");
    add(true, "TVFS");
    lines.push("211 End".to_owned());
    Reply { code: 211, lines }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feat_with_tls_matches_the_binary() {
        let r = feat(FeatSwitches {
            auth_tls: true,
            auth_ssl: false,
            ssl: true,
            port: true,
            pasv: true,
        });
        assert_eq!(
            r.lines,
            [
                "211-Features:",
                " AUTH TLS",
                " EPRT",
                " EPSV",
                " MDTM",
                " PASV",
                " PBSZ",
                " PROT",
                " REST STREAM",
                " SIZE",
                " TVFS",
                "211 End"
            ]
        );
    }

    #[test]
    fn feat_without_pasv_or_port() {
        let r = feat(FeatSwitches {
            auth_tls: false,
            auth_ssl: false,
            ssl: false,
            port: false,
            pasv: false,
        });
        assert_eq!(
            r.lines,
            [
                "211-Features:",
                " MDTM",
                " REST STREAM",
                " SIZE",
                " TVFS",
                "211 End"
            ]
        );
    }
}
