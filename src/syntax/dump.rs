//! A readable dump of the tree for tests and `vsconf parse --dump`: one token per line,
//! `KIND@start..end "text"`, with non-printable bytes escaped.

use std::fmt::Write;

use super::cst::{Cst, LineKind};
use super::span::Span;

/// Renders every token of the tree.
pub fn dump(cst: &Cst) -> String {
    let mut out = String::new();
    for line in cst.lines() {
        let kind = match &line.kind {
            LineKind::Blank => "BLANK",
            LineKind::Comment => "COMMENT",
            LineKind::Setting(_) => "SETTING",
        };
        token(&mut out, cst, kind, line.content, 0);
        if let LineKind::Setting(s) = &line.kind {
            if !s.indent.is_empty() {
                token(&mut out, cst, "INDENT", s.indent, 2);
            }
            token(&mut out, cst, "NAME", s.name, 2);
            if let Some(eq) = s.equals {
                token(&mut out, cst, "EQUALS", eq, 2);
            }
            if let Some(v) = s.value {
                token(&mut out, cst, "VALUE", v, 2);
            }
            if let Some(t) = s.nul_tail {
                token(&mut out, cst, "NUL_TAIL", t, 2);
            }
        }
        if let Some(nl) = line.newline {
            token(&mut out, cst, "NEWLINE", nl, 0);
        }
    }
    out
}

fn token(out: &mut String, cst: &Cst, kind: &str, span: Span, indent: usize) {
    let _ = writeln!(
        out,
        "{:indent$}{kind}@{}..{} \"{}\"",
        "",
        span.start,
        span.end,
        escape_bytes(cst.slice(span))
    );
}

/// Escapes bytes for people: printable ASCII as is, `\r`, `\t`, `\n`, `\0` and `\xNN` otherwise.
/// Valid UTF-8 outside ASCII is kept.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\r' => out.push_str("\\r"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\0' => out.push_str("\\0"),
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                c if c.is_control() || c == '\u{FEFF}' => {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        let _ = write!(out, "\\x{b:02x}");
                    }
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}
