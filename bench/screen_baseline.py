#!/usr/bin/env python3
"""screen_baseline.py - the brute-force baseline for bench_screen: each
query is compared with every name (and alias) of the list by whole-string
Jaro-Winkler (python3-jellyfish, Debian), names lower-cased.  Prints
"baseline_qps <queries per second>" and "baseline_names <count>".
Usage: screen_baseline.py LIST.compact.json QUERIES.txt [N]"""
import json, sys, time
import jellyfish

d = json.load(open(sys.argv[1], encoding="utf-8"))
names = []
for e in d["entries"]:
    names.append(e["n"].lower())
    names += [a.lower() for a in e.get("a") or []]
queries = [l.rstrip("\n").lower() for l in open(sys.argv[2], encoding="utf-8")]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 100
queries = queries[:n]
jw = getattr(jellyfish, "jaro_winkler_similarity", None) or jellyfish.jaro_winkler
t = time.perf_counter()
for q in queries:
    best = max(jw(q, x) for x in names)
dt = time.perf_counter() - t
print("baseline_qps %.3f" % (len(queries) / dt))
print("baseline_names %d" % len(names))
