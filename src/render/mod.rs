//! Diagnostics → output. One module per format, all fed the same [`FileReport`]s:
//! `human` (for people: source lines, labels, help), `json`, `sarif`, `github`, `gitlab` (Code Quality),
//! `junit` and `concise` (one line per finding).
//!
//! Renderers decide looks; they compute lines and columns from byte spans and never change what a
//! rule found.

pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::{LineColumn, LineIndex, Span};

/// What vsftpd does with a file, as plain data for renderers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StartupSummary {
    /// vsftpd refuses to start (prints `500 OOPS`).
    pub refused: bool,
    /// vsftpd crashes instead (no message).
    pub crashed: bool,
    /// The full `500 OOPS: …` text, escaped for display, when it refuses.
    pub message: Option<String>,
    /// In standalone mode: the `500 OOPS` every session gets, when it starts and then refuses everyone.
    pub session_message: Option<String>,
    /// The file could not be read: nothing was linted and its one finding is an [`IO_ERROR_CODE`].
    pub unreadable: bool,
    /// vsftpd runs: neither refused nor crashed (false for an unreadable file).
    pub starts: bool,
    /// The exact bytes vsftpd prints when it refuses (`500 OOPS: …`, no CR LF); `None` when it prints
    /// nothing. Renderers for people escape them; data formats carry them as they are.
    pub message_bytes: Option<Vec<u8>>,
    /// The file descriptor the message is written to (0: lost under systemd; 1 on RHEL builds).
    pub message_fd: Option<u8>,
    /// The refusal happens silently in the background child (RHEL builds, `background=YES`): the
    /// parent exits 1 after 3 s and prints nothing. Holds the text the child would have printed.
    pub silent_refusal: Option<String>,
    /// Why the build's verdict rests on unverified facts, if it does (rhel-3.0.5).
    pub unverified: Option<&'static str>,
    /// The first byte vsftpd never reads, when it does not read the whole file: the end of the line it
    /// refuses to start on (it stops at the first bad line), or its 100000-byte read limit. The human
    /// format shows one finding per rule past this point.
    pub read_end: Option<u32>,
}

/// One build's verdict on a file, for `--dialect all`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildVerdict {
    /// The dialect id.
    pub dialect: &'static str,
    /// What that build does with the file.
    pub startup: StartupSummary,
}

/// The code of the finding a path that cannot be read gets (not a rule: nothing in a file raises it,
/// and it cannot be ignored or suppressed).
pub const IO_ERROR_CODE: &str = "IO";
/// The name printed next to [`IO_ERROR_CODE`].
pub const IO_ERROR_NAME: &str = "io-error";

/// One linted file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as given.
    pub path: String,
    /// The dialect id.
    pub dialect: &'static str,
    /// Why this dialect was modelled (`installed vsftpd 3.0.3-13+b2 (dpkg) on …`), when known.
    pub dialect_source: Option<String>,
    /// With `--dialect all`: every build's verdict, in `Dialect::ALL` order, and where they disagree.
    pub builds: Vec<BuildVerdict>,
    /// The file's bytes (as read).
    pub source: Vec<u8>,
    /// The startup verdict.
    pub startup: StartupSummary,
    /// Findings, in order.
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    /// The report of a path that could not be read: one error finding saying why and what to do, so
    /// that every format shows it next to the other files' findings.
    pub fn unreadable(
        path: String,
        dialect: &'static str,
        message: String,
        help: String,
    ) -> FileReport {
        FileReport {
            path,
            dialect,
            dialect_source: None,
            builds: Vec::new(),
            source: Vec::new(),
            startup: StartupSummary {
                unreadable: true,
                ..StartupSummary::default()
            },
            diagnostics: vec![
                Diagnostic::new(
                    IO_ERROR_CODE,
                    IO_ERROR_NAME,
                    Severity::Error,
                    Span::empty(0),
                    message,
                )
                .help(help),
            ],
        }
    }

    /// Line and column (1-based) of both ends of a span; the end column is exclusive.
    pub fn range(&self, index: &LineIndex, span: Span) -> (LineColumn, LineColumn) {
        (index.line_column(span.start), index.line_column(span.end))
    }
}

/// Counts by severity over many files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Files linted.
    pub files: usize,
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Infos.
    pub infos: usize,
    /// Directory entries passed over because they cannot be a vsftpd config (only shown when not 0).
    #[serde(skip_serializing_if = "is_zero")]
    pub skipped: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    /// Counts the findings of `reports`.
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut s = Summary::default();
        for r in reports {
            s.add(r);
        }
        s
    }

    /// Adds one file's findings.
    pub fn add(&mut self, report: &FileReport) {
        self.files += 1;
        for d in &report.diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }
}

/// The command that prints a rule's documentation, shown next to each finding for people
/// (`vsconf rules VSC101`): it works wherever vsconf is installed, unlike a repository path.
pub fn rule_command(code: &str) -> String {
    format!("vsconf rules {code}")
}

/// The project's home page: Cargo.toml's `homepage`, or `None` when the package sets none (cargo then
/// passes an empty string). Machine formats link to web pages only under a configured home page, so a
/// report never points at an address nobody checked; `vsconf rules CODE` works everywhere.
pub fn homepage() -> Option<&'static str> {
    Some(env!("CARGO_PKG_HOMEPAGE")).filter(|h| !h.is_empty())
}

/// The web address of a rule's documentation page, for formats read outside a terminal (SARIF
/// `helpUri`): the generated `docs/rules/CODE.md` under [`homepage`], or `None` without one.
pub fn rule_url(code: &str) -> Option<String> {
    rule_url_under(homepage(), code)
}

/// [`rule_url`] under a given home page (the package's own, or none).
fn rule_url_under(homepage: Option<&str>, code: &str) -> Option<String> {
    homepage.map(|h| format!("{}/blob/main/docs/rules/{code}.md", h.trim_end_matches('/')))
}

/// A stable fingerprint per finding of `report`, in order: a hash of the rule code, the trimmed text of
/// the line the finding starts on, and how many identical (code, text) pairs came before it in the
/// file. Moving a setting to another line keeps its fingerprint; changing the line changes it. Code
/// scanning (SARIF `partialFingerprints`) and GitLab (`fingerprint`) deduplicate alerts by it.
pub fn fingerprints(report: &FileReport) -> Vec<String> {
    let index = LineIndex::new(&report.source);
    let mut seen: Vec<(u64, usize)> = Vec::new();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let at = index.line_column(d.span.start);
            let start = d.span.start.saturating_sub(at.column.saturating_sub(1));
            let text = line_text(&report.source, start);
            let mut hash = Fnv::new();
            hash.write(d.code.as_bytes());
            hash.write(&[0]);
            hash.write(text);
            let h = hash.finish();
            let n = match seen.iter_mut().find(|(k, _)| *k == h) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    seen.push((h, 1));
                    1
                }
            };
            format!("{h:016x}:{n}")
        })
        .collect()
}

/// The bytes of the line starting at `start`, without its ending and surrounding blanks.
fn line_text(source: &[u8], start: u32) -> &[u8] {
    let rest = source.get(start as usize..).unwrap_or_default();
    let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    rest[..end].trim_ascii()
}

/// 64-bit FNV-1a: small, stable across versions and platforms (unlike `std`'s hasher).
pub(crate) struct Fnv(u64);

impl Fnv {
    pub(crate) fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod homepage_tests {
    use super::*;

    #[test]
    fn rule_url_only_under_a_configured_homepage() {
        assert_eq!(rule_url_under(None, "VSC101"), None);
        assert_eq!(
            rule_url_under(Some("https://example.org/vsconf/"), "VSC101").as_deref(),
            Some("https://example.org/vsconf/blob/main/docs/rules/VSC101.md")
        );
    }

    #[test]
    fn package_sets_no_unchecked_homepage() {
        // Cargo.toml carries no `homepage` until an address is known to serve the rule pages.
        assert_eq!(homepage(), None);
        assert_eq!(rule_url("VSC101"), None);
    }
}
