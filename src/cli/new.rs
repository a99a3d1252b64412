//! `vsconf new --profile NAME [FILE]`: a sane, commented config for a common setup. Without FILE the
//! config goes to standard output; with FILE it is previewed as a diff against the file (or against
//! nothing when it does not exist) and written only with `--write`.

use std::path::PathBuf;
use std::process::ExitCode;

use vsconf::edit::profile::{Profile, ProfileOptions, generate};

use super::input::{InputError, load_whole};
use super::preview::{Proposal, WriteArgs, finish};

/// Profiles on the command line.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ProfileArg {
    /// Anonymous read-only download server; no local logins, no uploads.
    AnonymousDownload,
    /// Local users chrooted to their homes, TLS required for logins and data.
    LocalTls,
    /// Both, behind NAT: anonymous downloads and local TLS users; needs --pasv-address.
    BehindNat,
}

impl From<ProfileArg> for Profile {
    fn from(p: ProfileArg) -> Profile {
        match p {
            ProfileArg::AnonymousDownload => Profile::AnonymousDownload,
            ProfileArg::LocalTls => Profile::LocalTls,
            ProfileArg::BehindNat => Profile::BehindNat,
        }
    }
}

/// `MIN-MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortRangeArg(pub u16, pub u16);

impl std::str::FromStr for PortRangeArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (a, b) = s
            .split_once('-')
            .ok_or_else(|| format!("expected MIN-MAX, got `{s}`"))?;
        let port = |t: &str| {
            t.trim()
                .parse::<u16>()
                .map_err(|_| format!("`{t}` is not a port (1-65535)"))
        };
        Ok(PortRangeArg(port(a)?, port(b)?))
    }
}

/// Arguments of `vsconf new`.
#[derive(Debug, clap::Args)]
#[command(after_help = super::preview::EXIT_CODES)]
pub struct Args {
    /// The setup to write.
    #[arg(long, value_enum)]
    pub profile: ProfileArg,
    /// Where to write it (previewed; --write applies). Without it the config goes to standard output.
    pub file: Option<PathBuf>,
    /// Passive port range a firewall will open.
    #[arg(long, value_name = "MIN-MAX", default_value = "50000-50100")]
    pub pasv_range: PortRangeArg,
    /// Public IPv4 address to advertise in PASV replies (behind NAT).
    #[arg(long, value_name = "IPV4")]
    pub pasv_address: Option<String>,
    /// TLS certificate, PEM (local-tls) [default: the distribution's usual path].
    #[arg(long, value_name = "PATH")]
    pub tls_cert: Option<String>,
    /// TLS private key, PEM (local-tls). Required with --tls-cert unless that file holds the key too.
    #[arg(long, value_name = "PATH")]
    pub tls_key: Option<String>,
    /// Control port.
    #[arg(long, default_value_t = 21, value_name = "PORT")]
    pub listen_port: u16,
    /// Directory served to anonymous users (anonymous-download).
    #[arg(long, default_value = "/srv/ftp", value_name = "DIR")]
    pub anon_root: String,
    #[command(flatten)]
    pub common: super::ConfigArgs,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Whether the PEM file at `path` holds a private key vsftpd can load (as `startup::tls_files` reads
/// it); an unreadable file holds none that vsconf can vouch for, nor does an encrypted key (also
/// `Proc-Type: 4,ENCRYPTED`). Reads at most 1 MiB.
fn pem_holds_private_key(path: &str) -> bool {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path)
        .and_then(|f| f.take(1 << 20).read_to_end(&mut bytes))
        .is_ok();
    // vsftpd cannot ask for a passphrase: an encrypted key is no key to it (docs/host-checks.md).
    read && vsconf::startup::tls_files::holds_loadable_private_key(&bytes)
}

/// Runs `vsconf new`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    let lint = args.common.lint_options()?;
    let options = ProfileOptions {
        dialect: lint.dialect,
        listen_port: args.listen_port,
        pasv_range: (args.pasv_range.0, args.pasv_range.1),
        pasv_address: args.pasv_address.clone(),
        tls_cert: args.tls_cert.clone(),
        tls_key: args.tls_key.clone(),
        tls_cert_holds_key: args.tls_cert.as_deref().is_some_and(pem_holds_private_key),
        anon_root: args.anon_root.clone(),
    };
    let text = generate(args.profile.into(), &options)?;
    let Some(file) = &args.file else {
        if args.write.wants_file() {
            return Err(miette::miette!(
                code = "vsconf::edit::no_file",
                help = "name the file to write: vsconf new --profile NAME FILE --write",
                "--write, --check and --backup need a FILE"
            ));
        }
        super::write_stdout(&text)?;
        return Ok(ExitCode::SUCCESS);
    };
    let (before, new_file) = match load_whole(file) {
        Ok(loaded) => (loaded.bytes, false),
        Err(InputError::Unreadable { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            (Vec::new(), true)
        }
        Err(e) => return Err(e.into()),
    };
    let proposal = Proposal {
        path: file,
        before: &before,
        after: &text,
        new_file,
        lint: &lint,
        notes: &[],
    };
    finish(&proposal, &args.write, &args.common)
}
