#!/usr/bin/env python3
"""screen_probe.py - scores the hand-written pairs of bench/screen-probe.match
with `tollgate match --json` and prints how many are right (a "match" pair at
or above the threshold, a "nomatch" pair under it), then the wrong ones.
A development measurement (the pairs were looked at while changing the
scorer).  Usage: python3 bench/screen_probe.py [build/tollgate]"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    tg = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build/tollgate")
    right, wrong = {"match": 0, "nomatch": 0}, []
    total = {"match": 0, "nomatch": 0}
    for line in open(os.path.join(ROOT, "bench/screen-probe.match"), encoding="utf-8"):
        kind, _, rest = line.partition(": ")
        if kind not in total:
            continue
        a, b = (x.strip() for x in rest.split(" | ", 1))
        d = json.loads(subprocess.run([tg, "match", "--json", a, b], capture_output=True, text=True,
                                      check=True).stdout)
        total[kind] += 1
        if d["match"] == (kind == "match"):
            right[kind] += 1
        else:
            wrong.append((kind, d["score"], a, b))
    for k in ("match", "nomatch"):
        print("%-8s %3d / %3d right" % (k, right[k], total[k]))
    print("ALL      %3d / %3d right" % (sum(right.values()), sum(total.values())))
    for kind, score, a, b in wrong:
        print("  wrong %-7s %.3f  %s | %s" % (kind, score, a, b))


if __name__ == "__main__":
    main()
