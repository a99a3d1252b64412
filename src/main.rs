//! The `vsconf` binary: parses arguments, runs the subcommand, turns the result into an exit code
//! (0 clean, 1 findings or a failed check, 2 usage or I/O error).

// `main` is the C entry point itself (see `main` below); tests keep the harness's own.
#![cfg_attr(not(test), no_main)]

use std::process::ExitCode;

use clap::Parser;

mod cli;

/// What `vsconf --version` prints: clap's own format (`{name} {version}`), checked by a test below.
const VERSION_LINE: &str = concat!("vsconf ", env!("CARGO_PKG_VERSION"), "\n");

/// The process's entry point, called by the C library instead of std's runtime start-up.
///
/// std's start-up (`lang_start`) costs a single-file `lint` about a tenth of its whole run (0.18 ms of
/// task-clock on a hello-world, perf stat): for the stack-overflow message it asks glibc where the main
/// thread's stack is, which reads and `sscanf`s `/proc/self/maps` (107k instructions, five system calls,
/// the kernel writing out every mapping), then installs an alternate signal stack. What vsconf needs of
/// it is done here instead:
/// - `SIGPIPE` ignored, so that writing to a closed pipe is an error vsconf handles
///   (`cli::write_stdout`: `vsconf … | head` ends quietly) and not a kill;
/// - a panic stops with std's message and exit code 101 (unwinding must not cross `extern "C"`);
/// - `std::process::exit` flushes standard output, as returning from std's `main` would.
///
/// Arguments still come from `std::env::args_os`: glibc hands them to std's initialiser. Lost: a stack
/// overflow is a plain `SIGSEGV` without std's one-line message.
#[cfg(not(test))]
#[expect(
    unsafe_code,
    reason = "the C entry point needs #[no_mangle], and ignoring SIGPIPE is what std's start-up does"
)]
#[unsafe(no_mangle)]
extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    use nix::sys::signal::{SigHandler, Signal, signal};
    // SAFETY: no other thread exists yet, and SIG_IGN runs no handler code.
    let _ = unsafe { signal(Signal::SIGPIPE, SigHandler::SigIgn) };
    let code = std::panic::catch_unwind(run).unwrap_or(ExitCode::from(101));
    // `ExitCode` has no stable way out as a number but comparison (`exit_process` is unstable).
    let number = (0..=u8::MAX)
        .find(|&n| ExitCode::from(n) == code)
        .unwrap_or(2);
    std::process::exit(i32::from(number))
}

/// Runs the command line; the process's exit code.
#[cfg_attr(
    test,
    expect(
        dead_code,
        reason = "test builds start in the harness's main, not ours"
    )
)]
fn run() -> ExitCode {
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
