//! The `vsconf` binary: parses arguments, runs the subcommand, turns the result into an exit code
//! (0 clean, 1 findings or a failed check, 2 usage or I/O error).

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(report) => {
            #[expect(clippy::print_stderr, reason = "the binary's last word on a failure")]
            {
                eprintln!("{report:?}");
            }
            ExitCode::from(2)
        }
    }
}
