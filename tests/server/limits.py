"""Drives the max_clients / max_per_ip plan of tests/server/load.rs against one server on 127.0.0.1.

Usage: limits.py PORT. Prints the first reply line of each connection, one per line, in order.
Every accepted connection stays open until the end; a refused one is read to its end (the server
closes it) and the server is given a moment to count it gone before the next step.
Plan (max_clients=40, max_per_ip=10): 12 from 127.0.0.2, then 10 each from 127.0.0.3-5, then one from
127.0.0.6 and one from 127.0.0.2.
"""
import socket
import sys
import time

PORT = int(sys.argv[1])


def connect(source):
    deadline = time.time() + 10
    while True:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(10)
        s.bind((source, 0))
        try:
            s.connect(("127.0.0.1", PORT))
            return s
        except OSError:
            s.close()
            if time.time() > deadline:
                raise
            time.sleep(0.1)


def first_line(s):
    data = b""
    while not data.endswith(b"\r\n"):
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8", "replace").split("\r\n")[0]


def drained(s):
    # A refused session ends: read to the end, then let the server count it gone.
    try:
        while s.recv(4096):
            pass
    except OSError:
        pass
    s.close()
    time.sleep(0.3)


kept = []
plan = ["127.0.0.2"] * 12 + ["127.0.0.3"] * 10 + ["127.0.0.4"] * 10 + ["127.0.0.5"] * 10
plan += ["127.0.0.6", "127.0.0.2"]
for source in plan:
    s = connect(source)
    line = first_line(s)
    print(line, flush=True)
    if line.startswith("220"):
        kept.append(s)
    else:
        drained(s)
for s in kept:
    s.close()
