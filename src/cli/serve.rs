//! `vsconf serve CONF [--root DIR] [--bind ADDR] [--port-offset N] [--users FILE]`: run the embedded FTP
//! server as the config says, until interrupted. Prints `listening on ADDR` to stderr once it accepts.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use vsconf::model::{EffectiveConfig, FirstFatal};
use vsconf::server::{ServeOptions, start};
use vsconf::syntax::parse;

use super::input::load;

/// Arguments of `vsconf serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The vsftpd config file.
    pub file: PathBuf,
    #[command(flatten)]
    pub common: super::ConfigArgs,
    #[command(flatten)]
    pub overrides: super::overrides::OverrideArgs,
    /// Directory served as `/` to every user [default: anon_root].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Listen on this address instead of listen_address / listen_address6.
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<IpAddr>,
    /// Add N to listen_port, ftp_data_port and the passive port range (to run without root).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub port_offset: u16,
    /// Local users, one `name:password` per line (the host's passwords are never read).
    #[arg(long, value_name = "FILE")]
    pub users: Option<PathBuf>,
}

/// Runs `vsconf serve`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    let loaded = load(&args.file)?;
    let cst = parse(&loaded.bytes).cst;
    let dialect = args.common.dialect()?;
    let overrides = args.overrides.resolve(&args.file);
    let config =
        EffectiveConfig::read_with_overrides(&cst, dialect, Some(loaded.file_len), &overrides);
    match config.first_fatal() {
        Some(FirstFatal::Line(reading)) => {
            let line = vsconf::syntax::LineIndex::new(cst.text())
                .line_column(reading.line.start)
                .line
                .0;
            return Err(miette::miette!(
                code = "vsconf::server::config",
                help = "run `vsconf lint` on the file; vsftpd would not start with it",
                "{}:{line}: vsftpd stops reading the config at this line",
                loaded.path
            ));
        }
        Some(FirstFatal::Override(o)) => {
            return Err(miette::miette!(
                code = "vsconf::server::config",
                help = "run `vsconf lint` with the same -o arguments; vsftpd would not start with them",
                "-o{}: vsftpd refuses this command-line override",
                vsconf::syntax::escape_bytes(&o.text)
            ));
        }
        None => {}
    }
    let options = ServeOptions {
        root: args.root.clone(),
        bind: args.bind,
        port_offset: args.port_offset,
        users: args.users.clone(),
    };
    let running = start(&config, options)?;
    let range = running.passive_ports();
    #[expect(
        clippy::print_stderr,
        reason = "the readiness line for people and tests"
    )]
    {
        eprintln!(
            "listening on {} (vsFTPd {} dialect {dialect}, passive ports {}-{})",
            running.control_addr(),
            running.version(),
            range.first,
            range.last
        );
    }
    running.wait();
    Ok(ExitCode::SUCCESS)
}
