//! `# vsconf: allow CODE[,CODE…] -- reason` comments: each silences the named rules on the next
//! setting line only. The comment must start in column 1 (vsftpd refuses an indented `#`).

use crate::syntax::{Cst, LineKind, Span};

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The comment line.
    pub span: Span,
    /// The codes or names listed, as written.
    pub rules: Vec<(String, Span)>,
    /// The reason after `--`, if given.
    pub reason: Option<String>,
    /// The setting line it covers, if one follows (other comments may stand between).
    pub target: Option<Span>,
}

const PREFIX: &[u8] = b"# vsconf:";

/// Finds every suppression comment in the file.
pub fn parse_suppressions(cst: &Cst) -> Vec<Suppression> {
    let lines = cst.lines();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.kind != LineKind::Comment {
            continue;
        }
        let text = cst.slice(line.content);
        let Some(rest) = text.strip_prefix(PREFIX) else {
            continue;
        };
        let rest_start = line.content.start + PREFIX.len() as u32;
        let rest = String::from_utf8_lossy(rest);
        let (directive, reason) = match rest.split_once("--") {
            Some((d, r)) => (
                d.to_owned(),
                Some(r.trim().to_owned()).filter(|r| !r.is_empty()),
            ),
            None => (rest.clone().into_owned(), None),
        };
        let mut rules = Vec::new();
        let trimmed = directive.trim_start();
        if let Some(list) = trimmed.strip_prefix("allow") {
            let list_offset = rest_start + (directive.len() - trimmed.len()) as u32 + 5;
            let mut cursor = 0usize;
            for part in list.split([',', ' ', '\t', '\r']) {
                let start = cursor;
                cursor += part.len() + 1;
                if part.is_empty() {
                    continue;
                }
                let s = list_offset + start as u32;
                rules.push((part.to_owned(), Span::new(s, s + part.len() as u32)));
            }
        }
        let target = lines
            .iter()
            .skip(i + 1)
            .find(|l| l.kind != LineKind::Comment)
            .filter(|l| matches!(l.kind, LineKind::Setting(_)))
            .map(|l| l.content);
        out.push(Suppression {
            span: line.content,
            rules,
            reason,
            target,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn covers_the_next_setting_through_stacked_comments() {
        let cst = parse(
            b"# vsconf: allow VSC101, pasv-range-unset -- behind NAT\n#other\npasv_enable=YES\n",
        )
        .cst;
        let s = &parse_suppressions(&cst)[0];
        let names: Vec<&str> = s.rules.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["VSC101", "pasv-range-unset"]);
        assert_eq!(s.reason.as_deref(), Some("behind NAT"));
        assert_eq!(
            s.target.map(|t| cst.slice(t)),
            Some(&b"pasv_enable=YES"[..])
        );
        assert_eq!(cst.slice(s.rules[0].1), b"VSC101");
    }

    #[test]
    fn a_blank_line_ends_the_reach() {
        let cst = parse(b"# vsconf: allow VSC101\n\npasv_enable=YES\n").cst;
        assert_eq!(parse_suppressions(&cst)[0].target, None);
    }
}
