//! `vsconf diff OLD NEW`: the semantic diff of two effective configurations (every setting whose
//! effective value changes, and what that means), human or JSON; `--text` adds the textual diff.
//!
//! Exit codes: 0 the effective configurations are the same, 1 they differ, 2 an error.

use std::path::PathBuf;
use std::process::ExitCode;

use vsconf::dialect::Dialect;
use vsconf::edit::diff::unified;
use vsconf::edit::semantic::{Side, compare, render};
use vsconf::model::EffectiveConfig;
use vsconf::startup::predict;
use vsconf::syntax::parse;

use super::input::{DialectArg, load};
use super::preview::ColorChoice;

/// Arguments of `vsconf diff`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit codes: 0 the effective configurations are the same; 1 they differ; 2 error."
)]
pub struct Args {
    /// The old config.
    pub old: PathBuf,
    /// The new config.
    pub new: PathBuf,
    #[command(flatten)]
    pub dialect: DialectArg,
    /// Dialect of OLD, when it differs (a migration).
    #[arg(long, value_name = "DIALECT")]
    pub old_dialect: Option<Dialect>,
    /// Dialect of NEW, when it differs.
    #[arg(long, value_name = "DIALECT")]
    pub new_dialect: Option<Dialect>,
    /// Also show the textual unified diff.
    #[arg(long)]
    pub text: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Colour the textual diff.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorChoice,
}

/// Output formats of `vsconf diff`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Text for people.
    Human,
    /// The semantic diff as JSON (`"version": 1`), with `text_diff` under `--text`.
    Json,
}

/// Runs `vsconf diff`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    let old = load(&args.old)?;
    let new = load(&args.new)?;
    let base = super::settings_dialect(&args.dialect, &args.old);
    let (old_dialect, new_dialect) = (
        args.old_dialect.unwrap_or(base),
        args.new_dialect.unwrap_or(base),
    );
    let (old_cst, new_cst) = (parse(&old.bytes).cst, parse(&new.bytes).cst);
    let old_config = EffectiveConfig::read(&old_cst, old_dialect, Some(old.file_len));
    let new_config = EffectiveConfig::read(&new_cst, new_dialect, Some(new.file_len));
    let (old_prediction, new_prediction) = (
        predict(&old_config, old_cst.text()),
        predict(&new_config, new_cst.text()),
    );
    let diff = compare(
        &Side {
            path: &old.path,
            cst: &old_cst,
            config: &old_config,
            prediction: &old_prediction,
        },
        &Side {
            path: &new.path,
            cst: &new_cst,
            config: &new_config,
            prediction: &new_prediction,
        },
    );
    let text = if args.text {
        unified(
            &old.bytes,
            &new.bytes,
            &old.path,
            &new.path,
            args.color.resolve(),
        )
    } else {
        String::new()
    };
    let out = match args.format {
        Format::Human if args.text => format!("{}\n{}", render(&diff), text),
        Format::Human => render(&diff),
        Format::Json => {
            let mut value = serde_json::to_value(&diff)
                .map_err(|e| miette::miette!("cannot encode the diff: {e}"))?;
            if let (Some(map), true) = (value.as_object_mut(), args.text) {
                map.insert("text_diff".to_owned(), serde_json::Value::from(text));
            }
            let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
            s.push('\n');
            s
        }
    };
    super::write_stdout(out.as_bytes())?;
    Ok(if diff.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
