//! `vsconf generate man DIR` and `vsconf generate completions SHELL` (hidden): the man pages
//! (`vsconf.1` and one `vsconf-SUBCOMMAND.1` per subcommand, from clap_mangen) and the shell completions
//! (bash, zsh, fish, from clap_complete), both generated from the same clap definitions as `--help`.
//! Packaging (`cargo deb`, distributions) runs it; the tests check the output.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::CommandFactory;

/// Arguments of `vsconf generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Write vsconf.1 and vsconf-SUBCOMMAND.1 into DIR.
    Man {
        /// The directory (created if missing).
        dir: PathBuf,
    },
    /// Print the completion script for a shell on standard output.
    Completions {
        /// bash, zsh or fish.
        #[arg(value_enum)]
        shell: Shell,
    },
}

/// Shells with completions.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// Runs `vsconf generate`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    let mut cmd = super::Cli::command();
    cmd.build();
    match &args.what {
        What::Completions { shell } => {
            let shell = match shell {
                Shell::Bash => clap_complete::Shell::Bash,
                Shell::Zsh => clap_complete::Shell::Zsh,
                Shell::Fish => clap_complete::Shell::Fish,
            };
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "vsconf", &mut out);
            super::write_stdout(&out)?;
        }
        What::Man { dir } => {
            std::fs::create_dir_all(dir)
                .map_err(|e| miette::miette!("cannot create {}: {e}", dir.display()))?;
            let mut pages = vec![("vsconf".to_owned(), cmd.clone())];
            for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
                let name = format!("vsconf-{}", sub.get_name());
                pages.push((name.clone(), sub.clone().display_name(name)));
            }
            for (name, page) in pages {
                let mut out = Vec::new();
                clap_mangen::Man::new(page)
                    .render(&mut out)
                    .map_err(|e| miette::miette!("cannot render {name}.1: {e}"))?;
                let path = dir.join(format!("{name}.1"));
                std::fs::write(&path, out)
                    .map_err(|e| miette::miette!("cannot write {}: {e}", path.display()))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
