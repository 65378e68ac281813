#!/usr/bin/env bash
# serve_load.sh - load benchmark of `tollgate serve` with wrk on loopback:
# classification GETs and check POSTs (one order, and 100 orders a request).
# Every answer is compared with the expected body (a wrong or failed answer
# fails the run); the server's RSS is read before, between runs and after
# a long soak, to show memory stays flat, and the server's CPU time per
# request (what the server costs, whatever else the machine runs).  Not a test: figures go in the
# README.  Usage: bench/serve_load.sh [SECONDS per run, default 20]
# [SOAK seconds, default 120].  Env: THREADS (server), CONNS (wrk; the
# 100-order run uses 4), TOLLGATE_BIN (default build/tollgate: another
# build's binary, to compare two builds on the same machine state).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${TOLLGATE_BIN:-build/tollgate}
secs=${1:-20} soak=${2:-120}
conns=${CONNS:-32} threads=${THREADS:-$(nproc)}
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export TOLLGATE_DB=$tmp/bench.db
token=$("$bin" token add --name bench --role viewer 2>/dev/null)
. tests/serve_start.sh
serve_start "$bin" "$tmp" --threads "$threads"
pid=$serve_pid url=$serve_url
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
# the server's CPU time (user + system, clock ticks): a figure that does
# not depend on what else the machine runs, unlike requests/s
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
curl_() { curl -s --noproxy '*' -H "Authorization: Bearer $token" "$@"; }

# Expected answers, from the server itself and checked against the CLI.
on=2025-09-01
curl_ -o "$tmp/class.json" "$url/v1/chips/nv-h20/classification?on=$on"
diff <(cat "$tmp/class.json"; echo) <("$bin" classify nv-h20 --on $on --json) >/dev/null ||
  { echo "server and CLI classifications differ"; exit 1; }
echo '{"chip": "nv-h20", "to": "CN", "hq": "CN", "qty": 100, "unit_price": 12000, "on": "'$on'"}' >"$tmp/one.json"
curl_ -o "$tmp/one.out" --data-binary @"$tmp/one.json" "$url/v1/checks"
diff <(cat "$tmp/one.out"; echo) <("$bin" check --chip nv-h20 --to CN --hq CN --qty 100 --unit-price 12000 --on $on --json) >/dev/null ||
  { echo "server and CLI checks differ"; exit 1; }
"$bin" chips --json | python3 -c 'import json,sys
ids=[c["id"] for c in json.load(sys.stdin)]
print(json.dumps([{"chip": ids[i % len(ids)], "to": "CN", "hq": "CN", "qty": 1 + i, "on": sys.argv[1]} for i in range(100)]))' $on >"$tmp/batch.json"
curl_ -o "$tmp/batch.out" --data-binary @"$tmp/batch.json" "$url/v1/checks"

run() { # name seconds method path body expect [connections]
  local rps p99 wrong errs c0 c1 n us
  c0=$(cpu)
  METHOD=$3 REQ_PATH=$4 BODY_FILE=$5 EXPECT_FILE=$6 TOKEN=$token \
    wrk -t2 -c"${7:-$conns}" -d"$2"s --timeout 10s --latency -s bench/check_answers.lua "$url" >"$tmp/wrk.out"
  c1=$(cpu)
  rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/wrk.out")
  p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk.out")
  wrong=$(awk '/^WRONG/ {print $2}' "$tmp/wrk.out")
  errs=$(grep -E 'Socket errors|Non-2xx' "$tmp/wrk.out" || true)
  n=$(awk '/requests in/ {print $1}' "$tmp/wrk.out")
  us=$(awk -v c=$((c1 - c0)) -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", n ? c / hz * 1e6 / n : 0}')
  printf '%-36s %3s conns %9s req/s   p99 %-9s wrong %s   server CPU %6s us/req   RSS %s KiB\n' "$1" "${7:-$conns}" "$rps" "$p99" "$wrong" "$us" "$(rss)"
  [ "$wrong" = 0 ] && [ -z "$errs" ] || { cat "$tmp/wrk.out"; exit 1; }
}
echo "tollgate serve: $threads threads; wrk: 2 threads, $conns connections, ${secs}s a run; $(nproc) CPUs"
echo "RSS at start: $(rss) KiB"
run "warm-up (classification GET)" 5 GET "/v1/chips/nv-h20/classification?on=$on" "" "$tmp/class.json"
r0=$(rss)
run "GET /v1/chips/{id}/classification" "$secs" GET "/v1/chips/nv-h20/classification?on=$on" "" "$tmp/class.json"
run "POST /v1/checks (1 order)" "$secs" POST /v1/checks "$tmp/one.json" "$tmp/one.out"
run "POST /v1/checks (100 orders)" "$secs" POST /v1/checks "$tmp/batch.json" "$tmp/batch.out" 4
r1=$(rss)
run "soak: POST /v1/checks (1 order)" "$soak" POST /v1/checks "$tmp/one.json" "$tmp/one.out"
r2=$(rss)
echo "RSS after warm-up $r0 KiB, after the runs $r1 KiB, after the ${soak}s soak $r2 KiB"
growth=$(( r2 - r1 ))
if [ "$growth" -gt 8192 ]; then echo "memory grew by $growth KiB during the soak"; exit 1; fi
echo "memory flat: the soak changed RSS by $growth KiB"
