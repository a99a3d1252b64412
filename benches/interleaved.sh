#!/usr/bin/env bash
# Interleaved CPU time: usage `benches/interleaved.sh ROUNDS CMD...`. Each round runs
# `perf stat -e task-clock -r 40` of every command in turn; prints each command's median over the rounds.
# Interleaving spreads a shared machine's load drift over all commands alike, which back-to-back
# `perf stat` runs (benches/run.sh) do not.
set -euo pipefail
rounds=$1; shift
declare -A times
for _ in $(seq "$rounds"); do
  i=0
  for cmd in "$@"; do
    # shellcheck disable=SC2086 # each command is a word list on purpose
    # A refused config exits non-zero (and vsftpd writes its OOPS to fd 0): only perf's line counts.
    t=$({ perf stat -x, -e task-clock -r 40 $cmd 2>&1 >/dev/null </dev/null || true; } | grep task-clock | cut -d, -f1)
    times[$i]="${times[$i]:-} $t"; i=$((i+1))
  done
done
i=0
for cmd in "$@"; do
  median=$(tr ' ' '\n' <<<"${times[$i]}" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median ms  $cmd"; i=$((i+1))
done
