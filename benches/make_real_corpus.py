#!/usr/bin/env python3
"""Writes N real-world-looking configs for the bulk benchmarks (issue 14).

Each file starts from one of the shipped configs (examples/*.conf: Debian's and RHEL's stock files,
the chroot+TLS and anonymous archive setups, the passive-mode article, the CRLF copy) or
benches/typical.conf, and gets what years of hand edits do to such files, seeded:
settings switched on from their commented form, lines appended at the bottom that repeat earlier
ones, operator comments, a banner, trailing spaces, upper-case values, an indented line, CRLF endings
after a trip through Windows, a pasted second copy of a block, a typo'd name.

usage: python3 benches/make_real_corpus.py OUT_DIR [N=10000] [SEED=42]
"""
import glob, os, random, sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
bases = sorted(glob.glob(os.path.join(root, "examples", "*.conf"))) + [
    os.path.join(root, "benches", "typical.conf")
]
bases = [open(p, "rb").read().split(b"\n") for p in bases]
appended = [
    b"pasv_min_port=40000", b"pasv_max_port=40100", b"pasv_enable=YES", b"listen=YES",
    b"anonymous_enable=NO", b"local_enable=YES", b"write_enable=YES", b"chroot_local_user=YES",
    b"allow_writeable_chroot=YES", b"ssl_enable=YES", b"xferlog_enable=YES", b"use_localtime=YES",
    b"pasv_address=203.0.113.7", b"max_clients=50", b"max_per_ip=5", b"local_umask=022",
    b"ftpd_banner=Authorised users only. All activity is logged.", b"seccomp_sandbox=NO",
    b"user_sub_token=$USER", b"local_root=/srv/ftp/$USER", b"hide_ids=YES", b"idle_session_timeout=300",
]
notes = [
    b"# changed by ops, see ticket", b"# do not touch: firewall depends on this", b"#",
    b"# added after the 2019 migration", b"# TODO check with security",
]


def edit(lines):
    lines = list(lines)
    for _ in range(rng.randrange(0, 6)):
        kind = rng.randrange(10)
        j = rng.randrange(len(lines))
        line = lines[j]
        if kind == 0 and line.startswith(b"#") and b"=" in line and b" " not in line:
            lines[j] = line[1:]  # uncommented
        elif kind in (1, 2):
            lines.append(rng.choice(appended))  # appended at the bottom, often a repeat
        elif kind == 3:
            lines.insert(j, rng.choice(notes))
        elif kind == 4 and b"=" in line and not line.startswith(b"#"):
            lines[j] = line + b" "
        elif kind == 5 and line.endswith(b"=YES"):
            lines[j] = line[:-3] + b"yes"
        elif kind == 6 and b"=" in line and not line.startswith(b"#"):
            lines[j] = b"  " + line
        elif kind == 7:
            k = rng.randrange(len(lines))
            lines.extend(lines[k : k + rng.randrange(3, 12)])  # a block pasted twice
        elif kind == 8 and b"_" in line and not line.startswith(b"#"):
            lines[j] = line.replace(b"_", b"-", 1)  # a typo'd name
    if rng.randrange(20) == 0:
        lines = [l + b"\r" for l in lines]
    return lines


os.makedirs(out, exist_ok=True)
for i in range(n):
    text = b"\n".join(edit(rng.choice(bases)))
    with open(os.path.join(out, "c%05d.conf" % i), "wb") as f:
        f.write(text)
