//! Document symbols (one per setting line, the overridden duplicates marked and pointing at the line
//! that wins) and go-to-definition from an overridden line to the winning one. The model's origins
//! decide which line wins.

use lsp_types::{DocumentSymbol, Location, SymbolKind, SymbolTag, Uri};

use crate::dialect::Kind;
use crate::model::{Origin, Outcome, Reading};
use crate::syntax::Span;

use super::analysis::{Analysis, excerpt};

/// The line whose value wins for the setting a reading sets, when it is another line.
fn winner(a: &Analysis, reading: &Reading) -> Option<Span> {
    let Outcome::Applied { tunable, .. } = &reading.outcome else {
        return None;
    };
    match a.lint.config.origin(*tunable) {
        Origin::File { line, .. } if *line != reading.line => Some(*line),
        _ => None,
    }
}

/// One symbol per setting line vsftpd reads, in file order.
#[allow(
    deprecated,
    reason = "DocumentSymbol::deprecated must be named; tags carry the information"
)]
pub fn symbols(a: &Analysis) -> Vec<DocumentSymbol> {
    let dialect = a.lint.config.dialect();
    a.lint
        .config
        .readings()
        .iter()
        .map(|r| {
            let name = a.cst.slice(r.name);
            let value = r
                .value
                .map(|v| excerpt(a.cst.slice(v), 60))
                .unwrap_or_default();
            let overridden_by = winner(a, r);
            let kind = match dialect.lookup(name).map(|s| s.kind) {
                Some(Kind::Bool) => SymbolKind::BOOLEAN,
                Some(Kind::Uint) => SymbolKind::NUMBER,
                Some(Kind::Str) => SymbolKind::STRING,
                None => SymbolKind::KEY,
            };
            let detail = match (overridden_by, &r.outcome) {
                (Some(line), _) => format!(
                    "{value} (overridden by line {})",
                    a.map.line_of(line.start).saturating_add(1)
                ),
                (None, Outcome::Unrecognised) => format!("{value} (unknown to {dialect})"),
                (None, o) if o.is_fatal() => format!("{value} (vsftpd refuses this line)"),
                (None, _) => value,
            };
            let mut shown = excerpt(name, 60);
            if shown.is_empty() {
                shown = "(empty name)".to_owned();
            }
            DocumentSymbol {
                name: shown,
                detail: Some(detail),
                kind,
                tags: overridden_by.map(|_| vec![SymbolTag::DEPRECATED]),
                deprecated: None,
                range: a.range(r.line),
                selection_range: a.range(r.name),
                children: None,
            }
        })
        .collect()
}

/// From an overridden line, the line that wins (its name).
pub fn definition(a: &Analysis, uri: &Uri, offset: u32) -> Option<Location> {
    let (_, _, reading) = a.setting_at(offset)?;
    let line = winner(a, reading)?;
    let target = a
        .lint
        .config
        .readings()
        .iter()
        .find(|r| r.line == line)
        .map_or(line, |r| r.name);
    Some(Location::new(uri.clone(), a.range(target)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::lsp::position::Encoding;
    use crate::settings::Settings;

    #[test]
    fn duplicates_point_at_the_line_that_wins() {
        let text = "listen=NO\nanonymous_enable=NO\nlisten=YES\n";
        let choose = |_: &Settings, _: Option<&std::path::Path>| Dialect::Debian303;
        let a = Analysis::new(text.as_bytes(), None, Encoding::Utf16, &choose);
        let s = symbols(&a);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].detail.as_deref(), Some("NO (overridden by line 3)"));
        assert_eq!(s[0].tags, Some(vec![SymbolTag::DEPRECATED]));
        assert_eq!(s[2].tags, None);
        let uri: Uri = "untitled:x".parse().unwrap();
        let to = definition(&a, &uri, 2).expect("a definition");
        assert_eq!(to.range.start.line, 2);
        assert!(definition(&a, &uri, 32).is_none());
    }
}
