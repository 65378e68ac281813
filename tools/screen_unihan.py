#!/usr/bin/python3
"""screen_unihan.py - builds data/screening/han-readings.tsv and
data/screening/wade-giles.tsv from Unicode's Unihan database (the
Unihan_Readings.txt and Unihan_Variants.txt of Unicode 15.0, as Debian's
unicode-data package installs them under /usr/share/unicode/).  Run once;
the tables are committed and nothing at build or test time needs this.

han-readings.tsv: a Han character and its other romanizations of names,
the systems apart by TAB, readings of one system apart by a space:
  Cantonese   kCantonese (Jyutping, tone digits dropped) and a Hong Kong
              style spelling of it (the usual spelling of names there:
              g->k, d->t, b->p, z/c->ch, j->y, oe->eu, aa->a)
  Japanese    kJapaneseOn and kJapaneseKun (Hepburn without macrons: long
              ou/uu/oo written once; adjectives and -eru/-iru verbs as the
              stem names use: takai -> taka)
  Korean      kHangul, romanized by the Revised Romanization and in the
              McCune-Reischauer style without breves (eo, eu -> o, u;
              initial g, d, b, j -> k, t, p, ch)
A simplified character without Korean readings borrows those of its
traditional form (kTraditionalVariant), as Korean names written in
Chinese text take simplified forms (卢武铉 for 盧武鉉).  It does not
borrow Japanese readings: a character Unihan gives no Japanese reading
is not written in Japan (the simplified forms that Japan's own
simplification shares, as 国, have their own readings there), so a
name written with it is read as Chinese, not in Japanese kun and on
readings that would make a common Chinese name near another name
(王伟 read "kimi"+"i" was 0.83 against KIMIA).  Only characters in common
use are kept: those of the Table of General Standard Chinese Characters
(kTGHZ2013) or with both a Japanese and a Korean reading.

wade-giles.tsv: each toneless pinyin syllable of kMandarin and its
Wade-Giles spelling without apostrophes or umlauts, by the system's
rules of initials (b p d t g k -> p p' t t' k k', zh ch -> ch ch', z c
-> ts ts', j q x -> ch ch' hs, r -> j) and finals (ong -> ung, ian ->
ien, ie -> ieh, uo -> o after labials and some initials, e -> o after
g k h, zi ci si -> tzu tz'u ssu, zhi chi shi ri -> chih ch'ih shih jih).

Usage: tools/screen_unihan.py [unihan_dir]"""
import bz2, os, re, sys, unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "data", "screening")


def read_unihan(path):
    fields = {}
    version = None
    with bz2.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("# Unicode version:"):
                version = line.split(":", 1)[1].strip()
            if not line.startswith("U+"):
                continue
            cp, key, val = line.rstrip("\n").split("\t", 2)
            fields.setdefault(chr(int(cp[2:], 16)), {})[key] = val
    return fields, version


def toneless(pinyin):
    s = unicodedata.normalize("NFD", pinyin)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("ü", "v").lower()


def wade_giles(py):
    """One toneless pinyin syllable ("v" for u-umlaut) to Wade-Giles (ASCII)."""
    special = {"zi": "tzu", "ci": "tzu", "si": "ssu", "zhi": "chih", "chi": "chih",
               "shi": "shih", "ri": "jih", "er": "erh", "yi": "i", "you": "yu",
               "yan": "yen", "ye": "yeh", "yue": "yueh", "yuan": "yuan", "yong": "yung",
               "e": "o", "ge": "ko", "ke": "ko", "he": "ho", "guo": "kuo", "kuo": "kuo",
               "huo": "huo", "shuo": "shuo"}
    if py in special:
        return special[py]
    init = ""
    for i in ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h",
              "j", "q", "x", "r", "z", "c", "s", "y", "w"):
        if py.startswith(i):
            init = i
            break
    fin = py[len(init):]
    wi = {"b": "p", "p": "p", "d": "t", "t": "t", "g": "k", "k": "k", "zh": "ch", "ch": "ch",
          "z": "ts", "c": "ts", "j": "ch", "q": "ch", "x": "hs", "r": "j"}.get(init, init)
    if init in ("j", "q", "x", "y") and fin.startswith("u"):
        fin = "v" + fin[1:]  # ju = jv
    fin = fin.replace("v", "u")
    if fin.endswith("ong"):
        fin = fin[:-3] + "ung"
    elif fin.endswith("ian"):
        fin = fin[:-3] + "ien"
    elif fin.endswith("ie") or fin == "ue":
        fin = fin + "h"
    elif fin == "uo" and init in ("b", "p", "m", "f", "d", "t", "n", "l", "zh", "ch", "sh", "r", "z", "c", "s"):
        fin = "o"
    elif fin == "ui":
        fin = "uei" if init in ("k", "g", "h") else "ui"
    elif fin == "e" and init in ("d", "t", "n", "l", "z", "c", "s", "zh", "ch", "sh", "r"):
        fin = "e"
    return wi + fin


HK = [("oeng", "eung"), ("oek", "euk"), ("eoi", "ui"), ("eon", "un"), ("eot", "ut"), ("oe", "eu"),
      ("aa", "a"), ("yu", "ue")]


def hk_style(jp):
    """Jyutping (toneless) to a Hong Kong style spelling of names."""
    s = jp
    for a, b in HK:
        s = s.replace(a, b)
    for a, b in (("gw", "kw"), ("g", "k"), ("d", "t"), ("b", "p"), ("z", "ch"), ("c", "ch"), ("j", "y")):
        if s.startswith(a):
            s = b + s[len(a):]
            break
    if s == "lei" or s.endswith("ei") and len(s) <= 3:
        s = s[:-2] + "ee"
    return s


def hepburn(r):
    s = r.lower().replace("-", "")
    for a, b in (("ou", "o"), ("oo", "o"), ("uu", "u")):
        s = s.replace(a, b)
    return s


def name_stem(kun):
    """A kun reading as names use it: adjectives and verbs without their
    inflected ending (takai -> taka, kiyoi -> kiyo, tateru -> tate)."""
    if len(kun) > 4 and kun.endswith(("ai", "oi", "ui")):
        return kun[:-1]
    if len(kun) > 5 and kun.endswith(("eru", "iru")):
        return kun[:-2]
    return kun


# Hangul jamo in RR and in McCune-Reischauer style (ASCII, syllable alone)
L_RR = "g kk n d tt r m b pp s ss _ j jj ch k t p h".split()
L_MR = "k kk n t tt r m p pp s ss _ ch tch ch k t p h".split()
V_RR = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
V_MR = "a ae ya yae o e yo ye o wa wae oe yo u wo we wi yu u ui i".split()
T_RR = "_ k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()


def hangul(syl, mr):
    i = ord(syl) - 0xAC00
    if not 0 <= i < 11172:
        return None
    l, v, t = i // 588, (i % 588) // 28, i % 28
    s = (L_MR if mr else L_RR)[l] + (V_MR if mr else V_RR)[v] + T_RR[t]
    return s.replace("_", "")


def uniq(xs, cap):
    out = []
    for x in xs:
        if x and x not in out and re.fullmatch("[a-z]+", x):
            out.append(x)
    return out[:cap]


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode"
    read, version = read_unihan(os.path.join(src, "Unihan_Readings.txt.bz2"))
    var, _ = read_unihan(os.path.join(src, "Unihan_Variants.txt.bz2"))

    def trad_of(c):
        v = var.get(c, {}).get("kTraditionalVariant", "")
        return [chr(int(x[2:], 16)) for x in v.split() if chr(int(x[2:], 16)) != c]

    rows = []
    syllables = set()
    for c in sorted(read):
        f = read[c]
        for m in f.get("kMandarin", "").split():
            syllables.add(toneless(m))
        jp_kr = dict(f)
        for t in trad_of(c):
            for k in ("kHangul",):  # not Japanese: see the docstring
                if k not in jp_kr and k in read.get(t, {}):
                    jp_kr[k] = read[t][k]
        common = "kTGHZ2013" in f or (("kJapaneseOn" in f or "kJapaneseKun" in f) and "kHangul" in f)
        if not common:
            continue
        jy = [re.sub(r"\d", "", x) for x in f.get("kCantonese", "").split()][:1]
        canto = uniq(jy + [hk_style(x) for x in jy], 3)
        on = uniq([hepburn(x) for x in jp_kr.get("kJapaneseOn", "").split()], 2)
        kun = uniq([name_stem(hepburn(x)) for x in jp_kr.get("kJapaneseKun", "").split()], 3)
        hg = [x.split(":")[0] for x in jp_kr.get("kHangul", "").split()][:2]
        rr = uniq([hangul(h, False) for h in hg if len(h) == 1], 2)
        mr = uniq([hangul(h, True) for h in hg if len(h) == 1], 2)
        if canto or on or kun or rr:
            rows.append((c, " ".join(canto), " ".join(on), " ".join(kun), " ".join(rr), " ".join(mr)))
    with open(os.path.join(OUT, "han-readings.tsv"), "w", encoding="utf-8") as o:
        o.write("# han-readings.tsv - other romanizations of Han characters in names:\n"
                "# <char> TAB <Cantonese> TAB <Japanese on> TAB <Japanese kun> TAB <Korean\n"
                "# RR> TAB <Korean McCune-Reischauer style>, readings of one\n"
                "# system apart by a space.  Source: Unicode's Unihan database, version\n"
                "# %s (Unihan_Readings.txt: kCantonese, kJapaneseOn, kJapaneseKun,\n"
                "# kHangul; Unihan_Variants.txt: kTraditionalVariant), converted by\n"
                "# tools/screen_unihan.py (Jyutping and a Hong Kong style spelling;\n"
                "# Hepburn without macrons; Revised Romanization and McCune-Reischauer\n"
                "# style without breves).  Generated: do not edit.\n" % version)
        for r in rows:
            o.write("\t".join(r) + "\n")
    with open(os.path.join(OUT, "wade-giles.tsv"), "w", encoding="utf-8") as o:
        o.write("# wade-giles.tsv - toneless pinyin syllables (Unihan %s kMandarin)\n"
                "# and their Wade-Giles spelling without apostrophes and umlauts:\n"
                "# <pinyin> TAB <wade-giles>; only syllables that differ.  Generated\n"
                "# by tools/screen_unihan.py: do not edit.\n" % version)
        for s in sorted(syllables):
            if not re.fullmatch("[a-z]+", s.replace("v", "u")):
                continue
            w = wade_giles(s)
            key = s.replace("v", "u")  # ICU Latin-ASCII writes u-umlaut as u
            if w != key:
                o.write("%s\t%s\n" % (key, w))
    print("%d characters, Unihan %s" % (len(rows), version))


if __name__ == "__main__":
    main()
