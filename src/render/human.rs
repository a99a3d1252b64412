//! `--format human`: miette reports with the source line, labels and help; colour only when asked
//! (the binary asks when standard error is a terminal). The only module that turns a `Diagnostic`
//! into a miette report.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use super::{FileReport, Summary, rule_url};
use crate::diagnostic::{Diagnostic, Severity};

/// Colour or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// ANSI colours and Unicode art.
    Always,
    /// Plain text (Unicode art, no escape codes): tests and pipes.
    Never,
}

struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a NamedSource<String>,
    url: String,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let d = self.diagnostic;
        let fatal = if d.fatal { " (fatal)" } else { "" };
        Some(Box::new(format!("{} {}{fatal}", d.code, d.name)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let d = self.diagnostic;
        let mut help = d.help.clone().unwrap_or_default();
        if let Some(fix) = &d.fix {
            if !help.is_empty() {
                help.push('\n');
            }
            let how = match fix.applicability {
                crate::diagnostic::Applicability::Safe => "vsconf fix",
                crate::diagnostic::Applicability::Unsafe => "vsconf fix --unsafe",
            };
            help.push_str(&format!("fix: {} (`{how}`)", fix.title));
        }
        (!help.is_empty()).then(|| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if self.diagnostic.code == super::IO_ERROR_CODE {
            return None;
        }
        Some(Box::new(&self.url))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let d = self.diagnostic;
        // Rules point at an empty span at the start of the file when no line is responsible (the
        // values involved are defaults).
        let primary = if d.code == super::IO_ERROR_CODE {
            "nothing read"
        } else if d.fatal {
            "vsftpd stops here"
        } else if d.span.is_empty() && d.span.start == 0 {
            "not set in this file: the defaults apply"
        } else {
            "here"
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(primary.to_owned()),
            span(d.span),
        )];
        labels.extend(
            d.labels
                .iter()
                .map(|l| LabeledSpan::new_with_span(Some(l.message.clone()), span(l.span))),
        );
        Some(Box::new(labels.into_iter()))
    }
}

fn span(s: crate::syntax::Span) -> SourceSpan {
    SourceSpan::new((s.start as usize).into(), s.len() as usize)
}

/// A printable copy of the bytes with the same offsets: invalid UTF-8 bytes and control characters
/// other than `\n` and `\t` become `?` (one byte each), so that spans still point at the right place.
pub fn display_text(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() && c != '\n' && c != '\t' {
                out.push('?');
            } else {
                out.push(c);
            }
        }
        out.extend(std::iter::repeat_n('?', chunk.invalid().len()));
    }
    out
}

/// Renders every file: a verdict line, then each finding as a miette report, then the totals.
pub fn render(reports: &[FileReport], colour: Colour) -> String {
    let mut out: String = reports.iter().map(|r| render_file(r, colour)).collect();
    out.push_str(&render_summary(&Summary::of(reports)));
    out
}

/// One file: its verdict line and its findings.
pub fn render_file(r: &FileReport, colour: Colour) -> String {
    let theme = match colour {
        Colour::Always => GraphicalTheme::unicode(),
        Colour::Never => GraphicalTheme::unicode_nocolor(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100);
    let mut out = verdict_line(r);
    out.push('\n');
    if r.diagnostics.is_empty() {
        return out;
    }
    let source = NamedSource::new(&r.path, display_text(&r.source)).with_language("vsftpd");
    for d in &r.diagnostics {
        let report = Report {
            diagnostic: d,
            source: &source,
            url: rule_url(d.code),
        };
        let mut text = String::new();
        if handler.render_report(&mut text, &report).is_err() {
            text = format!("{}: {} {}: {}\n", r.path, d.code, d.name, d.message);
        }
        out.push_str(&text);
    }
    out
}

/// The closing line with the totals.
pub fn render_summary(s: &Summary) -> String {
    let skipped = if s.skipped == 0 {
        String::new()
    } else {
        format!(
            " ({} directory entr{} skipped: not *.conf or not a regular file; name a file to lint it)",
            s.skipped,
            if s.skipped == 1 { "y" } else { "ies" },
        )
    };
    format!(
        "{} file{} checked: {} error{}, {} warning{}, {} info{}{skipped}\n",
        s.files,
        plural(s.files),
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings),
        s.infos,
        plural(s.infos)
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn verdict_line(r: &FileReport) -> String {
    let mut line = if r.builds.is_empty() {
        startup_line(&r.path, r.dialect, &r.startup)
    } else {
        let (starting, failing): (Vec<_>, Vec<_>) = r.builds.iter().partition(|b| b.startup.starts);
        let ids = |bs: &[&super::BuildVerdict]| {
            bs.iter().map(|b| b.dialect).collect::<Vec<_>>().join(", ")
        };
        match (starting.is_empty(), failing.is_empty()) {
            (false, true) => format!("{}: vsftpd starts on every build", r.path),
            (true, false) => format!("{}: vsftpd fails to start on every build", r.path),
            _ => format!(
                "{}: the builds disagree: vsftpd starts on {}, not on {}",
                r.path,
                ids(&starting),
                ids(&failing)
            ),
        }
    };
    for b in &r.builds {
        line.push_str("\n  ");
        line.push_str(&startup_line("", b.dialect, &b.startup).replacen(": vsftpd", "vsftpd", 1));
    }
    if let Some(note) = r.startup.unverified {
        line.push_str(&format!("\n  note: {note}"));
    }
    line
}

fn startup_line(path: &str, dialect: &str, s: &super::StartupSummary) -> String {
    let r = Header { path, dialect };
    if let Some(m) = &s.silent_refusal {
        return format!(
            "{}: vsftpd ({}) refuses to start, silently: the background child fails with `{m}` after the fork, and the parent exits 1 after 3 s printing nothing (background=YES)",
            r.path, r.dialect
        );
    }
    if s.unreadable {
        format!("{}: cannot be read, not linted", r.path)
    } else if let Some(m) = &s.message {
        format!("{}: vsftpd ({}) refuses to start: {m}", r.path, r.dialect)
    } else if s.crashed {
        format!(
            "{}: vsftpd ({}) crashes at startup (SIGSEGV, no message)",
            r.path, r.dialect
        )
    } else if let Some(m) = &s.session_message {
        format!(
            "{}: vsftpd ({}) starts, then refuses every session: {m}",
            r.path, r.dialect
        )
    } else {
        format!("{}: vsftpd ({}) starts", r.path, r.dialect)
    }
}

struct Header<'a> {
    path: &'a str,
    dialect: &'a str,
}
