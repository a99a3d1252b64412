#!/usr/bin/env bash
# Builds the AFL++ target and fuzzes the lint/fix pipeline for SECONDS (default 60), niced.
#   fuzz/run.sh [SECONDS]
# Seeds: fuzz/regressions/, every examples/*.conf under every selector byte, each rules/VSC*/*.conf once.
# A crash fails the run: each crashing input is copied to fuzz/regressions/ (which `cargo test --test
# bad_input` runs through the same pipeline) and printed with the command that reproduces it. Hangs are
# reported, not failed (a loaded machine makes them flaky). Output stays in fuzz/out/ for inspection;
# docs/fuzzing.md says how to fuzz longer.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
export PATH="$HOME/.cargo/bin:$PATH"

nice cargo afl build --release --locked --quiet
target="$PWD/target/release/pipeline"

seeds="$PWD/out/seeds"
rm -rf "$seeds" out/default
mkdir -p "$seeds"
n=0
selectors=('\000' '\001' '\002' '\003' '\004' '\200' '\201' '\202' '\203' '\204')
for f in regressions/*; do
  [ -f "$f" ] && [ "$(basename "$f")" != .gitkeep ] || continue
  cp "$f" "$seeds/r$n"
  n=$((n + 1))
done
# The examples under every dialect, safe and unsafe; each rule fixture once, the selectors in turn.
for f in ../examples/*.conf; do
  for selector in "${selectors[@]}"; do
    { printf "$selector"; cat "$f"; } > "$seeds/e$n"
    n=$((n + 1))
  done
done
for f in ../rules/VSC*/*.conf; do
  { printf "${selectors[$((n % 10))]}"; cat "$f"; } > "$seeds/f$n"
  n=$((n + 1))
done
echo "fuzz: $n seeds, $seconds s" >&2

# No UI, no CPU pinning (other processes share the cores), no core-dump helper check (CI's machine
# may pipe cores to a handler), no CPU frequency check.
AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  AFL_SKIP_CRASHES=1 AFL_IGNORE_SEED_PROBLEMS=1 \
  nice cargo afl fuzz -V "$seconds" -t 5000 -i "$seeds" -o out -- "$target" > out/afl.log 2>&1 || {
    echo "fuzz: afl-fuzz failed:" >&2
    tail -n 30 out/afl.log >&2
    exit 1
  }
grep -E '^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|run_time)' out/default/fuzzer_stats >&2 || true

crashes=0
for c in out/default/crashes/id:*; do
  [ -f "$c" ] || continue
  name="crash-$(sha1sum "$c" | cut -c1-16)"
  cp "$c" "regressions/$name"
  echo "fuzz: crash kept as fuzz/regressions/$name; reproduce: cargo test --test bad_input fuzz" >&2
  crashes=$((crashes + 1))
done
hangs=$(find out/default/hangs -name 'id:*' 2>/dev/null | wc -l)
[ "$hangs" = 0 ] || echo "fuzz: $hangs hang(s) in fuzz/out/default/hangs (not failed: see docs/fuzzing.md)" >&2
if [ "$crashes" != 0 ]; then
  echo "fuzz: $crashes crash(es)" >&2
  exit 1
fi
echo "fuzz: no crash" >&2
