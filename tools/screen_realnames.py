"""screen_realnames.py - real names of parties that are on none of the
lists, shared by tools/screen_devset.py (hard negatives to fit on) and
bench/screen_quality.py (the false-positive rate).  Each source is cut in
two halves by a hash of the name: "dev" names may be fitted on, "bench"
names only measure, so the benchmark never sees what the fit saw.

  companies()  bench/unlisted-companies.txt: companies of many origins
  delisted()   OFAC SDN entries of 2019 (../shared/data/lists) that are no
               longer on the CSL of 2026-07-31 (neither their entity number
               nor their name) nor, by two of their 2019 names, on one entry
               of the CSL or the UN list: real names of persons, companies,
               vessels and aircraft of many origins, delisted since
  persons()    ../shared/data/screening-dev/negatives_global.csv: 50,000
               names of people of many origins and scripts on no list
               (OpenSanctions yente fixtures, synthetic combinations of real
               given and family names)"""
import collections, csv, hashlib, json, os, re
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared", "data")
LISTS = os.environ.get("TOLLGATE_LISTS", os.path.join(SHARED, "lists"))


def half(name):
    """'dev' or 'bench': which half of the real names a name is in."""
    return "dev" if int(hashlib.sha1(name.encode()).hexdigest(), 16) % 2 == 0 else "bench"


def companies(part):
    out = []
    for line in open(os.path.join(ROOT, "bench", "unlisted-companies.txt"), encoding="utf-8"):
        n = line.strip()
        if n and not n.startswith("#") and half(n) == part:
            out.append(n)
    return out


def _key(s):
    return re.sub(r"[^a-z0-9]", "", s.lower())


def _words(s):
    """A name as the set of its words, in any order ("EL HAMMAM, Yahia Abou"
    = "Yahia Abou el Hammam")."""
    return " ".join(sorted(re.findall(r"[a-z0-9]+", s.lower().replace("'", ""))))


def _owners(csl):
    """Words of each name on the CSL and the UN list -> the entries bearing it."""
    own = collections.defaultdict(set)
    for i, e in enumerate(csl):
        for n in [e["n"]] + list(e.get("a") or []):
            own[_words(n)].add(("csl", i))
    root = ET.parse(os.path.join(LISTS, "un-consolidated-2026-02.xml")).getroot()
    for i, el in enumerate(x for x in root.iter() if x.tag in ("INDIVIDUAL", "ENTITY")):
        parts = [(el.findtext(t) or "").strip() for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        own[_words(" ".join(p for p in parts if p))].add(("un", i))
        for a in el.iter("ALIAS_NAME"):
            if a.text:
                own[_words(a.text)].add(("un", i))
    return own


def delisted(part):
    """(name, type) of 2019 SDN entries gone from the 2026 CSL and UN list.
    An entry two of whose 2019 names (its name and a.k.a.s) are names of one
    listed entry is that entry, listed still ("HAMMAM, Yahya Abu", a.k.a.
    DJAMEL, Akkacha and EL HAMMAM, Yahia Abou, is the UN list's DJAMEL
    AKKACHA, a.k.a. Yahia Abou el Hammam, of the same nationality); one name
    alone may be a namesake's."""
    csl = json.load(open(os.path.join(LISTS, "csl-2026-07-31.compact.json"), encoding="utf-8"))["entries"]
    nums = {e.get("e") for e in csl if e.get("e")}
    names = {_key(n) for e in csl for n in [e["n"]] + list(e.get("a") or [])}
    own = _owners(csl)
    akas = collections.defaultdict(list)
    with open(os.path.join(LISTS, "ofac-alt-2019.csv"), encoding="latin-1") as f:
        for r in csv.reader(f):
            if len(r) > 3:
                akas[r[0]].append(r[3])
    out = []
    with open(os.path.join(LISTS, "ofac-sdn-2019.csv"), encoding="latin-1") as f:
        for r in csv.reader(f):
            if len(r) < 4 or r[0] in nums or _key(r[1]) in names:
                continue
            held = collections.Counter(o for w in {_words(n) for n in [r[1]] + akas[r[0]]} for o in own.get(w, ()))
            if held and max(held.values()) >= 2:
                continue
            t = r[2].strip().strip('"')
            typ = "person" if t == "individual" else t if t in ("vessel", "aircraft") else "org"
            if half(r[1]) == part:
                out.append((r[1].strip(), typ))
    return out


def persons(part):
    with open(os.path.join(SHARED, "screening-dev", "negatives_global.csv"), encoding="utf-8") as f:
        return [r["full_name"] for r in csv.DictReader(f) if half(r["full_name"]) == part]
