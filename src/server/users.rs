//! The users file for local logins: `name:password` per line. Lines starting with `#` and blank lines are
//! ignored; the password is everything after the first `:` (it may contain `:`). The host's password
//! database is never consulted.

use std::path::Path;

use super::ServeError;

/// The most a users file may hold.
const MAX_USERS_FILE_BYTES: u64 = 1024 * 1024;

/// Local users known to the embedded server.
#[derive(Debug, Clone, Default)]
pub struct Users {
    entries: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Users {
    /// Parses a users file's bytes.
    pub fn parse(bytes: &[u8]) -> Users {
        let entries = bytes
            .split(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .filter(|l| !l.is_empty() && !l.starts_with(b"#"))
            .filter_map(|l| {
                let i = l.iter().position(|&b| b == b':')?;
                Some((l.get(..i)?.to_vec(), l.get(i + 1..)?.to_vec()))
            })
            .collect();
        Users { entries }
    }

    /// Reads a users file (at most 1 MiB).
    pub fn load(path: &Path) -> Result<Users, ServeError> {
        use std::io::Read;
        let err = |source| ServeError::Users {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::open(path).map_err(err)?;
        let mut bytes = Vec::new();
        file.take(MAX_USERS_FILE_BYTES)
            .read_to_end(&mut bytes)
            .map_err(err)?;
        Ok(Users::parse(&bytes))
    }

    /// Whether `name` with `password` is a valid login.
    pub fn check(&self, name: &[u8], password: &[u8]) -> bool {
        self.entries.iter().any(|(n, p)| n == name && p == password)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn users_file_lines() {
        let u = Users::parse(b"# test users\nalice:secret\r\n\nbob:a:b\nnocolon\n");
        assert!(u.check(b"alice", b"secret"));
        assert!(u.check(b"bob", b"a:b"));
        assert!(!u.check(b"alice", b"wrong"));
        assert!(!u.check(b"nocolon", b""));
    }
}
