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
            "vsconf.toml accepts `dialect` and a [rules] table with `ignore`, `categories` and [rules.severity]; see the README"
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
    Ok(Settings {
        path: None,
        dialect,
        ignore,
        categories,
        severity,
    })
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
}
