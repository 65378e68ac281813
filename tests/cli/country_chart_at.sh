#!/usr/bin/env bash
# The AT column of the Commerce Country Chart drives rule at-country-chart
# (15 CFR 738 Supp. 1; 742.8-742.10).  The chart of 2026-07-23 marks no
# destination "AT 1" (embargoed rows go to part 746), so the rule is tested
# on a copy of data/ in which one row carries the mark: the rule reads the
# chart, not a list of countries.
# Usage: country_chart_at.sh TOLLGATE SOURCE_DIR
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$src/data" "$tmp/data"
fail() { echo "FAIL: $*"; exit 1; }
answer() { "$bin" check --data "$tmp/data" --chip nv-h20 --to MY --hq MY --on 2025-03-01 --json |
  python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["verdict"], r["eccn"], " ".join(x["rule"] for x in r["reasons"]))'; }

out=$(answer)
case "$out" in "no_license_required 3A991.p"*) ;; *) fail "shipped chart: $out" ;; esac
case "$out" in *at-country-chart*) fail "rule fired without an AT 1 mark: $out" ;; esac
# Give Malaysia's row an AT 1 mark.
python3 - "$tmp/data/countries.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
old = '{code: MY, name: "Malaysia", groups: [], chart: ['
assert old in s, "Malaysia row not found"
s = s.replace(old, old + '"AT 1", ')
open(p, "w", encoding="utf-8").write(s)
PY
out=$(answer)
case "$out" in "license_required 3A991.p"*at-country-chart*) ;; *) fail "AT 1 marked: $out" ;; esac
echo "2 passed, 0 failed"
