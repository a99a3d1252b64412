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

use super::input::load;

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
    pub common: super::ConfigArgs,
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
    let base = args.common.dialect()?;
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
            args.common.color.resolve(),
        )
    } else {
        String::new()
    };
    let firewall = firewall_difference(&old.path, &old_config, &new.path, &new_config);
    let out = match args.format {
        Format::Human => {
            let mut out = render(&diff);
            out.push_str(&firewall.human());
            if args.text {
                out.push('\n');
                out.push_str(&text);
            }
            out
        }
        Format::Json => {
            let mut value = serde_json::to_value(&diff)
                .map_err(|e| miette::miette!("cannot encode the diff: {e}"))?;
            if let Some(map) = value.as_object_mut() {
                map.insert("firewall_rules".to_owned(), firewall.json());
            }
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

/// How the nftables ruleset `vsconf firewall` generates changes between the two configs.
enum FirewallDifference {
    /// Both plans exist; the unified diff of their nft rulesets (empty: the same rules).
    Rules(String),
    /// One side has no plan (vsftpd refuses it, or TLS without a pinned range): the reason per side.
    Unplannable {
        old: Option<String>,
        new: Option<String>,
    },
}

impl FirewallDifference {
    fn human(&self) -> String {
        match self {
            FirewallDifference::Rules(d) if d.is_empty() => {
                "\nnftables rules from `vsconf firewall`: unchanged\n".to_owned()
            }
            FirewallDifference::Rules(d) => {
                format!("\nnftables rules from `vsconf firewall` change:\n{d}")
            }
            FirewallDifference::Unplannable { old, new } => {
                let mut out = String::from("\nnftables rules from `vsconf firewall`:\n");
                for (side, why) in [("old", old), ("new", new)] {
                    match why {
                        Some(why) => out.push_str(&format!("  {side}: no ruleset: {why}\n")),
                        None => out.push_str(&format!("  {side}: a ruleset can be generated\n")),
                    }
                }
                out
            }
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            FirewallDifference::Rules(d) => {
                serde_json::json!({ "changed": !d.is_empty(), "nft_diff": d })
            }
            FirewallDifference::Unplannable { old, new } => {
                serde_json::json!({ "changed": true, "old_error": old, "new_error": new })
            }
        }
    }
}

fn firewall_difference(
    old_path: &str,
    old: &EffectiveConfig,
    new_path: &str,
    new: &EffectiveConfig,
) -> FirewallDifference {
    use vsconf::firewall::{Format as Fw, Header, Shape, emit, plan};
    let rules = |path: &str, config: &EffectiveConfig| -> Result<String, String> {
        let plan = plan(&[(path.to_owned(), config)], Vec::new(), Vec::new())
            .map_err(|e| e.to_string())?;
        // The same header on both sides, so that only the rules differ.
        let header = Header {
            sources: vec!["CONF".to_owned()],
            dialect: config.dialect().id(),
        };
        emit(Fw::Nft, &plan, &Shape::Standalone, &header).map_err(|e| e.to_string())
    };
    match (rules(old_path, old), rules(new_path, new)) {
        (Ok(a), Ok(b)) if a == b => FirewallDifference::Rules(String::new()),
        (Ok(a), Ok(b)) => FirewallDifference::Rules(
            similar::TextDiff::from_lines(&a, &b)
                .unified_diff()
                .context_radius(1)
                .header("old rules", "new rules")
                .to_string(),
        ),
        (a, b) => FirewallDifference::Unplannable {
            old: a.err(),
            new: b.err(),
        },
    }
}
