//! `# vsconf: allow CODE[,CODE…] -- reason` comments: each silences the named rules on the next
//! setting line only. The comment must start in column 1 (vsftpd refuses an indented `#`).

use crate::diagnostic::Diagnostic;
use crate::syntax::{Cst, LineKind, Span};

use super::{RuleMeta, find};

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

/// What became of one rule named in a suppression comment once the findings are known: what the
/// `VSC9xx` rules report on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// The code or name as written.
    pub rule: String,
    /// Where it is written.
    pub span: Span,
    /// What it did.
    pub outcome: DirectiveOutcome,
}

/// What a suppression of one rule did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectiveOutcome {
    /// It names no rule.
    Unknown,
    /// It is not directly above a setting.
    Misplaced,
    /// The rule reported nothing on the setting below, so it silenced nothing.
    Unused(&'static RuleMeta),
    /// The rule's finding on the setting below is fatal (vsftpd refuses the line), which no comment
    /// can silence.
    Fatal(&'static RuleMeta),
    /// It silenced at least one finding.
    Used,
}

/// Drops the findings a suppression covers (never a fatal one: vsftpd refuses the line whatever the
/// comment says) and tells what became of each rule every suppression names.
pub(crate) fn apply(
    diagnostics: Vec<Diagnostic>,
    suppressions: &[Suppression],
) -> (Vec<Diagnostic>, Vec<Directive>) {
    let mut directives = Vec::new();
    let mut silenced = vec![false; diagnostics.len()];
    for s in suppressions {
        for (rule, span) in &s.rules {
            let outcome = match (find(rule), s.target) {
                (None, _) => DirectiveOutcome::Unknown,
                (Some(_), None) => DirectiveOutcome::Misplaced,
                (Some(r), Some(target)) => {
                    let mut outcome = DirectiveOutcome::Unused(r.meta());
                    for (d, gone) in diagnostics.iter().zip(silenced.iter_mut()) {
                        let covered = d.code == r.meta().code
                            && (target.contains(d.span.start) || target == d.span);
                        if covered && d.fatal {
                            if outcome != DirectiveOutcome::Used {
                                outcome = DirectiveOutcome::Fatal(r.meta());
                            }
                        } else if covered {
                            *gone = true;
                            outcome = DirectiveOutcome::Used;
                        }
                    }
                    outcome
                }
            };
            directives.push(Directive {
                rule: rule.clone(),
                span: *span,
                outcome,
            });
        }
    }
    let kept = diagnostics
        .into_iter()
        .zip(silenced)
        .filter_map(|(d, gone)| (!gone).then_some(d))
        .collect();
    (kept, directives)
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
