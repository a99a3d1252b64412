//! vsftpd's exact fatal texts (after `500 OOPS: `, without the CR LF), as the binaries print them.

/// The prefix vsftpd writes before every fatal message.
pub const PREFIX: &str = "500 OOPS: ";

/// `unrecognised variable in config file: <name>` (name echoed byte for byte).
pub fn unrecognised(name: &[u8]) -> Vec<u8> {
    [b"unrecognised variable in config file: ", name].concat()
}

/// `missing value in config file for: <name>`.
pub fn missing_value(name: &[u8]) -> Vec<u8> {
    [b"missing value in config file for: ", name].concat()
}

/// `bad bool value in config file for: <name>`.
pub fn bad_bool(name: &[u8]) -> Vec<u8> {
    [b"bad bool value in config file for: ", name].concat()
}

/// `bad listen_address: <value>`.
pub fn bad_listen_address(value: &[u8]) -> Vec<u8> {
    [b"bad listen_address: ", value].concat()
}

/// `bad listen_address6: <value>`.
pub fn bad_listen_address6(value: &[u8]) -> Vec<u8> {
    [b"bad listen_address6: ", value].concat()
}

/// `cannot resolve host:<name>`.
pub fn cannot_resolve(name: &[u8]) -> Vec<u8> {
    [b"cannot resolve host:", name].concat()
}

/// `cannot change directory:<path>` (no space after the colon): a chroot or home directory that is
/// missing when a session logs in.
pub fn cannot_change_directory(path: &[u8]) -> Vec<u8> {
    [b"cannot change directory:", path].concat()
}

/// The whole fatal line for a message: `500 OOPS: <text>`, non-UTF-8 bytes shown as U+FFFD.
pub fn line(text: impl AsRef<[u8]>) -> String {
    format!("{PREFIX}{}", String::from_utf8_lossy(text.as_ref()))
}

/// Both listeners on.
pub const TWO_LISTENERS: &str = "run two copies of vsftpd for IPv4 and IPv6";
/// inetd mode started by hand or by a service manager.
pub const NOT_STANDALONE: &str =
    "vsftpd: not configured for standalone, must be started from inetd";
/// `tcp_wrappers=YES` on a build without libwrap.
pub const NO_TCP_WRAPPERS: &str =
    "tcp_wrappers is set to YES but no tcp wrapper support compiled in";
/// `one_process_model=YES` with local users.
pub const ONE_PROCESS_LOCAL: &str = "vsftpd: security: 'one_process_model' is anonymous only";
/// Neither login kind enabled.
pub const NO_LOGINS: &str = "vsftpd: both local and anonymous access disabled!";
/// Neither protocol enabled.
pub const NO_PROTOCOLS: &str = "vsftpd: both FTP and HTTP disabled!";
/// `http_enable=YES` without `one_process_model`.
pub const HTTP_NEEDS_ONE_PROCESS: &str = "vsftpd: HTTP needs 'one_process_model' for now";
/// Config file owner or type check.
pub const NOT_OWNED: &str = "config file not owned by correct user, or not a file";
/// `cannot read config file: <path>`.
pub fn cannot_read_config(path: &[u8]) -> Vec<u8> {
    [b"cannot read config file: ", path].concat()
}
/// Certificate file missing or unreadable.
pub const SSL_CERT: &str = "SSL: cannot load RSA certificate";
/// The RSA key does not load: missing, encrypted, not a key, or not the certificate's (docs/host-checks.md).
pub const SSL_KEY: &str = "SSL: cannot load RSA private key";
/// `dsa_cert_file` set and its certificate does not load (all three live builds).
pub const SSL_DSA_CERT: &str = "SSL: cannot load DSA certificate";
/// `dsa_cert_file` set and its key does not load (all three live builds).
pub const SSL_DSA_KEY: &str = "SSL: cannot load DSA private key";
/// `secure_chroot_dir` missing.
pub fn secure_chroot_missing(path: &[u8]) -> Vec<u8> {
    [
        b"vsftpd: not found: directory given in 'secure_chroot_dir':",
        path,
    ]
    .concat()
}
/// A user named in a setting does not exist.
pub fn cannot_locate_user(setting: &str, name: &[u8]) -> Vec<u8> {
    [
        format!("vsftpd: cannot locate user specified in '{setting}':").as_bytes(),
        name,
    ]
    .concat()
}
/// `nopriv_user` does not exist.
pub fn cannot_locate_user_entry(name: &[u8]) -> Vec<u8> {
    [b"cannot locate user entry:", name].concat()
}
/// `banner_file` unreadable.
pub fn cannot_read_banner(path: &[u8]) -> Vec<u8> {
    [b"cannot read banner file:", path].concat()
}
/// `cannot read user list file:<path>` (`userlist_enable=YES` with an unreadable `userlist_file`).
pub fn cannot_read_user_list(path: &[u8]) -> Vec<u8> {
    [b"cannot read user list file:", path].concat()
}

// The texts below are session-time refusals: vsftpd starts, then ends a session with them.

/// The unprivileged session process's OOPS reaches its privileged parent, which then dies reading the
/// next command (debian-3.0.3 binary: a second `500 OOPS: priv_sock_get_cmd` follows the first).
pub const PRIV_SOCK_GET_CMD: &str = "priv_sock_get_cmd";
/// A chroot into a directory the user can write (`allow_writeable_chroot=NO`).
pub const WRITABLE_CHROOT: &str = "vsftpd: refusing to run with writable root inside chroot()";
/// `pasv_address` that `inet_aton` cannot read, at the first PASV (data-channel.md §2).
pub const INVALID_PASV_ADDRESS: &str = "invalid pasv_address";
/// A PORT/EPRT to a port below 1024 with `port_promiscuous=YES`, at the transfer.
pub const ILLEGAL_PORT_REQUEST: &str = "Illegal port request";
/// No passive port could be bound: upstream and Debian's text.
pub const PASV_BIND: &str = "vsf_sysutil_bind";
/// No passive port could be bound after `bind_retries` attempts: RHEL's patched text (src).
pub const PASV_BIND_RETRIES: &str =
    "vsf_sysutil_bind, maximum number of attempts to find a listening port exceeded";
/// `ssl_ciphers` names a list the build's OpenSSL does not understand.
pub const SSL_CIPHERS: &str = "SSL: could not set cipher list";
/// The TLS library could not build a context for the offered protocols.
pub const SSL_CONTEXT: &str = "SSL: could not allocate SSL context";

// Texts vsconf documents (`vsconf explain`) but does not predict; kept here so that every `500 OOPS`
// text vsconf prints or quotes has this one home.

/// A non-root user started vsftpd without `run_as_launching_user=YES`.
pub const MUST_BE_ROOT: &str = "vsftpd: must be started as root (see run_as_launching_user option)";
/// `ca_certs_file` unreadable while client certificates are requested (at startup).
pub const SSL_VERIFY_FILE: &str = "SSL: could not load verify file";
/// `banned_email_file` unreadable with `deny_email_enable=YES`, at each session.
pub fn cannot_read_deny_email(path: &[u8]) -> Vec<u8> {
    [b"cannot read anon e-mail list file:", path].concat()
}
/// `email_password_file` unreadable with `secure_email_list_enable=YES`, at each session.
pub fn cannot_read_secure_email(path: &[u8]) -> Vec<u8> {
    [b"cannot read email passwords file:", path].concat()
}
/// `chroot_list_file` unreadable while a chroot list is in use, at each local login.
pub fn cannot_read_chroot_list(path: &[u8]) -> Vec<u8> {
    [b"could not read chroot() list file:", path].concat()
}
/// A log file (`vsftpd_log_file`, `xferlog_file`) that cannot be opened, at each session.
pub const FAILED_TO_OPEN: &str = "failed to open";
/// A session process killed by the seccomp sandbox (seen on the TLS handshake of upstream 3.0.5).
pub const CHILD_DIED: &str = "child died";

/// Every text above, the parametrised ones with an empty parameter: what `vsconf explain` may quote
/// after `500 OOPS: ` (a test holds the setting notes to this list). A new text is added here too.
pub fn every_text() -> Vec<Vec<u8>> {
    let fixed = [
        TWO_LISTENERS,
        NOT_STANDALONE,
        NO_TCP_WRAPPERS,
        ONE_PROCESS_LOCAL,
        NO_LOGINS,
        NO_PROTOCOLS,
        HTTP_NEEDS_ONE_PROCESS,
        NOT_OWNED,
        SSL_CERT,
        SSL_KEY,
        SSL_DSA_CERT,
        SSL_DSA_KEY,
        PRIV_SOCK_GET_CMD,
        WRITABLE_CHROOT,
        INVALID_PASV_ADDRESS,
        ILLEGAL_PORT_REQUEST,
        PASV_BIND,
        PASV_BIND_RETRIES,
        SSL_CIPHERS,
        SSL_CONTEXT,
        MUST_BE_ROOT,
        SSL_VERIFY_FILE,
        FAILED_TO_OPEN,
        CHILD_DIED,
    ];
    let mut texts: Vec<Vec<u8>> = fixed.iter().map(|t| t.as_bytes().to_vec()).collect();
    texts.extend([
        unrecognised(b""),
        missing_value(b""),
        bad_bool(b""),
        bad_listen_address(b""),
        bad_listen_address6(b""),
        cannot_resolve(b""),
        cannot_change_directory(b""),
        cannot_read_config(b""),
        secure_chroot_missing(b""),
        cannot_locate_user_entry(b""),
        cannot_read_banner(b""),
        cannot_read_user_list(b""),
        cannot_read_deny_email(b""),
        cannot_read_secure_email(b""),
        cannot_read_chroot_list(b""),
    ]);
    for setting in ["chown_username", "ftp_username", "guest_username"] {
        texts.push(cannot_locate_user(setting, b""));
    }
    texts
}
