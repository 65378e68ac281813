"""screen_realnames.py - real names of parties that are on none of the
lists, shared by tools/screen_devset.py (hard negatives to fit on) and
bench/screen_quality.py (the false-positive rate).  Each source is cut in
two halves by a hash of the name: "dev" names may be fitted on, "bench"
names only measure, so the benchmark never sees what the fit saw.

  companies()  bench/unlisted-companies.txt: companies of many origins
  delisted()   OFAC SDN entries of 2019 (../shared/data/lists) that are no
               longer on the CSL of 2026-07-31 (neither their entity number
               nor their name): real names of persons, companies, vessels
               and aircraft of many origins, delisted since
  persons()    ../shared/data/screening-dev/negatives_global.csv: 50,000
               names of people of many origins and scripts on no list
               (OpenSanctions yente fixtures, synthetic combinations of real
               given and family names)"""
import csv, hashlib, json, os, re

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


def delisted(part):
    """(name, type) of 2019 SDN entries gone from the 2026 CSL."""
    csl = json.load(open(os.path.join(LISTS, "csl-2026-07-31.compact.json"), encoding="utf-8"))["entries"]
    nums = {e.get("e") for e in csl if e.get("e")}
    names = {_key(n) for e in csl for n in [e["n"]] + list(e.get("a") or [])}
    out = []
    with open(os.path.join(LISTS, "ofac-sdn-2019.csv"), encoding="latin-1") as f:
        for r in csv.reader(f):
            if len(r) < 4 or r[0] in nums or _key(r[1]) in names:
                continue
            t = r[2].strip().strip('"')
            typ = "person" if t == "individual" else t if t in ("vessel", "aircraft") else "org"
            if half(r[1]) == part:
                out.append((r[1].strip(), typ))
    return out


def persons(part):
    with open(os.path.join(SHARED, "screening-dev", "negatives_global.csv"), encoding="utf-8") as f:
        return [r["full_name"] for r in csv.DictReader(f) if half(r["full_name"]) == part]
