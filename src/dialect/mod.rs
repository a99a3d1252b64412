//! The tunable table: every setting vsftpd knows, with its type, compiled-in default and octal flag, per
//! dialect — one dialect per vsftpd build operators run (`upstream-3.0.5`, `debian-3.0.3`, `debian-3.0.5`,
//! `rhel-3.0.3`, `rhel-3.0.5`) — plus the parsing and start-up differences between those builds, how each
//! was verified, and how a build is recognised on a host (`detect`).
//!
//! The table is generated from `src/dialect/tunables.tsv` (the project's reference data) by
//! `scripts/gen_tunables.py`; a unit test fails when the two disagree. This module knows nothing else in
//! the crate.

pub mod detect;
mod table;

pub use table::{TUNABLES, Tunable};

use std::fmt;
use std::str::FromStr;

/// A vsftpd build whose reading of the config file vsconf models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Dialect {
    /// Pristine vsftpd 3.0.5 (source builds, most minimal images).
    #[default]
    Upstream305,
    /// Debian 12's vsftpd 3.0.3 package (3.0.3-13+b2).
    Debian303,
    /// Debian 13's vsftpd 3.0.5 package (3.0.5-0.2): Debian 3.0.3's behaviour plus the 3.0.4/3.0.5 TLS
    /// switches.
    Debian305,
    /// vsftpd 3.0.3 with Fedora's patch set, as shipped by RHEL 8 and Fedora up to 36 (3.0.3-50).
    Rhel303,
    /// vsftpd 3.0.5 with Fedora's patch set, as shipped by RHEL 9 and later Fedora (no binary checked).
    Rhel305,
}

/// How string values are post-processed after the `=` split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringTrim {
    /// Kept byte for byte (upstream): `ftpd_banner=  hi  ` is `  hi  `.
    Keep,
    /// Leading and trailing whitespace trimmed; a value made only of whitespace crashes vsftpd with
    /// SIGSEGV (debian-3.0.3 and debian-3.0.5 binaries, parsing.md §2).
    TrimCrashOnBlank,
    /// Trimmed; a value made only of whitespace leaves the setting unset (Fedora's fixed trim: recorded
    /// on the Fedora 3.0.3 binary).
    TrimBlankIsUnset,
}

/// Whether this vsftpd build was compiled with TCP wrappers support.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcpWrappersSupport {
    /// `tcp_wrappers=YES` works.
    Compiled,
    /// `tcp_wrappers=YES` refuses every session (or the start in inetd mode).
    Missing,
}

/// The file descriptor that receives `500 OOPS` messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OopsDestination {
    /// Standard input (upstream, Debian): lost under systemd.
    Stdin,
    /// Standard output (RHEL/Fedora patch): reaches the journal.
    Stdout,
}

impl OopsDestination {
    /// The file descriptor number.
    pub fn fd(self) -> u8 {
        match self {
            OopsDestination::Stdin => 0,
            OopsDestination::Stdout => 1,
        }
    }
}

/// What the launching process does when `background=YES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backgrounding {
    /// The parent exits 0 before the child binds: a later failure is silent (upstream, Debian).
    ParentExitsAtOnce,
    /// The parent waits for the child: exit 0 once it listens, exit 1 after 3 s with no message when the
    /// child fails after the fork (Fedora's patch; recorded on the Fedora 3.0.3 binary).
    ParentWaitsForListener,
}

/// How the facts vsconf holds about a build were established.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// Run live: the differential tests start this very binary on thousands of configs.
    LiveBinary,
    /// Recorded verdicts of the real binary on 600 configs (`shared/reference/oracle`); not runnable here.
    RecordedVerdicts,
    /// Source and spec file only: no binary or complete patch text was available.
    SpecOnly,
}

impl Evidence {
    /// Whether a fact resting on this evidence should be flagged as unverified.
    pub fn is_unverified(self) -> bool {
        self == Evidence::SpecOnly
    }
}

impl Dialect {
    /// All dialects, in table column order.
    pub const ALL: [Dialect; 5] = [
        Dialect::Upstream305,
        Dialect::Debian303,
        Dialect::Debian305,
        Dialect::Rhel303,
        Dialect::Rhel305,
    ];

    /// The identifier used on the command line, in `vsconf.toml` and in output.
    pub fn id(self) -> &'static str {
        match self {
            Dialect::Upstream305 => "upstream-3.0.5",
            Dialect::Debian303 => "debian-3.0.3",
            Dialect::Debian305 => "debian-3.0.5",
            Dialect::Rhel303 => "rhel-3.0.3",
            Dialect::Rhel305 => "rhel-3.0.5",
        }
    }

    /// Who ships this build, in an operator's words.
    pub fn shipped_by(self) -> &'static str {
        match self {
            Dialect::Upstream305 => "pristine vsftpd 3.0.5 (source builds, minimal images)",
            Dialect::Debian303 => "Debian 12 (vsftpd 3.0.3-13)",
            Dialect::Debian305 => "Debian 13, Ubuntu 22.04/24.04 (vsftpd 3.0.5-0.x)",
            Dialect::Rhel303 => "RHEL 8, Rocky/Alma 8, Fedora up to 36 (vsftpd 3.0.3-4x/50)",
            Dialect::Rhel305 => "RHEL 9, Rocky/Alma 9, Fedora 37+ (vsftpd 3.0.5)",
        }
    }

    /// How vsconf's facts about this build were established.
    pub fn evidence(self) -> Evidence {
        match self {
            Dialect::Upstream305 | Dialect::Debian303 | Dialect::Debian305 => Evidence::LiveBinary,
            Dialect::Rhel303 => Evidence::RecordedVerdicts,
            Dialect::Rhel305 => Evidence::SpecOnly,
        }
    }

    /// A sentence to append where a verdict rests on facts no binary confirmed, if this build has such.
    pub fn unverified_note(self) -> Option<&'static str> {
        self.evidence().is_unverified().then_some(
            "rhel-3.0.5 is modelled from Fedora's spec and patches without a binary: this verdict is unverified",
        )
    }

    fn column(self) -> usize {
        match self {
            Dialect::Upstream305 => 0,
            Dialect::Debian303 => 1,
            Dialect::Debian305 => 2,
            Dialect::Rhel303 => 3,
            Dialect::Rhel305 => 4,
        }
    }

    /// The vsftpd version of this build.
    pub fn version(self) -> &'static str {
        match self {
            Dialect::Debian303 | Dialect::Rhel303 => "3.0.3",
            Dialect::Upstream305 | Dialect::Debian305 | Dialect::Rhel305 => "3.0.5",
        }
    }

    /// How this build treats string values.
    pub fn string_trim(self) -> StringTrim {
        match self {
            Dialect::Upstream305 => StringTrim::Keep,
            Dialect::Debian303 | Dialect::Debian305 => StringTrim::TrimCrashOnBlank,
            Dialect::Rhel303 | Dialect::Rhel305 => StringTrim::TrimBlankIsUnset,
        }
    }

    /// Whether this build supports `tcp_wrappers=YES`.
    pub fn tcp_wrappers(self) -> TcpWrappersSupport {
        match self {
            Dialect::Debian303 | Dialect::Debian305 => TcpWrappersSupport::Compiled,
            Dialect::Upstream305 | Dialect::Rhel303 | Dialect::Rhel305 => {
                TcpWrappersSupport::Missing
            }
        }
    }

    /// Where this build writes `500 OOPS` messages.
    pub fn oops_destination(self) -> OopsDestination {
        match self {
            Dialect::Rhel303 | Dialect::Rhel305 => OopsDestination::Stdout,
            Dialect::Upstream305 | Dialect::Debian303 | Dialect::Debian305 => {
                OopsDestination::Stdin
            }
        }
    }

    /// What `background=YES` does to the launching process.
    pub fn backgrounding(self) -> Backgrounding {
        match self {
            Dialect::Rhel303 | Dialect::Rhel305 => Backgrounding::ParentWaitsForListener,
            Dialect::Upstream305 | Dialect::Debian303 | Dialect::Debian305 => {
                Backgrounding::ParentExitsAtOnce
            }
        }
    }

    /// The config file vsftpd reads when started without an argument.
    pub fn default_config_path(self) -> &'static str {
        match self {
            Dialect::Rhel303 | Dialect::Rhel305 => "/etc/vsftpd/vsftpd.conf",
            Dialect::Upstream305 | Dialect::Debian303 | Dialect::Debian305 => "/etc/vsftpd.conf",
        }
    }

    /// Whether `listen_address6` has an interface scope split off at the first `%` before it is parsed
    /// (Debian's patch; debian-3.0.3 binary: `::1%lo` binds ::1 with scope id 1).
    pub fn splits_ipv6_scope(self) -> bool {
        matches!(self, Dialect::Debian303 | Dialect::Debian305)
    }

    /// Whether the build's OpenSSL understands `PROFILE=SYSTEM` cipher lists (RHEL's crypto policies; the
    /// RHEL builds' default `ssl_ciphers`). Elsewhere that value fails: `SSL: could not set cipher list`.
    pub fn has_system_crypto_policy(self) -> bool {
        matches!(self, Dialect::Rhel303 | Dialect::Rhel305)
    }

    /// Looks a tunable up by its exact (case-sensitive) name, as this dialect's parser does.
    pub fn lookup(self, name: &[u8]) -> Option<&'static TunableSpec> {
        // Every setting line of every file is looked up (several times per file with the evident
        // readings): a hash table built once answers in one or two probes, where a binary search over
        // the sorted names took ~400 instructions a line (callgrind). Names are unique (see the
        // tests), so the answer is a scan's.
        static BY_HASH: std::sync::OnceLock<Vec<Option<&'static TunableSpec>>> =
            std::sync::OnceLock::new();
        let table = BY_HASH.get_or_init(|| {
            let mut table = vec![None; LOOKUP_SLOTS];
            for spec in &TUNABLES {
                let empty =
                    probes(spec.name.as_bytes()).find(|&i| matches!(table.get(i), Some(None)));
                if let Some(slot) = empty.and_then(|i| table.get_mut(i)) {
                    *slot = Some(spec);
                }
            }
            table
        });
        probes(name)
            .map_while(|i| table.get(i).copied().flatten())
            .find(|spec| spec.name.as_bytes() == name)
            .filter(|spec| spec.known_in(self))
    }
}

/// Slots of [`Dialect::lookup`]'s table: a power of two, several times the number of tunables, so
/// that probe runs stay short.
const LOOKUP_SLOTS: usize = 1024;

/// The slots a name may occupy in [`Dialect::lookup`]'s table, in probing order: its FNV-1a hash, then
/// the slots after it (linear probing), each slot once.
fn probes(name: &[u8]) -> impl Iterator<Item = usize> {
    let hash = name.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let mask = LOOKUP_SLOTS - 1;
    let start = usize::try_from(hash & u64::try_from(mask).unwrap_or(0)).unwrap_or(0);
    (0..LOOKUP_SLOTS).map(move |step| (start + step) & mask)
}

impl serde::Serialize for Dialect {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Names an operator would type for a distribution, and the build each one ships.
pub const ALIASES: [(&str, Dialect); 16] = [
    ("debian-12", Dialect::Debian303),
    ("bookworm", Dialect::Debian303),
    ("debian-13", Dialect::Debian305),
    ("trixie", Dialect::Debian305),
    ("ubuntu-22.04", Dialect::Debian305),
    ("ubuntu-24.04", Dialect::Debian305),
    ("rhel-8", Dialect::Rhel303),
    ("rocky-8", Dialect::Rhel303),
    ("alma-8", Dialect::Rhel303),
    ("centos-8", Dialect::Rhel303),
    ("rhel-9", Dialect::Rhel305),
    ("rocky-9", Dialect::Rhel305),
    ("alma-9", Dialect::Rhel305),
    ("centos-9", Dialect::Rhel305),
    ("fedora", Dialect::Rhel305),
    ("upstream", Dialect::Upstream305),
];

/// A note printed when an alias maps to a build that was not checked against that distribution's binary.
pub fn alias_note(alias: &str) -> Option<&'static str> {
    alias.starts_with("ubuntu-").then_some(
        "Ubuntu builds vsftpd from Debian's packaging; that it reads configs like Debian 13's was not checked against an Ubuntu binary",
    )
}

/// An identifier that names no modelled dialect.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown dialect `{0}`: expected upstream-3.0.5, debian-3.0.3, debian-3.0.5, rhel-3.0.3 or rhel-3.0.5 (or debian-12, debian-13, ubuntu-22.04, ubuntu-24.04, rhel-8, rhel-9, rocky-9, alma-9, fedora)"
)]
pub struct UnknownDialect(pub String);

impl FromStr for Dialect {
    type Err = UnknownDialect;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Dialect::ALL
            .into_iter()
            .find(|d| d.id() == wanted)
            .or_else(|| {
                ALIASES
                    .iter()
                    .find(|(alias, _)| *alias == wanted)
                    .map(|(_, d)| *d)
            })
            .ok_or_else(|| UnknownDialect(s.to_owned()))
    }
}

/// The value type of a tunable, which decides how vsftpd converts its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `YES`/`TRUE`/`1` or `NO`/`FALSE`/`0`, case-insensitive, never trimmed.
    Bool,
    /// An unsigned integer converted without error (see `model::value`).
    Uint,
    /// A byte string; unset when the value is empty.
    Str,
}

impl Kind {
    /// The word used in tables and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Bool => "bool",
            Kind::Uint => "uint",
            Kind::Str => "string",
        }
    }
}

/// A compiled-in default value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Default {
    /// A boolean default.
    Bool(bool),
    /// A numeric default.
    Uint(u32),
    /// A string default; `None` means unset.
    Str(Option<&'static str>),
}

/// One row of the tunable table.
#[derive(Debug)]
pub struct TunableSpec {
    /// The enum identity.
    pub tunable: Tunable,
    /// The exact name vsftpd accepts.
    pub name: &'static str,
    /// The value type.
    pub kind: Kind,
    /// Whether the value is a mode or umask meant to be written in octal.
    pub octal: bool,
    /// The compiled-in default per dialect (`None`: the dialect does not know the name).
    pub defaults: [Option<Default>; 5],
    /// One line saying what it does.
    pub meaning: &'static str,
}

impl TunableSpec {
    /// Whether the dialect's parser accepts this name.
    pub fn known_in(&self, dialect: Dialect) -> bool {
        self.default_in(dialect).is_some()
    }

    /// The compiled-in default in the dialect, or `None` when the dialect does not know the name.
    pub fn default_in(&self, dialect: Dialect) -> Option<Default> {
        self.defaults.get(dialect.column()).copied().flatten()
    }

    /// The dialects that know this name.
    pub fn dialects(&self) -> impl Iterator<Item = Dialect> + '_ {
        Dialect::ALL.into_iter().filter(|d| self.known_in(*d))
    }
}

impl Tunable {
    /// The table row of this tunable.
    pub fn spec(self) -> &'static TunableSpec {
        // The generated table is in enum order; the unit test `table_is_in_enum_order` proves it.
        &TUNABLES[self as usize]
    }

    /// The exact name.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Looks up a tunable by exact name in any dialect.
    pub fn from_name(name: &str) -> Option<Tunable> {
        TUNABLES.iter().find(|s| s.name == name).map(|s| s.tunable)
    }
}

/// Names that vsftpd accepts, ranked by closeness to `name` for a did-you-mean: exact case-folded match
/// first, then small edit distance. Returns at most three names known to `dialect`.
pub fn suggest(name: &[u8], dialect: Dialect) -> Vec<&'static str> {
    let wanted: Vec<u8> = name.iter().map(u8::to_ascii_lowercase).collect();
    let wanted = trim_ascii(&wanted);
    let wanted_letters = letters(wanted);
    let wanted_present = present(&wanted_letters);
    // The tunables' letter counts, computed once per process.
    static NAME_LETTERS: std::sync::OnceLock<Vec<([u8; 64], u64)>> = std::sync::OnceLock::new();
    let name_letters = NAME_LETTERS.get_or_init(|| {
        TUNABLES
            .iter()
            .map(|s| {
                let counts = letters(s.name.as_bytes());
                (counts, present(&counts))
            })
            .collect()
    });
    let mut scored: Vec<(usize, &'static str)> = TUNABLES
        .iter()
        .zip(name_letters)
        .filter(|(s, _)| s.known_in(dialect))
        .filter_map(|(s, name_letters)| {
            let limit = (s.name.len() / 4).clamp(1, 3);
            // The distance is at least the difference in length: skip the quadratic work then.
            if s.name.len().abs_diff(wanted.len()) > limit {
                return None;
            }
            // Only distances up to `limit` matter (a name with typos was 37% of a bulk run's
            // instructions, callgrind): a cheap lower bound rules most names out, and the bounded
            // form stops as soon as every path is longer.
            // Cheaper still: the buckets one side has and the other lacks entirely (two instructions
            // per name) rule out most names before the 64 counts are compared.
            let (name_letters, name_present) = name_letters;
            if present_bound(wanted_present, *name_present) > limit
                || letter_bound(&wanted_letters, name_letters) > limit
            {
                return None;
            }
            bounded_edit_distance(wanted, s.name.as_bytes(), limit).map(|d| (d, s.name))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

fn trim_ascii(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    bytes.get(start..end).unwrap_or_default()
}

/// How many times each byte occurs, bytes folded to 64 buckets (`b & 63`).
fn letters(bytes: &[u8]) -> [u8; 64] {
    let mut count = [0u8; 64];
    for b in bytes {
        let slot = &mut count[usize::from(b & 63)];
        *slot = slot.saturating_add(1);
    }
    count
}

/// Which of the 64 buckets of [`letters`] are not empty, one bit each.
fn present(counts: &[u8; 64]) -> u64 {
    counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .fold(0, |mask, (bucket, _)| mask | 1 << bucket)
}

/// A lower bound of [`letter_bound`] (so of the edit distance) from the buckets present: a bucket
/// one side has and the other lacks counts at least once in that side's surplus.
fn present_bound(a: u64, b: u64) -> usize {
    let only_a = (a & !b).count_ones();
    let only_b = (b & !a).count_ones();
    usize::try_from(only_a.max(only_b)).unwrap_or(usize::MAX)
}

/// A lower bound of the edit distance between the bytes counted in `a` and `b`: every insertion,
/// deletion or substitution adds at most one byte to, and removes at most one from, the multiset of
/// bytes, so at least as many edits are needed as bytes one side has and the other lacks (folding
/// bytes into buckets only lowers those counts).
fn letter_bound(a: &[u8; 64], b: &[u8; 64]) -> usize {
    let (mut surplus, mut lack) = (0u32, 0u32);
    for (x, y) in a.iter().zip(b) {
        surplus += u32::from(x.saturating_sub(*y));
        lack += u32::from(y.saturating_sub(*x));
    }
    usize::try_from(surplus.max(lack)).unwrap_or(usize::MAX)
}

/// [`edit_distance`] when it is at most `limit`, else `None`; names are at most 64 bytes here, longer
/// inputs take the unbounded path. Rows live on the stack and the loop stops once a whole row exceeds
/// `limit` (row minima never decrease, so the distance would too).
fn bounded_edit_distance(a: &[u8], b: &[u8], limit: usize) -> Option<usize> {
    const MAX: usize = 64;
    if a.len() > MAX || b.len() > MAX {
        let distance = edit_distance(a, b);
        return (distance <= limit).then_some(distance);
    }
    let mut previous = [0usize; MAX + 1];
    let mut current = [0usize; MAX + 1];
    for (j, cell) in previous.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        let mut row_min = current[0];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            row_min = row_min.min(current[j + 1]);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
    (distance <= limit).then_some(distance)
}

/// Levenshtein distance over bytes, bounded in memory by the shorter input.
pub fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    if a.len() > 256 || b.len() > 256 {
        return usize::MAX;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_enum_order() {
        for (i, spec) in TUNABLES.iter().enumerate() {
            assert_eq!(spec.tunable as usize, i, "{}", spec.name);
        }
    }

    #[test]
    fn table_matches_tsv() {
        let tsv = include_str!("tunables.tsv");
        let rows: Vec<&str> = tsv.lines().skip(1).filter(|l| !l.is_empty()).collect();
        assert_eq!(
            rows.len(),
            TUNABLES.len(),
            "rerun python3 scripts/gen_tunables.py"
        );
        for (row, spec) in rows.iter().zip(TUNABLES.iter()) {
            let cols: Vec<&str> = row.split('\t').collect();
            assert_eq!(cols[0], spec.name, "rerun python3 scripts/gen_tunables.py");
            assert_eq!(cols[1], spec.kind.as_str());
            assert_eq!(cols[7] == "yes", spec.octal, "{}", spec.name);
            for (d, col) in Dialect::ALL.iter().zip(&cols[2..7]) {
                assert_eq!(*col != "-", spec.known_in(*d), "{} in {d}", spec.name);
            }
        }
    }

    #[test]
    fn lookup_is_case_sensitive_and_dialect_aware() {
        assert!(Dialect::Upstream305.lookup(b"listen").is_some());
        assert!(Dialect::Upstream305.lookup(b"Listen").is_none());
        assert!(
            Dialect::Upstream305
                .lookup(b"reverse_lookup_enable")
                .is_none()
        );
        assert!(Dialect::Rhel305.lookup(b"reverse_lookup_enable").is_some());
        assert!(Dialect::Debian303.lookup(b"ssl_tlsv12").is_none());
    }

    #[test]
    fn debian_defaults_differ_where_the_binary_does() {
        let listen = Tunable::Listen.spec();
        assert_eq!(
            listen.default_in(Dialect::Debian303),
            Some(Default::Bool(false))
        );
        assert_eq!(
            listen.default_in(Dialect::Upstream305),
            Some(Default::Bool(true))
        );
        assert_eq!(
            Tunable::AnonUmask.spec().default_in(Dialect::Debian303),
            Some(Default::Uint(0o77))
        );
        assert_eq!(
            Tunable::PasvMinPort.spec().default_in(Dialect::Rhel305),
            Some(Default::Uint(5001))
        );
    }

    #[test]
    fn names_are_unique_and_lookup_finds_each_in_its_dialects() {
        let mut names: Vec<&str> = TUNABLES.iter().map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TUNABLES.len());
        for dialect in Dialect::ALL {
            for spec in &TUNABLES {
                let found = dialect.lookup(spec.name.as_bytes()).map(|s| s.name);
                assert_eq!(found, spec.known_in(dialect).then_some(spec.name));
            }
            assert!(dialect.lookup(b"Listen").is_none());
            assert!(dialect.lookup(b"").is_none());
            assert!(dialect.lookup(b"listen ").is_none());
            assert!(dialect.lookup(b"liste").is_none());
            assert!(dialect.lookup(b"\xEF\xBB\xBFlisten").is_none());
        }
    }

    proptest::proptest! {
        #[test]
        fn the_pruning_bounds_never_exceed_the_edit_distance(
            a in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..24),
            b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..24),
        ) {
            let (la, lb) = (letters(&a), letters(&b));
            proptest::prop_assert!(present_bound(present(&la), present(&lb)) <= letter_bound(&la, &lb));
            proptest::prop_assert!(letter_bound(&la, &lb) <= edit_distance(&a, &b));
        }
    }

    proptest::proptest! {
        #[test]
        fn the_bounded_distance_is_the_full_one_within_the_limit(
            a in proptest::collection::vec(proptest::sample::select(b"abc_".to_vec()), 0..12),
            b in proptest::collection::vec(proptest::sample::select(b"abc_".to_vec()), 0..12),
            limit in 0usize..5,
        ) {
            let full = edit_distance(&a, &b);
            proptest::prop_assert_eq!(bounded_edit_distance(&a, &b, limit), (full <= limit).then_some(full));
        }
    }

    #[test]
    fn bounded_edit_distance_agrees_with_the_full_one() {
        let words: [&[u8]; 8] = [
            b"",
            b"a",
            b"listen",
            b"Listen_port",
            b"listen_port",
            b"lsiten",
            b"pasv_min_port",
            b"xyz",
        ];
        for a in words {
            for b in words {
                let full = edit_distance(a, b);
                assert!(
                    letter_bound(&letters(a), &letters(b)) <= full,
                    "{a:?} {b:?}"
                );
                assert!(
                    present_bound(present(&letters(a)), present(&letters(b)))
                        <= letter_bound(&letters(a), &letters(b)),
                    "{a:?} {b:?}"
                );
                for limit in 0..5 {
                    assert_eq!(
                        bounded_edit_distance(a, b, limit),
                        (full <= limit).then_some(full),
                        "{a:?} {b:?} {limit}"
                    );
                }
            }
        }
    }

    #[test]
    fn suggestions_fold_case_and_fix_typos() {
        assert_eq!(
            suggest(b"Port_enable", Dialect::Upstream305).first(),
            Some(&"port_enable")
        );
        assert_eq!(
            suggest(b"Ftp_date_port", Dialect::Upstream305).first(),
            Some(&"ftp_data_port")
        );
        assert_eq!(
            suggest(b"PASV_min_port", Dialect::Upstream305).first(),
            Some(&"pasv_min_port")
        );
        assert!(suggest(b"completely_unrelated_thing", Dialect::Upstream305).is_empty());
    }

    #[test]
    fn dialect_ids_round_trip() {
        for d in Dialect::ALL {
            assert_eq!(d.id().parse::<Dialect>(), Ok(d));
        }
        assert!("debian".parse::<Dialect>().is_err());
        assert_eq!("rhel-8".parse::<Dialect>(), Ok(Dialect::Rhel303));
        assert_eq!("Debian-13".parse::<Dialect>(), Ok(Dialect::Debian305));
    }
}
