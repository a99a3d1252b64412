//! Command-line interface: one file per subcommand. Binary only; may use every library module.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use common::{ColorChoice, ConfigArgs, RuleSelection};
use deferred::Deferred;

mod common;
mod deferred;
mod dialect;
mod diff;
mod explain;
mod firewall;
mod fix;
mod generate;
mod host;
pub mod input;
mod lint;
mod lsp;
mod new;
mod ordered;
mod overrides;
pub mod preview;
mod probe;
mod progress;
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
    Lint(Deferred<lint::Args>),
    /// List the rules, or print one rule's documentation.
    Rules(Deferred<rules::Args>),
    /// Explain a vsftpd setting: type, default in each build, what it does, pitfalls, rules that check it.
    Explain(Deferred<explain::Args>),
    /// Print the effective value and origin of every setting.
    Show(Deferred<show::Args>),
    /// Run the embedded FTP server as the config says (a stand-in for vsftpd in tests).
    Serve(Deferred<serve::Args>),
    /// Give settings a value: type-checked, previewed as a diff, written with --write.
    Set(Deferred<set::Args>),
    /// Remove settings so vsftpd's defaults apply: previewed, written with --write.
    Unset(Deferred<unset::Args>),
    /// Apply the rules' mechanical fixes: previewed, written with --write.
    Fix(Deferred<fix::Args>),
    /// Compare two configs by their effective values and what the change means.
    Diff(Deferred<diff::Args>),
    /// Write a sane, commented config for a common setup.
    New(Deferred<new::Args>),
    /// Print the lossless syntax tree of a config (for debugging and bug reports).
    Syntax(Deferred<syntax::Args>),
    /// Generate the firewall rules the effective config needs (nft, iptables, firewalld, ufw).
    Firewall(Deferred<firewall::Args>),
    /// Probe a live FTP server: login, passive and active data connections, TLS, with a diagnosis.
    Probe(Deferred<probe::Args>),
    /// Start a server for a config on loopback, probe it, and compare predicted with observed.
    Verify(Deferred<verify::Args>),
    /// Run the language server for editors (LSP over standard input and output).
    Lsp(Deferred<lsp::Args>),
    /// Write man pages or print shell completions (for packagers).
    #[command(hide = true)]
    Generate(generate::Args),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> miette::Result<ExitCode> {
    match cli.command {
        Command::Lint(args) => lint::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Explain(args) => explain::run(&args),
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
        Command::Generate(args) => generate::run(&args),
    }
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
    use std::os::fd::AsFd;
    let mut stdout = std::io::stdout().lock();
    // Past std's line buffer, which reads every byte for the last newline only to decide what to
    // keep (a bulk JSON run's 28 MB, on the main thread), while everything is flushed here at once
    // anyway. The lock is held and the buffer flushed first, so the order of what reaches standard
    // output stays; without a descriptor to copy (standard output closed) std's path is taken.
    let direct = stdout
        .flush()
        .and_then(|()| stdout.as_fd().try_clone_to_owned());
    let written = match direct {
        Ok(fd) => std::fs::File::from(fd).write_all(bytes),
        Err(_) => stdout.write_all(bytes).and_then(|()| stdout.flush()),
    };
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(miette::miette!("cannot write to standard output: {e}")),
    }
}
