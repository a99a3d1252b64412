//! Bytes → `Cst`. The only module that knows pest.
//!
//! vsftpd reads bytes and pest reads `&str`, so each line is handed to the grammar as an ASCII shadow
//! in which every byte ≥ 0x80 becomes `a` (no such byte is special to vsftpd's reader). Offsets are
//! identical in the shadow and the original, and token text is always taken from the original.

use pest::Parser;
use pest::iterators::Pair;
use pest_derive::Parser;

use super::cst::{Cst, Line, LineKind, Setting};
use super::span::Span;
use super::{Parse, SyntaxError};

#[derive(Parser)]
#[grammar = "../grammar/vsftpd.pest"]
struct LineGrammar;

/// The largest input whose offsets fit a `Span`; bytes past it are kept in one final line.
const MAX_OFFSET: usize = u32::MAX as usize;

/// Parses a whole buffer. Never fails: problems are returned beside the tree.
pub fn parse(bytes: &[u8]) -> Parse {
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    let mut shadow = String::new();
    let mut start = 0usize;
    let limit = bytes.len().min(MAX_OFFSET);
    while start < limit {
        let newline = memchr_newline(bytes.get(start..limit).unwrap_or_default());
        let (content_end, line_end) = match newline {
            Some(i) => (start + i, start + i + 1),
            None => (limit, limit),
        };
        let content = Span::new(offset(start), offset(content_end));
        let kind = classify(bytes, content, &mut shadow).unwrap_or_else(|message| {
            errors.push(SyntaxError {
                span: content,
                message,
            });
            // A line the grammar cannot match is still a line vsftpd reads as a setting; keep it whole.
            LineKind::Setting(Setting {
                indent: Span::empty(content.start),
                name: content,
                equals: None,
                value: None,
                nul_tail: None,
            })
        });
        lines.push(Line {
            span: Span::new(offset(start), offset(line_end)),
            content,
            newline: newline.map(|_| Span::new(offset(content_end), offset(line_end))),
            kind,
        });
        start = line_end;
    }
    if bytes.len() > MAX_OFFSET {
        errors.push(SyntaxError {
            span: Span::empty(u32::MAX),
            message: format!("input longer than {MAX_OFFSET} bytes: the rest is not represented"),
        });
    }
    Parse {
        cst: Cst {
            text: bytes.get(..limit).unwrap_or_default().to_vec(),
            lines,
        },
        errors,
    }
}

fn offset(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|b| *b == b'\n')
}

fn classify(bytes: &[u8], content: Span, shadow: &mut String) -> Result<LineKind, String> {
    let raw = content.slice(bytes);
    // Fast paths for the two shapes that need no grammar: they are also what the grammar says.
    if raw.is_empty() {
        return Ok(LineKind::Blank);
    }
    if raw.first() == Some(&b'#') {
        return Ok(LineKind::Comment);
    }
    shadow.clear();
    shadow.extend(
        raw.iter()
            .map(|b| if b.is_ascii() { char::from(*b) } else { 'a' }),
    );
    let mut pairs =
        LineGrammar::parse(Rule::line, shadow).map_err(|e| format!("unparsable line: {e}"))?;
    let Some(pair) = pairs.next() else {
        return Err("the grammar matched nothing".to_owned());
    };
    let base = content.start;
    Ok(match pair.as_rule() {
        Rule::blank => LineKind::Blank,
        Rule::comment => LineKind::Comment,
        Rule::setting => LineKind::Setting(setting(pair, base)),
        _ => return Err(format!("unexpected rule {:?}", pair.as_rule())),
    })
}

fn setting(pair: Pair<'_, Rule>, base: u32) -> Setting {
    let span_of = |p: &Pair<'_, Rule>| {
        let s = p.as_span();
        Span::new(base + offset(s.start()), base + offset(s.end()))
    };
    let whole = span_of(&pair);
    let mut setting = Setting {
        indent: Span::empty(whole.start),
        name: Span::empty(whole.start),
        equals: None,
        value: None,
        nul_tail: None,
    };
    for part in pair.into_inner() {
        let span = span_of(&part);
        match part.as_rule() {
            Rule::indent => setting.indent = span,
            Rule::name => setting.name = span,
            Rule::equals => setting.equals = Some(span),
            Rule::value => setting.value = Some(span),
            Rule::nul_tail => setting.nul_tail = Some(span),
            _ => {}
        }
    }
    setting
}
