#!/usr/bin/env python3
"""screen_crossscript_dev.py - cross-script recall on development pairs not
from the lists (bench/crossscript-dev.tsv: Arabic-script names of
well-known persons and their Wikipedia, ALA-LC and BGN/PCGN spellings),
scored as bench/screen_crossscript.py scores the UN list's names: each
original-script name against each Latin spelling, both ways, with
build/bench_screen_pairs and the CSL + UN token weights; found at 0.88.
Material to develop on: bench/screen_crossscript.py's held-out part stays
the measure.  -v lists the misses.
Usage: python3 bench/screen_crossscript_dev.py [BUILD_DIR] [-v]"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LISTS = os.environ.get("TOLLGATE_LISTS", os.path.join(ROOT, "..", "shared", "data", "lists"))
THRESHOLD = 0.88


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    build = args[0] if args else os.path.join(ROOT, "build")
    rows = []
    with open(os.path.join(ROOT, "bench", "crossscript-dev.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            orig, latin = line.rstrip("\n").split("\t")
            rows.append((orig, latin.split("|")))
    inp = "".join(f"{o}\t{l}\n{l}\t{o}\n" for o, ls in rows for l in ls)
    res = subprocess.run([os.path.join(build, "bench_screen_pairs"), "pairs",
                          os.path.join(LISTS, "csl-2026-07-31.compact.json"),
                          os.path.join(LISTS, "un-consolidated-2026-02.xml")],
                         input=inp, capture_output=True, text=True, check=True).stdout.splitlines()
    found = total = names_all = 0
    misses = []
    at = 0
    for o, ls in rows:
        ok_all = True
        for l in ls:
            for d in ("original->latin", "latin->original"):
                v = float(res[at].split("\t")[0])
                at += 1
                total += 1
                found += v >= THRESHOLD
                if v < THRESHOLD:
                    ok_all = False
                    misses.append((d, o, l, v))
        names_all += ok_all
    print("Cross-script development pairs (bench/crossscript-dev.tsv) at threshold %.2f" % THRESHOLD)
    print("  pairs found %d / %d = %.3f; names found in every spelling %d / %d" %
          (found, total, found / total, names_all, len(rows)))
    if "-v" in sys.argv:
        for m in misses:
            print("  miss %s: %r / %r (%.3f)" % m)


if __name__ == "__main__":
    main()
