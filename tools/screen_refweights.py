#!/usr/bin/python3
"""screen_refweights.py - builds data/screening/token-df.tsv, the reference
token weights that `tollgate match` (and POST /v1/match) weigh words by when
no list is loaded, so that a pairwise score is on the scale of a screening
score (the scorer's weights, data/screening/weights.tsv, were fitted with
list IDF weights: tools/screen_fit.py).

Source: the index's own vocabulary of the US Consolidated Screening List of
2026-07-31 and the UN Security Council consolidated list of 2026-02
(../shared/data/lists), dumped by `build/bench_screen_pairs vocab`: every
token (and joined pair of adjacent tokens) the index makes from the names
and aliases, normalised by the library with the tables of data/screening/,
and its document frequency (the number of indexed names holding it).  Only
tokens in 2 names or more are kept: a token in one name weighs
ln(1 + names), the weight the library gives a token not in the table, as
the index gives a token it has not seen, so leaving them out changes no
weight.  The library weighs a token ln(1 + names / df), as screen_index.c.

Rerun after a change of the normalisation tables (legal forms, stopwords,
abbreviations ...) or of the lists.
Usage: tools/screen_refweights.py [BUILD_DIR]"""
import os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
LISTS = os.path.join(ROOT, "..", "shared", "data", "lists")
FILES = ["csl-2026-07-31.compact.json", "un-consolidated-2026-02.xml"]
MIN_DF = 2
OUT = os.path.join(ROOT, "data", "screening", "token-df.tsv")

# the library loads the table it is building: any valid one will do (the
# vocabulary does not depend on it), so a missing one starts as a stub
if not os.path.exists(OUT):
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# stub for tools/screen_refweights.py\n@names\t1\n")
out = subprocess.run([os.path.join(BUILD, "bench_screen_pairs"), "vocab"] +
                     [os.path.join(LISTS, f) for f in FILES],
                     capture_output=True, text=True, check=True).stdout.splitlines()
head, rows = out[0].split("\t"), [l.split("\t") for l in out[1:]]
assert head[0] == "@names" and int(head[1]) > 0, head
names = int(head[1])
kept = sorted(((t, int(df)) for t, df in rows if int(df) >= MIN_DF), key=lambda r: r[0].encode())
with open(OUT, "w", encoding="utf-8") as f:
    f.write("# token-df.tsv - reference token weights for comparing two names with no\n"
            "# list loaded (tollgate match): TOKEN TAB the number of indexed names\n"
            "# holding it.  Source: the screening index's vocabulary of %s\n"
            "# (US Consolidated Screening List) and %s (UN Security\n"
            "# Council consolidated list), ../shared/data/lists; built by\n"
            "# tools/screen_refweights.py.  @names: the names indexed.  Kept: tokens in\n"
            "# %d names or more (%d of %d); the rest weigh as a token in one name, as\n"
            "# the index weighs a token it has not seen.  Weight ln(1 + names/df).\n"
            "# Sorted by bytes; do not edit by hand.\n" % (FILES[0], FILES[1], MIN_DF, len(kept), len(rows)))
    f.write("@names\t%d\n" % names)
    for t, df in kept:
        f.write("%s\t%d\n" % (t, df))
print("%s: %d names, %d of %d tokens kept (df >= %d)" % (OUT, names, len(kept), len(rows), MIN_DF))
