//! `vsconf fix FILE`: applies the rules' mechanical fixes (safe ones; unsafe ones too with
//! `--unsafe`), each listed with its rule, previewed as a diff, written only with `--write`.

use std::path::PathBuf;
use std::process::ExitCode;

use vsconf::diagnostic::Applicability;
use vsconf::edit::fix::{FixOptions, SkipReason, fix};

use super::input::load_whole;
use super::preview::{Proposal, WriteArgs, finish};

/// Arguments of `vsconf fix`.
#[derive(Debug, clap::Args)]
#[command(after_help = super::preview::EXIT_CODES)]
pub struct Args {
    /// The vsftpd config file.
    pub file: PathBuf,
    /// Also apply fixes that change behaviour, not just spelling.
    #[arg(long = "unsafe")]
    pub unsafe_fixes: bool,
    #[command(flatten)]
    pub common: super::ConfigArgs,
    #[command(flatten)]
    pub rules: super::RuleSelection,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Runs `vsconf fix`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    let loaded = load_whole(&args.file)?;
    let options = FixOptions {
        lint: {
            let mut lint = args.common.lint_options()?;
            args.rules.apply(&mut lint)?;
            lint
        },
        unsafe_fixes: args.unsafe_fixes,
    };
    let outcome = fix(&loaded.bytes, &options);
    let mut notes = Vec::new();
    for a in &outcome.applied {
        let kind = match a.applicability {
            Applicability::Safe => "",
            Applicability::Unsafe => " (unsafe)",
        };
        notes.push(format!(
            "line {}: {}{kind} [{} {}]",
            a.line, a.title, a.code, a.name
        ));
    }
    for s in &outcome.skipped {
        let why = match s.reason {
            SkipReason::NeedsUnsafe => "needs --unsafe",
            SkipReason::WorsensStartup => "not applied: vsftpd would then refuse to start",
        };
        notes.push(format!(
            "line {}: {} [{} {}]: {why}",
            s.line, s.title, s.code, s.name
        ));
    }
    if !outcome.converged {
        notes.push(format!(
            "stopped after {} rounds with fixes still pending: run vsconf fix again",
            outcome.rounds
        ));
    }
    let proposal = Proposal {
        path: &args.file,
        before: &loaded.bytes,
        after: &outcome.text,
        new_file: false,
        lint: &options.lint,
        notes: &notes,
    };
    finish(&proposal, &args.write, &args.common)
}
