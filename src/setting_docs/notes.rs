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
        "allow_writeable_chroot",
        "Lets a chrooted local user log in although the chroot directory (their home, or `local_root`) is writable by them. Without it such a login fails with `500 OOPS: vsftpd: refusing to run with writable root inside chroot()`.",
        &["chroot_local_user", "chroot_list_enable", "local_root"],
        &[
            "It is ignored for anonymous logins: a writable `anon_root` is always refused.",
            "The safer fix is a read-only chroot with a writable subdirectory (`chmod a-w ~user`, upload into `~user/upload`).",
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
        "background",
        "In standalone mode, fork into the background at start and let the shell or init system continue.",
        &["listen", "listen_ipv6"],
        &[
            "Upstream and Debian's parent exits 0 before binding the port, so a bind failure after that is silent: keep `background=NO` under systemd (`Type=simple`).",
        ],
    ),
    note(
        "banner_file",
        "A file whose contents replace the greeting after `220`. Read at each session.",
        &["ftpd_banner"],
        &["An unreadable file refuses every session with `500 OOPS: cannot read banner file:`."],
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
        "connect_from_port_20",
        "Active-mode data connections are made from port `ftp_data_port` (20) as RFC 959 expects, which needs root privileges at that moment.",
        &["port_enable", "ftp_data_port"],
        &[
            "Client-side firewalls that expect port 20 reject active transfers from other ports when it is NO.",
        ],
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
        "ftpd_banner",
        "The greeting text after `220` instead of `(vsFTPd VERSION)`.",
        &["banner_file"],
        &[
            "vsftpd has no trailing comments: `ftpd_banner=Welcome # hi` shows the `# hi` too.",
            "Leading and trailing spaces are kept upstream but trimmed by the Debian and RHEL builds.",
        ],
    ),
    note(
        "isolate_network",
        "Runs each session in its own network namespace (Linux `CLONE_NEWNET`) so a compromised session cannot open network connections of its own.",
        &["isolate", "port_enable"],
        &[
            "Where creating namespaces is not allowed (some containers), every session fails; set `isolate_network=NO` (and `isolate=NO`) there.",
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
        "local_umask",
        "The umask applied to files and directories local users create, in octal.",
        &["file_open_mode", "anon_umask"],
        &["Write it in octal with a leading zero (`022`), as in a shell."],
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
        "pam_service_name",
        "The PAM service (a file in /etc/pam.d) that checks local users' passwords.",
        &["local_enable"],
        &[
            "A name with no file in /etc/pam.d makes every local login fail with `530 Login incorrect`, whatever the password.",
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
            "It must be a dotted IPv4 address unless `pasv_addr_resolve=YES`; otherwise every PASV kills the session with `500 OOPS: invalid pasv_address`.",
            "EPSV replies carry no address, so clients using EPSV ignore it.",
        ],
    ),
    note(
        "pasv_addr_resolve",
        "Treats `pasv_address` as a host name, resolved once at startup.",
        &["pasv_address"],
        &[
            "A name that does not resolve refuses to start with `500 OOPS: cannot resolve host:`; a changed DNS record needs a restart.",
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
            "Without `pasv_min_port` and `pasv_max_port` the port is any free one, so no firewall can open it sensibly: login works and every listing hangs. `vsconf firewall FILE` prints the rules for a pinned range.",
        ],
    ),
    note(
        "pasv_max_port",
        "The highest port passive data connections use.",
        &["pasv_min_port", "pasv_enable"],
        &["Set both ends of the range and open exactly that range in the firewall."],
    ),
    note(
        "pasv_min_port",
        "The lowest port passive data connections use. Together with `pasv_max_port` it pins the range a firewall must open.",
        &["pasv_max_port", "pasv_enable", "pasv_address"],
        &[
            "Set both ends of the range and open exactly that range in the firewall; a range smaller than the number of simultaneous transfers makes PASV fail under load.",
        ],
    ),
    note(
        "pasv_promiscuous",
        "Skips the check that a passive data connection comes from the same address as the control connection.",
        &["pasv_enable"],
        &[
            "With it anyone who guesses the port can steal a transfer: leave it NO unless a proxy in between requires it.",
        ],
    ),
    note(
        "port_enable",
        "Allows active mode (PORT, EPRT): the server connects back to the client for each data connection.",
        &["connect_from_port_20", "ftp_data_port", "port_promiscuous"],
        &["Active mode rarely works through client-side NAT; most clients use passive mode."],
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
        "rsa_cert_file",
        "The PEM certificate presented when TLS is on (the private key too, unless `rsa_private_key_file` is set).",
        &["ssl_enable", "rsa_private_key_file"],
        &[
            "A missing or unreadable file refuses to start with `500 OOPS: SSL: cannot load RSA certificate` once `ssl_enable=YES`.",
        ],
    ),
    note(
        "rsa_private_key_file",
        "The PEM private key for `rsa_cert_file`; unset means the key is in the certificate file.",
        &["rsa_cert_file", "ssl_enable"],
        &["A key that does not match the certificate refuses to start once `ssl_enable=YES`."],
    ),
    note(
        "seccomp_sandbox",
        "Confines session processes with a Linux seccomp system-call filter.",
        &["isolate", "isolate_network"],
        &[
            "On some kernel and C library combinations sessions die with `500 OOPS: child died`; `seccomp_sandbox=NO` is the usual workaround.",
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
            "Encrypted data connections hide the passive port from connection-tracking helpers: pin `pasv_min_port`/`pasv_max_port` and open that range.",
        ],
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
            "An unreadable list file refuses every session with `500 OOPS: cannot read user list file:`.",
        ],
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
];
