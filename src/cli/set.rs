//! `vsconf set FILE NAME=VALUE…`: type-checked edits of settings, previewed as a diff, written only with
//! `--write`.

use std::path::PathBuf;
use std::process::ExitCode;

use vsconf::edit::set::{Assignment, Request, SetOptions, apply};

use super::input::load_whole;
use super::preview::{Proposal, WriteArgs, finish};

/// Arguments of `vsconf set`.
#[derive(Debug, clap::Args)]
#[command(after_help = super::preview::EXIT_CODES)]
pub struct Args {
    /// The vsftpd config file.
    pub file: PathBuf,
    /// Settings to give a value, in order.
    #[arg(required = true, value_name = "NAME=VALUE")]
    pub assignments: Vec<Assignment>,
    /// Delete earlier duplicates of each setting changed (vsftpd ignores them: the last one wins).
    #[arg(long)]
    pub dedupe: bool,
    #[command(flatten)]
    pub common: super::ConfigArgs,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Runs `vsconf set`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    let requests: Vec<Request> = args.assignments.iter().cloned().map(Request::Set).collect();
    edit(
        &args.file,
        &requests,
        args.dedupe,
        &args.common,
        &args.write,
    )
}

/// Applies requests to a file and goes through the preview flow (shared with `unset`).
pub fn edit(
    file: &std::path::Path,
    requests: &[Request],
    dedupe: bool,
    common: &super::ConfigArgs,
    write: &WriteArgs,
) -> miette::Result<ExitCode> {
    let loaded = load_whole(file)?;
    let lint = common.lint_options()?;
    let edited = apply(
        &loaded.bytes,
        requests,
        SetOptions {
            dialect: lint.dialect,
            dedupe,
        },
    )?;
    let proposal = Proposal {
        path: file,
        before: &loaded.bytes,
        after: &edited.text,
        new_file: false,
        lint: &lint,
        notes: &edited.notes,
    };
    finish(&proposal, write, common)
}
