#!/usr/bin/env bash
# plain_commit.sh - ctest pg.plain_commit, on the throwaway cluster
# (tests/pg_cluster.sh run sets PG* and PG_CLUSTER_STATE): the ledger on a
# PostgreSQL role that may not execute pg_logical_emit_message.
# A group commit normally releases its locks before its WAL flush and then
# waits for the flush by writing one logical-decoding message in a second,
# synchronous transaction (store_pg.c, docs/DEPLOYMENT.md).  A role without
# EXECUTE on that function gets a plain COMMIT instead, decided when the
# connection opens.  This test runs that path: an ordinary (not superuser)
# role owns the database, EXECUTE is revoked from PUBLIC there, and
#  1. the role really lacks the privilege (the test means something);
#  2. 50 writers race for the last 20 units of a license through the
#     server: exactly 20 recorded, 30 refused, none failed, every
#     acknowledged shipment stored, the license's use equals its shipments;
#  3. the audit chain verifies.
# Usage: plain_commit.sh PATH-TO-TOLLGATE SOURCE-DIR
set -eu # (no pipefail: `cmd | grep -q` may end cmd early; grep decides)
bin=$1 src=$2
load=$(dirname "$bin")/bench_ship
tmp=$(mktemp -d) pids=""
suffix=$(basename "$tmp" | tr -dc 'a-zA-Z0-9' | tr 'A-Z' 'a-z')
db=tg_plain_$suffix role=tg_plain_$suffix
cleanup() {
  for p in $pids; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  dropdb --if-exists "$db" 2>/dev/null || true
  psql -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# as the cluster's superuser: the role, its database, the revoked function
psql -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE $role LOGIN NOSUPERUSER" >/dev/null
createdb -O "$role" "$db"
psql -q -v ON_ERROR_STOP=1 -d "$db" \
  -c "REVOKE EXECUTE ON FUNCTION pg_logical_emit_message(boolean, text, text) FROM PUBLIC" >/dev/null

# 1. from here on, everything runs as the ordinary role
export PGUSER=$role
priv=$(psql -Atq -d "$db" -c \
  "SELECT has_function_privilege('pg_logical_emit_message(boolean, text, text)', 'EXECUTE')")
[ "$priv" = f ] || fail "the role may still execute pg_logical_emit_message ($priv)"

export TOLLGATE_DB=postgresql:///$db TOLLGATE_DATA=$src/data TOLLGATE_USER=tester
token=$("$bin" token add --name officer --role officer 2>/dev/null) || fail "token add"
"$bin" license add --number L-PLAIN --holder Acme --chip nv-h20 --to US --qty 100 \
  --from 2025-01-01 --until 2027-12-31 >/dev/null || fail "license add"
"$bin" ship --chip nv-h20 --to US --hq US --end-user "US Lab Inc" --qty 80 --unit-price 100 \
  --on 2025-09-01 --license L-PLAIN >/dev/null || fail "ship from the CLI"
echo '{"chip": "nv-h20", "to": "US", "hq": "US", "qty": 1, "unit_price": 100, "on": "2025-09-01",
 "end_user": "US Lab Inc", "license": "L-PLAIN"}' >"$tmp/body.json"

# 2. the race, through one server's group commit
. "$src/tests/serve_start.sh"
serve_start "$bin" "$tmp" --threads 8 || fail "server"
pids="$serve_pid"
out=$("$load" "$serve_url" "$token" "$tmp/body.json" 50 60 50 "$tmp/acked")
echo "race: $out"
echo "$out" | grep -q '^recorded 20 refused 30 failed 0 ' || fail "race: $out"
used=$("$bin" license show L-PLAIN --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["used"]["qty"])')
[ "$used" = 100 ] || fail "license used $used, not 100"
"$bin" shipments --license L-PLAIN --json | python3 -c '
import json, sys
stored = {s["id"] for s in json.load(sys.stdin)["shipments"]}
acked = [int(l) for l in open(sys.argv[1]) if l.strip()]
missing = [i for i in acked if i not in stored]
if missing: sys.exit("acknowledged but not stored: %s" % missing[:10])
if len(acked) != 20 or len(stored) != 21: sys.exit("acknowledged %d, stored %d" % (len(acked), len(stored)))
' "$tmp/acked" || fail "stored shipments"

# 3. the chain
"$bin" audit verify >/dev/null || fail "chain"
echo "plain_commit: ok"
