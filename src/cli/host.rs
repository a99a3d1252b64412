//! The real machine behind `--host-checks`: files, owners, users and DNS, for `startup::host::Host`.

use std::net::ToSocketAddrs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use vsconf::startup::host::Host;

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

    fn resolves(&self, name: &[u8]) -> bool {
        std::str::from_utf8(name).is_ok_and(|n| {
            (n, 0u16)
                .to_socket_addrs()
                .is_ok_and(|mut a| a.next().is_some())
        })
    }
}
