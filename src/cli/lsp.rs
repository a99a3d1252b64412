//! `vsconf lsp`: the language server, over standard input and output (see `vsconf::lsp`).
//!
//! Exit status: 0 after the client's `shutdown` and `exit`, 1 when the client exits without
//! `shutdown` or goes away, 2 for a `--dialect` that cannot be used.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Mutex;

use vsconf::dialect::Dialect;
use vsconf::lsp::{Exit, Options, serve};

use super::input::DialectArg;

/// Arguments of `vsconf lsp`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub dialect: DialectArg,
    /// Accepted for clients that pass it (VS Code's generic clients do); stdio is the only transport.
    #[arg(long, hide = true)]
    pub stdio: bool,
}

/// Runs the server until the client exits.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    // A flag that cannot work (`--dialect all`, a bad VSCONF_DIALECT) fails now, not per buffer.
    args.dialect.resolve_one(None)?;
    let dialect = args.dialect.clone();
    // Each buffer gets the build `lint` chooses for it (`--dialect`, else its vsconf.toml, else
    // $VSCONF_DIALECT, else the build detected on this host), through the same `resolve`. Detection
    // asks the host (package manager, `vsftpd -v`), so its answer is kept per settings value.
    let chosen: Mutex<BTreeMap<Option<Dialect>, Dialect>> = Mutex::new(BTreeMap::new());
    let options = Options {
        choose_dialect: Box::new(move |settings, _file| {
            let mut chosen = chosen.lock().unwrap_or_else(|e| e.into_inner());
            *chosen.entry(settings.dialect).or_insert_with(|| {
                dialect
                    .resolve(settings.dialect)
                    .map(|c| c.primary())
                    .unwrap_or_default()
            })
        }),
    };
    let exit = serve(std::io::stdin(), std::io::stdout(), options);
    Ok(match exit {
        Exit::Clean => ExitCode::SUCCESS,
        Exit::WithoutShutdown | Exit::ClientGone => ExitCode::from(1),
    })
}
