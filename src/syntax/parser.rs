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
    let (lines, errors) = read_lines(bytes);
    let limit = bytes.len().min(MAX_OFFSET);
    Parse {
        cst: Cst {
            text: bytes.get(..limit).unwrap_or_default().to_vec(),
            lines,
        },
        errors,
    }
}

/// [`parse`] of a buffer the caller gives up: the tree keeps it instead of a copy (a bulk lint reads
/// each file once and parses it once).
pub fn parse_owned(mut bytes: Vec<u8>) -> Parse {
    let (lines, errors) = read_lines(&bytes);
    bytes.truncate(MAX_OFFSET);
    Parse {
        cst: Cst { text: bytes, lines },
        errors,
    }
}

/// The lines of `bytes`, and the problems met on the way.
fn read_lines(bytes: &[u8]) -> (Vec<Line>, Vec<SyntaxError>) {
    // Sized exactly (memchr counts newlines at a fraction of an instruction per byte): a growing
    // vector of lines was reallocated several times per file.
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
    let mut errors = Vec::new();
    let mut shadow = String::new();
    let mut start = 0usize;
    let limit = bytes.len().min(MAX_OFFSET);
    // One search of the whole file spares one per line: most files hold no NUL at all.
    let nul = match memchr::memchr(0, bytes) {
        Some(_) => NulBytes::Possible,
        None => NulBytes::Absent,
    };
    while start < limit {
        let newline = memchr_newline(bytes.get(start..limit).unwrap_or_default());
        let (content_end, line_end) = match newline {
            Some(i) => (start + i, start + i + 1),
            None => (limit, limit),
        };
        let content = Span::new(offset(start), offset(content_end));
        let kind = classify(bytes, content, nul, &mut shadow).unwrap_or_else(|message| {
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
    (lines, errors)
}

fn offset(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', bytes)
}

/// Whether a line may hold a NUL byte (vsftpd ends the line there, so the grammar reads it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NulBytes {
    /// The file holds none.
    Absent,
    /// The line must be searched.
    Possible,
}

fn classify(
    bytes: &[u8],
    content: Span,
    nul: NulBytes,
    shadow: &mut String,
) -> Result<LineKind, String> {
    let raw = content.slice(bytes);
    // Fast paths for the shapes that need no grammar: they are also what the grammar says.
    if raw.is_empty() {
        return Ok(LineKind::Blank);
    }
    if raw.first() == Some(&b'#') {
        return Ok(LineKind::Comment);
    }
    if let Some(setting) = plain_setting(raw, content.start, nul) {
        return Ok(LineKind::Setting(setting));
    }
    by_grammar(raw, content.start, shadow)
}

/// What the grammar makes of one line's content (`base` is its offset in the file).
fn by_grammar(raw: &[u8], base: u32, shadow: &mut String) -> Result<LineKind, String> {
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
    Ok(match pair.as_rule() {
        Rule::blank => LineKind::Blank,
        Rule::comment => LineKind::Comment,
        Rule::setting => LineKind::Setting(setting(pair, base)),
        _ => return Err(format!("unexpected rule {:?}", pair.as_rule())),
    })
}

/// The grammar's reading of the common line shape, without the grammar: a line that starts with
/// neither whitespace nor `#` and holds no NUL. For it the grammar's `blank` cannot match (the first
/// byte is not a space), `indent` is empty, `name` runs to the first `=` (every other byte but NUL is
/// in its ranges, and bytes >= 0x80 are letters in the shadow), `value` to the end of the line, and
/// there is no `nul_tail`. pest spent ~8,000 instructions on such a line, 37% of a bulk run
/// (callgrind); this takes a few per byte. Every other shape (indentation, NUL, only whitespace) still
/// goes through the grammar, and a test checks that both readings agree.
fn plain_setting(raw: &[u8], base: u32, nul: NulBytes) -> Option<Setting> {
    let first = *raw.first()?;
    if first == b'#'
        || is_space(first)
        || (nul == NulBytes::Possible && memchr::memchr(0, raw).is_some())
    {
        return None;
    }
    let span = |from: usize, to: usize| Span::new(base + offset(from), base + offset(to));
    let equals = memchr::memchr(b'=', raw);
    Some(Setting {
        indent: Span::empty(base),
        name: span(0, equals.unwrap_or(raw.len())),
        equals: equals.map(|at| span(at, at + 1)),
        value: equals.map(|at| span(at + 1, raw.len())),
        nul_tail: None,
    })
}

/// The grammar's `space`: C `isspace` without `\n`.
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | 0x0B | 0x0C | b'\r')
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The fast path and the grammar read a line the same way wherever the fast path answers.
    fn agrees(raw: &[u8], base: u32) {
        let Some(fast) = plain_setting(raw, base, NulBytes::Possible) else {
            return;
        };
        let mut shadow = String::new();
        assert_eq!(
            by_grammar(raw, base, &mut shadow),
            Ok(LineKind::Setting(fast)),
            "{raw:?}"
        );
    }

    #[test]
    fn plain_settings_read_as_the_grammar_reads_them() {
        let lines: [&[u8]; 12] = [
            b"listen=YES",
            b"listen",
            b"=YES",
            b"a==b=c",
            b"name =  value \r",
            b"x=\r",
            b"Listen_Port=21 # not a comment",
            b"\x7f=\x7f",
            b"\xef\xbb\xbflisten=YES",
            b"ftpd_banner=\xc3\xa9t\xe9",
            b"a\tb=c\x0bd",
            b"#x",
        ];
        for line in lines {
            agrees(line, 7);
        }
        // Every shape the fast path declines: the grammar's alone.
        for line in [
            &b" listen=YES"[..],
            b"\tx=1",
            b"a\0b",
            b"a=b\0c",
            b"\r",
            b"#a=b",
        ] {
            assert_eq!(plain_setting(line, 0, NulBytes::Possible), None, "{line:?}");
        }
    }

    proptest! {
        #[test]
        fn plain_settings_agree_with_the_grammar_on_any_bytes(
            raw in proptest::collection::vec(
                prop_oneof![Just(b'='), Just(b' '), Just(b'#'), Just(b'\r'), Just(0u8), any::<u8>()],
                0..24,
            ),
            base in 0u32..1000,
        ) {
            let raw: Vec<u8> = raw.into_iter().filter(|b| *b != b'\n').collect();
            agrees(&raw, base);
        }
    }
}
