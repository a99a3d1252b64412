//! The users file for local logins: `name:password` or `name:password:uid:gid` per line. Lines starting
//! with `#` and blank lines are ignored. Without ids the password is everything after the first `:` (it
//! may contain `:`) and the user acts with the server process's own file permissions; with ids (the last
//! two fields, both decimal) the user acts as that uid and gid, as vsftpd's session would: Unix
//! permission bits decide reads, writes and directory changes, and files the user creates are given to
//! that uid/gid when the server runs as root. The host's password database is never consulted.

use std::path::Path;

use super::ServeError;

/// The most a users file may hold.
const MAX_USERS_FILE_BYTES: u64 = 1024 * 1024;

/// Local users known to the embedded server.
#[derive(Debug, Clone, Default)]
pub struct Users {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    name: Vec<u8>,
    password: Vec<u8>,
    ids: Option<(u32, u32)>,
}

/// `…:uid:gid` at the end of a line: the password before it and the two ids.
fn split_ids(rest: &[u8]) -> Option<(&[u8], u32, u32)> {
    let mut parts = rest.rsplitn(3, |&b| b == b':');
    let gid = parts.next()?;
    let uid = parts.next()?;
    let password = parts.next()?;
    let number = |b: &[u8]| {
        (!b.is_empty() && b.iter().all(u8::is_ascii_digit))
            .then(|| std::str::from_utf8(b).ok()?.parse::<u32>().ok())
            .flatten()
    };
    Some((password, number(uid)?, number(gid)?))
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
                let name = l.get(..i)?.to_vec();
                let rest = l.get(i + 1..)?;
                Some(match split_ids(rest) {
                    Some((password, uid, gid)) => Entry {
                        name,
                        password: password.to_vec(),
                        ids: Some((uid, gid)),
                    },
                    None => Entry {
                        name,
                        password: rest.to_vec(),
                        ids: None,
                    },
                })
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
        self.login(name, password).is_some()
    }

    /// A valid login's uid and gid (`Some(None)`: a user without ids).
    pub fn login(&self, name: &[u8], password: &[u8]) -> Option<Option<(u32, u32)>> {
        self.entries
            .iter()
            .find(|e| e.name == name && e.password == password)
            .map(|e| e.ids)
    }
}

#[cfg(test)]
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

    #[test]
    fn users_with_ids() {
        let u = Users::parse(b"bob:secret:2001:2002\ncarol:a:b:7\n");
        assert_eq!(u.login(b"bob", b"secret"), Some(Some((2001, 2002))));
        // Not two numbers at the end: all of it is the password.
        assert_eq!(u.login(b"carol", b"a:b:7"), Some(None));
    }
}
