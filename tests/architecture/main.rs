//! Enforces the allowed `crate::…` edges between library modules: data flows one way, from bytes to
//! syntax to model to everything else. The binary (`main.rs`, `cli/`) may use anything.
//!
//! The table of allowed edges is the README's (between `<!-- edges:start -->` and
//! `<!-- edges:end -->`): this test reads it, so the written map and the check cannot drift apart. Where
//! the code and ../shared/STYLE.md §1 disagreed, the code's edges were kept and written there (issue 10).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an integration test fails by panicking and may print; Cargo.toml's [lints] cover every target"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The README's edge table: module → modules it may use.
fn allowed() -> BTreeMap<String, BTreeSet<String>> {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .expect("README.md");
    let table = readme
        .split("<!-- edges:start -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- edges:end -->").next())
        .expect("README.md has the edge table between <!-- edges:start --> and <!-- edges:end -->");
    let mut out = BTreeMap::new();
    for row in table.lines().map(str::trim).filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        let [module, uses] = cells.as_slice() else {
            panic!("README edge row `{row}` has not two cells");
        };
        if *module == "module" || module.starts_with("---") {
            continue;
        }
        let uses: BTreeSet<String> = uses
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty() && *u != "—")
            .map(str::to_owned)
            .collect();
        assert!(
            out.insert((*module).to_owned(), uses).is_none(),
            "README edge table lists `{module}` twice"
        );
    }
    out
}

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
    let table = allowed();
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
        let Some(allowed) = table.get(&module) else {
            problems.push(format!(
                "{}: module `{module}` is not in the README's edge table",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("readable source");
        for used in crate_uses(&text) {
            if used != module && !allowed.contains(&used) {
                problems.push(format!(
                    "{}: `{module}` may not use `crate::{used}` (README's edge table)",
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

#[test]
fn the_edge_table_names_only_known_modules_and_every_library_module() {
    let table = allowed();
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let declared: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_owned())
        .collect();
    for module in &declared {
        assert!(
            table.contains_key(module),
            "README's edge table lacks `{module}`"
        );
    }
    for (module, uses) in &table {
        for used in uses {
            assert!(
                table.contains_key(used),
                "README's edge table: `{module}` may use `{used}`, which is not a module of the table"
            );
        }
    }
}

#[test]
fn the_edge_table_has_no_cycle() {
    let table = allowed();
    // Depth-first search; `path` holds the modules on the way to the current one.
    fn visit(
        module: &str,
        table: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if done.contains(module) {
            return;
        }
        if let Some(at) = path.iter().position(|m| m == module) {
            panic!(
                "README's edge table has a cycle: {} -> {module}",
                path[at..].join(" -> ")
            );
        }
        path.push(module.to_owned());
        for used in table.get(module).into_iter().flatten() {
            visit(used, table, path, done);
        }
        path.pop();
        done.insert(module.to_owned());
    }
    let mut done = BTreeSet::new();
    for module in table.keys() {
        visit(module, &table, &mut Vec::new(), &mut done);
    }
}

/// Every Rust file under `src/`, as its path under `src/` and its text.
fn sources() -> Vec<(String, String)> {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .iter()
        .map(|file| {
            let rel = file.strip_prefix(&src).expect("under src");
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read_to_string(file).expect("readable source"),
            )
        })
        .collect()
}

/// vsftpd's fatal texts live in `startup/oops.rs`: a `500 OOPS: <text>` spelled in a string anywhere
/// else in the library or the binary is a second copy that can drift (tests may spell what they
/// expect; the per-setting notes in `setting_docs/` are prose for people, held to `startup/oops.rs` by
/// `tests/rules/setting_docs.rs`).
#[test]
fn vsftpd_texts_are_spelled_only_in_startup_oops() {
    let mut problems = Vec::new();
    for (rel, text) in sources() {
        if rel == "startup/oops.rs" || rel.starts_with("setting_docs/") {
            continue;
        }
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            let spelled = line
                .match_indices("500 OOPS: ")
                .any(|(at, m)| line[at + m.len()..].starts_with(|c: char| c.is_ascii_alphabetic()));
            if spelled {
                problems.push(format!(
                    "src/{rel}:{}: spells a vsftpd text; take it from startup::oops (oops::line(oops::…))",
                    n + 1
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Longest a hand-written function may be, in lines from `fn` to its closing brace.
const MAX_FUNCTION_LINES: usize = 120;

/// The functions in `text` as name, first line (1-based) and length in lines. A function ends at the
/// first later line that starts with `}` at the indentation of its `fn` line, which is how rustfmt
/// lays out every function body.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        let indent = &line[..line.len() - code.len()];
        let mut words = code.split_whitespace().peekable();
        while words
            .next_if(|w| w.starts_with("pub") || matches!(*w, "const" | "async" | "unsafe"))
            .is_some()
        {}
        if words.next() != Some("fn") || code.ends_with(';') {
            continue;
        }
        let name: String = words
            .next()
            .unwrap_or_default()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{indent}}}");
        if let Some(end) = lines[start + 1..]
            .iter()
            .position(|l| l.starts_with(&close))
        {
            out.push((name, start + 1, end + 2));
        }
    }
    out
}

#[test]
fn hand_written_functions_stay_short() {
    let mut problems = Vec::new();
    for (rel, text) in sources() {
        // Generated from the dialect sources, not written by hand.
        if rel == "dialect/table.rs" {
            continue;
        }
        for (name, line, length) in functions(&text) {
            if length > MAX_FUNCTION_LINES {
                problems.push(format!(
                    "src/{rel}:{line}: `{name}` is {length} lines; split it into functions of one concern each (at most {MAX_FUNCTION_LINES} lines)"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_length_check_sees_nested_and_indented_functions() {
    let text = "pub(crate) fn outer() {\n    fn inner() {\n    }\n}\nimpl X {\n    pub async fn method(&self) {\n        1\n    }\n    fn declared();\n}\n";
    assert_eq!(
        functions(text),
        [
            ("outer".to_owned(), 1, 4),
            ("inner".to_owned(), 2, 2),
            ("method".to_owned(), 6, 3),
        ]
    );
}
