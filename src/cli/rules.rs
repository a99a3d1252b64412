//! `vsconf rules [CODE|NAME|SETTING]`: the rule table, one rule's documentation, or the rules that
//! check a vsftpd setting (with a pointer to `vsconf explain SETTING`).

use std::process::ExitCode;

use vsconf::rules::{FixAvailability, REGISTRY, RuleMeta, find};

/// Arguments of `vsconf rules`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A rule code (VSC101) or name (pasv-range-unset): print its documentation; a vsftpd setting
    /// (pasv_min_port): list the rules that check it.
    pub rule: Option<String>,
    /// Print the table as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `vsconf rules`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    if let Some(wanted) = &args.rule {
        let Some(r) = find(wanted) else {
            // A setting's name: list the rules that check it and point to its page.
            let doc = vsconf::setting_docs::lookup(wanted).ok_or_else(|| {
                miette::miette!(
                    help = "run `vsconf rules` for the list, or `vsconf explain NAME` for a vsftpd setting",
                    "no rule named `{wanted}`"
                )
            })?;
            let metas: Vec<_> = REGISTRY
                .iter()
                .map(|r| r.meta())
                .filter(|m| doc.rules.iter().any(|(code, _)| *code == m.code))
                .collect();
            let out = if args.json {
                let mut out = serde_json::to_string_pretty(
                    &serde_json::json!({ "version": 1, "setting": doc.name, "rules": metas }),
                )
                .unwrap_or_default();
                out.push('\n');
                out
            } else {
                let mut out = format!(
                    "`{0}` is a vsftpd setting, not a rule: `vsconf explain {0}` documents it.\n",
                    doc.name
                );
                if metas.is_empty() {
                    out.push_str("No rule checks it yet.\n");
                } else {
                    out.push_str("Rules that check it:\n\n");
                    out.push_str(&table(&metas));
                }
                out
            };
            super::write_stdout(out.as_bytes())?;
            return Ok(ExitCode::SUCCESS);
        };
        let text = vsconf::rules::docs::page(r);
        super::write_stdout(text.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.json {
        let metas: Vec<_> = REGISTRY.iter().map(|r| r.meta()).collect();
        let mut out =
            serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "rules": metas }))
                .unwrap_or_default();
        out.push('\n');
        super::write_stdout(out.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let metas: Vec<&RuleMeta> = REGISTRY.iter().map(|r| r.meta()).collect();
    let out = table(&metas);
    super::write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The rule table: a header, then one line per rule.
fn table(metas: &[&RuleMeta]) -> String {
    let mut out = format!(
        "{:7} {:32} {:12} {:8} {:6} SUMMARY\n",
        "CODE", "NAME", "CATEGORY", "SEVERITY", "FIX"
    );
    for m in metas {
        let fix = match m.fix {
            FixAvailability::None => "-",
            FixAvailability::Sometimes(_) => "some",
            FixAvailability::Always(_) => "yes",
        };
        out.push_str(&format!(
            "{:7} {:32} {:12} {:8} {:6} {}\n",
            m.code,
            m.name,
            m.category.as_str(),
            m.severity.as_str(),
            fix,
            m.summary
        ));
    }
    out
}
