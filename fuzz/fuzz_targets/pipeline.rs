//! AFL++ target: every input goes through `fuzz/pipeline.rs` (parse, model, lint, fix, re-lint).
//! Build and run: `fuzz/run.sh SECONDS` (docs/fuzzing.md).

#[path = "../pipeline.rs"]
mod pipeline;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        pipeline::check(data);
    });
}
