//! `vsconf explain NAME`: one vsftpd setting's documentation (the page `docs/settings/NAME.md` holds),
//! from [`vsconf::setting_docs`]; `--json` for tools.

use std::process::ExitCode;

use vsconf::setting_docs::{SettingDoc, all, lookup, page};

/// Arguments of `vsconf explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A vsftpd setting (pasv_min_port); without one, list every setting.
    pub name: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `vsconf explain`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    let Some(name) = &args.name else {
        let docs: Vec<SettingDoc> = all().collect();
        let out = if args.json {
            let rows: Vec<_> = docs.iter().map(json).collect();
            pretty(&serde_json::json!({ "version": 1, "settings": rows }))
        } else {
            let width = docs.iter().map(|d| d.name.len()).max().unwrap_or(10);
            docs.iter()
                .map(|d| format!("{:width$}  {:6}  {}\n", d.name, d.kind, d.summary))
                .collect()
        };
        super::write_stdout(out.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    };
    let doc = lookup(name).ok_or_else(|| unknown(name))?;
    let out = if args.json {
        pretty(&json(&doc))
    } else {
        page(&doc)
    };
    super::write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn unknown(name: &str) -> miette::Report {
    if vsconf::rules::find(name).is_some() {
        return miette::miette!(
            code = "vsconf::explain::rule",
            help = format!("`{name}` is a vsconf rule: run `vsconf rules {name}`"),
            "no vsftpd setting named `{name}`"
        );
    }
    let guesses: Vec<&str> = vsconf::dialect::Dialect::ALL
        .into_iter()
        .flat_map(|d| vsconf::dialect::suggest(name.as_bytes(), d))
        .fold(Vec::new(), |mut v, s| {
            if !v.contains(&s) {
                v.push(s);
            }
            v
        });
    let help = if guesses.is_empty() {
        "run `vsconf explain` for the list".to_owned()
    } else {
        format!("did you mean {}?", guesses.join(", "))
    };
    miette::miette!(
        code = "vsconf::explain::unknown",
        help = help,
        "no vsftpd setting named `{name}`"
    )
}

fn json(d: &SettingDoc) -> serde_json::Value {
    let defaults: serde_json::Map<String, serde_json::Value> = d
        .defaults
        .iter()
        .map(|(dl, v)| (dl.id().to_owned(), serde_json::Value::from(v.as_str())))
        .collect();
    serde_json::json!({
        "name": d.name,
        "type": d.kind,
        "octal": d.octal,
        "defaults": defaults,
        "missing_in": d.missing_in.iter().map(|dl| dl.id()).collect::<Vec<_>>(),
        "summary": d.summary,
        "details": d.details,
        "interacts_with": d.interacts_with,
        "pitfalls": d.pitfalls,
        "value_pitfalls": d.value_pitfalls,
        "rules": d.rules.iter().map(|(c, n)| serde_json::json!({ "code": c, "name": n })).collect::<Vec<_>>(),
    })
}

fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
