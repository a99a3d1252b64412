//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning. One run; `tool.driver.rules` describes every
//! registered rule (id = code, name = kebab-case name, help = its documentation ending in the
//! `vsconf rules CODE` command, `helpUri` = its page only when Cargo.toml sets a `homepage` — the package
//! sets none today, so no field points at an address nobody checked —, default level = its severity, category as a tag); each result carries
//! `ruleId`, `ruleIndex`, `level` (`error`, `warning`, `note`), the message (plus help and the
//! `vsconf rules CODE` command), one location with a 1-based region whose `endColumn` is exclusive, and
//! `partialFingerprints` (`primaryLocationLineHash`, see [`super::fingerprints`]) so that code scanning
//! keeps one alert per finding across runs. A file vsftpd refuses to start also gets the `500 OOPS` text
//! in the run's `properties`. Relative paths stay relative (code scanning resolves them against the
//! checkout); absolute paths become `file://` URIs.

use serde_json::{Value, json};

use super::{FileReport, fingerprints, homepage, rule_command, rule_url};
use crate::diagnostic::Severity;
use crate::rules::REGISTRY;
use crate::syntax::LineIndex;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Renders the run as a SARIF log.
pub fn render(reports: &[FileReport], tool_version: &str) -> String {
    let mut results = Vec::new();
    let mut startup = Vec::new();
    for r in reports {
        let (res, refusal) = file_results(r);
        results.extend(res);
        startup.extend(refusal);
    }
    render_results(results, startup, tool_version)
}

/// One file's SARIF results and, when vsftpd refuses it, its refusal record.
pub fn file_results(r: &FileReport) -> (Vec<Value>, Option<Value>) {
    let mut results = Vec::new();
    let index = LineIndex::new(&r.source);
    let refusal = r
        .startup
        .message
        .as_ref()
        .map(|message| json!({ "path": r.path, "message": message }));
    let uri = if r.path.starts_with('/') {
        format!("file://{}", r.path.replace('%', "%25").replace(' ', "%20"))
    } else {
        r.path.trim_start_matches("./").to_owned()
    };
    for (d, print) in r.diagnostics.iter().zip(fingerprints(r)) {
        let (start, end) = r.range(&index, d.span);
        let rule_index = REGISTRY.iter().position(|x| x.meta().code == d.code);
        let mut text = d.message.clone();
        if let Some(help) = &d.help {
            text.push_str(". Help: ");
            text.push_str(help);
        }
        text.push_str(&format!(" (see `{}`)", rule_command(d.code)));
        let mut result = json!({
            "ruleId": d.code,
            "level": level(d.severity),
            "message": { "text": text },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": uri },
                    "region": {
                        "startLine": start.line.0,
                        "startColumn": start.column,
                        "endLine": end.line.0,
                        "endColumn": end.column.max(start.column + u32::from(end.line == start.line && end.column == start.column)),
                    }
                }
            }],
            "partialFingerprints": { "primaryLocationLineHash": print },
            "properties": { "fatal": d.fatal, "dialect": r.dialect },
        });
        if let (Some(i), Some(obj)) = (rule_index, result.as_object_mut()) {
            obj.insert("ruleIndex".to_owned(), json!(i));
        }
        results.push(result);
    }
    (results, refusal)
}

/// The SARIF log around collected results.
pub fn render_results(results: Vec<Value>, startup: Vec<Value>, tool_version: &str) -> String {
    let rules: Vec<Value> = REGISTRY
        .iter()
        .map(|r| {
            let m = r.meta();
            let mut rule = json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": m.summary },
                "help": {
                    "text": format!("{}\n\nRun `{}` for this page.", r.doc(), rule_command(m.code)),
                    "markdown": format!("{}\n\nRun `{}` for this page.", r.doc(), rule_command(m.code)),
                },
                "properties": { "tags": [m.category.as_str()] },
                "defaultConfiguration": { "level": level(m.severity) },
            });
            if let (Some(url), Some(obj)) = (rule_url(m.code), rule.as_object_mut()) {
                obj.insert("helpUri".to_owned(), json!(url));
            }
            rule
        })
        .collect();
    let mut driver = json!({ "name": "vsconf", "version": tool_version, "rules": rules });
    if let (Some(home), Some(obj)) = (homepage(), driver.as_object_mut()) {
        obj.insert("informationUri".to_owned(), json!(home));
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "results": results,
            "properties": { "startup_refusals": startup },
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}
