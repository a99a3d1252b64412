//! `--format human`: for people reading a terminal. Each finding gets its code line, the message, the
//! source lines around it with the spans underlined, and the help; colour only when asked (the binary
//! asks when standard output is a terminal).
//!
//! The report stays readable whatever the file looks like (issue 14):
//! - only the labelled lines are shown, each after [`CONTEXT_LINES`] of context;
//! - a secondary label far from the primary one is not drawn but listed by line number under the
//!   snippet (`also on lines 24, 48, 72: ignored: overridden below`), so a duplicate shows the line
//!   that wins plus where the others are;
//! - on lines vsftpd never reads (past the line it refuses to start on, or past its 100000-byte read
//!   limit) each rule is shown once in full, its other findings there one line each (at most
//!   [`MAX_LISTED_LINES`], then their line numbers);
//! - source lines longer than [`MAX_LINE_COLUMNS`] are cut around their labels and marked with `…`;
//! - invisible bytes (`\r`, TAB, NUL, a byte order mark, bytes that are not UTF-8) are escaped as in
//!   every other command ([`crate::syntax::visible`]);
//! - input that is not text (a binary blob) is said once, `not a text config: …`, and its findings are
//!   listed one per line without source.
//!
//! This module writes the text itself rather than through miette's report handler: the layout rules
//! above need control over which lines are shown, and a bulk run prints thousands of findings (it
//! was 15 times slower than JSON through miette).

use std::fmt::Write;

use super::{FileReport, IO_ERROR_CODE, Summary, rule_command};
use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::visible_columns;

/// Colour or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// ANSI colours and Unicode art.
    Always,
    /// Plain text (Unicode art, no escape codes): tests and pipes.
    Never,
}

/// Text width messages and help are wrapped to.
pub const WIDTH: usize = 100;
/// Source lines shown before each drawn label (usually the comment that explains the setting; the
/// line after adds length and rarely meaning).
pub const CONTEXT_LINES: u32 = 1;
/// A secondary label is drawn when it is at most this many lines from the primary one; farther ones
/// are listed by line number.
pub const NEAR_LINES: u32 = 2;
/// Source lines are cut to this many columns (around their labels), marked with `…`.
pub const MAX_LINE_COLUMNS: usize = 120;
/// Line numbers listed in one `also on lines …` note (and findings listed one line each past the
/// point vsftpd stops reading) before the rest is counted.
pub const MAX_LISTED_LINES: usize = 8;
/// The longest one-line finding listed past the point vsftpd stops reading.
const MAX_LISTED_CHARS: usize = 160;
/// The longest verdict message shown (vsftpd echoes a whole bad line, which can be kilobytes).
const MAX_VERDICT_CHARS: usize = 200;

/// Renders every file: a verdict line, then each finding, then the totals.
pub fn render(reports: &[FileReport], colour: Colour) -> String {
    let mut out: String = reports.iter().map(|r| render_file(r, colour)).collect();
    out.push_str(&render_summary(&Summary::of(reports)));
    out
}

/// One file: its verdict line and its findings.
pub fn render_file(r: &FileReport, colour: Colour) -> String {
    let paint = Paint(colour == Colour::Always);
    let verdict = verdict_line(r);
    // Sized for what a finding usually takes (about 490 bytes over the real-world corpus): grown from
    // the verdict line, the text was reallocated a dozen times per file.
    let mut out = String::with_capacity(verdict.len() + 1 + 512 * r.diagnostics.len());
    out.push_str(&verdict);
    out.push('\n');
    if r.diagnostics.is_empty() {
        return out;
    }
    let lines = Lines::new(&r.source);
    let binary = not_text(&r.source);
    if let Some(why) = &binary {
        let n = r.diagnostics.len();
        let _ = writeln!(
            out,
            "{}: not a text config: {why}; {n} finding{} listed without source lines",
            r.path,
            plural(n)
        );
    }
    let read_end = r.startup.read_end;
    let ignored = |d: &Diagnostic| read_end.is_some_and(|end| d.span.start >= end);
    // Past the point vsftpd stops reading: per rule, its findings there.
    let mut past: Vec<(&str, Vec<&Diagnostic>)> = Vec::new();
    for d in r.diagnostics.iter().filter(|d| ignored(d)) {
        match past.iter_mut().find(|(code, _)| *code == d.code) {
            Some((_, v)) => v.push(d),
            None => past.push((d.code, vec![d])),
        }
    }
    for d in &r.diagnostics {
        let rest = if ignored(d) {
            // One finding per rule in full there, the others one line each.
            match past.iter_mut().find(|(code, _)| *code == d.code) {
                Some((_, v)) if !v.is_empty() => std::mem::take(v).split_off(1),
                _ => continue,
            }
        } else {
            Vec::new()
        };
        if binary.is_some() {
            one_line(&mut out, d, &lines, paint);
        } else {
            finding(&mut out, r, d, &lines, paint);
        }
        if !rest.is_empty() {
            let _ = writeln!(
                out,
                "  … and {} more {} on lines vsftpd never reads:",
                rest.len(),
                d.code
            );
            for e in rest.iter().take(MAX_LISTED_LINES) {
                let help = e
                    .help
                    .as_deref()
                    .map(|h| format!(" ({})", h.lines().next().unwrap_or_default()))
                    .unwrap_or_default();
                let text = cut(&format!("{}{help}", e.message), MAX_LISTED_CHARS);
                let _ = writeln!(out, "    line {}: {text}", lines.line_of(e.span.start));
            }
            if rest.len() > MAX_LISTED_LINES {
                let more: Vec<u32> = rest
                    .iter()
                    .skip(MAX_LISTED_LINES)
                    .map(|e| lines.line_of(e.span.start))
                    .collect();
                let _ = writeln!(out, "    and on {}", line_list(&more, "line", "lines"));
            }
        }
    }
    out
}

/// The closing line with the totals.
pub fn render_summary(s: &Summary) -> String {
    let skipped = if s.skipped == 0 {
        String::new()
    } else {
        format!(
            " ({} directory entr{} skipped: not *.conf or not a regular file; name a file to lint it)",
            s.skipped,
            if s.skipped == 1 { "y" } else { "ies" },
        )
    };
    format!(
        "{} file{} checked: {} error{}, {} warning{}, {} info{}{skipped}\n",
        s.files,
        plural(s.files),
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings),
        s.infos,
        plural(s.infos)
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn verdict_line(r: &FileReport) -> String {
    let mut line = if r.builds.is_empty() {
        startup_line(&r.path, r.dialect, &r.startup)
    } else {
        let (starting, failing): (Vec<_>, Vec<_>) = r.builds.iter().partition(|b| b.startup.starts);
        let ids = |bs: &[&super::BuildVerdict]| {
            bs.iter().map(|b| b.dialect).collect::<Vec<_>>().join(", ")
        };
        match (starting.is_empty(), failing.is_empty()) {
            (false, true) => format!("{}: vsftpd starts on every build", r.path),
            (true, false) => format!("{}: vsftpd fails to start on every build", r.path),
            _ => format!(
                "{}: the builds disagree: vsftpd starts on {}, not on {}",
                r.path,
                ids(&starting),
                ids(&failing)
            ),
        }
    };
    for b in &r.builds {
        line.push_str("\n  ");
        line.push_str(&startup_line("", b.dialect, &b.startup).replacen(": vsftpd", "vsftpd", 1));
    }
    if let Some(note) = r.startup.unverified {
        line.push_str(&format!("\n  note: {note}"));
    }
    line
}

fn startup_line(path: &str, dialect: &str, s: &super::StartupSummary) -> String {
    if let Some(m) = &s.silent_refusal {
        return format!(
            "{path}: vsftpd ({dialect}) refuses to start, silently: the background child fails with `{}` after the fork, and the parent exits 1 after 3 s printing nothing (background=YES)",
            cut(m, MAX_VERDICT_CHARS)
        );
    }
    if s.unreadable {
        format!("{path}: cannot be read, not linted")
    } else if let Some(m) = &s.message {
        format!(
            "{path}: vsftpd ({dialect}) refuses to start: {}",
            cut(m, MAX_VERDICT_CHARS)
        )
    } else if s.crashed {
        format!("{path}: vsftpd ({dialect}) crashes at startup (SIGSEGV, no message)")
    } else if let Some(m) = &s.session_message {
        format!(
            "{path}: vsftpd ({dialect}) starts, then refuses every session: {}",
            cut(m, MAX_VERDICT_CHARS)
        )
    } else {
        format!("{path}: vsftpd ({dialect}) starts")
    }
}

/// At most `max` characters of `s`, with `…` when cut.
fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}

/// Why `bytes` are not a text file, if they are not: more than a tenth of the first 8 KiB are NUL,
/// control bytes other than whitespace, or not UTF-8. A config with a stray NUL or a Latin-1 banner
/// stays text.
pub fn not_text(bytes: &[u8]) -> Option<String> {
    let sample = bytes.get(..8192).unwrap_or(bytes);
    if sample.is_empty() {
        return None;
    }
    let odd_control =
        |b: &u8| b.is_ascii_control() && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    // Text is the common case: when the sample is valid UTF-8 (a fast check) only its control bytes
    // are counted (a multi-byte character holds none), as the chunked count below would.
    let odd = if std::str::from_utf8(sample).is_ok() {
        // Counted in bytes over blocks of 128 without branches, which the compiler turns into vector
        // code (a filtered count ran byte by byte: 4 instructions a byte of every file).
        sample
            .chunks(128)
            .map(|block| {
                let n = block.iter().fold(0u8, |n, b| n + u8::from(odd_control(b)));
                usize::from(n)
            })
            .sum::<usize>()
    } else {
        sample
            .utf8_chunks()
            .map(|chunk| {
                chunk.valid().bytes().filter(|b| odd_control(b)).count() + chunk.invalid().len()
            })
            .sum()
    };
    (odd * 10 > sample.len()).then(|| {
        format!(
            "{odd} of its first {} bytes are NUL, control bytes or not UTF-8",
            sample.len()
        )
    })
}

/// ANSI styling when on.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    /// `text` in the style `code`, or as it is (borrowed: without colour, the human renderer made a
    /// copy of every piece it wrote).
    fn wrap<'t>(self, code: &str, text: &'t str) -> std::borrow::Cow<'t, str> {
        if self.0 {
            std::borrow::Cow::Owned(format!("\x1b[{code}m{text}\x1b[0m"))
        } else {
            std::borrow::Cow::Borrowed(text)
        }
    }

    fn severity<'t>(self, s: Severity, text: &'t str) -> std::borrow::Cow<'t, str> {
        self.wrap(
            match s {
                Severity::Error => "1;31",
                Severity::Warning => "1;33",
                Severity::Info => "1;36",
            },
            text,
        )
    }
}

fn symbol(s: Severity) -> &'static str {
    match s {
        Severity::Error => "×",
        Severity::Warning => "⚠",
        Severity::Info => "☞",
    }
}

/// Line starts of the file, for line numbers and line contents.
struct Lines<'a> {
    text: &'a [u8],
    starts: Vec<u32>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a [u8]) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(
            memchr::memchr_iter(b'\n', text).map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        Lines { text, starts }
    }

    /// 1-based line of an offset.
    fn line_of(&self, offset: u32) -> u32 {
        let n = self.starts.partition_point(|s| *s <= offset).max(1);
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// 1-based column (in bytes) of an offset.
    fn column_of(&self, offset: u32) -> u32 {
        let start = self.start(self.line_of(offset));
        offset.saturating_sub(start) + 1
    }

    fn start(&self, line: u32) -> u32 {
        let i = usize::try_from(line.saturating_sub(1)).unwrap_or(usize::MAX);
        self.starts.get(i).copied().unwrap_or(0)
    }

    /// The last line worth showing: a final newline does not start a line of its own.
    fn last(&self) -> u32 {
        let n = u32::try_from(self.starts.len()).unwrap_or(u32::MAX);
        let len = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        if n > 1 && self.start(n) >= len {
            n - 1
        } else {
            n
        }
    }

    /// A line's content offsets, without its `\n`.
    fn content(&self, line: u32) -> (u32, u32) {
        let start = self.start(line);
        let next = usize::try_from(line).unwrap_or(usize::MAX);
        let end = match self.starts.get(next) {
            Some(s) => s.saturating_sub(1),
            None => u32::try_from(self.text.len()).unwrap_or(u32::MAX),
        };
        (start, end.max(start))
    }

    fn bytes(&self, start: u32, end: u32) -> &'a [u8] {
        self.text
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }
}

/// The text under the primary span.
fn primary_text(d: &Diagnostic) -> &'static str {
    if d.code == IO_ERROR_CODE {
        "nothing read"
    } else if d.fatal {
        "vsftpd stops here"
    } else {
        "here"
    }
}

/// Rules point at an empty span at the start of the file when no line is responsible (the values
/// involved are defaults).
fn about_defaults(d: &Diagnostic) -> bool {
    d.span.is_empty() && d.span.start == 0 && !d.fatal && d.code != IO_ERROR_CODE
}

fn heading(out: &mut String, d: &Diagnostic, paint: Paint) {
    let fatal = if d.fatal { " (fatal)" } else { "" };
    // Written piece by piece (three `format!`s per finding were a fifth of the human renderer's
    // formatting, callgrind); with colour, the title is taken back out and painted.
    let title_start = out.len();
    for piece in [d.code, " ", d.name, fatal] {
        out.push_str(piece);
    }
    if paint.0 {
        let title = out.split_off(title_start);
        out.push_str(&paint.severity(d.severity, &title));
    }
    if d.code != IO_ERROR_CODE {
        out.push_str(" (");
        out.push_str(&rule_command(d.code));
        out.push(')');
    }
    out.push('\n');
}

/// A finding with its source lines.
fn finding(out: &mut String, r: &FileReport, d: &Diagnostic, lines: &Lines<'_>, paint: Paint) {
    heading(out, d, paint);
    let sym = paint.severity(d.severity, symbol(d.severity));
    wrap_into(out, &d.message, &["  ", &sym, " "].concat(), "  │ ", 4);
    if d.code == IO_ERROR_CODE || r.source.is_empty() || about_defaults(d) {
        let what = if about_defaults(d) {
            "not set in this file: the defaults apply"
        } else {
            primary_text(d)
        };
        let _ = writeln!(out, "   ╰─[{}] {what}", r.path);
    } else {
        snippet(out, r, d, lines, paint);
    }
    help(out, d);
}

/// A finding in one line, for input that is not text.
fn one_line(out: &mut String, d: &Diagnostic, lines: &Lines<'_>, paint: Paint) {
    let fatal = if d.fatal { " (fatal)" } else { "" };
    let at = if about_defaults(d) {
        String::new()
    } else {
        format!(" [line {}]", lines.line_of(d.span.start))
    };
    let _ = writeln!(
        out,
        "  {} {} {}{fatal}: {}{at}",
        paint.severity(d.severity, symbol(d.severity)),
        d.code,
        d.name,
        cut(&d.message, MAX_VERDICT_CHARS)
    );
}

fn help(out: &mut String, d: &Diagnostic) {
    // The help's paragraphs, then the fix's line: read in place, not joined into a copy first (which
    // grew twice per finding).
    let fix = d.fix.as_ref().map(|fix| {
        let how = match fix.applicability {
            crate::diagnostic::Applicability::Safe => "vsconf fix",
            crate::diagnostic::Applicability::Unsafe => "vsconf fix --unsafe",
        };
        format!("fix: {} (`{how}`)", fix.title)
    });
    let paragraphs = d
        .help
        .as_deref()
        .filter(|h| !h.is_empty())
        .into_iter()
        .flat_map(|h| h.split('\n'))
        .chain(fix.as_deref());
    for (i, paragraph) in paragraphs.enumerate() {
        let first = if i == 0 { "  help: " } else { "        " };
        wrap_into(out, paragraph, first, "        ", 8);
    }
}

/// Greedy word wrap to [`WIDTH`]: `first` before the first line, `next` before the others;
/// `indent` is their width in columns (escape codes do not count).
fn wrap_into(out: &mut String, text: &str, first: &str, next: &str, indent: usize) {
    let room = WIDTH.saturating_sub(indent).max(20);
    out.push_str(first);
    // Columns are bytes in ASCII text (most help is): no character count per word.
    let ascii = text.is_ascii();
    // Words are found by a plain byte search (a space is ASCII, so every cut falls on a character
    // boundary), and each output line is copied whole: the words of a line and the single spaces
    // between them are one stretch of `text`, `[from, to)`. Written straight into `out`: a line buffer,
    // `writeln!` per line, then a copy per word were most of the human renderer's instructions in a
    // bulk run (callgrind).
    let (mut from, mut to) = (0, 0);
    let mut used = 0usize;
    let mut at = 0;
    loop {
        let rest = text.get(at..).unwrap_or_default();
        let (len, following) = match rest.bytes().position(|b| b == b' ') {
            Some(space) => (space, Some(at + space + 1)),
            None => (rest.len(), None),
        };
        let w = if ascii {
            len
        } else {
            rest.get(..len).unwrap_or_default().chars().count()
        };
        if used > 0 && used + 1 + w > room {
            out.push_str(text.get(from..to).unwrap_or_default());
            out.push('\n');
            out.push_str(next);
            used = 0;
        }
        if used == 0 {
            from = at;
        } else {
            used += 1;
        }
        to = at + len;
        used += w;
        match following {
            Some(next_word) => at = next_word,
            None => break,
        }
    }
    out.push_str(text.get(from..to).unwrap_or_default());
    out.push('\n');
}

/// A label placed on one source line, in display columns of the line as shown.
struct Placed<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    primary: bool,
}

/// The source lines around the drawn labels, the spans underlined, far labels listed.
fn snippet(out: &mut String, r: &FileReport, d: &Diagnostic, lines: &Lines<'_>, paint: Paint) {
    let primary_line = lines.line_of(d.span.start);
    let mut drawn: Vec<(crate::syntax::Span, &str, bool)> = vec![(d.span, primary_text(d), true)];
    // Far labels, grouped by their text in order of first appearance.
    let mut far: Vec<(&str, Vec<u32>)> = Vec::new();
    for l in &d.labels {
        let line = lines.line_of(l.span.start);
        if line.abs_diff(primary_line) <= NEAR_LINES {
            drawn.push((l.span, &l.message, false));
        } else if let Some((_, v)) = far.iter_mut().find(|(m, _)| *m == l.message) {
            v.push(line);
        } else {
            far.push((&l.message, vec![line]));
        }
    }
    let last = lines.last();
    let mut shown: Vec<u32> = Vec::new();
    for (span, _, _) in &drawn {
        let line = lines.line_of(span.start);
        let from = line.saturating_sub(CONTEXT_LINES).max(1);
        shown.extend(from..=line.min(last.max(line)));
    }
    shown.sort_unstable();
    shown.dedup();
    let gutter = shown.last().copied().unwrap_or(1).to_string().len();
    let pad = " ".repeat(gutter + 2);
    let _ = writeln!(
        out,
        "{pad}╭─[{}:{}:{}]",
        r.path,
        primary_line,
        lines.column_of(d.span.start)
    );
    let mut previous: Option<u32> = None;
    for &n in &shown {
        if previous.is_some_and(|p| n > p + 1) {
            let _ = writeln!(out, "{pad}⋮");
        }
        previous = Some(n);
        let (start, end) = lines.content(n);
        let (text, columns) = visible_columns(lines.bytes(start, end));
        let column = |offset: u32| -> usize {
            let i = offset.saturating_sub(start).min(end - start) as usize;
            columns.get(i).copied().unwrap_or(0) as usize
        };
        let mut placed: Vec<Placed<'_>> = drawn
            .iter()
            .filter(|(s, _, _)| lines.line_of(s.start) == n)
            .map(|(s, text, primary)| Placed {
                start: column(s.start),
                end: if s.end > end {
                    column(end)
                } else {
                    column(s.end)
                },
                text,
                primary: *primary,
            })
            .collect();
        placed.sort_by_key(|p| (p.start, p.end));
        let (text, shift) = window(&text, &placed);
        let shown_columns = text.chars().count();
        for p in &mut placed {
            p.start = (p.start.saturating_sub(shift.0) + shift.1).min(shown_columns);
            p.end = (p.end.saturating_sub(shift.0) + shift.1).min(shown_columns);
        }
        let number = format!("{n:>gutter$}");
        let number = paint.wrap("2", &number);
        if text.is_empty() {
            let _ = writeln!(out, " {number} │");
        } else {
            let _ = writeln!(out, " {number} │ {text}");
        }
        if !placed.is_empty() {
            underline(out, &pad, &placed, d.severity, paint);
        }
    }
    let _ = writeln!(out, "{pad}╰────");
    for (text, mut numbers) in far {
        numbers.sort_unstable();
        numbers.dedup();
        let _ = writeln!(
            out,
            "  also on {}: {text}",
            line_list(&numbers, "line", "lines")
        );
    }
}

/// `line 4` or `lines 24, 48, 72`, at most [`MAX_LISTED_LINES`] numbers then how many more.
fn line_list(numbers: &[u32], one: &str, many: &str) -> String {
    let word = if numbers.len() == 1 { one } else { many };
    let listed: Vec<String> = numbers
        .iter()
        .take(MAX_LISTED_LINES)
        .map(u32::to_string)
        .collect();
    let more = numbers.len().saturating_sub(MAX_LISTED_LINES);
    if more > 0 {
        format!("{word} {} and {more} more", listed.join(", "))
    } else {
        format!("{word} {}", listed.join(", "))
    }
}

/// The part of a long line worth showing: at most [`MAX_LINE_COLUMNS`] columns, starting a little
/// before the first label when it lies beyond the cut, with `…` where text was left out. Returns the
/// text and how label columns move (columns dropped, columns added in front).
fn window(text: &str, placed: &[Placed<'_>]) -> (String, (usize, usize)) {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= MAX_LINE_COLUMNS {
        return (text.to_owned(), (0, 0));
    }
    let first = placed.iter().map(|p| p.start).min().unwrap_or(0);
    let last = placed.iter().map(|p| p.end).max().unwrap_or(0);
    let room = MAX_LINE_COLUMNS - 2;
    let from = if last < room || first + 10 < room {
        0
    } else {
        first
            .saturating_sub(10)
            .min(chars.len().saturating_sub(room))
    };
    let to = (from + room).min(chars.len());
    let mut shown = String::new();
    if from > 0 {
        shown.push('…');
    }
    shown.extend(chars.get(from..to).unwrap_or_default());
    if to < chars.len() {
        shown.push('…');
    }
    (shown, (from, usize::from(from > 0)))
}

/// The underline row and one row per label text, rightmost label first (as miette draws them).
fn underline(out: &mut String, pad: &str, placed: &[Placed<'_>], s: Severity, paint: Paint) {
    let width = placed
        .iter()
        .map(|p| p.end.max(p.start + 1))
        .max()
        .unwrap_or(1)
        .min(MAX_LINE_COLUMNS + 1);
    let mut row: Vec<char> = vec![' '; width];
    let mut anchors = Vec::with_capacity(placed.len());
    for p in placed {
        let start = p.start.min(width.saturating_sub(1));
        let end = p.end.min(width);
        let anchor = if end <= start {
            if let Some(c) = row.get_mut(start) {
                *c = '▲';
            }
            start
        } else {
            for c in row.iter_mut().take(end).skip(start) {
                *c = '─';
            }
            let anchor = start + (end - start) / 2;
            if let Some(c) = row.get_mut(anchor) {
                *c = '┬';
            }
            anchor
        };
        anchors.push(anchor);
    }
    // Sized for the box-drawing characters (three bytes each): collected from nothing, the row grew
    // several times per finding.
    let mut art = String::with_capacity(row.len() * '─'.len_utf8());
    art.extend(row.iter());
    let _ = writeln!(out, "{pad}· {}", paint.wrap("35", art.trim_end()));
    for i in (0..placed.len()).rev() {
        let mut line = String::with_capacity(anchors.get(i).map_or(0, |a| a + 3 * i + 1));
        let mut at = 0usize;
        for a in anchors.iter().take(i) {
            if *a < at {
                continue;
            }
            line.extend(std::iter::repeat_n(' ', a - at));
            line.push('│');
            at = a + 1;
        }
        let (Some(anchor), Some(p)) = (anchors.get(i), placed.get(i)) else {
            continue;
        };
        let a = (*anchor).max(at);
        line.extend(std::iter::repeat_n(' ', a - at));
        let label = format!("╰── {}", p.text);
        let label = if p.primary {
            paint.severity(s, &label)
        } else {
            paint.wrap("36", &label)
        };
        let _ = writeln!(out, "{pad}· {line}{label}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_with_a_stray_nul_or_latin1_is_text_and_a_blob_is_not() {
        assert_eq!(not_text(b"listen=YES\0junk\nftpd_banner=caf\xe9\n"), None);
        assert_eq!(not_text(b""), None);
        let blob: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        assert!(not_text(&blob).is_some_and(|w| w.contains("of its first 4096 bytes")));
    }

    #[test]
    fn long_lines_are_cut_around_their_label() {
        let text = "x".repeat(300);
        let label = [Placed {
            start: 150,
            end: 155,
            text: "here",
            primary: true,
        }];
        let (shown, (dropped, added)) = window(&text, &label);
        assert_eq!(shown.chars().count(), MAX_LINE_COLUMNS);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!((dropped, added), (140, 1));
        let (shown, shift) = window(&text[..200], &[]);
        assert!(shown.ends_with('…') && !shown.starts_with('…'));
        assert_eq!(shift, (0, 0));
    }

    /// The wrap written word by word, as it first was: the reference for [`wrap_into`].
    fn wrap_word_by_word(text: &str, first: &str, next: &str, indent: usize) -> String {
        let room = WIDTH.saturating_sub(indent).max(20);
        let mut out = first.to_owned();
        let mut used = 0usize;
        for word in text.split(' ') {
            let w = word.chars().count();
            if used > 0 && used + 1 + w > room {
                out.push('\n');
                out.push_str(next);
                used = 0;
            }
            if used > 0 {
                out.push(' ');
                used += 1;
            }
            out.push_str(word);
            used += w;
        }
        out.push('\n');
        out
    }

    proptest::proptest! {
        #[test]
        fn wrapping_copies_whole_lines_as_word_by_word_wrapping_would(
            words in proptest::collection::vec(
                proptest::sample::select(vec!["", "a", "vsftpd", "é", "listen_address=203.0.113.7", "ßßßßßßßßßßßßßßßßßßßßßßßßß", "x".repeat(90).leak()]),
                0..40,
            ),
            indent in 0usize..90,
        ) {
            let text = words.join(" ");
            let mut out = String::from("!");
            wrap_into(&mut out, &text, "> ", "  ", indent);
            proptest::prop_assert_eq!(out, format!("!{}", wrap_word_by_word(&text, "> ", "  ", indent)));
        }
    }

    #[test]
    fn words_wrap_at_the_width() {
        let mut out = String::new();
        wrap_into(&mut out, &"word ".repeat(40), "  × ", "  │ ", 4);
        assert!(out.lines().all(|l| l.chars().count() <= WIDTH), "{out}");
        assert!(
            out.lines()
                .nth(1)
                .is_some_and(|l| l.starts_with("  │ word"))
        );
    }

    #[test]
    fn line_lists_are_bounded() {
        assert_eq!(line_list(&[4], "line", "lines"), "line 4");
        assert_eq!(
            line_list(&(1..=10).collect::<Vec<_>>(), "line", "lines"),
            "lines 1, 2, 3, 4, 5, 6, 7, 8 and 2 more"
        );
    }
}
