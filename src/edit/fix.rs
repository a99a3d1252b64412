//! `fix`: applies the fixes the rules attach to their diagnostics, round after round, until nothing
//! changes.
//!
//! Generic over rules: whatever `rules::lint` reports with a `Fix` is a candidate. Safe fixes are
//! applied by default, unsafe ones (behaviour changes) only when asked. In each round the candidates
//! are sorted by position and the ones whose edits overlap an earlier pick wait for the next round; the
//! result is re-parsed and re-linted, and the loop ends when no fix applies (or after [`MAX_ROUNDS`]).
//!
//! Safe fixes go first: unsafe ones are considered only in rounds where no safe fix is left, so they
//! see the file as the safe fixes leave it.
//!
//! Guard: a round never makes the startup prediction worse (see [`super::severity_rank`]). If the batch
//! would, each fix is tried alone and the ones that would are rejected and reported, so `fix` never turns
//! a config vsftpd starts with into one it refuses.

use serde::Serialize;

use crate::diagnostic::{Applicability, Diagnostic, Fix, apply_edits};
use crate::rules::{LintOptions, lint};
use crate::startup::Prediction;
use crate::syntax::{Cst, LineIndex, parse};

use super::severity_rank;

/// Rounds after which `fix` stops even if fixes keep coming.
pub const MAX_ROUNDS: usize = 8;

/// How to fix.
#[derive(Clone, Default)]
pub struct FixOptions {
    /// Dialect, rule selection and suppressions, as for `lint`.
    pub lint: LintOptions,
    /// Also apply fixes that change behaviour.
    pub unsafe_fixes: bool,
}

/// A fix that was applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedFix {
    /// The rule's code.
    pub code: &'static str,
    /// The rule's name.
    pub name: &'static str,
    /// What the fix did.
    pub title: String,
    /// Safe or unsafe.
    pub applicability: Applicability,
    /// 1-based line of the finding in the file as it was before `fix` (a line an earlier round
    /// inserted is cited by the line it was inserted at).
    pub line: u32,
    /// The round (from 1).
    pub round: usize,
}

/// A fix that was not applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedFix {
    /// The rule's code.
    pub code: &'static str,
    /// The rule's name.
    pub name: &'static str,
    /// What the fix would do.
    pub title: String,
    /// 1-based line in the file as it was before `fix`.
    pub line: u32,
    /// Why it was not applied.
    pub reason: SkipReason,
}

/// Why a fix was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// It changes behaviour and `--unsafe` was not given.
    NeedsUnsafe,
    /// It would make vsftpd's startup prediction worse.
    WorsensStartup,
}

/// The result of `fix`.
#[derive(Debug, Clone)]
pub struct FixOutcome {
    /// The fixed file.
    pub text: Vec<u8>,
    /// Fixes applied, in order.
    pub applied: Vec<AppliedFix>,
    /// Fixes left out.
    pub skipped: Vec<SkippedFix>,
    /// Rounds run.
    pub rounds: usize,
    /// Whether the last round found nothing more to apply.
    pub converged: bool,
}

fn allowed(fix: &Fix, options: &FixOptions) -> bool {
    fix.applicability == Applicability::Safe || options.unsafe_fixes
}

/// The byte range a fix touches (insertions count as touching their offset).
fn extent(fix: &Fix) -> Option<(u32, u32)> {
    let start = fix.edits.iter().map(|e| e.span.start).min()?;
    let end = fix.edits.iter().map(|e| e.span.end).max()?;
    Some((start, end))
}

/// Picks fixes whose extents do not overlap, in position order.
fn select<'a>(candidates: &[&'a Diagnostic]) -> Vec<&'a Diagnostic> {
    let mut picked: Vec<&Diagnostic> = Vec::new();
    let mut taken: Vec<(u32, u32)> = Vec::new();
    for d in candidates {
        let Some((start, end)) = d.fix.as_ref().and_then(extent) else {
            continue;
        };
        // Overlapping edits, or two edits at one offset (whose order would be arbitrary), wait.
        let clashes = taken
            .iter()
            .any(|(s, e)| (start < *e && *s < end) || start == *s);
        if !clashes {
            taken.push((start, end));
            picked.push(d);
        }
    }
    picked
}

fn apply_all(text: &[u8], picked: &[&Diagnostic]) -> Option<Vec<u8>> {
    let mut edits: Vec<_> = picked
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .flat_map(|f| f.edits.iter().cloned())
        .collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    apply_edits(text, &edits)
}

fn predict(text: &[u8], options: &LintOptions) -> Prediction {
    let cst = parse(text).cst;
    let config = crate::model::EffectiveConfig::read(&cst, options.dialect, None);
    crate::startup::predict(&config, cst.text())
}

/// The edits of one round: old start, old end, new length (sorted by start).
type RoundEdits = Vec<(u32, u32, u32)>;

fn round_edits(picked: &[&Diagnostic]) -> RoundEdits {
    let mut out: RoundEdits = picked
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .flat_map(|f| f.edits.iter())
        .map(|e| {
            (
                e.span.start,
                e.span.end,
                u32::try_from(e.replacement.len()).unwrap_or(u32::MAX),
            )
        })
        .collect();
    out.sort_unstable();
    out
}

/// Maps a byte offset in the text after `rounds` back to the original text. An offset inside a
/// replacement maps to the start of what it replaced.
fn to_original(offset: u32, rounds: &[RoundEdits]) -> u32 {
    let mut p = i64::from(offset);
    for edits in rounds.iter().rev() {
        let mut delta: i64 = 0;
        let mut mapped = None;
        for &(start, end, new_len) in edits {
            let new_start = i64::from(start) + delta;
            if p < new_start {
                break;
            }
            if p < new_start + i64::from(new_len) {
                mapped = Some(i64::from(start));
                break;
            }
            delta += i64::from(new_len) - (i64::from(end) - i64::from(start));
        }
        p = mapped.unwrap_or(p - delta).max(0);
    }
    u32::try_from(p).unwrap_or(u32::MAX)
}

/// A fix's identity across rounds: its rule, its title and the line it edits.
fn key(d: &Diagnostic, text: &[u8]) -> (String, String, Vec<u8>) {
    let line = d.fix.as_ref().and_then(extent).map(|(s, _)| {
        let start = text
            .get(..s as usize)
            .and_then(|t| t.iter().rposition(|b| *b == b'\n'))
            .map_or(0, |p| p + 1);
        let end = text
            .get(start..)
            .and_then(|t| t.iter().position(|b| *b == b'\n'))
            .map_or(text.len(), |p| start + p);
        text.get(start..end).unwrap_or_default().to_vec()
    });
    (
        d.code.to_owned(),
        d.fix.as_ref().map(|f| f.title.clone()).unwrap_or_default(),
        line.unwrap_or_default(),
    )
}

/// Applies the fixes of the lint engine's diagnostics until the file stops changing.
pub fn fix(text: &[u8], options: &FixOptions) -> FixOutcome {
    fix_with(text, options, &|cst: &Cst| {
        lint(cst, None, &options.lint, None).diagnostics
    })
}

/// [`fix`] with another source of diagnostics (tests use it to exercise fixes no rule emits yet).
pub fn fix_with(
    text: &[u8],
    options: &FixOptions,
    diagnose: &dyn Fn(&Cst) -> Vec<Diagnostic>,
) -> FixOutcome {
    let mut current = text.to_vec();
    let original = LineIndex::new(text);
    let mut history: Vec<RoundEdits> = Vec::new();
    let mut applied = Vec::new();
    let mut rejected: Vec<(String, String, Vec<u8>)> = Vec::new();
    let mut rejected_report = Vec::new();
    let mut rounds = 0;
    let mut converged = false;
    while rounds < MAX_ROUNDS {
        let diagnostics = diagnose(&parse(&current).cst);
        let rank = severity_rank(&predict(&current, &options.lint));
        let mut candidates: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| allowed(f, options) && !f.edits.is_empty())
            })
            .filter(|d| !rejected.contains(&key(d, &current)))
            .collect();
        // Safe fixes first: an unsafe fix is judged on the file as the safe ones leave it (a byte order
        // mark hiding `listen=YES` must not make the inetd-mode fix add a second one).
        if candidates.iter().any(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
        }) {
            candidates.retain(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| f.applicability == Applicability::Safe)
            });
        }
        let mut picked = select(&candidates);
        if picked.is_empty() {
            converged = true;
            break;
        }
        rounds += 1;
        let mut next = apply_all(&current, &picked);
        let worse = |t: &Option<Vec<u8>>| {
            t.as_ref()
                .is_none_or(|t| severity_rank(&predict(t, &options.lint)) > rank)
        };
        if worse(&next) {
            // Find the culprits one by one; keep the rest.
            let mut kept = Vec::new();
            for d in picked {
                if worse(&apply_all(&current, &[d])) {
                    rejected.push(key(d, &current));
                    rejected_report.push((*d).clone());
                } else {
                    kept.push(d);
                }
            }
            picked = kept;
            next = apply_all(&current, &picked);
            if worse(&next) {
                picked.truncate(1);
                next = apply_all(&current, &picked);
            }
        }
        for d in &picked {
            if let Some(f) = &d.fix {
                applied.push(AppliedFix {
                    code: d.code,
                    name: d.name,
                    title: f.title.clone(),
                    applicability: f.applicability,
                    line: original
                        .line_column(to_original(d.span.start, &history))
                        .line
                        .0,
                    round: rounds,
                });
            }
        }
        if picked.is_empty() {
            continue;
        }
        match next {
            Some(n) if n != current => {
                history.push(round_edits(&picked));
                current = n;
            }
            _ => {
                converged = true;
                break;
            }
        }
    }
    // Skips are found in the final text but cited in the file as it was: people read that one.
    let cite = |offset: u32| original.line_column(to_original(offset, &history)).line.0;
    let skipped = final_skips(&current, options, diagnose, &rejected_report, &cite);
    FixOutcome {
        text: current,
        applied,
        skipped,
        rounds,
        converged,
    }
}

fn final_skips(
    text: &[u8],
    options: &FixOptions,
    diagnose: &dyn Fn(&Cst) -> Vec<Diagnostic>,
    rejected: &[Diagnostic],
    cite: &dyn Fn(u32) -> u32,
) -> Vec<SkippedFix> {
    let mut skipped = Vec::new();
    for d in &diagnose(&parse(text).cst) {
        let Some(f) = &d.fix else { continue };
        let line = cite(d.span.start);
        let reason = if !allowed(f, options) {
            SkipReason::NeedsUnsafe
        } else if rejected
            .iter()
            .any(|r| r.code == d.code && r.fix.as_ref().map(|x| &x.title) == Some(&f.title))
        {
            SkipReason::WorsensStartup
        } else {
            continue;
        };
        skipped.push(SkippedFix {
            code: d.code,
            name: d.name,
            title: f.title.clone(),
            line,
            reason,
        });
    }
    skipped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;

    #[test]
    fn offsets_map_back_through_rounds() {
        // Round 1 inserts 4 bytes at 0; round 2 replaces bytes 10..12 by 1 byte.
        let history = vec![vec![(0, 0, 4)], vec![(10, 12, 1)]];
        assert_eq!(to_original(2, &history), 0, "inside an insertion");
        assert_eq!(to_original(4, &history), 0);
        assert_eq!(to_original(9, &history), 5);
        assert_eq!(
            to_original(10, &history),
            6,
            "inside a replacement: its start"
        );
        assert_eq!(to_original(11, &history), 8, "after a shrink");
    }

    fn options() -> FixOptions {
        FixOptions {
            lint: LintOptions {
                dialect: Dialect::Debian303,
                ..LintOptions::default()
            },
            unsafe_fixes: false,
        }
    }

    #[test]
    fn renames_case_variants_and_typos() {
        let out = fix(
            b"listen=YES\nPort_enable=YES\nFtp_date_port=20\nlocal_enable=YES\n",
            &options(),
        );
        assert_eq!(
            out.text,
            b"listen=YES\nport_enable=YES\nftp_data_port=20\nlocal_enable=YES\n"
        );
        let titles: Vec<&str> = out.applied.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            vec!["rename to `port_enable`", "rename to `ftp_data_port`"]
        );
        assert!(out.converged);
        assert_eq!(out.rounds, 1);
    }

    #[test]
    fn nothing_to_fix_is_zero_rounds() {
        let out = fix(b"listen=YES\n", &options());
        assert_eq!(out.text, b"listen=YES\n");
        assert_eq!(out.rounds, 0);
        assert!(out.converged && out.applied.is_empty());
    }

    /// A stand-in rule: on every line `#add-ipv6`, an unsafe fix replacing it with `listen_ipv6=YES` (which
    /// stops a `listen=YES` config), and on every line `Listen=…`, two competing safe renames.
    fn fake(cst: &Cst) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for line in cst.lines() {
            let text = cst.slice(line.content);
            if text == b"#add-ipv6" {
                let fix = Fix::new(
                    "enable IPv6",
                    Applicability::Unsafe,
                    vec![crate::diagnostic::Edit::replace(
                        line.content,
                        "listen_ipv6=YES",
                    )],
                );
                out.push(
                    Diagnostic::new(
                        "VSC999",
                        "fake",
                        crate::diagnostic::Severity::Warning,
                        line.content,
                        "fake",
                    )
                    .fix(fix),
                );
            }
            if text.starts_with(b"Listen=") {
                let name = crate::syntax::Span::new(line.content.start, line.content.start + 6);
                for to in ["listen", "LISTEN"] {
                    let fix = Fix::new(
                        format!("rename to {to}"),
                        Applicability::Safe,
                        vec![crate::diagnostic::Edit::replace(name, to)],
                    );
                    out.push(
                        Diagnostic::new(
                            "VSC998",
                            "fake",
                            crate::diagnostic::Severity::Error,
                            name,
                            "fake",
                        )
                        .fix(fix),
                    );
                }
            }
        }
        out
    }

    #[test]
    fn unsafe_fixes_wait_for_the_flag() {
        let text = b"listen=YES\nlocal_enable=YES\n#add-ipv6\n";
        let out = fix_with(text, &options(), &fake);
        assert_eq!(out.text, text);
        assert_eq!(out.skipped.len(), 1);
        assert_eq!(out.skipped[0].reason, SkipReason::NeedsUnsafe);
    }

    #[test]
    fn a_fix_that_would_stop_vsftpd_is_rejected() {
        let text = b"listen=YES\nlocal_enable=YES\n#add-ipv6\n";
        let mut o = options();
        o.unsafe_fixes = true;
        let out = fix_with(text, &o, &fake);
        assert_eq!(
            out.text, text,
            "the config starts; with listen_ipv6=YES it would not"
        );
        assert!(out.applied.is_empty());
        assert_eq!(out.skipped.len(), 1);
        assert_eq!(out.skipped[0].reason, SkipReason::WorsensStartup);
        assert!(out.converged);
    }

    #[test]
    fn overlapping_fixes_apply_one_at_a_time() {
        let out = fix_with(b"Listen=YES\nlocal_enable=YES\n", &options(), &fake);
        assert_eq!(out.text, b"listen=YES\nlocal_enable=YES\n");
        assert_eq!(out.applied.len(), 1);
        assert_eq!(out.applied[0].title, "rename to listen");
    }

    #[test]
    fn a_refused_file_may_stay_refused_after_a_rename() {
        // `Listen_ipv6` is not read by vsftpd; renaming it would give two listeners, which vsftpd refuses.
        // The file is already refused (unrecognised variable), so the rename is allowed: same rank.
        let out = fix(
            b"listen=YES\nListen_ipv6=YES\nlocal_enable=YES\n",
            &options(),
        );
        assert_eq!(out.text, b"listen=YES\nlisten_ipv6=YES\nlocal_enable=YES\n");
    }
}
