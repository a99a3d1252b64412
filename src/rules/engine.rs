//! Runs the registry over one file: model, startup prediction, every enabled rule, suppressions,
//! severity overrides, deterministic order.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::dialect::Dialect;
use crate::model::EffectiveConfig;
use crate::startup::host::Host;
use crate::startup::{Prediction, predict, predict_with_host};
use crate::syntax::Cst;

use super::suppress;
use super::{Category, Context, REGISTRY, RuleMeta, find, parse_suppressions};

/// How to lint.
#[derive(Default, Clone)]
pub struct LintOptions {
    /// The dialect to read the file as.
    pub dialect: Dialect,
    /// Rule codes (upper-case) switched off.
    pub disabled: Vec<String>,
    /// When non-empty, only these categories run (startup rules always run).
    pub categories: Vec<Category>,
    /// Severity overrides by code.
    pub severities: BTreeMap<String, Severity>,
    /// Ignore `# vsconf: allow` comments.
    pub no_suppressions: bool,
}

/// The outcome of linting one file.
pub struct LintResult {
    /// The effective configuration.
    pub config: EffectiveConfig,
    /// What vsftpd does with the file.
    pub prediction: Prediction,
    /// Findings, sorted by offset then code.
    pub diagnostics: Vec<Diagnostic>,
}

/// Lints a parsed file. `file_len` is the full length when `cst` holds only a prefix.
///
/// Every active rule of the dialect runs; the rule selection (`disabled`, `categories`) and the
/// severity overrides then apply to the findings, except to a fatal one: a line vsftpd refuses to
/// start with stays an error whatever the selection says, and its help says why, so that the summary
/// and the exit status agree with the startup verdict. The `VSC9xx` rules run last, once the
/// suppressions have been applied.
pub fn lint(
    cst: &Cst,
    file_len: Option<u64>,
    options: &LintOptions,
    host: Option<&dyn Host>,
) -> LintResult {
    let config = EffectiveConfig::read(cst, options.dialect, file_len);
    let prediction = match host {
        Some(host) => predict_with_host(&config, cst.text(), host),
        None => predict(&config, cst.text()),
    };
    let runs = |meta: &RuleMeta| {
        meta.is_active()
            && meta.dialects.contains(&options.dialect)
            && (!meta.host_checks || host.is_some())
    };
    let context = |rule: &'static RuleMeta| Context {
        cst,
        config: &config,
        prediction: &prediction,
        host,
        rule,
        directives: &[],
    };
    let mut diagnostics = Vec::new();
    for registered in REGISTRY.iter().filter(|r| runs(r.meta())) {
        if registered.meta().category != Category::Vsconf {
            registered.check(&context(registered.meta()), &mut diagnostics);
        }
    }
    let suppressions = if options.no_suppressions {
        Vec::new()
    } else {
        parse_suppressions(cst)
    };
    let (mut diagnostics, directives) = suppress::apply(diagnostics, &suppressions);
    for registered in REGISTRY.iter().filter(|r| runs(r.meta())) {
        if registered.meta().category == Category::Vsconf {
            let cx = Context {
                directives: &directives,
                ..context(registered.meta())
            };
            registered.check(&cx, &mut diagnostics);
        }
    }
    let mut diagnostics = select(diagnostics, options);
    // A verdict of a build modelled without a binary is flagged where it is stated.
    if let Some(note) = options.dialect.unverified_note() {
        for d in diagnostics.iter_mut().filter(|d| d.fatal) {
            d.help = Some(match d.help.take() {
                Some(help) => format!("{help} ({note})"),
                None => note.to_owned(),
            });
        }
    }
    // Fatal findings first (they are why vsftpd refuses to start), then by position and code.
    diagnostics.sort_by(|a, b| {
        (!a.fatal, a.span.start, a.code, a.span.end).cmp(&(
            !b.fatal,
            b.span.start,
            b.code,
            b.span.end,
        ))
    });
    diagnostics.dedup();
    LintResult {
        config,
        prediction,
        diagnostics,
    }
}

/// Applies the rule selection and the severity overrides. A fatal finding is kept as an error
/// whatever they say: vsftpd refuses to start (or crashes) because of it, and a run that reported
/// "0 errors" beside that verdict would contradict itself. Its help says that the selection was
/// overruled, so that the choice in `vsconf.toml` or `--ignore` does not vanish silently.
fn select(diagnostics: Vec<Diagnostic>, options: &LintOptions) -> Vec<Diagnostic> {
    let mut kept = Vec::with_capacity(diagnostics.len());
    for mut d in diagnostics {
        let category = find(d.code).map(|r| r.meta().category);
        let switched_off = options.disabled.iter().any(|c| c == d.code)
            || category.is_some_and(|c| {
                !options.categories.is_empty()
                    && c != Category::Startup
                    && !options.categories.contains(&c)
            });
        let wanted = options.severities.get(d.code).copied();
        if !d.fatal {
            if !switched_off {
                d.severity = wanted.unwrap_or(d.severity);
                kept.push(d);
            }
            continue;
        }
        let overruled = if switched_off {
            Some("switches this rule off".to_owned())
        } else {
            wanted
                .filter(|s| *s != Severity::Error)
                .map(|s| format!("sets this rule to {}", s.as_str()))
        };
        d.severity = Severity::Error;
        if let Some(why) = overruled {
            let note = format!(
                "kept as an error although the rule selection {why}: vsftpd does not start because of this line, so it cannot be ignored or downgraded"
            );
            d.help = Some(match d.help.take() {
                Some(help) => format!("{help}; {note}"),
                None => note,
            });
        }
        kept.push(d);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn codes(text: &[u8], options: &LintOptions) -> Vec<(&'static str, Severity)> {
        let cst = parse(text).cst;
        lint(&cst, None, options, None)
            .diagnostics
            .iter()
            .map(|d| (d.code, d.severity))
            .collect()
    }

    #[test]
    fn suppression_rules_obey_the_selection_like_any_rule() {
        let text = b"listen=YES\n# vsconf: allow VSC999\nanonymous_enable=NO\n";
        let all = codes(text, &LintOptions::default());
        assert!(all.iter().any(|(c, _)| *c == "VSC901"), "{all:?}");
        let security = LintOptions {
            categories: vec![Category::Security],
            ..LintOptions::default()
        };
        assert!(!codes(text, &security).iter().any(|(c, _)| *c == "VSC901"));
        let ignored = LintOptions {
            disabled: vec!["VSC901".to_owned()],
            ..LintOptions::default()
        };
        assert!(!codes(text, &ignored).iter().any(|(c, _)| *c == "VSC901"));
        let info = LintOptions {
            severities: BTreeMap::from([("VSC901".to_owned(), Severity::Info)]),
            ..LintOptions::default()
        };
        assert!(codes(text, &info).contains(&("VSC901", Severity::Info)));
    }

    #[test]
    fn issue_11_a_fatal_finding_stays_an_error_whatever_the_selection_says() {
        let text = b"listen=YES\nlisten_prot=2121\n";
        let selections = [
            LintOptions {
                severities: BTreeMap::from([("VSC001".to_owned(), Severity::Info)]),
                ..LintOptions::default()
            },
            LintOptions {
                disabled: vec!["VSC001".to_owned()],
                ..LintOptions::default()
            },
            LintOptions {
                categories: vec![Category::Security],
                disabled: vec!["VSC001".to_owned()],
                ..LintOptions::default()
            },
        ];
        for options in selections {
            let cst = parse(text).cst;
            let result = lint(&cst, None, &options, None);
            assert!(!result.prediction.verdict.starts());
            let fatal: Vec<&Diagnostic> = result.diagnostics.iter().filter(|d| d.fatal).collect();
            assert_eq!(fatal.len(), 1, "{:?}", result.diagnostics);
            assert_eq!(fatal[0].code, "VSC001");
            assert_eq!(fatal[0].severity, Severity::Error);
            let help = fatal[0].help.as_deref().unwrap_or_default();
            assert!(
                help.contains("kept as an error although the rule selection"),
                "{help}"
            );
        }
        // Without an override, the help is the rule's own.
        let cst = parse(text).cst;
        let plain = lint(&cst, None, &LintOptions::default(), None);
        assert!(plain.diagnostics.iter().all(|d| {
            !d.help
                .as_deref()
                .unwrap_or_default()
                .contains("kept as an error")
        }));
    }
}
