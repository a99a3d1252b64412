//! Rule documentation pages, generated from each rule's doc comment: `docs/rules.md` (the table) and
//! `docs/rules/VSCnnn.md` (one page per rule). `vsconf rules CODE` prints the same page. The test
//! `tests/rules` fails when the files in `docs/` are stale; `UPDATE_DOCS=1 cargo test --test rules`
//! rewrites them.

use super::{FixAvailability, REGISTRY, Registered, RuleMeta, Status};
use crate::diagnostic::Applicability;

fn fix_word(f: FixAvailability) -> &'static str {
    match f {
        FixAvailability::None => "none",
        FixAvailability::Sometimes(Applicability::Safe) => "sometimes (safe)",
        FixAvailability::Sometimes(Applicability::Unsafe) => "sometimes (unsafe)",
        FixAvailability::Always(Applicability::Safe) => "safe",
        FixAvailability::Always(Applicability::Unsafe) => "unsafe",
    }
}

fn dialects(r: &Registered) -> String {
    let m = r.meta();
    if m.dialects.len() == crate::dialect::Dialect::ALL.len() {
        "all".to_owned()
    } else {
        m.dialects
            .iter()
            .map(|d| d.id())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One rule's page.
pub fn page(r: &Registered) -> String {
    let m = r.meta();
    let mut out = format!("# {} {}\n\n{}\n\n", m.code, m.name, capitalise(m.summary));
    if let Status::Removed { since, replaced_by } = m.status {
        out.push_str(&format!(
            "**Removed in vsconf {since}**: this code never reports anything."
        ));
        if let Some(by) = replaced_by {
            out.push_str(&format!(
                " What it reported is reported by [{by}]({by}.md)."
            ));
        }
        out.push_str(" The code stays registered and is never reused.\n\n");
    }
    out.push_str("| category | default severity | dialects | fix | needs `--host-checks` |\n|---|---|---|---|---|\n");
    out.push_str(&format!(
        "| {} | {} | {} | {} | {} |\n\n",
        m.category.as_str(),
        severity_word(m),
        dialects(r),
        fix_word(m.fix),
        if m.host_checks { "yes" } else { "no" }
    ));
    out.push_str(&r.doc());
    if m.is_active() {
        out.push_str(&format!("\nSuppress one finding with a comment line directly above the setting: `# vsconf: allow {} -- reason`.\n", m.name));
    }
    out
}

/// The table of every rule.
pub fn index() -> String {
    let mut out = String::from(
        "# vsconf rules\n\nGenerated from the rule sources by `UPDATE_DOCS=1 cargo test --test rules`; do not edit.\n\n\
         Codes never change and are never reused; the hundreds digit is the category: 0xx startup, 1xx consistency, \
         2xx pitfall, 3xx security, 4xx portability, 9xx vsconf itself.\n\n\
         | code | name | category | severity | dialects | fix | summary |\n|---|---|---|---|---|---|---|\n",
    );
    for r in REGISTRY {
        let m = r.meta();
        out.push_str(&format!(
            "| [{code}](rules/{code}.md) | {} | {} | {} | {} | {} | {} |\n",
            m.name,
            m.category.as_str(),
            severity_word(m),
            dialects(r),
            fix_word(m.fix),
            m.summary,
            code = m.code
        ));
    }
    out
}

/// The default severity, or that the rule no longer runs.
fn severity_word(m: &RuleMeta) -> String {
    match m.status {
        Status::Stable => m.severity.as_str().to_owned(),
        Status::Removed { since, .. } => format!("removed in {since}"),
    }
}

/// The text with its first letter upper-case (also used by the setting pages).
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
