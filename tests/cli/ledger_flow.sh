#!/usr/bin/env bash
# ledger_flow.sh - the ledger end to end through the CLI with the shipped
# rule sets (data/rules): the README's worked example (an H20 license under
# the 15% arrangement, shipments, a refusal, the quarter's payments,
# verify), the Jan 2026 rule's 50% TPP cap on both sides with the 25%
# payment, tampering with the sqlite3 shell (license, shipment, audit
# record; exit 1), an export verified by tools/verify_audit.py, backup,
# and a newer database refused and left unchanged.  Runs on SQLite (ctest
# cli.ledger_flow) and on PostgreSQL (cli.pg.ledger_flow: psql tampers with
# a copy made by createdb -T; backup is refused there, pg_dump's job).
# Sources: 15%: data/rules/2025-08-11-us-h20-mi308-revenue-share.yaml;
# cap and 25%: data/rules/2026-01-15-us-bis-license-review-policy.yaml and
# 2026-01-15-us-h200-duty.yaml.
# runs on: sqlite postgresql
set -euo pipefail
TG=$1 SRC=$2
. "$SRC/tests/cli/lib/ledger_env.sh"
ledger_lists
expect_exit() { # STATUS CMD...: run, require exit STATUS
  local want=$1; shift
  set +e; "$@" >"$T/last" 2>"$T/last.err"; local got=$?; set -e
  [ "$got" = "$want" ] || fail "'$*' exited $got, expected $want: $(cat "$T/last" "$T/last.err")"
}
has() { grep -q -- "$1" "$T/last" || fail "expected '$1' in: $(cat "$T/last")"; }
hasnt() { ! grep -q -- "$1" "$T/last" || fail "did not expect '$1' in: $(cat "$T/last")"; }

# -- the worked example --
expect_exit 0 "$TG" license add --number D1234567 --holder "Acme AI Systems" --chip nv-h20 --to CN \
  --end-user "Example Cloud Co" --qty 1000 --value-usd 15000000 --from 2025-08-15 --until 2029-08-14 --json
has '"status": "active"'
expect_exit 0 "$TG" ship --chip nv-h20 --to CN --hq CN --end-use none --end-user "Example Cloud Co" --qty 400 \
  --unit-price 12000 --on 2025-08-20 --license D1234567 --json
has '"amount_usd": "720000.00"'
expect_exit 0 "$TG" ship --chip nv-h20 --to CN --hq CN --end-use none --end-user "Example Cloud Co" --qty 500 \
  --unit-price 12000.01 --on 2025-09-15 --license D1234567 --json
has '"amount_cents": 90000075'   # 15% of 6,000,005.00 = 900,000.75
# over the quantity left: refused, nothing written
expect_exit 1 "$TG" ship --chip nv-h20 --to CN --hq CN --end-use none --end-user "Example Cloud Co" --qty 200 \
  --unit-price 12000 --on 2025-09-20 --license D1234567 --json
has '"refused": true'; has '"code": "quantity"'
# no license named
expect_exit 1 "$TG" ship --chip nv-h20 --to CN --hq CN --end-use none --end-user "Example Cloud Co" --qty 1 --unit-price 12000 --on 2025-09-20 --json
has '"code": "license_required"'
# another end user
expect_exit 1 "$TG" ship --chip nv-h20 --to CN --hq CN --end-use none --end-user "Other Co" --qty 1 --unit-price 12000 \
  --on 2025-09-20 --license D1234567 --json
has '"code": "end_user"'
expect_exit 0 "$TG" ship --chip nv-h20 --to US --hq US --end-user "Example Cloud Co" --qty 300 --unit-price 11500 --on 2025-09-22
expect_exit 0 "$TG" fees --quarter 2025Q3 --json
has '"arrangement": "revenue-share-15"'; has '"fee_usd": "1620000.75"'; has '"shipments": 2'
hasnt '"total_usd"'
expect_exit 0 "$TG" fees --quarter 2025Q4 --json
has '"arrangements": \[\]'
expect_exit 0 "$TG" fees --year 2025 --csv
has '^id,kind,on,chip,dest,license,arrangement,qty,value_usd,rate,fee_usd$'
hasnt '^total'
expect_exit 0 "$TG" fees --year 2025 --csv --totals
has '^revenue-share-15,2,900,10800005.00,1620000.75$'
expect_exit 0 "$TG" fees --year 2025
has 'Owed under revenue-share-15: USD 1,620,000.75 (2 shipments)'
expect_exit 0 "$TG" shipments --license D1234567 --json
has '"count": 2'
expect_exit 0 "$TG" audit verify --json
has '"ok": true'; has '"records": 10'   # the list import and its re-screen, the ledger's five, three refusals

# -- the Jan 2026 rule: 50% aggregate-TPP cap, 25% payment (H200 to CN) --
expect_exit 0 "$TG" license add --number H200-1 --holder "Acme AI Systems" --chip nv-h200-sxm --to CN \
  --qty 1000 --from 2026-01-15 --until 2027-01-14
expect_exit 1 "$TG" ship --chip nv-h200-sxm --to CN --hq CN --end-use none --end-user "Example Cloud Co" --qty 1 --unit-price 30000 --on 2026-02-01 \
  --license H200-1 --json --attest us-available,us-supply,foundry,security,testing
has '"code": "tpp_cap"'
expect_exit 0 "$TG" ship --chip nv-h200-sxm --to US --hq US --end-user "Example Cloud Co" --qty 20 --unit-price 30000 --on 2026-01-20
expect_exit 1 "$TG" ship --chip nv-h200-sxm --to CN --hq CN --end-use none --end-user "Example Cloud Co" --qty 11 --unit-price 30000 --on 2026-02-01 \
  --license H200-1 --json --attest us-available,us-supply,foundry,security,testing
has '"code": "tpp_cap"'
expect_exit 0 "$TG" ship --chip nv-h200-sxm --to CN --hq CN --end-use none --end-user "Example Cloud Co" --qty 10 --unit-price 30000 --on 2026-02-01 \
  --license H200-1 --json --attest us-available,us-supply,foundry,security,testing
has '"rate": "25%"'; has '"amount_usd": "75000.00"'
expect_exit 0 "$TG" fees --quarter 2026Q1 --json
has '"arrangement": "section-232-duty"'; has '"fee_usd": "75000.00"'

# -- a correction, then backup and export --
expect_exit 0 "$TG" correct 2 --reason "price entered wrong" --json
has '"kind": "reversal"'
expect_exit 0 "$TG" fees --quarter 2025Q3 --json
has '"fee_usd": "720000.00"'
expect_exit 0 "$TG" audit verify --json
has '"ok": true'
head=$(grep '"head"' "$T/last" | sed 's/.*"head": "\([0-9a-f]*\)".*/\1/')
if [ "$LEDGER_BACKEND" = sqlite ]; then
  expect_exit 0 "$TG" backup "$T/backup.db"
  TOLLGATE_DB="$T/backup.db" expect_exit 0 "$TG" audit verify --json
  has '"ok": true'
else # PostgreSQL's backups are pg_dump's: refused with a clear message
  expect_exit 2 "$TG" backup "$T/backup.db"
  grep -q "pg_dump" "$T/last.err" || fail "no clear message: $(cat "$T/last.err")"
fi
expect_exit 0 "$TG" audit export --out "$T/trail.jsonl"
expect_exit 0 "$TG" audit verify --file "$T/trail.jsonl" --json
has '"ok": true'
expect_exit 0 python3 "$SRC/tools/verify_audit.py" "$T/trail.jsonl" --head "$head"
sed -i '5s/"actor":"tester"/"actor":"mallory"/' "$T/trail.jsonl"
expect_exit 1 python3 "$SRC/tools/verify_audit.py" "$T/trail.jsonl"
has '"first_bad": 5'
expect_exit 1 "$TG" audit verify --file "$T/trail.jsonl" --json
has '"first_bad": 5'

# -- tampering behind Tollgate's back with the sqlite3 shell (psql) --
tamper() { # SQL FIRST-BAD: on a copy of the backup (of the database)
  if [ "$LEDGER_BACKEND" = sqlite ]; then
    cp "$T/backup.db" "$T/tamper.db"
    sqlite3 "$T/tamper.db" "$1"
    TOLLGATE_DB="$T/tamper.db" expect_exit 1 "$TG" audit verify --json
  else
    createdb -T "$LEDGER_PGDB" "${LEDGER_PGDB}_t"
    psql -q -d "${LEDGER_PGDB}_t" -c "$1" >/dev/null
    TOLLGATE_DB="postgresql:///${LEDGER_PGDB}_t" expect_exit 1 "$TG" audit verify --json
    dropdb "${LEDGER_PGDB}_t"
  fi
  has '"ok": false'; has "\"first_bad\": $2"
}
# (record 1 is the list import, 2 its re-screen of the recorded parties)
tamper "UPDATE licenses SET qty_limit = 5000 WHERE number = 'D1234567'" 3
tamper "UPDATE shipments SET unit_price_cents = 1 WHERE id = 1" 5
tamper "UPDATE audit SET content = replace(content, '\"qty\":400', '\"qty\":4') WHERE seq = 5" 5
tamper "DELETE FROM audit WHERE seq = 6" 6

# -- a database from a newer Tollgate is refused and not changed --
if [ "$LEDGER_BACKEND" = sqlite ]; then
  cp "$T/backup.db" "$T/newer.db"
  sqlite3 "$T/newer.db" "PRAGMA user_version = 999"
  before=$(sha256sum "$T/newer.db")
  TOLLGATE_DB="$T/newer.db" expect_exit 2 "$TG" license list
  after=$(sha256sum "$T/newer.db")
else
  createdb -T "$LEDGER_PGDB" "${LEDGER_PGDB}_n"
  psql -q -d "${LEDGER_PGDB}_n" -c "UPDATE tollgate_schema SET version = 999" >/dev/null
  # (pg_dump's \restrict lines carry a random key each run)
  snap() { pg_dump --no-owner "${LEDGER_PGDB}_n" | grep -Ev '^\\(un)?restrict ' | sha256sum; }
  before=$(snap)
  TOLLGATE_DB="postgresql:///${LEDGER_PGDB}_n" expect_exit 2 "$TG" license list
  after=$(snap)
  dropdb "${LEDGER_PGDB}_n"
fi
grep -q "newer Tollgate" "$T/last.err" || fail "no clear message: $(cat "$T/last.err")"
[ "$after" = "$before" ] || fail "the newer database was changed"

# -- ship --batch commits the lines ready to read together (one
# transaction); each is still checked after the ones before it: 8 lines
# of one unit against 5 units left record exactly the first 5 --
expect_exit 0 "$TG" license add --number G-1 --holder Acme --chip nv-h20 --to US --qty 5 \
  --from 2025-08-15 --until 2026-01-14
for i in 1 2 3 4 5 6 7 8; do
  echo '{"chip": "nv-h20", "to": "US", "hq": "US", "qty": 1, "unit_price": 100, "on": "2025-09-01", "license": "G-1", "end_user": "Example Cloud Co"}'
done >"$T/group.jsonl"
expect_exit 1 "$TG" ship --batch "$T/group.jsonl"
python3 - "$T/last" <<'PY' || fail "ship --batch in one group: $(cat "$T/last")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 8, rows
assert all("id" in r for r in rows[:5]), rows[:5]
assert all(r.get("code") == "quantity" for r in rows[5:]), rows[5:]
PY
expect_exit 0 "$TG" license show G-1 --json
has '"qty": 5'

# -- a batch line of any length is read whole (10,000 blanks inside the
# object; the reader once split lines at 4,095 bytes) --
expect_exit 0 "$TG" license add --number G-2 --holder Acme --chip nv-h20 --to US --qty 5 \
  --from 2025-08-15 --until 2026-01-14
python3 -c 'print("{\"chip\": \"nv-h20\", \"to\": \"US\", \"hq\": \"US\", \"qty\": 2," + " " * 10000 +
  "\"unit_price\": 100, \"on\": \"2025-09-01\", \"license\": \"G-2\", \"end_user\": \"Example Cloud Co\"}")' >"$T/long.jsonl"
[ "$(wc -c <"$T/long.jsonl")" -gt 10000 ] || fail "the long line is short"
expect_exit 0 "$TG" ship --batch "$T/long.jsonl"
python3 - "$T/last" <<'PY' || fail "ship --batch long line: $(head -c 300 "$T/last")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 1 and "id" in rows[0], rows
PY
echo "ledger_flow: ok"
