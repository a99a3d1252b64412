//! Bytes → lossless syntax tree (`Cst`).
//!
//! Owns the line grammar (`grammar/vsftpd.pest`) and is the only module that knows pest. It knows
//! nothing of tunables, dialects or diagnostics: what vsftpd *makes* of a line is the model's business.
//!
//! Invariant: parsing never fails and loses nothing. `parse(b).cst.print() == b` for every input up to
//! 4 GiB — CRLF, BOM, NUL, non-UTF-8 and a missing final newline included.
//!
//! ```
//! let parse = vsconf::syntax::parse(b"listen=YES\r\n#c\n  x");
//! assert_eq!(parse.cst.print(), b"listen=YES\r\n#c\n  x");
//! assert_eq!(parse.cst.lines().len(), 3);
//! ```

mod cst;
mod dump;
mod parser;
mod span;

pub use cst::{Cst, Line, LineKind, Setting};
pub use dump::{dump, escape_bytes, visible, visible_columns};
pub use parser::{parse, parse_owned};
pub use span::{LineColumn, LineIndex, LineNumber, Span};

/// The result of parsing: always a tree, plus the problems met on the way.
#[derive(Debug, Clone)]
pub struct Parse {
    /// The tree, covering every input byte.
    pub cst: Cst,
    /// Lines the grammar could not match (kept whole in the tree). Empty for every input seen so far:
    /// the grammar accepts any line.
    pub errors: Vec<SyntaxError>,
}

/// A line the grammar could not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The line's content.
    pub span: Span,
    /// What went wrong.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dumped(input: &[u8]) -> String {
        let parse = parse(input);
        assert!(parse.errors.is_empty(), "{:?}", parse.errors);
        assert_eq!(parse.cst.print(), input);
        dump(&parse.cst)
    }

    #[test]
    fn setting_splits_at_first_equals() {
        assert_eq!(
            dumped(b"ftpd_banner=a=b\n"),
            "SETTING@0..15 \"ftpd_banner=a=b\"\n  NAME@0..11 \"ftpd_banner\"\n  EQUALS@11..12 \"=\"\n  VALUE@12..15 \"a=b\"\nNEWLINE@15..16 \"\\n\"\n"
        );
    }

    #[test]
    fn only_first_column_hash_is_a_comment() {
        let p = parse(b"#c\n  #c=1\n");
        assert_eq!(p.cst.lines()[0].kind, LineKind::Comment);
        let LineKind::Setting(s) = &p.cst.lines()[1].kind else {
            panic!("indented # is a setting")
        };
        assert_eq!(p.cst.slice(s.name), b"#c");
        assert_eq!(p.cst.slice(s.indent), b"  ");
    }

    #[test]
    fn whitespace_only_lines_are_blank_crlf_included() {
        for input in [&b"\r\n"[..], b"  \t\n", b"\x0c\n", b""] {
            let p = parse(input);
            assert!(
                p.cst.lines().iter().all(|l| l.kind == LineKind::Blank),
                "{input:?}"
            );
        }
    }

    #[test]
    fn crlf_keeps_carriage_return_in_value() {
        let p = parse(b"listen=YES\r\n");
        let (line, s) = p.cst.settings().next().expect("one setting");
        assert_eq!(p.cst.slice(s.value.expect("value")), b"YES\r");
        assert!(line.ends_with_carriage_return(p.cst.text()));
        assert_eq!(
            p.cst.slice(
                s.value_without_carriage_return(p.cst.text())
                    .expect("value")
            ),
            b"YES"
        );
    }

    #[test]
    fn nul_ends_the_line_for_vsftpd() {
        let p = parse(b"listen=YES\0junk=1\n");
        let (_, s) = p.cst.settings().next().expect("one setting");
        assert_eq!(p.cst.slice(s.value.expect("value")), b"YES");
        assert_eq!(p.cst.slice(s.nul_tail.expect("tail")), b"\0junk=1");
    }

    #[test]
    fn non_utf8_bytes_keep_their_offsets() {
        let p = parse(b"ftpd_banner=\xff\xfe x\nf\xffoo=1");
        let settings: Vec<_> = p.cst.settings().collect();
        assert_eq!(
            p.cst.slice(settings[0].1.value.expect("value")),
            b"\xff\xfe x"
        );
        assert_eq!(p.cst.slice(settings[1].1.name), b"f\xffoo");
        assert_eq!(p.cst.print(), b"ftpd_banner=\xff\xfe x\nf\xffoo=1");
    }

    #[test]
    fn bom_belongs_to_the_first_name() {
        let p = parse(b"\xef\xbb\xbflisten=YES\n");
        assert!(p.cst.has_bom());
        let (_, s) = p.cst.settings().next().expect("one setting");
        assert_eq!(p.cst.slice(s.name), b"\xef\xbb\xbflisten");
    }

    #[test]
    fn name_without_equals_has_no_value() {
        let p = parse(b"  listen");
        let (_, s) = p.cst.settings().next().expect("one setting");
        assert_eq!(p.cst.slice(s.name), b"listen");
        assert!(s.equals.is_none() && s.value.is_none());
    }
}
