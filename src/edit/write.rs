//! Atomic replacement of a config file: a temporary file in the same directory, the original's owner
//! and mode, `fsync`, `rename`, `fsync` of the directory. On any error the temporary file is removed
//! and the original is left byte-identical.
//!
//! Owner and mode matter: vsftpd refuses a config file not owned by the uid that runs it
//! (`500 OOPS: config file not owned by correct user, or not a file`, parsing.md §4), so a file
//! rewritten by a user other than root must keep root as owner. When the owner cannot be kept the write
//! fails instead of producing a file vsftpd would refuse.
//!
//! A symlink is followed: the file it points to is replaced and the link stays a link (vsftpd follows
//! it too).

use std::fs::{File, OpenOptions, Permissions};
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Why a file could not be written. The original file is unchanged in every case.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum WriteError {
    /// The target exists but is not a regular file.
    #[error("{path} is not a regular file")]
    #[diagnostic(
        code(vsconf::edit::not_a_file),
        help("vsftpd reads only regular files: give the path of the config file itself")
    )]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// The target's metadata could not be read.
    #[error("cannot inspect {path}: {source}")]
    #[diagnostic(
        code(vsconf::edit::inspect),
        help("check the path and that you may read it")
    )]
    Inspect {
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The temporary file could not be created next to the target.
    #[error("cannot create a temporary file in {dir}: {source}")]
    #[diagnostic(
        code(vsconf::edit::temp_file),
        help(
            "vsconf writes a new file next to the config and renames it over the old one: the directory must be writable (run as root for /etc)"
        )
    )]
    TempFile {
        /// The directory.
        dir: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Writing or syncing the temporary file failed (a full disk, a quota, an I/O error).
    #[error("cannot write {path}: {source}")]
    #[diagnostic(
        code(vsconf::edit::write),
        help(
            "free some space or fix the file system, then run the command again; the original file is unchanged"
        )
    )]
    Write {
        /// The temporary file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The original owner could not be given to the new file.
    #[error("cannot give {path} its owner uid {uid} gid {gid}: {source}")]
    #[diagnostic(
        code(vsconf::edit::not_owned),
        help(
            "vsftpd refuses a config file it does not own (\"config file not owned by correct user\"): run vsconf as root to keep the owner"
        )
    )]
    Owner {
        /// The target.
        path: PathBuf,
        /// The owner to keep.
        uid: u32,
        /// The group to keep.
        gid: u32,
        /// The OS error.
        source: std::io::Error,
    },
    /// The original mode could not be given to the new file.
    #[error("cannot set the mode of {path}: {source}")]
    #[diagnostic(
        code(vsconf::edit::mode),
        help("check the file system supports Unix permissions")
    )]
    Mode {
        /// The temporary file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The final rename failed.
    #[error("cannot replace {path}: {source}")]
    #[diagnostic(
        code(vsconf::edit::rename),
        help(
            "the original file is unchanged; check the directory is writable and on one file system"
        )
    )]
    Rename {
        /// The target.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Someone changed the file between reading and writing.
    #[error("{path} changed while vsconf was preparing the edit")]
    #[diagnostic(
        code(vsconf::edit::changed),
        help("nothing was written: run the command again to edit the new version")
    )]
    Changed {
        /// The target.
        path: PathBuf,
    },
    /// The target is read-only (no write bit for anyone): someone protected it on purpose.
    #[error("{path} is read-only (mode {mode:04o})")]
    #[diagnostic(
        code(vsconf::edit::read_only),
        help(
            "nothing was written; the missing write bits usually mean the file is managed elsewhere (configuration management, a package). Pass --force to replace it anyway; the new file keeps mode {mode:04o}"
        )
    )]
    ReadOnly {
        /// The target.
        path: PathBuf,
        /// Its mode.
        mode: u32,
    },
    /// The backup copy could not be written.
    #[error("cannot keep a backup at {path}: {source}")]
    #[diagnostic(
        code(vsconf::edit::backup),
        help("the original file is unchanged; fix the problem or run without --backup")
    )]
    Backup {
        /// The backup path.
        path: PathBuf,
        /// What went wrong.
        source: Box<WriteError>,
    },
}

/// A step of [`write_atomic`] at which a test makes the write fail, to check that the original stays
/// intact. Not for production use.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Creating the temporary file fails (a read-only directory).
    CreateTemp,
    /// Writing fails after this many bytes (a full disk).
    WriteAfter(usize),
    /// `fsync` of the temporary file fails.
    Sync,
    /// The process dies after writing part of the temporary file: nothing is cleaned up, as after
    /// `kill -9`.
    KilledAfter(usize),
    /// The rename fails.
    Rename,
}

/// How to write.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Keep the old file's bytes in a numbered backup next to it (`FILE.~1~`, `FILE.~2~`, … as
    /// `cp --backup=numbered` names them; same owner and mode) before the new file replaces it. An
    /// earlier backup is never overwritten.
    pub backup: bool,
    /// Replace a read-only target (mode without any write bit); refused otherwise.
    pub force_read_only: bool,
    /// Mode for a file that does not exist yet (default 0600).
    pub new_file_mode: Option<u32>,
    /// The bytes the edit was computed from (empty: the file did not exist). Checked again just before
    /// the rename: if the file changed meanwhile, nothing is written.
    pub expected: Option<Vec<u8>>,
    #[doc(hidden)]
    pub fault: Option<Fault>,
}

/// The numbered backup name for `file_name` given the names already in its directory: one more than
/// the highest `FILE.~N~` present (`cp --backup=numbered`). The `.~N~` suffix never ends in `.conf`, so
/// RHEL's `vsftpd@.service` generator, which starts an instance for every `/etc/vsftpd/*.conf`, ignores
/// it.
pub fn next_backup_name<'a>(
    file_name: &str,
    siblings: impl IntoIterator<Item = &'a str>,
) -> String {
    let highest = siblings
        .into_iter()
        .filter_map(|n| {
            let rest = n
                .strip_prefix(file_name)?
                .strip_prefix(".~")?
                .strip_suffix('~')?;
            if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            rest.parse::<u64>().ok()
        })
        .max()
        .unwrap_or(0);
    format!("{file_name}.~{}~", highest.saturating_add(1))
}

/// What [`write_atomic`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Where the old bytes were kept, with `backup`.
    pub backup: Option<PathBuf>,
}

/// Replaces `path` with `bytes` atomically, keeping owner and mode. A missing file is created.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    options: &WriteOptions,
) -> Result<Written, WriteError> {
    let target = resolve(path)?;
    let existing = match std::fs::metadata(&target) {
        Ok(m) if !m.is_file() => return Err(WriteError::NotAFile { path: target }),
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(WriteError::Inspect {
                path: target,
                source,
            });
        }
    };
    if let Some(m) = &existing {
        if m.mode() & 0o222 == 0 && !options.force_read_only {
            return Err(WriteError::ReadOnly {
                path: target,
                mode: m.mode() & 0o7777,
            });
        }
    }
    let mut written = Written::default();
    if let (true, Some(_)) = (options.backup, &existing) {
        let old = std::fs::read(&target).map_err(|source| WriteError::Inspect {
            path: target.clone(),
            source,
        })?;
        if options.expected.as_ref().is_some_and(|e| *e != old) {
            return Err(WriteError::Changed { path: target });
        }
        written.backup = Some(backup(&target, &old, existing.as_ref())?);
    }
    replace(&target, bytes, existing.as_ref(), options, Place::Replace)?;
    Ok(written)
}

/// Writes the old bytes to the next free numbered backup; a name taken meanwhile (another vsconf)
/// moves on to the next number instead of replacing it.
fn backup(
    target: &Path,
    old: &[u8],
    existing: Option<&std::fs::Metadata>,
) -> Result<PathBuf, WriteError> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut last = None;
    for _ in 0..16 {
        let names: Vec<String> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let path = dir.join(next_backup_name(
            &file_name,
            names.iter().map(String::as_str),
        ));
        // The backup takes the original's owner and mode: it may hold the same secrets.
        match replace(&path, old, existing, &WriteOptions::default(), Place::New) {
            Ok(()) => return Ok(path),
            Err(WriteError::Rename { source, .. })
                if source.kind() == std::io::ErrorKind::AlreadyExists =>
            {
                last = Some((path, source));
            }
            Err(e) => {
                return Err(WriteError::Backup {
                    path,
                    source: Box::new(e),
                });
            }
        }
    }
    let (path, source) = last.unwrap_or_else(|| {
        (
            dir.join(&file_name),
            std::io::Error::other("no free backup number"),
        )
    });
    Err(WriteError::Backup {
        source: Box::new(WriteError::Rename {
            path: path.clone(),
            source,
        }),
        path,
    })
}

/// How the finished temporary file takes its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// `rename` over the target.
    Replace,
    /// `link` to a name that must not exist yet (a backup never replaces another).
    New,
}

fn resolve(path: &Path) -> Result<PathBuf, WriteError> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(path).map_err(|source| WriteError::Inspect {
                path: path.to_owned(),
                source,
            })
        }
        _ => Ok(path.to_owned()),
    }
}

/// The owner and mode the new file must get.
struct Identity {
    uid: u32,
    gid: u32,
    mode: u32,
}

fn replace(
    target: &Path,
    bytes: &[u8],
    existing: Option<&std::fs::Metadata>,
    options: &WriteOptions,
    place: Place,
) -> Result<(), WriteError> {
    let identity = existing.map(|m| Identity {
        uid: m.uid(),
        gid: m.gid(),
        mode: m.mode() & 0o7777,
    });
    let mode = identity
        .as_ref()
        .map_or(options.new_file_mode.unwrap_or(0o600), |i| i.mode);
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let (temp_path, file) = create_temp(&dir, target, options.fault)?;
    let mut guard = TempGuard {
        path: Some(temp_path.clone()),
    };
    fill(&file, &temp_path, bytes, options.fault, &mut guard)?;
    if let Some(identity) = &identity {
        // chown before chmod: chown clears set-id bits, the mode is applied afterwards.
        let current = file.metadata().map_err(|source| WriteError::Write {
            path: temp_path.clone(),
            source,
        })?;
        if current.uid() != identity.uid || current.gid() != identity.gid {
            std::os::unix::fs::fchown(&file, Some(identity.uid), Some(identity.gid)).map_err(
                |source| WriteError::Owner {
                    path: target.to_owned(),
                    uid: identity.uid,
                    gid: identity.gid,
                    source,
                },
            )?;
        }
    }
    file.set_permissions(Permissions::from_mode(mode))
        .map_err(|source| WriteError::Mode {
            path: temp_path.clone(),
            source,
        })?;
    if options.fault == Some(Fault::Sync) {
        return Err(WriteError::Write {
            path: temp_path,
            source: injected(),
        });
    }
    file.sync_all().map_err(|source| WriteError::Write {
        path: temp_path.clone(),
        source,
    })?;
    drop(file);
    if let Some(expected) = &options.expected {
        let current = match std::fs::read(target) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => {
                return Err(WriteError::Inspect {
                    path: target.to_owned(),
                    source,
                });
            }
        };
        if &current != expected {
            return Err(WriteError::Changed {
                path: target.to_owned(),
            });
        }
    }
    if options.fault == Some(Fault::Rename) {
        return Err(WriteError::Rename {
            path: target.to_owned(),
            source: injected(),
        });
    }
    match place {
        Place::Replace => {
            std::fs::rename(&temp_path, target).map_err(|source| WriteError::Rename {
                path: target.to_owned(),
                source,
            })?;
            guard.path = None;
        }
        // The guard removes the temporary name; the link keeps the bytes.
        Place::New => {
            std::fs::hard_link(&temp_path, target).map_err(|source| WriteError::Rename {
                path: target.to_owned(),
                source,
            })?
        }
    }
    // The rename is durable only once the directory entry is on disk. A failure here comes after the
    // new file is in place, so it is not reported as a failed write.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn injected() -> std::io::Error {
    std::io::Error::other("injected fault")
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn create_temp(
    dir: &Path,
    target: &Path,
    fault: Option<Fault>,
) -> Result<(PathBuf, File), WriteError> {
    let base = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config".to_owned());
    let mut last_error = None;
    for _ in 0..16 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        // A dot-name that does not end in `.conf`: neither `ls` nor RHEL's instance generator sees it.
        let temp = dir.join(format!(".{base}.vsconf-{}-{n}.tmp", std::process::id()));
        if fault == Some(Fault::CreateTemp) {
            return Err(WriteError::TempFile {
                dir: dir.to_owned(),
                source: injected(),
            });
        }
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temp)
        {
            Ok(f) => return Ok((temp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(source) => {
                return Err(WriteError::TempFile {
                    dir: dir.to_owned(),
                    source,
                });
            }
        }
    }
    Err(WriteError::TempFile {
        dir: dir.to_owned(),
        source: last_error.unwrap_or_else(|| std::io::Error::other("no free temporary name")),
    })
}

fn fill(
    mut file: &File,
    temp: &Path,
    bytes: &[u8],
    fault: Option<Fault>,
    guard: &mut TempGuard,
) -> Result<(), WriteError> {
    let limit = match fault {
        Some(Fault::WriteAfter(n) | Fault::KilledAfter(n)) => n.min(bytes.len()),
        _ => bytes.len(),
    };
    file.write_all(bytes.get(..limit).unwrap_or_default())
        .map_err(|source| WriteError::Write {
            path: temp.to_owned(),
            source,
        })?;
    match fault {
        Some(Fault::WriteAfter(_)) => Err(WriteError::Write {
            path: temp.to_owned(),
            source: std::io::Error::from_raw_os_error(28), // ENOSPC
        }),
        Some(Fault::KilledAfter(_)) => {
            // A killed process cleans nothing up: leave the partial temporary file behind.
            guard.path = None;
            Err(WriteError::Write {
                path: temp.to_owned(),
                source: injected(),
            })
        }
        _ => Ok(()),
    }
}

/// Removes the temporary file unless the rename consumed it.
struct TempGuard {
    path: Option<PathBuf>,
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if let Some(p) = self.path.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("vsconf-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn replaces_content_and_keeps_mode() {
        let dir = scratch("mode");
        let path = dir.join("vsftpd.conf");
        std::fs::write(&path, b"listen=NO\n").unwrap();
        std::fs::set_permissions(&path, Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"listen=YES\n", &WriteOptions::default()).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"listen=YES\n");
        assert_eq!(std::fs::metadata(&path).unwrap().mode() & 0o7777, 0o640);
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn every_fault_leaves_the_original_identical() {
        for fault in [
            Fault::CreateTemp,
            Fault::WriteAfter(3),
            Fault::Sync,
            Fault::KilledAfter(4),
            Fault::Rename,
        ] {
            let dir = scratch("fault");
            let path = dir.join("vsftpd.conf");
            std::fs::write(&path, b"listen=NO\n").unwrap();
            let options = WriteOptions {
                fault: Some(fault),
                ..WriteOptions::default()
            };
            assert!(write_atomic(&path, b"listen=YES\nanonymous_enable=NO\n", &options).is_err());
            assert_eq!(std::fs::read(&path).unwrap(), b"listen=NO\n", "{fault:?}");
            let left = std::fs::read_dir(&dir).unwrap().count();
            let expected = if matches!(fault, Fault::KilledAfter(_)) {
                2
            } else {
                1
            };
            assert_eq!(left, expected, "{fault:?}");
        }
    }

    #[test]
    fn a_file_changed_meanwhile_is_not_overwritten() {
        let dir = scratch("changed");
        let path = dir.join("vsftpd.conf");
        std::fs::write(&path, b"listen=YES\n").unwrap();
        let options = WriteOptions {
            expected: Some(b"listen=NO\n".to_vec()),
            ..WriteOptions::default()
        };
        assert!(matches!(
            write_atomic(&path, b"x\n", &options),
            Err(WriteError::Changed { .. })
        ));
        assert_eq!(std::fs::read(&path).unwrap(), b"listen=YES\n");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    }

    #[test]
    fn symlink_target_is_replaced_and_link_kept() {
        let dir = scratch("link");
        let real = dir.join("real.conf");
        let link = dir.join("link.conf");
        std::fs::write(&real, b"a\n").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"b\n", &WriteOptions::default()).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"b\n");
    }

    #[test]
    fn backups_are_numbered_and_never_overwritten() {
        let dir = scratch("backup");
        let path = dir.join("vsftpd.conf");
        std::fs::write(&path, b"one\n").unwrap();
        let opts = WriteOptions {
            backup: true,
            ..WriteOptions::default()
        };
        let first = write_atomic(&path, b"two\n", &opts).unwrap();
        let second = write_atomic(&path, b"three\n", &opts).unwrap();
        assert_eq!(first.backup, Some(dir.join("vsftpd.conf.~1~")));
        assert_eq!(second.backup, Some(dir.join("vsftpd.conf.~2~")));
        assert_eq!(
            std::fs::read(dir.join("vsftpd.conf.~1~")).unwrap(),
            b"one\n"
        );
        assert_eq!(
            std::fs::read(dir.join("vsftpd.conf.~2~")).unwrap(),
            b"two\n"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"three\n");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 3);
    }

    #[test]
    fn backup_numbers_follow_the_highest_present() {
        let names = [
            "vsftpd.conf",
            "vsftpd.conf.~2~",
            "vsftpd.conf.~10~",
            "vsftpd.conf.~x~",
            "other.~99~",
        ];
        assert_eq!(next_backup_name("vsftpd.conf", names), "vsftpd.conf.~11~");
        assert_eq!(next_backup_name("a.conf", []), "a.conf.~1~");
    }

    #[test]
    fn read_only_target_is_refused_unless_forced() {
        let dir = scratch("read-only");
        let path = dir.join("vsftpd.conf");
        std::fs::write(&path, b"old\n").unwrap();
        std::fs::set_permissions(&path, Permissions::from_mode(0o444)).unwrap();
        let err = write_atomic(&path, b"new\n", &WriteOptions::default()).unwrap_err();
        assert!(
            matches!(err, WriteError::ReadOnly { mode: 0o444, .. }),
            "{err}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"old\n");
        let forced = WriteOptions {
            force_read_only: true,
            ..WriteOptions::default()
        };
        write_atomic(&path, b"new\n", &forced).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new\n");
        let mode = std::fs::metadata(&path).unwrap().mode() & 0o7777;
        assert_eq!(mode, 0o444);
    }
}
