#!/usr/bin/env bash
# migrate.sh - ctest pg.migrate: `tollgate migrate --from sqlite:FILE --to
# postgresql://...` copies a ledger with licenses, shipments, a correction,
# lists and tokens; the chain verifies on arrival with the same records;
# the copy takes new writes (ids continue); a second migrate into the now
# non-empty database is refused and changes nothing.
# Usage: migrate.sh PATH-TO-TOLLGATE SOURCE-DIR (under tests/pg_cluster.sh run)
set -eu # (no pipefail: `cmd | grep -q` may end cmd early; grep decides)
bin=$1 src=$2
tmp=$(mktemp -d)
db=tg_mig_$(basename "$tmp" | tr -dc 'a-zA-Z0-9' | tr 'A-Z' 'a-z')
cleanup() { dropdb --if-exists "$db" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
export TOLLGATE_DATA=$src/data TOLLGATE_USER=tester
lite=sqlite:$tmp/ledger.db pg=postgresql:///$db
t() { "$bin" "$@" --db "$lite"; }
t license add --number L-1 --holder Acme --chip nv-h20 --to US --qty 100 --from 2025-01-01 --until 2027-12-31 >/dev/null
for q in 5 7 9; do
  t ship --chip nv-h20 --to US --hq US --qty $q --unit-price 100 --on 2025-09-01 --license L-1 >/dev/null
done
t correct 2 --reason "entered twice" >/dev/null
t lists import "$src/tests/screen/data/csl-subset.compact.json" >/dev/null
t token add --name ops --role viewer >/dev/null 2>&1
records=$(t audit verify --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"])')
createdb "$db"
"$bin" migrate --from "$lite" --to "$pg" --json >"$tmp/out" || fail "migrate: $(cat "$tmp/out")"
python3 - "$tmp/out" "$records" <<'PY' || fail "migrate report: $(cat "$tmp/out")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["verify"]["ok"] is True and r["verify"]["records"] == int(sys.argv[2]), r["verify"]
assert r["tables"]["shipments"] == 4 and r["tables"]["licenses"] == 1 and r["tables"]["tokens"] == 1, r
PY
used=$("$bin" license show L-1 --json --db "$pg" | python3 -c 'import json,sys; print(json.load(sys.stdin)["used"]["qty"])')
[ "$used" = 14 ] || fail "license use after migrate: $used"
"$bin" ship --chip nv-h20 --to US --hq US --qty 1 --unit-price 100 --on 2025-09-02 --license L-1 --db "$pg" --json |
  grep -q '"id": 5' || fail "new shipment on the copy does not continue the ids"
"$bin" audit verify --db "$pg" >/dev/null || fail "chain after a new write"
"$bin" migrate --from "$lite" --to "$pg" >/dev/null 2>"$tmp/err" && fail "migrate into a non-empty database"
grep -q 'not empty' "$tmp/err" || fail "refusal message: $(cat "$tmp/err")"
"$bin" audit verify --db "$pg" >/dev/null || fail "chain after the refused migrate"
echo "migrate: ok"
