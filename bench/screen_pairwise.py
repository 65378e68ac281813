#!/usr/bin/env python3
"""screen_pairwise.py - quality of `tollgate match A B` with no list loaded
(pairwise: the words weighed by data/screening/token-df.tsv, the reference
token weights) on the pairs of data/screening/devset.tsv, against two
other weighings of the same pairs:

  unweighted  every word 1, a generic word (abbreviations.tsv) 0.2, as
              `match` weighed them before token-df.tsv
  reference   token-df.tsv: what `match` does now with no list loaded
  lists       the IDF of the CSL and UN lists loaded (what screening and
              `match --list` do; the scale the scorer was fitted on)

Precision, recall and F1 at the default threshold 0.88, overall and per
entity type.  The pairs are the devset's "train" part by default: the dev
half, which the scorer's weights were fitted on and which may be looked
at; `--split test` measures the held-out part (look once, tune nothing).
The scores come from build/bench_screen_pairs (`pairs`, `pairs
--unweighted` and `pairs LISTS`: tg_match's own calls); `--check N` also
runs `tollgate match --json` on N pairs and fails when its score differs
from the `reference` score.
Usage: python3 bench/screen_pairwise.py [BUILD_DIR] [--split train|test] [--check N] [-v]"""
import collections
import os
import random
import subprocess
import sys
import tempfile
import json

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LISTS = os.environ.get("TOLLGATE_LISTS", os.path.join(ROOT, "..", "shared", "data", "lists"))
THRESHOLD = 0.88  # TG_SCREEN_THRESHOLD in include/tollgate.h


def scores(build, rows, extra):
    inp = "".join(f"{r[5]}\t{r[6]}\n" for r in rows)
    out = subprocess.run([os.path.join(build, "bench_screen_pairs"), "pairs"] + extra,
                         input=inp, capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(out) == len(rows), (len(out), len(rows))
    return [float(l.split("\t")[0]) for l in out]


def prf(pairs):
    tp = sum(1 for y, s in pairs if y and s >= THRESHOLD)
    fp = sum(1 for y, s in pairs if not y and s >= THRESHOLD)
    fn = sum(1 for y, s in pairs if y and s < THRESHOLD)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main():
    argv = sys.argv[1:]
    split = argv[argv.index("--split") + 1] if "--split" in argv else "train"
    check = int(argv[argv.index("--check") + 1]) if "--check" in argv else 0
    skip = {argv.index(o) + 1 for o in ("--split", "--check") if o in argv}
    pos = [a for i, a in enumerate(argv) if not a.startswith("-") and i not in skip]
    build = pos[0] if pos else os.path.join(ROOT, "build")
    with open(os.path.join(ROOT, "data", "screening", "devset.tsv"), encoding="utf-8") as f:
        rows = [r for r in (l.rstrip("\n").split("\t") for l in f if not l.startswith("#")) if r[0] == split]
    lists = [os.path.join(LISTS, "csl-2026-07-31.compact.json"),
             os.path.join(LISTS, "un-consolidated-2026-02.xml")]
    ways = collections.OrderedDict([("unweighted", scores(build, rows, ["--unweighted"])),
                                    ("reference", scores(build, rows, [])),
                                    ("lists", scores(build, rows, lists))])
    print(f"devset.tsv {split} part: {len(rows)} pairs "
          f"({sum(int(r[1]) for r in rows)} matches), threshold {THRESHOLD}")
    print(f"{'':22s}" + "".join(f"{w:>24s}" for w in ways))
    print(f"{'':22s}" + "".join(f"{'P     R     F1':>24s}" for _ in ways))
    groups = [("all", lambda r: True)] + [
        (t, (lambda t: lambda r: r[2] == t)(t)) for t in sorted({r[2] for r in rows})]
    for name, sel in groups:
        idx = [i for i, r in enumerate(rows) if sel(r)]
        cells = []
        for w, s in ways.items():
            pairs = [(int(rows[i][1]), s[i]) for i in idx]
            if not any(y for y, _ in pairs):  # non-matches only: the false positives
                cells.append(f"{sum(1 for _, x in pairs if x >= THRESHOLD)} false pos.")
                continue
            p, r, f1 = prf(pairs)
            cells.append(f"{p:.3f} {r:.3f} {f1:.3f}")
        print(f"{name + ' (' + str(len(idx)) + ')':22s}" + "".join(f"{c:>24s}" for c in cells))
    if "-v" in argv:  # pairs the reference weights decide otherwise than the lists
        ref, lst = ways["reference"], ways["lists"]
        for i, r in enumerate(rows):
            if (ref[i] >= THRESHOLD) != (lst[i] >= THRESHOLD):
                print(f"  {r[1]} {r[2]:7s} {r[4]:22s} ref {ref[i]:.3f} lists {lst[i]:.3f}  {r[5]} | {r[6]}")
    if check:
        tg = os.path.join(build, "tollgate")
        bad = 0
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, TOLLGATE_DB=os.path.join(tmp, "t.db"))
            for i in random.Random(9).sample(range(len(rows)), min(check, len(rows))):
                out = subprocess.run([tg, "match", "--json", rows[i][5], rows[i][6]], env=env,
                                     capture_output=True, text=True, check=True).stdout
                got = json.loads(out)["score"]
                if abs(got - ways["reference"][i]) > 5.01e-4:  # match --json rounds to 3 places
                    bad += 1
                    print(f"  differs: match {got:.5f} pairs {ways['reference'][i]:.5f}  {rows[i][5]} | {rows[i][6]}")
        print(f"tollgate match on {check} pairs: {check - bad} with the reference score")
        if bad:
            sys.exit(1)


if __name__ == "__main__":
    main()
