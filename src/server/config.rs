//! `EffectiveConfig` → `Behaviour`: every value the embedded server acts on, read once at start, and the
//! list of settings whose effect it cannot reproduce (it refuses to start on those, naming the setting).
//!
//! The only file of the server that names tunables.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

// The tunable names are the model's query keys; the model re-exports no names of its own, so the server
// reads them from the dialect table (see the report to the lead about this edge).
use crate::dialect::{Dialect, Tunable};
use crate::model::value::inet_aton;
use crate::model::{
    ActiveSource, EffectiveConfig, Family, ListenMode, ListenerError, PassiveRange, TlsMode,
};
use crate::startup::listener_oops;

use super::{ServeError, ServeOptions};

/// How the 227 address is chosen (data-channel.md §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasvAddress {
    /// `pasv_address` unset: the local address of the control connection.
    ControlLocal,
    /// `pasv_address` parsed by `inet_aton`.
    Fixed(Ipv4Addr),
    /// `pasv_address` that `inet_aton` refuses: every PASV kills the session with
    /// `500 OOPS: invalid pasv_address`.
    Invalid,
}

/// Everything the server does, taken from the effective config and the command line.
#[derive(Debug, Clone)]
pub struct Behaviour {
    pub version: &'static str,
    pub listen: SocketAddr,
    pub banner: Banner,
    pub anonymous_enable: bool,
    pub local_enable: bool,
    pub allow_writeable_chroot: bool,
    pub no_anon_password: bool,
    pub ftp_username: String,
    pub write_enable: bool,
    pub anon_upload_enable: bool,
    pub anon_mkdir_write_enable: bool,
    pub anon_other_write_enable: bool,
    pub anon_world_readable_only: bool,
    pub anon_umask: u32,
    pub local_umask: u32,
    pub file_open_mode: u32,
    pub chmod_enable: bool,
    pub dirlist_enable: bool,
    /// `userlist_enable=YES`: the list's path and whether it denies (`userlist_deny`) or allows.
    pub userlist: Option<(PathBuf, bool)>,
    /// `anon_max_rate` and `local_max_rate`: bytes per second on RETR/STOR, 0 unlimited.
    pub anon_max_rate: u32,
    pub local_max_rate: u32,
    /// `dirmessage_enable=YES`: the `message_file` name shown on entering a directory.
    pub dir_message_file: Option<String>,
    pub download_enable: bool,
    pub force_dot_files: bool,
    pub hide_ids: bool,
    pub pasv_enable: bool,
    pub pasv_range: PassiveRange,
    pub pasv_address: PasvAddress,
    pub pasv_promiscuous: bool,
    pub bind_attempts: u32,
    pub rhel_bind_text: bool,
    pub port_enable: bool,
    pub port_promiscuous: bool,
    /// Source port of active connections: `Some(port)` when the model's active source is a fixed port.
    pub active_source_port: Option<u16>,
    pub max_clients: u32,
    pub max_per_ip: u32,
    pub max_login_fails: u32,
    pub delay_failed_login: Duration,
    pub delay_successful_login: Duration,
    /// `None`: no idle timeout (idle_session_timeout=0).
    pub idle_timeout: Option<Duration>,
    pub data_timeout: Option<Duration>,
    pub accept_timeout: Duration,
    pub connect_timeout: Duration,
    pub ssl: Option<SslSettings>,
    pub root: PathBuf,
}

/// The greeting source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Banner {
    /// `banner_file`, read at each connection (as vsftpd does).
    File(PathBuf),
    /// `ftpd_banner`.
    Text(String),
    /// `(vsFTPd <version>)`.
    Default,
}

/// TLS settings (`ssl_enable=YES`).
#[derive(Debug, Clone)]
pub struct SslSettings {
    pub cert_file: PathBuf,
    pub key_file: PathBuf,
    pub implicit: bool,
    pub allow_anon_ssl: bool,
    pub force_local_logins_ssl: bool,
    pub force_local_data_ssl: bool,
    pub force_anon_logins_ssl: bool,
    pub force_anon_data_ssl: bool,
    pub require_ssl_reuse: bool,
    pub feat_auth_tls: bool,
    pub tls12: bool,
    pub tls13: bool,
}

fn text(config: &EffectiveConfig, t: Tunable) -> Option<String> {
    config
        .string(t)
        .map(|b| String::from_utf8_lossy(b).into_owned())
}

fn secs(n: u32) -> Duration {
    Duration::from_secs(u64::from(n))
}

/// Whether local time is UTC here: `TZ` unset or naming UTC, and `/etc/localtime` absent (glibc then
/// uses UTC) or a link to a UTC zone.
fn local_zone_is_utc() -> bool {
    const UTC_NAMES: [&str; 6] = [
        "UTC",
        "UTC0",
        "Etc/UTC",
        "Universal",
        "Zulu",
        "Etc/Universal",
    ];
    let is_utc_name = |name: &str| {
        let name = name.trim_start_matches(':');
        UTC_NAMES
            .iter()
            .any(|u| name == *u || name.ends_with(&format!("/{u}")))
    };
    match std::env::var("TZ") {
        Ok(tz) if !tz.is_empty() => return is_utc_name(&tz),
        _ => {}
    }
    match std::fs::read_link("/etc/localtime") {
        Ok(target) => is_utc_name(&target.to_string_lossy()),
        Err(_) => !std::path::Path::new("/etc/localtime").exists(),
    }
}

/// What makes a setting's value one the embedded server cannot reproduce.
#[derive(Clone, Copy)]
enum Trigger {
    /// The boolean is YES.
    On(Tunable),
    /// The string is set.
    Set(Tunable),
    /// `ssl_enable=YES` and the boolean is YES.
    TlsOn(Tunable),
    /// `ssl_enable=YES` and the string is set.
    TlsSet(Tunable),
    /// `use_localtime=YES` on a machine whose local time is not UTC.
    LocalTime,
}

impl Trigger {
    fn fires(self, config: &EffectiveConfig) -> bool {
        let tls = || config.bool(Tunable::SslEnable);
        match self {
            Trigger::On(t) => config.bool(t),
            Trigger::Set(t) => config.string(t).is_some(),
            Trigger::TlsOn(t) => tls() && config.bool(t),
            Trigger::TlsSet(t) => tls() && config.string(t).is_some(),
            // Local time equals UTC on a machine whose zone is UTC (the usual server and container
            // case): only then are vsftpd's local-time listings reproduced exactly.
            Trigger::LocalTime => config.bool(Tunable::UseLocaltime) && !local_zone_is_utc(),
        }
    }
}

/// Settings whose non-default value changes what a client sees in a way the embedded server does not
/// reproduce: trigger, the setting named in the refusal, and why. The first that fires is reported.
const UNSUPPORTED: &[(Trigger, &str, &str)] = &[
    (
        Trigger::Set(Tunable::UserConfigDir),
        "user_config_dir",
        "per-user config files are not modelled",
    ),
    (
        Trigger::On(Tunable::GuestEnable),
        "guest_enable",
        "guest (virtual) users are not modelled",
    ),
    (
        Trigger::On(Tunable::TcpWrappers),
        "tcp_wrappers",
        "TCP wrappers are not modelled",
    ),
    (
        Trigger::On(Tunable::DenyEmailEnable),
        "deny_email_enable",
        "banned e-mail lists are not modelled",
    ),
    (
        Trigger::On(Tunable::SecureEmailListEnable),
        "secure_email_list_enable",
        "e-mail password lists are not modelled",
    ),
    (
        Trigger::Set(Tunable::CmdsAllowed),
        "cmds_allowed",
        "command filtering is not modelled",
    ),
    (
        Trigger::Set(Tunable::CmdsDenied),
        "cmds_denied",
        "command filtering is not modelled",
    ),
    (
        Trigger::Set(Tunable::DenyFile),
        "deny_file",
        "file filtering is not modelled",
    ),
    (
        Trigger::Set(Tunable::HideFile),
        "hide_file",
        "file hiding is not modelled",
    ),
    (
        Trigger::On(Tunable::LsRecurseEnable),
        "ls_recurse_enable",
        "recursive listings are not modelled",
    ),
    (
        Trigger::On(Tunable::ChownUploads),
        "chown_uploads",
        "changing upload owners is not modelled",
    ),
    (
        Trigger::On(Tunable::AsciiDownloadEnable),
        "ascii_download_enable",
        "ASCII conversion is not modelled",
    ),
    (
        Trigger::On(Tunable::AsciiUploadEnable),
        "ascii_upload_enable",
        "ASCII conversion is not modelled",
    ),
    (
        Trigger::LocalTime,
        "use_localtime",
        "listings are produced in UTC, and this machine's local time zone is not UTC",
    ),
    (
        Trigger::On(Tunable::TextUserdbNames),
        "text_userdb_names",
        "listings show numeric ids only",
    ),
    (
        Trigger::On(Tunable::TildeUserEnable),
        "tilde_user_enable",
        "~user paths are not modelled",
    ),
    (
        Trigger::On(Tunable::OneProcessModel),
        "one_process_model",
        "the one-process model is not modelled",
    ),
    (
        Trigger::On(Tunable::HttpEnable),
        "http_enable",
        "HTTP is not modelled",
    ),
    (
        Trigger::Set(Tunable::DownloadFile),
        "download_file",
        "download patterns are not modelled",
    ),
    (
        Trigger::Set(Tunable::SslSniHostname),
        "ssl_sni_hostname",
        "SNI checks are not modelled",
    ),
    (
        Trigger::TlsOn(Tunable::RequireCert),
        "require_cert",
        "client certificates are not modelled",
    ),
    (
        Trigger::TlsOn(Tunable::SslSslv2),
        "ssl_sslv3",
        "SSLv2/SSLv3 cannot be offered (rustls)",
    ),
    (
        Trigger::TlsOn(Tunable::SslSslv3),
        "ssl_sslv3",
        "SSLv2/SSLv3 cannot be offered (rustls)",
    ),
    (
        Trigger::TlsSet(Tunable::DsaCertFile),
        "dsa_cert_file",
        "DSA certificates are not supported (rustls)",
    ),
];

/// Refuses inetd mode and the first setting of [`UNSUPPORTED`] that fires.
fn check_unsupported(config: &EffectiveConfig) -> Result<(), ServeError> {
    if !config.bool(Tunable::Listen) && !config.bool(Tunable::ListenIpv6) {
        return Err(ServeError::Unsupported {
            setting: "listen",
            why: "inetd mode (listen=NO and listen_ipv6=NO) is not served; set listen=YES or listen_ipv6=YES",
        });
    }
    match UNSUPPORTED
        .iter()
        .find(|(trigger, _, _)| trigger.fires(config))
    {
        Some(&(_, setting, why)) => Err(ServeError::Unsupported { setting, why }),
        None => Ok(()),
    }
}

/// Local users (only with --users): vsftpd shows a user outside a chroot the host's paths, from the home
/// directory on; the embedded server can only show its root as `/`, which is what a chrooted user sees.
/// So local users are served only when all of them are chrooted.
fn check_local_users(config: &EffectiveConfig, options: &ServeOptions) -> Result<(), ServeError> {
    if options.users.is_none() || !config.bool(Tunable::LocalEnable) {
        return Ok(());
    }
    if config.bool(Tunable::ChrootListEnable) {
        return Err(ServeError::Unsupported {
            setting: "chroot_list_enable",
            why: "chroot lists are not modelled; set chroot_list_enable=NO and chroot_local_user=YES, or leave out --users",
        });
    }
    if !config.bool(Tunable::ChrootLocalUser) {
        return Err(ServeError::Unsupported {
            setting: "chroot_local_user",
            why: "local users outside a chroot see host paths from their home directory on; set chroot_local_user=YES (the root is then their `/`), or leave out --users",
        });
    }
    Ok(())
}

/// The ports the server uses, taken from the model and shifted by `--port-offset`.
struct Ports {
    listen: SocketAddr,
    pasv_range: PassiveRange,
    active_source_port: Option<u16>,
}

/// The model's listener, passive range and active source, shifted by `--port-offset`; `--bind` wins
/// over the config's address. Its refusals are vsftpd's own texts (`startup::listener_oops`).
fn read_ports(config: &EffectiveConfig, options: &ServeOptions) -> Result<Ports, ServeError> {
    // In inetd mode the embedded server stands in for inetd and listens as `listen=YES` would.
    let refusal = |e: ListenerError| ServeError::Oops {
        text: String::from_utf8_lossy(&listener_oops(config, &e).message).into_owned(),
    };
    let listener = config.listener().map_err(refusal)?;
    let address = match listener.mode {
        ListenMode::Inetd => config.bind_address(Family::Ipv4).map_err(refusal)?,
        _ => listener.address,
    };
    let ip: IpAddr = match (options.bind, address.ip(), listener.mode) {
        (Some(ip), _, _) => ip,
        (None, Some(ip), _) => ip,
        (None, None, ListenMode::StandaloneIpv6) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        (None, None, _) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
    };
    let offset = u32::from(options.port_offset);
    let shift = |setting: &'static str, port: u32| -> Result<u16, ServeError> {
        u16::try_from(port + offset).map_err(|_| ServeError::PortOffset {
            setting,
            port,
            offset,
        })
    };
    // vsftpd casts listen_port to 16 bits (65557 → 21).
    let listen_port = shift("listen_port", u32::from(listener.port))?;
    // The model's effective range (data-channel.md §1).
    let range = config.passive_range();
    let pasv_range = PassiveRange {
        first: shift("pasv_min_port", u32::from(range.first))?,
        last: shift("pasv_max_port", u32::from(range.last))?,
        ..range
    };
    // The model's active source (ftp_data_port cast to 16 bits).
    let active_source_port = match config.active_source() {
        ActiveSource::Port(port) => Some(shift("ftp_data_port", u32::from(port))?),
        ActiveSource::Ephemeral => None,
    };
    Ok(Ports {
        listen: SocketAddr::new(ip, listen_port),
        pasv_range,
        active_source_port,
    })
}

/// The 227 address: `pasv_address` as `inet_aton` reads it, or resolved with `pasv_addr_resolve=YES`.
fn read_pasv_address(config: &EffectiveConfig) -> Result<PasvAddress, ServeError> {
    let Some(v) = config.string(Tunable::PasvAddress) else {
        return Ok(PasvAddress::ControlLocal);
    };
    if !config.bool(Tunable::PasvAddrResolve) {
        return Ok(match inet_aton(v) {
            Some(octets) => PasvAddress::Fixed(Ipv4Addr::from(octets)),
            None => PasvAddress::Invalid,
        });
    }
    let name = String::from_utf8_lossy(v).into_owned();
    let resolved = (name.as_str(), 0).to_socket_addrs().ok().and_then(|mut a| {
        a.find_map(|s| match s.ip() {
            IpAddr::V4(ip) => Some(ip),
            IpAddr::V6(_) => None,
        })
    });
    resolved
        .map(PasvAddress::Fixed)
        .ok_or_else(|| ServeError::Oops {
            text: String::from_utf8_lossy(&crate::startup::oops::cannot_resolve(v)).into_owned(),
        })
}

/// The greeting: `banner_file` wins over `ftpd_banner`.
fn read_banner(config: &EffectiveConfig) -> Banner {
    match (
        config.string(Tunable::BannerFile),
        config.string(Tunable::FtpdBanner),
    ) {
        (Some(f), _) => Banner::File(PathBuf::from(String::from_utf8_lossy(f).into_owned())),
        (None, Some(t)) => Banner::Text(String::from_utf8_lossy(t).into_owned()),
        (None, None) => Banner::Default,
    }
}

/// The served directory: `--root`, else `anon_root`; it must exist and be a directory.
fn read_root(config: &EffectiveConfig, options: &ServeOptions) -> Result<PathBuf, ServeError> {
    let root = match (&options.root, config.string(Tunable::AnonRoot)) {
        (Some(r), _) => r.clone(),
        (None, Some(a)) => PathBuf::from(String::from_utf8_lossy(a).into_owned()),
        (None, None) => return Err(ServeError::NoRoot),
    };
    let root = std::fs::canonicalize(&root).map_err(|source| ServeError::Root {
        path: root.clone(),
        source,
    })?;
    if !root.is_dir() {
        return Err(ServeError::Root {
            path: root,
            source: std::io::Error::other("not a directory"),
        });
    }
    Ok(root)
}

/// The TLS settings (`None` unless `ssl_enable=YES`): the model's requirements and protocols, and the
/// certificate files.
fn read_ssl(config: &EffectiveConfig) -> Result<Option<SslSettings>, ServeError> {
    let required = config.tls();
    if !required.enabled() {
        return Ok(None);
    }
    let cert_file = text(config, Tunable::RsaCertFile)
        .map(PathBuf::from)
        .ok_or(ServeError::Oops {
            text: crate::startup::oops::SSL_CERT.to_owned(),
        })?;
    let key_file = text(config, Tunable::RsaPrivateKeyFile)
        .map(PathBuf::from)
        .unwrap_or_else(|| cert_file.clone());
    if !required.tls12 && !required.tls13 {
        return Err(ServeError::Unsupported {
            setting: "ssl_tlsv12",
            why: "only TLS 1.2 and 1.3 can be offered (rustls); enable ssl_tlsv12 or ssl_tlsv13",
        });
    }
    Ok(Some(SslSettings {
        cert_file,
        key_file,
        implicit: required.mode == TlsMode::Implicit,
        allow_anon_ssl: required.anon_allowed,
        force_local_logins_ssl: required.local.login,
        force_local_data_ssl: required.local.data,
        force_anon_logins_ssl: required.anon.login,
        force_anon_data_ssl: required.anon.data,
        require_ssl_reuse: config.bool(Tunable::RequireSslReuse),
        feat_auth_tls: required.feat_auth_tls,
        tls12: required.tls12,
        tls13: required.tls13,
    }))
}

/// `userlist_enable=YES`: the list's path and whether it denies (`userlist_deny`) or allows.
fn read_userlist(config: &EffectiveConfig) -> Option<(PathBuf, bool)> {
    config.bool(Tunable::UserlistEnable).then(|| {
        let path = config.string(Tunable::UserlistFile).unwrap_or(b"(null)");
        (
            PathBuf::from(String::from_utf8_lossy(path).into_owned()),
            config.bool(Tunable::UserlistDeny),
        )
    })
}

impl Behaviour {
    /// Reads the effective config and the command line. Refuses what cannot be reproduced.
    pub fn read(config: &EffectiveConfig, options: &ServeOptions) -> Result<Behaviour, ServeError> {
        check_unsupported(config)?;
        check_local_users(config, options)?;
        let dialect = config.dialect();
        let ports = read_ports(config, options)?;
        let pasv_address = read_pasv_address(config)?;
        let banner = read_banner(config);
        let root = read_root(config, options)?;
        let ssl = read_ssl(config)?;
        let timeout = |t: Tunable| match config.uint(t) {
            0 => None,
            n => Some(secs(n)),
        };
        let (bind_attempts, rhel_bind_text) = match dialect {
            Dialect::Rhel303 | Dialect::Rhel305 => (config.uint(Tunable::BindRetries).max(1), true),
            _ => (9, false),
        };
        Ok(Behaviour {
            version: dialect.version(),
            listen: ports.listen,
            banner,
            anonymous_enable: config.bool(Tunable::AnonymousEnable),
            local_enable: config.bool(Tunable::LocalEnable),
            allow_writeable_chroot: config.bool(Tunable::AllowWriteableChroot),
            no_anon_password: config.bool(Tunable::NoAnonPassword),
            ftp_username: text(config, Tunable::FtpUsername).unwrap_or_else(|| "(null)".to_owned()),
            write_enable: config.bool(Tunable::WriteEnable),
            anon_upload_enable: config.bool(Tunable::AnonUploadEnable),
            anon_mkdir_write_enable: config.bool(Tunable::AnonMkdirWriteEnable),
            anon_other_write_enable: config.bool(Tunable::AnonOtherWriteEnable),
            anon_world_readable_only: config.bool(Tunable::AnonWorldReadableOnly),
            anon_umask: config.uint(Tunable::AnonUmask) & 0o777,
            local_umask: config.uint(Tunable::LocalUmask) & 0o777,
            file_open_mode: config.uint(Tunable::FileOpenMode) & 0o7777,
            chmod_enable: config.bool(Tunable::ChmodEnable),
            dirlist_enable: config.bool(Tunable::DirlistEnable),
            userlist: read_userlist(config),
            anon_max_rate: config.uint(Tunable::AnonMaxRate),
            local_max_rate: config.uint(Tunable::LocalMaxRate),
            dir_message_file: config
                .bool(Tunable::DirmessageEnable)
                .then(|| config.string(Tunable::MessageFile))
                .flatten()
                .map(|m| String::from_utf8_lossy(m).into_owned()),
            download_enable: config.bool(Tunable::DownloadEnable),
            force_dot_files: config.bool(Tunable::ForceDotFiles),
            hide_ids: config.bool(Tunable::HideIds),
            pasv_enable: config.bool(Tunable::PasvEnable),
            pasv_range: ports.pasv_range,
            pasv_address,
            pasv_promiscuous: config.bool(Tunable::PasvPromiscuous),
            bind_attempts,
            rhel_bind_text,
            port_enable: config.bool(Tunable::PortEnable),
            port_promiscuous: config.bool(Tunable::PortPromiscuous),
            active_source_port: ports.active_source_port,
            max_clients: config.uint(Tunable::MaxClients),
            max_per_ip: config.uint(Tunable::MaxPerIp),
            max_login_fails: config.uint(Tunable::MaxLoginFails),
            delay_failed_login: secs(config.uint(Tunable::DelayFailedLogin).min(60)),
            delay_successful_login: secs(config.uint(Tunable::DelaySuccessfulLogin).min(60)),
            idle_timeout: timeout(Tunable::IdleSessionTimeout),
            data_timeout: timeout(Tunable::DataConnectionTimeout),
            accept_timeout: secs(config.uint(Tunable::AcceptTimeout)),
            connect_timeout: secs(config.uint(Tunable::ConnectTimeout)),
            ssl,
            root,
        })
    }
}
