#!/usr/bin/python3
"""screen_devset.py - builds the screening development set,
data/screening/devset.tsv, from real list material plus synthetic hard
variants.  Columns: split (train/test: by entity, ~30% test, never fitted
on), label (1 match / 0 non-match), type (person/org/vessel), script (of
the harder name), kind (where the pair comes from), name1 (the name
screened: a variant, alias or non-listed name), name2 (the listed name).

Sources (../shared/data, read-only):
  lists/un-consolidated-2026-02.xml   UN names, original-script names and
                                      aliases of one entry: matches
  lists/ofac-sdn-2019.csv + alt.csv   SDN names and their a.k.a.s: matches
  lists/csl-2026-07-31.compact.json   CSL names and alt names: matches; names
                                      of different entries sharing a token:
                                      non-matches
  screening-dev/positives_un_*.csv    UN persons as listed / perturbed: matches
  screening-dev/negatives_global.csv  non-listed persons against the nearest
                                      listed names (bench_screen_pairs near):
                                      non-matches
Synthetic variants of listed names (matches): initials, middle names and
patronymics dropped, tokens joined, "LAST, First", romanization variants,
typos (transposed letters in every long word; one letter left out, doubled,
swapped or replaced in one word), legal forms spelled out / abbreviated / changed, numbers as words,
the distinctive short name.  Synthetic non-matches: another family name,
a series marker (II), a country or branch qualifier, one syllable of a
short East Asian name changed.
Usage: tools/screen_devset.py [BUILD_DIR]   (fixed seed: reproducible)"""
import csv, hashlib, json, os, random, re, subprocess, sys, unicodedata
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import screen_realnames  # noqa: E402  (real non-listed names, dev half)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared", "data")
LISTS = os.path.join(SHARED, "lists")
DEV = os.path.join(SHARED, "screening-dev")
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
R = random.Random(9)
rows = []


def split_of(group):
    return "test" if int(hashlib.sha1(group.encode()).hexdigest(), 16) % 10 < 3 else "train"


def script(*names):
    best = "latin"
    for n in names:
        for ch in n:
            if ord(ch) < 0x250 or not ch.isalpha():
                continue
            nm = unicodedata.name(ch, "")
            for key, s in (("CJK", "han"), ("HANGUL", "hangul"), ("HIRAGANA", "kana"),
                           ("KATAKANA", "kana"), ("CYRILLIC", "cyrillic"), ("ARABIC", "arabic"),
                           ("GREEK", "greek"), ("HEBREW", "hebrew"), ("THAI", "thai"),
                           ("DEVANAGARI", "devanagari")):
                if nm.startswith(key):
                    return s
            best = "other"
    return best


def add(group, label, typ, kind, listed, query):
    """A pair: the listed name and the name screened against it; written
    as name1 = the query (the customer's string), name2 = the listed name,
    the roles the scorer gives them."""
    b, a = listed.strip(), query.strip()
    if not a or not b or a == b and label == 1 and kind not in ("short",):
        return
    if "\t" in a + b or "\n" in a + b:
        return
    rows.append((split_of(group), label, typ, script(a, b), kind, a, b))


# ---- real alias groups --------------------------------------------------
def shares_half(a, b):
    """Whether half of b's words (4-letter prefixes) are among a's."""
    ta = {w[:4] for w in re.findall(r"[a-z0-9]+", a.lower())}
    tb = [w[:4] for w in re.findall(r"[a-z0-9]+", b.lower())]
    return bool(tb) and sum(w in ta for w in tb) * 2 >= len(tb)


groups = []  # (group id, type, [names])
root = ET.parse(os.path.join(LISTS, "un-consolidated-2026-02.xml")).getroot()
for ind in root.iter("INDIVIDUAL"):
    ref = ind.findtext("REFERENCE_NUMBER") or ind.findtext("DATAID")
    parts = [ind.findtext(t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    main = " ".join(p.strip() for p in parts if p and p.strip())
    names = [main]
    orig = ind.findtext("NAME_ORIGINAL_SCRIPT")
    if orig and orig.strip():
        names.append(orig.strip())
    for al in ind.iter("INDIVIDUAL_ALIAS"):
        n = al.findtext("ALIAS_NAME")
        if n and n.strip() and (al.findtext("QUALITY") or "") != "Low":
            names.append(n.strip())
    groups.append(("un:" + ref, "person", names))
for ent in root.iter("ENTITY"):
    ref = ent.findtext("REFERENCE_NUMBER") or ent.findtext("DATAID")
    names = [ent.findtext("FIRST_NAME") or ""]
    for al in ent.iter("ENTITY_ALIAS"):
        n = al.findtext("ALIAS_NAME")
        if n and n.strip():
            names.append(n.strip())
    groups.append(("un:" + ref, "org", names))

sdn = {}
with open(os.path.join(LISTS, "ofac-sdn-2019.csv"), encoding="latin-1") as f:
    for r in csv.reader(f):
        if len(r) > 3:
            t = r[2].strip().strip('"')
            typ = "person" if t == "individual" else "vessel" if t == "vessel" else "org"
            sdn[r[0]] = (typ, [r[1]])
with open(os.path.join(LISTS, "ofac-alt-2019.csv"), encoding="latin-1") as f:
    for r in csv.reader(f):
        if len(r) > 3 and r[0] in sdn and r[2].strip('" ') in ("aka", "fka"):
            sdn[r[0]][1].append(r[3])


def sdn_name(n):  # "PUTIN, Vladimir" as OFAC writes it: kept, the scorer is order-free
    return n.strip()


for k, (typ, names) in sdn.items():
    groups.append(("ofac:" + k, typ, [sdn_name(n) for n in names]))

csl = json.load(open(os.path.join(LISTS, "csl-2026-07-31.compact.json")))["entries"]
for i, e in enumerate(csl):
    t = (e.get("t") or "").lower()
    typ = "person" if t == "individual" else "vessel" if t == "vessel" else "org"
    groups.append(("csl:%d" % i, typ, [e["n"]] + list(e.get("a") or [])))

for gid, typ, names in groups:
    names = [n for n in dict.fromkeys(names) if n and len(n) < 200]
    if not gid.startswith("un:") and R.random() > 0.2:
        continue
    for b in names[1:4]:
        if script(b) == "latin" and not shares_half(names[0], b):
            continue  # a former or other name, not a spelling of this one
        add(gid, 1, typ, "alias", names[0], b)

with open(os.path.join(DEV, "positives_un_untreated.csv"), encoding="utf-8") as f1, \
     open(os.path.join(DEV, "positives_un_treated.csv"), encoding="utf-8") as f2:
    for a, b in zip(csv.DictReader(f1), csv.DictReader(f2)):
        add("un-dev:" + a["full_name"], 1, "person", "perturbed", a["full_name"], b["full_name"])

# ---- synthetic variants ---------------------------------------------------
ROMAN = [("muhammad", "mohammed", "mohamed", "mohammad", "muhammed"), ("ahmed", "ahmad"),
         ("hussein", "husain", "hussain", "husayn"), ("osama", "usama"), ("yusuf", "yousef", "youssef"),
         ("abdul", "abdel"), ("abdullah", "abdallah"), ("omar", "umar"), ("khalid", "khaled"),
         ("mahmoud", "mahmud"), ("mustafa", "mostafa"), ("hassan", "hasan"), ("said", "saeed", "sayed"),
         ("ibrahim", "ebrahim"), ("yasin", "yassin"), ("jamal", "gamal"), ("rahman", "rehman"),
         ("aleksandr", "alexander", "aleksander"), ("sergei", "sergey", "sergej"), ("yuri", "yury", "juri"),
         ("evgeny", "yevgeniy", "jewgeni"), ("dmitry", "dmitri", "dmitrij"), ("andrei", "andrey"),
         ("nikolai", "nikolay"), ("alexei", "aleksey", "alexey"), ("vladimir", "wladimir"),
         ("volodymyr", "wolodymyr"), ("zelenskyy", "selenskyj", "zelensky"), ("zedong", "tse tung"),
         ("jong", "chong"), ("kim", "gim")]
ROMAN_OF = {w: g for g in ROMAN for w in g}
FORMS = {"ag": "Aktiengesellschaft", "gmbh": "Gesellschaft mit beschraenkter Haftung",
         "ltd": "Limited", "co": "Company", "corp": "Corporation", "inc": "Incorporated",
         "llc": "Limited Liability Company", "sa": "Sociedad Anonima",
         "ooo": "Obshchestvo s Ogranichennoy Otvetstvennostyu", "jsc": "Joint Stock Company",
         "plc": "Public Limited Company", "kk": "Kabushiki Kaisha"}
NUMS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
COUNTRIES = ["Chile", "Mexico", "Germany", "UK", "Brasil", "India", "Turkey", "Russia", "Iran", "China"]
SYLS = ["jong", "il", "un", "chol", "song", "min", "hyun", "wei", "ming", "jun", "hua", "li", "yong"]


def typo(w):
    if len(w) < 5:
        return w
    i = R.randrange(1, len(w) - 2)
    return w[:i] + w[i + 1] + w[i] + w[i + 2:]


def given_family(n):
    """A person's name as tokens, given names first and the family name
    last: "HAMDAN, Salim Ahmad" (the lists' "FAMILY, Given" form) is
    [Salim, Ahmad, HAMDAN], so the variants below drop a middle name, not
    the first given name (a namesake: "HAMDAN, Ahmad")."""
    if n.count(",") == 1:
        family, given = n.split(",")
        return given.split() + family.split()
    return n.split()


def one_edit_typo(name):
    """One slip of the keyboard in one word of 5+ letters: a letter left
    out, doubled, swapped with the next or replaced by another (the
    transpositions of typo() alone miss the commoner kinds)."""
    words = [m for m in re.finditer(r"[A-Za-z]{5,}", name)]
    if not words:
        return None
    m = R.choice(words)
    w, i = m.group(0), R.randrange(1, len(m.group(0)) - 1)
    op = R.choice("ddst")
    if op == "d":
        w2 = w[:i] + w[i + 1:] if R.random() < 0.5 else w[:i] + w[i] + w[i:]
    elif op == "s":
        c = R.choice("abcdefghijklmnopqrstuvwxyz".replace(w[i].lower(), ""))
        w2 = w[:i] + (c.upper() if w[i].isupper() else c) + w[i + 1:]
    else:
        w2 = w[:i] + w[i + 1] + w[i] + w[i + 2:]
    return name[:m.start()] + w2 + name[m.end():]


def person_variants(n):
    toks = given_family(n)
    if len(toks) < 2 or not all(t.isascii() for t in toks):
        return []
    out = []
    first, last = toks[0], toks[-1]
    out.append(("initial", " ".join([first[0] + "."] + toks[1:])))
    if len(toks) >= 3:
        out.append(("no-middle", first + " " + last))
    out.append(("patronymic", " ".join(toks[:-1] + [first.capitalize() + "ovich", last])))
    out.append(("joined", first + last))
    out.append(("last-first", last.upper() + ", " + " ".join(toks[:-1])))
    r = [ROMAN_OF.get(t.lower()) for t in toks]
    if any(r):
        out.append(("romanization", " ".join(R.choice([x for x in g if x != t.lower()]) if g else t
                                              for t, g in zip(toks, r))))
    out.append(("typo", " ".join(typo(t) if len(t) > 5 else t for t in toks)))
    e = one_edit_typo(n)
    if e:
        out.append(("typo-edit", e))
    return out


def person_negatives(n, surnames):
    toks = given_family(n)
    if len(toks) < 2:
        return []
    out = [("other-family", " ".join(toks[:-1] + [R.choice(surnames)]))]
    if all(len(t) <= 5 for t in toks) and len(toks) <= 3:
        i = R.randrange(len(toks))
        s = R.choice([x for x in SYLS if x != toks[i].lower()])
        out.append(("syllable", " ".join(toks[:i] + [s.capitalize()] + toks[i + 1:])))
    return out


def org_variants(n, short):
    """Variants of an organization's name; short is (word, label) for the
    name written as its one distinctive word, or None."""
    toks = n.replace(",", " ").split()
    low = [t.lower().strip(".") for t in toks]
    out = []
    for i, t in enumerate(low):
        if t.replace(".", "") in FORMS:
            out.append(("legal-form", " ".join(toks[:i] + [FORMS[t.replace('.', '')]] + toks[i + 1:])))
            out.append(("no-legal-form", " ".join(toks[:i] + toks[i + 1:])))
            break
        if t.isdigit() and int(t) < len(NUMS):
            out.append(("number-word", " ".join(toks[:i] + [NUMS[int(t)].capitalize()] + toks[i + 1:])))
    if short and short[1]:
        out.append(("short", short[0]))
    out.append(("typo", " ".join(typo(t) if len(t) > 6 else t for t in toks)))
    e = one_edit_typo(n)
    if e:
        out.append(("typo-edit", e))
    out.append(("lower", n.lower()))
    return out


def org_negatives(n):
    toks = n.split()
    k = len(toks)
    for i, t in enumerate(toks):
        if t.lower().strip(".,") in FORMS:
            k = i
            break
    if k < 1:
        return []
    return [("series", " ".join(toks[:k] + ["II"] + toks[k:])),
            ("country-branch", " ".join(toks[:k] + [R.choice(COUNTRIES)] + toks[k:]))]


GENERIC_DF = 20  # a word on 20+ listed names proves little ("technology")
RARE_DF = 3      # a word on at most 3 listed names is distinctive


def far(a, b):
    """Whether two words are not spellings of one another."""
    a, b = a.lower(), b.lower()
    return a[:2] != b[:2] and a[-2:] != b[-2:] and abs(len(a) - len(b)) <= 4


def distinct_negatives(toks, person=False):
    """Different parties that share all but a distinctive word: the word
    replaced by another real one of the lists ("replaced"), or, for
    organizations with two distinctive words, the first or last of them
    left out ("dropped": "Stellar Oracle" is not "Oracle"; a word left out
    inside a name is a missing middle name, which costs little)."""
    rare = [t for t in toks if len(t) >= 4 and t.isalpha() and df.get(t.lower(), 0) <= RARE_DF]
    if len(toks) < 2 or not rare:
        return []
    out = []
    t = R.choice(rare)
    for _ in range(20):
        w = R.choice(rare_vocab)
        if far(w, t):
            out.append(("replaced", " ".join(w.capitalize() if x == t else x for x in toks)))
            break
    edge = [x for x in (toks[0], toks[-1]) if x in rare]
    if not person and len(rare) >= 2 and edge:  # a first or last word left out
        out.append(("dropped", " ".join(x for x in toks if x != edge[0])))
    return out


def short_name(toks, rare):
    """The name written as its one distinctive word, labelled: a match
    ("Huawei" for "Huawei Technologies Co., Ltd.") when the rest of the
    name is legal forms and at most one word generic among organization
    names, and the word is not one that real non-listed names use too
    ("Atlantic", "Saving"); a non-match when more is left: another
    distinctive word ("Alexanyan" is not "Vladimir Alexanyan") or a line
    of business ("Accenture" is not "Accenture Building Materials
    Trading").  None when there is no single distinctive word."""
    if len(rare) != 1 or len(toks) < 2:
        return None
    word = rare[0]
    other = [t for t in toks if t != word and t.lower().strip(".") not in LEGAL]
    generic = all(org_df.get(t.lower(), 0) >= GENERIC_DF for t in other)
    if len(other) <= 1 and generic:
        return None if word.lower() in real_words else (word, 1)
    return (word, 0)


df, org_df = {}, {}
for gid, typ, names in groups:
    for t in set(re.findall(r"[a-z0-9]+", names[0].lower())):
        df[t] = df.get(t, 0) + 1
        if typ == "org":
            org_df[t] = org_df.get(t, 0) + 1
LEGAL = set(FORMS) | {w.lower() for v in FORMS.values() for w in v.split()}
for line in open(os.path.join(ROOT, "data", "screening", "legal-forms.txt"), encoding="utf-8"):
    if line.strip() and not line.startswith("#"):
        LEGAL.add(line.strip())
# words of real non-listed names (the dev half only)
real_words = set()
for n in (screen_realnames.companies("dev") + [n for n, _ in screen_realnames.delisted("dev")]
          + screen_realnames.persons("dev")):
    real_words.update(w for w in re.findall(r"[a-z]+", n.lower()) if len(w) >= 3)
surnames = [given_family(g[2][0])[-1] for g in groups if g[1] == "person" and g[2][0].split()]
rare_vocab = sorted(t for t, c in df.items() if c <= RARE_DF and t.isalpha() and len(t) >= 5)
for gid, typ, names in groups:
    n = names[0]
    if not n.isascii() or R.random() > (0.5 if gid.startswith("un:") else 0.12):
        continue
    if typ == "person":
        for kind, v in person_variants(n):
            add(gid, 1, typ, kind, n, v)
        for kind, v in person_negatives(n, surnames):
            add(gid, 0, typ, kind, n, v)
    else:
        toks = re.findall(r"[A-Za-z0-9]+", n)
        rare = [t for t in toks if len(t) >= 5 and df.get(t.lower(), 0) == 1]
        short = short_name(toks, rare)
        for kind, v in org_variants(n, short):
            add(gid, 1, typ, kind, n, v)
        if short and not short[1]:
            add(gid, 0, typ, "part", n, short[0])
        for kind, v in org_negatives(n):
            add(gid, 0, typ, kind, n, v)
        for kind, v in distinct_negatives(toks):
            add(gid, 0, typ, kind, n, v)
    if typ == "person" and n.isascii():
        for kind, v in distinct_negatives(re.findall(r"[A-Za-z0-9]+", n), person=True):
            add(gid, 0, typ, kind, n, v)

# different entries sharing a token
by_tok = {}
for gid, typ, names in groups:
    for t in set(re.findall(r"[a-z]{4,}", names[0].lower())):
        if 2 <= df.get(t, 0) <= 50:
            by_tok.setdefault(t, []).append((gid, typ, names[0]))
for t, lst in sorted(by_tok.items()):
    if R.random() > 0.5:
        continue
    a, b = R.sample(lst, 2)
    ta, tb = (set(re.findall(r"[a-z0-9]+", x[2].lower())) for x in (a, b))
    # one name's words inside the other's: the same party listed twice
    # (CSL lists overlap), not a different one
    if a[0] != b[0] and not (ta <= tb or tb <= ta):
        add(a[0], 0, a[1], "shared-token", a[2], b[2])

# non-listed persons against their nearest listed name
# (the dev half of the real non-listed names only: the other half is the
# benchmark's, bench/screen_quality.py)
negs = R.sample(screen_realnames.persons("dev"), 4000)
tool = os.path.join(BUILD, "bench_screen_pairs")


# A screen flags a name when any entry reaches the threshold, not only the
# nearest: each real name is paired with the names of its NEAR_K nearest
# entries (by the scorer of the build used), so the fit sees the entries
# that would flag it.  NEAR_K was chosen on the dev half of the real names.
NEAR_K = int(os.environ.get("DEVSET_NEAR_K", 10))


def nearest(names, k=1):
    out = subprocess.run([tool, "near", str(k), os.path.join(LISTS, "csl-2026-07-31.compact.json"),
                          os.path.join(LISTS, "un-consolidated-2026-02.xml")],
                         input="\n".join(names) + "\n", capture_output=True, text=True, check=True)
    return [line.split("\t") if line else [] for line in out.stdout.split("\n")]


for q, nms in zip(negs, nearest(negs, NEAR_K)):
    for nm in nms:
        add("neg:" + q, 0, "person", "nearest-non-listed", nm, q)
real = [(n, "org") for n in screen_realnames.companies("dev")] + screen_realnames.delisted("dev")
for (q, typ), nms in zip(real, nearest([n for n, _ in real], NEAR_K)):
    for nm in nms:
        add("real:" + q, 0, typ, "nearest-real-unlisted", nm, q)

# invented company names (syllable words + common list words + legal form)
# against the nearest listed name
SYL = ["ka", "lo", "mi", "ren", "tor", "vex", "dal", "qui", "zen", "bra", "nor", "sil", "pha",
       "gru", "wen", "tek", "sa", "vin", "mar", "tu", "shi", "xia", "don", "gal", "rus", "te"]
common = [t for t, c in df.items() if 20 <= c <= 400 and t.isalpha() and len(t) > 3]
common.sort()
invented = []
for _ in range(2500):
    w1 = "".join(R.choice(SYL) for _ in range(R.randint(2, 3))).capitalize()
    words = [w1] + [R.choice(common).capitalize() for _ in range(R.randint(1, 2))]
    R.shuffle(words)
    invented.append(" ".join(words) + R.choice(["", " Ltd", " GmbH", " LLC", " Co., Ltd.", " S.A."]))
for q, nm in zip(invented, [n[0] if n else "" for n in nearest(invented)]):
    if nm:
        add("inv:" + q, 0, "org", "nearest-invented-org", nm, q)

# a real word one edit from a listed distinctive word, where such an edit
# is seldom a typo (a word of 5 letters or less, or another first letter):
# "Tesla" is not "TESA", "Haleon" is not "Taleon"
def one_edit(a, b):
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        d = [i for i in range(len(a)) if a[i] != b[i]]
        return len(d) == 1 or (len(d) == 2 and d[1] == d[0] + 1 and a[d[0]] == b[d[1]] and a[d[1]] == b[d[0]])
    s, l = (a, b) if len(a) < len(b) else (b, a)
    return any(l[:i] + l[i + 1:] == s for i in range(len(l)))


by_len = {}
for w in sorted(real_words):
    by_len.setdefault(len(w), []).append(w)
for gid, typ, names in groups:
    toks = re.findall(r"[A-Za-z]+", names[0])
    core = [t for t in toks if t.lower().strip(".") not in FORMS]
    if len(core) != 1 or not names[0].isascii() or R.random() > 0.5:
        continue
    t = core[0].lower()
    if len(t) < 4:
        continue
    near_words = [w for k in (len(t) - 1, len(t), len(t) + 1) for w in by_len.get(k, [])
                  if one_edit(w, t) and (len(t) <= 5 or w[0] != t[0]) and df.get(w, 0) == 0]
    if near_words:
        w = R.choice(near_words)
        add(gid, 0, typ, "near-word", names[0], w.capitalize() + R.choice(["", " Ltd", " Inc.", " AG", " S.A."]))

out = os.path.join(ROOT, "data", "screening", "devset.tsv")
with open(out, "w", encoding="utf-8") as f:
    f.write("# devset.tsv - built by tools/screen_devset.py; do not edit\n")
    f.write("split\tlabel\ttype\tscript\tkind\tname1\tname2\n")
    for r in rows:
        f.write("\t".join(str(x) for x in r) + "\n")
pos = sum(r[1] for r in rows)
print(f"{out}: {len(rows)} pairs, {pos} matches, {len(rows) - pos} non-matches")
