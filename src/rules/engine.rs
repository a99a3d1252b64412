//! Runs the registry over one file: model, startup prediction, every enabled rule, suppressions,
//! severity overrides, deterministic order.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::dialect::{Dialect, TUNABLES};
use crate::model::{EffectiveConfig, Outcome, Override};
use crate::startup::host::Host;
use crate::startup::{Prediction, predict, predict_with_host};
use crate::syntax::{Cst, Span, parse};

use super::suppress::Directive;
use super::{Category, Context, REGISTRY, RuleMeta, find, parse_suppressions};
use super::{Registered, evident, suppress};

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
    lint_with_overrides(cst, file_len, options, host, &[])
}

/// [`lint`] for a file started with vsftpd's `-o` command-line overrides: they take part in the
/// effective values and the startup verdict, and each one vsftpd refuses is a fatal finding (the
/// rules themselves look at the file's lines).
pub fn lint_with_overrides(
    cst: &Cst,
    file_len: Option<u64>,
    options: &LintOptions,
    host: Option<&dyn Host>,
    overrides: &[Override],
) -> LintResult {
    let config = EffectiveConfig::read_with_overrides(cst, options.dialect, file_len, overrides);
    let prediction = match host {
        Some(host) => predict_with_host(&config, cst.text(), host),
        None => predict(&config, cst.text()),
    };
    let runs = |meta: &RuleMeta| {
        meta.is_active()
            && meta.dialects.contains(&options.dialect)
            && (!meta.host_checks || host.is_some())
    };
    let base = Inputs {
        cst,
        config: &config,
        prediction: &prediction,
        host,
        directives: &[],
    };
    // Sized up front: a filtered `collect` grows from nothing, six reallocations per file.
    let mut checks: Vec<&Registered> = Vec::with_capacity(REGISTRY.len());
    checks.extend(
        REGISTRY
            .iter()
            .filter(|r| runs(r.meta()) && r.meta().category != Category::Vsconf),
    );
    let startup = StartupCodes::get();
    let mut diagnostics = Vec::new();
    let evident = if config.first_fatal_reading().is_none() {
        for registered in &checks {
            registered.check(&base.context(registered.meta()), &mut diagnostics);
        }
        Evident::default()
    } else {
        // Where vsftpd stops at a line, the rules other than the startup ones read the file as it
        // evidently means (see `evident`): what vsftpd read there are defaults the text contradicts.
        // Only the rules that can refuse read the real file first (their fatal findings say what it
        // means); the others read it only where the evident file cannot be made.
        let mut refusing: Vec<&Registered> = Vec::with_capacity(checks.len());
        let mut others: Vec<&Registered> = Vec::with_capacity(checks.len());
        for registered in &checks {
            if registered.meta().refuses {
                refusing.push(registered);
            } else {
                others.push(registered);
            }
        }
        for registered in &refusing {
            registered.check(&base.context(registered.meta()), &mut diagnostics);
        }
        let evident = evident_config(cst, &config, &diagnostics, &refusing, file_len);
        match &evident.config {
            Some(meant) => {
                let meant_base = Inputs {
                    config: meant,
                    ..base
                };
                recheck_as_meant(meant_base, base, &checks, startup, &mut diagnostics);
            }
            None => {
                for registered in &others {
                    registered.check(&base.context(registered.meta()), &mut diagnostics);
                }
            }
        }
        evident
    };
    quiet_unreadable_settings(&evident.unreadable, startup, &mut diagnostics);
    diagnostics.extend(override_findings(&config));
    let suppressions = if options.no_suppressions {
        Vec::new()
    } else {
        parse_suppressions(cst)
    };
    let (mut diagnostics, directives) = suppress::apply(diagnostics, &suppressions);
    for registered in REGISTRY.iter().filter(|r| runs(r.meta())) {
        if registered.meta().category == Category::Vsconf {
            let cx = Inputs {
                directives: &directives,
                ..base
            }
            .context(registered.meta());
            registered.check(&cx, &mut diagnostics);
        }
    }
    let diagnostics = finish(select(diagnostics, options), options.dialect);
    LintResult {
        config,
        prediction,
        diagnostics,
    }
}

/// What every rule of one run reads; [`Inputs::context`] adds the rule.
#[derive(Clone, Copy)]
struct Inputs<'a> {
    cst: &'a Cst,
    config: &'a EffectiveConfig,
    prediction: &'a Prediction,
    host: Option<&'a dyn Host>,
    directives: &'a [Directive],
}

impl<'a> Inputs<'a> {
    fn context(self, rule: &'static RuleMeta) -> Context<'a> {
        Context {
            cst: self.cst,
            config: self.config,
            prediction: self.prediction,
            host: self.host,
            rule,
            directives: self.directives,
        }
    }
}

/// The startup rules' codes, listed once per process: `find` per finding (a case-insensitive scan of
/// the whole registry) was 2.4% of a bulk run. Findings carry their rule's code verbatim, so plain
/// equality answers as `find` did.
struct StartupCodes(Vec<&'static str>);

impl StartupCodes {
    fn get() -> &'static Self {
        static CODES: std::sync::OnceLock<StartupCodes> = std::sync::OnceLock::new();
        CODES.get_or_init(|| {
            StartupCodes(
                REGISTRY
                    .iter()
                    .filter(|r| r.meta().category == Category::Startup)
                    .map(|r| r.meta().code)
                    .collect(),
            )
        })
    }

    fn contains(&self, d: &Diagnostic) -> bool {
        self.0.contains(&d.code)
    }
}

/// Replaces the findings of the rules other than the startup ones by what they find in the evident
/// reading (`meant.config`). A fix is bytes for the real file: a finding the evident reading shares
/// with the real one keeps the real one's fix; one only the evident reading sees (its spans end before
/// a repaired CR) gets its fix once the file starts.
///
/// `diagnostics` holds what the rules that can refuse found in the real file (`real`); a rule
/// without that flag reads the real file only when the evident one gives it findings to fix.
fn recheck_as_meant(
    meant: Inputs<'_>,
    real: Inputs<'_>,
    checks: &[&Registered],
    startup: &StartupCodes,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // What the rules that can refuse found in the real file besides their fatal findings: moved
    // aside, only their fixes are needed.
    let (kept, refusing_in_real): (Vec<Diagnostic>, Vec<Diagnostic>) = std::mem::take(diagnostics)
        .into_iter()
        .partition(|d| d.fatal || startup.contains(d));
    *diagnostics = kept;
    for registered in checks
        .iter()
        .filter(|r| r.meta().category != Category::Startup)
    {
        let mut found = Vec::new();
        registered.check(&meant.context(registered.meta()), &mut found);
        found.retain(|d| !d.fatal);
        if found.is_empty() {
            continue;
        }
        let read_now;
        let in_real = if registered.meta().refuses {
            &refusing_in_real
        } else {
            let mut real_findings = Vec::new();
            registered.check(&real.context(registered.meta()), &mut real_findings);
            read_now = real_findings;
            &read_now
        };
        diagnostics.extend(found.into_iter().map(|mut d| {
            d.fix = in_real
                .iter()
                .find(|r| !r.fatal && r.code == d.code && r.span.start == d.span.start)
                .and_then(|r| r.fix.clone());
            d
        }));
    }
}

/// A refused line that names a setting without an evident value: no other finding may speak of that
/// setting (it would call it a default the line contradicts); the line's finding says so.
fn quiet_unreadable_settings(
    unreadable: &[(Span, String)],
    startup: &StartupCodes,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (line, name) in unreadable {
        let before = diagnostics.len();
        diagnostics.retain(|d| d.fatal || startup.contains(d) || !mentions(d, name));
        if diagnostics.len() == before {
            continue;
        }
        for d in diagnostics
            .iter_mut()
            .filter(|d| d.fatal && line.contains(d.span.start))
        {
            let note =
                format!("findings about `{name}` wait until this line says what it is meant to be");
            d.help = Some(match d.help.take() {
                Some(help) => format!("{help}; {note}"),
                None => note,
            });
        }
    }
}

/// The selected findings as they are reported: a verdict of a build modelled without a binary
/// flagged where it is stated, fatal findings first (they are why vsftpd refuses to start), then by
/// position and code, without repeats.
fn finish(mut diagnostics: Vec<Diagnostic>, dialect: Dialect) -> Vec<Diagnostic> {
    if let Some(note) = dialect.unverified_note() {
        for d in diagnostics.iter_mut().filter(|d| d.fatal) {
            d.help = Some(match d.help.take() {
                Some(help) => format!("{help} ({note})"),
                None => note.to_owned(),
            });
        }
    }
    diagnostics.sort_by(|a, b| {
        (!a.fatal, a.span.start, a.code, a.span.end).cmp(&(
            !b.fatal,
            b.span.start,
            b.code,
            b.span.end,
        ))
    });
    diagnostics.dedup();
    diagnostics
}

/// How the rules other than the startup ones read a file where vsftpd stops at a line.
#[derive(Default)]
struct Evident {
    /// The configuration the refused lines evidently mean, when their fatal findings say so.
    config: Option<EffectiveConfig>,
    /// The refused lines that name a setting without saying evidently what value they mean
    /// (`anonymous_enable` alone, `listen=maybe`), with the setting's name.
    unreadable: Vec<(Span, String)>,
}

/// Whether a finding's text names the setting (as a word).
fn mentions(d: &Diagnostic, name: &str) -> bool {
    let word = |text: &str| {
        text.match_indices(name).any(|(at, _)| {
            let before = text.get(..at).and_then(|t| t.chars().next_back());
            let after = text.get(at + name.len()..).and_then(|t| t.chars().next());
            !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        })
    };
    word(&d.message)
        || d.help.as_deref().is_some_and(word)
        || d.labels.iter().any(|l| word(&l.message))
}

/// How the file evidently reads where vsftpd stops at a line (see [`Evident`]); nothing to say when it
/// reads every line.
///
/// One meaning can hide another (`ANONYMOUS_ENABLE=YES\r` is first an unknown name, and once renamed
/// a boolean ending in CR), so the rules that can refuse are asked again on the evident file until
/// their fatal findings have nothing more to say, a few rounds at most.
fn evident_config(
    cst: &Cst,
    config: &EffectiveConfig,
    diagnostics: &[Diagnostic],
    refusing: &[&Registered],
    file_len: Option<u64>,
) -> Evident {
    const ROUNDS: usize = 4;
    if config.first_fatal_reading().is_none() {
        return Evident::default();
    }
    let dialect = config.dialect();
    let mut fatal: Vec<Diagnostic> = diagnostics.iter().filter(|d| d.fatal).cloned().collect();
    let mut evident: Option<(Vec<u8>, EffectiveConfig)> = None;
    for _ in 0..ROUNDS {
        let current = evident
            .as_ref()
            .map_or(cst.text(), |(bytes, _)| bytes.as_slice());
        let Some(bytes) = evident::text(current, &fatal.iter().collect::<Vec<_>>()) else {
            break;
        };
        let next_cst = parse(&bytes).cst;
        let next = EffectiveConfig::read(&next_cst, dialect, file_len);
        fatal.clear();
        if next.first_fatal_reading().is_some() {
            let prediction = predict(&next, next_cst.text());
            for registered in refusing {
                let cx = Context {
                    cst: &next_cst,
                    config: &next,
                    prediction: &prediction,
                    host: None,
                    rule: registered.meta(),
                    directives: &[],
                };
                let mut found = Vec::new();
                registered.check(&cx, &mut found);
                fatal.extend(found.into_iter().filter(|d| d.fatal));
            }
        }
        evident = Some((bytes, next));
        if fatal.is_empty() {
            break;
        }
    }
    let meant = evident.as_ref().map_or(config, |(_, config)| config);
    let unreadable = unreadable_lines(meant, evident.as_ref().map_or(cst.text(), |(b, _)| b));
    Evident {
        config: evident.map(|(_, config)| config),
        unreadable,
    }
}

/// The refused lines that name a setting (in any case) without an evident value, and the names.
fn unreadable_lines(config: &EffectiveConfig, text: &[u8]) -> Vec<(Span, String)> {
    config
        .readings()
        .iter()
        .filter_map(|reading| {
            let name = match &reading.outcome {
                Outcome::Applied { .. } => return None,
                Outcome::BadBool(t) | Outcome::Crash(t) => t.name(),
                Outcome::MissingValue | Outcome::Unrecognised => {
                    let written =
                        text.get(reading.name.start as usize..reading.name.end as usize)?;
                    TUNABLES
                        .iter()
                        .find(|t| t.name.as_bytes().eq_ignore_ascii_case(written.trim_ascii()))?
                        .name
                }
            };
            Some((reading.line, name.to_owned()))
        })
        .collect()
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

/// One fatal finding per `-o` override vsftpd refuses, under the code of the rule that reports the
/// same problem on a line. Overrides have no line: the finding sits at the file's start and names
/// the argument.
fn override_findings(config: &EffectiveConfig) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for o in config.overrides() {
        let name = crate::syntax::escape_bytes(&o.name);
        let (code, what) = match &o.outcome {
            Outcome::Applied { .. } => continue,
            Outcome::Unrecognised => ("VSC001", format!("unrecognised setting `{name}`")),
            Outcome::MissingValue => ("VSC002", format!("`{name}` has no value")),
            Outcome::BadBool(_) => (
                "VSC003",
                format!(
                    "`{}` is not a boolean vsftpd accepts for `{name}`",
                    crate::syntax::escape_bytes(o.value.as_deref().unwrap_or_default())
                ),
            ),
            Outcome::Crash(_) => (
                "VSC004",
                format!("`{name}` is only whitespace: this build crashes (SIGSEGV)"),
            ),
        };
        let Some(rule) = find(code) else { continue };
        let argument = [b"-o".as_slice(), &o.text].concat();
        let suggestions = crate::dialect::suggest(&o.name, config.dialect());
        let help = match (&o.outcome, suggestions.first()) {
            (Outcome::Unrecognised, Some(s)) => format!("did you mean `{s}`?"),
            _ => "fix or drop the argument where vsftpd is started (Dockerfile, systemd drop-in, compose file)".to_owned(),
        };
        out.push(
            Diagnostic::new(
                code,
                rule.meta().name,
                Severity::Error,
                crate::syntax::Span::empty(0),
                format!(
                    "command-line override `{}` (argument {} of the overrides): {what}: vsftpd refuses to start",
                    crate::syntax::escape_bytes(&argument),
                    o.index + 1
                ),
            )
            .fatal()
            .help(help),
        );
    }
    out
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
