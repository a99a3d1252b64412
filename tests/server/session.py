#!/usr/bin/env python3
"""Runs one scripted FTP session and prints what the server said, as JSON.

Used by the differential tests (the same script against the real vsftpd and against `vsconf serve`) and
by hand:  python3 session.py HOST PORT '<steps as JSON>'

Steps (a JSON list):
  ["cmd", "TEXT"]                  send a command, read one reply
  ["read"]                         read one reply without sending (e.g. the 220 greeting)
  ["data", "CMD", "pasv|epsv|port|eprt", UPLOAD or null]
                                   open a data connection the way given, send CMD, move the data
                                   (download, or upload of the UTF-8 string UPLOAD), read the replies
  ["tls"]                          AUTH TLS, then wrap the control connection if the reply is 234
  ["implicit_tls"]                 wrap the control connection before reading anything
  ["tlsdata", true|false]          whether data connections are wrapped in TLS (reusing the session)
  ["tlsdata_noreuse"]              data connections use TLS without resuming the control session
  ["sleep", SECONDS]               wait, then read whatever arrives (a reply, or the connection closing)
  ["close"]                        close the connection
  ["second"]                       open a second connection and record its first reply (kept open)
  ["raw", "TEXT"]                  send TEXT as is (no CRLF added), read one reply

Observations: every reply as its list of lines (without CRLF); passive ports and active ports are
replaced by "P" in the text and reported separately under "ports" so that callers can check the range.
A closed connection is the reply ["<closed>"], a timeout ["<timeout>"].
"""
import json
import re
import socket
import ssl
import sys

TIMEOUT = float(__import__("os").environ.get("SESSION_TIMEOUT", "5"))
MAX_LINE = 8192


class Closed(Exception):
    pass


def main():
    host, port, steps = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
    out = {"replies": [], "ports": [], "data": []}
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    state = {"tlsdata": False, "reuse": True}
    import time
    deadline = time.time() + TIMEOUT
    while True:
        try:
            sock = socket.create_connection((host, port), timeout=TIMEOUT)
            break
        except ConnectionRefusedError:
            if time.time() > deadline:
                out["replies"].append(["<connect failed: ConnectionRefusedError>"])
                print(json.dumps(out))
                return
            time.sleep(0.05)
        except OSError as e:
            out["replies"].append(["<connect failed: %s>" % e.__class__.__name__])
            print(json.dumps(out))
            return
    extra = []
    conn = {"sock": sock, "buf": b""}

    def readline():
        while b"\n" not in conn["buf"]:
            if len(conn["buf"]) > MAX_LINE:
                raise Closed("<line too long>")
            try:
                chunk = conn["sock"].recv(4096)
            except socket.timeout:
                raise Closed("<timeout>")
            except (ConnectionError, ssl.SSLError, OSError):
                raise Closed("<closed>")
            if not chunk:
                raise Closed("<closed>")
            conn["buf"] += chunk
        line, _, rest = conn["buf"].partition(b"\n")
        conn["buf"] = rest
        return line.rstrip(b"\r").decode("utf-8", "replace")

    def reply():
        try:
            lines = [readline()]
            if len(lines[0]) > 3 and lines[0][3] == "-":
                code = lines[0][:3]
                while True:
                    line = readline()
                    lines.append(line)
                    if line[:3] == code and line[3:4] == " ":
                        break
        except Closed as e:
            lines = [str(e)] if not locals().get("lines") else lines + [str(e)]
        return lines

    def record(text_lines):
        norm = []
        for line in text_lines:
            m = re.match(r"^227 Entering Passive Mode \((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)\.$", line)
            if m:
                out["ports"].append(int(m.group(5)) * 256 + int(m.group(6)))
                line = "227 Entering Passive Mode (%s,%s,%s,%s,P)." % m.groups()[:4]
            m = re.match(r"^229 Entering Extended Passive Mode \(\|\|\|(\d+)\|\)$", line)
            if m:
                out["ports"].append(int(m.group(1)))
                line = "229 Entering Extended Passive Mode (|||P|)"
            norm.append(line)
        out["replies"].append(norm)
        return text_lines

    def send(text):
        conn["sock"].sendall(text.encode("utf-8") + b"\r\n")

    def wrap_data(dsock):
        if not state["tlsdata"]:
            return dsock
        session = conn["sock"].session if state["reuse"] and isinstance(conn["sock"], ssl.SSLSocket) else None
        return ctx.wrap_socket(dsock, session=session)

    def data(cmd, mode, upload):
        listener = None
        dsock = None
        if mode in ("pasv", "epsv"):
            send(mode.upper())
            r = reply()
            record(r)
            m = re.search(r"\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)", r[0]) if mode == "pasv" else re.search(r"\|\|\|(\d+)\|", r[0])
            if not m:
                return
            dport = int(m.group(5)) * 256 + int(m.group(6)) if mode == "pasv" else int(m.group(1))
            try:
                dsock = socket.create_connection((host, dport), timeout=TIMEOUT)
            except OSError as e:
                out["data"].append("<data connect failed: %s>" % e.__class__.__name__)
                return
        else:
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.bind((conn["sock"].getsockname()[0], 0))
            listener.listen(1)
            listener.settimeout(TIMEOUT)
            lport = listener.getsockname()[1]
            addr = conn["sock"].getsockname()[0]
            if mode == "port":
                send("PORT %s,%d,%d" % (addr.replace(".", ","), lport >> 8, lport & 255))
            else:
                send("EPRT |1|%s|%d|" % (addr, lport))
            r = reply()
            record([line.replace(str(lport), "P") for line in r])
            if not r[0].startswith("200"):
                listener.close()
                return
        send(cmd)
        first = reply()
        record(first)
        if not first[0].startswith("1"):
            if dsock:
                dsock.close()
            if listener:
                listener.close()
            return
        got = b""
        try:
            if listener:
                dsock, peer = listener.accept()
                out["data_source_ports"] = out.get("data_source_ports", []) + [peer[1]]
            dsock.settimeout(TIMEOUT)
            dsock = wrap_data(dsock)
            if upload is not None:
                dsock.sendall(upload.encode("utf-8"))
            else:
                while True:
                    chunk = dsock.recv(65536)
                    if not chunk:
                        break
                    got += chunk
            try:
                if isinstance(dsock, ssl.SSLSocket):
                    dsock = dsock.unwrap()
            except (ssl.SSLError, OSError):
                pass
            dsock.close()
        except (OSError, ssl.SSLError) as e:
            got = ("<data error: %s>" % e.__class__.__name__).encode()
        if listener:
            listener.close()
        out["data"].append(got.decode("utf-8", "replace"))
        record(reply())

    try:
        for step in steps:
            if out["replies"] and out["replies"][-1] and out["replies"][-1][-1] in ("<closed>", "<timeout>", "<line too long>"):
                break
            kind = step[0]
            if kind == "read":
                record(reply())
            elif kind == "cmd":
                send(step[1])
                record(reply())
            elif kind == "tls":
                send("AUTH TLS")
                r = record(reply())
                if r[0].startswith("234"):
                    conn["sock"] = ctx.wrap_socket(conn["sock"])
            elif kind == "implicit_tls":
                conn["sock"] = ctx.wrap_socket(conn["sock"])
            elif kind == "tlsdata":
                state["tlsdata"] = bool(step[1])
            elif kind == "tlsdata_noreuse":
                state["tlsdata"] = True
                state["reuse"] = False
            elif kind == "data":
                data(step[1], step[2], step[3])
            elif kind == "sleep":
                conn["sock"].settimeout(float(step[1]))
                record(reply())
                conn["sock"].settimeout(TIMEOUT)
            elif kind == "close":
                conn["sock"].close()
            elif kind == "raw":
                conn["sock"].sendall(step[1].encode("utf-8"))
                record(reply())
            elif kind == "second":
                other = socket.create_connection((host, port), timeout=TIMEOUT)
                extra.append(other)
                saved = dict(conn)
                conn["sock"], conn["buf"] = other, b""
                record(reply())
                conn.update(saved)
    except (OSError, ssl.SSLError) as e:
        out["replies"].append(["<error: %s>" % e.__class__.__name__])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
