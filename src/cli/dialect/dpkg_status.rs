//! One package's installed version from dpkg's status database (`/var/lib/dpkg/status`), reading as
//! little of it as possible.
//!
//! The database is hundreds of kilobytes (655 KB on a Debian 12 host) and detection asks it on every
//! run. Reading it whole, even in pieces into one reused buffer, cost about 1.4 ms of system time: more
//! than the rest of a single-file `lint` (BENCHMARKS.md). dpkg writes its stanzas sorted by package name,
//! so the stanza is found by bisection over byte offsets, a few 4 KiB reads at the offsets it probes.
//!
//! Invariants:
//! - A stanza starts at the start of the file or after a `\n`, with `Package: NAME\n`: dpkg writes the
//!   `Package` field first, and other lines inside a stanza are fields (`Name:`) or continuation lines
//!   that begin with a space. Only a header whose whole name line was read counts.
//! - The answer does not depend on the order of the database. Bisection is only a fast way to the
//!   stanza; when it finds no installed stanza and the caller says the package's files are on the
//!   system (dpkg's `info/NAME.list`), every block of the database is scanned, so a database that some
//!   other tool wrote unsorted is answered like a sorted one.
//! - Every read is bounded: a stanza longer than [`MAX_STANZA_BYTES`] is no dpkg stanza and is cut there.

use std::io;

/// Bytes read at each offset the bisection probes: a few stanzas' worth.
const PROBE_BYTES: usize = 4096;
/// Bytes read at a time when the whole database has to be scanned.
const SCAN_BYTES: usize = 64 * 1024;
/// A stanza longer than this is no dpkg stanza (vsftpd's is about 1 KB).
const MAX_STANZA_BYTES: usize = 1024 * 1024;
/// What starts every stanza but the file's first.
const HEADER: &[u8] = b"\nPackage: ";

/// Positional reads: a file, or bytes in memory (tests).
pub trait ReadAt {
    /// Reads into `buf` from `offset`; fewer bytes only at the end of the data.
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize>;
}

impl ReadAt for std::fs::File {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        std::os::unix::fs::FileExt::read_at(self, buf, offset)
    }
}

impl ReadAt for [u8] {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        let from = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.len());
        let bytes = self.get(from..).unwrap_or_default();
        let n = bytes.len().min(buf.len());
        buf.get_mut(..n)
            .unwrap_or_default()
            .copy_from_slice(bytes.get(..n).unwrap_or_default());
        Ok(n)
    }
}

/// The version of `package` if dpkg says it is installed (`Status: install ok installed`); `Ok(None)`
/// when it is absent, removed or only half-installed. `files_listed` says whether dpkg's file list for
/// the package exists; it is asked only when bisection finds nothing.
pub fn installed_version(
    db: &(impl ReadAt + ?Sized),
    len: u64,
    package: &str,
    files_listed: impl FnOnce() -> bool,
) -> io::Result<Option<String>> {
    let package = package.as_bytes();
    if let Some(at) = bisect(db, len, package)? {
        if let Some(version) = version_if_installed(&read_stanza(db, at)?) {
            return Ok(Some(version));
        }
    }
    if !files_listed() {
        return Ok(None);
    }
    scan(db, package)
}

/// A stanza's start and the name its `Package:` line gives.
struct Header {
    at: u64,
    name: Vec<u8>,
}

/// The headers read whole in one block, and where the next block has to start.
struct Block {
    headers: Vec<Header>,
    next: u64,
    last: bool,
}

/// Reads the block at `at` into `buf` and finds its headers.
fn read_block(db: &(impl ReadAt + ?Sized), at: u64, buf: &mut [u8]) -> io::Result<Block> {
    let n = read_full(db, buf, at)?;
    let bytes = buf.get(..n).unwrap_or_default();
    let last = n < buf.len();
    // A header's `\n` is its first byte: the file's very first stanza has none.
    let first = (at == 0 && bytes.starts_with(&HEADER[1..])).then_some(0);
    let starts = first
        .into_iter()
        .chain(memchr::memmem::find_iter(bytes, HEADER).map(|pos| pos + 1));
    let mut headers = Vec::new();
    for start in starts {
        let name_at = start + HEADER.len() - 1;
        let rest = bytes.get(name_at..).unwrap_or_default();
        match memchr::memchr(b'\n', rest) {
            Some(end) => headers.push(Header {
                at: at + start as u64,
                name: rest.get(..end).unwrap_or_default().to_vec(),
            }),
            // The name line is cut by the block's end: the next block starts at its `\n`, unless it
            // began this block (a "name" longer than a block is no package name).
            None if !last && start > 1 => {
                return Ok(Block {
                    headers,
                    next: at + start as u64 - 1,
                    last,
                });
            }
            None => break,
        }
    }
    // A header cut before its name starts is read whole by the next block.
    let overlap = (HEADER.len() - 1) as u64;
    let next = (at + n as u64).saturating_sub(overlap).max(at + 1);
    Ok(Block {
        headers,
        next,
        last,
    })
}

/// The start of a stanza named `package` found by bisection, assuming the database is sorted.
fn bisect(db: &(impl ReadAt + ?Sized), len: u64, package: &[u8]) -> io::Result<Option<u64>> {
    let mut buf = [0; PROBE_BYTES];
    // The stanza, if the database is sorted and holds it, starts in [lo, hi).
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        // A window one probe covers is read from its start: that probe settles it.
        let mid = if hi - lo < PROBE_BYTES as u64 {
            lo
        } else {
            lo + (hi - lo) / 2
        };
        let headers = first_headers_from(db, mid, &mut buf)?;
        if let Some(found) = headers.iter().find(|h| h.name == package) {
            return Ok(Some(found.at));
        }
        let below = headers.iter().rposition(|h| h.name.as_slice() < package);
        match below {
            // Names below and above it, next to each other: a sorted database does not hold it.
            Some(i) if i + 1 < headers.len() => return Ok(None),
            Some(i) => lo = headers.get(i).map_or(hi, |h| h.at + 1),
            // The first stanza from `mid` on is already past it (or there is none): it starts before.
            None => hi = mid,
        }
    }
    Ok(None)
}

/// The headers of the first block, from `from` on, that holds any; headers starting before `from` are
/// left out.
fn first_headers_from(
    db: &(impl ReadAt + ?Sized),
    from: u64,
    buf: &mut [u8],
) -> io::Result<Vec<Header>> {
    // One byte early, so that a header starting exactly at `from` is seen with its `\n`.
    let mut at = from.saturating_sub(1);
    loop {
        let block = read_block(db, at, buf)?;
        let headers: Vec<Header> = block.headers.into_iter().filter(|h| h.at >= from).collect();
        if !headers.is_empty() || block.last {
            return Ok(headers);
        }
        at = block.next;
    }
}

/// Every block in order: the first installed stanza named `package`.
fn scan(db: &(impl ReadAt + ?Sized), package: &[u8]) -> io::Result<Option<String>> {
    let mut buf = vec![0; SCAN_BYTES];
    let mut at = 0;
    loop {
        let block = read_block(db, at, &mut buf)?;
        for header in block.headers.iter().filter(|h| h.name == package) {
            if let Some(version) = version_if_installed(&read_stanza(db, header.at)?) {
                return Ok(Some(version));
            }
        }
        if block.last {
            return Ok(None);
        }
        at = block.next;
    }
}

/// The stanza starting at `at`, up to the blank line that ends it.
fn read_stanza(db: &(impl ReadAt + ?Sized), at: u64) -> io::Result<Vec<u8>> {
    let mut stanza = Vec::new();
    let mut buf = [0; PROBE_BYTES];
    loop {
        let n = read_full(db, &mut buf, at + stanza.len() as u64)?;
        // The blank line may straddle two reads: search from the last byte already held.
        let from = stanza.len().saturating_sub(1);
        stanza.extend_from_slice(buf.get(..n).unwrap_or_default());
        let tail = stanza.get(from..).unwrap_or_default();
        if let Some(end) = memchr::memmem::find(tail, b"\n\n") {
            stanza.truncate(from + end + 1);
            return Ok(stanza);
        }
        if n < buf.len() || stanza.len() > MAX_STANZA_BYTES {
            return Ok(stanza);
        }
    }
}

/// `Version:` of a stanza whose `Status:` is `install ok installed`.
fn version_if_installed(stanza: &[u8]) -> Option<String> {
    let stanza = String::from_utf8_lossy(stanza);
    let field = |name: &str| {
        stanza
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
    };
    if field("Status:") != Some("install ok installed") {
        return None;
    }
    field("Version:")
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Fills `buf` from `at`, retrying short reads and interruptions; fewer bytes only at the end.
fn read_full(db: &(impl ReadAt + ?Sized), buf: &mut [u8], at: u64) -> io::Result<usize> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..).filter(|r| !r.is_empty()) {
        match db.read_at(rest, at + filled as u64) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use proptest::prelude::*;

    use super::*;

    /// Bytes that count how many of them were read.
    struct Counted<'a> {
        bytes: &'a [u8],
        read: Cell<usize>,
    }

    impl ReadAt for Counted<'_> {
        fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
            let n = self.bytes.read_at(buf, offset)?;
            self.read.set(self.read.get() + n);
            Ok(n)
        }
    }

    fn version(db: &[u8], listed: bool) -> Option<String> {
        installed_version(db, db.len() as u64, "vsftpd", || listed).unwrap()
    }

    fn stanza(name: &str, status: &str, filler: usize) -> String {
        format!(
            "Package: {name}\nStatus: {status}\nVersion: 1.{filler}\nDescription: x\n {}\n\n",
            "y".repeat(filler)
        )
    }

    /// A sorted database of `count` packages around vsftpd, each with a description of its own size.
    fn database(count: usize, with_vsftpd: bool) -> String {
        let mut names: Vec<String> = (0..count).map(|i| format!("pkg{i:05}")).collect();
        names.extend((0..count / 3).map(|i| format!("xpkg{i:04}")));
        if with_vsftpd {
            names.push("vsftpd".to_owned());
        }
        names.sort();
        names
            .iter()
            .enumerate()
            .map(|(i, n)| stanza(n, "install ok installed", (i * 37) % 3000))
            .collect()
    }

    #[test]
    fn the_installed_version_only() {
        let status = b"Package: vsftpd-extra\nStatus: install ok installed\nVersion: 9\n\nPackage: vsftpd\nStatus: install ok installed\nPriority: extra\nVersion: 3.0.3-13+b2\n\n";
        assert_eq!(version(status, true), Some("3.0.3-13+b2".to_owned()));
        let removed = b"Package: vsftpd\nStatus: deinstall ok config-files\nVersion: 3.0.3-13+b2\n";
        assert_eq!(version(removed, true), None);
        assert_eq!(version(b"Package: curl\nVersion: 1\n", true), None);
        let first = b"Package: vsftpd\nStatus: install ok installed\nVersion: 3.0.5-0.2\n";
        assert_eq!(version(first, false), Some("3.0.5-0.2".to_owned()));
    }

    /// The answer for `db` and how many bytes it took to read; bisection alone must answer.
    fn version_and_bytes_read(db: &str) -> (Option<String>, usize) {
        let counted = Counted {
            bytes: db.as_bytes(),
            read: Cell::new(0),
        };
        let found = installed_version(&counted, db.len() as u64, "vsftpd", || false);
        (found.unwrap(), counted.read.get())
    }

    #[test]
    fn a_sorted_database_is_answered_from_a_few_blocks() {
        let db = database(3000, true);
        assert!(db.len() > 2_000_000, "{}", db.len());
        let i = db
            .split("\n\n")
            .position(|s| s.starts_with("Package: vsftpd\n"));
        let expected = format!("1.{}", (i.unwrap() * 37) % 3000);
        let (found, read) = version_and_bytes_read(&db);
        assert_eq!(found, Some(expected));
        assert!(read < 30 * PROBE_BYTES, "{read}");
    }

    #[test]
    fn an_absent_package_is_not_searched_for_further_without_its_file_list() {
        let (found, read) = version_and_bytes_read(&database(3000, false));
        assert_eq!(found, None);
        assert!(read < 30 * PROBE_BYTES, "{read}");
    }

    #[test]
    fn an_unsorted_database_is_scanned_whole_when_the_file_list_exists() {
        let mut db = database(500, false);
        db.insert_str(0, &stanza("zzz", "install ok installed", 10));
        db.push_str(&stanza("vsftpd", "install ok installed", 20));
        db.push_str(&stanza("aaa", "install ok installed", 10));
        assert_eq!(version(db.as_bytes(), true), Some("1.20".to_owned()));
        // An earlier stanza of the package that is not installed (another architecture) is passed over.
        let mut twice = stanza("vsftpd", "deinstall ok config-files", 5);
        twice.push_str(&db);
        assert_eq!(version(twice.as_bytes(), true), Some("1.20".to_owned()));
    }

    #[test]
    fn stanzas_cut_by_block_boundaries_are_found() {
        // The header, its name line and the stanza straddle the blocks the database is read in.
        for filler in [
            4080,
            4096 - 17,
            4096 - 3,
            4096 - 10,
            65_530,
            65_536 - 17,
            3 * 65_536 - 40,
        ] {
            let mut status = b"Package: a\nStatus: install ok installed\nDescription: ".to_vec();
            status.resize(filler, b'x');
            status.extend_from_slice(b"\n\nPackage: vsftpd\nStatus: install ok installed\n");
            status.resize(status.len() + 70_000, b'y');
            status.extend_from_slice(b"\nVersion: 3.0.3-13+b2\n\nPackage: z\nVersion: 1\n");
            assert_eq!(
                version(&status, false),
                Some("3.0.3-13+b2".to_owned()),
                "{filler}"
            );
            assert_eq!(
                scan(status.as_slice(), b"vsftpd").unwrap(),
                Some("3.0.3-13+b2".to_owned())
            );
        }
    }

    proptest! {
        /// Bisection over any sorted database answers what scanning all of it answers.
        #[test]
        fn bisection_agrees_with_the_whole_scan(
            sizes in proptest::collection::vec(0usize..9000, 0..60),
            vsftpd_at in proptest::option::of(0usize..60),
        ) {
            let mut names: Vec<String> = (0..sizes.len()).map(|i| format!("p{i:03}")).collect();
            if let Some(i) = vsftpd_at {
                names.insert(i.min(names.len()), "vsftpd".to_owned());
            }
            names.sort();
            let db: String = names
                .iter()
                .enumerate()
                .map(|(i, n)| stanza(n, "install ok installed", sizes.get(i).copied().unwrap_or(3)))
                .collect();
            let whole = scan(db.as_bytes(), b"vsftpd").unwrap();
            prop_assert_eq!(&whole, &version(db.as_bytes(), false));
            prop_assert_eq!(whole.is_some(), vsftpd_at.is_some());
        }
    }
}
