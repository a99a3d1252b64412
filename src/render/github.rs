//! `--format github`: GitHub Actions workflow commands, one line per finding:
//! `::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=VSC001 unrecognised-variable::MESSAGE`.
//! Severity maps to `error`, `warning` and `notice`. A file vsftpd refuses gets one more `::error` line
//! at line 1 quoting the `500 OOPS` text.

use std::fmt::Write;

use super::FileReport;
use crate::diagnostic::Severity;
use crate::syntax::LineIndex;

/// Renders every finding as a workflow command.
pub fn render(reports: &[FileReport]) -> String {
    reports.iter().map(render_file).collect()
}

/// One file's workflow commands.
pub fn render_file(r: &FileReport) -> String {
    let mut out = String::new();
    {
        let index = LineIndex::new(&r.source);
        let file = escape_property(&r.path);
        if let Some(message) = &r.startup.message {
            let _ = writeln!(
                out,
                "::error file={file},line=1,title=vsftpd refuses to start::{}",
                escape_data(message)
            );
        } else if r.startup.crashed {
            let _ = writeln!(
                out,
                "::error file={file},line=1,title=vsftpd crashes at startup::{}",
                escape_data("vsftpd crashes (SIGSEGV) while reading this file")
            );
        }
        for d in &r.diagnostics {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let (start, end) = r.range(&index, d.span);
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let _ = writeln!(
                out,
                "::{level} file={file},line={},col={},endLine={},endColumn={},title={}::{}",
                start.line.0,
                start.column,
                end.line.0,
                end.column,
                escape_property(&format!("{} {}", d.code, d.name)),
                escape_data(&message)
            );
        }
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
