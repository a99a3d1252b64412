#!/usr/bin/env bash
# Rebuilds the numbers in BENCHMARKS.md. Needs root (vsftpd checks the config owner; unshare), hyperfine,
# augtool (augeas-tools), GNU time, valgrind and the real vsftpd. Raw results go to benches/runs/<date>/;
# `python3 benches/table.py benches/runs/<date>` prints the tables with their ratios.
# VSCONF=path overrides the binary (e.g. an older build, to compare). NICE=-5 runs the timed parts at
# that priority (the machine is shared: say so beside the numbers).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${VSCONF:-}" ] || cargo build --release --locked -q
vsconf=$(realpath "${VSCONF:-target/release/vsconf}")
vsftpd=/usr/sbin/vsftpd
run="benches/runs/$(date -u +%Y-%m-%dT%H%M)"
mkdir -p "$run" /var/run/vsftpd/empty
nice_run() { nice -n "${NICE:-0}" "$@"; }
# vsftpd runs only isolated (no network, own pid namespace, killed after 2 s), and so does vsconf
# in the comparison row: both pay the same wrapper, measured alone as a third command.
iso="timeout -s KILL 2 unshare --net --pid --fork --kill-child"
{
  echo "machine: $(nproc) cores, $(uname -r), commit $(git rev-parse --short HEAD), $(date -u +%FT%TZ)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "vsconf: $vsconf ($(stat -c %s "$vsconf") bytes)"
} | tee "$run/machine.txt"

# Inputs: shipped files, each also with one bad last line so that vsftpd refuses it (a refusal is the
# only vsftpd run that ends by itself: the same work, read the file and report the first problem).
inputs=(benches/typical.conf tests/cli/fixtures/flood-120.conf examples/debian-stock.conf)
names=(typical-120 flood-120 debian-stock)
bad=()
for i in "${!inputs[@]}"; do
  f="/tmp/vsconf-bench-${names[$i]}.conf"
  cp "${inputs[$i]}" "$f"; printf 'Listen_port=21\n' >> "$f"; chown root:root "$f"; chmod 600 "$f"
  bad+=("$f")
done

echo "== same work: vsftpd refuses each bad file, vsconf reports the same text, augtool parses" | tee "$run/same-work.txt"
for f in "${bad[@]}"; do
  out="$run/vsftpd-$(basename "$f" .conf).out"; : > "$out"
  $iso "$vsftpd" "$f" 0<>"$out" >>"$out" 2>&1 || true
  { echo "$f"; echo "  vsftpd: $(head -c 200 "$out" | tr -d '\r')"
    echo "  vsconf: $("$vsconf" lint --no-config --format json "$f" | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["startup"]["message"])')"
  } | tee -a "$run/same-work.txt"
done
echo "augtool nodes for benches/typical.conf: $(augtool -A -t "Vsftpd.lns incl $PWD/benches/typical.conf" print "/files$PWD/benches/typical.conf" | wc -l)" | tee -a "$run/same-work.txt"

echo "== instructions (callgrind: user-space instructions, the same whatever else runs)"
{
  for f in "${bad[@]}"; do
    n=$(basename "$f" .conf)
    for cmd in "$vsftpd $f" "$vsconf lint --no-config --color never $f" "$vsconf lint --no-config --format json $f"; do
      ir=$( { ${iso/ 2 / 60 } valgrind --tool=callgrind --callgrind-out-file=/dev/null $cmd 2>&1 </dev/null >/dev/null || true; } | sed -n 's/.*Collected : //p')
      echo "$n	$ir	$cmd"
    done
  done
  for cmd in "$vsconf --version" /bin/true; do
    ir=$( { valgrind --tool=callgrind --callgrind-out-file=/dev/null $cmd 2>&1 >/dev/null || true; } | sed -n 's/.*Collected : //p')
    echo "startup	$ir	$cmd"
  done
} | tee "$run/instructions.tsv"

echo "== page faults and task-clock (perf stat -r 50)"
for cmd in "$vsconf --version" /bin/true "$vsconf lint --no-config --color never ${bad[0]}"; do
  echo "# $cmd"; perf stat -e page-faults,task-clock -r 50 $cmd 2>&1 >/dev/null | grep -E "page-faults|task-clock"
done | tee "$run/perf-stat.txt" || true

echo "== CPU time per process: perf stat -r 50 run inside the isolation, so only the measured process counts"
# task-clock is the CPU time of the process itself (exec, loader, page faults, work): far less noisy on
# a shared machine than wall-clock, which also counts the waits for a core.
for i in "${!bad[@]}"; do
  f=${bad[$i]}; n=${names[$i]}
  for who in vsftpd human json; do
    case $who in
      vsftpd) cmd="$vsftpd $f" ;;
      human) cmd="$vsconf lint --no-config --color never $f" ;;
      json) cmd="$vsconf lint --no-config --format json $f" ;;
    esac
    echo "# $who $n"
    ${iso/ 2 / 60 } perf stat -e page-faults,task-clock -r 50 $cmd 2>&1 </dev/null >/dev/null | grep -E "page-faults|task-clock" || true
  done
done | tee "$run/perf-isolated.txt"

echo "== single file, whole process (hyperfine -N)"
args=()
for i in "${!bad[@]}"; do
  f=${bad[$i]}; n=${names[$i]}
  args+=(-n "vsftpd refusing $n (isolated)" "$iso $vsftpd $f"
         -n "vsconf lint human $n (isolated)" "$iso $vsconf lint --no-config --color never $f"
         -n "vsconf lint human $n" "$vsconf lint --no-config --color never $f"
         -n "vsconf lint json $n" "$vsconf lint --no-config --format json $f")
done
args+=(-n "isolation alone (/bin/true)" "$iso /bin/true"
       -n "vsconf --version" "$vsconf --version"
       -n "/bin/true" "/bin/true"
       -n "augtool parse typical-120" "augtool -A -t 'Vsftpd.lns incl $PWD/benches/typical.conf' print /files$PWD/benches/typical.conf")
nice_run hyperfine -N --warmup 3 --min-runs 30 -i --export-json "$run/single.json" "${args[@]}"

echo "== bulk: 10000 real-world-looking files (benches/make_real_corpus.py, seed 42)"
corpus=/tmp/vsconf-real
rm -rf "$corpus"; python3 benches/make_real_corpus.py "$corpus" 10000 42
nice_run hyperfine -N --warmup 1 -i --runs 10 --export-json "$run/bulk.json" \
  -n "json" "$vsconf lint --no-config --format json $corpus" \
  -n "human" "$vsconf lint --no-config --color never $corpus"
/usr/bin/time -v "$vsconf" lint --no-config --format json "$corpus" 2> "$run/bulk-time-json.txt" > /dev/null || true
/usr/bin/time -v "$vsconf" lint --no-config --color never "$corpus" 2> "$run/bulk-time-human.txt" > /dev/null || true
grep -H -E "Maximum resident|Elapsed" "$run"/bulk-time-*.txt
"$vsconf" lint --no-config --color never "$corpus" 2>/dev/null | wc -l > "$run/bulk-human-lines.txt" || true
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$run/machine.txt"
rm -f "${bad[@]}"
python3 benches/table.py "$run" | tee "$run/table.md"
echo "raw results: $run"
