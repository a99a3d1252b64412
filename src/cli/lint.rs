//! `vsconf lint [PATH…]`: every problem in every file, for people and for CI.
//!
//! Exit status: 0 when nothing fails the run, 1 when an error is found (or a warning with
//! `--deny warnings`), 2 for usage or I/O errors. A path that cannot be read does not stop the run: it
//! becomes an `IO io-error` finding for that path, every other file is linted, and the exit status is
//! the worst seen (2 over 1 over 0).

use std::path::PathBuf;
use std::process::ExitCode;

use vsconf::diagnostic::Diagnostic;
use vsconf::diagnostic::Severity;
use vsconf::dialect::Dialect;
use vsconf::dialect::Tunable;
use vsconf::model::{FirstFatal, Outcome};
use vsconf::render::{
    BuildVerdict, FileReport, StartupSummary, Summary, concise, github, gitlab, human, json, junit,
    sarif,
};
use vsconf::rules::{LintOptions, LintResult, lint_with_overrides};
use vsconf::startup::{Check, Delivery, Prediction, Verdict};
use vsconf::syntax::{escape_bytes, parse_owned};

use super::host::SystemHost;
use super::input::{expand, load};
use super::ordered;
use super::progress::Progress;

/// Arguments of `vsconf lint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Config files or directories (their *.conf files); `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: super::ConfigArgs,
    #[command(flatten)]
    pub rules: super::RuleSelection,
    #[command(flatten)]
    pub overrides: super::overrides::OverrideArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Also check the machine: config file owner, certificates, users, directories, DNS.
    #[arg(long)]
    pub host_checks: bool,
    /// Make warnings fail the run too.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<Deny>,
    /// Exit 0 even when findings fail the run (I/O and usage errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print how many findings each rule raised instead of the findings (human or json).
    #[arg(long)]
    pub statistics: bool,
    /// The file name standard input (`-`) stands for: shown in findings, matched by per-file-ignores.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Apply the safe fixes in place first (as `vsconf fix --write` does), then report what is left.
    #[arg(long)]
    pub fix: bool,
}

/// Output formats of `vsconf lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Reports for people: each finding with its source lines, labels and help.
    Human,
    /// One JSON document (`"version": 1`).
    Json,
    /// SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// GitLab Code Quality report (JSON).
    Gitlab,
    /// JUnit XML (one test case per file and rule).
    Junit,
    /// One line per finding: `FILE:LINE:COL: severity[CODE] message`.
    Concise,
}

/// What fails the run besides errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    /// Warnings fail the run too.
    Warnings,
}

/// Runs `vsconf lint`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    let settings = args.common.settings()?;
    let chosen = args.common.dialect.resolve(settings.dialect)?;
    let options = lint_options(args, &settings, chosen.primary())?;
    let expanded = expand(&args.paths);
    let paths = expanded.files;
    if paths.is_empty() && expanded.unreadable.is_empty() {
        return Err(miette::miette!(
            help = "give config files, or directories holding *.conf files",
            "no config file found in the given paths"
        ));
    }
    let job = Job {
        options: &options,
        dialects: &chosen.dialects,
        source: &chosen.source,
        settings: &settings,
        overrides: args.overrides.resolve(
            args.paths
                .first()
                .map_or(std::path::Path::new(""), |p| p.as_path()),
        ),
        host_checks: args.host_checks,
        stdin_filename: args.stdin_filename.as_deref(),
    };
    if args.fix {
        fix_in_place(&paths, &job, args.common.quiet)?;
    }
    let colour = if args.common.colour() {
        human::Colour::Always
    } else {
        human::Colour::Never
    };
    let mut run = Tally {
        summary: Summary {
            skipped: expanded.skipped,
            ..Summary::default()
        },
        deny_warnings: args.deny == Some(Deny::Warnings),
        ..Tally::default()
    };
    // An unreadable directory makes the exit status 2 (I/O error), the worst of the run, after every
    // other file has been linted and reported.
    let walk_failures: Vec<FileReport> = expanded
        .unreadable
        .into_iter()
        .map(|(dir, why)| {
            FileReport::unreadable(
                dir.display().to_string(),
                options.dialect.id(),
                format!("cannot walk directory {}: {why}", dir.display()),
                "check the directory's permissions; its readable parts were linted".to_owned(),
            )
        })
        .collect();
    if args.format == Format::Human && !args.common.quiet {
        #[expect(clippy::print_stderr, reason = "the header for people goes to stderr")]
        {
            let ids: Vec<&str> = chosen.dialects.iter().map(|d| d.id()).collect();
            // One write: `eprintln!` with arguments writes each piece to unbuffered stderr.
            let line = format!("vsconf: modelling {}: {}\n", ids.join(", "), chosen.source);
            eprint!("{line}");
        }
    }
    super::warn_about(&chosen);
    // A bar for runs long enough to wait for; created after the header so that it draws below it.
    let progress = if paths.len() > PROGRESS_FILES {
        Progress::new(
            u64::try_from(paths.len()).unwrap_or(u64::MAX),
            "vsconf: linting",
            args.common.quiet,
        )
    } else {
        Progress::hidden()
    };
    let format = if args.statistics {
        None
    } else {
        Some(args.format)
    };
    if format == Some(Format::Json) {
        super::write_stdout(json::header().as_bytes())?;
    }
    lint_all(
        &paths,
        walk_failures,
        &job,
        &progress,
        format,
        colour,
        &mut run,
    )?;
    progress.finish();
    let code = if run.io_failed {
        ExitCode::from(2)
    } else if run.failed && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    super::write_stdout(run.tail(format, args).as_bytes())?;
    Ok(code)
}

/// Lints `paths` on all cores, then the walk's failures, and writes each file's report in input order
/// as it completes (every few hundred files, so memory stays bounded whatever the number of files).
fn lint_all(
    paths: &[PathBuf],
    walk_failures: Vec<FileReport>,
    job: &Job<'_>,
    progress: &Progress,
    format: Option<Format>,
    colour: human::Colour,
    run: &mut Tally,
) -> miette::Result<()> {
    let render = |r: &mut FileReport| render_on_worker(r, format, colour);
    let work = |path: &PathBuf| {
        lint_one(path, job, progress).map(|mut r| {
            let text = render(&mut r);
            (r, text)
        })
    };
    let mut out = String::new();
    let mut unwritten = 0;
    let mut take = |report: miette::Result<(FileReport, String)>| -> miette::Result<()> {
        let (r, text) = report?;
        run.add(&r, &text, format, &mut out);
        unwritten += 1;
        if unwritten >= WRITE_EVERY_FILES || out.len() >= WRITE_EVERY_BYTES {
            progress.suspend(|| super::write_stdout(out.as_bytes()))?;
            out.clear();
            unwritten = 0;
        }
        Ok(())
    };
    ordered::for_each(paths, workers_for(paths.len()), &work, &mut take).map_err(|stopped| {
        match stopped {
            ordered::Stopped::Consumer(e) => e,
            ordered::Stopped::WorkerDied => miette::miette!("a lint worker stopped unexpectedly"),
        }
    })?;
    for mut r in walk_failures {
        let text = render(&mut r);
        take(Ok((r, text)))?;
    }
    progress.suspend(|| super::write_stdout(out.as_bytes()))
}

/// The lint options from vsconf.toml and the command line (`--select`, `--ignore`, …).
fn lint_options(
    args: &Args,
    settings: &vsconf::settings::Settings,
    dialect: vsconf::dialect::Dialect,
) -> miette::Result<LintOptions> {
    let mut options = LintOptions {
        dialect,
        disabled: settings.ignore.clone(),
        categories: settings.categories.clone(),
        severities: settings.severity.clone(),
        no_suppressions: false,
    };
    args.rules.apply(&mut options)?;
    if args.statistics && !matches!(args.format, Format::Human | Format::Json) {
        return Err(miette::miette!(
            code = "vsconf::cli::statistics_format",
            help = "use --statistics with --format human or --format json",
            "--statistics has no {:?} form",
            args.format
        ));
    }
    Ok(options)
}

/// A file's report in a streamed format, rendered on the worker that linted it: rendered on the main
/// thread, human output kept one core busy while the other waited (185k of ~1.1M instructions per file
/// in a bulk run, callgrind). The formats that collect the whole run (and `--statistics`, `None`)
/// render at the end.
fn render_on_worker(r: &mut FileReport, format: Option<Format>, colour: human::Colour) -> String {
    let text = match format {
        Some(Format::Human) => human::render_file(r, colour),
        Some(Format::Github) => github::render_file(r),
        Some(Format::Concise) => concise::render_file(r),
        Some(Format::Json) => json::render_file(r),
        None | Some(Format::Sarif | Format::Gitlab | Format::Junit) => return String::new(),
    };
    // Once rendered, the file's bytes are needed no more (the run reads the verdict and the findings):
    // freed here, on the worker, they stop growing the worker's heap for the rest of the batch (743 →
    // 630 `mprotect` calls for 500 files, strace; the rendered text and the findings still travel to
    // the main thread).
    r.source = Vec::new();
    // The findings' texts go the same way: the run counts findings by severity and reads nothing
    // else of them. Dropped on the main thread, every string of every finding was a free across to
    // the worker's heap, serial work between batches (1.9M of 88M instructions for 500 files,
    // callgrind).
    for d in &mut r.diagnostics {
        d.message = String::new();
        d.help = None;
        d.labels = Vec::new();
        d.fix = None;
    }
    text
}

/// What a run has seen so far: the summary, the exit status, and what the collecting formats keep.
#[derive(Default)]
struct Tally {
    summary: Summary,
    /// `--deny warnings`: warnings fail the run too.
    deny_warnings: bool,
    /// vsftpd would refuse a file, or a finding fails the run.
    failed: bool,
    /// A path could not be read (exit status 2).
    io_failed: bool,
    /// No file has been written yet (JSON's separators).
    written: bool,
    collected: Collected,
}

impl Tally {
    /// Counts one file's report and appends its rendered text (streamed formats) to `out`, or keeps
    /// what the collecting formats need.
    fn add(&mut self, r: &FileReport, text: &str, format: Option<Format>, out: &mut String) {
        let fails =
            |s: Severity| s == Severity::Error || (s == Severity::Warning && self.deny_warnings);
        self.summary.add(r);
        self.io_failed |= r.startup.unreadable;
        self.failed |= r.startup.refused
            || r.startup.crashed
            || r.builds.iter().any(|b| !b.startup.starts)
            || r.diagnostics.iter().any(|d| fails(d.severity));
        let collected = &mut self.collected;
        match format {
            None => collected.count(r),
            Some(Format::Human | Format::Github | Format::Concise) => out.push_str(text),
            Some(Format::Json) => {
                if self.written {
                    out.push(',');
                }
                out.push_str(text);
            }
            Some(Format::Sarif) => {
                let (results, refusal) = sarif::file_results(r);
                collected.sarif.extend(results);
                collected.refusals.extend(refusal);
            }
            Some(Format::Gitlab) => collected.gitlab.extend(gitlab::file_issues(r)),
            Some(Format::Junit) => collected.junit.push(junit::file_suite(r)),
        }
        self.written = true;
    }

    /// What follows the files: the summary, the statistics, or the whole document of a collecting
    /// format.
    fn tail(self, format: Option<Format>, args: &Args) -> String {
        let collected = self.collected;
        match format {
            None if args.format == Format::Json => statistics_json(&collected.counts),
            None => statistics_table(&collected.counts, &self.summary, args.common.quiet),
            Some(Format::Human) if args.common.quiet => String::new(),
            Some(Format::Human) => human::render_summary(&self.summary),
            Some(Format::Json) => json::footer(&self.summary),
            Some(Format::Sarif) => sarif::render_results(
                collected.sarif,
                collected.refusals,
                env!("CARGO_PKG_VERSION"),
            ),
            Some(Format::Gitlab) => gitlab::render_issues(collected.gitlab),
            Some(Format::Junit) => junit::render_suites(&collected.junit),
            Some(Format::Github | Format::Concise) => String::new(),
        }
    }
}

/// What the formats that print at the end collect over the run.
#[derive(Default)]
struct Collected {
    sarif: Vec<serde_json::Value>,
    refusals: Vec<serde_json::Value>,
    gitlab: Vec<serde_json::Value>,
    junit: Vec<junit::Suite>,
    /// `--statistics`: findings per (code, name, severity).
    counts: std::collections::BTreeMap<(String, String), (usize, Severity)>,
}

impl Collected {
    fn count(&mut self, r: &FileReport) {
        for d in &r.diagnostics {
            let entry = self
                .counts
                .entry((d.code.to_owned(), d.name.to_owned()))
                .or_insert((0, d.severity));
            entry.0 += 1;
        }
    }
}

fn statistics_table(
    counts: &std::collections::BTreeMap<(String, String), (usize, Severity)>,
    summary: &Summary,
    quiet: bool,
) -> String {
    let mut rows: Vec<_> = counts.iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then_with(|| a.0.cmp(b.0)));
    let width = rows
        .iter()
        .map(|r| r.1.0.to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for ((code, name), (n, severity)) in rows {
        out.push_str(&format!(
            "{n:>width$}  {code:7} {name:32} {}\n",
            severity.as_str()
        ));
    }
    if !quiet {
        out.push_str(&format!(
            "{} file{}: {} error{}, {} warning{}, {} info\n",
            summary.files,
            if summary.files == 1 { "" } else { "s" },
            summary.errors,
            if summary.errors == 1 { "" } else { "s" },
            summary.warnings,
            if summary.warnings == 1 { "" } else { "s" },
            summary.infos,
        ));
    }
    out
}

fn statistics_json(
    counts: &std::collections::BTreeMap<(String, String), (usize, Severity)>,
) -> String {
    let rows: Vec<_> = counts
        .iter()
        .map(|((code, name), (n, severity))| {
            serde_json::json!({ "code": code, "name": name, "severity": severity.as_str(), "count": n })
        })
        .collect();
    let mut out =
        serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "statistics": rows }))
            .unwrap_or_default();
    out.push('\n');
    out
}

/// What every file of one run is linted with.
struct Job<'a> {
    options: &'a LintOptions,
    /// One build, or every build for `--dialect all` (the first is the primary).
    dialects: &'a [Dialect],
    /// Why these builds.
    source: &'a str,
    settings: &'a vsconf::settings::Settings,
    /// vsftpd's `-o` command-line overrides, applied to every file.
    overrides: Vec<vsconf::model::Override>,
    host_checks: bool,
    stdin_filename: Option<&'a std::path::Path>,
}

impl Job<'_> {
    /// The name findings show for `path`, and the lint options for it (per-file ignores added).
    fn for_file(
        &self,
        path: &std::path::Path,
    ) -> (Option<String>, std::borrow::Cow<'_, LintOptions>) {
        let shown = match self.stdin_filename {
            Some(name) if super::common::is_stdin(path) => Some(name),
            _ => None,
        };
        let ignored = self.settings.ignored_for(shown.unwrap_or(path));
        let options = if ignored.is_empty() {
            std::borrow::Cow::Borrowed(self.options)
        } else {
            let mut o = self.options.clone();
            o.disabled.extend(ignored);
            std::borrow::Cow::Owned(o)
        };
        (shown.map(|p| p.display().to_string()), options)
    }
}

/// `--fix`: the safe fixes written in place, file by file, before the lint (standard input is skipped).
fn fix_in_place(paths: &[PathBuf], job: &Job<'_>, quiet: bool) -> miette::Result<()> {
    use vsconf::edit::fix::{FixOptions, fix};
    use vsconf::edit::write::{WriteOptions, write_atomic};
    for path in paths {
        if super::common::is_stdin(path) {
            continue;
        }
        let Ok(loaded) = super::input::load_whole(path) else {
            continue; // reported by the lint that follows
        };
        let (_, options) = job.for_file(path);
        let outcome = fix(
            &loaded.bytes,
            &FixOptions {
                lint: options.into_owned(),
                unsafe_fixes: false,
            },
        );
        if outcome.text == loaded.bytes {
            continue;
        }
        let write = WriteOptions {
            expected: Some(loaded.bytes.clone()),
            ..WriteOptions::default()
        };
        write_atomic(path, &outcome.text, &write).map_err(super::preview::PreviewError::from)?;
        if !quiet {
            #[expect(clippy::print_stderr, reason = "what --fix changed goes to stderr")]
            {
                eprintln!(
                    "fixed {}: {} fix{} applied",
                    path.display(),
                    outcome.applied.len(),
                    if outcome.applied.len() == 1 { "" } else { "es" }
                );
            }
        }
    }
    Ok(())
}

/// Standard output is written after this many files' reports …
const WRITE_EVERY_FILES: usize = 512;

/// … or once this much text waits, whichever comes first.
const WRITE_EVERY_BYTES: usize = 256 * 1024;

/// Runs of more files than this get a progress bar (on a terminal, see [`Progress`]).
const PROGRESS_FILES: usize = 100;

/// How many threads lint `files` files: up to eight, one for a handful (asking for the core count costs
/// seven system calls, cgroup files).
fn workers_for(files: usize) -> usize {
    if files < 64 {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 8))
    }
}

fn lint_one(
    path: &std::path::Path,
    job: &Job<'_>,
    progress: &Progress,
) -> miette::Result<FileReport> {
    let report = lint_file(path, job);
    progress.advance(1);
    report
}

fn lint_file(path: &std::path::Path, job: &Job<'_>) -> miette::Result<FileReport> {
    let (shown, options) = job.for_file(path);
    let options = options.as_ref();
    let loaded = match load(path) {
        Ok(loaded) => loaded,
        Err(e) => {
            let help = miette::Diagnostic::help(&e)
                .map(|h| h.to_string())
                .unwrap_or_default();
            return Ok(FileReport::unreadable(
                path.display().to_string(),
                options.dialect.id(),
                e.to_string(),
                help,
            ));
        }
    };
    let file_len = loaded.file_len;
    let cst = parse_owned(loaded.bytes).cst;
    let host = job.host_checks.then(|| {
        SystemHost::new(match (&shown, super::common::is_stdin(path)) {
            (Some(name), true) => PathBuf::from(name),
            _ => path.to_path_buf(),
        })
    });
    let host = host.as_ref().map(|h| h as &dyn vsconf::startup::host::Host);
    let result = lint_with_overrides(&cst, Some(file_len), options, host, &job.overrides);
    let read_end = read_end(&cst, &result);
    let mut builds = Vec::new();
    let mut foreign = Vec::new();
    let mut diagnostics = result.diagnostics;
    if job.dialects.len() > 1 {
        let mut per_build = Vec::new();
        for &dialect in job.dialects {
            let build_options = LintOptions {
                dialect,
                ..options.clone()
            };
            let other =
                lint_with_overrides(&cst, Some(file_len), &build_options, host, &job.overrides);
            builds.push(BuildVerdict {
                dialect: dialect.id(),
                startup: startup_summary(&other.prediction, dialect),
            });
            foreign.extend(foreign_tunable(&other, cst.text()));
            per_build.push((dialect, other.diagnostics));
        }
        diagnostics = merge_builds(per_build);
        // Point at the line where some build stops, if one does.
        let at = diagnostics
            .iter()
            .find(|d| d.fatal)
            .map_or(vsconf::syntax::Span::empty(0), |d| d.span);
        if let Some(disagreement) = disagreement(&builds, &foreign, at) {
            diagnostics.insert(0, disagreement);
        }
    }
    Ok(FileReport {
        path: shown.unwrap_or(loaded.path),
        dialect: options.dialect.id(),
        dialect_source: Some(job.source.to_owned()),
        builds,
        source: cst.into_text(),
        startup: StartupSummary {
            read_end,
            ..startup_summary(&result.prediction, options.dialect)
        },
        diagnostics,
    })
}

/// The first byte vsftpd never reads: the end of a line it cannot parse (it stops there) or its
/// 100000-byte read limit, whichever comes first.
fn read_end(cst: &vsconf::syntax::Cst, result: &vsconf::rules::LintResult) -> Option<u32> {
    let limit = result.config.truncation().map(|t| t.at);
    let Verdict::Refuses(oops) = &result.prediction.verdict else {
        return limit;
    };
    let (true, Some(span)) = (oops.check.is_parse_error(), oops.span) else {
        return limit;
    };
    let text = cst.text();
    let end = text
        .get(span.end as usize..)
        .and_then(|rest| rest.iter().position(|b| *b == b'\n'))
        .map_or(text.len(), |i| span.end as usize + i + 1);
    let end = u32::try_from(end).unwrap_or(u32::MAX);
    Some(limit.map_or(end, |t| t.min(end)))
}

/// What one build does with the file, as plain data for the renderers.
fn startup_summary(prediction: &Prediction, dialect: Dialect) -> StartupSummary {
    let mut startup = StartupSummary {
        unverified: dialect.unverified_note(),
        ..StartupSummary::default()
    };
    match &prediction.verdict {
        Verdict::Refuses(oops) => {
            startup.refused = true;
            match oops.delivery {
                Delivery::SilentAfterFork => {
                    startup.silent_refusal = Some(escape_bytes(&oops.full_text()));
                }
                Delivery::Printed { fd } => {
                    let text = oops.full_text();
                    startup.message = Some(escape_bytes(&text));
                    startup.message_bytes = Some(text);
                    startup.message_fd = Some(fd);
                }
            }
        }
        Verdict::Crashes(_) => startup.crashed = true,
        Verdict::Starts { .. } => {
            startup.starts = true;
            startup.session_message = prediction
                .session
                .as_ref()
                .map(|o| escape_bytes(&o.full_text()));
        }
    }
    startup
}

/// The findings of every build, each once; a finding not raised by every build names the builds that
/// raise it.
fn merge_builds(per_build: Vec<(Dialect, Vec<Diagnostic>)>) -> Vec<Diagnostic> {
    let total = per_build.len();
    let mut merged: Vec<(Diagnostic, Vec<Dialect>)> = Vec::new();
    for (dialect, diagnostics) in per_build {
        for d in diagnostics {
            match merged
                .iter_mut()
                .find(|(m, _)| m.code == d.code && m.span == d.span && m.message == d.message)
            {
                Some((_, builds)) => builds.push(dialect),
                None => merged.push((d, vec![dialect])),
            }
        }
    }
    let mut out: Vec<Diagnostic> = merged
        .into_iter()
        .map(|(mut d, builds)| {
            if builds.len() < total {
                let ids: Vec<&str> = builds.iter().map(|b| b.id()).collect();
                d.message = format!("{} (on {})", d.message, ids.join(", "));
            }
            d
        })
        .collect();
    out.sort_by(|a, b| (b.fatal, a.span.start, a.code).cmp(&(a.fatal, b.span.start, b.code)));
    out
}

/// The tunable a build refuses as an unrecognised variable (one that other builds have), read from
/// the model's first fatal reading.
fn foreign_tunable(result: &LintResult, text: &[u8]) -> Option<Tunable> {
    let Verdict::Refuses(oops) = &result.prediction.verdict else {
        return None;
    };
    if oops.check != Check::UnrecognisedVariable {
        return None;
    }
    let name = match result.config.first_fatal()? {
        FirstFatal::Line(r) if matches!(r.outcome, Outcome::Unrecognised) => r.name.slice(text),
        FirstFatal::Override(o) if matches!(o.outcome, Outcome::Unrecognised) => &o.name,
        _ => return None,
    };
    Tunable::from_name(std::str::from_utf8(name).ok()?)
}

/// One finding saying where the builds disagree on starting, and why, when they do. `foreign`: the
/// tunables some refusing build does not have.
fn disagreement(
    builds: &[BuildVerdict],
    foreign: &[Tunable],
    at: vsconf::syntax::Span,
) -> Option<Diagnostic> {
    let starting: Vec<&str> = builds
        .iter()
        .filter(|b| b.startup.starts)
        .map(|b| b.dialect)
        .collect();
    let failing: Vec<&BuildVerdict> = builds.iter().filter(|b| !b.startup.starts).collect();
    if starting.is_empty() || failing.is_empty() {
        return None;
    }
    let failing_ids: Vec<&str> = failing.iter().map(|b| b.dialect).collect();
    // One sentence per distinct outcome, naming the builds that share it.
    let mut reasons: Vec<(String, Vec<&str>)> = Vec::new();
    for b in &failing {
        let s = &b.startup;
        let why = s
            .message
            .clone()
            .or_else(|| s.silent_refusal.clone().map(|m| format!("silently ({m})")))
            .unwrap_or_else(|| "crash (SIGSEGV, no message)".to_owned());
        match reasons.iter_mut().find(|(w, _)| *w == why) {
            Some((_, ids)) => ids.push(b.dialect),
            None => reasons.push((why, vec![b.dialect])),
        }
    }
    let reasons: Vec<String> = reasons
        .into_iter()
        .map(|(why, ids)| format!("{}: {why}", ids.join(", ")))
        .collect();
    // Name the tunables that exist only in some builds: the usual cause.
    let mut only_in: Vec<String> = Vec::new();
    for tunable in foreign {
        let ids: Vec<&str> = tunable.spec().dialects().map(|d| d.id()).collect();
        let sentence = format!("`{}` exists only in {}", tunable.name(), ids.join(", "));
        if !only_in.contains(&sentence) {
            only_in.push(sentence);
        }
    }
    let reasons = if only_in.is_empty() {
        reasons
    } else {
        [only_in, reasons].concat()
    };
    Some(
        Diagnostic::new(
            "BUILDS",
            "builds-disagree",
            Severity::Error,
            at,
            format!(
                "starts on {}, refused by {}",
                starting.join(", "),
                failing_ids.join(", ")
            ),
        )
        .help(format!(
            "{}; a file shared by hosts of several distributions must start on each of their builds",
            reasons.join("; ")
        )),
    )
}
