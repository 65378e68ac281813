#!/usr/bin/env bash
# multi_server.sh - ctest pg.multi_server, on the throwaway cluster
# (tests/pg_cluster.sh run sets PG* and PG_CLUSTER_STATE): two `tollgate
# serve` processes on one PostgreSQL database.
#  1. race: 50 clients at once for the last 20 units of a license: exactly
#     20 recorded, 30 refused, the license used 20, the chain verifies;
#  2. a token revoked through one server is refused by the other at once;
#     a list import through the CLI reaches both servers without a restart;
#  3. SIGKILL of one server mid-stream: every acknowledged shipment is
#     stored, the license's use equals the stored shipments, the chain
#     verifies, the other server keeps serving;
#  4. PostgreSQL stopped under load: a clear 503, then, once it is back,
#     writes succeed again without restarting Tollgate;
#  5. PostgreSQL crashed under load (an immediate stop loses the WAL not
#     yet written out): every acknowledged shipment is there when it is
#     back, the license's use equals the stored shipments, the chain
#     verifies (a group commit releases its locks before its WAL flush
#     but answers only after it; see docs/DEPLOYMENT.md).
# Usage: multi_server.sh PATH-TO-TOLLGATE SOURCE-DIR
set -eu # (no pipefail: `cmd | grep -q` may end cmd early; grep decides)
bin=$1 src=$2
load=$(dirname "$bin")/bench_ship
tmp=$(mktemp -d) pids=""
db=tg_multi_$(basename "$tmp" | tr -dc 'a-z0-9' | tr 'A-Z' 'a-z')
cleanup() {
  for p in $pids; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash "$src/tests/pg_cluster.sh" resume "$PG_CLUSTER_STATE" >/dev/null 2>&1 || true
  dropdb --if-exists "$db" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
createdb "$db"
export TOLLGATE_DB=postgresql:///$db TOLLGATE_DATA=$src/data TOLLGATE_USER=tester
token=$("$bin" token add --name officer --role officer 2>/dev/null)
lic() { "$bin" license add --number "$1" --holder Acme --chip nv-h20 --to US --qty "$2" \
          --from 2025-01-01 --until 2027-12-31 >/dev/null || fail "license add $1"; }
used() { "$bin" license show "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["used"]["qty"])'; }
stored_check() { # LICENSE ACKFILE: every acknowledged shipment stored; prints the stored count
  "$bin" shipments --license "$1" --json | python3 -c '
import json, sys
stored = {s["id"] for s in json.load(sys.stdin)["shipments"]}
acked = [int(l) for l in open(sys.argv[1]) if l.strip()]
missing = [i for i in acked if i not in stored]
if missing: sys.exit("acknowledged but not stored: %s" % missing[:10])
print(len(stored))' "$2"
}
body() { echo '{"chip": "nv-h20", "to": "US", "hq": "US", "qty": 1, "unit_price": 100, "on": "2025-09-01", "end_user": "US Lab Inc", "license": "'"$1"'"}' >"$tmp/$1.json"; }
post() { curl -s --noproxy '*' -o "$tmp/out" -w '%{http_code}' -H "Authorization: Bearer $token" \
           --data-binary @"$tmp/$2.json" "$1/v1/shipments"; }
. "$src/tests/serve_start.sh"
mkdir -p "$tmp/a" "$tmp/b"
serve_start "$bin" "$tmp/a" --threads 8 || fail "server a"
pa=$serve_pid ua=$serve_url pids="$pids $pa"
serve_start "$bin" "$tmp/b" --threads 8 || fail "server b"
pb=$serve_pid ub=$serve_url pids="$pids $pb"

# 1. the race for the last units
lic L-RACE 100
body L-RACE
"$bin" ship --chip nv-h20 --to US --hq US --end-user "US Lab Inc" --qty 80 --unit-price 100 --on 2025-09-01 --license L-RACE >/dev/null
out=$("$load" "$ua,$ub" "$token" "$tmp/L-RACE.json" 50 60 50 "$tmp/race.acked")
echo "race: $out"
echo "$out" | grep -q '^recorded 20 refused 30 failed 0 ' || fail "race: $out"
[ "$(used L-RACE)" = 100 ] || fail "race: license used $(used L-RACE), not 100"
[ "$(stored_check L-RACE "$tmp/race.acked")" = 21 ] || fail "race: stored shipments"
"$bin" audit verify >/dev/null || fail "race: chain"

# 2. revocation and list imports reach the other server
"$bin" token add --name temp --role viewer >"$tmp/temp.tok" 2>/dev/null
temp=$(cat "$tmp/temp.tok")
code() { curl -s --noproxy '*' -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $2" "$1/v1/licenses"; }
[ "$(code "$ub" "$temp")" = 200 ] || fail "new token on b"
"$bin" token revoke temp >/dev/null || fail "revoke"
[ "$(code "$ua" "$temp")" = 401 ] && [ "$(code "$ub" "$temp")" = 401 ] || fail "revocation not effective on both"
before=$(curl -s --noproxy '*' -H "Authorization: Bearer $token" "$ua/v1/lists")
"$bin" lists import "$src/tests/screen/data/csl-subset.compact.json" >/dev/null || fail "lists import"
# each server sees the new version within a second and rebuilds its index
# in the background: poll each until its answers come from the new lists
# (at most 60 s)
for u in "$ua" "$ub"; do
  seen=
  for i in $(seq 120); do
    curl -s --noproxy '*' -H "Authorization: Bearer $token" -d '{"name": "Atlas Sanatgaran"}' \
      "$u/v1/screen" >"$tmp/screen.out" || true
    if grep -q '"match": *true' "$tmp/screen.out"; then seen=1; break; fi
    sleep 0.5
  done
  [ -n "$seen" ] || fail "list import not seen by $u: $(head -c 300 "$tmp/screen.out")"
done
[ -n "$before" ] || fail "lists before"

# 3. SIGKILL of one server mid-stream
lic L-KILL 1000000
body L-KILL
"$load" "$ua,$ub" "$token" "$tmp/L-KILL.json" 16 6 0 "$tmp/kill.acked" >"$tmp/kill.out" &
lp=$!
sleep 2
kill -9 "$pa"
wait "$lp" || true
echo "kill: $(cat "$tmp/kill.out")"
n=$(stored_check L-KILL "$tmp/kill.acked") || fail "kill: $n"
[ "$(used L-KILL)" = "$n" ] || fail "kill: license used $(used L-KILL) but $n stored"
[ "$(grep -c . "$tmp/kill.acked")" -gt 0 ] || fail "kill: nothing acknowledged"
"$bin" audit verify >/dev/null || fail "kill: chain"
[ "$(post "$ub" L-KILL)" = 200 ] || fail "kill: the other server stopped serving"

# 4. PostgreSQL stopped under load, then back
"$load" "$ub" "$token" "$tmp/L-KILL.json" 8 8 0 "$tmp/restart.acked" >"$tmp/restart.out" &
lp=$!
sleep 2
bash "$src/tests/pg_cluster.sh" pause "$PG_CLUSTER_STATE"
c=$(post "$ub" L-KILL)
[ "$c" = 503 ] || fail "database down: got $c $(cat "$tmp/out")"
grep -q '"unavailable"' "$tmp/out" || fail "database down: $(cat "$tmp/out")"
echo "database down: $(cat "$tmp/out")"
bash "$src/tests/pg_cluster.sh" resume "$PG_CLUSTER_STATE"
wait "$lp" || true
echo "restart: $(cat "$tmp/restart.out")"
ok=
for _ in 1 2 3 4 5; do [ "$(post "$ub" L-KILL)" = 200 ] && { ok=1; break; }; sleep 0.5; done
[ -n "$ok" ] || fail "no recovery after the database came back: $(cat "$tmp/out")"
n=$(stored_check L-KILL "$tmp/restart.acked") || fail "restart: $n"
[ "$(used L-KILL)" = "$n" ] || fail "restart: license used $(used L-KILL) but $n stored"
"$bin" audit verify >/dev/null || fail "restart: chain"

# 5. PostgreSQL crashed under load, then back
"$load" "$ub" "$token" "$tmp/L-KILL.json" 8 6 0 "$tmp/crash.acked" >"$tmp/crash.out" &
lp=$!
sleep 2
bash "$src/tests/pg_cluster.sh" crash "$PG_CLUSTER_STATE"
wait "$lp" || true
bash "$src/tests/pg_cluster.sh" resume "$PG_CLUSTER_STATE"
echo "crash: $(cat "$tmp/crash.out")"
[ "$(grep -c . "$tmp/crash.acked")" -gt 0 ] || fail "crash: nothing acknowledged"
n=$(stored_check L-KILL "$tmp/crash.acked") || fail "crash: $n"
[ "$(used L-KILL)" = "$n" ] || fail "crash: license used $(used L-KILL) but $n stored"
"$bin" audit verify >/dev/null || fail "crash: chain"
ok=
for _ in 1 2 3 4 5; do [ "$(post "$ub" L-KILL)" = 200 ] && { ok=1; break; }; sleep 0.5; done
[ -n "$ok" ] || fail "no recovery after the crash: $(cat "$tmp/out")"
echo "multi_server: ok"
