//! `vsconf.toml`: vsconf's own settings (dialect, rule selection). "Settings" always means this file;
//! "config" is the vsftpd file under test.
//!
//! ```toml
//! dialect = "debian-3.0.3"
//!
//! [rules]
//! ignore = ["VSC206", "pasv-range-unset"]    # codes or names
//! categories = ["startup", "security"]         # only these categories (startup always runs)
//!
//! [rules.severity]
//! VSC301 = "error"
//!
//! [rules.per-file-ignores]                    # glob (relative to this file, or a bare file name) = rules
//! "legacy/*.conf" = ["VSC206"]
//! "vsftpd-ipv6.conf" = ["listen-both-families"]
//! ```
//!
//! Discovery: `vsconf.toml` in the working directory or the nearest parent that has one, unless
//! `--config PATH` or `--no-config` is given.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::dialect::Dialect;
use crate::rules::{Category, find};

/// The settings file name.
pub const FILE_NAME: &str = "vsconf.toml";

/// Parsed and validated settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// Where they were read from.
    pub path: Option<PathBuf>,
    /// The dialect, if set.
    pub dialect: Option<Dialect>,
    /// Rule codes switched off.
    pub ignore: Vec<String>,
    /// Categories to run (empty: all).
    pub categories: Vec<Category>,
    /// Severity overrides by rule code.
    pub severity: BTreeMap<String, Severity>,
    /// Rule codes switched off for the files a glob matches (`[rules.per-file-ignores]`), in file order.
    pub per_file_ignores: Vec<(String, Vec<String>)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    dialect: Option<String>,
    #[serde(default)]
    rules: RawRules,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    #[serde(default, rename = "per-file-ignores")]
    per_file_ignores: BTreeMap<String, Vec<String>>,
}

/// A settings file that cannot be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SettingsError {
    /// Unreadable.
    #[error("cannot read {path}: {source}")]
    #[diagnostic(
        code(vsconf::settings::unreadable),
        help("fix the file's permissions, or run with --no-config")
    )]
    Unreadable {
        /// The path.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// Not valid TOML or unknown keys.
    #[error("{path}: {message}")]
    #[diagnostic(
        code(vsconf::settings::invalid),
        help(
            "vsconf.toml accepts `dialect` and a [rules] table with `ignore`, `categories`, [rules.severity] and [rules.per-file-ignores]; see the README"
        )
    )]
    Invalid {
        /// The path.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// Finds `vsconf.toml` in `start` or its nearest parent that has one.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// Reads and validates a settings file.
pub fn load(path: &Path) -> Result<Settings, SettingsError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Unreadable {
        path: shown.clone(),
        source,
    })?;
    parse(&text, &shown).map(|mut s| {
        s.path = Some(path.to_path_buf());
        s
    })
}

/// Parses settings text; `shown` names it in errors.
pub fn parse(text: &str, shown: &str) -> Result<Settings, SettingsError> {
    let invalid = |message: String| SettingsError::Invalid {
        path: shown.to_owned(),
        message,
    };
    let raw: RawSettings = toml::from_str(text).map_err(|e| invalid(e.message().to_owned()))?;
    let dialect = raw
        .dialect
        .map(|d| d.parse::<Dialect>().map_err(|e| invalid(e.to_string())))
        .transpose()?;
    let code_of = |rule: &str| {
        find(rule).map(|r| r.meta().code.to_owned()).ok_or_else(|| {
            invalid(format!(
                "`{rule}` names no vsconf rule (see `vsconf rules`)"
            ))
        })
    };
    let ignore = raw
        .rules
        .ignore
        .iter()
        .map(|r| code_of(r))
        .collect::<Result<Vec<_>, _>>()?;
    let categories = raw
        .rules
        .categories
        .iter()
        .map(|c| Category::parse(c).ok_or_else(|| invalid(format!("unknown category `{c}`: expected startup, consistency, pitfall, security, portability or vsconf"))))
        .collect::<Result<Vec<_>, _>>()?;
    let mut severity = BTreeMap::new();
    for (rule, level) in &raw.rules.severity {
        let level = Severity::parse(level).ok_or_else(|| {
            invalid(format!(
                "severity of `{rule}` must be error, warning or info, not `{level}`"
            ))
        })?;
        severity.insert(code_of(rule)?, level);
    }
    let mut per_file_ignores = Vec::new();
    for (glob, rules) in &raw.rules.per_file_ignores {
        let codes = rules
            .iter()
            .map(|r| code_of(r))
            .collect::<Result<Vec<_>, _>>()?;
        per_file_ignores.push((glob.clone(), codes));
    }
    Ok(Settings {
        path: None,
        dialect,
        ignore,
        categories,
        severity,
        per_file_ignores,
    })
}

impl Settings {
    /// The rule codes `[rules.per-file-ignores]` switches off for `file`: a glob with a `/` is matched
    /// against the path relative to the settings file's directory, a glob without one against the file
    /// name; either may also match the path as given.
    pub fn ignored_for(&self, file: &Path) -> Vec<String> {
        if self.per_file_ignores.is_empty() {
            return Vec::new();
        }
        let given = file.to_string_lossy().replace('\\', "/");
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let relative = self
            .path
            .as_ref()
            .and_then(|p| p.parent())
            .and_then(|base| {
                let base = std::path::absolute(base).ok()?;
                let file = std::path::absolute(file).ok()?;
                file.strip_prefix(base)
                    .ok()
                    .map(|r| r.to_string_lossy().replace('\\', "/"))
            })
            .unwrap_or_else(|| given.trim_start_matches("./").to_owned());
        let mut codes = Vec::new();
        for (glob, rules) in &self.per_file_ignores {
            let target = if glob.contains('/') { &relative } else { &name };
            if glob_match(glob.as_bytes(), target.as_bytes())
                || glob_match(glob.as_bytes(), given.as_bytes())
            {
                codes.extend(rules.iter().cloned());
            }
        }
        codes
    }
}

/// Shell-style glob: `*` and `?` stay within one path component, `**` crosses them (`**/` also
/// matches no directory at all).
pub fn glob_match(glob: &[u8], text: &[u8]) -> bool {
    match glob {
        [] => text.is_empty(),
        [b'*', b'*', b'/', rest @ ..] => {
            glob_match(rest, text)
                || text
                    .iter()
                    .enumerate()
                    .any(|(i, &c)| c == b'/' && glob_match(rest, &text[i + 1..]))
        }
        [b'*', b'*', rest @ ..] => (0..=text.len()).any(|i| glob_match(rest, &text[i..])),
        [b'*', rest @ ..] => {
            let stop = text.iter().position(|&c| c == b'/').unwrap_or(text.len());
            (0..=stop).any(|i| glob_match(rest, &text[i..]))
        }
        [b'?', rest @ ..] => matches!(text, [c, tail @ ..] if *c != b'/' && glob_match(rest, tail)),
        [g, rest @ ..] => matches!(text, [c, tail @ ..] if c == g && glob_match(rest, tail)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_codes_and_bad_keys_are_refused() {
        let s = parse("dialect = \"debian-3.0.3\"\n[rules]\nignore = [\"unrecognised-variable\"]\n[rules.severity]\nVSC001 = \"warning\"\n", "t")
            .expect("valid");
        assert_eq!(s.dialect, Some(Dialect::Debian303));
        assert_eq!(s.ignore, ["VSC001"]);
        assert_eq!(s.severity.get("VSC001"), Some(&Severity::Warning));
        assert!(parse("dialekt = \"x\"\n", "t").is_err());
        assert!(parse("[rules]\nignore = [\"no-such-rule\"]\n", "t").is_err());
    }

    #[test]
    fn per_file_ignores_match_by_glob() {
        let mut s = parse(
            "[rules.per-file-ignores]\n\"legacy/**/*.conf\" = [\"unrecognised-variable\"]\n\"ipv6.conf\" = [\"VSC101\"]\n",
            "t",
        )
        .expect("valid");
        s.path = Some(PathBuf::from("/etc/vsconf/vsconf.toml"));
        assert_eq!(
            s.ignored_for(Path::new("/etc/vsconf/legacy/a/b.conf")),
            ["VSC001"]
        );
        assert_eq!(
            s.ignored_for(Path::new("/etc/vsconf/legacy/b.conf")),
            ["VSC001"]
        );
        assert_eq!(s.ignored_for(Path::new("/srv/x/ipv6.conf")), ["VSC101"]);
        assert!(
            s.ignored_for(Path::new("/etc/vsconf/other/b.conf"))
                .is_empty()
        );
        assert!(glob_match(b"*.conf", b"a.conf") && !glob_match(b"*.conf", b"d/a.conf"));
        assert!(parse("[rules.per-file-ignores]\n\"x\" = [\"nope\"]\n", "t").is_err());
    }
}
