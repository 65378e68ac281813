#!/usr/bin/python3
"""screen_arabic.py - builds data/screening/arabic-names.tsv, the Latin
spelling of Arabic name words, from the UN Security Council consolidated
list (../shared/data/lists/un-consolidated-2026-02.xml): each person whose
NAME_ORIGINAL_SCRIPT is Arabic is listed with a Latin name too; where both
have as many words (the article ال and Latin "al-" set apart), the words
are paired in order and each Arabic word keeps its most frequent Latin
spelling.  Only the words of a name's structure are kept (Abd, Abu, bin,
ibn, Ould, Ag, al-Din, Allah, bint, Umm: STRUCTURE), which the normaliser
joins into compounds as it joins their Latin spellings; other words are
compared by their letters (data/screening/arabic-letters.tsv), which spell
more of their Latin forms than one learned spelling does: in a 2-fold
split of the train part (table from one half, recall on the other) the
letters alone found 0.931 and 0.907 of the names, with all learned words
0.915 and 0.881.  Only entities of the "train" part (the split of
tools/screen_devset.py) are read: bench/screen_crossscript.py reports
recall on the others.  Usage: tools/screen_arabic.py"""
import collections, hashlib, os, re
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UN = os.path.join(ROOT, "..", "shared", "data", "lists", "un-consolidated-2026-02.xml")
ARTICLE = "\u0627\u0644"  # ال
STRUCTURE = {"abd", "abdul", "abu", "abou", "bin", "ben", "ibn", "ould", "ag", "din", "allah",
             "bint", "umm"}

# Words whose letters do not spell their Latin form, from Arabic orthography,
# not from the list: أم Umm "mother of" (a kunya like Abu; ALA-LC writes
# "Umm"), two letters that the letter code cannot match alone; عمرو ʻAmr,
# whose final waw is not read: it is written to tell the name from عمر ʻUmar
# (English Wikipedia, "Amr (name)").
FIXED = {"\u0623\u0645": "umm", "\u0639\u0645\u0631\u0648": "amr"}


def split_of(group):  # as tools/screen_devset.py
    return "test" if int(hashlib.sha1(group.encode()).hexdigest(), 16) % 10 < 3 else "train"


def arabic_words(s):
    out = []
    for w in re.findall(r"[\u0621-\u064A\u0671-\u06D3]+", s.replace("\u0640", "")):
        if w.startswith(ARTICLE) and len(w) > 3:
            w = w[2:]
        out.append(w)
    return out


def latin_words(s):
    return [w for w in re.findall(r"[a-z]+", s.lower().replace("'", "")) if w not in ("al", "el")]


seen = collections.defaultdict(collections.Counter)
root = ET.parse(UN).getroot()
for ind in root.iter("INDIVIDUAL"):
    ref = ind.findtext("REFERENCE_NUMBER") or ind.findtext("DATAID")
    orig = ind.findtext("NAME_ORIGINAL_SCRIPT") or ""
    if split_of("un:" + ref) != "train" or not re.search(r"[\u0600-\u06FF]", orig):
        continue
    parts = [ind.findtext(t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    a, l = arabic_words(orig), latin_words(" ".join(p for p in parts if p))
    if len(a) == len(l):
        for x, y in zip(a, l):
            if len(x) <= 12:
                seen[x][y] += 1
with open(os.path.join(ROOT, "data", "screening", "arabic-names.tsv"), "w", encoding="utf-8") as f:
    f.write("# arabic-names.tsv - built by tools/screen_arabic.py; do not edit.  Arabic name\n"
            "# words (without the article) and their Latin spelling, paired in order from\n"
            "# the Arabic and Latin names of the persons on the UN Security Council\n"
            "# consolidated list (2026-02), train part only; only the words of a\n"
            "# name's structure (Abd, Abu, bin, Allah...).  Other words are coded by\n"
            "# arabic-letters.tsv.  <arabic> TAB <latin>\n")
    kept = [w for w in sorted(seen) if seen[w].most_common(1)[0][0] in STRUCTURE]
    for w in kept:
        f.write(f"{w}\t{seen[w].most_common(1)[0][0]}\n")
    for w in sorted(FIXED):
        if w not in kept:
            f.write(f"{w}\t{FIXED[w]}\n")
print(f"{len(kept)} Arabic name words (of {len(seen)} paired)")
