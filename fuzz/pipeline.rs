//! The pipeline the fuzz target drives, shared with the regression test (`tests/bad_input/fuzz.rs`
//! includes this file): bytes → parse → model → lint → fix, then fix's output parsed and linted again.
//!
//! The first input byte chooses the dialect (low bits) and whether unsafe fixes apply (high bit); the
//! rest is the config. Every check is a promise of STYLE.md: parsing loses nothing, nothing panics, and
//! `fix` never makes vsftpd's verdict worse and reaches a fixed point. A broken promise panics, which
//! AFL++ records as a crash.

use vsconf::dialect::Dialect;
use vsconf::edit::fix::{FixOptions, fix};
use vsconf::edit::severity_rank;
use vsconf::rules::{LintOptions, lint};
use vsconf::syntax::parse;

/// Runs one input through the pipeline; panics with the broken promise.
pub fn check(input: &[u8]) {
    let (selector, text) = match input.split_first() {
        Some((s, t)) => (*s, t),
        None => (0, input),
    };
    let dialect = Dialect::ALL[usize::from(selector & 0x7f) % Dialect::ALL.len()];
    let unsafe_fixes = selector & 0x80 != 0;
    let options = LintOptions {
        dialect,
        ..LintOptions::default()
    };

    let parsed = parse(text);
    assert!(
        parsed.cst.print() == text,
        "parse(b).print() differs from b"
    );
    let before = lint(&parsed.cst, None, &options, None);

    let fix_options = FixOptions {
        lint: options.clone(),
        unsafe_fixes,
    };
    let fixed = fix(text, &fix_options);
    let reparsed = parse(&fixed.text);
    assert!(
        reparsed.cst.print() == fixed.text,
        "the fixed text does not print back"
    );
    let after = lint(&reparsed.cst, None, &options, None);
    let (rank_before, rank_after) = (
        severity_rank(&before.prediction),
        severity_rank(&after.prediction),
    );
    assert!(
        rank_after <= rank_before,
        "fix made the prediction worse ({dialect:?}): {:?} → {:?}",
        before.prediction.verdict,
        after.prediction.verdict
    );
    if before.prediction.verdict.starts() {
        assert!(
            after.prediction.verdict.starts(),
            "fix stopped vsftpd from starting ({dialect:?}): {:?}",
            after.prediction.verdict
        );
    }
    if fixed.converged {
        let twice = fix(&fixed.text, &fix_options);
        assert!(
            twice.text == fixed.text && twice.applied.is_empty(),
            "fix is not idempotent ({dialect:?}): a second run applied {} fixes",
            twice.applied.len()
        );
    }
}
