#!/usr/bin/env python3
"""screen_short_names.py - are listed persons found by the short form of
their name that people type: the first given name and the first family
name ("Jose Macias" for the SDN entry "MACIAS VILLAMAR, Jose Adolfo")?

Queries are made from the individuals of the Consolidated Screening List
written in the lists' "FAMILY, Given" form (letters only, no leading
particle), grouped by how many family names (before the comma) and given
names (after it) the entry has: fam1/fam2/famN x giv1/givN.  Up to 300
entries per group (seed 11).  A query is found when one of its hits is
the entry it was made from.  A development measurement: it has no
held-out part, and false positives are measured by bench/screen_quality.py.
Usage: python3 bench/screen_short_names.py [build/tollgate]"""
import collections
import json
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LISTS = os.environ.get("TOLLGATE_LISTS", os.path.join(ROOT, "..", "shared", "data", "lists"))
CSL = os.path.join(LISTS, "csl-2026-07-31.compact.json")
UN = os.path.join(LISTS, "un-consolidated-2026-02.xml")
PARTICLES = {"al", "el", "bin", "ibn", "abu", "de", "del", "da", "van", "von"}


def groups():
    out = collections.defaultdict(list)
    for e in json.load(open(CSL, encoding="utf-8"))["entries"]:
        name = e["n"]
        if e.get("t") != "Individual" or name.count(",") != 1:
            continue
        fam, giv = (p.split() for p in name.split(","))
        if not fam or not giv or fam[0].lower() in PARTICLES:
            continue
        if not all(w.replace("-", "").isalpha() for w in fam + giv):
            continue
        kind = ("fam1" if len(fam) == 1 else "fam2" if len(fam) == 2 else "famN") + \
               ("_giv1" if len(giv) == 1 else "_givN")
        out[kind].append((giv[0].title() + " " + fam[0].title(), name))
    return out


def main():
    tg = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "tollgate")
    rnd = random.Random(11)
    total = found_all = 0
    for kind, pairs in sorted(groups().items()):
        rnd.shuffle(pairs)
        pairs = pairs[:300]
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            f.write("name\n" + "".join('"%s"\n' % q for q, _ in pairs))
        out = subprocess.run([tg, "screen", "--batch", f.name, "--json", "--list", CSL,
                              "--list", UN, "--limit", "50"],
                             capture_output=True, text=True, check=True).stdout.splitlines()
        os.unlink(f.name)
        assert len(out) == len(pairs), (len(out), len(pairs))
        found = sum(any(h.get("name") == n for h in json.loads(line).get("hits", []))
                    for (q, n), line in zip(pairs, out))
        total += len(pairs)
        found_all += found
        print("  %-10s %4d / %4d = %.3f" % (kind, found, len(pairs), found / len(pairs)))
    print("FOUND BY GIVEN + FIRST FAMILY NAME %d / %d = %.3f" % (found_all, total, found_all / total))


if __name__ == "__main__":
    main()
