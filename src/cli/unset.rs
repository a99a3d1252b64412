//! `vsconf unset FILE NAME…`: delete every line setting each name, so vsftpd's default applies again.

use std::path::PathBuf;
use std::process::ExitCode;

use vsconf::edit::set::Request;

use super::preview::WriteArgs;

/// Arguments of `vsconf unset`.
#[derive(Debug, clap::Args)]
#[command(after_help = super::preview::EXIT_CODES)]
pub struct Args {
    /// The vsftpd config file.
    pub file: PathBuf,
    /// Settings to remove.
    #[arg(required = true, value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub common: super::ConfigArgs,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Runs `vsconf unset`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    let requests: Vec<Request> = args.names.iter().cloned().map(Request::Unset).collect();
    super::set::edit(&args.file, &requests, false, &args.common, &args.write)
}
