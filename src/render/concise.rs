//! `--format concise`: one line per finding, `FILE:LINE:COL: severity[CODE] message`, as compilers and
//! editors' error matchers expect (columns are 1-based bytes). A file vsftpd refuses or crashes on gets
//! one more line at 1:1 first.

use std::fmt::Write;

use super::FileReport;
use crate::syntax::LineIndex;

/// Renders every finding, one per line.
pub fn render(reports: &[FileReport]) -> String {
    reports.iter().map(render_file).collect()
}

/// One file's lines.
pub fn render_file(r: &FileReport) -> String {
    let mut out = String::new();
    let index = LineIndex::new(&r.source);
    if let Some(message) = &r.startup.message {
        let _ = writeln!(
            out,
            "{}:1:1: error[startup] vsftpd refuses to start: {}",
            r.path,
            one_line(message)
        );
    } else if r.startup.crashed {
        let _ = writeln!(
            out,
            "{}:1:1: error[startup] vsftpd crashes (SIGSEGV) while reading this file",
            r.path
        );
    }
    for d in &r.diagnostics {
        let (start, _) = r.range(&index, d.span);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            r.path,
            start.line.0,
            start.column,
            d.severity.as_str(),
            d.code,
            one_line(&d.message)
        );
    }
    out
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}
