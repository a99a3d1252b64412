//! Rendering a probe: the step log and the findings for people (or, quiet, only the findings), or one
//! JSON document.
//!
//! JSON (`--format json`), version 1; fields are only ever added:
//! `{"version": 1, "target": "ftp://host:port", "exit_status": 0|1|2, "findings": [{"status":
//! "pass"|"info"|"fail"|"error", "code", "message"}], "observations": {…}}` where `observations` is
//! [`Observations`] serialised as is (sessions, replies, data checks, the step log with
//! `elapsed_ms`).

use serde::{Deserialize, Serialize};

use super::diagnosis::{Finding, Status, exit_status};
use super::observation::Observations;

/// A probe's full result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Format version: 1.
    pub version: u32,
    /// The URL probed.
    pub target: String,
    /// 0 every check passed, 1 one failed, 2 the server could not be reached or is not FTP.
    pub exit_status: u8,
    /// The conclusions.
    pub findings: Vec<Finding>,
    /// What was seen.
    pub observations: Observations,
}

impl Report {
    /// Builds the report from observations and their diagnosis.
    pub fn new(observations: Observations, findings: Vec<Finding>) -> Report {
        Report {
            version: 1,
            target: observations.target.url(),
            exit_status: exit_status(&findings),
            findings,
            observations,
        }
    }
}

/// The JSON document.
pub fn render_json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report)
        .unwrap_or_else(|e| format!("{{\"version\":1,\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

/// How the human report looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HumanOptions {
    /// Show step durations; off replaces them with `-` (for snapshots).
    pub timings: bool,
    /// Only the diagnosis and the result line (`--quiet`): no header, no step log.
    pub diagnosis_only: bool,
    /// Colour the status words (`ok` green, `FAIL`/`ERROR` red, `info` cyan) with ANSI escapes.
    pub colour: bool,
}

/// The human report with every section; `timings` off replaces durations with `-` (for snapshots).
pub fn render_human(report: &Report, timings: bool) -> String {
    render_human_with(
        report,
        HumanOptions {
            timings,
            ..HumanOptions::default()
        },
    )
}

/// The human report as `options` ask.
pub fn render_human_with(report: &Report, options: HumanOptions) -> String {
    let mut out = String::new();
    if !options.diagnosis_only {
        render_steps(report, options.timings, &mut out);
        out.push_str("\ndiagnosis:\n");
    }
    for f in &report.findings {
        // Pad the plain word, then colour it, so that escapes do not count as width.
        let word = f.status.label();
        let pad = " ".repeat(5usize.saturating_sub(word.len()));
        let word = if options.colour {
            let code = match f.status {
                Status::Pass => "32",
                Status::Info => "36",
                Status::Fail | Status::Error => "1;31",
            };
            format!("\x1b[{code}m{word}\x1b[0m")
        } else {
            word.to_owned()
        };
        out.push_str(&format!("  {word}{pad} {}\n", f.message));
    }
    let verdict = match report.exit_status {
        0 => "every check passed",
        1 => "some checks failed",
        _ => "the server could not be probed",
    };
    if !options.diagnosis_only {
        out.push('\n');
    }
    out.push_str(&format!(
        "result: {verdict} (exit status {})\n",
        report.exit_status
    ));
    out
}

/// The header and the step log.
fn render_steps(report: &Report, timings: bool, out: &mut String) {
    let obs = &report.observations;
    out.push_str(&format!(
        "probe {} as {} (tls {}, timeout {} ms)\n",
        report.target,
        obs.user,
        obs.tls_mode.label(),
        obs.timeout_ms
    ));
    out.push_str("\nsteps:\n");
    let action_w = obs
        .steps
        .iter()
        .map(|s| s.action.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    for step in &obs.steps {
        let time = if timings {
            format!("{:>9.1} ms", step.elapsed_ms)
        } else {
            format!("{:>12}", "-")
        };
        let mark = if step.ok { "  " } else { "! " };
        let sent = step
            .sent
            .as_ref()
            .map(|s| format!("> {s}  "))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {mark}{:<12} {:<action_w$} {time}  {sent}{}\n",
            step.session.label(),
            step.action,
            step.result
        ));
    }
}
