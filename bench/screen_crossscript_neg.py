#!/usr/bin/env python3
"""screen_crossscript_neg.py - cross-script false positives: the names in
other scripts than Latin (Han, Arabic, Devanagari, Hangul, Cyrillic, Thai,
kana, Hebrew) among ../shared/data/screening-dev/negatives_global.csv
(persons on no list), screened against the CSL and the UN list with
`tollgate screen --batch`; a name with any hit at the default threshold
is a false positive.  Only the "dev" half of the real names
(tools/screen_realnames.py half()) is screened: the "bench" half stays
bench/screen_quality.py's measure.  -v lists the false positives.
Usage: python3 bench/screen_crossscript_neg.py [build/tollgate] [-v]"""
import collections, csv, json, os, subprocess, sys, tempfile, unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import screen_realnames  # noqa: E402  (the halves of the real names)

SHARED = os.path.join(ROOT, "..", "shared", "data")
LISTS = os.environ.get("TOLLGATE_LISTS", os.path.join(SHARED, "lists"))


def script(s):
    for ch in s:
        if ord(ch) >= 0x250 and ch.isalpha():
            return unicodedata.name(ch, "OTHER").split()[0].lower()
    return "latin"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    tg = args[0] if args else os.path.join(ROOT, "build", "tollgate")
    with open(os.path.join(SHARED, "screening-dev", "negatives_global.csv"), encoding="utf-8") as f:
        names = [r["full_name"] for r in csv.DictReader(f)
                 if script(r["full_name"]) != "latin" and screen_realnames.half(r["full_name"]) == "dev"]
    with tempfile.TemporaryDirectory() as d:
        inp = os.path.join(d, "names.csv")
        with open(inp, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["id", "name"])
            for i, n in enumerate(names):
                w.writerow([i, n])
        env = dict(os.environ, TOLLGATE_DB=os.path.join(d, "t.db"), TOLLGATE_CACHE_DIR="")
        out = subprocess.run([tg, "screen", "--batch", inp, "--json", "--limit", "3",
                              "--list", os.path.join(LISTS, "csl-2026-07-31.compact.json"),
                              "--list", os.path.join(LISTS, "un-consolidated-2026-02.xml")],
                             capture_output=True, text=True, check=True, env=env).stdout
    fp, n = collections.Counter(), collections.Counter()
    shown = []
    for line in out.splitlines():
        j = json.loads(line)
        q = names[int(j["id"])]
        n[script(q)] += 1
        if j.get("hits"):
            fp[script(q)] += 1
            shown.append((q, ["%s (%.3f)" % (h["name"], h["score"]) for h in j["hits"][:2]]))
    print("Cross-script false positives (screening-dev negatives in other scripts, dev half)")
    for s in sorted(n, key=lambda s: -n[s]):
        print("  %-11s %4d / %5d = %.4f" % (s, fp[s], n[s], fp[s] / n[s]))
    total, hits = sum(n.values()), sum(fp.values())
    print("CROSS-SCRIPT FALSE-POSITIVE RATE %.4f (%d/%d)" % (hits / total, hits, total))
    if "-v" in sys.argv:
        for q, h in shown:
            print("  fp %r: %s" % (q, "; ".join(h)))


if __name__ == "__main__":
    main()
