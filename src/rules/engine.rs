//! Runs the registry over one file: model, startup prediction, every enabled rule, suppressions,
//! severity overrides, deterministic order.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::dialect::Dialect;
use crate::model::EffectiveConfig;
use crate::startup::host::Host;
use crate::startup::{Prediction, predict, predict_with_host};
use crate::syntax::Cst;

use super::{Category, Context, REGISTRY, Suppression, find, parse_suppressions};

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
    let mut diagnostics = Vec::new();
    {
        let cx = Context {
            cst,
            config: &config,
            prediction: &prediction,
            host,
        };
        for registered in REGISTRY {
            let meta = registered.meta();
            if !meta.dialects.contains(&options.dialect)
                || (meta.host_checks && host.is_none())
                || options.disabled.iter().any(|d| d == meta.code)
                || (!options.categories.is_empty()
                    && meta.category != Category::Startup
                    && !options.categories.contains(&meta.category))
            {
                continue;
            }
            registered.rule.check(&cx, &mut diagnostics);
        }
    }
    let suppressions = if options.no_suppressions {
        Vec::new()
    } else {
        parse_suppressions(cst)
    };
    diagnostics = apply_suppressions(diagnostics, &suppressions, options);
    for d in &mut diagnostics {
        if let Some(s) = options.severities.get(d.code) {
            d.severity = *s;
        }
        // A verdict of a build modelled without a binary is flagged where it is stated.
        if let (true, Some(note)) = (d.fatal, options.dialect.unverified_note()) {
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

fn enabled(code: &str, options: &LintOptions) -> bool {
    !options.disabled.iter().any(|d| d == code)
}

fn apply_suppressions(
    diagnostics: Vec<Diagnostic>,
    suppressions: &[Suppression],
    options: &LintOptions,
) -> Vec<Diagnostic> {
    let mut used = vec![false; suppressions.iter().map(|s| s.rules.len()).sum()];
    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let mut silenced = false;
        let mut index = 0;
        for s in suppressions {
            for (rule, _) in &s.rules {
                let matches = find(rule).is_some_and(|r| r.meta().code == d.code);
                if matches
                    && s.target
                        .is_some_and(|t| t.contains(d.span.start) || t == d.span)
                    && !d.fatal
                {
                    silenced = true;
                    if let Some(u) = used.get_mut(index) {
                        *u = true;
                    }
                }
                index += 1;
            }
        }
        if !silenced {
            kept.push(d);
        }
    }
    let mut index = 0;
    for s in suppressions {
        for (rule, span) in &s.rules {
            let was_used = used.get(index).copied().unwrap_or(false);
            index += 1;
            let finding = match find(rule) {
                None => Some((
                    "VSC901",
                    "unknown-suppression",
                    format!("`{rule}` names no vsconf rule"),
                    "use a code or name listed by `vsconf rules`",
                )),
                Some(_) if s.target.is_none() => Some((
                    "VSC902",
                    "misplaced-suppression",
                    format!("this suppression of `{rule}` is not directly above a setting"),
                    "put the comment on the line right above the setting it is about",
                )),
                Some(_) if !was_used => Some((
                    "VSC903",
                    "unused-suppression",
                    format!(
                        "`{rule}` reports nothing on the next setting: the suppression silences nothing"
                    ),
                    "remove the suppression",
                )),
                Some(_) => None,
            };
            if let Some((code, name, message, help)) = finding {
                if enabled(code, options) {
                    kept.push(
                        Diagnostic::new(code, name, Severity::Warning, *span, message).help(help),
                    );
                }
            }
        }
    }
    kept
}
