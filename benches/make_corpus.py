#!/usr/bin/env python3
"""Writes N configs derived from benches/typical.conf with seeded mutations, for the bulk benchmark.

usage: python3 benches/make_corpus.py OUT_DIR [N=10000] [SEED=42]
"""
import os, random, sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
base = open(os.path.join(os.path.dirname(__file__), "typical.conf"), "rb").read().split(b"\n")
os.makedirs(out, exist_ok=True)
mutations = [
    lambda l: l.upper() if b"=" in l else l,
    lambda l: b"  " + l,
    lambda l: l + b"\r",
    lambda l: l.replace(b"=", b" = ", 1),
    lambda l: l + b" ",
    lambda l: l.replace(b"YES", b"yes"),
    lambda l: l.replace(b"YES", b"on"),
    lambda l: l + b"abc" if l[-1:].isdigit() else l,
]
for i in range(n):
    lines = list(base)
    for _ in range(rng.randrange(0, 3)):
        j = rng.randrange(len(lines))
        if lines[j]:
            lines[j] = rng.choice(mutations)(lines[j])
    with open(os.path.join(out, "c%05d.conf" % i), "wb") as f:
        f.write(b"\n".join(lines))
