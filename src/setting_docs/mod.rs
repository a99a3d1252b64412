//! Documentation of every vsftpd setting, for people: `vsconf explain NAME`, the generated
//! `docs/settings/NAME.md` pages and their index `docs/settings/README.md` (`UPDATE_DOCS=1 cargo test
//! --test rules` rewrites them; the test fails
//! when they are stale) and editor hovers (`vsconf lsp`). Pure data plus lookup: no I/O.
//!
//! One [`SettingDoc`] per tunable joins four sources, so nothing is written twice:
//! - the tunable table (`crate::dialect`): type, octal flag, compiled-in default per build, the builds
//!   that know the name, and its one-line meaning;
//! - the notes in `notes.rs` (this module's own data, one per tunable — a test fails when one is
//!   missing): what the setting does in an operator's words, what it interacts with, and the pitfalls
//!   particular to it;
//! - the model's value conversions (`crate::model::value`): the pitfalls every value of the setting's
//!   type shares (`YES`/`NO` spelling, `21abc`, octal, each build's trimming of strings), computed by
//!   running the model's own readers on example values rather than written down again;
//! - the rule registry (`crate::rules`): every active rule whose declared scope (`RuleMeta::scope`:
//!   named settings, a type, octal numbers, names some build lacks, every setting) covers the setting
//!   in a build that knows it.

mod notes;

use crate::dialect::{Default, Dialect, Kind, StringTrim, TUNABLES, TunableSpec};
use crate::model::value::{StringReading, parse_bool, parse_uint, read_string};
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
    /// What goes wrong in practice with this setting in particular.
    pub pitfalls: &'static [&'static str],
    /// What goes wrong in practice with any value of this type, in the builds that know the setting:
    /// computed by the model's value readers (`YES`/`NO` spelling, trailing junk, octal, trimming).
    pub value_pitfalls: Vec<String>,
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
    // The rules whose declared scope (`RuleMeta::scope`) covers the setting, in a build that knows it.
    let rules = REGISTRY
        .iter()
        .map(|r| r.meta())
        .filter(|m| {
            m.is_active() && m.scope.covers(spec) && m.dialects.iter().any(|d| spec.known_in(*d))
        })
        .map(|m| (m.code, m.name))
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
        value_pitfalls: value_pitfalls(spec),
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

/// The pitfalls every value of the setting's type shares, each stated only after the model's own
/// reader confirmed it on the example (so the text cannot drift from what vsconf predicts).
fn value_pitfalls(spec: &TunableSpec) -> Vec<String> {
    let n = spec.name;
    let mut out = Vec::new();
    match spec.kind {
        Kind::Bool => {
            let yes: Vec<&str> = ["yes", "True", "1"]
                .into_iter()
                .filter(|v| parse_bool(v.as_bytes()) == Some(true))
                .collect();
            let no: Vec<&str> = ["no", "False", "0"]
                .into_iter()
                .filter(|v| parse_bool(v.as_bytes()) == Some(false))
                .collect();
            out.push(format!(
                "Case does not matter and there are synonyms: {} mean YES, {} mean NO.",
                quoted(n, &yes),
                quoted(n, &no)
            ));
            let refused: Vec<&str> = ["on", "Y", "YES ", "YES # on"]
                .into_iter()
                .filter(|v| parse_bool(v.as_bytes()).is_none())
                .collect();
            let mut causes: Vec<String> = refused.iter().map(|v| format!("`{n}={v}`")).collect();
            if parse_bool(b"YES\r").is_none() {
                causes.push("Windows line endings (`YES\\r`)".to_owned());
            }
            out.push(format!(
                "Nothing else is accepted, not even trailing spaces or comments: {} refuse to start with `500 OOPS: bad bool value in config file for: {n}`.",
                listing(&causes)
            ));
        }
        Kind::Uint => {
            let junk = parse_uint(b"21abc").value;
            let none = parse_uint(b"abc").value;
            let minus = parse_uint(b"-1").value;
            out.push(format!(
                "vsftpd never refuses a number: it stops at the first byte that is not a digit, so `{n}=21abc` is {junk} and `{n}=abc` is {none}; `{n}=-1` is {minus}."
            ));
            if spec.octal {
                let decimal = parse_uint(b"22").value;
                out.push(format!(
                    "Write it in octal with a leading 0 (`{n}=022`): without the 0 the digits are decimal, so `{n}=22` is {decimal}, which is octal 0{decimal:o}."
                ));
            } else {
                let octal = parse_uint(b"010").value;
                out.push(format!(
                    "A leading 0 makes the number octal: `{n}=010` is {octal}, not 10."
                ));
            }
        }
        Kind::Str => {
            let known: Vec<Dialect> = spec.dialects().collect();
            let builds = |want: fn(StringTrim) -> bool| -> Vec<&'static str> {
                known
                    .iter()
                    .filter(|d| want(d.string_trim()))
                    .map(|d| d.id())
                    .collect()
            };
            let keeps =
                builds(|t| read_string(b"x ", t) == StringReading::Value(Some(b"x ".to_vec())));
            let trims =
                builds(|t| read_string(b"x ", t) == StringReading::Value(Some(b"x".to_vec())));
            let mut spaces = Vec::new();
            if !keeps.is_empty() {
                spaces.push(format!("kept as part of the value by {}", keeps.join(", ")));
            }
            if !trims.is_empty() {
                spaces.push(format!("trimmed by {}", trims.join(", ")));
            }
            out.push(format!(
                "Spaces, tabs and a Windows line ending's carriage return around the value are {}.",
                spaces.join(" but ")
            ));
            let crash = builds(|t| read_string(b"  ", t) == StringReading::Crash);
            let unset = builds(|t| read_string(b"  ", t) == StringReading::Value(None));
            let mut blank = Vec::new();
            if !crash.is_empty() {
                blank.push(format!(
                    "crashes vsftpd with no message (SIGSEGV) on {}",
                    crash.join(", ")
                ));
            }
            if !unset.is_empty() {
                blank.push(format!("unsets the setting on {}", unset.join(", ")));
            }
            if !keeps.is_empty() {
                blank.push(format!("is kept as spaces by {}", keeps.join(", ")));
            }
            out.push(format!(
                "A value of only spaces (`{n}= `) {}.",
                blank.join("; ")
            ));
            if read_string(b"", StringTrim::Keep) == StringReading::Value(None) {
                let has_default = known
                    .iter()
                    .any(|d| matches!(spec.default_in(*d), Some(Default::Str(Some(_)))));
                out.push(if has_default {
                    format!("`{n}=` with nothing after it unsets the setting: it does not bring the default back.")
                } else {
                    format!("`{n}=` with nothing after it unsets the setting.")
                });
            }
            if read_string(b"x # y", StringTrim::Keep)
                == StringReading::Value(Some(b"x # y".to_vec()))
            {
                out.push(format!(
                    "There are no comments after a value: in `{n}=x # y` the value is `x # y`."
                ));
            }
        }
    }
    out
}

/// `NAME=a`, `NAME=b` and `NAME=c`.
fn quoted(name: &str, values: &[&str]) -> String {
    let items: Vec<String> = values.iter().map(|v| format!("`{name}={v}`")).collect();
    listing(&items)
}

/// `a, b and c`.
fn listing(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.join(""),
    }
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
    if !d.pitfalls.is_empty() || !d.value_pitfalls.is_empty() {
        out.push_str("\n## Pitfalls\n\n");
        for p in d.pitfalls {
            out.push_str(&format!("- {p}\n"));
        }
        for p in &d.value_pitfalls {
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

/// `docs/settings/README.md`: the table of every setting, linking each page.
pub fn index() -> String {
    let mut out = String::from(
        "# vsftpd settings\n\nGenerated from the tunable table and the notes in `src/setting_docs/` by \
         `UPDATE_DOCS=1 cargo test --test rules`; do not edit. `vsconf explain NAME` prints the same pages.\n\n\
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
            "| [{0}]({0}.md) | {1} | {default} | {builds} | {2} |\n",
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
    fn every_tunable_has_a_note_with_what_it_does() {
        let missing: Vec<&str> = TUNABLES
            .iter()
            .filter(|t| {
                !notes::NOTES
                    .iter()
                    .any(|n| n.name == t.name && !n.what.is_empty())
            })
            .map(|t| t.name)
            .collect();
        assert!(
            missing.is_empty(),
            "tunables without a note in src/setting_docs/notes.rs: {missing:?}"
        );
        let mut names: Vec<&str> = notes::NOTES.iter().map(|n| n.name).collect();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count, "a setting has two notes");
    }

    #[test]
    fn value_pitfalls_follow_the_model() {
        let port = lookup("listen_port").expect("known");
        assert!(
            port.value_pitfalls
                .iter()
                .any(|p| p.contains("`listen_port=21abc` is 21")),
            "{:?}",
            port.value_pitfalls
        );
        let umask = lookup("local_umask").expect("known");
        assert!(
            umask
                .value_pitfalls
                .iter()
                .any(|p| p.contains("`local_umask=22` is 22, which is octal 026")),
            "{:?}",
            umask.value_pitfalls
        );
        let listen = lookup("listen").expect("known");
        assert!(
            listen
                .value_pitfalls
                .iter()
                .any(|p| p.contains("`listen=yes`")),
            "{:?}",
            listen.value_pitfalls
        );
        let banner = lookup("ftpd_banner").expect("known");
        let text = banner.value_pitfalls.join("\n");
        assert!(text.contains("kept as part of the value by upstream-3.0.5 but trimmed by debian-3.0.3, debian-3.0.5, rhel-3.0.3, rhel-3.0.5"), "{text}");
        assert!(
            text.contains("SIGSEGV) on debian-3.0.3, debian-3.0.5"),
            "{text}"
        );
        // A setting only Debian knows gets only Debian's behaviour.
        let upload = lookup("upload_file").expect("known");
        let text = upload.value_pitfalls.join("\n");
        assert!(
            !text.contains("upstream") && !text.contains("rhel"),
            "{text}"
        );
    }

    // Whether `text` names `setting` as a whole word (so `listen` is not found in `listen_port`).
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

    #[test]
    fn every_setting_a_rule_summary_names_is_in_its_scope() {
        for m in REGISTRY.iter().map(|r| r.meta()).filter(|m| m.is_active()) {
            for spec in TUNABLES.iter().filter(|t| mentions(m.summary, t.name)) {
                assert!(
                    m.scope.covers(spec),
                    "{} names {} in its summary, but its `RuleMeta::scope` does not cover it",
                    m.code,
                    spec.name
                );
            }
        }
    }

    #[test]
    fn pages_list_the_rules_whose_scope_covers_the_setting() {
        let listen = page(&lookup("listen").expect("known"));
        assert!(listen.contains("VSC007 two-listeners"), "{listen}");
        assert!(listen.contains("VSC003 bad-bool-value"), "{listen}");
        // A rule about the file as a whole is not a rule about `listen`.
        assert!(!listen.contains("VSC005"), "{listen}");
        let umask = page(&lookup("anon_umask").expect("known"));
        assert!(umask.contains("VSC204 decimal-umask"), "{umask}");
        // VSC004 runs only for Debian's builds, which know `download_file`; `bind_retries` is RHEL's.
        assert!(page(&lookup("download_file").expect("known")).contains("VSC004"));
        assert!(!page(&lookup("bind_retries").expect("known")).contains("VSC004"));
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
