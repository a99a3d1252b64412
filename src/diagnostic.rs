//! `Diagnostic`, `Severity`, `Fix`, `Edit`, `Applicability`: plain data that rules produce and
//! renderers and the edit commands consume. No formatting happens here.

use serde::Serialize;

use crate::syntax::Span;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// vsftpd refuses, crashes or misbehaves: fails the run.
    Error,
    /// Accepted but probably not what was meant, or unsafe.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// The word used in output and in `vsconf.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// Parses `error`, `warning` or `info`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

/// Whether a fix may be applied without review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Applicability {
    /// The line becomes what it evidently meant; nothing else moves. Applied by `vsconf fix`.
    Safe,
    /// Behaviour changes: applied only with `vsconf fix --unsafe`.
    Unsafe,
}

impl Applicability {
    /// The word used in output (`safe`, `unsafe`), as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes of `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// The bytes to replace (empty: an insertion).
    pub span: Span,
    /// The new bytes.
    #[serde(serialize_with = "crate::diagnostic::serialize_bytes")]
    pub replacement: Vec<u8>,
}

impl Edit {
    /// Replaces a span.
    pub fn replace(span: Span, replacement: impl Into<Vec<u8>>) -> Edit {
        Edit {
            span,
            replacement: replacement.into(),
        }
    }

    /// Deletes a span.
    pub fn delete(span: Span) -> Edit {
        Edit {
            span,
            replacement: Vec::new(),
        }
    }

    /// Inserts at an offset.
    pub fn insert(at: u32, text: impl Into<Vec<u8>>) -> Edit {
        Edit {
            span: Span::empty(at),
            replacement: text.into(),
        }
    }
}

/// A suggested change: edits that belong together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, in the imperative (`rename to port_enable`).
    pub title: String,
    /// Non-overlapping edits, sorted by offset.
    pub edits: Vec<Edit>,
    /// Safe or unsafe.
    pub applicability: Applicability,
}

impl Fix {
    /// A fix of one or more edits; edits are sorted.
    pub fn new(
        title: impl Into<String>,
        applicability: Applicability,
        mut edits: Vec<Edit>,
    ) -> Fix {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        Fix {
            title: title.into(),
            edits,
            applicability,
        }
    }

    /// Applies the edits to `text`, or `None` when they overlap or fall outside it.
    pub fn apply(&self, text: &[u8]) -> Option<Vec<u8>> {
        apply_edits(text, &self.edits)
    }
}

/// Applies sorted, non-overlapping edits; `None` when they overlap or fall outside the text.
pub fn apply_edits(text: &[u8], edits: &[Edit]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut at = 0usize;
    for edit in edits {
        let start = edit.span.start as usize;
        let end = edit.span.end as usize;
        if start < at || end > text.len() {
            return None;
        }
        out.extend_from_slice(text.get(at..start)?);
        out.extend_from_slice(&edit.replacement);
        at = end;
    }
    out.extend_from_slice(text.get(at..)?);
    Some(out)
}

/// A secondary location with a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What about it.
    pub message: String,
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The rule's stable code (`VSC101`).
    pub code: &'static str,
    /// The rule's name (`pasv-range-unset`).
    pub name: &'static str,
    /// Severity after `vsconf.toml` overrides.
    pub severity: Severity,
    /// Whether vsftpd refuses to start (or crashes) because of it.
    pub fatal: bool,
    /// The primary location.
    pub span: Span,
    /// What is wrong, lower-case, no final period.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
    /// Other relevant places.
    pub labels: Vec<Label>,
    /// A mechanical fix, when there is one.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic with no help, labels or fix yet.
    pub fn new(
        code: &'static str,
        name: &'static str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code,
            name,
            severity,
            fatal: false,
            span,
            message: message.into(),
            help: None,
            labels: Vec::new(),
            fix: None,
        }
    }

    /// Adds help text.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Marks the finding as fatal to vsftpd.
    pub fn fatal(mut self) -> Diagnostic {
        self.fatal = true;
        self
    }

    /// Adds a secondary label.
    pub fn label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Attaches a fix.
    pub fn fix(mut self, fix: Fix) -> Diagnostic {
        self.fix = Some(fix);
        self
    }
}

/// Serialises bytes as a string when they are UTF-8, else as `{"bytes": "<base64>"}`.
pub fn serialize_bytes<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    use base64::Engine;
    use serde::ser::SerializeMap;
    match std::str::from_utf8(bytes) {
        Ok(text) => s.serialize_str(text),
        Err(_) => {
            let mut map = s.serialize_map(Some(1))?;
            map.serialize_entry(
                "bytes",
                &base64::engine::general_purpose::STANDARD.encode(bytes),
            )?;
            map.end()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order_and_refuse_overlap() {
        let edits = vec![
            Edit::replace(Span::new(0, 4), "port"),
            Edit::delete(Span::new(11, 12)),
        ];
        assert_eq!(
            apply_edits(b"Port_enable=YES\r", &edits).as_deref(),
            Some(&b"port_enableYES\r"[..])
        );
        let overlapping = vec![Edit::delete(Span::new(0, 4)), Edit::delete(Span::new(2, 5))];
        assert_eq!(apply_edits(b"abcdef", &overlapping), None);
        assert_eq!(apply_edits(b"ab", &[Edit::delete(Span::new(1, 9))]), None);
    }
}
