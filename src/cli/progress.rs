//! Progress bars for long runs (`lint` over many files, `verify`'s steps), for people at a terminal.
//!
//! A bar is drawn on standard error only when it is a terminal, never with `-q`, and never under CI
//! (`CI` set to anything but `false` or `0`): pipes, log files and CI logs get no control sequences
//! and no partial lines. Output meant for the same terminal goes through [`Progress::suspend`], which
//! clears the bar, writes, and draws it again below. The bar knows nothing of what it counts.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar, or nothing when it must not be shown (see the module docs).
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `total` steps labelled `what` (e.g. "vsconf: linting"), shown only when `quiet` is false,
    /// standard error is a terminal and the run is not under CI.
    pub fn new(total: u64, what: &str, quiet: bool) -> Self {
        if quiet || !std::io::stderr().is_terminal() || under_ci() {
            return Self { bar: None };
        }
        let bar =
            ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr_with_hz(10));
        // The template is fixed at compile time; a mistake in it shows as a plain bar, not a failure.
        let style = ProgressStyle::with_template(
            "{prefix} [{bar:30}] {pos}/{len} {elapsed_precise} {wide_msg}",
        )
        .map_or_else(
            |_| ProgressStyle::default_bar(),
            |s| s.progress_chars("=> "),
        );
        bar.set_style(style);
        bar.set_prefix(what.to_owned());
        // Redrawn on a timer too, so a step that takes seconds (verify starting vsftpd) still shows time passing.
        bar.enable_steady_tick(Duration::from_millis(200));
        // Drawn at once: a run shorter than a tick still shows that it was counted.
        bar.tick();
        Self { bar: Some(bar) }
    }

    /// A bar that is never shown (for callers that decide themselves that a run is short).
    pub fn hidden() -> Self {
        Self { bar: None }
    }

    /// Counts `n` more steps done.
    pub fn advance(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// Names the step in progress (shown after the counts), e.g. the check being run.
    pub fn step(&self, name: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(name.to_owned());
        }
    }

    /// Runs `write` with the bar cleared from the terminal, then draws it again: findings written to
    /// standard output on the same terminal never interleave with the bar.
    pub fn suspend<R>(&self, write: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }

    /// Removes the bar from the terminal: the run's summary follows on a clean line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // An early return (an I/O error) must not leave a half-drawn bar behind.
        self.finish();
    }
}

/// Whether the run is under CI: CI systems set `CI` (GitHub, GitLab, .ci/run); their logs are no
/// terminal even when a pseudo-terminal is attached.
fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}
