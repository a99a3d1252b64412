//! The real machine behind `lint --host-checks` and `verify`: files, owners, users and DNS, for
//! `startup::host::Host`, and the one answer to "does vsconf run as root".

use std::net::{IpAddr, Ipv4Addr, ToSocketAddrs};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use vsconf::startup::host::{FileRead, Host, PathMeta, UserEntry};

/// The local machine.
pub struct SystemHost {
    config: ConfigFile,
}

/// Which config file vsftpd will read.
enum ConfigFile {
    /// The file under test, with its owner as it is.
    At(PathBuf),
    /// vsconf's own root-owned copy (`verify` runs vsftpd on one).
    OwnCopy,
}

impl SystemHost {
    /// The machine, for the config file at `path`.
    pub fn new(path: PathBuf) -> SystemHost {
        SystemHost {
            config: ConfigFile::At(path),
        }
    }

    /// The machine, for a config file vsconf copied and owns as root.
    pub fn own_copy() -> SystemHost {
        SystemHost {
            config: ConfigFile::OwnCopy,
        }
    }
}

/// Whether vsconf runs with effective uid 0 (what vsftpd, `ip netns` and `nft` need).
pub fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// A user as the C library's name service sees it (`getpwnam`: /etc/passwd, LDAP, sssd — whatever
/// nsswitch.conf names), which is how vsftpd looks users up. Names that are not UTF-8 are not found.
pub fn user_entry(name: &[u8]) -> Option<UserEntry> {
    let name = std::str::from_utf8(name).ok()?;
    let user = nix::unistd::User::from_name(name).ok()??;
    Some(UserEntry {
        uid: user.uid.as_raw(),
        gid: user.gid.as_raw(),
        home: user.dir.into_os_string().into_vec(),
    })
}

/// The first IPv4 address a name resolves to: vsftpd resolves `pasv_address` for IPv4 only
/// (debian-3.0.3 binary: `pasv_address=::1` gives `cannot resolve host:::1`).
pub fn resolve_v4(name: &[u8]) -> Option<Ipv4Addr> {
    let name = std::str::from_utf8(name).ok()?;
    (name, 0u16)
        .to_socket_addrs()
        .ok()?
        .find_map(|a| match a.ip() {
            IpAddr::V4(v4) => Some(v4),
            IpAddr::V6(_) => None,
        })
}

fn path(bytes: &[u8]) -> &Path {
    Path::new(std::ffi::OsStr::from_bytes(bytes))
}

impl Host for SystemHost {
    fn config_file(&self) -> Option<(u32, bool)> {
        match &self.config {
            ConfigFile::At(path) => std::fs::metadata(path).ok().map(|m| (m.uid(), m.is_file())),
            ConfigFile::OwnCopy => Some((0, true)),
        }
    }

    fn read(&self, p: &[u8]) -> Option<Vec<u8>> {
        use std::io::Read;
        let mut out = Vec::new();
        std::fs::File::open(path(p))
            .ok()?
            .take(1 << 20)
            .read_to_end(&mut out)
            .ok()?;
        Some(out)
    }

    /// A permission error means "vsftpd may read it, vsconf may not" unless vsconf runs as root, where it is a refusal for vsftpd too.
    fn read_as_root(&self, p: &[u8]) -> FileRead {
        use std::io::{ErrorKind, Read};
        let opened = std::fs::File::open(path(p)).and_then(|file| {
            let mut out = Vec::new();
            file.take(1 << 20).read_to_end(&mut out)?;
            Ok(out)
        });
        match opened {
            Ok(bytes) => FileRead::Bytes(bytes),
            Err(e) if e.kind() == ErrorKind::PermissionDenied => {
                if is_root() {
                    FileRead::Missing
                } else {
                    FileRead::DeniedToVsconf
                }
            }
            Err(_) => FileRead::Missing,
        }
    }

    fn is_dir(&self, p: &[u8]) -> bool {
        path(p).is_dir()
    }

    fn user_exists(&self, name: &[u8]) -> bool {
        user_entry(name).is_some()
    }

    fn metadata(&self, p: &[u8]) -> Option<PathMeta> {
        let m = std::fs::metadata(path(p)).ok()?;
        Some(PathMeta {
            uid: m.uid(),
            gid: m.gid(),
            mode: m.mode() & 0o7777,
            is_dir: m.is_dir(),
        })
    }

    fn user(&self, name: &[u8]) -> Option<UserEntry> {
        user_entry(name)
    }

    fn now_unix_seconds(&self) -> Option<i64> {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_secs()).ok())
    }

    fn resolves(&self, name: &[u8]) -> bool {
        resolve_v4(name).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_owner_mode_and_users_from_the_machine() {
        let host = SystemHost::new(PathBuf::from("/"));
        let root = host.metadata(b"/").expect("/ exists");
        assert!(root.is_dir);
        assert_eq!(host.metadata(b"/nonexistent/vsconf"), None);
        let user = host.user(b"root").expect("root is in /etc/passwd");
        assert_eq!((user.uid, user.gid), (0, 0));
        assert_eq!(host.user(b"no-such-user-vsconf"), None);
    }
}
