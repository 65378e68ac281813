#!/usr/bin/env python3
"""screen_crossscript.py - cross-script recall: the original-script names of
persons on the UN list (NAME_ORIGINAL_SCRIPT and non-Latin aliases; the SDN
files carry none, they are ASCII) scored against their Latin names, both
ways (original as the query, Latin as the listed name, and the reverse),
with the library's scorer (build/bench_screen_pairs pairs; token weights
from the CSL and UN lists).  A pair is found when its score reaches the
threshold, 0.88 (TG_SCREEN_THRESHOLD).  An original-script name is found
when it reaches the threshold against one of the person's Latin names
(the listed name or a Latin alias: "حسن غول" is the alias Hassan Ghul, not
the listed name Mustafa Hajji Muhammad Khan), as screening finds a
person by any of the entry's names; Latin words written beside the
original script ("حسن غول (Hassan Ghul)") are taken out of it.

Entities are split as tools/screen_devset.py splits them (a hash of the
entity): only the "test" part is reported as held-out (never fitted on,
never used to build data/screening/arabic-names.tsv); "train" is shown
apart; -v lists the misses of the train part only (the held-out misses
are never shown, so that nobody tunes on them).
Usage: python3 bench/screen_crossscript.py [BUILD_DIR] [-v]"""
import collections, hashlib, os, re, subprocess, sys, unicodedata
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LISTS = os.environ.get("TOLLGATE_LISTS", os.path.join(ROOT, "..", "shared", "data", "lists"))
THRESHOLD = 0.88


def split_of(group):  # as tools/screen_devset.py
    return "test" if int(hashlib.sha1(group.encode()).hexdigest(), 16) % 10 < 3 else "train"


def script(s):
    for ch in s:
        if ord(ch) >= 0x250 and ch.isalpha():
            return unicodedata.name(ch, "OTHER").split()[0].lower()
    return "latin"


def original_only(s):
    """The original-script words of a name, without Latin ones beside them."""
    s = re.sub(r"\([^)]*\)", " ", s)
    return " ".join(w for w in s.split() if script(w) != "latin" or not any(c.isalpha() for c in w))


def pairs():
    """(split, script, entity, original-script name, [Latin names])"""
    root = ET.parse(os.path.join(LISTS, "un-consolidated-2026-02.xml")).getroot()
    out = []
    for ind in root.iter("INDIVIDUAL"):
        ref = ind.findtext("REFERENCE_NUMBER") or ind.findtext("DATAID")
        parts = [ind.findtext(t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        latin = " ".join(p.strip() for p in parts if p and p.strip())
        orig = [ind.findtext("NAME_ORIGINAL_SCRIPT") or ""]
        orig += [al.findtext("ALIAS_NAME") or "" for al in ind.iter("INDIVIDUAL_ALIAS")]
        latins = [latin] + [x.strip() for x in orig if x.strip() and script(x) == "latin"]
        for o in dict.fromkeys(original_only(x).strip() for x in orig):
            if o and script(o) != "latin" and latin:
                out.append((split_of("un:" + ref), script(o), ref, o, list(dict.fromkeys(latins))))
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    build = args[0] if args else os.path.join(ROOT, "build")
    ps = pairs()
    inp = "".join(f"{o}\t{l}\n{l}\t{o}\n" for _, _, _, o, ls in ps for l in ls)
    res = subprocess.run([os.path.join(build, "bench_screen_pairs"), "pairs",
                          os.path.join(LISTS, "csl-2026-07-31.compact.json"),
                          os.path.join(LISTS, "un-consolidated-2026-02.xml")],
                         input=inp, capture_output=True, text=True, check=True).stdout.splitlines()
    stats = collections.defaultdict(lambda: [0, 0])
    misses = []
    at = 0
    for sp, sc, ref, o, ls in ps:
        best = {"original->latin": (0.0, ""), "latin->original": (0.0, "")}
        for l in ls:
            for d in ("original->latin", "latin->original"):
                v = float(res[at].split("\t")[0])
                at += 1
                if v > best[d][0] or not best[d][1]:
                    best[d] = max(best[d], (v, l))
        for d, (v, l) in best.items():
            ok = v >= THRESHOLD
            for key in ((sp, "all", d), (sp, sc, d), (sp, "all", "both")):
                stats[key][0] += ok
                stats[key][1] += 1
            if not ok and sp == "train":  # the held-out misses are never shown
                misses.append((d, o, l, "%.5f" % v))
    print("Cross-script recall at threshold %.2f (UN list persons, original script vs Latin)" % THRESHOLD)
    for key in sorted(stats, key=lambda k: (k[0] != "test", k[1] != "all", k)):
        f, n = stats[key]
        print("  %-5s %-9s %-16s %4d / %4d = %.3f" % (key[0], key[1], key[2], f, n, f / n))
    f, n = stats[("test", "all", "both")]
    print("HELD-OUT CROSS-SCRIPT RECALL %.3f (%d/%d)" % (f / n, f, n))
    if "-v" in sys.argv:
        for m in misses:
            print("  miss %s: %r / %r (%s)" % m)


if __name__ == "__main__":
    main()
