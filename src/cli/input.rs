//! Reading config files for the subcommands: size caps, clear errors, and the dialect choice shared
//! by every command that reads a config.

use std::io::Read;
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use vsconf::dialect::Dialect;

/// The most a command that rewrites files reads. vsftpd itself reads 100,000 bytes; anything much
/// larger is not a vsftpd config.
pub const MAX_READ_BYTES: u64 = 8 * 1024 * 1024;

/// What a read-only command (lint, show, diff, firewall) reads: vsftpd's 100,000 bytes plus room for the
/// line cut by that limit. The file's full length is still known, so the model can say what is ignored,
/// and memory stays bounded whatever the file (a 100 MB file costs the same as a 256 KiB one).
pub const READ_ONLY_BYTES: u64 = 256 * 1024;

/// Room made for a file before its first read: most configs are smaller (the benchmark corpus of
/// real-world-looking configs has its 99th percentile at 4.3 KB), larger ones grow the buffer.
const FIRST_READ_BYTES: usize = 8 * 1024;

/// A config file's bytes.
#[derive(Debug)]
pub struct Loaded {
    /// The path as given (or `-` for standard input).
    pub path: String,
    /// The bytes read (at most `MAX_READ_BYTES`).
    pub bytes: Vec<u8>,
    /// The file's full length.
    pub file_len: u64,
}

impl Loaded {
    /// Whether the file was longer than what was read.
    pub fn is_partial(&self) -> bool {
        self.file_len > self.bytes.len() as u64
    }
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum InputError {
    /// Missing or unreadable.
    #[error("cannot read {path}: {source}")]
    #[diagnostic(
        code(vsconf::input::unreadable),
        help(
            "check the path and that you may read it (vsftpd configs are often root-only: try sudo)"
        )
    )]
    Unreadable {
        /// The path.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// A directory where a file was expected.
    #[error("{path} is a directory")]
    #[diagnostic(
        code(vsconf::input::directory),
        help(
            "give a config file; `vsconf lint` also accepts a directory and lints its *.conf files"
        )
    )]
    Directory {
        /// The path.
        path: String,
    },
    /// Larger than a command that rewrites files accepts.
    #[error("{path} is {len} bytes: too large to edit (vsftpd reads only the first 100000 bytes)")]
    #[diagnostic(
        code(vsconf::input::too_large),
        help("a vsftpd config is a few kilobytes; check that this is the right file")
    )]
    TooLarge {
        /// The path.
        path: String,
        /// Its length.
        len: u64,
    },
}

/// Reads at most `READ_ONLY_BYTES` of a file, or of standard input for `-`.
pub fn load(path: &Path) -> Result<Loaded, InputError> {
    load_up_to(path, READ_ONLY_BYTES)
}

fn load_up_to(path: &Path, limit: u64) -> Result<Loaded, InputError> {
    let shown = path.display().to_string();
    if shown == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(MAX_READ_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|source| InputError::Unreadable {
                path: shown.clone(),
                source,
            })?;
        let file_len = bytes.len() as u64;
        bytes.truncate(MAX_READ_BYTES as usize);
        return Ok(Loaded {
            path: shown,
            bytes,
            file_len,
        });
    }
    // Opened first and asked by descriptor: one walk of the path per file instead of two.
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(source) => {
            if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
                return Err(InputError::Directory { path: shown });
            }
            return Err(InputError::Unreadable {
                path: shown,
                source,
            });
        }
    };
    // Read without asking the size first: a config is a few kilobytes, and the `statx` was one system
    // call in five per file of a bulk lint (strace). Only a read that reaches the limit asks the file's
    // full length. A directory opens but cannot be read.
    let mut bytes = Vec::with_capacity(FIRST_READ_BYTES);
    if let Err(source) = (&file).take(limit).read_to_end(&mut bytes) {
        if source.kind() == std::io::ErrorKind::IsADirectory {
            return Err(InputError::Directory { path: shown });
        }
        return Err(InputError::Unreadable {
            path: shown,
            source,
        });
    }
    let mut file_len = bytes.len() as u64;
    if file_len >= limit {
        let metadata = file.metadata().map_err(|source| InputError::Unreadable {
            path: shown.clone(),
            source,
        })?;
        file_len = metadata.len().max(file_len);
    }
    Ok(Loaded {
        path: shown,
        bytes,
        file_len,
    })
}

/// Reads a whole file for a command that rewrites it; refuses anything over `MAX_READ_BYTES`.
pub fn load_whole(path: &Path) -> Result<Loaded, InputError> {
    let loaded = load_up_to(path, MAX_READ_BYTES)?;
    if loaded.is_partial() {
        return Err(InputError::TooLarge {
            path: loaded.path,
            len: loaded.file_len,
        });
    }
    Ok(loaded)
}

/// What `vsconf lint` walks: the files to lint, the paths that could not be read, and how many
/// directory entries were passed over.
#[derive(Debug, Default)]
pub struct Expanded {
    /// Files to read, in order: each named file as given, then each directory's `*.conf` files sorted.
    pub files: Vec<PathBuf>,
    /// Directories that could not be walked, with why, sorted (they become I/O findings, the run goes
    /// on; a file that cannot be read is in `files` and fails when read).
    pub unreadable: Vec<(PathBuf, String)>,
    /// Directory entries skipped because they cannot be a vsftpd config: not named `*.conf`, not a
    /// regular file (a FIFO would block the run, a device is no config), or under a version-control or
    /// build directory. Naming such a file explicitly lints it, as ruff does.
    pub skipped: usize,
}

/// Directories a walk never enters (the same spirit as ruff's default excludes).
const EXCLUDED_DIRS: &[&str] = &[".git", ".hg", ".svn", "node_modules", "target", ".venv"];

/// Expands directories into their `*.conf` files (sorted), keeping named paths as given. Never
/// fails: what cannot be read is listed in [`Expanded::unreadable`].
pub fn expand(paths: &[PathBuf]) -> Expanded {
    let mut out = Expanded::default();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            collect_conf(path, &mut found, &mut out, 0);
            found.sort_by(|a, b| path_order(a, b));
            out.files.extend(found);
        } else {
            out.files.push(path.clone());
        }
    }
    out.unreadable.sort();
    out
}

/// The order of `Path`'s `Ord` (component by component) for the paths of one walk, compared as bytes
/// with each separator read as the lowest byte: a component that is a prefix of another then sorts
/// first, as it does component-wise. Valid because a walk's paths share their root's spelling and
/// join names with one separator (no `.` or doubled separators after the root); five times cheaper
/// than `Path::cmp`, whose sort was 4% of a bulk lint's instructions, all on the main thread before
/// any file is read (callgrind).
fn path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    let (a, b) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    // Most paths of a walk share a long prefix: skip it as plain bytes first.
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (
        a.get(same..).unwrap_or_default(),
        b.get(same..).unwrap_or_default(),
    );
    a.iter()
        .map(|&c| separator_low(c))
        .cmp(b.iter().map(|&c| separator_low(c)))
}

/// A path byte for [`path_order`]: a separator becomes 0, the lowest byte (no path holds a NUL).
fn separator_low(c: u8) -> u8 {
    if std::path::is_separator(char::from(c)) {
        0
    } else {
        c
    }
}

fn collect_conf(dir: &Path, found: &mut Vec<PathBuf>, out: &mut Expanded, depth: u32) {
    if depth > 16 {
        out.skipped += 1;
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.unreadable.push((dir.to_path_buf(), e.to_string()));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                out.unreadable.push((dir.to_path_buf(), e.to_string()));
                continue;
            }
        };
        let path = entry.path();
        let is_conf = path.extension().is_some_and(|e| e == "conf");
        // A regular file is known from the directory entry itself: no `stat` per file (one system
        // call in six of a bulk lint, strace).
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            if is_conf {
                found.push(path);
            } else {
                out.skipped += 1;
            }
            continue;
        }
        // Follow symlinks, as reading would.
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                let excluded = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| EXCLUDED_DIRS.contains(&n));
                let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
                if excluded || is_link {
                    out.skipped += 1;
                } else {
                    collect_conf(&path, found, out, depth + 1);
                }
            }
            Ok(meta) if meta.is_file() && is_conf => found.push(path),
            Ok(_) => out.skipped += 1,
            // A dangling `*.conf` link is listed so that reading it reports the error for its path.
            Err(_) if is_conf => found.push(path),
            Err(_) => out.skipped += 1,
        }
    }
}

/// `--dialect` shared by every command that reads a config.
#[derive(Debug, Clone, clap::Args)]
pub struct DialectArg {
    /// vsftpd build to model: `auto` (the build installed on this machine; the default), `all` (lint:
    /// every build, and where they disagree), upstream-3.0.5, debian-3.0.3 (Debian 12), debian-3.0.5
    /// (Debian 13; Ubuntu 22.04/24.04, not checked), rhel-3.0.3 (RHEL 8, Fedora ≤ 36; from recorded
    /// verdicts), rhel-3.0.5 (RHEL 9: UNVERIFIED, no binary was checked), or an alias: debian-12,
    /// debian-13, ubuntu-22.04, ubuntu-24.04, rhel-8, rocky-8, alma-8, rhel-9, rocky-9, alma-9, fedora
    /// [default: vsconf.toml's `dialect`, else $VSCONF_DIALECT, else auto]
    #[arg(long, value_name = "DIALECT")]
    pub dialect: Option<TypedChoice>,
}

/// A `--dialect` value and the text typed (kept for notes on aliases).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedChoice {
    /// What it means.
    pub choice: super::dialect::DialectChoice,
    /// What was typed.
    pub typed: String,
}

impl std::str::FromStr for TypedChoice {
    type Err = vsconf::dialect::UnknownDialect;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(TypedChoice {
            choice: s.parse()?,
            typed: s.to_owned(),
        })
    }
}

impl DialectArg {
    /// The builds to model and why (`--dialect all` allowed).
    pub fn resolve(
        &self,
        settings: Option<Dialect>,
    ) -> miette::Result<super::dialect::ChosenDialect> {
        super::dialect::choose(
            self.dialect.as_ref().map(|t| (t.choice, t.typed.as_str())),
            settings,
        )
    }

    /// The one build to model, for commands that model one (`--dialect all` is refused).
    pub fn resolve_one(
        &self,
        settings: Option<Dialect>,
    ) -> miette::Result<super::dialect::ChosenDialect> {
        let chosen = self.resolve(settings)?;
        if chosen.dialects.len() > 1 {
            return Err(miette::miette!(
                help = "`--dialect all` is for `vsconf lint`; give one build here (or `auto`)",
                "this command models one vsftpd build at a time"
            ));
        }
        Ok(chosen)
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{InputError, load_up_to, path_order};

    #[test]
    fn a_walks_order_is_paths_own_order() {
        let names = [
            "a.conf", "a", "a-b.conf", "a.b", "a0", "b", "A.conf", "é.conf", "a b", "ab",
        ];
        for root in ["d", "d/", "./d", "/tmp/x.y"] {
            let mut paths: Vec<PathBuf> = Vec::new();
            for n in names {
                paths.push(Path::new(root).join(n));
                for m in names {
                    paths.push(Path::new(root).join(n).join(m));
                }
            }
            let mut by_bytes = paths.clone();
            by_bytes.sort_by(|a, b| path_order(a, b));
            paths.sort();
            assert_eq!(by_bytes, paths, "root {root}");
        }
    }

    #[test]
    fn a_file_is_read_up_to_the_limit_and_its_full_length_known() {
        let dir = std::env::temp_dir().join(format!("vsconf-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("x.conf");
        for (len, limit) in [
            (0, 10),
            (9, 10),
            (10, 10),
            (11, 10),
            (100_000, 8192),
            (20_000, 50_000),
        ] {
            std::fs::write(&file, vec![b'#'; len]).unwrap();
            let loaded = load_up_to(&file, limit).unwrap();
            assert_eq!(
                loaded.bytes.len() as u64,
                (len as u64).min(limit),
                "{len} of {limit}"
            );
            assert_eq!(loaded.file_len, len as u64, "{len} of {limit}");
            assert_eq!(loaded.is_partial(), len as u64 > limit, "{len} of {limit}");
        }
        // A directory opens but is not read: it is named as one.
        let named = load_up_to(&dir, 10);
        assert!(
            matches!(named, Err(InputError::Directory { .. })),
            "{named:?}"
        );
        let missing = load_up_to(&dir.join("missing.conf"), 10);
        assert!(
            matches!(missing, Err(InputError::Unreadable { .. })),
            "{missing:?}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
