//! One buffer through the same engine as `vsconf lint`: `vsconf.toml` discovered from the file's folder,
//! the build chosen as `lint` chooses it, the same rules, codes and severities — plus the startup
//! verdict as a diagnostic on the line where vsftpd stops.

use std::path::{Path, PathBuf};

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range, Uri,
};

use crate::diagnostic::{Diagnostic, Severity};
use crate::dialect::Dialect;
use crate::rules::{LintOptions, LintResult, lint};
use crate::settings::Settings;
use crate::startup::Verdict;
use crate::syntax::{Cst, LineKind, Span, escape_bytes, parse};

use super::position::{Encoding, LineMap};

/// How much of a buffer is analysed: vsftpd's 100,000 bytes plus room for the line cut by that limit
/// (the same as `lint` reads). The buffer's full length still reaches the model, which reports what
/// vsftpd ignores.
pub const ANALYSED_BYTES: usize = 256 * 1024;

/// Chooses the vsftpd build for a file: given the file's settings (`vsconf.toml`) and its path.
pub type DialectChooser = dyn Fn(&Settings, Option<&Path>) -> Dialect + Send + Sync;

/// The `source` of every diagnostic the server publishes.
pub const SOURCE: &str = "vsconf";

/// The code of the diagnostic that carries the startup verdict.
pub const STARTUP_CODE: &str = "startup";

/// The code of the diagnostic about an unusable `vsconf.toml`.
pub const SETTINGS_CODE: &str = "settings";

/// A buffer as the lint engine sees it.
pub struct Analysis {
    /// The analysed bytes (the buffer, or its first [`ANALYSED_BYTES`]).
    pub cst: Cst,
    /// The buffer's full length.
    pub file_len: u64,
    /// Line starts of the analysed bytes.
    pub map: LineMap,
    /// Dialect and rule selection used.
    pub options: LintOptions,
    /// Model, verdict and findings.
    pub lint: LintResult,
    /// Why `vsconf.toml` could not be used, if it could not (defaults were used instead).
    pub settings_error: Option<(String, String)>,
}

impl Analysis {
    /// Analyses a buffer's text; `path` is its file on disk, if it has one.
    pub fn new(
        text: &[u8],
        path: Option<&Path>,
        encoding: Encoding,
        choose: &DialectChooser,
    ) -> Analysis {
        let (settings, settings_error) = settings_for(path);
        let options = LintOptions {
            dialect: choose(&settings, path),
            disabled: settings.ignore.clone(),
            categories: settings.categories.clone(),
            severities: settings.severity.clone(),
            no_suppressions: false,
        };
        let analysed = text.get(..ANALYSED_BYTES).unwrap_or(text);
        let cst = parse(analysed).cst;
        let file_len = text.len() as u64;
        let lint = lint(&cst, Some(file_len), &options, None);
        let map = LineMap::new(cst.text(), encoding);
        Analysis {
            cst,
            file_len,
            map,
            options,
            lint,
            settings_error,
        }
    }

    /// The range of a span of the analysed bytes.
    pub fn range(&self, span: Span) -> Range {
        self.map.range(self.cst.text(), span)
    }

    /// The byte offset of a position (clamped to the analysed bytes).
    pub fn offset(&self, position: lsp_types::Position) -> u32 {
        self.map.offset(self.cst.text(), position)
    }

    /// The index of the CST line holding a byte offset (the end of a line's content counts as on it).
    pub fn line_at(&self, offset: u32) -> Option<usize> {
        self.cst
            .lines()
            .iter()
            .position(|l| l.span.contains(offset) || l.content.end == offset)
    }

    /// The diagnostics to publish, in the engine's order, then the startup verdict and settings errors.
    pub fn diagnostics(&self, uri: &Uri) -> Vec<lsp_types::Diagnostic> {
        let mut out: Vec<lsp_types::Diagnostic> = self
            .lint
            .diagnostics
            .iter()
            .map(|d| self.to_lsp(uri, d))
            .collect();
        out.extend(self.verdict_diagnostic());
        if let Some((message, help)) = &self.settings_error {
            out.push(lsp_types::Diagnostic {
                range: Range::default(),
                severity: Some(DiagnosticSeverity::ERROR),
                code: Some(NumberOrString::String(SETTINGS_CODE.to_owned())),
                source: Some(SOURCE.to_owned()),
                message: format!("{message}: the defaults are used instead\nhelp: {help}"),
                ..lsp_types::Diagnostic::default()
            });
        }
        out
    }

    /// One finding as an LSP diagnostic: message and help in one text, labels as related places.
    pub fn to_lsp(&self, uri: &Uri, d: &Diagnostic) -> lsp_types::Diagnostic {
        let mut message = format!("{} [{}]", d.message, d.name);
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let related: Vec<DiagnosticRelatedInformation> = d
            .labels
            .iter()
            .map(|l| DiagnosticRelatedInformation {
                location: Location::new(uri.clone(), self.range(l.span)),
                message: l.message.clone(),
            })
            .collect();
        lsp_types::Diagnostic {
            range: self.range(d.span),
            severity: Some(severity(d.severity)),
            code: Some(NumberOrString::String(d.code.to_owned())),
            source: Some(SOURCE.to_owned()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..lsp_types::Diagnostic::default()
        }
    }

    /// vsftpd's verdict on the line where it stops (the file's start when no line is to blame), or the
    /// refusal every session meets when it starts.
    fn verdict_diagnostic(&self) -> Option<lsp_types::Diagnostic> {
        let prediction = &self.lint.prediction;
        let (span, severity, message) = match (&prediction.verdict, &prediction.session) {
            (Verdict::Refuses(oops), _) => (
                oops.span,
                DiagnosticSeverity::ERROR,
                format!(
                    "vsftpd ({}) stops here and refuses to start: {}",
                    self.options.dialect,
                    escape_bytes(&oops.full_text())
                ),
            ),
            (Verdict::Crashes(crash), _) => (
                Some(crash.span),
                DiagnosticSeverity::ERROR,
                format!(
                    "vsftpd ({}) crashes here ({}) reading `{}`, without a message",
                    self.options.dialect, crash.signal, crash.tunable
                ),
            ),
            (Verdict::Starts { .. }, Some(oops)) => (
                oops.span,
                DiagnosticSeverity::WARNING,
                format!(
                    "vsftpd ({}) starts, then refuses every session: {}",
                    self.options.dialect,
                    escape_bytes(&oops.full_text())
                ),
            ),
            (Verdict::Starts { .. }, None) => return None,
        };
        let range = match span.and_then(|s| self.line_at(s.start)) {
            Some(i) => self
                .cst
                .lines()
                .get(i)
                .map(|l| self.range(l.content))
                .unwrap_or_default(),
            None => Range::default(),
        };
        Some(lsp_types::Diagnostic {
            range,
            severity: Some(severity),
            code: Some(NumberOrString::String(STARTUP_CODE.to_owned())),
            source: Some(SOURCE.to_owned()),
            message,
            ..lsp_types::Diagnostic::default()
        })
    }

    /// The setting lines, with the reading vsftpd made of each.
    pub fn setting_at(
        &self,
        offset: u32,
    ) -> Option<(
        &crate::syntax::Line,
        &crate::syntax::Setting,
        &crate::model::Reading,
    )> {
        let index = self.line_at(offset)?;
        let line = self.cst.lines().get(index)?;
        let LineKind::Setting(setting) = &line.kind else {
            return None;
        };
        let reading = self.reading_of(index)?;
        Some((line, setting, reading))
    }

    /// What vsftpd made of the CST line `index`, if it read it.
    pub fn reading_of(&self, index: usize) -> Option<&crate::model::Reading> {
        self.lint
            .config
            .readings()
            .iter()
            .find(|r| r.line_index == index)
    }
}

/// Bytes from the buffer for a hover or a symbol: escaped as `escape_bytes` does, cut after
/// `max_chars` characters.
pub fn excerpt(bytes: &[u8], max_chars: usize) -> String {
    let shown = escape_bytes(bytes);
    if shown.chars().count() > max_chars {
        let mut cut: String = shown.chars().take(max_chars).collect();
        cut.push('…');
        cut
    } else {
        shown
    }
}

/// `Severity` → LSP severity.
pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The settings for a file: `vsconf.toml` from its folder or the nearest parent that has one (the
/// working directory for a buffer with no file). An unusable file gives the defaults and the reason.
fn settings_for(path: Option<&Path>) -> (Settings, Option<(String, String)>) {
    let start: Option<PathBuf> = match path.and_then(Path::parent) {
        Some(dir) => Some(dir.to_path_buf()),
        None => std::env::current_dir().ok(),
    };
    let Some(found) = start.and_then(|d| crate::settings::discover(&d)) else {
        return (Settings::default(), None);
    };
    match crate::settings::load(&found) {
        Ok(settings) => (settings, None),
        Err(e) => {
            let help = miette::Diagnostic::help(&e)
                .map(|h| h.to_string())
                .unwrap_or_default();
            (Settings::default(), Some((e.to_string(), help)))
        }
    }
}

/// The path of a `file:` URI (percent-decoded), `None` for other schemes.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://host/path`: only the local host (empty or `localhost`) names a local file.
    let path = match rest.find('/') {
        Some(0) => rest,
        Some(i)
            if rest
                .get(..i)
                .is_some_and(|h| h.eq_ignore_ascii_case("localhost")) =>
        {
            rest.get(i..)?
        }
        _ => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut bytes = Vec::with_capacity(path.len());
    let raw = path.as_bytes();
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        let decoded = (b == b'%')
            .then(|| raw.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match decoded {
            Some(d) => {
                bytes.push(d);
                i += 3;
            }
            None => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_become_paths() {
        let uri: Uri = "file:///tmp/my%20dir/vsftpd.conf".parse().unwrap();
        assert_eq!(
            file_path(&uri),
            Some(PathBuf::from("/tmp/my dir/vsftpd.conf"))
        );
        let uri: Uri = "file://localhost/etc/vsftpd.conf".parse().unwrap();
        assert_eq!(file_path(&uri), Some(PathBuf::from("/etc/vsftpd.conf")));
        let uri: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(file_path(&uri), None);
    }

    #[test]
    fn the_verdict_sits_on_the_line_where_vsftpd_stops() {
        let text = b"listen=YES\nPort_enable=YES\nlisten_ipv6=NO\n";
        let choose = |_: &Settings, _: Option<&Path>| Dialect::Debian303;
        let a = Analysis::new(text, None, Encoding::Utf16, &choose);
        let uri: Uri = "untitled:x".parse().unwrap();
        let diagnostics = a.diagnostics(&uri);
        let verdict = diagnostics
            .iter()
            .find(|d| d.code == Some(NumberOrString::String(STARTUP_CODE.to_owned())))
            .expect("a verdict");
        assert_eq!(verdict.range.start.line, 1);
        assert!(
            verdict
                .message
                .contains("500 OOPS: unrecognised variable in config file: Port_enable")
        );
    }
}
