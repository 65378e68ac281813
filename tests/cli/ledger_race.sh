#!/usr/bin/env bash
# ledger_race.sh - concurrency: N processes race for the last units (and
# then the last value) of a license; exactly as many succeed as the license
# allows, the rest are refused, and nothing is overdrawn (the check and the
# write are one BEGIN IMMEDIATE transaction).
# runs on: sqlite postgresql
set -euo pipefail
TG=$1 SRC=$2
. "$SRC/tests/cli/lib/ledger_env.sh"
ledger_fixture_data
ledger_lists

"$TG" license add --number L-1 --holder Acme --chip nv-h20 --to CN --qty 100 \
  --value-usd 1000000 --from 2025-08-15 --until 2026-01-14 --json >/dev/null
"$TG" ship --chip nv-h20 --to CN --hq CN --end-user "Example Cloud Co" --qty 95 --unit-price 100 --on 2025-09-01 \
  --license L-1 >/dev/null

# A start barrier: the racers wait for a shared lock the test holds.
hold() { exec 9>"$T/barrier"; flock -x 9; }
release() { flock -u 9; exec 9>&-; }
racer() { # LICENSE QTY PRICE OUT RC: ship once the barrier opens
  flock -s "$T/barrier" true 9>&-
  set +e
  "$TG" ship --chip nv-h20 --to CN --hq CN --end-user "Example Cloud Co" --qty "$2" --unit-price "$3" --on 2025-09-02 \
    --license "$1" --json >"$4" 2>/dev/null 9>&-
  echo $? >"$5"
}

# race: 24 processes, 1 unit each, 5 units left; all start at once
hold
for i in $(seq 1 24); do racer L-1 1 100 "$T/out.$i" "$T/rc.$i" 9>&- & done
release
wait
cat "$T"/rc.* | grep -c '^0$' >"$T/ok" || true
cat "$T"/rc.* | grep -c '^1$' >"$T/refused" || true
[ "$(cat "$T/ok")" = 5 ] || fail "expected 5 winners for 5 units, got $(cat "$T/ok")"
[ "$(cat "$T/refused")" = 19 ] || fail "expected 19 refused, got $(cat "$T/refused")"
[ "$(grep -l '"code": "quantity"' "$T"/out.* | wc -l)" = 19 ] || fail "a refusal for another reason"
"$TG" license show L-1 --json >"$T/l.json"
[ "$(json "$T/l.json" 'j["remaining"]["qty"]')" = 0 ] || fail "license overdrawn: $(cat "$T/l.json")"

# value: a second license with USD 1000.00; 16 processes want USD 300 each
"$TG" license add --number L-2 --holder Acme --chip nv-h20 --to CN --value-usd 1000 \
  --from 2025-08-15 --until 2026-01-14 --json >/dev/null
rm -f "$T"/rc.*
hold
for i in $(seq 1 16); do racer L-2 3 100 /dev/null "$T/rc.$i" 9>&- & done
release
wait
ok=$(cat "$T"/rc.* | grep -c '^0$' || true)
[ "$ok" = 3 ] || fail "expected 3 winners for USD 1000 at USD 300 each, got $ok"
"$TG" license show L-2 --json >"$T/l2.json"
[ "$(json "$T/l2.json" 'j["remaining"]["value_usd"]')" = 100.00 ] || fail "value overdrawn"

"$TG" audit verify --json >"$T/v.json" || fail "audit verify: $(cat "$T/v.json")"
# 2 licenses, rules, 1 + 5 + 3 shipments; and one record per refusal
"$TG" audit export --out "$T/trail.jsonl"
python3 - "$T/trail.jsonl" "$(cat "$T"/rc.* | grep -c '^1$' || true)" <<'PY' || fail "records: $(cat "$T/v.json")"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
refused = [r for r in recs if r["action"] == "shipment.refuse"]
others = [r for r in recs if r["action"] not in ("shipment.refuse", "screening.rescreen")]
assert len(others) == 13, [r["action"] for r in others]
assert len(refused) >= int(sys.argv[2]) > 0, (len(refused), sys.argv[2])
PY
echo "ledger_race: ok"
