//! The `vsconf` binary: parses arguments, runs the subcommand, turns the result into an exit code
//! (0 clean, 1 findings or a failed check, 2 usage or I/O error).

use std::process::ExitCode;

use clap::Parser;

mod cli;

/// What `vsconf --version` prints: clap's own format (`{name} {version}`), checked by a test below.
const VERSION_LINE: &str = concat!("vsconf ", env!("CARGO_PKG_VERSION"), "\n");

fn main() -> ExitCode {
    // `vsconf --version` (or `-V`) alone is answered before clap builds the tree of every subcommand
    // and flag: that construction was half of the 975k instructions of the run (callgrind), more than
    // the dynamic loader. Any other command line, `--version` after a subcommand included, goes to clap.
    let mut args = std::env::args_os().skip(1);
    let first = args.next();
    if args.next().is_none() && first.is_some_and(|flag| flag == "--version" || flag == "-V") {
        return match cli::write_stdout(VERSION_LINE.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(2),
        };
    }
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn version_fast_path_prints_what_clap_prints() {
        assert_eq!(
            super::VERSION_LINE,
            super::cli::Cli::command().render_version()
        );
    }
}
