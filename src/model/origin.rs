//! Where an effective value comes from.

use serde::Serialize;

use crate::syntax::Span;

/// The source of an effective value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// The dialect's compiled-in default: no line sets it.
    Default,
    /// The last line that sets it, and the earlier lines it overrides (in file order).
    File {
        /// The effective line's content span.
        line: Span,
        /// The setting's value span on that line (empty at the line end when there is no `=`).
        value: Span,
        /// Earlier lines setting the same tunable, ignored by vsftpd.
        overridden: Vec<Span>,
    },
    /// A `-oNAME=VALUE` argument on vsftpd's command line, and the file's lines it overrides.
    Override {
        /// Its position among the overrides (0-based).
        index: usize,
        /// Lines of the file setting the same tunable, ignored by vsftpd.
        overridden: Vec<Span>,
    },
}

impl Origin {
    /// The effective line, if the value comes from the file.
    pub fn line(&self) -> Option<Span> {
        match self {
            Origin::Default | Origin::Override { .. } => None,
            Origin::File { line, .. } => Some(*line),
        }
    }
}
