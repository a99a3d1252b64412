//! `vsconf probe [ftp://][USER@]HOST[:PORT]`: probe a live server and diagnose its data channel.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use vsconf::probe::{self, ProbeOptions, Report, TlsMode, diagnose, parse_url, report};

/// Arguments of `vsconf probe`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// `ftp://[USER@]HOST[:PORT]` (explicit FTPS with AUTH TLS), `ftps://[USER@]HOST[:PORT]` (implicit
    /// FTPS), or a bare `HOST[:PORT]` (as ftp://). A user in the URL counts as --user.
    pub url: String,
    /// Log in as this user (password from VSCONF_PASSWORD, else a prompt); anonymous by default.
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// Explicit FTPS: `require` fails without TLS, `try` uses it when FEAT offers AUTH TLS and
    /// compares with a plain session, `off` never sends AUTH TLS.
    #[arg(long, value_enum, default_value = "try")]
    pub tls: TlsArg,
    /// Also check active mode (PORT and EPRT) with a listener of the probe's own.
    #[arg(long)]
    pub active: bool,
    /// PASV and EPSV replies to collect per session (to learn the passive ports).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub passive_samples: u32,
    /// Seconds every network wait may take (connect, each reply, each data connection).
    #[arg(long, default_value = "5", value_name = "SECONDS")]
    pub timeout: f64,
    /// Also ask whether downloads and uploads are allowed, without transferring anything (RETR of a
    /// missing file, STOR into a missing directory).
    #[arg(long)]
    pub permissions: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Print the diagnosis only: no progress, no step log.
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour in output for people: auto, always or never (accepted on every subcommand).
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: super::ColorChoice,
}

/// `--tls`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TlsArg {
    /// TLS must work.
    Require,
    /// TLS when offered, compared with plain.
    Try,
    /// No TLS.
    Off,
}

/// Output formats of `vsconf probe`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Steps and diagnosis for people.
    Human,
    /// One JSON document (`"version": 1`).
    Json,
}

/// Runs `vsconf probe`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    let url = parse_url(&args.url)?;
    let target = url.target;
    // --user wins over a user named in the URL.
    let user = args.user.clone().or(url.user);
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 600.0) {
        return Err(miette::miette!(
            code = "vsconf::probe::bad_timeout",
            help = "give seconds between 0.1 and 600",
            "bad --timeout {}",
            args.timeout
        ));
    }
    let password = match &user {
        None => None,
        Some(user) => Some(password(user)?),
    };
    let options = ProbeOptions {
        target,
        user,
        password,
        tls: match args.tls {
            TlsArg::Require => TlsMode::Require,
            TlsArg::Try => TlsMode::Try,
            TlsArg::Off => TlsMode::Off,
        },
        active: args.active,
        passive_samples: args.passive_samples,
        timeout: Duration::from_secs_f64(args.timeout),
        permissions: args.permissions,
    };
    // Progress is for a person watching: one line on the terminal, redrawn in place, erased at the
    // end. Piped or redirected, nothing is printed (the report itself has every step).
    let live = !args.quiet && std::io::stderr().is_terminal();
    let width = terminal_width();
    let progress = move |line: &str| {
        if live {
            let text: String = format!("vsconf probe: {line}")
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .take(width.saturating_sub(1))
                .collect();
            #[expect(
                clippy::print_stderr,
                reason = "progress for people goes to the terminal on stderr"
            )]
            {
                eprint!("\r\x1b[2K{text}");
            }
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| miette::miette!("cannot start the async runtime: {e}"))?;
    let observations = runtime.block_on(probe::probe(&options, &progress));
    if live {
        #[expect(clippy::print_stderr, reason = "erase the progress line")]
        {
            eprint!("\r\x1b[2K");
        }
    }
    let observations = observations?;
    let findings = diagnose(&observations);
    let rep = Report::new(observations, findings);
    let text = match args.format {
        Format::Human => report::render_human_with(
            &rep,
            report::HumanOptions {
                timings: true,
                diagnosis_only: args.quiet,
                colour: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            },
        ),
        Format::Json => report::render_json(&rep),
    };
    super::write_stdout(text.as_bytes())?;
    Ok(ExitCode::from(rep.exit_status))
}

/// The password: `VSCONF_PASSWORD`, else a prompt on the terminal (never a flag: flags show in `ps`).
fn password(user: &str) -> miette::Result<String> {
    if let Ok(p) = std::env::var("VSCONF_PASSWORD") {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(miette::miette!(
            code = "vsconf::probe::no_password",
            help = "set VSCONF_PASSWORD in the environment, or run on a terminal to be prompted",
            "no password for {user}"
        ));
    }
    let echo_off = std::process::Command::new("stty")
        .arg("-echo")
        .stdin(std::process::Stdio::inherit())
        .status()
        .is_ok_and(|s| s.success());
    #[expect(clippy::print_stderr, reason = "the prompt goes to the terminal")]
    {
        eprint!("password for {user}: ");
    }
    let mut line = String::new();
    let read = std::io::stdin().read_line(&mut line);
    if echo_off {
        let _ = std::process::Command::new("stty")
            .arg("echo")
            .stdin(std::process::Stdio::inherit())
            .status();
        #[expect(clippy::print_stderr, reason = "end the prompt line")]
        {
            eprintln!();
        }
    }
    read.map_err(|e| miette::miette!("cannot read the password: {e}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Columns of the terminal: `COLUMNS` when set, else 80 (a progress line longer than the terminal
/// would wrap and could no longer be redrawn in place).
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c >= 20)
        .unwrap_or(80)
}
