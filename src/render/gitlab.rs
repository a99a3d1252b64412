//! `--format gitlab`: a GitLab Code Quality report, the JSON array GitLab reads from
//! `artifacts:reports:codequality`. Each finding is one issue:
//!
//! ```json
//! [{"description":"VSC101 pasv-range-unset: passive mode is on but …","check_name":"VSC101",
//!   "fingerprint":"…","severity":"major","location":{"path":"vsftpd.conf","lines":{"begin":3}}}]
//! ```
//!
//! Severity: error → `critical` (`blocker` when vsftpd refuses to start because of it), warning →
//! `major`, info → `info`. The fingerprint is the finding's [`super::fingerprints`] entry hashed with
//! its path, so the same finding in two files stays two issues.

use serde_json::{Value, json};

use super::{FileReport, Fnv, fingerprints, rule_command};
use crate::diagnostic::Severity;
use crate::syntax::LineIndex;

/// One file's issues.
pub fn file_issues(r: &FileReport) -> Vec<Value> {
    let index = LineIndex::new(&r.source);
    let path = r.path.trim_start_matches("./");
    r.diagnostics
        .iter()
        .zip(fingerprints(r))
        .map(|(d, print)| {
            let (start, end) = r.range(&index, d.span);
            let severity = match d.severity {
                Severity::Error if d.fatal => "blocker",
                Severity::Error => "critical",
                Severity::Warning => "major",
                Severity::Info => "info",
            };
            let mut hash = Fnv::new();
            hash.write(path.as_bytes());
            hash.write(&[0]);
            hash.write(print.as_bytes());
            let mut description = format!("{} {}: {}", d.code, d.name, d.message);
            if let Some(help) = &d.help {
                description.push_str(" (help: ");
                description.push_str(help);
                description.push(')');
            }
            json!({
                "type": "issue",
                "description": description,
                "check_name": d.code,
                "content": { "body": format!("See `{}`.", rule_command(d.code)) },
                "categories": ["Bug Risk"],
                "fingerprint": format!("{:016x}", hash.finish()),
                "severity": severity,
                "location": {
                    "path": path,
                    "lines": { "begin": start.line.0, "end": end.line.0.max(start.line.0) },
                },
            })
        })
        .collect()
}

/// The report around collected issues.
pub fn render_issues(issues: Vec<Value>) -> String {
    let mut out = serde_json::to_string_pretty(&Value::Array(issues)).unwrap_or_default();
    out.push('\n');
    out
}

/// Renders a whole run.
pub fn render(reports: &[FileReport]) -> String {
    render_issues(reports.iter().flat_map(file_issues).collect())
}
