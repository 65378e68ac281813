#!/usr/bin/env python3
"""screen_quality.py - matching quality of `tollgate screen` at its default
threshold, on a labelled set built from the lists themselves.

Positives: entries sampled (fixed seed) from the Consolidated Screening List
of 2026-07-31, each written the ways names arrive: with one typo, with the
tokens reordered, with the legal suffix changed or dropped, with common
abbreviations (Tech, Intl, Grp, Corp ...), and, for the Chinese names in
tests/screen/chinese.pairs, in Chinese script.  A positive is found when
a hit at or above the threshold carries the entry's name.

Negatives (must not match): (1) sampled entries whose most distinctive token
(highest IDF) is replaced by an invented word that is not within two edits of
any word on the lists; (2) invented company and person names built from
common words; (3) real names of parties on no list (tools/screen_realnames.py,
the "bench" half, never fitted on): companies of many origins
(bench/unlisted-companies.txt), OFAC SDN entries of 2019 delisted since, and
1,000 names of people of many origins and scripts (yente negatives).  A
negative is a false positive when any hit reaches the threshold.

Usage: python3 bench/screen_quality.py [build/tollgate] [--n 1500] [--seed 5] [--half dev] [-v N]
--half dev takes the real names from the half that may be fitted on, for
looking at false positives while developing without reading the benchmark
half; the figures reported are those of the default, --half bench.
Prints recall per variant kind, overall recall and the false-positive rate.
"""
import collections
import csv
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools"))
import screen_realnames  # noqa: E402  (the benchmark half of real non-listed names)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LISTS = os.environ.get("TOLLGATE_LISTS", os.path.join(ROOT, "..", "shared", "data", "lists"))
LIST = os.path.join(LISTS, "csl-2026-07-31.compact.json")
UN = os.path.join(LISTS, "un-consolidated-2026-02.xml")

ABBREV = {"technology": "Tech", "technologies": "Tech", "international": "Intl",
          "group": "Grp", "electronics": "Elec", "electronic": "Elec",
          "semiconductor": "Semicond", "manufacturing": "Mfg", "corporation": "Corp",
          "company": "Co", "industries": "Inds", "industrial": "Ind", "engineering": "Eng",
          "research": "Res", "institute": "Inst", "university": "Univ",
          "services": "Svcs", "communication": "Comm", "communications": "Comm",
          "equipment": "Equip", "development": "Dev", "national": "Natl",
          "holdings": "Hldgs", "management": "Mgmt", "center": "Ctr", "centre": "Ctr",
          "laboratory": "Lab", "systems": "Sys", "science": "Sci", "sciences": "Sci"}
SUFFIXES = ["Co., Ltd.", "Ltd", "Limited", "Inc.", "LLC", "Corporation", "GmbH", "S.A.",
            "Company Limited", "JSC", "Co Ltd", ""]
SUFFIX_RE = re.compile(r"[,\s]+(co\.?,?\s*ltd\.?|company limited|limited liability company|"
                       r"ltd\.?|limited|inc\.?|llc|l\.l\.c\.|corporation|corp\.?|gmbh|s\.a\.|"
                       r"jsc|ojsc|ooo|pjsc|co\.?)\s*$", re.I)
KEYS = "qwertyuiop asdfghjkl zxcvbnm"
FIRST = ["James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "William", "Linda",
         "David", "Elizabeth", "Richard", "Barbara", "Joseph", "Susan", "Thomas", "Jessica",
         "Charles", "Sarah", "Christopher", "Karen", "Emma", "Oliver", "Sophie", "Lucas",
         "Hannah", "Felix", "Clara", "Jonas", "Mia", "Noah", "Wei", "Mei", "Hiroshi", "Yuki"]
LAST = ["Thornbury", "Whitcombe", "Ashdown", "Fairweather", "Pemberton", "Kettering",
        "Lockwood", "Marchbanks", "Oakridge", "Penhallow", "Quenby", "Rushworth", "Stanbridge",
        "Tillotson", "Underhill", "Vickery", "Wetherell", "Yardley", "Brightwell", "Calloway"]
WORDS = ["Global", "Precision", "Instruments", "Logistics", "Trading", "Solutions", "Systems",
         "Electronics", "Technology", "Industrial", "Components", "Devices", "Materials",
         "Software", "Analytics", "Robotics", "Optics", "Energy", "Medical", "Foods", "Textiles"]
SYL = ["ka", "lo", "mi", "ren", "tor", "vex", "dal", "qui", "zen", "bra", "nor", "sil",
       "pha", "gru", "wen", "tek", "mar", "lis", "dro", "fen", "yor", "cal", "bev", "ost"]


def norm_tokens(s):
    return re.findall(r"[a-z0-9]+", s.lower().replace(".", "").replace("'", ""))


def typo(name, rnd):
    toks = list(re.finditer(r"[A-Za-z]{5,}", name))
    if not toks:
        return None
    m = rnd.choice(toks)
    w = m.group(0)
    i = rnd.randrange(1, len(w) - 1)
    op = rnd.choice("sdit")
    if op == "s":
        row = next(r for r in KEYS.split() if w[i].lower() in r) if any(w[i].lower() in r for r in KEYS.split()) else KEYS
        j = row.index(w[i].lower()) if w[i].lower() in row else 0
        c = row[j + 1] if j + 1 < len(row) else row[j - 1]
        w2 = w[:i] + (c.upper() if w[i].isupper() else c) + w[i + 1:]
    elif op == "d":
        w2 = w[:i] + w[i + 1:]
    elif op == "i":
        w2 = w[:i] + w[i] + w[i:]
    else:
        w2 = w[:i] + w[i + 1] + w[i] + w[i + 2:]
    return name[:m.start()] + w2 + name[m.end():]


def reorder(name, individual):
    if individual and "," in name:  # OFAC style "LAST, First"
        last, first = name.split(",", 1)
        return first.strip() + " " + last.strip()
    core = SUFFIX_RE.sub("", name)
    toks = core.split()
    if len(toks) < 2:
        return None
    return " ".join(toks[1:] + toks[:1]) + name[len(core):]


def suffix_change(name, rnd):
    core = SUFFIX_RE.sub("", name)
    options = [s for s in SUFFIXES if s.lower() not in name.lower()]
    return (core + " " + rnd.choice(options)).strip()


def abbreviate(name):
    out, hit = [], False
    for w in re.split(r"(\s+)", name):
        key = re.sub(r"[^a-z]", "", w.lower())
        if key in ABBREV:
            out.append(ABBREV[key] + ("," if w.endswith(",") else ""))
            hit = True
        else:
            out.append(w)
    return "".join(out) if hit else None


def invented(rnd, vocab_dels):
    while True:
        w = "".join(rnd.choice(SYL) for _ in range(rnd.choice((2, 3))))
        if not (deletions(w, 2) & vocab_dels):
            return w.capitalize()


def deletions(w, k):
    out, frontier = {w}, {w}
    for _ in range(k):
        frontier = {x[:i] + x[i + 1:] for x in frontier for i in range(len(x))}
        out |= frontier
    return out


def chinese_pairs():
    """(Chinese name, listed Latin name) from the case file."""
    pairs = []
    path = os.path.join(ROOT, "tests/screen/chinese.pairs")
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            if line.startswith("match:"):
                a, b = line[6:].split("|")[:2]
                pairs.append((a.strip(), b.strip()))
    return pairs


def main():
    args = sys.argv[1:]
    tg = args[0] if args and not args[0].startswith("--") else os.path.join(ROOT, "build/tollgate")
    n = int(args[args.index("--n") + 1]) if "--n" in args else 1500
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 5
    half = args[args.index("--half") + 1] if "--half" in args else "bench"
    rnd = random.Random(seed)
    d = json.load(open(LIST, encoding="utf-8"))
    sources = d["tables"]["sources"]
    entries = d["entries"]
    df = collections.Counter()
    for e in entries:
        for t in set(norm_tokens(e["n"])):
            df[t] += 1
    vocab_dels = set()
    for t in df:
        vocab_dels |= deletions(t, 1) if len(t) < 10 else {t}
    sample = rnd.sample(entries, n)
    queries = []  # (kind, query, expected name or None)
    for e in sample:
        name, ind = e["n"], e.get("t") == "Individual"
        variants = {"typo": typo(name, rnd), "reorder": reorder(name, ind),
                    "abbreviation": abbreviate(name)}
        if not ind:
            variants["suffix"] = suffix_change(name, rnd)
        for kind, q in variants.items():
            if q and q != name:
                queries.append((kind, q, name))
        toks = [t for t in re.findall(r"[A-Za-z0-9']+", name)]
        if len(norm_tokens(name)) >= 2:
            rare = max(toks, key=lambda t: (math.log(len(entries) / (1 + df[t.lower()])), len(t)))
            queries.append(("neg-replaced", name.replace(rare, invented(rnd, vocab_dels), 1), None))
    for a, b in chinese_pairs():
        queries.append(("chinese", a, b))
    for _ in range(n // 3):
        queries.append(("neg-company", " ".join([invented(rnd, vocab_dels)] + rnd.sample(WORDS, 2) +
                                                 [rnd.choice(SUFFIXES)]).strip(), None))
        queries.append(("neg-person", rnd.choice(FIRST) + " " + invented(rnd, vocab_dels) + " " +
                        rnd.choice(LAST), None))
    # real names of parties on no list, the half never fitted on
    for w in screen_realnames.companies(half):
        queries.append(("neg-real-company", w, None))
    for w, _ in screen_realnames.delisted(half):
        queries.append(("neg-real-delisted", w, None))
    for w in random.Random(seed).sample(screen_realnames.persons(half), 1000):
        queries.append(("neg-real-person", w, None))
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name"])
        for i, (_, q, _) in enumerate(queries):
            w.writerow([i, q])
        path = f.name
    out = subprocess.run([tg, "screen", "--batch", path, "--json", "--list", LIST, "--list", UN, "--limit", "50"],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(path)
    results = {}
    for line in out.splitlines():
        r = json.loads(line)
        results[int(r["id"])] = r
    stats = collections.defaultdict(lambda: [0, 0])
    misses = collections.defaultdict(list)
    for i, (kind, q, want) in enumerate(queries):
        hits = results.get(i, {}).get("hits", [])
        if want is None:
            bad = bool(hits)
            stats[kind][0] += bad
            if bad:
                misses[kind].append((q, hits[0]["name"], hits[0]["score"]))
        else:
            ok = any(h["name"].lower() == want.lower() or
                     want.lower() in [a.lower() for a in h.get("aka", [])] for h in hits)
            stats[kind][0] += ok
            if not ok:
                misses[kind].append((q, want, hits[0]["score"] if hits else None))
        stats[kind][1] += 1
    pos = [k for k in stats if not k.startswith("neg")]
    neg = [k for k in stats if k.startswith("neg")]
    print("Screening quality at the default threshold (%d sampled entries, seed %d)" % (n, seed))
    for k in sorted(pos):
        print("  recall %-14s %5d / %5d = %.4f" % (k, stats[k][0], stats[k][1], stats[k][0] / stats[k][1]))
    for k in sorted(neg):
        print("  false positives %-14s %4d / %5d = %.4f" % (k, stats[k][0], stats[k][1], stats[k][0] / stats[k][1]))
    tp = sum(stats[k][0] for k in pos)
    tpn = sum(stats[k][1] for k in pos)
    fp = sum(stats[k][0] for k in neg)
    fpn = sum(stats[k][1] for k in neg)
    print("RECALL %.4f (%d/%d)   FALSE-POSITIVE RATE %.4f (%d/%d)" % (tp / tpn, tp, tpn, fp / fpn, fp, fpn))
    real = [k for k in neg if k.startswith("neg-real")]
    rfp, rn = sum(stats[k][0] for k in real), sum(stats[k][1] for k in real)
    print("REAL NON-LISTED NAMES (%s half): FALSE-POSITIVE RATE %.4f (%d/%d)" % (half, rfp / rn, rfp, rn))
    if "-v" in args:
        lim = int(args[args.index("-v") + 1]) if args.index("-v") + 1 < len(args) and args[args.index("-v") + 1].isdigit() else 15
        for k, v in misses.items():
            for m in v[:lim]:
                print("  miss %s: %r -> %r (%s)" % (k, m[0], m[1], m[2]))


if __name__ == "__main__":
    main()
