//! The served directory: virtual paths (`/` is `--root`), confinement, and vsftpd's `ls -l` lines.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

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

/// Builds the listing for LIST (long) or NLST (names): the lines without `\r\n`. A missing path gives no
/// lines (vsftpd still answers 150/226).
pub fn listing(
    root: &Root,
    cwd: &str,
    args: &ListArgs,
    long: bool,
    style: ListStyle,
    now: SystemTime,
) -> Vec<String> {
    let target = join_virtual(cwd, args.path.as_deref().unwrap_or("."));
    let Some(host) = root.entry(&target) else {
        return Vec::new();
    };
    let Ok(meta) = std::fs::symlink_metadata(&host) else {
        return Vec::new();
    };
    let long = long || args.long;
    let is_dir = meta.is_dir()
        || (meta.file_type().is_symlink() && root.existing(&target).is_some_and(|p| p.is_dir()));
    if !is_dir {
        let shown = args.path.clone().unwrap_or_default();
        return vec![if long {
            long_line(&host, &meta, &shown, style, now)
        } else {
            shown
        }];
    }
    let Some(dir) = root.existing(&target) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut names: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| args.all || style.force_dot_files || !n.starts_with('.'))
        .collect();
    if args.all {
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
    let prefix = match (&args.path, long) {
        (Some(p), false) => format!("{}/", p.trim_end_matches('/')),
        _ => String::new(),
    };
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
        .collect()
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
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use std::time::Duration;

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
