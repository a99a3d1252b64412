//! Code actions and formatting, both made of the rules' own fixes:
//! - one quick fix per finding that has one, titled with the rule's code and marked safe or unsafe;
//! - "fix all safe problems": what `vsconf fix` writes (rounds until nothing changes, never making
//!   vsftpd's startup worse);
//! - formatting: the same loop restricted to safe fixes that change only whitespace or letter case
//!   (`Listen=YES` → `listen=YES`, a CRLF line ending, an indented comment), so formatting never renames,
//!   deletes or changes a value.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, Range, TextEdit, Uri, WorkspaceEdit};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::edit::fix::{FixOptions, fix, fix_with};
use crate::rules::lint;
use crate::syntax::{Cst, Span};

use super::analysis::Analysis;
use super::position::LineMap;

/// The kind of the "fix all safe problems" action.
pub const FIX_ALL_KIND: &str = "source.fixAll.vsconf";

/// The title of the "fix all safe problems" action.
pub const FIX_ALL_TITLE: &str = "vsconf: fix all safe problems";

/// The largest buffer fixed or formatted as a whole (what `vsconf fix` accepts).
pub const MAX_FIX_BYTES: usize = 8 * 1024 * 1024;

/// A fix's title as the editor shows it: the rule, what it does, and whether it changes behaviour.
pub fn title(d: &Diagnostic, fix: &Fix) -> String {
    match fix.applicability {
        Applicability::Safe => format!("{} ({}): {}", d.code, d.name, fix.title),
        Applicability::Unsafe => format!(
            "{} ({}): {} [unsafe: changes behaviour]",
            d.code, d.name, fix.title
        ),
    }
}

/// The quick fixes of the findings touching `range`, then "fix all safe problems" when there is one.
pub fn code_actions(
    a: &Analysis,
    uri: &Uri,
    text: Option<&str>,
    range: Range,
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeAction> {
    let wanted = |kind: &CodeActionKind| {
        only.is_none_or(|only| {
            only.iter().any(|o| {
                kind.as_str() == o.as_str()
                    || kind.as_str().starts_with(&format!("{}.", o.as_str()))
            })
        })
    };
    let mut actions = Vec::new();
    let asked = a.map.span(a.cst.text(), range);
    if wanted(&CodeActionKind::QUICKFIX) {
        for d in &a.lint.diagnostics {
            let Some(fix) = &d.fix else { continue };
            let touches = d.span.start <= asked.end && asked.start <= d.span.end;
            if !touches || fix.edits.is_empty() {
                continue;
            }
            actions.push(CodeAction {
                title: title(d, fix),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![a.to_lsp(uri, d)]),
                edit: Some(workspace_edit(uri, edits(&a.map, a.cst.text(), &fix.edits))),
                is_preferred: Some(fix.applicability == Applicability::Safe),
                ..CodeAction::default()
            });
        }
    }
    let fix_all = CodeActionKind::new(FIX_ALL_KIND);
    if wanted(&fix_all) || wanted(&CodeActionKind::QUICKFIX) {
        if let Some(edit) = text.and_then(|text| fix_all_edit(a, text)) {
            actions.push(CodeAction {
                title: FIX_ALL_TITLE.to_owned(),
                kind: Some(fix_all),
                edit: Some(workspace_edit(uri, vec![edit])),
                ..CodeAction::default()
            });
        }
    }
    actions
}

/// The one edit that turns the buffer into what `vsconf fix` (safe fixes only) makes of it.
pub fn fix_all_edit(a: &Analysis, text: &str) -> Option<TextEdit> {
    if text.len() > MAX_FIX_BYTES || !a.lint.diagnostics.iter().any(|d| safe(d.fix.as_ref())) {
        return None;
    }
    let options = FixOptions {
        lint: a.options.clone(),
        unsafe_fixes: false,
    };
    let fixed = fix(text.as_bytes(), &options).text;
    minimal_edit(text.as_bytes(), &fixed, a.map.encoding())
}

/// Formatting: the safe fixes that change only whitespace and letter case, applied until none is left.
pub fn format(a: &Analysis, text: &str) -> Option<Vec<TextEdit>> {
    if text.len() > MAX_FIX_BYTES {
        return None;
    }
    let options = FixOptions {
        lint: a.options.clone(),
        unsafe_fixes: false,
    };
    let lint_options = a.options.clone();
    let layout_only = move |cst: &Cst| {
        let mut diagnostics = lint(cst, None, &lint_options, None).diagnostics;
        for d in &mut diagnostics {
            if !d.fix.as_ref().is_some_and(|f| is_layout_fix(f, cst.text())) {
                d.fix = None;
            }
        }
        diagnostics
    };
    let formatted = fix_with(text.as_bytes(), &options, &layout_only).text;
    Some(
        minimal_edit(text.as_bytes(), &formatted, a.map.encoding())
            .into_iter()
            .collect(),
    )
}

fn safe(fix: Option<&Fix>) -> bool {
    fix.is_some_and(|f| f.applicability == Applicability::Safe)
}

/// Whether a fix is safe and each edit changes only ASCII whitespace and letter case.
pub fn is_layout_fix(fix: &Fix, text: &[u8]) -> bool {
    let normal = |bytes: &[u8]| -> Vec<u8> {
        bytes
            .iter()
            .filter(|b| !b.is_ascii_whitespace())
            .map(u8::to_ascii_lowercase)
            .collect()
    };
    fix.applicability == Applicability::Safe
        && !fix.edits.is_empty()
        && fix
            .edits
            .iter()
            .all(|e| normal(e.span.slice(text)) == normal(&e.replacement))
}

/// Rule edits as LSP text edits. The buffer is UTF-8 (it came as a JSON string), so replacement bytes
/// are too; any that are not are shown with U+FFFD.
fn edits(map: &LineMap, text: &[u8], edits: &[Edit]) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|e| {
            TextEdit::new(
                map.range(text, e.span),
                String::from_utf8_lossy(&e.replacement).into_owned(),
            )
        })
        .collect()
}

#[expect(
    clippy::mutable_key_type,
    reason = "lsp_types keys WorkspaceEdit::changes by Uri; this map holds one key and is never mutated through it"
)]
fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }
}

/// One edit replacing only what differs between `old` and `new` (common prefix and suffix kept), so the
/// editor keeps the cursor and folds; `None` when they are equal.
pub fn minimal_edit(
    old: &[u8],
    new: &[u8],
    encoding: super::position::Encoding,
) -> Option<TextEdit> {
    if old == new {
        return None;
    }
    let mut prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    // Cut at character boundaries so that both sides stay valid UTF-8.
    while prefix > 0 && !(is_boundary(old, prefix) && is_boundary(new, prefix)) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while suffix > 0
        && !(is_boundary(old, old.len() - suffix) && is_boundary(new, new.len() - suffix))
    {
        suffix -= 1;
    }
    let span = Span::new(
        u32::try_from(prefix).ok()?,
        u32::try_from(old.len() - suffix).ok()?,
    );
    let map = LineMap::new(old, encoding);
    let replacement = new.get(prefix..new.len() - suffix)?;
    Some(TextEdit::new(
        map.range(old, span),
        String::from_utf8_lossy(replacement).into_owned(),
    ))
}

fn is_boundary(text: &[u8], at: usize) -> bool {
    // A UTF-8 continuation byte is 0b10xx_xxxx.
    text.get(at).is_none_or(|b| (b & 0xC0) != 0x80)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::lsp::position::Encoding;
    use crate::settings::Settings;
    use lsp_types::Position;

    fn analysis(text: &str) -> Analysis {
        let choose = |_: &Settings, _: Option<&std::path::Path>| Dialect::Debian303;
        Analysis::new(text.as_bytes(), None, Encoding::Utf16, &choose)
    }

    #[test]
    fn formatting_fixes_case_but_never_renames_a_typo() {
        let text = "listen=YES\nPort_enable=YES\nFtp_date_port=20\n";
        let a = analysis(text);
        let edits = format(&a, text).expect("formatted");
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].new_text, "p");
        assert_eq!(edits[0].range.start, Position::new(1, 0));
        let all = fix_all_edit(&a, text).expect("fixes");
        // Everything between the first and the last change, both renames included.
        assert_eq!(all.new_text, "port_enable=YES\nftp_data");
    }

    #[test]
    fn quick_fixes_are_titled_with_code_and_safety() {
        let text = "listen=YES\nPASV_min_port=40000\n";
        let a = analysis(text);
        let uri: Uri = "untitled:x".parse().unwrap();
        let range = Range::new(Position::new(1, 0), Position::new(1, 3));
        let actions = code_actions(&a, &uri, Some(text), range, None);
        assert_eq!(
            actions[0].title,
            "VSC001 (unrecognised-variable): rename to `pasv_min_port`"
        );
        assert_eq!(
            actions.last().map(|x| x.title.as_str()),
            Some(FIX_ALL_TITLE)
        );
        let only = [CodeActionKind::SOURCE_FIX_ALL];
        let source_only = code_actions(&a, &uri, Some(text), range, Some(&only));
        assert_eq!(source_only.len(), 1);
    }

    #[test]
    fn minimal_edits_keep_common_ends_and_characters_whole() {
        let edit = minimal_edit("a=é1\n".as_bytes(), "a=è1\n".as_bytes(), Encoding::Utf16).unwrap();
        assert_eq!(edit.new_text, "è");
        assert_eq!(edit.range.start, Position::new(0, 2));
        assert_eq!(edit.range.end, Position::new(0, 3));
        assert!(minimal_edit(b"x", b"x", Encoding::Utf16).is_none());
    }
}
