//! The real machine behind `--host-checks`: files, owners, users and DNS, for `startup::host::Host`.

use std::net::ToSocketAddrs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use vsconf::startup::host::{FileRead, Host, PathMeta, UserEntry};

/// The local machine, for the config file at `config`.
pub struct SystemHost {
    /// The config file under test.
    pub config: PathBuf,
}

fn path(bytes: &[u8]) -> &Path {
    Path::new(std::ffi::OsStr::from_bytes(bytes))
}

impl Host for SystemHost {
    fn config_file(&self) -> Option<(u32, bool)> {
        std::fs::metadata(&self.config)
            .ok()
            .map(|m| (m.uid(), m.is_file()))
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

    /// A permission error means "vsftpd may read it, vsconf may not" unless vsconf runs as root (the
    /// owner of `/proc/self` is the effective uid), where it is a refusal for vsftpd too.
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
                let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
                if root {
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
        let Ok(passwd) = std::fs::read("/etc/passwd") else {
            return false;
        };
        passwd
            .split(|b| *b == b'\n')
            .any(|line| line.split(|b| *b == b':').next() == Some(name))
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
        let passwd = std::fs::read("/etc/passwd").ok()?;
        passwd.split(|b| *b == b'\n').find_map(|line| {
            let fields: Vec<&[u8]> = line.split(|b| *b == b':').collect();
            let number = |i: usize| {
                fields
                    .get(i)
                    .and_then(|f| std::str::from_utf8(f).ok())
                    .and_then(|f| f.parse::<u32>().ok())
            };
            (fields.first() == Some(&name)).then_some(())?;
            Some(UserEntry {
                uid: number(2)?,
                gid: number(3)?,
                home: fields.get(5)?.to_vec(),
            })
        })
    }

    fn now_unix_seconds(&self) -> Option<i64> {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_secs()).ok())
    }

    /// vsftpd resolves `pasv_address` for IPv4 only (debian-3.0.3 binary: `pasv_address=::1` gives
    /// `cannot resolve host:::1`), so only an IPv4 answer counts.
    fn resolves(&self, name: &[u8]) -> bool {
        std::str::from_utf8(name).is_ok_and(|n| {
            (n, 0u16)
                .to_socket_addrs()
                .is_ok_and(|mut a| a.any(|addr| addr.is_ipv4()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_owner_mode_and_users_from_the_machine() {
        let host = SystemHost {
            config: PathBuf::from("/"),
        };
        let root = host.metadata(b"/").expect("/ exists");
        assert!(root.is_dir);
        assert_eq!(host.metadata(b"/nonexistent/vsconf"), None);
        let user = host.user(b"root").expect("root is in /etc/passwd");
        assert_eq!((user.uid, user.gid), (0, 0));
        assert_eq!(host.user(b"no-such-user-vsconf"), None);
    }
}
