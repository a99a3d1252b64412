#!/usr/bin/env bash
# Rebuilds the numbers in BENCHMARKS.md. Needs root (vsftpd checks the config owner), hyperfine,
# augtool (augeas-tools), GNU time and the real vsftpd. Raw hyperfine JSON goes to benches/runs/<date>/.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q
run="benches/runs/$(date -u +%Y-%m-%dT%H%M)"
mkdir -p "$run" /var/run/vsftpd/empty
vsconf=target/release/vsconf
typical=benches/typical.conf
bad=$(mktemp /tmp/vsconf-bench-XXXX.conf); cp benches/typical-bad-last-line.conf "$bad"; chown root:root "$bad"

echo "== same work: vsftpd refuses the bad file, vsconf reports the same text, augtool parses it"
: > "$run/vsftpd.out"; /usr/sbin/vsftpd "$bad" 0<>"$run/vsftpd.out" || true
head -c 200 "$run/vsftpd.out"; echo
$vsconf lint --no-config --format json "$bad" | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["startup"]["message"])' || true
augtool -A -t "Vsftpd.lns incl $PWD/$typical" print "/files$PWD/$typical" | wc -l

echo "== single file"
hyperfine -N --warmup 3 -i --export-json "$run/single.json" \
  -n "vsconf lint (120 lines, upstream)" "$vsconf lint --no-config $typical" \
  -n "vsconf lint (bad last line)" "$vsconf lint --no-config $bad" \
  -n "vsftpd refusing (bad last line)" "/usr/sbin/vsftpd $bad" \
  -n "augtool parse" "augtool -A -t 'Vsftpd.lns incl $PWD/$typical' print /files$PWD/$typical"

echo "== bulk: 10000 files"
corpus=/tmp/vsconf-corpus
rm -rf "$corpus"; python3 benches/make_corpus.py "$corpus" 10000 42
hyperfine -N --warmup 1 -i --runs 5 --export-json "$run/bulk.json" \
  -n "vsconf lint 10000 files (json)" "$vsconf lint --no-config --format json $corpus"
/usr/bin/time -v $vsconf lint --no-config --format json "$corpus" 2> "$run/bulk-time.txt" > /dev/null || true
grep -E "Maximum resident|Elapsed" "$run/bulk-time.txt"
rm -f "$bad"
echo "raw results: $run"
