//! `--format json`: one document for the whole run.
//!
//! ```json
//! {"version":1,
//!  "files":[{"path":"…","dialect":"debian-3.0.3",
//!            "dialect_source":"installed vsftpd 3.0.3-13+b2 (dpkg) on Debian GNU/Linux 12 (bookworm)",
//!            "startup":{"starts":false,"refused":true,"crashed":false,"message":"500 OOPS: …",
//!                       "message_fd":0,"session_message":null},
//!            "diagnostics":[{"rule":"bad-bool-value","code":"VSC003","severity":"error","fatal":true,
//!                            "message":"…","line":4,"column":13,"end_line":4,"end_column":17,"help":"…",
//!                            "fix":{"title":"…","applicability":"safe",
//!                                   "edits":[{"line":4,"column":13,"end_line":4,"end_column":17,
//!                                             "offset":41,"end_offset":45,"new_text":"YES"}]}}]}],
//!  "summary":{"files":1,"errors":1,"warnings":0,"infos":0}}
//! ```
//! Lines and columns are 1-based, columns count bytes, and `end_column` is exclusive. A fix's `edits`
//! (sorted, non-overlapping) replace the bytes `offset..end_offset` of the file (0-based, end exclusive;
//! the same range as the line and column fields) with `new_text`, a string, or `{"bytes": "<base64>"}`
//! when the new text is not UTF-8; applying them all gives what `vsconf fix` does for that finding alone.
//! The language server's code actions carry the same edits. `message` in
//! `startup` is null when vsftpd would start; `crashed` is true when it would crash (SIGSEGV) instead of
//! printing a message; `unreadable` appears (true) only for a path that could not be read, whose one
//! finding has code `IO` (`io-error`). Fields are only ever added, never changed.
//!
//! `startup.message` is exactly what vsftpd prints (without the final CR LF): a BOM, CR or TAB in it
//! stays that character (JSON escapes it as any other); where the bytes are not UTF-8 the string has
//! U+FFFD and `message_bytes` carries the bytes in base64. `starts` is false on a refusal or a crash.
//! `message_fd` is the descriptor vsftpd writes to (0 upstream and Debian: lost under systemd; 1 on
//! RHEL). `silent_refusal` (RHEL builds with `background=YES`) is a refusal in the background child: the
//! parent exits 1 after 3 s and prints nothing, so `message` is null. `unverified` says why a verdict
//! rests on facts no binary confirmed (rhel-3.0.5). `dialect_source` says why the build was chosen.
//! With `--dialect all`, `builds` holds one startup object (plus `dialect`) per build, and a finding
//! with code `BUILDS` (`builds-disagree`) says where they disagree.

//!
//! The document is written by hand, field by field in the order above: serde's generic serialisation
//! and its byte-at-a-time string escaping were a fifth of a bulk run's instructions (callgrind). The
//! tests hold the writer to serde_json, byte for byte, over arbitrary reports.

use super::{FileReport, StartupSummary, Summary};
use crate::diagnostic::{Diagnostic, Fix};
use crate::syntax::LineIndex;

/// Renders the run as one JSON document followed by a newline.
pub fn render(reports: &[FileReport]) -> String {
    let files: Vec<String> = reports.iter().map(render_file).collect();
    let mut out = header();
    out.push_str(&files.join(","));
    out.push_str(&footer(&Summary::of(reports)));
    out
}

/// The document's opening, up to the `files` array.
pub fn header() -> String {
    "{\"version\":1,\"files\":[".to_owned()
}

/// The document's end: the summary and a newline. Files are joined with `,` between header and footer.
pub fn footer(summary: &Summary) -> String {
    format!(
        "],\"summary\":{}}}\n",
        serde_json::to_string(summary).unwrap_or_default()
    )
}

/// One file's object, for streaming many files without keeping them.
pub fn render_file(r: &FileReport) -> String {
    let index = LineIndex::new(&r.source);
    let mut out = String::with_capacity(capacity(r));
    out.push_str("{\"path\":");
    push_string(&mut out, &r.path);
    out.push_str(",\"dialect\":");
    push_string(&mut out, r.dialect);
    if let Some(source) = &r.dialect_source {
        out.push_str(",\"dialect_source\":");
        push_string(&mut out, source);
    }
    out.push_str(",\"startup\":{");
    push_startup(&mut out, &r.startup);
    out.push('}');
    if !r.builds.is_empty() {
        out.push_str(",\"builds\":[");
        for (i, b) in r.builds.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"dialect\":");
            push_string(&mut out, b.dialect);
            out.push(',');
            push_startup(&mut out, &b.startup);
            out.push('}');
        }
        out.push(']');
    }
    out.push_str(",\"diagnostics\":[");
    for (i, d) in r.diagnostics.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_diagnostic(&mut out, r, &index, d);
    }
    out.push_str("]}");
    out
}

/// A generous guess of a file object's length, so that its string grows once at most: the texts it
/// carries plus room for the keys and numbers.
fn capacity(r: &FileReport) -> usize {
    let texts: usize = r
        .diagnostics
        .iter()
        .map(|d| {
            d.message.len()
                + d.help.as_ref().map_or(0, String::len)
                + d.fix.as_ref().map_or(0, |f| {
                    f.title.len()
                        + f.edits
                            .iter()
                            .map(|e| 160 + e.replacement.len())
                            .sum::<usize>()
                })
                + 240
        })
        .sum();
    let startup = |s: &StartupSummary| {
        2 * s.message_bytes.as_ref().map_or(0, Vec::len)
            + s.session_message.as_ref().map_or(0, String::len)
            + s.silent_refusal.as_ref().map_or(0, String::len)
            + s.unverified.map_or(0, str::len)
            + 160
    };
    256 + r.path.len()
        + r.dialect_source.as_ref().map_or(0, String::len)
        + startup(&r.startup)
        + r.builds
            .iter()
            .map(|b| 32 + startup(&b.startup))
            .sum::<usize>()
        + texts
}

/// The fields of a startup object, without its braces.
fn push_startup(out: &mut String, s: &StartupSummary) {
    use base64::Engine as _;
    push_bool(out, "\"starts\":", s.starts);
    push_bool(out, ",\"refused\":", s.refused);
    push_bool(out, ",\"crashed\":", s.crashed);
    out.push_str(",\"message\":");
    let bytes = s.message_bytes.as_deref();
    match bytes {
        Some(b) => push_string(out, &String::from_utf8_lossy(b)),
        None => out.push_str("null"),
    }
    if let Some(b) = bytes.filter(|b| std::str::from_utf8(b).is_err()) {
        out.push_str(",\"message_bytes\":");
        push_string(out, &base64::engine::general_purpose::STANDARD.encode(b));
    }
    if let Some(fd) = s.message_fd {
        out.push_str(",\"message_fd\":");
        push_u32(out, u32::from(fd));
    }
    if let Some(text) = &s.silent_refusal {
        out.push_str(",\"silent_refusal\":");
        push_string(out, text);
    }
    out.push_str(",\"session_message\":");
    push_optional_string(out, s.session_message.as_deref());
    if let Some(why) = s.unverified {
        out.push_str(",\"unverified\":");
        push_string(out, why);
    }
    if s.unreadable {
        out.push_str(",\"unreadable\":true");
    }
}

/// One finding's object.
fn push_diagnostic(out: &mut String, r: &FileReport, index: &LineIndex, d: &Diagnostic) {
    out.push_str("{\"rule\":");
    push_string(out, d.name);
    out.push_str(",\"code\":");
    push_string(out, d.code);
    out.push_str(",\"severity\":");
    push_string(out, d.severity.as_str());
    push_bool(out, ",\"fatal\":", d.fatal);
    out.push_str(",\"message\":");
    push_string(out, &d.message);
    push_range(out, ",\"line\":", r, index, d.span);
    out.push_str(",\"help\":");
    push_optional_string(out, d.help.as_deref());
    out.push_str(",\"fix\":");
    match &d.fix {
        Some(fix) => push_fix(out, r, index, fix),
        None => out.push_str("null"),
    }
    out.push('}');
}

/// A fix's object: its title, applicability and edits.
fn push_fix(out: &mut String, r: &FileReport, index: &LineIndex, fix: &Fix) {
    use base64::Engine as _;
    out.push_str("{\"title\":");
    push_string(out, &fix.title);
    out.push_str(",\"applicability\":");
    push_string(out, fix.applicability.as_str());
    out.push_str(",\"edits\":[");
    for (i, e) in fix.edits.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_range(out, "{\"line\":", r, index, e.span);
        out.push_str(",\"offset\":");
        push_u32(out, e.span.start);
        out.push_str(",\"end_offset\":");
        push_u32(out, e.span.end);
        out.push_str(",\"new_text\":");
        match std::str::from_utf8(&e.replacement) {
            Ok(text) => push_string(out, text),
            Err(_) => {
                out.push_str("{\"bytes\":");
                let encoded = base64::engine::general_purpose::STANDARD.encode(&e.replacement);
                push_string(out, &encoded);
                out.push('}');
            }
        }
        out.push('}');
    }
    out.push_str("]}");
}

/// `line`, `column`, `end_line` and `end_column` of a span; `first` is the text before `line`'s value
/// (`,"line":` or `{"line":`).
fn push_range(
    out: &mut String,
    first: &str,
    r: &FileReport,
    index: &LineIndex,
    span: crate::syntax::Span,
) {
    let (start, end) = r.range(index, span);
    out.push_str(first);
    push_u32(out, start.line.0);
    out.push_str(",\"column\":");
    push_u32(out, start.column);
    out.push_str(",\"end_line\":");
    push_u32(out, end.line.0);
    out.push_str(",\"end_column\":");
    push_u32(out, end.column);
}

/// `key` (with its quotes, colon and any comma before it) and a boolean.
fn push_bool(out: &mut String, key: &str, value: bool) {
    out.push_str(key);
    out.push_str(if value { "true" } else { "false" });
}

/// A string, or `null`.
fn push_optional_string(out: &mut String, text: Option<&str>) {
    match text {
        Some(text) => push_string(out, text),
        None => out.push_str("null"),
    }
}

/// A number in decimal.
fn push_u32(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut first = digits.len();
    let mut rest = n;
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + u8::try_from(rest % 10).unwrap_or(0);
        first -= 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    // Pushed one by one: a line number has a digit or three, and a `str` of them cost a UTF-8 check
    // and a copy call each (four per range, 1.2% of a bulk lint, callgrind).
    for digit in digits.get(first..).unwrap_or_default() {
        out.push(char::from(*digit));
    }
}

/// A JSON string (RFC 8259 §7) with serde_json's escapes: `"` and `\` with a backslash, the control
/// characters U+0000–U+001F as `\b`, `\f`, `\n`, `\r`, `\t` or `\u00xx` (lower-case hex); everything
/// else, DEL and non-ASCII included, as it is.
fn push_string(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    // Most strings need no escape at all: a pass without early exit (which the compiler turns into
    // vector code) says so, and they are copied whole.
    if !text.bytes().fold(false, |any, b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    }) {
        out.push_str(text);
        out.push('"');
        return;
    }
    // `copied` is the first byte not yet written. Text is copied up to an escaped byte (ASCII) or the
    // end, so every slice falls on character boundaries.
    let mut copied = 0;
    for (at, b) in text.bytes().enumerate() {
        let Some(escape) = escape(b) else {
            continue;
        };
        out.push_str(text.get(copied..at).unwrap_or_default());
        match escape {
            Escape::Short(c) => {
                out.push('\\');
                out.push(char::from(c));
            }
            Escape::Unicode => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xF)]));
            }
        }
        copied = at + 1;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out.push('"');
}

/// How a byte is escaped in a JSON string.
enum Escape {
    /// A backslash and this letter.
    Short(u8),
    /// `\u00` and two hex digits.
    Unicode,
}

/// The escape of a byte, `None` when it stands for itself.
fn escape(b: u8) -> Option<Escape> {
    Some(match b {
        b'"' => Escape::Short(b'"'),
        b'\\' => Escape::Short(b'\\'),
        0x08 => Escape::Short(b'b'),
        0x0C => Escape::Short(b'f'),
        b'\n' => Escape::Short(b'n'),
        b'\r' => Escape::Short(b'r'),
        b'\t' => Escape::Short(b't'),
        0x00..=0x1F => Escape::Unicode,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
    use crate::render::StartupSummary;
    use crate::syntax::Span;

    #[test]
    fn a_fix_carries_its_edits_with_ranges_and_new_text() {
        let source = b"listen=YES\nPort_enable=YES\n".to_vec();
        let fix = Fix::new(
            "rename to `port_enable`",
            Applicability::Safe,
            vec![Edit::replace(Span::new(11, 22), "port_enable")],
        );
        let d = Diagnostic::new(
            "VSC001",
            "unrecognised-variable",
            Severity::Error,
            Span::new(11, 22),
            "m",
        )
        .fix(fix);
        // Built from `unreadable` so that fields added later keep their defaults here.
        let mut report = FileReport::unreadable(
            "a.conf".to_owned(),
            "debian-3.0.3",
            String::new(),
            String::new(),
        );
        report.source = source;
        report.startup = StartupSummary::default();
        report.diagnostics = vec![d];
        let doc: serde_json::Value = serde_json::from_str(&render_file(&report)).unwrap();
        let fix = &doc["diagnostics"][0]["fix"];
        assert_eq!(fix["applicability"], "safe");
        assert_eq!(
            fix["edits"],
            serde_json::json!([{"line": 2, "column": 1, "end_line": 2, "end_column": 12,
                                "offset": 11, "end_offset": 22, "new_text": "port_enable"}])
        );
    }

    /// The renderer this module had before the hand-written one (serde derive), kept as the oracle.
    mod oracle {
        use serde::Serialize;

        use crate::render::{FileReport, StartupSummary};
        use crate::syntax::LineIndex;

        #[derive(Serialize)]
        struct File<'a> {
            path: &'a str,
            dialect: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            dialect_source: Option<&'a str>,
            startup: Startup<'a>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            builds: Vec<Build<'a>>,
            diagnostics: Vec<Entry<'a>>,
        }

        #[derive(Serialize)]
        struct Build<'a> {
            dialect: &'a str,
            #[serde(flatten)]
            startup: Startup<'a>,
        }

        #[derive(Serialize)]
        struct Startup<'a> {
            starts: bool,
            refused: bool,
            crashed: bool,
            message: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            message_bytes: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            message_fd: Option<u8>,
            #[serde(skip_serializing_if = "Option::is_none")]
            silent_refusal: Option<&'a str>,
            session_message: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            unverified: Option<&'a str>,
            #[serde(skip_serializing_if = "std::ops::Not::not")]
            unreadable: bool,
        }

        fn startup(s: &StartupSummary) -> Startup<'_> {
            use base64::Engine as _;
            let bytes = s.message_bytes.as_deref();
            Startup {
                starts: s.starts,
                refused: s.refused,
                crashed: s.crashed,
                message: bytes.map(|b| String::from_utf8_lossy(b).into_owned()),
                message_bytes: bytes
                    .filter(|b| std::str::from_utf8(b).is_err())
                    .map(|b| base64::engine::general_purpose::STANDARD.encode(b)),
                message_fd: s.message_fd,
                silent_refusal: s.silent_refusal.as_deref(),
                session_message: s.session_message.as_deref(),
                unverified: s.unverified,
                unreadable: s.unreadable,
            }
        }

        #[derive(Serialize)]
        struct Entry<'a> {
            rule: &'a str,
            code: &'a str,
            severity: &'a str,
            fatal: bool,
            message: &'a str,
            line: u32,
            column: u32,
            end_line: u32,
            end_column: u32,
            help: Option<&'a str>,
            fix: Option<FixEntry<'a>>,
        }

        #[derive(Serialize)]
        struct FixEntry<'a> {
            title: &'a str,
            applicability: crate::diagnostic::Applicability,
            edits: Vec<EditEntry<'a>>,
        }

        #[derive(Serialize)]
        struct EditEntry<'a> {
            line: u32,
            column: u32,
            end_line: u32,
            end_column: u32,
            offset: u32,
            end_offset: u32,
            #[serde(serialize_with = "crate::diagnostic::serialize_bytes")]
            new_text: &'a [u8],
        }

        fn entry<'a>(
            r: &'a FileReport,
            index: &LineIndex,
            d: &'a crate::diagnostic::Diagnostic,
        ) -> Entry<'a> {
            let (start, end) = r.range(index, d.span);
            let fix = d.fix.as_ref().map(|f| FixEntry {
                title: &f.title,
                applicability: f.applicability,
                edits: f
                    .edits
                    .iter()
                    .map(|e| {
                        let (start, end) = r.range(index, e.span);
                        EditEntry {
                            line: start.line.0,
                            column: start.column,
                            end_line: end.line.0,
                            end_column: end.column,
                            offset: e.span.start,
                            end_offset: e.span.end,
                            new_text: &e.replacement,
                        }
                    })
                    .collect(),
            });
            Entry {
                rule: d.name,
                code: d.code,
                severity: d.severity.as_str(),
                fatal: d.fatal,
                message: &d.message,
                line: start.line.0,
                column: start.column,
                end_line: end.line.0,
                end_column: end.column,
                help: d.help.as_deref(),
                fix,
            }
        }

        pub(super) fn render_file(r: &FileReport) -> String {
            let index = LineIndex::new(&r.source);
            let entry = |d| entry(r, &index, d);
            let file = File {
                path: &r.path,
                dialect: r.dialect,
                dialect_source: r.dialect_source.as_deref(),
                startup: startup(&r.startup),
                builds: r
                    .builds
                    .iter()
                    .map(|b| Build {
                        dialect: b.dialect,
                        startup: startup(&b.startup),
                    })
                    .collect(),
                diagnostics: r.diagnostics.iter().map(entry).collect(),
            };
            serde_json::to_string(&file).unwrap()
        }
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::{push_string, push_u32, render_file};
        use super::oracle;
        use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
        use crate::render::{BuildVerdict, FileReport, StartupSummary};
        use crate::syntax::Span;

        /// Text rich in what JSON escapes: control characters, quotes, backslashes, DEL, non-ASCII.
        fn text() -> impl Strategy<Value = String> {
            let c = prop_oneof![
                4 => (0u8..0x80).prop_map(char::from),
                1 => prop::sample::select(vec!['"', '\\', '\u{7f}', '\u{1f}', 'é', '\u{fffd}', '😀']),
                1 => any::<char>(),
            ];
            prop::collection::vec(c, 0..48).prop_map(|cs| cs.into_iter().collect())
        }

        fn bytes() -> impl Strategy<Value = Vec<u8>> {
            prop_oneof![
                text().prop_map(String::into_bytes),
                prop::collection::vec(any::<u8>(), 0..24),
            ]
        }

        fn startup() -> impl Strategy<Value = StartupSummary> {
            (
                any::<[bool; 4]>(),
                prop::option::of(bytes()),
                prop::option::of(any::<u8>()),
                prop::option::of(text()),
                prop::option::of(text()),
                prop::option::of(Just("unverified: no binary")),
            )
                .prop_map(|(flags, message_bytes, fd, silent, session, unverified)| {
                    StartupSummary {
                        starts: flags[0],
                        refused: flags[1],
                        crashed: flags[2],
                        unreadable: flags[3],
                        message: None,
                        message_bytes,
                        message_fd: fd,
                        silent_refusal: silent,
                        session_message: session,
                        unverified,
                        read_end: None,
                    }
                })
        }

        fn span(len: u32) -> impl Strategy<Value = Span> {
            (0..=len, 0..=len).prop_map(|(a, b)| Span::new(a.min(b), a.max(b)))
        }

        fn diagnostic(len: u32) -> impl Strategy<Value = Diagnostic> {
            let edit = (span(len), bytes()).prop_map(|(s, b)| Edit::replace(s, b));
            let fix = (text(), any::<bool>(), prop::collection::vec(edit, 0..3)).prop_map(
                |(title, safe, edits)| {
                    let applicability = if safe {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    };
                    Fix::new(title, applicability, edits)
                },
            );
            let severity =
                prop::sample::select(vec![Severity::Error, Severity::Warning, Severity::Info]);
            (
                span(len),
                severity,
                any::<bool>(),
                text(),
                prop::option::of(text()),
                prop::option::of(fix),
            )
                .prop_map(|(span, severity, fatal, message, help, fix)| {
                    let mut d =
                        Diagnostic::new("VSC001", "unrecognised-variable", severity, span, message);
                    d.fatal = fatal;
                    d.help = help;
                    d.fix = fix;
                    d
                })
        }

        fn report() -> impl Strategy<Value = FileReport> {
            bytes().prop_flat_map(|source| {
                let len = u32::try_from(source.len()).unwrap();
                let build = (
                    prop::sample::select(vec!["debian-3.0.3", "rhel-3.0.5"]),
                    startup(),
                )
                    .prop_map(|(dialect, startup)| BuildVerdict { dialect, startup });
                (
                    text(),
                    prop::option::of(text()),
                    startup(),
                    prop::collection::vec(build, 0..3),
                    prop::collection::vec(diagnostic(len), 0..5),
                )
                    .prop_map(
                        move |(path, dialect_source, startup, builds, diagnostics)| FileReport {
                            path,
                            dialect: "upstream-3.0.5",
                            dialect_source,
                            builds,
                            source: source.clone(),
                            startup,
                            diagnostics,
                        },
                    )
            })
        }

        proptest! {
            #[test]
            fn strings_are_escaped_as_serde_json_escapes_them(s in text()) {
                let mut out = String::new();
                push_string(&mut out, &s);
                prop_assert_eq!(&out, &serde_json::to_string(&s).unwrap());
                let back: String = serde_json::from_str(&out).unwrap();
                prop_assert_eq!(back, s);
            }

            #[test]
            fn numbers_are_written_as_serde_json_writes_them(n in any::<u32>()) {
                let mut out = String::new();
                push_u32(&mut out, n);
                prop_assert_eq!(out, n.to_string());
            }

            #[test]
            fn a_file_object_is_byte_for_byte_serde_jsons(r in report()) {
                prop_assert_eq!(render_file(&r), oracle::render_file(&r));
            }
        }

        #[test]
        fn every_byte_below_0x80_next_to_plain_text_is_escaped_as_serde_json_does() {
            for b in 0u8..0x80 {
                for at in 0..10 {
                    let mut s = "abcdefghijklmnop".to_owned();
                    s.insert(at, char::from(b));
                    let mut out = String::new();
                    push_string(&mut out, &s);
                    assert_eq!(
                        out,
                        serde_json::to_string(&s).unwrap(),
                        "byte {b:#x} at {at}"
                    );
                }
            }
        }
    }
}
