//! Property tests: `set` sets exactly what it says and touches no other line; `fix` is idempotent and
//! never makes vsftpd's startup prediction worse; a failed write leaves the original byte-identical.

use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use similar::{Algorithm, DiffTag, capture_diff_slices};
use vsconf::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use vsconf::dialect::{Dialect, Kind, TUNABLES, Tunable, TunableSpec};
use vsconf::edit::diff::split_lines;
use vsconf::edit::fix::{FixOptions, fix, fix_with};
use vsconf::edit::set::{Assignment, Request, SetOptions, apply};
use vsconf::edit::severity_rank;
use vsconf::edit::write::{Fault, WriteOptions, write_atomic};
use vsconf::model::value::{parse_bool, parse_uint, read_string};
use vsconf::model::{EffectiveConfig, Value};
use vsconf::rules::{LintOptions, lint};
use vsconf::startup::{Prediction, predict};
use vsconf::syntax::parse;

fn dialect() -> impl Strategy<Value = Dialect> {
    prop::sample::select(Dialect::ALL.to_vec())
}

fn spec_in(dialect: Dialect) -> impl Strategy<Value = &'static TunableSpec> {
    let known: Vec<&'static TunableSpec> =
        TUNABLES.iter().filter(|s| s.known_in(dialect)).collect();
    prop::sample::select(known)
}

/// A value `set` accepts for the tunable.
fn valid_value(spec: &'static TunableSpec) -> BoxedStrategy<String> {
    let ports = [
        Tunable::ListenPort,
        Tunable::FtpDataPort,
        Tunable::PasvMinPort,
        Tunable::PasvMaxPort,
    ];
    match (spec.kind, spec.tunable) {
        (Kind::Bool, _) => {
            prop::sample::select(vec!["YES", "NO", "yes", "True", "false", "1", "0"])
                .prop_map(str::to_owned)
                .boxed()
        }
        (Kind::Uint, _) if spec.octal => "0[0-7]{3}".boxed(),
        (Kind::Uint, t) if ports.contains(&t) => (1u32..=65535).prop_map(|n| n.to_string()).boxed(),
        (Kind::Uint, _) => (0u32..=100_000).prop_map(|n| n.to_string()).boxed(),
        (Kind::Str, Tunable::ListenAddress | Tunable::PasvAddress) => {
            (1u8..=254).prop_map(|n| format!("192.0.2.{n}")).boxed()
        }
        (Kind::Str, Tunable::ListenAddress6) => Just("::1".to_owned()).boxed(),
        (Kind::Str, _) => "[a-z/][a-z0-9/._-]{0,15}".boxed(),
    }
}

fn assignment(dialect: Dialect) -> impl Strategy<Value = (&'static TunableSpec, String)> {
    spec_in(dialect).prop_flat_map(|spec| (Just(spec), valid_value(spec)))
}

/// A config and an assignment whose name, half of the time, the config already sets (maybe several
/// times, maybe indented).
fn config_and_assignment()
-> impl Strategy<Value = (Dialect, Vec<u8>, (&'static TunableSpec, String))> {
    dialect().prop_flat_map(|d| {
        config(d).prop_flat_map(move |text| {
            let present: Vec<&'static TunableSpec> = String::from_utf8_lossy(&text)
                .lines()
                .filter_map(|l| {
                    l.trim_start()
                        .split_once('=')
                        .and_then(|(n, _)| d.lookup(n.as_bytes()))
                })
                .collect();
            let existing = if present.is_empty() {
                assignment(d).boxed()
            } else {
                prop::sample::select(present)
                    .prop_flat_map(|spec| (Just(spec), valid_value(spec)))
                    .boxed()
            };
            (Just(d), Just(text), prop_oneof![assignment(d), existing])
        })
    })
}

/// One line of a plausible config: a valid setting (maybe indented), a comment, a commented-out example,
/// a blank line.
fn line(dialect: Dialect) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => assignment(dialect).prop_map(|(s, v)| format!("{}={v}", s.name)),
        1 => assignment(dialect).prop_map(|(s, v)| format!("  {}={v}", s.name)),
        1 => assignment(dialect).prop_map(|(s, v)| format!("#{}={v}", s.name)),
        1 => "# [a-z ]{0,20}".prop_map(|s| s),
        1 => Just(String::new()),
    ]
}

/// A config of such lines; the last newline is optional.
fn config(dialect: Dialect) -> impl Strategy<Value = Vec<u8>> {
    (prop::collection::vec(line(dialect), 0..24), any::<bool>()).prop_map(
        |(lines, final_newline)| {
            let mut text = lines.join("\n");
            if final_newline && !text.is_empty() {
                text.push('\n');
            }
            text.into_bytes()
        },
    )
}

/// A name as people mistype it: wrong case, a swapped or dropped letter.
fn mangled(name: &'static str) -> impl Strategy<Value = String> {
    let n = name.len();
    prop_oneof![
        Just(name.to_owned()),
        Just(name.to_ascii_uppercase()),
        Just({
            let mut c = name.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        }),
        (1..n).prop_map(move |i| {
            let mut b = name.as_bytes().to_vec();
            b.swap(i - 1, i);
            String::from_utf8(b).unwrap()
        }),
        (0..n).prop_map(move |i| {
            let mut b = name.as_bytes().to_vec();
            b.remove(i);
            String::from_utf8(b).unwrap()
        }),
    ]
}

fn messy_line(dialect: Dialect) -> impl Strategy<Value = String> {
    prop_oneof![
        6 => line(dialect),
        3 => assignment(dialect).prop_flat_map(|(s, v)| mangled(s.name).prop_map(move |m| format!("{m}={v}"))),
        1 => line(dialect).prop_map(|l| format!("{l}\r")),
        1 => line(dialect).prop_map(|l| format!("{l} ")),
        1 => line(dialect).prop_map(|l| format!("{l} # note")),
        1 => "[a-z ]{0,12}".prop_map(|c| format!("  # {c}")),
        1 => spec_in(dialect).prop_map(|s| format!("{}=0{}", s.name, 22)),
    ]
}

/// A config people got wrong: mistyped names, CRLF, trailing blanks, comments after values, indented
/// comments, leading zeros, sometimes a byte order mark.
fn messy_config(dialect: Dialect) -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(messy_line(dialect), 0..16),
        any::<bool>(),
    )
        .prop_map(|(lines, bom)| {
            let mut text = if bom {
                "\u{feff}".to_owned()
            } else {
                String::new()
            };
            text.push_str(&lines.join("\n"));
            text.push('\n');
            text.into_bytes()
        })
}

fn prediction(text: &[u8], dialect: Dialect) -> Prediction {
    let cst = parse(text).cst;
    predict(&EffectiveConfig::read(&cst, dialect, None), cst.text())
}

fn expected_value(spec: &TunableSpec, value: &str, dialect: Dialect) -> Value {
    match spec.kind {
        Kind::Bool => Value::Bool(parse_bool(value.as_bytes()).unwrap()),
        Kind::Uint => Value::Uint(parse_uint(value.as_bytes()).value),
        Kind::Str => match read_string(value.as_bytes(), dialect.string_trim()) {
            vsconf::model::value::StringReading::Value(v) => Value::Str(v.map(Into::into)),
            vsconf::model::value::StringReading::Crash => panic!("generated a blank string"),
        },
    }
}

fn fix_options(dialect: Dialect) -> FixOptions {
    FixOptions {
        lint: LintOptions {
            dialect,
            ..LintOptions::default()
        },
        unsafe_fixes: false,
    }
}

proptest! {
    // Failures are kept next to this file (tests/edit/properties.proptest-regressions), committed.
    #![proptest_config(ProptestConfig {
        cases: 160,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn set_gives_the_value_and_changes_no_other_line((dialect, text, (spec, value)) in config_and_assignment()) {
        let request = Request::Set(Assignment { name: spec.name.to_owned(), value: value.clone() });
        let edited = apply(&text, &[request], SetOptions { dialect, dedupe: false }).unwrap();
        let linted = lint(&parse(&edited.text).cst, None, &LintOptions { dialect, ..LintOptions::default() }, None);
        prop_assert_eq!(&linted.config.get(spec.tunable).unwrap().value, &expected_value(spec, &value, dialect));

        // Line by line, at most one line goes and one comes (a changed value, or an insertion), plus a
        // newline added to a last line that lacked one.
        let (old, new) = (split_lines(&text), split_lines(&edited.text));
        let old_trimmed: Vec<&[u8]> = old.iter().map(|l| l.strip_suffix(b"\n").unwrap_or(l)).collect();
        let new_trimmed: Vec<&[u8]> = new.iter().map(|l| l.strip_suffix(b"\n").unwrap_or(l)).collect();
        let ops = capture_diff_slices(Algorithm::Myers, &old_trimmed, &new_trimmed);
        let (mut removed, mut added) = (Vec::new(), Vec::new());
        for op in ops {
            let (tag, o, n) = op.as_tag_tuple();
            if tag != DiffTag::Equal {
                removed.extend_from_slice(&old_trimmed[o]);
                added.extend_from_slice(&new_trimmed[n]);
            }
        }
        let setting = format!("{}={value}", spec.name);
        match (removed.as_slice(), added.as_slice()) {
            // Already that value.
            ([], []) => {}
            // A new line, exactly `name=value`.
            ([], [line]) => prop_assert_eq!(*line, setting.as_bytes()),
            // The value of an existing line: same indentation and name, new value.
            ([old_line], [new_line]) => {
                let indent = old_line.iter().take_while(|b| b.is_ascii_whitespace()).count();
                prop_assert_eq!(&new_line[..indent], &old_line[..indent]);
                prop_assert_eq!(&new_line[indent..], setting.as_bytes());
                let prefix = [spec.name.as_bytes(), b"="].concat();
                prop_assert!(old_line[indent..].starts_with(&prefix));
            }
            _ => prop_assert!(false, "removed {:?} added {:?}", removed, added),
        }
    }

    #[test]
    fn set_with_dedupe_leaves_one_occurrence((dialect, text, (spec, value)) in config_and_assignment()) {
        let request = Request::Set(Assignment { name: spec.name.to_owned(), value });
        let edited = apply(&text, &[request], SetOptions { dialect, dedupe: true }).unwrap();
        let model = EffectiveConfig::read(&parse(&edited.text).cst, dialect, None);
        let count = model.readings().iter().filter(|r| parse(&edited.text).cst.slice(r.name) == spec.name.as_bytes()).count();
        prop_assert_eq!(count, 1);
    }

    #[test]
    fn fix_is_idempotent(
        (dialect, text, unsafe_fixes) in dialect().prop_flat_map(|d| (Just(d), messy_config(d), any::<bool>()))
    ) {
        let options = FixOptions { unsafe_fixes, ..fix_options(dialect) };
        let once = fix(&text, &options);
        prop_assert!(once.converged);
        let twice = fix(&once.text, &options);
        prop_assert_eq!(&twice.text, &once.text);
        prop_assert!(twice.applied.is_empty());
    }

    #[test]
    fn fix_never_makes_the_startup_prediction_worse(
        (dialect, text, unsafe_fixes) in dialect().prop_flat_map(|d| (Just(d), messy_config(d), any::<bool>()))
    ) {
        let fixed = fix(&text, &FixOptions { unsafe_fixes, ..fix_options(dialect) });
        let (before, after) = (prediction(&text, dialect), prediction(&fixed.text, dialect));
        prop_assert!(severity_rank(&after) <= severity_rank(&before), "{:?} → {:?}", before.verdict, after.verdict);
        if before.verdict.starts() {
            prop_assert!(after.verdict.starts());
        }
    }

    /// Whatever the rules propose, even fixes that rewrite lines at random, `fix` never makes the
    /// prediction worse and reaches a fixed point.
    #[test]
    fn fix_guard_holds_for_arbitrary_fixes(
        (dialect, text, replacements) in dialect().prop_flat_map(|d| {
            (Just(d), messy_config(d), prop::collection::vec(messy_line(d), 1..6))
        })
    ) {
        let chaos = move |cst: &vsconf::syntax::Cst| -> Vec<Diagnostic> {
            cst.lines()
                .iter()
                .enumerate()
                .filter(|(_, l)| !l.content.is_empty())
                .filter_map(|(i, l)| {
                    let to = replacements.get(i % replacements.len())?;
                    (cst.slice(l.content) != to.as_bytes()).then(|| {
                        let fix = Fix::new(format!("replace line with {to}"), Applicability::Unsafe, vec![Edit::replace(l.content, to.clone())]);
                        Diagnostic::new("VSC999", "chaos", Severity::Warning, l.content, "chaos").fix(fix)
                    })
                })
                .collect()
        };
        let options = FixOptions { unsafe_fixes: true, ..fix_options(dialect) };
        let fixed = fix_with(&text, &options, &chaos);
        let (before, after) = (prediction(&text, dialect), prediction(&fixed.text, dialect));
        prop_assert!(severity_rank(&after) <= severity_rank(&before), "{:?} → {:?}", before.verdict, after.verdict);
    }

    #[test]
    fn a_failed_write_leaves_the_original_identical(
        original in prop::collection::vec(any::<u8>(), 0..2048),
        new in prop::collection::vec(any::<u8>(), 0..2048),
        fault in prop_oneof![
            Just(Fault::CreateTemp),
            (0usize..2048).prop_map(Fault::WriteAfter),
            Just(Fault::Sync),
            (0usize..2048).prop_map(Fault::KilledAfter),
            Just(Fault::Rename),
        ],
    ) {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join("edit")
            .join(format!("prop_write_{}", N.fetch_add(1, Ordering::Relaxed)));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("vsftpd.conf");
        std::fs::write(&path, &original).unwrap();
        let result = write_atomic(&path, &new, &WriteOptions { fault: Some(fault), ..WriteOptions::default() });
        prop_assert!(result.is_err());
        prop_assert_eq!(std::fs::read(&path).unwrap(), original);
        let leftovers = std::fs::read_dir(&dir).unwrap().count();
        // Only a killed process leaves its temporary file behind (never under the config's name).
        prop_assert_eq!(leftovers, if matches!(fault, Fault::KilledAfter(_)) { 2 } else { 1 });
        let ok = write_atomic(&path, &new, &WriteOptions::default());
        prop_assert!(ok.is_ok());
        prop_assert_eq!(std::fs::read(&path).unwrap(), new);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
