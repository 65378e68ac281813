#!/usr/bin/env python3
"""verify_audit.py - verifies a Tollgate audit export (tollgate audit export)
on its own, with nothing but Python: every record's SHA-256 and its link to
the record before it.  Usage: verify_audit.py EXPORT.jsonl [--head HASH]

Record hash (see src/lib/audit.c):
  SHA256(prev "\n" F(seq) F(at) F(actor) F(action) F(subject) F(content))
  F(x) = byte length of x in decimal, ":", x, "\n"; prev of seq 1 = 64 "0".
With --head, the last hash must also equal HASH (one noted earlier, e.g.
from `tollgate audit verify`), which catches a trail cut short or rewritten.
Prints {"ok": ..., "records": N, ...}; exit 0 when sound, 1 when not."""
import hashlib
import json
import sys


def field(x):
    b = x.encode("utf-8")
    return str(len(b)).encode() + b":" + b + b"\n"


def record_hash(r):
    h = hashlib.sha256(r["prev"].encode() + b"\n")
    for k in ("seq", "at", "actor", "action", "subject", "content"):
        h.update(field(str(r[k])))
    return h.hexdigest()


def verify(lines, head=None):
    prev, expect, n = "0" * 64, 1, 0
    for line in lines:
        if not line.strip():
            continue
        r = json.loads(line)
        n += 1
        if r["seq"] != expect:
            return {"ok": False, "records": n, "first_bad": expect, "problem": "record %d is missing" % expect}
        if r["prev"] != prev:
            return {"ok": False, "records": n, "first_bad": r["seq"], "problem": "broken link"}
        if record_hash(r) != r["hash"]:
            return {"ok": False, "records": n, "first_bad": r["seq"], "problem": "hash does not match content"}
        prev, expect = r["hash"], r["seq"] + 1
    if head is not None and prev != head:
        return {"ok": False, "records": n, "first_bad": None, "problem": "the trail does not end at the noted head"}
    return {"ok": True, "records": n, "head": prev}


def main():
    if len(sys.argv) not in (2, 4) or (len(sys.argv) == 4 and sys.argv[2] != "--head"):
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        res = verify(f, sys.argv[3] if len(sys.argv) == 4 else None)
    print(json.dumps(res))
    return 0 if res["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
