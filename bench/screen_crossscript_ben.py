#!/usr/bin/env python3
"""screen_crossscript_ben.py - development pairs for "son of" (بن, ابن;
ben, bin, ibn) across scripts, from real names on the development side
only, scored as bench/screen_crossscript.py scores the UN list's names
(build/bench_screen_pairs, CSL + UN token weights, found at 0.88, both
ways):
  listed   the UN list's persons of the TRAIN part of
           bench/screen_crossscript.py's split (its held-out "test" part is
           never read) whose original-script name or a Latin name has
           "son of" as a word: each original-script name against each of
           the person's Latin names that has it too;
  joined   the same pairs with one "ben/bin X" of the Latin name written
           as one word ("BENX", the Maghreb spelling: Benflis), or one
           "بن X" of the original written as one word (بنحسين, as the
           list itself writes QDi.333's name);
  dev      bench/crossscript-dev.tsv's rows with "son of" (not list names).
-v lists the misses; with a second build directory, the pairs found by one
build and not by the other are listed instead (each pair once).
Usage: python3 bench/screen_crossscript_ben.py [BUILD_DIR [OTHER_BUILD_DIR]] [-v]"""
import collections
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import screen_crossscript  # noqa: E402  (the UN pairs and their split)

LISTS = screen_crossscript.LISTS
THRESHOLD = screen_crossscript.THRESHOLD
# "son of" and the spaces after it, before a word that is not the article
AR_BEN = re.compile(r"(?:^|(?<=\s))(?:ابن|إبن|بن)\s+(?!ال)(?=\w)")
LAT_BEN = re.compile(r"\b(?:ben|bin|ibn)\s+(?!(?:al|el)\b)(?=\w)", re.I)


def joined_variants(name, pattern):
    """The name with one "son of" at a time written together with the next word."""
    out = []
    for m in pattern.finditer(name):
        out.append(name[:m.end()].rstrip() + name[m.end():])
    return out


def dev_pairs():
    """(block, original, latin) for both directions' scoring."""
    rows = []
    for sp, _, ref, orig, latins in screen_crossscript.pairs():
        if sp != "train":
            continue  # the held-out part stays the measure
        lb = [l for l in latins if re.search(r"\b(?:ben|bin|ibn)\b", l, re.I)]
        if not lb or not re.search(r"(?:^|\s)(?:ابن|إبن|بن)(?:\s|$)", orig):
            continue
        for l in lb:
            rows.append(("listed", orig, l))
            for v in joined_variants(l, LAT_BEN):
                rows.append(("joined", orig, v))
        for v in joined_variants(orig, AR_BEN):
            for l in lb:
                rows.append(("joined", v, l))
    with open(os.path.join(ROOT, "bench", "crossscript-dev.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            orig, latin = line.rstrip("\n").split("\t")
            for l in latin.split("|"):
                if re.search(r"(?:^|\s)(?:ابن|إبن|بن)(?:\s|$)", orig) or \
                        re.search(r"\b(?:ben|bin|ibn)\b", l, re.I):
                    rows.append(("dev", orig, l))
    return list(dict.fromkeys(rows))


def score(build, rows):
    inp = "".join(f"{o}\t{l}\n{l}\t{o}\n" for _, o, l in rows)
    res = subprocess.run([os.path.join(build, "bench_screen_pairs"), "pairs",
                          os.path.join(LISTS, "csl-2026-07-31.compact.json"),
                          os.path.join(LISTS, "un-consolidated-2026-02.xml")],
                         input=inp, capture_output=True, text=True, check=True).stdout.splitlines()
    return [float(r.split("\t")[0]) for r in res]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    build = args[0] if args else os.path.join(ROOT, "build")
    rows = dev_pairs()
    s = score(build, rows)
    keys = [(b, d, o, l) for b, o, l in rows for d, (o, l) in
            (("original->latin", (o, l)), ("latin->original", (l, o)))]
    stats = collections.defaultdict(lambda: [0, 0])
    for (b, *_), v in zip(keys, s):
        for k in (b, "all"):
            stats[k][0] += v >= THRESHOLD
            stats[k][1] += 1
    print("'Son of' development pairs (UN train part + crossscript-dev.tsv) at %.2f: %s" % (THRESHOLD, build))
    for k in ("listed", "joined", "dev", "all"):
        f, n = stats[k]
        print("  %-7s %4d / %4d = %.3f" % (k, f, n, f / n if n else 0))
    if len(args) > 1:
        t = score(args[1], rows)
        print("Differences against %s:" % args[1])
        for (b, d, o, l), v, w in zip(keys, s, t):
            if (v >= THRESHOLD) != (w >= THRESHOLD):
                print("  %s %s: %r / %r %.3f vs %.3f" % (b, d, o, l, v, w))
    elif "-v" in sys.argv:
        for (b, d, o, l), v in zip(keys, s):
            if v < THRESHOLD:
                print("  miss %s %s: %r / %r (%.3f)" % (b, d, o, l, v))


if __name__ == "__main__":
    main()
