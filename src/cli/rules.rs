//! `vsconf rules [CODE|NAME]`: the rule table, or one rule's documentation.

use std::process::ExitCode;

use vsconf::rules::{FixAvailability, REGISTRY, find};

/// Arguments of `vsconf rules`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A rule code (VSC101) or name (pasv-range-unset): print its documentation.
    pub rule: Option<String>,
    /// Print the table as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `vsconf rules`.
pub fn run(args: &Args) -> miette::Result<ExitCode> {
    if let Some(wanted) = &args.rule {
        let r = find(wanted).ok_or_else(|| {
            if vsconf::setting_docs::lookup(wanted).is_some() {
                miette::miette!(
                    help = format!("`{wanted}` is a vsftpd setting: run `vsconf explain {wanted}`"),
                    "no rule named `{wanted}`"
                )
            } else {
                miette::miette!(
                    help = "run `vsconf rules` for the list, or `vsconf explain NAME` for a vsftpd setting",
                    "no rule named `{wanted}`"
                )
            }
        })?;
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
    let mut out = format!(
        "{:7} {:32} {:12} {:8} {:6} SUMMARY\n",
        "CODE", "NAME", "CATEGORY", "SEVERITY", "FIX"
    );
    for r in REGISTRY {
        let m = r.meta();
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
    super::write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
