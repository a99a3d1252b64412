//! Documentation of every vsftpd setting, for people: `vsconf explain NAME`, the generated
//! `docs/settings/NAME.md` pages (`UPDATE_DOCS=1 cargo test --test cli` rewrites them; the test fails
//! when they are stale) and editor hovers (`vsconf lsp`). Pure data plus lookup: no I/O.
//!
//! One [`SettingDoc`] per tunable joins three sources, so nothing is written twice:
//! - the tunable table (`crate::dialect`): type, octal flag, compiled-in default per build, the builds
//!   that know the name, and its one-line meaning;
//! - the notes in `notes.rs` (this module's own data): what the setting does in an operator's words,
//!   what it interacts with, and its pitfalls — for the settings operators get wrong; the others say
//!   only the table's one line;
//! - the rule registry (`crate::rules`): every rule whose summary or documentation (before its examples)
//!   names the setting.

mod notes;

use crate::dialect::{Default, Dialect, Kind, TUNABLES, TunableSpec};
use crate::rules::REGISTRY;
use crate::rules::docs::capitalise;

/// Everything vsconf can say about one setting.
#[derive(Debug, Clone)]
pub struct SettingDoc {
    /// The exact name vsftpd accepts.
    pub name: &'static str,
    /// `bool`, `uint` or `string`.
    pub kind: &'static str,
    /// Whether the number is a mode or umask written in octal.
    pub octal: bool,
    /// The compiled-in default in each build that knows the name (as vsftpd.conf would spell it;
    /// `(unset)` for an empty string setting).
    pub defaults: Vec<(Dialect, String)>,
    /// The builds that do not know the name (vsftpd refuses to start on it there), empty when all do.
    pub missing_in: Vec<Dialect>,
    /// What it does, in one line (the tunable table's words).
    pub summary: &'static str,
    /// What it does, in an operator's words, when there is more to say than the summary.
    pub details: Option<&'static str>,
    /// Settings it works together with.
    pub interacts_with: &'static [&'static str],
    /// What goes wrong in practice.
    pub pitfalls: &'static [&'static str],
    /// Rules whose documentation names this setting: (code, name).
    pub rules: Vec<(&'static str, &'static str)>,
}

/// The documentation of a setting by exact name, in any build.
pub fn lookup(name: &str) -> Option<SettingDoc> {
    TUNABLES.iter().find(|s| s.name == name).map(doc_of)
}

/// Every setting's documentation, in the tunable table's (alphabetical) order.
pub fn all() -> impl Iterator<Item = SettingDoc> {
    TUNABLES.iter().map(doc_of)
}

fn doc_of(spec: &TunableSpec) -> SettingDoc {
    let note = notes::NOTES.iter().find(|n| n.name == spec.name);
    let defaults = Dialect::ALL
        .into_iter()
        .filter_map(|d| Some((d, default_text(spec, spec.default_in(d)?))))
        .collect();
    let missing_in = Dialect::ALL
        .into_iter()
        .filter(|d| !spec.known_in(*d))
        .collect();
    let rules = REGISTRY
        .iter()
        .filter(|r| {
            // What the rule checks is said before its examples, which may name other settings.
            let doc = r.doc();
            let checks = doc.split("## Example").next().unwrap_or(&doc);
            mentions(checks, spec.name) || mentions(r.meta().summary, spec.name)
        })
        .map(|r| (r.meta().code, r.meta().name))
        .collect();
    SettingDoc {
        name: spec.name,
        kind: spec.kind.as_str(),
        octal: spec.octal && spec.kind == Kind::Uint,
        defaults,
        missing_in,
        summary: spec.meaning,
        details: note.map(|n| n.what),
        interacts_with: note.map_or(&[], |n| n.interacts),
        pitfalls: note.map_or(&[], |n| n.pitfalls),
        rules,
    }
}

fn default_text(spec: &TunableSpec, d: Default) -> String {
    match d {
        Default::Bool(true) => "YES".to_owned(),
        Default::Bool(false) => "NO".to_owned(),
        Default::Uint(n) if spec.octal => format!("0{n:o}"),
        Default::Uint(n) => n.to_string(),
        Default::Str(Some(s)) => s.to_owned(),
        Default::Str(None) => "(unset)".to_owned(),
    }
}

/// Whether `text` names `setting` as a whole word (so `listen` is not found in `listen_port`).
fn mentions(text: &str, setting: &str) -> bool {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = text.get(from..).and_then(|t| t.find(setting)) {
        let start = from + at;
        let end = start + setting.len();
        let before = start.checked_sub(1).and_then(|i| bytes.get(i)).copied();
        let after = bytes.get(end).copied();
        if !before.is_some_and(word) && !after.is_some_and(word) {
            return true;
        }
        from = end;
    }
    false
}

/// The Markdown page of a setting: what `vsconf explain NAME` prints and `docs/settings/NAME.md` holds.
pub fn page(d: &SettingDoc) -> String {
    let mut out = format!("# {}\n\n{}.\n\n", d.name, capitalise(d.summary));
    if let Some(details) = d.details {
        out.push_str(details);
        out.push_str("\n\n");
    }
    let kind = if d.octal {
        "uint (octal, like a shell umask: `022`)"
    } else {
        d.kind
    };
    out.push_str(&format!("- **Type**: {kind}\n"));
    out.push_str("- **Default**:");
    let first = d.defaults.first().map(|(_, v)| v.clone());
    if d.defaults.iter().all(|(_, v)| Some(v) == first.as_ref()) && d.missing_in.is_empty() {
        out.push_str(&format!(
            " `{}` in every build\n",
            first.unwrap_or_default()
        ));
    } else {
        out.push('\n');
        for (dialect, value) in &d.defaults {
            out.push_str(&format!("  - {}: `{value}`\n", dialect.id()));
        }
    }
    if !d.missing_in.is_empty() {
        let known: Vec<&str> = d.defaults.iter().map(|(dl, _)| dl.id()).collect();
        let missing: Vec<&str> = d.missing_in.iter().map(|dl| dl.id()).collect();
        out.push_str(&format!(
            "- **Exists only in**: {} (vsftpd {} {} to start on it: `500 OOPS: unrecognised variable in config file`)\n",
            known.join(", "),
            missing.join(", "),
            if missing.len() == 1 { "refuses" } else { "refuse" }
        ));
    }
    if !d.interacts_with.is_empty() {
        let names: Vec<String> = d.interacts_with.iter().map(|n| format!("`{n}`")).collect();
        out.push_str(&format!("- **Works with**: {}\n", names.join(", ")));
    }
    if !d.pitfalls.is_empty() {
        out.push_str("\n## Pitfalls\n\n");
        for p in d.pitfalls {
            out.push_str(&format!("- {p}\n"));
        }
    }
    out.push_str("\n## Rules that check it\n\n");
    if d.rules.is_empty() {
        out.push_str("None yet.\n");
    } else {
        for (code, name) in &d.rules {
            out.push_str(&format!("- {code} {name} (`vsconf rules {code}`)\n"));
        }
    }
    out.push_str(&format!(
        "\nSee vsftpd.conf(5), `{}`; `vsconf show FILE` prints its effective value and where it comes from.\n",
        d.name
    ));
    out
}

/// `docs/settings.md`: the table of every setting, linking each page.
pub fn index() -> String {
    let mut out = String::from(
        "# vsftpd settings\n\nGenerated from the tunable table and the notes in `src/setting_docs/` by \
         `UPDATE_DOCS=1 cargo test --test cli`; do not edit. `vsconf explain NAME` prints the same pages.\n\n\
         | setting | type | default (upstream-3.0.5) | builds | what it does |\n|---|---|---|---|---|\n",
    );
    for d in all() {
        let default = d
            .defaults
            .iter()
            .find(|(dl, _)| *dl == Dialect::Upstream305)
            .map_or_else(|| "—".to_owned(), |(_, v)| format!("`{v}`"));
        let builds = if d.missing_in.is_empty() {
            "all".to_owned()
        } else {
            d.defaults
                .iter()
                .map(|(dl, _)| dl.id())
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!(
            "| [{0}](settings/{0}.md) | {1} | {default} | {builds} | {2} |\n",
            d.name, d.kind, d.summary
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_note_names_a_setting_and_its_interactions_exist() {
        for n in notes::NOTES {
            assert!(
                lookup(n.name).is_some(),
                "note for unknown setting {}",
                n.name
            );
            for other in n.interacts {
                assert!(
                    lookup(other).is_some(),
                    "{} interacts with unknown {other}",
                    n.name
                );
            }
        }
    }

    #[test]
    fn whole_words_only() {
        assert!(mentions("set `listen=YES`", "listen"));
        assert!(!mentions("listen_port=21", "listen"));
        assert!(mentions("listen_port=21", "listen_port"));
    }

    #[test]
    fn only_in_is_said() {
        let d = lookup("download_file").expect("known");
        assert!(page(&d).contains("Exists only in**: debian-3.0.3"));
    }
}
