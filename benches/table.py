#!/usr/bin/env python3
"""Prints BENCHMARKS.md's tables from one run of benches/run.sh: means ± σ and the ratios to the peer
measured in the same run.

usage: python3 benches/table.py benches/runs/<date>
"""
import json, os, re, sys

run = sys.argv[1]
single = {r["command"]: r for r in json.load(open(os.path.join(run, "single.json")))["results"]}


def ms(name):
    r = single[name]
    return r["mean"] * 1e3, r["stddev"] * 1e3


def cell(name):
    m, s = ms(name)
    return f"{m:.2f} ± {s:.2f} ms (min {single[name]['min'] * 1e3:.2f})"


print(open(os.path.join(run, "machine.txt")).read().strip().replace("\n", "; "))
print()
print("| file (+ bad last line) | vsftpd refusing, isolated | vsconf human, isolated | isolation alone | "
      "net ratio vsconf/vsftpd | vsconf human, bare | vsconf json, bare |")
print("|---|---|---|---|---|---|---|")
iso = ms("isolation alone (/bin/true)")[0]
for n in ("typical-120", "flood-120", "debian-stock"):
    v = ms(f"vsftpd refusing {n} (isolated)")[0]
    h = ms(f"vsconf lint human {n} (isolated)")[0]
    net = (h - iso) / (v - iso) if v > iso else float("nan")
    print(f"| {n} | {cell(f'vsftpd refusing {n} (isolated)')} | {cell(f'vsconf lint human {n} (isolated)')} | "
          f"{iso:.2f} ms | **{net:.2f}×** (raw {h / v:.2f}×) | {cell(f'vsconf lint human {n}')} | "
          f"{cell(f'vsconf lint json {n}')} |")
print()
v, t = ms("vsconf --version")[0], ms("/bin/true")[0]
a, l = ms("augtool parse typical-120")[0], ms("vsconf lint json typical-120")[0]
print(f"| `vsconf --version` | {cell('vsconf --version')} | `/bin/true` {cell('/bin/true')} | {v / t:.2f}× |")
print(f"| augtool parse typical-120 | {cell('augtool parse typical-120')} | vsconf lint json (same file + 1 line) "
      f"{l:.2f} ms | vsconf {a / l:.1f}× faster |")
print()
bulk = {r["command"]: r for r in json.load(open(os.path.join(run, "bulk.json")))["results"]}
j, h = bulk["json"], bulk["human"]
rss = {}
for kind in ("json", "human"):
    text = open(os.path.join(run, f"bulk-time-{kind}.txt")).read()
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    rss[kind] = int(m.group(1)) / 1024 if m else float("nan")
print(f"| bulk json, 10,000 files | {j['mean']:.3f} ± {j['stddev']:.3f} s | **{10000 / j['mean']:,.0f} files/s** "
      f"(best run {10000 / j['min']:,.0f}) | peak RSS {rss['json']:.1f} MB |")
print(f"| bulk human, 10,000 files | {h['mean']:.3f} ± {h['stddev']:.3f} s | {10000 / h['mean']:,.0f} files/s | "
      f"peak RSS {rss['human']:.1f} MB | human/json **{h['mean'] / j['mean']:.2f}×** |")
print()
perf = {}
name = None
path = os.path.join(run, "perf-isolated.txt")
if os.path.exists(path):
    for line in open(path):
        if line.startswith("# "):
            name = line[2:].strip()
        elif "task-clock" in line:
            perf.setdefault(name, {})["ms"] = float(line.split()[0])
        elif "page-faults" in line:
            perf.setdefault(name, {})["faults"] = int(line.split()[0].replace(",", ""))
    print("| file (+ bad last line) | vsftpd task-clock (faults) | vsconf human task-clock (faults) | ratio | "
          "vsconf json task-clock | ratio |")
    print("|---|---|---|---|---|---|")
    for n in ("typical-120", "flood-120", "debian-stock"):
        v, h, j = perf.get(f"vsftpd {n}"), perf.get(f"human {n}"), perf.get(f"json {n}")
        if not (v and h and j):
            continue
        print(f"| {n} | {v['ms']:.2f} ms ({v['faults']}) | {h['ms']:.2f} ms ({h['faults']}) | **{h['ms'] / v['ms']:.2f}×** | "
              f"{j['ms']:.2f} ms ({j['faults']}) | {j['ms'] / v['ms']:.2f}× |")
    print()
print("instructions (callgrind):")
for line in open(os.path.join(run, "instructions.tsv")):
    n, ir, cmd = line.rstrip("\n").split("\t")
    print(f"- {n}: {int(ir):,} — `{cmd}`")
