//! The served directory: virtual paths (`/` is `--root`), confinement, vsftpd's `ls -l` lines, and the
//! permission checks the kernel makes for the user vsftpd runs a session as ([`Access`]).
//!
//! Everything here is blocking file-system work: sessions call it through `spawn_blocking`.

use std::collections::HashSet;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// Whom a session acts as on the file system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// vsftpd runs anonymous sessions as the ftp user, who owns nothing served except what anonymous
    /// sessions created: the "other" bits decide, or the owner bits on those entries.
    Anonymous,
    /// A local user with ids from the users file: owner, group or other bits, as the kernel decides
    /// (uid 0 may do anything).
    User {
        /// The user's uid.
        uid: u32,
        /// The user's primary gid.
        gid: u32,
    },
    /// No login yet, or a local user without ids: the server's own rights.
    Server,
}

/// The permission checks of one identity under one root.
pub struct Access<'a> {
    /// Who asks.
    pub who: Identity,
    /// The served directory (vsftpd's chroot).
    pub root: &'a Path,
    /// Entries anonymous sessions created (device, inode).
    pub anon_owned: &'a Mutex<HashSet<(u64, u64)>>,
}

impl Access<'_> {
    /// Whether the identity may `want` (4 read, 2 write, 1 search/execute, or a sum) on an entry.
    pub fn permits(&self, meta: &std::fs::Metadata, want: u32) -> bool {
        let mode = meta.permissions().mode();
        let bits = match self.who {
            Identity::Anonymous => {
                let owned = self
                    .anon_owned
                    .lock()
                    .is_ok_and(|set| set.contains(&(meta.dev(), meta.ino())));
                if owned { (mode >> 6) & 0o7 } else { mode & 0o7 }
            }
            Identity::User { uid: 0, .. } | Identity::Server => return true,
            Identity::User { uid, gid } => {
                if meta.uid() == uid {
                    (mode >> 6) & 0o7
                } else if meta.gid() == gid {
                    (mode >> 3) & 0o7
                } else {
                    mode & 0o7
                }
            }
        };
        bits & want == want
    }

    /// Whether the identity may reach `host`: search permission on every directory from the root down
    /// to its parent (debian-3.0.3 binary: a file in a 0700 directory of another owner is
    /// `550 Failed to open file.`).
    pub fn reachable(&self, host: &Path) -> bool {
        host.ancestors()
            .skip(1)
            .take_while(|dir| dir.starts_with(self.root))
            .all(|dir| std::fs::metadata(dir).is_ok_and(|m| self.permits(&m, 0o1)))
    }

    /// Whether an entry may be created, removed or renamed at `host`: write and search permission on
    /// its directory, and search permission on the directories above.
    pub fn may_write_in(&self, host: &Path) -> bool {
        self.reachable(host)
            && host
                .parent()
                .and_then(|p| std::fs::metadata(p).ok())
                .is_some_and(|m| self.permits(&m, 0o3))
    }

    /// Whether chmod(2) is allowed on `host`: the owner or root.
    pub fn may_chmod(&self, host: &Path) -> bool {
        match self.who {
            Identity::User { uid, .. } if uid != 0 => {
                std::fs::symlink_metadata(host).is_ok_and(|m| m.uid() == uid)
            }
            _ => true,
        }
    }

    /// Gives a new file or directory to the identity that created it: a local user with ids gets it by
    /// chown (only possible when running as root); for anonymous sessions it is remembered as the ftp
    /// user's.
    pub fn give_to_user(&self, host: &Path) {
        match self.who {
            Identity::User { uid, gid } => {
                let _ = std::os::unix::fs::chown(host, Some(uid), Some(gid));
            }
            Identity::Anonymous => {
                if let (Ok(meta), Ok(mut set)) =
                    (std::fs::symlink_metadata(host), self.anon_owned.lock())
                {
                    set.insert((meta.dev(), meta.ino()));
                }
            }
            Identity::Server => {}
        }
    }
}

/// Whether a user may write the chroot root, which vsftpd refuses at login unless
/// `allow_writeable_chroot=YES` (startup-checks.md, Phase C): by owner, group or other bits for a user
/// with ids, by the "other" bits for the ftp user and for local users without ids.
pub fn root_writable(root: &Path, ids: Option<(u32, u32)>) -> bool {
    std::fs::metadata(root).is_ok_and(|m| {
        let mode = m.permissions().mode();
        match ids {
            Some((uid, gid)) => {
                uid == 0
                    || (m.uid() == uid && mode & 0o200 != 0)
                    || (m.uid() != uid && m.gid() == gid && mode & 0o020 != 0)
                    || (m.uid() != uid && m.gid() != gid && mode & 0o002 != 0)
            }
            None => mode & 0o002 != 0,
        }
    })
}

/// Reads at most `max_bytes` of a file.
pub fn read_capped(path: &Path, max_bytes: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(max_bytes)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

/// The served directory (canonical).
#[derive(Debug, Clone)]
pub struct Root {
    dir: PathBuf,
}

/// Joins a virtual directory and a client path into a normalised virtual path: `.` dropped, `..` pops
/// (never above `/`), repeated slashes collapsed.
pub fn join_virtual(cwd: &str, arg: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let start = if arg.starts_with('/') { "" } else { cwd };
    for piece in start.split('/').chain(arg.split('/')) {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

impl Root {
    /// A root at an already canonical directory.
    pub fn new(dir: PathBuf) -> Root {
        Root { dir }
    }

    /// The host path for a virtual path, without checking links.
    fn host(&self, virtual_path: &str) -> PathBuf {
        let rel = virtual_path.trim_start_matches('/');
        if rel.is_empty() {
            self.dir.clone()
        } else {
            self.dir.join(rel)
        }
    }

    /// The host path of an existing entry, following links, only if it stays inside the root.
    pub fn existing(&self, virtual_path: &str) -> Option<PathBuf> {
        let path = std::fs::canonicalize(self.host(virtual_path)).ok()?;
        path.starts_with(&self.dir).then_some(path)
    }

    /// The host path of an entry, not following a final link, whose parent lies inside the root. Used
    /// for listing links, creating, deleting and renaming.
    pub fn entry(&self, virtual_path: &str) -> Option<PathBuf> {
        if virtual_path == "/" {
            return Some(self.dir.clone());
        }
        let host = self.host(virtual_path);
        let name = host.file_name()?.to_owned();
        let parent = std::fs::canonicalize(host.parent()?).ok()?;
        parent.starts_with(&self.dir).then(|| parent.join(name))
    }
}

/// Options of LIST/NLST that vsftpd honours (`-a`, `-l`, `-r`), and the path after them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListArgs {
    pub all: bool,
    pub long: bool,
    pub reverse: bool,
    pub path: Option<String>,
}

/// Splits a LIST/NLST argument: a leading `-opts` word, then the path.
pub fn list_args(arg: &str) -> ListArgs {
    let mut out = ListArgs::default();
    let rest = if let Some(opts) = arg.strip_prefix('-') {
        let (opts, rest) = opts.split_once(' ').unwrap_or((opts, ""));
        out.all = opts.contains('a');
        out.long = opts.contains('l');
        out.reverse = opts.contains('r');
        rest
    } else {
        arg
    };
    if !rest.is_empty() {
        out.path = Some(rest.to_owned());
    }
    out
}

/// How listing lines show owners.
#[derive(Debug, Clone, Copy)]
pub struct ListStyle {
    pub hide_ids: bool,
    pub force_dot_files: bool,
}

/// Builds the listing for LIST (long) or NLST (names): the lines without `\r\n`, or `None` when the
/// directory is missing or `may_open` refuses it (vsftpd: `226 Transfer done (but failed to open directory).`).
///
/// As in vsftpd, a path that is not a directory is split at its last `/`: the part before names the
/// directory, the last part is a filter pattern (`*`, `?`, `{a,b}`) over its entries (see
/// [`passes_filter`]). A missing file in an existing directory therefore lists nothing, and answers
/// `226 Directory send OK.`.
pub fn listing(
    root: &Root,
    cwd: &str,
    args: &ListArgs,
    long: bool,
    style: ListStyle,
    now: SystemTime,
    may_open: &dyn Fn(&std::fs::Metadata) -> bool,
) -> Option<Vec<String>> {
    let path = args.path.clone().unwrap_or_default();
    let target = join_virtual(cwd, if path.is_empty() { "." } else { &path });
    let long = long || args.long;
    // debian-3.0.3 binary: a directory the user cannot open is treated like a file, as a pattern over
    // its parent (`LIST private` on a 0700 directory lists its own entry, `226 Directory send OK.`).
    let is_dir = root
        .existing(&target)
        .is_some_and(|p| std::fs::metadata(p).is_ok_and(|m| m.is_dir() && may_open(&m)));
    let (dir_virtual, filter, prefix) = if is_dir {
        let prefix = if path.is_empty() || long {
            String::new()
        } else {
            format!("{}/", path.trim_end_matches('/'))
        };
        (target, None, prefix)
    } else {
        let (dir_part, pattern) = path.rsplit_once('/').unwrap_or(("", path.as_str()));
        let dir_virtual = match (dir_part.is_empty(), path.starts_with('/')) {
            (true, true) => "/".to_owned(),
            (true, false) => join_virtual(cwd, "."),
            (false, _) => join_virtual(cwd, dir_part),
        };
        let prefix = if long || (dir_part.is_empty() && !path.starts_with('/')) {
            String::new()
        } else {
            format!("{dir_part}/")
        };
        (dir_virtual, Some(pattern.to_owned()), prefix)
    };
    // `may_open`: the user's read and search permission on the directory (vsftpd opens it as the user).
    let dir = root
        .existing(&dir_virtual)
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_dir() && may_open(&m)))?;
    let entries = std::fs::read_dir(&dir).ok()?;
    let mut names: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        // debian-3.0.3 binary: `NLST .hidden` lists the dot file, `NLST *` does not.
        .filter(|(n, _)| {
            args.all
                || style.force_dot_files
                || !n.starts_with('.')
                || filter.as_deref().is_some_and(|f| f.starts_with('.'))
        })
        .filter(|(n, p)| {
            filter
                .as_deref()
                .is_none_or(|f| passes_filter(&filter_name(n, p), f))
        })
        .collect();
    if args.all && filter.is_none() {
        names.push((".".to_owned(), dir.clone()));
        // The root's `..` is the root itself, as inside vsftpd's chroot.
        let parent = if dir == root.dir {
            dir.clone()
        } else {
            dir.parent().map_or_else(|| dir.clone(), Path::to_path_buf)
        };
        names.push(("..".to_owned(), parent));
    }
    names.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    if args.reverse {
        names.reverse();
    }
    Some(
        names
            .into_iter()
            .filter_map(|(name, path)| {
                if long {
                    let meta = std::fs::symlink_metadata(&path).ok()?;
                    Some(long_line(&path, &meta, &name, style, now))
                } else {
                    Some(format!("{prefix}{name}"))
                }
            })
            .collect(),
    )
}

/// The name a filter pattern is matched against. debian-3.0.3 binary: a symbolic link whose target
/// exists is matched by the last component of its target, not by its own name (`NLST file.txt` lists
/// `file.txt` and `link -> file.txt`; `NLST link` lists nothing; `NLST new.txt` lists
/// `link2 -> sub/new.txt`); a dangling link is matched by its own name.
fn filter_name(name: &str, path: &Path) -> String {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link && std::fs::metadata(path).is_ok() {
        if let Ok(target) = std::fs::read_link(path) {
            if let Some(last) = target.file_name() {
                return last.to_string_lossy().into_owned();
            }
        }
    }
    name.to_owned()
}

/// The most steps a filter match may take (vsftpd gives up after 1000 as well).
const MAX_FILTER_STEPS: u32 = 1000;

/// vsftpd's own listing pattern match: `*` any run, `?` one character, `{a,b}` alternatives; literal
/// text must match at the current position, except right after a `*` where it may come anywhere;
/// text left over after the pattern fails the match unless the pattern ended in `*`.
pub fn passes_filter(name: &str, filter: &str) -> bool {
    let mut steps = 0;
    filter_from(name.as_bytes(), filter.as_bytes(), &mut steps)
}

fn filter_from(name: &[u8], filter: &[u8], steps: &mut u32) -> bool {
    let mut rest_filter = filter;
    let mut rest_name = name;
    let mut anchored = true;
    let mut last: u8 = 0;
    while !rest_filter.is_empty() && *steps < MAX_FILTER_STEPS {
        *steps += 1;
        let (needed, token, after) = match rest_filter
            .iter()
            .position(|b| matches!(b, b'*' | b'?' | b'{'))
        {
            Some(i) => {
                let (left, right) = rest_filter.split_at(i);
                let (tok, after) = right.split_first().map_or((0, right), |(t, a)| (*t, a));
                (left, tok, after)
            }
            None => (rest_filter, 0, &[][..]),
        };
        rest_filter = after;
        last = token;
        if !needed.is_empty() {
            let Some(at) = rest_name.windows(needed.len()).position(|w| w == needed) else {
                return false;
            };
            if anchored && at > 0 {
                return false;
            }
            rest_name = rest_name.get(at + needed.len()..).unwrap_or(&[]);
        }
        match token {
            b'*' => anchored = false,
            b'?' => {
                let Some((_, tail)) = rest_name.split_first() else {
                    return false;
                };
                rest_name = tail;
                anchored = true;
            }
            b'{' => {
                anchored = true;
                let Some(close) = rest_filter.iter().position(|b| *b == b'}') else {
                    // No closing brace: a literal `{`.
                    let Some((b'{', tail)) = rest_name.split_first() else {
                        return false;
                    };
                    rest_name = tail;
                    continue;
                };
                let (list, tail) = rest_filter.split_at(close);
                let tail = tail.get(1..).unwrap_or(&[]);
                for alternative in list.split(|b| *b == b',') {
                    let mut next = alternative.to_vec();
                    next.extend_from_slice(tail);
                    if filter_from(rest_name, &next, steps) {
                        return true;
                    }
                }
                return false;
            }
            _ => {}
        }
    }
    rest_name.is_empty() || last == b'*'
}

/// One `ls -l` line as vsftpd writes it:
/// `-rw-r--r--    1 0        0               6 Nov 24 14:02 file.txt`.
pub fn long_line(
    path: &Path,
    meta: &std::fs::Metadata,
    name: &str,
    style: ListStyle,
    now: SystemTime,
) -> String {
    let (owner, group) = if style.hide_ids {
        ("ftp".to_owned(), "ftp".to_owned())
    } else {
        (meta.uid().to_string(), meta.gid().to_string())
    };
    let mut shown = name.to_owned();
    if meta.file_type().is_symlink() {
        if let Ok(target) = std::fs::read_link(path) {
            shown = format!("{name} -> {}", target.to_string_lossy());
        }
    }
    format!(
        "{} {:>4} {:<8} {:<8} {:>8} {} {}",
        perms(meta),
        meta.nlink(),
        owner,
        group,
        meta.size(),
        list_date(meta.mtime(), now),
        shown
    )
}

fn perms(meta: &std::fs::Metadata) -> String {
    use std::os::unix::fs::FileTypeExt;
    let ft = meta.file_type();
    let kind = if ft.is_dir() {
        'd'
    } else if ft.is_symlink() {
        'l'
    } else if ft.is_char_device() {
        'c'
    } else if ft.is_block_device() {
        'b'
    } else if ft.is_fifo() {
        'p'
    } else if ft.is_socket() {
        's'
    } else {
        '-'
    };
    let mode = meta.permissions().mode();
    let bit = |m: u32, c: char| if mode & m != 0 { c } else { '-' };
    let special = |x: u32, s: u32, on: char, off: char| match (mode & x != 0, mode & s != 0) {
        (true, true) => on,
        (false, true) => off,
        (true, false) => 'x',
        (false, false) => '-',
    };
    [
        kind,
        bit(0o400, 'r'),
        bit(0o200, 'w'),
        special(0o100, 0o4000, 's', 'S'),
        bit(0o040, 'r'),
        bit(0o020, 'w'),
        special(0o010, 0o2000, 's', 'S'),
        bit(0o004, 'r'),
        bit(0o002, 'w'),
        special(0o001, 0o1000, 't', 'T'),
    ]
    .iter()
    .collect()
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Civil date (year, month 1–12, day) of a day count since 1970-01-01.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// GMT broken-down time of a Unix timestamp.
pub fn gmtime(t: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    let hh = u32::try_from(secs / 3600).unwrap_or(0);
    let mm = u32::try_from(secs % 3600 / 60).unwrap_or(0);
    let ss = u32::try_from(secs % 60).unwrap_or(0);
    (y, m, d, hh, mm, ss)
}

/// vsftpd's listing date, in GMT: `%b %d %H:%M`, or `%b %d  %Y` when the time is in the future or more
/// than 182 days old (debian-3.0.3 binary: `Mar 07  2020`, `Nov 04 09:05`; the day is zero-padded).
pub fn list_date(mtime: i64, now: SystemTime) -> String {
    let now = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let (y, m, d, hh, mm, _) = gmtime(mtime);
    let month = MONTHS
        .get(usize::try_from(m).unwrap_or(1).saturating_sub(1))
        .copied()
        .unwrap_or("Jan");
    if mtime > now || now.saturating_sub(mtime) > 60 * 60 * 24 * 182 {
        format!("{month} {d:02}  {y}")
    } else {
        format!("{month} {d:02} {hh:02}:{mm:02}")
    }
}

/// MDTM's `YYYYMMDDHHMMSS` in GMT.
pub fn mdtm(mtime: i64) -> String {
    let (y, m, d, hh, mm, ss) = gmtime(mtime);
    format!("{y:04}{m:02}{d:02}{hh:02}{mm:02}{ss:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn filters_match_as_vsftpd_does() {
        // Each expectation was observed with the debian-3.0.3 binary (NLST PATTERN).
        assert!(passes_filter("file.txt", "file.txt"));
        assert!(!passes_filter("file.txt", "ile.txt"));
        assert!(!passes_filter("file.txt", "f"));
        assert!(passes_filter("file.txt", "?ile.txt"));
        assert!(passes_filter("file.txt", "*.txt"));
        assert!(passes_filter("old.txt", "{file,old}.txt"));
        assert!(!passes_filter("sub", "*new*"));
        assert!(passes_filter("new.txt", "*new*"));
        assert!(passes_filter("anything", "*"));
        assert!(!passes_filter("", "?"));
        // Pathological patterns end within the step cap.
        assert!(!passes_filter(
            &"a".repeat(5000),
            &"*a".repeat(2000).replace("*a*a", "*{a,b}")
        ));
    }

    #[test]
    fn virtual_paths_never_climb_above_root() {
        assert_eq!(join_virtual("/", "../../etc"), "/etc");
        assert_eq!(join_virtual("/a/b", ".."), "/a");
        assert_eq!(join_virtual("/a", "/x//y/./z"), "/x/y/z");
        assert_eq!(join_virtual("/", ""), "/");
    }

    #[test]
    fn list_dates_follow_the_six_month_rule() {
        let now = UNIX_EPOCH + Duration::from_secs(1_795_528_800); // 2026-11-24 14:00 UTC
        assert_eq!(list_date(1_583_575_200, now), "Mar 07  2020");
        assert_eq!(list_date(1_793_783_100, now), "Nov 04 09:05");
        assert_eq!(list_date(1_795_528_800 + 100, now), "Nov 24  2026");
        assert_eq!(mdtm(1_583_575_200), "20200307100000");
    }

    #[test]
    fn list_args_split_options_and_path() {
        assert_eq!(
            list_args("-la sub"),
            ListArgs {
                all: true,
                long: true,
                reverse: false,
                path: Some("sub".into())
            }
        );
        assert_eq!(
            list_args("sub"),
            ListArgs {
                path: Some("sub".into()),
                ..ListArgs::default()
            }
        );
        assert_eq!(
            list_args("-a"),
            ListArgs {
                all: true,
                ..ListArgs::default()
            }
        );
    }
}
