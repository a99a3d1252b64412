//! `vsconf show CONF`: the effective value and origin of every setting, as a table or JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use vsconf::dialect::Kind;
use vsconf::model::{EffectiveConfig, ListenerError, Origin};
use vsconf::syntax::{LineIndex, parse};

use super::input::load;

/// Arguments of `vsconf show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The vsftpd config file (`-` for standard input).
    pub file: PathBuf,
    #[command(flatten)]
    pub common: super::ConfigArgs,
    #[command(flatten)]
    pub overrides: super::overrides::OverrideArgs,
    /// Only settings whose effective value differs from the dialect's default.
    #[arg(long)]
    pub changed: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

/// Output formats of `vsconf show`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// An aligned table for people (`table` is accepted too).
    #[value(alias = "table")]
    Human,
    /// `{"version":1,"path":…,"dialect":…,"settings":[…],"facts":{…}}`: `facts` holds what vsftpd
    /// derives from the settings, as the model computes it for every command — `listener`
    /// (`mode`, `family`, `address`, `port`, or `error`: `both_listeners` / `bad_address` with the
    /// `setting`), `passive_range` (`first`, `last`, `min_used`, `max_used`), `data_ports`
    /// (`passive`, `active`: `{"port":N}` or `"ephemeral"`, null when the mode is off) and `tls`.
    Json,
}

#[derive(Serialize)]
struct Row {
    name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: serde_json::Value,
    display: String,
    default: bool,
    origin: String,
    line: Option<u32>,
    overridden_lines: Vec<u32>,
}

/// The model's derived facts, as `show --format json` reports them.
fn facts(config: &EffectiveConfig) -> serde_json::Value {
    let listener = match config.listener() {
        Ok(l) => serde_json::json!({
            "mode": l.mode,
            "family": l.family(),
            "address": l.address.ip().map(|a| a.to_string()),
            "port": l.port,
        }),
        Err(ListenerError::BothListeners) => serde_json::json!({ "error": "both_listeners" }),
        Err(ListenerError::BadAddress { tunable, .. }) => {
            serde_json::json!({ "error": "bad_address", "setting": tunable.name() })
        }
    };
    serde_json::json!({
        "listener": listener,
        "passive_range": config.passive_range(),
        "data_ports": config.data_ports(),
        "tls": config.tls(),
    })
}

/// Runs `vsconf show`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    let loaded = load(&args.file)?;
    let cst = parse(&loaded.bytes).cst;
    let dialect = args.common.dialect()?;
    let overrides = args.overrides.resolve(&args.file);
    let config =
        EffectiveConfig::read_with_overrides(&cst, dialect, Some(loaded.file_len), &overrides);
    let index = LineIndex::new(cst.text());
    let line_of = |s: vsconf::syntax::Span| index.line_column(s.start).line.0;
    let rows: Vec<Row> = config
        .iter()
        .filter(|(spec, _)| !args.changed || config.differs_from_default(spec.tunable))
        .map(|(spec, e)| {
            let (origin, line, overridden_lines) = match &e.origin {
                Origin::Default => (format!("default ({dialect})"), None, Vec::new()),
                Origin::File { line, overridden, .. } => {
                    let n = line_of(*line);
                    let o: Vec<u32> = overridden.iter().map(|s| line_of(*s)).collect();
                    (format!("{}:{n}", loaded.path), Some(n), o)
                }
                Origin::Override { index, overridden } => {
                    let text = overrides.get(*index).map(|o| o.text.as_slice()).unwrap_or_default();
                    let o: Vec<u32> = overridden.iter().map(|s| line_of(*s)).collect();
                    (
                        format!("command line: -o{}", vsconf::syntax::escape_bytes(text)),
                        None,
                        o,
                    )
                }
            };
            let value = match &e.value {
                vsconf::model::Value::Bool(b) => serde_json::Value::Bool(*b),
                vsconf::model::Value::Uint(n) => serde_json::Value::from(*n),
                vsconf::model::Value::Str(None) => serde_json::Value::Null,
                vsconf::model::Value::Str(Some(s)) => match std::str::from_utf8(s) {
                    Ok(t) => serde_json::Value::from(t),
                    Err(_) => {
                        use base64::Engine;
                        serde_json::json!({ "bytes": base64::engine::general_purpose::STANDARD.encode(s) })
                    }
                },
            };
            Row {
                name: spec.name,
                kind: spec.kind.as_str(),
                value,
                display: e.value.display(spec.octal && spec.kind == Kind::Uint),
                default: matches!(e.origin, Origin::Default),
                origin,
                line,
                overridden_lines,
            }
        })
        .collect();
    let mut out = String::new();
    match args.format {
        Format::Json => {
            let doc = serde_json::json!({
                "version": 1,
                "path": loaded.path,
                "dialect": dialect.id(),
                "settings": rows,
                "facts": facts(&config),
            });
            out = serde_json::to_string_pretty(&doc).unwrap_or_default();
            out.push('\n');
        }
        Format::Human => {
            let name_w = rows.iter().map(|r| r.name.len()).max().unwrap_or(4).max(7);
            let value_w = rows
                .iter()
                .map(|r| r.display.chars().count())
                .max()
                .unwrap_or(5)
                .clamp(5, 40);
            out.push_str(&format!(
                "{:name_w$}  {:value_w$}  ORIGIN\n",
                "SETTING", "VALUE"
            ));
            for r in &rows {
                let mut origin = r.origin.clone();
                if !r.overridden_lines.is_empty() {
                    let lines: Vec<String> =
                        r.overridden_lines.iter().map(u32::to_string).collect();
                    origin.push_str(&format!(" (overrides line {})", lines.join(", ")));
                }
                out.push_str(&format!(
                    "{:name_w$}  {:value_w$}  {origin}\n",
                    r.name, r.display
                ));
            }
        }
    }
    super::write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
