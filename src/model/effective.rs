//! `Cst` + `Dialect` → `EffectiveConfig`: what vsftpd reads from each line, and the effective value and
//! origin of every tunable.
//!
//! vsftpd stops at the first fatal line; the model keeps reading (as vsftpd's own SIGHUP reload does,
//! skipping bad lines) so that every problem can be reported in one run. The startup module decides
//! which problem vsftpd would meet first.

use serde::Serialize;

use super::origin::Origin;
use super::value::{NumberReading, StringReading, Value, parse_bool, parse_uint, read_string};
use crate::dialect::{Default, Dialect, Kind, TUNABLES, Tunable, TunableSpec};
use crate::syntax::{Cst, LineKind, Span, parse};

/// vsftpd reads at most this many bytes of a config file and silently ignores the rest.
pub const READ_LIMIT_BYTES: usize = 100_000;

/// What vsftpd made of one setting line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// Index of the line in the `Cst`.
    pub line_index: usize,
    /// The line's content span (as far as vsftpd read it).
    pub line: Span,
    /// The name as vsftpd sees it: after leading whitespace, up to `=` or NUL.
    pub name: Span,
    /// The value text as vsftpd sees it (after `=`, up to NUL), if there is an `=`.
    pub value: Option<Span>,
    /// The result.
    pub outcome: Outcome,
}

/// The result of reading one setting line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The tunable was set.
    Applied {
        /// Which tunable.
        tunable: Tunable,
        /// The converted value.
        value: Value,
        /// How a number was read (for `Kind::Uint`).
        number: Option<NumberReading>,
    },
    /// `500 OOPS: unrecognised variable in config file: <name>`.
    Unrecognised,
    /// `500 OOPS: missing value in config file for: <name>`.
    MissingValue,
    /// `500 OOPS: bad bool value in config file for: <name>`.
    BadBool(Tunable),
    /// A string value made only of whitespace: this build crashes (SIGSEGV) without a message.
    Crash(Tunable),
}

impl Outcome {
    /// Whether vsftpd stops at this line.
    pub fn is_fatal(&self) -> bool {
        !matches!(self, Outcome::Applied { .. })
    }
}

/// One tunable's effective value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    /// The value vsftpd uses.
    pub value: Value,
    /// Where it comes from.
    pub origin: Origin,
}

/// The file's bytes past vsftpd's read limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Truncation {
    /// The first ignored byte (100000).
    pub at: u32,
    /// The file's length.
    pub file_len: u64,
    /// The line cut in two by the limit, if any (its content span in the file).
    pub cut_line: Option<Span>,
}

/// A `-oNAME=VALUE` argument on vsftpd's command line (Docker images and systemd drop-ins set
/// options this way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The text after `-o`, byte for byte.
    pub text: Vec<u8>,
    /// Whether it comes before the config file on the command line: vsftpd applies arguments left to
    /// right, so the file then overrides it (all three live builds: `-olisten=YES inetd.conf` is
    /// refused as inetd mode).
    pub before_file: bool,
}

/// What vsftpd made of one `-o` argument. vsftpd hands the text to the same routine as a file line,
/// but without the file loop's skips: leading whitespace (`\n` included) is skipped, then the text is
/// split at the first `=`; an empty or blank argument, or one starting with `#`, is a setting like any
/// other (`-o` alone: `missing value in config file for: `; `-o#x=1`: `unrecognised variable … #x`),
/// and a `\n` inside it is an ordinary byte (all three live builds, docs/overrides.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideReading {
    /// Its position among the overrides, in command-line order (0-based).
    pub index: usize,
    /// The argument's text after `-o`, as given.
    pub text: Vec<u8>,
    /// The name as vsftpd sees it.
    pub name: Vec<u8>,
    /// The value after `=`, if there is one.
    pub value: Option<Vec<u8>>,
    /// The result.
    pub outcome: Outcome,
    /// Whether it comes before the config file.
    pub before_file: bool,
}

/// The first setting vsftpd stops at, in the order it reads them: overrides before the file, the
/// file's lines, overrides after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstFatal<'a> {
    /// A line of the file.
    Line(&'a Reading),
    /// A `-o` argument.
    Override(&'a OverrideReading),
}

/// The effective configuration of one file under one dialect. Read-only.
#[derive(Debug, Clone)]
pub struct EffectiveConfig {
    dialect: Dialect,
    values: Values,
    readings: Vec<Reading>,
    overrides: Vec<OverrideReading>,
    truncation: Option<Truncation>,
}

impl EffectiveConfig {
    /// Models `cst` (the whole file as read from disk) under `dialect`. `file_len` is the file's full
    /// length when `cst` holds only a prefix of it (a linter need not read past vsftpd's limit).
    pub fn read(cst: &Cst, dialect: Dialect, file_len: Option<u64>) -> EffectiveConfig {
        EffectiveConfig::read_with_overrides(cst, dialect, file_len, &[])
    }

    /// [`EffectiveConfig::read`] with vsftpd's `-o` command-line overrides applied in command-line
    /// order around the file.
    pub fn read_with_overrides(
        cst: &Cst,
        dialect: Dialect,
        file_len: Option<u64>,
        overrides: &[Override],
    ) -> EffectiveConfig {
        let text = cst.text();
        let file_len = file_len.unwrap_or(text.len() as u64).max(text.len() as u64);
        let truncated;
        let (seen, truncation) = if file_len > READ_LIMIT_BYTES as u64 {
            truncated = parse(
                text.get(..READ_LIMIT_BYTES.min(text.len()))
                    .unwrap_or_default(),
            )
            .cst;
            let cut_line = cst
                .lines()
                .iter()
                .find(|l| {
                    l.span.contains(READ_LIMIT_BYTES as u32)
                        && l.span.start < READ_LIMIT_BYTES as u32
                })
                .filter(|l| {
                    l.span.start < READ_LIMIT_BYTES as u32
                        && l.content.end > READ_LIMIT_BYTES as u32
                })
                .map(|l| l.content);
            (
                &truncated,
                Some(Truncation {
                    at: READ_LIMIT_BYTES as u32,
                    file_len,
                    cut_line,
                }),
            )
        } else {
            (cst, None)
        };

        let mut values = Values::defaults(dialect);
        // Room for every setting line up front (at most one value per tunable): grown from nothing,
        // the values were four reallocations per file.
        let setting_lines = seen
            .lines()
            .iter()
            .filter(|l| matches!(l.kind, LineKind::Setting(_)))
            .count();
        values
            .set
            .reserve(setting_lines.min(TUNABLE_COUNT) + overrides.len());
        let override_readings: Vec<OverrideReading> = overrides
            .iter()
            .enumerate()
            .map(|(index, o)| read_override(index, o, dialect))
            .collect();
        for o in override_readings.iter().filter(|o| o.before_file) {
            apply_override(&mut values, o);
        }
        // At most one reading per line: sized once instead of grown (4–5 reallocations per file).
        let mut readings = Vec::with_capacity(seen.lines().len());
        for (line_index, line) in seen.lines().iter().enumerate() {
            let LineKind::Setting(setting) = &line.kind else {
                continue;
            };
            let name = setting.name;
            let value = setting.value;
            let outcome = read_line(seen.slice(name), value.map(|v| seen.slice(v)), dialect);
            if let Outcome::Applied {
                tunable, value: v, ..
            } = &outcome
            {
                let value_span = value.unwrap_or(Span::empty(line.content.end));
                values.replace(*tunable, |previous| {
                    let overridden = match previous {
                        Some(Origin::File {
                            line: previous,
                            mut overridden,
                            ..
                        }) => {
                            overridden.push(previous);
                            overridden
                        }
                        _ => Vec::new(),
                    };
                    Effective {
                        value: v.clone(),
                        origin: Origin::File {
                            line: line.content,
                            value: value_span,
                            overridden,
                        },
                    }
                });
            }
            readings.push(Reading {
                line_index,
                line: line.content,
                name,
                value,
                outcome,
            });
        }
        for o in override_readings.iter().filter(|o| !o.before_file) {
            apply_override(&mut values, o);
        }
        EffectiveConfig {
            dialect,
            values,
            readings,
            overrides: override_readings,
            truncation,
        }
    }

    /// The `-o` overrides, in command-line order, with what vsftpd made of each.
    pub fn overrides(&self) -> &[OverrideReading] {
        &self.overrides
    }

    /// The first setting vsftpd stops at, in its reading order (overrides before the file, the file,
    /// overrides after it).
    pub fn first_fatal(&self) -> Option<FirstFatal<'_>> {
        let fatal_override = |before: bool| {
            self.overrides
                .iter()
                .find(|o| o.before_file == before && o.outcome.is_fatal())
                .map(FirstFatal::Override)
        };
        fatal_override(true)
            .or_else(|| self.first_fatal_reading().map(FirstFatal::Line))
            .or_else(|| fatal_override(false))
    }

    /// The dialect the file was read under.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Every setting line, in file order, with what vsftpd made of it.
    pub fn readings(&self) -> &[Reading] {
        &self.readings
    }

    /// The first line vsftpd stops at, if any.
    pub fn first_fatal_reading(&self) -> Option<&Reading> {
        self.readings.iter().find(|r| r.outcome.is_fatal())
    }

    /// Where vsftpd stops reading the file, if it is longer than the limit.
    pub fn truncation(&self) -> Option<Truncation> {
        self.truncation
    }

    /// The effective value and origin, or `None` when the dialect does not know the tunable.
    pub fn get(&self, tunable: Tunable) -> Option<&Effective> {
        self.values.get(tunable as usize)
    }

    /// Every tunable the dialect knows, with its effective value, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static TunableSpec, &Effective)> {
        TUNABLES
            .iter()
            .zip(self.values.iter())
            .filter_map(|(spec, e)| e.map(|e| (spec, e)))
    }

    /// A boolean tunable's value (`false` when unknown to the dialect or not a boolean).
    pub fn bool(&self, tunable: Tunable) -> bool {
        matches!(self.get(tunable).map(|e| &e.value), Some(Value::Bool(true)))
    }

    /// A numeric tunable's value (0 when unknown to the dialect or not a number).
    pub fn uint(&self, tunable: Tunable) -> u32 {
        match self.get(tunable).map(|e| &e.value) {
            Some(Value::Uint(n)) => *n,
            _ => 0,
        }
    }

    /// A port tunable as vsftpd uses it: the stored number cast to 16 bits (data-channel.md §3–§4,
    /// debian-3.0.3 binary: `listen_port=65557` listens on 21, `ftp_data_port=70000` connects from 4464).
    pub fn port(&self, tunable: Tunable) -> u16 {
        u16::try_from(self.uint(tunable) & 0xFFFF).unwrap_or(0)
    }

    /// A string tunable's value (`None` when unset, unknown to the dialect or not a string).
    pub fn string(&self, tunable: Tunable) -> Option<&[u8]> {
        match self.get(tunable).map(|e| &e.value) {
            Some(Value::Str(Some(s))) => Some(s.as_ref()),
            _ => None,
        }
    }

    /// Whether a line of the file or a `-o` override sets the tunable (rather than the default).
    pub fn is_set(&self, tunable: Tunable) -> bool {
        matches!(
            self.get(tunable).map(|e| &e.origin),
            Some(Origin::File { .. } | Origin::Override { .. })
        )
    }

    /// The origin of a tunable's value (`Origin::Default` when unknown to the dialect).
    pub fn origin(&self, tunable: Tunable) -> &Origin {
        static DEFAULT: Origin = Origin::Default;
        self.get(tunable).map_or(&DEFAULT, |e| &e.origin)
    }

    /// Whether the effective value differs from the dialect's default.
    pub fn differs_from_default(&self, tunable: Tunable) -> bool {
        let spec = tunable.spec();
        match (self.get(tunable), spec.default_in(self.dialect)) {
            (Some(e), Some(d)) => e.value != default_value(d),
            _ => false,
        }
    }

    /// The reading that set the tunable's effective value.
    pub fn effective_reading(&self, tunable: Tunable) -> Option<&Reading> {
        let line = self.origin(tunable).line()?;
        self.readings.iter().find(|r| r.line == line)
    }
}

/// What vsftpd makes of one `-o` argument (see [`OverrideReading`]).
fn read_override(index: usize, o: &Override, dialect: Dialect) -> OverrideReading {
    // C isspace: space, \t, \n, \v, \f, \r.
    let start = o
        .text
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .unwrap_or(o.text.len());
    let text = o.text.get(start..).unwrap_or_default();
    let (name, value) = match text.iter().position(|b| *b == b'=') {
        Some(eq) => (
            text.get(..eq).unwrap_or_default(),
            Some(text.get(eq + 1..).unwrap_or_default()),
        ),
        None => (text, None),
    };
    OverrideReading {
        index,
        text: o.text.clone(),
        name: name.to_vec(),
        value: value.map(<[u8]>::to_vec),
        outcome: read_line(name, value, dialect),
        before_file: o.before_file,
    }
}

/// Sets the tunable an applied override names; the earlier lines it overrides are remembered.
fn apply_override(values: &mut Values, o: &OverrideReading) {
    let Outcome::Applied { tunable, value, .. } = &o.outcome else {
        return;
    };
    values.replace(*tunable, |previous| {
        let overridden = match previous {
            Some(Origin::File {
                line,
                mut overridden,
                ..
            }) => {
                overridden.push(line);
                overridden
            }
            Some(Origin::Override { overridden, .. }) => overridden,
            _ => Vec::new(),
        };
        Effective {
            value: value.clone(),
            origin: Origin::Override {
                index: o.index,
                overridden,
            },
        }
    });
}

/// How many tunables the table holds.
const TUNABLE_COUNT: usize = TUNABLES.len();

// `Values::slot` numbers the set values in a byte.
const _: () = assert!(TUNABLE_COUNT < u8::MAX as usize);

/// Every tunable's effective value: the dialect's default unless a line or an override set it.
///
/// The defaults are built once per process and dialect and shared by every reading; a reading holds
/// only what the file and the overrides set. Building and dropping all 150 entries for every file
/// was a 12 KB allocation and a walk over 150 entries each way, about 5% of a bulk lint
/// (callgrind).
#[derive(Debug, Clone)]
struct Values {
    /// The dialect's defaults, by tunable (`None` where the dialect does not know it).
    defaults: &'static [Option<Effective>],
    /// For each tunable, 0 for its default, or 1 + its place in `set`.
    slot: [u8; TUNABLE_COUNT],
    /// The values set by lines and overrides, in the order first set.
    set: Vec<Effective>,
}

impl Values {
    fn defaults(dialect: Dialect) -> Values {
        static DEFAULTS: [std::sync::OnceLock<Vec<Option<Effective>>>; Dialect::ALL.len()] =
            [const { std::sync::OnceLock::new() }; Dialect::ALL.len()];
        let column = Dialect::ALL
            .iter()
            .position(|d| *d == dialect)
            .unwrap_or_default();
        let defaults = DEFAULTS.get(column).map_or(&[][..], |cell| {
            cell.get_or_init(|| {
                TUNABLES
                    .iter()
                    .map(|spec| {
                        spec.default_in(dialect).map(|d| Effective {
                            value: default_value(d),
                            origin: Origin::Default,
                        })
                    })
                    .collect()
            })
        });
        Values {
            defaults,
            slot: [0; TUNABLE_COUNT],
            set: Vec::new(),
        }
    }

    /// The effective value of the tunable at `index`, `None` when the dialect does not know it.
    fn get(&self, index: usize) -> Option<&Effective> {
        match self.slot.get(index).copied() {
            None => None,
            Some(0) => self.defaults.get(index).and_then(Option::as_ref),
            Some(at) => self.set.get(usize::from(at) - 1),
        }
    }

    /// Every tunable's effective value in table order (`None` where the dialect does not know it).
    fn iter(&self) -> impl Iterator<Item = Option<&Effective>> {
        self.slot
            .iter()
            .zip(self.defaults)
            .map(|(slot, default)| match slot {
                0 => default.as_ref(),
                at => self.set.get(usize::from(*at) - 1),
            })
    }

    /// Sets `tunable` to what `make` builds from the origin of the value it replaces (`None` for the
    /// default).
    fn replace(&mut self, tunable: Tunable, make: impl FnOnce(Option<Origin>) -> Effective) {
        let Some(slot) = self.slot.get_mut(tunable as usize) else {
            return;
        };
        match self.set.get_mut(usize::from(*slot).wrapping_sub(1)) {
            Some(current) => {
                let previous = std::mem::replace(&mut current.origin, Origin::Default);
                *current = make(Some(previous));
            }
            None => {
                self.set.push(make(None));
                // At most one entry per tunable: 150 fit in a byte.
                *slot = u8::try_from(self.set.len()).unwrap_or(0);
            }
        }
    }
}

/// A compiled-in default as a value.
pub fn default_value(d: Default) -> Value {
    match d {
        Default::Bool(b) => Value::Bool(b),
        Default::Uint(n) => Value::Uint(n),
        Default::Str(s) => Value::Str(s.map(|s| std::borrow::Cow::Borrowed(s.as_bytes()))),
    }
}

/// One line, the way vsftpd's `vsf_parseconf_load_setting` handles it: strings first, then the
/// empty-value check, then booleans, then integers, then "unrecognised".
fn read_line(name: &[u8], value: Option<&[u8]>, dialect: Dialect) -> Outcome {
    let spec = dialect.lookup(name);
    let text = value.unwrap_or_default();
    if let Some(spec) = spec.filter(|s| s.kind == Kind::Str) {
        return match read_string(text, dialect.string_trim()) {
            StringReading::Value(v) => Outcome::Applied {
                tunable: spec.tunable,
                value: Value::Str(v.map(std::borrow::Cow::Owned)),
                number: None,
            },
            StringReading::Crash => Outcome::Crash(spec.tunable),
        };
    }
    if text.is_empty() {
        return Outcome::MissingValue;
    }
    match spec {
        Some(spec) if spec.kind == Kind::Bool => match parse_bool(text) {
            Some(b) => Outcome::Applied {
                tunable: spec.tunable,
                value: Value::Bool(b),
                number: None,
            },
            None => Outcome::BadBool(spec.tunable),
        },
        Some(spec) => {
            let reading = parse_uint(text);
            Outcome::Applied {
                tunable: spec.tunable,
                value: Value::Uint(reading.value),
                number: Some(reading),
            }
        }
        None => Outcome::Unrecognised,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(text: &[u8], dialect: Dialect) -> EffectiveConfig {
        EffectiveConfig::read(&parse(text).cst, dialect, None)
    }

    #[test]
    fn last_occurrence_wins_and_remembers_the_overridden() {
        let m = model(b"listen=NO\nlisten=YES\n", Dialect::Debian303);
        assert!(m.bool(Tunable::Listen));
        let Origin::File {
            line, overridden, ..
        } = m.origin(Tunable::Listen)
        else {
            panic!("from file")
        };
        assert_eq!(*line, Span::new(10, 20));
        assert_eq!(overridden, &vec![Span::new(0, 9)]);
    }

    #[test]
    fn defaults_follow_the_dialect() {
        assert!(!model(b"", Dialect::Debian303).bool(Tunable::Listen));
        assert!(model(b"", Dialect::Upstream305).bool(Tunable::Listen));
        assert_eq!(
            model(b"", Dialect::Upstream305).uint(Tunable::PasvMinPort),
            5001
        );
    }

    #[test]
    fn lookup_order_matches_vsftpd() {
        let outcomes = |t: &[u8]| model(t, Dialect::Debian303).readings()[0].outcome.clone();
        assert_eq!(outcomes(b"foo"), Outcome::MissingValue);
        assert_eq!(outcomes(b"listen"), Outcome::MissingValue);
        assert_eq!(outcomes(b"=YES"), Outcome::Unrecognised);
        assert_eq!(outcomes(b"listen =YES"), Outcome::Unrecognised);
        assert_eq!(outcomes(b"listen= YES"), Outcome::BadBool(Tunable::Listen));
        assert!(matches!(
            outcomes(b"ftpd_banner"),
            Outcome::Applied {
                value: Value::Str(None),
                ..
            }
        ));
        assert_eq!(
            outcomes(b"ftpd_banner= \r"),
            Outcome::Crash(Tunable::FtpdBanner)
        );
    }

    #[test]
    fn past_the_limit_nothing_is_read_and_the_cut_line_is_read_cut() {
        let mut text = vec![b'#'; READ_LIMIT_BYTES - 10];
        text.push(b'\n');
        text.extend_from_slice(b"listen=YES\nlisten=NO\n");
        let m = model(&text, Dialect::Upstream305);
        let t = m.truncation().expect("truncated");
        assert_eq!(t.at, 100_000);
        assert!(t.cut_line.is_some());
        assert_eq!(m.readings().len(), 1);
        assert_eq!(m.readings()[0].outcome, Outcome::BadBool(Tunable::Listen));
    }
}
