//! Completion: setting names the current build knows (names only other builds know come last, marked
//! as such), `YES`/`NO` for booleans, the default for other values, and the commented examples of the
//! distributions' stock files with the comment that explains them.

use std::sync::OnceLock;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionItemLabelDetails, CompletionTextEdit,
    Documentation, MarkupContent, MarkupKind, TextEdit,
};

use crate::dialect::{Dialect, Kind, TUNABLES, TunableSpec};
use crate::model::default_value;
use crate::syntax::{LineKind, Span};

use super::analysis::Analysis;
use super::hover::description;

/// The stock files whose commented examples are offered, with who ships them.
const STOCK_FILES: &[(&str, &str)] = &[
    (
        "Debian's stock vsftpd.conf",
        include_str!("../../examples/debian-stock.conf"),
    ),
    (
        "RHEL's stock vsftpd.conf",
        include_str!("../../examples/rhel-stock.conf"),
    ),
];

/// A commented example line of a stock file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockExample {
    /// The setting name.
    pub name: String,
    /// The whole line without its `#` (`anon_upload_enable=YES`).
    pub line: String,
    /// The comment paragraph above it.
    pub comment: String,
    /// Which file.
    pub file: &'static str,
}

/// Every commented `#name=value` line of the stock files whose name is a setting.
pub fn stock_examples() -> &'static [StockExample] {
    static EXAMPLES: OnceLock<Vec<StockExample>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        let mut out = Vec::new();
        for (file, text) in STOCK_FILES {
            let mut comment: Vec<&str> = Vec::new();
            for line in text.lines() {
                let Some(rest) = line.strip_prefix('#') else {
                    // A blank line ends a paragraph; an active setting does not (its paragraph often
                    // explains the commented lines below it too).
                    if line.trim().is_empty() {
                        comment.clear();
                    }
                    continue;
                };
                match rest.split_once('=') {
                    Some((name, _)) if TUNABLES.iter().any(|s| s.name == name) => {
                        out.push(StockExample {
                            name: name.to_owned(),
                            line: rest.to_owned(),
                            comment: comment.join(" "),
                            file,
                        });
                    }
                    _ => comment.push(rest.trim()),
                }
            }
        }
        out
    })
}

/// Case-insensitive subsequence match: what editors' fuzzy filters accept.
fn matches(typed: &[u8], name: &str) -> bool {
    let mut wanted = typed.iter().map(u8::to_ascii_lowercase).peekable();
    for b in name.bytes() {
        if wanted.peek() == Some(&b.to_ascii_lowercase()) {
            wanted.next();
        }
    }
    wanted.peek().is_none()
}

/// The completions at a byte offset of the analysed text.
pub fn complete(a: &Analysis, offset: u32) -> Vec<CompletionItem> {
    let Some(index) = a.line_at(offset) else {
        return Vec::new();
    };
    let Some(line) = a.cst.lines().get(index) else {
        return Vec::new();
    };
    if line.kind == LineKind::Comment {
        return Vec::new();
    }
    let before = a.cst.slice(Span::new(line.content.start, offset));
    let indent = before
        .iter()
        .take_while(|b| b.is_ascii_whitespace())
        .count() as u32;
    let setting = match &line.kind {
        LineKind::Setting(s) => Some(s),
        _ => None,
    };
    let dialect = a.lint.config.dialect();
    match setting.and_then(|s| s.equals.map(|e| (s, e))) {
        Some((s, equals)) if offset >= equals.end => {
            let value = s
                .value_without_carriage_return(a.cst.text())
                .unwrap_or(Span::empty(equals.end));
            let range = a.range(value);
            value_items(dialect, a.cst.slice(s.name), range)
        }
        _ => {
            let start = line.content.start.saturating_add(indent);
            let end = setting.map_or(offset, |s| s.name.end.max(offset));
            let typed = a.cst.slice(Span::new(start, offset));
            let has_equals = setting.is_some_and(|s| s.equals.is_some());
            let range = a.range(Span::new(start, end));
            name_items(dialect, typed, has_equals, range)
        }
    }
}

fn markdown(text: String) -> Option<Documentation> {
    Some(Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value: text,
    }))
}

fn type_detail(spec: &TunableSpec, dialect: Dialect) -> String {
    let kind = match spec.kind {
        Kind::Bool => "boolean",
        Kind::Uint => "number",
        Kind::Str => "string",
    };
    match spec.default_in(dialect) {
        Some(d) => format!("{kind} · default {}", default_value(d).display(spec.octal)),
        None => kind.to_owned(),
    }
}

fn name_items(
    dialect: Dialect,
    typed: &[u8],
    has_equals: bool,
    range: lsp_types::Range,
) -> Vec<CompletionItem> {
    let mut items = Vec::new();
    for spec in TUNABLES.iter().filter(|s| matches(typed, s.name)) {
        let here = spec.known_in(dialect);
        let elsewhere: Vec<&str> = spec.dialects().map(|d| d.id()).collect();
        let new_text = if has_equals {
            spec.name.to_owned()
        } else {
            format!("{}=", spec.name)
        };
        items.push(CompletionItem {
            label: spec.name.to_owned(),
            kind: Some(CompletionItemKind::PROPERTY),
            label_details: (!here).then(|| CompletionItemLabelDetails {
                detail: None,
                description: Some(format!("only in {}", elsewhere.join(", "))),
            }),
            detail: Some(if here {
                type_detail(spec, dialect)
            } else {
                format!(
                    "unknown to {dialect}: vsftpd would refuse to start (exists in {})",
                    elsewhere.join(", ")
                )
            }),
            documentation: markdown(description(spec)),
            sort_text: Some(format!("{}{}", if here { 0 } else { 2 }, spec.name)),
            filter_text: Some(spec.name.to_owned()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, new_text))),
            ..CompletionItem::default()
        });
    }
    for example in stock_examples() {
        let known = dialect.lookup(example.name.as_bytes()).is_some();
        if !known || !matches(typed, &example.name) {
            continue;
        }
        items.push(CompletionItem {
            label: example.line.clone(),
            kind: Some(CompletionItemKind::SNIPPET),
            detail: Some(format!("commented example of {}", example.file)),
            documentation: markdown(format!(
                "{}\n\n`#{}` in {}",
                example.comment, example.line, example.file
            )),
            sort_text: Some(format!("1{}", example.line)),
            filter_text: Some(example.name.clone()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                range,
                example.line.clone(),
            ))),
            ..CompletionItem::default()
        });
    }
    items
}

fn value_items(dialect: Dialect, name: &[u8], range: lsp_types::Range) -> Vec<CompletionItem> {
    let name = name.trim_ascii_start();
    let Some(spec) = dialect.lookup(name) else {
        return Vec::new();
    };
    let mut values: Vec<(String, String)> = Vec::new();
    let default = spec
        .default_in(dialect)
        .map(|d| default_value(d).display(spec.octal));
    if spec.kind == Kind::Bool {
        for v in ["YES", "NO"] {
            let note = if default.as_deref() == Some(v) {
                format!("the default in {dialect}")
            } else {
                "boolean".to_owned()
            };
            values.push((v.to_owned(), note));
        }
    } else if let Some(d) = default.filter(|d| d != "(none)") {
        values.push((d, format!("the default in {dialect}")));
    }
    for example in stock_examples()
        .iter()
        .filter(|e| e.name.as_bytes() == name)
    {
        let value = example
            .line
            .split_once('=')
            .map(|(_, v)| v.to_owned())
            .unwrap_or_default();
        if !values.iter().any(|(v, _)| *v == value) {
            values.push((value, format!("example of {}", example.file)));
        }
    }
    values
        .into_iter()
        .enumerate()
        .map(|(i, (value, detail))| CompletionItem {
            label: value.clone(),
            kind: Some(CompletionItemKind::VALUE),
            detail: Some(detail),
            sort_text: Some(format!("{i:03}")),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, value))),
            ..CompletionItem::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::position::Encoding;
    use crate::settings::Settings;

    fn labels(text: &str, at: usize) -> Vec<String> {
        let choose = |_: &Settings, _: Option<&std::path::Path>| Dialect::Debian303;
        let a = Analysis::new(text.as_bytes(), None, Encoding::Utf16, &choose);
        complete(&a, at as u32)
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn names_match_what_was_typed_and_other_builds_come_marked() {
        let got = labels("pasv_m", 6);
        assert!(got.contains(&"pasv_min_port".to_owned()), "{got:?}");
        assert!(got.contains(&"pasv_max_port".to_owned()), "{got:?}");
        assert!(!got.contains(&"listen".to_owned()));
        let choose = |_: &Settings, _: Option<&std::path::Path>| Dialect::Debian303;
        let a = Analysis::new(b"reverse_look", None, Encoding::Utf16, &choose);
        let items = complete(&a, 12);
        let item = items
            .iter()
            .find(|i| i.label == "reverse_lookup_enable")
            .expect("offered");
        assert!(
            item.detail
                .as_deref()
                .unwrap_or("")
                .starts_with("unknown to debian-3.0.3")
        );
    }

    #[test]
    fn booleans_offer_yes_and_no_and_stock_examples_are_offered() {
        assert_eq!(labels("listen=", 7), ["YES", "NO"]);
        let got = labels("anon_upl", 8);
        assert!(
            got.contains(&"anon_upload_enable=YES".to_owned()),
            "{got:?}"
        );
        assert!(stock_examples().iter().all(|e| !e.comment.is_empty()));
    }
}
