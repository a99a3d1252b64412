//! `vsconf syntax FILE`: the lossless syntax tree, one token per line (`NAME@0..6 "listen"`), for
//! debugging the grammar and for bug reports.

use std::path::PathBuf;
use std::process::ExitCode;

use vsconf::syntax::{dump, parse};

use super::input::load;

/// Arguments of `vsconf syntax`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The vsftpd config file (`-` for standard input).
    pub file: PathBuf,
    #[command(flatten)]
    pub common: super::ConfigArgs,
}

/// Runs `vsconf syntax`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    let loaded = load(&args.file)?;
    let parse = parse(&loaded.bytes);
    super::write_stdout(dump(&parse.cst).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
