//! `vsconf firewall CONF… --format nft|nft-json|iptables|ip6tables|firewalld|ufw`: the firewall rules the
//! effective config needs, with a summary on stderr; `--diff`, `--output` and `--apply` to preview, save
//! and load them.
//!
//! Exit codes: 0 rules written (or `--diff` found no difference); 1 no working rules exist for this
//! config (TLS without a pinned passive range, a format that cannot express what is needed), or
//! `--diff` found differences; 2 usage or I/O error, `--apply` without root, a tool refused the rules,
//! `--apply` refused because the rules would cut something, or the trial was rolled back unconfirmed.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use vsconf::edit::write::{WriteOptions, write_atomic};
use vsconf::firewall::lower::lower;
use vsconf::firewall::{
    self as fw, Allow, Cidr, EmitError, Format, Header, Shape, TableFamily, Target,
};
use vsconf::model::EffectiveConfig;
use vsconf::syntax::parse;

use super::input::load;

mod trial;

/// Arguments of `vsconf firewall`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The vsftpd config file(s): one per vsftpd process behind this firewall (e.g. an IPv4 and an IPv6
    /// instance).
    #[arg(required_unless_present_any = ["confirm", "trial_watch"])]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub common: super::ConfigArgs,
    #[command(flatten)]
    pub overrides: super::overrides::OverrideArgs,
    /// Output format.
    #[arg(long, default_value = "nft", value_parser = format_parser())]
    pub format: Format,
    /// Keep another service reachable in the standalone ruleset: PORT/PROTO or FIRST-LAST/PROTO (tcp or
    /// udp), e.g. --allow 22/tcp. Repeatable.
    #[arg(long, value_name = "PORT/PROTO", value_parser = parse_allow)]
    pub allow: Vec<Allow>,
    /// Accept FTP only from this prefix (e.g. 198.51.100.0/24 or 2001:db8::/32). Repeatable.
    #[arg(long, value_name = "CIDR", value_parser = parse_source)]
    pub source: Vec<Cidr>,
    /// Emit only the rules to append to an existing chain, e.g. --into inet filter input (nft) or
    /// --into ip filter INPUT (iptables).
    #[arg(long, num_args = 3, value_names = ["FAMILY", "TABLE", "CHAIN"])]
    pub into: Option<Vec<String>>,
    /// Show a unified diff between FILE (existing rules) and the generated rules instead of printing them.
    #[arg(long, value_name = "FILE")]
    pub diff: Option<PathBuf>,
    /// Write the rules to FILE atomically instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Load the rules as a trial, like iptables-apply: save the live ruleset, refuse when the rules
    /// would cut a listening service, your SSH session or another chain's accepts (see --allow,
    /// --force), check and load them, print what changed, and put the saved ruleset back unless
    /// confirmed within --confirm-within. Root only; nft, nft-json, iptables and ip6tables.
    /// Appending to your own chain with --into is the recommended path: it cuts nothing.
    #[arg(long)]
    pub apply: bool,
    /// With --apply: load even though the rules would cut what was listed.
    #[arg(long, requires = "apply")]
    pub force: bool,
    /// With --apply: how long the trial waits for confirmation (a yes on the terminal, or
    /// `vsconf firewall --confirm` from another shell) before it restores the saved ruleset.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_within)]
    pub confirm_within: std::time::Duration,
    /// Keep the rules of the `--apply` trial pending in this network namespace.
    #[arg(long, conflicts_with_all = ["apply", "diff", "output", "explain"])]
    pub confirm: bool,
    /// Internal: the detached process that rolls a trial back at its deadline.
    #[arg(long, hide = true)]
    pub trial_watch: bool,
    /// Print only the explanation of what is opened and why (on standard output).
    #[arg(long)]
    pub explain: bool,
}

fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(Format::ALL.map(Format::name)).map(|s| {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .unwrap_or(Format::Nft)
    })
}

fn parse_allow(text: &str) -> Result<Allow, String> {
    Allow::parse(text).ok_or_else(|| {
        format!("expected PORT/PROTO or FIRST-LAST/PROTO with PROTO tcp or udp (e.g. 22/tcp), got {text:?}")
    })
}

fn parse_within(text: &str) -> Result<std::time::Duration, String> {
    vsconf::firewall::apply::parse_duration(text).ok_or_else(|| {
        format!("expected a duration up to 1 hour such as 30s, 2m or 500ms, got {text:?}")
    })
}

fn parse_source(text: &str) -> Result<Cidr, String> {
    Cidr::parse(text).ok_or_else(|| {
        format!("expected an IPv4 or IPv6 address with an optional /LEN (e.g. 198.51.100.0/24), got {text:?}")
    })
}

/// Why `--apply`, `--diff` or `--output` could not do their job.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum FirewallCliError {
    /// `--into` with a bad family.
    #[error("--into: unknown family {0:?}")]
    #[diagnostic(
        code(vsconf::firewall::into),
        help("use inet, ip or ip6 (iptables: ip; ip6tables: ip6)")
    )]
    IntoFamily(String),
    /// `--apply` as non-root.
    #[error("--apply needs root: loading firewall rules requires CAP_NET_ADMIN")]
    #[diagnostic(
        code(vsconf::firewall::not_root),
        help(
            "run it with sudo, or review first with --diff FILE / --output FILE and load the file yourself"
        )
    )]
    NotRoot,
    /// `--apply` for a format without a loader.
    #[error("--apply does not support --format {0}")]
    #[diagnostic(
        code(vsconf::firewall::apply_format),
        help("write the file with --output and install it as the comment at its top says")
    )]
    ApplyFormat(&'static str),
    /// A tool failed.
    #[error("{tool} refused the rules: {detail}")]
    #[diagnostic(
        code(vsconf::firewall::tool_failed),
        help("nothing was loaded when the check failed; the message above is the tool's own")
    )]
    Tool {
        /// The command line.
        tool: String,
        /// Its stderr, or why it could not run.
        detail: String,
    },
    /// `--apply` would cut something and `--force` was not given.
    #[error("--apply refused: the standalone ruleset would cut\n{0}")]
    #[diagnostic(
        code(vsconf::firewall::would_cut),
        help(
            "nothing was loaded. Recommended: add the FTP rules to your existing chain with --into (e.g. --into inet filter input), which cuts nothing; or keep each service with the --allow flags above; or load anyway with --force"
        )
    )]
    WouldCut(String),
    /// Another trial has not ended.
    #[error("a firewall trial is still pending ({0}.*)")]
    #[diagnostic(
        code(vsconf::firewall::trial_pending),
        help("confirm it with `vsconf firewall --confirm`, or wait for its deadline to pass")
    )]
    TrialPending(String),
    /// `--confirm` with no trial.
    #[error("no firewall trial is pending in this network namespace")]
    #[diagnostic(
        code(vsconf::firewall::no_trial),
        help(
            "start one with `vsconf firewall CONF --apply`; --confirm must run as root in the same network namespace"
        )
    )]
    NoTrial,
    /// The trial ended without confirmation.
    #[error("{0}")]
    #[diagnostic(
        code(vsconf::firewall::rolled_back),
        help(
            "the new rules are not loaded; run --apply again and confirm with a yes on the terminal or `vsconf firewall --confirm` from another shell"
        )
    )]
    RolledBack(String),
    /// The saved ruleset could not be put back.
    #[error("the roll-back failed: {0}")]
    #[diagnostic(
        code(vsconf::firewall::restore_failed),
        help(
            "the ruleset saved before the trial was in /run/vsconf; check the live ruleset with `nft list ruleset` / `iptables-save` now"
        )
    )]
    RestoreFailed(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    #[diagnostic(code(vsconf::firewall::io))]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// A file could not be written atomically (the edit layer's write).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Write(#[from] vsconf::edit::write::WriteError),
}

/// Runs `vsconf firewall`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    if args.trial_watch {
        trial::watch()?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.confirm {
        if !super::host::is_root() {
            return Err(FirewallCliError::NotRoot.into());
        }
        trial::confirm()?;
        return Ok(ExitCode::SUCCESS);
    }
    let dialect = args.common.dialect()?;
    let (loaded, startup_notes) = read_configs(args, dialect)?;
    let configs: Vec<(String, &EffectiveConfig)> =
        loaded.iter().map(|(p, c)| (p.clone(), c)).collect();
    let plan = match fw::plan(&configs, args.allow.clone(), args.source.clone()) {
        Ok(p) => p,
        Err(e) => return report(miette::Report::new(e)),
    };
    let shape = shape_of(args)?;
    let format = args.format;
    let header = Header {
        sources: args.files.iter().map(|f| f.display().to_string()).collect(),
        dialect: dialect.id(),
    };
    let summary = summary_of(&plan, &shape, format, &startup_notes);
    if args.explain {
        super::write_stdout(summary.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }

    let text = match fw::emit(format, &plan, &shape, &header) {
        Ok(t) => t,
        Err(e @ (EmitError::Option { .. } | EmitError::IntoFamily { .. })) => return Err(e.into()),
        Err(e) => return report(miette::Report::new(e)),
    };
    if !args.common.quiet {
        eprint_text(&summary);
    }
    let mut code = ExitCode::SUCCESS;
    if let Some(old_path) = &args.diff {
        if !diff_against(old_path, &text)? {
            code = ExitCode::from(1);
        }
    }
    if let Some(out) = &args.output {
        // The edit layer's atomic write (temp file, fsync, rename, fsync of the directory); a new
        // rules file is world-readable like the ones firewall packages ship.
        let options = WriteOptions {
            new_file_mode: Some(0o644),
            ..WriteOptions::default()
        };
        write_atomic(out, text.as_bytes(), &options)?;
    }
    if args.apply {
        apply(args, &plan, &shape, &text)?;
    }
    if args.diff.is_none() && args.output.is_none() && !args.apply {
        super::write_stdout(text.as_bytes())?;
    }
    Ok(code)
}

/// Every config with its `-o` overrides, as vsftpd reads it, and a note for each one vsftpd would
/// refuse: its rules are still what it will need once fixed.
fn read_configs(
    args: &Args,
    dialect: vsconf::dialect::Dialect,
) -> miette::Result<(Vec<(String, EffectiveConfig)>, String)> {
    let mut loaded = Vec::new();
    let mut startup_notes = String::new();
    for file in &args.files {
        let l = load(file)?;
        let cst = parse(&l.bytes).cst;
        let overrides = args.overrides.resolve(file);
        let config =
            EffectiveConfig::read_with_overrides(&cst, dialect, Some(l.file_len), &overrides);
        let prediction = vsconf::startup::predict(&config, cst.text());
        if !prediction.verdict.starts() {
            let why = prediction.verdict.oops_text().map_or_else(
                || "it crashes".to_owned(),
                |t| format!("\"{}\"", String::from_utf8_lossy(&t)),
            );
            startup_notes.push_str(&format!(
                "note: {}: vsftpd would not start with this config ({why}); see `vsconf lint {}`\n",
                l.path, l.path
            ));
        }
        loaded.push((l.path.clone(), config));
    }
    Ok((loaded, startup_notes))
}

/// A standalone table, or rules for the chain `--into FAMILY TABLE CHAIN` names.
fn shape_of(args: &Args) -> miette::Result<Shape> {
    let Some(v) = &args.into else {
        return Ok(Shape::Standalone);
    };
    let [family, table, chain] = v.as_slice() else {
        return Err(miette::miette!(
            "--into takes three values: FAMILY TABLE CHAIN"
        ));
    };
    let family =
        TableFamily::parse(family).ok_or_else(|| FirewallCliError::IntoFamily(family.clone()))?;
    Ok(Shape::Into(Target {
        family,
        table: table.clone(),
        chain: chain.clone(),
    }))
}

/// What the rules open and why, for people (stderr, or stdout with `--explain`).
fn summary_of(
    plan: &fw::FirewallPlan,
    shape: &Shape,
    format: Format,
    startup_notes: &str,
) -> String {
    let mut summary = fw::explain(plan, shape);
    summary.push_str(startup_notes);
    for n in lower(plan, shape).notes {
        summary.push_str(&format!("note: {n}\n"));
    }
    let families = plan.families();
    if format == Format::Iptables && families.contains(&fw::plan::Family::Ipv6) {
        summary.push_str("note: --format iptables covers IPv4 only; generate the IPv6 half with --format ip6tables\n");
    }
    if format == Format::Ip6tables && families.contains(&fw::plan::Family::Ipv4) {
        summary.push_str("note: --format ip6tables covers IPv6 only; generate the IPv4 half with --format iptables\n");
    }
    summary
}

/// `--diff OLD`: prints a unified diff of the rules (not the header) and says whether they are the same.
fn diff_against(old_path: &std::path::Path, text: &str) -> miette::Result<bool> {
    let old = std::fs::read_to_string(old_path).map_err(|source| FirewallCliError::Io {
        path: old_path.display().to_string(),
        source,
    })?;
    let (old_rules, new_rules) = (without_header(&old), without_header(text));
    if old_rules == new_rules {
        return Ok(true);
    }
    let diff = similar::TextDiff::from_lines(&old_rules, &new_rules)
        .unified_diff()
        .header(&old_path.display().to_string(), "generated")
        .to_string();
    super::write_stdout(diff.as_bytes())?;
    Ok(false)
}

/// The rules without the generated header line, which names the config files as they were typed
/// (`./a.conf` and `/etc/a.conf` give the same rules).
fn without_header(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if !line.contains("firewall rules generated by vsconf from ") {
            out.push_str(line);
        }
    }
    out
}

/// Prints a config-caused failure and exits 1.
fn report(r: miette::Report) -> miette::Result<ExitCode> {
    eprint_text(&format!("{r:?}\n"));
    Ok(ExitCode::from(1))
}

pub(crate) fn eprint_text(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Checks, loads, and prints the change in the live ruleset.
fn apply(args: &Args, plan: &fw::FirewallPlan, shape: &Shape, text: &str) -> miette::Result<()> {
    let format = args.format;
    if !matches!(
        format,
        Format::Nft | Format::NftJson | Format::Iptables | Format::Ip6tables
    ) {
        return Err(FirewallCliError::ApplyFormat(format.name()).into());
    }
    if !super::host::is_root() {
        return Err(FirewallCliError::NotRoot.into());
    }
    let (tool, check, load, input): (trial::Tool, Vec<&str>, Vec<&str>, String) = match format {
        Format::Nft => (
            trial::Tool::Nft,
            vec!["nft", "-c", "-f", "-"],
            vec!["nft", "-f", "-"],
            text.to_owned(),
        ),
        Format::NftJson => (
            trial::Tool::Nft,
            vec!["nft", "-j", "-c", "-f", "-"],
            vec!["nft", "-j", "-f", "-"],
            text.to_owned(),
        ),
        _ => {
            let (family, legacy, restore) = if format == Format::Iptables {
                (
                    fw::plan::Family::Ipv4,
                    trial::Tool::Iptables,
                    "iptables-restore",
                )
            } else {
                (
                    fw::plan::Family::Ipv6,
                    trial::Tool::Ip6tables,
                    "ip6tables-restore",
                )
            };
            // iptables-nft keeps its rules in nftables: the trial saves and restores the whole nft
            // ruleset, which puts it back byte for byte (iptables-save cannot remove a table it created).
            let tool = if trial::xtables_on_nft(restore) {
                trial::Tool::Nft
            } else {
                legacy
            };
            match shape {
                // -w 10: wait for the xtables lock (another iptables run) instead of failing at once.
                Shape::Standalone => (
                    tool,
                    vec![restore, "-w", "10", "--test"],
                    vec![restore, "-w", "10"],
                    text.to_owned(),
                ),
                Shape::Into(_) => {
                    let input = fw::emit::iptables::restore_into(&lower(plan, shape), family)
                        .unwrap_or_default();
                    (
                        tool,
                        vec![restore, "-w", "10", "--test", "--noflush"],
                        vec![restore, "-w", "10", "--noflush"],
                        input,
                    )
                }
            }
        }
    };
    trial::run(&trial::Trial {
        tool,
        check,
        load,
        input,
        rules: lower(plan, shape),
        force: args.force,
        within: args.confirm_within,
    })
}

/// A ruleset listing without the lines that change on every call (iptables-save's dates and counters).
pub(crate) fn listing(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let line = match (line.starts_with(':'), line.rfind(" [")) {
            (true, Some(i)) => line.get(..i).unwrap_or(line),
            _ => line,
        };
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Runs a tool with optional standard input, under a 30-second limit; returns its standard output.
pub(crate) fn run_tool(argv: &[&str], input: Option<&str>) -> Result<String, FirewallCliError> {
    let shown = argv.join(" ");
    let fail = |detail: String| FirewallCliError::Tool {
        tool: shown.clone(),
        detail,
    };
    let (program, rest) = argv
        .split_first()
        .ok_or_else(|| fail("empty command".to_owned()))?;
    let mut child = Command::new(program)
        .args(rest)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("cannot run: {e}")))?;
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin
            .write_all(text.as_bytes())
            .map_err(|e| fail(format!("cannot write its input: {e}")))?;
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail("no answer within 30 s".to_owned()));
            }
            Err(e) => return Err(fail(e.to_string())),
        }
    }
    let out = child.wait_with_output().map_err(|e| fail(e.to_string()))?;
    if !out.status.success() {
        return Err(fail(String::from_utf8_lossy(&out.stderr).trim().to_owned()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
