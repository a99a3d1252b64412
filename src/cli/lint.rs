//! `vsconf lint [PATH…]`: every problem in every file, for people and for CI.
//!
//! Exit status: 0 when nothing fails the run, 1 when an error is found (or a warning with
//! `--deny warnings`), 2 for usage or I/O errors. A path that cannot be read does not stop the run: it
//! becomes an `IO io-error` finding for that path, every other file is linted, and the exit status is
//! the worst seen (2 over 1 over 0).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use vsconf::diagnostic::Diagnostic;
use vsconf::diagnostic::Severity;
use vsconf::dialect::Dialect;
use vsconf::render::{
    BuildVerdict, FileReport, StartupSummary, Summary, github, human, json, sarif,
};
use vsconf::rules::{Category, LintOptions, lint};
use vsconf::startup::{Delivery, Prediction, Verdict};
use vsconf::syntax::{escape_bytes, parse};

use super::SettingsArg;
use super::host::SystemHost;
use super::input::{DialectArg, expand, load};

/// Arguments of `vsconf lint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Config files or directories (their *.conf files); `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub dialect: DialectArg,
    #[command(flatten)]
    pub settings: SettingsArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Also check the machine: config file owner, certificates, users, directories, DNS.
    #[arg(long)]
    pub host_checks: bool,
    /// Make warnings fail the run too.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<Deny>,
    /// Ignore `# vsconf: allow …` comments.
    #[arg(long)]
    pub no_suppressions: bool,
    /// Switch a rule off (code or name; repeatable).
    #[arg(long, value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Run only these categories (repeatable; startup rules always run).
    #[arg(long, value_name = "CATEGORY")]
    pub select: Vec<String>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

/// Output formats of `vsconf lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette reports for people.
    Human,
    /// One JSON document (`"version": 1`).
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// GitHub Actions annotations.
    Github,
}

/// What fails the run besides errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    /// Warnings fail the run too.
    Warnings,
}

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// When standard output is a terminal and NO_COLOR is unset.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Runs `vsconf lint`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    let settings = args.settings.load()?;
    let chosen = args.dialect.resolve(settings.dialect)?;
    let mut options = LintOptions {
        dialect: chosen.primary(),
        disabled: settings.ignore.clone(),
        categories: settings.categories.clone(),
        severities: settings.severity.clone(),
        no_suppressions: args.no_suppressions,
    };
    for rule in &args.ignore {
        let code = vsconf::rules::find(rule).ok_or_else(|| {
            miette::miette!(
                help = "list the rules with `vsconf rules`",
                "--ignore {rule}: no such rule"
            )
        })?;
        options.disabled.push(code.meta().code.to_owned());
    }
    for category in &args.select {
        options
            .categories
            .push(Category::parse(category).ok_or_else(|| {
                miette::miette!(
                    help =
                        "categories: startup, consistency, pitfall, security, portability, vsconf",
                    "--select {category}: no such category"
                )
            })?);
    }
    let expanded = expand(&args.paths);
    let paths = expanded.files;
    if paths.is_empty() && expanded.unreadable.is_empty() {
        return Err(miette::miette!(
            help = "give config files, or directories holding *.conf files",
            "no config file found in the given paths"
        ));
    }
    let colour = match args.color {
        ColorChoice::Always => human::Colour::Always,
        ColorChoice::Never => human::Colour::Never,
        ColorChoice::Auto
            if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() =>
        {
            human::Colour::Always
        }
        ColorChoice::Auto => human::Colour::Never,
    };
    let fails = |s: Severity| {
        s == Severity::Error || (s == Severity::Warning && args.deny == Some(Deny::Warnings))
    };
    let mut summary = Summary {
        skipped: expanded.skipped,
        ..Summary::default()
    };
    let mut failed = false;
    // An unreadable path makes the exit status 2 (I/O error), the worst of the run, after every
    // other file has been linted and reported.
    let mut io_failed = false;
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
    let mut sarif_results = Vec::new();
    let mut sarif_refusals = Vec::new();
    let show_progress = paths.len() > BATCH_FILES && std::io::stderr().is_terminal();
    if args.format == Format::Human {
        #[expect(clippy::print_stderr, reason = "the header for people goes to stderr")]
        {
            let ids: Vec<&str> = chosen.dialects.iter().map(|d| d.id()).collect();
            eprintln!("vsconf: modelling {}: {}", ids.join(", "), chosen.source);
        }
    }
    super::warn_about(&chosen);
    if args.format == Format::Json {
        super::write_stdout(json::header().as_bytes())?;
    }
    let run = Run {
        options: &options,
        dialects: &chosen.dialects,
        source: &chosen.source,
        host_checks: args.host_checks,
    };
    // Files are linted in batches on all cores and written as each batch completes, so memory stays
    // bounded by one batch whatever the number of files.
    let batches = paths
        .chunks(BATCH_FILES)
        .map(|batch| lint_batch(batch, &run))
        .chain((!walk_failures.is_empty()).then(|| Ok(walk_failures)));
    for (batch_index, reports) in batches.enumerate() {
        let reports = reports?;
        let mut out = String::new();
        for (i, r) in reports.iter().enumerate() {
            summary.add(r);
            io_failed |= r.startup.unreadable;
            failed |= r.startup.refused
                || r.startup.crashed
                || r.builds.iter().any(|b| !b.startup.starts)
                || r.diagnostics.iter().any(|d| fails(d.severity));
            match args.format {
                Format::Human => out.push_str(&human::render_file(r, colour)),
                Format::Github => out.push_str(&github::render_file(r)),
                Format::Json => {
                    if batch_index > 0 || i > 0 {
                        out.push(',');
                    }
                    out.push_str(&json::render_file(r));
                }
                Format::Sarif => {
                    let (results, refusal) = sarif::file_results(r);
                    sarif_results.extend(results);
                    sarif_refusals.extend(refusal);
                }
            }
        }
        super::write_stdout(out.as_bytes())?;
        if show_progress {
            let done = (batch_index * BATCH_FILES + reports.len()).min(paths.len());
            #[expect(clippy::print_stderr, reason = "progress for people goes to stderr")]
            {
                eprint!("\rlinted {done}/{} files", paths.len());
                if done == paths.len() {
                    eprintln!();
                }
            }
        }
    }
    let tail = match args.format {
        Format::Human => human::render_summary(&summary),
        Format::Json => json::footer(&summary),
        Format::Sarif => {
            sarif::render_results(sarif_results, sarif_refusals, env!("CARGO_PKG_VERSION"))
        }
        Format::Github => String::new(),
    };
    super::write_stdout(tail.as_bytes())?;
    Ok(if io_failed {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Files linted between two writes to standard output.
const BATCH_FILES: usize = 512;

/// What every file of the run is linted with.
struct Run<'a> {
    options: &'a LintOptions,
    /// One build, or every build for `--dialect all` (the first is the primary).
    dialects: &'a [Dialect],
    /// Why these builds.
    source: &'a str,
    host_checks: bool,
}

/// Lints a batch on up to eight threads (the files are independent), keeping input order.
fn lint_batch(paths: &[PathBuf], run: &Run<'_>) -> miette::Result<Vec<FileReport>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    if paths.len() < 64 || workers == 1 {
        return paths.iter().map(|p| lint_one(p, run)).collect();
    }
    let chunk = paths.len().div_ceil(workers);
    let results: Vec<miette::Result<Vec<FileReport>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|p| lint_one(p, run)).collect()))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(miette::miette!("a lint worker stopped unexpectedly")))
            })
            .collect()
    });
    let mut reports = Vec::with_capacity(paths.len());
    for r in results {
        reports.extend(r?);
    }
    Ok(reports)
}

fn lint_one(path: &std::path::Path, run: &Run<'_>) -> miette::Result<FileReport> {
    let options = run.options;
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
    let cst = parse(&loaded.bytes).cst;
    let host = run.host_checks.then(|| SystemHost {
        config: path.to_path_buf(),
    });
    let host = host.as_ref().map(|h| h as &dyn vsconf::startup::host::Host);
    let result = lint(&cst, Some(loaded.file_len), options, host);
    let read_end = read_end(&cst, &result);
    let mut builds = Vec::new();
    let mut diagnostics = result.diagnostics;
    if run.dialects.len() > 1 {
        let mut per_build = Vec::new();
        for &dialect in run.dialects {
            let build_options = LintOptions {
                dialect,
                ..options.clone()
            };
            let other = lint(&cst, Some(loaded.file_len), &build_options, host);
            builds.push(BuildVerdict {
                dialect: dialect.id(),
                startup: startup_summary(&other.prediction, dialect),
            });
            per_build.push((dialect, other.diagnostics));
        }
        diagnostics = merge_builds(per_build);
        // Point at the line where some build stops, if one does.
        let at = diagnostics
            .iter()
            .find(|d| d.fatal)
            .map_or(vsconf::syntax::Span::empty(0), |d| d.span);
        if let Some(disagreement) = disagreement(&builds, at) {
            diagnostics.insert(0, disagreement);
        }
    }
    Ok(FileReport {
        path: loaded.path,
        dialect: options.dialect.id(),
        dialect_source: Some(run.source.to_owned()),
        builds,
        source: cst.text().to_vec(),
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
                    startup.message = Some(escape_bytes(&oops.full_text()));
                    startup.message_bytes = Some(oops.full_text());
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

/// One finding saying where the builds disagree on starting, and why, when they do.
fn disagreement(builds: &[BuildVerdict], at: vsconf::syntax::Span) -> Option<Diagnostic> {
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
    for b in &failing {
        let Some(name) = b
            .startup
            .message
            .as_deref()
            .and_then(|m| m.strip_prefix("500 OOPS: unrecognised variable in config file: "))
        else {
            continue;
        };
        if let Some(tunable) = vsconf::dialect::Tunable::from_name(name) {
            let ids: Vec<&str> = tunable.spec().dialects().map(|d| d.id()).collect();
            let sentence = format!("`{name}` exists only in {}", ids.join(", "));
            if !only_in.contains(&sentence) {
                only_in.push(sentence);
            }
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
