//! Firewall generation: golden snapshots of every format for every example config
//! (`examples/firewall/*.conf`), validation of the generated rules by the real tools (`nft -c`,
//! `nft -j -c`, `iptables-restore --test`, `ip6tables-restore --test`) in a private network namespace,
//! and the command's exit codes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an integration test fails by panicking and may print; Cargo.toml's [lints] cover every target"
)]

mod cli;
mod golden;
#[path = "../system/support.rs"]
mod support;
mod validate;

use vsconf::dialect::Dialect;
use vsconf::firewall::{self, Allow, Cidr, Format, Header, Shape, TableFamily, Target};
use vsconf::model::EffectiveConfig;
use vsconf::syntax::parse;

/// One generation request: config files (names under examples/firewall, without `.conf`) and options.
pub struct Case {
    /// The snapshot's name.
    pub name: String,
    /// Config names under examples/firewall.
    pub configs: Vec<&'static str>,
    /// `--allow` arguments.
    pub allow: Vec<&'static str>,
    /// `--source` arguments.
    pub sources: Vec<&'static str>,
    /// `--into` table, chain and family, when the rules go into an existing ruleset.
    pub into: Option<(&'static str, &'static str, &'static str)>,
}

impl Case {
    fn single(config: &'static str) -> Case {
        Case {
            name: config.to_owned(),
            configs: vec![config],
            allow: vec![],
            sources: vec![],
            into: None,
        }
    }
}

/// Every example config alone, the two-process dual stack, and the option and shape variants.
pub fn cases() -> Vec<Case> {
    let mut out: Vec<Case> = example_names().into_iter().map(Case::single).collect();
    out.push(Case {
        name: "dual-two-processes".into(),
        configs: vec!["dual-ipv4", "dual-ipv6"],
        ..Case::single("")
    });
    out.push(Case {
        name: "dual-stack-allow-source".into(),
        configs: vec!["dual-stack"],
        allow: vec!["22/tcp", "60000-60010/udp"],
        sources: vec!["198.51.100.0/24", "2001:db8::/32"],
        into: None,
    });
    out.push(Case {
        name: "plain-passive-source-v4-only".into(),
        configs: vec!["dual-stack"],
        sources: vec!["203.0.113.0/24"],
        ..Case::single("")
    });
    out.push(Case {
        name: "plain-passive-into-inet".into(),
        into: Some(("inet", "filter", "input")),
        ..Case::single("plain-passive")
    });
    out.push(Case {
        name: "passive-no-range-into-inet".into(),
        into: Some(("inet", "filter", "input")),
        ..Case::single("passive-no-range")
    });
    out.push(Case {
        name: "plain-passive-into-ip".into(),
        into: Some(("ip", "filter", "INPUT")),
        ..Case::single("plain-passive")
    });
    out.push(Case {
        name: "dual-stack-into-ip6".into(),
        into: Some(("ip6", "filter", "INPUT")),
        ..Case::single("dual-stack")
    });
    out
}

/// The example configs' names, sorted.
pub fn example_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/firewall"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter_map(|n| {
                n.strip_suffix(".conf")
                    .map(|s| &*Box::leak(s.to_owned().into_boxed_str()))
            })
            .collect();
    names.sort();
    names
}

/// The example's path as the command line would name it.
pub fn example_path(name: &str) -> String {
    format!("examples/firewall/{name}.conf")
}

/// Reads a case's configs under upstream-3.0.5, labelled as the command line would name them.
fn read_configs(case: &Case) -> Vec<(String, EffectiveConfig)> {
    case.configs
        .iter()
        .map(|n| {
            let bytes = std::fs::read(
                concat!(env!("CARGO_MANIFEST_DIR"), "/").to_owned() + &example_path(n),
            )
            .unwrap();
            (
                example_path(n),
                EffectiveConfig::read(&parse(&bytes).cst, Dialect::Upstream305, None),
            )
        })
        .collect()
}

/// Generates a case in a format: the output text, or the error as the user reads it.
pub fn generate(case: &Case, format: Format) -> Result<String, String> {
    let configs = read_configs(case);
    let refs: Vec<(String, &EffectiveConfig)> =
        configs.iter().map(|(p, c)| (p.clone(), c)).collect();
    let allow = case
        .allow
        .iter()
        .map(|a| Allow::parse(a).unwrap())
        .collect();
    let sources = case
        .sources
        .iter()
        .map(|s| Cidr::parse(s).unwrap())
        .collect();
    let plan = firewall::plan(&refs, allow, sources).map_err(|e| error_text(&e))?;
    let shape = match case.into {
        None => Shape::Standalone,
        Some((f, t, c)) => Shape::Into(Target {
            family: TableFamily::parse(f).unwrap(),
            table: t.into(),
            chain: c.into(),
        }),
    };
    let header = Header {
        sources: configs.iter().map(|(p, _)| p.clone()).collect(),
        dialect: "upstream-3.0.5",
    };
    firewall::emit(format, &plan, &shape, &header).map_err(|e| error_text(&e))
}

/// The explanation for a case (standalone), or its error.
pub fn explanation(case: &Case) -> Result<String, String> {
    let configs = read_configs(case);
    let refs: Vec<(String, &EffectiveConfig)> =
        configs.iter().map(|(p, c)| (p.clone(), c)).collect();
    let plan = firewall::plan(&refs, vec![], vec![]).map_err(|e| error_text(&e))?;
    Ok(firewall::explain(&plan, &Shape::Standalone))
}

fn error_text(e: &dyn miette::Diagnostic) -> String {
    let code = e.code().map(|c| c.to_string()).unwrap_or_default();
    let help = e.help().map(|h| h.to_string()).unwrap_or_default();
    format!("error[{code}]: {e}\nhelp: {help}\n")
}
