//! `--format json`: one document for the whole run.
//!
//! ```json
//! {"version":1,
//!  "files":[{"path":"…","dialect":"debian-3.0.3",
//!            "startup":{"refused":true,"crashed":false,"message":"500 OOPS: …","session_message":null},
//!            "diagnostics":[{"rule":"bad-bool-value","code":"VSC003","severity":"error","fatal":true,
//!                            "message":"…","line":4,"column":13,"end_line":4,"end_column":17,"help":"…",
//!                            "fix":{"title":"…","applicability":"safe"}}]}],
//!  "summary":{"files":1,"errors":1,"warnings":0,"infos":0}}
//! ```
//! Lines and columns are 1-based, columns count bytes, and `end_column` is exclusive. `message` in
//! `startup` is null when vsftpd would start; `crashed` is true when it would crash (SIGSEGV) instead of
//! printing a message; `unreadable` appears (true) only for a path that could not be read, whose one
//! finding has code `IO` (`io-error`). Fields are only ever added, never changed.

use serde::Serialize;

use super::{FileReport, Summary};
use crate::syntax::LineIndex;

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    dialect: &'a str,
    startup: Startup<'a>,
    diagnostics: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Startup<'a> {
    refused: bool,
    crashed: bool,
    message: Option<&'a str>,
    session_message: Option<&'a str>,
    /// Present (true) only when the file could not be read; its finding has code `IO`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unreadable: bool,
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
        startup: Startup {
            refused: r.startup.refused,
            crashed: r.startup.crashed,
            message: r.startup.message.as_deref(),
            session_message: r.startup.session_message.as_deref(),
            unreadable: r.startup.unreadable,
        },
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
                    }),
                }
            })
            .collect(),
    };
    serde_json::to_string(&file).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
