//! vsftpd's exact fatal texts (after `500 OOPS: `, without the CR LF), as the binaries print them.
//!
//! Each text is declared once, through `texts!` (printed as it is) or `texts_ending_in!` (a name
//! or path appended byte for byte), which also put it in its group's list: [`every_text`] is built from
//! those lists, so a new text cannot be left out of it.

/// The prefix vsftpd writes before every fatal message.
pub const PREFIX: &str = "500 OOPS: ";

/// Declares texts vsftpd prints as they are, as `pub const`s, and `$list`, all of them in order.
macro_rules! texts {
    ($list:ident; $($(#[$doc:meta])* $name:ident = $text:literal;)*) => {
        $($(#[$doc])* pub const $name: &str = $text;)*
        const $list: &[&str] = &[$($name),*];
    };
}

/// Declares texts vsftpd prints with a name or path appended byte for byte, as `pub fn`s giving the
/// whole text, and `$list`, the texts with nothing appended.
macro_rules! texts_ending_in {
    ($list:ident; $($(#[$doc:meta])* $name:ident($param:ident) = $text:literal;)*) => {
        $($(#[$doc])* pub fn $name($param: &[u8]) -> Vec<u8> {
            [$text.as_bytes(), $param].concat()
        })*
        const $list: &[&str] = &[$($text),*];
    };
}

/// The whole fatal line for a message: `500 OOPS: <text>`, non-UTF-8 bytes shown as U+FFFD.
pub fn line(text: impl AsRef<[u8]>) -> String {
    format!("{PREFIX}{}", String::from_utf8_lossy(text.as_ref()))
}

texts_ending_in! {
    STARTUP_ENDING_IN;
    /// `unrecognised variable in config file: <name>` (name echoed byte for byte).
    unrecognised(name) = "unrecognised variable in config file: ";
    /// `missing value in config file for: <name>`.
    missing_value(name) = "missing value in config file for: ";
    /// `bad bool value in config file for: <name>`.
    bad_bool(name) = "bad bool value in config file for: ";
    /// `bad listen_address: <value>`.
    bad_listen_address(value) = "bad listen_address: ";
    /// `bad listen_address6: <value>`.
    bad_listen_address6(value) = "bad listen_address6: ";
    /// `cannot resolve host:<name>`.
    cannot_resolve(name) = "cannot resolve host:";
    /// `cannot change directory:<path>` (no space after the colon): a chroot or home directory that is
    /// missing when a session logs in.
    cannot_change_directory(path) = "cannot change directory:";
    /// `cannot read config file: <path>`.
    cannot_read_config(path) = "cannot read config file: ";
    /// `secure_chroot_dir` missing.
    secure_chroot_missing(path) = "vsftpd: not found: directory given in 'secure_chroot_dir':";
    /// `nopriv_user` does not exist.
    cannot_locate_user_entry(name) = "cannot locate user entry:";
    /// `banner_file` unreadable.
    cannot_read_banner(path) = "cannot read banner file:";
    /// `cannot read user list file:<path>` (`userlist_enable=YES` with an unreadable `userlist_file`).
    cannot_read_user_list(path) = "cannot read user list file:";
}

texts! {
    STARTUP;
    /// Both listeners on.
    TWO_LISTENERS = "run two copies of vsftpd for IPv4 and IPv6";
    /// inetd mode started by hand or by a service manager.
    NOT_STANDALONE = "vsftpd: not configured for standalone, must be started from inetd";
    /// `tcp_wrappers=YES` on a build without libwrap.
    NO_TCP_WRAPPERS = "tcp_wrappers is set to YES but no tcp wrapper support compiled in";
    /// `one_process_model=YES` with local users.
    ONE_PROCESS_LOCAL = "vsftpd: security: 'one_process_model' is anonymous only";
    /// Neither login kind enabled.
    NO_LOGINS = "vsftpd: both local and anonymous access disabled!";
    /// Neither protocol enabled.
    NO_PROTOCOLS = "vsftpd: both FTP and HTTP disabled!";
    /// `http_enable=YES` without `one_process_model`.
    HTTP_NEEDS_ONE_PROCESS = "vsftpd: HTTP needs 'one_process_model' for now";
    /// Config file owner or type check.
    NOT_OWNED = "config file not owned by correct user, or not a file";
    /// Certificate file missing or unreadable.
    SSL_CERT = "SSL: cannot load RSA certificate";
    /// The RSA key does not load: missing, encrypted, not a key, or not the certificate's (docs/host-checks.md).
    SSL_KEY = "SSL: cannot load RSA private key";
    /// `dsa_cert_file` set and its certificate does not load (all three live builds).
    SSL_DSA_CERT = "SSL: cannot load DSA certificate";
    /// `dsa_cert_file` set and its key does not load (all three live builds).
    SSL_DSA_KEY = "SSL: cannot load DSA private key";
}

/// A user named in a setting does not exist.
pub fn cannot_locate_user(setting: &str, name: &[u8]) -> Vec<u8> {
    [
        format!("vsftpd: cannot locate user specified in '{setting}':").as_bytes(),
        name,
    ]
    .concat()
}

// The texts below are session-time refusals: vsftpd starts, then ends a session with them.

texts! {
    SESSION;
    /// The unprivileged session process's OOPS reaches its privileged parent, which then dies reading the
    /// next command (debian-3.0.3 binary: a second `500 OOPS: priv_sock_get_cmd` follows the first).
    PRIV_SOCK_GET_CMD = "priv_sock_get_cmd";
    /// A chroot into a directory the user can write (`allow_writeable_chroot=NO`).
    WRITABLE_CHROOT = "vsftpd: refusing to run with writable root inside chroot()";
    /// `pasv_address` that `inet_aton` cannot read, at the first PASV (data-channel.md §2).
    INVALID_PASV_ADDRESS = "invalid pasv_address";
    /// A PORT/EPRT to a port below 1024 with `port_promiscuous=YES`, at the transfer.
    ILLEGAL_PORT_REQUEST = "Illegal port request";
    /// No passive port could be bound: upstream and Debian's text.
    PASV_BIND = "vsf_sysutil_bind";
    /// No passive port could be bound after `bind_retries` attempts: RHEL's patched text (src).
    PASV_BIND_RETRIES = "vsf_sysutil_bind, maximum number of attempts to find a listening port exceeded";
    /// `ssl_ciphers` names a list the build's OpenSSL does not understand.
    SSL_CIPHERS = "SSL: could not set cipher list";
    /// The TLS library could not build a context for the offered protocols.
    SSL_CONTEXT = "SSL: could not allocate SSL context";
}

// Texts vsconf documents (`vsconf explain`) but does not predict; kept here so that every `500 OOPS`
// text vsconf prints or quotes has this one home.

texts! {
    DOCUMENTED;
    /// A non-root user started vsftpd without `run_as_launching_user=YES`.
    MUST_BE_ROOT = "vsftpd: must be started as root (see run_as_launching_user option)";
    /// `ca_certs_file` unreadable while client certificates are requested (at startup).
    SSL_VERIFY_FILE = "SSL: could not load verify file";
    /// A log file (`vsftpd_log_file`, `xferlog_file`) that cannot be opened, at each session.
    FAILED_TO_OPEN = "failed to open";
    /// A session process killed by the seccomp sandbox (seen on the TLS handshake of upstream 3.0.5).
    CHILD_DIED = "child died";
}

texts_ending_in! {
    DOCUMENTED_ENDING_IN;
    /// `banned_email_file` unreadable with `deny_email_enable=YES`, at each session.
    cannot_read_deny_email(path) = "cannot read anon e-mail list file:";
    /// `email_password_file` unreadable with `secure_email_list_enable=YES`, at each session.
    cannot_read_secure_email(path) = "cannot read email passwords file:";
    /// `chroot_list_file` unreadable while a chroot list is in use, at each local login.
    cannot_read_chroot_list(path) = "could not read chroot() list file:";
}

/// Every text above, the parametrised ones with an empty parameter: what `vsconf explain` may quote
/// after `500 OOPS: ` (a test holds the setting notes to this list).
pub fn every_text() -> Vec<Vec<u8>> {
    let groups = [
        STARTUP_ENDING_IN,
        STARTUP,
        SESSION,
        DOCUMENTED,
        DOCUMENTED_ENDING_IN,
    ];
    let mut texts: Vec<Vec<u8>> = groups
        .iter()
        .flat_map(|group| group.iter().map(|text| text.as_bytes().to_vec()))
        .collect();
    for setting in ["chown_username", "ftp_username", "guest_username"] {
        texts.push(cannot_locate_user(setting, b""));
    }
    texts
}
