#!/usr/bin/env python3
"""issue10_repro.py - re-runs the seven numbered reproductions of issue 10
against a build, on loopback, and prints what each gives now (figures for
the notes; the tests that pin each behaviour are named in docs/SECURITY.md).
Not a test: it measures and reports, it asserts nothing.

  python3 tools/issue10_repro.py build/tollgate [DATA_DIR]
"""
import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BIN = os.path.abspath(sys.argv[1])
DATA = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "tests/fixtures/data")
tmp = tempfile.mkdtemp(prefix="tg-repro-")
env = dict(os.environ, TOLLGATE_DB=f"{tmp}/t.db", TOLLGATE_DATA=DATA)


def cli(*args):
    return subprocess.run([BIN, *args], env=env, capture_output=True, text=True, timeout=60)


tokens = {r: cli("token", "add", "--name", f"r-{r}", "--role", r).stdout.strip()
          for r in ("viewer", "officer", "admin")}
srv = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0"], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
port = None
for _ in range(100):
    line = srv.stdout.readline()
    m = re.search(r"127\.0\.0\.1:(\d+)", line)
    if m:
        port = int(m.group(1))
        break
assert port, "server did not start"


def rss_mb():
    with open(f"/proc/{srv.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


def raw(data, src="127.0.0.1", timeout=30):
    s = socket.socket()
    s.bind((src, 0))
    s.settimeout(timeout)
    s.connect(("127.0.0.1", port))
    s.sendall(data)
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
    except socket.timeout:
        out += b"<timeout>"
    s.close()
    return out


def req(method, path, token=None, body=None, src="127.0.0.1"):
    b = json.dumps(body).encode() if body is not None else b""
    head = f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {len(b)}\r\n"
    if token:
        head += f"Authorization: Bearer {token}\r\n"
    t0 = time.monotonic()
    out = raw(head.encode() + b"\r\n" + b, src)
    ms = (time.monotonic() - t0) * 1000
    m = re.match(rb"HTTP/1\.\d (\d+)", out)
    return (int(m.group(1)) if m else -1), out.split(b"\r\n\r\n", 1)[-1].decode(errors="replace"), ms


def report(n, what):
    print(f"#{n}: {what}", flush=True)


# 1. slowloris: 1,000 connections trickling a header byte every 5 s (one address),
#    normal requests from another address meanwhile
slow, stop = [], threading.Event()
for i in range(1000):
    try:
        s = socket.socket()
        s.bind(("127.0.0.2", 0))
        s.settimeout(2)
        s.connect(("127.0.0.1", port))
        s.send(b"G")
        slow.append(s)
    except OSError:
        break


def trickle():
    while not stop.wait(5):
        for s in slow:
            try:
                s.send(b"E")
            except OSError:
                pass


threading.Thread(target=trickle, daemon=True).start()
lat = [req("GET", "/v1/whoami", tokens["viewer"], src="127.0.0.3")[2] for _ in range(20)]
time.sleep(11)  # past the header deadline
alive = 0
for s in slow:
    try:
        s.send(b"T")
        s.settimeout(0.01)
        alive += s.recv(1) != b""
    except OSError:
        pass
stop.set()
for s in slow:
    s.close()
report(1, f"{len(slow)} slow connections opened; whoami from another address: median "
          f"{statistics.median(lat):.1f} ms, worst {max(lat):.1f} ms (20 requests); "
          f"slow connections still open after 11 s: {alive}")

# 2. memory: a viewer posting 60 x 1,000-order checks and never reading; and
#    300 connections without a token trickling 1 MiB bodies to POST /v1/licenses
base = rss_mb()
orders = json.dumps([{"chip": "nv-h100-sxm", "to": "CN", "hq": "CN"}] * 1000).encode()
hold = []
codes = {}
for i in range(60):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.bind((f"127.0.1.{i % 50 + 1}", 0))
    s.connect(("127.0.0.1", port))
    s.sendall(f"POST /v1/checks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {tokens['viewer']}\r\n"
              f"Content-Length: {len(orders)}\r\n\r\n".encode() + orders)
    hold.append(s)
time.sleep(8)
peak = rss_mb()
for s in hold:
    s.settimeout(0.5)
    try:
        st = re.match(rb"HTTP/1\.\d (\d+)", s.recv(64))
        codes[st.group(1).decode() if st else "?"] = codes.get(st.group(1).decode() if st else "?", 0) + 1
    except OSError:
        codes["none"] = codes.get("none", 0) + 1
    s.close()
report(2, f"60 never-reading 1,000-order checks: RSS {base:.0f} -> {peak:.0f} MB; first bytes: {codes}")
base = rss_mb()
pre = []
for i in range(300):
    try:
        s = socket.socket()
        s.bind((f"127.0.2.{i % 50 + 1}", 0))
        s.connect(("127.0.0.1", port))
        s.sendall(b"POST /v1/licenses HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n" + b"x" * 4096)
        pre.append(s)
    except OSError:
        break
time.sleep(3)
peak = rss_mb()
answered = 0
for s in pre:
    s.settimeout(0.2)
    try:
        answered += s.recv(64).startswith(b"HTTP/1.1 401")
    except OSError:
        pass
    s.close()
report(2, f"300 token-less 1 MiB bodies: RSS {base:.0f} -> {peak:.0f} MB; answered 401 before the body: {answered}")

# 3. money: 100% rate, shipments of 10,000,000 units at USD 1,000,000,000
req("POST", "/v1/licenses", tokens["officer"], {"number": "OVF", "holder": "Acme", "chip": "nv-h100-sxm",
    "to": "CN", "from": "2025-01-01", "until": "2026-12-31", "payment_rate": "100%"})
ship = {"chip": "nv-h100-sxm", "to": "CN", "hq": "CN", "qty": 10000000, "unit_price": 1000000000,
        "on": "2025-08-15", "end_user": "Acme", "license": "OVF"}
st, body, _ = req("POST", "/v1/shipments", tokens["officer"], ship)
lic = req("GET", "/v1/licenses", tokens["viewer"])[0]
fees = req("GET", "/v1/fees?year=2025", tokens["viewer"])
report(3, f"10,000,000 x USD 1e9: {st} {body[:110]}; GET /v1/licenses {lic}; /v1/fees {fees[0]}")

# 4. chart: four clients asking for new dates; whoami meanwhile
def charts(k):
    for d in range(10):
        req("GET", f"/v1/chart.svg?on=2025-{k + 1:02d}-{d + 1:02d}", tokens["viewer"])


ts = [threading.Thread(target=charts, args=(k,)) for k in range(4)]
for t in ts:
    t.start()
lat = []
while any(t.is_alive() for t in ts):
    lat.append(req("GET", "/v1/whoami", tokens["viewer"])[2])
for t in ts:
    t.join()
report(4, f"4 clients x 10 new chart dates: whoami median {statistics.median(lat):.1f} ms, "
          f"worst {max(lat):.1f} ms ({len(lat)} requests)")

# 5. another process holds BEGIN IMMEDIATE for 15 s
db = sqlite3.connect(f"{tmp}/t.db", isolation_level=None)
db.execute("BEGIN IMMEDIATE")
ship.update(qty=1, unit_price=100)
st, body, ms = req("POST", "/v1/shipments", tokens["officer"], ship)
w = [req("GET", p, tokens["viewer"])[2] for p in ("/v1/whoami", "/v1/licenses?limit=5", "/v1/shipments?limit=5")]
db.execute("ROLLBACK")
db.close()
report(5, f"write lock held elsewhere: shipment {st} in {ms:.0f} ms; reads meanwhile {', '.join(f'{x:.0f}' for x in w)} ms")

# 6. awkward identifiers
res = []
for n in ["..", "XSS-<b>1</b>", " ", "RACE-1 "]:
    res.append(req("POST", "/v1/licenses", tokens["officer"], {"number": n, "holder": "A", "chip": "nv-h100-sxm",
               "to": "CN", "from": "2025-01-01", "until": "2026-12-31"})[0])
report(6, f"license numbers '..', 'XSS-<b>1</b>', ' ', 'RACE-1 ': {res}")

# 7. smaller gaps
two_cl = raw(b"POST /v1/licenses HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}")[:12]
t0 = time.monotonic()
te = raw(b"POST /v1/licenses HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}")[:12]
te_ms = (time.monotonic() - t0) * 1000
rate = req("POST", "/v1/licenses", tokens["officer"], {"number": "R1", "holder": "A", "chip": "nv-h100-sxm",
           "to": "CN", "from": "2025-01-01", "until": "2026-12-31", "payment_rate": "0x10"})[0]
ctl = req("POST", "/v1/licenses", tokens["officer"], {"number": "C1", "holder": "A", "chip": "nv-h100-sxm",
          "to": "CN", "from": "2025-01-01", "until": "2026-12-31", "condition": ["a\u0007b"]})[0]
cjk = [req("POST", "/v1/licenses", tokens["officer"], {"number": f"J{n}", "holder": "\u4e2d" * n,
       "chip": "nv-h100-sxm", "to": "CN", "from": "2025-01-01", "until": "2026-12-31"})[0] for n in (200, 201)]
expires = cli("token", "add", "--name", "tmp", "--role", "viewer", "--expires", "1d").returncode
helped = subprocess.run([BIN, "serve", "--help"], env=env, capture_output=True, text=True, timeout=5)
report(7, f"two Content-Length {two_cl!r}; gzip+CL {te!r} in {te_ms:.0f} ms; rate '0x10' {rate}; "
          f"control character {ctl}; 200/201 CJK characters {cjk}; token --expires exit {expires}; "
          f"serve --help exit {helped.returncode}, prints usage: {helped.stdout.startswith('usage')}")
srv.terminate()
srv.wait()
subprocess.run(["rm", "-rf", tmp])
