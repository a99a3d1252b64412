//! The fuzz target's pipeline (`fuzz/pipeline.rs`: parse → model → lint → fix → parse → lint) over every
//! input the fuzzer ever crashed on (`fuzz/regressions/`, kept by `fuzz/run.sh`) and over the shipped
//! examples under every dialect, so that a normal `cargo test` keeps each fixed crash fixed.

use std::path::Path;

#[path = "../../fuzz/pipeline.rs"]
mod pipeline;

fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    out.sort();
    out
}

#[test]
fn fuzz_regressions_pass_the_pipeline() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for path in files(&root.join("fuzz/regressions")) {
        let input = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| pipeline::check(&input));
        assert!(
            outcome.is_ok(),
            "{} fails the fuzz pipeline",
            path.display()
        );
    }
}

#[test]
fn examples_pass_the_fuzz_pipeline_under_every_dialect() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let configs = files(&root.join("examples"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "conf"));
    for path in configs {
        let text = std::fs::read(&path).unwrap();
        // Selector bytes: each dialect, safe fixes; then unsafe fixes.
        for selector in [0u8, 1, 2, 3, 4, 0x80, 0x81, 0x82, 0x83, 0x84] {
            let mut input = vec![selector];
            input.extend_from_slice(&text);
            let outcome = std::panic::catch_unwind(|| pipeline::check(&input));
            assert!(
                outcome.is_ok(),
                "{} (selector {selector:#x}) fails the fuzz pipeline",
                path.display()
            );
        }
    }
}
