#!/usr/bin/env python3
"""Load driver for benches/server.sh: CLIENTS concurrent anonymous sessions, each listing the root
ROUNDS times over passive data connections. Prints one JSON object: wall time, listings per second,
listing bytes per session (the same-work check) and errors.

    python3 server_driver.py HOST PORT CLIENTS ROUNDS
"""
import json
import socket
import sys
import threading
import time

TIMEOUT = 30


def reply(f):
    line = f.readline()
    code = line[:3]
    if line[3:4] == b"-":
        while True:
            more = f.readline()
            if not more or (more[:3] == code and more[3:4] == b" "):
                break
    return line


def session(host, port, rounds, barrier, out):
    stage = "connect"
    try:
        barrier.wait()
        s = socket.create_connection((host, port), timeout=TIMEOUT)
        f = s.makefile("rb")
        assert reply(f).startswith(b"220")
        s.sendall(b"USER anonymous\r\n")
        reply(f)
        s.sendall(b"PASS x\r\n")
        assert reply(f).startswith(b"230")
        total = 0
        for _ in range(rounds):
            stage = "PASV"
            s.sendall(b"PASV\r\n")
            r = reply(f).decode()
            nums = r[r.index("(") + 1:r.index(")")].split(",")
            d = socket.create_connection((host, int(nums[4]) * 256 + int(nums[5])), timeout=TIMEOUT)
            stage = "LIST"
            s.sendall(b"LIST\r\n")
            assert reply(f).startswith(b"150")
            stage = "data"
            while True:
                chunk = d.recv(65536)
                if not chunk:
                    break
                total += len(chunk)
            d.close()
            stage = "226"
            assert reply(f).startswith(b"226")
        s.sendall(b"QUIT\r\n")
        reply(f)
        s.close()
        out.append(total)
    except Exception as e:  # noqa: BLE001 - every failure is counted, none stops the run
        out.append("error at %s: %r" % (stage, e))


def main():
    host, port, clients, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    barrier = threading.Barrier(clients + 1)
    out = []
    threads = [threading.Thread(target=session, args=(host, port, rounds, barrier, out)) for _ in range(clients)]
    for t in threads:
        t.start()
    start = time.monotonic()
    barrier.wait()
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    sizes = sorted({x for x in out if isinstance(x, int)})
    errors = [x for x in out if not isinstance(x, int)]
    print(json.dumps({
        "clients": clients,
        "rounds": rounds,
        "seconds": round(wall, 3),
        "listings_per_second": round((clients - len(errors)) * rounds / wall, 1),
        "bytes_per_session": sizes,
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
    }))


if __name__ == "__main__":
    main()
