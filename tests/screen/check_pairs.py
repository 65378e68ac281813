#!/usr/bin/env python3
"""check_pairs.py - checks a .pairs file (see chinese.pairs for the format)
with one `tollgate screen --batch --json` run over the given list files.
A third kind, "relative: QUERY | LISTED NAME | why", is screened again
at --threshold 0.5: the entry must be a hit capped as the name of a
relative (src/lib/screen_query.c relative), below the default threshold.
Usage: check_pairs.py TOLLGATE PAIRS LISTFILE...   (exit 1 on any failure)"""
import csv, json, subprocess, sys, tempfile

tg, pairs, lists = sys.argv[1], sys.argv[2], sys.argv[3:]
cases = []
for n, line in enumerate(open(pairs, encoding="utf-8"), 1):
    if line.startswith(("match:", "nomatch:", "relative:")):
        kind, rest = line.split(":", 1)
        q, want, _ = [x.strip() for x in rest.split("|", 2)]
        cases.append((n, kind, q, want))
with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["id", "name"])
    for i, c in enumerate(cases):
        w.writerow([i, c[2]])
cmd = [tg, "screen", "--batch", f.name, "--json", "--limit", "50"]
for l in lists:
    cmd += ["--list", l]
out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
res = {int(json.loads(l)["id"]): json.loads(l) for l in out.splitlines()}
low = {}
if any(c[1] == "relative" for c in cases):
    out = subprocess.run(cmd + ["--threshold", "0.5"], capture_output=True, text=True, check=True).stdout
    low = {int(json.loads(l)["id"]): json.loads(l) for l in out.splitlines()}
bad = 0
for i, (n, kind, q, want) in enumerate(cases):
    hits = res.get(i, {}).get("hits", [])
    names = [h["name"].lower() for h in hits] + [a.lower() for h in hits for a in h.get("aka", [])]
    if kind == "relative":
        hits = low.get(i, {}).get("hits", [])
        ok = any(want.lower() in [h["name"].lower()] + [a.lower() for a in h.get("aka", [])] and
                 "relative" in h and h["score"] == h["relative"]["cap"] < 0.88 for h in hits)
    else:
        ok = (want.lower() in names) if kind == "match" else not hits
    if not ok:
        bad += 1
        got = "; ".join("%s (%.3f)" % (h["name"], h["score"]) for h in hits[:3]) or "no hits"
        print("%s:%d: %s %r: got %s" % (pairs, n, kind, q, got))
print("%s: %d of %d pairs as expected" % (pairs, len(cases) - bad, len(cases)))
sys.exit(1 if bad else 0)
