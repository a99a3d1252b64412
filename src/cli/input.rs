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
    let metadata = std::fs::metadata(path).map_err(|source| InputError::Unreadable {
        path: shown.clone(),
        source,
    })?;
    if metadata.is_dir() {
        return Err(InputError::Directory { path: shown });
    }
    let file = std::fs::File::open(path).map_err(|source| InputError::Unreadable {
        path: shown.clone(),
        source,
    })?;
    let mut bytes = Vec::new();
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(|source| InputError::Unreadable {
            path: shown.clone(),
            source,
        })?;
    let file_len = metadata.len().max(bytes.len() as u64);
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

/// Expands directories into their `*.conf` files (sorted), keeping files as given.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            collect_conf(path, &mut found, 0).map_err(|source| InputError::Unreadable {
                path: path.display().to_string(),
                source,
            })?;
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn collect_conf(dir: &Path, out: &mut Vec<PathBuf>, depth: u32) -> std::io::Result<()> {
    if depth > 16 {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect_conf(&path, out, depth + 1)?;
        } else if path.extension().is_some_and(|e| e == "conf") {
            out.push(path);
        }
    }
    Ok(())
}

/// `--dialect` shared by every command that reads a config.
#[derive(Debug, Clone, clap::Args)]
pub struct DialectArg {
    /// vsftpd build to model: upstream-3.0.5, debian-3.0.3 or rhel-3.0.5 [default: from vsconf.toml,
    /// else upstream-3.0.5]
    #[arg(long, value_name = "DIALECT")]
    pub dialect: Option<Dialect>,
}
