#!/usr/bin/env bash
# Rebuilds the numbers in BENCHMARKS.md. Needs root (vsftpd checks the config owner), hyperfine,
# augtool (augeas-tools), GNU time and the real vsftpd. Raw hyperfine JSON goes to benches/runs/<date>/.
# VSCONF=path overrides the binary (e.g. an older build, to compare).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${VSCONF:-}" ] || cargo build --release --locked -q
vsconf=${VSCONF:-target/release/vsconf}
run="benches/runs/$(date -u +%Y-%m-%dT%H%M)"
mkdir -p "$run" /var/run/vsftpd/empty
echo "machine: $(nproc) cores, $(uname -r), load: $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)" | tee "$run/machine.txt"
typical=benches/typical.conf
bad=$(mktemp /tmp/vsconf-bench-XXXX.conf); cp benches/typical-bad-last-line.conf "$bad"; chown root:root "$bad"
flood=$(mktemp /tmp/vsconf-flood-XXXX.conf); cp tests/cli/fixtures/flood-120.conf "$flood"; echo "Listen_port=21" >> "$flood"

echo "== same work: vsftpd refuses the bad files, vsconf reports the same text, augtool parses"
for f in "$bad" "$flood"; do
  : > "$run/vsftpd.out"; /usr/sbin/vsftpd "$f" 0<>"$run/vsftpd.out" || true
  head -c 200 "$run/vsftpd.out"; echo
  $vsconf lint --no-config --format json "$f" | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["startup"]["message"])' || true
done
augtool -A -t "Vsftpd.lns incl $PWD/$typical" print "/files$PWD/$typical" | wc -l

echo "== single file, whole process"
hyperfine -N --warmup 3 -i --export-json "$run/single.json" \
  -n "vsftpd refusing (120 lines, bad last line)" "/usr/sbin/vsftpd $bad" \
  -n "vsconf lint human (same file)" "$vsconf lint --no-config --color never $bad" \
  -n "vsconf lint json (same file)" "$vsconf lint --no-config --format json $bad" \
  -n "vsftpd refusing (flood-120 + bad last line)" "/usr/sbin/vsftpd $flood" \
  -n "vsconf lint human (flood-120 + bad last line)" "$vsconf lint --no-config --color never $flood" \
  -n "vsconf --version" "$vsconf --version" \
  -n "/bin/true" "/bin/true" \
  -n "augtool parse (typical.conf)" "augtool -A -t 'Vsftpd.lns incl $PWD/$typical' print /files$PWD/$typical"

echo "== bulk: 10000 real-world-looking files (benches/make_real_corpus.py, seed 42)"
corpus=/tmp/vsconf-real
rm -rf "$corpus"; python3 benches/make_real_corpus.py "$corpus" 10000 42
hyperfine -N --warmup 1 -i --runs 5 --export-json "$run/bulk.json" \
  -n "json" "$vsconf lint --no-config --format json $corpus" \
  -n "human" "$vsconf lint --no-config --color never $corpus"
/usr/bin/time -v $vsconf lint --no-config --format json "$corpus" 2> "$run/bulk-time-json.txt" > /dev/null || true
/usr/bin/time -v $vsconf lint --no-config --color never "$corpus" 2> "$run/bulk-time-human.txt" > /dev/null || true
grep -H -E "Maximum resident|Elapsed" "$run"/bulk-time-*.txt
$vsconf lint --no-config --color never "$corpus" | wc -l > "$run/bulk-human-lines.txt" || true
rm -f "$bad" "$flood"
echo "raw results: $run"
