//! Command-line interface: one file per subcommand. Binary only; may use every library module.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod dialect;
mod diff;
mod firewall;
mod fix;
mod host;
pub mod input;
mod lint;
mod lsp;
mod new;
pub mod preview;
mod probe;
mod rules;
mod serve;
mod set;
mod show;
mod syntax;
mod unset;
mod verify;

/// vsconf: the vsftpd configuration manager and linter.
#[derive(Debug, Parser)]
#[command(name = "vsconf", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lint vsftpd configs: predict whether vsftpd starts and report every problem.
    Lint(lint::Args),
    /// List the rules, or print one rule's documentation.
    Rules(rules::Args),
    /// Print the effective value and origin of every setting.
    Show(show::Args),
    /// Run the embedded FTP server as the config says (a stand-in for vsftpd in tests).
    Serve(serve::Args),
    /// Give settings a value: type-checked, previewed as a diff, written with --write.
    Set(set::Args),
    /// Remove settings so vsftpd's defaults apply: previewed, written with --write.
    Unset(unset::Args),
    /// Apply the rules' mechanical fixes: previewed, written with --write.
    Fix(fix::Args),
    /// Compare two configs by their effective values and what the change means.
    Diff(diff::Args),
    /// Write a sane, commented config for a common setup.
    New(new::Args),
    /// Print the lossless syntax tree of a config (for debugging and bug reports).
    Syntax(syntax::Args),
    /// Generate the firewall rules the effective config needs (nft, iptables, firewalld, ufw).
    Firewall(firewall::Args),
    /// Probe a live FTP server: login, passive and active data connections, TLS, with a diagnosis.
    Probe(probe::Args),
    /// Start a server for a config on loopback, probe it, and compare predicted with observed.
    Verify(verify::Args),
    /// Run the language server for editors (LSP over standard input and output).
    Lsp(lsp::Args),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> miette::Result<ExitCode> {
    match cli.command {
        Command::Lint(args) => lint::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Show(args) => show::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Set(args) => set::run(&args),
        Command::Unset(args) => unset::run(&args),
        Command::Fix(args) => fix::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::New(args) => new::run(&args),
        Command::Syntax(args) => syntax::run(&args),
        Command::Firewall(args) => firewall::run(&args),
        Command::Probe(args) => probe::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Lsp(args) => lsp::run(&args),
    }
}

/// `--config` / `--no-config`, shared by commands that honour `vsconf.toml`.
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
    pub fn load(&self) -> miette::Result<vsconf::settings::Settings> {
        if self.no_config {
            return Ok(vsconf::settings::Settings::default());
        }
        let path = match &self.config {
            Some(p) => Some(p.clone()),
            None => std::env::current_dir()
                .ok()
                .and_then(|d| vsconf::settings::discover(&d)),
        };
        match path {
            Some(p) => Ok(vsconf::settings::load(&p)?),
            None => Ok(vsconf::settings::Settings::default()),
        }
    }
}

/// The dialect for a command without settings flags: `--dialect`, else a discovered vsconf.toml, else
/// `$VSCONF_DIALECT`, else the build installed here (see `dialect::choose`), else upstream-3.0.5.
/// A warning about the choice (an unknown installed build, an unverified one) goes to stderr.
pub fn settings_dialect(
    arg: &input::DialectArg,
    _file: &std::path::Path,
) -> miette::Result<vsconf::dialect::Dialect> {
    let settings = SettingsArg::default().load().ok().and_then(|s| s.dialect);
    let chosen = arg.resolve_one(settings)?;
    warn_about(&chosen);
    Ok(chosen.primary())
}

/// Prints the warning attached to a dialect choice, if any, on stderr.
pub fn warn_about(chosen: &dialect::ChosenDialect) {
    if let Some(warning) = &chosen.warning {
        #[expect(clippy::print_stderr, reason = "warnings for people go to stderr")]
        {
            eprintln!("warning: {warning}");
        }
    }
}

/// Writes to standard output; a closed pipe (`vsconf … | head`) ends quietly.
pub fn write_stdout(bytes: &[u8]) -> miette::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(miette::miette!("cannot write to standard output: {e}")),
    }
}
