//! Enforces the allowed `crate::…` edges between library modules (STYLE.md §1): data flows one way,
//! from bytes to syntax to model to everything else. The binary (`main.rs`, `cli/`) may use anything.
//! A new edge is a design change: change this table and STYLE.md together.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// (module, modules it may use).
const ALLOWED: &[(&str, &[&str])] = &[
    ("syntax", &[]),
    ("dialect", &[]),
    ("ftp", &[]),
    ("model", &["syntax", "dialect"]),
    ("startup", &["model", "dialect", "syntax"]),
    ("diagnostic", &["syntax"]),
    (
        "rules",
        &["syntax", "dialect", "model", "startup", "diagnostic"],
    ),
    ("settings", &["dialect", "rules", "diagnostic"]),
    ("setting_docs", &["dialect", "rules"]),
    ("render", &["diagnostic", "rules", "syntax"]),
    ("firewall", &["model", "dialect"]),
    (
        "edit",
        &[
            "syntax",
            "dialect",
            "model",
            "rules",
            "diagnostic",
            "startup",
        ],
    ),
    ("server", &["model", "ftp", "dialect", "syntax"]),
    ("probe", &["model", "firewall", "ftp", "dialect", "startup"]),
    (
        "lsp",
        &[
            "syntax",
            "dialect",
            "settings",
            "model",
            "startup",
            "rules",
            "diagnostic",
            "edit",
        ],
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn top_module(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    Some(first.trim_end_matches(".rs").to_owned())
}

/// Every `crate::NAME` mentioned in the file outside comments and the `#[cfg(test)]` tail.
fn crate_uses(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + 7..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            } else if after.starts_with('{') {
                let inner = after.trim_start_matches('{');
                for part in inner.split([',', '}']) {
                    let n: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !n.is_empty() {
                        out.insert(n);
                    }
                }
            }
            rest = after;
        }
    }
    out
}

#[test]
fn library_modules_use_only_allowed_modules() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    for file in files {
        let Some(module) = top_module(&src, &file) else {
            continue;
        };
        if matches!(module.as_str(), "main" | "cli" | "lib") {
            continue;
        }
        let Some((_, allowed)) = ALLOWED.iter().find(|(m, _)| *m == module) else {
            problems.push(format!(
                "{}: module `{module}` is not in the architecture table",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("readable source");
        for used in crate_uses(&text) {
            if used != module && !allowed.contains(&used.as_str()) {
                problems.push(format!(
                    "{}: `{module}` may not use `crate::{used}`",
                    file.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn only_syntax_knows_pest_and_only_render_human_knows_miette_reports() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable source");
        let rel = file
            .strip_prefix(&src)
            .expect("under src")
            .to_string_lossy()
            .into_owned();
        if (text.contains("use pest") || text.contains("pest::")) && !rel.starts_with("syntax/") {
            problems.push(format!("{rel}: only src/syntax/ may use pest"));
        }
        if text.contains("GraphicalReportHandler") && rel != "render/human.rs" {
            problems.push(format!(
                "{rel}: only render/human.rs turns diagnostics into miette reports"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checker_sees_grouped_imports() {
    let uses = crate_uses(
        "use crate::{model::X, syntax::Span};\nlet a = crate::dialect::Tunable::Listen;\n// crate::firewall\n",
    );
    assert_eq!(
        uses.into_iter().collect::<Vec<_>>(),
        ["dialect", "model", "syntax"]
    );
}
