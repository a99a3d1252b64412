//! `--format json`: one document for the whole run.
//!
//! ```json
//! {"version":1,
//!  "files":[{"path":"…","dialect":"debian-3.0.3",
//!            "dialect_source":"installed vsftpd 3.0.3-13+b2 (dpkg) on Debian GNU/Linux 12 (bookworm)",
//!            "startup":{"starts":false,"refused":true,"crashed":false,"message":"500 OOPS: …",
//!                       "message_fd":0,"session_message":null},
//!            "diagnostics":[{"rule":"bad-bool-value","code":"VSC003","severity":"error","fatal":true,
//!                            "message":"…","line":4,"column":13,"end_line":4,"end_column":17,"help":"…",
//!                            "fix":{"title":"…","applicability":"safe",
//!                                   "edits":[{"line":4,"column":13,"end_line":4,"end_column":17,
//!                                             "offset":41,"end_offset":45,"new_text":"YES"}]}}]}],
//!  "summary":{"files":1,"errors":1,"warnings":0,"infos":0}}
//! ```
//! Lines and columns are 1-based, columns count bytes, and `end_column` is exclusive. A fix's `edits`
//! (sorted, non-overlapping) replace the bytes `offset..end_offset` of the file (0-based, end exclusive;
//! the same range as the line and column fields) with `new_text`, a string, or `{"bytes": "<base64>"}`
//! when the new text is not UTF-8; applying them all gives what `vsconf fix` does for that finding alone.
//! The language server's code actions carry the same edits. `message` in
//! `startup` is null when vsftpd would start; `crashed` is true when it would crash (SIGSEGV) instead of
//! printing a message; `unreadable` appears (true) only for a path that could not be read, whose one
//! finding has code `IO` (`io-error`). Fields are only ever added, never changed.
//!
//! `startup.message` is exactly what vsftpd prints (without the final CR LF): a BOM, CR or TAB in it
//! stays that character (JSON escapes it as any other); where the bytes are not UTF-8 the string has
//! U+FFFD and `message_bytes` carries the bytes in base64. `starts` is false on a refusal or a crash.
//! `message_fd` is the descriptor vsftpd writes to (0 upstream and Debian: lost under systemd; 1 on
//! RHEL). `silent_refusal` (RHEL builds with `background=YES`) is a refusal in the background child: the
//! parent exits 1 after 3 s and prints nothing, so `message` is null. `unverified` says why a verdict
//! rests on facts no binary confirmed (rhel-3.0.5). `dialect_source` says why the build was chosen.
//! With `--dialect all`, `builds` holds one startup object (plus `dialect`) per build, and a finding
//! with code `BUILDS` (`builds-disagree`) says where they disagree.

use serde::Serialize;

use super::{FileReport, StartupSummary, Summary};
use crate::syntax::LineIndex;

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    dialect: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    dialect_source: Option<&'a str>,
    startup: Startup<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    builds: Vec<Build<'a>>,
    diagnostics: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Build<'a> {
    dialect: &'a str,
    #[serde(flatten)]
    startup: Startup<'a>,
}

#[derive(Serialize)]
struct Startup<'a> {
    starts: bool,
    refused: bool,
    crashed: bool,
    /// The exact text vsftpd prints (U+FFFD where its bytes are not UTF-8).
    message: Option<String>,
    /// The same bytes in base64, only when they are not UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    message_bytes: Option<String>,
    /// The file descriptor vsftpd prints it on.
    #[serde(skip_serializing_if = "Option::is_none")]
    message_fd: Option<u8>,
    /// A refusal in the background child that prints nothing (RHEL builds): what the child meets.
    #[serde(skip_serializing_if = "Option::is_none")]
    silent_refusal: Option<&'a str>,
    session_message: Option<&'a str>,
    /// Why this verdict is unverified (rhel-3.0.5).
    #[serde(skip_serializing_if = "Option::is_none")]
    unverified: Option<&'a str>,
    /// Present (true) only when the file could not be read; its finding has code `IO`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unreadable: bool,
}

impl<'a> Startup<'a> {
    fn of(s: &'a StartupSummary) -> Startup<'a> {
        use base64::Engine as _;
        let bytes = s.message_bytes.as_deref();
        Startup {
            starts: s.starts,
            refused: s.refused,
            crashed: s.crashed,
            message: bytes.map(|b| String::from_utf8_lossy(b).into_owned()),
            message_bytes: bytes
                .filter(|b| std::str::from_utf8(b).is_err())
                .map(|b| base64::engine::general_purpose::STANDARD.encode(b)),
            message_fd: s.message_fd,
            silent_refusal: s.silent_refusal.as_deref(),
            session_message: s.session_message.as_deref(),
            unverified: s.unverified,
            unreadable: s.unreadable,
        }
    }
}

#[derive(Serialize)]
struct Entry<'a> {
    rule: &'a str,
    code: &'a str,
    severity: &'a str,
    fatal: bool,
    message: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    help: Option<&'a str>,
    fix: Option<FixEntry<'a>>,
}

#[derive(Serialize)]
struct FixEntry<'a> {
    title: &'a str,
    applicability: crate::diagnostic::Applicability,
    edits: Vec<EditEntry<'a>>,
}

#[derive(Serialize)]
struct EditEntry<'a> {
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    offset: u32,
    end_offset: u32,
    #[serde(serialize_with = "crate::diagnostic::serialize_bytes")]
    new_text: &'a [u8],
}

/// Renders the run as one JSON document followed by a newline.
pub fn render(reports: &[FileReport]) -> String {
    let files: Vec<String> = reports.iter().map(render_file).collect();
    let mut out = header();
    out.push_str(&files.join(","));
    out.push_str(&footer(&Summary::of(reports)));
    out
}

/// The document's opening, up to the `files` array.
pub fn header() -> String {
    "{\"version\":1,\"files\":[".to_owned()
}

/// The document's end: the summary and a newline. Files are joined with `,` between header and footer.
pub fn footer(summary: &Summary) -> String {
    format!(
        "],\"summary\":{}}}\n",
        serde_json::to_string(summary).unwrap_or_default()
    )
}

/// One file's object, for streaming many files without keeping them.
pub fn render_file(r: &FileReport) -> String {
    let index = LineIndex::new(&r.source);
    let file = File {
        path: &r.path,
        dialect: r.dialect,
        dialect_source: r.dialect_source.as_deref(),
        startup: Startup::of(&r.startup),
        builds: r
            .builds
            .iter()
            .map(|b| Build {
                dialect: b.dialect,
                startup: Startup::of(&b.startup),
            })
            .collect(),
        diagnostics: r
            .diagnostics
            .iter()
            .map(|d| {
                let (start, end) = r.range(&index, d.span);
                Entry {
                    rule: d.name,
                    code: d.code,
                    severity: d.severity.as_str(),
                    fatal: d.fatal,
                    message: &d.message,
                    line: start.line.0,
                    column: start.column,
                    end_line: end.line.0,
                    end_column: end.column,
                    help: d.help.as_deref(),
                    fix: d.fix.as_ref().map(|f| FixEntry {
                        title: &f.title,
                        applicability: f.applicability,
                        edits: f
                            .edits
                            .iter()
                            .map(|e| {
                                let (start, end) = r.range(&index, e.span);
                                EditEntry {
                                    line: start.line.0,
                                    column: start.column,
                                    end_line: end.line.0,
                                    end_column: end.column,
                                    offset: e.span.start,
                                    end_offset: e.span.end,
                                    new_text: &e.replacement,
                                }
                            })
                            .collect(),
                    }),
                }
            })
            .collect(),
    };
    serde_json::to_string(&file).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
    use crate::render::StartupSummary;
    use crate::syntax::Span;

    #[test]
    fn a_fix_carries_its_edits_with_ranges_and_new_text() {
        let source = b"listen=YES\nPort_enable=YES\n".to_vec();
        let fix = Fix::new(
            "rename to `port_enable`",
            Applicability::Safe,
            vec![Edit::replace(Span::new(11, 22), "port_enable")],
        );
        let d = Diagnostic::new(
            "VSC001",
            "unrecognised-variable",
            Severity::Error,
            Span::new(11, 22),
            "m",
        )
        .fix(fix);
        // Built from `unreadable` so that fields added later keep their defaults here.
        let mut report = FileReport::unreadable(
            "a.conf".to_owned(),
            "debian-3.0.3",
            String::new(),
            String::new(),
        );
        report.source = source;
        report.startup = StartupSummary::default();
        report.diagnostics = vec![d];
        let doc: serde_json::Value = serde_json::from_str(&render_file(&report)).unwrap();
        let fix = &doc["diagnostics"][0]["fix"];
        assert_eq!(fix["applicability"], "safe");
        assert_eq!(
            fix["edits"],
            serde_json::json!([{"line": 2, "column": 1, "end_line": 2, "end_column": 12,
                                "offset": 11, "end_offset": 22, "new_text": "port_enable"}])
        );
    }
}
