//! The flow every command that changes a file shares: show the change as a unified diff, check it
//! with the lint engine and the startup prediction, then — only with `--write` — write it atomically.
//!
//! Exit codes: 0 previewed, written, or nothing to change; 1 with `--check` when the file would change;
//! 2 on an error, including a change refused because vsftpd would no longer start (override with
//! `--force`). The diff goes to standard output, notes and verdicts to standard error.

use std::path::Path;
use std::process::ExitCode;

use vsconf::edit::diff::unified;
use vsconf::edit::write::{WriteOptions, write_atomic};
use vsconf::edit::{Review, describe_prediction, review};
use vsconf::rules::LintOptions;

/// The exit codes of every command that changes a file, for `--help`.
pub const EXIT_CODES: &str = "Exit codes: 0 previewed, written or nothing to change; 1 with --check when the file would change; 2 error (unknown setting, bad value, unreadable file, a change vsftpd would refuse without --force, failed write).";

/// `--write`, `--check`, `--backup`, `--force`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct WriteArgs {
    /// Apply the change: a temporary file in the same directory, fsync, rename; owner and mode kept.
    #[arg(long, conflicts_with = "check")]
    pub write: bool,
    /// Change nothing; exit 1 when the file would change (for CI).
    #[arg(long)]
    pub check: bool,
    /// With --write, keep the old file as a numbered backup, FILE.~N~ (like cp --backup=numbered; an
    /// earlier backup is never overwritten).
    #[arg(long)]
    pub backup: bool,
    /// Write even when vsftpd would then refuse to start or crash, or when the file is read-only.
    #[arg(long)]
    pub force: bool,
}

impl WriteArgs {
    /// Whether any flag that needs a file was given.
    pub fn wants_file(&self) -> bool {
        self.write || self.check || self.backup
    }
}

/// Why a previewed change was not written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PreviewError {
    /// vsftpd would stop starting.
    #[error("not written: with this change vsftpd {after} (now it {before})")]
    #[diagnostic(
        code(vsconf::edit::would_refuse),
        help(
            "correct the change, or pass --force to write it anyway; `vsconf lint FILE` explains the findings"
        )
    )]
    WouldRefuse {
        /// The prediction before.
        before: String,
        /// The prediction after.
        after: String,
    },
    /// `-` (standard input) cannot be written back.
    #[error("cannot write to standard input")]
    #[diagnostic(
        code(vsconf::edit::stdin),
        help("give the config file's path to use --write, --check or --backup")
    )]
    Stdin,
    /// The write itself failed.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Write(#[from] vsconf::edit::write::WriteError),
}

/// A change ready to be shown and maybe written.
pub struct Proposal<'a> {
    /// Where it goes.
    pub path: &'a Path,
    /// The current bytes (empty for a new file).
    pub before: &'a [u8],
    /// The proposed bytes.
    pub after: &'a [u8],
    /// Whether the file does not exist yet.
    pub new_file: bool,
    /// How to check it.
    pub lint: &'a LintOptions,
    /// Notes for people (what was done, duplicates, skipped fixes).
    pub notes: &'a [String],
}

fn say(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Shows, checks and (with `--write`) writes a change.
pub fn finish(
    proposal: &Proposal<'_>,
    args: &WriteArgs,
    common: &super::ConfigArgs,
) -> miette::Result<ExitCode> {
    let shown = proposal.path.display().to_string();
    let is_stdin = shown == "-";
    if is_stdin && args.wants_file() {
        return Err(PreviewError::Stdin.into());
    }
    if args.backup && !args.write {
        say("note: --backup has no effect without --write");
    }
    for note in proposal.notes {
        say(&format!("note: {note}"));
    }
    if proposal.before == proposal.after && !proposal.new_file {
        say(&format!("{shown}: nothing to change"));
        return Ok(ExitCode::SUCCESS);
    }
    let old_label = if proposal.new_file {
        "/dev/null".to_owned()
    } else {
        format!("{shown} (current)")
    };
    let diff = unified(
        proposal.before,
        proposal.after,
        &old_label,
        &format!("{shown} (proposed)"),
        common.color.resolve(),
    );
    super::write_stdout(diff.as_bytes())?;
    let checked = review(proposal.before, proposal.after, proposal.lint);
    report(&shown, &checked);
    let refused = checked.breaks_startup() && !args.force;
    if args.check {
        say(&format!("{shown}: would change"));
        return Ok(ExitCode::from(1));
    }
    if !args.write {
        if refused {
            say(
                "--write would refuse this change: vsftpd would no longer start (--force overrides)",
            );
        } else {
            say("preview only: nothing written (add --write to apply)");
        }
        return Ok(ExitCode::SUCCESS);
    }
    if refused {
        return Err(PreviewError::WouldRefuse {
            before: describe_prediction(&checked.before),
            after: describe_prediction(&checked.after),
        }
        .into());
    }
    let options = WriteOptions {
        backup: args.backup && !proposal.new_file,
        force_read_only: args.force,
        new_file_mode: Some(0o600),
        expected: Some(proposal.before.to_vec()),
        fault: None,
    };
    let written =
        write_atomic(proposal.path, proposal.after, &options).map_err(PreviewError::from)?;
    match written.backup {
        Some(b) => say(&format!("wrote {shown} (old file kept as {})", b.display())),
        None => say(&format!("wrote {shown}")),
    }
    Ok(ExitCode::SUCCESS)
}

fn report(shown: &str, checked: &Review) {
    for (d, line) in checked.new_findings.iter().zip(&checked.new_finding_lines) {
        say(&format!(
            "{shown}:{line}: {}[{} {}]: {}",
            d.severity.as_str(),
            d.code,
            d.name,
            d.message
        ));
    }
    let (before, after) = (
        describe_prediction(&checked.before),
        describe_prediction(&checked.after),
    );
    if before != after || !checked.after.verdict.starts() {
        say(&format!("vsftpd before: {before}"));
        say(&format!("vsftpd after:  {after}"));
    }
}
