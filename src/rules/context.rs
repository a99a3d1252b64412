//! What a rule sees: the tree, the effective configuration, the startup prediction and, only under
//! `--host-checks`, the machine.

use crate::diagnostic::{Diagnostic, Severity};
use crate::dialect::{Dialect, Tunable};
use crate::model::value::NumberReading;
use crate::model::{EffectiveConfig, Origin, Outcome};
use crate::startup::Prediction;
use crate::startup::host::Host;
use crate::syntax::{Cst, Span};

use super::RuleMeta;
use super::suppress::Directive;

/// Everything a rule may read.
pub struct Context<'a> {
    /// The syntax tree (positions, raw text).
    pub cst: &'a Cst,
    /// The effective configuration.
    pub config: &'a EffectiveConfig,
    /// What vsftpd does at startup and per session.
    pub prediction: &'a Prediction,
    /// The machine, when host checks were asked for.
    pub host: Option<&'a dyn Host>,
    /// The rule being run: [`Context::report`] starts findings of this rule.
    pub rule: &'static RuleMeta,
    /// What became of each rule the suppression comments name; empty until the suppressions have
    /// been applied, which happens before the `VSC9xx` rules run.
    pub directives: &'a [Directive],
}

impl<'a> Context<'a> {
    /// The effective configuration.
    pub fn config(&self) -> &'a EffectiveConfig {
        self.config
    }

    /// The dialect.
    pub fn dialect(&self) -> Dialect {
        self.config.dialect()
    }

    /// Starts a finding of the running rule at `span` with the rule's default severity.
    pub fn report(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.report_with(self.rule.severity, span, message)
    }

    /// Starts a finding of the running rule with a severity other than the default.
    pub fn report_with(
        &self,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(self.rule.code, self.rule.name, severity, span, message)
    }

    /// The span of the line that sets the tunable, or an empty span at the start of the file when the
    /// value is a default.
    pub fn span_or_file_start(&self, tunable: Tunable) -> Span {
        self.config.origin(tunable).line().unwrap_or(Span::empty(0))
    }

    /// The value span of the line that sets the tunable, if a line does.
    pub fn value_span(&self, tunable: Tunable) -> Option<Span> {
        match self.config.origin(tunable) {
            Origin::File { value, .. } => Some(*value),
            Origin::Default | Origin::Override { .. } => None,
        }
    }

    /// The bytes of a span.
    pub fn text(&self, span: Span) -> &'a [u8] {
        self.cst.slice(span)
    }

    /// `name=value` as the effective value reads, for messages.
    pub fn describe(&self, tunable: Tunable) -> String {
        let value = self
            .config
            .get(tunable)
            .map(|e| e.value.display(tunable.spec().octal))
            .unwrap_or_default();
        let from = if self.config.is_set(tunable) {
            ""
        } else {
            " (default)"
        };
        format!("{}={value}{from}", tunable.name())
    }

    /// `name=value` for a setting the file sets, `name=value by default` otherwise: for use inside
    /// parentheses, where [`Context::describe`]'s own parentheses would nest.
    pub fn stated(&self, tunable: Tunable) -> String {
        let described = self.describe(tunable);
        match described.strip_suffix(" (default)") {
            Some(plain) => format!("{plain} by default"),
            None => described,
        }
    }

    /// Reports every setting of `settings` that a line sets to a non-default value as having no
    /// effect because `switch` is off (`feature` says what is off: "local logins"). A line restating
    /// the default changes nothing even if read, so it is not reported. Findings come in file order.
    pub fn report_ineffective(
        &self,
        mut settings: Vec<Tunable>,
        switch: Tunable,
        feature: &str,
        help: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        settings.sort_by_key(|t| self.span_or_file_start(*t).start);
        for tunable in settings {
            if !self.config.is_set(tunable) || !self.config.differs_from_default(tunable) {
                continue;
            }
            let message = format!(
                "{} has no effect: {feature} are off ({})",
                tunable.name(),
                self.stated(switch)
            );
            let mut d = self
                .report(self.span_or_file_start(tunable), message)
                .help(help);
            if self.config.is_set(switch) {
                d = d.label(self.span_or_file_start(switch), format!("{feature} off"));
            }
            out.push(d);
        }
    }

    /// Whether a line vsftpd refuses names one of `tunables` (in any case, behind a byte order mark):
    /// the file states the setting there, so a finding must not call it unset or defaulted.
    pub fn refused_line_names(&self, tunables: &[Tunable]) -> bool {
        self.config.readings().iter().any(|r| {
            let name = self.text(r.name);
            let name = name
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap_or(name)
                .trim_ascii();
            r.outcome.is_fatal()
                && tunables
                    .iter()
                    .any(|t| name.eq_ignore_ascii_case(t.name().as_bytes()))
        })
    }

    /// Every numeric setting line vsftpd applied, in file order: the tunable, how the number was read,
    /// and the value's span.
    pub fn numbers(&self) -> impl Iterator<Item = (&'a Tunable, &'a NumberReading, Span)> + 'a {
        self.config.readings().iter().filter_map(|reading| {
            match (&reading.outcome, reading.value) {
                (
                    Outcome::Applied {
                        tunable,
                        number: Some(n),
                        ..
                    },
                    Some(value),
                ) => Some((tunable, n, value)),
                _ => None,
            }
        })
    }
}
