//! Which vsftpd build a command models: `--dialect`, else `vsconf.toml`'s `dialect`, else
//! `$VSCONF_DIALECT`, else the build installed on this host (`auto`), else upstream-3.0.5 — and the sentence
//! saying why, for the human header and JSON's `dialect_source`.
//!
//! This is the I/O half of detection: it asks the package managers, runs `vsftpd -v` and reads
//! `/etc/os-release`; `vsconf::dialect::detect` decides. `VSCONF_DETECT_ROOT` (tests only) moves the
//! files and the fallback binary paths under another root; the package managers are found on `PATH`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::time::{Duration, Instant};

use vsconf::dialect::detect::{Detection, HostFacts, PackageManager, detect};
use vsconf::dialect::{Dialect, UnknownDialect, alias_note};

mod dpkg_status;

/// What `--dialect` (or `VSCONF_DIALECT`, or `vsconf.toml`) asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialectChoice {
    /// The build installed on this host.
    Auto,
    /// Every modelled build (lint only).
    All,
    /// One build, by id or alias.
    One(Dialect),
}

impl FromStr for DialectChoice {
    type Err = UnknownDialect;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(DialectChoice::Auto),
            "all" => Ok(DialectChoice::All),
            _ => s.parse().map(DialectChoice::One),
        }
    }
}

/// The builds a command models, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenDialect {
    /// One build, or every build for `--dialect all`.
    pub dialects: Vec<Dialect>,
    /// Why, in an operator's words: `installed vsftpd 3.0.3-13+b2 (dpkg) on Debian GNU/Linux 12`.
    pub source: String,
    /// A warning to show (an unknown installed build, an alias that was not checked).
    pub warning: Option<String>,
}

impl ChosenDialect {
    /// The build for commands that model one: the first (the only one unless `--dialect all`).
    pub fn primary(&self) -> Dialect {
        self.dialects.first().copied().unwrap_or_default()
    }

    fn one(dialect: Dialect, source: String) -> ChosenDialect {
        ChosenDialect {
            dialects: vec![dialect],
            source,
            warning: None,
        }
    }
}

/// Resolves the choice in order: the flag, `vsconf.toml`, `$VSCONF_DIALECT` (the build to assume
/// instead of detecting one), detection.
pub fn choose(
    flag: Option<(DialectChoice, &str)>,
    settings: Option<Dialect>,
) -> miette::Result<ChosenDialect> {
    let from_env = std::env::var("VSCONF_DIALECT")
        .ok()
        .filter(|v| !v.trim().is_empty());
    let (choice, typed, source) = match (flag, settings, &from_env) {
        (Some((choice, typed)), _, _) => (Some(choice), typed.to_owned(), "--dialect"),
        (None, Some(d), _) => (
            Some(DialectChoice::One(d)),
            d.id().to_owned(),
            "vsconf.toml: dialect =",
        ),
        (None, None, Some(value)) => {
            let choice = value.parse::<DialectChoice>().map_err(|e| {
                miette::miette!(
                    help = "unset VSCONF_DIALECT or give it a dialect id, `auto` or `all`",
                    "VSCONF_DIALECT: {e}"
                )
            })?;
            (Some(choice), value.clone(), "VSCONF_DIALECT=")
        }
        (None, None, None) => (None, String::new(), ""),
    };
    let mut chosen = match choice {
        Some(DialectChoice::One(d)) => ChosenDialect::one(d, format!("{source} {typed}")),
        Some(DialectChoice::All) => ChosenDialect {
            dialects: Dialect::ALL.to_vec(),
            source: format!("{source} all"),
            warning: None,
        },
        Some(DialectChoice::Auto) | None => installed(),
    };
    if chosen.warning.is_none() {
        chosen.warning = alias_note(&typed.to_ascii_lowercase()).map(str::to_owned);
    }
    if let Some(note) = chosen
        .primary()
        .unverified_note()
        .filter(|_| chosen.dialects.len() == 1)
    {
        chosen.warning = Some(match chosen.warning.take() {
            Some(w) => format!("{w}; {note}"),
            None => note.to_owned(),
        });
    }
    Ok(chosen)
}

/// The build installed on this host, or upstream-3.0.5 with the reason when none is found. `choose`
/// uses it for `auto`; commands that run the installed binary call it directly, whatever `vsconf.toml`
/// or `$VSCONF_DIALECT` say.
pub fn installed() -> ChosenDialect {
    match detect(&gather()) {
        Detection::Installed {
            dialect,
            source,
            note,
        } => ChosenDialect {
            dialects: vec![dialect],
            source,
            warning: note,
        },
        Detection::Unknown { found } => ChosenDialect {
            dialects: vec![Dialect::Upstream305],
            source: format!("assuming upstream-3.0.5: {found} is no build vsconf models"),
            warning: Some(format!(
                "{found} is no build vsconf models: pin the closest with --dialect or `dialect = \"…\"` in vsconf.toml"
            )),
        },
        Detection::NotInstalled => ChosenDialect::one(
            Dialect::Upstream305,
            "assuming upstream-3.0.5: no vsftpd on this machine; pin it in vsconf.toml".to_owned(),
        ),
    }
}

/// The root under which detection reads files (`/`, or `$VSCONF_DETECT_ROOT` in tests).
fn root() -> PathBuf {
    std::env::var_os("VSCONF_DETECT_ROOT").map_or_else(|| PathBuf::from("/"), PathBuf::from)
}

/// Asks the host about its vsftpd. Every step is bounded: a command that hangs is killed after 2 s and
/// counts as absent.
pub fn gather() -> HostFacts {
    let root = root();
    let os_release = ["etc/os-release", "usr/lib/os-release"]
        .iter()
        .find_map(|p| read_small(&root.join(p)));
    let dpkg = match dpkg_installed_version(&root) {
        Ok(version) => version.map(|v| (PackageManager::Dpkg, v)),
        Err(_) => run(Command::new("dpkg-query").args([
            "-W",
            "-f",
            "${db:Status-Abbrev} ${Version}",
            "vsftpd",
        ]))
        .and_then(|out| {
            // `ii 3.0.3-13+b2`: installed; `rc …` (removed, config kept) is not a running build.
            let (status, version) = out.trim().split_once(' ')?;
            (status.starts_with("ii") && !version.trim().is_empty())
                .then(|| (PackageManager::Dpkg, version.trim().to_owned()))
        }),
    };
    let package = dpkg.or_else(|| {
        run(Command::new("rpm").args(["-q", "--qf", "%{VERSION}-%{RELEASE}", "vsftpd"]))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty() && !v.contains(' '))
            .map(|v| (PackageManager::Rpm, v))
    });
    // The binary is asked only when no package manager knows it (a source build).
    let binary_banner = match package {
        Some(_) => None,
        None => vsftpd_binary(&root).and_then(|b| banner(&b)),
    };
    HostFacts {
        package,
        binary_banner,
        os_release,
    }
}

fn read_small(path: &Path) -> Option<String> {
    // Room for a whole os-release up front: from an empty buffer, the reads start at 32 bytes.
    let mut text = String::with_capacity(4096);
    std::fs::File::open(path)
        .ok()?
        .take(64 * 1024)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

/// The installed vsftpd's version in dpkg's database, read directly: spawning `dpkg-query` costs tens
/// of milliseconds on every run, more than linting the file. `Err` when there is no database.
fn dpkg_installed_version(root: &Path) -> std::io::Result<Option<String>> {
    let status = std::fs::File::open(root.join("var/lib/dpkg/status"))?;
    let len = status.metadata()?.len();
    // dpkg keeps `info/vsftpd.list` from unpacking to removal: without it vsftpd is not installed.
    let listed = || root.join("var/lib/dpkg/info/vsftpd.list").exists();
    dpkg_status::installed_version(&status, len, "vsftpd", listed)
}

/// `vsftpd` on `PATH`, else in the sbin directories (not on a normal user's `PATH`).
fn vsftpd_binary(root: &Path) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("vsftpd"))
            .find(|p| p.is_file())
    });
    on_path.or_else(|| {
        ["usr/sbin/vsftpd", "usr/local/sbin/vsftpd", "sbin/vsftpd"]
            .iter()
            .map(|p| root.join(p))
            .find(|p| p.is_file())
    })
}

/// What `vsftpd -v` prints. vsftpd writes it to file descriptor 0 (as it writes `500 OOPS`, and to fd 1
/// on RHEL), so the child gets one end of a socket pair as fd 0 and fd 1 is read too.
fn banner(binary: &Path) -> Option<String> {
    let (ours, theirs) = std::os::unix::net::UnixStream::pair().ok()?;
    let stdin = Stdio::from(std::os::fd::OwnedFd::from(theirs));
    // The command holds our copy of the child's end: drop it before reading, so the read ends at EOF.
    let stdout = {
        let mut command = Command::new(binary);
        command.arg("-v").stdin(stdin);
        run(&mut command).unwrap_or_default()
    };
    ours.set_read_timeout(Some(Duration::from_millis(500)))
        .ok()?;
    let mut bytes = Vec::new();
    let _ = (&ours).take(4096).read_to_end(&mut bytes);
    let fd0 = String::from_utf8_lossy(&bytes).into_owned();
    [fd0, stdout]
        .into_iter()
        .find(|t| t.contains("version"))
        .map(|t| t.trim().to_owned())
}

/// Runs a command for its standard output, with a 2-second limit; `None` when it is missing, fails or
/// hangs.
fn run(command: &mut Command) -> Option<String> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let mut out = String::new();
                child
                    .stdout
                    .take()?
                    .take(64 * 1024)
                    .read_to_string(&mut out)
                    .ok()?;
                return status.success().then_some(out);
            }
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_ids_aliases_auto_and_all() {
        assert_eq!("auto".parse(), Ok(DialectChoice::Auto));
        assert_eq!("ALL".parse(), Ok(DialectChoice::All));
        assert_eq!("rhel-9".parse(), Ok(DialectChoice::One(Dialect::Rhel305)));
        assert!("debian".parse::<DialectChoice>().is_err());
    }
}
