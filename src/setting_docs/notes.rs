//! Hand-written notes for the settings operators get wrong: what they do in an operator's words, what
//! they interact with, and their pitfalls. Facts come from /work/shared/reference (startup-checks.md,
//! data-channel.md, parsing.md) as the model encodes them; the `500 OOPS` texts are vsftpd's own.
//! Type, defaults and builds come from the tunable table, never from here.

/// One setting's notes.
pub(super) struct Note {
    pub(super) name: &'static str,
    pub(super) what: &'static str,
    pub(super) interacts: &'static [&'static str],
    pub(super) pitfalls: &'static [&'static str],
}

const fn note(
    name: &'static str,
    what: &'static str,
    interacts: &'static [&'static str],
    pitfalls: &'static [&'static str],
) -> Note {
    Note {
        name,
        what,
        interacts,
        pitfalls,
    }
}

/// The notes, alphabetical.
pub(super) static NOTES: &[Note] = &[
    note(
        "accept_timeout",
        "How many seconds vsftpd waits for the client to open a passive (PASV/EPSV) data connection after announcing the port.",
        &["pasv_enable", "data_connection_timeout", "connect_timeout"],
        &[
            "A firewall that drops the passive range shows up as this timeout: the client waits, then gets `425 Failed to establish connection.`",
        ],
    ),
    note(
        "allow_anon_ssl",
        "Lets anonymous users use TLS (AUTH TLS). Without it an anonymous login after AUTH TLS is answered `530 Anonymous sessions may not use encryption.`",
        &[
            "ssl_enable",
            "force_anon_logins_ssl",
            "force_anon_data_ssl",
            "anonymous_enable",
        ],
        &[
            "`force_anon_logins_ssl` and `force_anon_data_ssl` only make sense with it: forcing TLS on users who may not use TLS locks them out.",
        ],
    ),
    note(
        "allow_writeable_chroot",
        "Lets a chrooted local user log in although the chroot directory (their home, or `local_root`) is writable by them. Without it such a login fails with `500 OOPS: vsftpd: refusing to run with writable root inside chroot()`.",
        &["chroot_local_user", "chroot_list_enable", "local_root"],
        &[
            "It is ignored for anonymous logins: a writable `anon_root` is always refused.",
            "The safer fix is a read-only chroot with a writable subdirectory (`chmod a-w ~user`, upload into `~user/upload`).",
        ],
    ),
    note(
        "anon_max_rate",
        "Caps each anonymous transfer at this many bytes per second; 0 means no limit.",
        &["local_max_rate", "trans_chunk_size"],
        &[
            "The cap is per transfer, not per server: ten anonymous downloads may use ten times the rate.",
        ],
    ),
    note(
        "anon_mkdir_write_enable",
        "Lets anonymous users create directories (MKD) where the ftp user may write.",
        &[
            "write_enable",
            "anon_upload_enable",
            "anon_other_write_enable",
            "anonymous_enable",
        ],
        &[
            "Has no effect unless `write_enable=YES` too, and the directory must be writable by `ftp_username` on disk.",
        ],
    ),
    note(
        "anon_other_write_enable",
        "Lets anonymous users delete and rename files and remove directories, beyond uploading and creating directories.",
        &[
            "write_enable",
            "anon_upload_enable",
            "anon_mkdir_write_enable",
            "anonymous_enable",
        ],
        &[
            "Has no effect unless `write_enable=YES` too.",
            "Anyone on the network may then remove what others uploaded: almost never wanted on a public server.",
        ],
    ),
    note(
        "anon_root",
        "The directory anonymous users see as `/`. vsftpd changes into it at anonymous login.",
        &["anonymous_enable", "anon_upload_enable", "ftp_username"],
        &[
            "A missing directory refuses every anonymous login with `500 OOPS: cannot change directory:` (the man page says the failure is ignored; the binaries do not ignore it).",
            "Anonymous users are always chrooted: the directory must not be writable by the ftp user, or logins fail with `refusing to run with writable root inside chroot()`.",
        ],
    ),
    note(
        "anon_umask",
        "The umask applied to files and directories anonymous users create, in octal. The default 077 makes anonymous uploads readable by the ftp user only.",
        &[
            "file_open_mode",
            "anon_upload_enable",
            "anon_world_readable_only",
            "chown_uploads",
            "local_umask",
        ],
        &[
            "With the default 077 and `anon_world_readable_only=YES`, uploaded files cannot be downloaded again by anonymous users: that is deliberate.",
        ],
    ),
    note(
        "anon_upload_enable",
        "Lets anonymous users upload files (STOR) into directories the ftp user may write.",
        &[
            "write_enable",
            "anonymous_enable",
            "anon_mkdir_write_enable",
            "anon_umask",
            "chown_uploads",
        ],
        &[
            "Has no effect unless `write_enable=YES` too.",
            "An anonymous upload directory that is also downloadable is a classic warez drop: keep `anon_world_readable_only=YES` or make uploads unreadable.",
        ],
    ),
    note(
        "anon_world_readable_only",
        "Lets anonymous users download only files every user on the host may read (mode `o+r`), whoever owns them.",
        &["anon_umask", "anon_upload_enable", "anonymous_enable"],
        &[
            "Turning it off exposes files readable by the ftp user or its group, not only the public ones.",
        ],
    ),
    note(
        "anonymous_enable",
        "Allows logins as `anonymous` or `ftp`, which run as `ftp_username` inside `anon_root`.",
        &[
            "local_enable",
            "anon_root",
            "ftp_username",
            "no_anon_password",
            "anon_upload_enable",
        ],
        &[
            "It is on by default in every build: a config that never mentions it serves anonymous users.",
            "With both `anonymous_enable=NO` and `local_enable=NO` a standalone vsftpd starts, then refuses every session with `500 OOPS: vsftpd: both local and anonymous access disabled!`.",
            "`ftp_username` must exist on the host, or every session fails with `cannot locate user specified in 'ftp_username'`.",
        ],
    ),
    note(
        "ascii_download_enable",
        "Converts line endings to CRLF when a client downloads in ASCII mode (TYPE A). When NO, vsftpd still answers `200 Switching to ASCII mode.` but opens the transfer in `BINARY mode` and sends the bytes unchanged (debian-3.0.3 binary).",
        &["ascii_upload_enable"],
        &[
            "`SIZE` still reports the file's size on disk, not what an ASCII download delivers (debian-3.0.3 binary).",
            "Converting costs CPU on the server: leave it off unless old clients need it.",
        ],
    ),
    note(
        "ascii_upload_enable",
        "Converts CRLF line endings to LF when a client uploads in ASCII mode (TYPE A). When NO, uploads are stored byte for byte whatever the type.",
        &["ascii_download_enable"],
        &[],
    ),
    note(
        "async_abor_enable",
        "Understands the urgent (out-of-band) ABOR that some old clients send to cancel a transfer.",
        &[],
        &[
            "Without it such clients may hang when the user cancels a transfer; modern clients do not need it.",
        ],
    ),
    note(
        "background",
        "In standalone mode, fork into the background at start and let the shell or init system continue.",
        &["listen", "listen_ipv6"],
        &[
            "Upstream and Debian's parent exits 0 before binding the port, so a bind failure after that is silent: keep `background=NO` under systemd (`Type=simple`).",
        ],
    ),
    note(
        "banned_email_file",
        "The list of anonymous passwords (e-mail addresses) refused when `deny_email_enable=YES`, one per line.",
        &["deny_email_enable", "anonymous_enable"],
        &[
            "Read at every session while `deny_email_enable=YES`: an unreadable file refuses every session with `500 OOPS: cannot read anon e-mail list file:`.",
        ],
    ),
    note(
        "banner_file",
        "A file whose contents replace the greeting after `220`, as a multi-line `220-` reply. Read at each session; it wins over `ftpd_banner` (debian-3.0.3 binary).",
        &["ftpd_banner"],
        &["An unreadable file refuses every session with `500 OOPS: cannot read banner file:`."],
    ),
    note(
        "better_stou",
        "Makes STOU (store under a unique name) pick a random name instead of appending a number to the requested one. A Fedora/RHEL addition.",
        &["anon_upload_enable", "write_enable"],
        &[],
    ),
    note(
        "bind_retries",
        "How many random ports in the passive range vsftpd tries before a PASV or EPSV fails. A Fedora/RHEL addition.",
        &["pasv_min_port", "pasv_max_port"],
        &[
            "When every try fails the session gets `500 OOPS: vsf_sysutil_bind, maximum number of attempts to find a listening port exceeded`; a small range under load makes that likely.",
        ],
    ),
    note(
        "ca_certs_file",
        "The PEM file of certificate authorities used to check client certificates, and offered to clients as the accepted issuers.",
        &[
            "ssl_request_cert",
            "require_cert",
            "validate_cert",
            "ssl_enable",
        ],
        &[
            "Loaded at startup while `ssl_enable=YES` and a client certificate is requested: an unreadable file refuses to start with `500 OOPS: SSL: could not load verify file`.",
        ],
    ),
    note(
        "check_shell",
        "On builds that check passwords without PAM, refuses local users whose shell is not listed in /etc/shells.",
        &["local_enable", "pam_service_name"],
        &[
            "Every build vsconf models uses PAM, where this setting has no effect (debian-3.0.3 binary: with `check_shell=YES` a user with a `nologin` shell logged in through a PAM service without `pam_shells`): restrict shells with `pam_shells` in the PAM service instead.",
        ],
    ),
    note(
        "chmod_enable",
        "Lets local users change file modes with SITE CHMOD. Anonymous users never may.",
        &["write_enable", "local_enable"],
        &[
            "Has no effect unless `write_enable=YES` too; anonymous users get `550 Permission denied.` either way.",
        ],
    ),
    note(
        "chown_upload_mode",
        "The mode, in octal, given to anonymous uploads that `chown_uploads` hands over to `chown_username`.",
        &["chown_uploads", "chown_username", "anon_umask"],
        &[],
    ),
    note(
        "chown_uploads",
        "Hands every file anonymous users upload over to `chown_username`, with mode `chown_upload_mode`, so the uploader cannot read, change or delete it again.",
        &["chown_username", "chown_upload_mode", "anon_upload_enable"],
        &[
            "`chown_username` must exist on the host, or every session fails with `500 OOPS: vsftpd: cannot locate user specified in 'chown_username':`.",
        ],
    ),
    note(
        "chown_username",
        "The owner given to anonymous uploads when `chown_uploads=YES`.",
        &["chown_uploads", "chown_upload_mode"],
        &["The default is root: a dedicated unprivileged user is safer."],
    ),
    note(
        "chroot_list_enable",
        "Reads `chroot_list_file` and uses it as an exception list to `chroot_local_user`: with `chroot_local_user=YES` the listed users are *not* chrooted; with `chroot_local_user=NO` only the listed users are.",
        &[
            "chroot_local_user",
            "chroot_list_file",
            "allow_writeable_chroot",
        ],
        &[
            "The meaning of the list flips with `chroot_local_user`: check which one you want.",
            "An unreadable list file fails every local login with `500 OOPS: could not read chroot() list file:`.",
        ],
    ),
    note(
        "chroot_list_file",
        "The user list read when `chroot_list_enable=YES`, one user name per line.",
        &["chroot_list_enable", "chroot_local_user"],
        &[],
    ),
    note(
        "chroot_local_user",
        "Locks local users into their home directory (or `local_root`) after login.",
        &[
            "chroot_list_enable",
            "chroot_list_file",
            "allow_writeable_chroot",
            "local_root",
            "passwd_chroot_enable",
        ],
        &[
            "A home directory the user can write makes the login fail with `500 OOPS: vsftpd: refusing to run with writable root inside chroot()` unless `allow_writeable_chroot=YES`.",
            "With `chroot_list_enable=YES` the users in `chroot_list_file` are the exceptions, not the chrooted ones.",
        ],
    ),
    note(
        "cmds_allowed",
        "A comma-separated list of FTP commands, the only ones accepted after login; any other is answered `550 Permission denied.` Commands before login (USER, PASS) are not affected.",
        &["cmds_denied"],
        &[
            "Write the names in capitals and without spaces: `cmds_allowed=PWD, LIST` does not allow LIST (the entry is ` LIST`), and `pwd` does not match PWD (debian-3.0.3 and upstream-3.0.5 binaries).",
            "Forgetting PASV, EPSV, TYPE or QUIT breaks most clients: list every command they use.",
        ],
    ),
    note(
        "cmds_denied",
        "A comma-separated list of FTP commands refused after login with `550 Permission denied.`; commands before login are not affected.",
        &["cmds_allowed"],
        &[
            "Names must be written in capitals without spaces around the commas, as for `cmds_allowed`.",
        ],
    ),
    note(
        "connect_from_port_20",
        "Active-mode data connections are made from port `ftp_data_port` (20) as RFC 959 expects, which needs root privileges at that moment.",
        &["port_enable", "ftp_data_port"],
        &[
            "Client-side firewalls that expect port 20 reject active transfers from other ports when it is NO.",
        ],
    ),
    note(
        "connect_timeout",
        "How many seconds vsftpd waits for its own connection to the client to succeed in active mode (PORT/EPRT).",
        &["port_enable", "accept_timeout"],
        &[],
    ),
    note(
        "data_connection_timeout",
        "How many seconds a data transfer may make no progress before vsftpd ends the session.",
        &["idle_session_timeout", "accept_timeout"],
        &[
            "`idle_session_timeout` does not run during a transfer: a stalled transfer is ended by this one.",
        ],
    ),
    note(
        "debug_ssl",
        "Writes OpenSSL's diagnostics about TLS handshakes and errors to the vsftpd log.",
        &["ssl_enable", "vsftpd_log_file", "xferlog_enable"],
        &[
            "Nothing is written unless the vsftpd log is active (`xferlog_enable=YES` with `xferlog_std_format=NO`, or `dual_log_enable=YES`).",
        ],
    ),
    note(
        "delay_failed_login",
        "Seconds vsftpd pauses before answering a failed login, to slow password guessing.",
        &["max_login_fails", "delay_successful_login"],
        &[],
    ),
    note(
        "delay_successful_login",
        "Seconds vsftpd pauses before answering a successful login.",
        &["delay_failed_login"],
        &[],
    ),
    note(
        "delete_failed_uploads",
        "Removes a file whose upload failed or was aborted, instead of keeping the partial file.",
        &["write_enable", "anon_upload_enable"],
        &["Clients that resume interrupted uploads (REST + STOR) lose the part already sent."],
    ),
    note(
        "deny_email_enable",
        "Refuses anonymous logins whose password (by tradition an e-mail address) is listed in `banned_email_file`: `530 Login incorrect.`",
        &[
            "banned_email_file",
            "anonymous_enable",
            "secure_email_list_enable",
        ],
        &[
            "The list is read at each session: a missing file refuses every session with `500 OOPS: cannot read anon e-mail list file:` (upstream-3.0.5 binary).",
        ],
    ),
    note(
        "deny_file",
        "Patterns of file and directory names that cannot be used: commands on a matching name (RETR, STOR, CWD, SIZE, renames) are answered `550 Permission denied.` Patterns use `*`, `?` and `{a,b}` alternatives, for example `{*.mp3,.private}`.",
        &["hide_file", "upload_file", "download_file"],
        &[
            "Matching names still appear in directory listings (debian-3.0.3 binary): add the same pattern to `hide_file` to hide them too.",
            "It matches names, not files: a link or another path to the same file gets round it. Use file permissions for anything secret.",
        ],
    ),
    note(
        "dh_param_file",
        "A file of Diffie-Hellman parameters for the DHE ciphers. Only Fedora's 3.0.3 builds (RHEL 8) know it; Fedora dropped it again with 3.0.5.",
        &["ssl_enable", "ssl_ciphers", "ecdh_param_file"],
        &[],
    ),
    note(
        "dirlist_enable",
        "Allows directory listings (LIST, NLST, and STAT with a path). When NO they are answered `550 Permission denied.` while downloads still work.",
        &["ls_recurse_enable", "force_dot_files", "hide_file"],
        &[],
    ),
    note(
        "dirmessage_enable",
        "Shows the contents of `message_file` (`.message`) in a directory to users who change into it, as part of the `250` reply.",
        &["message_file"],
        &[],
    ),
    note(
        "download_enable",
        "Allows downloads (RETR). When NO every download is answered `550 Permission denied.`",
        &["download_file", "anon_world_readable_only"],
        &[],
    ),
    note(
        "download_file",
        "A pattern (same syntax as `deny_file`): only files whose names match it may be downloaded. A Debian addition.",
        &["upload_file", "deny_file", "download_enable"],
        &["`deny_file` still wins over a match here."],
    ),
    note(
        "dsa_cert_file",
        "A PEM certificate with a DSA key for TLS, used besides or instead of `rsa_cert_file`.",
        &["dsa_private_key_file", "rsa_cert_file", "ssl_enable"],
        &[
            "DSA certificates are obsolete and many clients refuse them: prefer an RSA or ECDSA certificate in `rsa_cert_file`.",
        ],
    ),
    note(
        "dsa_private_key_file",
        "The PEM private key for `dsa_cert_file`; unset means the key is in the certificate file.",
        &["dsa_cert_file", "ssl_enable"],
        &[],
    ),
    note(
        "dual_log_enable",
        "Writes both logs: the wu-ftpd format `xferlog_file` and the vsftpd format `vsftpd_log_file`.",
        &[
            "xferlog_enable",
            "xferlog_file",
            "vsftpd_log_file",
            "xferlog_std_format",
        ],
        &[
            "Both files are opened at each session: either one that cannot be opened refuses the session with `500 OOPS: failed to open`.",
        ],
    ),
    note(
        "ecdh_param_file",
        "A file naming the elliptic curve for ECDHE ciphers. Only Fedora's 3.0.3 builds (RHEL 8) know it; Fedora dropped it again with 3.0.5.",
        &["ssl_enable", "ssl_ciphers", "dh_param_file"],
        &[],
    ),
    note(
        "email_password_file",
        "The list of passwords (e-mail addresses) anonymous users must give when `secure_email_list_enable=YES`, one per line.",
        &["secure_email_list_enable", "anonymous_enable"],
        &[
            "Read at every session while `secure_email_list_enable=YES`: an unreadable file refuses every session with `500 OOPS: cannot read email passwords file:`.",
        ],
    ),
    note(
        "file_open_mode",
        "The mode, in octal, uploaded files are created with before the umask (`local_umask` or `anon_umask`) takes bits away.",
        &["local_umask", "anon_umask"],
        &[
            "`file_open_mode=0777` makes every upload executable: only for servers whose uploads are meant to be run.",
        ],
    ),
    note(
        "force_anon_data_ssl",
        "Refuses unencrypted data connections for anonymous users who used TLS: `522 Data connections must be encrypted.`",
        &["allow_anon_ssl", "force_anon_logins_ssl", "ssl_enable"],
        &["Only meaningful with `ssl_enable=YES` and `allow_anon_ssl=YES`."],
    ),
    note(
        "force_anon_logins_ssl",
        "Refuses anonymous logins unless the control connection is encrypted.",
        &["allow_anon_ssl", "force_anon_data_ssl", "ssl_enable"],
        &[
            "Only meaningful with `ssl_enable=YES` and `allow_anon_ssl=YES`: without the latter no anonymous user can log in at all.",
        ],
    ),
    note(
        "force_dot_files",
        "Shows files and directories whose names start with a dot in listings even when the client does not ask for them (`ls -a`). `.` and `..` stay hidden.",
        &["hide_file", "dirlist_enable"],
        &[],
    ),
    note(
        "force_local_data_ssl",
        "Refuses unencrypted data connections (listings and transfers) for local users when TLS is enabled.",
        &["ssl_enable", "force_local_logins_ssl", "require_ssl_reuse"],
        &[
            "It defaults to YES: turning `ssl_enable` on forces TLS on every local user's data connection at once.",
        ],
    ),
    note(
        "force_local_logins_ssl",
        "Refuses a local user's password unless the control connection is encrypted (AUTH TLS first), when TLS is enabled.",
        &["ssl_enable", "force_local_data_ssl"],
        &[
            "It defaults to YES: turning `ssl_enable` on locks out every client that does not speak FTPS.",
        ],
    ),
    note(
        "ftp_data_port",
        "The local port active-mode data connections come from when `connect_from_port_20=YES` (default 20).",
        &["connect_from_port_20", "port_enable"],
        &[
            "Ignored unless `connect_from_port_20=YES`.",
            "Like `listen_port` it is cut to 16 bits: `ftp_data_port=70000` makes connections come from port 4464 (debian-3.0.3 binary).",
        ],
    ),
    note(
        "ftp_enable",
        "Serves FTP. It exists as the counterpart of the experimental `http_enable`; leave it YES.",
        &["http_enable"],
        &[
            "With `ftp_enable=NO` and `http_enable=NO` a standalone vsftpd starts, then refuses every session with `500 OOPS: vsftpd: both FTP and HTTP disabled!` (debian-3.0.3 binary).",
        ],
    ),
    note(
        "ftp_username",
        "The system user anonymous sessions run as. Its home directory is what anonymous users see as `/`, unless `anon_root` says otherwise.",
        &["anonymous_enable", "anon_root", "guest_username"],
        &[
            "The user must exist on the host, or every session fails with `500 OOPS: vsftpd: cannot locate user specified in 'ftp_username':` while `anonymous_enable=YES`.",
        ],
    ),
    note(
        "ftpd_banner",
        "The greeting text after `220` instead of `(vsFTPd VERSION)`.",
        &["banner_file"],
        &[],
    ),
    note(
        "guest_enable",
        "Maps every non-anonymous login that passes PAM to the single system user `guest_username`: the usual way to serve virtual users from a PAM database.",
        &[
            "guest_username",
            "virtual_use_local_privs",
            "user_sub_token",
            "local_root",
            "pam_service_name",
        ],
        &[
            "Guest users get the anonymous users' rights (the `anon_*` settings; `MKD` was refused with the defaults) and are locked into `guest_username`'s home, unless `virtual_use_local_privs=YES` (debian-3.0.3 binary).",
        ],
    ),
    note(
        "guest_username",
        "The system user guest logins run as when `guest_enable=YES`; its home directory is where they land.",
        &["guest_enable", "user_sub_token"],
        &[
            "The user must exist on the host, or every session fails with `500 OOPS: vsftpd: cannot locate user specified in 'guest_username':` while `guest_enable=YES`.",
        ],
    ),
    note(
        "hide_file",
        "Patterns (same syntax as `deny_file`) of names left out of directory listings. The files can still be downloaded by anyone who knows their name (debian-3.0.3 binary).",
        &["deny_file", "force_dot_files"],
        &["Hiding is not protecting: combine it with `deny_file` or file permissions."],
    ),
    note(
        "hide_ids",
        "Shows `ftp` as the owner and group of every file in listings, hiding the real users and groups.",
        &["text_userdb_names"],
        &[],
    ),
    note(
        "http_enable",
        "An experimental mode in which vsftpd answers HTTP instead of FTP. Not for production.",
        &["ftp_enable", "one_process_model"],
        &[
            "Without `one_process_model=YES` every session is refused with `500 OOPS: vsftpd: HTTP needs 'one_process_model' for now`.",
        ],
    ),
    note(
        "idle_session_timeout",
        "How many seconds a logged-in client may stay silent between commands before vsftpd ends the session with `421 Timeout.` (debian-3.0.3 binary).",
        &["data_connection_timeout"],
        &[],
    ),
    note(
        "implicit_ssl",
        "Starts TLS at once on every control connection, without AUTH TLS (implicit FTPS, by convention on port 990).",
        &["ssl_enable", "listen_port", "rsa_cert_file"],
        &[
            "Needs `ssl_enable=YES`; plain FTP clients can no longer connect on that port.",
            "On port 21 it breaks every client that expects a plain `220` greeting: use `listen_port=990` (or a second instance) for implicit FTPS.",
        ],
    ),
    note(
        "isolate",
        "Runs each session in new PID and IPC namespaces (Linux), so it cannot see or signal other processes.",
        &["isolate_network", "seccomp_sandbox"],
        &[
            "Where creating namespaces is not allowed (some containers) sessions fail; Debian's README advises `isolate=NO` and `isolate_network=NO` inside LXC.",
            "Upstream's manual page does not document it (RHEL's does); it is on by default in every build.",
        ],
    ),
    note(
        "isolate_network",
        "Runs each session in its own network namespace (Linux `CLONE_NEWNET`) so a compromised session cannot open network connections of its own.",
        &["isolate", "port_enable"],
        &[
            "Where creating namespaces is not allowed (some containers), every session fails; set `isolate_network=NO` (and `isolate=NO`) there.",
            "Upstream's manual page does not document it (RHEL's does); it is on by default in every build.",
        ],
    ),
    note(
        "listen",
        "Runs vsftpd as a standalone daemon on an IPv4 socket (`listen_address`, `listen_port`). With `listen=NO` and `listen_ipv6=NO` vsftpd expects inetd, xinetd or a systemd socket to hand it one connection on standard input.",
        &["listen_ipv6", "listen_address", "listen_port", "background"],
        &[
            "`listen=YES` together with `listen_ipv6=YES` refuses to start: `500 OOPS: run two copies of vsftpd for IPv4 and IPv6`.",
            "The default differs: YES upstream and on RHEL, NO on Debian, so the same file is standalone on one and inetd mode on the other.",
            "In standalone mode most checks (users, directories, files) run only when a client connects: vsftpd starts, then refuses every session.",
        ],
    ),
    note(
        "listen_address",
        "The IPv4 address the standalone listener binds (default: every address).",
        &["listen", "listen_port", "pasv_address"],
        &[
            "It must be an IPv4 literal: a host name or IPv6 address refuses to start with `500 OOPS: bad listen_address:`.",
            "An address not configured on the host refuses to start with `could not bind listening IPv4 socket`.",
        ],
    ),
    note(
        "listen_address6",
        "The IPv6 address the standalone IPv6 listener binds (default: every address).",
        &["listen_ipv6", "listen_port"],
        &["An unparseable value refuses to start with `500 OOPS: bad listen_address6:`."],
    ),
    note(
        "listen_ipv6",
        "Runs vsftpd as a standalone daemon on an IPv6 socket. On Linux that socket usually accepts IPv4 clients too (as mapped addresses) unless `net.ipv6.bindv6only=1`.",
        &["listen", "listen_address6", "listen_port"],
        &[
            "Cannot be combined with `listen=YES`: `500 OOPS: run two copies of vsftpd for IPv4 and IPv6`.",
        ],
    ),
    note(
        "listen_port",
        "The control port of the standalone listener (21). Ignored in inetd mode, where the super-server owns the port.",
        &["listen", "listen_ipv6", "ftp_data_port", "pasv_min_port"],
        &[
            "A port below 1024 needs root; a port in use refuses to start with `could not bind listening IPv4 socket`.",
            "The value is cut to 16 bits: `listen_port=65557` listens on 21, and 0 (or a value with no digits) on a random port the kernel picks (debian-3.0.3 binary).",
        ],
    ),
    note(
        "local_enable",
        "Allows local system users to log in with their password (checked through PAM service `pam_service_name`).",
        &[
            "write_enable",
            "chroot_local_user",
            "userlist_enable",
            "pam_service_name",
            "local_root",
        ],
        &[
            "Local users cannot change anything unless `write_enable=YES` too.",
            "Passwords travel in clear text unless TLS is on (`ssl_enable`, `force_local_logins_ssl`).",
        ],
    ),
    note(
        "local_max_rate",
        "Caps each local user's transfer at this many bytes per second; 0 means no limit.",
        &["anon_max_rate", "trans_chunk_size"],
        &[],
    ),
    note(
        "local_root",
        "The directory local users change into after login, instead of their home directory; with `chroot_local_user` it is also where they are locked in.",
        &["chroot_local_user", "user_sub_token", "local_enable"],
        &[
            "A missing directory is silently ignored: the user lands in the home directory (debian-3.0.3 binary).",
        ],
    ),
    note(
        "local_umask",
        "The umask applied to files and directories local users create, in octal.",
        &["file_open_mode", "anon_umask"],
        &[
            "The default 077 makes new files readable by their owner only (mode 0600 with the default `file_open_mode`); `local_umask=022` gives the usual 0644.",
        ],
    ),
    note(
        "lock_upload_files",
        "Takes a write lock on files being uploaded and a read lock on files being downloaded, so a download does not see a half-written upload of the same file.",
        &["write_enable"],
        &[
            "Filesystems with broken locking (some network mounts) can make transfers hang: turn it off there.",
        ],
    ),
    note(
        "log_die",
        "Also sends fatal `500 OOPS` messages to syslog, so they reach the journal whatever happens to the terminal output. A Fedora/RHEL addition.",
        &["syslog_enable"],
        &[],
    ),
    note(
        "log_ftp_protocol",
        "Writes every command and reply to the vsftpd log: useful when debugging a client.",
        &[
            "xferlog_enable",
            "xferlog_std_format",
            "vsftpd_log_file",
            "syslog_enable",
        ],
        &[
            "Nothing is logged unless the vsftpd-format log is active: `xferlog_enable=YES` with `xferlog_std_format=NO`, or `dual_log_enable=YES` (debian-3.0.3 binary: with `xferlog_std_format=YES` no vsftpd log is written at all).",
            "PASS commands are logged as `PASS <password>`, but anonymous users' passwords still appear in the `OK LOGIN` line (debian-3.0.3 binary).",
        ],
    ),
    note(
        "ls_recurse_enable",
        "Allows recursive listings (`ls -R`, LIST -R).",
        &["dirlist_enable"],
        &[
            "A recursive listing of a large tree costs the server a lot of disk and CPU: leave it off on public servers.",
        ],
    ),
    note(
        "max_clients",
        "In standalone mode, the most sessions served at once; the next client gets `421 There are too many connected users, please try later.` and is disconnected. 0 means no limit.",
        &["max_per_ip", "listen", "listen_ipv6"],
        &[
            "The manual says the default is 0 (no limit); the binaries' default is 2000.",
            "Ignored in inetd mode: the super-server decides there.",
        ],
    ),
    note(
        "max_login_fails",
        "How many failed logins a session may have before vsftpd ends it (debian-3.0.3 binary: the connection closes after the third `530 Login incorrect.` by default).",
        &["delay_failed_login"],
        &[
            "Ending a session does not stop a client from reconnecting: use fail2ban or PAM for real lockouts.",
        ],
    ),
    note(
        "max_per_ip",
        "In standalone mode, the most sessions served at once from one client address; the next one gets `421 There are too many connections from your internet address.` 0 means no limit.",
        &["max_clients", "listen", "listen_ipv6"],
        &[
            "The manual says the default is 0 (no limit); the binaries' default is 50: the 51st connection from one address is refused (debian-3.0.3 binary).",
            "Clients behind one NAT address share the limit.",
        ],
    ),
    note(
        "mdtm_write",
        "Lets clients set a file's modification time with `MDTM time file`.",
        &["write_enable"],
        &[
            "Has no effect unless `write_enable=YES` (and, for anonymous users, `anon_other_write_enable=YES`): otherwise `MDTM 20200101000000 file` is taken as a question about a file named `20200101000000 file` (debian-3.0.3 binary).",
        ],
    ),
    note(
        "message_file",
        "The file name looked for in each directory a user changes into when `dirmessage_enable=YES`.",
        &["dirmessage_enable"],
        &[],
    ),
    note(
        "no_anon_password",
        "Logs anonymous users in without asking for a password: `USER anonymous` is answered `230 Login successful.` at once.",
        &[
            "anonymous_enable",
            "deny_email_enable",
            "secure_email_list_enable",
        ],
        &[
            "The password lists (`deny_email_enable`, `secure_email_list_enable`) then never see a password.",
        ],
    ),
    note(
        "no_log_lock",
        "Writes log files without locking them. A workaround for filesystems where locking hangs.",
        &["xferlog_enable", "vsftpd_log_file", "xferlog_file"],
        &[],
    ),
    note(
        "nopriv_user",
        "The unprivileged system user vsftpd's untrusted session parts run as.",
        &["secure_chroot_dir"],
        &[
            "A name missing from the user database refuses every session with `500 OOPS: cannot locate user entry:`.",
        ],
    ),
    note(
        "one_process_model",
        "Runs each session in one process instead of a privileged and an unprivileged one: faster, but only safe for anonymous-only servers.",
        &["local_enable", "http_enable"],
        &[
            "With `local_enable=YES` every session is refused with `500 OOPS: vsftpd: security: 'one_process_model' is anonymous only`.",
        ],
    ),
    note(
        "pam_service_name",
        "The PAM service (a file in /etc/pam.d) that checks local users' passwords.",
        &["local_enable"],
        &[
            "A service with no file in /etc/pam.d falls back to PAM's `other` service. On Debian `other` is the normal login stack, so logins still work but the vsftpd service's own checks (the /etc/ftpusers deny list, `pam_shells`) are skipped: a user whose shell is `/usr/sbin/nologin` logged in (debian-3.0.3 binary). Where `other` denies everything, every local login fails with `530 Login incorrect.`",
            "Upstream's default `ftp` is not a service Debian ships: an upstream build on Debian authenticates through `other`, as above (upstream-3.0.5 binary).",
        ],
    ),
    note(
        "passwd_chroot_enable",
        "With `chroot_local_user`, takes the chroot point from the home directory field of the user database: a home of `/srv/ftp/./alice` locks the user into `/srv/ftp`.",
        &["chroot_local_user", "chroot_list_enable"],
        &["Without `/./` in the home path the whole home directory is the chroot, as usual."],
    ),
    note(
        "pasv_addr_resolve",
        "Treats `pasv_address` as a host name, resolved once at startup.",
        &["pasv_address"],
        &[
            "A name that does not resolve refuses to start with `500 OOPS: cannot resolve host:`; a changed DNS record needs a restart.",
            "After a reload (SIGHUP) the name is not resolved again and every PASV kills its session with `500 OOPS: invalid pasv_address` (debian-3.0.3 binary): restart instead of reloading.",
        ],
    ),
    note(
        "pasv_address",
        "The IPv4 address announced in PASV replies instead of the control connection's local address: needed when clients reach the server through NAT.",
        &[
            "pasv_enable",
            "pasv_addr_resolve",
            "pasv_min_port",
            "pasv_max_port",
        ],
        &[
            "It must be an IPv4 address in a form C `inet_aton` reads (`10.1` is 10.0.0.1) unless `pasv_addr_resolve=YES`; otherwise every PASV kills the session with `500 OOPS: invalid pasv_address`. It is not checked at startup.",
            "With `listen_ipv6=YES` (Debian's and RHEL's stock files) it is ignored: PASV replies carry `0,0,0,0` (debian-3.0.3 binary). NAT setups need `listen=YES`.",
            "EPSV replies carry no address, so clients using EPSV ignore it.",
        ],
    ),
    note(
        "pasv_enable",
        "Allows passive mode (PASV, EPSV): the client opens each data connection (listings, transfers) to a port the server picks.",
        &[
            "pasv_min_port",
            "pasv_max_port",
            "pasv_address",
            "pasv_promiscuous",
            "port_enable",
        ],
        &[
            "When NO, PASV and EPSV are answered `550 Permission denied.` and FEAT stops listing them (debian-3.0.3 binary).",
            "Without `pasv_min_port` and `pasv_max_port` the port is any free one, so no firewall can open it sensibly: login works and every listing hangs. `vsconf firewall FILE` prints the rules for a pinned range.",
        ],
    ),
    note(
        "pasv_max_port",
        "The highest port passive data connections use.",
        &["pasv_min_port", "pasv_enable"],
        &[
            "A value below `pasv_min_port` (or below 1024) is ignored without a warning: the range silently runs up to 65535 (debian-3.0.3 binary: `pasv_min_port=60000`, `pasv_max_port=50000` gave ports 60154…65512).",
            "Set both ends of the range and open exactly that range in the firewall.",
        ],
    ),
    note(
        "pasv_min_port",
        "The lowest port passive data connections use. Together with `pasv_max_port` it pins the range a firewall must open.",
        &["pasv_max_port", "pasv_enable", "pasv_address"],
        &[
            "The manual page says the default is 0 (any port); the binaries' default is 5001, so with nothing set the ports come from 5001–65535 (debian-3.0.3 binary: 400 PASV replies, none below 5001).",
            "A value of 1024 or less, or above 65535, is ignored and the range starts at 1024 (debian-3.0.3 binary).",
            "Set both ends of the range and open exactly that range in the firewall; a range smaller than the number of simultaneous transfers makes PASV fail under load.",
        ],
    ),
    note(
        "pasv_promiscuous",
        "Skips the check that a passive data connection comes from the same address as the control connection.",
        &["pasv_enable"],
        &[
            "Without it a data connection from another address than the control connection is closed and the client gets `425 Security: Bad IP connecting.` (debian-3.0.3 binary); with it anyone who guesses the port can steal a transfer: leave it NO unless a proxy in between requires it.",
        ],
    ),
    note(
        "port_enable",
        "Allows active mode (PORT, EPRT): the server connects back to the client for each data connection.",
        &["connect_from_port_20", "ftp_data_port", "port_promiscuous"],
        &[
            "When NO, PORT and EPRT are answered `550 Permission denied.` (debian-3.0.3 binary).",
            "Unless `port_promiscuous=YES`, a PORT to another address than the client's, or to a port below 1024, is refused with `500 Illegal PORT command.` (debian-3.0.3 binary).",
            "Active mode rarely works through client-side NAT; most clients use passive mode.",
        ],
    ),
    note(
        "port_promiscuous",
        "Skips the checks on active-mode (PORT/EPRT) requests: the data connection may then go to any address, not just the client's.",
        &["port_enable", "pasv_promiscuous"],
        &[
            "It turns the server into a relay for FTP bounce attacks: leave it NO.",
            "A PORT to a port below 1024 then kills the session at transfer time with `500 OOPS: Illegal port request` (debian-3.0.3 binary).",
        ],
    ),
    note(
        "ptrace_sandbox",
        "An experimental sandbox that watches session processes with ptrace. Not for production.",
        &["seccomp_sandbox", "one_process_model"],
        &[],
    ),
    note(
        "require_cert",
        "Refuses TLS connections from clients that do not present a certificate.",
        &[
            "ssl_request_cert",
            "validate_cert",
            "ca_certs_file",
            "ssl_enable",
        ],
        &["Without `validate_cert=YES` any certificate is accepted, even one the client made up."],
    ),
    note(
        "require_ssl_reuse",
        "Requires the TLS session of each data connection to resume the control connection's session, proving both come from the same client.",
        &["ssl_enable", "force_local_data_ssl"],
        &[
            "Clients that do not resume TLS sessions fail every listing and transfer with `522 SSL connection failed`; it defaults to YES.",
        ],
    ),
    note(
        "reverse_lookup_enable",
        "Looks up the client's host name from its address before PAM checks the login, so PAM rules and logs can use names. A Fedora/RHEL addition.",
        &["pam_service_name"],
        &[
            "Slow or broken reverse DNS delays every login: set it to NO when logins hang after the password.",
        ],
    ),
    note(
        "rsa_cert_file",
        "The PEM certificate presented when TLS is on (the private key too, unless `rsa_private_key_file` is set).",
        &["ssl_enable", "rsa_private_key_file"],
        &[
            "A missing or unreadable file refuses to start with `500 OOPS: SSL: cannot load RSA certificate` once `ssl_enable=YES`.",
            "Debian's README names `/etc/ssl/private/vsftpd.pem` as the default; the binaries' default is `/usr/share/ssl/certs/vsftpd.pem`, which Debian does not ship. Debian's stock file sets the snakeoil certificate instead.",
        ],
    ),
    note(
        "rsa_private_key_file",
        "The PEM private key for `rsa_cert_file`; unset means the key is in the certificate file.",
        &["rsa_cert_file", "ssl_enable"],
        &["A key that does not match the certificate refuses to start once `ssl_enable=YES`."],
    ),
    note(
        "run_as_launching_user",
        "Runs vsftpd as whichever user started it, without root. Only that user's files are served and most security features are lost.",
        &["listen_port", "local_enable"],
        &[
            "Without it, a vsftpd started by a non-root user refuses to start with `500 OOPS: vsftpd: must be started as root (see run_as_launching_user option)`.",
        ],
    ),
    note(
        "seccomp_sandbox",
        "Confines session processes with a Linux seccomp system-call filter.",
        &["isolate", "isolate_network"],
        &[
            "With TLS on, sessions die in the TLS handshake with `500 OOPS: child died` on current systems (upstream-3.0.5 binary on Debian 12); with `seccomp_sandbox=NO` the same handshake works. The default is YES only upstream; Debian and RHEL builds default to NO.",
        ],
    ),
    note(
        "secure_chroot_dir",
        "An empty directory, not writable by the ftp user, that vsftpd's unprivileged parts chroot into.",
        &["nopriv_user"],
        &[
            "A missing directory lets a standalone vsftpd start, then refuses every session with `500 OOPS: vsftpd: not found: directory given in 'secure_chroot_dir':`.",
        ],
    ),
    note(
        "secure_email_list_enable",
        "Admits anonymous users only if their password is listed in `email_password_file`: a simple shared-password scheme for anonymous access. Others get `530 Login incorrect.`",
        &[
            "email_password_file",
            "anonymous_enable",
            "no_anon_password",
        ],
        &["The passwords are sent in clear text unless TLS is used."],
    ),
    note(
        "session_support",
        "Opens a PAM session for each login and records it in utmp and wtmp, so `last` and PAM session modules see FTP logins.",
        &["pam_service_name", "local_enable"],
        &[],
    ),
    note(
        "setproctitle_enable",
        "Shows each session's state (client address, user, current command) in `ps` output.",
        &[],
        &["Every local user who can run `ps` sees who is connected from where."],
    ),
    note(
        "ssl_ciphers",
        "The OpenSSL cipher list for TLS 1.2 and older (TLS 1.3 suites are not set here).",
        &["ssl_enable", "ssl_tlsv1", "ssl_tlsv12"],
        &[
            "Upstream's and Debian's default allows one cipher suite, which some older clients lack. Debian's manual page gives `DES-CBC3-SHA` as the default; the binary's is `ECDHE-RSA-AES256-GCM-SHA384`.",
            "RHEL's default `PROFILE=SYSTEM` only exists in Red Hat's OpenSSL: copied to another distribution it refuses to start with `500 OOPS: SSL: could not set cipher list`, as any list OpenSSL does not understand does.",
        ],
    ),
    note(
        "ssl_enable",
        "Turns on TLS: explicit FTPS (AUTH TLS on the control port), or implicit FTPS with `implicit_ssl=YES`.",
        &[
            "rsa_cert_file",
            "rsa_private_key_file",
            "force_local_logins_ssl",
            "force_local_data_ssl",
            "allow_anon_ssl",
            "require_ssl_reuse",
            "implicit_ssl",
        ],
        &[
            "The certificate is loaded at startup: a missing or unreadable one refuses to start.",
            "`force_local_logins_ssl` and `force_local_data_ssl` default to YES, so turning TLS on makes it mandatory for local users at once.",
            "With the control connection encrypted, connection-tracking helpers cannot read the passive port from the `227` reply: pin `pasv_min_port`/`pasv_max_port` and open that range.",
        ],
    ),
    note(
        "ssl_request_cert",
        "Asks TLS clients for a certificate during the handshake; a client that sends none is still accepted unless `require_cert=YES`.",
        &["require_cert", "validate_cert", "ca_certs_file"],
        &[
            "Some clients then ask their user to pick a certificate: set it to NO when you do not use client certificates.",
        ],
    ),
    note(
        "ssl_sni_hostname",
        "Refuses a TLS handshake unless the host name the client sends (SNI) is exactly this one.",
        &["ssl_enable"],
        &[
            "Clients that send no host name (for example because they connect by IP address) are refused like a wrong name (upstream-3.0.5 binary).",
        ],
    ),
    note(
        "ssl_sslv2",
        "Allows the SSL 2 protocol.",
        &["ssl_enable", "ssl_sslv3"],
        &["SSL 2 is broken and current OpenSSL versions cannot speak it at all: leave it NO."],
    ),
    note(
        "ssl_sslv3",
        "Allows the SSL 3 protocol.",
        &["ssl_enable", "ssl_sslv2"],
        &["SSL 3 is broken (POODLE): leave it NO."],
    ),
    note(
        "ssl_tlsv1",
        "Allows TLS 1.0. On 3.0.3 builds without per-version switches (Debian 12) it is the only TLS switch, and NO disables TLS 1.0 only.",
        &["ssl_enable", "ssl_tlsv11", "ssl_tlsv12", "ssl_tlsv13"],
        &[
            "The default changed: YES in 3.0.3, NO in 3.0.5.",
            "Upstream 3.0.5 lists `AUTH TLS` in its FEAT reply only while `ssl_tlsv1=YES`, so clients that read FEAT may not try TLS with the default; AUTH TLS itself works.",
        ],
    ),
    note(
        "ssl_tlsv11",
        "Allows TLS 1.1 (3.0.5 builds).",
        &["ssl_enable", "ssl_tlsv1", "ssl_tlsv12", "ssl_tlsv13"],
        &[
            "The 3.0.5 manual calls it `ssl_tlsv1_1`, a name the 3.0.5 binaries refuse: write `ssl_tlsv11`.",
        ],
    ),
    note(
        "ssl_tlsv12",
        "Allows TLS 1.2 (3.0.5 builds).",
        &[
            "ssl_enable",
            "ssl_tlsv1",
            "ssl_tlsv11",
            "ssl_tlsv13",
            "ssl_ciphers",
        ],
        &[
            "The 3.0.5 manual calls it `ssl_tlsv1_2`, a name the 3.0.5 binaries refuse: write `ssl_tlsv12`.",
        ],
    ),
    note(
        "ssl_tlsv13",
        "Allows TLS 1.3 (3.0.5 builds).",
        &["ssl_enable", "ssl_tlsv1", "ssl_tlsv11", "ssl_tlsv12"],
        &[
            "The 3.0.5 manual calls it `ssl_tlsv1_3`, a name the 3.0.5 binaries refuse: write `ssl_tlsv13`.",
        ],
    ),
    note(
        "ssl_tlsv1_1",
        "Allows TLS 1.1: Fedora's 3.0.3 spelling (RHEL 8). Other builds spell it `ssl_tlsv11` or lack it.",
        &["ssl_enable", "ssl_tlsv1", "ssl_tlsv1_2", "ssl_tlsv1_3"],
        &[],
    ),
    note(
        "ssl_tlsv1_2",
        "Allows TLS 1.2: Fedora's 3.0.3 spelling (RHEL 8). Other builds spell it `ssl_tlsv12` or lack it.",
        &["ssl_enable", "ssl_tlsv1", "ssl_tlsv1_1", "ssl_tlsv1_3"],
        &[],
    ),
    note(
        "ssl_tlsv1_3",
        "Allows TLS 1.3: Fedora's 3.0.3 spelling (RHEL 8). Other builds spell it `ssl_tlsv13` or lack it.",
        &["ssl_enable", "ssl_tlsv1", "ssl_tlsv1_1", "ssl_tlsv1_2"],
        &[],
    ),
    note(
        "strict_ssl_read_eof",
        "Requires TLS uploads to end with a proper TLS close, so a truncated upload is not taken for a complete one.",
        &["ssl_enable", "strict_ssl_write_shutdown"],
        &[
            "Some clients just close the socket: their uploads then end with an error although the data arrived.",
        ],
    ),
    note(
        "strict_ssl_write_shutdown",
        "Ends each TLS download with a complete TLS shutdown exchange with the client instead of only closing the socket, so a client can tell a finished download from a cut one.",
        &["ssl_enable", "strict_ssl_read_eof"],
        &[],
    ),
    note(
        "syslog_enable",
        "Sends the vsftpd-format log to syslog instead of `vsftpd_log_file`.",
        &[
            "xferlog_enable",
            "vsftpd_log_file",
            "dual_log_enable",
            "log_ftp_protocol",
        ],
        &["The wu-ftpd format `xferlog_file` is not affected."],
    ),
    note(
        "tcp_wrappers",
        "Checks /etc/hosts.allow and /etc/hosts.deny for each client, on builds compiled with libwrap.",
        &[],
        &[
            "Builds without libwrap (upstream's default build, RHEL) refuse every session with `500 OOPS: tcp_wrappers is set to YES but no tcp wrapper support compiled in`.",
        ],
    ),
    note(
        "text_userdb_names",
        "Shows user and group names instead of numeric ids in listings.",
        &["hide_ids"],
        &[],
    ),
    note(
        "tilde_user_enable",
        "Lets clients name paths as `~user`, resolved to that user's home directory.",
        &[],
        &["Reveals which users exist and where their homes are."],
    ),
    note(
        "trans_chunk_size",
        "The size of the blocks transfers are read and written in; 0 lets vsftpd choose. Smaller blocks make the rate limits smoother.",
        &["anon_max_rate", "local_max_rate"],
        &[],
    ),
    note(
        "upload_file",
        "A pattern (same syntax as `deny_file`): only files whose names match it may be uploaded. A Debian addition.",
        &["download_file", "deny_file", "write_enable"],
        &["`deny_file` still wins over a match here."],
    ),
    note(
        "use_localtime",
        "Shows file times in directory listings in the server's local time zone instead of UTC.",
        &[],
        &["Listings carry no time zone: clients cannot tell which one is meant."],
    ),
    note(
        "use_sendfile",
        "Uses the kernel's sendfile() for downloads, which saves copying.",
        &[],
        &[
            "Some filesystems (certain network and virtual-machine shares) serve corrupt or stalled downloads through sendfile(): turn it off there.",
        ],
    ),
    note(
        "user_config_dir",
        "A directory of per-user config files: after login vsftpd reads the file named after the user, if any, on top of the main config.",
        &["local_enable", "guest_enable"],
        &[
            "A bad line in a user's file ends that user's session after login with the usual `500 OOPS` text; the main config starts fine (debian-3.0.3 binary).",
            "Settings read only at startup (listener, ports, TLS certificates) do nothing there.",
        ],
    ),
    note(
        "user_sub_token",
        "A token replaced by the login name in the home directory of guest users, so one guest user can serve many virtual users: with `user_sub_token=$USER` and `local_root=/srv/ftp/$USER`, each lands in their own directory.",
        &["guest_enable", "local_root", "guest_username"],
        &[],
    ),
    note(
        "userlist_deny",
        "Decides what `userlist_file` means: YES (default) refuses the listed users before they send a password; NO lets only the listed users log in.",
        &["userlist_enable", "userlist_file"],
        &[
            "`userlist_deny=NO` with a user missing from the list refuses that user with `530 Permission denied`, even with the right password.",
        ],
    ),
    note(
        "userlist_enable",
        "Reads `userlist_file` at login and refuses or admits users by it (see `userlist_deny`).",
        &["userlist_deny", "userlist_file", "local_enable"],
        &[
            "While `local_enable=YES`, an unreadable list file refuses every session with `500 OOPS: cannot read user list file:`.",
        ],
    ),
    note(
        "userlist_file",
        "The user list read when `userlist_enable=YES`, one user name per line.",
        &["userlist_enable", "userlist_deny"],
        &[],
    ),
    note(
        "userlist_log",
        "Logs the logins the user list refused. A Fedora/RHEL addition.",
        &["userlist_enable", "userlist_deny"],
        &[],
    ),
    note(
        "utf8_filesystem",
        "Lists `UTF8` in the FEAT reply, telling clients that file names are UTF-8. A Debian addition, not in Debian's manual page; upstream's 3.0.5 lists `UTF8` always (upstream-3.0.5 binary).",
        &[],
        &[],
    ),
    note(
        "validate_cert",
        "Requires client certificates to verify against `ca_certs_file`; self-signed or unknown ones are refused.",
        &["require_cert", "ssl_request_cert", "ca_certs_file"],
        &[],
    ),
    note(
        "virtual_use_local_privs",
        "Gives guest (virtual) users the rights of local users (`write_enable`, `local_umask`, `chmod_enable`) instead of those of anonymous users.",
        &["guest_enable", "write_enable", "local_umask"],
        &[],
    ),
    note(
        "vsftpd_log_file",
        "The file vsftpd's own log format goes to: transfers, logins and, with `log_ftp_protocol`, every command.",
        &[
            "xferlog_enable",
            "xferlog_std_format",
            "dual_log_enable",
            "syslog_enable",
        ],
        &[
            "Used only with `xferlog_enable=YES` and `xferlog_std_format=NO` (or `dual_log_enable=YES`), and not with `syslog_enable=YES`.",
        ],
    ),
    note(
        "wc_logs_enable",
        "Treats log text as wide (multi-byte) characters when filtering unprintable ones, so non-ASCII file names survive in logs. A Fedora/RHEL addition.",
        &["xferlog_enable"],
        &[],
    ),
    note(
        "write_enable",
        "Master switch for every command that changes files: STOR, APPE, DELE, MKD, RMD, RNFR/RNTO, SITE CHMOD.",
        &[
            "local_enable",
            "anon_upload_enable",
            "anon_mkdir_write_enable",
            "anon_other_write_enable",
        ],
        &["Without it nobody can write, whatever the anonymous upload settings say."],
    ),
    note(
        "xferlog_enable",
        "Writes a log line per upload and download: to `vsftpd_log_file` in vsftpd's format, or to `xferlog_file` in the wu-ftpd format with `xferlog_std_format=YES`.",
        &[
            "xferlog_std_format",
            "xferlog_file",
            "vsftpd_log_file",
            "dual_log_enable",
            "syslog_enable",
        ],
        &[
            "A log file that cannot be opened refuses every session with `500 OOPS: failed to open`.",
        ],
    ),
    note(
        "xferlog_file",
        "The transfer log in the wu-ftpd `xferlog` format, understood by log analysers.",
        &["xferlog_enable", "xferlog_std_format", "dual_log_enable"],
        &[
            "Used only with `xferlog_enable=YES` and `xferlog_std_format=YES` (or `dual_log_enable=YES`).",
        ],
    ),
    note(
        "xferlog_std_format",
        "Writes the transfer log in the wu-ftpd format to `xferlog_file` instead of vsftpd's format to `vsftpd_log_file`.",
        &[
            "xferlog_enable",
            "xferlog_file",
            "vsftpd_log_file",
            "dual_log_enable",
        ],
        &[
            "Debian's stock file leaves it unset: its transfer log is /var/log/vsftpd.log, not /var/log/xferlog.",
        ],
    ),
];
