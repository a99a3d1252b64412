//! `--format junit`: JUnit XML, as CI servers (GitLab, Jenkins, Azure DevOps) show test results. One
//! `<testsuite>` per file; one `<testcase>` per rule that raised findings there (named `CODE name`,
//! one `<failure>` per error or warning finding, infos as `<system-out>`), plus a `startup` case that
//! fails when vsftpd refuses to start or crashes. A clean file is one passing `startup` case.

use std::fmt::Write;

use super::{FileReport, rule_command};
use crate::diagnostic::Severity;
use crate::syntax::LineIndex;

/// One file's `<testsuite>` element and its counts.
#[derive(Debug, Clone)]
pub struct Suite {
    /// Test cases in it.
    pub tests: usize,
    /// Failed test cases.
    pub failures: usize,
    /// The element.
    pub xml: String,
}

/// One file's `<testsuite>`.
pub fn file_suite(r: &FileReport) -> Suite {
    let index = LineIndex::new(&r.source);
    let mut cases = String::new();
    let mut tests = 1;
    let mut failures = 0;
    let _ = write!(
        cases,
        "    <testcase classname=\"{}\" name=\"startup\" file=\"{}\">",
        xml(&r.path),
        xml(&r.path)
    );
    if let Some(message) = &r.startup.message {
        failures += 1;
        let _ = write!(
            cases,
            "\n      <failure type=\"startup\" message=\"vsftpd refuses to start\">{}</failure>\n    ",
            xml(message)
        );
    } else if r.startup.crashed {
        failures += 1;
        cases.push_str("\n      <failure type=\"startup\" message=\"vsftpd crashes (SIGSEGV) while reading this file\"/>\n    ");
    }
    cases.push_str("</testcase>\n");
    let mut codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code).collect();
    codes.dedup();
    let mut done: Vec<&str> = Vec::new();
    for code in codes {
        if done.contains(&code) {
            continue;
        }
        done.push(code);
        let findings: Vec<_> = r.diagnostics.iter().filter(|d| d.code == code).collect();
        let name = findings.first().map_or("", |d| d.name);
        tests += 1;
        let _ = writeln!(
            cases,
            "    <testcase classname=\"{}\" name=\"{} {}\" file=\"{}\">",
            xml(&r.path),
            code,
            name,
            xml(&r.path)
        );
        let mut infos = String::new();
        let mut failed = false;
        for d in findings {
            let (start, _) = r.range(&index, d.span);
            let mut text = format!(
                "{}:{}:{}: {}",
                r.path, start.line.0, start.column, d.message
            );
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            text.push_str(&format!("\nsee: {}", rule_command(d.code)));
            if d.severity == Severity::Info {
                infos.push_str(&text);
                infos.push('\n');
                continue;
            }
            failed = true;
            let _ = writeln!(
                cases,
                "      <failure type=\"{}\" message=\"line {}: {}\">{}</failure>",
                d.severity.as_str(),
                start.line.0,
                xml(&d.message),
                xml(&text)
            );
        }
        if failed {
            failures += 1;
        }
        if !infos.is_empty() {
            let _ = writeln!(cases, "      <system-out>{}</system-out>", xml(&infos));
        }
        cases.push_str("    </testcase>\n");
    }
    Suite {
        tests,
        failures,
        xml: format!(
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n{cases}  </testsuite>\n",
            xml(&r.path)
        ),
    }
}

/// The document around collected suites.
pub fn render_suites(suites: &[Suite]) -> String {
    let tests: usize = suites.iter().map(|s| s.tests).sum();
    let failures: usize = suites.iter().map(|s| s.failures).sum();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"vsconf lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n"
    );
    for s in suites {
        out.push_str(&s.xml);
    }
    out.push_str("</testsuites>\n");
    out
}

/// Renders a whole run.
pub fn render(reports: &[FileReport]) -> String {
    let suites: Vec<Suite> = reports.iter().map(file_suite).collect();
    render_suites(&suites)
}

/// Escapes text for XML content and attribute values; drops characters XML 1.0 cannot hold.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}
