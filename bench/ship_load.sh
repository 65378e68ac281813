#!/usr/bin/env bash
# ship_load.sh - durable ledger writes over HTTP (issue 11 item 6, issue 13):
# WRITERS (32) concurrent clients POST one shipment each request, drawing on
# one license, for SECONDS.  sqlite: one server on a SQLite file.
# postgresql: a throwaway cluster (tests/pg_cluster.sh) and SERVERS (2)
# servers sharing it.  Afterwards every acknowledged shipment must be in
# the ledger, the license's use must equal them exactly (0 overdraws) and
# the audit chain must verify; any difference fails the run.  "Checks and
# screening unaffected by ledger load": PROBES (2) clients post a one-order
# check naming an end user (so it is screened against the imported list
# subset) and a screening request, first alone and then while the writers
# run (a second, shorter run of the writers: the first one's figure is
# the writers' alone); answers per second and latency side by side.
# Saturated answers per second say how the probes share the CPU; they are
# followed by the latency at a fixed, moderate offered rate (RATE_CHECKS,
# default 500/s, and RATE_SCREEN, 200/s, from 4 clients each, counted from
# when each request was due), alone and during the ship load.
# PERF=FILE: `perf record -g` of the first server during the writers' run.
# TOLLGATE_BIN: another build's binary (before/after on one machine state).
# Usage: bench/ship_load.sh [sqlite|postgresql] [SECONDS, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${TOLLGATE_BIN:-$PWD/build/tollgate} load=$PWD/build/bench_ship
mode=${1:-sqlite} secs=${2:-10} writers=${WRITERS:-32}
tmp=$(mktemp -d) pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -f "$tmp/pg.state" ] && bash tests/pg_cluster.sh stop "$tmp/pg.state"
  rm -rf "$tmp"
}
trap cleanup EXIT
. tests/serve_start.sh
if [ "$mode" = postgresql ]; then
  bash tests/pg_cluster.sh start "$tmp/pg.state" >/dev/null
  eval "export $(bash tests/pg_cluster.sh env "$tmp/pg.state")"
  createdb tollgate_bench
  export TOLLGATE_DB=postgresql:///tollgate_bench servers=${SERVERS:-2}
else
  export TOLLGATE_DB=$tmp/bench.db servers=1
fi
token=$("$bin" token add --name bench --role officer 2>/dev/null)
"$bin" lists import tests/screen/data/csl-subset.compact.json >/dev/null
"$bin" license add --number L-B --holder Bench --chip nv-h20 --to US --qty 100000000 \
  --from 2025-01-01 --until 2027-12-31 >/dev/null
urls=()
for i in $(seq "$servers"); do
  mkdir -p "$tmp/s$i"
  serve_start "$bin" "$tmp/s$i" --threads "${THREADS:-4}"
  pids+=("$serve_pid")
  urls+=("$serve_url")
done
echo '{"chip": "nv-h20", "to": "US", "hq": "US", "qty": 1, "unit_price": 100, "on": "2025-09-01", "end_user": "US Lab Inc", "license": "L-B"}' >"$tmp/body.json"
echo '{"chip": "nv-h20", "to": "US", "hq": "US", "qty": 1, "unit_price": 100, "on": "2025-09-01", "end_user": "US Lab Inc"}' >"$tmp/check.json"
echo '{"name": "Example Cloud Co"}' >"$tmp/screen.json"
all=$(IFS=,; echo "${urls[*]}") probes=${PROBES:-2} psecs=$(( secs < 5 ? secs : 5 ))
probe() { # LABEL: checks and screening for psecs seconds
  BENCH_PATH=/v1/checks "$load" "$all" "$token" "$tmp/check.json" "$probes" "$psecs" 0 /dev/null |
    sed "s/^/  $1: /"
  BENCH_PATH=/v1/screen "$load" "$all" "$token" "$tmp/screen.json" "$probes" "$psecs" 0 /dev/null |
    sed "s/^/  $1: /"
  BENCH_RATE=${RATE_CHECKS:-500} BENCH_PATH=/v1/checks "$load" "$all" "$token" "$tmp/check.json" 4 \
    "$psecs" 0 /dev/null | sed "s/^/  $1, offered ${RATE_CHECKS:-500}\/s: /"
  BENCH_RATE=${RATE_SCREEN:-200} BENCH_PATH=/v1/screen "$load" "$all" "$token" "$tmp/screen.json" 4 \
    "$psecs" 0 /dev/null | sed "s/^/  $1, offered ${RATE_SCREEN:-200}\/s: /"
}
echo "$mode: $servers server(s), $writers writers, ${secs}s, $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg), $bin"
probe "alone"
# the figure: the writers alone
[ -n "${PERF:-}" ] && { perf record -q ${PERF_OPTS:--g} -o "$PERF" -p "${pids[0]}" -- sleep "$secs" 2>/dev/null & }
"$load" "$all" "$token" "$tmp/body.json" "$writers" "$secs" 0 "$tmp/acked"
[ -n "${PERF:-}" ] && wait %1 2>/dev/null || true
# again, with the probes running meanwhile
"$load" "$all" "$token" "$tmp/body.json" "$writers" $((4 * psecs + 2)) 0 "$tmp/acked2" >"$tmp/ship2.out" &
ship=$!
sleep 1
probe "during the ship load"
wait "$ship"
sed 's/^/  (with the probes) /' "$tmp/ship2.out"
cat "$tmp/acked2" >>"$tmp/acked"
for p in "${pids[@]}"; do kill "$p"; wait "$p" 2>/dev/null || true; done
pids=()
acked=$(grep -c . "$tmp/acked" || true)
used=$("$bin" license show L-B --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["used"]["qty"])')
"$bin" shipments --license L-B --json | python3 -c '
import json, sys
stored = {s["id"] for s in json.load(sys.stdin)["shipments"]}
acked = [int(l) for l in open(sys.argv[1]) if l.strip()]
missing = [i for i in acked if i not in stored]
if missing: sys.exit("acknowledged but missing: %s" % missing[:10])
' "$tmp/acked"
"$bin" audit verify >/dev/null || { echo "audit chain does not verify"; exit 1; }
echo "acknowledged $acked, license used $used, all present, chain verifies"
[ "$acked" = "$used" ] || { echo "license use $used != acknowledged $acked"; exit 1; }
