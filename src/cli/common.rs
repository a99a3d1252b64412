//! The flags every subcommand that reads a config shares, as one flattened clap struct
//! ([`ConfigArgs`]: `--dialect`, `--config`/`--no-config`, `--color`, `-q`), and the rule selection of
//! the commands that lint ([`RuleSelection`]: `--select`, `--ignore`, `--no-suppressions`).
//!
//! Each subcommand keeps its own `--format` enum (the formats differ), but the names are the same
//! everywhere: `human` is the default for people, `json` the machine-readable document.

use std::io::IsTerminal;
use std::path::Path;

use vsconf::dialect::Dialect;
use vsconf::rules::{Category, LintOptions, REGISTRY};
use vsconf::settings::Settings;

use super::input::DialectArg;

/// `--dialect`, `--config`/`--no-config`, `--color`, `-q`: shared by every command that reads a config.
#[derive(Debug, Clone, clap::Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub dialect: DialectArg,
    #[command(flatten)]
    pub settings: SettingsArg,
    /// Colour in output for people: auto (a terminal and NO_COLOR unset), always or never.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorChoice,
    /// Print only the result itself: no summary, notes or progress on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

impl ConfigArgs {
    /// The vsconf.toml settings this command line asks for (`--config`, `--no-config`, discovery).
    pub fn settings(&self) -> miette::Result<Settings> {
        self.settings.load()
    }

    /// The one build to model: `--dialect`, else vsconf.toml's, else `$VSCONF_DIALECT`, else the build
    /// installed here (`super::dialect::choose`); a warning about the choice goes to stderr.
    pub fn dialect_with(&self, settings: &Settings) -> miette::Result<Dialect> {
        let chosen = self.dialect.resolve_one(settings.dialect)?;
        super::warn_about(&chosen);
        Ok(chosen.primary())
    }

    /// The one build to model, reading the settings it needs.
    pub fn dialect(&self) -> miette::Result<Dialect> {
        self.dialect_with(&self.settings()?)
    }

    /// Lint options from the settings: dialect, rule selection, severities.
    pub fn lint_options(&self) -> miette::Result<LintOptions> {
        let settings = self.settings()?;
        Ok(LintOptions {
            dialect: self.dialect_with(&settings)?,
            disabled: settings.ignore,
            categories: settings.categories,
            severities: settings.severity,
            no_suppressions: false,
        })
    }

    /// Whether output for people is coloured.
    pub fn colour(&self) -> bool {
        self.color.resolve() == vsconf::edit::diff::Color::Always
    }
}

/// `--config` / `--no-config`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SettingsArg {
    /// Read vsconf settings from this file instead of discovering vsconf.toml.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<std::path::PathBuf>,
    /// Ignore any vsconf.toml.
    #[arg(long)]
    pub no_config: bool,
}

impl SettingsArg {
    /// Loads the settings this command line asks for.
    pub fn load(&self) -> miette::Result<Settings> {
        if self.no_config {
            return Ok(Settings::default());
        }
        let path = match &self.config {
            Some(p) => Some(p.clone()),
            None => std::env::current_dir()
                .ok()
                .and_then(|d| vsconf::settings::discover(&d)),
        };
        match path {
            Some(p) => Ok(vsconf::settings::load(&p)?),
            None => Ok(Settings::default()),
        }
    }
}

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// When standard output is a terminal and NO_COLOR is unset.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// The resolved choice.
    pub fn resolve(self) -> vsconf::edit::diff::Color {
        use vsconf::edit::diff::Color;
        match self {
            ColorChoice::Always => Color::Always,
            ColorChoice::Never => Color::Never,
            ColorChoice::Auto
                if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() =>
            {
                Color::Always
            }
            ColorChoice::Auto => Color::Never,
        }
    }
}

/// `--select`, `--ignore`, `--no-suppressions`: which rules a linting command runs.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RuleSelection {
    /// Run only these rules: codes (VSC101), names (pasv-range-unset) or categories (security);
    /// comma-separated or repeated. Startup rules (VSC0xx) always run unless ignored.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Switch these rules off: codes, names or categories; comma-separated or repeated.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Ignore `# vsconf: allow …` comments.
    #[arg(long)]
    pub no_suppressions: bool,
}

/// A selector that names no rule or category.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{flag} {selector}: no rule or category of that name")]
#[diagnostic(
    code(vsconf::cli::unknown_selector),
    help(
        "give a code (VSC101), a name (pasv-range-unset) or a category (startup, consistency, pitfall, security, portability, vsconf); `vsconf rules` lists them"
    )
)]
pub struct UnknownSelector {
    flag: &'static str,
    selector: String,
}

/// The rule codes one selector stands for: a code, a name or a category.
pub fn codes_of(selector: &str) -> Option<Vec<&'static str>> {
    if let Some(rule) = vsconf::rules::find(selector) {
        return Some(vec![rule.meta().code]);
    }
    let category = Category::parse(selector)?;
    Some(
        REGISTRY
            .iter()
            .map(|r| r.meta())
            .filter(|m| m.category == category)
            .map(|m| m.code)
            .collect(),
    )
}

impl RuleSelection {
    /// Applies the flags on top of `options` (the settings' choices): `--ignore` adds to the disabled
    /// codes; `--select` disables every rule it does not name, except the startup rules.
    pub fn apply(&self, options: &mut LintOptions) -> miette::Result<()> {
        options.no_suppressions |= self.no_suppressions;
        for selector in &self.ignore {
            let codes = codes_of(selector).ok_or_else(|| UnknownSelector {
                flag: "--ignore",
                selector: selector.clone(),
            })?;
            options
                .disabled
                .extend(codes.iter().map(|c| (*c).to_owned()));
        }
        if self.select.is_empty() {
            return Ok(());
        }
        let mut selected = Vec::new();
        for selector in &self.select {
            selected.extend(codes_of(selector).ok_or_else(|| UnknownSelector {
                flag: "--select",
                selector: selector.clone(),
            })?);
        }
        for m in REGISTRY.iter().map(|r| r.meta()) {
            if m.category != Category::Startup && !selected.contains(&m.code) {
                options.disabled.push(m.code.to_owned());
            }
        }
        Ok(())
    }
}

/// Whether `path` is standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}
