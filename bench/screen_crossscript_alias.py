#!/usr/bin/env python3
"""screen_crossscript_alias.py - development pairs from the UN list's TRAIN
part (bench/screen_crossscript.py's split; its held-out "test" part is never
read): each original-script name of a person against EACH of the person's
Latin names of "Good" quality (the listed name and the good aliases), one
by one, both ways, scored as bench/screen_crossscript.py scores them
(build/bench_screen_pairs, CSL + UN token weights, found at 0.88).  The
held-out measure takes a name as found when its best Latin name matches;
here every good spelling counts, so the set shows the spellings the rules
miss (the held-out part's listed names are other people's spellings of
the same kind).  An alias with no word of the original name (another name,
a kunya) is also counted: -v shows which.
Usage: python3 bench/screen_crossscript_alias.py [BUILD_DIR] [-v]"""
import collections, os, subprocess, sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import screen_crossscript as sc  # noqa: E402

THRESHOLD = sc.THRESHOLD


def rows():
    root = ET.parse(os.path.join(sc.LISTS, "un-consolidated-2026-02.xml")).getroot()
    out = []
    for ind in root.iter("INDIVIDUAL"):
        ref = ind.findtext("REFERENCE_NUMBER") or ind.findtext("DATAID")
        if sc.split_of("un:" + ref) != "train":
            continue  # the held-out part stays the measure
        parts = [ind.findtext(t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        latin = " ".join(p.strip() for p in parts if p and p.strip())
        orig = [ind.findtext("NAME_ORIGINAL_SCRIPT") or ""]
        good = [latin] if latin else []
        for al in ind.iter("INDIVIDUAL_ALIAS"):
            n = (al.findtext("ALIAS_NAME") or "").strip()
            if not n:
                continue
            if sc.script(n) != "latin":
                orig.append(n)
            elif (al.findtext("QUALITY") or "") == "Good":
                good.append(n)
        for o in dict.fromkeys(sc.original_only(x).strip() for x in orig):
            if o and sc.script(o) != "latin":
                for l in dict.fromkeys(good):
                    out.append((sc.script(o), o, l))
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    build = args[0] if args else os.path.join(ROOT, "build")
    rs = rows()
    inp = "".join(f"{o}\t{l}\n{l}\t{o}\n" for _, o, l in rs)
    res = subprocess.run([os.path.join(build, "bench_screen_pairs"), "pairs",
                          os.path.join(sc.LISTS, "csl-2026-07-31.compact.json"),
                          os.path.join(sc.LISTS, "un-consolidated-2026-02.xml")],
                         input=inp, capture_output=True, text=True, check=True).stdout.splitlines()
    stats = collections.defaultdict(lambda: [0, 0])
    misses = []
    for i, (s, o, l) in enumerate(rs):
        for j, d in enumerate(("original->latin", "latin->original")):
            v = float(res[2 * i + j].split("\t")[0])
            for k in (s, "all"):
                stats[k][0] += v >= THRESHOLD
                stats[k][1] += 1
            if v < THRESHOLD:
                misses.append((d, o, l, v))
    print("Cross-script alias pairs (UN train part, every Good Latin name) at %.2f" % THRESHOLD)
    for k in sorted(stats, key=lambda k: (k != "all", k)):
        f, n = stats[k]
        print("  %-9s %4d / %4d = %.3f" % (k, f, n, f / n))
    if "-v" in sys.argv:
        for m in misses:
            print("  miss %s: %r / %r (%.3f)" % m)


if __name__ == "__main__":
    main()
